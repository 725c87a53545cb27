#!/usr/bin/env bash
# The fault drills of issue 18, as one suite: each drill breaks something on purpose (a database stopped under load,
# an expensive search, a process killed -9, a full disk, a SIGTERM under load, slow clients) against the packaged
# jars, and checks what the site and ops promise. One line per drill with its figures and "ok" or "FAILED: why",
# then "drills: N passed, M failed"; the exit status is 1 when any drill failed.
#
#   bench/drills.sh                          # every drill (about 8 to 10 minutes on 2 busy cores)
#   bench/drills.sh dbstop search            # some of them (or DRILLS="dbstop search" bench/drills.sh)
#   SOAK=360s bench/drills.sh soak           # the soak for 6 minutes instead of 1
#
# Drills: dbstop dbstop-embedded search killed-backup full-disk sigterm same-content-import killed-import
# killed-site soak slow-clients. bench/README.md says what each one does and its thresholds.
#
# It builds the jars if they are missing (app/target/athanor.jar, ops-cli/target/ops.jar), starts its own
# PostgreSQL (the machine's /usr/lib/postgresql/N/bin, as nobody when run as root) on a free port of 127.0.0.1, a
# database per drill, and the site as the systemd unit starts it (its JVM flags), on free ports; loads go to
# 127.0.0.1 only (wrk, curl) and are bounded in time. Everything it starts is stopped by PID, the clusters by
# pg_ctl, the tmpfs unmounted, and the temporary directory removed when it ends (KEEP=1 keeps the directory, with
# every site's logs, for a look after a failure). The full-disk drill mounts a tmpfs and needs root; without root
# it is skipped. Needs: a JDK 17, Maven, postgresql-15 (initdb, pg_ctl, psql, pgbench), wrk, curl.
# shellcheck disable=SC2015,SC2016 # "check && check || fail" is meant (fail always succeeds); awk code is quoted
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

ALL_DRILLS="dbstop dbstop-embedded search killed-backup full-disk sigterm same-content-import killed-import killed-site
soak slow-clients"
DRILLS=${*:-${DRILLS:-$ALL_DRILLS}}
SOAK=${SOAK:-60s}                # the soak's length (wrk -d)
OUTAGE=${OUTAGE:-10}             # seconds the database stays stopped in the dbstop drills
ARTICLES=${ARTICLES:-1000}       # generated articles for search and killed-import, of WORDS words each
WORDS=${WORDS:-1500}
BACKUP_SCALE=${BACKUP_SCALE:-5}  # the backup drills' database: pgbench scale (about 15 MB per unit) and rows of
BACKUP_ROWS=${BACKUP_ROWS:-1000000} # 128 hex characters (about 200 MB in all, a dump of several seconds)
KEEP=${KEEP:-}

for tool in java wrk curl awk timeout; do
  command -v "$tool" >/dev/null || { echo "drills: $tool is missing (apt-get install wrk curl)" >&2; exit 2; }
done
PGBIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pgbench" ] || { echo "drills: needs postgresql-15 (initdb, pgbench)" >&2; exit 2; }
# What the caller's shell may have set would point the site and ops elsewhere: each drill sets its own.
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(ATHANOR_[A-Z0-9_]*\|DATABASE_[A-Z0-9_]*\)=.*/\1/p')

if [ ! -f app/target/athanor.jar ] || [ ! -f ops-cli/target/ops.jar ]; then
  echo "drills: building the jars (mvn -B -q -DskipTests package)" >&2
  mvn -B -q -DskipTests package || exit 2
fi

# The site's JVM flags from its systemd unit, less the OOM note (its quoted command would be cut at its spaces).
# shellcheck disable=SC1003
read -r -a JVM_FLAGS <<<"$(sed -n '/^ExecStart=/,/-jar/p' systemd/athanor@.service | tr -d '\\' | grep -o -- '-X[^ ]*' \
  | grep -v -- '-XX:OnOutOfMemoryError=' | tr '\n' ' ')"

work=$(mktemp -d /tmp/athanor-drills.XXXXXX)
chmod 755 "$work"

# ---------------------------------------------------------------------------------------------------------------
# Helpers: processes, PostgreSQL, the site, ops, wrk output, samplers, verdicts.

PIDS=()             # every process started in the background, stopped by PID
EMBEDDED_DIRS=()    # embedded clusters the site started (ATHANOR_DATA_DIR/postgres)
MOUNTS=()           # tmpfs mounts to undo
PG_PORT=""          # the suite's own PostgreSQL, started on first use

log() { echo "drills: $*" >&2; }
track() { PIDS+=("$1"); }
alive() { kill -0 "$1" 2>/dev/null; }

stop_pid() { # pid [seconds]: SIGTERM, then SIGKILL after the wait
  local pid=$1 wait=${2:-30} i
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null
  for ((i = 0; i < wait * 10; i++)); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }

stop_everything() {
  local pid dir
  for pid in "${PIDS[@]}"; do alive "$pid" && kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do stop_pid "$pid" 30; done
  PIDS=()
  for dir in "${EMBEDDED_DIRS[@]}"; do embedded_pg_stop "$dir" >/dev/null 2>&1; done
  EMBEDDED_DIRS=()
}

