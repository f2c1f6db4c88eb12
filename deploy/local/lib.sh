# shellcheck shell=bash
# Shared helpers for the deploy/local scripts. Source it, don't execute it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Everything JVM-based here (OpenSearch 3.x needs 21+) runs on Temurin 25,
# never on the distro default java 17.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
MARKETOPS_HOME="${MARKETOPS_HOME:-$REPO_ROOT/.local}"
export LOCAL_DIR REPO_ROOT MARKETOPS_HOME

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Print the tail of each existing log file (used when something fails to start).
show_logs() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf -- '----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
}

# kill -0 alone would treat zombies (unreaped children of this shell) as alive.
pid_alive() {
  local stat
  stat="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ $stat != Z* ]]
}

# is_running PIDFILE
is_running() {
  [[ -s $1 ]] && pid_alive "$(<"$1")"
}

# start_bg NAME PIDFILE LOGFILE cmd...
# setsid puts the process in its own session/process group (pgid == pid), so
# stop_pidfile can take down the whole tree and it survives the calling shell.
start_bg() {
  local name=$1 pidfile=$2 logfile=$3
  shift 3
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  printf '\n===== %s starting %s =====\n' "$(date -Is)" "$name" >>"$logfile"
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  log "started $name (pid $!, log $logfile)"
}

# stop_pidfile PIDFILE: TERM the process group, wait up to 20 s, then KILL.
stop_pidfile() {
  local pidfile=$1 pid i
  if ! is_running "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(<"$pidfile")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    pid_alive "$pid" || break
    sleep 0.5
  done
  if pid_alive "$pid"; then
    log "pid $pid ignored TERM for 20 s, sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
}

tcp_open() { timeout 1 bash -c ">/dev/tcp/$1/$2" 2>/dev/null; }

# wait_for_tcp HOST PORT TIMEOUT_SECONDS
wait_for_tcp() {
  local deadline=$((SECONDS + $3))
  until tcp_open "$1" "$2"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# wait_for_http URL TIMEOUT_SECONDS  (any 2xx/3xx counts as up)
wait_for_http() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# apt_install PKG...: install Debian packages only when missing.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]} via apt"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq "${missing[@]}" >/dev/null
}

# LibreOffice Calc without its GUI (headless soffice): search-service's export test opens and saves an
# export with it, so that ids are shown to survive a real spreadsheet program. Without recommends
# (about 40 s to install here).
ensure_libreoffice() {
  command -v soffice >/dev/null && return 0
  log "installing libreoffice-calc-nogui via apt"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
}

# promtool (and prometheus) from Debian's prometheus package: the build's PromtoolTest runs promtool,
# `platform.sh up --with-prometheus` runs prometheus.
ensure_promtool() {
  command -v promtool >/dev/null && command -v prometheus >/dev/null && return 0
  apt_install prometheus
  command -v promtool >/dev/null || die "promtool is still missing after installing the prometheus package"
}
