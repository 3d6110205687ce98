#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what this machine lacks (idempotent,
# hack/install-deps.sh), then runs the unit and integration tests and the end-to-end scripts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/install-deps.sh
mvn -B verify
bash hack/e2e.sh
bash hack/e2e-wordpress.sh
bash hack/e2e-helm.sh
