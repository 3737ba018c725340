"""The numbers a researcher quotes: metrics on a hand-computed confusion matrix, the metric that picks
the best epoch, the final evaluation in fp32, export parity on the run's own validation images."""
import json
import os

import numpy as np
import pytest
import torch
from conftest import of_type, read_events, run_cli, write_config
from deit_trainer.checkpoint import load_checkpoint
from deit_trainer.evaluate import (balanced_accuracy, class_scores, classes_without_images, evaluate, macro_f1,
                                   per_class_report, selection_metric, wilson_interval)
from deit_trainer.loader import BatchLoader
from make_dataset import make_learnable

# Rows = true class, columns = predicted. Class c has no validation images (its row is empty) but the
# model predicted it once for an image of a.
#          a  b  c  d
MATRIX = [[8, 1, 1, 0],   # a: 10 images, 8 right
          [2, 5, 0, 1],   # b: 8 images, 5 right
          [0, 0, 0, 0],   # c: none
          [0, 2, 0, 4]]   # d: 6 images, 4 right
CLASSES = ["a", "b", "c", "d"]


def test_balanced_accuracy_and_macro_f1_average_only_classes_with_images():
    # recall: a 8/10, b 5/8, d 4/6 (c has no images: not a zero, not counted)
    assert balanced_accuracy(MATRIX) == pytest.approx((8 / 10 + 5 / 8 + 4 / 6) / 3)
    # precision = right / predicted as the class (column sums a 10, b 8, c 1, d 5):
    #   a 8/10, b 5/8, d 4/5;  F1 = 2PR/(P+R): a 0.8, b 0.625, d 2*(4/5)*(4/6)/(4/5+4/6) = 8/11
    assert macro_f1(MATRIX) == pytest.approx((0.8 + 0.625 + 8 / 11) / 3)
    assert classes_without_images(MATRIX, CLASSES) == ["c"]
    rows = {r["name"]: r for r in per_class_report(MATRIX, CLASSES)}
    assert rows["c"] == {"name": "c", "precision": 0.0, "recall": None, "f1": None, "support": 0}  # 0 of 1 prediction right
    assert rows["d"]["precision"] == pytest.approx(0.8) and rows["d"]["f1"] == pytest.approx(8 / 11)
    assert rows["b"]["support"] == 8
    # a class never predicted and without images: nothing to say about it at all
    assert class_scores([[3, 0], [0, 0]])[1] == (None, None, None, 0)
    assert balanced_accuracy([[0, 0], [0, 0]]) is None and macro_f1([[0, 0], [0, 0]]) is None


def test_wilson_interval_matches_newcombes_published_values():
    # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score, no continuity correction)
    for (k, n), (lo, hi) in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605),
                             (0, 20): (0.0, 0.1611), (1, 29): (0.0061, 0.1718)}.items():
        got = wilson_interval(k, n)
        assert got == pytest.approx([lo, hi], abs=5e-5), (k, n, got)
    assert wilson_interval(20, 20)[1] == 1.0 and wilson_interval(0, 0) is None


def test_the_metric_that_picks_the_best_epoch():
    assert selection_metric([30, 30, 21])[0] == "top1"  # 30/21 = 1.43: balanced enough
    name, why = selection_metric([30, 20])             # 1.5 exactly: still balanced
    assert name == "top1" and "1.5" in why
    name, why = selection_metric([31, 20])
    assert name == "balanced_accuracy" and "1.6×" in why
    assert selection_metric([12, 0])[0] == "balanced_accuracy"


