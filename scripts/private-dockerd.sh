#!/usr/bin/env bash
# The private Docker Engine of the test suite: its flags live here only (scripts/test-env.sh starts it
# with this; the fault-injection tests in tests/faults/ stop, kill and restart it).
# Usage: bash scripts/private-dockerd.sh start|stop|kill|status   (start/stop/kill need root)
#   start   starts it unless it answers already; waits until it does
#   stop    SIGTERM, as a shutdown or restart of Docker does: containers get SIGTERM, then SIGKILL
#   kill    SIGKILL to the whole engine at once (dockerd, containerd, its shims and every container
#           process), as when the machine or Docker's VM dies: nothing gets to save anything
#   status  exit 0 when it answers
#   pids    the engine's process ids (what kill would end)
set -euo pipefail

STATE_DIR=${DEIT_TEST_STATE:-/var/cache/deit-studio-test}
SOCK="$STATE_DIR/docker.sock"
PIDFILE="$STATE_DIR/pid"
export DOCKER_HOST="unix://$SOCK"

say() { printf '[private-dockerd] %s\n' "$*" >&2; }
fail() { printf '[private-dockerd] ERROR: %s\n' "$*" >&2; exit 1; }
answers() { docker version >/dev/null 2>&1; }
# True while a process exists and is not a zombie waiting to be reaped.
running() { local s; s=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) && [ -n "$s" ] && [ "$s" != Z ]; }
dockerd_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" = dockerd ] && echo "$pid"
  return 0
}

# The engine's processes: dockerd, containerd and shims started for this state folder, and all their descendants.
engine_pids() {
  local roots=() d exe args
  for d in /proc/[0-9]*; do
    exe=$(basename "$(readlink "$d/exe" 2>/dev/null)" 2>/dev/null) || continue
    case "$exe" in dockerd | containerd | containerd-shim*) ;; *) continue ;; esac
    args=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
    case "$args" in *"$STATE_DIR/"*) roots+=("${d#/proc/}") ;; esac
  done
  [ ${#roots[@]} -gt 0 ] || return 0
  # Descendants by parent pid (a shim's container processes, containerd's children).
  local table
  table=$(awk '{ sub(/^.*\) /, ""); print FILENAME, $2 }' /proc/[0-9]*/stat 2>/dev/null | sed 's#/proc/\([0-9]*\)/stat#\1#')
  local all=("${roots[@]}") frontier=("${roots[@]}") next pid
  while [ ${#frontier[@]} -gt 0 ]; do
    next=()
    for pid in "${frontier[@]}"; do
      while read -r child; do [ -n "$child" ] && next+=("$child"); done < <(awk -v p="$pid" '$2 == p { print $1 }' <<<"$table")
    done
    all+=("${next[@]}")
    frontier=("${next[@]}")
  done
  printf '%s\n' "${all[@]}" | sort -un
}

start() {
  if answers; then return 0; fi
  [ "$(id -u)" = 0 ] || fail "no Docker Engine is running. Start one as root with: sudo bash scripts/test-env.sh"
  command -v dockerd >/dev/null || fail "dockerd is missing: sudo apt-get install -y docker.io"
  mkdir -p "$STATE_DIR"
  say "starting a private Docker daemon at $SOCK"
  rm -f "$SOCK" "$PIDFILE"
  # After a kill, containerd's pid file may name a zombie or a reused pid: dockerd would wait for it.
  local cpidfile="$STATE_DIR/exec/containerd/containerd.pid" cpid
  cpid=$(cat "$cpidfile" 2>/dev/null || true)
  if [ -n "$cpid" ] && ! { running "$cpid" && [ "$(basename "$(readlink "/proc/$cpid/exe" 2>/dev/null)")" = containerd ]; }; then
    rm -f "$cpidfile"
  fi
  # Private daemon: no iptables, no bridge (tests use --network none, builds use host networking).
  setsid dockerd --data-root "$STATE_DIR/data" --exec-root "$STATE_DIR/exec" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" --iptables=false --bridge=none --storage-driver=overlay2 \
    >>"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do answers && return 0; sleep 0.5; done
  fail "the private Docker daemon did not start; see $STATE_DIR/dockerd.log"
}

stop() {
  local pid
  pid=$(dockerd_pid)
  [ -n "$pid" ] || { say "not running"; return 0; }
  kill -TERM "$pid"
  # dockerd gives each container its stop timeout (10 s), then kills it, then exits.
  for _ in $(seq 1 240); do running "$pid" || return 0; sleep 0.25; done
  fail "dockerd (pid $pid) did not stop within 60 s"
}

kill_all() {
  local pids
  pids=$(engine_pids)
  [ -n "$pids" ] || { say "not running"; return 0; }
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for _ in $(seq 1 80); do
    local alive=0 p
    for p in $pids; do running "$p" && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.25
  done
  fail "some engine processes survived SIGKILL: $pids"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill) kill_all ;;
  status) answers ;;
  pids) engine_pids ;;
  *) fail "usage: $0 start|stop|kill|status" ;;
esac
