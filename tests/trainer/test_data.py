"""The data layer: every bad-file kind skipped and reported, typed dataset errors, split, cache."""
import json
import os

import numpy as np
import pytest
from PIL import Image
from conftest import run_cli, write_config
from deit_trainer.cache import build_cache
from deit_trainer.dataset import finish_dataset, scan_dataset, stratified_split
from deit_trainer.decode import BadImage, decode_row, read_header
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
        row = decode_row(str(p), 24)
        assert row.shape == (25, 48, 3) and row.dtype == np.uint8 and read_header(row) == (24, 48, False)
        assert 20 < row[:24].mean() < 240, mode  # 16-bit scaled to 8-bit, not clipped white/black
    with pytest.raises(BadImage):
        decode_row(str(tmp_path / "missing.png"), 24)


def test_split_is_seeded_stratified_and_the_split_layout_is_honoured(tmp_path):
    files = {"a": [f"a/{i}.jpg" for i in range(2000)], "b": [f"b/{i}.jpg" for i in range(1000)]}
    t1, v1, e1 = stratified_split(files, ["a", "b"], 0.2, seed=7)
    t2, v2, e2 = stratified_split(files, ["a", "b"], 0.2, seed=7)
    t3, v3, _ = stratified_split(files, ["a", "b"], 0.2, seed=8)
    assert (t1, v1) == (t2, v2) and v1 != v3 and e1 == e2 == []
    assert 360 < sum(c == 0 for _, c in v1) < 440 and 170 < sum(c == 1 for _, c in v1) < 230  # about 20 % per class
    assert not {p for p, _ in t1} & {p for p, _ in v1} and len(t1) + len(v1) == 3000
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
    assert np.array_equal(np.asarray(c1.array[3]), decode_row(os.path.join(root, files[3]), 38, c1.width))
    os.utime(os.path.join(root, files[0]), ns=(1, 1))
    c3 = build_cache(str(root), files, 38, str(tmp_path / "cache"), 0, rec, lambda: False)
    assert c3.folder != c1.folder
    assert len(os.listdir(tmp_path / "cache" / "decoded")) == 2  # no temp folders left behind


def parts_of(train, val, test=()):
    return {**{p: "train" for p, _ in train}, **{p: "val" for p, _ in val}, **{p: "test" for p, _ in test}}


@pytest.mark.parametrize("test_ratio", [0.0, 0.15])
def test_adding_or_removing_files_moves_no_other_file(test_ratio):
    files = {"a": [f"a/{i}.jpg" for i in range(60)], "b": [f"b/x/{i}.png" for i in range(40)]}
    before = parts_of(*stratified_split(files, ["a", "b"], 0.2, 3, test_ratio))
    assert {"train", "val"} <= set(before.values()) and ("test" in before.values()) == (test_ratio > 0)
    grown = {"a": files["a"] + [f"a/new/{i}.jpg" for i in range(45)], "b": files["b"] + ["b/0.jpg"]}
    after = parts_of(*stratified_split(grown, ["a", "b"], 0.2, 3, test_ratio))
    assert all(after[p] == part for p, part in before.items())  # every old file keeps its part
    shrunk = {"a": files["a"][::3], "b": files["b"][5:]}
    left = parts_of(*stratified_split(shrunk, ["a", "b"], 0.2, 3, test_ratio))
    assert all(before[p] == part for p, part in left.items())
    # the draw depends on the path inside the class folder, not on the dataset's location or listing order
    again = parts_of(*stratified_split({"a": files["a"][::-1], "b": files["b"]}, ["a", "b"], 0.2, 3, test_ratio))
    assert again == before


def test_small_classes_get_a_val_image_and_keep_a_train_image():
    files = {"one": ["one/0.jpg"], "two": ["two/0.jpg", "two/1.jpg"], "three": [f"three/{i}.jpg" for i in range(3)]}
    for seed in range(20):
        train, val, test = stratified_split(files, ["one", "three", "two"], 0.2, seed, 0.2)
        per = lambda items, c: sum(k == c for _, k in items)
        assert (per(train, 0), per(val, 0), per(test, 0)) == (1, 0, 0)  # a single image trains
        assert per(train, 2) == 1 and per(val, 2) == 1                   # the guard: one val image
        assert per(train, 1) >= 1 and per(val, 1) >= 1 and per(test, 1) >= 1


