"""Whether torch.compile pays for itself on this run: compile only when the time it saves exceeds its cost.

Usage:
    d = decide_compile(remaining_images=45_000, eager_img_per_s=5_200.0, cache_warm=False)
    d.compile, d.reason      # False, "Not compiling the model: it would not pay for itself on this run; ..."
    probe = EagerProbe(cache_warm, sync)   # the trainer, compile "auto" on a GPU: eager first, then decide
    d = probe.after_step(steps_done_in_this_process, images_per_step, remaining_images)   # once, else None

Compiling costs a fixed time before the first compiled step (cold: the first run of a model on this
machine; warm: the inductor/Triton cache of an earlier run of the same model and shapes) and makes each
step faster by a factor. The run's training first takes a few eager steps, which measure the eager speed
on this GPU and this data; then, for the images still to train on:
    eager time    = remaining / eager_speed
    compiled time = compile_cost + remaining / (eager_speed * speedup)
and compile when the compiled time is shorter by a margin. For the runs most users make (a few thousand
images, a few epochs) compiling does not pay; for 100,000 images x 10 epochs it does.

The speed-up and the costs are constants here, to be replaced by figures measured on a GPU
(docker/bench/bench.py's `ours_synthetic` with and without compile; docs/benchmarks.md): the cold cost is
the ~30 s measured on an H100 (2026-11-28, DeiT-S/B, time to first step 52 s of which ~30 s compile);
the warm cost and the speed-up are assumptions until measured, chosen conservatively (a smaller speed-up
and a larger cost both make the policy compile less often).
"""
import os
import time
from dataclasses import dataclass

COMPILE_COLD_S = 30.0  # measured: H100, torch.compile of DeiT-S/B training step, first run
COMPILE_WARM_S = 12.0  # assumed until measured: the same with the inductor/Triton cache of an earlier run
COMPILED_SPEEDUP = 1.2  # assumed until measured: compiled step speed / eager step speed (bf16, same batch)
MARGIN_S = 5.0  # compile only when it saves at least this much: the estimate is rough
EAGER_PROBE_STEPS = 8  # eager steps measured before deciding (the first ones are warm-up: allocator, cuDNN)
ON_PREFIX, OFF_PREFIX = "Compiling the model", "Not compiling the model"  # how report.py finds the decision


@dataclass(frozen=True)
class CompileDecision:
    compile: bool
    reason: str  # a plain sentence for the log and the methods report
    eager_s: float  # estimated seconds for the remaining images without compiling
    compiled_s: float  # estimated seconds with compiling, its cost included


def decide_compile(remaining_images, eager_img_per_s, cache_warm, speedup=COMPILED_SPEEDUP):
    """-> CompileDecision for the images still to train on, given the eager speed just measured."""
    if eager_img_per_s <= 0 or remaining_images <= 0:
        return CompileDecision(False, "Not compiling: nothing left to train on.", 0.0, 0.0)
    cost = COMPILE_WARM_S if cache_warm else COMPILE_COLD_S
    eager_s = remaining_images / eager_img_per_s
    compiled_s = cost + remaining_images / (eager_img_per_s * speedup)
    saved = eager_s - compiled_s
    cache = "with the compile cache of an earlier run on this dataset" if cache_warm else "first compile of this model here"
    facts = (f"{remaining_images:,} images to go at {eager_img_per_s:,.0f} img/s: ~{eager_s:.0f} s as is, "
             f"~{compiled_s:.0f} s compiled ({cost:.0f} s to compile, {cache})")
    if saved >= MARGIN_S:
        return CompileDecision(True, f"{ON_PREFIX} (torch.compile): {facts}.", eager_s, compiled_s)
    return CompileDecision(False, f"{OFF_PREFIX}: it would not pay for itself on this run; {facts}.",
                           eager_s, compiled_s)



class EagerProbe:
    """compile "auto" on a GPU: the run starts eager; after WARMUP_STEPS steps of this process the next
    EAGER_PROBE_STEPS are timed (a device sync at each end, twice per run), and the measured speed decides
    once whether compiling pays for the images still to train on. A run shorter than that stays eager."""

    WARMUP_STEPS = 2  # allocator, cuDNN autotuning: not the eager speed

    def __init__(self, cache_warm, sync):
        self.cache_warm, self.sync, self.t0 = cache_warm, sync, None

    def after_step(self, steps_here, images_per_step, remaining_images):
        """-> the CompileDecision at the end of the timed steps, else None."""
        if steps_here == self.WARMUP_STEPS:
            self.sync()
            self.t0 = time.perf_counter()
        elif steps_here == self.WARMUP_STEPS + EAGER_PROBE_STEPS and self.t0 is not None:
            self.sync()
            speed = EAGER_PROBE_STEPS * images_per_step / max(time.perf_counter() - self.t0, 1e-9)
            return decide_compile(remaining_images, speed, self.cache_warm)
        return None


def compile_cache_dir(shared_dir, run_dir, model_name):
    """Where torch.compile keeps its kernels (inductor + Triton caches). `<shared_dir>/<model>`
    (train.compile_cache_dir) when `shared_dir` is a folder this process may write: the app mounts one per
    dataset, so a second run of the model on the same images compiles from cache, and a run never loads
    kernels written by a run on other images (a compile cache is code; docs/engine-runs.md). Else the
    run's own `.cache/compile` (a resume reuses it)."""
    if shared_dir and os.path.isdir(shared_dir) and os.access(shared_dir, os.W_OK):
        return os.path.join(shared_dir, model_name.replace("/", "_"))
    return os.path.join(run_dir, ".cache", "compile")


def compile_cache_warm(folder):
    """True when the compile cache holds kernels of an earlier run (any file below it)."""
    for _root, _dirs, files in os.walk(folder):
        if files:
            return True
    return False
