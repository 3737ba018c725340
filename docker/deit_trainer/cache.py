"""The decoded-image cache: every image decoded and resized once into one uint8 array on disk.

Usage:
    cache = build_cache(root, files, side, cache_dir, workers, events, should_stop, fallback_dir=run_dir + "/.cache",
                        interpolation="bicubic", max_bytes=plan.max_bytes)
    cache.array      # np.memmap uint8 [len(files), side + 1, cache.width, 3]: decode.py's cache rows
    cache.row[path]  # row of a file; cache.bad = {path: reason} for files that did not decode
Each row holds the whole picture (shorter side `side`, longer side kept up to 2x; decode.py) and a
header row with its true extent. The width is the widest stored picture of the data set: `side` for
square pictures, 4/3 side for 4:3 photos, 2 side at most, found by a first pass that reads only the
image headers. Size on disk: N x (side + 1) x width x 3 bytes (side 248: 185 kB per square picture,
247 kB at 4:3, 371 kB at 2:1; 100,000 4:3 photos take 25 GB).
Layout: <cache_dir>/decoded/<key>/{images.u8, index.json}. The key hashes the format version, the side,
the interpolation and every file's relative path, size and modification time, so runs on the same
folder share a cache and a changed file makes a new one. Built in a temp folder by a process pool,
renamed into place when complete (atomic; concurrent builders are harmless). Progress events (phase
`cache`) carry an ETA.
Where: `cache_dir` only when this process may write it (its owner chose to share caches between
runs: the command line); otherwise — the app mounts /cache read-only — in `fallback_dir`, the run's
own `.cache/`. A cache folder this process cannot write is never read: another container could have
planted it. What is read back is checked first (index.json's format, side, interpolation, files and
width against this build; images.u8 a regular file of exactly the expected size), else rebuilt.
`max_bytes` bounds one image's decode (decode.decode_plan; an image over it is skipped with the reason).
"""
import concurrent.futures as cf
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import stat
import time

import numpy as np

from .decode import MAX_ASPECT, BadImage, decode_row, probe_size, row_width

FORMAT = 2            # bump when the decode pipeline changes (2: whole picture + header row, was the centre square)
CHUNK = 64            # images per worker task
PROGRESS_EVERY_S = 0.5


class StopRequested(Exception):
    """Raised when a stop signal arrives during a long preparation phase."""


class DecodedCache:
    def __init__(self, folder, files, side, width, bad):
        self.folder, self.files, self.side, self.width, self.bad = folder, files, side, width, bad
        self.row = {p: i for i, p in enumerate(files)}
        self.array = np.memmap(os.path.join(folder, "images.u8"), dtype=np.uint8, mode="c",
                               shape=_shape(len(files), side, width))  # "c": writable view, never written


def _shape(n, side, width):
    return (max(1, n), side + 1, width, 3)


def cache_key(root, files, side, interpolation="bicubic"):
    h = hashlib.sha256(f"deit-studio-cache:{FORMAT}:{side}:{interpolation}\n".encode())
    for rel in files:
        st = os.stat(os.path.join(root, rel))
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


def _probe_chunk(root, paths):
    """Worker: the upright (w, h) of each readable file (the decode pass reports the others)."""
    sizes = []
    for rel in paths:
        try:
            sizes.append(probe_size(os.path.join(root, rel)))
        except Exception:
            pass
    return sizes


def _decode_chunk(root, paths, rows, side, width, interpolation, array_path, n, max_bytes=None):
    """Worker: decodes `paths` into rows of the memmap; returns {path: reason} of failures."""
    out = np.memmap(array_path, dtype=np.uint8, mode="r+", shape=_shape(n, side, width))
    bad = {}
    for rel, row in zip(paths, rows):
        try:
            out[row] = decode_row(os.path.join(root, rel), side, width, interpolation, max_bytes)
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


