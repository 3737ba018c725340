"""On-device augmentation (run here on CPU): shapes, ranges, determinism, mixup/cutmix targets."""
import random

import torch
from deit_trainer.augment import eval_batch, mix_batch, train_batch


def batch(seed=0):
    return torch.randint(0, 256, (8, 38, 38, 3), dtype=torch.uint8, generator=torch.Generator().manual_seed(seed))


def test_presets_give_normalised_batches_and_repeat_under_the_same_seed():
    x = batch()
    for preset in ("light", "standard", "strong"):
        a = train_batch(x, 32, preset, torch.Generator().manual_seed(1))
        b = train_batch(x, 32, preset, torch.Generator().manual_seed(1))
        c = train_batch(x, 32, preset, torch.Generator().manual_seed(2))
        assert a.shape == (8, 3, 32, 32) and a.dtype == torch.float32 and torch.isfinite(a).all()
        assert torch.equal(a, b) and not torch.equal(a, c)
        assert -2.5 < a.min() and a.max() < 2.8  # normalised pixel range


def test_eval_is_a_deterministic_centre_crop():
    x = batch()
    rows = torch.cat([x, torch.zeros_like(x[:, :1])], 1)  # a row without a header: the rows above are the picture
    e = eval_batch(rows, 32)
    assert e.shape == (8, 3, 32, 32) and torch.equal(e, eval_batch(rows, 32))
    centre = x[:, 3:35, 3:35].permute(0, 3, 1, 2).float() / 255
    assert torch.allclose(e[:, 0] * 0.229 + 0.485, centre[:, 0], atol=1e-5)


def test_mixup_cutmix_soft_targets_sum_to_one_and_mix_two_classes():
    x = train_batch(batch(), 32, "strong", torch.Generator().manual_seed(0))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    for seed in range(6):  # both mixup and cutmix branches
        mixed, t = mix_batch(x, y, 3, 0.1, random.Random(seed))
        assert mixed.shape == x.shape and torch.allclose(t.sum(1), torch.ones(8))
        assert (t > 0.05).sum(1).min() >= 1
