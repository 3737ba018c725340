"""The automatic batch size: enough optimizer steps per epoch first, then the largest batch that fits.

Usage:
    choice = choose_batch(n_train=1000, fitted=512, device_kind="cuda")   # pure: no torch, no GPU
    choice.batch_size, choice.steps_per_epoch, choice.limit, choice.why   # 32, 32, "steps", "..."
    choice = auto_batch(model, img_size, device, precision, n_train)       # the rule + the GPU memory probe
    choice = auto_batch(..., assume_gpu_gb=80)   # decide as on an 80 GB GPU, also on the CPU (benchmarks)
    fitted = estimate_fitted_batch(model, 24 * GIB)                        # no GPU needed

The rule in one sentence: the largest multiple of 8 that still gives at least 30 optimizer steps per
epoch, but never fewer than 16 images (unless the training set itself is smaller) and never more than
the largest batch that fits in memory (the GPU probe, at most 512; 32 on the CPU).
Why: a 1,000-image set at the largest batch that fits on an 80 GB GPU (512) would get 2 steps per
epoch, too few for the model to learn; below 16 images a step's gradient gets noisy.
`electron/contract/batch-rule.ts` is the same rule for the app's Settings review; both are tested
against one table of cases, docker/protocol/fixtures/batch-rule-cases.json.

The largest batch that fits comes from the probe on a real GPU (forward + backward of a random batch,
plus AdamW's state, within 85 % of the memory), or, given a memory size, from `estimate_fitted_batch`,
a linear model of a DeiT's training memory calibrated on the H100 measurements in docs/benchmarks.md.
"""
from collections import namedtuple

MIN_STEPS = 30         # optimizer steps per epoch wanted, where the training set allows
MIN_BATCH = 16         # fewest images per automatic batch (unless the training set is smaller)
BATCH_MULTIPLE = 8     # step-limited batches are rounded down to a multiple of this (GPU-friendly shapes)
MAX_AUTO_BATCH = 512   # largest automatic batch on a GPU
CPU_BATCH = 32         # largest automatic batch on the CPU: larger ones are no faster per image there
HEADROOM = 0.85        # use at most this share of GPU memory
GIB = 2 ** 30          # "80 GB" GPUs report about 80 GiB
# Training memory of a DeiT, bf16 + torch.compile: about this many bytes per image, token, channel and
# block (H100: DeiT-S 16.9 GiB and DeiT-B 33.8 GiB at batch 512, 224 px, both ~38 bytes), plus 16 bytes
# per trainable parameter (fp32 weights, gradients, AdamW's two moments). Rounded up: eager uses more.
ACTIVATION_BYTES = 44
STATE_BYTES_PER_PARAM = 16

BatchChoice = namedtuple("BatchChoice", "batch_size steps_per_epoch limit why")
# limit: what decided the batch size:
#   dataset   the whole training set is smaller than MIN_BATCH: one step per epoch
#   min_batch MIN_BATCH, though it gives fewer than MIN_STEPS steps (a small training set)
#   steps     the largest batch giving at least MIN_STEPS steps
#   memory    the largest batch that fits in GPU memory (smaller than the steps rule allows)
#   max       MAX_AUTO_BATCH (the training set is large and memory is plentiful)
#   cpu       CPU_BATCH on the processor