@pytest.mark.parametrize("n_classes", [5, 6])
def test_evaluate_reports_top5_only_with_more_than_5_classes_and_keeps_the_inputs_it_fed(n_classes):
    n, fed = 10, []
    labels = torch.tensor([i % 6 for i in range(n)]) % n_classes
    scores = torch.zeros(n, n_classes)
    scores[torch.arange(n), (labels + 1) % n_classes] = 2.0   # first guess wrong for every image ...
    scores[torch.arange(n), labels] = 1.0                      # ... the right class second
    scores[0, labels[0]] = 3.0                                 # except image 0

    padded = torch.cat([scores, scores[-1:].expand(4, -1)])  # the last batch is padded to 4 images

    def forward(x):
        start = sum(len(b) for b in fed)
        fed.append(x.clone())
        return padded[start:start + len(x)]

    images = (np.arange(n * 8 * 8 * 3).reshape(n, 8, 8, 3) % 251).astype(np.uint8)
    loader = BatchLoader(images, list(range(n)), labels.tolist(), "cpu")
    m = evaluate(forward, loader, 4, 8, n_classes, torch.device("cpu"), "fp32", lambda: False, keep_inputs=6)
    assert m["count"] == n and m["val_top1"] == pytest.approx(1 / n)
    assert m["val_top1_ci"] == pytest.approx(wilson_interval(1, n))
    assert m["val_top5"] == (None if n_classes == 5 else pytest.approx(1.0))
    assert torch.equal(m["inputs"], torch.cat(fed)[:6])  # exactly what validation fed the model


# ---- one real run on an imbalanced dataset, in bf16, with exports ----------------------------------
@pytest.fixture(scope="module")
def imbalanced_run(tmp_path_factory, weights_dir, cache_dir):
    base = tmp_path_factory.mktemp("imbalanced")
    data = base / "data"
    _imbalanced_dataset(data)
    run = base / "run"
    cfg = write_config(run, data, weights_dir, cache_dir,
                       train={"epochs": 3, "lr": 3e-4, "warmup_epochs": 1, "precision": "bf16"},
                       output={"run_dir": str(run), "export": ["torchscript", "onnx"]})
    import deit_trainer.finish as finish
    import deit_trainer.train as train
    seen = {"epoch": [], "final": []}

    def spy(where, real):
        def wrapped(forward, *args, **kwargs):
            def fwd(x):
                seen[where].append((torch.is_autocast_enabled("cpu"), torch.get_float32_matmul_precision()))
                return forward(x)
            return real(fwd, *args, **kwargs)
        return wrapped

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(train, "evaluate", spy("epoch", train.evaluate))
        mp.setattr(finish, "evaluate", spy("final", finish.evaluate))
        code, stdout = run_cli("train", "--config", cfg)
    assert code == 0, stdout[-2000:]
    return {"run": run, "data": data, "events": read_events(run), "seen": seen,
            "metrics": json.loads((run / "eval" / "metrics.json").read_text())}


def _imbalanced_dataset(root):
    make_learnable(str(root), classes=4, per_class=20)
    for cls, keep in (("class_2", 6), ("class_3", 1)):  # a small class, and one with no val image
        for name in sorted(os.listdir(root / cls))[keep:]:
            os.remove(root / cls / name)
    return root


def test_the_selection_metric_picks_best_pt_and_drives_early_stopping(learnable, tmp_path, weights_dir, cache_dir,
                                                                     monkeypatch):
    # Each epoch's real validation, with its two candidate scores replaced by a script in which they disagree.
    import deit_trainer.train as train
    script = iter([(0.5, 0.6), (0.9, 0.4), (0.6, 0.7)])  # (top-1, balanced accuracy) of epochs 1, 2, 3
    real = train.evaluate

    def scripted(*args, **kwargs):
        m = real(*args, **kwargs)
        m["val_top1"], m["val_balanced_accuracy"] = next(script)
        return m

    monkeypatch.setattr(train, "evaluate", scripted)
    balanced = tmp_path / "balanced"  # 3 classes x 16 images: top-1 picks; epoch 2 has the best top-1
    assert run_cli("train", "--config", write_config(balanced, learnable, weights_dir, cache_dir))[0] == 0
    events = read_events(balanced)
    assert of_type(events, "run_started")[0]["selection_metric"] == "top1"
    assert [e["is_best"] for e in of_type(events, "epoch")] == [True, True, False]
    assert load_checkpoint(str(balanced / "checkpoints" / "best.pt"))["epoch"] == 2

    script = iter([(0.5, 0.6), (0.9, 0.4), (0.6, 0.7)])
    imbalanced = tmp_path / "imbalanced"  # balanced accuracy picks: epoch 2 is worse, patience 1 stops there
    cfg = write_config(imbalanced, _imbalanced_dataset(tmp_path / "data"), weights_dir, cache_dir,
                       train={"early_stopping_patience": 1})
    assert run_cli("train", "--config", cfg)[0] == 0
    events = read_events(imbalanced)
    assert [e["is_best"] for e in of_type(events, "epoch")] == [True, False]
    assert events[-1]["early_stopped"] and events[-1]["best_epoch"] == 1 and events[-1]["best_val_top1"] == 0.5
    assert "Val balanced accuracy did not improve" in next(w["message"] for w in of_type(events, "warning")
                                                          if w["code"] == "early_stopped")
    best = load_checkpoint(str(imbalanced / "checkpoints" / "best.pt"))
    assert (best["epoch"], best["selection_metric"], best["score"]) == (1, "balanced_accuracy", 0.6)


