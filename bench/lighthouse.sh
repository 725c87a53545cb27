#!/usr/bin/env bash
# Lighthouse's accessibility score for every page type of the site, in one run on this machine. Target: 100 on each.
#
#   npm install --prefix /tmp/lh lighthouse@12.2.3     # once, outside the repository
#   bench/lighthouse.sh                                # LIGHTHOUSE=/path/to/lighthouse, PAGES='home lesson-free' to pick,
#                                                      # REPORTS=DIR to keep each page's Lighthouse JSON
#
# It builds the jars if needed, starts the site on a fresh embedded default (its own data directory and ports, the
# demo content), and makes the visitors the pages need: a learner without access, a subscriber (an entitlement written
# with psql) and an operator (ops users create-admin, then the authenticator enrolment, its codes computed here). Then
# it runs Lighthouse (accessibility only, its default mobile emulation) in Debian's chromium on each page, signed-in
# pages with the visitor's cookies (--extra-headers). Pages that are the answer to a form (the recovery codes, the
# import report) and the error pages (Lighthouse refuses to score a 4xx answer) are saved as the site sent them and
# scored from a static server on loopback, their stylesheet still from the site. It prints the score per page with the
# audits that failed, and stops what it started. Needs java, curl, psql, python3, jq and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE=${LIGHTHOUSE:-/tmp/lh/node_modules/.bin/lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
ATHANOR_JAR=${ATHANOR_JAR:-app/target/athanor.jar}
OPS_JAR=${OPS_JAR:-ops-cli/target/ops.jar}
for tool in curl psql python3 jq java "$CHROME_PATH"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install curl postgresql-client python3 jq chromium)" >&2; exit 1; }
done
[ -x "$LIGHTHOUSE" ] || { echo "bench: no Lighthouse at $LIGHTHOUSE: npm install --prefix /tmp/lh lighthouse@12.2.3" >&2; exit 1; }

work=$(mktemp -d /tmp/athanor-lighthouse.XXXXXX)
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if [ ! -f "$ATHANOR_JAR" ] || [ ! -f "$OPS_JAR" ]; then mvn -B -q -DskipTests package; fi

site_port=$(free_port); admin_port=$(free_port); pg_port=$(free_port); static_port=$(free_port)
export ATHANOR_DATA_DIR="$work/data" ATHANOR_LOG_DIR="$work/logs" ATHANOR_PORT=$site_port \
  ATHANOR_ADMIN_PORT=$admin_port ATHANOR_CONSOLE_LOG_LEVEL=WARN
base="http://127.0.0.1:$site_port"

echo "== starting the site (embedded default, demo content)"
java -Ddw.database.embedded.port="$pg_port" -jar "$ATHANOR_JAR" server config.yml > "$work/site.log" 2>&1 &
site_pid=$!; pids+=("$site_pid")
for _ in $(seq 1 300); do
  curl -sf "$base/health" >/dev/null && break
  kill -0 "$site_pid" 2>/dev/null || { cat "$work/site.log"; exit 1; }
  sleep 0.2
done

sql() {
  PGPASSWORD=$(cat "$work/data/postgres/password") psql -qAt -h 127.0.0.1 -p "$pg_port" -U athanor athanor -c "$1"
}
csrf=$(printf 'c%.0s' {1..43})
post() { # jar path [form-fields]: a form post with the form token, keeping the cookies in jar (made with the token)
  local jar=$1 path=$2
  [ -f "$jar" ] || printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tcsrf\t%s\n' "$csrf" > "$jar"
  curl -s -o "$work/last.html" -w '%{http_code}' -b "$jar" -c "$jar" --data "csrf=$csrf${3:+&$3}" "$base$path"
}
cookies() { # jar: the Cookie header value a browser with that jar sends
  awk -F'\t' 'NF >= 7 && $6 != "" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$1"
}
totp() { # key as the enrolment page shows it
  python3 - "$1" <<'PY'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1].replace(' ', ''))
