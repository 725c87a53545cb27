#!/usr/bin/env bash
# What the limits every node shares cost: the sign-in throttles and lockouts and the API token buckets live in
# PostgreSQL (docs/scale-out.md), so each sign-in and each API call takes a few statements. Targets: at most 1 ms
# per sign-in and 0.3 ms per API call.
#
#   bench/limits.sh            # WARM_SIGN_INS=300 SIGN_INS=200 CALLS_DURATION=10s to change
#
# It starts the site on a fresh embedded default with the heap flags of systemd/athanor@.service (the API bucket
# made large enough never to refuse), then
#   - signs in SIGN_INS times (half wrong passwords, half right, one client address each, as a crowd would), and
#   - calls GET /api/v1/courses with a subscriber's token under wrk at 1 and 16 connections,
# the API first (it also warms the JIT for the database path every request takes), each after an untimed warm-up,
# and reads what the site's own timers measured over their last 256 calls from the admin port:
# dev.athanor.accounts.Throttle.calls around each throttle call (a sign-in makes one, a right password a second),
# dev.athanor.api.ApiTokens.lookups around each token lookup, which takes the request from the bucket in the same
# statement. Then pgbench times, against the same database and prepared as the site's driver prepares them, the
# statements alone: the token lookup with and without its bucket (the difference is all the bucket adds: it has no
# round trip of its own), and the sign-in's two. The targets are judged on those; the site's timers are wall time,
# which on this box includes the collections that the password hash's 19 MiB of garbage sets off. It prints the costs
# beside the whole request's time (curl, wrk) and stops what it started. Needs wrk, curl, psql, pgbench (postgresql-contrib) and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

WARM_SIGN_INS=${WARM_SIGN_INS:-300}
SIGN_INS=${SIGN_INS:-200}
CALLS_DURATION=${CALLS_DURATION:-10s}
for tool in wrk curl psql pgbench jq java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk curl postgresql-client jq)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/athanor-limits.XXXXXX)
chmod 755 "$work"
site_pid=
cleanup() {
  if [ -n "$site_pid" ]; then
    kill "$site_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$site_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$site_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -f app/target/athanor.jar ] && [ -f ops-cli/target/ops.jar ] || mvn -B -q -DskipTests package

site_port=$(free_port); admin_port=$(free_port); pg_port=$(free_port)
export ATHANOR_DATA_DIR="$work/data" ATHANOR_LOG_DIR="$work/logs" ATHANOR_PORT=$site_port \
  ATHANOR_ADMIN_PORT=$admin_port ATHANOR_CONSOLE_LOG_LEVEL=WARN
jvm_flags=$(sed -n '/^ExecStart=/,/-jar/p' systemd/athanor@.service | tr -d '\\' | grep -o -- '-X[^ ]*' \
  | grep -v -- '-XX:OnOutOfMemoryError=' | tr '\n' ' ')

echo "== starting the site (embedded default, $jvm_flags)"
# shellcheck disable=SC2086
java $jvm_flags -Ddw.api.burst=100000 -Ddw.api.requestsPerMinute=100000 -Ddw.database.embedded.port="$pg_port" \
  -jar app/target/athanor.jar server config.yml > "$work/site.log" 2>&1 &
site_pid=$!
base="http://127.0.0.1:$site_port"
for _ in $(seq 1 300); do
  curl -sf "$base/health" >/dev/null && break
  kill -0 "$site_pid" 2>/dev/null || { cat "$work/site.log"; exit 1; }
  sleep 0.2
done
java -jar ops-cli/target/ops.jar content import content/demo --config config.yml >/dev/null

sql() {
  PGPASSWORD=$(cat "$work/data/postgres/password") psql -qAt -h 127.0.0.1 -p "$pg_port" \
    -U athanor athanor -c "$1"
}
timer() { # name: "count mean_ms median_ms" from the admin port's metrics (durations in seconds)
  curl -sf "http://127.0.0.1:$admin_port/metrics" | jq -r --arg n "$1" '.timers[$n]
    | (if .duration_units == "seconds" then 1000 else 1 end) as $ms | "\(.count) \(.mean * $ms) \(.p50 * $ms)"'
}

echo "== API calls with a subscriber's token (first: they also warm the JIT for the database path every call takes)"
csrf=$(printf 'b%.0s' {1..43})
password="a long bench passphrase"
curl -sf -o /dev/null -H "Cookie: csrf=$csrf" --data "csrf=$csrf&email=bench%40example.com&password=${password// /+}" \
  -H "X-Forwarded-For: 198.51.100.250" "$base/signup"
sql "UPDATE learner SET email_verified_at = now() WHERE email = 'bench@example.com'" >/dev/null
learner=$(sql "SELECT id FROM learner WHERE email = 'bench@example.com'")
token="ath_$(printf 'k%.0s' {1..43})"
sql "INSERT INTO entitlement (learner_id, source, starts_at) VALUES ($learner, 'grant', now() - interval '1 day');
     INSERT INTO api_token (learner_id, kind, name, token_hash, hint)
     VALUES ($learner, 'api', 'bench', sha256('$token'::bytea), 'kkkk')" >/dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/courses")" = 200 ] \
  || { echo "bench: the API refused the token" >&2; exit 1; }