def test_imbalanced_classes_pick_the_best_epoch_by_balanced_accuracy(imbalanced_run):
    events, metrics, run = imbalanced_run["events"], imbalanced_run["metrics"], imbalanced_run["run"]
    started = of_type(events, "run_started")[0]
    assert started["selection_metric"] == "balanced_accuracy" and "imbalanced" in started["selection_reason"]
    epochs = of_type(events, "epoch")
    best_so_far = None
    for e in epochs:  # best.pt follows balanced accuracy, not top-1
        assert e["selection_metric"] == "balanced_accuracy"
        assert e["is_best"] == (best_so_far is None or e["val_balanced_accuracy"] > best_so_far)
        best_so_far = max(best_so_far or 0, e["val_balanced_accuracy"])
    best_epoch = [e["epoch"] for e in epochs if e["is_best"]][-1]
    ckpt = load_checkpoint(str(run / "checkpoints" / "best.pt"))
    assert ckpt["epoch"] == best_epoch and ckpt["selection_metric"] == "balanced_accuracy"
    assert metrics["selection_metric"] == "balanced_accuracy" and metrics["best_epoch"] == best_epoch
    report = (run / "report.md").read_text()
    assert "chosen by **balanced accuracy**" in report


def test_final_metrics_json_has_the_headline_numbers_and_lists_classes_without_val(imbalanced_run):
    m = imbalanced_run["metrics"]
    classes, matrix = m["confusion"]["labels"], m["confusion"]["matrix"]
    assert m["classes_without_val"] == ["class_3"]
    row = next(r for r in m["per_class"] if r["name"] == "class_3")
    assert row["support"] == 0 and row["recall"] is None and row["f1"] is None
    n = sum(map(sum, matrix))
    correct = sum(matrix[i][i] for i in range(len(classes)))
    assert m["val_count"] == n and m["val_top1"] == pytest.approx(correct / n)
    lo, hi = m["val_top1_ci"]
    assert 0 <= lo <= m["val_top1"] <= hi <= 1
    recalls = [r[i] / sum(r) for i, r in enumerate(matrix) if sum(r)]
    assert m["val_balanced_accuracy"] == pytest.approx(sum(recalls) / len(recalls))
    assert m["val_top5"] is None  # 4 classes: the right class is always among 5 guesses
    assert m["test"] is None and m["headline"]["split"] == "validation" and "optimistic" in m["headline"]["note"]
    report = (imbalanced_run["run"] / "report.md").read_text()
    assert f"Top-1 on the {n} validation images: {100 * correct / n:.1f} %" in report
    assert "optimistic" in report and "not counted as 0): class_3" in report and "val top-5" not in report


def test_the_final_evaluation_runs_in_full_fp32_while_epochs_validate_in_bf16(imbalanced_run):
    seen = imbalanced_run["seen"]
    assert seen["epoch"] and all(autocast for autocast, _ in seen["epoch"])       # bf16 autocast while training
    assert seen["final"] and all(not autocast and precision == "highest" for autocast, precision in seen["final"])
    assert imbalanced_run["metrics"]["precision"] == "fp32"
    assert imbalanced_run["metrics"]["training_precision"] == "bf16"


