"""RandAugment as timm defines it (`rand-m9-mstd0.5-inc1`, the DeiT recipe), batched on the device.

Usage (augment.train_batch does this):
    ra = draw(b, gen)                  # per image: RA_OPS ops, magnitudes, signs, on/off (CPU tensors)
    a, t = affine(ra)                  # the geometric ops as one map of output coords: u -> a·u + t
    x = colour(x, ra)                  # x float [B,3,H,W] in 0..1, the colour ops applied in place
Reference: timm/data/auto_augment.py (rand_augment_transform, _RAND_INCREASING_TRANSFORMS,
*_level_to_arg). Per image, 2 ops are drawn with replacement from timm's 15 "increasing" ops, each
applied with probability 0.5 at a magnitude drawn from N(9, 0.5) clipped to [0, 10]; level = m/10:

| op | argument at level l (m=9 / m=10) |
|---|---|
| rotate | ±30°·l about the centre (27° / 30°) |
| shear_x, shear_y | ±0.3·l, about the top-left corner as PIL does (0.27 / 0.3) |
| translate_x, translate_y | ±0.45·l of the image side (0.405 / 0.45) |
| color, contrast, brightness, sharpness | PIL ImageEnhance factor max(0.1, 1 ± 0.9·l) (1.81 or 0.19 / 1.9 or 0.1) |
| posterize | keep 4 − ⌊4·l⌋ bits (1 bit / 0 bits = black) |
| solarize | invert levels ≥ 256 − ⌊256·l⌋ (26 / 0) |
| solarize_add | add ⌊110·l⌋ to levels below 128 (99 / 110) |
| auto_contrast, equalize, invert | PIL ImageOps, no argument |

Geometric ops leave a grey (128) fill. Tests compare every op with timm's own functions.
Differences from timm, for batching: the geometric ops of both slots are folded into the crop's one
affine map and applied before the colour ops (timm applies the two in the order drawn, so a colour op
drawn first leaves the fill grey), and the image is resampled once (bilinear) instead of once per op.

Why the draw is on the CPU: each colour op then runs only on the images that drew it (index_select,
variable sizes, no GPU sync to find them), not on the whole batch under a mask. The CPU generator is
seeded from `gen.initial_seed()`, so the caller must seed `gen` per batch (train.py seeds it per step:
a resumed run repeats the same draws).
"""
from typing import NamedTuple

import torch

RA_OPS = 2                # ops per image (timm n=2, drawn with replacement)
RA_MAGNITUDE = 9          # m9 on timm's 0..10 scale (_LEVEL_DENOM = 10): level = magnitude / 10
RA_MAGNITUDE_STD = 0.5    # mstd0.5: each op's magnitude ~ N(9, 0.5) ...
RA_MAGNITUDE_MAX = 10     # ... clipped to [0, 10]
RA_PROB = 0.5             # timm applies each drawn op with this probability
RA_LEVEL_DENOM = 10
SEED_SALT = 0x5DEECE66D   # the CPU draw's stream differs from the crop's stream on the same seed

GEOMETRIC = ["rotate", "shear_x", "shear_y", "translate_x", "translate_y"]
LUT_OPS = ["auto_contrast", "equalize", "invert", "posterize", "solarize", "solarize_add"]  # per-level tables
BLEND_OPS = ["color", "contrast", "brightness", "sharpness"]  # PIL ImageEnhance: blend with a degenerate image
OPS = GEOMETRIC + LUT_OPS + BLEND_OPS  # timm's _RAND_INCREASING_TRANSFORMS, 15 ops


class RaChoice(NamedTuple):
    """RandAugment's draw for a batch, CPU tensors [B, RA_OPS], slot by slot in the order timm applies them."""
    op: torch.Tensor     # index into OPS
    mag: torch.Tensor    # magnitude on timm's 0..10 scale
    sign: torch.Tensor   # -1 or 1 (timm's _randomly_negate; unused by the unsigned ops)
    on: torch.Tensor     # whether the op is applied (probability RA_PROB)


