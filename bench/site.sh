#!/usr/bin/env bash
# The site's speed, measured against nginx serving the same bytes, in one run on this machine.
#
#   bench/site.sh                 # 20-second runs; DURATION=30s THREADS=2 CONNECTIONS=64 to change
#
# It builds the jars if needed, starts the site on a fresh embedded default (its own data directory, with
# the heap flags of systemd/athanor@.service), imports a course whose lesson page is about 30 KB, saves that
# page's bytes (and a gzipped copy) for nginx, and loads both with wrk on 127.0.0.1: same threads,
# connections and duration, with and without Accept-Encoding: gzip. Then it times page renders with the
# page cache empty (emptied through the admin task before each, after WARM_RENDERS=1000 untimed ones, so the
# JIT has compiled the render path as on a server that has been up a minute; JMH's default warm-up makes far
# more calls), reads the site's peak resident memory, prints everything with the ratio site/nginx and the
# targets, and stops what it started. Needs wrk, nginx and curl (apt-get install wrk nginx curl).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
RENDERS=${RENDERS:-200}
WARM_RENDERS=${WARM_RENDERS:-1000}
for tool in wrk nginx curl gzip java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx curl)" >&2; exit 1; }
done

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

site_port=$(free_port); admin_port=$(free_port); nginx_port=$(free_port)
export ATHANOR_DATA_DIR="$work/data" ATHANOR_LOG_DIR="$work/logs" ATHANOR_PORT=$site_port \
  ATHANOR_ADMIN_PORT=$admin_port ATHANOR_CONSOLE_LOG_LEVEL=WARN

# The heap flags of the systemd unit, so the memory figure is the one a server would see (not the OOM note, whose
# quoted command would be cut at its spaces).
jvm_flags=$(sed -n '/^ExecStart=/,/-jar/p' systemd/athanor@.service | tr -d '\\' | grep -o -- '-X[^ ]*' \
  | grep -v -- '-XX:OnOutOfMemoryError=' | tr '\n' ' ')

echo "== starting the site (embedded default, $jvm_flags)"
# shellcheck disable=SC2086
java $jvm_flags -jar app/target/athanor.jar server config.yml > "$work/site.log" 2>&1 &
site_pid=$!; pids+=("$site_pid")
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$site_port/health" >/dev/null && break
  kill -0 "$site_pid" 2>/dev/null || { cat "$work/site.log"; exit 1; }
  sleep 0.2
done

echo "== importing a course with a 30 KB lesson"
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

page="http://127.0.0.1:$site_port/courses/bench/big-lesson"
mkdir -p "$work/www"
curl -sf "$page" > "$work/www/lesson.html"
gzip -9 -k "$work/www/lesson.html"
bytes=$(wc -c < "$work/www/lesson.html"); gz_bytes=$(wc -c < "$work/www/lesson.html.gz")
echo "   lesson page: $bytes bytes, $gz_bytes gzipped"

cat > "$work/nginx.conf" <<NGINX
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
  types { text/html html; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    gzip_static on;
    location / { try_files \$uri =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!; pids+=("$nginx_pid")
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$nginx_port/lesson.html" >/dev/null && break; sleep 0.1; done

to_ms() { # wrk latency such as 812.00us, 5.20ms or 1.02s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.2f", v*1000 }'
}
run() { # label url [header]
  local out
  if [ $# -eq 3 ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$3" "$2")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2")
  fi
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  echo "$rps $p99"
}

echo "== warming up"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$page" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -H 'Accept-Encoding: gzip' "$page" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$nginx_port/lesson.html" >/dev/null

echo "== loading: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, one target at a time"
read -r site_plain site_plain_p99 <<<"$(run site "$page")"
read -r nginx_plain nginx_plain_p99 <<<"$(run nginx "http://127.0.0.1:$nginx_port/lesson.html")"
read -r site_gzip site_gzip_p99 <<<"$(run site "$page" 'Accept-Encoding: gzip')"
read -r nginx_gzip nginx_gzip_p99 <<<"$(run nginx "http://127.0.0.1:$nginx_port/lesson.html" 'Accept-Encoding: gzip')"

echo "== $WARM_RENDERS untimed renders with the page cache empty, so the JIT compiles the render path"
for _ in $(seq 1 "$WARM_RENDERS"); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$admin_port/tasks/clear-page-cache"
  curl -s -o /dev/null "$page"
done
echo "== timing $RENDERS renders with the page cache empty (cleared through the admin task before each)"
renders=()
for _ in $(seq 1 "$RENDERS"); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$admin_port/tasks/clear-page-cache"
  renders+=("$(curl -s -o /dev/null -w '%{time_total}' "$page")")
done
render_median=$(printf '%s\n' "${renders[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]*1000}')
render_p90=$(printf '%s\n' "${renders[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int(NR*0.9)]*1000}')
rss_peak=$(awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$site_pid/status")
rss_now=$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$site_pid/status")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a/b }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = dir == ">=" ? v >= t : v < t; print ok ? "ok" : "MISSED" }'; }
echo
echo "Lesson page: $bytes bytes ($gz_bytes gzipped); wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1; $(nproc) cores"
printf '%-26s %12s %10s\n' "" "req/s" "p99 ms"
printf '%-26s %12s %10s\n' "site, plain" "$site_plain" "$site_plain_p99"
printf '%-26s %12s %10s\n' "nginx, plain" "$nginx_plain" "$nginx_plain_p99"
printf '%-26s %12s %10s\n' "site, gzip" "$site_gzip" "$site_gzip_p99"
printf '%-26s %12s %10s\n' "nginx, gzip_static" "$nginx_gzip" "$nginx_gzip_p99"
echo
printf 'site/nginx plain: %s   (target >= 0.5: %s)\n' "$(ratio "$site_plain" "$nginx_plain")" \
  "$(verdict "$(ratio "$site_plain" "$nginx_plain")" 0.5 '>=')"
printf 'site/nginx gzip:  %s   (target >= 0.5: %s)\n' "$(ratio "$site_gzip" "$nginx_gzip")" \
  "$(verdict "$(ratio "$site_gzip" "$nginx_gzip")" 0.5 '>=')"
printf 'site p99 plain %s ms, gzip %s ms   (target < 20 ms: %s, %s)\n' "$site_plain_p99" "$site_gzip_p99" \
  "$(verdict "$site_plain_p99" 20 '<')" "$(verdict "$site_gzip_p99" 20 '<')"
printf 'render with the page cache empty: median %s ms, p90 %s ms over %s requests after %s warm-up renders   (target median < 5 ms: %s)\n' \
  "$render_median" "$render_p90" "$RENDERS" "$WARM_RENDERS" "$(verdict "$render_median" 5 '<')"
printf 'site resident memory: peak %s MB, now %s MB   (target < 400 MB: %s)\n' "$rss_peak" "$rss_now" \
  "$(verdict "$rss_peak" 400 '<')"
