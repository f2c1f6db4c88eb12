#!/usr/bin/env bash
# Checks the gateway's /static/config/ route (deploy/local/nginx/gateway.conf) without touching the
# shared gateway: a private nginx on 127.0.0.1:18080 with the same config, serving a sample
# published homepage file, then prints the headers of a versioned file, current.json and a
# conditional GET (expect ETag, Cache-Control immutable / 30 s, and 304).
#   deploy/local/probes/static-config.sh
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
apt_install nginx
HOME_DIR="$MARKETOPS_HOME/bench/static-probe"
PREFIX="$HOME_DIR/nginx"
mkdir -p "$PREFIX/logs" "$PREFIX/tmp" "$HOME_DIR/static/config/homepage/1"
echo '{"groupId":"1","version":1,"entrances":[]}' >"$HOME_DIR/static/config/homepage/1/v1.json"
cp "$HOME_DIR/static/config/homepage/1/v1.json" "$HOME_DIR/static/config/homepage/1/current.json"
sed 's/listen 127.0.0.1:8080;/listen 127.0.0.1:18080;/' "$LOCAL_DIR/nginx/gateway.conf" >"$PREFIX/gateway.conf"
cmd=(nginx -c "$PREFIX/gateway.conf" -p "$PREFIX/" -e logs/error.log)
"${cmd[@]}" -t -q
"${cmd[@]}"
trap '"${cmd[@]}" -s stop' EXIT
sleep 0.5
B=http://127.0.0.1:18080/static/config/homepage/1
echo "== v1.json"; curl -sS -D - -o /dev/null "$B/v1.json" | grep -iE '^(HTTP|etag|cache-control)'
echo "== current.json"; curl -sS -D - -o /dev/null "$B/current.json" | grep -iE '^(HTTP|etag|cache-control)'
etag=$(curl -sS -D - -o /dev/null "$B/v1.json" | sed -n 's/^[Ee][Tt]ag: *//p' | tr -d '\r')
echo "== If-None-Match $etag"; curl -sS -D - -o /dev/null -H "If-None-Match: $etag" "$B/v1.json" | grep -iE '^HTTP'
echo "== outside the config dir"; curl -sS -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:18080/static/nginx/gateway.conf"