def steps_per_epoch(n_train, batch_size):
    """Every image is used each epoch: the last batch is filled up (loader.py)."""
    return -(-n_train // batch_size)


def _count(n):
    return f"{n:,}"


def choose_batch(n_train, fitted, device_kind):
    """The automatic batch size for n_train training images when at most `fitted` images fit in one
    batch (the GPU probe's answer; CPU_BATCH on the CPU). Pure. -> BatchChoice."""
    if n_train < 1:
        raise ValueError("there are no training images")
    cap = max(1, min(fitted, CPU_BATCH if device_kind == "cpu" else MAX_AUTO_BATCH))
    by_steps = (n_train - 1) // (MIN_STEPS - 1) // BATCH_MULTIPLE * BATCH_MULTIPLE  # ceil(n / b) >= MIN_STEPS
    if n_train <= MIN_BATCH:
        want, limit = n_train, "dataset"
    elif by_steps < MIN_BATCH:
        want, limit = MIN_BATCH, "min_batch"
    else:
        want, limit = by_steps, "steps"
    rule_want = min(want, MAX_AUTO_BATCH)
    if cap < want:
        want, limit = cap, ("cpu" if device_kind == "cpu" else "max" if cap == MAX_AUTO_BATCH else "memory")
    spe = steps_per_epoch(n_train, want)
    n, steps = _count(n_train), f"{_count(spe)} step{'s' if spe > 1 else ''} per epoch"
    why = {
        "dataset": f"all {n} training image{'s' if n_train > 1 else ''} in one batch (a set this small gives one step "
                   "per epoch)",
        "min_batch": f"the smallest automatic batch; {n} training images give {steps} (fewer than the {MIN_STEPS} "
                     "wanted, but smaller batches make noisy steps)",
        "steps": f"the largest batch that still gives at least {MIN_STEPS} steps per epoch over {n} training images "
                 f"({steps})",
        "memory": f"the largest batch that fits in GPU memory (the {n} training images alone would allow {rule_want}); "
                  f"{steps}",
        "max": f"the largest automatic batch size; {n} training images give {steps}",
        "cpu": f"the largest automatic batch on the processor; {n} training images give {steps}",
    }[limit]
    return BatchChoice(want, spe, limit, f"Batch size {want}: {why}.")


def fixed_batch(n_train, batch_size):
    """A batch size set in the config, capped at the training images. -> BatchChoice."""
    bs = min(batch_size, n_train)
    capped = f", lowered to the {_count(n_train)} training images" if bs < batch_size else ""
    return BatchChoice(bs, steps_per_epoch(n_train, bs), "config",
                       f"Batch size {bs}: set in the settings{capped}.")


def probe_candidates(upper):
    """Batch sizes to try, largest first: the rule's choice, then the powers of two below it."""
    return [upper] + [b for b in (512, 256, 128, 64, 32, 16, 8, 4, 2, 1) if b < upper]


def estimated_training_bytes(model, batch_size):
    """GPU memory a DeiT's training step should take at this batch size (bf16, compiled, AdamW)."""
    tokens = model.patch_embed.num_patches + getattr(model, "num_prefix_tokens", 1)
    per_image = ACTIVATION_BYTES * len(model.blocks) * model.embed_dim * tokens
    state = STATE_BYTES_PER_PARAM * sum(p.numel() for p in model.parameters() if p.requires_grad)
    return state + batch_size * per_image


def estimate_fitted_batch(model, memory_bytes, upper=MAX_AUTO_BATCH):
    """Largest batch (of probe_candidates(upper)) a DeiT should fit in memory_bytes of GPU memory."""
    for bs in probe_candidates(upper):
        if estimated_training_bytes(model, bs) <= HEADROOM * memory_bytes:
            return bs
    return 1


def probe_fitted_batch(model, img_size, device, precision, upper, total_bytes):
    """Largest batch (of probe_candidates(upper)) whose forward + backward (+ AdamW state) fits in
    HEADROOM x total_bytes of GPU memory, tried on the GPU with a random batch."""
    import torch

    from .runtime import autocast
    adam_bytes = 2 * sum(p.numel() * 4 for p in model.parameters() if p.requires_grad)
    for bs in probe_candidates(upper):
        try:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats(device)
            x = torch.randn(bs, 3, img_size, img_size, device=device)
            with autocast(device, precision):
                loss = model(x).float().logsumexp(1).mean()
            loss.backward()
            peak = torch.cuda.max_memory_allocated(device) + adam_bytes
            del x, loss
            model.zero_grad(set_to_none=True)
            if peak < HEADROOM * total_bytes:
                return bs
        except torch.OutOfMemoryError:
            model.zero_grad(set_to_none=True)
        torch.cuda.empty_cache()
    return 1


def auto_batch(model, img_size, device, precision, n_train, assume_gpu_gb=None):
    """batch_size "auto": the rule, given the largest batch that fits (the probe on a GPU; the estimate
    for `assume_gpu_gb` GB when there is no GPU). -> BatchChoice."""
    if device.type != "cuda" and assume_gpu_gb is None:
        return choose_batch(n_train, CPU_BATCH, "cpu")
    upper = choose_batch(n_train, MAX_AUTO_BATCH, "cuda").batch_size  # what the data asks for
    if device.type == "cuda":
        import torch
        total = assume_gpu_gb * GIB if assume_gpu_gb else torch.cuda.get_device_properties(device).total_memory
        fitted = probe_fitted_batch(model, img_size, device, precision, upper, total)
    else:
        fitted = estimate_fitted_batch(model, assume_gpu_gb * GIB, upper)
    choice = choose_batch(n_train, fitted, "cuda")
    if assume_gpu_gb:
        how = "measured" if device.type == "cuda" else "estimated"
        choice = choice._replace(why=f"{choice.why[:-1]}; as on a GPU with {assume_gpu_gb:g} GB ({how}; "
                                     "train.assume_gpu_memory_gb).")
    return choice
