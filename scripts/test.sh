#!/usr/bin/env bash
# The whole test suite: ruff, mypy (strict on coach/domain), then pytest: unit, recorded
# end-to-end, one live call to the embedded model, the browser journey, and the eval gate.
# Artifacts (screenshots, reports) go to artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
if [ -z "${COACH_TEST_DATABASE_URL:-}" ]; then
  COACH_TEST_DATABASE_URL="$(bash scripts/postgres.sh || true)"
  export COACH_TEST_DATABASE_URL
fi
# Lint and types first: a second or two, and a failure here names the line at once.
.venv/bin/ruff check coach ui evals tests bench
bash scripts/typecheck.sh
exec .venv/bin/pytest "$@"
