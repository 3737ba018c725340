"""Evaluation: loss, top-1 (with a Wilson interval), top-5, balanced accuracy, macro-F1; eval artifacts.

Usage:
    m = evaluate(forward, loader, batch_size, img_size, n_classes, device, precision, should_stop)  # None if stopped
    m = evaluate(..., dist=dist)   # several processes: each scores its share, the sums are added (distributed.py)
    name, why = selection_metric(train_per_class)      # the metric that picks the best epoch
    write_eval_artifacts(run_dir, m, dataset, extra)    # eval/metrics.json, eval/misclassified.json
Batches are padded to one static shape (torch.compile: no recompile for a short last batch).
The metric functions below take a confusion matrix (rows = true class, columns = predicted) as a
list of lists and are pure: balanced accuracy and macro-F1 average over the classes that have
images in the evaluated split only; a class without any is listed, never scored as 0.
"""
import contextlib
import math
import os

import torch
import torch.nn.functional as F

from .augment import eval_batch
from .fsutil import write_json
from .runtime import autocast

MAX_MISCLASSIFIED = 100  # most confidently wrong val images listed
Z95 = 1.959963984540054  # two-sided 95 % quantile of the standard normal
TOP5_MIN_CLASSES = 6     # with 5 classes or fewer the right class is always among 5 guesses: top-5 says nothing
IMBALANCE_RATIO = 1.5    # largest / smallest training class above this: classes count as imbalanced
SCORE_KEYS = {"top1": "val_top1", "balanced_accuracy": "val_balanced_accuracy"}  # selection metric -> evaluate() key


# ---- metrics on a confusion matrix (pure) --------------------------------------------------------
def wilson_interval(correct, n, z=Z95):
    """95 % Wilson score interval [low, high] of a proportion correct/n; None when n is 0.
    Unlike the normal approximation it stays inside 0..1 and is sound near 0 % or 100 %."""
    if n == 0:
        return None
    p = correct / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return [max(0.0, centre - half), min(1.0, centre + half)]


def class_scores(confusion):
    """Per class (precision, recall, f1, support); recall and F1 are None without images of the class,
    precision None when nothing was predicted as it."""
    out = []
    for i, row in enumerate(confusion):
        tp, support, predicted = row[i], sum(row), sum(r[i] for r in confusion)
        precision = tp / predicted if predicted else None
        recall = tp / support if support else None
        if recall is None:
            f1 = None
        else:
            p = precision or 0.0
            f1 = 2 * p * recall / (p + recall) if p + recall else 0.0
        out.append((precision, recall, f1, support))
    return out


def balanced_accuracy(confusion):
    """Mean recall over the classes that have images; None when none has."""
    recalls = [r for _, r, _, _ in class_scores(confusion) if r is not None]
    return sum(recalls) / len(recalls) if recalls else None


def macro_f1(confusion):
    """Mean F1 over the classes that have images (a class never predicted has precision 0 there)."""
    f1s = [f for _, _, f, _ in class_scores(confusion) if f is not None]
    return sum(f1s) / len(f1s) if f1s else None


def classes_without_images(confusion, classes):
    return [c for c, row in zip(classes, confusion) if sum(row) == 0]


def selection_metric(train_per_class):
    """-> (metric name, reason in words). Balanced accuracy when the training classes are imbalanced
    (largest / smallest count > IMBALANCE_RATIO): top-1 would then reward ignoring the small classes."""
    counts = list(train_per_class)
    big, small = max(counts, default=0), min(counts, default=0)
    if small == 0 or big / small > IMBALANCE_RATIO:
        ratio = "a class without training images" if small == 0 else f"{big / small:.1f}× the images of the smallest"
        return "balanced_accuracy", (f"classes are imbalanced (the largest training class has {ratio}; above "
                                     f"{IMBALANCE_RATIO}× counts as imbalanced), so every class counts the same")
    return "top1", f"classes are balanced (largest / smallest training class ≤ {IMBALANCE_RATIO}×)"


@contextlib.contextmanager
def exact_fp32(device):
    """Full fp32 matmuls (no TF32 on the GPU), as the exports and predictions on the processor run."""
    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32,
             torch.get_float32_matmul_precision())
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved[:2]
        torch.set_float32_matmul_precision(saved[2])


