#!/usr/bin/env bash
# Type-check the package as it installs (mypy; strict on coach/domain, see pyproject.toml).
# The checkout keeps ui/, evals/ and the data at the top while the wheel installs them inside
# `coach` (pyproject's package-dir); mypy cannot follow that mapping, so it checks a tree of
# links laid out as the wheel is.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/coach"
for entry in coach/*; do ln -s "$repo/$entry" "$tree/coach/"; done
ln -s "$repo/ui" "$tree/coach/ui"
ln -s "$repo/evals" "$tree/coach/evals"
cd "$tree"
"$repo/.venv/bin/mypy" --config-file "$repo/pyproject.toml" --cache-dir "$repo/.mypy_cache" -p coach
