"""Several training processes with the real launcher (torchrun, gloo on the processor): distributed.py.

`python -m deit_trainer launch --nproc-per-node 2 train ...` against one process with the same images per
step and seed: the same per-step losses, one event stream, one set of checkpoints, validation sums equal
to one process scoring everything; Stop (SIGTERM to the launcher) leaves a `last` that resumes with 1
and with 2 processes; a rank killed with SIGKILL ends the run with an error, not a hang.

The dataset is pictures of one flat colour each (a shade per image, a hue per class): random crops and
flips of a flat picture are the same picture, so the two runs see identical inputs although each process
draws its own augmentation. What is left to differ is float summation order (DDP averages two half-batch
gradients, one process one whole batch; AdamW divides by sqrt(v), which lifts differences near 0).
"""
import json
import os
import shutil
import signal
import subprocess
import sys

import numpy as np
from PIL import Image

from conftest import assert_valid_stream, of_type, read_events, run_cli, write_config
from deit_trainer.checkpoint import load_checkpoint

HUES = [(200, 40, 40), (40, 180, 60), (40, 60, 200)]
LOSS_TOL = 1e-4   # absolute, per-step loss (~1.2 at the start; measured: 6e-6); the module docstring says why not 0
HANG_BOUND_S = 180  # a killed rank must end the run well within this (collective timeout is 10 minutes)
ENV = dict(os.environ, OMP_NUM_THREADS="1")


def flat_dataset(root, per_class=16, seed=0):
    rng = np.random.default_rng(seed)
    for ci, hue in enumerate(HUES):
        os.makedirs(os.path.join(root, f"class_{ci}"), exist_ok=True)
        for k in range(per_class):
            shade = np.clip(np.array(hue) * rng.uniform(0.6, 1.2) + rng.integers(-20, 20, 3), 0, 255)
            Image.new("RGB", (40, 40), tuple(int(v) for v in shade)).save(
                os.path.join(root, f"class_{ci}", f"img_{k:03d}.png"))
    return root


def launch(cfg, *extra, nproc=2):
    return subprocess.Popen([sys.executable, "-m", "deit_trainer", "launch", "--nproc-per-node", str(nproc),
                             "train", "--config", cfg, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def step_losses(events):
    return {e["global_step"]: e["loss"] for e in of_type(events, "step")}


def files_in(run):
    return sorted(os.path.relpath(os.path.join(d, f), run) for d, _, fs in os.walk(run) for f in fs
                  if ".cache" not in d)


def test_two_processes_train_like_one_with_the_same_global_batch(tmp_path, weights_dir, event_validator):
    data = flat_dataset(tmp_path / "data")
    cache_dir = tmp_path / "cache"  # read-only, as the app mounts /cache: each run decodes into <run>/.cache
    os.makedirs(cache_dir, mode=0o555)
    train = {"epochs": 2, "lr": 1e-3, "augment": "light", "warmup_epochs": 0.5}
    one = tmp_path / "one"
    code, _ = run_cli("train", "--config", write_config(one, data, weights_dir, cache_dir,
                                                        train=dict(train, batch_size=8)))
    assert code == 0
    two = tmp_path / "two"
    proc = launch(write_config(two, data, weights_dir, cache_dir, train=dict(train, batch_size=4)))
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]

    ev1, ev2 = read_events(one), read_events(two)
    assert_valid_stream(ev2, event_validator)  # one stream: seq 0, 1, 2, ... with no second writer
    # progress: the cache is built once, then found; checkpoint: `last` is written in the background, so its
    # event comes at whichever step the write is seen done (checkpoint_writer.py) — compared as a list below
    kinds = lambda evs: [e["type"] for e in evs if e["type"] not in ("progress", "checkpoint")]
    assert kinds(ev2) == kinds(ev1)
    saved = lambda evs: [(e["kind"], e["epoch"], e["global_step"]) for e in of_type(evs, "checkpoint")]
    assert saved(ev2) == saved(ev1)
    assert [json.loads(line)["seq"] for line in out.splitlines()] == [e["seq"] for e in ev2]  # stdout: rank 0 only
    started = of_type(ev2, "run_started")
    assert len(started) == 1 and started[0]["world_size"] == 2 and started[0]["batch_size"] == 4
    assert started[0]["global_batch_size"] == 8 and started[0]["steps_per_epoch"] == of_type(ev1, "run_started")[0][
        "steps_per_epoch"]
    resolved = json.load(open(two / "resolved-config.json"))["resolved"]
    assert resolved["world_size"] == 2 and resolved["global_batch_size"] == 8 and resolved["batch_size"] == 4

    l1, l2 = step_losses(ev1), step_losses(ev2)
    assert list(l1) == list(l2) == list(range(1, len(l1) + 1))  # every step once, in order
    diffs = [abs(l1[g] - l2[g]) for g in l1]
    assert max(diffs) < LOSS_TOL, list(zip(l1.values(), l2.values()))
    assert abs(l1[1] - l1[len(l1)]) > 20 * LOSS_TOL  # it trains: equal curves are not two flat lines

    # one set of files, the single process's set: nothing from rank 1, one last.pt and one best.pt; rank 1
    # read the cache rank 0 decoded into the run folder (through its scratch folder's link), made no other
    assert files_in(two) == files_in(one)
    assert len(os.listdir(two / ".cache" / "decoded")) == 1 == len(os.listdir(one / ".cache" / "decoded"))
    assert sorted(os.listdir(two / "checkpoints")) == ["best.pt", "last.pt"]
    ckpt = load_checkpoint(str(two / "checkpoints" / "last.pt"))
    assert ckpt["world_size"] == 2 and ckpt["global_batch_size"] == 8
    assert ckpt["position"]["global_step"] == len(l2)

    # the per-epoch validation (each process scores half, the sums added) equals rank 0 alone scoring
    # every val image with the same weights: the final evaluation of best.pt (eval/metrics.json)
    metrics = json.load(open(two / "eval" / "metrics.json"))
    best = [e for e in of_type(ev2, "epoch") if e["epoch"] == metrics["best_epoch"]][0]
    assert best["val_top1"] == metrics["val_top1"]
    assert abs(best["val_loss"] - metrics["val_loss"]) < 1e-5
    assert best["per_class_acc"] == {c["name"]: c["recall"] for c in metrics["per_class"]}
    assert sum(sum(row) for row in metrics["confusion"]["matrix"]) == of_type(ev2, "run_started")[0]["dataset"][
        "val_count"]


def stop_after_first_step(proc):
    for line in proc.stdout:
        if json.loads(line)["type"] == "step":
            break
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=HANG_BOUND_S)


