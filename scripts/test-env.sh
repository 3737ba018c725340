#!/usr/bin/env bash
# Makes this machine ready for `npm test`: Debian packages, a private Docker daemon, the CPU twin image.
# Idempotent and cached: a second call on the same machine takes seconds.
# Usage: bash scripts/test-env.sh            (as root: installs what is missing; otherwise only checks)
# Prints `export DOCKER_HOST=...` as its last line for callers that eval it.
set -euo pipefail

STATE_DIR=${DEIT_TEST_STATE:-/var/cache/deit-studio-test}
SOCK="$STATE_DIR/docker.sock"
TWIN_TAG=deit-studio/base-cpu:trixie
PACKAGES=(docker.io mmdebstrap chromium docker-registry)
here=$(cd "$(dirname "$0")" && pwd)

say() { printf '[test-env] %s\n' "$*" >&2; }
fail() { printf '[test-env] ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    fail "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}  (or run this script as root)"
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$STATE_DIR"
if [ -n "${DOCKER_HOST:-}" ] && docker version >/dev/null 2>&1; then
  say "using the Docker Engine at DOCKER_HOST=$DOCKER_HOST"
  SOCK=${DOCKER_HOST#unix://}
else
  export DOCKER_HOST="unix://$SOCK"
  if ! docker version >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || fail "no Docker Engine is running. Start one as root with: sudo bash scripts/test-env.sh"
    say "starting a private Docker daemon at $SOCK"
    rm -f "$SOCK" "$STATE_DIR/pid"
    # Private daemon: no iptables, no bridge (tests use --network none, builds use host networking).
    setsid dockerd --data-root "$STATE_DIR/data" --exec-root "$STATE_DIR/exec" --pidfile "$STATE_DIR/pid" \
      -H "unix://$SOCK" --iptables=false --bridge=none --storage-driver=overlay2 \
      >"$STATE_DIR/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
    docker version >/dev/null 2>&1 || fail "the private Docker daemon did not start; see $STATE_DIR/dockerd.log"
  fi
fi

# The CPU twin of pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime: Debian trixie's torch 2.6.0 (see docs/testing.md).
recipe_hash=$(sha256sum "$here/build-cpu-twin.sh" | cut -c1-12)
if [ "$(docker image inspect -f '{{index .Config.Labels "deit-studio.recipe"}}' "$TWIN_TAG" 2>/dev/null || true)" != "$recipe_hash" ]; then
  say "building the CPU twin image $TWIN_TAG (about 2 minutes, once per machine)"
  bash "$here/build-cpu-twin.sh" "$TWIN_TAG" "$recipe_hash" >&2
fi

echo "export DOCKER_HOST=unix://$SOCK"
