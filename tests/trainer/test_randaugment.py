"""RandAugment as timm defines it (rand-m9-mstd0.5-inc1): each op against timm's own level_to_arg and ops.

timm is installed in the trainer image, so the expected values come from timm/data/auto_augment.py
itself (LEVEL_TO_ARG, NAME_TO_OP on PIL images), not from our code.
"""
import math

import numpy as np
import pytest
import torch
from PIL import Image

from deit_trainer import randaugment as ra
from deit_trainer.augment import train_batch


@pytest.fixture
def timm_args(monkeypatch):
    """timm's level_to_arg for a RandAugment op at magnitude m, positive sign (timm negates at random)."""
    from timm.data import auto_augment as aa
    monkeypatch.setattr(aa, "_randomly_negate", lambda v: v)
    return lambda name, m: aa.LEVEL_TO_ARG[name](m, aa._HPARAMS_DEFAULT)


def one_op(name, m, sign=1.0, b=1):
    """A RandAugment draw with op `name` at magnitude m in slot 0 and nothing in slot 1."""
    op = torch.tensor([[ra.OPS.index(name), 0]] * b)
    return ra.RaChoice(op, torch.full((b, 2), float(m)), torch.full((b, 2), sign),
                            torch.tensor([[True, False]] * b))


def photo(seed=0, size=24):
    """A uint8 RGB test image with smooth regions and edges (histogram not flat)."""
    g = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    img = np.stack([xx * 9 % 256, yy * 7 % 256, (xx + yy) * 3 % 256], 2) // 2 + g.integers(0, 60, (size, size, 3))
    return img.astype(np.uint8)


def to_x(img):
    return torch.from_numpy(img).permute(2, 0, 1).unsqueeze(0).float() / 255


def to_u8(x):
    return (x[0].permute(1, 2, 0) * 255).round().to(torch.uint8).numpy()


def test_op_set_is_timms_increasing_set():
    from timm.data.auto_augment import _RAND_INCREASING_TRANSFORMS
    timm_names = {"AutoContrast": "auto_contrast", "Equalize": "equalize", "Invert": "invert", "Rotate": "rotate",
                  "PosterizeIncreasing": "posterize", "SolarizeIncreasing": "solarize", "SolarizeAdd": "solarize_add",
                  "ColorIncreasing": "color", "ContrastIncreasing": "contrast", "BrightnessIncreasing": "brightness",
                  "SharpnessIncreasing": "sharpness", "ShearX": "shear_x", "ShearY": "shear_y",
                  "TranslateXRel": "translate_x", "TranslateYRel": "translate_y"}
    assert sorted(timm_names[n] for n in _RAND_INCREASING_TRANSFORMS) == sorted(ra.OPS)
    assert (ra.RA_OPS, ra.RA_MAGNITUDE, ra.RA_MAGNITUDE_STD, ra.RA_PROB) == (2, 9, 0.5, 0.5)


@pytest.mark.parametrize("m", [9, 10])
def test_geometric_ops_match_timms_ranges(m, timm_args):
    cases = {
        "rotate": ("Rotate", lambda a: ([[math.cos(math.radians(a)), -math.sin(math.radians(a))],
                                         [math.sin(math.radians(a)), math.cos(math.radians(a))]], [0, 0])),
        # PIL shears about the top-left corner: x' = x + f·y in pixels is x' = x + f·y + f in -1..1 coords
        "shear_x": ("ShearX", lambda f: ([[1, f], [0, 1]], [f, 0])),
        "shear_y": ("ShearY", lambda f: ([[1, 0], [f, 1]], [0, f])),
        "translate_x": ("TranslateXRel", lambda p: ([[1, 0], [0, 1]], [2 * p, 0])),  # a share of the width
        "translate_y": ("TranslateYRel", lambda p: ([[1, 0], [0, 1]], [0, 2 * p])),
    }
    for name, (timm_name, expected) in cases.items():
        arg = timm_args(timm_name, m)[0]
        assert arg == pytest.approx({"rotate": 3, "shear_x": 0.03, "shear_y": 0.03, "translate_x": 0.045,
                                     "translate_y": 0.045}[name] * m)  # timm's formula: ±30°, ±0.3, ±0.45 at m=10
        for sign in (1.0, -1.0):
            a, t = ra.affine(one_op(name, m, sign))
            want_a, want_t = expected(sign * arg)
            assert torch.allclose(a[0], torch.tensor(want_a, dtype=torch.float32), atol=1e-6), name
            assert torch.allclose(t[0], torch.tensor(want_t, dtype=torch.float32), atol=1e-6), name


def test_translate_moves_the_picture_as_pil_does_with_timms_argument(timm_args):
    """End to end through train_batch's grid: a full-image crop, no flip, translate at m=10 (0.45 of 32 px)."""
    from timm.data.auto_augment import translate_x_rel
    img = photo(3, 32)
    pct = timm_args("TranslateXRel", 10)[0]
    want = np.asarray(translate_x_rel(Image.fromarray(img), pct, fillcolor=(128, 128, 128), resample=Image.NEAREST))
    a, t = ra.affine(one_op("translate_x", 10))
    theta = torch.cat([a, t.view(1, 2, 1)], 2)
    grid = torch.nn.functional.affine_grid(theta, [1, 3, 32, 32], align_corners=False)
    x = torch.nn.functional.grid_sample(to_x(img) - 0.5, grid, mode="nearest", align_corners=False) + 0.5
    assert np.abs(to_u8(x).astype(int) - want.astype(int)).max() <= 1


