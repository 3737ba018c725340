"""The event stream (protocol v1): JSON lines on stdout and appended to <run_dir>/metrics.jsonl.

Usage:
    ev = EventStream()                 # stdout only, until a run folder is known
    ev.attach("/run")                  # also append to /run/metrics.jsonl; seq continues from it
    ev.emit("warning", code="x", message="...")
    ev.progress("cache", 10, 100, "Decoding images", eta_s=3.2)
    ev.emit("run_started", **run_started_fields(run_dir=..., resumed=..., ...))   # train.py, once per start
Human logs go through `log` (stderr + <run_dir>/train.log once attached); every event worth reading is
also logged there in words (narrate.py).
See docs/trainer-protocol.md for every event type.
"""
import json
import logging
import os
import sys
import threading
import time

from .narrate import Narrator

PROTOCOL_VERSION = 1
log = logging.getLogger("deit_trainer")


def setup_logging():
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def _last_seq(path):
    """The last seq in an existing metrics.jsonl (-1 if none); drops a torn last line."""
    try:
        with open(path, "rb+") as f:
            data = f.read()
            if data and not data.endswith(b"\n"):
                f.truncate(data.rfind(b"\n") + 1)
                data = data[: data.rfind(b"\n") + 1]
    except FileNotFoundError:
        return -1
    for line in reversed(data.splitlines()):
        try:
            return int(json.loads(line)["seq"])
        except (ValueError, KeyError, TypeError):
            continue
    return -1


class EventStream:
    def __init__(self, stdout=None):
        self.stdout = stdout or sys.stdout
        self.file = None
        self.seq = 0
        self.lock = threading.Lock()
        self.narrator = Narrator()
        setup_logging()

    def attach(self, run_dir):
        os.makedirs(run_dir, exist_ok=True)
        path = os.path.join(run_dir, "metrics.jsonl")
        self.seq = max(self.seq, _last_seq(path) + 1)
        self.file = open(path, "a", encoding="utf-8")
        self.narrator.run_dir = os.path.abspath(run_dir)
        for old in [h for h in log.handlers if isinstance(h, logging.FileHandler)]:
            log.removeHandler(old)  # one train.log per process (tests run several trainings in one)
            old.close()
        file_handler = logging.FileHandler(os.path.join(run_dir, "train.log"), encoding="utf-8")
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(file_handler)

    def emit(self, type, **fields):
        with self.lock:
            event = {"v": PROTOCOL_VERSION, "seq": self.seq, "time": round(time.time(), 3), "type": type, **fields}
            self.seq += 1
            line = json.dumps(event, ensure_ascii=False, allow_nan=False) + "\n"
            if self.file is not None:
                self.file.write(line)
                self.file.flush()
            self.stdout.write(line)
            self.stdout.flush()
            words = self.narrator.line(event)
            if words:
                log.info(words)
            return event

    def progress(self, phase, done, total, message, eta_s=None):
        return self.emit("progress", phase=phase, done=done, total=total, message=message,
                         eta_s=None if eta_s is None else round(eta_s, 1))

    def warning(self, code, message):
        log.warning(message)
        return self.emit("warning", code=code, message=message)

    def error(self, err):
        # train.log gets one line: the message and the fix, then the detail in short on a line of its own. The
        # detail can be a raw exception with retry dumps over many lines; in full it is in the error event.
        log.error("%s %s", err.message, err.fix)
        if err.detail:
            log.info("Details: %s", one_line(err.detail))
        return self.emit("error", kind=err.kind, message=err.message, fix=err.fix, detail=err.detail)

    def close(self):
        if self.file is not None:
            self.file.close()
            self.file = None


def one_line(text, limit=200):
    """A multi-line text (a traceback, retry dumps) as one short line for train.log."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "… (in full: the error event in metrics.jsonl)"


VERSION_KEYS = ("python", "torch", "timm", "cuda", "torchvision")


def dataset_facts(ds):
    """`run_started.dataset`: the folder, its layout, classes and the split (dataset.Dataset)."""
    return {"root": ds.root, "layout": ds.layout, "classes": ds.classes, "train_count": len(ds.train),
            "val_count": len(ds.val), "skipped_count": len(ds.skipped),
            "train_per_class": ds.per_class(ds.train), "val_per_class": ds.per_class(ds.val),
            "val_ratio": ds.val_ratio, "split_seed": ds.split_seed, "test_count": len(ds.test),
            "test_per_class": ds.per_class(ds.test), "test_ratio": ds.test_ratio, "split_from": ds.split_from}


def run_started_fields(*, run_dir, resumed, start_epoch, start_global_step, epochs, steps_per_epoch, total_steps,
                       batch_size, batch, model, img_size, precision, compile, versions, device, dataset,
                       preprocessing, recipe, image, selection_metric, selection_reason):
    """The `run_started` payload (docs/trainer-protocol.md) from explicit values; `versions` is
    runtime.versions(), `dataset` a dataset.Dataset, `recipe` the resolved recipe as a dict."""
    return dict(
        run_id=os.path.basename(os.path.abspath(run_dir)), resumed=resumed,
        start_epoch=start_epoch, start_global_step=start_global_step,  # where this attempt continues
        epochs=epochs, steps_per_epoch=steps_per_epoch, total_steps=total_steps,
        batch_size=batch_size, batch=batch, model=model, img_size=img_size, precision=precision, compile=compile,
        versions={k: versions[k] for k in VERSION_KEYS}, device=device, dataset=dataset_facts(dataset),
        preprocessing=preprocessing, recipe=recipe, image=image, selection_metric=selection_metric,
        selection_reason=selection_reason)


class RateLimiter:
    """True at most once per `interval_s` (and always when forced)."""

    def __init__(self, interval_s):
        self.interval_s, self.last = interval_s, 0.0

    def ready(self, force=False):
        now = time.monotonic()
        if force or now - self.last >= self.interval_s:
            self.last = now
            return True
        return False
