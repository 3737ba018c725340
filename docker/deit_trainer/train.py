"""Fine-tune a DeiT on an image folder: the training loop, read top to bottom.

Usage (inside the image; see docs/trainer-protocol.md):
    python -m deit_trainer train --config /run/config.json [--resume]
Per step: uint8 batch from the decoded cache -> device -> crop/flip/RandAugment/normalise on the
device -> autocast forward -> loss -> (scaled) backward -> fused AdamW -> EMA. Per epoch: eval,
`last` checkpoint, `best` when the selection metric improves (val top-1, or balanced accuracy when
classes are imbalanced: evaluate.selection_metric), early stopping. At the end: eval artifacts,
exports, report. A stop signal finishes the step, saves `last` and exits 0; `--resume` continues
exactly, because every step's randomness is seeded from (seed, global step) and the data order
from (seed, epoch).
Several GPUs (torchrun, distributed.py): each process trains its share of every global batch
(batch_size per process x world_size) through DDP; the processes agree each step whether to stop and
whether to report; validation sums are added over all; only rank 0 writes anything.
"""
import os
import random
import signal
import time
from dataclasses import replace

import torch

from .augment import PRESETS, mix_batch, train_batch
from .batching import auto_batch, fixed_batch
from .cache import StopRequested
from .checkpoint import load_checkpoint, rng_state, save_checkpoint, set_rng_state
from .checkpoint_writer import CheckpointWriter, last_due, remove_stale_writes
from .compile_policy import EagerProbe, compile_cache_dir, compile_cache_warm
from .distributed import Distributed, is_collective_failure, prepare_on_ranks
from .errors import TrainerError
from .evaluate import SCORE_KEYS, evaluate, per_class_accuracy, selection_metric
from .events import RateLimiter, log, run_started_fields
from .finish import RunResult, finish_run
from .fsutil import write_json
from .loader import BatchLoader
from .losses import class_weights, training_loss
from .model import create_model, effective_layer_decay, make_optimizer, weights_source
from .position import Position, StepWindow
from .prepare import prepare_data, resolve_workers
from .recipe import ModelEma, Schedule, default_lr, ema_decay, warmup_epochs
from .runtime import autocast, device_facts, resolve_compile, resolve_device, resolve_precision, speed_flags, versions
from .testhooks import TestHooks

ETA_AFTER_STEPS = 3          # no ETA before this many steps (compile, warm-up)


class StopFlag:
    """Set by SIGTERM/SIGINT; the loop checks it between steps."""

    def __init__(self):
        self.requested, self.on_second = False, None

    def install(self):
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum, frame):
        if self.requested and self.on_second:
            self.on_second()
        self.requested = True
        log.info("Stop requested (signal %d): finishing the current step, then saving.", signum)

    def __call__(self):
        return self.requested


def step_seed(seed, global_step):
    return (seed * 1_000_003 + global_step * 7_919 + 17) % (2 ** 62)


