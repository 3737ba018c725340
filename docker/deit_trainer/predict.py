"""Classify one image or every image under a folder with a run's best checkpoint -> CSV.

Usage:
    python -m deit_trainer predict --run /run --input /data/new --output /run/predictions.csv [--top-k 5]
    python -m deit_trainer predict --checkpoint best.pt --input photo.jpg            # CSV on stdout
Columns: path, predicted, confidence, top_k ("label:prob;..."), error (why a file was not classified).
Progress: `progress` events, phase `predict` (done/total images, eta_s), on stdout when the CSV goes to
--output (on stderr when the CSV itself goes to stdout): one when the images are listed, then at most
about twice a second, and one when all are done. The CSV is written to <output>.tmp and renamed at the end,
so a stopped container leaves no half-written CSV under the real name.
Preprocessing is exactly validation's: the same cache row (decode.py: EXIF-rotated, RGB, shorter side to
the model's eval resize recorded in best.pt) and the same eval_batch (resize + centre crop, normalise).
"""
import csv
import os
import sys
import time

import torch

from .augment import eval_batch
from .checkpoint import load_checkpoint
from .dataset import _is_hidden_or_system
from .decode import IMAGE_EXTENSIONS, BadImage, decode_row
from .errors import TrainerError
from .preprocess import eval_preprocessing

BATCH = 32  # images per forward pass
PROGRESS_EVERY_S = 0.5  # a UI counter needs no more; thousands of events would only fill the log


def list_images(path):
    if os.path.isfile(path):
        return [path]
    if not os.path.isdir(path):
        raise TrainerError("config_invalid", f"{path} is neither an image nor a folder.", "Check the input path.")
    out = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not _is_hidden_or_system(d))
        out += [os.path.join(folder, f) for f in sorted(files)
                if not _is_hidden_or_system(f) and os.path.splitext(f)[1].lower() in IMAGE_EXTENSIONS]
    return out


def load_model(checkpoint_path):
    import timm
    ckpt = load_checkpoint(checkpoint_path)
    if "epoch" not in ckpt:
        raise TrainerError("checkpoint_invalid", f"{checkpoint_path} is a resume checkpoint, not a best model.",
                           "Use checkpoints/best.pt.")
    model = timm.create_model(ckpt["model_name"], pretrained=False, num_classes=len(ckpt["classes"]),
                              img_size=ckpt["img_size"])
    model.load_state_dict(ckpt["model"])
    # best.pt records the eval resize it was validated with (older ones: the model's own, from timm)
    prep = ckpt.get("preprocessing") or eval_preprocessing(ckpt["model_name"], ckpt["img_size"])
    return model.eval(), ckpt["classes"], ckpt["img_size"], prep


class _Progress:
    """Counts classified files; sends a `predict` progress event at most every PROGRESS_EVERY_S."""

    def __init__(self, events, total):
        self.events, self.total, self.started, self.sent = events, total, time.monotonic(), 0.0
        self.send(0, force=True)

    def send(self, done, force=False):
        if self.events is None:
            return
        now = time.monotonic()
        if not force and now - self.sent < PROGRESS_EVERY_S:
            return
        self.sent = now
        elapsed = now - self.started
        eta = (self.total - done) * elapsed / done if done and elapsed > 0 else None
        self.events.progress("predict", done, self.total, f"Classified {done} of {self.total} images", eta_s=eta)


@torch.no_grad()
def predict(checkpoint_path, input_path, out, top_k=5, events=None):
    model, classes, img_size, prep = load_model(checkpoint_path)
    k = min(top_k, len(classes))
    writer = csv.writer(out)
    writer.writerow(["path", "predicted", "confidence", "top_k", "error"])
    paths = list_images(input_path)
    progress = _Progress(events, len(paths))  # after the model is loaded: the rate counts images only
    for start in range(0, len(paths), BATCH):
        progress.send(start)
        arrays, good = [], []
        for p in paths[start:start + BATCH]:
            try:
                arrays.append(torch.from_numpy(decode_row(p, prep["resize"], None, prep["interpolation"])))
                good.append(p)
            except BadImage as e:
                writer.writerow([p, "", "", "", str(e)])
        if not arrays:
            continue
        probs = model(eval_batch(torch.stack(arrays), img_size)).softmax(1)
        top = probs.topk(k, dim=1)
        for p, vals, idx in zip(good, top.values.tolist(), top.indices.tolist()):
            writer.writerow([p, classes[idx[0]], f"{vals[0]:.6f}",
                             ";".join(f"{classes[i]}:{v:.6f}" for i, v in zip(idx, vals)), ""])
    progress.send(len(paths), force=True)
    return len(paths)


def run_predict(args, events=None):
    checkpoint = args.checkpoint or os.path.join(args.run or "/run", "checkpoints", "best.pt")
    if args.output:
        tmp = args.output + ".tmp"
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            n = predict(checkpoint, args.input, f, args.top_k, events)
        os.replace(tmp, args.output)
    else:
        from .events import EventStream
        # The CSV owns stdout here: progress goes to stderr, beside the log lines.
        n = predict(checkpoint, args.input, sys.stdout, args.top_k, EventStream(stdout=sys.stderr))
    print(f"classified {n} file(s)", file=sys.stderr)
    return 0