cleanup() {
  stop_everything
  local mount
  for mount in "${MOUNTS[@]}"; do umount "$mount" 2>/dev/null; done
  [ -n "$PG_PORT" ] && as_postgres "$PGBIN/pg_ctl" stop -D "$work/pg" -m fast -w >/dev/null 2>&1
  if [ -n "$KEEP" ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  java bench/FreePort.java 2>/dev/null || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The suite's PostgreSQL: a cluster in the temporary directory, trust on loopback, user drills.
pg_options() { echo "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100"; }
pg_up() {
  [ -n "$PG_PORT" ] && return 0
  mkdir -p "$work/pg"
  [ "$(id -u)" -eq 0 ] && chown nobody "$work/pg"
  as_postgres "$PGBIN/initdb" -D "$work/pg" -U drills --auth=trust --no-locale -E UTF8 >/dev/null || return 1
  PG_PORT=$(free_port)
  as_postgres "$PGBIN/pg_ctl" start -D "$work/pg" -w -l "$work/pg/postgres.log" -o "$(pg_options)" >/dev/null
}
pg_stop() { as_postgres "$PGBIN/pg_ctl" stop -D "$work/pg" -m fast -w >/dev/null; }
pg_start() { as_postgres "$PGBIN/pg_ctl" start -D "$work/pg" -w -l "$work/pg/postgres.log" -o "$(pg_options)" >/dev/null; }
sql() { # database sql: one value per line
  "$PGBIN/psql" -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U drills -d "$1" -c "$2"
}
new_db() { pg_up && "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U drills "$1"; }

# The embedded default's cluster (ATHANOR_DATA_DIR/postgres), stopped and started with pg_ctl as the site does it:
# the bundled programs unpacked under binaries/ (or the machine's), as nobody when run as root, the same port.
embedded_bin() {
  local bundled
  bundled=$(find "$1/binaries" -maxdepth 2 -name bin -type d 2>/dev/null | head -1)
  echo "${bundled:-$PGBIN}"
}
embedded_port() { sed -n 4p "$1/pgdata/postmaster.pid" 2>/dev/null; }
embedded_pg_stop() { # dir
  [ -f "$1/pgdata/postmaster.pid" ] || return 0
  as_postgres "$(embedded_bin "$1")/pg_ctl" stop -D "$1/pgdata" -m fast -w >/dev/null
}
embedded_pg_start() { # dir port
  as_postgres "$(embedded_bin "$1")/pg_ctl" start -D "$1/pgdata" -w -l "$1/postgres.log" \
    -o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=50 -c shared_buffers=64MB" \
    >/dev/null
}

# The site and ops for a drill: SITE_ENV holds its environment (data and log directories under $work/NAME, ports,
# the database: a database of the suite's PostgreSQL, or "embedded" for the embedded default).
site_env() { # name database
  SITE_DIR=$work/$1
  mkdir -p "$SITE_DIR"
  chmod 755 "$SITE_DIR"
  SITE_PORT=$(free_port); ADMIN_PORT=$(free_port)
  BASE=http://127.0.0.1:$SITE_PORT
  SITE_ENV=(ATHANOR_DATA_DIR="$SITE_DIR/data" ATHANOR_LOG_DIR="$SITE_DIR/logs" ATHANOR_PORT="$SITE_PORT"
    ATHANOR_ADMIN_PORT="$ADMIN_PORT" ATHANOR_CONSOLE_LOG_LEVEL=WARN ATHANOR_BASE_URL="$BASE")
  if [ "$2" = embedded ]; then
    EMBEDDED_DIRS+=("$SITE_DIR/data/postgres")
  else
    SITE_ENV+=(DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$2" DATABASE_USER=drills DATABASE_PASSWORD=)
  fi
}
launch_site() { # starts the site with SITE_ENV; waits up to 120 s for /health 200; sets SITE_PID
  env "${SITE_ENV[@]}" java "${JVM_FLAGS[@]}" -jar app/target/athanor.jar server config.yml >>"$SITE_DIR/site.out" 2>&1 &
  SITE_PID=$!
  track "$SITE_PID"
  local i
  for ((i = 0; i < 600; i++)); do
    [ "$(status "$BASE/health")" = 200 ] && return 0
    alive "$SITE_PID" || { log "the site exited; see $SITE_DIR/site.out"; tail -5 "$SITE_DIR/site.out" >&2; return 1; }
    sleep 0.2
  done
  log "the site did not answer /health 200 within 120 s"
  return 1
}
start_site() { site_env "$1" "$2" && launch_site; }
ops() { env "${SITE_ENV[@]}" timeout 600 java -jar ops-cli/target/ops.jar "$@" --config config.yml; }
# ops in the background: $! is the JVM itself (env execs it), so that kill -9 reaches it.
ops_bg() { env "${SITE_ENV[@]}" java -jar ops-cli/target/ops.jar "$@" --config config.yml & }
app_log() { { cat "$SITE_DIR"/logs/app.log; zcat "$SITE_DIR"/logs/app-*.log.gz; } 2>/dev/null | wc -c; } # with rotated

status() { curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$@"; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null; }
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; }

# wrk's summary, read from its output file.
wrk_requests() { awk '/requests in/ {print $1; exit}' "$1"; }
wrk_non2xx() { awk '/Non-2xx or 3xx/ {n = $NF} END {print n + 0}' "$1"; }
wrk_errors() { # connect read write timeout
  awk '/Socket errors/ {gsub(",", ""); c = $4; r = $6; w = $8; t = $10} END {print c + 0, r + 0, w + 0, t + 0}' "$1"
}
wrk_rps() { awk '/Requests\/sec/ { printf($2 < 100 ? "%.1f" : "%d", $2) }' "$1"; }
wrk_ms() { # file percentile (50 or 99): from --latency, in ms
  awk -v p="$2%" '$1 == p { v = $2; if (v ~ /us$/) printf "%.1f", v / 1000; else if (v ~ /ms$/) printf "%.1f", v + 0;
    else if (v ~ /m$/) printf "%.1f", v * 60000; else printf "%.1f", v * 1000 }' "$1"
}
# A Lua script for wrk that cycles through paths.
wrk_paths() { # file path...
  { printf 'local paths = {'; printf '"%s", ' "${@:2}"; printf '}\nlocal i = 0\n'
    printf 'request = function()\n  i = i + 1\n  return wrk.format("GET", paths[i %% #paths + 1])\nend\n'; } > "$1"
}

# A sampler: every 0.2 s, one request to each URL (one connection, kept alive), a line "time url status retry-after"
# each, until stopped.
sampler() { # out url... ({n} in a url becomes the sample's number, for pages that must not repeat)
  local out=$1 url args n=0
  shift
  while :; do
    args=(); n=$((n + 1))
    for url in "$@"; do args+=(-o /dev/null "${url//\{n\}/$n}"); done
    curl -s --max-time 3 -w "$EPOCHREALTIME %{url_effective} %{http_code} %header{retry-after}\n" "${args[@]}" >>"$out"
    sleep 0.2
  done
}
# A wrk script whose every request is a search never asked before (so never answered from recent results).
unique_searches() { # file
  cat >"$1" <<'LUA'
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/search?q=outage" .. id .. "x" .. n)
end
LUA
}
start_sampler() { sampler "$@" & SAMPLER_PID=$!; track "$SAMPLER_PID"; }
# Samples of URLs matching a pattern between two times: "count codes..." with each code's count, e.g. "12 200x12".
samples() { # file pattern from to
  awk -v p="$2" -v a="$3" -v b="$4" '$2 ~ p && $1 + 0 >= a + 0 && $1 + 0 <= b + 0 { n++; c[$3 ($4 != "" ? "+RA" : "")]++ }
    END { printf "%d", n; for (k in c) printf " %sx%d", k, c[k]; print "" }' "$1"
}
samples_count() { # file pattern from to awk-condition-on-code-and-ra ($3 code, $4 retry-after)
  awk -v p="$2" -v a="$3" -v b="$4" "\$2 ~ p && \$1 + 0 >= a + 0 && \$1 + 0 <= b + 0 && ($5) { n++ } END { print n + 0 }" "$1"
}
first_sample() { # file pattern from awk-condition: seconds after "from" of the first sample that meets it, or "never"
  awk -v p="$2" -v a="$3" "\$2 ~ p && \$1 + 0 >= a + 0 && ($4) { printf \"%.1f\", \$1 - a; found = 1; exit }
    END { if (!found) print \"never\" }" "$1"
}

# Verdicts: a drill adds its figures with fig and each broken promise with fail; skip marks it skipped.
fig() { FIG+="${FIG:+; }$*"; }
fail() { WHY+=("$*"); }
skip() { SKIPPED="$*"; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# Generated content: ARTICLES articles of WORDS words, every one containing "java" (and a course-free folder).
generate_articles() { # dir
  [ -d "$1/articles" ] && return 0
  mkdir -p "$1/articles"
  awk -v dir="$1/articles" -v n="$ARTICLES" -v words="$WORDS" 'BEGIN {
    srand(18)
    nv = split("the a an program compiles runs method class object variable loop value type string list map test " \
      "error code reads writes returns calls builds small large fast slow first next each every stream record " \
      "interface field array index thread lock memory heap stack garbage collector compiler source file line " \
      "output input number text word branch condition switch case default break continue return package import", v, " ")
    for (i = 1; i <= n; i++) {
      f = sprintf("%s/generated-%04d.md", dir, i)
      printf "---\ntitle: Generated article %d about java\nslug: generated-%04d\n", i, i > f
      printf "summary: Article %d of the drills, %d words.\ntags: [Drills]\npublished: 2026-01-01\n---\n", i, words > f
      for (w = 1; w <= words; w++) {
        word = (w % 300 == 150) ? "java" : v[int(rand() * nv) + 1]
        printf "%s%s", word, (w % 100 == 0 ? ".\n\n" : (w % 12 == 0 ? ". " : " ")) > f
      }
      printf "\n" > f
      close(f)
    }
  }'
}

# ---------------------------------------------------------------------------------------------------------------
# The drills. Each sets FIG and WHY (or SKIPPED) and leaves processes for the runner to stop.

# A cached page, an uncached one and readiness under load while the database stops for OUTAGE seconds and starts
# again. stop_fn and start_fn stop and start the database.
outage() { # stop_fn start_fn
  # uncached: searches never asked before, which only the database can answer
  local cached=$BASE/courses/java-from-scratch/hello-world uncached="$BASE/search?q=outage0"
  local d=$((5 + OUTAGE + 15)) t_stop t_stopped t_start t_started log_before log_after
  curl -s -o /dev/null "$cached"; curl -s -o /dev/null "$cached"
  [ "$(status "$cached")" = 200 ] && [ "$(status "$uncached")" = 200 ] || { fail "harness: pages not 200 before the stop"; return; }
  log_before=$(app_log)
  unique_searches "$SITE_DIR/unique.lua"
  start_sampler "$SITE_DIR/samples" "$cached" "$BASE/search?q=sample{n}" "$BASE/health"
  wrk -t1 -c4 -d"${d}s" --timeout 5s "$cached" >"$SITE_DIR/wrk-cached" 2>&1 & local w1=$!; track $w1
  wrk -t1 -c2 -d"${d}s" --timeout 5s -s "$SITE_DIR/unique.lua" "$BASE" >"$SITE_DIR/wrk-uncached" 2>&1 &
  local w2=$!; track $w2
  sleep 5
  t_stop=$(now); "$1" || fail "harness: could not stop the database"; t_stopped=$(now)
  sleep "$OUTAGE"
  t_start=$(now); "$2" || fail "harness: could not start the database"; t_started=$(now)
  wait "$w1" "$w2"
  stop_pid "$SAMPLER_PID"
  log_after=$(app_log)
  # after the window: a burst on each page, every answer 2xx
  wrk -t1 -c4 -d3s --timeout 5s "$cached" >"$SITE_DIR/wrk-after-cached" 2>&1
  wrk -t1 -c4 -d3s --timeout 5s -s "$SITE_DIR/unique.lua" "$BASE" >"$SITE_DIR/wrk-after-uncached" 2>&1

  local s=$SITE_DIR/samples recovered cached_bad cached_total uncached_failed errs
  recovered=$(awk -v a="$t_started" 'BEGIN { printf "%.6f", a + 5 }')
  cached_total=$(wrk_requests "$SITE_DIR/wrk-cached")
  read -r -a errs <<<"$(wrk_errors "$SITE_DIR/wrk-cached")"
  cached_bad=$(( $(wrk_non2xx "$SITE_DIR/wrk-cached") + errs[0] + errs[1] + errs[2] + errs[3] ))
  uncached_failed=$(wrk_non2xx "$SITE_DIR/wrk-uncached")
  local failed=$((cached_bad + uncached_failed)) grown=$(( (log_after - log_before) / 1024 ))
  local cached_sampled_bad during during_ok health_down health_up after_5xx after_burst
  cached_sampled_bad=$(samples_count "$s" /courses/ 0 9e12 '$3 != 200')
  during=$(samples_count "$s" /search "$t_stopped" "$t_start" 1)
  during_ok=$(samples_count "$s" /search "$t_stopped" "$t_start" '$3 == 503 && $4 != ""')
  health_down=$(first_sample "$s" /health "$t_stop" '$3 == 503')
  health_up=$(first_sample "$s" /health "$t_start" '$3 == 200')
  after_5xx=$(samples_count "$s" . "$recovered" 9e12 '$3 >= 500 || $3 == 0')
  after_burst=$(( $(wrk_non2xx "$SITE_DIR/wrk-after-cached") + $(wrk_non2xx "$SITE_DIR/wrk-after-uncached") ))

  fig "cached $cached_bad of $cached_total failed"
  fig "uncached during the stop: $(samples "$s" /search "$t_stopped" "$t_start" | cut -d' ' -f2-)"
  fig "readiness 503 at +${health_down} s after the stop, 200 at +${health_up} s after the start"
  fig "after +5 s: $after_5xx 5xx sampled, $after_burst non-2xx in a 6 s burst"
  fig "app.log +${grown} KB for $failed failed requests"
  [ "$cached_bad" -eq 0 ] && [ "$cached_sampled_bad" -eq 0 ] \
    || fail "cached pages failed: $cached_bad under wrk ($(wrk_non2xx "$SITE_DIR/wrk-cached") non-2xx, errors ${errs[*]}), $cached_sampled_bad sampled: $(samples "$s" /courses/ 0 9e12 | cut -d' ' -f2-)"
  [ "$during" -gt 0 ] && [ "$during_ok" -eq "$during" ] \
    || fail "uncached page answered $(samples "$s" /search "$t_stopped" "$t_start" | cut -d' ' -f2-) during the stop, not 503 with Retry-After"
  [ "$health_down" != never ] || fail "readiness never 503 during the stop"
  [ "$health_up" != never ] && lt "$health_up" 5 || fail "readiness not 200 within 5 s of the start"
  [ "$after_5xx" -eq 0 ] && [ "$after_burst" -eq 0 ] || fail "errors after recovery: $after_5xx sampled, $after_burst in the burst"
  [ "$failed" -ge 300 ] || fail "harness: only $failed failed requests (300 wanted for the log check)"
  [ "$grown" -lt 100 ] || fail "app.log grew ${grown} KB (limit 100 KB)"
}

drill_dbstop() {
  new_db drills_dbstop && start_site dbstop drills_dbstop || { fail "harness: the site did not start"; return; }
  ops content import content/demo >/dev/null || { fail "harness: import of content/demo failed"; return; }
  outage pg_stop pg_start
}

EMBEDDED_PORT=""
embedded_stop() { EMBEDDED_PORT=$(embedded_port "$SITE_DIR/data/postgres"); embedded_pg_stop "$SITE_DIR/data/postgres"; }
embedded_start() { # unless something (the site?) has started it meanwhile
  local dir=$SITE_DIR/data/postgres
  if as_postgres "$(embedded_bin "$dir")/pg_ctl" status -D "$dir/pgdata" >/dev/null 2>&1; then
    log "the embedded PostgreSQL was running again before the drill started it"; return 0
  fi
  embedded_pg_start "$dir" "$EMBEDDED_PORT"
}
drill_dbstop_embedded() {
  start_site dbstop-embedded embedded || { fail "harness: the site did not start"; return; }
  outage embedded_stop embedded_start
}

drill_search() {
  generate_articles "$work/articles"
  new_db drills_search && site_env search drills_search || { fail "harness: no database"; return; }
  local t0 t_import
  t0=$(now)
  ops content import "$work/articles" >"$SITE_DIR/import.out" 2>&1 || { fail "harness: the import failed: $(tail -1 "$SITE_DIR/import.out")"; return; }
  t_import=$(since "$t0")
  launch_site || { fail "harness: the site did not start"; return; }
  local url="$BASE/search?q=java"
  [ "$(status "$url")" = 200 ] || { fail "search answered $(status "$url") before the load"; }
  start_sampler "$SITE_DIR/samples" "$BASE/health"
  wrk -t1 -c4 -d5s --timeout 10s "$url" >/dev/null 2>&1 # warm-up
  wrk -t1 -c1 -d10s --timeout 10s --latency "$url" >"$SITE_DIR/wrk-c1" 2>&1
  wrk -t2 -c32 -d10s --timeout 10s --latency "$url" >"$SITE_DIR/wrk-c32" 2>&1
  # Then queries that differ every time (java and three more words, which every article holds too), so that none is
  # answered from the site's recent results: what a search costs PostgreSQL and the site in full.
  cat >"$SITE_DIR/distinct.lua" <<'LUA'
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local words = {"program", "method", "class", "object", "variable", "loop", "value", "type", "string", "list", "map",
  "test", "error", "code", "stream", "record", "thread", "memory", "heap", "stack", "compiler", "source", "file", "line"}
local n = 0
function request()
  n = n + 1
  local k = id * 100000 + n
  local query = "java+" .. words[k % 24 + 1] .. "+" .. words[math.floor(k / 24) % 24 + 1]
    .. "+" .. words[math.floor(k / 576) % 24 + 1]
  return wrk.format("GET", "/search?q=" .. query)
end
LUA
  wrk -t1 -c1 -d10s --timeout 10s --latency -s "$SITE_DIR/distinct.lua" "$BASE" >"$SITE_DIR/wrk-distinct-c1" 2>&1
  wrk -t2 -c32 -d10s --timeout 10s --latency -s "$SITE_DIR/distinct.lua" "$BASE" >"$SITE_DIR/wrk-distinct-c32" 2>&1
  stop_pid "$SAMPLER_PID"
  local p50 p99 bad errs health_bad run
  p50=$(wrk_ms "$SITE_DIR/wrk-c1" 50); p99=$(wrk_ms "$SITE_DIR/wrk-c32" 99)
  bad=0
  for run in wrk-c1 wrk-c32 wrk-distinct-c1 wrk-distinct-c32; do
    read -r -a errs <<<"$(wrk_errors "$SITE_DIR/$run")"
    bad=$(( bad + $(wrk_non2xx "$SITE_DIR/$run") + errs[0] + errs[1] + errs[2] + errs[3] ))
  done
  health_bad=$(samples_count "$SITE_DIR/samples" /health 0 9e12 '$3 != 200')
  fig "$ARTICLES articles of $WORDS words imported in ${t_import} s"
  fig "\"java\" (every article), 1 connection: median ${p50} ms ($(wrk_rps "$SITE_DIR/wrk-c1") req/s)"
  fig "32 connections: p99 ${p99} ms ($(wrk_rps "$SITE_DIR/wrk-c32") req/s)"
  fig "a different 4-word query each time (every article), 1 connection: median $(wrk_ms "$SITE_DIR/wrk-distinct-c1" 50) ms"
  fig "32 connections: p99 $(wrk_ms "$SITE_DIR/wrk-distinct-c32" 99) ms ($(wrk_rps "$SITE_DIR/wrk-distinct-c32") req/s)"
  fig "$bad failed; readiness: $(samples "$SITE_DIR/samples" /health 0 9e12 | cut -d' ' -f2-)"
  lt "${p50:-1e9}" 20 || fail "median ${p50} ms at 1 connection (limit 20 ms)"
  lt "${p99:-1e9}" 100 || fail "p99 ${p99} ms at 32 connections (limit 100 ms)"
  [ "$bad" -eq 0 ] || fail "$bad searches failed (non-2xx or socket errors ${errs[*]})"
  [ "$health_bad" -eq 0 ] || fail "readiness not 200 in $health_bad samples"
}

# The backup drills' database: the site's schema, pgbench's tables and BACKUP_ROWS lessons of hex text (which
# compresses about 2:1, as in bench/backup.sh), for a dump of several seconds.
backup_db() {
  [ -f "$work/backup-db" ] && return 0
  new_db drills_backup || return 1
  ops db migrate >/dev/null 2>&1 || return 1
  log "generating pgbench scale $BACKUP_SCALE and $BACKUP_ROWS rows of text for the backup drills"
  "$PGBIN/pgbench" -i -q -s "$BACKUP_SCALE" -h 127.0.0.1 -p "$PG_PORT" -U drills drills_backup >/dev/null 2>&1 || return 1
  sql drills_backup "CREATE TABLE drill_text (id bigint PRIMARY KEY, body text);
    INSERT INTO drill_text SELECT i, md5(random()::text) || md5(random()::text) || md5(random()::text)
      || md5(random()::text) FROM generate_series(1, $BACKUP_ROWS) i" >/dev/null || return 1
  touch "$work/backup-db"
}
children() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '; }

drill_killed_backup() {
  pg_up && site_env killed-backup drills_backup && backup_db || { fail "harness: no database"; return; }
  local dir=$SITE_DIR/backups
  SITE_ENV+=(ATHANOR_BACKUP_STORAGE=directory ATHANOR_BACKUP_DIR="$dir" ATHANOR_PG_CLIENT_BIN="$PGBIN")
  mkdir -p "$dir"
  local t0 pid kids partial id size i
  t0=$(now)
  ops_bg backup run >"$SITE_DIR/backup1.out" 2>&1; pid=$!; track "$pid"
  # killed at 3 s, or later once the archive is being written (a mebibyte in it)
  sleep 3
  for ((i = 0; i < 600; i++)); do
    partial=$(find "$dir" -name '*.partial' | head -1)
    [ -n "$partial" ] && [ "$(stat -c %s "$partial" 2>/dev/null || echo 0)" -gt 1048576 ] || ! alive "$pid" && break
    sleep 0.1
  done
  alive "$pid" || { fail "harness: the backup ended before it could be killed: make BACKUP_ROWS larger"; return; }
  [ -n "$partial" ] || { fail "harness: no .partial file after $(since "$t0") s"; return; }
  # the JVM and its pg_dump: the dump dies of the broken pipe, or is killed after 10 s
  kids=$(children "$pid")
  kill -9 "$pid"; wait "$pid" 2>/dev/null
  local k
  for k in $kids; do for ((i = 0; i < 100; i++)); do alive "$k" || break; sleep 0.1; done; kill -9 "$k" 2>/dev/null; done
  id=$(basename "${partial:-none}"); id=${id%%.*}
  size=$(( $(stat -c %s "$partial" 2>/dev/null || echo 0) / 1048576 ))
  fig "killed at $(since "$t0") s with ${size} MB in $(basename "${partial:-none}")"
  local rc=0
  ops backup run >"$SITE_DIR/backup2.out" 2>&1 || rc=$?
  local left failed_json status_out mention
  left=$(find "$dir" -name '*.partial' | wc -l)
  failed_json=$(find "$dir" -name "$id*.failed.json" | wc -l)
  status_out=$(ops status 2>&1)
  echo "$status_out" >"$SITE_DIR/status.out"
  mention=$(echo "$status_out" | grep -c -i -E "$id|fail|interrupt|unfinished|incomplete|partial")
  fig "next run exit $rc; .partial left: $left; $id.failed.json: $failed_json; ops status lines about it: $mention"
  [ "$rc" -eq 0 ] || fail "the next backup run exited $rc: $(tail -1 "$SITE_DIR/backup2.out")"
  [ "$left" -eq 0 ] || fail "$left .partial file(s) left: $(find "$dir" -name '*.partial' -printf '%f ')"
  [ "$failed_json" -gt 0 ] || fail "no $id.failed.json for the killed attempt"
  [ "$mention" -gt 0 ] || fail "ops status does not mention the killed attempt"
}

drill_full_disk() {
  [ "$(id -u)" -eq 0 ] || { skip "needs root"; return; }
  pg_up && site_env full-disk drills_backup && backup_db || { fail "harness: no database"; return; }
  local dir=$SITE_DIR/full
  mkdir -p "$dir"
  mount -t tmpfs -o size=2m,mode=755 drills-full "$dir" || { fail "harness: could not mount a tmpfs"; return; }
  MOUNTS+=("$dir")
  SITE_ENV+=(ATHANOR_BACKUP_STORAGE=directory ATHANOR_BACKUP_DIR="$dir" ATHANOR_PG_CLIENT_BIN="$PGBIN")
  local rc=0 message complete
  ops backup run >"$SITE_DIR/backup.out" 2>&1 || rc=$?
  message=$(grep -v '^\s*at ' "$SITE_DIR/backup.out" | tail -1)
  complete=$(find "$dir" -type f ! -name '*.partial' ! -name '*.failed.json' | wc -l)
  fig "exit $rc: \"$message\"; files left: $(cd "$dir" && find . -type f -printf '%f ' | head -c 200)"
  umount "$dir" && MOUNTS=("${MOUNTS[@]/$dir/}")
  [ "$rc" -eq 74 ] || fail "exit $rc, not 74"
  echo "$message" | grep -q -i -e 'no space' -e 'full' || fail "the message does not name the full disk"
  [ "$complete" -eq 0 ] || fail "$complete complete-looking file(s) left"
}

# wrk keeps a request outstanding on each connection, so a connection closed without an answer is a dropped request
# (a read error, or a timeout); a request answered "Connection: close" is not. Once the port has closed, wrk's
# reconnects are refused, which it counts as write errors: reported, not failed.
drill_sigterm() {
  new_db drills_sigterm && start_site sigterm drills_sigterm || { fail "harness: the site did not start"; return; }
  ops content import content/demo >/dev/null || { fail "harness: import of content/demo failed"; return; }
  wrk_paths "$SITE_DIR/paths.lua" /courses/java-from-scratch/hello-world "/search?q=java" /articles "/search?q=loop"
  wrk -t2 -c32 -d60s --timeout 10s -s "$SITE_DIR/paths.lua" "$BASE" >"$SITE_DIR/wrk" 2>&1 & local w=$!; track "$w"
  sleep 5
  local t0 i rc took
  t0=$(now)
  kill -TERM "$SITE_PID"
  for ((i = 0; i < 600; i++)); do alive "$SITE_PID" || break; sleep 0.1; done
  took=$(since "$t0")
  alive "$SITE_PID" && fail "the site had not exited after 60 s"
  wait "$SITE_PID"; rc=$?
  sleep 1
  kill -INT "$w"; wait "$w" # wrk prints its summary on SIGINT
  local errs non2xx
  read -r -a errs <<<"$(wrk_errors "$SITE_DIR/wrk")"
  non2xx=$(wrk_non2xx "$SITE_DIR/wrk")
  fig "exit $rc ${took} s after SIGTERM; wrk -c32 keep-alive: $(wrk_requests "$SITE_DIR/wrk") answered, non-2xx $non2xx, dropped in flight ${errs[1]} (read errors) + ${errs[3]} (timeouts); refused after the close ${errs[0]} + ${errs[2]} (connect, write errors)"
  lt "$took" 20 || fail "took ${took} s to exit (grace period 20 s)"
  [ "$non2xx" -eq 0 ] || fail "$non2xx requests answered non-2xx during the drain"
  [ $((errs[1] + errs[3])) -eq 0 ] || fail "$((errs[1] + errs[3])) requests dropped in flight (connection closed or reset without an answer)"
}

drill_same_content_import() {
  new_db drills_same && site_env same-content-import drills_same || { fail "harness: no database"; return; }
  mkdir -p "$SITE_DIR/one" "$SITE_DIR/two"
  cp -r content/demo/. "$SITE_DIR/one/"; cp -r content/demo/. "$SITE_DIR/two/"
  ops content import "$SITE_DIR/one" >/dev/null 2>&1 || { fail "harness: the first import failed"; return; }
  local out changes
  out=$(ops content import "$SITE_DIR/two" --dry-run --json 2>&1)
  changes=$(echo "$out" | grep -o '"action":"[a-z]*","kind":"[a-z]*"' | sed 's/"action":"\([a-z]*\)","kind":"\([a-z]*\)"/\1 \2/' \
    | sort | uniq -c | awk '{ printf "%s%d %s %s", sep, $1, $2, $3; sep = ", " }')
  fig "the same files from another folder, dry run: ${changes:-nothing changed}"
  echo "$out" | grep -q '"changes":\[\]' || fail "the dry run reports changes: $changes"
}

content_fingerprint() { # database: a checksum of every content table
  sql "$1" "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
    SELECT 'c' || c::text x FROM course c UNION ALL SELECT 'l' || l::text FROM lesson l
    UNION ALL SELECT 'a' || a::text FROM article a UNION ALL SELECT 't' || t::text FROM tag t
    UNION ALL SELECT 'at' || at::text FROM article_tag at UNION ALL SELECT 'v' || v::text FROM video v) rows"
}
drill_killed_import() {
  generate_articles "$work/articles"
  new_db drills_import && site_env killed-import drills_import || { fail "harness: no database"; return; }
  ops content import content/demo >/dev/null 2>&1 || { fail "harness: import of content/demo failed"; return; }
  local before after pid i writing="" t0
  before=$(content_fingerprint drills_import)
  t0=$(now)
  ops_bg content import "$work/articles" >"$SITE_DIR/import1.out" 2>&1; pid=$!; track "$pid"
  # mid-transaction: another backend holds a write lock on article
  for ((i = 0; i < 1200; i++)); do
    alive "$pid" || break
    writing=$(sql drills_import "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
      WHERE c.relname = 'article' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()")
    [ "${writing:-0}" -gt 0 ] && break
    sleep 0.1
  done
  [ "${writing:-0}" -gt 0 ] || { fail "harness: never saw the import write (it ended or took over 2 minutes)"; return; }
  sleep 0.3
  kill -9 "$pid"; wait "$pid" 2>/dev/null
  local killed_at; killed_at=$(since "$t0")
  for ((i = 0; i < 100; i++)); do
    [ "$(sql drills_import "SELECT count(*) FROM pg_stat_activity WHERE datname = 'drills_import'
      AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" -eq 0 ] && break
    sleep 0.1
  done
  after=$(content_fingerprint drills_import)
  local rc=0 articles
  ops content import "$work/articles" >"$SITE_DIR/import2.out" 2>&1 || rc=$?
  articles=$(sql drills_import "SELECT count(*) FROM article WHERE slug LIKE 'generated-%'")
  fig "killed -9 at ${killed_at} s while writing; content $([ "$before" = "$after" ] && echo unchanged || echo CHANGED)"
  fig "re-import exit $rc, $articles of $ARTICLES articles"
  [ "$before" = "$after" ] || fail "the content changed after the killed import"
  [ "$rc" -eq 0 ] && [ "$articles" -eq "$ARTICLES" ] || fail "the re-import: exit $rc, $articles articles: $(tail -1 "$SITE_DIR/import2.out")"
}

drill_killed_site() {
  new_db drills_signup && start_site killed-site drills_signup || { fail "harness: the site did not start"; return; }
  local token i pids=() learners=0 t0
  token=$(printf 'd%.0s' {1..43})
  for ((i = 1; i <= 20; i++)); do
    curl -s -o /dev/null --max-time 60 -w '%{http_code}\n' -H "X-Forwarded-For: 198.51.100.$i" \
      -H "Cookie: csrf=$token" --data "csrf=$token&email=drill-$i%40example.com&password=a+long+drill+passphrase+$i" \
      "$BASE/signup" >>"$SITE_DIR/signups" 2>&1 &
    pids+=("$!"); track "$!"
  done
  t0=$(now)
  for ((i = 0; i < 600; i++)); do
    learners=$(sql drills_signup "SELECT count(*) FROM learner WHERE email LIKE 'drill-%'")
    [ "${learners:-0}" -gt 0 ] && break
    sleep 0.05
  done
  kill -9 "$SITE_PID"; wait "$SITE_PID" 2>/dev/null
  local killed_at; killed_at=$(since "$t0")
  wait "${pids[@]}" 2>/dev/null
  local answered incomplete total
  answered=$(grep -c '^200' "$SITE_DIR/signups")
  total=$(sql drills_signup "SELECT count(*) FROM learner WHERE email LIKE 'drill-%'")
  incomplete=$(sql drills_signup "SELECT count(*) FROM learner l WHERE l.email LIKE 'drill-%' AND (
      NOT EXISTS (SELECT 1 FROM one_time_token t WHERE t.learner_id = l.id AND t.purpose = 'verify')
      OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.recipient = l.email AND o.template = 'verify'))")
  launch_site; local up=$?
  local after=000
  [ "$up" -eq 0 ] && after=$(curl -s -o /dev/null --max-time 60 -w '%{http_code}' -H "X-Forwarded-For: 198.51.100.99" \
    -H "Cookie: csrf=$token" --data "csrf=$token&email=drill-after%40example.com&password=a+long+drill+passphrase" \
    "$BASE/signup")
  fig "killed -9 at ${killed_at} s with $learners account(s) written; 20 sign-ups: $answered answered 200"
  fig "$total accounts, $incomplete incomplete; restarted: $([ "$up" -eq 0 ] && echo yes || echo NO), a new sign-up $after"
  [ "${incomplete:-1}" -eq 0 ] || fail "$incomplete account(s) without their confirmation link or mail"
  [ "$up" -eq 0 ] || fail "the site did not restart"
  [ "$after" = 200 ] || fail "a sign-up after the restart answered $after"
}

drill_soak() {
  new_db drills_soak && start_site soak drills_soak || { fail "harness: the site did not start"; return; }
  ops content import content/demo >/dev/null || { fail "harness: import of content/demo failed"; return; }
  local paths=(/ /courses /courses/java-from-scratch /courses/java-from-scratch/hello-world
    /courses/java-from-scratch/loops /articles /articles/reading-compiler-errors /tags/beginners "/search?q=loop"
    /feed.xml /sitemap.xml /signup) p
  for p in "${paths[@]}"; do
    [ "$(status "$BASE$p")" = 200 ] || { fail "harness: $p answered $(status "$BASE$p") before the soak"; return; }
  done
  wrk_paths "$SITE_DIR/paths.lua" "${paths[@]}"
  wrk -t2 -c16 -d5s -s "$SITE_DIR/paths.lua" "$BASE" >/dev/null 2>&1 # warm-up
  local before after errs bad
  before=$(rss_mb "$SITE_PID")
  wrk -t2 -c16 -d"$SOAK" --timeout 5s --latency -s "$SITE_DIR/paths.lua" "$BASE" >"$SITE_DIR/wrk" 2>&1
  after=$(rss_mb "$SITE_PID")
  read -r -a errs <<<"$(wrk_errors "$SITE_DIR/wrk")"
  bad=$(( $(wrk_non2xx "$SITE_DIR/wrk") + errs[0] + errs[1] + errs[2] + errs[3] ))
  fig "$SOAK of ${#paths[@]} pages: $(wrk_requests "$SITE_DIR/wrk") requests, $(wrk_rps "$SITE_DIR/wrk") req/s"
  fig "$bad errors; p50 $(wrk_ms "$SITE_DIR/wrk" 50) ms, p99 $(wrk_ms "$SITE_DIR/wrk" 99) ms; RSS ${before} -> ${after} MB"
  [ "$bad" -eq 0 ] || fail "$bad errors ($(wrk_non2xx "$SITE_DIR/wrk") non-2xx, socket errors ${errs[*]})"
  [ -n "$after" ] && [ "$after" -lt 400 ] || fail "resident memory ${after:-?} MB (limit 400 MB)"
}

# Slow clients: each holds a connection and sends a header line a second, never finishing its request.
slow_clients() { # port count
  trap '' PIPE
  local fds=() fd i reopened=0
  open() { exec {fd}<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /courses HTTP/1.1\r\nHost: localhost\r\n' >&"$fd"; }
  for ((i = 0; i < $2; i++)); do open "$1" && fds+=("$fd"); done
  while :; do
    for i in "${!fds[@]}"; do
      if ! printf 'X-Slow: %d\r\n' "$SECONDS" 1>&"${fds[$i]}" 2>/dev/null; then
        fd=${fds[$i]}
        exec {fd}>&-
        open "$1" && fds[i]=$fd && reopened=$((reopened + 1)) && echo "$reopened" >"$SLOW_REOPENED"
      fi
    done
    sleep 1
  done
}
drill_slow_clients() {
  new_db drills_slow && start_site slow-clients drills_slow || { fail "harness: the site did not start"; return; }
  ops content import content/demo >/dev/null || { fail "harness: import of content/demo failed"; return; }
  local page=$BASE/courses/java-from-scratch/hello-world
  wrk -t2 -c16 -d5s "$page" >/dev/null 2>&1 # warm-up
  wrk -t2 -c16 -d8s --timeout 5s "$page" >"$SITE_DIR/wrk-1" 2>&1
  SLOW_REOPENED=$SITE_DIR/reopened
  slow_clients "$SITE_PORT" 200 2>/dev/null & local slow=$!; track "$slow"
  sleep 3
  local held
  held=$(ss -Htn state established "( dport = :$SITE_PORT )" 2>/dev/null | wc -l)
  wrk -t2 -c16 -d8s --timeout 5s "$page" >"$SITE_DIR/wrk-2" 2>&1
  local held_after
  held_after=$(ss -Htn state established "( dport = :$SITE_PORT )" 2>/dev/null | wc -l)
  stop_pid "$slow" 5
  wrk -t2 -c16 -d8s --timeout 5s "$page" >"$SITE_DIR/wrk-3" 2>&1
  local r1 r2 r3 ratio errs bad
  r1=$(wrk_rps "$SITE_DIR/wrk-1"); r2=$(wrk_rps "$SITE_DIR/wrk-2"); r3=$(wrk_rps "$SITE_DIR/wrk-3")
  ratio=$(awk -v a="$r1" -v b="$r2" -v c="$r3" 'BEGIN { printf "%.2f", 2 * b / (a + c) }')
  read -r -a errs <<<"$(wrk_errors "$SITE_DIR/wrk-2")"
  bad=$(( $(wrk_non2xx "$SITE_DIR/wrk-2") + errs[0] + errs[1] + errs[2] + errs[3] ))
  fig "req/s without $r1, with $held -> $held_after slow connections $r2 ($bad errors, $(cat "$SLOW_REOPENED" 2>/dev/null || echo 0) reopened), without again $r3: ratio $ratio"
  [ "$held" -ge 190 ] || fail "harness: only $held slow connections open"
  lt 0.8 "$ratio" || fail "throughput with slow clients ${ratio}x of without (limit 0.8x)"
  [ "$bad" -eq 0 ] || fail "$bad requests failed beside the slow clients"
}

# ---------------------------------------------------------------------------------------------------------------
# The runner.

passed=0; failed=0; skipped=0
for drill in $DRILLS; do
  fn=drill_${drill//-/_}
  declare -F "$fn" >/dev/null || { echo "drills: no drill named $drill (drills: ${ALL_DRILLS//$'\n'/ })" >&2; exit 2; }
done
log "work directory $work; $(nproc) cores; site JVM flags ${JVM_FLAGS[*]}"
for drill in $DRILLS; do
  FIG=""; WHY=(); SKIPPED=""
  log "$drill ($(date +%H:%M:%S))"
  started=$SECONDS
  "drill_${drill//-/_}"
  stop_everything
  took="($((SECONDS - started)) s)"
  if [ -n "$SKIPPED" ]; then
    printf '%-20s skipped (%s) %s\n' "$drill" "$SKIPPED" "$took"; skipped=$((skipped + 1))
  elif [ ${#WHY[@]} -eq 0 ]; then
    printf '%-20s %s %s: ok\n' "$drill" "$FIG" "$took"; passed=$((passed + 1))
  else
    printf '%-20s %s %s: FAILED: %s\n' "$drill" "$FIG" "$took" "$(IFS=';'; why="${WHY[*]}"; echo "${why//;/; }")"
    failed=$((failed + 1))
  fi
done
echo "drills: $passed passed, $failed failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")"
[ "$failed" -eq 0 ]
