"""Evaluation on the val images: loss, top-1/top-5, per-class accuracy; final eval artifacts.

Usage:
    m = evaluate(forward, loader, img_size, n_classes, device, precision, should_stop)   # None if stopped
    write_eval_artifacts(run_dir, m, dataset)    # eval/metrics.json, eval/misclassified.json
Batches are padded to one static shape (torch.compile: no recompile for a short last batch).
"""
import os

import torch
import torch.nn.functional as F

from .augment import eval_batch
from .fsutil import write_json
from .runtime import autocast

MAX_MISCLASSIFIED = 100  # most confidently wrong val images listed


@torch.no_grad()
def evaluate(forward, loader, batch_size, img_size, n_classes, device, precision, should_stop, collect=False):
    loss_sum = torch.zeros((), device=device, dtype=torch.float64)
    top1 = torch.zeros((), device=device, dtype=torch.long)
    top5 = torch.zeros((), device=device, dtype=torch.long)
    confusion = torch.zeros((n_classes, n_classes), device=device, dtype=torch.long)
    probs_all, n = [], 0
    for x_u8, y, n_real in loader.sequential(batch_size):
        if should_stop():
            return None
        with autocast(device, precision):
            logits = forward(eval_batch(x_u8, img_size))
        logits, y = logits[:n_real].float(), y[:n_real]
        loss_sum += F.cross_entropy(logits, y, reduction="sum").double()
        k = min(5, n_classes)
        topk = logits.topk(k, dim=1).indices
        top1 += (topk[:, 0] == y).sum()
        top5 += (topk == y.view(-1, 1)).any(1).sum()
        confusion.index_put_((y, topk[:, 0]), torch.ones_like(y), accumulate=True)
        if collect:
            probs_all.append(logits.softmax(1).cpu())
        n += n_real
    if n == 0:
        return {"val_loss": None, "val_top1": None, "val_top5": None, "confusion": confusion.cpu(), "count": 0}
    out = {"val_loss": loss_sum.item() / n, "val_top1": top1.item() / n, "val_top5": top5.item() / n,
           "confusion": confusion.cpu(), "count": n}
    if collect:
        out["probs"] = torch.cat(probs_all)
    return out


def per_class_accuracy(confusion, classes):
    support = confusion.sum(1)
    return {c: (confusion[i, i].item() / support[i].item() if support[i] > 0 else None) for i, c in enumerate(classes)}


def per_class_report(confusion, classes):
    rows = []
    for i, c in enumerate(classes):
        tp = confusion[i, i].item()
        support, predicted = confusion[i].sum().item(), confusion[:, i].sum().item()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"name": c, "precision": precision, "recall": recall, "f1": f1, "support": support})
    return rows


def write_eval_artifacts(run_dir, m, dataset):
    """eval/metrics.json and eval/misclassified.json per docs/run-folder.md; returns their paths."""
    classes = dataset.classes
    metrics = {"val_top1": m["val_top1"], "val_top5": m["val_top5"], "val_loss": m["val_loss"],
               "per_class": per_class_report(m["confusion"], classes),
               "confusion": {"labels": classes, "matrix": m["confusion"].tolist()}}
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
