#!/usr/bin/env bash
# The whole test suite: unit, recorded end-to-end, one live call to the embedded model,
# the browser journey, and the eval gate. Artifacts (screenshots, reports) go to artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
exec .venv/bin/pytest "$@"
