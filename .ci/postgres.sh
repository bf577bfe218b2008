#!/usr/bin/env bash
# Makes a PostgreSQL server reachable on 127.0.0.1:5432 for the tests and prints the admin URL they use
# (IT_POSTGRES_URL: a role that may CREATE DATABASE; each test creates and drops its own database).
# On this project's machines PostgreSQL already runs with trust auth and a database `test`; on a bare Debian
# machine it is installed, started, and given a password role.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }
listening() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
SUDO=""
[[ "$(id -u)" -ne 0 ]] && SUDO="sudo"

if listening; then
    # The machines of this project's kind: trust auth for local TCP and a database `test`.
    user="$(id -un)"
    if command -v psql >/dev/null && ! psql -h 127.0.0.1 -U "$user" -d test -Atqc 'select 1' >/dev/null 2>&1; then
        log "warning: connecting as $user to database test failed; the tests will say why"
    fi
    echo "postgres://${user}@127.0.0.1:5432/test"
    exit 0
fi

if ! command -v pg_ctlcluster >/dev/null; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >&2
    $SUDO apt-get install -y -q --no-install-recommends postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -1)
log "starting PostgreSQL $version"
$SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
for _ in $(seq 1 30); do
    listening && break
    sleep 1
done

$SUDO su postgres -c "psql -v ON_ERROR_STOP=1 -q" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_ci') THEN
    CREATE ROLE tessera_ci LOGIN CREATEDB PASSWORD 'tessera_ci';
  END IF;
END $$;
SQL
echo "postgres://tessera_ci:tessera_ci@127.0.0.1:5432/postgres"
