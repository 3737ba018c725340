"""How several processes share an epoch (loader.py with rank/world) and the launcher's `all` without GPUs.

Each image's label is its own index, so the labels a loader yields say exactly which images it gave.
"""
import numpy as np

from conftest import of_type, read_events, run_cli, write_config
from deit_trainer.loader import BatchLoader

N = 37  # not a multiple of any batch below: the last batch is filled from the next epoch's order


def loader(n=N):
    return BatchLoader(np.zeros((n, 2, 2, 3), np.uint8), list(range(n)), list(range(n)), "cpu")


def take(batches):
    return [(step, y.tolist(), n_real) for step, _, y, n_real in batches]


def test_every_rank_takes_its_share_of_the_single_process_batches():
    ld = loader()
    assert take(ld.epoch(2, 8, 0, 5, rank=0, world=1)) == take(ld.epoch(2, 8, 0, 5))  # one process: as before
    for world in (2, 3):
        per = 4
        single = take(ld.epoch(2, per * world, 0, 5))
        shares = [take(ld.epoch(2, per, 0, 5, rank=r, world=world)) for r in range(world)]
        assert all(len(s) == len(single) for s in shares)  # every rank the same number of steps
        for k, (step, ys, n_real) in enumerate(single):
            assert [s[k][0] for s in shares] == [step] * world
            assert sum((s[k][1] for s in shares), []) == ys  # the global batch, cut in rank order
            assert sum(s[k][2] for s in shares) == n_real
        this_epoch = [y for s in shares for _, ys, n_real in s for y in ys[:n_real]]
        assert sorted(this_epoch) == list(range(N))  # each image once in its epoch, none left out


def test_a_resume_at_a_global_sample_continues_with_any_process_count():
    ld = loader()
    single = take(ld.epoch(1, 8, 0, 3))
    for world, per in ((1, 8), (2, 4), (4, 2)):
        shares = [take(ld.epoch(1, per, 16, 3, rank=r, world=world)) for r in range(world)]
        assert [sum((s[k][1] for s in shares), []) for k in range(len(shares[0]))] == [ys for _, ys, _ in single[2:]]


def test_validation_shares_cover_every_image_once():
    ld = loader()
    for world in (1, 2, 3, 5):
        seen = []
        for r in range(world):
            for _, y, n_real in ld.sequential(4, r, world):
                assert len(y) == 4  # padded to one shape
                seen += y[:n_real].tolist()
        assert seen == list(range(N))


def test_launch_all_without_a_gpu_runs_the_plain_trainer(learnable, tmp_path, weights_dir, cache_dir):
    run = tmp_path / "run"
    cfg = write_config(run, learnable, weights_dir, cache_dir, train={"epochs": 1})
    code, _ = run_cli("launch", "--nproc-per-node", "all", "train", "--config", cfg)
    events = read_events(run)
    assert code == 0 and events[-1]["type"] == "finished"
    started = of_type(events, "run_started")[0]
    assert "world_size" not in started and started["device"]["kind"] == "cpu"  # one process, files as before