class Trainer:
    def __init__(self, cfg, events, resume, dist=None):
        self.cfg, self.events, self.resume = cfg, events, resume
        self.dist = dist or Distributed()  # world 1 without torchrun
        self.run_dir = cfg.output.run_dir
        self.last_path = os.path.join(self.run_dir, "checkpoints", "last.pt")
        self.best_path = os.path.join(self.run_dir, "checkpoints", "best.pt")
        self.stop = StopFlag()
        self.hooks = TestHooks.from_env()  # test-only faults (testhooks.py); nothing unless a test sets them
        self.writer = CheckpointWriter(self.hooks.slow_checkpoint_s or 0)  # `last` off the loop (checkpoint_writer.py)
        self.last_written_at = None  # when this process last began writing `last` (monotonic clock)
        self.started = time.time()

    # ---- setup ---------------------------------------------------------------------------------
    def setup(self):
        cfg, ev, t = self.cfg, self.events, self.cfg.train
        self.stop.install()
        self.stop.on_second = self._exit_now
        self.device = resolve_device(t.device, self.dist.cuda_index())
        self.dist.start(self.device)
        self.precision, why = resolve_precision(t.precision, self.device)
        if why:
            ev.warning("precision_fallback", why)
        self.use_compile, why = resolve_compile(t.compile, self.device)
        if why:
            ev.warning("compile_unavailable", why)
        # compile "auto": eager first; the first steps' measured speed decides whether compiling pays (compile_policy.py)
        probe = t.compile == "auto" and (self.use_compile or self.hooks.compile_probe_on_cpu)
        warm = compile_cache_warm(compile_cache_dir(t.compile_cache_dir, self.run_dir, cfg.model.name))
        self.compile_probe = EagerProbe(warm, self._sync) if probe else None
        self.use_compile = self.use_compile and self.compile_probe is None
        speed_flags(self.device)
        torch.manual_seed(t.seed)

        ckpt = self._resume_checkpoint()
        self.data = prepare_on_ranks(self.dist, prepare_data, cfg, ev, self.stop, resume=ckpt is not None)
        ds = self.data.dataset
        if ckpt is not None and ckpt["classes"] != ds.classes:
            raise TrainerError("checkpoint_invalid", "The run's classes changed since it was stopped; it cannot be resumed.",
                               "Start a new run on the dataset as it is now.")
        model_cfg = replace(cfg, model=replace(cfg.model, pretrained=cfg.model.pretrained and ckpt is None,
                                               init_checkpoint=None if ckpt else cfg.model.init_checkpoint))
        self.model = create_model(model_cfg, ds.classes, ev).to(self.device)
        self.train_loader = BatchLoader(self.data.cache.array, self.data.train_rows, self.data.train_labels, self.device)
        self.val_loader = BatchLoader(self.data.cache.array, self.data.val_rows, self.data.val_labels, self.device)

        self.batch_size, self.batch_choice = self._choose_batch_size(ckpt)
        ev.emit("batch_size", batch_size=self.batch_size, previous=None, **self.batch_choice)

        scratch = not cfg.model.pretrained and not cfg.model.init_checkpoint  # recipe.py: DeiT's own
        if scratch and ckpt is None:
            ev.warning("training_from_scratch", "This run starts from random weights: on a small dataset it gives a "
                       "much weaker model than fine-tuning pretrained weights.")
        self.lr = t.lr or default_lr(self.global_batch(), cfg.model.freeze_backbone, scratch=scratch)
        self.schedule = Schedule(self.lr, t.epochs, warmup_epochs(t.warmup_epochs, scratch, t.epochs))
        if self.schedule.warmup_capped and ckpt is None:
            ev.warning("warmup_capped", f"Warmup was shortened to {self.schedule.warmup:.2f} epochs (a third of the run).")
        self.layer_decay = effective_layer_decay(cfg)
        self.optimizer, self.fused = make_optimizer(self.model, self.lr, t.weight_decay, self.device, self.layer_decay)
        self.class_weights = (class_weights(ds.per_class(ds.train)).to(self.device)
                              if t.class_balance == "weights" else None)
        self.scaler = torch.amp.GradScaler("cuda") if self.precision == "fp16" else None
        steps = self.steps_per_epoch()
        self.ema = ModelEma(self.model, ema_decay(steps * t.epochs)) if t.ema else None
        self.pos = Position()
        # The metric that picks best.pt and drives early stopping (evaluate.selection_metric); a resumed run keeps its own.
        self.selection, self.selection_reason = selection_metric(ds.per_class(ds.train))
        self.best = {"metric": self.selection, "score": None, "top1": None, "epoch": None}
        self.bad_epochs = 0
        if ckpt is not None:
            self._restore(ckpt)
        self.aug_gen = torch.Generator(device=self.device)
        self.train_module = self.dist.wrap(self.model)  # DDP, then torch.compile (PyTorch's order for the two)
        self.train_forward = torch.compile(self.train_module) if self.use_compile else self.train_module
        eval_module = self.ema.module if self.ema else self.model
        self.eval_forward = torch.compile(eval_module) if self.use_compile else eval_module
        self._write_resolved_config()
        self._run_started(ckpt is not None)

    def _resume_checkpoint(self):
        """`last.pt` when resuming (None otherwise, or with a warning when there is none yet)."""
        if self.dist.is_main:
            remove_stale_writes(os.path.dirname(self.last_path))  # a kill mid-write left its temp file
        if not self.resume:
            return None
        if os.path.exists(self.last_path):
            return load_checkpoint(self.last_path)
        self.events.warning("no_checkpoint_to_resume", "There is no checkpoint to resume from; the run starts from "
                            "the beginning.")
        return None

    def _choose_batch_size(self, ckpt):
        """(batch size, its record): a resumed run keeps its own; else the config's, or auto (batching.py)."""
        t, world = self.cfg.train, self.dist.world_size
        n_train = -(-len(self.train_loader) // world)  # images per process and epoch: the rule sees those
        reason = "auto" if t.batch_size == "auto" else "config"
        if ckpt is not None:  # older checkpoints lack the choice's record
            kept = ckpt.get("batch_choice") or {
                "reason": reason, "limit": None, "why": f"Batch size {ckpt['batch_size']}: kept from the start of this run."}
            return self.dist.kept_batch(ckpt, kept, self.events)
        if t.batch_size == "auto":  # the steps-per-epoch rule, then memory (batching.py)
            choice = auto_batch(self.model, self.cfg.model.img_size, self.device, self.precision, n_train,
                                t.assume_gpu_memory_gb)
        else:
            choice = fixed_batch(n_train, t.batch_size)
            if choice.batch_size < t.batch_size:
                self.events.warning("batch_size_capped", f"The batch size {t.batch_size} is larger than the {n_train} "
                                    f"training images{self.dist.per_process()}; using {n_train}.")
        return self.dist.batch_choice(choice.batch_size, {"reason": reason, "limit": choice.limit, "why": choice.why})

    def _restore(self, ckpt):
        self.model.load_state_dict(ckpt["model"])
        try:
            self.optimizer.load_state_dict(ckpt["optimizer"])
        except ValueError as e:  # other parameter groups: e.g. a run started before layer-wise lr decay
            raise TrainerError("checkpoint_invalid", "This run's saved optimizer state does not fit the optimizer "
                               "of this trainer version (its parameter groups differ); it cannot be resumed.",
                               "Start a new run; it can start from this run's best checkpoint.",
                               detail=str(e)[:2000]) from None
        if self.scaler is not None and ckpt.get("scaler"):
            self.scaler.load_state_dict(ckpt["scaler"])
        if self.ema is not None and ckpt.get("ema"):
            self.ema.load_state_dict(ckpt["ema"])
        set_rng_state(ckpt["rng"], self.device)
        self.pos = Position.from_checkpoint(ckpt["position"])
        self.best, self.bad_epochs = dict(ckpt["best"]), ckpt["bad_epochs"]
        if "score" not in self.best:  # checkpoints from before the selection metric: they chose by top-1
            self.best.update(metric="top1", score=self.best["top1"])
        if self.best["metric"] != self.selection:
            self.selection, self.selection_reason = self.best["metric"], "kept from the start of this run"

    def _write_resolved_config(self):
        """resolved-config.json: the config with every `auto` decided, itself a valid config file."""
        cfg = self.cfg
        if not self.dist.is_main:
            return
        cfg = replace(cfg, data=replace(cfg.data, num_workers=resolve_workers(cfg.data.num_workers)),
                      train=replace(cfg.train, batch_size=self.batch_size, lr=self.lr, precision=self.precision,
                                    compile=self.use_compile, device=self.device.type))
        resolved = dict(self.batch_choice, batch_size=self.batch_size, steps_per_epoch=self.steps_per_epoch(),
                        total_steps=self.total_steps(), **self.dist.record(self.batch_size))
        write_json(os.path.join(self.run_dir, "resolved-config.json"), dict(cfg.to_dict(), resolved=resolved))

    def _run_started(self, resumed):
        cfg, t, steps = self.cfg, self.cfg.train, self.steps_per_epoch()
        self.events.emit("run_started", **run_started_fields(
            run_dir=self.run_dir, resumed=resumed, start_epoch=self.pos.epoch, start_global_step=self.pos.global_step,
            epochs=t.epochs, steps_per_epoch=steps, total_steps=self.total_steps(),
            batch_size=self.batch_size, batch=self.batch_choice, model=cfg.model.name,
            img_size=cfg.model.img_size, precision=self.precision, compile=self.use_compile,
            versions=versions(), device=device_facts(self.device), dataset=self.data.dataset,
            preprocessing=self.data.preprocessing, recipe=self._recipe(steps), image=os.environ.get("DEIT_STUDIO_IMAGE"),
            selection_metric=self.selection, selection_reason=self.selection_reason), **self.dist.record(self.batch_size))

    def _recipe(self, steps):
        """The recipe as resolved for this run (`run_started.recipe`)."""
        cfg, t = self.cfg, self.cfg.train
        return {"lr": self.lr, "min_lr": self.schedule.min_lr, "weight_decay": t.weight_decay,
                "warmup_steps": round(self.schedule.warmup * steps), "label_smoothing": t.label_smoothing,
                "augment": t.augment, "ema_decay": self.ema.decay if self.ema else None,
                "drop_path": cfg.model.drop_path, "freeze_backbone": cfg.model.freeze_backbone,
                "pretrained": cfg.model.pretrained, "init_checkpoint": cfg.model.init_checkpoint,
                "weights": weights_source(cfg), "layer_decay": self.layer_decay, "class_balance": t.class_balance,
                "seed": t.seed, "fused_optimizer": self.fused, "num_workers": resolve_workers(cfg.data.num_workers)}

    # ---- bookkeeping ---------------------------------------------------------------------------
    def global_batch(self):
        """Images per optimizer step, over all processes (the batch size with one)."""
        return self.batch_size * self.dist.world_size

    def steps_per_epoch(self):
        return self.train_loader.steps_per_epoch(self.global_batch())

    def total_steps(self):
        spe, p = self.steps_per_epoch(), self.pos
        left_this_epoch = max(0, spe - p.sample // self.global_batch())
        return p.global_step + left_this_epoch + (self.cfg.train.epochs - p.epoch) * spe

    def save_last(self, epoch=None, background=False):
        """`last`: in the background at an epoch's end, else (Stop, out of memory) now, after any write in flight."""
        if not self.dist.is_main:
            return
        epoch, step = epoch or self.pos.epoch, self.pos.global_step
        state = {
            "model_name": self.cfg.model.name, "classes": self.data.dataset.classes,
            "img_size": self.cfg.model.img_size, "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(), "scaler": self.scaler.state_dict() if self.scaler else None,
            "ema": self.ema.state_dict() if self.ema else None, "rng": rng_state(self.device),
            "position": self.pos.to_dict(), "best": self.best, "bad_epochs": self.bad_epochs, "batch_size": self.batch_size,
            "batch_choice": self.batch_choice, **self.dist.record(self.batch_size)}
        self.last_written_at = time.monotonic()

        def written():
            self.events.emit("checkpoint", kind="last", path=self.last_path, epoch=epoch, global_step=step)
        if background:
            return self.writer.submit(self.last_path, state, written)
        self.writer.wait()
        save_checkpoint(self.last_path, state)
        written()

    def save_best(self, epoch, top1):
        if not self.dist.is_main:
            return
        module = self.ema.module if self.ema else self.model
        save_checkpoint(self.best_path, {
            "model_name": self.cfg.model.name, "classes": self.data.dataset.classes,
            "img_size": self.cfg.model.img_size, "model": module.state_dict(), "epoch": epoch, "val_top1": top1,
            "ema": self.ema is not None, "selection_metric": self.selection, "score": self.best["score"],
            # what predict.py and a run started from this one need: the eval resize, and the split (kept there)
            "preprocessing": self.data.preprocessing, "split": self.data.dataset.split_record()})
        self.events.emit("checkpoint", kind="best", path=self.best_path, epoch=epoch, global_step=self.pos.global_step)

    def _exit_now(self):
        """Second stop signal: leave at once; the previous `last` checkpoint stays valid."""
        last = self.last_path if os.path.exists(self.last_path) else None
        self.events.emit("stopped", resumable=True, epoch=self.pos.epoch, global_step=self.pos.global_step,
                         checkpoint=last)
        os._exit(0)

    # ---- one step ------------------------------------------------------------------------------
    def train_step(self, x_u8, y, progress, n_real):
        t, g = self.cfg.train, self.pos.global_step
        seed = (step_seed(t.seed, g) + 104_729 * self.dist.rank) % (2 ** 62)  # other images, other draws per rank
        torch.manual_seed(seed)            # dropout / drop path
        self.aug_gen.manual_seed(seed)     # crops, flips, RandAugment
        lr = self.schedule.lr_at(progress)
        for group in self.optimizer.param_groups:
            group["lr"] = lr * group["lr_scale"]  # layer-wise lr decay (model.layer_scales); 1 for every group when off
        self.hooks.before_step(g + 1)
        x = train_batch(x_u8, self.cfg.model.img_size, t.augment, self.aug_gen)
        n_classes = len(self.data.dataset.classes)
        target = None
        if PRESETS[t.augment]["mix"]:
            x, target = mix_batch(x, y, n_classes, t.label_smoothing, random.Random(seed))
        with autocast(self.device, self.precision):
            logits = self.train_forward(x)
        loss = training_loss(logits, y, target, t.label_smoothing, self.class_weights)
        self.optimizer.zero_grad(set_to_none=True)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            loss.backward()
            self.optimizer.step()
        if self.ema is not None:
            self.ema.update(self.model)
        # on the device (no sync here); images filled in from the next epoch count there, not here
        correct = (logits.detach()[:n_real].argmax(1) == y[:n_real]).sum()
        return loss.detach(), correct, lr

    def _compile_fallback(self, error):
        self.events.warning("compile_failed", f"torch.compile failed ({type(error).__name__}: {str(error)[:300]}); "
                            "training continues without it.")
        self.use_compile = False
        self.train_forward = self.train_module
        self.eval_forward = self.ema.module if self.ema else self.model

    def _out_of_memory(self, error):
        """Halves the batch size after an out-of-memory error; raises when it is already 1, or with several
        processes (the others wait in DDP's gradient exchange: the run ends, resumable, for all)."""
        self.optimizer.zero_grad(set_to_none=True)
        if self.dist.enabled:
            raise self.dist.out_of_memory(self.batch_size, error)
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        if self.batch_size == 1:
            self.save_last()
            raise TrainerError("out_of_memory", "The GPU ran out of memory even with a batch of 1 image.",
                               "Choose a smaller model or image size, or close other programs using the GPU. "
                               "The last checkpoint was kept: the run can be resumed.", detail=str(error)[:2000])
        previous, self.batch_size = self.batch_size, self.batch_size // 2
        self.events.warning("out_of_memory", f"The GPU ran out of memory at batch size {previous}; "
                            f"retrying the step with batch size {self.batch_size}.")
        self.batch_choice = {"reason": "out_of_memory", "limit": "memory",
                             "why": f"Batch size {self.batch_size}: lowered from {previous} after the GPU ran out of memory."}
        self.events.emit("batch_size", batch_size=self.batch_size, previous=previous, **self.batch_choice)
        self._write_resolved_config()

    # ---- one epoch -----------------------------------------------------------------------------
    def train_epoch(self):
        """Runs the rest of the current epoch. Returns False when stopped."""
        p, t = self.pos, self.cfg.train
        limiter = RateLimiter(t.log_interval_s)
        window = StepWindow()
        stopping = self.dist.agree(self.stop())[0]  # every process stops at the same step
        while True:  # once, or again from where it was after an out-of-memory error halved the batch
            spe, bs, rank, world = self.steps_per_epoch(), self.batch_size, self.dist.rank, self.dist.world_size
            try:
                for step, x_u8, y, n_real in self.train_loader.epoch(p.epoch, bs, p.sample, t.seed, rank, world):
                    if stopping or self.stop() and not self.dist.enabled:
                        return False
                    loss, correct, lr = self._counted_step(x_u8, y, p.epoch - 1 + step / spe, n_real)
                    p.sample = (step + 1) * bs * world  # global: a checkpoint resumes with any process count
                    window.add(loss, correct, n_real)
                    if self.hooks.stop_after(p.global_step):
                        self.stop.requested = True
                    stopping, report = self.dist.agree(self.stop(), limiter.ready(force=step + 1 == spe or self.stop()))
                    self.stop.requested = self.stop.requested or stopping
                    if report:
                        window = self._step_event(step + 1, spe, self.dist.window_sums(window), lr)
                return True
            except torch.OutOfMemoryError as e:
                if window.steps:  # keep the steps done before the error in the epoch's mean loss and accuracy
                    p.add(window)
                    window = StepWindow(started=window.started)
                self._out_of_memory(e)

    def _counted_step(self, x_u8, y, progress, n_real):
        """One step, counted in the position. When compiling the model fails on the first step of this
        process, the step runs again without torch.compile."""
        started = time.monotonic()
        self.writer.poll()  # a `last` written in the background: its event now, from this thread
        try:
            out = self.train_step(x_u8, y, progress, n_real)
        except torch.OutOfMemoryError:
            raise
        except Exception as e:
            if not self.use_compile or self.pos.global_step > self.compile_step:
                raise
            self._compile_fallback(e)
            out = self.train_step(x_u8, y, progress, n_real)
        self.pos.global_step += 1
        if self.use_compile and self.pos.global_step == self.compile_step + 1:
            self.events.progress("compile", 1, 1, f"Compiled and ran the first step in {time.monotonic() - started:.1f} s")
        if self.compile_probe is not None:
            self._decide_compile()
        return out

    def _sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def _decide_compile(self):
        """compile "auto": once the eager steps are timed, compile from the next step on if it pays."""
        left = (self.total_steps() - self.pos.global_step) * self.global_batch()
        d = self.compile_probe.after_step(self.pos.global_step - self.first_step, self.global_batch(), left)
        if d is None:
            return
        self.compile_probe = None
        if self.dist.agree(d.compile)[0]:  # every process compiles, or none
            self.use_compile, self.compile_step = True, self.pos.global_step
            self.train_forward = torch.compile(self.train_module)
            self.eval_forward = torch.compile(self.ema.module if self.ema else self.model)
        self.events.progress("compile", 0 if self.use_compile else 1, 1, d.reason)
        self._write_resolved_config()

    def _step_event(self, step, spe, window, lr):
        """Adds the window to the epoch's sums and emits a `step` event; returns the next, empty window."""
        p = self.pos
        window.loss = float(window.loss)  # one device sync per event, not per step
        now = time.monotonic()
        p.add(window)
        p.epoch_time += now - window.started
        done_here = p.global_step - self.first_step
        eta = None
        if done_here >= ETA_AFTER_STEPS:
            elapsed = time.monotonic() - self.loop_started
            eta = round(elapsed / done_here * (self.total_steps() - p.global_step), 1)
        self.events.emit("step", epoch=p.epoch, step=step, steps_per_epoch=spe, global_step=p.global_step,
                         total_steps=self.total_steps(), loss=round(window.loss / window.steps, 6), lr=lr,
                         img_per_s=round(window.images / max(now - window.started, 1e-9), 2), eta_s=eta)
        return StepWindow(started=now)

    # ---- the run -------------------------------------------------------------------------------
    def run(self):
        """Epochs until the last one, a stop, or early stopping; then the end of the run (finish.py)."""
        ev, t = self.events, self.cfg.train
        self.first_step, self.loop_started = self.pos.global_step, time.monotonic()
        self.compile_step = self.first_step  # the first step of this process that runs compiled
        if self.use_compile:
            ev.progress("compile", 0, 1, "Compiling the model (torch.compile) during the first steps; this can take a minute")
        early_stopped = False
        while self.pos.epoch <= t.epochs:
            if not self.train_epoch():
                return self._stopped()
            m = self.validate()
            if m is None:
                return self._stopped()
            is_best = self._judge(m)
            self._epoch_event(m, is_best)
            finished_epoch = self.pos.epoch
            patience = t.early_stopping_patience
            early_stopped = patience is not None and self.bad_epochs >= patience and finished_epoch < t.epochs
            self.pos = self.pos.next_epoch()
            if is_best:
                self.save_best(finished_epoch, m["val_top1"])
            since = time.monotonic() - (self.last_written_at or 0)
            if last_due(self.last_written_at is None, early_stopped or self.pos.epoch > t.epochs, since):
                self.save_last(epoch=finished_epoch, background=True)
            if early_stopped:
                what = "Val top-1" if self.selection == "top1" else "Val balanced accuracy"
                ev.warning("early_stopped", f"{what} did not improve for {patience} epochs; stopping early.")
                break
        self.writer.wait()  # the run's last `last` is on disk before the end of the run
        self.dist.shutdown()  # the other processes are done; rank 0 alone evaluates, exports and reports
        if not self.dist.is_main:
            return 0
        finish_run(self._result(early_stopped), ev)
        return 0

    def _judge(self, m):
        """Whether the epoch just validated is the best so far (by the selection metric); counts the bad epochs."""
        score = m[SCORE_KEYS[self.selection]]
        is_best = self.best["score"] is None or (score is not None and score > self.best["score"]) or score is None
        if is_best:
            self.best = {"metric": self.selection, "score": score, "top1": m["val_top1"], "epoch": self.pos.epoch}
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        return is_best

    def _epoch_event(self, m, is_best):
        p, t = self.pos, self.cfg.train
        self.events.emit(
            "epoch", epoch=p.epoch, epochs=t.epochs, train_loss=round(p.train_loss(), 6),
            train_top1=p.train_top1(), val_loss=m["val_loss"], val_top1=m["val_top1"], val_top5=m["val_top5"],
            per_class_acc=per_class_accuracy(m["confusion"], self.data.dataset.classes),
            val_balanced_accuracy=m["val_balanced_accuracy"], val_macro_f1=m["val_macro_f1"],
            selection_metric=self.selection, lr=self.schedule.lr_at(p.epoch), duration_s=round(p.epoch_time, 3),
            img_per_s=round(p.seen / max(p.epoch_time, 1e-9), 2), is_best=is_best, ema=self.ema is not None)

    def _result(self, early_stopped):
        """What the end of the run needs from training, as one value (finish.RunResult)."""
        return RunResult(
            run_dir=self.run_dir, cfg=self.cfg, data=self.data, device=self.device,
            module=self.ema.module if self.ema else self.model, blocks=len(getattr(self.model, "blocks", [])),
            val_loader=self.val_loader, best_path=self.best_path, best=dict(self.best), selection=self.selection,
            selection_reason=self.selection_reason, early_stopped=early_stopped, epochs_done=self.pos.epoch - 1,
            global_step=self.pos.global_step, steps_per_epoch=self.steps_per_epoch(), batch_size=self.batch_size,
            batch_why=self.batch_choice["why"], lr=self.lr, fused=self.fused, layer_decay=self.layer_decay,
            warmup_epochs=self.schedule.warmup, min_lr=self.schedule.min_lr, training_precision=self.precision,
            started=self.started)

    def validate(self):
        """Scores the model on the val split in eval mode (drop path off: a deterministic score), then
        switches back to training mode. torch.compile keeps one graph per mode, so no recompiles."""
        self.model.eval()
        several = self.dist.enabled  # then a stop is agreed after the sums, never by one process alone
        try:
            m = evaluate(self.eval_forward, self.val_loader, self.batch_size, self.cfg.model.img_size,
                         len(self.data.dataset.classes), self.device, self.precision,
                         (lambda: False) if several else self.stop, dist=self.dist if several else None)
        finally:
            self.model.train()
        return None if several and self.dist.agree(self.stop())[0] else m

    def _stopped(self):
        self.save_last()
        self.dist.shutdown()
        if not self.dist.is_main:
            return 0
        self.events.emit("stopped", resumable=True, epoch=self.pos.epoch, global_step=self.pos.global_step,
                         checkpoint=self.last_path)
        return 0


def run_training(cfg, events, resume=False):
    """Entry of `train`: returns the exit code (typed errors are raised to the caller). Under torchrun,
    a collective that fails because another process is gone becomes that process's error (distributed.py)."""
    dist = Distributed.from_env()
    trainer = Trainer(cfg, events, resume, dist)
    try:
        try:
            trainer.setup()
        except StopRequested:
            events.emit("stopped", resumable=True, epoch=1, global_step=0,
                        checkpoint=trainer.last_path if os.path.exists(trainer.last_path) else None)
            return 0
        return trainer.run()
    except Exception as e:
        if dist.enabled and not isinstance(e, TrainerError) and is_collective_failure(e):
            raise dist.lost(e) from None
        raise
