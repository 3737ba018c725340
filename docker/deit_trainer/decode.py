"""Decode one image file into a square uint8 RGB array, the way every image enters the trainer.

Usage:
    arr = decode_square("/data/cats/1.jpg", 256)      # np.uint8 [256, 256, 3], or raises BadImage
Steps: header check (decompression-bomb guard) -> JPEG draft (fast reduced decode) -> EXIF rotation ->
RGB (grayscale, RGBA/LA/palette over white, CMYK, 16-bit scaled) -> resize the shorter side to `size`
(antialiased) -> centre crop. Imports no torch: it runs in the cache's worker processes.
"""
import warnings

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_PIXELS = 100_000_000  # larger images are skipped (a 10k x 10k photo is fine; a bomb is not)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".jfif"}

Image.MAX_IMAGE_PIXELS = None  # our own check below gives a clear reason instead of PIL's error
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is reported, not silently padded


class BadImage(Exception):
    """A file that cannot be used; str(e) is the plain-language reason."""


def to_rgb(im):
    """Any PIL mode -> 8-bit RGB; transparency is composited over white."""
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or arr.max() > 255 else 255.0
        arr = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(arr, "L").convert("RGB")
    if mode == "P" and "transparency" in im.info:
        im, mode = im.convert("RGBA"), "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, im).convert("RGB")
    if mode != "RGB":
        return im.convert("RGB")
    return im


def load_rgb(path):
    """Opens, checks, decodes and orients an image -> PIL RGB. Raises BadImage."""
    return _open(path, None)


def _open(path, draft_size):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise BadImage(f"image too large ({w}x{h} pixels; the limit is {MAX_PIXELS})")
                if w < 1 or h < 1:
                    raise BadImage("image has no pixels")
                if draft_size and im.format == "JPEG":
                    im.draft("RGB", (draft_size, draft_size))
                im.load()
                im = ImageOps.exif_transpose(im)
                return to_rgb(im)
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


def resize_square(im, size):
    """Resizes the shorter side to `size` and centre-crops a size x size square."""
    w, h = im.size
    scale = size / min(w, h)
    nw, nh = max(size, round(w * scale)), max(size, round(h * scale))
    im = im.resize((nw, nh), Image.BILINEAR, reducing_gap=None if scale > 0.5 else 2.0)
    left, top = (nw - size) // 2, (nh - size) // 2
    return im.crop((left, top, left + size, top + size))


def decode_square(path, size):
    """The file at `path` as np.uint8 [size, size, 3]. Raises BadImage."""
    im = _open(path, size)
    return np.asarray(resize_square(im, size), dtype=np.uint8)


def cache_size(img_size):
    """Side of the cached square: img_size / 0.875 (the usual eval crop ratio), rounded up to even."""
    side = -(-img_size * 8 // 7)
    return side + (side % 2)
