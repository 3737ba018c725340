"""GPU benchmark: the seed's training loop as a researcher writes it vs the DeiT Studio trainer.

Usage (a GPU machine with torch, torchvision, timm; no Docker needed):
    python docker/bench/bench.py [--models deit_small_patch16_224,deit_base_patch16_224] \
        [--images 4000] [--epochs 3] [--out bench-summary.json]
    python docker/bench/bench.py --smoke            # tiny, CPU-friendly end-to-end check
For each model, on synthetic data and on a generated JPEG ImageFolder (500x375 images):
  seed   the loop as written: torchvision ImageFolder + RandomResizedCrop/flip/ToTensor/Normalize,
         DataLoader(num_workers=4, batch 32), fp16 autocast + GradScaler, AdamW, timm DeiT, eager
  ours   deit_trainer (its step also eager, for the compile speed-up): decoded uint8 cache, augmentation on the GPU, bf16, fused AdamW,
         torch.compile, auto batch size (the real `train` command on the JPEG folder, epochs >= 2)
Prints img/s, time to first step, peak GPU memory and MFU; writes a JSON summary.
"""
import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
WARMUP = 3  # steps not timed (allocator, cuDNN autotune, compile)
PEAK_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0, "L40S": 362.0, "RTX 4090": 165.0}  # dense bf16/fp16


def peak_flops(device):
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    for key, tflops in PEAK_TFLOPS.items():
        if key in name:
            return tflops * 1e12
    return None


def train_flops_per_image(model, img_size):
    """3 x forward FLOPs (forward + backward) of a ViT: matmuls 2*N*params, attention 4*N^2*d per block."""
    n = (img_size // 16) ** 2 + getattr(model, "num_prefix_tokens", 1)
    d, depth = model.embed_dim, len(model.blocks)
    params = sum(p.numel() for p in model.parameters())
    return 3 * (2 * n * params + 4 * n * n * d * depth)


def make_jpeg_folder(root, n, size, classes=10, workers=8):
    from concurrent.futures import ProcessPoolExecutor
    for c in range(classes):
        os.makedirs(os.path.join(root, f"class_{c}"), exist_ok=True)
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_one_jpeg, [(root, i, classes, size) for i in range(n)], chunksize=64))


