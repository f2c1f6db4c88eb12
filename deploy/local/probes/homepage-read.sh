#!/usr/bin/env bash
# The storefront's homepage read (config-service, issue 14) on loopback with wrk: one hot Redis key
# versus the N spread copies, each without and with the in-process copy. Needs the infrastructure and
# Keycloak up (deploy/local/infra.sh status) and a built config-service jar; starts its own
# config-service on free ports (its own Redis prefix, static dir and Kafka group, so a running fleet
# is not touched), publishes one group, measures, and stops it again.
#   deploy/local/probes/homepage-read.sh [SECONDS]        (default 15 s per scenario, after 10 s warm-up)
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
apt_install wrk jq

SECS=${1:-15}
PLATFORM="$LOCAL_DIR/platform.sh"
JAR="$REPO_ROOT/config-service/target/quarkus-app/quarkus-run.jar"
[[ -f $JAR ]] || die "$JAR is missing: mvn -pl config-service install -DskipTests"
HTTP=18186 GRPC=19186 MGMT=17186
BASE=http://127.0.0.1:$HTTP
RUN_DIR="$MARKETOPS_HOME/bench/homepage"
PID="$RUN_DIR/config-service.pid"
REALM=http://127.0.0.1:8180/realms/marketops
mkdir -p "$RUN_DIR"
for p in $HTTP $GRPC $MGMT; do tcp_open 127.0.0.1 "$p" && die "port $p is taken"; done
SECRET=$(sed -n 's/^SECRET_SVC_CONFIG=//p' "$MARKETOPS_HOME/keycloak/secrets.env" | head -1)

start() { # start LOCAL_TTL
  MARKETOPS_SERVICE_CLIENT_SECRET="$SECRET" start_bg config-service-bench "$PID" "$RUN_DIR/config-service.log" \
    "$JAVA_HOME/bin/java" -Xms64m -Xmx256m -XX:+UseSerialGC \
    -Dquarkus.http.port=$HTTP -Dquarkus.grpc.server.port=$GRPC -Dquarkus.management.port=$MGMT \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.management.host=127.0.0.1 \
    -Dmp.jwt.verify.publickey.location="$REALM/protocol/openid-connect/certs" \
    -Dmp.jwt.verify.issuer="$REALM" -Dmp.jwt.verify.audiences=marketops \
    -Dmarketops.service.token-url="$REALM/protocol/openid-connect/token" -Dmarketops.service.client-id=svc-config \
    -Dmarketops.homepage.static-dir="$RUN_DIR/static" -Dmarketops.homepage.redis-prefix=marketops-bench:homepage: \
    -Dmarketops.homepage.refresh-channel=marketops-bench:homepage:published \
    -Dmp.messaging.incoming.config-publish.group.id=config-publish-worker-bench \
    -Dmarketops.homepage.local-ttl="$1" -Dquarkus.log.level=WARN -jar "$JAR"
  local deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null "http://127.0.0.1:$MGMT/q/health/ready" 2>/dev/null ||
    curl -fsS -o /dev/null "$BASE/q/health/ready" 2>/dev/null; do
    ((SECONDS < deadline)) || { show_logs "$RUN_DIR/config-service.log"; die "config-service did not start"; }
    sleep 0.5
  done
}
trap 'stop_pidfile "$PID"' EXIT

# wrk's Lua: every request a random user id, so reads spread over the N copies.
cat >"$RUN_DIR/spread.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  return wrk.format("GET", wrk.path .. "?userId=" .. math.random(1, 10000000))
end
LUA

measure() { # measure LABEL URL [LUA]
  local label=$1 url=$2 script=() r
  [[ -n ${3:-} ]] && script=(-s "$3")
  wrk -t2 -c16 -d10s -H "Authorization: Bearer $READ_TOKEN" "${script[@]}" "$url" >/dev/null
  r=$(wrk -t2 -c16 -d"${SECS}s" --latency -H "Authorization: Bearer $READ_TOKEN" "${script[@]}" "$url")
  printf '%-44s %9s req/s  p50 %-8s p99 %-8s %s\n' "$label" "$(awk '/Requests\/sec/ {print $2}' <<<"$r")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$r")" "$(awk '$1 == "99%" {print $2}' <<<"$r")" "$(grep -o 'Non-2xx.*' <<<"$r" || true)"
}

start PT0S
ADMIN=$("$PLATFORM" token admin 1)
READ_TOKEN=$("$PLATFORM" service-token svc-search)
code="BENCH_$(date +%s)"
group=$(curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"code\":\"$code\",\"name\":\"Bench homepage\",\"region\":\"SG\",\"platform\":\"app\",\"environment\":\"prod\"}" \
  "$BASE/homepage/groups" | jq -r .groupId)
entrances='[{"code":"FOOD","name":"Food","sortOrder":1,"categoryIds":["1100"],"tags":["HOT"]},
 {"code":"HOTEL","name":"Hotels","sortOrder":2,"categoryIds":["2100"]},{"code":"MOVIE","name":"Movies","sortOrder":3,"categoryIds":["3100"]},
 {"code":"TOPUP","name":"Top-up","sortOrder":4,"categoryIds":["4100"],"carriers":["China Mobile","China Unicom","China Telecom"]},
 {"code":"GIFT","name":"Gift cards","sortOrder":5,"categoryIds":["4200"]},{"code":"DEAL","name":"Vouchers","sortOrder":6,"categoryIds":["1200"]}]'
curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"version\":0,\"entrances\":$entrances}" "$BASE/homepage/groups/$group/draft"
curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"draftVersion":1}' "$BASE/homepage/groups/$group/publish"
URL="$BASE/storefront/homepage/$group"
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null -H "Authorization: Bearer $READ_TOKEN" "$URL?userId=1" 2>/dev/null; do
  ((SECONDS < deadline)) || die "group $group was not distributed within 60 s"
  sleep 0.2
done
bytes=$(curl -fsS -H "Authorization: Bearer $READ_TOKEN" "$URL?userId=1" | wc -c)
echo "== homepage group $group ($bytes bytes), wrk -t2 -c16, ${SECS}s per scenario, $(nproc) cores shared with the service"
measure "one key, no in-process copy" "$URL?userId=0"
measure "100 spread keys, no in-process copy" "$URL" "$RUN_DIR/spread.lua"
stop_pidfile "$PID"
start PT1S
READ_TOKEN=$("$PLATFORM" service-token svc-search)
measure "one key, in-process copy (1 s)" "$URL?userId=0"
measure "100 spread keys, in-process copy (1 s)" "$URL" "$RUN_DIR/spread.lua"
