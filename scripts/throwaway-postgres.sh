#!/usr/bin/env bash
# Throw-away PostgreSQL cluster on 127.0.0.1 for tests (same approach as test/global-setup.ts).
#
#   scripts/throwaway-postgres.sh start [DIR]   # prints postgres://postgres@127.0.0.1:PORT/cyswllt_test on stdout
#   scripts/throwaway-postgres.sh stop DIR      # stops the cluster and removes DIR
#
# DIR is a scratch directory (created if missing; default: a fresh mktemp dir, reported on
# stderr). All progress goes to stderr, so `URL=$(scripts/throwaway-postgres.sh start "$DIR")` works.
# When run as root, initdb/pg_ctl run as the `postgres` OS user (initdb refuses to run as root).
set -euo pipefail

DB_NAME=cyswllt_test

log() { echo "[throwaway-postgres] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pg_bindir() {
  local best="" d
  # Highest version first.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -V -r); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then best=$d; break; fi
  done
  if [[ -z "$best" ]] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    best=$(dirname "$(readlink -f "$(command -v initdb)")")
  fi
  [[ -n "$best" ]] || die "PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb). Install it: apt-get install -y postgresql"
  echo "$best"
}

# Runs a server binary as `postgres` when we are root; cwd is the scratch dir (postgres may not read ours).
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then (cd "$DIR" && runuser -u postgres -- "$@"); else (cd "$DIR" && "$@"); fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

cmd=${1:-}
case "$cmd" in
  start)
    DIR=${2:-$(mktemp -d "${TMPDIR:-/tmp}/cyswllt-pg-XXXXXX")}
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    [[ ! -e "$DIR/data" ]] || die "$DIR/data already exists"
    BIN=$(pg_bindir)
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$DIR"; fi
    chmod 700 "$DIR"
    start_ns=$(date +%s%N)
    log "initdb ($BIN) in $DIR/data"
    as_pg "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    for attempt in 1 2 3; do
      PORT=$(free_port)
      if as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
          -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
          start >/dev/null 2>&1; then
        break
      fi
      if [[ $attempt -lt 3 ]] && grep -qi 'address already in use' "$DIR/postgres.log" 2>/dev/null; then
        log "port $PORT taken, retrying"; continue
      fi
      cat "$DIR/postgres.log" >&2 || true
      die "pg_ctl start failed"
    done
    PSQL="$BIN/psql"; [[ -x "$PSQL" ]] || PSQL=psql
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
      -c "CREATE DATABASE $DB_NAME" >&2 || die "CREATE DATABASE $DB_NAME failed"
    echo "$PORT" >"$DIR/port"
    URL="postgres://postgres@127.0.0.1:$PORT/$DB_NAME"
    log "PostgreSQL $(basename "$(dirname "$BIN")") started in $(( ($(date +%s%N) - start_ns) / 1000000 ))ms at $URL (data dir $DIR/data; stop with: $0 stop $DIR)"
    echo "$URL"
    ;;
  stop)
    DIR=${2:-}
    [[ -n "$DIR" ]] || die "usage: $0 stop DIR"
    [[ -d "$DIR" ]] || { log "$DIR does not exist, nothing to stop"; exit 0; }
    DIR=$(cd "$DIR" && pwd)
    if [[ -f "$DIR/data/postmaster.pid" ]]; then
      BIN=$(pg_bindir)
      log "stopping PostgreSQL in $DIR/data"
      as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || log "pg_ctl stop failed (continuing)"
    fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR" >&2
    exit 2
    ;;
esac
