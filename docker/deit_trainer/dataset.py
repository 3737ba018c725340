"""Find the images of a dataset folder, report what cannot be used, and split train/val/test.

Usage:
    scan = scan_dataset("/data")            # ScanResult: layout, candidate files per class, skipped
    ... decode the candidates (cache.py), then:
    data = finish_dataset(scan, bad, val_ratio=0.2, seed=0, warn=events.warning, test_ratio=0.0)
Layouts: `split` (train/ and val/ each holding class folders, optionally test/) or `class-folders`
(split here). Hidden and system files, non-images, symbolic links leaving the dataset, files outside
class folders and empty classes are skipped with a reason. Raises TrainerError dataset_not_found /
dataset_empty / dataset_one_class.

The split that stays put (class-folders layout): each file draws u = split_draw(seed, class, its path
inside the class folder), uniform in [0, 1); it is val when u < val_ratio, test when u >= 1 -
test_ratio, train otherwise. A file's part depends on nothing else, so adding or removing files never
moves another file. The one exception, in small classes only: where the rule leaves a class of 2 or
more images without a val image, one of 3 or more (with a test share) without a test image, or any
class without a train image, one file moves there from a part that can spare it — the file whose
draw lies nearest the part it joins. So a single image trains, and a class of two gives one to val.
A run started from an earlier run's checkpoint passes that run's parts as `earlier` and they
are kept for files that still exist (new files follow the rule; guards never move a kept file).
Test split: a test/ (or testing/) folder beside train/ and val/, or in the class-folders layout a
test/ folder beside the class folders holding folders named like them; else `test_ratio`.
"""
import hashlib
import os
from dataclasses import dataclass, field

from .decode import IMAGE_EXTENSIONS
from .errors import TrainerError

SYSTEM_NAMES = {"thumbs.db", "desktop.ini", "__macosx", "$recycle.bin", "system volume information", "lost+found"}
SPLIT_NAMES = {"train": ("train", "training"), "val": ("val", "valid", "validation"), "test": ("test", "testing")}


@dataclass
class ScanResult:
    root: str
    layout: str                       # "split" | "class-folders"
    classes: list                     # class folder names, sorted
    train: dict                       # class name -> [relative path] (candidates)
    val: dict = field(default_factory=dict)  # split layout only
    skipped: list = field(default_factory=list)  # [(relative path, reason)]
    warnings: list = field(default_factory=list)  # [(code, message)]
    test: dict = field(default_factory=dict)  # class name -> [relative path] from a test/ folder
    test_dir: str = None                      # that folder's name, None without one

    def candidates(self):
        """Every candidate file, relative, sorted, no duplicates."""
        out = {p for paths in self.train.values() for p in paths}
        out.update(p for paths in self.val.values() for p in paths)
        out.update(p for paths in self.test.values() for p in paths)
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
    test: list = field(default_factory=list)   # [(relative path, class index)]: evaluated once, at the end
    test_ratio: float = None                   # the test share when the split made it (else None)
    split_from: str = None                     # checkpoint whose earlier split was kept, if any

    def split_json(self):
        return {"layout": self.layout, "val_ratio": self.val_ratio, "test_ratio": self.test_ratio, "seed": self.split_seed,
                "rule": SPLIT_RULE if self.layout == "class-folders" else "folders", "split_from": self.split_from,
                "classes": self.classes, "train": [list(x) for x in self.train], "val": [list(x) for x in self.val],
                "test": [list(x) for x in self.test]}

    def split_record(self):
        """The split as best.pt records it: paths per part (class indices change between runs), seed, ratios."""
        return {"layout": self.layout, "seed": self.split_seed, "val_ratio": self.val_ratio, "test_ratio": self.test_ratio,
                **{name: [p for p, _ in items] for name, items in (("train", self.train), ("val", self.val), ("test", self.test))}}

    def parts(self):
        """{path: "train" | "val" | "test"}: what a later run started from this one keeps (see `earlier`)."""
        out = {p: "train" for p, _ in self.train}
        out.update({p: "val" for p, _ in self.val})
        out.update({p: "test" for p, _ in self.test})
        return out

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
    """{"train", "val"[, "test"]: folder name} when the root holds a train and a val folder, else None."""
    names = {n.lower(): n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n))}
    found = {}
    for key, options in SPLIT_NAMES.items():
        for option in options:
            if option in names:
                found[key] = names[option]
                break
    return found if "train" in found and "val" in found else None


