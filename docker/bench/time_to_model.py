"""Time from Start to a trained model: DeiT Studio's trainer beside the seed loop, same data, same run.

Usage (a GPU machine with torch, torchvision, timm; no Docker needed; run from the repo root):
    python docker/bench/time_to_model.py [--models deit_small_patch16_224] \
        [--runs 5000x10,100000x10] [--out time-to-model.json]
    python docker/bench/time_to_model.py --smoke     # tiny, CPU-friendly end-to-end check

For each model and each run size (images x epochs), on a generated JPEG ImageFolder (500x375, 10 classes):
  ours        `python -m deit_trainer train` in a fresh process, as the app's Start does (imports, decoded
              cache build, compile when the trainer chooses it, training, evaluation, exports), with an
              empty compile cache: the first run a user makes on new data.
  ours again  the same run once more with the compile cache of the first (the app keeps one per dataset,
              train.compile_cache_dir); the decoded images are decoded again, as the app's runs each keep
              their own (docs/engine-runs.md): a second run on the same data and model.
  seed        the loop a researcher writes (bench.py's `seed_loop` recipe: ImageFolder + RandomResizedCrop,
              DataLoader(num_workers=4, batch 32), fp16 autocast, AdamW, eager), for the same epochs over the
              same images, then `torch.save` of the weights, in a fresh process.
For each: seconds from process start to the last write of the best weights (`checkpoints/best.pt`, or the
seed's saved file) and to the process's end. Random-init weights for both (the GPU machine has no network;
loading cached pretrained weights takes about a second either way). Prints a table and writes JSON with the
torch version it ran with: figures from another torch than the image's 2.6 must say so.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER_ROOT = os.path.join(HERE, "..")  # docker/: deit_trainer importable from here


def parse_runs(text):
    """'5000x10,100000x10' -> [(5000, 10), (100000, 10)]."""
    runs = []
    for part in text.split(","):
        images, _, epochs = part.strip().lower().partition("x")
        if not images.isdigit() or not epochs.isdigit() or int(images) < 20 or int(epochs) < 1:
            raise SystemExit(f"--runs: '{part}' is not IMAGESxEPOCHS (e.g. 5000x10, at least 20 images)")
        runs.append((int(images), int(epochs)))
    return runs


def timed_process(argv, env, watch_file):
    """Runs argv; returns (seconds to the last change of watch_file, seconds to exit, exit code, tail of output)."""
    started = time.time()
    proc = subprocess.run(argv, env=env, cwd=TRAINER_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    ended = time.time()
    to_file = os.stat(watch_file).st_mtime - started if os.path.exists(watch_file) else None
    return to_file, ended - started, proc.returncode, proc.stdout[-2000:]


def ours(model, data, work, compile_cache, epochs, img_size, device, label):
    run = os.path.join(work, f"run-{label}")
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    cfg = {"version": 1, "data": {"root": data, "cache_dir": os.path.join(run, ".cache")},
           "model": {"name": model, "pretrained": False, "img_size": img_size, "weights_dir": work},
           "train": {"epochs": epochs, "batch_size": "auto", "compile": "auto", "augment": "standard",
                     "device": device, "compile_cache_dir": compile_cache},
           "output": {"run_dir": run, "export": []}}
    config = os.path.join(run, "config.json")
    with open(config, "w") as f:
        json.dump(cfg, f)
    env = {**os.environ, "PYTHONPATH": TRAINER_ROOT}
    to_best, total, code, tail = timed_process([sys.executable, "-m", "deit_trainer", "train", "--config", config],
                                               env, os.path.join(run, "checkpoints", "best.pt"))
    if code != 0:
        raise RuntimeError(f"trainer exit {code}:\n{tail}")
    events = [json.loads(line) for line in open(os.path.join(run, "metrics.jsonl"))]
    started = next(e for e in events if e["type"] == "run_started")
    epochs_ev = [e for e in events if e["type"] == "epoch"]
    return {"to_best_s": to_best, "to_end_s": total, "compile": started.get("compile"),
            "batch_size": started.get("batch_size"), "precision": started.get("precision"),
            "img_per_s_last_epoch": epochs_ev[-1].get("img_per_s") if epochs_ev else None}


SEED_SCRIPT = r"""
import sys, time, torch, timm, torch.nn.functional as F
import torchvision.transforms as T
from torchvision.datasets import ImageFolder
data, model_name, epochs, img_size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = T.Compose([T.RandomResizedCrop(img_size), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
ds = ImageFolder(data, tf)
loader = torch.utils.data.DataLoader(ds, batch_size=32, shuffle=True, num_workers=int(sys.argv[6]), drop_last=True)
model = timm.create_model(model_name, num_classes=len(ds.classes), img_size=img_size).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
use_amp = device.type == "cuda"
scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
for epoch in range(epochs):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.autocast(device.type, dtype=torch.float16, enabled=use_amp):
            loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
    torch.save(model.state_dict(), out)
"""


def seed(model, data, work, epochs, img_size, workers):
    out = os.path.join(work, "seed-best.pt")
    if os.path.exists(out):
        os.remove(out)
    to_best, total, code, tail = timed_process(
        [sys.executable, "-c", SEED_SCRIPT, data, model, str(epochs), str(img_size), out, str(workers)],
        dict(os.environ), out)
    if code != 0:
        raise RuntimeError(f"seed loop exit {code}:\n{tail}")
    return {"to_best_s": to_best, "to_end_s": total}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default="deit_small_patch16_224")
    p.add_argument("--runs", default="5000x10,100000x10", help="IMAGESxEPOCHS, comma-separated")
    p.add_argument("--img-size", type=int, default=224)
    p.add_argument("--no-seed", action="store_true", help="skip the seed loop (it is slow on 100,000 images)")
    p.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script end to end on a CPU")
    p.add_argument("--work", default=None, help="scratch folder (default: a temp folder, removed)")
    p.add_argument("--out", default="time-to-model.json")
    args = p.parse_args()
    sys.path.insert(0, HERE)
    import torch
    from bench import make_jpeg_folder, write_summary  # same generated images as bench.py
    cuda = torch.cuda.is_available()
    if args.smoke:
        args.models, args.runs, args.img_size = "deit_tiny_patch16_224", "40x2", 32
    runs = parse_runs(args.runs)
    work = args.work or tempfile.mkdtemp(prefix="deit-ttm-")
    workers = 2 if args.smoke else min(4, os.cpu_count() or 1)
    summary = {"device": torch.cuda.get_device_name(0) if cuda else platform.processor() or "cpu",
               "torch": torch.__version__, "cpus": os.cpu_count(), "smoke": args.smoke, "img_size": args.img_size,
               "runs": []}
    print(f"device {summary['device']}  torch {torch.__version__}  cpus {os.cpu_count()}")
    size = (100, 75) if args.smoke else (500, 375)
    for images, epochs in runs:
        data = os.path.join(work, f"jpegs-{images}")
        if not os.path.isdir(data):
            t = time.perf_counter()
            make_jpeg_folder(data, images, size, workers=min(16, os.cpu_count() or 1))
            print(f"generated {images} JPEGs in {time.perf_counter() - t:.1f} s")
        for model in args.models.split(","):
            cache = os.path.join(work, f"compile-cache-{model}-{images}")
            shutil.rmtree(cache, ignore_errors=True)
            os.makedirs(cache)  # used only when it exists (compile_policy.compile_cache_dir)
            row = {"model": model, "images": images, "epochs": epochs}
            device = "cuda" if cuda else "cpu"
            row["ours"] = ours(model, data, work, cache, epochs, args.img_size, device, f"{model}-{images}-1")
            row["ours_again"] = ours(model, data, work, cache, epochs, args.img_size, device, f"{model}-{images}-2")
            row["seed"] = None if args.no_seed else seed(model, data, work, epochs, args.img_size, workers)
            summary["runs"].append(row)
            line = f"{model} {images} x {epochs}:"
            for key in ("ours", "ours_again", "seed"):
                r = row[key]
                if r:
                    best = f"{r['to_best_s']:.1f}" if r["to_best_s"] is not None else "–"
                    line += f"  {key} to best {best} s (end {r['to_end_s']:.1f} s)"
            print(line + f"  [compile {row['ours']['compile']}, batch {row['ours']['batch_size']}]")
    write_summary(summary, args.out, work, keep=bool(args.work))


if __name__ == "__main__":
    main()
