"""The end of a run: evaluate the best weights, write eval artifacts, exports, report, `finished`.

Usage: finish_run(result, events)   (train.Trainer.run builds the RunResult)
The final evaluation runs in full fp32 (no autocast, no TF32), the precision of the exports and of
predictions, eager (a compiled bf16 graph would recompile). The optional test split is evaluated
here and only here, once, with the chosen model; when it exists it gives the headline number.
"""
import copy
import time
from dataclasses import dataclass

from .attention import write_misclassified_attention
from .checkpoint import load_checkpoint
from .evaluate import evaluate, exact_fp32, write_eval_artifacts
from .export import export_model, parity_image_count
from .loader import BatchLoader
from .report import write_report
from .testhooks import TestHooks

FINAL_PRECISION = "fp32"


@dataclass(frozen=True)
class RunResult:
    """What the training loop hands to the end of the run; finish_run and write_report read only this."""
    run_dir: str
    cfg: object               # config.Config
    data: object              # prepare.prepare_data's result: dataset, cache, row indexes
    device: object
    module: object            # the module best.pt's weights load into (the EMA copy, or the model)
    blocks: int               # transformer blocks of the model (the layer-decay line of the report)
    val_loader: object
    best_path: str
    best: dict                # {"metric", "score", "top1", "epoch"} of the best epoch
    selection: str            # the metric that picked it, and why (evaluate.selection_metric)
    selection_reason: str
    early_stopped: bool
    epochs_done: int
    global_step: int
    steps_per_epoch: int
    batch_size: int
    batch_why: str            # the batch size choice in words (batching.py)
    lr: float
    fused: bool
    layer_decay: float
    warmup_epochs: float
    min_lr: float
    training_precision: str
    started: float            # time.time() when this process began the run


def test_loader(data, device):
    """A loader over the test split (dataset.test: [(path, class index)]), or None without one."""
    test = getattr(data.dataset, "test", None) or []
    if not test:
        return None
    rows = getattr(data, "test_rows", None)
    labels = getattr(data, "test_labels", None)
    if rows is None or labels is None:
        rows, labels = [data.cache.row[p] for p, _ in test], [c for _, c in test]
    return BatchLoader(data.cache.array, rows, labels, device)


def finish_run(tr, ev):
    """`tr` is the RunResult; `ev` the event stream (closed at the end)."""
    ds = tr.data.dataset
    best = load_checkpoint(tr.best_path, map_location=tr.device)
    module = tr.module
    module.load_state_dict(best["model"])  # in place: the module the trainer built, now with the best weights
    module.eval()
    img_size, n_classes, formats = tr.cfg.model.img_size, len(ds.classes), tr.cfg.output.export
    tests = test_loader(tr.data, tr.device)
    n_val, n_test = len(ds.val), len(tests) if tests is not None else 0
    total = n_val + n_test
    ev.progress("eval", 0, total, f"Evaluating the best model (epoch {best['epoch']}) on {n_val} val images (fp32)")
    with exact_fp32(tr.device):
        m = evaluate(module, tr.val_loader, tr.batch_size, img_size, n_classes, tr.device, FINAL_PRECISION,
                     lambda: False, collect=True, keep_inputs=parity_image_count(img_size) if formats else 0)
        test = None
        if tests is not None:
            ev.progress("eval", n_val, total, f"Evaluating the chosen model once on the {n_test} test images (fp32)")
            test = evaluate(module, tests, tr.batch_size, img_size, n_classes, tr.device, FINAL_PRECISION,
                            lambda: False)
    ev.progress("eval", total, total, "Evaluation done")
    extra = {"selection_metric": tr.selection, "selection_reason": tr.selection_reason, "best_epoch": best.get("epoch"),
             "precision": FINAL_PRECISION, "training_precision": tr.training_precision}
    for path in write_eval_artifacts(tr.run_dir, m, ds, extra, test):
        ev.emit("artifact", kind="eval", path=path, format="json")
    with exact_fp32(tr.device):  # maps of the listed mistakes only (at most 100): one small extra pass
        crop = img_size / tr.data.preprocessing["resize"]  # the share of the short side the model sees
        path = write_misclassified_attention(tr.run_dir, module, tr.data.cache, img_size, tr.device, crop)
    if path:
        ev.emit("artifact", kind="eval", path=path, format="json")
    parity = {}
    if formats:
        with exact_fp32(tr.device):  # the reference: eager full fp32 on the processor
            parity = export_model(copy.deepcopy(module), ds.classes, img_size, tr.run_dir, formats, ev,
                                  inputs=m.get("inputs"))
    path = write_report(tr, m, best, parity, test)
    ev.emit("artifact", kind="report", path=path, format="markdown")
    ev.emit("finished", epochs_done=tr.epochs_done, best_val_top1=tr.best["top1"],
            best_epoch=tr.best["epoch"] if tr.best["score"] is not None else None,
            duration_s=round(time.time() - tr.started, 3), early_stopped=tr.early_stopped)
    if not TestHooks.from_env().keep_stream_open():
        ev.close()
