"""Atomic file writes: write a temp file beside the target, fsync, then os.replace.

Usage:
    write_json(path, obj); write_text(path, text); save_torch(path, obj)
A reader never sees a half-written file; a crash leaves the previous version.
"""
import json
import os
import tempfile


def _atomic(path, write):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bytes(path, data):
    _atomic(path, lambda f: f.write(data))


def write_text(path, text):
    write_bytes(path, text.encode("utf-8"))


def write_json(path, obj, indent=2):
    write_text(path, json.dumps(obj, indent=indent, ensure_ascii=False) + "\n")


def save_torch(path, obj):
    import torch
    _atomic(path, lambda f: torch.save(obj, f))
