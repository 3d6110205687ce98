#!/usr/bin/env bash
# The XtreemFsService ITs alone (issue 13; they also run in `mvn verify` and CI): builds SeaweedFS's weed
# once (hack/seaweedfs.sh, cached by hash in ~/.cache/conpaas/bin; hack/install-deps.sh builds it too), then
# runs XtreemFsServiceIT (real operator, agents running master, filer and volume servers, FUSE mounts; fuse3
# from hack/install-deps.sh) and FsSnapshotIT (the plugin's fs download-manifest / fs restore with the real
# operator jar) on a dev control plane of its own, stopped at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"
export CONPAAS_DEV_CLUSTER_DIR=${CONPAAS_DEV_CLUSTER_DIR:-/tmp/devcluster-xtreemfs}
trap 'hack/dev-cluster.sh down >/dev/null 2>&1 || true' EXIT
log "building weed (once; cached) and running XtreemFsServiceIT and FsSnapshotIT"
hack/seaweedfs.sh >/dev/null
mvn -B -pl kubectl-plugin -am verify -Dtest=NoSuchTest -Dit.test='XtreemFsServiceIT,FsSnapshotIT' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
