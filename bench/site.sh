#!/usr/bin/env bash
# The site's speed, measured against nginx serving the same bytes, and for a paying learner, in one run on this
# machine.
#
#   bench/site.sh                 # 10-second runs; DURATION=20s THREADS=2 CONNECTIONS=64 ROUNDS=3 to change
#
# It builds the jars if needed and starts the site on a fresh embedded default (its own data directory, with the
# heap flags of systemd/athanor@.service). Then:
#   1. The page cache against nginx at its best. It imports a course whose free lesson page is about 30 KB, saves
#      that page's bytes as the site sends them (plain, gzip, Brotli) for nginx, which serves them with sendfile,
#      open_file_cache, reuseport, gzip_static and, when libnginx-mod-http-brotli-static is installed,
#      brotli_static. Each coding is loaded with wrk, site and nginx alternating, ROUNDS times; the ratio judged is
#      the median of the rounds. Beside it, each server's CPU time (user and system) per request, and a second,
#      identical nginx run right after the first: what parity reads as in this run (the machine's noise, and the cost
#      of running second), with no target.
#   2. A paying learner: signs up, confirms the address from the mail, gets access with `ops members grant`, signs
#      in, and watches part of the course's subscriber lesson (the player's progress report). The lesson page, the
#      course page and /account are loaded with the learner's cookies at 1 connection and at CONNECTIONS, after the
#      page fetched with them was checked to show the learner's <video> and progress (a dead cookie's redirect must
#      not count), and after SIGNED_WARMUP=20s of untimed load on each.
#   3. Renders with the page cache empty (emptied through the admin task before each), timed on kept-alive
#      connections, after WARM_RENDERS=20000 untimed ones: C2 compiles the render path (Jersey, Mustache, the
#      Markdown renderer) only after ten to fifteen thousand of them, as on a server that has been up a while.
#   4. The site's peak resident memory.
# It prints every row, the ratios and the targets with ok/MISSED, and stops what it started. Needs wrk, nginx and
# curl (apt-get install wrk nginx curl; libnginx-mod-http-brotli-static for the br rows).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-3}
RENDERS=${RENDERS:-1000}
WARM_RENDERS=${WARM_RENDERS:-20000}
SIGNED_WARMUP=${SIGNED_WARMUP:-20s}
for tool in wrk nginx curl gzip java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx curl)" >&2; exit 1; }
done
brotli_module=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so

