"""Where `predict` classifies: the GPU the app gave it (`--device cuda`), at the run's validated
precision (`--precision`), else the processor in fp32. There is no GPU here: the choice is tested as
functions, the CLI's fallback from an absent GPU end to end, and the autocast wiring on the processor
(CPU autocast in bf16 is real and changes the numbers a little)."""
import csv
import json

import pytest
import timm
import torch
from PIL import Image

from conftest import run_cli
from deit_trainer import predict as predict_module
from deit_trainer.checkpoint import save_checkpoint
from deit_trainer.predict import choose_device, choose_precision


@pytest.fixture
def best_pt(tmp_path):
    torch.manual_seed(0)
    model = timm.create_model("deit_tiny_patch16_224", pretrained=False, num_classes=3, img_size=32)
    path = tmp_path / "best.pt"
    save_checkpoint(str(path), {"epoch": 1, "model_name": "deit_tiny_patch16_224", "classes": ["a", "b", "c"],
                                "img_size": 32, "model": model.state_dict()})
    return path


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "new"
    root.mkdir()
    for i in range(12):
        Image.new("RGB", (40, 30), (i * 20 % 256, 80, 255 - i * 10)).save(root / f"{i:02d}.png")
    return root


def classify(best_pt, folder, out, *extra):
    code, stdout = run_cli("predict", "--checkpoint", str(best_pt), "--input", str(folder), "--output", str(out), *extra)
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return rows, events


def probabilities(rows):
    return [[float(pair.rsplit(":", 1)[1]) for pair in r["top_k"].split(";")] for r in rows]


def test_the_device_is_the_gpu_when_asked_and_visible_else_the_processor_with_a_reason():
    assert choose_device("cuda", True) == (torch.device("cuda"), None)
    device, why = choose_device("cuda", False)
    assert device == torch.device("cpu") and "processor" in why
    assert choose_device("cpu", True) == (torch.device("cpu"), None)


def test_autocast_only_on_the_gpu_and_only_where_the_gpu_can():
    cuda, cpu = torch.device("cuda"), torch.device("cpu")
    assert choose_precision("bf16", cuda, True) == ("bf16", None)
    assert choose_precision("fp16", cuda, False) == ("fp16", None)  # fp16 runs on every CUDA GPU
    precision, why = choose_precision("bf16", cuda, False)
    assert precision == "fp32" and "bf16" in why
    for asked in ("fp32", "bf16", "fp16"):
        assert choose_precision(asked, cpu, True) == ("fp32", None)
    assert choose_precision("fp32", cuda, True) == ("fp32", None)


def test_asked_for_a_gpu_without_one_it_says_so_and_classifies_on_the_processor(best_pt, folder, tmp_path,
                                                                                  event_validator):
    cpu_rows, _ = classify(best_pt, folder, tmp_path / "cpu.csv", "--device", "cpu")
    rows, events = classify(best_pt, folder, tmp_path / "gpu.csv", "--device", "cuda", "--precision", "bf16")
    for e in events:
        assert not list(event_validator.iter_errors(e)), e
    warnings = [e for e in events if e["type"] == "warning"]
    assert [w["code"] for w in warnings] == ["device_fallback"]
    assert "processor" in warnings[0]["message"]
    # On the processor the asked bf16 does not apply: the same fp32 numbers as --device cpu.
    assert [r["predicted"] for r in rows] == [r["predicted"] for r in cpu_rows]
    assert probabilities(rows) == probabilities(cpu_rows)


def test_the_chosen_precision_reaches_autocast(best_pt, folder, tmp_path, monkeypatch):
    """CPU autocast in bf16 stands in for the GPU's: the forward pass runs in the chosen precision."""
    fp32_rows, _ = classify(best_pt, folder, tmp_path / "fp32.csv")
    monkeypatch.setattr(predict_module, "choose_precision", lambda asked, device, ok: (asked, None))
    bf16_rows, _ = classify(best_pt, folder, tmp_path / "bf16.csv", "--precision", "bf16")
    a, b = torch.tensor(probabilities(fp32_rows)), torch.tensor(probabilities(bf16_rows))
    assert a.shape == b.shape == (12, 3)
    diff = (a - b).abs().max().item()
    assert 0 < diff < 0.05, diff  # bf16 rounding moves the probabilities a little, not the picture
