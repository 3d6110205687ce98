#!/usr/bin/env bash
# Builds SeaweedFS's `weed` binary (master, filer, volume server, shell, FUSE mount in one) from the Go
# module proxy and prints its path. XtreemFsService agents run it as supervised child processes.
# A small module of ours pins the SeaweedFS version (its go.sum is written by the go command from the
# Go checksum database); the binary is cached in $CONPAAS_CACHE/bin (default ~/.cache/conpaas/bin) by a
# hash of this script and the Go version. The first build takes several minutes on 2 cores.
set -euo pipefail
VERSION=v0.0.0-20261109003541-7506e5f91cd6
MODULE=github.com/seaweedfs/seaweedfs
CACHE_DIR="${CONPAAS_CACHE:-$HOME/.cache/conpaas}/bin"
command -v go >/dev/null || { echo "seaweedfs.sh: Go is needed (not on PATH)" >&2; exit 1; }
hash=$({ cat "${BASH_SOURCE[0]}"; go version; } | sha256sum | cut -c1-12)
bin="$CACHE_DIR/weed-$hash"
if [[ ! -x "$bin" ]]; then
  mkdir -p "$CACHE_DIR"
  tmp=$(mktemp -d "$CACHE_DIR/.weed-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "seaweedfs.sh: building $MODULE/weed@$VERSION from the module proxy (several minutes, once)" >&2
  start=$(date +%s)
  cat >"$tmp/go.mod" <<MOD
module conpaas.local/weed-build

go 1.24

require $MODULE $VERSION
MOD
  # A blank import makes the module a dependency of ours; `go build <pkg>` then builds its main package.
  printf 'package tools\n\nimport _ "%s/weed/command"\n' "$MODULE" >"$tmp/tools.go"
  (cd "$tmp" && CGO_ENABLED=0 GOFLAGS=-mod=mod go mod tidy >&2 \
    && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags=-s -o "$tmp/weed" "$MODULE/weed") >&2
  mv -f "$tmp/weed" "$bin"
  echo "seaweedfs.sh: built in $(( $(date +%s) - start ))s" >&2
fi
echo "$bin"
