"""The data layer: every bad-file kind skipped and reported, typed dataset errors, split, cache."""
import json
import os

import numpy as np
import pytest
from PIL import Image
from conftest import run_cli, write_config
from deit_trainer.cache import build_cache
from deit_trainer.dataset import finish_dataset, scan_dataset, stratified_split
from deit_trainer.decode import BadImage, decode_square
from deit_trainer.errors import TrainerError
from make_dataset import add_messy_files, make_learnable


class Recorder:
    def __init__(self):
        self.events, self.warnings = [], []

    def progress(self, *a, **k):
        self.events.append(("progress", a, k))

    def warning(self, code, message):
        self.warnings.append(code)


def prepare(root, cache_dir, workers=0):
    rec = Recorder()
    scan = scan_dataset(str(root))
    cache = build_cache(str(root), scan.candidates(), 38, str(cache_dir), workers, rec, lambda: False)
    return finish_dataset(scan, cache.bad, 0.25, 0, rec.warning), cache, rec


def test_every_bad_file_kind_is_skipped_with_a_reason_and_good_odd_files_are_used(tmp_path):
    root = tmp_path / "data"
    make_learnable(str(root), classes=2, per_class=8)
    fates = add_messy_files(str(root))
    before = {p: os.stat(os.path.join(root, p), follow_symlinks=False).st_mtime_ns
              for p in fates if os.path.lexists(os.path.join(root, p))}
    data, cache, rec = prepare(root, tmp_path / "cache", workers=2)
    skipped = dict(data.skipped)
    used = {p for p, _ in data.train + data.val}
    for path, fate in fates.items():
        if fate == "skip":
            assert path in skipped or any(path.startswith(s + "/") for s in skipped), f"{path} not skipped"
        else:
            assert path in used, f"{path} should be used ({skipped.get(path)})"
    assert "hidden" in skipped["class_0/.DS_Store"] and "hidden" in skipped[".hidden_class"]
    assert "extension .txt" in skipped["class_0/notes.txt"]
    assert "truncated" in skipped["class_0/truncated.jpg"]
    assert "not a readable image" in skipped["class_0/fake.jpg"]
    assert "too large" in skipped["class_0/bomb.png"]
    assert "empty file" in skipped["class_0/empty.png"]
    assert "outside the dataset" in skipped["class_0/link_outside.jpg"]
    assert "not inside a class folder" in skipped["stray_file.jpg"]
    assert "without usable images" in skipped["empty_class"]
    assert data.classes == ["class_0", "class_1", "one_image_class"]
    assert {"class_without_images", "class_one_image", "class_no_val"} <= set(rec.warnings)
    after = {p: os.stat(os.path.join(root, p), follow_symlinks=False).st_mtime_ns for p in before}
    assert after == before  # the dataset is never written to
    assert any(k == "progress" for k, _, _ in rec.events)


def test_exif_rotation_and_odd_modes_decode_to_rgb(tmp_path):
    from make_dataset import learnable_image
    good = learnable_image(0, np.random.default_rng(0), (60, 30))  # landscape, 2:1
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "r.jpg"
    good.save(path, exif=exif)
    upright = Image.open(path)
    from deit_trainer.decode import load_rgb
    assert load_rgb(str(path)).size == (30, 60)  # rotated to portrait
    assert upright.size == (60, 30)
    for mode in ("L", "RGBA", "P", "CMYK", "I;16"):
        im = good.convert(mode) if mode != "I;16" else Image.fromarray(
            np.asarray(good.convert("L"), dtype=np.uint16) * 257, "I;16")
        p = tmp_path / f"m_{mode.replace(';', '')}.{'jpg' if mode == 'CMYK' else 'png'}"
        im.save(p)
        arr = decode_square(str(p), 24)
        assert arr.shape == (24, 24, 3) and arr.dtype == np.uint8
        assert 20 < arr.mean() < 240, mode  # 16-bit scaled to 8-bit, not clipped white/black
    with pytest.raises(BadImage):
        decode_square(str(tmp_path / "missing.png"), 24)


def test_split_is_seeded_stratified_and_the_split_layout_is_honoured(tmp_path):
    files = {"a": [f"a/{i}.jpg" for i in range(20)], "b": [f"b/{i}.jpg" for i in range(10)]}
    t1, v1 = stratified_split(files, ["a", "b"], 0.2, seed=7)
    t2, v2 = stratified_split(files, ["a", "b"], 0.2, seed=7)
    t3, v3 = stratified_split(files, ["a", "b"], 0.2, seed=8)
    assert (t1, v1) == (t2, v2) and v1 != v3
    assert sum(c == 0 for _, c in v1) == 4 and sum(c == 1 for _, c in v1) == 2
    assert not {p for p, _ in t1} & {p for p, _ in v1}
    root = tmp_path / "split"
    make_learnable(str(root), classes=2, per_class=8, layout="split")
    data, _, _ = prepare(root, tmp_path / "cache")
    assert data.layout == "split" and all(p.startswith("val/") for p, _ in data.val)
    assert len(data.val) == 4 and len(data.train) == 12


@pytest.mark.parametrize("layout, kind, code", [
    ("missing", "dataset_not_found", 3), ("empty", "dataset_empty", 3), ("junk", "dataset_empty", 3),
    ("one", "dataset_one_class", 3)])
def test_unusable_datasets_are_typed_errors(tmp_path, weights_dir, layout, kind, code):
    data = tmp_path / "data"
    if layout != "missing":
        data.mkdir()
    if layout == "junk":
        (data / "a").mkdir()
        (data / "a" / "x.txt").write_text("no")
    if layout == "one":
        make_learnable(str(data), classes=1, per_class=4)
    run = tmp_path / "run"
    code_, _ = run_cli("train", "--config", write_config(run, data, weights_dir, tmp_path / "cache"))
    from conftest import read_events, save_fixture
    events = read_events(run)
    assert code_ == code and events[-1]["type"] == "error" and events[-1]["kind"] == kind
    assert events[-1]["message"] and events[-1]["fix"]
    if layout == "one":
        save_fixture("dataset-error.jsonl", events, tmp_path)


def test_cache_is_shared_between_runs_and_keyed_by_file_identity(tmp_path):
    root = tmp_path / "data"
    make_learnable(str(root), classes=2, per_class=4)
    files = scan_dataset(str(root)).candidates()
    rec = Recorder()
    c1 = build_cache(str(root), files, 38, str(tmp_path / "cache"), 0, rec, lambda: False)
    c2 = build_cache(str(root), files, 38, str(tmp_path / "cache"), 0, rec, lambda: False)
    assert c1.folder == c2.folder and "found" in rec.events[-1][1][3]
    assert np.array_equal(np.asarray(c1.array[3]), decode_square(os.path.join(root, files[3]), 38))
    os.utime(os.path.join(root, files[0]), ns=(1, 1))
    c3 = build_cache(str(root), files, 38, str(tmp_path / "cache"), 0, rec, lambda: False)
    assert c3.folder != c1.folder
    assert len(os.listdir(tmp_path / "cache" / "decoded")) == 2  # no temp folders left behind