def _test_dir_beside_classes(root):
    """Class-folders layout: a top folder named test/testing (any case) that holds at least one folder
    named like another top folder is the test split, not a class; None when there is none."""
    tops = {e.name: e.name.lower() for e in os.scandir(root)
            if not _is_hidden_or_system(e.name) and e.is_dir(follow_symlinks=False)}
    for name, lower in sorted(tops.items()):
        if lower in SPLIT_NAMES["test"]:
            try:
                inner = {e.name for e in os.scandir(os.path.join(root, name)) if e.is_dir(follow_symlinks=False)}
            except OSError:
                continue
            if inner & (set(tops) - {name}):
                return name
    return None


def _test_part(root, test_dir, classes, skipped, warnings):
    """Test images per known class from root/test_dir/<class>/...; unknown classes are skipped."""
    test = {}
    for c in _class_folders(root, test_dir, skipped):
        if c in classes:
            test[c] = _walk_files(root, os.path.join(test_dir, c), skipped)
        else:
            skipped.append((os.path.join(test_dir, c), "class folder not among the training classes (its images are not used)"))
            warnings.append(("test_class_unknown", f"The folder {test_dir}/{c} matches no training class; its images are not used."))
    return test


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
        train_dir, val_dir, test_dir = split_dirs["train"], split_dirs["val"], split_dirs.get("test")
        for name in sorted(os.listdir(root)):
            if name not in (train_dir, val_dir, test_dir):
                skipped.append((name, "outside the train/, val/ and test/ folders"))
        classes = _class_folders(root, train_dir, skipped)
        train = {c: _walk_files(root, os.path.join(train_dir, c), skipped) for c in classes}
        val = {}
        warnings = []
        for c in _class_folders(root, val_dir, skipped):
            if c in train:
                val[c] = _walk_files(root, os.path.join(val_dir, c), skipped)
            else:
                skipped.append((os.path.join(val_dir, c), "class folder not in train/ (its images are not used)"))
                warnings.append(("val_class_unknown",
                                 f"The folder {val_dir}/{c} has no matching {train_dir}/{c}; its images are not used."))
        test = _test_part(root, test_dir, classes, skipped, warnings) if test_dir else {}
        scan = ScanResult(root, "split", classes, train, val, skipped, warnings, test, test_dir)
    else:
        test_dir = _test_dir_beside_classes(root)
        classes = [c for c in _class_folders(root, "", skipped) if c != test_dir]
        train = {c: _walk_files(root, c, skipped) for c in classes}
        warnings = []
        test = _test_part(root, test_dir, classes, skipped, warnings) if test_dir else {}
        scan = ScanResult(root, "class-folders", classes, train, {}, skipped, warnings, test, test_dir)
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


SPLIT_RULE = "sha256(seed, class, path in class) < val_ratio: val; >= 1 - test_ratio: test"


