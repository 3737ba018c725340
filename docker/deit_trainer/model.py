"""The model: a timm DeiT with a new head, from offline pretrained weights or an earlier checkpoint.

Usage:
    model = create_model(cfg, classes, events)   # raises TrainerError weights_missing / checkpoint_invalid
    groups = param_groups(model, weight_decay, layer_decay)  # no decay on pos_embed, cls/dist tokens, norms,
                                                 # biases; lr_scale per group (layer-wise lr decay)
Pretrained weights are read from the Hugging Face hub cache at model.weights_dir (HF_HOME) with
HF_HUB_OFFLINE=1; `fetch-weights` (weights.py) fills that cache when the network is allowed. Weights
the user imported (`import-weights`, imported.py) are preferred over the hub's. The classifier head
(and the distillation head) is always new, made for the user's classes, also when they number 1,000.
"""
import os
import sys

import torch

from .errors import TrainerError
from .imported import imported_source, imported_weights, load_imported

NO_DECAY_NAMES = ("pos_embed", "cls_token", "dist_token", "reg_token")
HEAD_PREFIXES = ("head.", "head_dist.")


def use_weights_dir(weights_dir, offline=True):
    """Points the Hugging Face hub cache at weights_dir and sets offline mode (also when already imported)."""
    os.environ["HF_HOME"] = weights_dir
    os.environ["HF_HUB_OFFLINE"] = "1" if offline else "0"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:  # huggingface_hub reads these at import time
        constants.HF_HUB_OFFLINE = offline


def hub_cache(weights_dir):
    """The hub cache folder inside HF_HOME, passed explicitly to every hub call."""
    return os.path.join(weights_dir, "hub")


def hub_file(model_name):
    """(repo id, revision or None) of a model's default pretrained weights on the hub."""
    import timm
    cfg = timm.models.get_pretrained_cfg(model_name)
    if cfg is None or not cfg.hf_hub_id:
        raise TrainerError("weights_missing", f"timm has no pretrained weights for {model_name}.",
                           "Pick another model, import a weights file, or train from scratch (Settings → Advanced).")
    return cfg.hf_hub_id, getattr(cfg, "hf_hub_revision", None)


def cached_weights(model_name, weights_dir):
    """Path of the model's weights in the hub cache, or None."""
    from huggingface_hub import try_to_load_from_cache
    repo, revision = hub_file(model_name)
    for filename in ("model.safetensors", "pytorch_model.bin"):
        path = try_to_load_from_cache(repo, filename, cache_dir=hub_cache(weights_dir), revision=revision)
        if isinstance(path, str) and os.path.exists(path):
            return path
    return None


def weights_missing(model_name, weights_dir, detail=None):
    repo = hub_file(model_name)[0]
    return TrainerError("weights_missing",
                        f"The pretrained weights of {model_name} are not in the weights folder ({weights_dir}).",
                        "Download them first (the app does this before training; by hand: "
                        f"python -m deit_trainer fetch-weights --model {model_name}), import a weights file "
                        "(import-weights), or train from scratch (model.pretrained=false).",
                        detail=detail or f"looked for {repo} in the Hugging Face hub cache under {weights_dir}/hub")


def weights_source(cfg):
    """Where the starting weights come from, for run_started's recipe and the methods report."""
    m = cfg.model
    if m.init_checkpoint:
        return {"kind": "checkpoint", "path": m.init_checkpoint}
    if not m.pretrained:
        return {"kind": "scratch"}
    source = imported_source(m.name, m.weights_dir) if imported_weights(m.name, m.weights_dir) else None
    if source:
        return {"kind": "imported", "file": source.get("file"), "sha256": source.get("sha256")}
    repo, revision = hub_file(m.name)
    path = cached_weights(m.name, m.weights_dir)
    if path:  # .../snapshots/<commit>/model.safetensors: the commit the file came from
        revision = os.path.basename(os.path.dirname(path))
    return {"kind": "hub", "repo": repo, "revision": revision}


def weights_source_text(source):
    """weights_source() in words, for report.md."""
    kind = (source or {}).get("kind")
    if kind == "hub":
        return (f"Hugging Face hub `{source.get('repo')}`"
                + (f" at revision `{source['revision']}`" if source.get("revision") else ""))
    if kind == "imported":
        return f"imported file `{source.get('file')}` (sha256 `{source.get('sha256')}`)"
    if kind == "scratch":
        return "none: random initialisation (trained from scratch)"
    if kind == "checkpoint":
        return f"an earlier run's checkpoint (`{source.get('path')}`)"
    return "not recorded"


def _imported_label(name, weights_dir):
    source = imported_source(name, weights_dir) or {}
    return f"{source.get('file', 'file')} (sha256 {str(source.get('sha256', '?'))[:12]}…)"


def create_model(cfg, classes, events):
    import timm
    m = cfg.model
    name, pretrained = m.name, m.pretrained and not m.init_checkpoint
    kwargs = dict(num_classes=len(classes), img_size=m.img_size, drop_path_rate=m.drop_path)
    imported = imported_weights(name, m.weights_dir) if pretrained else None
    if imported:
        events.progress("weights", 0, 1, f"Loading imported weights {_imported_label(name, m.weights_dir)}")
        model = load_imported(name, imported, **kwargs)
        events.progress("weights", 1, 1, f"Loaded imported weights {_imported_label(name, m.weights_dir)}")
    elif pretrained:
        path = cached_weights(name, m.weights_dir)
        if path is None:
            raise weights_missing(name, m.weights_dir)
        events.progress("weights", 0, 1, f"Loading pretrained weights {hub_file(name)[0]}")
        try:
            # timm -> hf_hub_download (offline) from the hub cache in weights_dir
            model = timm.create_model(name, pretrained=True, cache_dir=hub_cache(m.weights_dir), **kwargs)
        except (OSError, RuntimeError, ValueError) as e:
            raise weights_missing(name, m.weights_dir, detail=f"{type(e).__name__}: {e}") from None
        events.progress("weights", 1, 1, f"Loaded pretrained weights {hub_file(name)[0]}")
    else:
        model = timm.create_model(name, pretrained=False, **kwargs)
    if pretrained:
        new_heads(model, len(classes))
    if m.init_checkpoint:
        load_init_checkpoint(model, m.init_checkpoint, name, classes, events)
    if m.freeze_backbone:
        freeze_backbone(model)
    return model


