#!/usr/bin/env bash
# The batch progress read (GET /batches/{id}, what the console and the SSE stream poll every second)
# straight at the running fleet's batch-operation-service, with wrk: requests/s, latency, and the
# service's own CPU per request from /proc (user + system ticks before and after). Start a fleet
# first (deploy/local/platform.sh up; its sample data has no batches), upload a small one, e.g.
#   T=$(deploy/local/platform.sh token admin 1); printf 'item_id,quantity\n1,5\n' > /tmp/s.csv
#   curl -s -H "Authorization: Bearer $T" -F file=@/tmp/s.csv -F operationType=inventory_update \
#     http://127.0.0.1:8080/api/batch/batches | jq -r .batch.batchId
# then
#   deploy/local/probes/batch-progress.sh BATCH_ID [SECONDS]    (default 15 s, after 10 s warm-up)
# The JIT takes about a minute of this load to settle: run it a few times and keep the later rounds.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
apt_install wrk jq

BATCH=${1:?usage: $0 BATCH_ID [SECONDS]}
SECS=${2:-15}
PID_FILE="$MARKETOPS_HOME/services/batch-operation-service.pid"
[[ -f $PID_FILE ]] || die "batch-operation-service is not running here (deploy/local/platform.sh up)"
PID=$(cat "$PID_FILE")
URL="http://127.0.0.1:8084/batches/$BATCH"
AUTH="Authorization: Bearer $("$LOCAL_DIR/platform.sh" token admin 1)" # admins see every batch
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL")
[[ $code == 200 ]] || die "GET $URL answered $code (is the batch id right?)"

ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; } # utime + stime, in 1/100 s
wrk -t2 -c8 -d10s -H "$AUTH" "$URL" >/dev/null
before=$(ticks)
out=$(wrk -t2 -c8 -d"${SECS}s" --latency -H "$AUTH" "$URL")
after=$(ticks)
requests=$(awk '/requests in/{print $1}' <<<"$out")
cpu=$(awk -v t=$((after - before)) -v n="$requests" 'BEGIN { printf "%.2f", t * 10 / n }')
printf 'GET /batches/%s: %s req/s, p50 %s, p99 %s, %s requests; batch-operation-service CPU %s ms per request%s\n' \
  "$BATCH" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
  "$(awk '$1=="99%"{print $2}' <<<"$out")" "$requests" "$cpu" "$(grep -o 'Non-2xx.*' <<<"$out" | sed 's/^/; /' || true)"
