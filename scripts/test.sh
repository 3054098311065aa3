#!/usr/bin/env bash
# The whole test suite: unit, recorded end-to-end, one live call to the embedded model,
# the browser journey, and the eval gate. Artifacts (screenshots, reports) go to artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
if [ -z "${COACH_TEST_DATABASE_URL:-}" ]; then
  COACH_TEST_DATABASE_URL="$(bash scripts/postgres.sh || true)"
  export COACH_TEST_DATABASE_URL
fi
exec .venv/bin/pytest "$@"
