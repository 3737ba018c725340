"""Recipe benchmark: today's trainer (commit 5ba95e1) against this checkout's, same data, same epochs.

Usage (from the repository root, with the private Docker Engine; `npm run bench:recipe` does all this):
    python docker/bench/recipe_bench.py --image deit-trainer-test/trainer:<hash> [--seeds 0 1 2]
        [--epochs 10] [--sets digits digits-small digits-imbalanced] [--out bench-recipe]
Data: scikit-learn's 8×8 handwritten digits (1,797 images, 10 classes; sklearn/datasets/data/digits.csv.gz
read straight from the scikit-learn wheel, fetched with `pip download --no-deps` into --cache), each
image scaled ×4 (nearest) to 32×32 RGB PNGs, split 80/20 per class once (seed 0) into train/ + val/,
so both trainers see exactly the same split (their own split rules differ). Three sets:
    digits             all 1,437 training images
    digits-small       24 training images per class (240): few images, where batch size matters most
    digits-imbalanced  a long tail, 144·0.6^k training images for digit k (144 … 2)
All sets keep the same full validation set (every digit ~36 images), so balanced accuracy is comparable.
Each (set, seed) trains DeiT-Ti at img_size 32 from scratch (no pretrained weights can be reached here)
with each recipe's defaults, in the trainer image on the CPU:
    old   the package at commit 5ba95e1 mounted over the image's; batch size = what its automatic rule
          chose on an 80 GB GPU (the largest of 512, 256, … not above the training images: DeiT-Ti at
          32 px never reaches its 85 % memory cap), given explicitly since it has no memory input
    new   this checkout's package; batch_size auto with train.assume_gpu_memory_gb = 80
    new+w (digits-imbalanced only) new with train.class_balance = weights
Measured per run: validation balanced accuracy and top-1 of the best checkpoint (eval/metrics.json's
confusion matrix), total optimizer steps, batch size, wall time. Prints a table and one JSON line.
"""
import argparse
import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

OLD_COMMIT = "5ba95e1"
SKLEARN = "scikit-learn==1.6.1"
MODEL = "deit_tiny_patch16_224"
SETS = ("digits", "digits-small", "digits-imbalanced")


def digits_csv(cache):
    """Rows of (64 pixel values 0..16, label) from scikit-learn's digits.csv.gz, via the wheel."""
    os.makedirs(cache, exist_ok=True)
    wheels = [f for f in os.listdir(cache) if f.startswith("scikit_learn-1.6.1") and f.endswith(".whl")]
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "--disable-pip-version-check",
                        SKLEARN, "-d", cache], check=True)
        wheels = [f for f in os.listdir(cache) if f.startswith("scikit_learn-1.6.1") and f.endswith(".whl")]
    with zipfile.ZipFile(os.path.join(cache, wheels[0])) as z:
        text = gzip.decompress(z.read("sklearn/datasets/data/digits.csv.gz")).decode()
    rows = [[int(float(v)) for v in r] for r in csv.reader(io.StringIO(text)) if r]
    assert len(rows) == 1797 and all(len(r) == 65 for r in rows), "unexpected digits.csv.gz"
    return rows


def write_sets(rows, root, sets):
    """The data sets as train/ + val/ folders of 32×32 PNGs; returns {set: training image count}."""
    import random
    import numpy as np
    from PIL import Image
    by_class = {}
    for r in rows:
        by_class.setdefault(r[64], []).append(np.array(r[:64], dtype=np.float64).reshape(8, 8))
    rng = random.Random(0)
    train, val = {}, {}
    for k, imgs in sorted(by_class.items()):
        order = list(range(len(imgs)))
        rng.shuffle(order)
        n_val = round(0.2 * len(imgs))
        val[k] = [imgs[i] for i in order[:n_val]]
        train[k] = [imgs[i] for i in order[n_val:]]
    keep = {"digits": lambda k, n: n, "digits-small": lambda k, n: 24,
            "digits-imbalanced": lambda k, n: max(2, round(144 * 0.6 ** k))}
    counts = {}
    for name in sets:
        base = os.path.join(root, name)
        shutil.rmtree(base, ignore_errors=True)
        counts[name] = 0
        for split, data in (("train", train), ("val", val)):
            for k, imgs in data.items():
                if split == "train":
                    imgs = imgs[:keep[name](k, len(imgs))]
                    counts[name] += len(imgs)
                folder = os.path.join(base, split, str(k))
                os.makedirs(folder, exist_ok=True)
                for i, a in enumerate(imgs):
                    px = np.kron((a * 255 / 16).round().astype(np.uint8), np.ones((4, 4), np.uint8))
                    Image.fromarray(np.stack([px] * 3, 2)).save(os.path.join(folder, f"{i:04d}.png"))
    return counts


def old_batch_on_80gb(n_train):
    """Commit 5ba95e1's train.auto_batch_size on an 80 GB GPU: the largest of 512, 256, ... not above n_train
    (DeiT-Ti at 32 px fits at 512 with room to spare, so memory never decides)."""
    return next(bs for bs in (512, 256, 128, 64, 32, 16, 8, 4, 2, 1) if bs <= n_train)