def _load_index(folder, files, side, interpolation):
    """index.json of a finished cache when it matches this build and images.u8 has exactly its size; else None."""
    try:
        fd = os.open(os.path.join(folder, "index.json"), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, encoding="utf-8") as f:
            index = json.loads(f.read(64 * 2**20))
        st = os.lstat(os.path.join(folder, "images.u8"))
    except (OSError, ValueError):
        return None
    if not isinstance(index, dict):
        return None
    width, bad, names = index.get("width"), index.get("bad"), set(files)
    ok = (index.get("format") == FORMAT and index.get("side") == side and index.get("interpolation") == interpolation
          and index.get("files") == files and type(width) is int and side <= width <= side * MAX_ASPECT
          and isinstance(bad, dict) and all(k in names and isinstance(v, str) for k, v in bad.items())
          and stat.S_ISREG(st.st_mode) and st.st_size == max(1, len(files)) * (side + 1) * width * 3)
    return index if ok else None


def build_cache(root, files, side, cache_dir, workers, events, should_stop, fallback_dir=None,
                interpolation="bicubic", max_bytes=None):
    """Returns a DecodedCache for `files` (relative to root), building it when missing or not valid."""
    if not _writable(os.path.join(cache_dir, "decoded")) and fallback_dir:
        cache_dir = fallback_dir  # read-only (the app's /cache): never trusted, the run keeps its own
    key = cache_key(root, files, side, interpolation)
    final = os.path.join(cache_dir, "decoded", key)
    index = _load_index(final, files, side, interpolation)
    if index is not None:
        events.progress("cache", len(files), len(files), f"Decoded-image cache found ({len(files)} images)", eta_s=0)
        return DecodedCache(final, files, side, index["width"], index["bad"])
    if os.path.lexists(final):  # damaged or of another build: made again
        shutil.rmtree(final, ignore_errors=True)
        if os.path.lexists(final):
            os.unlink(final)

    tmp = f"{final}.tmp-{os.getpid()}"
    os.makedirs(tmp, exist_ok=True)
    n = max(1, len(files))
    array_path = os.path.join(tmp, "images.u8")
    try:
        chunks = [(files[i:i + CHUNK], list(range(i, min(i + CHUNK, len(files))))) for i in range(0, len(files), CHUNK)]
        sizes = _run_chunks(_probe_chunk, [(root, p) for p, _ in chunks], [len(p) for p, _ in chunks], workers,
                            events, should_stop, "Reading image sizes")
        width = row_width(side, [wh for part in sizes for wh in part])
        with open(array_path, "wb") as f:
            f.truncate(n * (side + 1) * width * 3)
        results = _run_chunks(_decode_chunk, [(root, p, r, side, width, interpolation, array_path, n, max_bytes)
                                              for p, r in chunks],
                              [len(p) for p, _ in chunks], workers, events, should_stop, "Decoding images into the cache")
        bad = {k: v for part in results for k, v in part.items()}
        with open(os.path.join(tmp, "index.json"), "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "side": side, "width": width, "interpolation": interpolation,
                       "files": files, "bad": bad}, f)
        try:
            os.replace(tmp, final)
        except OSError:  # another run finished the same cache first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DecodedCache(final, files, side, width, bad)


def _run_chunks(fn, tasks, counts, workers, events, should_stop, what):
    """Runs fn(*task) for every task (in a spawn process pool unless workers <= 0) with progress
    events; returns the results in task order."""
    total, done = sum(counts), 0
    started, last = time.monotonic(), 0.0
    results = [None] * len(tasks)

    def report(force=False):
        nonlocal last
        now = time.monotonic()
        if force or now - last >= PROGRESS_EVERY_S:
            last = now
            rate = done / max(now - started, 1e-6)
            eta = (total - done) / rate if done else None
            events.progress("cache", done, total, f"{what}: {done}/{total}", eta_s=eta)

    report(force=True)
    if workers <= 0:
        for i, task in enumerate(tasks):
            if should_stop():
                raise StopRequested()
            results[i] = fn(*task)
            done += counts[i]
            report()
    else:
        # spawn: workers import only PIL/numpy (decode.py), never a forked copy of torch's threads
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
            pending = {pool.submit(fn, *task): i for i, task in enumerate(tasks)}
            try:
                while pending:
                    finished, _ = cf.wait(pending, timeout=0.25, return_when=cf.FIRST_COMPLETED)
                    for fut in finished:
                        i = pending.pop(fut)
                        results[i] = fut.result()
                        done += counts[i]
                    if should_stop():
                        raise StopRequested()
                    report()
            except BaseException:
                for fut in pending:
                    fut.cancel()
                raise
    done = total
    report(force=True)
    return results
