"""Atomic writes that fail for lack of space or permission say so (fsutil), and leave the old file.

A full disk while torch.save writes a checkpoint surfaces only as RuntimeError("file write failed"):
it is recognised by the free space left at that moment. The real disk-full and read-only cases run
against a real run folder in tests/faults/disk-faults.test.ts.
"""
import errno
import os
from collections import namedtuple

import pytest

from deit_trainer import fsutil
from deit_trainer.errors import TrainerError


def test_a_folder_that_cannot_be_written_is_named_with_the_fix(tmp_path):
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    (folder / "last.pt").write_bytes(b"previous")
    folder.chmod(0o555)
    try:
        assert not os.access(folder, os.W_OK), "run as a plain user (the suite runs as 1000:1000): root ignores mode bits"
        with pytest.raises(TrainerError) as info:
            fsutil.write_bytes(str(folder / "last.pt"), b"new")
    finally:
        folder.chmod(0o755)
    assert info.value.kind == "internal"
    assert info.value.message.startswith("The run folder cannot be written: checkpoints/last.pt could not be saved")
    assert "Make the run folder writable again" in info.value.fix
    assert "PermissionError" in info.value.detail
    assert (folder / "last.pt").read_bytes() == b"previous"


def test_a_full_disk_is_recognised_even_when_the_writer_hides_enospc(tmp_path, monkeypatch):
    target = tmp_path / "checkpoints" / "last.pt"
    target.parent.mkdir()
    target.write_bytes(b"previous")
    Statvfs = namedtuple("Statvfs", "f_bavail f_frsize")
    monkeypatch.setattr(fsutil.os, "statvfs", lambda _: Statvfs(3, 4096))  # 12 KiB left

    def write(f):
        f.write(b"partial")
        raise RuntimeError("[enforce fail at inline_container.cc:858] . PytorchStreamWriter failed writing file data/0: file write failed")

    with pytest.raises(TrainerError) as info:
        fsutil._atomic(str(target), write)
    assert info.value.message == ("The disk holding the run folder is full: checkpoints/last.pt could not be saved "
                                  "(no space left on the device).")
    assert info.value.fix.startswith("Free some space on that disk, then resume the run")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in target.parent.iterdir()] == ["last.pt"]  # no temp file left


def test_enospc_is_a_full_disk_and_other_errors_pass_through(tmp_path):
    target = tmp_path / "report.md"

    def no_space(f):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(TrainerError, match="disk holding the run folder is full: .*report.md"):
        fsutil._atomic(str(target), no_space)

    def bug(f):
        raise ValueError("not a storage problem")

    with pytest.raises(ValueError):
        fsutil._atomic(str(target), bug)
    assert not target.exists()
