#!/usr/bin/env bash
# Start the local PostgreSQL cluster for the store tests and print its URL (nothing if it
# cannot run here). Idempotent: an already running cluster and existing role are reused.
set -euo pipefail
command -v pg_lsclusters >/dev/null 2>&1 || exit 0
[ "$(id -u)" -eq 0 ] || exit 0
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || exit 0
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || exit 0
fi
as_pg() { su postgres -s /bin/sh -c "$1" >/dev/null 2>&1; }
for _ in $(seq 1 30); do as_pg "psql -p $port -c 'select 1'" && break; sleep 0.5; done
as_pg "psql -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='coach'\" | grep -q 1" \
  || as_pg "psql -p $port -c \"CREATE ROLE coach LOGIN PASSWORD 'coach-test'\""
as_pg "psql -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='coach_test'\" | grep -q 1" \
  || as_pg "createdb -p $port -O coach coach_test"
echo "postgresql://coach:coach-test@127.0.0.1:${port}/coach_test"
