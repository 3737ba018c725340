"""Generate small image datasets for the trainer's tests (and the app's integration tests).

Usage:
    python tests/trainer/make_dataset.py --out DIR [--classes 3] [--per-class 24] [--messy] [--layout split]
    from make_dataset import make_learnable, add_messy_files
`make_learnable`: each class has its own colour and stripe orientation plus noise, at varied sizes and
formats (JPEG/PNG) -- a task a tiny DeiT learns in a few epochs at 32 px. `add_messy_files` adds one
file of every kind the trainer must skip or cope with, and returns {relative path: expected fate}.
Needs Pillow and numpy only.
"""
import argparse
import io
import os
import struct
import zlib

import numpy as np
from PIL import Image

COLOURS = [(220, 40, 40), (40, 200, 60), (40, 70, 220), (230, 200, 30), (160, 40, 200), (30, 200, 200)]


def learnable_image(class_index, rng, size=None):
    w, h = size or (int(rng.integers(36, 64)), int(rng.integers(36, 64)))
    base = np.array(COLOURS[class_index % len(COLOURS)], dtype=np.float32)
    img = np.tile(base, (h, w, 1)) * rng.uniform(0.75, 1.1)
    yy, xx = np.mgrid[0:h, 0:w]
    stripes = ((xx if class_index % 2 == 0 else yy) // 4) % 2
    img = img * (0.7 + 0.3 * stripes[..., None]) + rng.normal(0, 18, (h, w, 3))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def make_learnable(root, classes=3, per_class=24, seed=0, layout="class-folders", names=None):
    """Writes the dataset; returns the class names."""
    rng = np.random.default_rng(seed)
    names = names or [f"class_{i}" for i in range(classes)]
    for ci, name in enumerate(names):
        for k in range(per_class):
            sub = name if layout == "class-folders" else os.path.join("val" if k % 4 == 0 else "train", name)
            os.makedirs(os.path.join(root, sub), exist_ok=True)
            ext = "jpg" if k % 3 else "png"
            learnable_image(ci, rng).save(os.path.join(root, sub, f"img_{k:03d}.{ext}"))
    return names


def _png_with_size(width, height):
    """A valid 1x1 PNG whose header claims width x height (a decompression-bomb header)."""
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = 8  # signature, then the IHDR chunk: length(4) type(4) data(13) crc(4)
    data[ihdr + 8:ihdr + 16] = struct.pack(">II", width, height)
    data[ihdr + 21:ihdr + 25] = struct.pack(">I", zlib.crc32(bytes(data[ihdr + 4:ihdr + 21])) & 0xFFFFFFFF)
    return bytes(data)


def add_messy_files(root, cls="class_0", seed=1):
    """Adds every awkward kind of file; returns {relative path: "skip" | "use"}."""
    rng = np.random.default_rng(seed)
    d = os.path.join(root, cls)
    os.makedirs(d, exist_ok=True)
    fates = {}

    def put(rel, data, fate):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        fates[rel] = fate

    def encode(im, fmt, **kw):
        buf = io.BytesIO()
        im.save(buf, fmt, **kw)
        return buf.getvalue()

    good = learnable_image(0, rng, (48, 40))
    jpeg = encode(good, "JPEG", quality=90)
    put(f"{cls}/.hidden.jpg", jpeg, "skip")
    put(f"{cls}/._resource_fork.jpg", jpeg, "skip")
    put(f"{cls}/.DS_Store", b"\0\0\0\1Bud1", "skip")
    put(f"{cls}/Thumbs.db", b"\0" * 64, "skip")
    put(f"{cls}/notes.txt", b"not an image\n", "skip")
    put(f"{cls}/fake.jpg", b"this is text pretending to be a JPEG\n" * 4, "skip")
    put(f"{cls}/empty.png", b"", "skip")
    put(f"{cls}/truncated.jpg", jpeg[: len(jpeg) // 2], "skip")
    put(f"{cls}/bomb.png", _png_with_size(40000, 40000), "skip")
    put("stray_file.jpg", jpeg, "skip")  # not inside a class folder
    put(f"{cls}/gray.png", encode(good.convert("L"), "PNG"), "use")
    put(f"{cls}/rgba.png", encode(good.convert("RGBA"), "PNG"), "use")
    put(f"{cls}/cmyk.jpg", encode(good.convert("CMYK"), "JPEG"), "use")
    put(f"{cls}/palette.gif", encode(good.convert("P"), "GIF"), "use")
    arr16 = (np.asarray(good.convert("L"), dtype=np.uint16) * 257)
    put(f"{cls}/sixteen_bit.png", encode(Image.fromarray(arr16, "I;16"), "PNG"), "use")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    put(f"{cls}/exif_rotated.jpg", encode(good, "JPEG", exif=exif), "use")
    put(f"{cls}/unicode été 猫 photo.jpg", jpeg, "use")
    put(f"{cls}/nested/deeper/inner.jpg", jpeg, "use")
    os.makedirs(os.path.join(root, ".hidden_class"), exist_ok=True)
    put(".hidden_class/a.jpg", jpeg, "skip")
    os.makedirs(os.path.join(root, "empty_class"), exist_ok=True)
    fates["empty_class"] = "skip"
    put("one_image_class/only.jpg", encode(learnable_image(1, rng), "JPEG"), "use")
    inside = os.path.join(d, "link_inside.jpg")
    os.symlink("unicode été 猫 photo.jpg", inside)
    fates[f"{cls}/link_inside.jpg"] = "use"
    outside = os.path.join(d, "link_outside.jpg")
    os.symlink("/etc/hostname", outside)
    fates[f"{cls}/link_outside.jpg"] = "skip"
    return fates


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--classes", type=int, default=3)
    p.add_argument("--per-class", type=int, default=24)
    p.add_argument("--layout", choices=["class-folders", "split"], default="class-folders")
    p.add_argument("--messy", action="store_true", help="add every kind of bad file")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    make_learnable(args.out, args.classes, args.per_class, args.seed, args.layout)
    if args.messy:
        add_messy_files(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
