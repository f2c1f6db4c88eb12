#!/usr/bin/env bash
# A local Prometheus for the fleet (Debian's prometheus package), with the chart's alert rules loaded.
# platform.sh drives it (`platform.sh up --with-prometheus`, `platform.sh down`); by hand:
#
#   prometheus.sh config DIR NAME=PORT...   write DIR/prometheus.yml scraping 127.0.0.1:PORT/q/metrics per service
#   prometheus.sh up NAME=PORT...           install if missing, write the configuration, start, wait until ready
#   prometheus.sh down                      stop it (its data stays in $MARKETOPS_HOME/prometheus/data)
#   prometheus.sh status
#
# It listens on 127.0.0.1:${MARKETOPS_PROMETHEUS_PORT:-9190}, not 9090: on a machine with systemd the
# package starts its own system instance there.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PROM_DIR="$MARKETOPS_HOME/prometheus"
PROM_PID="$PROM_DIR/prometheus.pid"
PROM_PORT="${MARKETOPS_PROMETHEUS_PORT:-9190}"
RULES="$REPO_ROOT/deploy/helm/marketops/rules/marketops.rules.yml"

# write_config DIR NAME=PORT...: one job per service (job = the service's name), the rules file.
write_config() {
  local dir=$1 t
  shift
  (($#)) || die "no scrape targets given (NAME=PORT ...)"
  mkdir -p "$dir"
  {
    cat <<YML
# Written by deploy/local/prometheus.sh; rewritten on every start.
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files:
  - $RULES
scrape_configs:
YML
    for t in "$@"; do
      [[ $t =~ ^[a-z-]+=[0-9]+$ ]] || die "bad scrape target $t (want NAME=PORT)"
      cat <<YML
  - job_name: ${t%%=*}
    metrics_path: /q/metrics
    static_configs:
      - targets: ['127.0.0.1:${t#*=}']
YML
    done
  } >"$dir/prometheus.yml"
}

prometheus_up() {
  ensure_promtool
  write_config "$PROM_DIR" "$@"
  promtool check config "$PROM_DIR/prometheus.yml" >/dev/null || die "invalid $PROM_DIR/prometheus.yml"
  if is_running "$PROM_PID"; then
    # A running instance rereads its configuration and rules on SIGHUP.
    kill -HUP "$(<"$PROM_PID")"
    log "prometheus reloaded its configuration"
  else
    tcp_open 127.0.0.1 "$PROM_PORT" && die "port $PROM_PORT for prometheus is taken by another process"
    mkdir -p "$PROM_DIR/data"
    start_bg prometheus "$PROM_PID" "$PROM_DIR/prometheus.log" prometheus \
      --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
      --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:$PROM_PORT"
  fi
  wait_for_http "http://127.0.0.1:$PROM_PORT/-/ready" 60 ||
    { show_logs "$PROM_DIR/prometheus.log"; die "prometheus did not become ready"; }
  log "prometheus at http://127.0.0.1:$PROM_PORT/ (targets: /targets, alerts: /alerts)"
}

case "${1:-}" in
  config) shift; dir=${1:?usage: $0 config DIR NAME=PORT...}; shift; write_config "$dir" "$@" ;;
  up) shift; prometheus_up "$@" ;;
  down) stop_pidfile "$PROM_PID"; log "prometheus stopped" ;;
  status)
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PROM_PORT/-/ready" 2>/dev/null; then
      echo "prometheus               UP    http://127.0.0.1:$PROM_PORT/"
    else
      echo "prometheus               DOWN"
    fi
    ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
