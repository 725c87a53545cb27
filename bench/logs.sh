#!/usr/bin/env bash
# How fast `ops logs --since` answers on a large log: it must seek, not read the file from the start.
#
#   bench/logs.sh                 # a 1 GiB app.log; SIZE_MB=2048 for 2 GiB
#
# It builds ops.jar if needed, writes an app.log of SIZE_MB (JSON lines as the site writes them, ten days of
# events) into a temporary directory, then times, RUNS times each and keeping the median:
#   1. `ops logs app --since 1h` on an empty log (the JVM start and config reading: the floor),
#   2. `ops logs app --since 1h` on the large log (the last hour: a few thousand lines),
#   3. `grep -c` over the whole large log (what reading it from the start costs),
# and prints them with the seek's own cost (2 minus 1). Everything stays in the temporary directory, removed at the
# end; nothing listens on the network. Bounded: each run is killed after 60 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-5}
for tool in java awk grep timeout; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -f ops-cli/target/ops.jar ] || mvn -B -q -DskipTests package

work=$(mktemp -d /tmp/athanor-bench-logs.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/logs" "$work/empty"

config() { # config file for a log directory
  cat > "$work/config-$1.yml" <<YAML
site:
  baseUrl: http://localhost:8080
storage:
  dataDirectory: $work/data
  logDirectory: $work/$1
logging:
  level: WARN
  appenders: []
YAML
  echo "$work/config-$1.yml"
}
large_config=$(config logs)
empty_config=$(config empty)
: > "$work/empty/app.log"

echo "== writing a ${SIZE_MB} MiB app.log (ten days of JSON lines ending now)"
now_ms=$(( $(date +%s) * 1000 ))
line_bytes=198
lines=$(( SIZE_MB * 1024 * 1024 / line_bytes ))
step_ms=$(( 10 * 24 * 3600 * 1000 / lines ))
awk -v n="$lines" -v start=$(( now_ms - lines * step_ms )) -v step="$step_ms" 'BEGIN {
  split("INFO INFO INFO INFO WARN ERROR DEBUG", level, " ");
  for (i = 0; i < n; i++) {
    printf "{\"timestamp\":%.0f,\"level\":\"%s\",\"thread\":\"dw-%d - GET /courses/java/intro\",\"logger\":\"dev.athanor.content.CourseResource\",\"message\":\"Rendered lesson %d for an anonymous visitor in %d ms\"}\n",
      start + i * step, level[i % 7 + 1], i % 64, i, i % 17
  }
}' > "$work/logs/app.log"
size=$(stat -c %s "$work/logs/app.log")
printf '   %s bytes, %s lines\n' "$size" "$lines"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() { # command... -> wall milliseconds
  local start end
  start=$(date +%s%N)
  timeout 60 "$@" > "$work/out" 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

echo "== timing, $RUNS runs each (median)"
floor=$(for _ in $(seq "$RUNS"); do time_ms java -jar ops-cli/target/ops.jar logs app --since 1h --json --config "$empty_config"; done | median)
since=$(for _ in $(seq "$RUNS"); do time_ms java -jar ops-cli/target/ops.jar logs app --since 1h --json --config "$large_config"; done | median)
matched=$(wc -l < "$work/out")
grepped=$(for _ in $(seq "$RUNS"); do time_ms grep -c '"level":"ERROR"' "$work/logs/app.log"; done | median)

echo
echo "app.log: $(( size / 1024 / 1024 )) MiB; $(nproc) cores; $(java -version 2>&1 | head -1)"
printf '%-52s %8s ms\n' "ops logs --since 1h, empty log (JVM start, config)" "$floor"
printf '%-52s %8s ms   (%s lines)\n' "ops logs --since 1h, large log" "$since" "$matched"
printf '%-52s %8s ms\n' "  of which finding and printing the last hour" "$(( since - floor ))"
printf '%-52s %8s ms\n' "grep over the whole file, for scale" "$grepped"
verdict=$([ $(( since - floor )) -lt 500 ] && echo ok || echo MISSED)
echo "target: the seek well under a second (< 500 ms beyond the JVM's start): $verdict"
