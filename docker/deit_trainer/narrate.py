"""train.log in words: one human line for each event worth reading (the log panel shows these).

The event stream is for programs; this is for the researcher reading the log. `Narrator.line(event)`
returns the line, or None for events that would only add noise (most step events, repeated progress).
Warnings and errors are logged by EventStream.warning/error themselves.
"""
import time

STEP_EVERY_S = 30.0  # a step line at most this often (and always the first of an attempt)
PROGRESS_EVERY_S = 15.0  # a progress line at its start, its end, and at most this often between


def duration(seconds):
    """12 s, 3 min 20 s, 1 h 05 min."""
    if seconds is None:
        return "unknown"
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def percent(x):
    return "n/a" if x is None else f"{100 * x:.1f} %"


def number(x, fmt=".4f"):
    return "n/a" if x is None else format(x, fmt)


ARTIFACTS = {"split": "the train/validation split", "eval": "evaluation results", "export": "exported model",
             "report": "the methods report"}


class Narrator:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.run_dir = None  # paths inside it are shown relative to it, as the user sees the run folder
        self.epochs = None
        self.last_step = None  # clock time of the last step line
        self.last_progress = {}  # phase -> clock time of its last line

    def where(self, path):
        if self.run_dir and path.startswith(self.run_dir.rstrip("/") + "/"):
            return path[len(self.run_dir.rstrip("/")) + 1:]
        return path

    def line(self, event):
        describe = getattr(self, "_" + event["type"], None)
        return describe(event) if describe else None

    def _run_started(self, e):
        self.epochs, self.last_step = e["epochs"], None
        d, dev = e["dataset"], e["device"]
        skipped = f", {d['skipped_count']} files left out" if d["skipped_count"] else ""
        where = f"{dev['name']} ({dev['kind'].upper()})" if dev["kind"] == "cuda" else "the CPU"
        lr = f", learning rate {e['recipe']['lr']:.2e}" if e.get("recipe") else ""
        verb = f"Resuming at epoch {e['start_epoch']}:" if e["resumed"] else "Starting:"
        return (f"{verb} {e['model']} at {e['img_size']} px on {where}, {e['precision']}"
                f"{', compiled' if e['compile'] else ''}. Data: {len(d['classes'])} classes, {d['train_count']} "
                f"training and {d['val_count']} validation images{skipped}. {e['epochs']} epochs of "
                f"{e['steps_per_epoch']} steps at batch size {e['batch_size']}{lr}.")

    def _step(self, e):
        now = self.clock()
        if self.last_step is not None and now - self.last_step < STEP_EVERY_S and e["step"] != e["steps_per_epoch"]:
            return None
        self.last_step = now
        of = f"/{self.epochs}" if self.epochs else ""
        eta = f"  about {duration(e['eta_s'])} left" if e.get("eta_s") is not None else ""
        return (f"epoch {e['epoch']}{of} step {e['step']}/{e['steps_per_epoch']}  loss {number(e['loss'])}  "
                f"lr {e['lr']:.2e}  {e['img_per_s']:.0f} images/s{eta}")

    def _epoch(self, e):
        best = "  (best so far)" if e["is_best"] else ""
        train_top1 = f" (train top-1 {percent(e['train_top1'])})" if e.get("train_top1") is not None else ""
        top5 = f", top-5 {percent(e['val_top5'])}" if e.get("val_top5") is not None else ""  # only with > 5 classes
        balanced = (f", balanced accuracy {percent(e['val_balanced_accuracy'])}"
                    if e.get("val_balanced_accuracy") is not None else "")
        return (f"epoch {e['epoch']}/{e['epochs']} done in {duration(e['duration_s'])}: train loss "
                f"{number(e['train_loss'])}{train_top1}, val loss {number(e['val_loss'])}, val top-1 {percent(e['val_top1'])}"
                f"{top5}{balanced}{best}")

    def _progress(self, e):
        now, phase = self.clock(), e["phase"]
        ends = e["done"] == 0 or (e["total"] is not None and e["done"] >= e["total"])
        last = self.last_progress.get(phase)
        if not ends and last is not None and now - last < PROGRESS_EVERY_S:
            return None
        self.last_progress[phase] = now
        eta = f" (about {duration(e['eta_s'])} left)" if e.get("eta_s") and not ends else ""
        return f"{e['message']}{eta}"

    def _checkpoint(self, e):
        what = "best model" if e["kind"] == "best" else "checkpoint to resume from"
        return f"Saved the {what} (epoch {e['epoch']}): {self.where(e['path'])}"

    def _files_skipped(self, e):
        # The same count as the app's scan and the dashboard: every entry of skipped.json, hidden files included.
        n = e.get("total", len(e["files"]))
        return (f"{n} {'file is' if n == 1 else 'files are'} left out (hidden or system files, non-images, damaged "
                f"images, empty class folders…); skipped.json lists each with its reason.")

    def _batch_size(self, e):
        if e.get("why"):  # newer trainers say why in one sentence
            return e["why"]
        if e["reason"] == "out_of_memory":
            return f"Batch size lowered from {e['previous']} to {e['batch_size']} so that it fits in GPU memory."
        return f"Batch size {e['batch_size']} chosen automatically."

    def _artifact(self, e):
        parity = e.get("parity_max_abs_diff")
        check = f", largest difference from the trained model {parity:.1e}" if parity is not None else ""
        what = ARTIFACTS.get(e["kind"], e["kind"])
        if e["kind"] == "export":
            what = "model details" if e.get("format") == "json" else f"exported model ({e.get('format')}{check})"
        return f"Wrote {what}: {self.where(e['path'])}"

    def _stopped(self, e):
        where = f"at epoch {e['epoch']}, step {e['global_step']}"
        if e.get("checkpoint"):
            return f"Stopped {where}; progress is saved and the run can be resumed."
        return f"Stopped {where}, before the first checkpoint; resuming starts this run from the beginning."

    def _finished(self, e):
        best = (f"best val top-1 {percent(e['best_val_top1'])} at epoch {e['best_epoch']}"
                if e.get("best_epoch") is not None else "no validation accuracy")
        early = ", stopped early as accuracy stopped improving" if e["early_stopped"] else ""
        return f"Finished {e['epochs_done']} epoch(s) in {duration(e['duration_s'])}: {best}{early}."
