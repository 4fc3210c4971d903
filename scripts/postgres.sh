#!/usr/bin/env bash
# Starts (once) a throwaway PostgreSQL 15 cluster for the tests and the two-node demo, on 127.0.0.1 only,
# and prints its connection string. Idempotent: a cluster already running is reused.
#   bash scripts/postgres.sh          -> Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres
#   bash scripts/postgres.sh stop
set -euo pipefail
port=${SESSIONADMIN_PG_PORT:-55432}
data=${SESSIONADMIN_PG_DATA:-/tmp/sessionadmin-pg/$port}
bin=/usr/lib/postgresql/15/bin

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  as_postgres "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

if [ ! -x "$bin/postgres" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install postgresql-15 (apt-get install postgresql-15), or run as root" >&2; exit 1; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

if ! as_postgres "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  mkdir -p "$data"
  # initdb refuses to run as root: the cluster belongs to the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$(dirname "$data")" "$data"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Test data is disposable: no fsync. Connections only from this machine's loopback.
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $port -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
fi
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
