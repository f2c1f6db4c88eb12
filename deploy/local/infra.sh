#!/usr/bin/env bash
# Local infrastructure for MarketOps (no Docker): PostgreSQL, Redis, Kafka
# (KRaft), OpenSearch, Keycloak and the nginx API gateway.
#
#   infra.sh up [--keycloak-background] | down | status | reset-kafka
#   infra.sh gateway-up | gateway-down | keycloak-up | keycloak-down | reset-keycloak
#
# Kafka, OpenSearch and Keycloak run from Maven Central artifacts under
# $MARKETOPS_HOME (default <repo>/.local). PostgreSQL and Redis are shared
# system services: started if needed, never stopped.
# up --keycloak-background launches Keycloak without waiting for it; a later
# keycloak-up waits for it (platform.sh test overlaps its boot with the build).
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

# Silences Maven's (guava) sun.misc.Unsafe warnings on JDK 24+.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
export PGPASSWORD=postgres # ignored under trust auth, used if md5 is configured

KAFKA_DIR="$MARKETOPS_HOME/kafka"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_DIR/logs/server.log"
KAFKA_OUT="$KAFKA_DIR/logs/kafka.out" # JVM stdout/stderr: crashes before log4j is up
OS_DIR="$MARKETOPS_HOME/opensearch"
OS_PID="$OS_DIR/opensearch.pid"
OS_LOG="$OS_DIR/opensearch.log"
OS_URL="http://127.0.0.1:9200"
NGINX_DIR="$MARKETOPS_HOME/nginx"
NGINX_PID="$NGINX_DIR/nginx.pid" # written by nginx itself (gateway.conf: pid nginx.pid)
NGINX_CONF="$LOCAL_DIR/nginx/gateway.conf"
REDIS_DIR="$MARKETOPS_HOME/redis"
KC_VERSION=26.4.0
KC_DIR="$MARKETOPS_HOME/keycloak"
# Keycloak's own database, one per checkout (its realm holds this checkout's secrets.env), so
# two clones on one machine (a CI clone beside a working copy) never clobber each other's logins.
KC_DB="keycloak_$(printf %s "$MARKETOPS_HOME" | cksum | cut -d' ' -f1)"
KC_HOME="$KC_DIR/keycloak-$KC_VERSION" # the unpacked distribution
KC_PID="$KC_DIR/keycloak.pid"
KC_LOG="$KC_DIR/keycloak.log"
KC_SECRETS="$KC_DIR/secrets.env" # generated once; see ensure_kc_secrets
KC_REALM_FILE="$LOCAL_DIR/keycloak/marketops-realm.json"
KC_URL="http://127.0.0.1:8180"
KC_MGMT_URL="http://127.0.0.1:8181" # health; 9000 (Keycloak's default) stays free
# Build-time options, baked into the distribution by `kc.sh build`; the marker file
# records them so a change rebuilds. They must not be repeated on `start --optimized`.
KC_BUILD_OPTS=(--db=postgres --health-enabled=true)
KC_BUILT_MARKER="$KC_HOME/.marketops-built"

status_line() { printf '%-11s %-5s %s\n' "$1" "$2" "$3"; }

# fetch_jars NAME: copy a component's runtime jars once; an interrupted copy
# leaves no lib/ behind, so the next run retries instead of using half a classpath.
fetch_jars() {
  local lib="$MARKETOPS_HOME/$1/lib"
  [[ -d $lib ]] && return 0
  log "downloading $1 jars from Maven Central (first run only)"
  local mvn_log="$MARKETOPS_HOME/$1/download.log"
  rm -rf "$lib.tmp"
  mkdir -p "$MARKETOPS_HOME/$1"
  mvn -B -Dstyle.color=never -f "$LOCAL_DIR/$1/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$lib.tmp" -DincludeScope=runtime >"$mvn_log" 2>&1 ||
    { show_logs "$mvn_log"; die "mvn download for $1 failed (log: $mvn_log)"; }
  mv "$lib.tmp" "$lib"
}

