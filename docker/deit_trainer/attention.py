"""Attention rollout (Abnar & Zuidema 2020): where a vision transformer's class token looks in an image.

Usage:
    logits, maps = rollout(model, x)     # x normalised [B,3,H,W]; maps [B, prefix, gh, gw] in 0..1
    entry = encode_map(maps[i])          # {"grid": [gh, gw], "cls": base64 uint8, "dist": ... or absent}
    write_attention(path, {"a/b.jpg": entry, ...})   # eval/attention.json, predictions/<name>.attention.json
    write_misclassified_attention(run_dir, module, cache, img_size, device)   # finish.py: eval/attention.json

Each block's attention (softmax(q k^T / sqrt(d)), averaged over heads) gets the residual connection added
(0.5 A + 0.5 I, rows renormalised), and the blocks' matrices are multiplied from the first to the last; the
row of the class token (and of the distillation token for distilled DeiT models) over the patch tokens is
the map, scaled so its largest value is 1. It shows which patches the model mixed into its decision, not
why: it ignores the MLPs and the signs of the values, so it is a guide for spotting shortcuts (a watermark,
the background), not a proof. Only the images shown get maps (one extra eager forward pass of a batch).

timm's Attention uses fused scaled-dot-product attention, which never forms the matrix; for the rollout
pass each block is switched to its explicit path (same numbers), and the matrix is read from the
`attn_drop` module (identity in eval mode) by a forward hook.
"""
import base64
import contextlib
import json
import os

import torch

from .augment import eval_batch
from .fsutil import write_json

RESIDUAL = 0.5  # weight of the attention against the skip connection, as in the paper
BATCH = 16  # images per rollout pass: every block's [heads, N, N] matrix is kept until the end of the pass


@contextlib.contextmanager
def _attention_matrices(model):
    """Collects each block's attention [B, heads, N, N] during one forward pass of `model`."""
    maps, handles, fused = [], [], []
    for blk in model.blocks:
        fused.append(blk.attn.fused_attn)
        blk.attn.fused_attn = False
        handles.append(blk.attn.attn_drop.register_forward_hook(lambda _m, _i, out: maps.append(out.detach().float())))
    try:
        yield maps
    finally:
        for blk, was in zip(model.blocks, fused):
            blk.attn.fused_attn = was
        for h in handles:
            h.remove()


def rollout_from_matrices(matrices, n_prefix, grid, residual=RESIDUAL):
    """Blocks' attention [B, heads, N, N] (first block first) -> [B, n_prefix, gh, gw] maps in 0..1."""
    b, _, n, _ = matrices[0].shape
    eye = torch.eye(n, device=matrices[0].device)
    joint = eye.expand(b, n, n)
    for a in matrices:
        a = residual * a.mean(1) + (1 - residual) * eye
        a = a / a.sum(-1, keepdim=True)
        joint = a @ joint
    rows = joint[:, :n_prefix, n_prefix:]  # each prefix token's attention to the patches
    rows = rows / rows.amax(-1, keepdim=True).clamp_min(1e-12)
    return rows.reshape(b, n_prefix, grid[0], grid[1])


@torch.no_grad()
def rollout(model, x):
    """-> (logits [B, classes], maps [B, prefix tokens, gh, gw]) of an eval-mode timm ViT/DeiT."""
    was_training = model.training
    model.eval()
    try:
        with _attention_matrices(model) as matrices:
            logits = model(x)
    finally:
        model.train(was_training)
    n_prefix = getattr(model, "num_prefix_tokens", 1)
    grid = tuple(model.patch_embed.grid_size)
    return logits, rollout_from_matrices(matrices, n_prefix, grid)


def encode_map(maps, crop=None):
    """[prefix, gh, gw] in 0..1 -> a small JSON entry: one base64 uint8 grid per token (0..255, row-major).
    `crop`: the share of the picture's centre square the model saw (img_size / eval resize, e.g. 0.875),
    so the app lays the map over that part of a thumbnail that shows the whole centre square."""
    q = (maps.clamp(0, 1) * 255).round().to(torch.uint8).cpu()
    entry = {"grid": [int(q.shape[1]), int(q.shape[2])],
             "cls": base64.b64encode(q[0].numpy().tobytes()).decode("ascii")}
    if crop is not None:
        entry["crop"] = round(float(crop), 4)
    if q.shape[0] > 1:
        entry["dist"] = base64.b64encode(q[1].numpy().tobytes()).decode("ascii")
    return entry


def write_attention(path, entries):
    """Writes {"method", "maps": {image path: entry}} atomically (docs/run-folder.md)."""
    write_json(path, {"method": "attention rollout (Abnar & Zuidema 2020), heads averaged, residual 0.5",
                      "maps": entries})


def write_misclassified_attention(run_dir, module, cache, img_size, device, crop=None):
    """Maps for exactly the images of eval/misclassified.json (at most 100) -> eval/attention.json.
    `module`: the best model (eval mode, fp32 — the caller's exact_fp32); images preprocessed as validation
    does (the decoded cache rows through eval_batch). Returns the path, or None for a model that is not a ViT."""
    root = getattr(module, "_orig_mod", module)  # a compiled module's own model (same weights)
    if not hasattr(root, "blocks"):
        return None
    with open(os.path.join(run_dir, "eval", "misclassified.json"), encoding="utf-8") as f:
        paths = [w["path"] for w in json.load(f)]
    entries = {}
    for start in range(0, len(paths), BATCH):
        chunk = paths[start:start + BATCH]
        rows = torch.as_tensor([cache.row[p] for p in chunk], dtype=torch.long)
        x_u8 = torch.from_numpy(cache.array[rows.numpy()]).to(device)
        _, maps = rollout(root, eval_batch(x_u8, img_size))
        entries.update((p, encode_map(m, crop)) for p, m in zip(chunk, maps))
    path = os.path.join(run_dir, "eval", "attention.json")
    write_attention(path, entries)
    return path
