"""Shared helpers of the trainer tests (run inside the test image: scripts/test-trainer.sh).

Real parts only: real PyTorch 2.6 on CPU, real timm, a fake-but-real-layout Hugging Face cache,
generated datasets at 32 px. Trainings run in-process through the CLI's main() (one torch import for
the whole session); the signal test runs a real subprocess.
"""
import contextlib
import io
import json
import os
import signal
import sys

import jsonschema
import pytest
import torch

sys.path.insert(0, os.path.dirname(__file__))
from make_dataset import add_messy_files, make_learnable  # noqa: E402
from make_fake_weights import make_fake_weights  # noqa: E402

MODEL = "deit_tiny_patch16_224"
PROTOCOL_DIR = os.environ.get("DEIT_PROTOCOL_DIR", "/opt/deit-trainer/protocol")
FIXTURES_OUT = os.environ.get("DEIT_FIXTURES_OUT")  # set by `scripts/test-trainer.sh --update-fixtures`
torch.set_num_threads(1)  # 2 shared cores: one thread is several times faster than two fighting


def pytest_sessionstart(session):
    if not os.path.isdir(PROTOCOL_DIR):
        raise pytest.UsageError(f"{PROTOCOL_DIR} is missing: run the tests with scripts/test-trainer.sh "
                                "(inside the test image), or set DEIT_PROTOCOL_DIR to docker/protocol.")


@pytest.fixture(scope="session")
def weights_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("weights")
    make_fake_weights(str(out), MODEL)
    return str(out)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def event_validator():
    with open(os.path.join(PROTOCOL_DIR, "events.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def write_config(run_dir, data_dir, weights_dir, cache_dir, **sections):
    """config.json with test-sized defaults; sections override per key."""
    cfg = {"version": 1,
           "data": {"root": str(data_dir), "cache_dir": str(cache_dir), "num_workers": 0},
           "model": {"name": MODEL, "img_size": 32, "weights_dir": str(weights_dir), "drop_path": 0.0},
           "train": {"epochs": 3, "batch_size": 16, "lr": 1e-3, "augment": "light", "log_interval_s": 0,
                     "warmup_epochs": 0.5},
           "output": {"run_dir": str(run_dir), "export": []}}
    for section, values in sections.items():
        cfg[section].update(values)
    os.makedirs(run_dir, exist_ok=True)
    path = os.path.join(run_dir, "config.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def run_cli(*argv):
    """Runs `python -m deit_trainer ...` in-process; returns (exit code, stdout text)."""
    from deit_trainer.__main__ import main
    out = io.StringIO()
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        with contextlib.redirect_stdout(out):
            code = main(list(argv))
    finally:
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
    return code, out.getvalue()


def read_events(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f]


def assert_valid_stream(events, validator):
    assert events, "no events"
    for e in events:
        errors = sorted(validator.iter_errors(e), key=str)
        assert not errors, f"event {e.get('type')} #{e.get('seq')} invalid: {errors[0].message}"
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "seq must increase by one"


def of_type(events, kind):
    return [e for e in events if e["type"] == kind]


def save_fixture(name, events, base):
    """With DEIT_FIXTURES_OUT set, writes a real stream as a protocol fixture (container paths)."""
    if not FIXTURES_OUT:
        return
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
    for sub in ("run", "data", "weights", "cache"):
        text = text.replace(json.dumps(os.path.join(str(base), sub))[1:-1], "/" + sub)
    os.makedirs(FIXTURES_OUT, exist_ok=True)
    with open(os.path.join(FIXTURES_OUT, name), "w") as f:
        f.write(text)


@pytest.fixture
def learnable(tmp_path):
    data = tmp_path / "data"
    make_learnable(str(data), classes=3, per_class=16)
    return data


@pytest.fixture(scope="module")
def messy_run(tmp_path_factory, weights_dir, cache_dir):
    """One full run (exports on) on a messy, learnable dataset; shared by several tests."""
    base = tmp_path_factory.mktemp("messy")
    data = base / "data"
    make_learnable(str(data), classes=3, per_class=16)
    fates = add_messy_files(str(data))
    run = base / "run"
    cfg = write_config(run, data, weights_dir, cache_dir, train={"epochs": 4, "lr": 3e-4, "warmup_epochs": 1},
                       output={"run_dir": str(run), "export": ["torchscript", "onnx"]})
    code, stdout = run_cli("train", "--config", cfg)
    return {"base": base, "data": data, "run": run, "fates": fates, "code": code, "stdout": stdout}
