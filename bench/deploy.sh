#!/usr/bin/env bash
# Releases under load: `ops deploy` and `ops rollback` in local mode (both instances detached processes with pid
# files, behind the nginx that ops starts), with keep-alive load through that nginx the whole time. Two releases: the
# packaged archive and the same archive with another version string. After a first deploy and the demo content, it
# runs DEPLOYS deploys and ROLLBACKS rollbacks (deploy, deploy, rollback, ...; each deploy installs the archive that is
# not live), samples the resident memory of both instances every 100 ms, and prints requests, retried requests,
# errors (non-2xx and connection errors), the longest gap without a response, the peak resident memory of both
# instances together, each step's duration, and last the line "errors: N". Targets: no error, no gap of a second or
# more, under 800 MB for both instances. The exit status is 1 when a target is missed or a step failed.
#
#   bench/deploy.sh                                # 10 deploys, 5 rollbacks, 16 connections pausing 10 ms
#   CONNECTIONS=32 PAUSE=0ms bench/deploy.sh       # harder: every connection sends its next request at once
#
# The load is bench/KeepAliveLoad.java: HTTP/1.1 keep-alive GETs of PAGE as a browser sends them (a request on a
# reused connection that the server closed before answering is sent again once, and counted as retried, not as an
# error; wrk would count it as a read error). It builds the jars and the archive if the archive is missing
# (mvn -B -q -DskipTests package), and runs its own PostgreSQL (the machine's /usr/lib/postgresql/N/bin, as nobody
# when run as root) on a free port of 127.0.0.1, with every port free and on loopback. Each ops command is bounded by
# STEP_TIMEOUT seconds. Everything it started is stopped by PID when it ends: the load, the memory sampler, every
# instance it saw in the pid files, the local nginx (its pid file), PostgreSQL (pg_ctl); KEEP=1 keeps the work
# directory (install directory, logs, each step's output). Needs a JDK 17, Maven, nginx, postgresql-15, curl, tar.
# shellcheck disable=SC2016 # awk code is quoted
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

DEPLOYS=${DEPLOYS:-10}
ROLLBACKS=${ROLLBACKS:-5}
CONNECTIONS=${CONNECTIONS:-16}
PAUSE=${PAUSE:-10ms}             # each connection's wait after a response
PAGE=${PAGE:-/courses/java-from-scratch/hello-world}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
ARCHIVE=${ARCHIVE:-}             # the first release (default: ops-cli/target/athanor-*.tar.gz, built when missing)
OPS=${OPS:-}                     # the ops command (default: java -jar the live release's ops.jar)
KEEP=${KEEP:-}

log() { echo "deploy.sh: $*" >&2; }
for tool in java javac nginx curl tar gzip awk timeout; do
  command -v "$tool" >/dev/null || { log "$tool is missing (apt-get install nginx curl)"; exit 2; }
done
PGBIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { log "needs postgresql-15 (initdb, pg_ctl)"; exit 2; }
# What the caller's shell may have set would point the site and ops elsewhere.
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(ATHANOR_[A-Z0-9_]*\|DATABASE_[A-Z0-9_]*\|OPS_JAR\)=.*/\1/p')

archive() { find ops-cli/target -maxdepth 1 -name 'athanor-*.tar.gz' 2>/dev/null | sort | tail -1; }
if [ -z "$ARCHIVE" ] && [ -z "$(archive)" ]; then
  log "building the release archive (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package || exit 2
fi
FIRST=$(realpath "${ARCHIVE:-$(archive)}")
[ -f "$FIRST" ] || { log "no release archive: mvn package made no ops-cli/target/athanor-*.tar.gz"; exit 2; }

work=$(mktemp -d /tmp/athanor-deploy.XXXXXX)
chmod 755 "$work"
INSTALL=$work/install
PIDS=()          # the load and the sampler
PG_UP=""

