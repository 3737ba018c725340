"""Decode one image file into a cache row: the whole picture, resized, with its true extent.

Usage:
    w, h = probe_size("/data/cats/1.jpg")       # upright size from the header only, or raises BadImage
    width = row_width(248, [(w, h), ...])       # the cache array's width for these images
    row = decode_row("/data/cats/1.jpg", 248, width, "bicubic")   # np.uint8 [249, width, 3], or BadImage
    rows, cols, transposed = read_header(row)
Steps: header check (decompression-bomb guard) -> JPEG draft (fast reduced decode) -> EXIF rotation ->
RGB (grayscale, RGBA/LA/palette over white, CMYK, 16-bit scaled) -> resize (antialiased, PIL) so the
shorter side is `side` and the longer side int(side * long / short), as torchvision's Resize(side)
does (the model's eval resize, preprocess.py) -> stored in a row of a fixed-shape array.
A row is [side + 1, width, 3]: the picture lies top-left, always landscape (a portrait picture is
transposed, and the header says so); the array's width is the widest stored picture of the data set,
at most side * MAX_ASPECT (2:1); a wider picture is fitted (longer side = width, shorter side below
`side`). The rest of the row repeats
the picture's last column and row. The last row is a header: pixel 0 HEADER_MAGIC, pixel 1 (rows >> 8,
rows & 255, transposed), pixel 2 (cols >> 8, cols & 255, 0) — the true extent travels with the pixels,
so batches need no side table (augment.py reads it on the device).
Memory: decoding needs the whole picture in memory, so what one decode may use is bounded by the
container's memory limit (decode_plan): all decoding processes together get DECODE_SHARE of it, each
an equal part, and an image whose decode would need more (decoded pixels x BYTES_PER_PIXEL of its
mode) is skipped with that reason instead of running the container out of memory. JPEGs count at
their reduced (draft) size, so a 100-megapixel photo costs little; 16-bit PNGs and TIFFs cost most.
    plan = decode_plan(memory_limit_bytes(), available_cpus())   # plan.workers, plan.max_bytes
    row = decode_row(path, 248, width, "bicubic", plan.max_bytes)
Imports no torch: it runs in the cache's worker processes.
"""
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .threads import memory_limit_bytes

MAX_PIXELS = 100_000_000  # larger images are skipped whatever the memory (a 10k x 10k photo is fine; a bomb is not)
# Peak memory of one decode per decoded pixel, by PIL mode: measured in the twin (VmHWM of a process
# decoding a 7000 x 7000 image, less its size before: L 5, RGB 4 (8 when EXIF-rotated), CMYK 8,
# I;16 9, I and F 13, RGBA 16, P with transparency 17, LA 20), with a margin; tests/trainer/
# test_decode_memory.py checks them. Unknown modes count as the worst.
BYTES_PER_PIXEL = {"1": 7, "L": 7, "P": 20, "RGB": 10, "RGBX": 10, "YCbCr": 10, "CMYK": 10, "LAB": 10, "HSV": 10,
                   "LA": 24, "La": 24, "PA": 24, "RGBA": 20, "RGBa": 20,
                   "I;16": 12, "I;16B": 12, "I;16L": 12, "I;16N": 12, "I": 16, "F": 16}
WORST_BYTES_PER_PIXEL = max(BYTES_PER_PIXEL.values())
WORKER_BASE_BYTES = 64 * 2**20  # a decoding process before its image: Python, numpy, PIL
DECODE_SHARE = 0.5              # of the container's memory limit, for all decoding processes together
MAX_WORKERS = 16
FULL_SIZE_PIXELS = 24_000_000   # "auto" runs fewer processes rather than refuse a 24 MP image of the costliest mode
MAX_ASPECT = 2            # a cache row keeps a longer side up to 2x the shorter; wider images are fitted
HEADER_MAGIC = (0xD5, 0x7E, 0x02)  # first pixel of a cache row's header row (0x02: this row layout)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".jfif"}