def test_stop_leaves_a_last_that_resumes_with_one_and_with_two_processes(tmp_path, weights_dir, cache_dir):
    data = flat_dataset(tmp_path / "data")
    train = {"epochs": 40, "batch_size": 4, "lr": 1e-3, "warmup_epochs": 0.5}
    run = tmp_path / "run"
    proc = launch(write_config(run, data, weights_dir, cache_dir, train=train))
    try:
        code = stop_after_first_step(proc)
    finally:
        proc.kill()
    assert code == 143, proc.stderr.read()[-3000:]  # the app reads 143 after Stop as stopped
    events = read_events(run)
    stopped = events[-1]
    assert stopped["type"] == "stopped" and stopped["resumable"], events[-3:]
    assert len(of_type(events, "stopped")) == 1 and len(of_type(events, "checkpoint")) == 1  # `last` once
    ckpt = load_checkpoint(stopped["checkpoint"])
    g = ckpt["position"]["global_step"]
    assert g == stopped["global_step"] >= 1 and ckpt["position"]["sample"] % 8 == 0  # images of both processes

    resumed = {}
    for n in (1, 2):
        copy = tmp_path / f"resume{n}"
        shutil.copytree(run, copy)
        cfg = write_config(copy, data, weights_dir, cache_dir, train=dict(train, epochs=2))  # its run_dir: the copy
        if n == 1:
            code, _ = run_cli("train", "--config", cfg, "--resume")
        else:
            p = launch(cfg, "--resume")
            _, err = p.communicate(timeout=600)
            code = p.returncode
            assert code == 0, err[-3000:]
        assert code == 0
        ev = read_events(copy)[len(events):]
        start = of_type(ev, "run_started")[0]
        assert start["resumed"] and start["start_global_step"] == g
        assert start.get("world_size", 1) == n and start["batch_size"] == 8 // n  # the same 8 images per step
        assert start.get("global_batch_size", start["batch_size"]) == 8
        steps = step_losses(ev)
        assert min(steps) == g + 1 and ev[-1]["type"] == "finished"
        resumed[n] = steps
    assert list(resumed[1]) == list(resumed[2])  # the same steps, from the same place, in global terms
    assert max(abs(resumed[1][k] - resumed[2][k]) for k in resumed[1]) < LOSS_TOL


def rank_pid(parent, rank):
    """The pid of the worker with RANK=rank among the launcher's descendants."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == parent and f"RANK={rank}".encode() in env:  # whole entries: not LOCAL_RANK=...
            return int(pid)
    return None


def test_a_killed_rank_ends_the_run_with_a_clear_error_not_a_hang(tmp_path, weights_dir, cache_dir):
    data = flat_dataset(tmp_path / "data")
    run = tmp_path / "run"
    proc = launch(write_config(run, data, weights_dir, cache_dir,
                               train={"epochs": 40, "batch_size": 4, "lr": 1e-3}))
    try:
        for line in proc.stdout:
            if json.loads(line)["type"] == "step":
                break
        victim = rank_pid(proc.pid, 1)
        assert victim is not None
        os.kill(victim, signal.SIGKILL)
        proc.communicate(timeout=HANG_BOUND_S)
    finally:
        proc.kill()
    assert proc.returncode not in (0, 143)
    events = read_events(run)
    err = events[-1]
    assert err["type"] == "error" and err["kind"] == "internal", events[-3:]
    assert "training processes ended unexpectedly" in err["message"] and "Resume" in err["fix"]
    assert not of_type(events, "stopped") and not of_type(events, "finished")


def test_out_of_memory_with_two_processes_ends_the_run_for_both(tmp_path, weights_dir, cache_dir):
    data = flat_dataset(tmp_path / "data")
    run = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "deit_trainer", "launch", "--nproc-per-node", "2", "train",
                             "--config", write_config(run, data, weights_dir, cache_dir,
                                                      train={"epochs": 1, "batch_size": 4, "lr": 1e-3})],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(ENV, DEIT_TRAINER_FAULT="oom_at_step:2"))
    _, err = proc.communicate(timeout=HANG_BOUND_S)
    assert proc.returncode != 0
    events = read_events(run)
    errors = of_type(events, "error")
    assert len(errors) == 1 and errors[0]["kind"] == "out_of_memory", events[-3:]
    assert "not lowered" in errors[0]["message"] and not of_type(events, "batch_size")[1:]
