#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL 15 cluster, exported as TEST_DATABASE_URL.
# The cluster lives in a temporary folder and is stopped and removed on exit,
# whatever the command's outcome. If TEST_DATABASE_URL is already set, it is used as is.
set -euo pipefail
if [ -n "${TEST_DATABASE_URL:-}" ]; then exec "$@"; fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL 15 est introuvable dans $PG_BIN : installation…" >&2
  apt-get update -qq && apt-get install -y -qq postgresql-15 >/dev/null
fi
DIR=$(mktemp -d /tmp/formabot-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
cleanup() {
  as_owner "$PG_BIN/pg_ctl -D $DIR/data -w -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
as_owner "$PG_BIN/initdb -D $DIR/data -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8" >/dev/null
as_owner "$PG_BIN/pg_ctl -D $DIR/data -l $DIR/pg.log -w -o '-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' start" >/dev/null
export TEST_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$PORT/postgres"
echo "PostgreSQL de test sur le port $PORT" >&2
"$@"