INTERPOLATIONS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR}

Image.MAX_IMAGE_PIXELS = None  # our own check below gives a clear reason instead of PIL's error
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is reported, not silently padded


class BadImage(Exception):
    """A file that cannot be used; str(e) is the plain-language reason."""


@dataclass(frozen=True)
class DecodePlan:
    workers: int          # decoding processes (0: decode in this process)
    max_bytes: int        # what one decode may use
    limit_bytes: int      # the container's memory limit the plan was made for

    @property
    def max_pixels(self):
        """The largest image of the costliest mode that one decode accepts."""
        return min(MAX_PIXELS, max(0, self.max_bytes - WORKER_BASE_BYTES) // WORST_BYTES_PER_PIXEL)


def decode_plan(limit_bytes, cpus, requested="auto"):
    """How many processes decode at once, and how much memory each may use, so that all of them
    decoding their costliest image together stay within DECODE_SHARE of the limit:
    workers x max_bytes <= DECODE_SHARE x limit_bytes. "auto": one per core (at most MAX_WORKERS),
    fewer when the memory would not hold a FULL_SIZE_PIXELS image of the costliest mode each."""
    budget = int(limit_bytes * DECODE_SHARE)
    if requested == "auto":
        full = WORKER_BASE_BYTES + FULL_SIZE_PIXELS * WORST_BYTES_PER_PIXEL
        workers = max(1, min(cpus, MAX_WORKERS, budget // full))
    else:
        workers = max(0, int(requested))
    return DecodePlan(workers, budget // max(1, workers), int(limit_bytes))


_default_plan = None


def default_plan():
    """The plan of a single decoder in this container (predict, tests): the whole share for one image."""
    global _default_plan
    if _default_plan is None:
        _default_plan = decode_plan(memory_limit_bytes(), 1, 1)
    return _default_plan


def _check_cost(w, h, mode, max_bytes):
    need = w * h * BYTES_PER_PIXEL.get(mode, WORST_BYTES_PER_PIXEL)
    if need > max_bytes - WORKER_BASE_BYTES:
        mb = lambda n: f"{max(0, n) / 2**20:,.0f} MB"
        raise BadImage(f"image too large to decode within the memory limit ({w}x{h} pixels, mode {mode}, needs "
                       f"about {mb(need)}; one decode may use {mb(max_bytes - WORKER_BASE_BYTES)} here). Make the "
                       "image smaller, or give Docker more memory")


def to_rgb(im):
    """Any PIL mode -> 8-bit RGB; transparency is composited over white."""
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im)
        top = 65535.0 if mode.startswith("I;16") or arr.max() > 255 else 255.0
        out = np.empty(arr.shape, dtype=np.uint8)
        for i in range(0, arr.shape[0], 256):  # in bands of rows: float64 of a band, not of the whole image
            band = arr[i:i + 256].astype(np.float64)
            out[i:i + 256] = np.clip(band / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(out, "L").convert("RGB")
    if mode == "P" and "transparency" in im.info:
        im, mode = im.convert("RGBA"), "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = im if mode == "RGBA" else im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, im).convert("RGB")
    if mode != "RGB":
        return im.convert("RGB")
    return im


def load_rgb(path, max_bytes=None):
    """Opens, checks, decodes and orients an image -> PIL RGB. Raises BadImage."""
    return _open(path, None, max_bytes)[0]


def _open(path, draft_size, max_bytes=None):
    """-> (PIL RGB image, its upright size before any JPEG draft reduction). Raises BadImage.
    `max_bytes`: what this decode may use (default: default_plan())."""
    max_bytes = max_bytes or default_plan().max_bytes
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise BadImage(f"image too large ({w}x{h} pixels; the limit is {MAX_PIXELS})")
                if w < 1 or h < 1:
                    raise BadImage("image has no pixels")
                upright = (h, w) if im.getexif().get(0x0112, 1) in (5, 6, 7, 8) else (w, h)  # 5-8: turned 90 degrees
                if draft_size and im.format == "JPEG":
                    im.draft("RGB", (draft_size, draft_size))
                _check_cost(*im.size, im.mode, max_bytes)  # after the draft: what is really decoded
                im.load()
                ImageOps.exif_transpose(im, in_place=True)  # in place: no copy of an upright image
                return to_rgb(im), upright
    except BadImage:
        raise
    except UnidentifiedImageError:
        raise BadImage("not a readable image (unknown or corrupt format)") from None
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as e:
        text = str(e) or type(e).__name__
        if "truncated" in text:
            raise BadImage(f"truncated image ({text})") from None
        raise BadImage(f"corrupt image ({text})") from None
    except MemoryError:
        raise BadImage("image too large to decode in memory") from None


def stored_extent(w, h, side, cap):
    """(rows, cols) of an upright w x h image in a cache row: shorter side `side`, longer side as
    torchvision's Resize(side) makes it (int(side * long / short)); wider than `cap`: fitted, longer side `cap`."""
    short, long = min(w, h), max(w, h)
    cols = int(side * long / short)
    if cols <= cap:
        return side, cols
    return max(1, int(cap * short / long)), cap


def row_width(side, sizes):
    """Width of the cache array for images of these upright (w, h) sizes: the widest stored image, capped."""
    cap = side * MAX_ASPECT
    return max([side] + [stored_extent(w, h, side, cap)[1] for w, h in sizes])


def probe_size(path):
    """The upright (w, h) of an image from its header (no decode), EXIF rotation applied. Raises BadImage."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                w, h = im.size
                orientation = im.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError, Image.DecompressionBombError) as e:
        raise BadImage(f"not a readable image ({type(e).__name__})") from None
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)  # as _open


def to_row(im, side, width, interpolation, upright=None):
    """A PIL RGB image -> np.uint8 [side + 1, width, 3] cache row (see the module docstring). `upright`:
    the file's full size when `im` is a reduced JPEG decode (the extent follows the full size, as a
    full decode and torchvision's Resize would)."""
    w, h = upright or im.size
    rows, cols = stored_extent(w, h, side, width)
    transposed = h > w
    size = (rows, cols) if transposed else (cols, rows)  # PIL sizes are (width, height)
    if im.size != size:
        im = im.resize(size, INTERPOLATIONS[interpolation])  # no reducing_gap: as torchvision/timm resize
    arr = np.asarray(im, dtype=np.uint8)
    if transposed:
        arr = arr.transpose(1, 0, 2)
    row = np.empty((side + 1, width, 3), dtype=np.uint8)
    row[:rows, :cols] = arr
    row[:rows, cols:] = arr[:, -1:]      # repeat the last column and row: bilinear sampling at the edge
    row[rows:side] = row[rows - 1:rows]  # of the picture then blends in nothing foreign
    row[side] = 0
    row[side, 0] = HEADER_MAGIC
    row[side, 1] = (rows >> 8, rows & 255, int(transposed))
    row[side, 2] = (cols >> 8, cols & 255, 0)
    return row


def read_header(row):
    """(rows, cols, transposed) of a cache row; raises ValueError when it has no header."""
    head = np.asarray(row[-1, :3], dtype=np.int64)
    if tuple(head[0]) != HEADER_MAGIC:
        raise ValueError("not a cache row (no header)")
    return int(head[1, 0] * 256 + head[1, 1]), int(head[2, 0] * 256 + head[2, 1]), bool(head[1, 2])


def decode_row(path, side, width=None, interpolation="bicubic", max_bytes=None):
    """The file at `path` as a cache row np.uint8 [side + 1, width, 3] (width default side * MAX_ASPECT).
    `max_bytes`: what this decode may use (DecodePlan.max_bytes; default: one decoder's). Raises BadImage."""
    width = width or side * MAX_ASPECT
    im, upright = _open(path, side, max_bytes)
    return to_row(im, side, width, interpolation, upright)
