"""Checkpoints: plain state dicts and primitive metadata (torch.load(weights_only=True) safe), atomic.

Usage:
    save_checkpoint(path, state)          # temp file + os.replace
    ckpt = load_checkpoint(path)          # raises TrainerError(checkpoint_invalid)
`last.pt` holds everything to resume exactly (model, optimiser, grad scaler, EMA, RNG states,
position, batch size, best-so-far, early-stopping counter, running epoch sums); `best.pt` holds the
weights to evaluate/export (the EMA's when EMA is on) with model name, classes and preprocessing.
"""
import torch

from .errors import TrainerError
from .fsutil import save_torch

FORMAT = "deit-studio-checkpoint"
VERSION = 1


def save_checkpoint(path, state):
    save_torch(path, {"format": FORMAT, "version": VERSION, **state})


def load_checkpoint(path, map_location="cpu"):
    try:
        ckpt = torch.load(path, map_location=map_location, weights_only=True)
    except FileNotFoundError:
        raise TrainerError("checkpoint_invalid", f"The checkpoint {path} does not exist.",
                           "Start a new run, or pick an earlier run whose checkpoints are still there.") from None
    except Exception as e:
        raise TrainerError("checkpoint_invalid", f"The checkpoint {path} could not be read (damaged or not a checkpoint).",
                           "Start a new run, or pick another earlier run.", detail=f"{type(e).__name__}: {e}"[:2000]) from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT or ckpt.get("version") != VERSION:
        raise TrainerError("checkpoint_invalid", f"The file {path} is not a DeiT Studio checkpoint (version {VERSION}).",
                           "Start a new run, or pick a checkpoint written by this trainer.")
    return ckpt


def rng_state(device):
    state = {"cpu": torch.get_rng_state()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def set_rng_state(state, device):
    torch.set_rng_state(state["cpu"])
    if device.type == "cuda" and "cuda" in state:
        torch.cuda.set_rng_state(state["cuda"], device)
