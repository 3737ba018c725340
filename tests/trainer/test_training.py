"""Training end to end on CPU: learning, the run folder, exports, predict, resume, OOM, weights."""
import base64
import csv
import json
import os

import torch
from conftest import (MODEL, assert_valid_stream, of_type, read_events, run_cli, save_fixture, write_config)
from deit_trainer.checkpoint import load_checkpoint
from deit_trainer.config import validate

RUN_FOLDER = ["config.json", "resolved-config.json", "metrics.jsonl", "train.log", "split.json", "skipped.json",
              "checkpoints/last.pt", "checkpoints/best.pt", "eval/metrics.json", "eval/misclassified.json",
              "eval/attention.json", "export/model.torchscript.pt", "export/model.onnx", "export/labels.json", "export/preprocessing.json",
              "export/parity.json", "report.md"]


def untrained_accuracy(run, data):
    """Val top-1 of the model as the trainer builds it before its first step (same seed, same weights)."""
    import timm
    from deit_trainer.augment import eval_batch
    from deit_trainer.decode import decode_row
    from deit_trainer.preprocess import eval_preprocessing
    cfg = json.loads((run / "resolved-config.json").read_text())
    split = json.loads((run / "split.json").read_text())
    torch.manual_seed(cfg["train"]["seed"])
    model = timm.create_model(MODEL, pretrained=True, num_classes=len(split["classes"]), img_size=32,
                              drop_path_rate=cfg["model"]["drop_path"],
                              cache_dir=os.path.join(cfg["model"]["weights_dir"], "hub")).eval()
    prep = eval_preprocessing(MODEL, 32)
    x = torch.stack([torch.from_numpy(decode_row(str(data / p), prep["resize"], None, prep["interpolation"]))
                     for p, _ in split["val"]])
    with torch.no_grad():
        pred = model(eval_batch(x, 32)).argmax(1)
    return (pred == torch.tensor([c for _, c in split["val"]])).float().mean().item()


