"""Batches of cached uint8 images, gathered by a background thread and copied to the device.

Usage:
    loader = BatchLoader(cache.array, rows, labels, device)
    for step, x_u8, y, n_real in loader.epoch(epoch=3, batch_size=256, start_sample=0, seed=0): ...
    for x_u8, y, n_real in loader.sequential(batch_size=256): ...   # eval: last batch padded
    loader.epoch(..., rank=1, world=4)      # several processes: batch_size is per process (distributed.py)
    loader.sequential(256, rank=1, world=4)  # this process's contiguous share of the images
Every training image is used in every epoch, in batches of one static shape (torch.compile): the short
last batch is filled up with the first images of the next epoch's order (those are trained on twice in
a row, and counted only in their own epoch: n_real is how many of a batch's images belong to this epoch).
No worker processes and no shared memory (Docker's 64 MB /dev/shm is enough): torch.index_select
over the memory-mapped cache runs outside the GIL into pinned memory, then a non-blocking copy.
The epoch's order is a pure function of (seed, epoch), so a resumed run sees the same batches.
With W processes (torchrun) the order is cut into global batches of W x batch_size exactly as one process
would cut it with that batch; process r takes the r-th contiguous share of each: no image twice, every
process the same number of steps, and with W = 1 the order of a single process.
"""
import queue
import threading

import numpy as np
import torch

PREFETCH = 3  # batches prepared ahead of the GPU


def epoch_order(n, seed, epoch):
    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n, generator=g)


class BatchLoader:
    def __init__(self, array, rows, labels, device):
        self.source = torch.from_numpy(np.asarray(array).reshape(array.shape[0], -1)) if len(rows) else None
        self.shape = tuple(array.shape[1:])
        self.rows = torch.as_tensor(rows, dtype=torch.long)
        self.labels = torch.as_tensor(labels, dtype=torch.long)
        self.device = torch.device(device)
        self.pin = self.device.type == "cuda"

    def __len__(self):
        return len(self.rows)

    def steps_per_epoch(self, batch_size):
        return -(-len(self.rows) // batch_size)  # the last batch is filled up: no image left out

    def _gather(self, idx):
        out = torch.empty((len(idx), self.source.shape[1]), dtype=torch.uint8, pin_memory=self.pin)
        torch.index_select(self.source, 0, self.rows[idx], out=out)
        y = self.labels[idx]
        # pinned too: a non-blocking copy from pageable memory is a blocking one (the caching host allocator
        # makes the small pinned buffer cheap)
        return out.view(len(idx), *self.shape), (y.pin_memory() if self.pin else y)

    def _to_device(self, x, y):
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)

    def _prefetch(self, index_batches):
        """Yields gathered batches from a background thread, PREFETCH ahead."""
        q = queue.Queue(maxsize=PREFETCH)
        stop = threading.Event()

        def work():
            try:
                for idx in index_batches:
                    if stop.is_set():
                        return
                    q.put(self._gather(idx))
            except BaseException as e:  # surface errors in the consumer
                q.put(e)
            q.put(None)

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        try:
            while True:
                item = q.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while thread.is_alive():
                try:
                    q.get(timeout=0.05)
                except queue.Empty:
                    pass

    def epoch_batches(self, epoch, batch_size, seed):
        """The epoch's batches of row indices, all of batch_size: a pure function of (seed, epoch)."""
        n = len(self.rows)
        order = epoch_order(n, seed, epoch)
        fill = self.steps_per_epoch(batch_size) * batch_size - n
        if fill:
            order = torch.cat([order, epoch_order(n, seed, epoch + 1)[:fill]])
        return list(order.split(batch_size))

    def epoch(self, epoch, batch_size, start_sample, seed, rank=0, world=1):
        """Yields (step index from 0, x_u8 [B,S,S,3] on device, y, n_real) from sample `start_sample` on;
        n_real counts the batch's images that belong to this epoch (less than B only in the last batch).
        `start_sample` counts images of all processes (global: a checkpoint resumes with any count)."""
        g, n = batch_size * world, len(self.rows)
        first = start_sample // g
        batches = [b[rank * batch_size:(rank + 1) * batch_size] for b in self.epoch_batches(epoch, g, seed)[first:]]
        for k, (x, y) in enumerate(self._prefetch(batches)):
            step = first + k
            start = step * g + rank * batch_size  # this share's first position in the epoch's order
            yield (step, *self._to_device(x, y), max(0, min(batch_size, n - start)))

    def sequential(self, batch_size, rank=0, world=1):
        """Yields (x_u8, y, n_real) in order; the last batch is padded to batch_size (static shapes).
        With `world` processes, this one's contiguous share of the images (the shares cover each image once)."""
        total = len(self.rows)
        lo, n = total * rank // world, total * (rank + 1) // world
        batches = []
        for start in range(lo, n, batch_size):
            idx = torch.arange(start, min(start + batch_size, n))
            batches.append(torch.cat([idx, idx[-1:].expand(batch_size - len(idx))]) if len(idx) < batch_size else idx)
        for k, (x, y) in enumerate(self._prefetch(batches)):
            yield (*self._to_device(x, y), min(batch_size, n - lo - k * batch_size))
