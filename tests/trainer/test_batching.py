"""The automatic batch size (batching.py) and the training loader's epochs (loader.py): enough steps
per epoch on small sets, the largest batch that fits on large ones, every image in every epoch."""
import json
import os

import numpy as np
import pytest
import torch
from conftest import MODEL, PROTOCOL_DIR
from deit_trainer.batching import (GIB, MAX_AUTO_BATCH, MIN_BATCH, MIN_STEPS, auto_batch, choose_batch,
                                   estimate_fitted_batch, estimated_training_bytes, fixed_batch)
from deit_trainer.loader import BatchLoader

with open(os.path.join(PROTOCOL_DIR, "fixtures", "batch-rule-cases.json")) as f:
    CASES = json.load(f)["cases"]  # shared with tests/unit/contract/batch-rule.test.ts


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['n_train']}img-fit{c['fitted']}-{c['device']}")
def test_the_rule_matches_the_shared_table(case):
    got = choose_batch(case["n_train"], case["fitted"], case["device"])
    assert (got.batch_size, got.steps_per_epoch, got.limit) == (case["batch_size"], case["steps_per_epoch"], case["limit"])
    assert got.why.startswith(f"Batch size {got.batch_size}: ") and f"{case['n_train']:,}" in got.why


@pytest.mark.parametrize("fitted", [512, 64, 8])
def test_enough_steps_where_the_set_allows_else_the_largest_that_fits(fitted):
    for n in list(range(1, 3000)) + [10_000, 54_321, 1_000_000]:
        c = choose_batch(n, fitted, "cuda")
        assert 1 <= c.batch_size <= min(n, fitted) and c.steps_per_epoch == -(-n // c.batch_size)
        if c.batch_size < MIN_BATCH:  # only a tiny set, or a GPU that fits no more
            assert c.batch_size in (n, fitted)
        if c.steps_per_epoch < MIN_STEPS:  # few steps only because the batch is already at its floor
            assert c.batch_size == min(MIN_BATCH, n, fitted), (n, c)
        elif c.limit == "steps":  # the largest multiple of 8 still giving MIN_STEPS steps
            assert c.batch_size % 8 == 0 and -(-n // (c.batch_size + 8)) < MIN_STEPS, (n, c)
        if c.limit == "memory":
            assert c.batch_size == fitted


def test_a_thousand_images_on_a_big_gpu_get_steps_not_one_huge_batch():
    before = 1000 // 512  # the old rule: the largest batch that fits, last short batch dropped
    c = choose_batch(1000, 512, "cuda")
    assert before == 1 and c.batch_size == 32 and c.steps_per_epoch == 32 and c.limit == "steps"


def test_a_set_batch_size_is_kept_and_capped_at_the_training_images():
    assert fixed_batch(100, 64)[:3] == (64, 2, "config")
    c = fixed_batch(20, 64)
    assert (c.batch_size, c.steps_per_epoch) == (20, 1) and "lowered to the 20 training images" in c.why


def test_the_memory_estimate_matches_the_h100_measurements_and_shrinks_the_batch_on_small_gpus():
    import timm
    small = timm.create_model("deit_small_patch16_224", num_classes=10)
    base = timm.create_model("deit_base_patch16_224", num_classes=10)
    # docs/benchmarks.md: peak 16.9 GiB (DeiT-S) and 33.8 GiB (DeiT-B) at batch 512, bf16, compiled
    for model, measured in ((small, 16.9), (base, 33.8)):
        estimate = estimated_training_bytes(model, 512) / GIB
        assert measured <= estimate <= 1.3 * measured, (estimate, measured)
    assert estimate_fitted_batch(base, 80 * GIB) == MAX_AUTO_BATCH
    fits = [estimate_fitted_batch(base, gb * GIB) for gb in (80, 24, 12, 8, 4)]
    assert fits == sorted(fits, reverse=True) and fits[-1] < fits[0]
    assert estimated_training_bytes(base, fits[2]) <= 0.85 * 12 * GIB < estimated_training_bytes(base, 2 * fits[2])


def test_auto_batch_decides_as_on_a_given_gpu_without_one():
    import timm
    model = timm.create_model(MODEL, num_classes=3, img_size=32)
    cpu = torch.device("cpu")
    assert auto_batch(model, 32, cpu, "fp32", 1_000_000)[:3] == (32, 31250, "cpu")
    big = auto_batch(model, 32, cpu, "fp32", 1_000_000, assume_gpu_gb=80)
    assert big[:3] == (512, 1954, "max") and "as on a GPU with 80 GB" in big.why
    assert auto_batch(model, 32, cpu, "fp32", 1438, assume_gpu_gb=80)[:3] == (48, 30, "steps")
    base = timm.create_model("deit_base_patch16_224", num_classes=3)
    tight = auto_batch(base, 224, cpu, "fp32", 100_000, assume_gpu_gb=4)
    assert tight.limit == "memory" and tight.batch_size < 64


def loader_over_numbered_rows(n_rows, rows):
    """A loader whose images hold their own row number (so a batch says which rows it holds)."""
    array = np.zeros((n_rows, 2, 2, 3), dtype=np.uint8)
    array[:, 0, 0, 0] = np.arange(n_rows) % 256
    array[:, 0, 0, 1] = np.arange(n_rows) // 256
    labels = [r % 3 for r in rows]
    return BatchLoader(array, rows, labels, "cpu")


def rows_of(x):
    return (x[:, 0, 0, 0].long() + 256 * x[:, 0, 0, 1].long()).tolist()


@pytest.mark.parametrize("n, batch", [(36, 16), (100, 7), (64, 16), (5, 5), (300, 32)])
def test_every_image_is_in_every_epoch_in_batches_of_one_shape(n, batch):
    rows = list(range(3, 3 + 2 * n, 2))  # a subset of the cache's rows, as a split gives
    loader = loader_over_numbered_rows(3 + 2 * n, rows)
    for epoch in (1, 2):
        batches = list(loader.epoch(epoch, batch, 0, seed=7))
        assert len(batches) == loader.steps_per_epoch(batch) == -(-n // batch)
        assert [b[0] for b in batches] == list(range(len(batches)))
        assert all(x.shape[0] == batch and y.shape[0] == batch for _, x, y, _ in batches)
        counted = []
        for _, x, y, n_real in batches:
            held = rows_of(x)
            assert y.tolist() == [r % 3 for r in held]
            counted += held[:n_real]
        assert sorted(counted) == rows  # each image once, counted once
        filled = [r for _, x, _, n_real in batches for r in rows_of(x)[n_real:]]
        assert len(filled) == len(batches) * batch - n
        next_epoch = rows_of(next(iter(loader.epoch(epoch + 1, n, 0, seed=7)))[1])
        assert filled == next_epoch[:len(filled)]  # the next epoch's first images fill the last batch


def test_an_epoch_resumed_mid_way_gives_the_same_batches():
    rows = list(range(50))
    loader = loader_over_numbered_rows(50, rows)
    whole = [(s, rows_of(x), k) for s, x, _, k in loader.epoch(3, 8, 0, seed=1)]
    again = [(s, rows_of(x), k) for s, x, _, k in loader.epoch(3, 8, 0, seed=1)]
    resumed = [(s, rows_of(x), k) for s, x, _, k in loader.epoch(3, 8, 24, seed=1)]
    assert whole == again and resumed == whole[3:]
    halved = [(s, rows_of(x), k) for s, x, _, k in loader.epoch(3, 4, 24, seed=1)]  # after an out-of-memory step-down
    assert [s for s, _, _ in halved] == list(range(6, 13))
    real = [r for _, rs, k in halved for r in rs[:k]]
    assert real == [r for _, rs, k in whole[3:] for r in rs[:k]] and len(real) == 50 - 24
