"""Times a few training steps of a model on this machine's processor: the app's estimate before a CPU run.

Usage (inside the trainer image; no mounts, no network, no weights needed):
    python -m deit_trainer probe-speed --model deit_tiny_patch16_224 --img-size 32 --batch 32 [--budget-s 4]
Prints one JSON line:
    {"train_img_per_s": 91.3, "eval_img_per_s": 310.2, "batch": 32, "timed_batch": 32, "threads": 2,
     "cpu_share": 0.97, ...}
`cpu_share`: processor time the probe got per wall second and thread (near 1: the machine was idle;
far less: other work took the cores, and the speed measured is too low). Repeated steps keep the
fastest, the one least disturbed.
A step is what the trainer does per step on a CPU: augmentation ("standard": crop, flip, RandAugment),
fp32 eager forward, label-smoothed loss, backward and AdamW, at the run's image size, on random
pictures (speed does not depend on the pixels). Weights are random: loading pretrained ones changes
nothing about speed. Bounded in time (about `budget_s`, or one step of one image when that is longer):
a step of one image (twice: the first also allocates), then the batch doubles while the next step
(at most twice the last) fits in the budget, up to the run's batch. A step at the run's batch is the
time measured there, or (large models, slow processors) extrapolated from the two largest batches
timed, as a fixed part (optimizer, Python) plus a part per image. Evaluation (forward only) is timed
on the largest batch, or taken as a third of a training step when no time is left.
"""
import json
import time

import timm
import torch
import torch.nn.functional as F

from .augment import eval_batch, train_batch
from .threads import available_cpus

NUM_CLASSES = 10  # the head's size barely matters next to the backbone


def _rows(batch, img_size, gen):
    """Random uint8 cache rows [B, S+1, W, 3] as the decoded cache holds them (a missing header row works)."""
    return torch.randint(0, 256, (batch, img_size + 1, img_size, 3), dtype=torch.uint8, generator=gen)


class Clock:
    """Wall time of calls, and the processor time this process got meanwhile (how busy the machine was)."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __call__(self, fn, *args):
        w0, c0 = time.perf_counter(), time.process_time()
        fn(*args)
        wall = time.perf_counter() - w0
        self.wall += wall
        self.cpu += time.process_time() - c0
        return wall


def step_time_at(batch, measured):
    """Seconds per step at `batch` from {batch: seconds} measured at smaller or equal batches.

    A step costs a fixed part (the optimizer over every weight, Python) plus a part per image: the
    line through the two largest measured batches; with one batch measured, all of it per image
    (an overestimate, never an underestimate)."""
    sizes = sorted(measured)
    big = sizes[-1]
    if big >= batch or len(sizes) < 2:
        return measured[big] * batch / big
    small = sizes[-2]
    per_image = max(0.0, (measured[big] - measured[small]) / (big - small))
    return measured[big] + per_image * (batch - big)


def probe_speed(model_name, img_size, batch, budget_s=4.0):
    """Training and evaluation images per second of `model_name` at `img_size` on the CPU -> dict."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    model = timm.create_model(model_name, pretrained=False, num_classes=NUM_CLASSES, img_size=img_size,
                              drop_path_rate=0.1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)

    def train_step(b):
        model.train()
        x = train_batch(_rows(b, img_size, gen), img_size, "standard", gen)
        y = torch.randint(0, NUM_CLASSES, (b,), generator=gen)
        loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    started = time.perf_counter()
    elapsed = lambda: time.perf_counter() - started  # noqa: E731
    train_budget = 0.75 * budget_s  # the rest for evaluation
    clock = Clock()
    measured = {1: clock(train_step, 1)}  # the first step also allocates: timed again below if time allows
    if elapsed() + measured[1] <= train_budget:
        measured[1] = clock(train_step, 1)
    # Double the batch while the next step (at most twice the last) fits in the budget, up to the run's batch.
    b = 1
    while b < batch:
        nb = min(batch, 2 * b)
        if elapsed() + measured[b] * nb / b > train_budget:
            break
        b = nb
        measured[b] = clock(train_step, b)
    for _ in range(20):  # repeat the largest batch while the budget lasts: the fastest is the least disturbed
        if elapsed() + measured[b] > train_budget:
            break
        measured[b] = min(measured[b], clock(train_step, b))
    train_s = step_time_at(batch, measured)

    model.eval()
    if elapsed() < budget_s:
        x = eval_batch(_rows(b, img_size, gen), img_size)
        with torch.no_grad():
            model(x)
            evals, t0 = 0, time.perf_counter()
            while evals < 1 or (time.perf_counter() - t0 < min(1.0, budget_s / 4) and evals < 20):
                model(x)
                evals += 1
        eval_img_per_s = b * evals / (time.perf_counter() - t0)
    else:  # no time left: a forward pass is about a third of a training step
        eval_img_per_s = 3 * batch / train_s
    return {"model": model_name, "img_size": img_size, "batch": batch, "timed_batch": b,
            "train_img_per_s": round(batch / train_s, 3), "eval_img_per_s": round(eval_img_per_s, 3),
            "threads": torch.get_num_threads(), "cpus": available_cpus(),
            # Processor time got per wall second and thread while timing: near 1 on an idle machine;
            # far less means other work took the cores (the speed is then too low).
            "cpu_share": round(clock.cpu / max(clock.wall, 1e-9) / torch.get_num_threads(), 2),
            "seconds": round(time.perf_counter() - started, 2)}


def run_probe(args):
    print(json.dumps(probe_speed(args.model, args.img_size, args.batch, args.budget_s)), flush=True)
    return 0
