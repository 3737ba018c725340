"""Test-only hooks: faults the trainer tests inject at named points of a run. Never set by the app.

Usage (train.py / finish.py call these at the named points; each is a no-op unless the env asks):
    hooks = TestHooks.from_env()           # reads DEIT_TRAINER_FAULT and DEIT_TRAINER_KEEP_OPEN
    hooks.before_step(global_step)         # `oom_at_step:N`: a simulated out-of-memory error at step N (once)
    hooks.stop_after(global_step)          # `stop_at_step:N`: True after step N, as if SIGTERM arrived
    hooks.keep_stream_open()               # DEIT_TRAINER_KEEP_OPEN set: finish leaves the event stream open
    hooks.slow_checkpoint_s                # `slow_checkpoint_write:S`: each background `last` write waits S s first
    hooks.compile_probe_on_cpu             # `compile_probe_on_cpu:1`: compile "auto" is decided by the eager
                                           # probe on the processor too (on a GPU only, otherwise)

DEIT_TRAINER_FAULT is a comma-separated list, e.g. `oom_at_step:2,stop_at_step:5`
(docs/trainer-protocol.md, "Environment"). Kept here so the training loop carries no test code.
"""
import os

import torch

FAULTS = {"oom_at_step": "oom_at", "stop_at_step": "stop_at", "compile_probe_on_cpu": "compile_probe_on_cpu",
          "slow_checkpoint_write": "slow_checkpoint_s"}


class TestHooks:
    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, fault_spec=None, keep_open=False):
        self.oom_at = self.stop_at = self.compile_probe_on_cpu = self.slow_checkpoint_s = None
        self.keep_open = keep_open
        for part in filter(None, (fault_spec or "").split(",")):
            name, _, value = part.partition(":")
            setattr(self, FAULTS[name], int(value))

    @classmethod
    def from_env(cls, environ=None):
        env = os.environ if environ is None else environ
        return cls(env.get("DEIT_TRAINER_FAULT"), keep_open=env.get("DEIT_TRAINER_KEEP_OPEN") is not None)

    def before_step(self, global_step):
        """Called just before the forward pass of `global_step` (1-based)."""
        if self.oom_at is not None and global_step == self.oom_at:
            self.oom_at = None
            raise torch.OutOfMemoryError("simulated CUDA out of memory (DEIT_TRAINER_FAULT)")

    def stop_after(self, global_step):
        """Called after `global_step` is done: True when the test asks for a stop here."""
        return self.stop_at == global_step

    def keep_stream_open(self):
        return self.keep_open
