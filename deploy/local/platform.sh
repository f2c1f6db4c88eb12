#!/usr/bin/env bash
# The whole MarketOps platform on this machine (no Docker): infrastructure, the eight
# services, the API gateway, sample data.
#
#   platform.sh up       build if needed, start everything, load sample data, print the URLs
#                        (--with-prometheus, or MARKETOPS_PROMETHEUS=1: also a Prometheus scraping every
#                        service with the alert rules loaded, http://127.0.0.1:9190/)
#   platform.sh down     stop the services, Prometheus, the gateway, Keycloak, Kafka and OpenSearch
#   platform.sh status   infrastructure and service health
#   platform.sh test     run every test suite against real servers (what CI runs)
#   platform.sh e2e      only the end-to-end and browser suites, on a fresh fleet (modules and console built)
#   platform.sh build    mvn install without tests (the services' runnable jars) and the admin console
#   platform.sh bench    benchmarks against a freshly started fleet; prints the figures
#   platform.sh token ROLE USER_ID   an access token from the local Keycloak for user ROLE-USER_ID
#                                    (created on first use; roles: operator auditor merchant risk_control
#                                    supplier_admin admin service supplier)
#   platform.sh service-token CLIENT a client-credentials token (svc-listing, supplier-hotel, ...)
#
# MARKETOPS_DB_NAME chooses the database the services use (default marketops).
# MARKETOPS_REPLICAS="listing-service batch-operation-service" starts a second instance of each named
# service (NAME-2, on its HTTP and gRPC ports + REPLICA_OFFSET, 200); see replicas() below.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# name:http-port:grpc-port, in start order (config-service first: the others ask it about categories).
SERVICES=(
  config-service:8086:9086
  listing-service:8081:9081
  audit-service:8082:9082
  publish-service:8083:9083
  batch-operation-service:8084:9084
  supplier-sync-service:8085:9085
  maintenance-service:8087:9087
  search-service:8088:9088
)
SVC_DIR="$MARKETOPS_HOME/services"
GATEWAY=http://127.0.0.1:8080
INFRA="$LOCAL_DIR/infra.sh"
MVN=(mvn -B -Dstyle.color=never)
KC_URL=http://127.0.0.1:8180
KC_REALM_URL=$KC_URL/realms/marketops
KC_SECRETS="$MARKETOPS_HOME/keycloak/secrets.env" # written by infra.sh on Keycloak's first start

# A second instance of each service named in MARKETOPS_REPLICAS, as name-2 on the ports +
# REPLICA_OFFSET (listing-service-2:8281:9281, management 7281; Keycloak holds 8181). Both share
# the schema, the consumer groups and the advisory locks, as two pods of one Deployment do. gRPC
# callers reach both through a static Stork list, round robin per call (stork_opts); REST through
# the gateway still reaches the first.
REPLICA_OFFSET=200 # e2e-tests ServiceMeters looks for the replicas' management ports there too
replicas() {
  local s name
  for s in "${SERVICES[@]}"; do
    name=$(svc_name "$s")
    [[ " ${MARKETOPS_REPLICAS:-} " == *" $name "* ]] || continue
    echo "$name-2:$(($(svc_http "$s") + REPLICA_OFFSET)):$(($(svc_grpc "$s") + REPLICA_OFFSET))"
  done
}

# Every instance to start: the services, then their replicas.
instances() {
  printf '%s\n' "${SERVICES[@]}"
  replicas
}

# The module an instance runs (listing-service-2 runs listing-service).
svc_module() { local n=${1%%:*}; echo "${n%-2}"; }

# gRPC client settings for every instance when listing-service has a replica: the clients that
# call it ("listing", and "catalog" for its catalogue commands) resolve it through Stork.
stork_opts() {
  [[ " ${MARKETOPS_REPLICAS:-} " == *" listing-service "* ]] || return 0
  local c s grpc
  for s in "${SERVICES[@]}"; do
    [[ $(svc_name "$s") == listing-service ]] && grpc=$(svc_grpc "$s")
  done
  for c in listing catalog; do
    echo "-Dquarkus.grpc.clients.$c.host=listing-service -Dquarkus.grpc.clients.$c.name-resolver=stork"
  done
  echo "-Dquarkus.stork.listing-service.service-discovery.type=static"
  echo "-Dquarkus.stork.listing-service.service-discovery.address-list=127.0.0.1:$grpc,127.0.0.1:$((grpc + REPLICA_OFFSET))"
}

