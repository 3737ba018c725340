#!/usr/bin/env bash
# Builds the CPU twin of the official PyTorch 2.6 image from Debian trixie (torch 2.6.0, torchvision 0.21.0).
# Usage: bash scripts/build-cpu-twin.sh TAG RECIPE_HASH   (needs mmdebstrap, a running Docker Engine, Debian mirrors)
#
# BLAS: Debian's torch is built with BLAS_INFO=generic and links the generic `libblas.so.3`. Without a
# tuned BLAS that resolves to the reference implementation (~5 GFLOP/s for a 1024² fp32 matmul on 2
# cores, against ~300 with OpenBLAS); the official image uses MKL. libopenblas0-pthread takes over
# libblas.so.3 through Debian's alternatives (priority 100 against the reference's 10). The reference
# library stays installed only so that `npm run bench` can measure the baseline in the same image
# (LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas). The check below fails the build when torch does not
# map OpenBLAS into the process — by library, not by timing.
set -euo pipefail
tag=${1:-deit-studio/base-cpu:trixie}
recipe=${2:-manual}
pkgs=python3,python3-torch,python3-torchvision,python3-pil,python3-numpy,python3-yaml,python3-pip,gcc,libc6-dev,python3-dev,ca-certificates
pkgs+=,libopenblas0-pthread,libblas3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mmdebstrap --quiet --variant=apt --include="$pkgs" trixie "$tmp/rootfs.tar" http://deb.debian.org/debian
docker import --change "LABEL deit-studio.recipe=$recipe" --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' "$tmp/rootfs.tar" "$tag.unchecked" >/dev/null

# Which BLAS does torch load? The libraries mapped into a process that has run a matmul.
blas=$(docker run --rm --network none "$tag.unchecked" python3 -c '
import torch
torch.ones(64, 64) @ torch.ones(64, 64)
maps = {line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower()}
print(" ".join(sorted(maps)))')
if ! grep -q 'openblas-pthread/libblas.so' <<<"$blas" || grep -q '/blas/libblas.so' <<<"$blas"; then
  docker rmi "$tag.unchecked" >/dev/null 2>&1 || true
  echo "ERROR: torch in the twin does not load OpenBLAS (mapped BLAS libraries: ${blas:-none})." >&2
  echo "Fix: the twin's packages must include libopenblas0-pthread, and Debian's alternatives must point" >&2
  echo "libblas.so.3 at it (update-alternatives --display libblas.so.3-x86_64-linux-gnu)." >&2
  exit 1
fi
docker tag "$tag.unchecked" "$tag" >/dev/null
echo "built $tag (BLAS: $blas)"
