"""report.md: the methods report of a run (image, versions, seed, split, recipe, results).

Usage: path = write_report(trainer, final_metrics, best_checkpoint, parity)
Built from the run folder's own records (metrics.jsonl, resolved-config.json), so it covers resumed runs.
"""
import json
import os

from .evaluate import per_class_report
from .fsutil import write_text


def _events(run_dir):
    out = []
    try:
        with open(os.path.join(run_dir, "metrics.jsonl"), encoding="utf-8") as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    continue
    except OSError:
        pass
    return out


def _pct(x):
    return "–" if x is None else f"{100 * x:.2f} %"


def _layer_decay_line(tr):
    """One line on layer-wise lr decay (model.layer_scales), with the scales it gives this model."""
    d, blocks = tr.layer_decay, len(getattr(tr.model, "blocks", []))
    if d == 1:
        why = " (1 = off: trained from scratch, or the backbone is frozen)" if tr.cfg["train"]["layer_decay"] != 1 else ""
        return f"- Layer-wise lr decay: off{why}"
    return (f"- Layer-wise lr decay {d} (BEiT/MAE practice, as timm's param_groups_layer_decay): the head learns at "
            f"lr, the last of {blocks} blocks at lr × {d}, the first at lr × {d ** blocks:.3g}, the embeddings at "
            f"lr × {d ** (blocks + 1):.3g}")


def write_report(tr, m, best, parity):
    run_dir, cfg, ds = tr.run_dir, tr.cfg, tr.data.dataset
    events = _events(run_dir)
    starts = [e for e in events if e.get("type") == "run_started"]
    first, last = (starts[0], starts[-1]) if starts else ({}, {})
    epochs = {}
    for e in events:
        if e.get("type") == "epoch":
            epochs[e["epoch"]] = e  # the last record of an epoch wins (resumed runs)
    v, dev, recipe = last.get("versions", {}), last.get("device", {}), last.get("recipe", {})
    lines = [
        f"# Run {os.path.basename(os.path.abspath(run_dir))}", "",
        "## Setup", "",
        f"- Image: `{os.environ.get('DEIT_STUDIO_IMAGE') or 'not recorded'}`",
        f"- Versions: Python {v.get('python')}, PyTorch {v.get('torch')}, torchvision {v.get('torchvision')}, "
        f"timm {v.get('timm')}, CUDA {v.get('cuda') or 'none (CPU)'}",
        f"- Device: {dev.get('name')} ({dev.get('kind')}), precision {last.get('precision')}, "
        f"torch.compile {'on' if last.get('compile') else 'off'}",
        f"- Started with {len(starts)} process start(s){' (resumed)' if len(starts) > 1 else ''}",
        "", "## Data", "",
        f"- Folder `{ds.root}`, layout `{ds.layout}`"
        + (f", stratified split: val ratio {ds.val_ratio}, split seed {ds.split_seed}" if ds.layout == "class-folders" else ""),
        f"- {len(ds.classes)} classes, {len(ds.train)} train images, {len(ds.val)} val images, "
        f"{len(ds.skipped)} files skipped (`skipped.json`); the split is in `split.json`",
        "", "| class | train | val |", "|---|---|---|",
    ]
    lines += [f"| {c} | {a} | {b} |" for c, a, b in zip(ds.classes, ds.per_class(ds.train), ds.per_class(ds.val))]
    t = cfg["train"]
    lines += [
        "", "## Recipe", "",
        f"- Model `{cfg['model']['name']}` at {cfg['model']['img_size']} px, "
        + ("from an earlier checkpoint" if cfg["model"]["init_checkpoint"] else
           "from ImageNet-pretrained weights" if cfg["model"]["pretrained"] else "from random initialisation")
        + (", backbone frozen (linear probe)" if cfg["model"]["freeze_backbone"] else "")
        + f", drop path {cfg['model']['drop_path']}",
        f"- {t['epochs']} epochs, batch size {tr.batch_size}, AdamW (lr {tr.lr:.3g}, weight decay {t['weight_decay']}, "
        f"none on position embedding / class token / norms / biases{', fused' if tr.fused else ''})",
        f"- Warmup {tr.schedule.warmup:.2f} epochs then cosine to {tr.schedule.min_lr:.3g}; label smoothing "
        f"{t['label_smoothing']}; augmentation `{t['augment']}`"
        + (" (RandAugment as timm's rand-m9-mstd0.5-inc1)" if t["augment"] != "light" else "") + "; "
        + (f"EMA decay {recipe.get('ema_decay'):.5f}" if t["ema"] and recipe.get("ema_decay") else "no EMA"),
        _layer_decay_line(tr),
        "- Class balance: " + ("loss weights N/(C·n_c), inverse to each class's share of the training images"
                               if t["class_balance"] == "weights" else "none (every image weighs the same in the loss)"),
        f"- Seed {t['seed']}; early stopping patience {t['early_stopping_patience'] or 'off'}",
        f"- Full settings: `resolved-config.json`",
        "", "## Results", "",
        "| epoch | train loss | train top-1 | val loss | val top-1 | val top-5 | img/s |", "|---|---|---|---|---|---|---|",
    ]
    for n in sorted(epochs):
        e = epochs[n]
        lines.append(f"| {n}{' ★' if n == best.get('epoch') else ''} | {e['train_loss']:.4f} | "
                     f"{_pct(e.get('train_top1'))} | "
                     f"{'–' if e['val_loss'] is None else format(e['val_loss'], '.4f')} | {_pct(e['val_top1'])} | "
                     f"{_pct(e['val_top5'])} | {e['img_per_s']:.0f} |")
    lines += ["", f"Best: epoch {best.get('epoch')}, val top-1 {_pct(m['val_top1'])}, top-5 {_pct(m['val_top5'])} "
              f"(`checkpoints/best.pt`{', EMA weights' if best.get('ema') else ''}).", "",
              "| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for r in per_class_report(m["confusion"], ds.classes):
        lines.append(f"| {r['name']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['support']} |")
    lines += ["", "Confusion matrix and the most confidently wrong images: `eval/`.", "", "## Exports", ""]
    if parity:
        for fmt, diff in parity.items():
            lines.append(f"- `{fmt}`: max |Δ| of probabilities vs eager = {'not checked' if diff is None else f'{diff:.2e}'}")
        lines.append("- Labels and preprocessing: `export/labels.json`, `export/preprocessing.json`")
    else:
        lines.append("- none")
    path = os.path.join(run_dir, "report.md")
    write_text(path, "\n".join(lines) + "\n")
    return path
