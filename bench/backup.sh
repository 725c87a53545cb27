#!/usr/bin/env bash
# Benchmark: ops backup run against plain pg_dump, on a generated database of about SIZE_GB (default 1) GiB.
#
#   bench/backup.sh            # 1 GiB
#   SIZE_GB=2 bench/backup.sh  # 2 GiB
#
# Starts its own PostgreSQL (the machine's server programs, /usr/lib/postgresql/N/bin, as user nobody when run
# as root) and an S3Proxy server (filesystem store; plain http, or S3_SCHEME=https with a throwaway certificate, as
# Spaces is served), both on free ports of 127.0.0.1 only; generates the data
# (pgbench's tables plus a table of text); then, ROUNDS times (default 3: each order of the ops runs once),
# alternately times
#   pg_dump -Fc > /dev/null                  (the floor: the dump and its compression alone)
#   ops backup run                           (the same dump streamed to S3, SHA-256, row counts, manifest)
#   ops backup run with age encryption
#   ops backup run to a local directory, in /dev/shm (else on disk): the same dump, hash, row counts and
#                                            manifest without an S3 server and ops's S3 client
# (the three ops runs in a different order each round; every timed run, pg_dump's too, starts after a sync, so
# that none pays for writing out what an earlier one stored) and prints each best time, the ratios to pg_dump,
# and the ops process's peak resident set (VmHWM). ops runs as `java -jar ops.jar`, as /usr/local/bin/ops runs
# it, with the JVM flags of systemd/athanor-scheduler.service. Everything it starts is stopped by PID when it
# ends; the whole run is bounded by BENCH_TIMEOUT seconds (default 2400). Needs: a JDK 17, Maven, postgresql-15
# (pgbench).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_GB=${SIZE_GB:-1}
ROUNDS=${ROUNDS:-3}
S3_SCHEME=${S3_SCHEME:-http}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-2400}
deadline=$((SECONDS + BENCH_TIMEOUT))
# The JVM flags of the scheduler's unit (OPS_JVM_FLAGS="..." to try others), less the OOM note (its quoted command
# would be cut at its spaces).
read -r -a JVM_FLAGS <<<"${OPS_JVM_FLAGS:-$(sed -n '/^ExecStart=/,/-jar/p' systemd/athanor-scheduler.service | tr -d '\\' \
  | grep -o -- '-X[^ ]*' | grep -v -- '-XX:OnOutOfMemoryError=' | tr '\n' ' ')}"

BENCH_NAME=backup
source bench/shared.sh

cleanup() {
  stop_s3proxy
  case "${ATHANOR_BACKUP_DIR:-}" in /dev/shm/athanor-bench.*) rm -rf "$ATHANOR_BACKUP_DIR" ;; esac
  if [ -n "${PG_STARTED:-}" ]; then as_postgres "$PGBIN/pg_ctl" stop -D "$WORK/pgdata" -m fast -w >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# 1. ops.jar, and the S3Proxy release named in pom.xml.
build_jars

# 2. PostgreSQL on a free loopback port.
PGPORT=$(free_port)
mkdir -p "$WORK/pgdata"
[ "$(id -u)" -eq 0 ] && chown nobody "$WORK/pgdata"
as_postgres "$PGBIN/initdb" -D "$WORK/pgdata" -U bench --auth=trust --no-locale -E UTF8 >/dev/null
as_postgres "$PGBIN/pg_ctl" start -D "$WORK/pgdata" -w -l "$WORK/pgdata/postgres.log" \
  -o "-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c shared_buffers=128MB" >/dev/null
PG_STARTED=1
export PGHOST=127.0.0.1 PGPORT PGUSER=bench PGDATABASE=bench
"$PGBIN/createdb" bench

# 3. The data: pgbench's tables and lessons of hex text.
generate_data "$SIZE_GB"

# 4. S3Proxy on a free loopback port, storing in the run directory; over https as with Spaces: TLS, so the SDK sends
# bodies unsigned and the JVM encrypts them instead.
start_s3proxy "$S3_SCHEME"

# 5. The runs.
export DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/bench" DATABASE_USER=bench DATABASE_PASSWORD=""
export ATHANOR_DATA_DIR="$WORK/data" ATHANOR_BACKUP_STORAGE=s3 ATHANOR_BACKUP_S3_ENDPOINT="$S3_SCHEME://127.0.0.1:$S3PORT"
export ATHANOR_BACKUP_S3_BUCKET=bench ATHANOR_BACKUP_S3_PATH_STYLE=true ATHANOR_BACKUP_S3_ACCESS_KEY_ID=bench
export ATHANOR_BACKUP_S3_SECRET_ACCESS_KEY=bench ATHANOR_PG_CLIENT_BIN="$PGBIN"
java -jar ops-cli/target/ops.jar backup keygen "$WORK/backup.key" >/dev/null

