"""The compile policy (issue 19): torch.compile only when the time it saves on this run exceeds its cost."""
import json

from conftest import of_type, read_events, run_cli, write_config
from deit_trainer.compile_policy import (COMPILE_COLD_S, COMPILE_WARM_S, EAGER_PROBE_STEPS, OFF_PREFIX, EagerProbe,
                                         decide_compile)


def test_a_short_fine_tune_is_not_compiled():
    d = decide_compile(remaining_images=5_000 * 10, eager_img_per_s=5_000.0, cache_warm=False)
    assert not d.compile and "would not pay" in d.reason and "50,000 images" in d.reason
    assert d.compiled_s > d.eager_s


def test_a_long_run_is_compiled_and_the_reason_gives_the_estimate():
    d = decide_compile(remaining_images=100_000 * 10, eager_img_per_s=3_000.0, cache_warm=False)
    assert d.compile and d.reason.startswith("Compiling the model") and "1,000,000 images" in d.reason
    assert round(d.eager_s) == 333 and d.compiled_s < d.eager_s - 5


def test_a_warm_compile_cache_lowers_the_size_at_which_compiling_pays():
    def smallest_compiled(warm):
        return next(n for n in range(10_000, 2_000_000, 10_000)
                    if decide_compile(n, 5_000.0, cache_warm=warm).compile)
    warm, cold = smallest_compiled(True), smallest_compiled(False)
    assert warm < cold
    assert COMPILE_WARM_S < COMPILE_COLD_S


def test_the_decision_is_monotonic_in_the_work_left():
    decisions = [decide_compile(n, 3_000.0, cache_warm=False).compile for n in range(0, 3_000_000, 25_000)]
    assert decisions == sorted(decisions)  # never compiled, then always: one threshold


def test_nothing_left_or_no_speed_means_no_compile():
    assert not decide_compile(0, 5_000.0, cache_warm=True).compile
    assert not decide_compile(10_000, 0.0, cache_warm=True).compile


def test_the_probe_times_the_steps_after_the_warm_up_and_decides_once():
    syncs = []
    probe = EagerProbe(cache_warm=False, sync=lambda: syncs.append(1))
    decisions = [probe.after_step(n, 256, 50_000) for n in range(1, EagerProbe.WARMUP_STEPS + EAGER_PROBE_STEPS + 5)]
    made = [d for d in decisions if d is not None]
    assert len(made) == 1 and decisions.index(made[0]) == EagerProbe.WARMUP_STEPS + EAGER_PROBE_STEPS - 1
    assert len(syncs) == 2  # one device sync at each end of the timed steps, nothing per step
    assert not made[0].compile  # 50,000 images at the speed of doing nothing: compiling cannot pay


def test_compile_auto_is_decided_by_the_eager_probe_and_the_reason_is_reported(learnable, tmp_path, weights_dir,
                                                                               cache_dir, monkeypatch):
    monkeypatch.setenv("DEIT_TRAINER_FAULT", "compile_probe_on_cpu:1")  # on a GPU only, otherwise
    run = tmp_path / "run"
    config = write_config(run, learnable, weights_dir, cache_dir,
                          train={"epochs": 4, "batch_size": 4, "compile": "auto"})
    code, _ = run_cli("train", "--config", config)
    assert code == 0
    events = read_events(run)
    decided = [e for e in of_type(events, "progress") if e["phase"] == "compile"]
    assert len(decided) == 1 and decided[0]["message"].startswith(OFF_PREFIX), decided
    assert "images to go at" in decided[0]["message"]
    assert of_type(events, "run_started")[0]["compile"] is False
    assert json.loads((run / "resolved-config.json").read_text())["train"]["compile"] is False
    assert f"torch.compile off ({OFF_PREFIX}" in (run / "report.md").read_text()


def test_the_compile_cache_is_the_datasets_folder_only_when_it_can_be_written(tmp_path):
    from deit_trainer.compile_policy import compile_cache_dir, compile_cache_warm
    run_dir, shared = str(tmp_path / "run"), tmp_path / "shared"
    own = compile_cache_dir(str(shared), run_dir, "deit_small_patch16_224")
    assert own == f"{run_dir}/.cache/compile"  # no folder mounted: the run keeps its own
    shared.mkdir()
    mine = compile_cache_dir(str(shared), run_dir, "deit_small_patch16_224")
    assert mine == f"{shared}/deit_small_patch16_224"  # one per model, so "warm" means this model's kernels
    assert not compile_cache_warm(mine)
    (shared / "deit_small_patch16_224" / "torchinductor" / "fx").mkdir(parents=True)
    assert not compile_cache_warm(mine)  # empty folders of a compile that failed are not a cache
    (shared / "deit_small_patch16_224" / "torchinductor" / "fx" / "k.py").write_text("x")
    assert compile_cache_warm(mine) and not compile_cache_warm(compile_cache_dir(str(shared), run_dir, "deit_base_patch16_224"))
    shared.chmod(0o500)  # mounted read-only: never used (another run could not have written it either)
    try:
        assert compile_cache_dir(str(shared), run_dir, "deit_small_patch16_224") == f"{run_dir}/.cache/compile"
    finally:
        shared.chmod(0o700)