# ---------------------------------------------------------------- PostgreSQL
pg_ok() { psql -h 127.0.0.1 -U postgres -tAc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
  if ! pg_ok; then
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    local ver hba
    ver="$(ls /etc/postgresql | head -1)"
    [[ -n $ver ]] || die "postgresql installed but no cluster in /etc/postgresql"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
    wait_for_tcp 127.0.0.1 5432 30 || die "PostgreSQL $ver did not open 127.0.0.1:5432 (see /var/log/postgresql/)"
    if ! pg_ok; then
      # Local dev only: trust TCP logins from loopback (first match wins, so prepend).
      hba="/etc/postgresql/$ver/main/pg_hba.conf"
      log "enabling trust auth for 127.0.0.1 in $hba"
      sed -i -e '1i host all all 127.0.0.1/32 trust' -e '1i host all all ::1/128 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
      sleep 1
      pg_ok || die "cannot log in as postgres on 127.0.0.1:5432"
    fi
  fi
  # marketops for the running platform, marketops_test for the test suites (kept apart so
  # tests never touch a developer's data), keycloak for Keycloak's own tables.
  local db
  for db in marketops marketops_test "$KC_DB"; do
    if [[ "$(psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$db'")" != 1 ]]; then
      log "creating database $db"
      psql -h 127.0.0.1 -U postgres -qc "create database $db" >/dev/null
    fi
  done
  # Said, not changed (the server is the machine's): without autovacuum no table gets planner
  # statistics or a visibility map, which docs/benchmarks.md ("Eighth session") shows costs.
  if [[ "$(psql -h 127.0.0.1 -U postgres -tAc 'show autovacuum' 2>/dev/null)" == off ]]; then
    log "note: this PostgreSQL runs with autovacuum off (no statistics, no visibility map); benchmark figures depend on it"
  fi
}

status_postgres() {
  if pg_ok; then status_line postgres UP "127.0.0.1:5432 db=marketops user=postgres"
  else status_line postgres DOWN "127.0.0.1:5432"; return 1; fi
}

# --------------------------------------------------------------------- Redis
redis_ok() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; }

ensure_redis() {
  redis_ok && return 0
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$REDIS_DIR"
  # Pure cache for dev: no persistence; --dir keeps stray files out of the cwd.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" --pidfile "$REDIS_DIR/redis.pid"
  local i
  for ((i = 0; i < 20; i++)); do redis_ok && return 0; sleep 0.5; done
  show_logs "$REDIS_DIR/redis.log"
  die "Redis did not answer PING on 127.0.0.1:6379 (log: $REDIS_DIR/redis.log)"
}

status_redis() {
  if redis_ok; then status_line redis UP "127.0.0.1:6379"
  else status_line redis DOWN "127.0.0.1:6379"; return 1; fi
}

# --------------------------------------------------------------------- Kafka
# A metadata round-trip proves the broker is serving, not just that the port is bound.
kafka_ok() {
  tcp_open 127.0.0.1 9092 && command -v kcat >/dev/null &&
    timeout 10 kcat -b 127.0.0.1:9092 -L -m 5 2>/dev/null | grep -q '1 brokers:'
}