wrk -t2 -c16 -d10s -H "Authorization: Bearer $token" "$base/api/v1/courses" >/dev/null
rows=()
for connections in 1 16; do
  read -r takes_before _ <<<"$(timer dev.athanor.api.ApiTokens.lookups)"
  out=$(wrk -t"$([ "$connections" -eq 1 ] && echo 1 || echo 2)" -c"$connections" -d"$CALLS_DURATION" --latency \
    -H "Authorization: Bearer $token" "$base/api/v1/courses")
  read -r takes_after take_mean take_median <<<"$(timer dev.athanor.api.ApiTokens.lookups)"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  rows+=("$connections $rps ${non2xx:-0} $((takes_after - takes_before)) $take_mean $take_median")
done

echo "== $SIGN_INS sign-ins through the shared throttles"
sign_in() { # n: one sign-in from its own address, a wrong password for odd n; prints its time in seconds
  local guess=${password// /+}
  [ $(($1 % 2)) -eq 1 ] && guess="wrong+guess+$1"
  curl -s -o /dev/null -w '%{time_total}\n' -H "X-Forwarded-For: 10.$(($1 / 62500 % 256)).$(($1 / 250 % 250)).$(($1 % 250 + 1))" \
    -H "Cookie: csrf=$csrf" --data "csrf=$csrf&email=bench%40example.com&password=$guess" "$base/login"
}
for i in $(seq 1 "$WARM_SIGN_INS"); do sign_in "$i" >/dev/null; done
read -r calls_before _ <<<"$(timer dev.athanor.accounts.Throttle.calls)"
total=0
for i in $(seq $((WARM_SIGN_INS + 1)) $((WARM_SIGN_INS + SIGN_INS))); do
  total=$(awk -v a="$total" -v b="$(sign_in "$i")" 'BEGIN { print a + b }')
done
read -r calls_after throttle_mean throttle_median <<<"$(timer dev.athanor.accounts.Throttle.calls)"
calls_per_sign_in=$(awk -v n=$((calls_after - calls_before)) -v s="$SIGN_INS" 'BEGIN { printf "%.1f", n / s }')
per_sign_in=$(awk -v c="$calls_per_sign_in" -v m="$throttle_mean" 'BEGIN { printf "%.3f", c * m }')
per_sign_in_median=$(awk -v c="$calls_per_sign_in" -v m="$throttle_median" 'BEGIN { printf "%.3f", c * m }')
sign_in_ms=$(awk -v t="$total" -v s="$SIGN_INS" 'BEGIN { printf "%.1f", t * 1000 / s }')

echo "== the statements alone (pgbench, 5 s each, one client)"
statement_ms() { # file: the mean latency of one statement in ms
  PGPASSWORD=$(cat "$work/data/postgres/password") pgbench -n -M prepared -c1 -T5 -h 127.0.0.1 -p "$pg_port" \
    -U athanor -f "$1" athanor 2>/dev/null | awk '/latency average/ {print $4}'
}
hash="sha256('$token'::bytea)"
cat > "$work/lookup.sql" <<SQL
SELECT id, learner_id, last_used_at FROM api_token WHERE token_hash = $hash AND kind = 'api' AND revoked_at IS NULL;
SQL
cat > "$work/lookup-take.sql" <<SQL
WITH token AS (SELECT id, learner_id, last_used_at FROM api_token
               WHERE token_hash = $hash AND kind = 'api' AND revoked_at IS NULL),
taken AS (INSERT INTO api_rate_bucket AS b (token_id, level, updated_at) SELECT id, 100000 - 1, now() FROM token
          ON CONFLICT (token_id) DO UPDATE
          SET level = least(100000, b.level + 1666 * greatest(0, extract(epoch FROM now() - b.updated_at))) - 1,
              updated_at = greatest(b.updated_at, now())
          WHERE least(100000, b.level + 1666 * greatest(0, extract(epoch FROM now() - b.updated_at))) >= 1
          RETURNING token_id)
SELECT id, learner_id, last_used_at, EXISTS (SELECT 1 FROM taken) FROM token;
SQL
# Keys without colons: pgbench would read ":name" inside a literal as one of its variables.
cat > "$work/acquire.sql" <<'SQL'
WITH input (key, attempts, since) AS (VALUES
    ('bench-client-' || CAST(floor(random() * 100000) AS text), 20, now() - interval '10 minutes'),
    ('bench-account-' || CAST(floor(random() * 100000) AS text), 8, now() - interval '15 minutes'))
INSERT INTO throttle AS t (key, attempts) SELECT key, ARRAY[now()] FROM input
ON CONFLICT (key) DO UPDATE
SET attempts = ARRAY(SELECT a FROM unnest(t.attempts) a WHERE a > (SELECT since FROM input WHERE input.key = t.key)
                     ORDER BY a) || now()
WHERE (SELECT count(*) FROM unnest(t.attempts) a WHERE a > (SELECT since FROM input WHERE input.key = t.key))
      < (SELECT attempts FROM input WHERE input.key = t.key)
RETURNING key;
SQL
cat > "$work/settle.sql" <<'SQL'
\set k random(1, 100000)
UPDATE throttle SET attempts = attempts[1 : cardinality(attempts) - 1]
WHERE key = 'bench-client-' || CAST(:k AS text) AND cardinality(attempts) > 0;
DELETE FROM throttle WHERE key = 'bench-account-' || CAST(:k AS text);
SQL
lookup_ms=$(statement_ms "$work/lookup.sql"); lookup_take_ms=$(statement_ms "$work/lookup-take.sql")
acquire_ms=$(statement_ms "$work/acquire.sql"); settle_ms=$(statement_ms "$work/settle.sql")
bucket_ms=$(awk -v a="$lookup_take_ms" -v b="$lookup_ms" 'BEGIN { printf "%.3f", a - b }')
sign_in_db_ms=$(awk -v a="$acquire_ms" -v s="$settle_ms" 'BEGIN { printf "%.3f", a + s / 2 }')

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print v <= t ? "ok" : "MISSED" }'; }
echo
echo "Shared limits in PostgreSQL (embedded default, $(nproc) cores, the unit's heap flags)"
printf 'statements alone: token lookup %s ms, with its bucket %s ms; a sign-in'"'"'s limits %s ms, settling after a right password %s ms\n' \
  "$lookup_ms" "$lookup_take_ms" "$acquire_ms" "$settle_ms"