@torch.no_grad()
def evaluate(forward, loader, batch_size, img_size, n_classes, device, precision, should_stop, collect=False,
             keep_inputs=0, dist=None):
    """Scores `forward` on every image of `loader`. `collect`: also the probabilities (misclassified list);
    `keep_inputs`: also the first N model inputs exactly as fed (CPU float32; export parity).
    `dist` (distributed.Distributed, several processes): this process scores its share of the images and
    the sums (loss, top-5 hits, confusion, count) are added over all: the numbers of one process scoring
    all (the loss up to float64 summation order). Not with `collect`/`keep_inputs` (rank 0 alone does those)."""
    rank, world = (dist.rank, dist.world_size) if dist is not None else (0, 1)
    loss_sum = torch.zeros((), device=device, dtype=torch.float64)
    top5 = torch.zeros((), device=device, dtype=torch.long)
    confusion = torch.zeros((n_classes, n_classes), device=device, dtype=torch.long)
    probs_all, inputs, kept, n = [], [], 0, 0
    for x_u8, y, n_real in loader.sequential(batch_size, rank, world):
        if should_stop():
            return None
        x = eval_batch(x_u8, img_size)
        if kept < keep_inputs:
            inputs.append(x[:min(n_real, keep_inputs - kept)].float().cpu())
            kept += len(inputs[-1])
        with autocast(device, precision):
            logits = forward(x)
        logits, y = logits[:n_real].float(), y[:n_real]
        loss_sum += F.cross_entropy(logits, y, reduction="sum").double()
        topk = logits.topk(min(5, n_classes), dim=1).indices
        top5 += (topk == y.view(-1, 1)).any(1).sum()
        confusion.index_put_((y, topk[:, 0]), torch.ones_like(y), accumulate=True)
        if collect:
            probs_all.append(logits.softmax(1).cpu())
        n += n_real
    if world > 1:
        counts = torch.cat([top5.view(1), torch.tensor([n], device=device), confusion.flatten()])
        dist.sum(loss_sum), dist.sum(counts)
        top5, n, confusion = counts[0], int(counts[1]), counts[2:].view(n_classes, n_classes)
    out = {"val_loss": None, "val_top1": None, "val_top1_ci": None, "val_top5": None, "val_balanced_accuracy": None,
           "val_macro_f1": None, "confusion": confusion.cpu(), "count": n}
    if keep_inputs:
        out["inputs"] = torch.cat(inputs) if inputs else None
    if n == 0:
        return out
    matrix = out["confusion"].tolist()
    correct = sum(matrix[i][i] for i in range(n_classes))
    out.update(val_loss=loss_sum.item() / n, val_top1=correct / n, val_top1_ci=wilson_interval(correct, n),
               val_top5=top5.item() / n if n_classes >= TOP5_MIN_CLASSES else None,
               val_balanced_accuracy=balanced_accuracy(matrix), val_macro_f1=macro_f1(matrix))
    if collect:
        out["probs"] = torch.cat(probs_all)
    return out


def per_class_accuracy(confusion, classes):
    support = confusion.sum(1)
    return {c: (confusion[i, i].item() / support[i].item() if support[i] > 0 else None) for i, c in enumerate(classes)}


def per_class_report(confusion, classes):
    """Rows of eval/metrics.json `per_class`: recall/F1 null for a class without images (not 0)."""
    matrix = confusion.tolist() if hasattr(confusion, "tolist") else confusion
    return [{"name": c, "precision": p, "recall": r, "f1": f, "support": s}
            for c, (p, r, f, s) in zip(classes, class_scores(matrix))]


def split_metrics(m, classes):
    """One split's numbers as written to eval/metrics.json (keys without the val_ prefix)."""
    return {"count": m["count"], "top1": m["val_top1"], "top1_ci": m["val_top1_ci"], "top5": m["val_top5"],
            "loss": m["val_loss"], "balanced_accuracy": m["val_balanced_accuracy"], "macro_f1": m["val_macro_f1"],
            "classes_without_images": classes_without_images(m["confusion"].tolist(), classes),
            "per_class": per_class_report(m["confusion"], classes),
            "confusion": {"labels": classes, "matrix": m["confusion"].tolist()}}


def headline(val, test):
    """The number to quote: test when there is a test split (never seen while choosing), else validation,
    said to be optimistic because the best epoch was picked on it."""
    m, split = (test, "test") if test is not None else (val, "validation")
    note = ("test images, evaluated once with the chosen model" if split == "test" else
            "validation images, which also picked the best epoch: an optimistic estimate")
    return {"split": split, "count": m["count"], "top1": m["val_top1"], "top1_ci": m["val_top1_ci"],
            "balanced_accuracy": m["val_balanced_accuracy"], "macro_f1": m["val_macro_f1"], "note": note}


def write_eval_artifacts(run_dir, m, dataset, extra=None, test=None):
    """eval/metrics.json and eval/misclassified.json per docs/run-folder.md; returns their paths.
    `m`: the final validation evaluation, `test`: the test split's (or None), `extra`: facts about the
    choice of epoch (selection_metric, selection_reason, best_epoch, precision)."""
    classes = dataset.classes
    val = split_metrics(m, classes)
    metrics = {"val_top1": m["val_top1"], "val_top5": m["val_top5"], "val_loss": m["val_loss"],
               "per_class": val["per_class"], "confusion": val["confusion"],
               "val_count": m["count"], "val_top1_ci": m["val_top1_ci"],
               "val_balanced_accuracy": m["val_balanced_accuracy"], "val_macro_f1": m["val_macro_f1"],
               "classes_without_val": val["classes_without_images"], **(extra or {}),
               "test": split_metrics(test, classes) if test is not None else None,
               "headline": headline(m, test)}
    wrong = []
    if m.get("probs") is not None:
        conf, pred = m["probs"].max(1)
        for (path, true), p, c in zip(dataset.val, pred.tolist(), conf.tolist()):
            if p != true:
                wrong.append({"path": path, "true": classes[true], "predicted": classes[p], "confidence": c})
        wrong.sort(key=lambda w: -w["confidence"])
    paths = [os.path.join(run_dir, "eval", "metrics.json"), os.path.join(run_dir, "eval", "misclassified.json")]
    write_json(paths[0], metrics)
    write_json(paths[1], wrong[:MAX_MISCLASSIFIED])
    return paths
