"""Several GPUs in one container: the launcher, and what each training process needs to agree on.

Usage:
    python -m deit_trainer launch --nproc-per-node 2|all train --config /run/config.json [--resume]
    dist = Distributed.from_env()            # WORLD_SIZE/RANK/LOCAL_RANK from torchrun; world 1 without it
    dist.start(device)                       # NCCL on cuda:LOCAL_RANK, gloo on the processor (+ a gloo
                                             # group for the small per-step agreements)
    stop, emit = dist.agree(stop, emit)      # the same answer on every rank (MAX over ranks)
    total = dist.sum(tensor)                 # SUM over ranks (device tensors)
    dist.record_failure(error) / dist.peer_failure()   # a rank's typed error, read by rank 0
`launch` runs PyTorch's own launcher (torch.distributed.run, what `torchrun` is) with
`--standalone --local-addr=127.0.0.1 --nproc-per-node=N -m deit_trainer <args>`, and adds three things:
  - `--local-addr=127.0.0.1`: training containers have no network, so the container's host name does
    not resolve and torchrun's rendezvous would retry for minutes;
  - its TCP store without libuv (Debian's torch, the CPU twin, is built without it; the classic store
    is all a handful of local processes needs);
  - a stop (SIGTERM/SIGINT, forwarded by torchrun to every rank) exits 143, not torchrun's 1, so the app
    reads it as a stop (rank 0 wrote `stopped`), not a crash.
With `all`, the GPUs visible in the container are counted; with one GPU or none the trainer runs as a
single plain process. With WORLD_SIZE 1 (or no torchrun) everything here is a no-op.
Only rank 0 writes (events, logs, checkpoints, exports, report); other ranks get a silent event stream.
"""
import os
import signal
import sys
from datetime import timedelta

TIMEOUT = timedelta(minutes=10)   # a collective that waits longer than this fails (a lost or stuck process)
PREPARE_TIMEOUT = timedelta(days=2)  # the other ranks wait this long for rank 0 to decode the dataset
FAILURE_KEY = "deit_trainer/failure"
STOP_EXIT = 128 + signal.SIGTERM  # what a process ended by SIGTERM reports; the app reads it as a stop


