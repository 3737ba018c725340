"""Makes assets/sample-digits.tar.gz, DeiT Studio's built-in sample dataset ("Try with the sample images").

Usage (any Python 3.10+; the pins are the versions the committed archive was made with):
    python -m venv /tmp/sample-venv && /tmp/sample-venv/bin/pip install scikit-learn==1.6.1 pillow==11.1.0
    /tmp/sample-venv/bin/python scripts/make-sample-dataset.py [--out assets/sample-digits.tar.gz]

The images are scikit-learn's copy of the UCI "Optical Recognition of Handwritten Digits" test set
(sklearn/datasets/data/digits.csv.gz, read by `load_digits`): 1,797 scans of handwritten digits, 8x8
pixels, 17 grey levels (0..16), 10 classes. Licence and source: assets/README.md.

Each scan becomes an 8x8 greyscale PNG, ink dark on white paper as it was written (level v -> 255 - v*255/16,
rounded), in one folder per digit: `0/0000.png` ... `9/1796.png` (the number is the scan's row in the
set). The archive is reproducible: entries sorted, no owners, times fixed, gzip without a time stamp,
so the same inputs give the same bytes and the app can name its extracted copy after the archive's hash.
"""
import argparse
import gzip
import io
import os
import tarfile

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

FIXED_MTIME = 946684800  # 2000-01-01: any fixed time; a real one would make every build differ


def png_bytes(levels):
    """One 8x8 scan (levels 0..16, ink high) as PNG bytes: dark ink on white."""
    grey = np.rint(255 - levels.astype(np.float64) * 255 / 16).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(grey, mode="L").save(out, format="PNG", optimize=True)
    return out.getvalue()


def entries():
    """(name, bytes) of every file, sorted by name; class folders come first as their own entries."""
    digits = load_digits()
    files = []
    for row, (levels, label) in enumerate(zip(digits.images, digits.target)):
        files.append((f"{int(label)}/{row:04d}.png", png_bytes(levels)))
    return sorted(files)


def add(tar, name, data=None):
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = FIXED_MTIME, 0, 0, "", ""
    if data is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
    else:
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "assets", "sample-digits.tar.gz"))
    args = p.parse_args()
    files = entries()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for folder in sorted({name.split("/")[0] for name, _ in files}):
            add(tar, folder + "/")
        for name, data in files:
            add(tar, name, data)
    with open(args.out, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    counts = {}
    for name, _ in files:
        counts[name.split("/")[0]] = counts.get(name.split("/")[0], 0) + 1
    print(f"{os.path.normpath(args.out)}: {len(files)} images in {len(counts)} classes "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))}), {os.path.getsize(args.out):,} bytes")


if __name__ == "__main__":
    main()