work=$(mktemp -d /tmp/athanor-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  java bench/FreePort.java 2>/dev/null || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

[ -f app/target/athanor.jar ] && [ -f ops-cli/target/ops.jar ] || mvn -B -q -DskipTests package

site_port=$(free_port); admin_port=$(free_port); nginx_port=$(free_port); pages_port=$(free_port)
twin_port=$(free_port)
# The site keeps its pages as files for nginx too (site.pageFiles), in slot a's folder as the unit has it, and counts
# the page views nginx sends from them (nginx.pageFiles, pages/page-views.log).
export ATHANOR_DATA_DIR="$work/data" ATHANOR_LOG_DIR="$work/logs" ATHANOR_PORT=$site_port \
  ATHANOR_ADMIN_PORT=$admin_port ATHANOR_CONSOLE_LOG_LEVEL=WARN ATHANOR_PAGE_FILES="$work/pages/a" \
  ATHANOR_NGINX_PAGE_FILES="$work/pages"
site="http://127.0.0.1:$site_port"

# The heap flags of the systemd unit, so the memory figure is the one a server would see (not the OOM note, whose
# quoted command would be cut at its spaces).
jvm_flags=$(sed -n '/^ExecStart=/,/-jar/p' systemd/athanor@.service | tr -d '\\' | grep -o -- '-X[^ ]*' \
  | grep -v -- '-XX:OnOutOfMemoryError=' | tr '\n' ' ')

echo "== starting the site (embedded default, $jvm_flags)"
# shellcheck disable=SC2086
java $jvm_flags -jar app/target/athanor.jar server config.yml > "$work/site.log" 2>&1 &
site_pid=$!; pids+=("$site_pid")
for _ in $(seq 1 300); do
  curl -sf "$site/health" >/dev/null && break
  kill -0 "$site_pid" 2>/dev/null || { cat "$work/site.log"; exit 1; }
  sleep 0.2
done

echo "== importing a course with a 30 KB free lesson and a subscriber lesson"
mkdir -p "$work/content/courses/bench" "$work/content/media"
cp content/demo/media/hello-java.mp4 "$work/content/media/"
cat > "$work/content/courses/bench/course.md" <<'MD'
---
title: Benchmark Course
slug: bench
summary: A course whose lesson page weighs about 30 KB.
published: 2026-01-01
lessons: [big-lesson, second]
---
A course for the benchmark.
MD
{
  printf -- '---\ntitle: A Long Lesson\nslug: big-lesson\nvideo: ../../media/hello-java.mp4\nfree: true\n---\n'
  for i in $(seq 1 75); do
    printf '## Section %s\n\nThe JVM compiles hot methods to machine code, so the first requests are slower than the rest; ' "$i"
    printf 'a benchmark warms up before it measures. **Section %s** explains one more idea with a `code span`.\n\n' "$i"
    printf '```java\nint total%s = values.stream().mapToInt(Integer::intValue).sum();\n```\n\n' "$i"
  done
} > "$work/content/courses/bench/big.md"
printf -- '---\ntitle: Second\nslug: second\nvideo: ../../media/hello-java.mp4\n---\nShort.\n' \
  > "$work/content/courses/bench/second.md"
java -jar ops-cli/target/ops.jar content import "$work/content" --config config.yml

page="$site/courses/bench/big-lesson"
mkdir -p "$work/www"
curl -sf "$page" > "$work/www/lesson.html"
# The best gzip copy and the Brotli copy are made just after the first client that could use them asks; until then
# the site answers gzip with its fast copy (ETag -gz1) and br with gzip.
for _ in $(seq 1 100); do
  curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$page" | grep -qi '^etag: ".*-gz"' && break
  sleep 0.1
done
curl -sf -H 'Accept-Encoding: gzip' "$page" > "$work/www/lesson.html.gz"
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{content_type} %header{content-encoding}' -H 'Accept-Encoding: br' "$page" \
    | awk '{print $NF}')" = br ] && break
  sleep 0.1
done
curl -sf -H 'Accept-Encoding: br' "$page" > "$work/www/lesson.html.br"
bytes=$(wc -c < "$work/www/lesson.html"); gz_bytes=$(wc -c < "$work/www/lesson.html.gz")
br_bytes=$(wc -c < "$work/www/lesson.html.br")
echo "   lesson page: $bytes bytes, $gz_bytes gzipped, $br_bytes Brotli"

codings=(plain gzip)
brotli_load=""; brotli_on=""
if [ -f "$brotli_module" ]; then
  codings+=(br)
  brotli_load="load_module $brotli_module;"
  brotli_on="brotli_static on;"
else
  echo "   (no $brotli_module: the br rows are left out; apt-get install libnginx-mod-http-brotli-static)"
fi
# The site's own response headers (its security headers, Cache-Control, Vary), which nginx sends too: the same bytes,
# not the same body with half the headers. nginx makes Date, Content-Type (with charset), Content-Length, ETag and
# Last-Modified itself.
curl -sf -D "$work/site-headers" -o /dev/null "$page"
same_headers=$(tr -d '\r' < "$work/site-headers" | awk 'NR > 1 && /: / {
  name = substr($0, 1, index($0, ": ") - 1); value = substr($0, index($0, ": ") + 2)
  if (tolower(name) ~ /^(date|content-type|content-length|etag|last-modified|content-encoding|connection|server)$/) next
  gsub(/"/, "\\\"", value); printf "    add_header %s \"%s\" always;\n", name, value }')
# nginx at its best for a static file: sendfile, open_file_cache, reuseport, the precompressed copies.
cat > "$work/nginx.conf" <<NGINX
$brotli_load
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  types { text/html html; }
  charset utf-8;
  server {
    listen 127.0.0.1:$nginx_port reuseport;
    root $work/www;
$same_headers
    gzip_static on;
    $brotli_on
    location / { try_files \$uri =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!; pids+=("$nginx_pid")
static="http://127.0.0.1:$nginx_port/lesson.html"
# The same nginx twice: the second tells what parity reads as.
sed -e "s/listen 127.0.0.1:$nginx_port /listen 127.0.0.1:$twin_port /" -e "s|^pid .*|pid $work/twin.pid;|" \
  "$work/nginx.conf" > "$work/twin.conf"
grep -q "listen 127.0.0.1:$twin_port " "$work/twin.conf" || { echo "bench: the second nginx has no port of its own" >&2; exit 1; }
nginx -c "$work/twin.conf" -p "$work" &
twin_pid=$!; pids+=("$twin_pid")
twin="http://127.0.0.1:$twin_port/lesson.html"
for url in "$static" "$twin"; do
  for _ in $(seq 1 50); do curl -sf "$url" >/dev/null && break; sleep 0.1; done
done
cmp -s <(curl -s -H 'Accept-Encoding: identity' "$twin") "$work/www/lesson.html" \
  || { echo "bench: the second nginx does not send the lesson" >&2; exit 1; }
if [ -f "$brotli_module" ]; then
  [ "$(curl -s -o /dev/null -w '%header{content-encoding}' -H 'Accept-Encoding: br' "$static")" = br ] \
    || { echo "bench: nginx does not serve the br copy" >&2; exit 1; }
fi

# nginx answering from the site's page files (nginx.pageFiles), with the locations and headers ops renders: local
# mode's configuration (ops nginx config --local), given the baseline's tuning (a worker per core, reuseport, a
# million requests per kept-alive connection) and, like the baseline, no access log; it still logs each page view for
# the site (buffered, in pages/page-views.log), which the baseline does not. Inside a location, the access log is
# dropped rather than set to off: off there would cancel the page-view log beside it.
ATHANOR_INSTALL_DIR="$work/install" ATHANOR_LOCAL_NGINX_PORT=$pages_port \
  java -jar ops-cli/target/ops.jar nginx config --local -o "$work/pages-nginx.conf" --config config.yml >/dev/null
ln -sfn a "$work/pages/live" # ops points it at the live slot; the site's port here is no slot's
mkdir -p "$work/install/nginx/logs" "$work/install/nginx/temp"
sed -i -e 's/^worker_processes 1;/worker_processes auto;/' -e 's/^    sendfile on;/&\n    keepalive_requests 1000000;/' \
  -e "s/listen 127.0.0.1:$pages_port;/listen 127.0.0.1:$pages_port reuseport;/" \
  -e '/^            access_log [^;]*athanor_json;/d' -e 's/^\( *\)access_log [^;]*athanor_json;/\1access_log off;/' \
  "$work/pages-nginx.conf"
grep -q "access_log $work/pages/page-views.log" "$work/pages-nginx.conf" \
  || { echo "bench: the page-file nginx logs no page view" >&2; exit 1; }
nginx -g 'daemon off;' -c "$work/pages-nginx.conf" -p "$work/install/nginx" &
pages_pid=$!; pids+=("$pages_pid")
from_files="http://127.0.0.1:$pages_port/courses/bench/big-lesson"
for _ in $(seq 1 50); do curl -sf "$from_files" >/dev/null && break; sleep 0.1; done
cmp -s <(curl -s -H 'Accept-Encoding: identity' "$from_files") "$work/www/lesson.html" \
  && curl -s -D - -o /dev/null "$from_files" | grep -qiE '^etag: "[0-9a-f]+-[0-9a-f]+"' \
  || { echo "bench: nginx does not send the lesson from its page file" >&2; exit 1; }

header_names() { curl -s -D - -o /dev/null "$1" | tr -d '\r' | awk -F': ' 'NR > 1 && NF > 1 {print tolower($1)}' | sort; }
for url in "$static" "$twin" "$from_files"; do
  missing=$(comm -23 <(header_names "$page") <(header_names "$url") | tr '\n' ' ')
  [ -z "$missing" ] || { echo "bench: $url lacks the site's headers: $missing" >&2; exit 1; }
done

to_ms() { # wrk latency such as 812.00us, 5.20ms or 1.02s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else printf "%.3f", v*1000 }'
}
# One wrk run: prints "req/s p50_ms p99_ms non-2xx". Args: threads connections url [header...]
load() {
  local threads=$1 connections=$2 url=$3; shift 3
  local args=() header
  for header in "$@"; do args+=(-H "$header"); done
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$DURATION" --latency "${args[@]}" "$url")
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")" \
    "$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')") $(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)"
}
accept() { case $1 in plain) echo 'Accept-Encoding: identity';; gzip) echo 'Accept-Encoding: gzip';; br) echo 'Accept-Encoding: br';; esac; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a/b }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = dir == ">=" ? v >= t : v < t; print ok ? "ok" : "MISSED" }'; }

