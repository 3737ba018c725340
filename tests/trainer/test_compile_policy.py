"""The compile policy (issue 19): torch.compile only when the time it saves on this run exceeds its cost."""
from deit_trainer.compile_policy import COMPILE_COLD_S, COMPILE_WARM_S, decide_compile


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