def _one_jpeg(args):
    root, i, classes, (w, h) = args
    rng = np.random.default_rng(i)
    base = rng.integers(0, 255, (h // 8 + 1, w // 8 + 1, 3), dtype=np.uint8)  # smooth-ish, JPEG-realistic content
    img = Image.fromarray(base).resize((w, h), Image.BILINEAR)
    img.save(os.path.join(root, f"class_{i % classes}", f"{i:06d}.jpg"), quality=90)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def reset_peak(device):
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)


def peak_gib(device):
    return torch.cuda.max_memory_allocated(device) / 2 ** 30 if device.type == "cuda" else None


def seed_loop(model_name, device, batches, img_size, steps=None, warmup=None):
    """The seed's loop as written. `batches` yields (x, y) CPU tensors; returns figures."""
    import timm
    warmup = warmup or WARMUP
    t0 = time.perf_counter()
    model = timm.create_model(model_name, num_classes=10, img_size=img_size).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    use_amp = device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    reset_peak(device)
    first, seen, start = None, 0, None
    for i, (x, y) in enumerate(batches):
        x, y = x.to(device), y.to(device)
        with torch.autocast(device.type, dtype=torch.float16, enabled=use_amp):
            loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        if i == 0:
            sync(device)
            first = time.perf_counter() - t0
        if i == warmup - 1:
            sync(device)
            start = time.perf_counter()
        elif i >= warmup:
            seen += len(x)
        if steps and i + 1 >= steps:
            break
    sync(device)
    rate = seen / (time.perf_counter() - start) if start and seen else None
    return {"img_per_s": rate, "first_step_s": first, "peak_gib": peak_gib(device), "batch_size": 32,
            "flops_per_img": train_flops_per_image(model, img_size)}


def synthetic_batches(img_size, batch=32):
    x, y = torch.randn(batch, 3, img_size, img_size), torch.randint(0, 10, (batch,))
    while True:
        yield x, y


def jpeg_batches(root, img_size, workers):
    import torchvision.transforms as T
    from torchvision.datasets import ImageFolder
    tf = T.Compose([T.RandomResizedCrop(img_size), T.RandomHorizontalFlip(), T.ToTensor(),
                    T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
    loader = torch.utils.data.DataLoader(ImageFolder(root, tf), batch_size=32, shuffle=True, num_workers=workers,
                                         drop_last=True)
    return iter(loader)


def ours_synthetic(model_name, device, img_size, steps, compile_on, batch):
    """deit_trainer's step on a uint8 batch resident on the device (no data loading)."""
    import timm
    from deit_trainer.augment import train_batch
    from deit_trainer.model import make_optimizer
    from deit_trainer.runtime import autocast, speed_flags
    speed_flags(device)
    t0 = time.perf_counter()
    model = timm.create_model(model_name, num_classes=10, img_size=img_size).to(device)
    opt, _ = make_optimizer(model, 1e-4, 0.05, device)
    fwd = torch.compile(model) if compile_on else model
    precision = "bf16" if device.type == "cuda" else "fp32"
    side = img_size * 8 // 7
    x_u8 = torch.randint(0, 256, (batch, side, side, 3), dtype=torch.uint8, device=device)
    y = torch.randint(0, 10, (batch,), device=device)
    gen = torch.Generator(device=device).manual_seed(0)
    reset_peak(device)
    first, start, warmup = None, None, WARMUP
    for i in range(steps + warmup):
        x = train_batch(x_u8, img_size, "standard", gen)
        with autocast(device, precision):
            loss = F.cross_entropy(fwd(x).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if i == 0:
            sync(device)
            first = time.perf_counter() - t0
        if i == warmup - 1:
            sync(device)
            start = time.perf_counter()
    sync(device)
    return {"img_per_s": steps * batch / (time.perf_counter() - start), "first_step_s": first,
            "peak_gib": peak_gib(device), "batch_size": batch}


def ours_trainer(model_name, device, data_root, work, img_size, epochs, compile_on, batch_size):
    """The real `train` command on the JPEG folder; figures read back from its event stream."""
    from deit_trainer.__main__ import main
    run = os.path.join(work, f"run-{model_name}")
    cfg = {"version": 1, "data": {"root": data_root, "cache_dir": os.path.join(work, "cache")},
           "model": {"name": model_name, "pretrained": False, "img_size": img_size, "weights_dir": work},
           "train": {"epochs": epochs, "batch_size": batch_size, "compile": compile_on, "log_interval_s": 0.5,
                     "augment": "standard", "device": device.type},
           "output": {"run_dir": run, "export": []}}
    os.makedirs(run, exist_ok=True)
    with open(os.path.join(run, "config.json"), "w") as f:
        json.dump(cfg, f)
    reset_peak(device)
    t0 = time.time()
    with open(os.devnull, "w") as devnull:
        stdout, sys.stdout = sys.stdout, devnull
        try:
            code = main(["train", "--config", os.path.join(run, "config.json")])
        finally:
            sys.stdout = stdout
    events = [json.loads(line) for line in open(os.path.join(run, "metrics.jsonl"))]
    if code != 0:
        raise RuntimeError(f"trainer exit {code}: {events[-1]}")
    cache = [e for e in events if e["type"] == "progress" and e["phase"] == "cache"]
    first_step = next(e for e in events if e["type"] == "step")
    started = next(e for e in events if e["type"] == "run_started")
    epochs_ev = [e for e in events if e["type"] == "epoch"]
    return {"img_per_s": epochs_ev[-1]["img_per_s"], "img_per_s_per_epoch": [e["img_per_s"] for e in epochs_ev],
            "first_step_s": first_step["time"] - t0, "cache_build_s": cache[-1]["time"] - cache[0]["time"],
            "first_step_after_start_s": first_step["time"] - started["time"], "peak_gib": peak_gib(device),
            "batch_size": started["batch_size"], "precision": started["precision"], "compile": started["compile"]}


def fmt(r, flops, peak):
    mfu = f"{100 * r['img_per_s'] * flops / peak:5.1f} %" if peak and r.get("img_per_s") else "   – "
    mem = f"{r['peak_gib']:6.2f} GiB" if r.get("peak_gib") is not None else "      – "
    rate = f"{r['img_per_s']:9.1f}" if r.get("img_per_s") else "        –"
    return f"{rate} img/s  first step {r['first_step_s']:6.1f} s  peak {mem}  MFU {mfu}  batch {r['batch_size']}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default="deit_small_patch16_224,deit_base_patch16_224")
    p.add_argument("--images", type=int, default=4000, help="JPEGs in the generated ImageFolder")
    p.add_argument("--epochs", type=int, default=3, help="epochs of our trainer on the JPEG folder (>= 2)")
    p.add_argument("--img-size", type=int, default=224)
    p.add_argument("--seed-steps", type=int, default=60, help="measured steps of the seed loop on synthetic data")
    p.add_argument("--batch-size", default="auto", help="our trainer's batch size (auto = largest that fits)")
    p.add_argument("--no-compile", action="store_true")
    p.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script end to end on a CPU")
    p.add_argument("--work", default=None, help="scratch folder (default: a temp folder, removed)")
    p.add_argument("--out", default="bench-summary.json")
    args = p.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if args.smoke:
        args.models, args.images, args.epochs, args.img_size, args.seed_steps = "deit_tiny_patch16_224", 160, 2, 32, 4
        global WARMUP
        WARMUP = 1
    compile_on = not args.no_compile and device.type == "cuda"
    batch = args.batch_size if args.batch_size == "auto" else int(args.batch_size)
    work = args.work or tempfile.mkdtemp(prefix="deit-bench-")
    data = os.path.join(work, "jpegs")
    peak = peak_flops(device)
    import timm
    summary = {"device": torch.cuda.get_device_name(0) if device.type == "cuda" else platform.processor() or "cpu",
               "torch": torch.__version__, "timm": timm.__version__, "cpus": os.cpu_count(), "smoke": args.smoke,
               "images": args.images, "img_size": args.img_size, "peak_flops": peak, "models": {}}
    print(f"device {summary['device']}  torch {torch.__version__}  timm {timm.__version__}  cpus {os.cpu_count()}")
    t = time.perf_counter()
    make_jpeg_folder(data, args.images, (100, 75) if args.smoke else (500, 375), workers=min(16, os.cpu_count() or 1))
    print(f"generated {args.images} JPEGs ({'100x75' if args.smoke else '500x375'}) in {time.perf_counter() - t:.1f} s")
    workers = 2 if args.smoke else 4
    for name in args.models.split(","):
        res = {}
        res["seed_synthetic"] = seed_loop(name, device, synthetic_batches(args.img_size), args.img_size, args.seed_steps)
        flops = res["seed_synthetic"]["flops_per_img"]
        res["seed_jpeg"] = seed_loop(name, device, jpeg_batches(data, args.img_size, workers), args.img_size)
        ours_batch = batch if batch != "auto" else (32 if device.type == "cpu" else 256)
        res["ours_synthetic"] = ours_synthetic(name, device, args.img_size, 4 if args.smoke else 40, compile_on, ours_batch)
        # the same step eager: the compile speed-up that compile_policy.py's COMPILED_SPEEDUP stands in for
        res["ours_synthetic_eager"] = ours_synthetic(name, device, args.img_size, 4 if args.smoke else 40, False,
                                                     ours_batch)
        res["ours_jpeg"] = ours_trainer(name, device, data, work, args.img_size, args.epochs, compile_on, batch)
        for r in res.values():
            r["mfu"] = r["img_per_s"] * flops / peak if peak and r.get("img_per_s") else None
        base = res["seed_jpeg"]["img_per_s"]
        res["speedup_jpeg"] = res["ours_jpeg"]["img_per_s"] / base if base else None
        summary["models"][name] = res
        print(f"\n{name}  (train GFLOP/img {flops / 1e9:.1f})")
        for key in ("seed_synthetic", "seed_jpeg", "ours_synthetic_eager", "ours_synthetic", "ours_jpeg"):
            print(f"  {key:15s} {fmt(res[key], flops, peak)}")
        o = res["ours_jpeg"]
        print(f"  ours on JPEGs: cache build {o['cache_build_s']:.1f} s, epochs img/s {o['img_per_s_per_epoch']}, "
              f"{o['precision']}, compile {o['compile']}; speed-up vs seed on JPEGs: "
              f"{res['speedup_jpeg']:.1f}x" if res["speedup_jpeg"] else "")
    write_summary(summary, args.out, work, keep=bool(args.work))


def write_summary(summary, out, work, keep):
    """Writes the JSON summary and removes the scratch folder unless the user named it (--work)."""
    with open(out, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"\nsummary written to {out}")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