def draw(b, gen):
    """Draws the ops of b images on the CPU, seeded from the (per-batch seeded) generator `gen`."""
    host = torch.Generator().manual_seed((gen.initial_seed() ^ SEED_SALT) % 2 ** 63)
    shape = (b, RA_OPS)
    op = torch.randint(len(OPS), shape, generator=host)
    mag = (RA_MAGNITUDE + RA_MAGNITUDE_STD * torch.randn(shape, generator=host)).clamp(0, RA_MAGNITUDE_MAX)
    sign = torch.where(torch.rand(shape, generator=host) < 0.5, -1.0, 1.0)
    on = torch.rand(shape, generator=host) < RA_PROB
    return RaChoice(op, mag, sign, on)


def to_device(t, device):
    """A small CPU tensor to the device without waiting for the GPU (pinned, non-blocking)."""
    device = torch.device(device)
    return t.pin_memory().to(device, non_blocking=True) if device.type == "cuda" else t


def affine(ra):
    """The geometric ops as one map of output coords (-1..1) to the flipped crop's: (a [B,2,2], t [B,2]), CPU.

    Output -> input as PIL's transforms: rotate about the centre; shear_x x' = x + f·y in pixels from the
    top-left corner, which is x' = x + f·y + f in -1..1 coords; translate by a share p of the side, 2p in
    -1..1 coords. Slots compose in order: the first op drawn acts last on the output coords, as in timm.
    """
    b, n = ra.op.shape
    a_total, t_total = torch.eye(2).expand(b, 2, 2), torch.zeros((b, 2))
    for k in range(n):
        level = ra.sign[:, k] * ra.mag[:, k] / RA_LEVEL_DENOM * ra.on[:, k]
        is_op = lambda name: (ra.op[:, k] == OPS.index(name)).float()
        angle = torch.deg2rad(30 * level * is_op("rotate"))
        shear_x, shear_y = 0.3 * level * is_op("shear_x"), 0.3 * level * is_op("shear_y")
        cos, sin = torch.cos(angle), torch.sin(angle)
        a = torch.stack([cos, -sin + shear_x, sin + shear_y, cos], 1).view(b, 2, 2)  # one op per slot
        t = torch.stack([shear_x + 2 * 0.45 * level * is_op("translate_x"),
                         shear_y + 2 * 0.45 * level * is_op("translate_y")], 1)
        t_total = t_total + (a_total @ t.unsqueeze(2)).squeeze(2)
        a_total = a_total @ a
    return a_total, t_total


# ---- colour ops: x [n,3,H,W] in 0..1 (the images that drew the op), m magnitudes [n], s signs [n] ----------
def _gray(x):
    return 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]  # PIL's "L" conversion


def _smooth(x):
    """PIL's ImageFilter.SMOOTH (3x3: 1s around a 5, /13); PIL keeps the border pixels as they are."""
    rows = x[:, :, :, :-2] + x[:, :, :, 1:-1] + x[:, :, :, 2:]  # separable box sum: cheaper than a conv
    box = rows[:, :, :-2] + rows[:, :, 1:-1] + rows[:, :, 2:]
    out = x.clone()
    out[:, :, 1:-1, 1:-1] = (box + 4 * x[:, :, 1:-1, 1:-1]) / 13
    return out


def _enhance(degenerate):
    """PIL ImageEnhance (blend(degenerate, image, factor)) with timm's *Increasing factor max(0.1, 1 ± 0.9·l)."""
    def op(x, m, s):
        factor = (1 + s * 0.9 * m / RA_LEVEL_DENOM).clamp(min=0.1).view(-1, 1, 1, 1)
        d = degenerate(x)
        return (d + (x - d) * factor).clamp(0, 1)
    return op