def split_draw(seed, cls, rel):
    """A file's fixed draw, uniform in [0, 1): from the seed, its class and its path inside the class folder."""
    digest = hashlib.sha256(f"deit-studio-split\0{seed}\0{cls}\0{rel}".encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def _class_split(cls, paths, val_ratio, test_ratio, seed, earlier):
    """{path: part} of one class: the per-file rule, kept earlier parts, then the small-class guards."""
    part, draw = {}, {}
    for p in paths:
        if p in earlier:
            part[p] = earlier[p]
            continue
        draw[p] = u = split_draw(seed, cls, p[len(cls) + 1:] if p.startswith(cls + "/") else p)
        part[p] = "val" if u < val_ratio else "test" if u >= 1 - test_ratio else "train"
    count = lambda name: sum(1 for v in part.values() if v == name)

    def take(to, donors):
        """Moves into `to` one file of the first donor part holding more than it must keep: the file
        whose draw lies nearest `to`'s interval (val: low draws, test: high, train: between)."""
        for donor, keep in donors:
            files = sorted((p for p in draw if part[p] == donor), key=draw.get)
            if files and count(donor) > keep:
                part[files[-1] if to == "test" or (to == "train" and donor == "val") else files[0]] = to
                return

    n = len(paths)
    if n >= 2 and count("val") == 0:
        take("val", [("train", 1), ("test", 1), ("test", 0)])
    if test_ratio > 0 and n >= 3 and count("test") == 0:
        take("test", [("train", 1), ("val", 1)])
    if count("train") == 0:
        take("train", [("val", 1), ("test", 1), ("test", 0), ("val", 0)])
    return part


def stratified_split(files_by_class, classes, val_ratio, seed, test_ratio=0.0, earlier=None):
    """Per-class split by each file's own draw -> (train, val, test) lists of (path, class index), sorted.
    `earlier`: {path: part} kept as it was (a run started from an earlier run's checkpoint)."""
    train, val, test = [], [], []
    out = {"train": train, "val": val, "test": test}
    for index, c in enumerate(classes):
        part = _class_split(c, sorted(files_by_class[c]), val_ratio, test_ratio, seed, earlier or {})
        for p in sorted(part):
            out[part[p]].append((p, index))
    return train, val, test


def _earlier_parts(earlier, test_share):
    """An earlier run's parts as this run keeps them: its test files stay out of training, as test
    when this run has a test share, else as val (never trained on either way)."""
    if not earlier:
        return {}
    return {p: ("val" if part == "test" and not test_share else part) for p, part in earlier.items()}


def finish_dataset(scan, bad, val_ratio, seed, warn, test_ratio=0.0, earlier=None):
    """Drops undecodable files (`bad`: {path: reason}) and empty classes, then splits. Raises typed errors.
    `earlier`: {path: part} of the run this one starts from (kept for files that still exist)."""
    skipped = list(scan.skipped) + sorted(bad.items())
    for code, message in scan.warnings:
        warn(code, message)
    good_train = {c: [p for p in scan.train.get(c, []) if p not in bad] for c in scan.classes}
    good_val = {c: [p for p in scan.val.get(c, []) if p not in bad] for c in scan.classes}
    good_test = {c: [p for p in scan.test.get(c, []) if p not in bad] for c in scan.classes}
    classes = []
    for c in scan.classes:
        if good_train[c] or good_val[c]:
            classes.append(c)
        else:
            folder = c if scan.layout == "class-folders" else f"train/{c}"
            skipped.append((folder, "class folder without usable images"))
            warn("class_without_images", f"The folder {folder} has no usable images; it is not used as a class.")
            skipped += [(p, "its class has no training images") for p in good_test[c]]
    check_classes(scan.root, {c: len(good_train[c]) + len(good_val[c]) for c in scan.classes})
    test = [(p, i) for i, c in enumerate(classes) for p in good_test[c]]
    if test_ratio and (scan.layout == "split" or scan.test_dir):
        where = f"the {scan.test_dir}/ folder" if scan.test_dir else "no test/ folder (train/ and val/ decide the split)"
        warn("test_ratio_ignored", f"data.test_ratio is ignored: the test images come from {where}.")
        test_ratio = 0.0
    if scan.layout == "split":
        train = [(p, i) for i, c in enumerate(classes) for p in good_train[c]]
        val = [(p, i) for i, c in enumerate(classes) for p in good_val[c]]
        data = Dataset(scan.root, "split", classes, train, val, skipped, test=test)
    else:
        for c in classes:
            if len(good_train[c]) == 1:
                warn("class_one_image", f"The class {c} has a single image; it is used for training only.")
        train, val, test_share = stratified_split(good_train, classes, val_ratio, seed, test_ratio,
                                                  _earlier_parts(earlier, test_ratio > 0))
        data = Dataset(scan.root, "class-folders", classes, train, val, skipped, val_ratio, seed,
                       test=test or test_share, test_ratio=test_ratio if not scan.test_dir else None)
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
