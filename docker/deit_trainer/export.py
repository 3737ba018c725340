"""Exports of the best model: TorchScript and ONNX, with labels and preprocessing, parity-checked.

Usage:
    parity = export_model(model, classes, img_size, run_dir, ["torchscript", "onnx"], events, inputs=x)
Writes export/model.torchscript.pt (labels.json and preprocessing.json embedded as extra files),
export/model.onnx (input `image` [N,3,H,W] float32 normalised, output `logits` [N,classes]),
export/labels.json, export/preprocessing.json, export/parity.json. Parity compares each export with
the eager fp32 model on `inputs`: the run's own validation images, preprocessed exactly as validation
(evaluate(keep_inputs=...)), at most parity_image_count(img_size); run in chunks of another batch size
than traced with (dynamic batch). Per format: max |delta logit|, max |delta probability|, top-1
agreement; a warning `parity_mismatch` when probabilities differ by more than PARITY_WARN. Without
validation images it falls back to fixed random inputs and says so (`inputs: "random"`).
"""
import json
import os

import torch

from .augment import MEAN, STD
from .preprocess import describe, eval_preprocessing
from .fsutil import write_json

ONNX_OPSET = 17
PARITY_BATCH = 4            # random inputs when the run has no validation images
PARITY_IMAGES = 256         # at most this many validation images ...
PARITY_MAX_BYTES = 256 << 20  # ... and at most this much memory for them (large image sizes)
PARITY_CHUNK = 32           # images per forward pass when checking
PARITY_WARN = 1e-4          # max |delta probability| above this: warn


def parity_image_count(img_size):
    return max(1, min(PARITY_IMAGES, PARITY_MAX_BYTES // (3 * img_size * img_size * 4)))


def parity_numbers(eager_logits, logits):
    """Export vs eager on the same inputs: max |delta logit|, max |delta probability|, top-1 agreement."""
    eager_logits, logits = eager_logits.float(), logits.float()
    return {"max_abs_logit_diff": float((logits - eager_logits).abs().max()),
            "max_abs_prob_diff": float((logits.softmax(1) - eager_logits.softmax(1)).abs().max()),
            "top1_agreement": float((logits.argmax(1) == eager_logits.argmax(1)).float().mean())}


def _chunked(fn, x):
    with torch.no_grad():
        return torch.cat([fn(x[i:i + PARITY_CHUNK]) for i in range(0, len(x), PARITY_CHUNK)])


def preprocessing(img_size, model=None):
    """export/preprocessing.json: the model's own eval resize + centre crop (preprocess.py), exactly as
    validation and predictions prepare an image; `model` is the timm model (its pretrained_cfg)."""
    name = (getattr(model, "pretrained_cfg", None) or {}).get("architecture")
    return describe(img_size, eval_preprocessing(name, img_size), MEAN, STD)


def _tmp(path):
    return os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")


def _torchscript(model, x, path, extra):
    traced = torch.jit.trace(model, x[:2], check_trace=False)
    tmp = _tmp(path)
    torch.jit.save(traced, tmp, _extra_files=extra)
    os.replace(tmp, path)
    loaded = torch.jit.load(path, map_location="cpu")
    # Run as saved, unoptimised: on the CPU torch of Debian (the twin) the profiling executor's
    # TensorExpr fuser never returns from its second call, so a parity check of more than one chunk
    # hung the run at "Exporting TorchScript". Optimising would not change the numbers being checked.
    with torch.jit.optimized_execution(False):
        return _chunked(loaded, x)


def _onnx(model, x, path):
    tmp = _tmp(path)
    torch.onnx.export(model, (x[:2],), tmp, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=ONNX_OPSET,
                      dynamo=False)
    os.replace(tmp, path)
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return _chunked(lambda c: torch.from_numpy(session.run(["logits"], {"image": c.numpy()})[0]), x)


def export_model(model, classes, img_size, run_dir, formats, events, inputs=None):
    """Returns {format: parity numbers (parity_numbers + images, inputs) or None when unchecked}."""
    out_dir = os.path.join(run_dir, "export")
    os.makedirs(out_dir, exist_ok=True)
    model = model.float().cpu().eval()
    prep = preprocessing(img_size, model)
    write_json(os.path.join(out_dir, "labels.json"), list(classes))
    write_json(os.path.join(out_dir, "preprocessing.json"), prep)
    source = "validation" if inputs is not None and len(inputs) >= 1 else "random"
    if source == "validation":
        x = inputs.float().cpu().contiguous()
        x = x if len(x) >= 2 else x.expand(2, *x.shape[1:]).contiguous()  # traced with 2
    else:
        x = torch.randn(PARITY_BATCH, 3, img_size, img_size, generator=torch.Generator().manual_seed(0))
    eager = _chunked(model, x)
    extra = {"labels.json": json.dumps(list(classes)), "preprocessing.json": json.dumps(prep)}
    parity, written = {}, []
    steps = [f for f in ("torchscript", "onnx") if f in formats]
    for i, fmt in enumerate(steps):
        events.progress("export", i, len(steps), f"Exporting {'TorchScript' if fmt == 'torchscript' else 'ONNX'}")
        path = os.path.join(out_dir, "model.torchscript.pt" if fmt == "torchscript" else "model.onnx")
        try:
            with torch.no_grad():
                logits = _torchscript(model, x, path, extra) if fmt == "torchscript" else _onnx(model, x, path)
        except Exception as e:
            events.warning("export_failed", f"The {fmt} export failed ({type(e).__name__}: {str(e)[:300]}); "
                           "the other results are kept.")
            continue
        if logits is None:
            parity[fmt] = None
            events.warning("parity_unchecked", f"The {fmt} export could not be checked (its runtime is not installed).")
        else:
            parity[fmt] = {**parity_numbers(eager, logits), "images": len(x), "inputs": source}
            if parity[fmt]["max_abs_prob_diff"] > PARITY_WARN:
                events.warning("parity_mismatch", f"The {fmt} export's probabilities differ from the trained model's by "
                               f"up to {parity[fmt]['max_abs_prob_diff']:.1e} on {len(x)} {source} images (more than "
                               f"{PARITY_WARN:g}); check it before relying on it.")
        written.append((path, fmt))
        p = parity[fmt] or {}
        events.emit("artifact", kind="export", path=path, format=fmt, parity_max_abs_diff=p.get("max_abs_prob_diff"),
                    parity_max_abs_logit_diff=p.get("max_abs_logit_diff"),
                    parity_top1_agreement=p.get("top1_agreement"), parity_images=p.get("images"))
    write_json(os.path.join(out_dir, "parity.json"), parity)
    for name in ("labels.json", "preprocessing.json", "parity.json"):
        events.emit("artifact", kind="export", path=os.path.join(out_dir, name), format="json")
    return parity
