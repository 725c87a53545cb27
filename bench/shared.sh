# What bench/backup.sh and bench/pitr.sh share (sourced from the repository's root, after `set -euo pipefail`):
# the machine's PostgreSQL programs, a work directory under bench/target, ops.jar, an S3Proxy server on a free port
# of 127.0.0.1 (plain http, or https with a throwaway certificate authority, as Spaces is served), and the generated
# database of about SIZE_GB GiB. The caller sets BENCH_NAME (for the log lines) and `deadline` (in $SECONDS) first,
# and stops S3Proxy with stop_s3proxy in its EXIT trap.
# shellcheck shell=bash disable=SC2034,SC2154 # what it sets is for the caller; deadline is the caller's

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/pgbench" ] && [ -x "$PGBIN/initdb" ] || { echo "bench: needs postgresql-15 (pgbench, initdb)" >&2; exit 1; }
WORK=$(pwd)/bench/target/${BENCH_NAME}-$(date +%Y%m%d-%H%M%S)
mkdir -p "$WORK"
chmod 755 "$WORK" bench/target

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
left() { echo $((deadline - SECONDS)); }
log() { echo "$BENCH_NAME: $*" >&2; }

# ops-cli/target/ops.jar (built when missing), and the S3Proxy release named in pom.xml (a self-contained jar from
# Maven Central) as S3PROXY_JAR.
build_jars() {
  if [ ! -f ops-cli/target/ops.jar ]; then
    log "building ops-cli/target/ops.jar"
    timeout "$(left)" mvn -B -q -DskipTests -pl ops-cli -am package
  fi
  local version
  version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml)
  S3PROXY_JAR=$HOME/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar
  [ -f "$S3PROXY_JAR" ] || timeout "$(left)" mvn -B -q dependency:get \
    -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" -Dtransitive=false
}

# The data, in the database PGDATABASE of the server the PG* variables name: pgbench's tables (about 15 MB per scale
# unit, 30 per GiB) and lessons of hex text (compresses about 2:1). Sets DB_SIZE.
generate_data() { # size_gb
  log "generating about $1 GiB"
  timeout "$(left)" "$PGBIN/pgbench" -i -q -s $((30 * $1)) >/dev/null 2>&1
  timeout "$(left)" "$PGBIN/psql" -X -q -c "CREATE TABLE lessons (id bigint PRIMARY KEY, title text, body text);
    INSERT INTO lessons SELECT i, 'Lesson ' || i, md5(random()::text) || md5(random()::text) || md5(random()::text)
      || md5(random()::text) FROM generate_series(1, $((2600000 * $1))) i;" -c "VACUUM ANALYZE" >/dev/null
  DB_SIZE=$("$PGBIN/psql" -X -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
}

# S3Proxy (filesystem store in $WORK/s3, bucket "bench", no signature check) on a free port of 127.0.0.1, over
# http or https. With https: a throwaway certificate authority ($S3_CA_FILE, PEM, readable by every user) and a
# server certificate for localhost and 127.0.0.1 (pgBackRest wants a host name, not an IP address); TRUST holds the
# JVM options that trust it. Sets S3PORT, S3PROXY_PID, S3_CA_FILE and TRUST.
S3PROXY_PID=""
start_s3proxy() { # http|https
  S3PORT=$(free_port)
  mkdir -p "$WORK/s3/bench"
  local endpoint_lines
  if [ "$1" = https ]; then
    local tls=$WORK/tls
    mkdir -p "$tls" && chmod 755 "$tls"
    S3_CA_FILE=$tls/ca.pem
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=bench CA" \
      -keyout "$tls/ca.key" -out "$S3_CA_FILE" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
      -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > "$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$S3_CA_FILE" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
      -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
    openssl pkcs12 -export -in "$tls/server.pem" -inkey "$tls/server.key" -name s3proxy -passout pass:bench-only \
      -out "$tls/s3proxy.p12"
    keytool -importcert -noprompt -alias bench-ca -file "$S3_CA_FILE" -keystore "$tls/trust.p12" \
      -storetype PKCS12 -storepass bench-only >/dev/null 2>&1
    chmod 644 "$S3_CA_FILE"
    TRUST=(-Djavax.net.ssl.trustStore="$tls/trust.p12" -Djavax.net.ssl.trustStorePassword=bench-only)
    endpoint_lines="s3proxy.secure-endpoint=https://127.0.0.1:$S3PORT
s3proxy.keystore-path=$tls/s3proxy.p12
s3proxy.keystore-password=bench-only"
  else
    S3_CA_FILE=""
    TRUST=()
    endpoint_lines="s3proxy.endpoint=http://127.0.0.1:$S3PORT"
  fi
  cat > "$WORK/s3proxy.conf" <<CONF
$endpoint_lines
s3proxy.authorization=none
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
CONF
  java -Xmx512m -jar "$S3PROXY_JAR" --properties "$WORK/s3proxy.conf" >"$WORK/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  local _
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$S3PORT") 2>/dev/null && return 0
    sleep 0.2
  done
  log "S3Proxy did not listen on 127.0.0.1:$S3PORT (see $WORK/s3proxy.log)"
  return 1
}

stop_s3proxy() {
  if [ -n "$S3PROXY_PID" ] && kill -0 "$S3PROXY_PID" 2>/dev/null; then
    kill "$S3PROXY_PID"
    wait "$S3PROXY_PID" 2>/dev/null || true
  fi
}
