"""CPU figures of the trainer image: matmul GFLOP/s, DeiT-Ti training img/s (32 and 224 px), predict img/s.

Usage (inside the trainer image, docker/bench mounted at /bench; tests/bench/cpu-twin.bench.ts runs it
twice in one run, once with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas as the reference-BLAS baseline):
    python /bench/cpu_bench.py [--quick]            # prints one JSON line
Training: the model step the trainer runs on a CPU (fp32 eager, AdamW, batch 32, cross-entropy) on
random images, timed after a warm-up step. Predict: `deit_trainer.predict` on generated JPEGs with a
freshly initialised best.pt (decode + resize + forward + CSV), as "Try the model" runs it.
"""
import argparse
import io
import json
import os
import tempfile
import time

from deit_trainer.threads import configure_threads

configure_threads()
import numpy as np  # noqa: E402
import timm  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from deit_trainer.checkpoint import save_checkpoint  # noqa: E402
from deit_trainer.predict import predict  # noqa: E402
from deit_trainer.runtime import blas_kind  # noqa: E402

MODEL = "deit_tiny_patch16_224"
BATCH = 32


def matmul_gflops(n=1024, seconds=2.0):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    count, started = 0, time.perf_counter()
    while count < 2 or time.perf_counter() - started < seconds:
        a @ b
        count += 1
    return 2 * n ** 3 * count / (time.perf_counter() - started) / 1e9


def train_img_per_s(img_size, steps):
    torch.manual_seed(0)
    model = timm.create_model(MODEL, pretrained=False, num_classes=10, img_size=img_size).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    x, y = torch.randn(BATCH, 3, img_size, img_size), torch.randint(10, (BATCH,))

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    step()  # warm-up: allocations, first-call costs
    started = time.perf_counter()
    for _ in range(steps):
        step()
    return BATCH * steps / (time.perf_counter() - started)


def predict_img_per_s(n_images, img_size=224):
    with tempfile.TemporaryDirectory() as tmp:
        rng = np.random.default_rng(0)
        folder = os.path.join(tmp, "images")
        os.makedirs(folder)
        for i in range(n_images):
            Image.fromarray(rng.integers(0, 255, (375, 500, 3), dtype=np.uint8)).save(os.path.join(folder, f"{i}.jpg"), quality=90)
        model = timm.create_model(MODEL, pretrained=False, num_classes=10, img_size=img_size)
        ckpt = os.path.join(tmp, "best.pt")
        save_checkpoint(ckpt, {"model_name": MODEL, "classes": [str(i) for i in range(10)], "img_size": img_size,
                               "model": model.state_dict(), "epoch": 1, "val_top1": None, "ema": False})
        started = time.perf_counter()
        predict(ckpt, folder, io.StringIO())
        return n_images / (time.perf_counter() - started)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    a = p.parse_args()
    slow = blas_kind() == "reference"  # ~1 img/s at 224 px: keep the baseline to a few minutes
    out = {"blas": blas_kind(), "threads": torch.get_num_threads(), "torch": torch.__version__,
           "matmul_gflops": round(matmul_gflops(), 1),
           "train_img_per_s_32px": round(train_img_per_s(32, 3 if a.quick else 20), 2),
           "train_img_per_s_224px": round(train_img_per_s(224, 1 if a.quick or slow else 4), 2),
           "predict_img_per_s_224px": round(predict_img_per_s(32 if a.quick or slow else 128), 2)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
