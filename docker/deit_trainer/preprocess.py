"""The model's own eval preprocessing, from timm's pretrained config: the resize before the centre crop.

Usage:
    p = eval_preprocessing("deit_small_patch16_224", 224)
    # {"crop_pct": 0.9, "resize": 248, "interpolation": "bicubic"}: shorter side to 248, centre crop 224
    describe(224, p)   # the dict written to export/preprocessing.json
timm evaluates a pretrained model with Resize(floor(img_size / crop_pct)) (shorter side, aspect kept)
then CenterCrop(img_size), with the config's interpolation (timm/data/transforms_factory.py,
transforms_imagenet_eval). The trainer does the same for validation, the test split and predictions:
the decoded cache stores each picture with its shorter side at `resize` (decode.py), and eval_batch
(augment.py) cuts the centre crop from it. Models timm does not know fall back to timm's defaults.
"""
import math

DEFAULT_CROP_PCT = 0.875         # timm.data.DEFAULT_CROP_PCT
DEFAULT_INTERPOLATION = "bicubic"  # timm's default eval interpolation
SUPPORTED_INTERPOLATIONS = ("bicubic", "bilinear")


def eval_preprocessing(model_name, img_size):
    """{"crop_pct", "resize", "interpolation"} for a timm model id at img_size (timm imported lazily)."""
    crop_pct, interpolation = DEFAULT_CROP_PCT, DEFAULT_INTERPOLATION
    try:
        import timm
        cfg = timm.models.get_pretrained_cfg(model_name)
    except Exception:  # an unknown id, or timm missing: timm's own defaults
        cfg = None
    if cfg is not None:
        crop_pct = cfg.crop_pct or DEFAULT_CROP_PCT
        if cfg.interpolation in SUPPORTED_INTERPOLATIONS:
            interpolation = cfg.interpolation
    return {"crop_pct": crop_pct, "resize": resize_side(img_size, crop_pct), "interpolation": interpolation}


def resize_side(img_size, crop_pct):
    """Shorter side before the centre crop: floor(img_size / crop_pct) as timm, never below img_size."""
    return max(img_size, math.floor(img_size / crop_pct))


def describe(img_size, prep, mean, std):
    """What export/preprocessing.json says: enough to reproduce the model's input outside the app."""
    return {
        "img_size": img_size, "resize": prep["resize"], "crop_pct": prep["crop_pct"], "crop": "center",
        "interpolation": prep["interpolation"], "mean": list(mean), "std": list(std), "channels": "RGB",
        "steps": [
            "decode the file, apply its EXIF orientation, convert to RGB (transparency over white)",
            f"resize so the shorter side is {prep['resize']} pixels, the longer side int({prep['resize']} x long / short) "
            f"({prep['interpolation']}, antialiased; torchvision Resize({prep['resize']}))",
            f"centre crop {img_size} x {img_size}, offsets round((side - {img_size}) / 2) "
            f"(torchvision CenterCrop({img_size}))",
            "scale pixels to 0..1, then (x - mean) / std per channel; float32 NCHW",
        ],
        "input": "float32 NCHW, pixels/255 then (x - mean) / std",
        "output": "logits; softmax gives probabilities in labels.json order",
        "notes": "Pictures wider than 2:1 are first fitted into a 2:1 box (the longer side at twice the "
                 "resize) and scaled up again to the resize, and JPEGs are decoded at a reduced size first "
                 "(libjpeg scaling, PIL's draft) when that is still at least the resize: both differ from "
                 "a full-size resize by a few grey levels at most.",
    }
