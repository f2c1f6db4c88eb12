#!/usr/bin/env bash
# The read path through the gateway, as docs/benchmarks.md reports it before/after identity:
# start a fleet (deploy/local/platform.sh up), pick an ONLINE task and its item, then
#   deploy/local/probes/read-path.sh LABEL TASK_ID ITEM_ID "Bearer $(deploy/local/platform.sh token operator 7)"
# read.sh LABEL TASK ITEM [AUTH]: the read path through the gateway, 10 s warm-up then 15 s each, twice
label=$1 T=$2 I=$3 auth=${4:-}
G=http://127.0.0.1:8080/api
A=(); [[ -n $auth ]] && A=(-H "Authorization: $auth")
echo "== $label"
for round in 1 2; do
  for u in "$G/listing/listings/$T" "$G/search/items/$I" "$G/search/search/items?q=Probe&status=online"; do
    wrk -t2 -c16 -d10s "${A[@]}" "$u" >/dev/null
    r=$(wrk -t2 -c16 -d15s --latency "${A[@]}" "$u")
    printf '%-60s %8s req/s  p50 %-8s p99 %-8s %s\n' "${u#$G}" "$(grep Requests/sec <<<"$r" | awk '{print $2}')" \
      "$(grep ' 50%' <<<"$r" | awk '{print $2}')" "$(grep ' 99%' <<<"$r" | awk '{print $2}')" "$(grep -o 'Non-2xx.*' <<<"$r")"
  done
done