echo "== warming up"
for coding in "${codings[@]}"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -H "$(accept "$coding")" "$page" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "$(accept "$coding")" "$static" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "$(accept "$coding")" "$twin" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "$(accept "$coding")" "$from_files" >/dev/null
done

# CPU time (user and system, in clock ticks) of the given processes, to price one request of a wrk run.
ticks() { local pid total=0; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
per_request_us() { # ticks requests_per_second
  awk -v t="$1" -v r="$2" -v hz="$(getconf CLK_TCK)" -v d="${DURATION%s}" 'BEGIN { printf "%.0f", t / hz * 1e6 / (r * d) }'
}
nginx_processes=("$nginx_pid" $(pgrep -P "$nginx_pid"))
echo "== the page cache against nginx: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, alternating, $ROUNDS rounds"
declare -A site_rps nginx_rps site_p99 nginx_p99 ratios site_cpu nginx_cpu files_rps files_ratios twin_ratios
for coding in "${codings[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    before=$(ticks "$site_pid")
    read -r s_rps _ s_p99 _ <<<"$(load "$THREADS" "$CONNECTIONS" "$page" "$(accept "$coding")")"
    site_cpu[$coding]+="$(per_request_us $(( $(ticks "$site_pid") - before )) "$s_rps") "
    before=$(ticks "${nginx_processes[@]}")
    read -r n_rps _ n_p99 _ <<<"$(load "$THREADS" "$CONNECTIONS" "$static" "$(accept "$coding")")"
    nginx_cpu[$coding]+="$(per_request_us $(( $(ticks "${nginx_processes[@]}") - before )) "$n_rps") "
    site_rps[$coding]+="$s_rps "; nginx_rps[$coding]+="$n_rps "
    site_p99[$coding]+="$s_p99 "; nginx_p99[$coding]+="$n_p99 "
    ratios[$coding]+="$(ratio "$s_rps" "$n_rps") "
    read -r t_rps _ _ _ <<<"$(load "$THREADS" "$CONNECTIONS" "$twin" "$(accept "$coding")")"
    twin_ratios[$coding]+="$(ratio "$t_rps" "$n_rps") "
    # nginx sends gzip's copy to a Brotli client (no brotli_static in the rendered configuration): no br row.
    f_rps=""
    if [ "$coding" != br ]; then
      read -r f_rps _ _ _ <<<"$(load "$THREADS" "$CONNECTIONS" "$from_files" "$(accept "$coding")")"
      files_rps[$coding]+="$f_rps "; files_ratios[$coding]+="$(ratio "$f_rps" "$n_rps") "
    fi
    printf '   %-5s round %s: site %s req/s, nginx %s req/s, ratio %s; the same nginx again %s req/s, ratio %s%s\n' \
      "$coding" "$round" "$s_rps" "$n_rps" "$(ratio "$s_rps" "$n_rps")" "$t_rps" "$(ratio "$t_rps" "$n_rps")" \
      "${f_rps:+; page files through nginx $f_rps req/s, ratio $(ratio "$f_rps" "$n_rps")}"
  done
done

echo "== a paying learner"
email="bench-learner@example.com"; password="a benchmark passphrase that is long enough"
csrf=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | head -c 43)
curl -sf -o /dev/null -b "csrf=$csrf" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  -d "csrf=$csrf" "$site/signup"
link=""
for _ in $(seq 1 100); do
  link=$(grep -rhoE '/verify/[A-Za-z0-9_-]+' "$work/data/mail" 2>/dev/null | head -1) && [ -n "$link" ] && break
  sleep 0.1
