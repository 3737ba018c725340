"""Augmentation on the device, batched: random-resized-crop, flip, RandAugment-like ops, mixup/cutmix.

Usage:
    x = train_batch(x_u8, img_size, "standard", gen)     # uint8 [B,S,S,3] -> normalised float [B,3,img,img]
    x = eval_batch(x_u8, img_size)                       # centre crop, normalised
    x, target = mix_batch(x, y, num_classes, smoothing, rng)   # strong preset: soft targets
All randomness comes from `gen` (a torch.Generator on the batch's device) and `rng` (random.Random),
seeded per step by the caller, so a resumed run repeats the same augmentations. Runs on CPU too.
Every crop, rotation, shear, translation and flip of a sample is one affine map: one grid_sample call.
"""
import math

import torch
import torch.nn.functional as F

MEAN = (0.485, 0.456, 0.406)  # ImageNet statistics, as the DeiT weights were trained with
STD = (0.229, 0.224, 0.225)

# preset -> random-resized-crop scale range and whether RandAugment-like ops are applied
PRESETS = {
    "light": {"scale": (0.35, 1.0), "randaugment": False, "mix": False},
    "standard": {"scale": (0.25, 1.0), "randaugment": True, "mix": False},
    "strong": {"scale": (0.25, 1.0), "randaugment": True, "mix": True},
}
RATIO = (3 / 4, 4 / 3)    # crop aspect ratio range
RA_OPS = 2                # RandAugment: ops per image
RA_MAGNITUDE = 9 / 30     # RandAugment m9 on a 0-30 scale ...
RA_MAGNITUDE_STD = 0.5 / 30  # ... with timm's mstd0.5 jitter
MIXUP_ALPHA, CUTMIX_ALPHA = 0.8, 1.0
GEOMETRIC = ["rotate", "shear_x", "shear_y", "translate_x", "translate_y"]
COLOR = ["identity", "brightness", "contrast", "saturation", "sharpness", "solarize", "posterize", "autocontrast"]
OPS = GEOMETRIC + COLOR


def _normalise(x):
    mean = torch.tensor(MEAN, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(STD, device=x.device).view(1, 3, 1, 1)
    return (x - mean) / std


def _uniform(shape, lo, hi, gen, device):
    return torch.rand(shape, generator=gen, device=device) * (hi - lo) + lo


def _ra_choice(b, gen, device):
    """[B, len(OPS)] magnitudes in 0..1 (0 = op not chosen), RA_OPS ops per image, random sign folded in."""
    ops = torch.randint(len(OPS), (b, RA_OPS), generator=gen, device=device)
    mag = (RA_MAGNITUDE + RA_MAGNITUDE_STD * torch.randn((b, RA_OPS), generator=gen, device=device)).clamp(0, 1)
    sign = torch.where(torch.rand((b, RA_OPS), generator=gen, device=device) < 0.5, -1.0, 1.0)
    out = torch.zeros((b, len(OPS)), device=device)
    return out.scatter_add_(1, ops, mag * sign)


def _affine(b, scale, ra, gen, device):
    """[B,2,3] maps output coords (-1..1) to input coords: crop, flip and the geometric RA ops."""
    area = _uniform(b, scale[0], scale[1], gen, device)
    log_ratio = _uniform(b, math.log(RATIO[0]), math.log(RATIO[1]), gen, device)
    ratio = torch.exp(log_ratio)
    w = torch.sqrt(area * ratio).clamp(max=1.0)
    h = torch.sqrt(area / ratio).clamp(max=1.0)
    cx = (torch.rand(b, generator=gen, device=device) * 2 - 1) * (1 - w)
    cy = (torch.rand(b, generator=gen, device=device) * 2 - 1) * (1 - h)
    flip = torch.where(torch.rand(b, generator=gen, device=device) < 0.5, -1.0, 1.0)
    m = torch.zeros((b, 2, 2), device=device)
    m[:, 0, 0], m[:, 1, 1] = 1.0, 1.0
    if ra is not None:
        angle = ra[:, OPS.index("rotate")] * math.radians(30)
        rot = torch.stack([torch.cos(angle), -torch.sin(angle), torch.sin(angle), torch.cos(angle)], 1).view(b, 2, 2)
        shear = torch.zeros((b, 2, 2), device=device)
        shear[:, 0, 0], shear[:, 1, 1] = 1.0, 1.0
        shear[:, 0, 1] = ra[:, OPS.index("shear_x")] * 0.3
        shear[:, 1, 0] = ra[:, OPS.index("shear_y")] * 0.3
        m = rot @ shear
        cx = cx + ra[:, OPS.index("translate_x")] * 0.45 * 2 * w
        cy = cy + ra[:, OPS.index("translate_y")] * 0.45 * 2 * h
    m = m * torch.stack([w * flip, h], 1).view(b, 1, 2)  # scale (and mirror) the output axes
    return torch.cat([m, torch.stack([cx, cy], 1).view(b, 2, 1)], 2)


def _blend(a, b, factor):
    return (b + (a - b) * factor.view(-1, 1, 1, 1)).clamp(0, 1)


def _gray(x):
    return (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])