def load_init_checkpoint(model, path, name, classes, events):
    """Loads an earlier run's weights: everything when the classes match, else the backbone only."""
    from .checkpoint import load_checkpoint
    ckpt = load_checkpoint(path)
    if ckpt.get("model_name") != name:
        raise TrainerError("checkpoint_invalid",
                           f"The starting checkpoint {path} is for {ckpt.get('model_name')}, not {name}.",
                           "Pick the same model as the earlier run, or start from pretrained weights.")
    state = ckpt["model"]
    new_head = list(ckpt.get("classes", [])) != list(classes)
    if new_head:
        state = {k: v for k, v in state.items() if not k.startswith(HEAD_PREFIXES)}
        events.warning("init_head_reset", "The earlier run had other classes; its backbone was loaded and the "
                       "classifier head starts fresh.")
    try:
        missing, unexpected = model.load_state_dict(state, strict=False)
    except RuntimeError as e:
        raise TrainerError("checkpoint_invalid", f"The starting checkpoint {path} does not fit this model "
                           f"(image size or architecture differ).", "Start from pretrained weights instead.",
                           detail=str(e)[:2000]) from None
    # strict=False only so that a new head may stay unloaded: any other missing or extra weight is an error
    missing = [k for k in missing if not (new_head and k.startswith(HEAD_PREFIXES))]
    if missing or unexpected:
        listed = [f"missing: {k}" for k in missing] + [f"unexpected: {k}" for k in unexpected]
        raise TrainerError("checkpoint_invalid", f"The starting checkpoint {path} does not fit this model: "
                           f"{len(missing)} weight(s) missing, {len(unexpected)} unexpected (first: "
                           f"{listed[0].split(': ', 1)[1]}).",
                           "Start from pretrained weights instead, or from an earlier run of the same model.",
                           detail="\n".join(listed)[:2000])


def new_heads(model, n_classes):
    """A new classifier head (and distillation head) for the user's classes, initialised as timm initialises
    a new head (truncated normal, std 0.02, zero bias). timm keeps the ImageNet head when there are exactly
    1,000 classes; a head trained on ImageNet's classes would only mislead the user's."""
    model.reset_classifier(n_classes)
    for head in head_modules(model):
        if isinstance(head, torch.nn.Linear):
            torch.nn.init.trunc_normal_(head.weight, std=0.02)
            torch.nn.init.zeros_(head.bias)


def head_modules(model):
    """The classifier head, and the distillation head of distilled DeiTs (whose get_classifier() is a tuple)."""
    return [m for m in (model.head, getattr(model, "head_dist", None)) if m is not None]


def freeze_backbone(model):
    for p in model.parameters():
        p.requires_grad_(False)
    for head in head_modules(model):
        for p in head.parameters():
            p.requires_grad_(True)


def effective_layer_decay(cfg):
    """train.layer_decay when fine-tuning the backbone (pretrained weights or an earlier run), else 1 (off):
    from scratch every layer starts from zero, and a frozen backbone has only the head to train."""
    m = cfg.model
    fine_tune = m.pretrained or m.init_checkpoint
    return cfg.train.layer_decay if fine_tune and not m.freeze_backbone else 1.0


def layer_scales(model, layer_decay):
    """{parameter name: lr scale}, as timm's param_groups_layer_decay (BEiT, MAE): with L blocks, the head
    learns at lr, the last block and the final norm at lr·d, block i (from 0) at lr·d^(L-i), and the
    patch embedding, position embedding and class/distillation tokens at lr·d^(L+1)."""
    names = [n for n, _ in model.named_parameters()]
    if layer_decay == 1:
        return dict.fromkeys(names, 1.0)
    from timm.models import group_parameters
    layer_of = group_parameters(model, model.group_matcher(coarse=False), reverse=True)  # stem 0 ... head
    top = max(layer_of.values())
    return {n: layer_decay ** (top - layer_of.get(n, top)) for n in names}


def param_groups(model, weight_decay, layer_decay=1.0):
    """AdamW groups by (lr scale, weight decay); no decay on pos_embed, cls/dist tokens, norms, biases."""
    scales, groups = layer_scales(model, layer_decay), {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        no_decay = p.ndim <= 1 or name.endswith(".bias") or any(k in name for k in NO_DECAY_NAMES)
        wd = 0.0 if no_decay else weight_decay
        group = groups.setdefault((scales[name], wd), {"params": [], "weight_decay": wd, "lr_scale": scales[name]})
        group["params"].append(p)
    return list(groups.values())


def make_optimizer(model, lr, weight_decay, device, layer_decay=1.0):
    """Fused AdamW on CUDA; each group's lr is lr × its lr_scale (the schedule sets it every step)."""
    fused = device.type == "cuda"
    groups = param_groups(model, weight_decay, layer_decay)
    for group in groups:
        group["lr"] = lr * group["lr_scale"]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), fused=fused), fused
