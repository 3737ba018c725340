"""No host syncs in the augmentation step: device constants are made once, not per batch (issue 19).

On a GPU, `torch.tensor(data, device=cuda)` copies from pageable host memory and blocks the host until
the copy is done; the step must not do that per batch. Here on the processor the same calls are counted
with a torch function mode (the GPU machine can check with `torch.cuda.set_sync_debug_mode("error")`).
"""
import torch
from deit_trainer.augment import eval_batch, train_batch
from torch.overrides import TorchFunctionMode

HOST_COPIES = {torch.tensor, torch.as_tensor}


class CountHostCopies(TorchFunctionMode):
    """Counts factories that copy host data to an explicit device (a blocking copy on CUDA)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in HOST_COPIES and kwargs.get("device") is not None:
            self.calls.append(func.__name__)
        return func(*args, **kwargs)


def rows(seed=0):
    return torch.randint(0, 256, (8, 38, 38, 3), dtype=torch.uint8, generator=torch.Generator().manual_seed(seed))


def test_the_counter_sees_a_per_batch_device_constant():
    with CountHostCopies() as counter:
        torch.tensor((0.5, 0.5, 0.5), device=torch.device("cpu"))
    assert counter.calls == ["tensor"]  # the mode intercepts factories, so the test below can fail


def test_augmenting_a_batch_makes_no_device_constants_after_the_first():
    x = rows()
    for preset in ("light", "standard", "strong"):
        train_batch(x, 32, preset, torch.Generator().manual_seed(0))  # warm-up: constants made once per device
        with CountHostCopies() as counter:
            for seed in range(3):
                train_batch(x, 32, preset, torch.Generator().manual_seed(seed))
                eval_batch(torch.cat([x, torch.zeros_like(x[:, :1])], 1), 32)
        assert counter.calls == [], f"{preset}: {counter.calls}"
