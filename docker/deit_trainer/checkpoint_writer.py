"""`last` checkpoints written off the training loop (issue 19): copy to host memory, then a background thread.

Usage (train.py):
    writer = CheckpointWriter(delay_s=0)           # delay_s: test hook only (a slow disk)
    writer.submit(path, state, on_written)         # copies `state`'s tensors now, writes in the background
    writer.poll()                                  # each step: runs on_written of a finished write (main thread)
    writer.wait()                                  # before a Stop's own write, the end of the run, or exit
    remove_stale_writes(checkpoints_dir)           # at the start: temp files of writes a kill interrupted
    due = last_due(first_in_process, final, seconds_since_last)   # whether an epoch's end writes `last`

The state's tensors are copied at once (the model and the optimiser change in place as training goes on:
a write that read them later would mix two steps); the copy of DeiT-B's weights and AdamW state is ~1 GB,
which the GPU copies in milliseconds, while serialising and writing it to disk takes seconds. One write is
in flight at a time; it goes through fsutil's atomic write (temp file, fsync, rename), so a crash or kill
during it leaves the previous `last.pt` whole. `on_written` (the `checkpoint` event) runs on the main
thread, so events are never written from two threads. A failed write (disk full) is raised on the main
thread at the next poll or wait, as the synchronous write raised it.
"""
import glob
import os
import threading
import time

import torch

from .checkpoint import save_checkpoint

LAST_EVERY_S = 60.0  # short epochs: `last` at most once a minute (and at the first epoch's end, and the run's end)


def last_due(first_in_process, final, seconds_since_last):
    """Whether an epoch's end writes `last`: the first of this process, the run's last, or a minute since."""
    return first_in_process or final or seconds_since_last >= LAST_EVERY_S


def remove_stale_writes(folder):
    """Deletes the temp files of checkpoint writes a kill interrupted (`.last.pt.*.tmp`, `.best.pt.*.tmp`,
    fsutil's names): up to a checkpoint's size each, and never read. Returns how many."""
    stale = [p for name in ("last.pt", "best.pt") for p in glob.glob(os.path.join(folder, f".{name}.*.tmp"))]
    for path in stale:
        try:
            os.unlink(path)
        except OSError:
            pass
    return len(stale)


def to_host(obj):
    """A copy of `obj` with every tensor copied to the processor (pinned memory and one sync on a GPU)."""
    on_gpu = []

    def copy(x):
        if isinstance(x, torch.Tensor):
            if x.is_cuda:
                on_gpu.append(True)
                return x.detach().to("cpu", non_blocking=True, copy=True)
            return x.detach().clone()
        if isinstance(x, dict):
            return {k: copy(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return type(x)(copy(v) for v in x)
        return x

    host = copy(obj)
    if on_gpu:
        torch.cuda.synchronize()  # the non-blocking copies are complete before the thread reads them
    return host


class CheckpointWriter:
    def __init__(self, delay_s=0.0):
        self.delay_s = delay_s
        self.thread, self.error, self.written = None, None, None

    def submit(self, path, state, on_written):
        self.wait()
        host = to_host(state)

        def work():
            try:
                if self.delay_s:
                    time.sleep(self.delay_s)
                save_checkpoint(path, host)
                self.written = on_written
            except BaseException as e:  # noqa: BLE001 - raised again on the main thread
                self.error = e

        self.thread = threading.Thread(target=work, name="checkpoint-writer", daemon=True)
        self.thread.start()

    def poll(self):
        if self.thread is not None and not self.thread.is_alive():
            self._finish()

    def wait(self):
        if self.thread is not None:
            self.thread.join()
            self._finish()

    def _finish(self):
        self.thread = None
        error, self.error = self.error, None
        written, self.written = self.written, None
        if error is not None:
            raise error
        if written is not None:
            written()
