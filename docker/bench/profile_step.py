"""Where a training step's time goes on a GPU: augmentation alone, the compiled model step alone, both.

Usage: python docker/bench/profile_step.py [--model deit_small_patch16_224] [--batch 512] [--steps 30]
Prints img/s of each part, so the bound of the trainer's throughput is visible (see docs/benchmarks.md).
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from deit_trainer.augment import train_batch  # noqa: E402
from deit_trainer.model import make_optimizer  # noqa: E402
from deit_trainer.runtime import autocast, speed_flags  # noqa: E402


def timed(fn, steps, batch):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(steps):
        fn()
    torch.cuda.synchronize()
    return steps * batch / (time.perf_counter() - t)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="deit_small_patch16_224")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--compiled-augment", action="store_true", help="also try torch.compile on the augmentation")
    a = p.parse_args()
    import timm
    dev = torch.device("cuda")
    speed_flags(dev)
    model = timm.create_model(a.model, num_classes=10).to(dev)
    opt, _ = make_optimizer(model, 1e-4, 0.05, dev)
    fwd = torch.compile(model)
    x_u8 = torch.randint(0, 256, (a.batch, 256, 256, 3), dtype=torch.uint8, device=dev)
    y = torch.randint(0, 10, (a.batch,), device=dev)
    gen = torch.Generator(device=dev).manual_seed(0)
    ready = train_batch(x_u8, 224, "light", gen)

    def model_step(x):
        with autocast(dev, "bf16"):
            loss = F.cross_entropy(fwd(x).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for preset in ("light", "standard"):
        print(f"augment {preset:8s} alone  {timed(lambda: train_batch(x_u8, 224, preset, gen), a.steps, a.batch):9.0f} img/s")
    t = time.perf_counter()
    model_step(ready)
    torch.cuda.synchronize()
    print(f"compile (first step)         {time.perf_counter() - t:6.1f} s")
    print(f"model step alone       {timed(lambda: model_step(ready), a.steps, a.batch):9.0f} img/s  "
          f"(bf16, fused AdamW, compiled, batch {a.batch})")
    for preset in ("light", "standard"):
        print(f"augment {preset:8s} + step {timed(lambda: model_step(train_batch(x_u8, 224, preset, gen)), a.steps, a.batch):9.0f} img/s")
    if a.compiled_augment:
        aug = torch.compile(train_batch)
        try:
            t = time.perf_counter()
            aug(x_u8, 224, "standard", gen)
            torch.cuda.synchronize()
            print(f"compile augment              {time.perf_counter() - t:6.1f} s")
            print(f"compiled standard alone {timed(lambda: aug(x_u8, 224, 'standard', gen), a.steps, a.batch):9.0f} img/s")
            print(f"compiled standard + step {timed(lambda: model_step(aug(x_u8, 224, 'standard', gen)), a.steps, a.batch):9.0f} img/s")
        except Exception as error:  # noqa: BLE001 - an experiment: report, don't crash
            print(f"compiled augment failed: {type(error).__name__}: {str(error)[:300]}")
    print(f"peak memory {torch.cuda.max_memory_allocated() / 2 ** 30:.1f} GiB")


if __name__ == "__main__":
    main()
