"""Weights from anywhere: `import-weights` checks a file against the model and training uses it offline;
a file of another model is refused in plain words; training from scratch needs no weights at all.

Real parts: real timm models' state dicts saved as real .safetensors / .pth files, the real CLI, real
training on CPU with an empty hub cache.
"""
import argparse
import hashlib
import json
import os

import pytest
import torch

from conftest import MODEL, of_type, read_events, run_cli, write_config


def weights_file(path, model_name, fmt="safetensors", nest=None, prefix="", num_classes=1000, seed=0):
    """A real-layout weights file of a freshly initialised timm model (what a user downloads elsewhere)."""
    import timm
    from safetensors.torch import save_file
    torch.manual_seed(seed)
    state = timm.create_model(model_name, pretrained=False, num_classes=num_classes).state_dict()
    state = {prefix + k: v.contiguous() for k, v in state.items()}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if fmt == "safetensors":
        save_file(state, path, metadata={"format": "pt"})
    else:
        torch.save({nest: state} if nest else state, path)
    return state


def last_event(stdout):
    return json.loads(stdout.strip().splitlines()[-1])


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_imported_safetensors_trains_offline_and_the_report_names_it(learnable, tmp_path, cache_dir, event_validator):
    weights = tmp_path / "weights"  # empty: no hub cache at all
    weights.mkdir()
    src = tmp_path / "in" / "my-deit-tiny.safetensors"
    original = weights_file(str(src), MODEL)
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(src), "--weights-dir", str(weights))
    assert code == 0, out
    stored = weights / "imported" / MODEL
    source = json.loads((stored / "source.json").read_text())
    assert source["file"] == "my-deit-tiny.safetensors" and source["sha256"] == sha256(src)
    assert source["format"] == "safetensors" and source["head_dropped"] == ["head.bias", "head.weight"]
    from safetensors.torch import load_file
    kept = load_file(str(stored / "model.safetensors"))
    assert not any(k.startswith("head.") for k in kept) and torch.equal(kept["cls_token"], original["cls_token"])
    assert not (weights / "hub").exists()

    # training finds it, offline, and loads exactly the file's backbone
    from deit_trainer.imported import load_imported
    loaded = load_imported(MODEL, str(stored / "model.safetensors"), num_classes=3, img_size=224)
    assert torch.equal(loaded.blocks[0].attn.qkv.weight, original["blocks.0.attn.qkv.weight"])
    run = tmp_path / "run"
    code, _ = run_cli("train", "--config", write_config(run, learnable, weights, cache_dir, train={"epochs": 1}))
    events = read_events(run)
    assert code == 0 and events[-1]["type"] == "finished"
    for e in events:
        assert not list(event_validator.iter_errors(e)), e
    started = of_type(events, "run_started")[0]
    assert started["recipe"]["weights"] == {"kind": "imported", "file": "my-deit-tiny.safetensors",
                                            "sha256": source["sha256"]}
    assert any("imported weights my-deit-tiny.safetensors" in p["message"] for p in of_type(events, "progress"))
    report = (run / "report.md").read_text()
    assert f"imported file `my-deit-tiny.safetensors` (sha256 `{source['sha256']}`)" in report


def test_a_file_of_another_model_is_refused_in_plain_words(tmp_path):
    weights = tmp_path / "weights"
    weights.mkdir()
    src = tmp_path / "in" / "deit_small.safetensors"
    weights_file(str(src), "deit_small_patch16_224")
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(src), "--weights-dir", str(weights))
    error = last_event(out)
    assert code == 2 and error["type"] == "error" and error["kind"] == "checkpoint_invalid"
    assert error["message"].startswith("deit_small.safetensors does not fit deit_tiny_patch16_224: ")
    assert "cls_token is 1×1×384 in the file but 1×1×192 in this model" in error["message"]
    assert "It fits deit_small_patch16_224" in error["fix"]
    assert "shape differs: blocks.0.attn.qkv.weight: file 1152×384, model 576×192" in error["detail"]
    assert not (weights / "imported").exists()