def config(recipe, seed, epochs, n_train):
    train = {"epochs": epochs, "seed": seed, "device": "cpu", "log_interval_s": 0}
    if recipe == "old":
        train["batch_size"] = old_batch_on_80gb(n_train)
    else:
        train.update(batch_size="auto", assume_gpu_memory_gb=80)
        if recipe == "new+w":
            train["class_balance"] = "weights"
    return {"version": 1, "data": {"root": "/data", "cache_dir": "/cache", "num_workers": 1},
            "model": {"name": MODEL, "pretrained": False, "img_size": 32},
            "train": train, "output": {"run_dir": "/run", "export": []}}


def run_one(image, package, data, run_dir, cache, cfg):
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump(cfg, f)
    started = time.monotonic()
    cmd = ["docker", "run", "--rm", "--network", "none", "--user", f"{os.getuid()}:{os.getgid()}",
           "-e", "OMP_NUM_THREADS=1", "-v", f"{package}:/opt/deit-trainer/deit_trainer:ro",
           "-v", f"{data}:/data:ro", "-v", f"{run_dir}:/run", "-v", f"{cache}:/cache",
           image, "python", "-m", "deit_trainer", "train", "--config", "/run/config.json"]
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"training failed ({done.returncode}): {done.stderr[-3000:]}")
    return time.monotonic() - started


def measure(run_dir):
    with open(os.path.join(run_dir, "eval", "metrics.json")) as f:
        m = json.load(f)
    matrix = m["confusion"]["matrix"]
    recalls = [row[i] / sum(row) for i, row in enumerate(matrix) if sum(row)]
    correct, total = sum(row[i] for i, row in enumerate(matrix)), sum(map(sum, matrix))
    steps, batch = 0, None
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        for line in f:
            e = json.loads(line)
            steps = max(steps, e.get("global_step") or 0)
            if e["type"] == "batch_size":
                batch = e["batch_size"]
    return {"balanced_accuracy": sum(recalls) / len(recalls), "top1": correct / total, "steps": steps,
            "batch_size": batch}


def old_package(tmp):
    """commit 5ba95e1's docker/deit_trainer, extracted from git."""
    archive = subprocess.run(["git", "archive", OLD_COMMIT, "docker/deit_trainer"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as t:
        t.extractall(tmp, filter="data")
    return os.path.join(tmp, "docker", "deit_trainer")


def mean_sd(xs):
    m = sum(xs) / len(xs)
    return m, (sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) ** 0.5 if len(xs) > 1 else 0.0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--image", required=True, help="the trainer image (its torch/timm; the packages are mounted)")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    p.add_argument("--out", default="bench-recipe", help="folder for data, runs and results.json")
    p.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "deit-studio-bench"))
    args = p.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    counts = write_sets(digits_csv(args.cache), os.path.join(out, "data"), args.sets)
    tmp = tempfile.mkdtemp(prefix="recipe-bench-")
    packages = {"old": old_package(tmp), "new": os.path.abspath("docker/deit_trainer")}
    results = []
    for name in args.sets:
        recipes = ["old", "new"] + (["new+w"] if name == "digits-imbalanced" else [])
        for seed in args.seeds:
            for recipe in recipes:
                pkg = packages["old" if recipe == "old" else "new"]
                run_dir = os.path.join(out, "runs", f"{name}-{recipe}-s{seed}")
                shutil.rmtree(run_dir, ignore_errors=True)
                cache = os.path.join(out, "cache-" + ("old" if recipe == "old" else "new"))
                os.makedirs(cache, exist_ok=True)
                wall = run_one(args.image, pkg, os.path.join(out, "data", name), run_dir, cache,
                               config(recipe, seed, args.epochs, counts[name]))
                r = {"set": name, "recipe": recipe, "seed": seed, "train_images": counts[name],
                     **measure(run_dir), "wall_s": round(wall, 1)}
                results.append(r)
                print(f"{name:18} {recipe:6} seed {seed}: balanced acc {r['balanced_accuracy']:.3f}  top-1 "
                      f"{r['top1']:.3f}  batch {r['batch_size']:4}  steps {r['steps']:4}  {wall:.0f} s", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n| set (train images) | recipe | batch | optimizer steps | val balanced accuracy "
          f"(mean ± sd over {len(args.seeds)} seeds) | val top-1 |\n|---|---|---:|---:|---:|---:|")
    summary = []
    for name in args.sets:
        for recipe in ("old", "new", "new+w"):
            rs = [r for r in results if r["set"] == name and r["recipe"] == recipe]
            if not rs:
                continue
            ba, ba_sd = mean_sd([r["balanced_accuracy"] for r in rs])
            t1, t1_sd = mean_sd([r["top1"] for r in rs])
            summary.append({"set": name, "recipe": recipe, "batch_size": rs[0]["batch_size"], "steps": rs[0]["steps"],
                            "balanced_accuracy": round(ba, 4), "balanced_accuracy_sd": round(ba_sd, 4),
                            "top1": round(t1, 4), "top1_sd": round(t1_sd, 4)})
            print(f"| {name} ({counts[name]}) | {recipe} | {rs[0]['batch_size']} | {rs[0]['steps']} | "
                  f"{100 * ba:.1f} % ± {100 * ba_sd:.1f} | {100 * t1:.1f} % ± {100 * t1_sd:.1f} |")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"epochs": args.epochs, "seeds": args.seeds, "runs": results, "summary": summary}, f, indent=1)
    print("BENCH " + json.dumps({"name": "recipe", "epochs": args.epochs, "seeds": args.seeds, "summary": summary}))


if __name__ == "__main__":
    main()
