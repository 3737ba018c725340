"""Augmentation on the device, batched: random-resized-crop, flip, RandAugment, mixup/cutmix.

Usage:
    x = train_batch(x_u8, img_size, "standard", gen)     # cache rows [B,S+1,W,3] -> normalised [B,3,img,img]
    x = eval_batch(x_u8, img_size)                       # the model's resize + centre crop, normalised
    x, target = mix_batch(x, y, num_classes, smoothing, rng)   # strong preset: soft targets
All randomness comes from `gen` (a torch.Generator on the batch's device) and `rng` (random.Random),
seeded per step by the caller, so a resumed run repeats the same augmentations. Runs on CPU too.
Every crop, rotation, shear, translation and flip of a sample is one affine map: one grid_sample call.

RandAugment (timm's rand-m9-mstd0.5-inc1, as in DeiT) lives in randaugment.py.
"""
import math

import torch
import torch.nn.functional as F

from . import randaugment
from .crops import centre_crop, content, extent, inside, random_resized_crop, stored_theta

MEAN = (0.485, 0.456, 0.406)  # ImageNet statistics, as the DeiT weights were trained with
STD = (0.229, 0.224, 0.225)

# preset -> random-resized-crop scale range and whether RandAugment is applied
PRESETS = {
    "light": {"scale": (0.35, 1.0), "randaugment": False, "mix": False},
    "standard": {"scale": (0.25, 1.0), "randaugment": True, "mix": False},
    "strong": {"scale": (0.25, 1.0), "randaugment": True, "mix": True},
}
RATIO = (3 / 4, 4 / 3)    # crop aspect ratio range
MIXUP_ALPHA, CUTMIX_ALPHA = 0.8, 1.0


_MEAN_STD = {}  # device -> (mean, std) [1,3,1,1]: made once, since torch.tensor(..., device=cuda) blocks the host


def _mean_std(device):
    if device not in _MEAN_STD:
        _MEAN_STD[device] = (torch.tensor(MEAN, device=device).view(1, 3, 1, 1),
                             torch.tensor(STD, device=device).view(1, 3, 1, 1))
    return _MEAN_STD[device]


def _normalise(x):
    mean, std = _mean_std(x.device)
    return (x - mean) / std


def _affine(ext, scale, ra, gen):
    """[B,2,3] maps output coords (-1..1) to the cache rows' (crops.py): crop, flip, geometric RA ops."""
    b, device = ext.rows.shape[0], ext.rows.device
    cx, cy, w, h = random_resized_crop(ext, scale, RATIO, gen)  # in upright pixels of the whole picture
    flip = torch.where(torch.rand(b, generator=gen, device=device) < 0.5, -1.0, 1.0)
    d = torch.stack([w / 2 * flip, h / 2], 1)  # crop half-size (and mirror) per output axis, in pixels
    if ra is None:
        return stored_theta(ext, torch.diag_embed(d), torch.stack([cx, cy], 1))
    # RandAugment acts on the flipped crop (timm: crop, flip, then RandAugment): input = D(A·u + t) + c
    a, t = (randaugment.to_device(v, device) for v in randaugment.affine(ra))
    m = d.view(b, 2, 1) * a
    c = torch.stack([cx, cy], 1) + d * t
    return stored_theta(ext, m, c)


def train_batch(x_u8, img_size, preset, gen):
    """uint8 cache rows [B,S+1,W,3] on device (decode.py) -> augmented, normalised float32 [B,3,img,img]."""
    cfg = PRESETS[preset]
    b = x_u8.shape[0]
    ext = extent(x_u8)
    x = content(x_u8)
    ra = randaugment.draw(b, gen) if cfg["randaugment"] else None
    theta = _affine(ext, cfg["scale"], ra, gen)
    grid = F.affine_grid(theta, [b, 3, img_size, img_size], align_corners=False)
    x = F.grid_sample(x - 0.5, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 0.5  # grey fill
    x = torch.where(inside(grid, ext).unsqueeze(1), x, 0.5)  # grey outside the picture (rows are padded)
    if ra is not None:
        x = randaugment.colour(x, ra)
    return _normalise(x)


def eval_batch(x_u8, img_size):
    """uint8 cache rows [B,S+1,W,3] -> the model's eval resize + centre crop (crops.py), normalised
    float32 [B,3,img,img]. Validation, the test split and predict.py all go through here."""
    return _normalise(centre_crop(x_u8, img_size))


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
