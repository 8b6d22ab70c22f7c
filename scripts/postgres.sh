#!/usr/bin/env bash
# A local PostgreSQL for the gradebook tests (Debian's postgresql-common tools).
#
#   bash scripts/postgres.sh start   install if missing (root), start cluster "main",
#                                    create role and database; prints the URL LAST
#   bash scripts/postgres.sh stop    stop the cluster, only if `start` from this checkout
#                                    started it (a cluster someone else runs is left alone)
#   bash scripts/postgres.sh stop --force   stop it whoever started it
#   bash scripts/postgres.sh status  say whether it runs
#
# Idempotent: running start twice starts nothing twice and creates nothing twice.
# Progress goes to stderr, so stdout carries only the URL line.
set -euo pipefail

ROLE=sandbox
PASSWORD=sandbox
DATABASE=sandbox_test
HOST=127.0.0.1
CLUSTER=main
# Written by `start` when it started the cluster itself: `stop` stops only what it started.
STARTED_MARK="$(cd "$(dirname "$0")/.." && pwd)/.postgres-started-here"

say() { echo "postgres.sh: $*" >&2; }
die() { echo "postgres.sh: error: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# "15 5432 online" for the main cluster, or nothing when there is none.
cluster_line() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters --no-header 2>/dev/null | awk -v c="$CLUSTER" '$2 == c { print $1, $3, $4; exit }'
}

newest_installed_version() {
  ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  if ! is_root; then
    die "PostgreSQL is not installed and this is not root; run as root: apt-get install -y postgresql"
  fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is missing"
  say "installing PostgreSQL with apt-get (about 10 s)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y postgresql >&2; then
    say "install failed; refreshing the package lists and trying again"
    apt-get update >&2 || die "apt-get update failed"
    apt-get install -y postgresql >&2 || die "apt-get install -y postgresql failed"
  fi
}

# Run a command as the postgres superuser.
as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif is_root; then
    runuser -u postgres -- "$@"
  else
    die "need root (or the postgres user) to manage the cluster"
  fi
}

ensure_cluster() {
  if [ -z "$(cluster_line)" ]; then
    if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(newest_installed_version)" ]; then
      install_postgres
    fi
  fi
  if [ -z "$(cluster_line)" ]; then
    local version
    version="$(newest_installed_version)"
    [ -n "$version" ] || die "no PostgreSQL version under /usr/lib/postgresql after installing"
    say "creating cluster $version $CLUSTER"
    as_postgres pg_createcluster "$version" "$CLUSTER" >&2 || die "pg_createcluster $version $CLUSTER failed"
  fi
}

wait_ready() {
  local port="$1"
  for _ in $(seq 1 60); do
    if pg_isready -q -h "$HOST" -p "$port"; then return 0; fi
    sleep 0.5
  done
  die "PostgreSQL did not accept connections on $HOST:$port within 30 s (see /var/log/postgresql/)"
}

psql_admin() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -At -p "$1" -d postgres -c "$2"
}

can_log_in() {
  PGPASSWORD="$PASSWORD" psql -X -q -At -h "$HOST" -p "$1" -U "$ROLE" -d "$DATABASE" \
    -c "SELECT 1" >/dev/null 2>&1
}

ensure_role_and_database() {
  local port="$1"
  if can_log_in "$port"; then
    return 0  # made by an earlier run; needs no superuser
  fi
  psql_admin "$port" "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
      ELSE
        ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
      END IF;
    END \$\$;" || die "could not create role $ROLE"
  if [ "$(psql_admin "$port" "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    say "creating database $DATABASE"
    psql_admin "$port" "CREATE DATABASE $DATABASE OWNER $ROLE" || die "could not create database $DATABASE"
  fi
  # Prove the URL works the way the tests will use it: TCP with a password.
  can_log_in "$port" || die "cannot log in as $ROLE over $HOST:$port with its password (check pg_hba.conf)"
}

start() {
  ensure_cluster
  local version port status log
  read -r version port status <<<"$(cluster_line)"
  if [ "$status" != online ]; then
    say "starting cluster $version $CLUSTER on port $port"
    log="$(mktemp)"
    # No inherited stdout: the server would hold the caller's pipe open for ever.
    if ! pg_ctlcluster "$version" "$CLUSTER" start </dev/null >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      die "pg_ctlcluster $version $CLUSTER start failed"
    fi
    rm -f "$log"
    echo "$version $CLUSTER" >"$STARTED_MARK"
  else
    say "cluster $version $CLUSTER already running on port $port"
  fi
  wait_ready "$port"
  ensure_role_and_database "$port"
  echo "postgresql+psycopg://$ROLE:$PASSWORD@$HOST:$port/$DATABASE"
}

stop() {
  local line version port status
  if [ "${1:-}" != --force ] && [ ! -f "$STARTED_MARK" ]; then
    say "this checkout did not start PostgreSQL; leaving it running (stop --force stops it)"
    return 0
  fi
  rm -f "$STARTED_MARK"
  line="$(cluster_line)"
  if [ -z "$line" ]; then
    say "no PostgreSQL cluster $CLUSTER; nothing to stop"
    return 0
  fi
  read -r version port status <<<"$line"
  if [ "$status" = online ]; then
    pg_ctlcluster "$version" "$CLUSTER" stop </dev/null >&2 || die "pg_ctlcluster $version $CLUSTER stop failed"
    say "stopped cluster $version $CLUSTER"
  else
    say "cluster $version $CLUSTER is not running"
  fi
}

status() {
  local line
  line="$(cluster_line)"
  if [ -z "$line" ]; then echo "no cluster $CLUSTER"; return 3; fi
  echo "$line"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) status ;;
  *) die "usage: bash scripts/postgres.sh start|stop|status" ;;
esac
