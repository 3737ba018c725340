"""report.md: the methods report of a run (image, versions, seed, split, recipe, results).

Usage: path = write_report(result, final_metrics, best_checkpoint, parity, test_metrics_or_None)
`result` is the run's finish.RunResult (what training decided: batch size, lr, schedule, selection, ...).
Built from the run folder's own records (metrics.jsonl, resolved-config.json), so it covers resumed runs.
"""
import json
import os

from .compile_policy import OFF_PREFIX, ON_PREFIX
from .evaluate import classes_without_images, per_class_report
from .fsutil import write_text
from .model import weights_source_text


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


def _pct1(x):
    return "–" if x is None else f"{100 * x:.1f}"


def _num(x, spec=".3f"):
    return "–" if x is None else format(x, spec)


METRIC_NAMES = {"top1": "top-1 accuracy", "balanced_accuracy": "balanced accuracy"}


def headline_lines(m, test, classes, selection, reason, best_epoch, training_precision):
    """The results in words: which split the headline comes from, its interval, and what picked the epoch."""
    h = test if test is not None else m
    split = "test" if test is not None else "validation"
    lines = [f"- Best epoch {best_epoch}, chosen by **{METRIC_NAMES.get(selection, selection)}** on the validation "
             f"images ({reason})."]
    if h["count"]:
        ci = h["val_top1_ci"]
        lines.append(f"- **Top-1 on the {h['count']} {split} images: {_pct1(h['val_top1'])} %** (95 % interval "
                     f"{_pct1(ci[0])}–{_pct1(ci[1])} %, Wilson)"
                     + ("." if split == "test" else ": these images also picked the best epoch, so this is "
                        "optimistic; a `test/` folder gives an unbiased number."))
        missing = classes_without_images(h["confusion"].tolist(), classes)
        with_images = len(classes) - len(missing)
        lines.append(f"- Balanced accuracy (mean recall over the {with_images} classes with {split} images, each "
                     f"class counts the same): {_pct1(h['val_balanced_accuracy'])} %; macro-F1 over the same classes: "
                     f"{_pct1(h['val_macro_f1'])} %"
                     + (f"; top-5: {_pct1(h['val_top5'])} %." if h["val_top5"] is not None else "."))
        if missing:
            lines.append(f"- Classes without {split} images (not scored, not counted as 0): {', '.join(missing)}.")
    else:
        lines.append(f"- There are no {split} images, so there is no accuracy to report.")
    if test is not None and m["count"]:
        lines.append(f"- On the {m['count']} validation images (used to pick the epoch): top-1 {_pct1(m['val_top1'])} %, "
                     f"balanced accuracy {_pct1(m['val_balanced_accuracy'])} %.")
    lines.append(f"- Final evaluation in fp32, the precision of the exports and predictions (epochs above were "
                 f"validated in {training_precision}).")
    return lines


def _layer_decay_line(tr):
    """One line on layer-wise lr decay (model.layer_scales), with the scales it gives this model."""
    d, blocks = tr.layer_decay, tr.blocks
    if d == 1:
        why = " (1 = off: trained from scratch, or the backbone is frozen)" if tr.cfg.train.layer_decay != 1 else ""
        return f"- Layer-wise lr decay: off{why}"
    return (f"- Layer-wise lr decay {d} (BEiT/MAE practice, as timm's param_groups_layer_decay): the head learns at "
            f"lr, the last of {blocks} blocks at lr × {d}, the first at lr × {d ** blocks:.3g}, the embeddings at "
            f"lr × {d ** (blocks + 1):.3g}")


def _compile_text(events, last):
    """'on'/'off', with the compile policy's reason when it decided (compile "auto" on a GPU)."""
    decided = [e["message"] for e in events if e.get("type") == "progress" and e.get("phase") == "compile"
               and str(e.get("message", "")).startswith((ON_PREFIX, OFF_PREFIX))]
    if not decided:
        return "on" if last.get("compile") else "off"
    return f"{'on' if decided[-1].startswith(ON_PREFIX) else 'off'} ({decided[-1].rstrip('.')})"


