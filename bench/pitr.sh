#!/usr/bin/env bash
# Benchmark: point-in-time recovery (ops pitr, pgBackRest) on the site's embedded PostgreSQL holding the generated
# database of bench/backup.sh (about SIZE_GB GiB, default 1), under a steady write load.
#
#   bench/pitr.sh              # 1 GiB, 200 transactions/s
#   RATE=500 bench/pitr.sh     # a heavier load
#
# Starts S3Proxy over https (a throwaway certificate authority and a certificate for localhost, as pgBackRest needs)
# on a free port of 127.0.0.1; creates the embedded cluster (ops db migrate), generates the data, and turns
# point-in-time recovery on with `ops pitr setup --yes` and the shipped config.yml (archiveTimeout 60 seconds, the
# repository in the bucket under pitr/). Then, with pgbench inserting a marker row (its time) RATE times a second:
#   1. times pg_basebackup of the cluster to a local directory, then `ops pitr backup --full`, and prints the ratio;
#   2. samples pg_stat_archiver and pg_wal/archive_status every second for LAG_SECONDS (default 60): the age of the
#      oldest segment waiting to be archived (.ready) and the age of the last archived one;
#   3. times `ops pitr restore --to-time` (a moment in the middle of that minute) into a new directory, starts the
#      copy and checks it holds every marker up to that moment and none after;
#   4. waits until the last archived segment is KILL_AFTER seconds old (default 58: near the worst moment, just
#      before archive_timeout switches to a new segment), kills the postmaster with SIGKILL, restores with
#      `ops pitr restore --latest --into-embedded --yes`, and compares the newest marker restored with the newest
#      committed before the kill (read from the killed cluster itself, started once more after the restore).
# Prints a summary; targets: a restore of 1 GiB under 2 minutes, at most 60 s lost. ops runs as `java -jar ops.jar`
# as the user running the bench (the embedded cluster and pgBackRest as nobody when that is root). Everything it
# starts is stopped when it ends, even on failure: the load, the sampler and S3Proxy by PID, each cluster with
# pg_ctl, pgBackRest's asynchronous archiver (found by this run's configuration path) by PID. The whole run is
# bounded by BENCH_TIMEOUT seconds (default 900); KEEP=1 keeps the work directory in bench/target/. Needs a JDK 17,
# Maven, postgresql-15 (pgbench, pg_basebackup), pgbackrest, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_GB=${SIZE_GB:-1}
RATE=${RATE:-200}
LAG_SECONDS=${LAG_SECONDS:-60}
KILL_AFTER=${KILL_AFTER:-58}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}
KEEP=${KEEP:-}
deadline=$((SECONDS + BENCH_TIMEOUT))
# What the caller's shell may have set would point ops and psql elsewhere.
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(ATHANOR_[A-Z0-9_]*\|DATABASE_[A-Z0-9_]*\|PG[A-Z]*\)=.*/\1/p')
command -v pgbackrest >/dev/null || { echo "pitr: needs pgbackrest (apt-get install pgbackrest)" >&2; exit 1; }

BENCH_NAME=pitr
source bench/shared.sh
SITE=$WORK/site
EMBEDDED=$SITE/data/postgres
LOAD_AVERAGE_START=$(cut -d' ' -f1-3 /proc/loadavg)

