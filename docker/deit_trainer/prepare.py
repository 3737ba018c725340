"""Data preparation for a run: scan, decode into the cache, split, and record it in the run folder.

Usage:
    data = prepare_data(cfg, events, should_stop, resume=False)
    data.dataset (dataset.Dataset), data.cache (cache.DecodedCache),
    data.train_rows / train_labels / val_rows / val_labels (cache rows and class indices)
Writes split.json and skipped.json (atomic), emits progress(scan/cache), files_skipped, artifact(split).
On --resume the saved split.json is kept (warning split_changed when the folder changed since).
"""
import json
import os
from dataclasses import dataclass

from .cache import build_cache
from .dataset import Dataset, finish_dataset, scan_dataset
from .decode import cache_size
from .errors import TrainerError
from .fsutil import write_json
from .threads import available_cpus

MAX_SKIPPED_IN_EVENT = 1000  # the full list is in skipped.json


@dataclass
class PreparedData:
    dataset: Dataset
    cache: object
    train_rows: list
    train_labels: list
    val_rows: list
    val_labels: list


def resolve_workers(choice):
    """auto = one decode process per core given to the container, at most 16 (torch is idle meanwhile)."""
    return min(available_cpus(), 16) if choice == "auto" else int(choice)


def _saved_split(path, dataset, events):
    """The split saved by the run being resumed, if it differs from today's; else None."""
    try:
        with open(path, encoding="utf-8") as f:
            saved = json.load(f)
    except (OSError, ValueError):
        return None
    same = (saved.get("classes") == dataset.classes and saved.get("train") == [list(x) for x in dataset.train]
            and saved.get("val") == [list(x) for x in dataset.val])
    if same:
        return None
    events.warning("split_changed", "The dataset folder changed since this run started; the run continues with "
                   "its original split (files that are gone are left out).")
    return saved


def prepare_data(cfg, events, should_stop, resume=False):
    d, run_dir = cfg["data"], cfg["output"]["run_dir"]
    root = d["root"]
    events.progress("scan", 0, None, f"Scanning {root}")
    scan = scan_dataset(root)
    files = scan.candidates()
    events.progress("scan", len(files), len(files),
                    f"Found {len(files)} candidate images in {len(scan.classes)} class folders ({len(scan.skipped)} skipped)", eta_s=0)
    side = cache_size(cfg["model"]["img_size"])
    cache = build_cache(root, files, side, d["cache_dir"], resolve_workers(d["num_workers"]), events, should_stop,
                        fallback_dir=os.path.join(run_dir, ".cache"))
    dataset = finish_dataset(scan, cache.bad, d["val_ratio"], d["split_seed"], events.warning)

    split_path = os.path.join(run_dir, "split.json")
    saved = _saved_split(split_path, dataset, events) if resume else None
    if saved is not None:
        keep = lambda items: [(p, c) for p, c in items if p in cache.row and p not in cache.bad]
        dataset = Dataset(root, saved["layout"], saved["classes"], keep(saved["train"]), keep(saved["val"]),
                          dataset.skipped, saved.get("val_ratio"), saved.get("seed"))
        if not dataset.train:
            raise TrainerError("dataset_empty", "None of this run's training images are left in the dataset folder.",
                               "Start a new run on the dataset as it is now.")
    write_json(split_path, dataset.split_json(), indent=None)
    write_json(os.path.join(run_dir, "skipped.json"), [{"path": p, "reason": r} for p, r in dataset.skipped])
    if dataset.skipped:
        listed = dataset.skipped[:MAX_SKIPPED_IN_EVENT]
        events.emit("files_skipped", files=[{"path": p, "reason": r} for p, r in listed], total=len(dataset.skipped),
                    truncated=len(listed) < len(dataset.skipped))
    events.emit("artifact", kind="split", path=split_path, format="json")
    return PreparedData(dataset, cache, [cache.row[p] for p, _ in dataset.train], [c for _, c in dataset.train],
                        [cache.row[p] for p, _ in dataset.val], [c for _, c in dataset.val])