svc_name() { echo "${1%%:*}"; }
svc_http() { local r=${1#*:}; echo "${r%%:*}"; }
svc_grpc() { echo "${1##*:}"; }
gateway_prefix() { local n=${1%-service}; n=${n%-operation}; n=${n%-sync}; echo "$n"; }

build() {
  log "building all modules (mvn install -DskipTests)"
  (cd "$REPO_ROOT" && "${MVN[@]}" -q install -DskipTests)
  build_console
}

# ---------------------------------------------------------------- admin console (admin-console/)
# Built with the machine's Node.js and npm (no Maven plugin downloading Node); the gateway
# serves admin-console/dist at "/".
CONSOLE_DIR="$REPO_ROOT/admin-console"
ensure_node() {
  command -v npm >/dev/null || apt_install nodejs npm
}

build_console() {
  ensure_node
  log "building the admin console (npm ci && npm run build)"
  (cd "$CONSOLE_DIR" && npm ci --no-audit --no-fund --loglevel=error && npm run build)
}

# The browser the console's end-to-end tests drive (Debian's chromium, with a CJK font for
# the Simplified Chinese labels), installed once.
ensure_chromium() {
  apt_install chromium fonts-wqy-zenhei
}

# The console's public client (authorization code + PKCE) comes with the realm file; a realm
# imported before the client was added to that file gets it here, once.
ensure_console_client() {
  local found
  found=$(kc_admin GET "/clients?clientId=marketops-console" | jq -r 'length') || { log "cannot list Keycloak clients"; return 1; }
  [[ $found == 0 ]] || return 0
  log "adding the Keycloak client marketops-console to the existing realm"
  kc_admin POST /clients "$(jq -c '.clients[] | select(.clientId == "marketops-console")' "$LOCAL_DIR/keycloak/marketops-realm.json")" >/dev/null ||
    { log "could not create the Keycloak client marketops-console"; return 1; }
}

console_unit_tests() {
  log "admin console component tests (vitest)"
  (cd "$CONSOLE_DIR" && npm test)
}

console_e2e_tests() {
  ensure_chromium
  ensure_console_client
  log "admin console browser tests (playwright-core, chromium) through $GATEWAY"
  (cd "$CONSOLE_DIR" && node e2e/run.mjs)
}

jars_present() {
  local s
  for s in "${SERVICES[@]}"; do
    [[ -f $REPO_ROOT/$(svc_name "$s")/target/quarkus-app/quarkus-run.jar ]] || return 1
  done
}

# Management interface (health, metrics): 7000 + the last three digits of the HTTP port.
svc_mgmt() { echo $((7000 + $(svc_http "$1") % 1000)); }

# kc_secret NAME: one value from secrets.env.
kc_secret() {
  [[ -f $KC_SECRETS ]] || die "$KC_SECRETS is missing: start Keycloak first (deploy/local/infra.sh keycloak-up)"
  sed -n "s/^$1=//p" "$KC_SECRETS" | head -1
}

# Client secret of a confidential client: svc-listing -> SECRET_SVC_LISTING.
client_secret() {
  local v
  v=$(kc_secret "SECRET_$(tr 'a-z-' 'A-Z_' <<<"$1")")
  [[ -n $v ]] || die "no secret for client $1 in $KC_SECRETS"
  echo "$v"
}

# Readiness moves to the management port when a service enables it; accept either.
svc_ready() {
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$(svc_mgmt "$1")/q/health/ready" 2>/dev/null ||
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$(svc_http "$1")/q/health/ready" 2>/dev/null
}

# MARKETOPS_JFR=1: every service records a JDK Flight Recording (profile settings) from its start,
# written to .local/services/NAME.jfr when it stops (`jfr print --events jdk.ExecutionSample`).
jfr_opts() {
  [[ ${MARKETOPS_JFR:-0} == 1 ]] || return 0
  echo "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$SVC_DIR/$1.jfr"
}

start_services() {
  local s name client deadline all
  # Suppliers' pull credentials (secret:<name> references) are files here, as a mounted Secret in a cluster.
  mkdir -p "$MARKETOPS_HOME/supplier-secrets" && chmod 700 "$MARKETOPS_HOME/supplier-secrets"
  mapfile -t all < <(instances)
  for s in "${all[@]}"; do
    name=$(svc_name "$s")
    if is_running "$SVC_DIR/$name.pid"; then
      continue
    fi
    tcp_open 127.0.0.1 "$(svc_http "$s")" && die "port $(svc_http "$s") for $name is taken by another process"
    client="svc-$(gateway_prefix "$(svc_module "$s")")"
    # Small heaps and SerialGC: eight JVMs share two cores and a laptop's memory.
    # Tokens are verified against the local Keycloak; the service's own client secret goes
    # through the environment, never the command line (ps shows that to everyone).
    MARKETOPS_SERVICE_CLIENT_SECRET="$(client_secret "$client")" \
      start_bg "$name" "$SVC_DIR/$name.pid" "$SVC_DIR/$name.log" \
      "$JAVA_HOME/bin/java" -Xms64m -Xmx256m -XX:+UseSerialGC $(jfr_opts "$name") $(stork_opts) \
      -Dquarkus.http.port="$(svc_http "$s")" -Dquarkus.grpc.server.port="$(svc_grpc "$s")" \
      -Dquarkus.management.port="$(svc_mgmt "$s")" \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.management.host=127.0.0.1 \
      -Dmp.jwt.verify.publickey.location="$KC_REALM_URL/protocol/openid-connect/certs" \
      -Dmp.jwt.verify.issuer="$KC_REALM_URL" -Dmp.jwt.verify.audiences=marketops \
      -Dmarketops.service.token-url="$KC_REALM_URL/protocol/openid-connect/token" \
      -Dmarketops.service.client-id="$client" \
      -Dmarketops.homepage.static-dir="$MARKETOPS_HOME/static/config" \
      -Dmarketops.supplier.credentials.secrets-dir="$MARKETOPS_HOME/supplier-secrets" \
      -jar "$REPO_ROOT/$(svc_module "$s")/target/quarkus-app/quarkus-run.jar"
  done
  for s in "${all[@]}"; do
    name=$(svc_name "$s")
    deadline=$((SECONDS + 120))
    until svc_ready "$s"; do
      if ((SECONDS >= deadline)) || ! is_running "$SVC_DIR/$name.pid"; then
        show_logs "$SVC_DIR/$name.log"
        die "$name did not become ready (log: $SVC_DIR/$name.log)"
      fi
      sleep 0.5
    done
  done
  log "all services ready"
}

stop_services() {
  local s
  for s in "${SERVICES[@]}"; do
    stop_pidfile "$SVC_DIR/$(svc_name "$s")-2.pid" # a replica started earlier, with or without MARKETOPS_REPLICAS now
    stop_pidfile "$SVC_DIR/$(svc_name "$s").pid"
  done
}

services_status() {
  local s name state rc=0
  for s in $(instances); do
    name=$(svc_name "$s")
    if curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$(svc_mgmt "$s")/q/health" 2>/dev/null ||
      curl -fsS -o /dev/null --max-time 3 "$GATEWAY/api/$(gateway_prefix "$name")/q/health" 2>/dev/null; then
      state=UP
    else
      state=DOWN
      rc=1
    fi
    printf '%-24s %-5s %s\n' "$name" "$state" "$GATEWAY/api/$(gateway_prefix "$name")/  (direct :$(svc_http "$s"), management :$(svc_mgmt "$s"), gRPC :$(svc_grpc "$s"))"
  done
  return $rc
}

# A few listings of different categories and sources, submitted: the operator and supplier
# ones pass audit on their own and go online (catalogue, cache, search); the merchant ones
# wait in the review queue. Operator and supplier-source samples are created with the
# operator's token (for shop 1001), merchant ones with the merchant's (merchant 1001).
# Idempotency keys make reruns harmless.
load_sample_data() {
  local i cat title source user data task d1 d2 show token shop op_token merchant_token
  d1=$(date -u -d '+1 day' +%F)
  d2=$(date -u -d '+2 days' +%F)
  show=$(date -u -d '+3 days' +%FT20:00:00Z)
  op_token=$(user_token operator) || die "no token for the sample user operator"
  merchant_token=$(user_token merchant) || die "no token for the sample user merchant"
  local samples=(
    "1200|Hotpot dinner voucher 100 for 88|operator_form|operator|{\"face_value\": 100, \"sale_price\": 88, \"valid_days\": 90}"
    "1300|Car wash service, 3 visits|merchant_portal|merchant|{\"service_name\": \"Car wash\", \"price\": 39.9, \"quantity\": 100, \"valid_days\": 30}"
    "2100|Harbour View Hotel deluxe double|supplier_pull|system|{\"star_rating\": \"4-star\", \"guest_capacity\": 2, \"bed_type\": \"king\", \"price_calendar\": [{\"date\": \"$d1\", \"price\": 399}, {\"date\": \"$d2\", \"price\": 420}]}"
    "3100|Evening show, hall 3|supplier_push|system|{\"movie_name\": \"The Long Night\", \"cinema_name\": \"Harbour Cinema\", \"ticket_type\": \"IMAX\", \"show_time\": \"$show\", \"seats\": [\"A1\", \"A2\", \"A3\"]}"
    "4100|Mobile top-up 50|operator_form|operator|{\"carrier\": \"China Mobile\", \"denomination\": 50, \"sale_price\": 49.5}"
    "4200|Gift card 200|merchant_app|merchant|{\"face_value\": 200, \"sale_price\": 190, \"card_type\": \"generated\"}"
    "1400|Family brunch bundle|merchant_portal|merchant|{\"bundle_price\": 99, \"valid_days\": 30, \"sub_items\": [{\"itemId\": 1, \"quantity\": 1, \"price\": 60}, {\"itemId\": 2, \"quantity\": 2, \"price\": 30}]}"
  )
  for i in "${!samples[@]}"; do
    IFS='|' read -r cat title source user data <<<"${samples[$i]}"
    if [[ $user == merchant ]]; then
      token=$merchant_token shop="" # a merchant's shop comes from its token (merchant_id)
    else
      token=$op_token shop='"shopId": 1001, '
    fi
    task=$(curl -fsS -X POST "$GATEWAY/api/listing/listings" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: sample-listing-v3-$i" \
      -d "{\"categoryId\": $cat, \"title\": \"$title\", \"sourceType\": \"$source\", \"sourceUserType\": \"$user\", ${shop}\"itemData\": $data}") ||
      die "could not create sample listing $i through the gateway"
    task=$(sed -E 's/.*"taskId":([0-9]+).*/\1/' <<<"$task")
    # A rerun finds the task already submitted (409): that is fine.
    curl -fsS -o /dev/null -X POST "$GATEWAY/api/listing/listings/$task/actions/submit" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d '{"expectedVersion": 0}' || true
  done
  log "sample data: ${#samples[@]} listings submitted (operator and supplier ones go online by themselves; merchant ones wait for an auditor)"
}

print_urls() {
  cat <<MSG

MarketOps is up.
  Admin console      $GATEWAY/            (log in as one of the sample logins below)
  Gateway            $GATEWAY/api/        (routes /api/<service>/...)
  Categories         $GATEWAY/api/config/categories
  Listings           $GATEWAY/api/listing/listings
  Lifecycle history  $GATEWAY/api/audit/listing-events?taskId=<id>
  Dead letters       $GATEWAY/api/maintenance/dead-letters
  OpenAPI            $GATEWAY/api/<service>/q/openapi
  Health / metrics   http://127.0.0.1:7081/q/health ... (management port = 7000 + last 3 digits of the service port)
  Kafka              127.0.0.1:9092      OpenSearch http://127.0.0.1:9200
  Keycloak           $KC_URL/admin  (realm marketops; admin user: KC_ADMIN_USERNAME / KC_ADMIN_PASSWORD in $KC_SECRETS)
  Sample logins      operator auditor merchant merchant2 risk supplier-admin admin
                     password: SAMPLE_USER_PASSWORD in $KC_SECRETS
  A bearer token     deploy/local/platform.sh token operator 7    (or: service-token svc-listing)
  Logs               $SVC_DIR/<service>.log
Stop with: deploy/local/platform.sh down
MSG
}

# NAME=MANAGEMENT_PORT of every service: what the local Prometheus scrapes.
prometheus_targets() {
  local s
  for s in $(instances); do
    echo "$(svc_name "$s")=$(svc_mgmt "$s")"
  done
}

# The end-to-end fleet's database, made anew for each run (MARKETOPS_DB_NAME=marketops_e2e): the module
# tests leave thousands of listings half way in marketops_test (approved by a test playing audit-service,
# never published), and a fleet started there rightly has its watchdog retry them all, so the first
# end-to-end test's listing waited behind ~2,000 sagas (stop 19's and this session's CI failures).
fresh_e2e_database() {
  export MARKETOPS_DB_NAME=marketops_e2e
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists $MARKETOPS_DB_NAME with (force)" >/dev/null
  psql -h 127.0.0.1 -U postgres -qc "create database $MARKETOPS_DB_NAME" >/dev/null
  log "fresh database $MARKETOPS_DB_NAME for the end-to-end fleet"
}

# The end-to-end part alone (the jars and the console built): a fresh database and broker, the fleet,
# the Java end-to-end suite, then the console in a real browser (also when the Java suite failed).
run_e2e() {
  local rc=0
  fresh_e2e_database
  stop_services
  # A fresh broker: the module tests leave thousands of events in the topics, and a fleet whose
  # groups start there works through them first, so a test's own event waits behind a backlog
  # (the e2e Fleet also waits until every live consumer group has caught up before the first test).
  "$INFRA" reset-kafka
  "$INFRA" keycloak-up && start_services && "$INFRA" gateway-up || rc=$?
  if ((rc == 0)); then
    log "end-to-end tests"
    (cd "$REPO_ROOT" && "${MVN[@]}" -pl e2e-tests verify -DskipE2E=false -De2e.supplier-secrets="$MARKETOPS_HOME/supplier-secrets" \
      -De2e.jdbc="jdbc:postgresql://127.0.0.1:5432/$MARKETOPS_DB_NAME") || rc=$?
    console_e2e_tests || rc=$?
  fi
  stop_services
  "$INFRA" gateway-down
  return $rc
}

run_tests() {
  local started_infra=0 rc=0
  ensure_promtool # the deploy module's PromtoolTest runs it
  ensure_libreoffice # search-service's export test round-trips a file through LibreOffice Calc
  "$INFRA" status >/dev/null 2>&1 || started_infra=1
  # Keycloak only matters for the end-to-end part: let it boot while the modules build.
  "$INFRA" up --keycloak-background
  # 1) every module's own tests (@QuarkusTest against the real servers), building the jars
  log "module tests: mvn install"
  (cd "$REPO_ROOT" && "${MVN[@]}" install) || rc=$?
  # 1b) the admin console: build and component tests
  if ((rc == 0)); then
    build_console && console_unit_tests || rc=$?
  fi
  # 2) the end-to-end suite against the running fleet, behind the gateway, on a fresh database
  if ((rc == 0)); then
    run_e2e || rc=$?
  fi
  if ((started_infra)); then
    "$INFRA" down
  fi
  return $rc
}

# ---------------------------------------------------------------- tokens (Keycloak)
# token_request FORM_ARGS...: POST to the realm's token endpoint, print the access token.
token_request() {
  local body
  body=$(curl -sS --max-time 10 -X POST "$KC_REALM_URL/protocol/openid-connect/token" "$@") ||
    { log "Keycloak not reachable at $KC_URL (start it: deploy/local/infra.sh keycloak-up)"; return 1; }
  jq -er '.access_token' <<<"$body" 2>/dev/null || { log "token request refused: $body"; return 1; }
}

# user_token USERNAME: password grant for a realm user (sample password) on marketops-cli.
user_token() {
  token_request -d grant_type=password -d client_id=marketops-cli -d scope=openid \
    --data-urlencode "username=$1" --data-urlencode "password=$(kc_secret SAMPLE_USER_PASSWORD)"
}

# kc_admin METHOD PATH [JSON]: admin REST call as the bootstrap admin (master realm).
kc_admin_login() {
  [[ -n ${KC_ADMIN_TOKEN:-} ]] && return 0
  KC_ADMIN_TOKEN=$(curl -sS --max-time 10 -X POST "$KC_URL/realms/master/protocol/openid-connect/token" \
      -d grant_type=password -d client_id=admin-cli --data-urlencode "username=$(kc_secret KC_ADMIN_USERNAME)" \
      --data-urlencode "password=$(kc_secret KC_ADMIN_PASSWORD)" | jq -er .access_token) ||
    die "cannot log in to Keycloak as the bootstrap admin ($KC_URL, $KC_SECRETS)"
}

kc_admin() {
  kc_admin_login
  curl -fsS --max-time 10 -X "$1" "$KC_URL/admin/realms/marketops$2" -H "Authorization: Bearer $KC_ADMIN_TOKEN" \
    -H 'Content-Type: application/json' ${3:+-d "$3"}
}

# ensure_user ROLE USER_ID: user ROLE-USER_ID with attribute user_id (and merchant_id for
# merchants), realm role ROLE and the sample password.
ensure_user() {
  local role=$1 uid=$2 username="$1-$2" attrs id role_rep
  attrs="{\"user_id\": [\"$uid\"]}"
  [[ $role == merchant ]] && attrs="{\"user_id\": [\"$uid\"], \"merchant_id\": [\"$uid\"]}"
  kc_admin_login # once, not in every $(kc_admin ...) subshell
  role_rep=$(kc_admin GET "/roles/$role" 2>/dev/null) || die "no realm role $role in Keycloak (roles: operator auditor merchant risk_control supplier_admin admin service supplier)"
  log "creating Keycloak user $username (role $role, user_id $uid)"
  # A 409 means a concurrent run created it: fine, the role mapping below is idempotent.
  kc_admin POST /users "{\"username\": \"$username\", \"enabled\": true, \"email\": \"$username@marketops.local\",
    \"emailVerified\": true, \"firstName\": \"$role\", \"lastName\": \"$uid\", \"requiredActions\": [], \"attributes\": $attrs,
    \"credentials\": [{\"type\": \"password\", \"value\": \"$(kc_secret SAMPLE_USER_PASSWORD)\", \"temporary\": false}]}" >/dev/null || true
  id=$(kc_admin GET "/users?exact=true&username=$username" | jq -er '.[0].id') || die "could not create Keycloak user $username"
  kc_admin POST "/users/$id/role-mappings/realm" "[$role_rep]" >/dev/null || die "could not give $username the role $role"
}

# token ROLE USER_ID: one password grant when the user exists already (the fast path).
dev_token() {
  local role=${1:?usage: token ROLE USER_ID} uid=${2:?usage: token ROLE USER_ID} t
  [[ $uid =~ ^[0-9]+$ ]] || die "USER_ID must be a number"
  if t=$(user_token "$role-$uid" 2>/dev/null); then echo "$t"; return 0; fi
  ensure_user "$role" "$uid"
  user_token "$role-$uid" || die "password grant for $role-$uid failed"
}

service_token() {
  local client=${1:?usage: service-token CLIENT}
  token_request -d grant_type=client_credentials -d "client_id=$client" --data-urlencode "client_secret=$(client_secret "$client")" ||
    die "client-credentials grant for $client failed"
}

run_bench() {
  local rc=0
  "$INFRA" up
  jars_present || build
  fresh_e2e_database # benchmarks on a quiet fleet too: no watchdog retrying the module tests' leftovers
  stop_services
  "$INFRA" reset-kafka # and no backlog of events about tasks the fresh database does not have
  start_services
  "$INFRA" gateway-up
  log "benchmarks (figures also in e2e-tests/target/bench-*.txt)"
  (cd "$REPO_ROOT" && "${MVN[@]}" -q -pl e2e-tests test -Pbench -De2e.jdbc="jdbc:postgresql://127.0.0.1:5432/$MARKETOPS_DB_NAME" "$@") || rc=$?
  stop_services
  "$INFRA" gateway-down
  return $rc
}

case "${1:-}" in
  up)
    with_prometheus=${MARKETOPS_PROMETHEUS:-0}
    [[ ${2:-} == --with-prometheus ]] && with_prometheus=1
    "$INFRA" up
    jars_present || build
    start_services
    "$INFRA" gateway-up
    # shellcheck disable=SC2046 # one NAME=PORT word per service
    ((with_prometheus)) && "$LOCAL_DIR/prometheus.sh" up $(prometheus_targets)
    load_sample_data
    services_status
    print_urls
    ;;
  down)
    "$LOCAL_DIR/prometheus.sh" down
    stop_services
    "$INFRA" down
    ;;
  status)
    "$INFRA" status || true
    services_status
    "$LOCAL_DIR/prometheus.sh" status
    ;;
  # shellcheck disable=SC2046
  prometheus-config) "$LOCAL_DIR/prometheus.sh" config "${2:?usage: $0 prometheus-config DIR}" $(prometheus_targets) ;;
  build) build ;;
  bench) shift; run_bench "$@" ;;
  token) dev_token "${2:-}" "${3:-}" ;;
  service-token) service_token "${2:-}" ;;
  test) run_tests ;;
  e2e) "$INFRA" up && run_e2e ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
