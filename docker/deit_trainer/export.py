"""Exports of the best model: TorchScript and ONNX, with labels and preprocessing, parity-checked.

Usage:
    results = export_model(model, classes, img_size, run_dir, ["torchscript", "onnx"], events)
Writes export/model.torchscript.pt (labels.json and preprocessing.json embedded as extra files),
export/model.onnx (input `image` [N,3,H,W] float32 normalised, output `logits` [N,classes]),
export/labels.json, export/preprocessing.json, export/parity.json. Parity = max |softmax(exported) -
softmax(eager)| on a fixed batch of 4 inputs of another batch size than traced with (dynamic batch).
"""
import json
import os

import torch

from .augment import MEAN, STD
from .decode import cache_size
from .fsutil import write_json

ONNX_OPSET = 17
PARITY_BATCH = 4


def preprocessing(img_size):
    return {"img_size": img_size, "resize": cache_size(img_size), "mean": list(MEAN), "std": list(STD),
            "interpolation": "bilinear", "crop": "center", "channels": "RGB",
            "input": "float32 NCHW, pixels/255 then (x - mean) / std",
            "output": "logits; softmax gives probabilities in labels.json order"}


def _tmp(path):
    return os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")


def _torchscript(model, x, path, extra):
    traced = torch.jit.trace(model, x[:2], check_trace=False)
    tmp = _tmp(path)
    torch.jit.save(traced, tmp, _extra_files=extra)
    os.replace(tmp, path)
    loaded = torch.jit.load(path, map_location="cpu")
    with torch.no_grad():
        return loaded(x)


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
    return torch.from_numpy(session.run(["logits"], {"image": x.numpy()})[0])


def export_model(model, classes, img_size, run_dir, formats, events):
    """Returns {format: parity max abs diff or None}."""
    out_dir = os.path.join(run_dir, "export")
    os.makedirs(out_dir, exist_ok=True)
    model = model.float().cpu().eval()
    prep = preprocessing(img_size)
    write_json(os.path.join(out_dir, "labels.json"), list(classes))
    write_json(os.path.join(out_dir, "preprocessing.json"), prep)
    x = torch.randn(PARITY_BATCH, 3, img_size, img_size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        eager = model(x).softmax(1)
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
            parity[fmt] = float((logits.float().softmax(1) - eager).abs().max())
        written.append((path, fmt))
        events.emit("artifact", kind="export", path=path, format=fmt, parity_max_abs_diff=parity[fmt])
    write_json(os.path.join(out_dir, "parity.json"), parity)
    for name in ("labels.json", "preprocessing.json", "parity.json"):
        events.emit("artifact", kind="export", path=os.path.join(out_dir, name), format="json")
    return parity