def write_report(tr, m, best, parity, test=None):
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
        f"# Training {cfg.model.name} on {len(ds.classes)} classes", "",  # run_dir is /run here: no name
        "## Setup", "",
        f"- Image: `{os.environ.get('DEIT_STUDIO_IMAGE') or 'not recorded'}`",
        f"- Versions: Python {v.get('python')}, PyTorch {v.get('torch')}, torchvision {v.get('torchvision')}, "
        f"timm {v.get('timm')}, CUDA {v.get('cuda') or 'none (CPU)'}",
        f"- Device: {dev.get('name')} ({dev.get('kind')}), precision {last.get('precision')}, "
        f"torch.compile {_compile_text(events, last)}",
        f"- Started with {len(starts)} process start(s){' (resumed)' if len(starts) > 1 else ''}",
        "", "## Data", "",
        f"- Folder `{ds.root}`, layout `{ds.layout}`"
        + (f", stratified split: val ratio {ds.val_ratio}, split seed {ds.split_seed}" if ds.layout == "class-folders" else ""),
        f"- {len(ds.classes)} classes, {len(ds.train)} train images, {len(ds.val)} val images, "
        + (f"{len(ds.test)} test images (evaluated once, at the end), " if ds.test else "")
        + f"{len(ds.skipped)} files left out (`skipped.json`); the split is in `split.json`",
        "", "| class | train | val |" + (" test |" if ds.test else ""), "|---|---|---|" + ("---|" if ds.test else ""),
    ]
    counts = zip(ds.classes, ds.per_class(ds.train), ds.per_class(ds.val), ds.per_class(ds.test))
    lines += [f"| {c} | {a} | {b} |" + (f" {n} |" if ds.test else "") for c, a, b, n in counts]
    t = cfg.train
    lines += [
        "", "## Recipe", "",
        f"- Model `{cfg.model.name}` at {cfg.model.img_size} px, "
        + ("from an earlier checkpoint" if cfg.model.init_checkpoint else
           "from pretrained weights" if cfg.model.pretrained else "from random initialisation")
        + (", backbone frozen (linear probe)" if cfg.model.freeze_backbone else "")
        + f", drop path {cfg.model.drop_path}",
        f"- Starting weights: {weights_source_text(first.get('recipe', {}).get('weights'))}",
        f"- {t.epochs} epochs, batch size {tr.batch_size}, AdamW (lr {tr.lr:.3g}, weight decay {t.weight_decay}, "
        f"none on position embedding / class token / norms / biases{', fused' if tr.fused else ''})",
        f"- {tr.steps_per_epoch} optimizer steps per epoch (every training image in every epoch), "
        f"{tr.global_step} in all. {tr.batch_why}",
        f"- Warmup {tr.warmup_epochs:.2f} epochs ({round(tr.warmup_epochs * tr.steps_per_epoch)} steps) "
        f"then cosine to {tr.min_lr:.3g}; label smoothing "
        f"{t.label_smoothing}; augmentation `{t.augment}`"
        + (" (RandAugment as timm's rand-m9-mstd0.5-inc1)" if t.augment != "light" else "") + "; "
        + (f"EMA decay {recipe.get('ema_decay'):.5f}" if t.ema and recipe.get("ema_decay") else "no EMA"),
        _layer_decay_line(tr),
        "- Class balance: " + ("loss weights N/(C·n_c), inverse to each class's share of the training images"
                               if t.class_balance == "weights" else "none (every image weighs the same in the loss)"),
        f"- Seed {t.seed}; early stopping patience {t.early_stopping_patience or 'off'}",
        "- Full settings: `resolved-config.json`",
        "", "## Results", "",
    ]
    top5 = m["val_top5"] is not None  # only with more than 5 classes
    lines += ["| epoch | train loss | train top-1 | val loss | val top-1 | val balanced acc. |"
              + (" val top-5 |" if top5 else "") + " img/s |",
              "|---|---|---|---|---|---|" + ("---|" if top5 else "") + "---|"]
    for n in sorted(epochs):
        e = epochs[n]
        lines.append(f"| {n}{' ★' if n == best.get('epoch') else ''} | {e['train_loss']:.4f} | "
                     f"{_pct(e.get('train_top1'))} | "
                     f"{'–' if e['val_loss'] is None else format(e['val_loss'], '.4f')} | {_pct(e['val_top1'])} | "
                     f"{_pct(e.get('val_balanced_accuracy'))} | " + (f"{_pct(e['val_top5'])} | " if top5 else "")
                     + f"{e['img_per_s']:.0f} |")
    lines += ["", f"★ = the best epoch (`checkpoints/best.pt`{', EMA weights' if best.get('ema') else ''}).", ""]
    lines += headline_lines(m, test, ds.classes, tr.selection, tr.selection_reason, best.get("epoch"), tr.training_precision)
    lines += ["", "Per class on the validation images (recall and F1 are – for a class without validation images):", "",
              "| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for r in per_class_report(m["confusion"], ds.classes):
        lines.append(f"| {r['name']} | {_num(r['precision'])} | {_num(r['recall'])} | {_num(r['f1'])} | {r['support']} |")
    lines += ["", "Confusion matrix, the numbers above and the most confidently wrong images: `eval/`.", "",
              "## Exports", ""]
    if parity:
        for fmt, p in parity.items():
            lines.append(f"- `{fmt}`: " + ("not checked" if p is None else
                         f"vs the trained model in fp32 on {p['images']} {p['inputs']} images: max |Δ logit| "
                         f"{p['max_abs_logit_diff']:.1e}, max |Δ probability| {p['max_abs_prob_diff']:.1e}, same top-1 "
                         f"class for {100 * p['top1_agreement']:.1f} % of them"))
        lines.append("- Labels and preprocessing: `export/labels.json`, `export/preprocessing.json`")
    else:
        lines.append("- none")
    path = os.path.join(run_dir, "report.md")
    write_text(path, "\n".join(lines) + "\n")
    return path
