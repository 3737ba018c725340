"""The training recipe for short fine-tunes: resolved lr, warmup + cosine schedule, EMA.

Usage:
    lr = default_lr(batch_size, frozen)                 # 1e-4 x sqrt(batch/256) (1e-3 with a frozen backbone)
    lr = default_lr(batch_size, False, scratch=True)    # from scratch: DeiT's 5e-4 per 512 images, sqrt-scaled
    warmup = warmup_epochs(configured, scratch, epochs)  # from scratch: DeiT's 5 epochs (a third of a short run)
    sched = Schedule(lr, epochs, warmup_epochs)          # sched.lr_at(epoch_progress)
    ema = ModelEma(model, ema_decay(total_steps))
The schedule is a pure function of training progress (epochs done as a float), so it needs no saved
state beyond the position and survives a batch-size change after an out-of-memory error.
"""
import copy
import math

import torch

BASE_LR = 1e-4          # full fine-tune, per 256 images
BASE_LR_FROZEN = 1e-3   # linear probe (head only), per 256 images
LR_BATCH = 256          # the batch size BASE_LR is quoted for
WARMUP_START = 0.01     # warmup starts at lr x this
MIN_LR_RATIO = 0.01     # cosine ends at lr x this (relative: DeiT's fixed 1e-5 can exceed a fine-tune lr)
WARMUP_MAX_SHARE = 1 / 3  # warmup never takes more than this share of the run
# Training from scratch (model.pretrained=false): the DeiT paper's recipe (facebookresearch/deit main.py:
# lr 5e-4 x batch/512, 5 warmup epochs, weight decay 0.05 = the config default). The lr is scaled by the
# square root of the batch like the fine-tune lr (timm's train.py does so for Adam-type optimisers), so a
# small batch still learns; at batch 512 it is DeiT's own value.
SCRATCH_BASE_LR = 5e-4
SCRATCH_LR_BATCH = 512
SCRATCH_WARMUP_EPOCHS = 5
EMA_WINDOW = 0.1        # EMA averages over about this share of the run's steps
EMA_DECAY_RANGE = (0.9, 0.9999)


def default_lr(batch_size, frozen, scratch=False):
    """Square-root scaling: right for AdamW, and a small batch (CPU, little memory) still learns."""
    if scratch and not frozen:
        return SCRATCH_BASE_LR * math.sqrt(batch_size / SCRATCH_LR_BATCH)
    return (BASE_LR_FROZEN if frozen else BASE_LR) * math.sqrt(batch_size / LR_BATCH)


def warmup_epochs(configured, scratch, epochs):
    """From scratch, at least DeiT's 5 warmup epochs, or a third of a shorter run; else the configured length."""
    if not scratch:
        return configured
    return max(configured, min(SCRATCH_WARMUP_EPOCHS, epochs * WARMUP_MAX_SHARE))


class Schedule:
    def __init__(self, lr, epochs, warmup_epochs):
        self.lr, self.epochs = lr, epochs
        self.min_lr = lr * MIN_LR_RATIO
        self.warmup = min(warmup_epochs, epochs * WARMUP_MAX_SHARE)
        self.warmup_capped = warmup_epochs > self.warmup

    def lr_at(self, progress):
        """progress: epochs done, as a float in [0, epochs]."""
        if progress < self.warmup:
            return self.lr * (WARMUP_START + (1 - WARMUP_START) * progress / self.warmup)
        span = max(self.epochs - self.warmup, 1e-9)
        t = min(1.0, (progress - self.warmup) / span)
        return self.min_lr + (self.lr - self.min_lr) * 0.5 * (1 + math.cos(math.pi * t))


def ema_decay(total_steps):
    decay = 1 - 1 / max(1.0, EMA_WINDOW * total_steps)
    return min(max(decay, EMA_DECAY_RANGE[0]), EMA_DECAY_RANGE[1])


class ModelEma:
    """fp32 exponential moving average of a model's parameters and buffers."""

    def __init__(self, model, decay):
        self.module = copy.deepcopy(model).eval().float()
        for p in self.module.parameters():
            p.requires_grad_(False)
        self.decay, self.updates = decay, 0

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))  # warm up: early averages stay close
        ema_p = list(self.module.parameters())
        src_p = [p.detach().float() for p in model.parameters()]
        torch._foreach_lerp_(ema_p, src_p, 1 - d)
        for e, b in zip(self.module.buffers(), model.buffers()):
            e.copy_(b)

    def state_dict(self):
        return {"module": self.module.state_dict(), "decay": self.decay, "updates": self.updates}

    def load_state_dict(self, state):
        self.module.load_state_dict(state["module"])
        self.decay, self.updates = state["decay"], state["updates"]
