"""Find the images of a dataset folder, report what cannot be used, and split train/val.

Usage:
    scan = scan_dataset("/data")            # ScanResult: layout, candidate files per class, skipped
    ... decode the candidates (cache.py), then:
    data = finish_dataset(scan, bad, val_ratio=0.2, seed=0, warn=events.warning)
Layouts: `split` (train/ and val/ each holding class folders) or `class-folders` (split here,
stratified and seeded). Hidden and system files, non-images, symbolic links leaving the dataset,
files outside class folders and empty classes are skipped with a reason. Raises TrainerError
dataset_not_found / dataset_empty / dataset_one_class.
"""
import os
import random
from dataclasses import dataclass, field

from .decode import IMAGE_EXTENSIONS
from .errors import TrainerError

SYSTEM_NAMES = {"thumbs.db", "desktop.ini", "__macosx", "$recycle.bin", "system volume information", "lost+found"}
SPLIT_NAMES = {"train": ("train", "training"), "val": ("val", "valid", "validation")}


@dataclass
class ScanResult:
    root: str
    layout: str                       # "split" | "class-folders"
    classes: list                     # class folder names, sorted
    train: dict                       # class name -> [relative path] (candidates)
    val: dict = field(default_factory=dict)  # split layout only
    skipped: list = field(default_factory=list)  # [(relative path, reason)]
    warnings: list = field(default_factory=list)  # [(code, message)]

    def candidates(self):
        """Every candidate file, relative, sorted, no duplicates."""
        out = {p for paths in self.train.values() for p in paths}
        out.update(p for paths in self.val.values() for p in paths)
        return sorted(out)


@dataclass
class Dataset:
    root: str
    layout: str
    classes: list
    train: list                      # [(relative path, class index)]
    val: list
    skipped: list                    # [(relative path, reason)]
    val_ratio: float = None
    split_seed: int = None

    def split_json(self):
        return {"layout": self.layout, "val_ratio": self.val_ratio, "seed": self.split_seed,
                "classes": self.classes, "train": [list(x) for x in self.train], "val": [list(x) for x in self.val]}

    def per_class(self, items):
        counts = [0] * len(self.classes)
        for _, c in items:
            counts[c] += 1
        return counts


def _is_hidden_or_system(name):
    return name.startswith(".") or name.lower() in SYSTEM_NAMES


def _walk_files(root, folder, skipped):
    """Relative paths of usable-looking files under root/folder (recursive); records skips."""
    out = []
    real_root = os.path.realpath(root)
    stack = [folder]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(os.path.join(root, rel_dir)), key=lambda e: e.name)
        except OSError as e:
            skipped.append((rel_dir, f"folder could not be read ({e.strerror})"))
            continue
        for entry in entries:
            rel = os.path.join(rel_dir, entry.name) if rel_dir else entry.name
            if _is_hidden_or_system(entry.name):
                skipped.append((rel, "hidden or system file" if not entry.is_dir() else "hidden or system folder"))
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not (target == real_root or target.startswith(real_root + os.sep)) or not os.path.exists(target):
                    skipped.append((rel, "symbolic link pointing outside the dataset folder (or broken)"))
                    continue
                if os.path.isdir(target):
                    skipped.append((rel, "symbolic link to a folder (not followed)"))
                    continue
            if entry.is_dir():
                stack.append(rel)
                continue
            ext = os.path.splitext(entry.name)[1].lower()
            if ext not in IMAGE_EXTENSIONS:
                skipped.append((rel, f"not an image (unsupported extension {ext or 'none'})"))
                continue
            try:
                if entry.stat().st_size == 0:
                    skipped.append((rel, "empty file"))
                    continue
            except OSError as e:
                skipped.append((rel, f"file could not be read ({e.strerror})"))
                continue
            out.append(rel)
    return sorted(out)


def _class_folders(root, rel_dir, skipped):
    """Sorted class folder names in root/rel_dir; files there are skipped."""
    names = []
    for entry in sorted(os.scandir(os.path.join(root, rel_dir)), key=lambda e: e.name):
        rel = os.path.join(rel_dir, entry.name) if rel_dir else entry.name
        if _is_hidden_or_system(entry.name):
            skipped.append((rel, "hidden or system file" if not entry.is_dir() else "hidden or system folder"))
        elif entry.is_dir(follow_symlinks=False):
            names.append(entry.name)
        elif entry.is_symlink():
            skipped.append((rel, "symbolic link (not followed)"))
        else:
            skipped.append((rel, "not inside a class folder"))
    return names


def _find_split_dirs(root):
    names = {n.lower(): n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n))}
    found = {}
    for key, options in SPLIT_NAMES.items():
        for option in options:
            if option in names:
                found[key] = names[option]
                break
    return found if len(found) == 2 else None


