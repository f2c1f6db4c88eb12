#!/usr/bin/env bash
# The whole MarketOps platform on this machine (no Docker): infrastructure, the eight
# services, the API gateway, sample data.
#
#   platform.sh up       build if needed, start everything, load sample data, print the URLs
#   platform.sh down     stop the services, the gateway, Kafka and OpenSearch
#   platform.sh status   infrastructure and service health
#   platform.sh test     run every test suite against real servers (what CI runs)
#   platform.sh build    mvn install without tests (the services' runnable jars)
#   platform.sh bench    benchmarks against a freshly started fleet; prints the figures
#   platform.sh token ROLE USER_ID   a development bearer token (roles: operator auditor merchant admin)
#
# MARKETOPS_DB_NAME chooses the database the services use (default marketops).
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

svc_name() { echo "${1%%:*}"; }
svc_http() { local r=${1#*:}; echo "${r%%:*}"; }
svc_grpc() { echo "${1##*:}"; }
gateway_prefix() { local n=${1%-service}; n=${n%-operation}; n=${n%-sync}; echo "$n"; }

build() {
  log "building all modules (mvn install -DskipTests)"
  (cd "$REPO_ROOT" && "${MVN[@]}" -q install -DskipTests)
}

jars_present() {
  local s
  for s in "${SERVICES[@]}"; do
    [[ -f $REPO_ROOT/$(svc_name "$s")/target/quarkus-app/quarkus-run.jar ]] || return 1
  done
}

start_services() {
  local s name
  for s in "${SERVICES[@]}"; do
    name=$(svc_name "$s")
    if is_running "$SVC_DIR/$name.pid"; then
      continue
    fi
    tcp_open 127.0.0.1 "$(svc_http "$s")" && die "port $(svc_http "$s") for $name is taken by another process"
    # Small heaps and SerialGC: eight JVMs share two cores and a laptop's memory.
    start_bg "$name" "$SVC_DIR/$name.pid" "$SVC_DIR/$name.log" \
      "$JAVA_HOME/bin/java" -Xms64m -Xmx256m -XX:+UseSerialGC \
      -Dquarkus.http.port="$(svc_http "$s")" -Dquarkus.grpc.server.port="$(svc_grpc "$s")" \
      -jar "$REPO_ROOT/$name/target/quarkus-app/quarkus-run.jar"
  done
  for s in "${SERVICES[@]}"; do
    name=$(svc_name "$s")
    if ! wait_for_http "http://127.0.0.1:$(svc_http "$s")/q/health/ready" 120; then
      show_logs "$SVC_DIR/$name.log"
      die "$name did not become ready (log: $SVC_DIR/$name.log)"
    fi
  done
  log "all services ready"
}

stop_services() {
  local s
  for s in "${SERVICES[@]}"; do
    stop_pidfile "$SVC_DIR/$(svc_name "$s").pid"
  done
}

services_status() {
  local s name state rc=0
  for s in "${SERVICES[@]}"; do
    name=$(svc_name "$s")
    if curl -fsS -o /dev/null --max-time 3 "$GATEWAY/api/$(gateway_prefix "$name")/q/health"; then
      state=UP
    else
      state=DOWN
      rc=1
    fi
    printf '%-24s %-5s %s\n' "$name" "$state" "$GATEWAY/api/$(gateway_prefix "$name")/  (direct :$(svc_http "$s"), gRPC :$(svc_grpc "$s"))"
  done
  return $rc
}

# A few listings of different categories and sources, submitted: the operator and supplier
# ones pass audit on their own and go online (catalogue, cache, search); the merchant ones
# wait in the review queue. Idempotency keys make reruns harmless.
load_sample_data() {
  local i cat title source user data task d1 d2 show
  d1=$(date -u -d '+1 day' +%F)
  d2=$(date -u -d '+2 days' +%F)
  show=$(date -u -d '+3 days' +%FT20:00:00Z)
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
    task=$(curl -fsS -X POST "$GATEWAY/api/listing/listings" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: sample-listing-v2-$i" \
      -d "{\"categoryId\": $cat, \"title\": \"$title\", \"sourceType\": \"$source\", \"sourceUserType\": \"$user\", \"creatorId\": 1, \"merchantId\": 1, \"itemData\": $data}") ||
      die "could not create sample listing $i through the gateway"
    task=$(sed -E 's/.*"taskId":([0-9]+).*/\1/' <<<"$task")
    # A rerun finds the task already submitted (409): that is fine.
    curl -fsS -o /dev/null -X POST "$GATEWAY/api/listing/listings/$task/actions/submit" \
      -H 'Content-Type: application/json' -d '{"expectedVersion": 0}' || true
  done
  log "sample data: ${#samples[@]} listings submitted (operator and supplier ones go online by themselves; merchant ones wait for an auditor)"
}

print_urls() {
  cat <<MSG

MarketOps is up.
  Gateway            $GATEWAY/            (routes /api/<service>/...)
  Categories         $GATEWAY/api/config/categories
  Listings           $GATEWAY/api/listing/listings
  Lifecycle history  $GATEWAY/api/audit/listing-events?taskId=<id>
  Dead letters       $GATEWAY/api/maintenance/dead-letters
  OpenAPI            $GATEWAY/api/<service>/q/openapi
  Health / metrics   $GATEWAY/api/<service>/q/health  and  /q/metrics
  Kafka              127.0.0.1:9092      OpenSearch http://127.0.0.1:9200
  Logs               $SVC_DIR/<service>.log
Stop with: deploy/local/platform.sh down
MSG
}

run_tests() {
  local started_infra=0 rc=0
  "$INFRA" status >/dev/null 2>&1 || started_infra=1
  "$INFRA" up
  # 1) every module's own tests (@QuarkusTest against the real servers), building the jars
  log "module tests: mvn install"
  (cd "$REPO_ROOT" && "${MVN[@]}" install) || rc=$?
  # 2) the end-to-end suite against the running fleet, behind the gateway, on the test database
  if ((rc == 0)); then
    export MARKETOPS_DB_NAME=marketops_test
    stop_services
    start_services && "$INFRA" gateway-up || rc=$?
    if ((rc == 0)); then
      log "end-to-end tests"
      (cd "$REPO_ROOT" && "${MVN[@]}" -pl e2e-tests verify -DskipE2E=false) || rc=$?
    fi
    stop_services
    "$INFRA" gateway-down
  fi
  if ((started_infra)); then
    "$INFRA" down
  fi
  return $rc
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A bearer token signed with the local development key (deploy/local/jwt), as a login would issue.
dev_token() {
  local role=${1:?role} user=${2:?user id} now header payload sig
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"marketops","sub":"%s","groups":["%s"],"iat":%d,"exp":%d}' "$user" "$role" "$now" $((now + 8 * 3600)) | b64url)
  sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$LOCAL_DIR/jwt/dev-private.pem" -binary | b64url)
  printf '%s.%s.%s\n' "$header" "$payload" "$sig"
}

run_bench() {
  local rc=0
  "$INFRA" up
  jars_present || build
  export MARKETOPS_DB_NAME=marketops_test
  stop_services
  start_services
  "$INFRA" gateway-up
  log "benchmarks (figures also in e2e-tests/target/bench-*.txt)"
  (cd "$REPO_ROOT" && "${MVN[@]}" -q -pl e2e-tests test -Pbench "$@") || rc=$?
  stop_services
  "$INFRA" gateway-down
  return $rc
}

case "${1:-}" in
  up)
    "$INFRA" up
    jars_present || build
    start_services
    "$INFRA" gateway-up
    load_sample_data
    services_status
    print_urls
    ;;
  down)
    stop_services
    "$INFRA" down
    ;;
  status)
    "$INFRA" status || true
    services_status
    ;;
  build) build ;;
  bench) shift; run_bench "$@" ;;
  token) dev_token "${2:-}" "${3:-}" ;;
  test) run_tests ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