now() { date +%s.%N; }
# S3Proxy stores each backup twice (the parts, then the object they make), and the kernel writes that out about 30
# s later, in the middle of a later run: a sync first gives every run a machine with nothing left to write.
time_pg_dump() {
  local start; sync; start=$(now)
  timeout "$(left)" "$PGBIN/pg_dump" -Fc -d bench > /dev/null
  echo "$(now) - $start" | bc
}
# Prints "seconds peak_rss_kb bytes" for one ops backup run; KEY selects encryption, WHERE the storage (s3 or
# directory). The peak is the process's own high-water mark of resident memory (VmHWM), polled every 50 ms with
# shell builtins only (read; a read with a timeout on a pipe that never speaks is the pause): a poller that forked
# (pgrep, awk, sleep) took a second or more of CPU from the very run it measured. The end is seen within 50 ms.
exec {pause_fd}<> <(:)
# The directory for the run without an S3 server: in memory (emptied after each run), or on disk without /dev/shm.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then ATHANOR_BACKUP_DIR=$(mktemp -d /dev/shm/athanor-bench.XXXXXX); DIR_WHERE="in memory"
else ATHANOR_BACKUP_DIR=$WORK/directory; mkdir -p "$ATHANOR_BACKUP_DIR"; DIR_WHERE="on disk  "; fi
export ATHANOR_BACKUP_DIR
time_ops() {
  local start pid peak=0 key value _ status=0 storage=$2
  sync
  start=$(now)
  ATHANOR_BACKUP_KEY_FILE="$1" ATHANOR_BACKUP_STORAGE=$storage java "${JVM_FLAGS[@]}" "${TRUST[@]}" \
    -jar ops-cli/target/ops.jar backup run --json --config config.yml > "$WORK/ops.json" 2>"$WORK/ops.err" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    { while read -r key value _; do
        if [ "$key" = VmHWM: ] && [ "$value" -gt "$peak" ]; then peak=$value; fi
      done < "/proc/$pid/status"; } 2>/dev/null || true
    if [ "$SECONDS" -ge "$deadline" ]; then kill "$pid"; fi
    read -r -t 0.05 -u "$pause_fd" _ || true
  done
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then cat "$WORK/ops.err" >&2; echo "bench: ops backup run failed ($status)" >&2; exit 1; fi
  local line; line="$(echo "$(now) - $start" | bc) $peak $(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$WORK/ops.json")"
  # emptied before the line is given: the caller reads it from a process substitution and goes on at once
  if [ "$storage" = directory ]; then rm -rf "${ATHANOR_BACKUP_DIR:?}"/*; fi
  echo "$line"
}

best_dump=""; best_ops=""; best_age=""; best_dir=""; peak_ops=0; peak_age=0; peak_dir=0
bytes_dump=0
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS (ops with ${JVM_FLAGS[*]})"
  d=$(time_pg_dump)
  for run in $(case $((round % 3)) in 1) echo ops age dir;; 2) echo dir ops age;; 0) echo age dir ops;; esac); do
    case $run in
      ops) read -r o rss bytes < <(time_ops "" s3) ;;
      age) read -r a rss_age _ < <(time_ops "$WORK/backup.key" s3) ;;
      dir) read -r m rss_dir _ < <(time_ops "" directory) ;;
    esac
  done
  log "  pg_dump ${d}s, ops ${o}s (${rss} KiB), ops+age ${a}s (${rss_age} KiB), ops to memory ${m}s (${rss_dir} KiB)"
  [ -z "$best_dump" ] || [ "$(echo "$d < $best_dump" | bc)" -eq 1 ] && best_dump=$d
  [ -z "$best_ops" ] || [ "$(echo "$o < $best_ops" | bc)" -eq 1 ] && best_ops=$o
  [ -z "$best_age" ] || [ "$(echo "$a < $best_age" | bc)" -eq 1 ] && best_age=$a
  [ -z "$best_dir" ] || [ "$(echo "$m < $best_dir" | bc)" -eq 1 ] && best_dir=$m
  [ "$rss" -gt "$peak_ops" ] && peak_ops=$rss
  [ "$rss_age" -gt "$peak_age" ] && peak_age=$rss_age
  [ "$rss_dir" -gt "$peak_dir" ] && peak_dir=$rss_dir
  bytes_dump=$bytes
done

printf '\nDatabase: %s (pgbench scale %d + %d lessons), archive %s MiB, S3Proxy over %s, %d round(s), best of each:\n' \
  "$DB_SIZE" $((30 * SIZE_GB)) $((2600000 * SIZE_GB)) $((bytes_dump / 1048576)) "$S3_SCHEME" "$ROUNDS"
printf '  pg_dump -Fc > /dev/null      %6.1f s\n' "$best_dump"
printf '  ops backup run (S3)          %6.1f s   %.2fx pg_dump   peak RSS %d MiB\n' "$best_ops" \
  "$(echo "$best_ops / $best_dump" | bc -l)" $((peak_ops / 1024))
printf '  ops backup run (S3, age)     %6.1f s   %.2fx pg_dump   peak RSS %d MiB\n' "$best_age" \
  "$(echo "$best_age / $best_dump" | bc -l)" $((peak_age / 1024))
printf '  ... to a directory %s %6.1f s   %.2fx pg_dump   peak RSS %d MiB   (no S3 server)\n' "$DIR_WHERE" \
  "$best_dir" "$(echo "$best_dir / $best_dump" | bc -l)" $((peak_dir / 1024))
printf '  (target: within 1.2x of pg_dump, peak RSS under 200 MB)\n'