def scan_dataset(root):
    """Lists candidate images per class. Raises dataset_not_found / dataset_empty / dataset_one_class."""
    if not os.path.isdir(root):
        raise TrainerError("dataset_not_found", f"The dataset folder {root} does not exist or is not a folder.",
                           "Check that the dataset folder still exists and pick it again.")
    try:
        split_dirs = _find_split_dirs(root)
    except OSError as e:
        raise TrainerError("dataset_not_found", f"The dataset folder {root} could not be read ({e.strerror}).",
                           "Check the folder's permissions: it must be readable by your user.") from None
    skipped = []
    if split_dirs:
        train_dir, val_dir = split_dirs["train"], split_dirs["val"]
        for name in sorted(os.listdir(root)):
            if name not in (train_dir, val_dir):
                skipped.append((name, "outside the train/ and val/ folders"))
        classes = _class_folders(root, train_dir, skipped)
        train = {c: _walk_files(root, os.path.join(train_dir, c), skipped) for c in classes}
        val = {}
        warnings = []
        for c in _class_folders(root, val_dir, skipped):
            if c in train:
                val[c] = _walk_files(root, os.path.join(val_dir, c), skipped)
            else:
                skipped.append((os.path.join(val_dir, c), "class folder not in train/ (its images are not used)"))
                warnings.append(("val_class_unknown", f"The folder {val_dir}/{c} has no matching {train_dir}/{c}; its images are not used."))
        scan = ScanResult(root, "split", classes, train, val, skipped, warnings)
    else:
        classes = _class_folders(root, "", skipped)
        train = {c: _walk_files(root, c, skipped) for c in classes}
        scan = ScanResult(root, "class-folders", classes, train, {}, skipped, [])
    check_classes(scan.root, {c: len(scan.train.get(c, [])) + len(scan.val.get(c, [])) for c in scan.classes})
    return scan


def check_classes(root, counts):
    """Raises a typed error when fewer than two classes have images."""
    with_images = [c for c, n in counts.items() if n > 0]
    if not with_images:
        raise TrainerError("dataset_empty", f"No usable images were found in class folders under {root}.",
                           "Put each class's images in its own folder, e.g. cats/001.jpg and dogs/001.jpg "
                           "(JPEG, PNG, BMP, GIF, WebP or TIFF).",
                           detail=f"class folders: {', '.join(counts) or 'none'}")
    if len(with_images) == 1:
        c = with_images[0]
        raise TrainerError("dataset_one_class",
                           f"The dataset has only one class ({c}) with images; a classifier needs at least two.",
                           "Add a folder of images for each class you want to tell apart, e.g. cats/ and dogs/.",
                           detail=f"classes with images: {c} ({counts[c]})")


def stratified_split(files_by_class, classes, val_ratio, seed):
    """Seeded per-class split -> (train, val) lists of (path, class index); single images train only."""
    train, val = [], []
    for index, c in enumerate(classes):
        paths = sorted(files_by_class[c])
        random.Random(f"{seed}:{c}").shuffle(paths)
        n = len(paths)
        n_val = 0 if n < 2 else min(n - 1, max(1, round(n * val_ratio)))
        val += [(p, index) for p in sorted(paths[:n_val])]
        train += [(p, index) for p in sorted(paths[n_val:])]
    return train, val


def finish_dataset(scan, bad, val_ratio, seed, warn):
    """Drops undecodable files (`bad`: {path: reason}) and empty classes, then splits. Raises typed errors."""
    skipped = list(scan.skipped) + sorted(bad.items())
    for code, message in scan.warnings:
        warn(code, message)
    good_train = {c: [p for p in scan.train.get(c, []) if p not in bad] for c in scan.classes}
    good_val = {c: [p for p in scan.val.get(c, []) if p not in bad] for c in scan.classes}
    classes = []
    for c in scan.classes:
        if good_train[c] or good_val[c]:
            classes.append(c)
        else:
            folder = c if scan.layout == "class-folders" else f"train/{c}"
            skipped.append((folder, "class folder without usable images"))
            warn("class_without_images", f"The folder {folder} has no usable images; it is not used as a class.")
    check_classes(scan.root, {c: len(good_train[c]) + len(good_val[c]) for c in scan.classes})
    if scan.layout == "split":
        train = [(p, i) for i, c in enumerate(classes) for p in good_train[c]]
        val = [(p, i) for i, c in enumerate(classes) for p in good_val[c]]
        data = Dataset(scan.root, "split", classes, train, val, skipped)
    else:
        for c in classes:
            if len(good_train[c]) == 1:
                warn("class_one_image", f"The class {c} has a single image; it is used for training only.")
        train, val = stratified_split(good_train, classes, val_ratio, seed)
        data = Dataset(scan.root, "class-folders", classes, train, val, skipped, val_ratio, seed)
    if not data.train:
        raise TrainerError("dataset_empty", "No images are left for training after the split.",
                           "Add images to the train folders (each class needs at least one).")
    val_counts = data.per_class(data.val)
    if not data.val:
        warn("no_val_images", "There are no validation images; val metrics are not computed and the last epoch counts as best.")
    else:
        for c, n in zip(classes, val_counts):
            if n == 0:
                warn("class_no_val", f"The class {c} has no validation images; its accuracy cannot be measured.")
    return data
