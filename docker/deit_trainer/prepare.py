"""Data preparation for a run: scan, decode into the cache, split, and record it in the run folder.

Usage:
    data = prepare_data(cfg, events, should_stop, resume=False)
    data.dataset (dataset.Dataset), data.cache (cache.DecodedCache), data.preprocessing (preprocess.py),
    data.train_rows / train_labels / val_rows / val_labels / test_rows / test_labels (cache rows, classes)
Writes split.json and skipped.json (atomic), emits progress(scan/cache), files_skipped, artifact(split).
On --resume the saved split.json is kept (warning split_changed when the folder changed since). A run
started from an earlier run's checkpoint (model.init_checkpoint) keeps that run's split, recorded in
its best.pt, for the files that still exist (warning split_reused says so).
"""
import json
import os
from dataclasses import dataclass

from .cache import build_cache
from .checkpoint import load_checkpoint
from .dataset import Dataset, finish_dataset, scan_dataset
from .errors import TrainerError
from .fsutil import write_json
from .decode import decode_plan
from .preprocess import eval_preprocessing
from .threads import available_cpus, memory_limit_bytes

MAX_SKIPPED_IN_EVENT = 1000  # the full list is in skipped.json


@dataclass
class PreparedData:
    dataset: Dataset
    cache: object
    train_rows: list
    train_labels: list
    val_rows: list
    val_labels: list
    test_rows: list = None
    test_labels: list = None
    preprocessing: dict = None    # the model's eval resize (preprocess.eval_preprocessing)


def resolve_plan(choice):
    """How the cache is decoded here: auto = one process per core given to the container, at most 16
    (torch is idle meanwhile), fewer when the container's memory would not hold each one's worst
    image; every process's image cap follows from the memory limit (decode.decode_plan)."""
    return decode_plan(memory_limit_bytes(), available_cpus(), choice)


def resolve_workers(choice):
    """The number of decoding processes resolve_plan chooses."""
    return resolve_plan(choice).workers


def _saved_split(path, dataset, events):
    """The split saved by the run being resumed, if it differs from today's; else None."""
    try:
        with open(path, encoding="utf-8") as f:
            saved = json.load(f)
    except (OSError, ValueError):
        return None
    same = (saved.get("classes") == dataset.classes and saved.get("train") == [list(x) for x in dataset.train]
            and saved.get("val") == [list(x) for x in dataset.val]
            and saved.get("test", []) == [list(x) for x in dataset.test])
    if same:
        return None
    events.warning("split_changed", "The dataset folder changed since this run started; the run continues with "
                   "its original split (files that are gone are left out).")
    return saved


def _earlier_split(cfg, scan, events, resume):
    """{path: part} of the run this one starts from (its best.pt records it), or None."""
    init = cfg.model.init_checkpoint
    if not init or resume or scan.layout != "class-folders":
        return None  # a resumed run keeps its own split.json; train/ and val/ folders decide for themselves
    split = load_checkpoint(init).get("split")
    if not split:
        events.warning("split_not_reused", f"The checkpoint {init} does not record its run's split (an older "
                       "version wrote it), so this run splits by the per-file rule alone: with another seed or "
                       "ratio, images the earlier run trained on can land in this run's validation images.")
        return None
    return {p: part for part in ("train", "val", "test") for p in split.get(part, [])}


def _say_reused(events, init, earlier, dataset):
    parts = dataset.parts()
    kept = {name: sum(1 for p, part in earlier.items() if parts.get(p) == part == name) for name in ("train", "val", "test")}
    moved_test = sum(1 for p, part in earlier.items() if part == "test" and parts.get(p) == "val")
    new = sum(1 for p in parts if p not in earlier)
    gone = sum(1 for p in earlier if p not in parts)
    text = (f"This run keeps the split of the run it starts from ({init}): {kept['val']} validation, "
            f"{kept['train']} training and {kept['test']} test images stay where they were")
    if moved_test:
        text += f", its {moved_test} test images are validation images here (this run has no test share)"
    text += f"; {new} new images follow the usual rule" + (f"; {gone} of its images are gone." if gone else ".")
    events.warning("split_reused", text)


def prepare_data(cfg, events, should_stop, resume=False):
    d, run_dir = cfg.data, cfg.output.run_dir
    root = d.root
    events.progress("scan", 0, None, f"Scanning {root}")
    scan = scan_dataset(root)
    files = scan.candidates()
    # No left-out count here: damaged images and empty classes are found later; files_skipped gives the one count.
    events.progress("scan", len(files), len(files),
                    f"Found {len(files)} candidate images in {len(scan.classes)} class folders; checking each one", eta_s=0)
    prep = eval_preprocessing(cfg.model.name, cfg.model.img_size)
    plan = resolve_plan(d.num_workers)
    cache = build_cache(root, files, prep["resize"], d.cache_dir, plan.workers, events, should_stop,
                        fallback_dir=os.path.join(run_dir, ".cache"), interpolation=prep["interpolation"],
                        max_bytes=plan.max_bytes)
    earlier = _earlier_split(cfg, scan, events, resume)
    dataset = finish_dataset(scan, cache.bad, d.val_ratio, d.split_seed, events.warning,
                             test_ratio=d.test_ratio, earlier=earlier)
    if earlier is not None:
        dataset.split_from = cfg.model.init_checkpoint
        _say_reused(events, dataset.split_from, earlier, dataset)

    split_path = os.path.join(run_dir, "split.json")
    saved = _saved_split(split_path, dataset, events) if resume else None
    if saved is not None:
        keep = lambda items: [(p, c) for p, c in items if p in cache.row and p not in cache.bad]
        dataset = Dataset(root, saved["layout"], saved["classes"], keep(saved["train"]), keep(saved["val"]),
                          dataset.skipped, saved.get("val_ratio"), saved.get("seed"), keep(saved.get("test", [])),
                          saved.get("test_ratio"), saved.get("split_from"))
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
    rows = lambda items: ([cache.row[p] for p, _ in items], [c for _, c in items])
    return PreparedData(dataset, cache, *rows(dataset.train), *rows(dataset.val), *rows(dataset.test), prep)
