#!/usr/bin/env bash
# Makes a PostgreSQL server reachable on 127.0.0.1:5432 for the tests and prints the admin URL they use
# (IT_POSTGRES_URL: a role that may CREATE DATABASE; each test creates and drops its own database).
# On this project's machines PostgreSQL already runs with trust auth and a database `test`; on a bare Debian
# machine it is installed, started, and given a password role.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

if command -v psql >/dev/null && psql -h 127.0.0.1 -p 5432 -d test -Atqc 'select 1' >/dev/null 2>&1; then
    echo "postgres://127.0.0.1:5432/test"
    exit 0
fi

if ! command -v pg_ctlcluster >/dev/null; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -1)
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi
for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
done

su postgres -c "psql -v ON_ERROR_STOP=1 -q" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_ci') THEN
    CREATE ROLE tessera_ci LOGIN CREATEDB PASSWORD 'tessera_ci';
  END IF;
END $$;
SQL
echo "postgres://tessera_ci:tessera_ci@127.0.0.1:5432/postgres"