printf 'API: the bucket adds %s ms to each call, inside the token lookup'"'"'s statement   (target <= 0.3 ms: %s)\n' \
  "$bucket_ms" "$(verdict "$bucket_ms" 0.3)"
printf 'sign-in: its limits take %s ms of statements (one, and a second after a right password, half the time)   (target <= 1 ms: %s)\n' \
  "$sign_in_db_ms" "$(verdict "$sign_in_db_ms" 1)"
printf 'in the site: %s throttle calls per sign-in, %s ms of wall time (mean; %s ms at the median call) of %s ms per sign-in (curl, one at a time, argon2id included)\n' \
  "$calls_per_sign_in" "$per_sign_in" "$per_sign_in_median" "$sign_in_ms"
for row in "${rows[@]}"; do
  read -r connections rps non2xx takes mean median <<<"$row"
  call_ms=$(awk -v r="$rps" -v c="$connections" 'BEGIN { printf "%.3f", c * 1000 / r }')
  printf 'API, %2s connection(s): token lookup with its bucket %s ms (mean of the last 256 of %s; median %s), %s req/s, %s ms per call, non-2xx %s\n' \
    "$connections" "$(awk -v m="$mean" 'BEGIN { printf "%.3f", m }')" "$takes" \
    "$(awk -v m="$median" 'BEGIN { printf "%.3f", m }')" "$rps" "$call_ms" "$non2xx"
done