write_kafka_config() {
  mkdir -p "$KAFKA_DIR/data" "$KAFKA_DIR/logs"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Generated by deploy/local/infra.sh on every start; edit the script instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

start_kafka() {
  if kafka_ok; then return 0; fi
  apt_install kcat
  is_running "$KAFKA_PID" && return 0 # still booting; wait_kafka picks it up
  tcp_open 127.0.0.1 9092 && die "127.0.0.1:9092 is taken by a process this script did not start"
  fetch_jars kafka
  write_kafka_config
  cd "$KAFKA_DIR"
  # KRaft storage must be formatted exactly once; meta.properties marks it done.
  if [[ ! -f data/meta.properties ]]; then
    local cluster_id
    cluster_id="$(java -cp 'lib/*' kafka.tools.StorageTool random-uuid)" || die "cannot run Kafka StorageTool from $KAFKA_DIR/lib"
    log "formatting Kafka storage (cluster id $cluster_id)"
    java -cp 'lib/*' -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2.properties" -Dkafka.logs.dir="$KAFKA_DIR/logs" \
      kafka.tools.StorageTool format -t "$cluster_id" -c server.properties >>"$KAFKA_OUT" 2>&1 ||
      { show_logs "$KAFKA_OUT"; die "Kafka storage format failed (log: $KAFKA_OUT)"; }
  fi
  KAFKA_STARTED_AT=$SECONDS
  start_bg kafka "$KAFKA_PID" "$KAFKA_OUT" \
    java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED \
    -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2.properties" -Dkafka.logs.dir="$KAFKA_DIR/logs" \
    -cp 'lib/*' kafka.Kafka server.properties
  cd - >/dev/null
}

wait_kafka() {
  local deadline=$((SECONDS + 60))
  until kafka_ok; do
    if ((SECONDS >= deadline)) || ! is_running "$KAFKA_PID"; then
      show_logs "$KAFKA_OUT" "$KAFKA_LOG"
      die "Kafka did not become healthy on 127.0.0.1:9092 (logs: $KAFKA_LOG, $KAFKA_OUT)"
    fi
    sleep 1
  done
  [[ -n ${KAFKA_STARTED_AT:-} ]] && log "kafka healthy after $((SECONDS - KAFKA_STARTED_AT)) s"
  return 0
}

status_kafka() {
  if kafka_ok; then status_line kafka UP "127.0.0.1:9092 (controller 9093) pid $(cat "$KAFKA_PID" 2>/dev/null || echo external) log $KAFKA_LOG"
  else status_line kafka DOWN "127.0.0.1:9092 log $KAFKA_LOG"; return 1; fi
}

reset_kafka() {
  local was_running=0
  is_running "$KAFKA_PID" && was_running=1
  stop_pidfile "$KAFKA_PID"
  log "wiping Kafka data in $KAFKA_DIR/data"
  rm -rf "$KAFKA_DIR/data"
  if ((was_running)); then start_kafka; wait_kafka; status_kafka; fi
}

# ---------------------------------------------------------------- OpenSearch
os_ok() { curl -fsS --max-time 3 "$OS_URL/_cluster/health" 2>/dev/null | grep -Eq '"status":"(green|yellow)"'; }

start_opensearch() {
  if os_ok; then return 0; fi
  is_running "$OS_PID" && return 0
  # The runner silently moves to the next free port if 9200 is busy; fail loudly instead.
  tcp_open 127.0.0.1 9200 && die "127.0.0.1:9200 is taken by a process this script did not start"
  fetch_jars opensearch
  local node_conf="$OS_DIR/data/node_1/config"
  mkdir -p "$node_conf"
  cp "$LOCAL_DIR/opensearch/opensearch.yml" "$node_conf/opensearch.yml"
  OS_STARTED_AT=$SECONDS
  # -baseHttpPort 9199: the runner binds node N to baseHttpPort+N, i.e. 9200.
  (cd "$OS_DIR" && start_bg opensearch "$OS_PID" "$OS_LOG" \
    java -Xms512m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED \
    -cp 'lib/*' org.codelibs.opensearch.runner.OpenSearchRunner \
    -basePath "$OS_DIR/data" -numOfNode 1 -baseHttpPort 9199 -clusterName marketops)
}

wait_opensearch() {
  local deadline=$((SECONDS + 120))
  until os_ok; do
    if ((SECONDS >= deadline)) || ! is_running "$OS_PID"; then
      show_logs "$OS_LOG"
      die "OpenSearch did not become healthy at $OS_URL (log: $OS_LOG)"
    fi
    sleep 1
  done
  [[ -n ${OS_STARTED_AT:-} ]] && log "opensearch healthy after $((SECONDS - OS_STARTED_AT)) s"
  return 0
}

status_opensearch() {
  local health
  if os_ok; then
    health="$(curl -fsS --max-time 3 "$OS_URL/_cluster/health" | grep -Eo '"status":"[a-z]+"' | cut -d'"' -f4)"
    status_line opensearch UP "$OS_URL ($health) pid $(cat "$OS_PID" 2>/dev/null || echo external) log $OS_LOG"
  else status_line opensearch DOWN "$OS_URL log $OS_LOG"; return 1; fi
}

# ------------------------------------------------------------------ Keycloak
# The realm (deploy/local/keycloak/marketops-realm.json) is imported on a start that
# finds no marketops realm in the keycloak database; later starts keep the database,
# users and secrets. reset-keycloak drops both to re-import from the file.
keycloak_ok() {
  curl -fsS -o /dev/null --max-time 3 "$KC_MGMT_URL/health/ready" 2>/dev/null &&
    curl -fsS -o /dev/null --max-time 3 "$KC_URL/realms/marketops/.well-known/openid-configuration" 2>/dev/null
}

# Unpack the distribution once (via Maven, so ~/.m2 caches it); an interrupted unpack
# leaves no $KC_HOME behind, so the next run retries.
fetch_keycloak() {
  command -v jq >/dev/null || apt_install jq
  [[ -x $KC_HOME/bin/kc.sh ]] && return 0
  log "downloading Keycloak $KC_VERSION from Maven Central (first run only, ~160 MB)"
  local mvn_log="$KC_DIR/download.log" tmp="$KC_DIR/dist.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  mvn -B -Dstyle.color=never dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
    -DoutputDirectory="$tmp" >"$mvn_log" 2>&1 ||
    { show_logs "$mvn_log"; die "mvn download for Keycloak failed (log: $mvn_log)"; }
  (cd "$tmp" && unzip -q "keycloak-quarkus-dist-$KC_VERSION.zip" && rm "keycloak-quarkus-dist-$KC_VERSION.zip") ||
    die "cannot unpack the Keycloak distribution in $tmp"
  rm -rf "$KC_HOME"
  mv "$tmp/keycloak-$KC_VERSION" "$KC_HOME"
  rm -rf "$tmp"
}

# secrets.env: the bootstrap admin, the sample users' password and one secret per
# confidential client, generated once and kept (an existing realm keeps the secrets it
# was imported with). A client added to the realm file later gets its secret appended.
ensure_kc_secrets() {
  local name names
  names="KC_ADMIN_PASSWORD SAMPLE_USER_PASSWORD $(grep -o '@@SECRET_[A-Z0-9_]*@@' "$KC_REALM_FILE" | tr -d @ | sort -u | tr '\n' ' ')"
  mkdir -p "$KC_DIR"
  (
    umask 077
    if [[ ! -f $KC_SECRETS ]]; then
      # New secrets would not match a realm imported earlier (import skips an existing realm).
      if [[ "$(psql -h 127.0.0.1 -U postgres -d "$KC_DB" -tAc "select 1 from realm where name='marketops'" 2>/dev/null)" == 1 ]]; then
        # A fresh checkout on a machine that ran another one: the realm there was imported
        # with that checkout's secrets. Local data only: start the realm afresh.
        log "$KC_SECRETS is missing but database $KC_DB holds a realm imported with other secrets: recreating it"
        psql -h 127.0.0.1 -U postgres -qc "drop database if exists $KC_DB" >/dev/null
        psql -h 127.0.0.1 -U postgres -qc "create database $KC_DB" >/dev/null
      fi
      log "generating $KC_SECRETS"
      printf '# Generated by deploy/local/infra.sh; local development only.\nKC_ADMIN_USERNAME=admin\n' >"$KC_SECRETS"
    fi
    for name in $names; do
      grep -q "^$name=" "$KC_SECRETS" || printf '%s=%s\n' "$name" "$(openssl rand -hex 24)" >>"$KC_SECRETS"
    done
  )
  chmod 600 "$KC_SECRETS"
}

# Copy the realm file into data/import with the @@NAME@@ placeholders filled in from
# secrets.env (the copy holds secrets: mode 600, under .local only).
write_kc_import() {
  local import_dir="$KC_HOME/data/import" target sed_args=() name value
  target="$import_dir/marketops-realm.json"
  mkdir -p "$import_dir"
  while IFS='=' read -r name value; do
    [[ $name =~ ^[A-Z0-9_]+$ ]] && sed_args+=(-e "s/@@${name}@@/${value}/g")
  done <"$KC_SECRETS"
  (umask 077 && sed "${sed_args[@]}" "$KC_REALM_FILE" >"$target.tmp")
  if grep -q '@@[A-Z0-9_]*@@' "$target.tmp"; then
    die "unfilled placeholders in $target.tmp: $(grep -o '@@[A-Z0-9_]*@@' "$target.tmp" | sort -u | tr '\n' ' ')"
  fi
  mv "$target.tmp" "$target"
}

# Runs in the background (start_bg): the one-time `kc.sh build`, then the server itself.
keycloak_run() {
  if [[ "$(cat "$KC_BUILT_MARKER" 2>/dev/null)" != "${KC_BUILD_OPTS[*]}" ]]; then
    echo "kc.sh build ${KC_BUILD_OPTS[*]} (once per checkout)"
    "$KC_HOME/bin/kc.sh" build "${KC_BUILD_OPTS[@]}" || exit 1
    echo "${KC_BUILD_OPTS[*]}" >"$KC_BUILT_MARKER"
  fi
  # shellcheck disable=SC1090
  set -a; source "$KC_SECRETS"; set +a
  export KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN_USERNAME" KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD"
  export JAVA_OPTS_KC_HEAP="-Xms128m -Xmx512m"
  export JAVA_OPTS_APPEND="--sun-misc-unsafe-memory-access=allow" # netty on JDK 24+
  exec "$KC_HOME/bin/kc.sh" start --optimized \
    --db-url=jdbc:postgresql://127.0.0.1:5432/$KC_DB --db-username=postgres --db-password=postgres \
    --http-enabled=true --http-host=127.0.0.1 --http-port=8180 --http-management-port=8181 \
    --hostname="$KC_URL" --cache=local --import-realm
}

start_keycloak() {
  if keycloak_ok; then return 0; fi
  is_running "$KC_PID" && return 0 # still booting (or building); wait_keycloak picks it up
  local port
  for port in 8180 8181; do
    tcp_open 127.0.0.1 "$port" && die "127.0.0.1:$port is taken by a process this script did not start"
  done
  fetch_keycloak
  ensure_kc_secrets
  write_kc_import
  KC_STARTED_AT=$SECONDS
  start_bg keycloak "$KC_PID" "$KC_LOG" "$LOCAL_DIR/infra.sh" keycloak-run
}

wait_keycloak() {
  # The first start also runs `kc.sh build` (20 s idle, ~3 min on a busy machine).
  local deadline=$((SECONDS + 360))
  until keycloak_ok; do
    if ((SECONDS >= deadline)) || ! is_running "$KC_PID"; then
      show_logs "$KC_LOG"
      die "Keycloak did not become ready at $KC_URL (log: $KC_LOG)"
    fi
    sleep 1
  done
  [[ -n ${KC_STARTED_AT:-} ]] && log "keycloak ready after $((SECONDS - KC_STARTED_AT)) s"
  return 0
}

status_keycloak() {
  if keycloak_ok; then status_line keycloak UP "$KC_URL realm marketops (admin console $KC_URL/admin, logins in $KC_SECRETS) pid $(cat "$KC_PID" 2>/dev/null || echo external) log $KC_LOG"
  elif is_running "$KC_PID"; then status_line keycloak BOOT "$KC_URL still starting, pid $(<"$KC_PID") log $KC_LOG"; return 1
  else status_line keycloak DOWN "$KC_URL log $KC_LOG"; return 1; fi
}

# stop_pidfile watches kc.sh; also wait for the JVM under it to release its ports.
stop_keycloak() {
  local was_running=0 i
  is_running "$KC_PID" && was_running=1
  stop_pidfile "$KC_PID"
  ((was_running)) || return 0
  for ((i = 0; i < 40; i++)); do
    tcp_open 127.0.0.1 8180 || tcp_open 127.0.0.1 8181 || return 0
    sleep 0.5
  done
  log "keycloak still holds 127.0.0.1:8180/8181 after 20 s"
}

reset_keycloak() {
  stop_keycloak
  log "dropping database $KC_DB and $KC_SECRETS (the realm is re-imported on the next start)"
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists $KC_DB" >/dev/null
  psql -h 127.0.0.1 -U postgres -qc "create database $KC_DB" >/dev/null
  rm -f "$KC_SECRETS" "$KC_HOME/data/import/marketops-realm.json"
}

# ------------------------------------------------------------------- Gateway
gateway_ok() { curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8080/api/ 2>/dev/null; }

# Re-running gateway-up reloads a running gateway, so it also applies config edits.
gateway_up() {
  command -v nginx >/dev/null || apt_install nginx
  mkdir -p "$NGINX_DIR/logs" "$NGINX_DIR/tmp"
  # The admin console's build output, served at "/" (gateway.conf: root console).
  ln -sfn "$REPO_ROOT/admin-console/dist" "$NGINX_DIR/console"
  # -e: nginx opens its error log before reading the config; keep that out of /var/log too.
  local nginx_cmd=(nginx -c "$NGINX_CONF" -p "$NGINX_DIR/" -e logs/error.log)
  "${nginx_cmd[@]}" -t -q || die "invalid $NGINX_CONF"
  if is_running "$NGINX_PID"; then
    "${nginx_cmd[@]}" -s reload
  elif tcp_open 127.0.0.1 8080 && { curl -fsS --max-time 2 http://127.0.0.1:8080/api/ 2>/dev/null || curl -fsS --max-time 2 http://127.0.0.1:8080/ 2>/dev/null; } | grep -q '"gateway":"marketops-local"'; then
    # Another checkout's gateway (same routes) already answers: use it rather than fail.
    log "a MarketOps gateway started elsewhere already answers on 127.0.0.1:8080; using it"
    return 0
  else
    tcp_open 127.0.0.1 8080 && die "127.0.0.1:8080 is taken by a process this script did not start"
    "${nginx_cmd[@]}" # daemonizes; writes $NGINX_PID itself
  fi
  wait_for_http http://127.0.0.1:8080/api/ 10 || {
    show_logs "$NGINX_DIR/logs/error.log"
    die "gateway not answering on 127.0.0.1:8080 (log: $NGINX_DIR/logs/error.log)"
  }
  status_gateway
}

status_gateway() {
  if is_running "$NGINX_PID" && gateway_ok; then status_line gateway UP "http://127.0.0.1:8080 pid $(<"$NGINX_PID") log $NGINX_DIR/logs/"
  else status_line gateway DOWN "http://127.0.0.1:8080 (optional; start with: $0 gateway-up)"; return 1; fi
}

# ---------------------------------------------------------------------- main
status_all() {
  local rc=0
  status_postgres || rc=1
  status_redis || rc=1
  status_kafka || rc=1
  status_opensearch || rc=1
  status_keycloak || rc=1
  status_gateway || true # the gateway is optional and not part of `up`
  return $rc
}

usage() { echo "usage: $0 {up [--keycloak-background]|down|status|reset-kafka|gateway-up|gateway-down|keycloak-up|keycloak-down|reset-keycloak}" >&2; exit 2; }

mkdir -p "$MARKETOPS_HOME"
case "${1:-}" in
  up)
    ensure_postgres
    ensure_redis
    # Launch the JVMs before waiting on any: they boot in parallel.
    start_kafka
    start_opensearch
    start_keycloak
    wait_kafka
    wait_opensearch
    if [[ ${2:-} == --keycloak-background ]]; then
      log "keycloak keeps booting in the background (wait for it with: $0 keycloak-up)"
      status_all || true
    else
      wait_keycloak
      status_all
    fi
    ;;
  down)
    stop_pidfile "$NGINX_PID"
    stop_keycloak
    stop_pidfile "$OS_PID"
    stop_pidfile "$KAFKA_PID"
    log "stopped gateway, Keycloak, OpenSearch and Kafka (PostgreSQL and Redis are left running)"
    ;;
  status) status_all ;;
  reset-kafka) reset_kafka ;;
  gateway-up) gateway_up ;;
  gateway-down) stop_pidfile "$NGINX_PID"; log "gateway stopped" ;;
  keycloak-up) ensure_postgres; start_keycloak; wait_keycloak; status_keycloak ;;
  keycloak-down) stop_keycloak; log "keycloak stopped" ;;
  keycloak-run) keycloak_run ;; # internal: the background process start_keycloak launches
  reset-keycloak) reset_keycloak ;;
  *) usage ;;
esac
