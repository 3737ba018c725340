"""The end of a run: evaluate the best weights, write eval artifacts, exports, report, `finished`.

Usage: finish_run(trainer, early_stopped)   (called by train.Trainer.run)
"""
import copy
import os
import time

from .checkpoint import load_checkpoint
from .evaluate import evaluate, write_eval_artifacts
from .export import export_model
from .report import write_report


def finish_run(tr, early_stopped):
    ev, ds = tr.events, tr.data.dataset
    best = load_checkpoint(tr.best_path, map_location=tr.device)
    module = tr.ema.module if tr.ema else tr.model
    module.load_state_dict(best["model"])  # in place: the compiled eval graph stays valid
    module.eval()
    n_val = len(ds.val)
    ev.progress("eval", 0, n_val, f"Evaluating the best model (epoch {best['epoch']}) on {n_val} val images")
    m = evaluate(tr.eval_forward, tr.val_loader, tr.batch_size, tr.cfg["model"]["img_size"], len(ds.classes),
                 tr.device, tr.precision, lambda: False, collect=True)
    ev.progress("eval", n_val, n_val, "Evaluation done")
    for path in write_eval_artifacts(tr.run_dir, m, ds):
        ev.emit("artifact", kind="eval", path=path, format="json")
    parity = {}
    formats = tr.cfg["output"]["export"]
    if formats:
        parity = export_model(copy.deepcopy(module), ds.classes, tr.cfg["model"]["img_size"], tr.run_dir, formats, ev)
    path = write_report(tr, m, best, parity)
    ev.emit("artifact", kind="report", path=path, format="markdown")
    ev.emit("finished", epochs_done=tr.pos["epoch"] - 1, best_val_top1=tr.best["top1"],
            best_epoch=tr.best["epoch"] if tr.best["top1"] is not None else None,
            duration_s=round(time.time() - tr.started, 3), early_stopped=early_stopped)
    if os.environ.get("DEIT_TRAINER_KEEP_OPEN") is None:
        ev.close()