def test_test_split_from_a_test_folder_beside_the_class_folders(tmp_path):
    root = tmp_path / "data"
    make_learnable(str(root), classes=2, per_class=8)
    make_learnable(str(root / "test"), classes=2, per_class=3, seed=5)
    make_learnable(str(root / "test" / "zebra"), classes=1, per_class=1, seed=6)  # no such class
    data, _, rec = prepare(root, tmp_path / "cache")
    assert data.classes == ["class_0", "class_1"]  # test/ is not a class
    assert len(data.test) == 6 and all(p.startswith("test/class_") for p, _ in data.test)
    assert [c for _, c in data.test] == [0, 0, 0, 1, 1, 1]
    split = {p for p, _ in data.train} | {p for p, _ in data.val}
    assert not split & {p for p, _ in data.test} and len(split) == 16
    assert "test_class_unknown" in rec.warnings and "test/zebra" in dict(data.skipped)
    assert data.split_json()["test"] == [list(x) for x in data.test]
    # a folder named test without folders named like the classes is an ordinary class
    other = tmp_path / "other"
    make_learnable(str(other), classes=2, per_class=4, names=["test", "prod"])
    data, _, _ = prepare(other, tmp_path / "cache")
    assert data.classes == ["prod", "test"] and data.test == []


def test_test_split_from_a_test_folder_in_the_split_layout_and_from_test_ratio(tmp_path):
    root = tmp_path / "split"
    make_learnable(str(root), classes=2, per_class=8, layout="split")
    make_learnable(str(root / "Test"), classes=2, per_class=2, seed=3)
    data, _, _ = prepare(root, tmp_path / "cache")
    assert data.layout == "split" and len(data.test) == 4 and all(p.startswith("Test/") for p, _ in data.test)
    flat = tmp_path / "flat"
    make_learnable(str(flat), classes=2, per_class=40)
    scan = scan_dataset(str(flat))
    rec = Recorder()
    cache = build_cache(str(flat), scan.candidates(), 38, str(tmp_path / "cache"), 0, rec, lambda: False)
    data = finish_dataset(scan, cache.bad, 0.2, 0, rec.warning, test_ratio=0.25)
    parts = [{p for p, _ in items} for items in (data.train, data.val, data.test)]
    assert all(parts) and sum(map(len, parts)) == 80 and len(set.union(*parts)) == 80  # disjoint, complete
    assert 8 <= len(data.test) <= 35 and data.split_json()["test_ratio"] == 0.25


def test_the_cache_key_changes_with_the_format(tmp_path, monkeypatch):
    from deit_trainer import cache
    root = tmp_path / "data"
    make_learnable(str(root), classes=2, per_class=2)
    files = scan_dataset(str(root)).candidates()
    key = cache.cache_key(str(root), files, 38)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    assert cache.cache_key(str(root), files, 38) != key
    assert cache.cache_key(str(root), files, 38, "bilinear") != cache.cache_key(str(root), files, 38, "bicubic")


def test_a_run_started_from_an_earlier_checkpoint_keeps_that_runs_split(tmp_path):
    from deit_trainer.checkpoint import save_checkpoint
    from deit_trainer.config import validate
    from deit_trainer.prepare import prepare_data
    from make_dataset import learnable_image

    class Events(Recorder):
        def __init__(self):
            super().__init__()
            self.messages = {}

        def warning(self, code, message):
            super().warning(code, message)
            self.messages[code] = message

        def emit(self, *a, **k):
            pass

    root = tmp_path / "data"
    make_learnable(str(root), classes=2, per_class=30)

    def config(run, **data):
        return validate({"version": 1, "model": {"name": "deit_tiny_patch16_224", "img_size": 32, **data.pop("model", {})},
                         "data": {"root": str(root), "cache_dir": str(tmp_path / "cache"), "num_workers": 0, **data},
                         "output": {"run_dir": str(tmp_path / run)}})

    first = prepare_data(config("r1"), Events(), lambda: False).dataset
    save_checkpoint(str(tmp_path / "best.pt"), {"split": first.split_record()})
    rng = np.random.default_rng(9)
    for i in range(10):
        learnable_image(0, rng).save(root / "class_0" / f"new_{i}.png")
    os.remove(root / "class_1" / "img_000.png")
    ev = Events()  # another seed and ratio: the rule alone would move many files
    second = prepare_data(config("r2", split_seed=5, val_ratio=0.4, model={"init_checkpoint": str(tmp_path / "best.pt")}),
                          ev, lambda: False).dataset
    old, new = first.parts(), second.parts()
    assert all(new[p] == part for p, part in old.items() if p in new)
    assert len(new) == len(old) + 9 and second.split_from == str(tmp_path / "best.pt")
    assert "split_reused" in ev.warnings and "10 new images" in ev.messages["split_reused"]
    saved = json.loads((tmp_path / "r2" / "split.json").read_text())
    assert saved["split_from"] == str(tmp_path / "best.pt") and saved["val"] == [list(x) for x in second.val]
    # without the split recorded (an older checkpoint) it says so and follows the rule
    save_checkpoint(str(tmp_path / "old.pt"), {"model": {}})
    ev = Events()
    prepare_data(config("r3", model={"init_checkpoint": str(tmp_path / "old.pt")}), ev, lambda: False)
    assert "split_not_reused" in ev.warnings
