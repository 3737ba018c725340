#!/usr/bin/env bash
# The trainer's tests: builds docker/ on the CPU twin (cached by a hash of docker/), a test image on
# top (pytest, jsonschema), runs pytest in it (non-root, no network, tests read-only), then a real
# container run of the trainer image: non-root uid, --network none, dataset read-only -> a complete
# run folder. Exits non-zero on any failure; prints pytest's summary line.
# Usage: bash scripts/test-trainer.sh [--update-fixtures] [-- PYTEST ARGS...]
#   --update-fixtures  copy the event streams of this run's tests into docker/protocol/fixtures/
# Needs a Docker Engine (DOCKER_HOST) and the twin image: `bash scripts/test-env.sh` provides both.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
update=0; pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --update-fixtures) update=1 ;;
    --) shift; pytest_args=("$@"); break ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
say() { printf '[test-trainer] %s\n' "$*" >&2; }

eval "$(bash "$here/scripts/test-env.sh" | grep '^export ')"
TWIN=deit-studio/base-cpu:trixie
TEST_UID=1000:1000  # never root, whoever runs this

# The image tag: a hash of everything under docker/ that goes into the image (bench/ is not in it).
hash=$(cd "$here" && find docker -path docker/bench -prune -o -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print \
  | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-12)
TRAINER=deit-trainer-test/trainer:$hash
test_hash=$( (echo "$hash"; cat "$here/tests/trainer/Dockerfile" "$here/tests/trainer/requirements-test.txt") | sha256sum | cut -c1-12)
TESTS=deit-trainer-test/tests:$test_hash

# Locally added CA certificates (a TLS-intercepting proxy) are passed to pip in the build.
ca_args=()
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  ca_args=(--build-arg "EXTRA_CA_PEM=$(cat /usr/local/share/ca-certificates/*.crt)")
fi
if ! docker image inspect "$TRAINER" >/dev/null 2>&1; then
  say "building $TRAINER from docker/ on $TWIN"
  docker build --network host -q --build-arg "BASE_IMAGE=$TWIN" --build-arg "TRAINER_HASH=$hash" "${ca_args[@]}" \
    -t "$TRAINER" "$here/docker" >/dev/null
fi
if ! docker image inspect "$TESTS" >/dev/null 2>&1; then
  say "building $TESTS (pytest, jsonschema) on $TRAINER"
  docker build --network host -q --build-arg "TRAINER_IMAGE=$TRAINER" "${ca_args[@]}" \
    -t "$TESTS" "$here/tests/trainer" >/dev/null
fi
for old in $(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^deit-trainer-test/(trainer|tests):' \
             | grep -v -x -e "$TRAINER" -e "$TESTS"); do
  docker rmi "$old" >/dev/null 2>&1 || true
done

work=$(mktemp -d /tmp/deit-trainer-test.XXXXXX)
names=()
cleanup() {
  for n in "${names[@]}"; do docker rm -f "$n" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/out" "$work/e2e/data" "$work/e2e/run" "$work/e2e/weights" "$work/e2e/cache"
chmod -R 777 "$work"
common=(--rm --network none --user "$TEST_UID" --security-opt no-new-privileges -e OMP_NUM_THREADS=1)

say "pytest in $TESTS (uid $TEST_UID, --network none, tests read-only)"
names+=("deit-trainer-test-pytest-$$")
set +e
docker run "${common[@]}" --name "deit-trainer-test-pytest-$$" \
  -v "$here/tests/trainer:/tests:ro" -v "$work/out:/out" -e DEIT_FIXTURES_OUT=/out/fixtures \
  "$TESTS" python -m pytest /tests -q -p no:cacheprovider "${pytest_args[@]}"
status=$?
set -e
[ $status -eq 0 ] || { say "pytest failed (exit $status)"; exit $status; }
if [ $update = 1 ]; then
  cp "$work/out/fixtures/"*.jsonl "$here/docker/protocol/fixtures/"
  say "updated docker/protocol/fixtures from this run's real event streams"
fi

say "container run: $TRAINER as uid $TEST_UID, --network none, dataset, weights and cache read-only (as the app mounts them)"
docker run "${common[@]}" --name "deit-trainer-test-prep-$$" -v "$here/tests/trainer:/tests:ro" \
  -v "$work/e2e/data:/data" -v "$work/e2e/weights:/weights" "$TESTS" sh -c \
  'python /tests/make_dataset.py --out /data --messy >/dev/null &&
   python /tests/make_fake_weights.py --out /weights --model deit_tiny_patch16_224 >/dev/null'
cat > "$work/e2e/run/config.json" <<'JSON'
{"version": 1,
 "data": {"root": "/data", "cache_dir": "/cache", "num_workers": 2},
 "model": {"name": "deit_tiny_patch16_224", "img_size": 32},
 "train": {"epochs": 2, "lr": 0.001, "augment": "strong", "ema": true},
 "output": {"run_dir": "/run"}}
JSON
names+=("deit-trainer-test-run-$$")
docker run "${common[@]}" --name "deit-trainer-test-run-$$" \
  -v "$work/e2e/data:/data:ro" -v "$work/e2e/run:/run" -v "$work/e2e/weights:/weights:ro" -v "$work/e2e/cache:/cache:ro" \
  "$TRAINER" python -m deit_trainer train --config /run/config.json >"$work/e2e/stdout.jsonl" 2>"$work/e2e/stderr.log" \
  || { say "the trainer container failed:"; tail -n 20 "$work/e2e/stderr.log" >&2; exit 1; }
docker run "${common[@]}" --name "deit-trainer-test-check-$$" -v "$here/tests/trainer:/tests:ro" \
  -v "$work/e2e/run:/run:ro" "$TESTS" python /tests/check_run_folder.py /run
say "all trainer tests passed (image $TRAINER)"
