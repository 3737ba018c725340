"""The processor speed probe (speed_probe.py): what the app's estimate before a CPU run is built on."""
import contextlib
import io
import json

import pytest

from deit_trainer.__main__ import main
from deit_trainer.speed_probe import probe_speed, step_time_at

MODEL = "deit_tiny_patch16_224"


def test_a_step_is_a_fixed_part_plus_a_part_per_image():
    # 0.2 s at 8 images, 0.3 s at 16: 0.1 s fixed + 12.5 ms per image -> 0.5 s at 32
    assert step_time_at(32, {1: 0.5, 8: 0.2, 16: 0.3}) == pytest.approx(0.5)
    assert step_time_at(16, {8: 0.2, 16: 0.3}) == pytest.approx(0.3)  # measured at the run's batch
    # one batch measured: all of it per image (never an underestimate)
    assert step_time_at(32, {1: 2.0}) == pytest.approx(64.0)
    # timing noise that makes the larger batch faster: no negative cost per image
    assert step_time_at(32, {8: 0.3, 16: 0.2}) == pytest.approx(0.2)


def test_probe_times_the_model_at_the_run_batch_within_its_budget():
    # 6 s: a step of a tiny model at 32 px takes milliseconds on a quiet machine; the budget leaves room for
    # a machine shared with other work (seen: 2 s failed at load average 8 on 2 cores)
    result = probe_speed(MODEL, 32, 8, budget_s=6.0)
    assert result["train_img_per_s"] > 0 and result["eval_img_per_s"] > 0
    assert result["timed_batch"] == 8  # a tiny model at 32 px reaches the run's batch
    assert result["batch"] == 8 and result["img_size"] == 32 and result["cpus"] >= 1
    assert result["seconds"] < 30  # bounded by the budget (plus one step), not by the model
    assert 0 < result["cpu_share"] <= 1.5  # processor time per wall second and thread (how busy the machine was)


def test_probe_speed_command_prints_one_json_line():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["probe-speed", "--model", MODEL, "--img-size", "32", "--batch", "4", "--budget-s", "1"])
    assert code == 0
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1
    assert json.loads(lines[0])["model"] == MODEL
