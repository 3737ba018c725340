"""Classify one image or every image under a folder with a run's best checkpoint -> CSV.

Usage:
    python -m deit_trainer predict --run /run --input /data/new --output /run/predictions.csv [--top-k 5]
    python -m deit_trainer predict --checkpoint best.pt --input photo.jpg            # CSV on stdout
    python -m deit_trainer predict --run /run --input /data/new --output x.csv --device cuda --precision bf16
Columns: path, predicted, confidence, top_k ("label:prob;..."), error (why a file was not classified).
Progress: `progress` events, phase `predict` (done/total images, eta_s), on stdout when the CSV goes to
--output (on stderr when the CSV itself goes to stdout): one when the images are listed, then at most
about twice a second, and one when all are done. The CSV is written to <output>.tmp and renamed at the end,
so a stopped container leaves no half-written CSV under the real name.
Attention maps (attention.py, vision transformers only): with --output, the first ATTENTION_CAP images of
the folder get an attention-rollout map, computed in the same forward pass that classifies them, written to
<output without .csv>.attention.json before the CSV is renamed into place.
Preprocessing is exactly validation's: the same cache row (decode.py: EXIF-rotated, RGB, shorter side to
the model's eval resize recorded in best.pt) and the same eval_batch (resize + centre crop, normalise).
Device (`--device cuda|cpu`, default cpu): the app asks for cuda when it gave the container a GPU; with
none visible it classifies on the processor and says so (warning `device_fallback`). Precision
(`--precision`, default fp32): autocast in bf16/fp16 on the GPU only, and the app asks for it only when
the run was trained and validated at that precision (its best epoch was picked on numbers computed so);
fp32 otherwise and always on the processor. Softmax is taken in fp32.
"""
import csv
import os
import sys
import time

import torch

from .attention import encode_map, rollout, write_attention
from .augment import eval_batch
from .checkpoint import load_checkpoint
from .dataset import _is_hidden_or_system
from .decode import IMAGE_EXTENSIONS, BadImage, decode_row
from .errors import TrainerError
from .preprocess import eval_preprocessing
from .runtime import autocast

BATCH = 32  # images per forward pass on the processor
GPU_BATCH = 128  # on a GPU: a few hundred MiB of activations for DeiT-B at 224 px, far below any GPU's memory
ATTENTION_CAP = 200  # images of a folder that get an attention map: the first ones, in listing order
ATTENTION_BATCH = 32  # their batches stay this small: the rollout keeps every block's [heads, N, N] matrix
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


def choose_device(asked, cuda_available):
    """-> (torch.device, message when the asked GPU is not there, else None)."""
    if asked == "cuda" and not cuda_available:
        return torch.device("cpu"), "No GPU is visible in the prediction container; classifying on the processor."
    return torch.device("cuda" if asked == "cuda" else "cpu"), None


def choose_precision(asked, device, bf16_supported):
    """-> (precision, message when the asked one cannot be used, else None). Autocast on the GPU only."""
    if device.type != "cuda" or asked == "fp32":
        return "fp32", None
    if asked == "bf16" and not bf16_supported:
        return "fp32", "This GPU does not support bf16; classifying in fp32."
    return asked, None


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


def _device_and_precision(device, precision, events):
    dev, moved = choose_device(device, torch.cuda.is_available())
    bf16_ok = dev.type == "cuda" and torch.cuda.is_bf16_supported()
    precision, lowered = choose_precision(precision, dev, bf16_ok)
    for code, message in (("device_fallback", moved), ("precision_fallback", lowered)):
        if message and events is not None:
            events.warning(code, message)
        elif message:
            print(message, file=sys.stderr)
    where = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "the processor"
    print(f"classifying on {where} in {precision}", file=sys.stderr)
    return dev, precision


def attention_path(csv_path):
    """predictions/x.csv -> predictions/x.attention.json (docs/run-folder.md)."""
    base = csv_path[:-4] if csv_path.lower().endswith(".csv") else csv_path
    return base + ".attention.json"


@torch.no_grad()
def predict(checkpoint_path, input_path, out, top_k=5, events=None, device="cpu", precision="fp32",
            attention=None):
    """Writes the CSV rows to `out`; returns the number of files. `attention`: a dict that receives
    {image path: map entry} for the first ATTENTION_CAP images (left empty for a model that is not a ViT)."""
    dev, precision = _device_and_precision(device, precision, events)
    model, classes, img_size, prep = load_model(checkpoint_path)
    model = model.to(dev)
    batch = GPU_BATCH if dev.type == "cuda" else BATCH
    k = min(top_k, len(classes))
    writer = csv.writer(out)
    writer.writerow(["path", "predicted", "confidence", "top_k", "error"])
    paths = list_images(input_path)
    progress = _Progress(events, len(paths))  # after the model is loaded: the rate counts images only
    maps_wanted = attention is not None and hasattr(model, "blocks")
    start = 0
    while start < len(paths):
        progress.send(start)
        with_maps = maps_wanted and start < ATTENTION_CAP
        size = min(batch, ATTENTION_BATCH, ATTENTION_CAP - start) if with_maps else batch
        chunk, start = paths[start:start + size], start + size
        arrays, good = [], []
        for p in chunk:
            try:
                arrays.append(torch.from_numpy(decode_row(p, prep["resize"], None, prep["interpolation"])))
                good.append(p)
            except BadImage as e:
                writer.writerow([p, "", "", "", str(e)])
        if not arrays:
            continue
        x = eval_batch(torch.stack(arrays).to(dev, non_blocking=True), img_size)
        with autocast(dev, precision):
            logits, maps = rollout(model, x) if with_maps else (model(x), None)  # one pass either way
        if maps is not None:
            attention.update((p, encode_map(m, img_size / prep["resize"])) for p, m in zip(good, maps))
        probs = logits.float().softmax(1)
        top = probs.topk(k, dim=1)
        for p, vals, idx in zip(good, top.values.tolist(), top.indices.tolist()):
            writer.writerow([p, classes[idx[0]], f"{vals[0]:.6f}",
                             ";".join(f"{classes[i]}:{v:.6f}" for i, v in zip(idx, vals)), ""])
    progress.send(len(paths), force=True)
    return len(paths)


def run_predict(args, events=None):
    checkpoint = args.checkpoint or os.path.join(args.run or "/run", "checkpoints", "best.pt")
    if args.output:
        tmp, maps = args.output + ".tmp", {}
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            n = predict(checkpoint, args.input, f, args.top_k, events, args.device, args.precision, maps)
        if maps:  # before the CSV appears under its name: the app finds both or neither
            write_attention(attention_path(args.output), maps)
        os.replace(tmp, args.output)
    else:
        from .events import EventStream
        # The CSV owns stdout here: progress goes to stderr, beside the log lines.
        n = predict(checkpoint, args.input, sys.stdout, args.top_k, EventStream(stdout=sys.stderr),
                    args.device, args.precision)
    print(f"classified {n} file(s)", file=sys.stderr)
    return 0