digest = hmac.new(key, struct.pack('>Q', int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 15
print('%06d' % ((struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7fffffff) % 1000000))
PY
}
sign_up_and_in() { # email jar
  post "$2" /signup "email=${1/@/%40}&password=a+long+lighthouse+passphrase" >/dev/null
  sql "UPDATE learner SET email_verified_at = now() WHERE email = '$1'" >/dev/null
  [ "$(post "$2" /login "email=${1/@/%40}&password=a+long+lighthouse+passphrase")" = 303 ] \
    || { echo "bench: $1 could not sign in" >&2; exit 1; }
}

echo "== visitors: a learner without access, a subscriber, an operator"
learner="$work/learner.jar"; subscriber="$work/subscriber.jar"; operator="$work/operator.jar"; pending="$work/pending.jar"
sign_up_and_in learner@example.com "$learner"
sign_up_and_in subscriber@example.com "$subscriber"
sql "INSERT INTO entitlement (learner_id, source, starts_at)
     SELECT id, 'grant', now() - interval '1 day' FROM learner WHERE email = 'subscriber@example.com'" >/dev/null
echo 'an operator passphrase here' | java -jar "$OPS_JAR" users create-admin operator@example.com --config config.yml >/dev/null
post "$operator" /login "email=operator%40example.com&password=an+operator+passphrase+here" >/dev/null
post "$operator" /account/two-factor/start >/dev/null
key=$(curl -s -b "$operator" "$base/account/two-factor" | grep -o '<code class="totp-key">[A-Z2-7 ]*</code>' | sed 's/<[^>]*>//g')
[ -n "$key" ] || { echo "bench: the enrolment page showed no key" >&2; exit 1; }
[ "$(post "$operator" /account/two-factor/confirm "code=$(totp "$key")")" = 200 ] \
  || { echo "bench: the authenticator enrolment failed" >&2; exit 1; }
mkdir -p "$work/static"
cp "$work/last.html" "$work/static/recovery-codes.html"

# Answers to forms and error pages, as the site sent them, for the static server (their assets from the site).
curl -s -o "$work/static/imported.html" -b "$operator" -F "csrf=$csrf" \
  -F "zip=@/dev/null;filename=empty.zip" "$base/admin/content/upload"
curl -s -o "$work/static/error-404.html" "$base/no-such-page"
curl -s -o "$work/static/error-403.html" --data "email=x" "$base/login"
head -c 200000 /dev/zero | curl -s -o "$work/static/error-413.html" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-binary @- "$base/login"
for page in "$work"/static/*.html; do
  sed -i "s|<head>|<head><base href=\"$base/\">|" "$page"
done
(cd "$work/static" && exec python3 -m http.server "$static_port" --bind 127.0.0.1 >/dev/null 2>&1) &
pids+=("$!")

# Tokens from the mail the site wrote (data/mail): a reset link and an address confirmation.
post "$work/reset.jar" /reset "email=learner%40example.com" >/dev/null
post "$work/fresh.jar" /signup "email=fresh%40example.com&password=a+long+lighthouse+passphrase" >/dev/null
for _ in $(seq 1 50); do
  [ "$(grep -lr "/reset/" "$work/data/mail" 2>/dev/null | wc -l)" -gt 0 ] \
    && [ "$(grep -lr "/verify/" "$work/data/mail" 2>/dev/null | wc -l)" -gt 0 ] && break
  sleep 0.2
done
reset_path=$(grep -rhoE '/reset/[A-Za-z0-9_-]{20,}' "$work/data/mail" | head -1)
verify_path=$(grep -rhoE '/verify/[A-Za-z0-9_-]{20,}' "$work/data/mail" | head -1)

# name  visitor(-: none)  address
pages="
home - /
catalogue - /courses
course - /courses/java-from-scratch
lesson-free - /courses/java-from-scratch/hello-world
lesson-locked - /courses/java-from-scratch/loops
lesson-no-access learner /courses/java-from-scratch/loops
lesson-subscriber subscriber /courses/java-from-scratch/loops
course-subscriber subscriber /courses/java-from-scratch
articles - /articles
article - /articles/reading-compiler-errors
tag - /tags/java
search - /search?q=java
signup - /signup
login - /login
reset - /reset
reset-token - $reset_path
verify-token - $verify_path
pricing - /subscribe
pricing-signed-in learner /subscribe
account learner /account
two-factor learner /account/two-factor
login-code pending /login/code
subscription subscriber /account/subscription
tokens subscriber /account/tokens
admin operator /admin
members operator /admin/members
activity operator /admin/activity
recovery-codes static /recovery-codes.html
imported static /imported.html
error-404 static /error-404.html
error-403 static /error-403.html
error-413 static /error-413.html
"

echo "== Lighthouse $("$LIGHTHOUSE" --version) (accessibility), $("$CHROME_PATH" --version 2>/dev/null)"
printf '%-20s %6s  %s\n' page score "failed audits"
while read -r name visitor path; do
  [ -n "$name" ] || continue
  case " ${PAGES:-$name} " in *" $name "*) ;; *) continue ;; esac
  url="$base$path"
  headers='{}'
  case "$visitor" in
    -) ;;
    static) url="http://127.0.0.1:$static_port$path" ;;
    pending) # the password step just before: a pending sign-in lasts 5 minutes
      rm -f "$pending"
      [ "$(post "$pending" /login "email=operator%40example.com&password=an+operator+passphrase+here")" = 303 ] \
        || { echo "bench: the operator's password step failed" >&2; exit 1; }
      headers=$(jq -cn --arg c "$(cookies "$pending")" '{Cookie: $c}') ;;
    *) headers=$(jq -cn --arg c "$(cookies "$work/$visitor.jar")" '{Cookie: $c}') ;;
  esac
  "$LIGHTHOUSE" "$url" --quiet --only-categories=accessibility --output=json --output-path="$work/$name.json" \
    --extra-headers="$headers" --chrome-flags="--headless=new --no-sandbox" >"$work/lighthouse.log" 2>&1 || true
  if [ ! -s "$work/$name.json" ]; then
    printf '%-20s %6s  %s\n' "$name" "-" "Lighthouse failed: $(tail -1 "$work/lighthouse.log")"
    continue
  fi
  final=$(jq -r '.finalDisplayedUrl // .finalUrl' "$work/$name.json")
  score=$(jq -r '.categories.accessibility.score // "error" | if type == "number" then (. * 100 | round) else . end' \
    "$work/$name.json")
  failed=$(jq -r '[.audits[] | select(.score == 0 and .scoreDisplayMode == "binary") | .id] | join(", ")' \
    "$work/$name.json")
  [ "$final" = "$url" ] || failed="ended at $final; $failed"
  printf '%-20s %6s  %s\n' "$name" "$score" "$failed"
  [ -z "${REPORTS:-}" ] || { mkdir -p "$REPORTS" && cp "$work/$name.json" "$REPORTS/"; }
done <<<"$pages"