alive() { kill -0 "$1" 2>/dev/null; }
stop_pid() { # pid [seconds]: SIGTERM, then SIGKILL after the wait
  local pid=$1 wait=${2:-30} i
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null
  for ((i = 0; i < wait * 10; i++)); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
site_pid() { # pid: whether it is still one of our instances (not a pid reused since)
  tr "\0" " " 2>/dev/null <"/proc/$1/cmdline" | grep -q -- "athanor.jar"
}
cleanup() {
  local pid
  [ -n "${work:-}" ] && touch "$work/stop-load"
  for pid in "${PIDS[@]}"; do stop_pid "$pid" 10; done
  # Every instance the sampler saw in a pid file, and what the pid files name now.
  while read -r pid; do
    site_pid "$pid" && stop_pid "$pid" 40
  done < <(cat "$work/memory.pids" "$INSTALL"/instances/*.pid 2>/dev/null | sort -u)
  if [ -s "$INSTALL/nginx/nginx.pid" ]; then
    pid=$(cat "$INSTALL/nginx/nginx.pid")
    tr "\0" " " 2>/dev/null <"/proc/$pid/cmdline" | grep -q nginx && stop_pid "$pid" 10
  fi
  [ -n "$PG_UP" ] && as_postgres "$PGBIN/pg_ctl" stop -D "$work/pg" -m fast -w >/dev/null 2>&1
  if [ -n "$KEEP" ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  java bench/FreePort.java 2>/dev/null || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; }
status() { curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# The memory sampler: every 100 ms, the sum of VmRSS of the processes the pid files name (a missing file or process
# counts 0). It keeps the peaks in OUT ("sum_kb seconds_since_start kb_of_each_file...", the sum's peak with what
# each file's process had then, then on the next line each file's own peak), and every pid it saw in OUT.pids.
sample_memory() { # out pidfile...
  local out=$1 start=$EPOCHREALTIME peak=0 sum kb pid key value rest i elapsed
  shift
  local -a now_kb peaks seen
  for ((i = 0; i < $#; i++)); do peaks[i]=0; done
  while :; do
    sum=0 i=0
    for file in "$@"; do
      kb=0 pid=""
      { read -r pid <"$file"; } 2>/dev/null
      if [[ $pid =~ ^[0-9]+$ ]]; then
        while read -r key value rest; do
          [ "$key" = VmRSS: ] && { kb=$value; break; }
        done 2>/dev/null <"/proc/$pid/status"
        [ -z "${seen[pid]:-}" ] && { seen[pid]=1; echo "$pid" >>"$out.pids"; }
      fi
      now_kb[i]=$kb
      ((kb > peaks[i])) && peaks[i]=$kb
      sum=$((sum + kb)) i=$((i + 1))
    done
    if ((sum > peak)); then
      peak=$sum
      elapsed=$(( (${EPOCHREALTIME//[.,]/} - ${start//[.,]/}) / 100000 )) # tenths of a second
      echo "$sum $((elapsed / 10)).$((elapsed % 10)) ${now_kb[*]}" >"$out.peak"
    fi
    echo "${peaks[*]}" >"$out.each"
    sleep 0.1
  done
}

# ---------------------------------------------------------------------------------------------------------------
# The second release: the same archive with another version string in release.properties (and its top directory).
# The first one's ops.jar, unpacked, runs the first deploy, as on a server before anything is installed.
mkdir -p "$work/first"
tar -xzf "$FIRST" -C "$work/first" || { log "cannot unpack $FIRST"; exit 2; }
top=$(find "$work/first" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | head -1)
version=$(sed -n 's/^version=//p' "$work/first/$top/release.properties" 2>/dev/null)
[ -n "$version" ] || { log "$FIRST has no $top/release.properties with version="; exit 2; }
second_version=$version-bench2
mkdir -p "$work/repack"
cp -a "$work/first/$top" "$work/repack/athanor-$second_version"
sed -i "s/^version=.*/version=$second_version/" "$work/repack/athanor-$second_version/release.properties"
SECOND=$work/athanor-$second_version.tar.gz
tar -czf "$SECOND" -C "$work/repack" "athanor-$second_version" || exit 2
rm -rf "$work/repack"
FIRST_NAME=$(basename "$FIRST"); SECOND_NAME=$(basename "$SECOND")

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL, the ports, the config and the environment ops and the instances read.
mkdir -p "$work/pg"
[ "$(id -u)" -eq 0 ] && chown nobody "$work/pg"
as_postgres "$PGBIN/initdb" -D "$work/pg" -U bench --auth=trust --no-locale -E UTF8 >/dev/null || exit 1
PG_PORT=$(free_port)
as_postgres "$PGBIN/pg_ctl" start -D "$work/pg" -w -l "$work/pg/postgres.log" \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100" >/dev/null \
  || { log "PostgreSQL did not start"; cat "$work/pg/postgres.log" >&2; exit 1; }
PG_UP=1
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U bench athanor || exit 1

NGINX_PORT=$(free_port)
A_PORT=$(free_port); A_ADMIN=$(free_port); B_PORT=$(free_port); B_ADMIN=$(free_port)
CONFIG=$work/config.yml
sed -e "s/^\(  slotA: \).*/\1{port: $A_PORT, adminPort: $A_ADMIN}/" \
  -e "s/^\(  slotB: \).*/\1{port: $B_PORT, adminPort: $B_ADMIN}/" config.yml >"$CONFIG"
if ! grep -q "slotA: {port: $A_PORT," "$CONFIG" || ! grep -q "slotB: {port: $B_PORT," "$CONFIG"; then
  log "config.yml has no deploy.slotA/slotB lines to set"; exit 2
fi
export ATHANOR_INSTALL_DIR=$INSTALL ATHANOR_DEPLOY_MODE=local ATHANOR_LOCAL_NGINX_PORT=$NGINX_PORT \
  DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/athanor" DATABASE_USER=bench DATABASE_PASSWORD="" \
  ATHANOR_DATA_DIR=$work/data ATHANOR_LOG_DIR=$work/logs ATHANOR_BACKUP_DIR=$work/backups \
  ATHANOR_PG_CLIENT_BIN=$PGBIN ATHANOR_BASE_URL=http://127.0.0.1:$NGINX_PORT ATHANOR_CONSOLE_LOG_LEVEL=WARN \
  ATHANOR_NGINX_LOG_DIR=$INSTALL/nginx/logs
mkdir -p "$work/data" "$work/logs" "$work/steps"
chmod 755 "$work/data" "$work/logs"
SITE=http://127.0.0.1:$NGINX_PORT

# ops as a server runs it: the live release's ops.jar (the archive's for the first deploy).
ops() {
  if [ -n "$OPS" ]; then
    # shellcheck disable=SC2086 # OPS is a command line
    timeout "$STEP_TIMEOUT" $OPS --config "$CONFIG" "$@"
    return
  fi
  local jar=$work/first/$top/ops.jar
  [ -f "$INSTALL/current/ops.jar" ] && jar=$INSTALL/current/ops.jar
  timeout "$STEP_TIMEOUT" java -jar "$jar" --config "$CONFIG" "$@"
}
live() { basename "$(readlink "$INSTALL/current" 2>/dev/null)" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------------------------
# The first deploy and the demo content, before any load.
log "first deploy of $FIRST_NAME (nginx on 127.0.0.1:$NGINX_PORT, slots $A_PORT/$A_ADMIN and $B_PORT/$B_ADMIN)"
sample_memory "$work/memory" "$INSTALL/instances/a.pid" "$INSTALL/instances/b.pid" &
PIDS+=("$!")
started=$(now)
if ! ops deploy "$FIRST" >"$work/steps/00-deploy.out" 2>&1; then
  log "the first deploy failed after $(since "$started") s:"; tail -20 "$work/steps/00-deploy.out" >&2; exit 1
fi
log "$(tail -1 "$work/steps/00-deploy.out") ($(since "$started") s)"
ops content import content/demo >"$work/steps/00-import.out" 2>&1 \
  || { log "ops content import content/demo failed:"; tail -20 "$work/steps/00-import.out" >&2; exit 1; }
code=$(status "$SITE$PAGE")
[ "$code" = 200 ] || { log "$SITE$PAGE answers $code after the first deploy and the demo import"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# The load, and the steps under it.
mkdir -p "$work/classes"
javac -d "$work/classes" bench/KeepAliveLoad.java || exit 2
java -cp "$work/classes" KeepAliveLoad "$SITE$PAGE" --connections "$CONNECTIONS" --pause "$PAUSE" \
  --until-file "$work/stop-load" >"$work/load.txt" 2>&1 &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
sleep 3 # the load runs a while before the first step, and after the last

plan=()
deploys=0 rollbacks=0
while ((deploys < DEPLOYS || rollbacks < ROLLBACKS)); do
  if ((deploys < DEPLOYS && (rollbacks >= ROLLBACKS || (${#plan[@]} + 1) % 3 != 0))); then
    plan+=(deploy); deploys=$((deploys + 1))
  else
    plan+=(rollback); rollbacks=$((rollbacks + 1))
  fi
done

STEPS=()      # "n command took live", one per step
TOOK=()       # "command seconds", one per step
failed=""
n=0
for step in "${plan[@]}"; do
  n=$((n + 1))
  before=$(live)
  out=$work/steps/$(printf '%02d' "$n")-$step.out
  if [ "$step" = deploy ]; then
    # The archive that is not live.
    if [[ $before == "$second_version"* ]]; then file=$FIRST; else file=$SECOND; fi
    what="deploy $(basename "$file")"
    started=$(now)
    ops deploy "$file" >"$out" 2>&1
  else
    what="rollback"
    started=$(now)
    ops rollback >"$out" 2>&1
  fi
  rc=$? took=$(since "$started")
  STEPS+=("$(printf '%-3s %-46s %6s s  %s' "$n" "$what" "$took" "$(live)")")
  TOOK+=("$step $took")
  log "${STEPS[-1]}"
  if [ "$rc" -ne 0 ] || [ "$(live)" = "$before" ]; then
    failed="step $n ($what) $([ "$rc" -ne 0 ] && echo "exited $rc" || echo "left $before live"); see $out"
    tail -10 "$out" >&2
    break
  fi
done

sleep 3
touch "$work/stop-load"
wait "$LOAD_PID"
stop_pid "${PIDS[0]}" 5 # the sampler

# ---------------------------------------------------------------------------------------------------------------
# The results.
field() { awk -v k="$1" '$1 == k { print $2; exit }' "$work/load.txt"; }
requests=$(field requests); retried=$(field retried); errors=$(field errors)
read -r non2xx connect timeouts other < <(sed -n 's/^errors [0-9]* (non-2xx \([0-9]*\), connect \([0-9]*\), timeout \([0-9]*\), other \([0-9]*\))/\1 \2 \3 \4/p' "$work/load.txt")
gap_ms=$(sed -n 's/^longest gap \([0-9]*\) ms.*/\1/p' "$work/load.txt")
read -r peak_kb peak_at peak_a peak_b <"$work/memory.peak" 2>/dev/null || peak_kb=0
read -r each_a each_b <"$work/memory.each" 2>/dev/null || true
mb() { echo $(( ${1:-0} / 1024 )); }
ok() { if [ "$1" = yes ]; then echo ok; else echo MISSED; fi; }
yes_if() { awk "BEGIN { exit !($1) }" && echo yes || echo no; }

echo
echo "Releases under load: $FIRST_NAME and $SECOND_NAME, local mode behind nginx on 127.0.0.1, $(nproc) cores"
echo "load: $CONNECTIONS keep-alive connections, ${PAUSE} pause after each response, GET $PAGE"
echo
echo "step command                                           took  live afterwards"
printf '%s\n' "${STEPS[@]}"
[ -n "$failed" ] && echo "FAILED: $failed"
awk '{ t = $2; if ($1 == "deploy") { d++; ds += t; if (t > dm) dm = t } else { r++; rs += t; if (t > rm) rm = t } }
  END { if (d) printf "deploys: %d, %.1f s on average, %.1f s at most\n", d, ds / d, dm
        if (r) printf "rollbacks: %d, %.1f s on average, %.1f s at most\n", r, rs / r, rm }' < <(printf '%s\n' "${TOOK[@]}")
echo
sed 's/^/  /' "$work/load.txt"
echo
gap_ok=$(yes_if "${gap_ms:-99999} < 1000")
mem_ok=$(yes_if "${peak_kb:-0} < 800 * 1024")
echo "requests: ${requests:-0}"
echo "retried: ${retried:-0} (reused connections closed before an answer, sent again as browsers do)"
echo "non-2xx: ${non2xx:-0}, connection errors: $(( ${connect:-0} + ${timeouts:-0} + ${other:-0} )) (connect ${connect:-0}, timeout ${timeouts:-0}, other ${other:-0})"
echo "longest gap without a response: ${gap_ms:-?} ms   (target < 1000 ms: $(ok "$gap_ok"))"
echo "peak resident memory of both instances: $(mb "$peak_kb") MB at ${peak_at:-?} s (a $(mb "$peak_a") MB, b $(mb "$peak_b") MB); each one's peak: a $(mb "$each_a") MB, b $(mb "$each_b") MB   (target < 800 MB: $(ok "$mem_ok"))"
echo "errors: ${errors:-unknown}"
[ -z "$failed" ] && [ "${errors:-1}" = 0 ] && [ "$gap_ok" = yes ] && [ "$mem_ok" = yes ]
