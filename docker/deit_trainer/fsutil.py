"""Atomic file writes: write a temp file beside the target, fsync, then os.replace.

Usage:
    write_json(path, obj); write_text(path, text); save_torch(path, obj)
A reader never sees a half-written file; a crash leaves the previous version (the folder is synced
after the rename, so the new name survives a power cut). Files are private to the user (0600, as
mkstemp makes them; the trainer's umask 077 makes its folders 0700). A full disk or a
folder that cannot be written becomes a TrainerError naming it and the fix (not "failed unexpectedly").
"""
import errno
import json
import os
import tempfile

from .errors import TrainerError

# Below this many free bytes a failed write is taken for a full disk (torch.save reports ENOSPC
# only as "file write failed").
_FULL_BYTES = 1 << 20


def _atomic(path, write):
    folder = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)  # mkstemp's mode already; said here so that no later edit widens it
        os.replace(tmp, path)
        tmp = None
        _sync_folder(folder)
    except BaseException as e:
        storage = _storage_error(e, path, folder)  # judged before the temp file frees its space
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if storage is not None:
            raise storage from e
        raise


def _sync_folder(folder):
    """fsync the folder so the rename itself is on disk; some file systems cannot (then it is skipped)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _storage_error(e, path, folder):
    """A TrainerError when the write failed because the disk is full or the folder is not writable."""
    if not isinstance(e, Exception):
        return None
    codes = {x.errno for x in _chain(e) if isinstance(x, OSError)}
    name = "/".join(os.path.abspath(path).split(os.sep)[-2:])
    try:
        st = os.statvfs(folder)
        full = st.f_bavail * st.f_frsize < _FULL_BYTES
    except OSError:
        full = False
    if codes & {errno.ENOSPC, errno.EDQUOT} or (full and not codes - {errno.ENOSPC, errno.EDQUOT}):
        return TrainerError(
            "internal", f"The disk holding the run folder is full: {name} could not be saved (no space left on the device).",
            "Free some space on that disk, then resume the run: it continues from its last saved checkpoint.",
            detail=f"{type(e).__name__}: {e}"[:2000])
    if codes & {errno.EACCES, errno.EPERM, errno.EROFS}:
        return TrainerError(
            "internal", f"The run folder cannot be written: {name} could not be saved (permission denied or a read-only disk).",
            "Make the run folder writable again for your user (or mount its disk read-write), then resume the run: "
            "it continues from its last saved checkpoint.",
            detail=f"{type(e).__name__}: {e}"[:2000])
    return None


def _chain(e):
    seen = []
    while e is not None and e not in seen:
        seen.append(e)
        e = e.__cause__ or e.__context__
    return seen


def write_bytes(path, data):
    _atomic(path, lambda f: f.write(data))


def write_text(path, text):
    write_bytes(path, text.encode("utf-8"))


def write_json(path, obj, indent=2):
    write_text(path, json.dumps(obj, indent=indent, ensure_ascii=False) + "\n")


def save_torch(path, obj):
    import torch
    _atomic(path, lambda f: torch.save(obj, f))