def test_a_messy_learnable_dataset_trains_and_leaves_a_complete_run_folder(messy_run, event_validator):
    run, data = messy_run["run"], messy_run["data"]
    assert messy_run["code"] == 0, messy_run["stdout"][-2000:]
    for rel in RUN_FOLDER:
        assert (run / rel).is_file(), f"{rel} missing"
    events = read_events(run)
    assert_valid_stream(events, event_validator)
    assert messy_run["stdout"] == (run / "metrics.jsonl").read_text()  # stdout carries exactly the events
    epochs = of_type(events, "epoch")
    assert len(epochs) == 4 and events[-1]["type"] == "finished"
    assert epochs[-1]["train_loss"] < epochs[0]["train_loss"] * 0.8, [e["train_loss"] for e in epochs]
    before = untrained_accuracy(run, data)
    assert epochs[-1]["val_top1"] > 0.8 and epochs[-1]["val_top1"] > before + 0.2, (before, epochs[-1]["val_top1"])
    assert epochs[-1]["val_loss"] < epochs[0]["val_loss"]
    # training accuracy: a share of the images trained on, rising as the model learns
    train_top1 = [e["train_top1"] for e in epochs]
    assert all(0 <= a <= 1 for a in train_top1) and train_top1[-1] > train_top1[0] + 0.2, train_top1
    assert "| train top-1 |" in (run / "report.md").read_text()
    steps = of_type(events, "step")
    assert steps[-1]["global_step"] == steps[-1]["total_steps"]
    # skipped files are reported, in the event and in skipped.json
    skipped = {s["path"] for s in json.loads((run / "skipped.json").read_text())}
    for path, fate in messy_run["fates"].items():
        if fate == "skip":  # the file, or a hidden folder holding it
            assert path in skipped or any(path.startswith(s + "/") for s in skipped), path
    assert {f["path"] for f in of_type(events, "files_skipped")[0]["files"]} == skipped
    # one left-out count everywhere: the event's total, train.log, report.md (and the app's scan, tests/unit)
    n = len(json.loads((run / "skipped.json").read_text()))
    assert of_type(events, "files_skipped")[0]["total"] == n
    assert f"{n} files are left out" in (run / "train.log").read_text()
    report = (run / "report.md").read_text()
    assert f"{n} files left out (`skipped.json`)" in report
    assert report.startswith(f"# Training {MODEL} on ") and "# Run run" not in report
    # eval artifacts per docs/run-folder.md
    metrics = json.loads((run / "eval" / "metrics.json").read_text())
    assert metrics["confusion"]["labels"] == of_type(events, "run_started")[0]["dataset"]["classes"]
    assert sum(map(sum, metrics["confusion"]["matrix"])) == of_type(events, "run_started")[0]["dataset"]["val_count"]
    assert {"name", "precision", "recall", "f1", "support"} <= set(metrics["per_class"][0])
    for wrong in json.loads((run / "eval" / "misclassified.json").read_text()):
        assert (data / wrong["path"]).exists() and wrong["true"] != wrong["predicted"]
    # attention maps (issue 21): exactly the listed mistakes, on the model's 2x2 patch grid (32 px / 16 px)
    wrong = [w["path"] for w in json.loads((run / "eval" / "misclassified.json").read_text())]
    maps = json.loads((run / "eval" / "attention.json").read_text())["maps"]
    assert sorted(maps) == sorted(wrong)
    assert all(m["grid"] == [2, 2] and len(base64.b64decode(m["cls"])) == 4 for m in maps.values())
    prep = json.loads((run / "export" / "preprocessing.json").read_text())  # the centre crop the model saw
    assert all(m["crop"] == round(prep["img_size"] / prep["resize"], 4) < 1 for m in maps.values())
    resolved = json.loads((run / "resolved-config.json").read_text())
    assert resolved["train"]["batch_size"] == 16 and resolved["train"]["precision"] == "fp32"
    started = of_type(events, "run_started")[0]
    spe = -(-started["dataset"]["train_count"] // 16)  # every training image, every epoch
    assert started["steps_per_epoch"] == spe and started["total_steps"] == 4 * spe == steps[-1]["global_step"]
    assert resolved["resolved"] == {"reason": "config", "limit": "config", "why": "Batch size 16: set in the settings.",
                                    "batch_size": 16, "steps_per_epoch": spe, "total_steps": 4 * spe}
    assert validate(resolved).to_dict()["train"] == resolved["train"]  # still a valid config file
    assert f"{spe} optimizer steps per epoch" in (run / "report.md").read_text()
    split = json.loads((run / "split.json").read_text())
    assert split["seed"] == 0 and split["layout"] == "class-folders" and split["train"]
    assert "## Recipe" in (run / "report.md").read_text()
    save_fixture("finished-run.jsonl", events, messy_run["base"])
    cut = next(i for i, e in enumerate(events) if e["type"] == "epoch")
    save_fixture("skipped-files.jsonl", events[:cut + 1], messy_run["base"])


def test_exports_match_eager_outputs(messy_run):
    run = messy_run["run"]
    parity = json.loads((run / "export" / "parity.json").read_text())  # on the run's validation images
    for fmt in ("torchscript", "onnx"):
        assert parity[fmt] is not None and parity[fmt]["inputs"] == "validation", parity
        assert parity[fmt]["max_abs_prob_diff"] <= 1e-4 and parity[fmt]["top1_agreement"] == 1.0, parity
    # check again here, independently, on other inputs
    import timm
    import onnxruntime
    best = load_checkpoint(str(run / "checkpoints" / "best.pt"))
    model = timm.create_model(MODEL, num_classes=len(best["classes"]), img_size=32).eval()
    model.load_state_dict(best["model"])
    x = torch.randn(3, 3, 32, 32, generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        eager = model(x).softmax(1)
        ts = torch.jit.load(str(run / "export" / "model.torchscript.pt"))(x).softmax(1)
    ort = onnxruntime.InferenceSession(str(run / "export" / "model.onnx"), providers=["CPUExecutionProvider"])
    onnx = torch.from_numpy(ort.run(None, {"image": x.numpy()})[0]).softmax(1)
    assert (ts - eager).abs().max() <= 1e-4 and (onnx - eager).abs().max() <= 1e-4
    assert json.loads((run / "export" / "labels.json").read_text()) == best["classes"]
    prep = json.loads((run / "export" / "preprocessing.json").read_text())
    assert prep["img_size"] == 32 and len(prep["mean"]) == 3


def test_predict_writes_a_csv_for_a_folder(messy_run, tmp_path):
    out = tmp_path / "pred.csv"
    code, _ = run_cli("predict", "--run", str(messy_run["run"]), "--input", str(messy_run["data"] / "class_1"),
                      "--output", str(out))
    rows = list(csv.DictReader(out.open()))
    assert code == 0 and len(rows) >= 10
    good = [r for r in rows if not r["error"]]
    assert sum(r["predicted"] == "class_1" for r in good) >= 0.8 * len(good)
    assert all(0 <= float(r["confidence"]) <= 1 for r in good)
    maps = json.loads((tmp_path / "pred.attention.json").read_text())["maps"]  # beside the CSV, one per image
    assert sorted(maps) == sorted(r["path"] for r in good)
    assert all(m["grid"] == [2, 2] and len(base64.b64decode(m["cls"])) == 4 for m in maps.values())


def test_resume_after_a_stop_gives_the_same_metrics_as_an_uninterrupted_run(learnable, tmp_path, weights_dir,
                                                                          cache_dir, monkeypatch, event_validator):
    settings = dict(train={"epochs": 2, "augment": "standard", "ema": True}, model={"drop_path": 0.1})
    ref = tmp_path / "ref"
    assert run_cli("train", "--config", write_config(ref, learnable, weights_dir, cache_dir, **settings))[0] == 0
    stopped = tmp_path / "run"
    cfg = write_config(stopped, learnable, weights_dir, cache_dir, **settings)
    monkeypatch.setenv("DEIT_TRAINER_FAULT", "stop_at_step:5")  # mid epoch 2 (3 steps per epoch: 39 images / 16)
    assert run_cli("train", "--config", cfg)[0] == 0
    first = read_events(stopped)
    assert first[-1]["type"] == "stopped" and first[-1]["resumable"] and first[-1]["global_step"] == 5
    monkeypatch.delenv("DEIT_TRAINER_FAULT")
    assert run_cli("train", "--config", cfg, "--resume")[0] == 0
    events = read_events(stopped)
    assert_valid_stream(events, event_validator)
    assert of_type(events, "run_started")[-1]["resumed"] and of_type(events, "run_started")[-1]["start_epoch"] == 2
    keys = ("train_loss", "train_top1", "val_loss", "val_top1", "val_balanced_accuracy")
    got = [[e[k] for k in keys] for e in of_type(events, "epoch")]
    want = [[e[k] for k in keys] for e in of_type(read_events(ref), "epoch")]
    assert len(got) == len(want) == 2
    for g, w in zip(got, want):
        assert all(abs(a - b) <= 1e-6 for a, b in zip(g, w)), (got, want)
    save_fixture("stopped-resumed.jsonl", events, tmp_path)


def test_out_of_memory_mid_run_halves_the_batch_and_goes_on(learnable, tmp_path, weights_dir, cache_dir, monkeypatch,
                                                             event_validator):
    run = tmp_path / "run"
    monkeypatch.setenv("DEIT_TRAINER_FAULT", "oom_at_step:2")
    code, _ = run_cli("train", "--config", write_config(run, learnable, weights_dir, cache_dir,
                                                        train={"epochs": 2, "batch_size": "auto"}))
    events = read_events(run)
    sizes = of_type(events, "batch_size")
    assert code == 0 and events[-1]["type"] == "finished"
    assert_valid_stream(events, event_validator)
    started = of_type(events, "run_started")[0]
    n = started["dataset"]["train_count"]  # 39: 13 of each class's 16
    # auto on a few dozen training images: 16, the smallest automatic batch (batching.py), then halved
    assert [(s["batch_size"], s["reason"], s["limit"]) for s in sizes] == [(16, "auto", "min_batch"),
                                                                            (8, "out_of_memory", "memory")]
    assert started["batch"]["why"] == sizes[0]["why"] and started["steps_per_epoch"] == -(-n // 16)
    assert of_type(events, "step")[-1]["steps_per_epoch"] == -(-n // 8)  # no image left out
    # epoch img/s counts the images seen: each epoch's n, whatever the batch size (epoch 1: 16, then 8s)
    for e in of_type(events, "epoch"):
        assert abs(e["img_per_s"] * e["duration_s"] - n) <= 0.01 * n, (e, n)
    resolved = json.loads((run / "resolved-config.json").read_text())
    assert resolved["train"]["batch_size"] == 8
    assert resolved["resolved"]["reason"] == "out_of_memory" and resolved["resolved"]["steps_per_epoch"] == -(-n // 8)
    save_fixture("oom-stepdown.jsonl", events, tmp_path)


def test_missing_pretrained_weights_is_a_typed_error(learnable, tmp_path, cache_dir):
    run = tmp_path / "run"
    empty = tmp_path / "no-weights"
    empty.mkdir()
    code, _ = run_cli("train", "--config", write_config(run, learnable, empty, cache_dir))
    error = read_events(run)[-1]
    assert code == 4 and error["kind"] == "weights_missing" and "fetch-weights" in error["fix"]


def test_fetch_weights_finds_cached_weights_and_fails_cleanly_offline(weights_dir, tmp_path):
    code, out = run_cli("fetch-weights", "--model", MODEL, "--weights-dir", weights_dir)
    assert code == 0 and "already in the cache" in out
    code, out = run_cli("fetch-weights", "--model", "deit_small_patch16_224", "--weights-dir", str(tmp_path))
    last = json.loads(out.strip().splitlines()[-1])
    assert code == 4 and last["type"] == "error" and last["kind"] == "weights_missing"


def test_init_from_an_earlier_checkpoint_and_frozen_backbone(messy_run, learnable, tmp_path, weights_dir, cache_dir):
    run = tmp_path / "run"
    cfg = write_config(run, learnable, weights_dir, cache_dir, train={"epochs": 1},
                       model={"init_checkpoint": str(messy_run["run"] / "checkpoints" / "best.pt"),
                              "freeze_backbone": True})
    assert run_cli("train", "--config", cfg)[0] == 0
    events = read_events(run)
    assert [w["code"] for w in of_type(events, "warning")].count("init_head_reset") == 1
    last = load_checkpoint(str(run / "checkpoints" / "last.pt"))
    start = load_checkpoint(str(messy_run["run"] / "checkpoints" / "best.pt"))
    key = "blocks.0.attn.qkv.weight"
    assert torch.equal(last["model"][key], start["model"][key])  # frozen and loaded from the earlier run


def test_validation_runs_in_eval_mode_so_each_epoch_score_is_the_best_models_score(learnable, tmp_path, weights_dir,
                                                                                 cache_dir):
    # A high drop path makes a forward pass in training mode random: the per-epoch validation (which picks
    # best.pt and drives early stopping) must score exactly what the final evaluation of best.pt scores.
    run = tmp_path / "run"
    cfg = write_config(run, learnable, weights_dir, cache_dir, train={"epochs": 2}, model={"drop_path": 0.5})
    assert run_cli("train", "--config", cfg)[0] == 0
    best = [e for e in of_type(read_events(run), "epoch") if e["is_best"]][-1]
    with open(run / "eval" / "metrics.json") as f:
        final = json.load(f)
    for key in ("val_loss", "val_top1", "val_balanced_accuracy"):
        assert abs(best[key] - final[key]) <= 1e-6, (key, best[key], final[key])
