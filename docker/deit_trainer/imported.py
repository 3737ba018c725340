"""`import-weights`: check a weights file downloaded elsewhere against a model and store it for training.

Usage (a locked-down container: no network, the file read-only, the weights folder read-write):
    python -m deit_trainer import-weights --model deit_tiny_patch16_224 --file /in/weights.safetensors \
        --weights-dir /weights [--name deit_tiny.safetensors]
    path = imported_weights("deit_tiny_patch16_224", "/weights")   # the stored file, or None
    model = load_imported(name, path, kwargs)                      # used by model.create_model
Accepts `.safetensors`, or a PyTorch `.pth`/`.pt`/`.bin` of plain tensors (read with weights_only=True,
so a file holding code is refused), nested under `model`/`state_dict` or not, with DDP's `module.`
prefix or not. Every backbone weight must be there with this model's shape (the position embedding may
be for another image size: it is resampled, as timm does); the classifier head may be anything or
absent, since training always makes a new one for the user's classes. Stored (head removed) as
    <weights>/imported/<model>/model.safetensors   + source.json {file, sha256, bytes, format, ...}
Training prefers these over the hub cache. A file that does not fit: `checkpoint_invalid`, exit 2,
naming the weights that differ in plain words.
"""
import hashlib
import os
import time

from .errors import TrainerError
from .fsutil import write_json

HEAD_PREFIXES = ("head.", "head_dist.")
FORMATS = {".safetensors": "safetensors", ".pth": "pytorch", ".pt": "pytorch", ".bin": "pytorch"}
SHOWN = 5  # differing weights named in the message; all of them are in the detail


def imported_dir(weights_dir, model_name):
    return os.path.join(weights_dir, "imported", model_name)


def imported_weights(model_name, weights_dir):
    """The imported weights file of a model, or None."""
    path = os.path.join(imported_dir(weights_dir, model_name), "model.safetensors")
    return path if os.path.isfile(path) and os.path.getsize(path) > 0 else None


