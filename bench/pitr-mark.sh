#!/usr/bin/env bash
# Benchmark: what the hourly pitr-mark costs the site's writers. The mark locks every counted table in SHARE mode,
# counts them and records the mark in one transaction (PitrMarks), so writes wait while it counts. On a generated
# database of about SIZE_GB (default 1) GiB, pgbench inserts (one row a transaction, as sign-ups and progress do)
# for DURATION seconds without marks, then as long again with a mark every MARK_EVERY seconds; prints each mark's
# time and the writers' latency (average, 99th percentile, maximum) with and without.
#   bench/pitr-mark.sh
#   SIZE_GB=2 MARK_EVERY=3 bench/pitr-mark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_GB=${SIZE_GB:-1}
DURATION=${DURATION:-20}
MARK_EVERY=${MARK_EVERY:-4}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}
deadline=$((SECONDS + BENCH_TIMEOUT))

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/pgbench" ] && [ -x "$PGBIN/initdb" ] || { echo "bench: needs postgresql-15 (pgbench, initdb)" >&2; exit 1; }
WORK=$(pwd)/bench/target/pitr-mark-$(date +%Y%m%d-%H%M%S)
mkdir -p "$WORK"
chmod 755 "$WORK" bench/target

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
left() { echo $((deadline - SECONDS)); }
log() { echo "bench: $*" >&2; }

PG_STARTED=""
cleanup() {
  if [ -n "$PG_STARTED" ]; then as_postgres "$PGBIN/pg_ctl" stop -D "$WORK/pgdata" -m fast -w >/dev/null 2>&1 || true; fi
  rm -rf "$WORK/pgdata"
}
trap cleanup EXIT

PGPORT=$(free_port)
mkdir -p "$WORK/pgdata"
[ "$(id -u)" -eq 0 ] && chown nobody "$WORK/pgdata" && chmod 777 "$WORK"
as_postgres "$PGBIN/initdb" -D "$WORK/pgdata" -U bench --auth=trust --no-locale -E UTF8 >/dev/null
as_postgres "$PGBIN/pg_ctl" start -D "$WORK/pgdata" -w -l "$WORK/pgdata/postgres.log" \
  -o "-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c shared_buffers=128MB" >/dev/null
PG_STARTED=1
export PGHOST=127.0.0.1 PGPORT PGUSER=bench
"$PGBIN/createdb" bench

log "generating about ${SIZE_GB} GiB"
timeout "$(left)" "$PGBIN/psql" -q -d bench -c "CREATE TABLE lessons (id bigint PRIMARY KEY, title text, body text);
  INSERT INTO lessons SELECT i, 'Lesson ' || i, md5(random()::text) || md5(random()::text) || md5(random()::text)
    || md5(random()::text) FROM generate_series(1, $((4800000 * SIZE_GB))) i;
  CREATE TABLE events (id bigserial PRIMARY KEY, kind text NOT NULL, at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE learners (id bigserial PRIMARY KEY, email text NOT NULL);
  INSERT INTO learners (email) SELECT 'l' || i || '@example.com' FROM generate_series(1, 100000) i;
  CREATE TABLE pitr_marks (id bigserial PRIMARY KEY, marked_at timestamptz NOT NULL, counts jsonb NOT NULL);" \
  -c "VACUUM ANALYZE" >/dev/null
log "$("$PGBIN/psql" -At -d bench -c "SELECT pg_size_pretty(pg_database_size('bench'))") in the database"

echo "INSERT INTO events (kind) VALUES ('view');" >"$WORK/write.sql"
# The mark as PitrMarks takes it (tables listed the same way, counted under SHARE locks, moment read last).
cat >"$WORK/mark.sql" <<'SQL'
BEGIN;
SET LOCAL lock_timeout = '1000ms';
LOCK TABLE public.events, public.learners, public.lessons IN SHARE MODE;
SELECT count(*) FROM ONLY public.events;
SELECT count(*) FROM ONLY public.learners;
SELECT count(*) FROM ONLY public.lessons;
INSERT INTO pitr_marks (marked_at, counts) VALUES (clock_timestamp(), '{}');
COMMIT;
SQL

latency() { # pgbench's per-transaction log: the 3rd field is the latency in microseconds
  cat "$1".* | awk '{print $3}' | sort -n | awk '{a[NR]=$1; s+=$1} END {printf "%d transactions, average %.1f ms, 99th percentile %.1f ms, maximum %.1f ms\n", NR, s/NR/1000, a[int(NR*0.99)]/1000, a[NR]/1000}'
}

log "warming up for 5 s"
(cd "$WORK" && timeout "$(left)" "$PGBIN/pgbench" -n -c 4 -j 2 -T 5 -f write.sql bench >/dev/null 2>&1)
"$PGBIN/psql" -q -d bench -c "CHECKPOINT" -c "SELECT count(*) FROM lessons" >/dev/null
log "writers alone for ${DURATION} s"
(cd "$WORK" && timeout "$(left)" "$PGBIN/pgbench" -n -c 4 -j 2 -T "$DURATION" -f write.sql -l --log-prefix=alone bench >/dev/null 2>&1)
echo "without marks: $(latency "$WORK/alone")"

log "writers for ${DURATION} s with a mark every ${MARK_EVERY} s"
(cd "$WORK" && timeout "$(left)" "$PGBIN/pgbench" -n -c 4 -j 2 -T "$DURATION" -f write.sql -l --log-prefix=marked bench >/dev/null 2>&1) &
PGBENCH=$!
sleep 1
for _ in $(seq 1 $(((DURATION - 2) / MARK_EVERY))); do
  start=$(date +%s%N)
  "$PGBIN/psql" -q -d bench -f "$WORK/mark.sql" >/dev/null
  echo "mark: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  sleep "$MARK_EVERY"
done
wait "$PGBENCH"
echo "with marks:    $(latency "$WORK/marked")"
