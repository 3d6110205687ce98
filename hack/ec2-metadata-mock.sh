#!/usr/bin/env bash
# Builds AWS's EC2 instance metadata mock (github.com/aws/amazon-ec2-metadata-mock, a real IMDS
# with IMDSv2 session tokens) from the Go module proxy and prints the binary's path. The EC2 image
# test runs one per moto instance, serving that instance's user data to its VM at 169.254.169.254.
# Cached in $CONPAAS_CACHE/bin (default ~/.cache/conpaas/bin) by a hash of this script, the module
# version and the Go version; the module's content is checked against the Go checksum database.
set -euo pipefail
VERSION=v1.13.0
MODULE=github.com/aws/amazon-ec2-metadata-mock
CACHE_DIR="${CONPAAS_CACHE:-$HOME/.cache/conpaas}/bin"
command -v go >/dev/null || { echo "ec2-metadata-mock.sh: Go is needed (not on PATH)" >&2; exit 1; }
hash=$({ cat "${BASH_SOURCE[0]}"; echo "$VERSION"; go version; } | sha256sum | cut -c1-12)
bin="$CACHE_DIR/ec2-metadata-mock-$VERSION-$hash"
if [[ ! -x "$bin" ]]; then
  mkdir -p "$CACHE_DIR"
  tmp=$(mktemp -d "$CACHE_DIR/.aemm-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "ec2-metadata-mock.sh: building $MODULE@$VERSION from the module proxy" >&2
  (cd "$tmp" && GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-mod=mod \
    go install -trimpath -ldflags=-s "$MODULE/cmd/ec2-metadata-mock@$VERSION") >&2
  mv -f "$tmp/ec2-metadata-mock" "$bin"
fi
echo "$bin"