def imported_source(model_name, weights_dir):
    """source.json of a model's imported weights (file name, sha256, ...), or None."""
    import json
    try:
        with open(os.path.join(imported_dir(weights_dir, model_name), "source.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _is_head(key):
    return key.startswith(HEAD_PREFIXES)


def _shape(t):
    return "×".join(str(d) for d in t.shape) or "a single number"


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_ext(path, shown_name):
    """The weights format's extension: the file's own, else its original name's."""
    ext = os.path.splitext(path)[1].lower()
    return ext if ext in FORMATS else os.path.splitext(shown_name)[1].lower()


def read_state_dict(path, shown_name):
    """The tensors of a weights file as {name: tensor}; TrainerError when it is not a weights file."""
    import torch
    fmt = FORMATS.get(file_ext(path, shown_name))
    if fmt is None:
        raise TrainerError("checkpoint_invalid", f"{shown_name} is not a weights file DeiT Studio can read.",
                           "Import a .safetensors file (preferred) or a PyTorch .pth file.")
    try:
        if fmt == "safetensors":
            from safetensors.torch import load_file
            state = load_file(path, device="cpu")
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        unsafe = fmt == "pytorch" and "weights_only" in str(e)
        raise TrainerError(
            "checkpoint_invalid",
            f"{shown_name} holds Python objects besides weights; DeiT Studio does not run code from weight files."
            if unsafe else f"{shown_name} could not be read as a {fmt} weights file (damaged or another format).",
            "Import the model's .safetensors file (on the Hugging Face hub: the model's 'Files' tab), or save only "
            "the state dict with torch.save(model.state_dict(), path).",
            detail=f"{type(e).__name__}: {e}"[:2000]) from None
    for key in ("model", "state_dict", "model_ema"):  # training checkpoints nest the weights
        if isinstance(state, dict) and isinstance(state.get(key), dict) and state[key]:
            state = state[key]
            break
    tensors = {k[7:] if k.startswith("module.") else k: v for k, v in (state or {}).items()
               if isinstance(k, str) and isinstance(v, torch.Tensor)} if isinstance(state, dict) else {}
    if not tensors:
        raise TrainerError("checkpoint_invalid", f"{shown_name} holds no weights.",
                           "Import the file that holds the model's weights (usually model.safetensors).")
    return tensors


def _empty_model(model_name, **kwargs):
    """The model's structure without memory or time spent on values (meta device)."""
    import timm
    import torch
    with torch.device("meta"):
        return timm.create_model(model_name, pretrained=False, **kwargs)


def _adapt(state, model):
    """timm's own DeiT conversion: nesting, layer-scale names, position embedding resampled to the model."""
    from timm.models.deit import checkpoint_filter_fn
    return checkpoint_filter_fn(state, model, adapt_layer_scale=True)


def compare(state, model):
    """(missing, unexpected, wrong shapes) of the backbone: lists of keys / (key, file shape, model shape)."""
    expected = {k: v for k, v in model.state_dict().items() if not _is_head(k)}
    given = {k: v for k, v in state.items() if not _is_head(k)}
    missing = [k for k in expected if k not in given]
    unexpected = [k for k in given if k not in expected]
    wrong = [(k, _shape(given[k]), _shape(expected[k])) for k in expected
             if k in given and tuple(given[k].shape) != tuple(expected[k].shape)]
    return missing, unexpected, wrong


def fits(state, model_name):
    """The adapted backbone state when it fits the model; else (None, (missing, unexpected, wrong))."""
    model = _empty_model(model_name)
    try:
        adapted = _adapt(dict(state), model)
    except Exception:  # a shape the resampling cannot take: report it as a mismatch below
        adapted = dict(state)
    diff = compare(adapted, model)
    if any(diff):
        return None, diff
    return {k: v for k, v in adapted.items() if not _is_head(k)}, diff


def _looks_like(state, model_name):
    """Other models of the app this file fits, for the message."""
    from .config import MODEL_IDS
    return [name for name in MODEL_IDS if name != model_name and fits(state, name)[0] is not None]


def mismatch_error(model_name, shown_name, state, diff):
    missing, unexpected, wrong = diff
    parts, lines = [], []
    if wrong:
        k, got, want = wrong[0]
        parts.append(f"{len(wrong)} weight{'s have' if len(wrong) > 1 else ' has'} another shape "
                     f"(for example {k} is {got} in the file but {want} in this model)")
        lines += [f"shape differs: {k}: file {g}, model {w}" for k, g, w in wrong]
    if missing:
        parts.append(f"{len(missing)} weight{'s are' if len(missing) > 1 else ' is'} missing "
                     f"({', '.join(missing[:SHOWN])}{', …' if len(missing) > SHOWN else ''})")
        lines += [f"missing in the file: {k}" for k in missing]
    if unexpected:
        parts.append(f"{len(unexpected)} weight{'s do' if len(unexpected) > 1 else ' does'} not belong to this model "
                     f"({', '.join(unexpected[:SHOWN])}{', …' if len(unexpected) > SHOWN else ''})")
        lines += [f"not in the model: {k}" for k in unexpected]
    others = _looks_like(state, model_name)
    fix = (f"It fits {', '.join(others)}: choose that model, then import it again. " if others else "") + \
        f"Or import weights made for {model_name} (its model.safetensors on the Hugging Face hub)."
    return TrainerError("checkpoint_invalid",
                        f"{shown_name} does not fit {model_name}: " + "; ".join(parts) + ".",
                        fix, detail="\n".join(lines)[:4000])


def import_weights(model_name, file, weights_dir, events, shown_name=None):
    """Checks `file` against the model and stores it in the weights folder; returns source.json's content."""
    from safetensors.torch import save_file
    from .config import MODEL_IDS
    shown_name = shown_name or os.path.basename(file)
    if model_name not in MODEL_IDS:
        raise TrainerError("config_invalid", f"{model_name} is not a model DeiT Studio trains.",
                           f"Choose one of: {', '.join(MODEL_IDS)}.")
    if not os.path.isfile(file):
        raise TrainerError("checkpoint_invalid", f"The file {file} does not exist.", "Check the path and try again.")
    events.progress("weights", 0, 1, f"Checking {shown_name} against {model_name}")
    state = read_state_dict(file, shown_name)
    backbone, diff = fits(state, model_name)
    if backbone is None:
        raise mismatch_error(model_name, shown_name, state, diff)
    head = [k for k in state if _is_head(k)]
    source = {"model": model_name, "file": shown_name, "sha256": sha256_of(file), "bytes": os.path.getsize(file),
              "format": FORMATS[file_ext(file, shown_name)], "tensors": len(backbone),
              "head_dropped": sorted(head), "imported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    folder = imported_dir(weights_dir, model_name)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".model.safetensors.{os.getpid()}.tmp")
    try:
        save_file({k: v.contiguous() for k, v in backbone.items()}, tmp,
                  metadata={"format": "pt", "source_file": shown_name, "source_sha256": source["sha256"]})
        os.replace(tmp, os.path.join(folder, "model.safetensors"))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    write_json(os.path.join(folder, "source.json"), source)
    events.progress("weights", 1, 1, f"Imported {shown_name} for {model_name} (sha256 {source['sha256'][:12]}…)")
    return source


def load_imported(model_name, path, **kwargs):
    """A new model with the imported backbone loaded; its head is new. TrainerError when it no longer fits."""
    import timm
    from safetensors.torch import load_file
    model = timm.create_model(model_name, pretrained=False, **kwargs)
    try:
        state = {k: v for k, v in _adapt(load_file(path, device="cpu"), model).items() if not _is_head(k)}
        missing, unexpected = model.load_state_dict(state, strict=False)
    except Exception as e:
        raise TrainerError("checkpoint_invalid", f"The imported weights of {model_name} could not be loaded.",
                           "Import the weights file again (Settings → Advanced → Import weights…).",
                           detail=f"{type(e).__name__}: {e}"[:2000]) from None
    missing = [k for k in missing if not _is_head(k)]
    if missing or unexpected:
        raise TrainerError("checkpoint_invalid", f"The imported weights of {model_name} do not fit the model "
                           f"({len(missing)} missing, {len(unexpected)} unexpected).",
                           "Import the weights file again (Settings → Advanced → Import weights…).",
                           detail="\n".join([f"missing: {k}" for k in missing] + [f"unexpected: {k}" for k in unexpected]))
    return model