done
[ -n "$link" ] || { echo "bench: no confirmation mail in $work/data/mail" >&2; exit 1; }
curl -sf -o /dev/null -b "csrf=$csrf" -d "csrf=$csrf" "$site$link"
java -jar ops-cli/target/ops.jar members grant "$email" --until 2099-12-31 --config config.yml
session=$(curl -s -D - -o /dev/null -b "csrf=$csrf" --data-urlencode "email=$email" \
  --data-urlencode "password=$password" -d "csrf=$csrf" "$site/login" | tr -d '\r' \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(session=[^;]*\).*/\1/p')
[ -n "$session" ] || { echo "bench: the learner could not sign in" >&2; exit 1; }
cookie="Cookie: $session; csrf=$csrf"
lesson="$site/courses/bench/second"
curl -sf -o /dev/null -H "$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"position": 7}' "$lesson/progress"
# The page fetched with the learner's cookies must show what only that learner sees; otherwise say what came instead.
expect_page() { # url what pattern...
  local url=$1 what=$2 page status pattern; shift 2
  page=$(curl -s -w '\n%{http_code}' -H "$cookie" "$url"); status=${page##*$'\n'}; page=${page%$'\n'*}
  for pattern in "$@"; do
    grep -q -- "$pattern" <<<"$page" && continue # not a pipe: with pipefail, grep -q's early exit fails its writer
    echo "bench: $what lacks $pattern: HTTP $status, $(grep -o '<title>[^<]*' <<<"$page" | head -1)" >&2
    exit 1
  done
}
expect_page "$lesson" "the subscriber's lesson page" '<video' 'data-resume-at="7"'
expect_page "$site/courses/bench" "the course page" '% watched'
expect_page "$site/account" "/account" "$email"
# Warm-up: under load on two cores the JIT takes about a minute to compile the signed-in path (the lesson went from
# about 5,000 to 11,000 req/s over six 10-second runs), so each page is loaded for SIGNED_WARMUP first, as on a server
# that has been up a while.
for url in "$lesson" "$site/courses/bench" "$site/account"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$SIGNED_WARMUP" -H "$cookie" "$url" >/dev/null
done
declare -A signed
for row in "lesson $lesson" "course $site/courses/bench" "account $site/account"; do
  read -r name url <<<"$row"
  signed[$name-1]=$(load 1 1 "$url" "$cookie")
  signed[$name-$CONNECTIONS]=$(load "$THREADS" "$CONNECTIONS" "$url" "$cookie")
done

# Renders on kept-alive connections (as nginx's upstream keepalive holds them), each after the page cache was
# emptied through the admin task: one curl per batch of at most 1,000, alternating the two, printing each page
# fetch's status and time.
render_fresh() {
  local left=$1 batch args _
  while [ "$left" -gt 0 ]; do
    batch=$(( left < 1000 ? left : 1000 )); left=$(( left - batch )); args=()
    for _ in $(seq 1 "$batch"); do
      args+=(-X POST -o /dev/null "http://127.0.0.1:$admin_port/tasks/clear-page-cache" --next
        -o /dev/null -w '%{http_code} %{time_total}\n' "$page" --next)
    done
    curl -s "${args[@]::${#args[@]}-1}"
  done
}
misses() { curl -s "http://127.0.0.1:$admin_port/metrics" | grep -o '"dev.athanor.platform.web.page-cache.misses":{"count":[0-9]*' | grep -o '[0-9]*$'; }
echo "== $WARM_RENDERS untimed renders with the page cache empty, so the JIT compiles the render path"
warm_start=$(date +%s)
for ((done_renders = 0; done_renders < WARM_RENDERS; done_renders += 1000)); do
  render_fresh $(( WARM_RENDERS - done_renders < 1000 ? WARM_RENDERS - done_renders : 1000 )) >/dev/null
  [ -t 1 ] && printf '\r   %s of %s' "$(( done_renders + 1000 < WARM_RENDERS ? done_renders + 1000 : WARM_RENDERS ))" "$WARM_RENDERS"
done
[ -t 1 ] && echo
echo "   (took $(( $(date +%s) - warm_start )) s)"
echo "== timing $RENDERS renders with the page cache empty (cleared through the admin task before each)"
misses_before=$(misses)
mapfile -t timed < <(render_fresh "$RENDERS")
rendered=$(( $(misses) - misses_before ))
[ "$rendered" -ge "$RENDERS" ] || { echo "bench: only $rendered of $RENDERS timed fetches were renders" >&2; exit 1; }
failed=$(printf '%s\n' "${timed[@]}" | awk '$1 != 200' | wc -l)
[ "${#timed[@]}" -eq "$RENDERS" ] && [ "$failed" -eq 0 ] \
  || { echo "bench: $failed of ${#timed[@]} timed renders did not answer 200 (of $RENDERS asked)" >&2; exit 1; }
renders=()
for line in "${timed[@]}"; do renders+=("${line#* }"); done
render_median=$(printf '%s\n' "${renders[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]*1000}')
render_p90=$(printf '%s\n' "${renders[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int(NR*0.9)]*1000}')
rss_peak=$(awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$site_pid/status")
rss_now=$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$site_pid/status")

echo
echo "Lesson page: $bytes bytes ($gz_bytes gzipped, $br_bytes Brotli); wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1; $(nproc) cores"
printf '%-10s %20s %20s %16s %24s\n' "page cache" "site req/s (median)" "nginx req/s (median)" "ratio (median)" \
  "CPU us/request site|nginx"
for coding in "${codings[@]}"; do
  # shellcheck disable=SC2086
  printf '%-10s %20s %20s %16s %24s\n' "$coding" "$(median ${site_rps[$coding]})" "$(median ${nginx_rps[$coding]})" \
    "$(median ${ratios[$coding]})" "$(median ${site_cpu[$coding]}) | $(median ${nginx_cpu[$coding]})"
done
for coding in plain gzip; do
  # shellcheck disable=SC2086
  printf '%-10s %20s %20s %16s\n' "files $coding" "$(median ${files_rps[$coding]})" "$(median ${nginx_rps[$coding]})" \
    "$(median ${files_ratios[$coding]})"
done
echo
printf '%-24s %12s %10s %10s %8s\n' "signed in (a subscriber)" "req/s" "p50 ms" "p99 ms" "non-2xx"
for name in lesson course account; do
  for c in 1 "$CONNECTIONS"; do
    read -r rps p50 p99 bad <<<"${signed[$name-$c]}"
    printf '%-24s %12s %10s %10s %8s\n' "$name, $c conn." "$rps" "$p50" "$p99" "$bad"
  done
done
echo
for coding in "${codings[@]}"; do
  # shellcheck disable=SC2086
  m=$(median ${ratios[$coding]})
  printf 'page cache/nginx %-5s: %s   (target >= 1.0: %s)\n' "$coding" "$m" "$(verdict "$m" 1.0 '>=')"
done
for coding in plain gzip; do
  # shellcheck disable=SC2086
  m=$(median ${files_ratios[$coding]})
  printf 'page files through nginx/nginx %-5s: %s   (target >= 1.0: %s)\n' "$coding" "$m" "$(verdict "$m" 1.0 '>=')"
done
for coding in "${codings[@]}"; do
  # shellcheck disable=SC2086
  printf 'the same nginx again/nginx %-5s: %s   (no target: parity as this run reads it)\n' "$coding" \
    "$(median ${twin_ratios[$coding]})"
done
read -r l1_rps l1_p50 _ l1_bad <<<"${signed[lesson-1]}"
read -r l64_rps _ l64_p99 l64_bad <<<"${signed[lesson-$CONNECTIONS]}"
read -r c64_rps _ _ c64_bad <<<"${signed[course-$CONNECTIONS]}"
read -r a64_rps _ _ a64_bad <<<"${signed[account-$CONNECTIONS]}"
bad_total=0
for key in "${!signed[@]}"; do read -r _ _ _ bad <<<"${signed[$key]}"; bad_total=$((bad_total + bad)); done
printf 'signed-in lesson, %s conn.: %s req/s (target >= 5000: %s), p99 %s ms (target < 25: %s)\n' "$CONNECTIONS" \
  "$l64_rps" "$(verdict "$l64_rps" 5000 '>=')" "$l64_p99" "$(verdict "$l64_p99" 25 '<')"
printf 'signed-in lesson, 1 conn.: median %s ms (target < 0.5: %s)\n' "$l1_p50" "$(verdict "$l1_p50" 0.5 '<')"
printf 'signed-in course page, %s conn.: %s req/s (target >= 3000: %s)\n' "$CONNECTIONS" "$c64_rps" \
  "$(verdict "$c64_rps" 3000 '>=')"
printf 'signed-in /account, %s conn.: %s req/s (target >= 3000: %s)\n' "$CONNECTIONS" "$a64_rps" \
  "$(verdict "$a64_rps" 3000 '>=')"
printf 'signed-in non-2xx answers: %s (target 0: %s)\n' "$bad_total" "$([ "$bad_total" -eq 0 ] && echo ok || echo MISSED)"
printf 'render with the page cache empty: median %s ms, p90 %s ms over %s renders (kept-alive) after %s warm-up renders   (target median < 2 ms: %s)\n' \
  "$render_median" "$render_p90" "$RENDERS" "$WARM_RENDERS" "$(verdict "$render_median" 2 '<')"
printf 'site resident memory: peak %s MB, now %s MB   (target < 400 MB: %s)\n' "$rss_peak" "$rss_now" \
  "$(verdict "$rss_peak" 400 '<')"
