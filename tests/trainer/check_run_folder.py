"""Check that a run folder is complete (docs/run-folder.md) and its events validate (tests, CI).

Usage: python tests/trainer/check_run_folder.py RUN_DIR [--schema docker/protocol/events.schema.json]
Exit 0 and one line "run folder ok: ..." when complete; exit 1 listing what is missing or invalid.
Also: everything the trainer wrote is private (files 0600, folders 0700; config.json and the folder
itself are the caller's), and its decoded images are in the run's own .cache/ (never a shared folder).
"""
import argparse
import json
import os
import stat
import sys

import jsonschema

REQUIRED = ["config.json", "resolved-config.json", "metrics.jsonl", "train.log", "split.json", "skipped.json",
            "checkpoints/last.pt", "checkpoints/best.pt", "eval/metrics.json", "eval/misclassified.json",
            "eval/attention.json", "export/model.torchscript.pt", "export/model.onnx", "export/labels.json", "export/preprocessing.json",
            "export/parity.json", "report.md"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("run_dir")
    p.add_argument("--schema", default="/opt/deit-trainer/protocol/events.schema.json")
    args = p.parse_args()
    problems = [f"missing {rel}" for rel in REQUIRED if not os.path.isfile(os.path.join(args.run_dir, rel))]
    validator = jsonschema.Draft7Validator(json.load(open(args.schema)))
    events = [json.loads(line) for line in open(os.path.join(args.run_dir, "metrics.jsonl"))]
    for e in events:
        for err in validator.iter_errors(e):
            problems.append(f"event #{e.get('seq')} ({e.get('type')}): {err.message}")
    if not events or events[-1].get("type") != "finished":
        problems.append(f"last event is {events[-1].get('type') if events else 'none'}, not finished")
    parity = json.load(open(os.path.join(args.run_dir, "export", "parity.json")))
    if any(v is None or v["max_abs_prob_diff"] > 1e-4 for v in parity.values()):
        problems.append(f"export parity {parity}")
    metrics = json.load(open(os.path.join(args.run_dir, "eval", "metrics.json")))
    for key in ("val_top1_ci", "val_balanced_accuracy", "val_macro_f1", "classes_without_val", "selection_metric",
                "headline", "precision"):
        if key not in metrics:
            problems.append(f"eval/metrics.json lacks {key}")
    problems += _not_private(args.run_dir)
    if not os.path.isdir(os.path.join(args.run_dir, ".cache", "decoded")):
        problems.append("no .cache/decoded/ in the run folder (the decoded images went elsewhere)")
    if problems:
        print("run folder INCOMPLETE:\n  " + "\n  ".join(problems))
        return 1
    numbers = {fmt: v["max_abs_prob_diff"] for fmt, v in parity.items()}
    print(f"run folder ok: {len(REQUIRED)} files, {len(events)} valid events, parity (max |Δ probability|) {numbers}")
    return 0


def _not_private(run_dir):
    loose = []
    for folder, dirs, files in os.walk(run_dir):
        for name in dirs + files:
            path = os.path.join(folder, name)
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if path != os.path.join(run_dir, "config.json") and mode & 0o077:
                loose.append(f"{os.path.relpath(path, run_dir)} is readable by others ({mode:o})")
    return loose[:20]


if __name__ == "__main__":
    sys.exit(main())