def _table(make):
    """A per-level table op on the uint8 levels PIL works with: make(q, levels, m) -> [n, 3 or 1, 256]."""
    def op(x, m, s):
        q = (x * 255).round().long()
        v = torch.arange(256, device=x.device).view(1, 1, 256)
        table = make(q, v, m.view(-1, 1, 1)).expand(x.shape[0], 3, 256)
        return table.gather(2, q.flatten(2)).view_as(q).to(x.dtype) / 255
    return op


def _auto_contrast(q, v, m):
    """ImageOps.autocontrast (cutoff 0): each channel's min..max to 0..255, int(v·scale + offset) as PIL."""
    lo, hi = q.amin((2, 3)).unsqueeze(2).double(), q.amax((2, 3)).unsqueeze(2).double()
    scale = torch.full_like(hi, 255.0) / (hi - lo).clamp(min=1)  # not 255.0 / t: torch computes that as 255·(1/t)
    stretched = (v * scale - lo * scale).floor().clamp(0, 255).long()
    return torch.where(hi > lo, stretched, v)


def _equalize(q, v, m):
    """ImageOps.equalize: step = (pixels − count of the last used level) // 255, lut = (step//2 + cum) // step."""
    n = q.shape[0]
    hist = torch.zeros((n * 3, 256), device=q.device).scatter_add_(
        1, q.reshape(n * 3, -1), torch.ones((1, 1), device=q.device).expand(n * 3, q[0, 0].numel()))
    hist = hist.long().view(n, 3, 256)
    last_used = torch.where(hist > 0, v, 0).amax(2, keepdim=True)
    step = (hist.sum(2, keepdim=True) - hist.gather(2, last_used)) // 255
    spread = (step // 2 + hist.cumsum(2) - hist) // step.clamp(min=1)
    return torch.where(step > 0, spread.clamp(max=255), v)


# Multiplying before dividing keeps the m=9 arguments exact in float32 (990 / 10 = 99, not 98.99...).
def _posterize(q, v, m):  # PosterizeIncreasing: keep 4 - int(4·l) bits
    drop = (2 ** (4 + torch.floor(m * 4 / RA_LEVEL_DENOM))).long()
    return v // drop * drop


def _solarize(q, v, m):  # SolarizeIncreasing: invert from 256 - int(256·l)
    return torch.where(v >= 256 - torch.floor(m * 256 / RA_LEVEL_DENOM), 255 - v, v)


def _solarize_add(q, v, m):  # SolarizeAdd: + int(110·l) below 128
    return torch.where(v < 128, (v + torch.floor(m * 110 / RA_LEVEL_DENOM).long()).clamp(max=255), v)


COLOUR_OPS = {
    "auto_contrast": _table(_auto_contrast),
    "equalize": _table(_equalize),
    "invert": lambda x, m, s: 1 - x,
    "posterize": _table(_posterize),
    "solarize": _table(_solarize),
    "solarize_add": _table(_solarize_add),
    "color": _enhance(lambda x: _gray(x)),
    "contrast": _enhance(lambda x: _gray(x).mean((1, 2, 3), keepdim=True)),
    "brightness": _enhance(lambda x: torch.zeros_like(x)),
    "sharpness": _enhance(_smooth),
}


def colour(x, ra):
    """Applies each slot's colour ops in turn (x float [B,3,H,W] in 0..1, changed in place and returned).

    Per slot the images are sorted by op on the CPU; each op runs once on the images that drew it.
    """
    for k in range(ra.op.shape[1]):
        code = torch.where(ra.on[:, k], ra.op[:, k], -1)
        order = torch.argsort(code, stable=True)
        counts = torch.bincount(code + 1, minlength=len(OPS) + 1).tolist()
        index = to_device(order, x.device)
        params = to_device(torch.stack([ra.mag[order, k], ra.sign[order, k]]), x.device)
        start = counts[0]  # images with no op in this slot come first
        for name, n in zip(OPS, counts[1:]):
            if n and name in COLOUR_OPS:
                rows = index[start:start + n]
                x.index_copy_(0, rows, COLOUR_OPS[name](x.index_select(0, rows), params[0, start:start + n],
                                                        params[1, start:start + n]))
            start += n
    return x

