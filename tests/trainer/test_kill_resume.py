"""SIGKILL mid-epoch (what `docker kill`, the OOM killer or a daemon SIGKILL do), then --resume.

No `stopped` event, no checkpoint at the kill: the resumed attempt continues from the last epoch-end
checkpoint, so the steps after it are in metrics.jsonl twice. run_started.start_global_step tells a
reader from where to replace them (recorded as the protocol fixture killed-resumed.jsonl).
"""
import json
import os
import signal
import subprocess
import sys
import time

from conftest import assert_valid_stream, of_type, read_events, run_cli, save_fixture, write_config


def test_sigkill_mid_epoch_then_resume_trains_the_steps_after_the_checkpoint_again(
        learnable, tmp_path, weights_dir, cache_dir, event_validator):
    run = tmp_path / "run"
    # 39 training images / 4 = 10 steps per epoch: the kill lands early in epoch 2, far from its end
    cfg = write_config(run, learnable, weights_dir, cache_dir, train={"epochs": 2, "batch_size": 4})
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-m", "deit_trainer", "train", "--config", cfg],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    checkpoint_step = None
    try:
        deadline = time.monotonic() + 300
        for line in proc.stdout:  # the trainer flushes metrics.jsonl before stdout: what we read is in the file
            e = json.loads(line)
            if e["type"] == "checkpoint" and e["kind"] == "last":
                checkpoint_step = e["global_step"]
            if checkpoint_step is not None and e["type"] == "step" and e["global_step"] >= checkpoint_step + 3:
                break
            assert time.monotonic() < deadline, "no step 3 steps after a checkpoint within 5 minutes"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        proc.kill()
        proc.stdout.close()
    killed = read_events(run)
    assert not of_type(killed, "stopped") and not of_type(killed, "finished")
    last_ckpt = [e for e in of_type(killed, "checkpoint") if e["kind"] == "last"][-1]["global_step"]
    assert last_ckpt == checkpoint_step == 10
    redone = [e["global_step"] for e in of_type(killed, "step") if e["global_step"] > last_ckpt]
    assert redone and redone == list(range(last_ckpt + 1, last_ckpt + 1 + len(redone)))

    assert run_cli("train", "--config", cfg, "--resume")[0] == 0
    events = read_events(run)
    assert_valid_stream(events, event_validator)
    assert events[-1]["type"] == "finished"
    first, again = of_type(events, "run_started")
    assert not first["resumed"] and first["start_global_step"] == 0 and first["start_epoch"] == 1
    assert again["resumed"] and again["start_global_step"] == last_ckpt and again["start_epoch"] == 2
    after = events[events.index(again):]
    steps_after = [e["global_step"] for e in of_type(after, "step")]
    assert steps_after == list(range(last_ckpt + 1, again["total_steps"] + 1))  # each step once in this attempt
    raw = [e["global_step"] for e in of_type(events, "step")]
    assert all(raw.count(g) == 2 for g in redone)  # the raw stream holds them twice: readers must replace
    assert all(raw.count(g) == 1 for g in raw if g <= last_ckpt or g not in redone)
    assert [e["epoch"] for e in of_type(events, "epoch")] == [1, 2]  # the kill came before epoch 2's result
    save_fixture("killed-resumed.jsonl", events, tmp_path)
