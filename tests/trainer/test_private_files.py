"""What a run may touch (issue 17): with /weights and /cache read-only (as the app mounts them for
training) a run still finishes, writes nothing there, keeps its decoded images and compiled kernels in
its own folder, and every file it writes is private (0600, folders 0700). A decoded cache read back is
checked first, and made again when it does not match."""
import json
import os
import stat

import numpy as np
from conftest import MODEL, make_fake_weights, read_events, run_cli, write_config

from deit_trainer.cache import build_cache
from deit_trainer.fsutil import write_json


class Quiet:
    def progress(self, *a, **k):
        pass


def _tree(folder):
    return sorted((os.path.relpath(os.path.join(d, n), folder), os.lstat(os.path.join(d, n)).st_mtime_ns)
                  for d, dirs, files in os.walk(folder) for n in dirs + files)


def _read_only(folder):
    for d, _, files in os.walk(folder):
        for n in files:
            os.chmod(os.path.join(d, n), 0o444)
    for d, _, _ in sorted(os.walk(folder), reverse=True):
        os.chmod(d, 0o555)


def test_a_run_with_read_only_weights_and_cache_writes_only_its_own_private_folder(tmp_path, learnable):
    weights, cache, run = tmp_path / "weights", tmp_path / "cache", tmp_path / "run"
    make_fake_weights(str(weights), MODEL)
    cache.mkdir()
    cfg = write_config(run, learnable, weights, cache, train={"epochs": 2, "compile": False},
                       output={"run_dir": str(run), "export": ["torchscript"]})
    _read_only(weights)
    _read_only(cache)
    before = _tree(weights), _tree(cache)
    code, _ = run_cli("train", "--config", cfg)
    assert code == 0, [e for e in read_events(run) if e["type"] == "error"]
    assert (_tree(weights), _tree(cache)) == before  # no lock file, no cache written there
    events = read_events(run)
    assert events[-1]["type"] == "finished"
    assert not [e for e in events if e["type"] == "warning" and e["code"] == "cache_unwritable"]
    decoded = run / ".cache" / "decoded"
    assert len(os.listdir(decoded)) == 1  # the run's own cache
    assert os.environ["TORCHINDUCTOR_CACHE_DIR"].startswith(str(run / ".cache" / "compile"))
    loose = []
    for d, dirs, files in os.walk(run):
        for n in dirs + files:
            path = os.path.join(d, n)
            if path == str(run / "config.json"):
                continue  # written by the test (the app), not the trainer
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if mode & 0o077:
                loose.append(f"{os.path.relpath(path, run)} {mode:o}")
    assert not loose, f"readable by others: {loose}"
    assert stat.S_IMODE(os.stat(run / "checkpoints" / "best.pt").st_mode) == 0o600


def test_atomic_writes_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_json(str(tmp_path / "x.json"), {"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "x.json").st_mode) == 0o600


def test_a_damaged_or_mismatched_cache_is_made_again_not_trusted(tmp_path, learnable):
    files = sorted(os.path.relpath(os.path.join(d, n), learnable) for d, _, ns in os.walk(learnable) for n in ns)
    first = build_cache(str(learnable), files, 38, str(tmp_path / "c"), 0, Quiet(), lambda: False)
    good = np.array(first.array)
    images = os.path.join(first.folder, "images.u8")
    with open(images, "r+b") as f:  # cut short: a memmap of the recorded shape would fail
        f.truncate(os.path.getsize(images) // 2)
    again = build_cache(str(learnable), files, 38, str(tmp_path / "c"), 0, Quiet(), lambda: False)
    assert np.array_equal(np.array(again.array), good)
    index_path = os.path.join(again.folder, "index.json")
    with open(index_path) as f:
        index = json.load(f)
    index["width"] = 10**6  # a planted index: would map a huge array
    with open(index_path, "w") as f:
        json.dump(index, f)
    third = build_cache(str(learnable), files, 38, str(tmp_path / "c"), 0, Quiet(), lambda: False)
    assert third.width == first.width and np.array_equal(np.array(third.array), good)
