"""The decoded-image cache: every image decoded and resized once into one uint8 array on disk.

Usage:
    cache = build_cache(root, files, side, cache_dir, workers, events, should_stop)
    cache.array      # np.memmap uint8 [len(files), side, side, 3]
    cache.row[path]  # row of a file; cache.bad = {path: reason} for files that did not decode
Layout: <cache_dir>/decoded/<key>/{images.u8, index.json}. The key hashes the format version, the side
and every file's relative path, size and modification time, so runs on the same folder share a cache
and a changed file makes a new one. Built in a temp folder by a process pool, renamed into place when
complete (atomic; concurrent builders are harmless). Progress events (phase `cache`) carry an ETA.
"""
import concurrent.futures as cf
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import time

import numpy as np

from .decode import BadImage, decode_square

FORMAT = 1            # bump when the decode pipeline changes
CHUNK = 64            # images per worker task
PROGRESS_EVERY_S = 0.5


class StopRequested(Exception):
    """Raised when a stop signal arrives during a long preparation phase."""


class DecodedCache:
    def __init__(self, folder, files, side, bad):
        self.folder, self.files, self.side, self.bad = folder, files, side, bad
        self.row = {p: i for i, p in enumerate(files)}
        n = max(1, len(files))
        self.array = np.memmap(os.path.join(folder, "images.u8"), dtype=np.uint8, mode="c", shape=(n, side, side, 3))  # "c": writable view, never written


def cache_key(root, files, side):
    h = hashlib.sha256(f"deit-studio-cache:{FORMAT}:{side}\n".encode())
    for rel in files:
        st = os.stat(os.path.join(root, rel))
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


def _decode_chunk(root, paths, rows, side, array_path, n):
    """Worker: decodes `paths` into rows of the memmap; returns {path: reason} of failures."""
    out = np.memmap(array_path, dtype=np.uint8, mode="r+", shape=(n, side, side, 3))
    bad = {}
    for rel, row in zip(paths, rows):
        try:
            out[row] = decode_square(os.path.join(root, rel), side)
        except BadImage as e:
            bad[rel] = str(e)
        except Exception as e:  # never let one odd file stop the build
            bad[rel] = f"could not be decoded ({type(e).__name__}: {e})"
    out.flush()
    del out
    return bad


def _writable(folder):
    try:
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, f".probe-{os.getpid()}")
        with open(probe, "w"):
            pass
        os.unlink(probe)
        return True
    except OSError:
        return False


def build_cache(root, files, side, cache_dir, workers, events, should_stop, fallback_dir=None):
    """Returns a DecodedCache for `files` (relative to root), building it when missing."""
    if not _writable(os.path.join(cache_dir, "decoded")) and fallback_dir:
        events.warning("cache_unwritable", f"The cache folder {cache_dir} is not writable; "
                       f"the decoded images are kept in {fallback_dir} instead.")
        cache_dir = fallback_dir
    key = cache_key(root, files, side)
    final = os.path.join(cache_dir, "decoded", key)
    index_path = os.path.join(final, "index.json")
    if os.path.exists(index_path):
        with open(index_path, encoding="utf-8") as f:
            index = json.load(f)
        events.progress("cache", len(files), len(files), f"Decoded-image cache found ({len(files)} images)", eta_s=0)
        return DecodedCache(final, files, side, index["bad"])

    tmp = f"{final}.tmp-{os.getpid()}"
    os.makedirs(tmp, exist_ok=True)
    n = max(1, len(files))
    array_path = os.path.join(tmp, "images.u8")
    with open(array_path, "wb") as f:
        f.truncate(n * side * side * 3)
    try:
        bad = _decode_all(root, files, side, array_path, n, workers, events, should_stop)
        with open(os.path.join(tmp, "index.json"), "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "side": side, "files": files, "bad": bad}, f)
        try:
            os.replace(tmp, final)
        except OSError:  # another run finished the same cache first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DecodedCache(final, files, side, bad)


def _decode_all(root, files, side, array_path, n, workers, events, should_stop):
    total, done, bad = len(files), 0, {}
    started, last = time.monotonic(), 0.0
    chunks = [(files[i:i + CHUNK], list(range(i, min(i + CHUNK, total)))) for i in range(0, total, CHUNK)]

    def report(force=False):
        nonlocal last
        now = time.monotonic()
        if force or now - last >= PROGRESS_EVERY_S:
            last = now
            rate = done / max(now - started, 1e-6)
            eta = (total - done) / rate if done else None
            events.progress("cache", done, total, f"Decoding images into the cache: {done}/{total}", eta_s=eta)

    report(force=True)
    if workers <= 0:
        for paths, rows in chunks:
            if should_stop():
                raise StopRequested()
            bad.update(_decode_chunk(root, paths, rows, side, array_path, n))
            done += len(paths)
            report()
    else:
        # spawn: workers import only PIL/numpy (decode.py), never a forked copy of torch's threads
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
            pending = {pool.submit(_decode_chunk, root, p, r, side, array_path, n) for p, r in chunks}
            try:
                while pending:
                    finished, pending = cf.wait(pending, timeout=0.25, return_when=cf.FIRST_COMPLETED)
                    for fut in finished:
                        bad.update(fut.result())
                        done += CHUNK
                    done = min(done, total)
                    if should_stop():
                        raise StopRequested()
                    report()
            except BaseException:
                for fut in pending:
                    fut.cancel()
                raise
    done = total
    report(force=True)
    return bad