@pytest.mark.parametrize("m", [9, 10])
def test_colour_ops_match_timm_at_its_arguments(m, timm_args):
    """Each colour op on a real uint8 image equals timm's op (PIL) at timm's argument for magnitude m."""
    from timm.data import auto_augment as aa
    img = photo(m)
    cases = {"auto_contrast": "AutoContrast", "equalize": "Equalize", "invert": "Invert",
             "posterize": "PosterizeIncreasing", "solarize": "SolarizeIncreasing", "solarize_add": "SolarizeAdd",
             "color": "ColorIncreasing", "contrast": "ContrastIncreasing", "brightness": "BrightnessIncreasing",
             "sharpness": "SharpnessIncreasing"}
    for name, timm_name in cases.items():
        level_fn = aa.LEVEL_TO_ARG[timm_name]
        for sign in (1.0, -1.0):
            args = level_fn(m, aa._HPARAMS_DEFAULT) if level_fn else ()
            if timm_name.endswith("Increasing") and name not in ("posterize", "solarize"):
                args = (max(0.1, 1 + sign * (args[0] - 1)),)  # timm's random sign, chosen here
            want = np.asarray(aa.NAME_TO_OP[timm_name](Image.fromarray(img), *args)).astype(int)
            got = to_u8(ra.colour(to_x(img), one_op(name, m, sign))).astype(int)
            exact = name in ra.LUT_OPS  # PIL rounds each enhance result to uint8; ours stays float
            assert np.abs(got - want).max() <= (0 if exact else 1), f"{name} sign {sign}: {np.abs(got - want).max()}"


def test_timm_level_args_at_m9_and_m10(timm_args):
    """What the formulas give (posterize keeps 1 bit at m9 in timm too, 0 bits = black at m10)."""
    assert timm_args("PosterizeIncreasing", 9) == (1,) and timm_args("PosterizeIncreasing", 10) == (0,)
    assert timm_args("SolarizeIncreasing", 9) == (26,) and timm_args("SolarizeIncreasing", 10) == (0,)
    assert timm_args("SolarizeAdd", 9) == (99,) and timm_args("SolarizeAdd", 10) == (110,)
    assert timm_args("BrightnessIncreasing", 9)[0] == pytest.approx(1.81)
    img = np.full((4, 4, 3), 200, np.uint8)
    for m, kept in ((9, 128), (10, 0)):  # 1 bit kept: 200 -> 128; 0 bits: black
        assert (to_u8(ra.colour(to_x(img), one_op("posterize", m))) == kept).all()


def test_ops_drawn_off_or_zero_change_nothing():
    img = photo(1)
    off = one_op("equalize", 9)._replace(on=torch.tensor([[False, False]]))
    assert torch.equal(ra.colour(to_x(img), off), to_x(img))
    a, t = ra.affine(one_op("rotate", 9)._replace(on=torch.tensor([[False, False]])))
    assert torch.equal(a[0], torch.eye(2)) and torch.equal(t[0], torch.zeros(2))


def test_draws_follow_timms_distribution():
    d = ra.draw(20000, torch.Generator().manual_seed(0))
    assert d.mag.mean().item() == pytest.approx(9, abs=0.02) and d.mag.std().item() == pytest.approx(0.5, abs=0.02)
    assert 0 <= d.mag.min() and d.mag.max() <= 10
    assert d.on.float().mean().item() == pytest.approx(0.5, abs=0.02)
    counts = torch.bincount(d.op.flatten(), minlength=len(ra.OPS)).float() / d.op.numel()
    assert (counts - 1 / len(ra.OPS)).abs().max() < 0.01


def test_each_op_changes_only_the_images_that_drew_it():
    """Per slot the images are grouped by op: a batch mixing ops equals each image done alone."""
    imgs = [photo(s) for s in range(6)]
    names = ["equalize", "invert", "brightness", "solarize", "sharpness", "posterize"]
    x = torch.cat([to_x(i) for i in imgs])
    draw = ra.RaChoice(torch.tensor([[ra.OPS.index(n), ra.OPS.index("contrast")] for n in names]),
                       torch.full((6, 2), 9.0), torch.tensor([[1.0, -1.0]] * 6),
                       torch.tensor([[True, s % 2 == 0] for s in range(6)]))
    together = ra.colour(x.clone(), draw)
    for k in range(6):
        alone = ra.colour(x[k:k + 1].clone(), ra.RaChoice(*(f[k:k + 1] for f in draw)))
        assert torch.equal(together[k:k + 1], alone)
    assert not torch.equal(together, x)


def test_standard_preset_draws_repeat_under_the_same_seed_and_differ_otherwise():
    a, b, c = (ra.draw(16, torch.Generator().manual_seed(s)) for s in (5, 5, 6))
    assert all(torch.equal(u, v) for u, v in zip(a, b)) and not torch.equal(a.op, c.op)
    x = torch.randint(0, 256, (4, 40, 40, 3), dtype=torch.uint8)
    one, two, other = (train_batch(x, 32, "standard", torch.Generator().manual_seed(s)) for s in (5, 5, 6))
    assert torch.equal(one, two) and not torch.equal(one, other)
