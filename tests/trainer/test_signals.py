"""SIGTERM (what `docker stop` sends) in a real subprocess: finish the step, save last, exit 0."""
import json
import os
import signal
import subprocess
import sys
import time

from conftest import of_type, read_events, write_config
from deit_trainer.checkpoint import load_checkpoint


def test_sigterm_saves_a_usable_last_checkpoint_and_exits_0_quickly(learnable, tmp_path, weights_dir, cache_dir):
    run = tmp_path / "run"
    cfg = write_config(run, learnable, weights_dir, cache_dir, train={"epochs": 50, "batch_size": 4})
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-m", "deit_trainer", "train", "--config", cfg],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        deadline = time.monotonic() + 120
        for line in proc.stdout:
            if json.loads(line)["type"] == "step" or time.monotonic() > deadline:
                break
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        proc.kill()
    events = read_events(run)
    assert code == 0 and took < 10, (code, took)
    stop = events[-1]
    assert stop["type"] == "stopped" and stop["resumable"] and stop["checkpoint"].endswith("last.pt")
    ckpt = load_checkpoint(stop["checkpoint"])
    assert ckpt["position"]["global_step"] == stop["global_step"] >= 1
    assert of_type(events, "checkpoint")[-1]["kind"] == "last"
