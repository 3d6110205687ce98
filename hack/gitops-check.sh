#!/usr/bin/env bash
# Judges ConPaaS objects as GitOps tools do: kstatus (sigs.k8s.io/cli-utils: Flux, kpt) and the
# Argo CD health scripts of examples/argocd/argocd-cm-health.yaml run by gopher-lua (Argo CD's
# Lua 5.1 engine). Built once from the Go module proxy into the cache, keyed by its sources.
#
# Usage: hack/gitops-check.sh build            build (cached) and print the binary's path
#        hack/gitops-check.sh [ARGOCD_CM_YAML] < objects.json
#   objects.json: kubectl get -o json output (a List or one object). One line per object:
#   KIND<TAB>NAMESPACE/NAME<TAB>KSTATUS<TAB>ARGO_HEALTH<TAB>MESSAGE
# Environment: CONPAAS_CACHE (default ~/.cache/conpaas; the binary goes to $CONPAAS_CACHE/bin)
set -euo pipefail

HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC_DIR="$SCRIPT_DIR/gitops-check"
CACHE_DIR="${CONPAAS_CACHE:-$HOME/.cache/conpaas}"

binary() {
  local hash bin tmp start
  hash="$(cat "$SRC_DIR/main.go" "$SRC_DIR/go.mod" "$SRC_DIR/go.sum" | sha256sum | cut -c1-12)"
  bin="$CACHE_DIR/bin/conpaas-gitops-check-$hash"
  if [[ ! -x "$bin" ]]; then
    command -v go >/dev/null || { echo "gitops-check: Go is required (hack/install-deps.sh)" >&2; exit 1; }
    mkdir -p "$(dirname "$bin")"
    tmp="$bin.tmp.$$"
    start=$SECONDS
    echo "gitops-check: building $(basename "$bin") (cli-utils kstatus + gopher-lua)..." >&2
    (cd "$SRC_DIR" && go build -trimpath -ldflags "-s -w" -o "$tmp" .) >&2 || { rm -f "$tmp"; exit 1; }
    mv -f "$tmp" "$bin"
    echo "gitops-check: built in $((SECONDS - start))s" >&2
    find "$(dirname "$bin")" -maxdepth 1 -type f -name 'conpaas-gitops-check-*' ! -name "$(basename "$bin")" \
      -delete 2>/dev/null || true
  fi
  echo "$bin"
}

if [[ "${1:-}" == "build" ]]; then
  binary
  exit 0
fi
exec "$(binary)" "${1:-$SCRIPT_DIR/../examples/argocd/argocd-cm-health.yaml}"