class Distributed:
    """This process's place among the training processes (rank 0 of 1 without torchrun)."""

    def __init__(self, world_size=1, rank=0, local_rank=0):
        self.world_size, self.rank, self.local_rank = world_size, rank, local_rank
        self.control = None  # gloo group for the per-step agreements (CPU: no GPU sync)
        self.slow = None     # gloo group for waiting on rank 0's data preparation (hours on a large set)
        self.device = None

    @classmethod
    def from_env(cls, environ=None):
        env = os.environ if environ is None else environ
        world = int(env.get("WORLD_SIZE", "1") or 1)
        if world <= 1:
            return cls()
        return cls(world, int(env["RANK"]), int(env.get("LOCAL_RANK", env["RANK"])))

    @property
    def enabled(self):
        return self.world_size > 1

    @property
    def is_main(self):
        return self.rank == 0

    def cuda_index(self):
        return self.local_rank if self.enabled else 0

    def start(self, device):
        """Joins the process group: NCCL for a GPU run, gloo on the processor."""
        if not self.enabled:
            return
        import torch
        import torch.distributed as dist
        self.device = device
        joined = dict(store=self._rendezvous_store(), rank=self.rank, world_size=self.world_size, timeout=TIMEOUT)
        if device.type == "cuda":
            torch.cuda.set_device(device)
            dist.init_process_group("nccl", **joined)
            self.control = dist.new_group(backend="gloo", timeout=TIMEOUT)
        else:
            dist.init_process_group("gloo", **joined)
            self.control = None  # the default group already is gloo
        self.slow = dist.new_group(backend="gloo", timeout=PREPARE_TIMEOUT)

    def _rendezvous_store(self):
        """The store torchrun set up (its agent's, at MASTER_ADDR:MASTER_PORT), joined without libuv: what
        env:// does, minus libuv, which Debian's torch lacks (module docstring)."""
        import torch.distributed as dist
        agent = os.environ.get("TORCHELASTIC_USE_AGENT_STORE", "").lower() == "true"
        return dist.TCPStore(os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]), self.world_size,
                             is_master=not agent and self.rank == 0, timeout=TIMEOUT, use_libuv=False,
                             **({} if agent else {"multi_tenant": True}))

    def agree(self, *flags):
        """Each flag as True on every rank when it is True on any (one small all_reduce on the CPU)."""
        if not self.enabled:
            return flags
        import torch
        import torch.distributed as dist
        t = torch.tensor([int(bool(f)) for f in flags], dtype=torch.int32)
        dist.all_reduce(t, op=dist.ReduceOp.MAX, group=self.control)
        return tuple(bool(v) for v in t.tolist())

    def sum(self, tensor):
        """The element-wise sum over ranks (in place; returns the tensor)."""
        if self.enabled:
            import torch.distributed as dist
            dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor

    def min_choice(self, value, record):
        """(value, record) of the rank with the smallest value (e.g. the batch that fits every GPU)."""
        if not self.enabled:
            return value, record
        import torch.distributed as dist
        everyone = [None] * self.world_size
        dist.all_gather_object(everyone, (value, record), group=self.control)
        return min(everyone, key=lambda vr: vr[0])

    def barrier(self, slow=False):
        if self.enabled:
            import torch.distributed as dist
            dist.barrier(group=self.slow if slow else self.control)

    def window_sums(self, window):
        """A position.StepWindow summed over ranks: the mean loss of all, the correct and image counts of all."""
        if not self.enabled:
            return window
        import torch
        dev = self.device
        t = torch.stack([torch.as_tensor(v, device=dev).double() for v in (window.loss, window.correct, window.images)])
        self.sum(t)
        window.loss, window.correct, window.images = t[0] / self.world_size, t[1].long(), int(t[2].item())
        return window

    # ---- the batch ------------------------------------------------------------------------------
    def record(self, batch_size):
        """{world_size, global_batch_size} for run_started, resolved-config.json and last.pt; nothing with
        one process (absent means 1: a single-process run's files are as before)."""
        return {"world_size": self.world_size, "global_batch_size": batch_size * self.world_size} if self.enabled else {}

    def per_process(self):
        """Words for messages about a per-process count ('' with one process)."""
        return f" per GPU ({self.world_size} training processes)" if self.enabled else ""

    def batch_choice(self, batch_size, record):
        """The per-process batch every rank uses: the smallest any rank chose (its GPU fits the least)."""
        if not self.enabled:
            return batch_size, record
        batch_size, record = self.min_choice(batch_size, record)
        g = batch_size * self.world_size
        why = record["why"].rstrip(".")
        return batch_size, dict(record, why=f"{why}; per GPU: {self.world_size} GPUs train {g:,} images per step.")

    def kept_batch(self, ckpt, record, events):
        """A resumed run keeps its images per step (global batch), shared by however many processes now."""
        saved_world = ckpt.get("world_size", 1)
        global_batch = ckpt.get("global_batch_size", ckpt["batch_size"] * saved_world)
        if saved_world == self.world_size:
            return ckpt["batch_size"], record
        per = max(1, -(-global_batch // self.world_size))
        if per * self.world_size != global_batch:
            events.warning("batch_size_changed", f"This run trained {global_batch} images per step on {saved_world} "
                           f"process(es); {global_batch} cannot be shared evenly by {self.world_size}, so it "
                           f"continues with {per * self.world_size} ({per} each).")
        return per, dict(record, why=f"Batch size {per}: the run's {global_batch:,} images per step (kept from its "
                         f"start), shared by {self.world_size} training process{'es' if self.world_size > 1 else ''}.")

    def out_of_memory(self, batch_size, error):
        """The error of an out-of-memory step with several processes: the run ends for all (simplest correct)."""
        from .errors import TrainerError
        return TrainerError(
            "out_of_memory", f"GPU {self.local_rank} ran out of memory at batch size {batch_size} per GPU "
            f"({self.world_size} GPUs train together, so the batch is not lowered during the run).",
            "Start a new run with a smaller batch size or image size, or resume this one on one GPU (there the batch "
            "is lowered automatically). The last checkpoint was kept: the run can be resumed.",
            detail=str(error)[:2000])

    def wrap(self, model):
        """DDP around the model (before torch.compile: PyTorch's order, so Dynamo splits graphs at DDP's buckets)."""
        if not self.enabled:
            return model
        from torch.nn.parallel import DistributedDataParallel as DDP
        ids = [self.device.index] if self.device.type == "cuda" else None
        return DDP(model, device_ids=ids)

    def shutdown(self):
        if self.enabled:
            import torch.distributed as dist
            if dist.is_initialized():
                dist.destroy_process_group()

    # ---- failures -------------------------------------------------------------------------------
    def _store(self):
        try:
            import torch.distributed as dist
            return dist.distributed_c10d._get_default_store() if dist.is_initialized() else None
        except Exception:
            return None

    def record_failure(self, error):
        """A rank other than 0 leaves its typed error where rank 0 finds it (torchrun's store)."""
        import json
        store = self._store()
        if store is None:
            return
        try:
            store.set(FAILURE_KEY, json.dumps({"rank": self.rank, "kind": error.kind, "message": error.message,
                                               "fix": error.fix, "detail": error.detail}))
        except Exception:
            pass

    def peer_failure(self):
        """The error another rank recorded, as a TrainerError, or None."""
        import json

        from .errors import TrainerError
        store = self._store()
        try:
            if store is None or not store.check([FAILURE_KEY]):
                return None
            f = json.loads(store.get(FAILURE_KEY))
        except Exception:
            return None
        return TrainerError(f["kind"], f"Training process {f['rank'] + 1} of {self.world_size}: {f['message']}",
                            f["fix"], detail=f.get("detail"))

    def lost(self, error):
        """The error to report when a collective failed: another rank's own error when it left one, else
        a plain 'a training process ended' (killed, or crashed without a word)."""
        from .errors import TrainerError
        return self.peer_failure() or TrainerError(
            "internal", f"One of the {self.world_size} training processes ended unexpectedly (killed or crashed), "
            "so the run stopped.",
            "Resume the run: it continues from its last checkpoint. If it happens again, train on one GPU and "
            "report it with the run's train.log.", detail=f"{type(error).__name__}: {str(error)[:2000]}")


def prepare_on_ranks(dist, prepare, cfg, events, should_stop, resume):
    """prepare.prepare_data on every rank: rank 0 first (it decodes the cache and writes split.json), then
    the others read the cache it built, each with a private scratch folder as its run folder so that
    nothing of theirs lands in the run folder (split.json copied in when resuming: the same split)."""
    if not dist.enabled:
        return prepare(cfg, events, should_stop, resume=resume)
    if dist.is_main:
        data = prepare(cfg, events, should_stop, resume=resume)
        dist.barrier(slow=True)
        return data
    import shutil
    import tempfile
    from dataclasses import replace
    dist.barrier(slow=True)
    scratch = tempfile.mkdtemp(prefix=f"deit-rank{dist.rank}-")
    run_dir = cfg.output.run_dir
    os.symlink(os.path.join(run_dir, ".cache"), os.path.join(scratch, ".cache"))  # the fallback cache, if used
    if os.path.exists(os.path.join(run_dir, "split.json")):
        shutil.copy(os.path.join(run_dir, "split.json"), os.path.join(scratch, "split.json"))
    private = replace(cfg, output=replace(cfg.output, run_dir=scratch))
    # rank 0 wrote split.json just now: with it as the saved split every rank trains on exactly rank 0's split
    return prepare(private, events, should_stop, resume=True)


def is_collective_failure(error):
    """True for the errors a collective raises when another process is gone or stuck."""
    try:
        import torch.distributed as dist
        if isinstance(error, dist.DistError):
            return True
    except (ImportError, AttributeError):
        pass
    text = str(error).lower()
    return isinstance(error, RuntimeError) and any(k in text for k in (
        "connection closed by peer", "connection reset", "broken pipe", "timed out", "timeout", "nccl", "gloo"))


class SilentEvents:
    """The event stream of ranks other than 0: nothing is written (rank 0 speaks for the run)."""

    def attach(self, run_dir):
        pass

    def emit(self, type, **fields):
        return {"type": type, **fields}

    def progress(self, phase, done, total, message, eta_s=None):
        return None

    def warning(self, code, message):
        return None

    def error(self, err):
        from .events import log, setup_logging
        setup_logging()
        log.error("%s %s", err.message, err.fix)  # stderr: torchrun shows it in the container's log
        return None

    def close(self):
        pass


# ---- the launcher ----------------------------------------------------------------------------------
def _classic_tcp_store():
    """torchrun's stores without libuv (see the module docstring); the workers read USE_LIBUV."""
    import torch.distributed as dist
    base = dist.TCPStore
    if getattr(base, "_deit_classic", False):
        return

    class TCPStore(base):
        _deit_classic = True

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("use_libuv", False)
            super().__init__(*args, **kwargs)

    dist.TCPStore = TCPStore
    os.environ["USE_LIBUV"] = "0"


def process_count(choice):
    """--nproc-per-node: a number, or `all` = the GPUs visible here (0 without CUDA)."""
    if choice != "all":
        return max(1, int(choice))
    import torch
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def launch(argv):
    """`python -m deit_trainer launch --nproc-per-node N|all <trainer args>` -> exit code."""
    if len(argv) < 3 or argv[0] != "--nproc-per-node":
        print("usage: python -m deit_trainer launch --nproc-per-node N|all train --config FILE [--resume]",
              file=sys.stderr)
        return 2
    n, rest = process_count(argv[1]), argv[2:]
    if n <= 1:  # one GPU (or none: the trainer then says so plainly): one plain process, no launcher
        from .__main__ import main
        return main(rest)
    from .threads import available_cpus
    # the processor's cores shared out among the processes (torchrun would set 1 each); a count given wins
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, available_cpus() // n)))
    _classic_tcp_store()
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.run import main as torchrun
    try:
        torchrun(["--standalone", "--local-addr=127.0.0.1", f"--nproc-per-node={n}", "-m", "deit_trainer", *rest])
    except SignalException:
        return STOP_EXIT  # the ranks had the signal too and stopped (rank 0 said `stopped`)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 1
    except Exception as e:  # ChildFailedError: a rank failed; rank 0 wrote the error event if it could
        print(f"deit_trainer launch: {type(e).__name__}: {str(e)[:2000]}", file=sys.stderr)
        return 1
    return 0
