#!/usr/bin/env bash
# Makes this machine ready for `npm test`: Debian packages, a private Docker daemon, the CPU twin image.
# Idempotent and cached: a second call on the same machine takes seconds.
# Usage: bash scripts/test-env.sh            (as root: installs what is missing; otherwise only checks)
# Prints `export NAME=...` lines (DOCKER_HOST last) for callers that eval them.
set -euo pipefail

STATE_DIR=${DEIT_TEST_STATE:-/var/cache/deit-studio-test}
SOCK="$STATE_DIR/docker.sock"
TWIN_TAG=deit-studio/base-cpu:trixie
PACKAGES=(docker.io mmdebstrap chromium docker-registry openssh-server)
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
    # Its flags live in one place, shared with the fault-injection tests (tests/faults/).
    DEIT_TEST_STATE="$STATE_DIR" bash "$here/private-dockerd.sh" start
  fi
fi

# The CPU twin of pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime: Debian trixie's torch 2.6.0 (see docs/testing.md).
recipe_hash=$(sha256sum "$here/build-cpu-twin.sh" | cut -c1-12)
if [ "$(docker image inspect -f '{{index .Config.Labels "deit-studio.recipe"}}' "$TWIN_TAG" 2>/dev/null || true)" != "$recipe_hash" ]; then
  say "building the CPU twin image $TWIN_TAG (about 2 minutes, once per machine)"
  bash "$here/build-cpu-twin.sh" "$TWIN_TAG" "$recipe_hash" >&2
fi

# A host Python with Pillow + numpy, for tests that run the trainer's dataset code beside the scan.
PYENV="$STATE_DIR/pyenv"
req="$here/../tests/requirements-host.txt"
req_hash=$(sha256sum "$req" | cut -c1-12)
if [ "$(cat "$PYENV/.req" 2>/dev/null || true)" != "$req_hash" ]; then
  say "creating the test Python environment $PYENV (Pillow, numpy)"
  rm -rf "$PYENV"
  python3 -m venv "$PYENV" >&2 || fail "python3 -m venv failed: install Python 3 with venv (apt-get install -y python3-venv)"
  "$PYENV/bin/pip" install -q --disable-pip-version-check -r "$req" >&2 || fail "pip could not install $req"
  echo "$req_hash" > "$PYENV/.req"
fi

echo "export DEIT_TRAINER_PYTHON=$PYENV/bin/python"
echo "export DOCKER_HOST=unix://$SOCK"
