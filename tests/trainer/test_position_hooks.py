"""Position (what last.pt keeps of where a run is) and the test hooks (testhooks.py), without a training."""
import pytest
import torch

from deit_trainer.position import Position, StepWindow
from deit_trainer.testhooks import TestHooks


def test_position_keeps_the_checkpoint_dict_it_always_had():
    pos = Position(epoch=2, sample=16, global_step=5, loss_sum=1.5, loss_count=3, epoch_time=0.5, correct=7, seen=9)
    saved = pos.to_dict()
    assert list(saved) == ["epoch", "sample", "global_step", "loss_sum", "loss_count", "epoch_time", "correct", "seen"]
    assert Position.from_checkpoint(saved) == pos


def test_an_older_checkpoint_without_training_accuracy_sums_resumes_with_them_at_zero():
    old = {"epoch": 3, "sample": 0, "global_step": 9, "loss_sum": 0.0, "loss_count": 0, "epoch_time": 0.0}
    pos = Position.from_checkpoint(old)
    assert (pos.epoch, pos.global_step, pos.correct, pos.seen) == (3, 9, 0, 0)
    assert pos.train_top1() is None


def test_a_window_adds_into_the_epoch_sums_and_the_next_epoch_keeps_only_the_global_step():
    pos, window = Position(), StepWindow(started=0.0)
    window.add(torch.tensor(2.0), torch.tensor(3), 4)
    window.add(torch.tensor(1.0), torch.tensor(1), 4)
    pos.add(window)
    pos.global_step = 2
    assert (pos.loss_sum, pos.loss_count, pos.correct, pos.seen) == (3.0, 2, 4, 8)
    assert pos.train_loss() == 1.5 and pos.train_top1() == 0.5
    assert pos.next_epoch() == Position(epoch=2, global_step=2)


def test_the_fault_hooks_read_the_same_environment_variables():
    hooks = TestHooks.from_env({"DEIT_TRAINER_FAULT": "oom_at_step:2,stop_at_step:5"})
    hooks.before_step(1)
    with pytest.raises(torch.OutOfMemoryError):
        hooks.before_step(2)
    hooks.before_step(2)  # once only: the retried step goes through
    assert [hooks.stop_after(g) for g in (4, 5, 6)] == [False, True, False]
    assert not hooks.keep_stream_open()
    assert TestHooks.from_env({"DEIT_TRAINER_KEEP_OPEN": ""}).keep_stream_open()


def test_no_environment_means_no_faults():
    hooks = TestHooks.from_env({})
    for g in range(1, 10):
        hooks.before_step(g)
        assert not hooks.stop_after(g)