def test_a_distilled_file_is_refused_for_the_plain_model(tmp_path):
    src = tmp_path / "in" / "distilled.safetensors"
    weights_file(str(src), "deit_tiny_distilled_patch16_224")
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(src), "--weights-dir", str(tmp_path / "w"))
    error = last_event(out)
    assert code == 2 and "does not belong to this model (dist_token)" in error["message"]
    assert "deit_tiny_distilled_patch16_224" in error["fix"]


def test_a_nested_pth_with_another_head_and_ddp_names_is_accepted(tmp_path):
    src = tmp_path / "in" / "finetuned.pth"
    weights_file(str(src), MODEL, fmt="pth", nest="model", prefix="module.", num_classes=10)
    weights = tmp_path / "weights"
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(src), "--weights-dir", str(weights),
                        "--name", "finetuned.pth")
    assert code == 0, out
    source = json.loads((weights / "imported" / MODEL / "source.json").read_text())
    assert source["format"] == "pytorch" and source["sha256"] == sha256(src) and source["tensors"] == 150


def test_a_pth_that_holds_code_or_no_weights_is_refused(tmp_path):
    src = tmp_path / "in" / "checkpoint.pth"
    state = weights_file(str(src), MODEL, fmt="pth")
    torch.save({"model": state, "args": argparse.Namespace(lr=1)}, str(src))  # what DeiT's training script saves
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(src), "--weights-dir", str(tmp_path / "w"))
    assert code == 2 and "holds Python objects besides weights" in last_event(out)["message"]
    other = tmp_path / "in" / "notes.txt"
    other.write_text("hello")
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(other), "--weights-dir", str(tmp_path / "w"))
    assert code == 2 and "is not a weights file" in last_event(out)["message"]
    broken = tmp_path / "in" / "broken.safetensors"
    broken.write_bytes(b"\x00" * 64)
    code, out = run_cli("import-weights", "--model", MODEL, "--file", str(broken), "--weights-dir", str(tmp_path / "w"))
    assert code == 2 and "could not be read as a safetensors weights file" in last_event(out)["message"]


def test_training_from_scratch_needs_no_weights_and_uses_deits_recipe(learnable, tmp_path, cache_dir):
    from deit_trainer.recipe import SCRATCH_WARMUP_EPOCHS, default_lr, warmup_epochs
    assert default_lr(512, False, scratch=True) == pytest.approx(5e-4)  # DeiT's lr at its batch size
    assert default_lr(32, False, scratch=True) == pytest.approx(5e-4 * (32 / 512) ** 0.5)
    assert warmup_epochs(1, True, 300) == SCRATCH_WARMUP_EPOCHS == 5
    assert warmup_epochs(1, True, 6) == pytest.approx(2.0) and warmup_epochs(1, False, 6) == 1
    empty = tmp_path / "no-weights"
    empty.mkdir()
    run = tmp_path / "run"
    cfg = write_config(run, learnable, empty, cache_dir, model={"pretrained": False},
                       train={"epochs": 3, "lr": None, "warmup_epochs": 1})
    code, _ = run_cli("train", "--config", cfg)
    events = read_events(run)
    assert code == 0 and events[-1]["type"] == "finished"
    started = of_type(events, "run_started")[0]
    assert started["recipe"]["weights"] == {"kind": "scratch"}
    assert started["recipe"]["lr"] == pytest.approx(5e-4 * (started["batch_size"] / 512) ** 0.5)
    assert started["recipe"]["warmup_steps"] == round(1.0 * started["steps_per_epoch"])  # a third of 3 epochs
    assert [w["code"] for w in of_type(events, "warning")].count("training_from_scratch") == 1
    assert "none: random initialisation (trained from scratch)" in (run / "report.md").read_text()


def test_hub_weights_are_named_with_their_revision(learnable, tmp_path, weights_dir, cache_dir):
    from deit_trainer.config import validate
    from deit_trainer.model import weights_source
    cfg = validate({"version": 1, "model": {"name": MODEL, "pretrained": True, "init_checkpoint": None,
                                            "weights_dir": str(weights_dir)}})
    source = weights_source(cfg)
    revision = hashlib.sha1(f"fake:{MODEL}:0".encode()).hexdigest()  # make_fake_weights' snapshot
    assert source == {"kind": "hub", "repo": "timm/deit_tiny_patch16_224.fb_in1k", "revision": revision}