def test_export_parity_is_measured_on_the_runs_validation_images(imbalanced_run):
    run, events = imbalanced_run["run"], imbalanced_run["events"]
    parity = json.loads((run / "export" / "parity.json").read_text())
    n_val = imbalanced_run["metrics"]["val_count"]
    assert set(parity) == {"torchscript", "onnx"}
    for fmt, p in parity.items():
        assert p["inputs"] == "validation" and p["images"] == n_val, p
        assert 0 <= p["max_abs_prob_diff"] <= 1e-4 and 0 <= p["max_abs_logit_diff"] <= 1e-3, p
        assert p["top1_agreement"] == 1.0, p
    exported = {e["format"]: e for e in of_type(events, "artifact") if e["kind"] == "export" and e["format"] != "json"}
    for fmt, e in exported.items():
        assert e["parity_max_abs_diff"] == parity[fmt]["max_abs_prob_diff"]
        assert e["parity_top1_agreement"] == 1.0 and e["parity_images"] == n_val
    assert "parity_mismatch" not in {w["code"] for w in of_type(events, "warning")}
    assert "max |Δ logit|" in (run / "report.md").read_text()


def test_export_parity_warns_above_the_limit(tmp_path):
    """A model whose export differs (a dropout left on makes eager and traced outputs disagree) is flagged."""
    from deit_trainer.export import PARITY_WARN, export_model

    class Events:
        def __init__(self):
            self.warnings, self.emitted = [], []

        def progress(self, *a, **k):
            pass

        def warning(self, code, message):
            self.warnings.append((code, message))

        def emit(self, event_type, **fields):
            self.emitted.append((event_type, fields))

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(3 * 8 * 8, 3))
    model.eval = lambda: model.train()  # keep dropout on: every run gives other logits
    events = Events()
    parity = export_model(model, ["a", "b", "c"], 8, str(tmp_path), ["torchscript"], events,
                          inputs=torch.randn(5, 3, 8, 8))
    assert parity["torchscript"]["max_abs_prob_diff"] > PARITY_WARN and parity["torchscript"]["images"] == 5
    assert [code for code, _ in events.warnings] == ["parity_mismatch"]
    assert json.loads((tmp_path / "export" / "parity.json").read_text()) == parity


def test_a_test_split_is_evaluated_once_at_the_end_and_gives_the_headline(tmp_path, weights_dir, cache_dir,
                                                                           monkeypatch):
    import deit_trainer.finish as finish
    import deit_trainer.train as train
    data = tmp_path / "data"
    make_learnable(str(data), classes=3, per_class=16)
    make_learnable(str(data / "test"), classes=3, per_class=5, seed=7)  # test/class_i beside the class folders
    evaluated = []  # (where, images in the loader) of every evaluation

    def spy(where, real):
        def wrapped(forward, loader, *args, **kwargs):
            evaluated.append((where, len(loader)))
            return real(forward, loader, *args, **kwargs)
        return wrapped

    monkeypatch.setattr(train, "evaluate", spy("epoch", train.evaluate))
    monkeypatch.setattr(finish, "evaluate", spy("final", finish.evaluate))
    run = tmp_path / "run"
    assert run_cli("train", "--config", write_config(run, data, weights_dir, cache_dir, train={"epochs": 2}))[0] == 0
    split = json.loads((run / "split.json").read_text())
    n_val, n_test = len(split["val"]), len(split["test"])
    assert n_test == 15 and all(p.startswith("test/") for p, _ in split["test"])
    assert evaluated == [("epoch", n_val), ("epoch", n_val), ("final", n_val), ("final", n_test)]  # test: once, last
    m = json.loads((run / "eval" / "metrics.json").read_text())
    assert m["test"]["count"] == n_test == sum(map(sum, m["test"]["confusion"]["matrix"]))
    matrix = m["test"]["confusion"]["matrix"]
    assert m["test"]["top1"] == pytest.approx(sum(matrix[i][i] for i in range(3)) / n_test)
    assert m["headline"]["split"] == "test" and m["headline"]["top1"] == m["test"]["top1"]
    assert m["val_count"] == n_val  # the validation numbers stay, for what they are
    events = read_events(run)
    assert all("test" not in k for e in of_type(events, "epoch") for k in e)  # never looked at while training
    report = (run / "report.md").read_text()
    assert f"Top-1 on the {n_test} test images: {100 * m['test']['top1']:.1f} %" in report
    assert f"On the {n_val} validation images (used to pick the epoch)" in report
    assert f"{n_test} test images (evaluated once, at the end)" in report and "| class | train | val | test |" in report
