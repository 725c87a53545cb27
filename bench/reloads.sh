#!/usr/bin/env bash
# Checks bench/KeepAliveLoad.java, the load client of bench/deploy.sh, against wrk where keep-alive connections get
# closed under them: nginx in front of two static backends, reloaded RELOADS times while its upstream include is
# switched from one backend to the other, under keep-alive load, once with wrk and once with the client (same
# connections, same reloads). Then the client against backends that fail, to show it counts errors: one answering
# 500, one answering 502, and one that stops listening half-way through.
#
#   bench/reloads.sh                       # 20 reloads, 16 connections; RELOADS=50 CONNECTIONS=64 to change
#
# Everything runs on 127.0.0.1 and is stopped by PID when the script ends (KEEP=1 keeps the work directory with the
# nginx logs). Needs nginx, wrk, curl and a JDK 17.
set -euo pipefail
cd "$(dirname "$0")/.."

RELOADS=${RELOADS:-20}
CONNECTIONS=${CONNECTIONS:-16}
INTERVAL=${INTERVAL:-0.5}   # seconds between reloads
KEEP=${KEEP:-}
for tool in nginx wrk curl java javac; do
  command -v "$tool" >/dev/null || { echo "reloads: $tool is missing (apt-get install nginx wrk curl)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/athanor-reloads.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ -n "$KEEP" ]; then echo "reloads: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { java bench/FreePort.java; }
# The client compiled once: a source-file launch compiles on every start, a second or so on two busy cores.
mkdir -p "$work/classes"
javac -d "$work/classes" bench/KeepAliveLoad.java
load() { java -cp "$work/classes" KeepAliveLoad "$@"; }

front=$(free_port); one=$(free_port); two=$(free_port); e500=$(free_port); e502=$(free_port); gone=$(free_port)

start_nginx() { # name conf: runs nginx in the foreground (daemon off) in the background, waits for its pid file
  local prefix=$work/$1
  mkdir -p "$prefix/logs"
  printf '%s\n' "$2" > "$prefix/nginx.conf"
  nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
  pids+=("$!")
  for _ in $(seq 1 50); do [ -s "$prefix/nginx.pid" ] && return 0; sleep 0.1; done
  echo "reloads: nginx $1 did not start" >&2; cat "$prefix/logs/error.log" >&2; exit 1
}
common="daemon off; worker_processes 1; error_log logs/error.log warn; events { worker_connections 1024; }"

# The backends: a 2 KB page on two ports; and, in nginxes of their own, 500, 502, and one to be stopped.
page=$(head -c 1500 /dev/zero | tr '\0' 'x')
start_nginx backends "$common pid $work/backends/nginx.pid; http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$one; location / { return 200 'one $page\n'; } }
  server { listen 127.0.0.1:$two; location / { return 200 'two $page\n'; } }
  server { listen 127.0.0.1:$e500; location / { return 500 'broken\n'; } }
  server { listen 127.0.0.1:$e502; location / { return 502 'bad gateway\n'; } } }"
start_nginx gone "$common pid $work/gone/nginx.pid; http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$gone; location / { return 200 'going $page\n'; } } }"
gone_pid=${pids[-1]}

# The front: the site's proxy settings (HTTP/1.1 and kept-alive connections upstream), the upstream in an include.
echo "upstream backend { server 127.0.0.1:$one; keepalive 16; }" > "$work/upstream.conf"
start_nginx front "$common pid $work/front/nginx.pid; http { access_log off; keepalive_requests 1000000;
  include $work/upstream.conf;
  server { listen 127.0.0.1:$front; location / { proxy_pass http://backend; proxy_http_version 1.1;
    proxy_set_header Connection ''; proxy_next_upstream error timeout; } } }"
front_pid=$(cat "$work/front/nginx.pid")
curl -sf "http://127.0.0.1:$front/" | grep -q '^one' || { echo "reloads: the front does not answer" >&2; exit 1; }

reload_while() { # runs RELOADS reloads, switching the upstream each time, INTERVAL apart; prints who answered last
  local i to
  for ((i = 1; i <= RELOADS; i++)); do
    sleep "$INTERVAL"
    if ((i % 2)); then to=$two; else to=$one; fi
    echo "upstream backend { server 127.0.0.1:$to; keepalive 16; }" > "$work/upstream.conf.new"
    mv "$work/upstream.conf.new" "$work/upstream.conf"
    kill -HUP "$front_pid"
  done
  sleep "$INTERVAL"
  curl -s "http://127.0.0.1:$front/" | cut -c1-3
}
seconds=$(awk -v n="$RELOADS" -v i="$INTERVAL" 'BEGIN { printf "%d", (n + 2) * i + 1 }')

echo "== wrk -t2 -c$CONNECTIONS -d${seconds}s through nginx, $RELOADS reloads ${INTERVAL}s apart"
wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" "http://127.0.0.1:$front/" > "$work/wrk.txt" 2>&1 &
wrk_pid=$!; pids+=("$wrk_pid")
sleep 0.5
last=$(reload_while)
wait "$wrk_pid" || true
grep -E 'requests in|Socket errors|Non-2xx|Requests/sec' "$work/wrk.txt" | sed 's/^/   /'
echo "   (serving at the end: $last)"

echo "== KeepAliveLoad --connections $CONNECTIONS through nginx, $RELOADS reloads ${INTERVAL}s apart"
load "http://127.0.0.1:$front/" --connections "$CONNECTIONS" --until-file "$work/stop" > "$work/load.txt" &
load_pid=$!; pids+=("$load_pid")
sleep 0.5
last=$(reload_while)
touch "$work/stop"
wait "$load_pid" || true
sed 's/^/   /' "$work/load.txt"
echo "   (serving at the end: $last)"

echo "== KeepAliveLoad against a backend answering 500 (3 s)"
load "http://127.0.0.1:$e500/" --connections 4 --duration 3s | sed 's/^/   /'
echo "== KeepAliveLoad against a backend answering 502 (3 s)"
load "http://127.0.0.1:$e502/" --connections 4 --duration 3s | sed 's/^/   /'
echo "== KeepAliveLoad against a backend that stops listening after 2 s (4 s)"
load "http://127.0.0.1:$gone/" --connections 4 --duration 4s > "$work/gone.txt" &
load_pid=$!; pids+=("$load_pid")
sleep 2
kill -TERM "$gone_pid"
wait "$load_pid" || true
sed 's/^/   /' "$work/gone.txt"
