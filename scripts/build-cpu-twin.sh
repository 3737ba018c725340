#!/usr/bin/env bash
# Builds the CPU twin of the official PyTorch 2.6 image from Debian trixie (torch 2.6.0, torchvision 0.21.0).
# Usage: bash scripts/build-cpu-twin.sh TAG RECIPE_HASH   (needs mmdebstrap, a running Docker Engine, Debian mirrors)
set -euo pipefail
tag=${1:-deit-studio/base-cpu:trixie}
recipe=${2:-manual}
pkgs=python3,python3-torch,python3-torchvision,python3-pil,python3-numpy,python3-yaml,python3-pip,gcc,libc6-dev,python3-dev,ca-certificates
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mmdebstrap --quiet --variant=apt --include="$pkgs" trixie "$tmp/rootfs.tar" http://deb.debian.org/debian
docker import --change "LABEL deit-studio.recipe=$recipe" --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' "$tmp/rootfs.tar" "$tag" >/dev/null
echo "built $tag"