BACKGROUND=()     # the load and the sampler
CLUSTERS=()       # data directories this run started a server in
cleanup() {
  local status=$? pid dir
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${CLUSTERS[@]}"; do
    if [ -f "$dir/postmaster.pid" ]; then as_postgres "$(embedded_bin)/pg_ctl" stop -D "$dir" -m fast -w >/dev/null 2>&1 || true; fi
  done
  # pgBackRest's asynchronous archive-push outlives a killed server for as long as its queue lasts; it is this run's
  # by its configuration path.
  for pid in $(pgrep -f -- "--config=$SITE/data/pitr/pgbackrest.conf" || true); do
    log "waiting for pgBackRest's $(ps -o args= -p "$pid" | grep -o 'archive-[a-z:]*' || echo process) ($pid) to end"
    timeout 20 tail --pid="$pid" -f /dev/null || kill "$pid" 2>/dev/null || true
  done
  stop_s3proxy
  if [ -z "$KEEP" ] && [ "$status" -eq 0 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
# the duration of the last (or Nth) run of a pgBackRest command, in seconds, from its log
pgbackrest_seconds() { # command [n]
  sed -n "s/.* $1 command end: completed successfully (\([0-9]*\)ms).*/\1/p" "$SITE/data/pitr/log/athanor-$1.log" \
    | sed -n "${2:-\$}p" | awk '{ printf "%.1f", $1 / 1000 }'
}
seconds_since() { echo "$(now) - $1" | bc; }
ops() { timeout "$(left)" java "${TRUST[@]}" -jar ops-cli/target/ops.jar "$@" --config config.yml; }
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
sql() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# The embedded cluster's programs (bundled, unpacked under binaries/, or the machine's), and a server started on one
# of its data directories as EmbeddedPostgres starts it: as nobody when run as root, on 127.0.0.1 only, then a
# reload (a fresh checkpointer heeds archive_timeout only after its first checkpoint or a reload).
embedded_bin() {
  local bundled
  bundled=$(find "$EMBEDDED/binaries" -maxdepth 2 -name bin -type d 2>/dev/null | head -1)
  echo "${bundled:-$PGBIN}"
}
start_cluster() { # data_dir port [more server options]
  local sockets="''"
  [ "$1" = "$EMBEDDED/pgdata" ] && [ -d "$EMBEDDED/socket" ] && sockets=$EMBEDDED/socket
  CLUSTERS+=("$1")
  as_postgres "$(embedded_bin)/pg_ctl" start -D "$1" -w -t "$(left)" -l "$WORK/logs/$(basename "$1").log" -o "-p $2 \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sockets -c max_connections=50 -c shared_buffers=64MB \
    ${3:-}" > /dev/null 2> >(grep -v 'another server might be running' >&2)
  PGPORT=$2 sql "SELECT pg_reload_conf()" >/dev/null
}
stop_cluster() { as_postgres "$(embedded_bin)/pg_ctl" stop -D "$1" -m fast -w >/dev/null; }

# 1. ops.jar, S3Proxy over https, the site's environment.
build_jars
start_s3proxy https
export ATHANOR_DATA_DIR=$SITE/data ATHANOR_LOG_DIR=$SITE/data/logs ATHANOR_BACKUP_DIR=$SITE/data/backups
export ATHANOR_BACKUP_STORAGE=s3 ATHANOR_BACKUP_S3_ENDPOINT=https://localhost:$S3PORT ATHANOR_BACKUP_S3_BUCKET=bench
export ATHANOR_BACKUP_S3_PATH_STYLE=true ATHANOR_BACKUP_S3_ACCESS_KEY_ID=bench ATHANOR_BACKUP_S3_SECRET_ACCESS_KEY=bench
export ATHANOR_PITR_CA_FILE=$S3_CA_FILE
mkdir -p "$SITE/data" "$WORK/logs"
chmod 755 "$SITE" "$SITE/data"
chmod 777 "$WORK/logs"

# 2. The embedded cluster (created by ops db migrate, which stops it again), the data, point-in-time recovery.
log "creating the embedded cluster (ops db migrate)"
ops db migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
export PGHOST=127.0.0.1 PGUSER=athanor PGDATABASE=athanor PGPASSWORD
PGPASSWORD=$(cat "$EMBEDDED/password")
PGPORT=$(free_port)
export PGPORT
start_cluster "$EMBEDDED/pgdata" "$PGPORT"
generate_data "$SIZE_GB"
sql "CHECKPOINT" >/dev/null
log "ops pitr setup --yes (with its first full backup)"
start=$(now)
ops pitr setup --yes --json >"$WORK/setup.json" 2>"$WORK/setup.err" || { cat "$WORK/setup.err" "$WORK/setup.json" >&2; exit 1; }
SETUP_SECONDS=$(seconds_since "$start")
# setup restarted the server on a fixed port with a socket for pgBackRest, and stopped it when it let go
PGPORT=$(cat "$EMBEDDED/port")
if [ -f "$EMBEDDED/pgdata/postmaster.pid" ] && as_postgres "$(embedded_bin)/pg_ctl" status -D "$EMBEDDED/pgdata" >/dev/null; then
  sql "SELECT pg_reload_conf()" >/dev/null
else
  start_cluster "$EMBEDDED/pgdata" "$PGPORT"
fi
log "archive_timeout $(sql "SHOW archive_timeout"), archive_command: $(sql "SHOW archive_command")"

# 3. The load: a marker row (its time) RATE times a second on 4 connections, and the archiver sampled every second.
sql "CREATE TABLE markers (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())" >/dev/null
echo 'INSERT INTO markers DEFAULT VALUES;' > "$WORK/marker.sql"
"$PGBIN/pgbench" -n -f "$WORK/marker.sql" -R "$RATE" -c 4 -j 2 -T "$(left)" -P 30 >"$WORK/pgbench.log" 2>&1 &
LOAD_PID=$!
BACKGROUND+=("$LOAD_PID")
# epoch, seconds since the last archived segment was pushed, age of the oldest .ready segment (0: none), .ready
# segments, last archived segment, failed pushes
sample_archiver() {
  while :; do
    sql "SELECT round(extract(epoch FROM clock_timestamp())::numeric, 2),
        coalesce(round(extract(epoch FROM clock_timestamp() - a.last_archived_time)::numeric, 1)::text, '-'),
        coalesce(round(extract(epoch FROM clock_timestamp() - r.oldest)::numeric, 1), 0), r.n,
        coalesce(a.last_archived_wal, '-'), a.failed_count
      FROM pg_stat_archiver a, (SELECT min(modification) AS oldest, count(*) AS n FROM pg_ls_archive_statusdir()
        WHERE name LIKE '%.ready') r" 2>/dev/null | tr '|' ' ' || true
    sleep 1
  done
}
sample_archiver >"$WORK/archiver.tsv" &
BACKGROUND+=("$!")
phase() { echo "$1 $(now)" >>"$WORK/phases"; }
sleep 10

# 4. The full backup against pg_basebackup alone.
log "pg_basebackup to a local directory"
phase backups
sync
start=$(now)
timeout "$(left)" "$PGBIN/pg_basebackup" -D "$WORK/basebackup" -c fast
BASEBACKUP_SECONDS=$(seconds_since "$start")
BASEBACKUP_BYTES=$(du -sb "$WORK/basebackup" | cut -f1)
rm -rf "$WORK/basebackup"
log "ops pitr backup --full"
sync
start=$(now)
ops pitr backup --full --json >"$WORK/backup.json" 2>"$WORK/backup.err" || { cat "$WORK/backup.err" >&2; exit 1; }
FULL_SECONDS=$(seconds_since "$start")
FULL_PGBACKREST=$(pgbackrest_seconds backup)
# what ops does around pgBackRest's backup: before it (the JVM, config.yml, the cluster), after it (info, release)
FULL_BEGAN=$(date -d "$(sed -n 's/^\([0-9-]* [0-9:.]*\) .* backup command begin .*/\1/p' \
  "$SITE/data/pitr/log/athanor-backup.log" | tail -1)" +%s.%N)
FULL_BEFORE=$(echo "$FULL_BEGAN - $start" | bc)
phase steady

# 5. The archive lag for a minute of the load alone; the restore target in its middle.
log "sampling the archiver for $LAG_SECONDS s"
sleep $((LAG_SECONDS / 2))
read -r TARGET TARGET_SEGMENT < <(sql "SET TimeZone = 'UTC'; SELECT to_char(clock_timestamp(),
  'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), pg_walfile_name(pg_current_wal_lsn())" | tr '|' ' ')
sleep $((LAG_SECONDS - LAG_SECONDS / 2))
phase restore
ops pitr status --json >"$WORK/status.json" 2>&1 || true
# the segment holding the target must be in the repository: a switch now, rather than up to archive_timeout later
sql "SELECT pg_switch_wal()" >/dev/null
until [[ "$(sql "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")" > "$TARGET_SEGMENT" ]]; do
  [ "$(left)" -gt 0 ] || { log "$TARGET_SEGMENT was never archived"; exit 1; }
  sleep 0.2
done

# 6. Restore to the target into a new directory; the copy must hold every marker up to it and none after.
log "ops pitr restore --to-time $TARGET"
start=$(now)
ops pitr restore --to-time "$TARGET" --data-dir "$SITE/restored" --json >"$WORK/restore.json" 2>"$WORK/restore.err" \
  || { cat "$WORK/restore.err" >&2; exit 1; }
RESTORE_SECONDS=$(seconds_since "$start")
RESTORE_PGBACKREST=$(pgbackrest_seconds restore)
# a marker's time is taken before its commit: one within 50 ms of the target may have committed after it
EXPECTED=$(sql "SELECT count(*) FROM markers WHERE at <= '$TARGET'::timestamptz - interval '50 milliseconds'")
COPY_PORT=$(free_port)
start_cluster "$SITE/restored" "$COPY_PORT" "-c archive_mode=off"
read -r RESTORED_UP_TO RESTORED_AFTER RESTORED_NEWEST < <(PGPORT=$COPY_PORT sql "SET TimeZone = 'UTC';
  SELECT count(*) FILTER (WHERE at <= '$TARGET'::timestamptz - interval '50 milliseconds'),
    count(*) FILTER (WHERE at > '$TARGET'), max(at) FROM markers" | tr '|' ' ')
stop_cluster "$SITE/restored"
rm -rf "$SITE/restored"

# 7. Kill the postmaster near the worst moment, restore the latest, compare.
phase kill
log "waiting until the last archived segment is ${KILL_AFTER} s old"
waited=$SECONDS
until [ "$(sql "SELECT coalesce(extract(epoch FROM clock_timestamp() - last_archived_time)::int, 0)
    FROM pg_stat_archiver")" -ge "$KILL_AFTER" ] || [ $((SECONDS - waited)) -ge 130 ]; do sleep 0.2; done
POSTMASTER=$(head -1 "$EMBEDDED/pgdata/postmaster.pid")
SINCE_ARCHIVED=$(sql "SELECT round(extract(epoch FROM clock_timestamp() - last_archived_time)::numeric, 1)
  FROM pg_stat_archiver")
kill -9 "$POSTMASTER"
KILLED_AT=$(now)
log "killed the postmaster $POSTMASTER (last segment archived ${SINCE_ARCHIVED} s before)"
while kill -0 "$POSTMASTER" 2>/dev/null; do sleep 0.1; done
phase end
for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
BACKGROUND=()
log "ops pitr restore --latest --into-embedded --yes"
start=$(now)
ops pitr restore --latest --into-embedded --yes --json >"$WORK/latest.json" 2>"$WORK/latest.err" \
  || { cat "$WORK/latest.err" >&2; exit 1; }
LATEST_SECONDS=$(seconds_since "$start")
LATEST_PGBACKREST=$(pgbackrest_seconds restore)
PREVIOUS=$(json_field previous <"$WORK/latest.json")
start_cluster "$EMBEDDED/pgdata" "$PGPORT" "-c archive_mode=off"
NEWEST_RESTORED=$(sql "SELECT extract(epoch FROM max(at)) FROM markers")
stop_cluster "$EMBEDDED/pgdata"
# the killed cluster, kept aside by the restore: its crash recovery replays every commit it made
OLD_PORT=$(free_port)
start_cluster "$PREVIOUS" "$OLD_PORT" "-c archive_mode=off"
NEWEST_COMMITTED=$(PGPORT=$OLD_PORT sql "SELECT extract(epoch FROM max(at)) FROM markers")
stop_cluster "$PREVIOUS"
LOST=$(echo "$NEWEST_COMMITTED - $NEWEST_RESTORED" | bc)

# 8. The summary.
stats() { # phase_from phase_to column: max and median of a column of the samples between two phases
  local from to
  from=$(sed -n "s/^$1 //p" "$WORK/phases"); to=$(sed -n "s/^$2 //p" "$WORK/phases")
  awk -v from="$from" -v to="$to" -v col="$3" '$1 >= from && $1 < to && $col != "-" { print $col }' \
    "$WORK/archiver.tsv" | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit }
      printf "%.1f %.1f\n", v[NR], (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
read -r READY_MAX READY_MEDIAN < <(stats steady restore 3)
read -r SINCE_MAX SINCE_MEDIAN < <(stats steady restore 2)
read -r READY_MAX_BACKUP _ < <(stats backups steady 3)
SAMPLES=$(awk -v from="$(sed -n 's/^steady //p' "$WORK/phases")" -v to="$(sed -n 's/^restore //p' "$WORK/phases")" \
  '$1 >= from && $1 < to' "$WORK/archiver.tsv" | wc -l)
FAILED=$(tail -1 "$WORK/archiver.tsv" | awk '{ print $6 }')
TPS=$(sed -n 's/^tps = \([0-9]*\.[0-9]\).*/\1/p' "$WORK/pgbench.log" | head -1)
ok() { [ "$(echo "$1" | bc)" -eq 1 ] && echo "ok" || echo "MISSED"; }

printf '\nDatabase %s (pgbench scale %d + %d lessons), embedded PostgreSQL, repository on S3Proxy over https,\n' \
  "$DB_SIZE" $((30 * SIZE_GB)) $((2600000 * SIZE_GB))
printf 'load %s markers/s (pgbench -R; %s tps measured), archive_timeout 60 s; load average %s at the start, %s at the end\n' \
  "$RATE" "${TPS:-?}" "$LOAD_AVERAGE_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  ops pitr setup --yes (first full backup)    %6.1f s\n' "$SETUP_SECONDS"
printf '  pg_basebackup -c fast to a directory        %6.1f s   (%d MiB)\n' "$BASEBACKUP_SECONDS" \
  $((BASEBACKUP_BYTES / 1048576))
printf '  ops pitr backup --full                      %6.1f s   %.2fx pg_basebackup   (%d MiB stored)\n' \
  "$FULL_SECONDS" "$(echo "$FULL_SECONDS / $BASEBACKUP_SECONDS" | bc -l)" \
  $(($(json_field repositoryBytes <"$WORK/backup.json") / 1048576))
printf '    of which pgBackRest backup               %6.1f s   %.2fx pg_basebackup   (ops before it %.1f s, after it %.1f s)\n' \
  "$FULL_PGBACKREST" "$(echo "$FULL_PGBACKREST / $BASEBACKUP_SECONDS" | bc -l)" "$FULL_BEFORE" \
  "$(echo "$FULL_SECONDS - $FULL_BEFORE - $FULL_PGBACKREST" | bc)"
printf '  archive lag over %d samples: oldest .ready   max %s s, median %s s   (during the two backups: max %s s)\n' \
  "$SAMPLES" "$READY_MAX" "$READY_MEDIAN" "$READY_MAX_BACKUP"
printf '  age of the last archived segment            max %s s, median %s s   (failed pushes: %s)\n' \
  "$SINCE_MAX" "$SINCE_MEDIAN" "${FAILED:-?}"
printf '  ops pitr restore --to-time --data-dir       %6.1f s   %s (target: under 120 s)   (pgBackRest restore %s s)\n' \
  "$RESTORE_SECONDS" "$(ok "$RESTORE_SECONDS < 120")" "$RESTORE_PGBACKREST"
printf '    markers up to the target: %s of %s; after it: %s (newest %s, target %s)   %s\n' "$RESTORED_UP_TO" \
  "$EXPECTED" "$RESTORED_AFTER" "$RESTORED_NEWEST" "$TARGET" \
  "$([ "$RESTORED_UP_TO" = "$EXPECTED" ] && [ "$RESTORED_AFTER" = 0 ] && echo ok || echo WRONG)"
printf '  ops pitr restore --latest --into-embedded   %6.1f s   (pgBackRest restore %s s)\n' "$LATEST_SECONDS" \
  "$LATEST_PGBACKREST"
printf '    lost by kill -9 (%s s after the last push): %.1f s of markers   %s (target: at most 60 s)\n' \
  "$SINCE_ARCHIVED" "$LOST" "$(ok "$LOST <= 60")"
printf '    (newest committed %s, newest restored %s, killed at %s)\n' \
  "$(date -u -d "@$NEWEST_COMMITTED" +%T.%3N)" "$(date -u -d "@$NEWEST_RESTORED" +%T.%3N)" \
  "$(date -u -d "@$KILLED_AT" +%T.%3N)"
printf '  total %d s\n' "$SECONDS"
