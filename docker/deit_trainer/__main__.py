"""Command line of the trainer: `python -m deit_trainer <command>` (docs/trainer-protocol.md).

Usage:
    python -m deit_trainer train --config /config/config.json [--resume] [--set train.epochs=3 ...]
    python -m deit_trainer launch --nproc-per-node 2|all train --config … [--resume]   # several GPUs (distributed.py)
    python -m deit_trainer health
    python -m deit_trainer fetch-weights --model deit_small_patch16_224 [--weights-dir /weights]
    python -m deit_trainer import-weights --model deit_tiny_patch16_224 --file /in/x.safetensors \
        [--weights-dir /weights] [--name x.safetensors]
    python -m deit_trainer predict --run /run --input /data/new [--output out.csv] [--top-k 5] [--device cuda --precision bf16]
    python -m deit_trainer probe-speed --model deit_tiny_patch16_224 --img-size 32 --batch 32 [--budget-s 4]
    python -m deit_trainer schema [config|events]
Errors become an `error` event and the kind's exit code. Kept import-light: the cache's worker
processes re-import this module.
"""
import argparse
import json
import os
import sys
import traceback

from .errors import TrainerError


def _parser():
    p = argparse.ArgumentParser(prog="python -m deit_trainer", description="DeiT Studio trainer")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="fine-tune a model (writes the run folder)")
    t.add_argument("--config", required=True, help="config file (JSON or YAML)")
    t.add_argument("--resume", action="store_true", help="continue from <run_dir>/checkpoints/last.pt")
    t.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a config field")
    sub.add_parser("health", help="print torch/CUDA/GPU facts as JSON")
    f = sub.add_parser("fetch-weights", help="download pretrained weights into the hub cache (needs network)")
    f.add_argument("--model", required=True)
    f.add_argument("--weights-dir", default=os.environ.get("HF_HOME", "/weights"))
    iw = sub.add_parser("import-weights", help="check a weights file against a model and store it for training")
    iw.add_argument("--model", required=True)
    iw.add_argument("--file", required=True, help=".safetensors or .pth file (read only)")
    iw.add_argument("--weights-dir", default=os.environ.get("HF_HOME", "/weights"))
    iw.add_argument("--name", help="the file's original name, recorded in source.json and the report")
    pr = sub.add_parser("predict", help="classify an image or a folder -> CSV")
    pr.add_argument("--run", help="run folder (uses checkpoints/best.pt)")
    pr.add_argument("--checkpoint", help="a best.pt checkpoint")
    pr.add_argument("--input", required=True)
    pr.add_argument("--output", help="CSV file (default: stdout)")
    pr.add_argument("--top-k", type=int, default=5)
    pr.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                    help="cuda: the container's first GPU (the app gives it one), the processor when there is none")
    pr.add_argument("--precision", choices=["fp32", "bf16", "fp16"], default="fp32",
                    help="autocast on the GPU; only the precision the run was trained and validated in (predict.py)")
    ps = sub.add_parser("probe-speed", help="time a few CPU training steps of a model -> JSON (speed_probe.py)")
    ps.add_argument("--model", required=True)
    ps.add_argument("--img-size", type=int, required=True)
    ps.add_argument("--batch", type=int, default=32)
    ps.add_argument("--budget-s", type=float, default=4.0)
    s = sub.add_parser("schema", help="print a JSON schema")
    s.add_argument("which", nargs="?", default="config", choices=["config", "events"])
    return p


def _train(args, events):
    from .config import load_config
    try:
        cfg = load_config(args.config, args.set)
    except TrainerError:
        # Recorded in the run folder too: /run (the default run_dir; the app mounts config.json read-only
        # apart from it, at /config), else the config's own folder when it can be written.
        for folder in ("/run", os.path.dirname(os.path.abspath(args.config))):
            if os.path.isdir(folder) and os.access(folder, os.W_OK):
                events.attach(folder)
                break
        raise
    events.attach(cfg.output.run_dir)
    from .model import use_weights_dir
    use_weights_dir(cfg.model.weights_dir)
    from .compile_policy import compile_cache_dir
    compile_dir = compile_cache_dir(cfg.train.compile_cache_dir, cfg.output.run_dir, cfg.model.name)
    for key, sub in (("TORCHINDUCTOR_CACHE_DIR", "torchinductor"), ("TRITON_CACHE_DIR", "triton")):
        # Compiled kernels are code: shared only by the runs on one dataset (compile_policy.compile_cache_dir).
        os.environ[key] = os.path.join(compile_dir, sub)
    from .train import run_training
    return run_training(cfg, events, resume=args.resume)


def main(argv=None):
    os.umask(0o077)  # checkpoints, decoded pixels, predictions: private to the user (files 0600, folders 0700)
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["launch"]:  # torchrun around `train` (distributed.py); before the thread counts below,
        from .distributed import launch  # which launch shares out among its processes
        return launch(argv[1:])
    from .threads import configure_threads
    configure_threads()  # before torch is imported: its thread pools read these once
    args = _parser().parse_args(argv)
    if args.command == "schema":
        if args.which == "config":
            from .config import json_schema
            print(json.dumps(json_schema(), indent=2))
        else:
            with open(os.path.join(os.path.dirname(__file__), "..", "protocol", "events.schema.json")) as f:
                print(f.read(), end="")
        return 0
    if args.command == "health":
        from .runtime import health
        print(json.dumps(health(), indent=2))
        return 0
    from .distributed import Distributed, SilentEvents
    from .events import EventStream
    ranks = Distributed.from_env()  # under torchrun only rank 0 writes events and logs
    events = EventStream() if ranks.is_main else SilentEvents()
    try:
        if args.command == "train":
            return _train(args, events)
        if args.command == "fetch-weights":
            from .weights import fetch_weights
            fetch_weights(args.model, args.weights_dir, events)
            return 0
        if args.command == "import-weights":
            from .imported import import_weights
            import_weights(args.model, args.file, args.weights_dir, events, args.name)
            return 0
        if args.command == "probe-speed":
            from .speed_probe import run_probe
            return run_probe(args)
        if args.command == "predict":
            from .predict import run_predict
            return run_predict(args, events)
    except TrainerError as e:
        events.error(e)
        ranks.record_failure(e)  # another rank's error reaches rank 0 (distributed.py); no-op in one process
        return e.exit_code
    except Exception as e:
        tail = "".join(traceback.format_exception(e)[-6:])
        err = TrainerError("internal", f"The trainer failed unexpectedly ({type(e).__name__}: {str(e)[:300]}).",
                           "Report it with the run's train.log.", detail=tail[-4000:])
        events.error(err)
        ranks.record_failure(err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
