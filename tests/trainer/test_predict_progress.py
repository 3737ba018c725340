"""`predict` reports its progress (phase `predict`) while it classifies a folder, and never leaves a partial CSV."""
import csv
import io
import json

import pytest
import timm
from PIL import Image

from conftest import run_cli
from deit_trainer import predict as predict_module
from deit_trainer.checkpoint import save_checkpoint

IMAGES = 70  # three batches of 32


@pytest.fixture
def best_pt(tmp_path):
    """A best.pt as the trainer saves it (untrained weights: only the counting matters here)."""
    model = timm.create_model("deit_tiny_patch16_224", pretrained=False, num_classes=2, img_size=32)
    path = tmp_path / "best.pt"
    save_checkpoint(str(path), {"epoch": 1, "model_name": "deit_tiny_patch16_224", "classes": ["cat", "dog"],
                                "img_size": 32, "model": model.state_dict()})
    return path


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "new"
    (root / "sub").mkdir(parents=True)
    for i in range(IMAGES):
        Image.new("RGB", (40, 30), (i * 3 % 256, 80, 160)).save(root / ("sub" if i % 2 else ".") / f"{i:03d}.png")
    (root / "damaged.jpg").write_bytes(b"not really a JPEG")
    return root


def events_of(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_progress_counts_every_file_from_zero_to_the_total(best_pt, folder, tmp_path, monkeypatch, event_validator):
    monkeypatch.setattr(predict_module, "PROGRESS_EVERY_S", 0.0)  # one event per batch, whatever the speed
    out = tmp_path / "out" / "p.csv"
    out.parent.mkdir()
    code, stdout = run_cli("predict", "--checkpoint", str(best_pt), "--input", str(folder), "--output", str(out))
    assert code == 0
    events = events_of(stdout)
    for e in events:
        assert not list(event_validator.iter_errors(e)), e
    progress = [e for e in events if e["type"] == "progress"]
    assert {e["phase"] for e in progress} == {"predict"}
    total = IMAGES + 1  # the damaged file is counted (a row with its error), like every other file
    assert all(e["total"] == total for e in progress)
    done = [e["done"] for e in progress]
    assert done[0] == 0 and done[-1] == total
    assert done == sorted(done) and 32 in done and 64 in done
    assert progress[0]["eta_s"] is None and progress[-1]["eta_s"] == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == total
    assert sorted(p.name for p in out.parent.iterdir()) == ["p.attention.json", "p.csv"]  # the .tmp was renamed


def test_a_stopped_classification_leaves_only_the_temp_file(best_pt, folder, tmp_path, monkeypatch):
    out = tmp_path / "out" / "p.csv"
    out.parent.mkdir()
    calls = []

    def stop_after_first_batch(self, done, force=False):
        calls.append(done)
        if done > 0:
            raise KeyboardInterrupt  # what a stopped container amounts to: the process ends mid-way

    monkeypatch.setattr(predict_module._Progress, "send", stop_after_first_batch)
    with pytest.raises(KeyboardInterrupt):
        run_cli("predict", "--checkpoint", str(best_pt), "--input", str(folder), "--output", str(out))
    assert calls == [0, 0, 32]
    assert sorted(p.name for p in out.parent.iterdir()) == ["p.csv.tmp"]  # the app deletes it; no p.csv


def test_csv_on_stdout_keeps_stdout_for_the_csv(best_pt, folder, capsys):
    code, stdout = run_cli("predict", "--checkpoint", str(best_pt), "--input", str(folder))
    assert code == 0
    rows = list(csv.reader(io.StringIO(stdout)))
    assert rows[0] == ["path", "predicted", "confidence", "top_k", "error"] and len(rows) == IMAGES + 2
    progress = [e for e in events_of(capsys.readouterr().err) if e["type"] == "progress"]
    assert progress and progress[-1]["done"] == IMAGES + 1


def test_attention_maps_cover_the_first_images_only(best_pt, folder, tmp_path, monkeypatch):
    monkeypatch.setattr(predict_module, "ATTENTION_CAP", 40)  # the cap (200) as a smaller number: same code path
    out = tmp_path / "p.csv"
    code, _ = run_cli("predict", "--checkpoint", str(best_pt), "--input", str(folder), "--output", str(out))
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    maps = json.loads((tmp_path / "p.attention.json").read_text())["maps"]
    listed = predict_module.list_images(str(folder))[:40]  # the folder's first images, in listing order
    first = [p for p in listed if not p.endswith("damaged.jpg")]  # the damaged file gets a row but no map
    assert len(rows) == IMAGES + 1 and sorted(maps) == sorted(first) and len(maps) == 39
    assert all(m["grid"] == [2, 2] and "dist" not in m for m in maps.values())
    assert all(0.5 < m["crop"] < 1 for m in maps.values())  # img_size / eval resize: where the map goes


def test_a_distilled_model_gets_a_map_for_each_token(tmp_path, folder):
    out = tmp_path / "d.csv"
    model = timm.create_model("deit_tiny_distilled_patch16_224", pretrained=False, num_classes=2, img_size=32)
    best = tmp_path / "distilled.pt"
    save_checkpoint(str(best), {"epoch": 1, "model_name": "deit_tiny_distilled_patch16_224", "classes": ["cat", "dog"],
                                "img_size": 32, "model": model.state_dict()})
    assert run_cli("predict", "--checkpoint", str(best), "--input", str(folder), "--output", str(out))[0] == 0
    maps = json.loads((tmp_path / "d.attention.json").read_text())["maps"]
    assert len(maps) == IMAGES and all(set(m) == {"grid", "cls", "dist", "crop"} for m in maps.values())