def _color_ops(x, ra):
    """Applies the chosen colour ops (x in 0..1) with per-sample masks."""
    def apply(name, fn):
        nonlocal x
        mag = ra[:, OPS.index(name)]
        x = torch.where((mag != 0).view(-1, 1, 1, 1), fn(x, mag), x)  # no data-dependent branch: no GPU sync

    apply("brightness", lambda x, m: _blend(x, torch.zeros_like(x), 1 + 0.9 * m))
    apply("contrast", lambda x, m: _blend(x, _gray(x).mean((1, 2, 3), keepdim=True).expand_as(x), 1 + 0.9 * m))
    apply("saturation", lambda x, m: _blend(x, _gray(x).expand_as(x), 1 + 0.9 * m))
    kernel = torch.tensor([[1, 1, 1], [1, 5, 1], [1, 1, 1]], dtype=x.dtype, device=x.device) / 13
    blur = lambda x: F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), kernel.expand(3, 1, 3, 3), groups=3)
    apply("sharpness", lambda x, m: _blend(x, blur(x), 1 + 0.9 * m))
    apply("solarize", lambda x, m: torch.where(x >= (1 - m.abs()).view(-1, 1, 1, 1), 1 - x, x))
    levels = lambda m: (2 ** (8 - (m.abs() * 4).round())).view(-1, 1, 1, 1)
    apply("posterize", lambda x, m: torch.floor(x * 255 / levels(m)) * levels(m) / 255)
    lo, hi = x.amin((2, 3), keepdim=True), x.amax((2, 3), keepdim=True)
    apply("autocontrast", lambda x, m: torch.where(hi > lo, (x - lo) / (hi - lo).clamp(min=1e-3), x))
    return x


def train_batch(x_u8, img_size, preset, gen):
    """uint8 [B,S,S,3] on device -> augmented, normalised float32 [B,3,img,img]."""
    cfg = PRESETS[preset]
    b = x_u8.shape[0]
    x = x_u8.permute(0, 3, 1, 2).float().div_(255)
    ra = _ra_choice(b, gen, x.device) if cfg["randaugment"] else None
    theta = _affine(b, cfg["scale"], ra, gen, x.device)
    grid = F.affine_grid(theta, [b, 3, img_size, img_size], align_corners=False)
    x = F.grid_sample(x - 0.5, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 0.5  # grey fill
    if ra is not None:
        x = _color_ops(x, ra)
    return _normalise(x)


def eval_batch(x_u8, img_size):
    """uint8 [B,S,S,3] -> centre crop img_size, normalised float32 [B,3,img,img]."""
    side = x_u8.shape[1]
    top = (side - img_size) // 2
    x = x_u8[:, top:top + img_size, top:top + img_size].permute(0, 3, 1, 2).float().div_(255)
    return _normalise(x)


def smooth_one_hot(y, num_classes, smoothing):
    off = smoothing / num_classes
    return torch.full((len(y), num_classes), off, device=y.device).scatter_(1, y.view(-1, 1), 1 - smoothing + off)


def mix_batch(x, y, num_classes, smoothing, rng):
    """Mixup or cutmix (even odds) with the reversed batch -> (x, soft targets)."""
    t = smooth_one_hot(y, num_classes, smoothing)
    if rng.random() < 0.5:
        lam = rng.betavariate(MIXUP_ALPHA, MIXUP_ALPHA)
        x = x * lam + x.flip(0) * (1 - lam)
    else:
        lam = rng.betavariate(CUTMIX_ALPHA, CUTMIX_ALPHA)
        h, w = x.shape[-2:]
        cut = math.sqrt(1 - lam)
        ch, cw = int(h * cut), int(w * cut)
        cy, cx = rng.randrange(h), rng.randrange(w)
        y0, y1 = max(cy - ch // 2, 0), min(cy + ch // 2, h)
        x0, x1 = max(cx - cw // 2, 0), min(cx + cw // 2, w)
        x = x.clone()
        x[:, :, y0:y1, x0:x1] = x.flip(0)[:, :, y0:y1, x0:x1]
        lam = 1 - (y1 - y0) * (x1 - x0) / (h * w)
    return x, t * lam + t.flip(0) * (1 - lam)
