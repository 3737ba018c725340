"""The trainer's config file, version 1: fields, defaults, validation, overrides.

The app writes `config.json` (electron/contract/run-config.ts is the same schema in TypeScript);
a YAML file works too. Unknown keys are rejected, every field is checked, and the resolved config
(defaults filled in, `auto` values decided) is itself a valid config file.

Usage:
    cfg = load_config("/run/config.json", overrides=["train.epochs=3"])   # -> Config (frozen dataclasses)
    cfg.train.epochs, cfg.model.name                                     # sections and fields as attributes
    cfg.to_dict()                                                        # -> the nested dict of the file
    schema = json_schema()                                               # -> config.schema.json

The field table SCHEMA below is the one source: the dataclasses (one per section) and the JSON Schema are
both generated from it.

Overrides are `section.key=value`; value is parsed as JSON when it can be (`3`, `true`, `null`,
`["onnx"]`), else taken as a string.
"""
import json
import math
from dataclasses import asdict, make_dataclass

from .errors import TrainerError

MODEL_IDS = [
    "deit_tiny_patch16_224",
    "deit_small_patch16_224",
    "deit_base_patch16_224",
    "deit_tiny_distilled_patch16_224",
    "deit_small_distilled_patch16_224",
    "deit_base_distilled_patch16_224",
    "deit_base_patch16_384",
    "deit3_small_patch16_224",
    "deit3_base_patch16_224",
]


class F:
    """One config field: JSON type(s), default, bounds and a one-line meaning."""

    def __init__(self, types, default, doc, *, enum=None, minimum=None, maximum=None,
                 exclusive_min=None, exclusive_max=None, multiple_of=None, items_enum=None,
                 required=False):
        self.types, self.default, self.doc = types, default, doc
        self.enum, self.minimum, self.maximum = enum, minimum, maximum
        self.exclusive_min, self.exclusive_max = exclusive_min, exclusive_max
        self.multiple_of, self.items_enum, self.required = multiple_of, items_enum, required


# ---- the schema: grouped defaults, each with a one-line meaning -------------------------------
SCHEMA = {
    "data": {
        "root": F(["string"], "/data", "dataset folder (ImageFolder: class folders, or train/ + val/)"),
        "val_ratio": F(["number"], 0.2, "share of each class held out for validation (class-folder layout only)",
                       exclusive_min=0, exclusive_max=1),
        "test_ratio": F(["number"], 0, "share of each class held out as a test split, evaluated once at the end "
                        "(class-folder layout without a test/ folder); 0 = none", minimum=0, exclusive_max=1),
        "split_seed": F(["integer"], 0, "seed of the per-file train/val/test split (dataset.py split_draw)"),
        "cache_dir": F(["string"], "/cache", "decoded-image caches shared between runs, used only when writable "
                       "(else the run keeps its own in <run_dir>/.cache)"),
        "num_workers": F(["integer", "auto"], "auto", "processes that decode images into the cache; auto = cores given to the container, "
                         "at most 16, fewer when its memory limit is small",
                         minimum=0),
    },
    "model": {
        "name": F(["string"], None, "timm model id", enum=MODEL_IDS, required=True),
        "pretrained": F(["boolean"], True, "start from pretrained weights in weights_dir: imported ones (imported/<model>) or the Hugging Face hub cache; false = from scratch with DeiT's recipe (lr 5e-4 x sqrt(batch/512), at least 5 warmup epochs)"),
        "weights_dir": F(["string"], "/weights", "Hugging Face hub cache (HF_HOME) holding pretrained weights"),
        "init_checkpoint": F(["string", "null"], None, "start from this earlier run's checkpoint (e.g. /init/best.pt) instead"),
        "img_size": F(["integer"], 224, "training/eval resolution in pixels (a multiple of 16)", minimum=16, multiple_of=16),
        "drop_path": F(["number"], 0.1, "stochastic depth rate", minimum=0, maximum=0.5),
        "freeze_backbone": F(["boolean"], False, "train only the classifier head (linear probe)"),
    },
    "train": {
        "epochs": F(["integer"], 10, "passes over the training images", minimum=1, maximum=1000),
        "batch_size": F(["integer", "auto"], "auto", "images per step; auto = the largest multiple of 8 giving >= 30 steps "
                        "per epoch, at least 16, at most what fits in memory (512 on a GPU, 32 on the CPU)",
                        minimum=1, maximum=4096),
        "assume_gpu_memory_gb": F(["number", "null"], None, "decide the automatic batch size as on a GPU with this much "
                                  "memory (benchmarks; estimated when there is no GPU); null = the real device",
                                  exclusive_min=0),
        "lr": F(["number", "null"], None, "peak learning rate; null = 1e-4 x sqrt(batch/256) (1e-3 x sqrt(batch/256) with a frozen backbone)",
                exclusive_min=0),
        "weight_decay": F(["number"], 0.05, "AdamW weight decay (never on pos_embed, cls token, norms, biases)", minimum=0),
        "warmup_epochs": F(["number"], 1, "linear warmup length in epochs (capped at a third of the run; from scratch at least 5, or a third of a shorter run)", minimum=0),
        "label_smoothing": F(["number"], 0.1, "label smoothing of the cross-entropy", minimum=0, maximum=0.5),
        "layer_decay": F(["number"], 0.75, "layer-wise lr decay when fine-tuning: the head learns at lr, block i of L at "
                         "lr x d^(L-i), the embeddings at lr x d^(L+1); 1 = off; not used from scratch or with a frozen "
                         "backbone", exclusive_min=0, maximum=1),
        "class_balance": F(["string"], "none", "none, or weights = loss weights N/(C x n_c), inverse to each class's "
                           "share of the training images", enum=["none", "weights"]),
        "augment": F(["string"], "standard", "light = crop+flip; standard = + RandAugment (timm rand-m9-mstd0.5-inc1); strong = + mixup/cutmix",
                     enum=["light", "standard", "strong"]),
        "ema": F(["boolean"], False, "keep an exponential moving average of the weights, sized to the run length"),
        "early_stopping_patience": F(["integer", "null"], None, "stop after this many epochs without a better val top-1",
                                     minimum=1),
        "seed": F(["integer"], 0, "seed of initialisation, data order and augmentation"),
        "precision": F(["string"], "auto", "auto = bf16 where supported, else fp16 (GPU); fp32 on CPU",
                       enum=["auto", "bf16", "fp16", "fp32"]),
        "compile": F(["boolean", "auto"], "auto", "torch.compile the model; auto = on for CUDA with a C compiler"),
        "compile_cache_dir": F(["string"], "/compile-cache", "torch.compile's kernel caches kept for later runs on the same "
                               "dataset, used only when writable (the app mounts one folder per dataset); else the run "
                               "keeps its own in <run_dir>/.cache/compile"),
        "device": F(["string"], "auto", "auto = cuda when available, else cpu", enum=["auto", "cuda", "cpu"]),
        "log_interval_s": F(["number"], 1, "at most one step event per this many seconds (0 = every step)", minimum=0),
    },
    "output": {
        "run_dir": F(["string"], "/run", "the run folder (checkpoints, metrics, eval, export)"),
        "export": F(["array"], ["torchscript", "onnx"], "export formats of the best model", items_enum=["torchscript", "onnx"]),
    },
}



def _frozen(name, fields, doc):
    return make_dataclass(name, list(fields), frozen=True, namespace={"__doc__": doc})


# One frozen dataclass per section (DataConfig, ModelConfig, TrainConfig, OutputConfig), fields in table order.
SECTIONS = {section: _frozen(f"{section.capitalize()}Config", fields, f"The `{section}` section of the config.")
            for section, fields in SCHEMA.items()}
Config = _frozen("Config", ["version", *SCHEMA], "A validated config: `version` and one dataclass per section.")
Config.to_dict = lambda self: asdict(self)  # the file's nested dict, key order kept (resolved-config.json)


def from_dict(checked):
    """A checked nested dict (validate's) as a Config."""
    return Config(version=checked["version"], **{s: SECTIONS[s](**checked[s]) for s in SCHEMA})


CONFIG_FIX = "Fix the config file (see docs/trainer-protocol.md), or recreate the run from the app."


def _bad(msg):
    return TrainerError("config_invalid", f"The training settings are invalid: {msg}.", CONFIG_FIX)


def _type_ok(value, types):
    for t in types:
        if t == "auto" and value == "auto":
            return True
        if t == "null" and value is None:
            return True
        if t == "boolean" and isinstance(value, bool):
            return True
        if t == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if t == "number" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return True
        if t in ("string", "array") and isinstance(value, str if t == "string" else list):
            return True
    return False


def _check_field(path, f, value):
    if not _type_ok(value, f.types):
        want = " or ".join('"auto"' if t == "auto" else t for t in f.types)
        raise _bad(f"{path} must be {want} (got {json.dumps(value)})")
    if value is None or value == "auto" or isinstance(value, bool):
        return
    if f.enum is not None and value not in f.enum:
        raise _bad(f"{path} must be one of {', '.join(f.enum)} (got {json.dumps(value)})")
    if isinstance(value, list):
        for item in value:
            if item not in f.items_enum:
                raise _bad(f"{path} may only contain {', '.join(f.items_enum)} (got {json.dumps(item)})")
        return
    if isinstance(value, (int, float)):
        if f.minimum is not None and value < f.minimum:
            raise _bad(f"{path} must be at least {f.minimum} (got {value})")
        if f.maximum is not None and value > f.maximum:
            raise _bad(f"{path} must be at most {f.maximum} (got {value})")
        if f.exclusive_min is not None and value <= f.exclusive_min:
            raise _bad(f"{path} must be greater than {f.exclusive_min} (got {value})")
        if f.exclusive_max is not None and value >= f.exclusive_max:
            raise _bad(f"{path} must be less than {f.exclusive_max} (got {value})")
        if f.multiple_of is not None and value % f.multiple_of != 0:
            raise _bad(f"{path} must be a multiple of {f.multiple_of} (got {value})")


def validate(raw):
    """Checks a parsed config, fills defaults; returns a Config. Raises TrainerError."""
    if not isinstance(raw, dict):
        raise _bad("the file must hold one JSON object")
    if raw.get("version") != 1:
        raise _bad(f"version must be 1 (got {json.dumps(raw.get('version'))})")
    unknown = sorted(set(raw) - set(SCHEMA) - {"version", "resolved"})
    if unknown:
        raise _bad(f"unknown key(s) {', '.join(unknown)}")
    if not isinstance(raw.get("resolved", {}), dict):
        raise _bad("resolved must be an object")
    out = {"version": 1}  # `resolved` (what the trainer decided, in resolved-config.json) is read by people only
    for section, fields in SCHEMA.items():
        given = raw.get(section, {})
        if not isinstance(given, dict):
            raise _bad(f"{section} must be an object")
        unknown = sorted(set(given) - set(fields))
        if unknown:
            raise _bad(f"unknown key(s) {', '.join(section + '.' + k for k in unknown)}")
        out[section] = {}
        for key, f in fields.items():
            path = f"{section}.{key}"
            if key not in given:
                if f.required:
                    raise _bad(f"{path} is required")
                value = json.loads(json.dumps(f.default))
            else:
                value = given[key]
            _check_field(path, f, value)
            out[section][key] = value
    if out["data"]["val_ratio"] + out["data"]["test_ratio"] >= 1:
        raise _bad("data.val_ratio + data.test_ratio must be less than 1 (some images must be left for training)")
    return from_dict(out)


def apply_overrides(raw, overrides):
    """Applies `section.key=value` strings onto a parsed (not yet validated) config."""
    raw = json.loads(json.dumps(raw))
    for item in overrides or []:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise _bad(f"override {item!r} must look like section.key=value")
        key, text = item.split("=", 1)
        section, name = key.split(".", 1)
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = text
        raw.setdefault(section, {})
        if not isinstance(raw[section], dict):
            raise _bad(f"{section} must be an object")
        raw[section][name] = value
    return raw


def parse_text(text, name="config"):
    """Parses JSON (or YAML when it is not JSON) text into a dict."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as json_error:
        try:
            import yaml
            data = yaml.safe_load(text)
        except Exception:
            raise _bad(f"{name} is neither valid JSON ({json_error}) nor YAML") from None
        if not isinstance(data, dict):
            raise _bad(f"{name} is not valid JSON ({json_error})")
        return data


def load_config(path, overrides=None):
    """Reads, overrides and validates a config file. Raises TrainerError(config_invalid)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise TrainerError("config_invalid", f"The config file {path} could not be read ({e.strerror}).",
                           "Check that the app mounted the run's config.json (at /config/config.json).") from None
    return validate(apply_overrides(parse_text(text, path), overrides))


def json_schema():
    """The JSON Schema (draft-07) of the config file, generated from SCHEMA."""
    def field_schema(f):
        s = {"description": f.doc}
        types = [t for t in f.types if t != "auto"]
        if "auto" in f.types:
            s["anyOf"] = [{"const": "auto"}, _typed(types, f)]
        else:
            s.update(_typed(types, f))
        if f.default is not None or "null" in f.types:
            s["default"] = f.default
        return s

    props = {"version": {"const": 1},
             "resolved": {"type": "object", "description": "written by the trainer in resolved-config.json: what it "
                          "decided (batch size, its reason, steps per epoch, total steps); ignored when read"}}
    for section, fields in SCHEMA.items():
        props[section] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: field_schema(f) for k, f in fields.items()},
            "required": [k for k, f in fields.items() if f.required],
        }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://deit-studio.local/protocol/config.v1.schema.json",
        "title": "DeiT Studio trainer config, version 1",
        "description": "Generated by `python -m deit_trainer schema` from docker/deit_trainer/config.py; "
                       "mirrors electron/contract/run-config.ts. Unknown keys are rejected.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "model"],
        "properties": props,
    }


def _typed(types, f):
    s = {"type": types[0] if len(types) == 1 else types}
    if f.enum is not None:
        s["enum"] = list(f.enum) + ([None] if "null" in types else [])
    if f.items_enum is not None:
        s["items"] = {"enum": f.items_enum}
    for key, attr in (("minimum", "minimum"), ("maximum", "maximum"), ("exclusiveMinimum", "exclusive_min"),
                      ("exclusiveMaximum", "exclusive_max"), ("multipleOf", "multiple_of")):
        if getattr(f, attr) is not None:
            s[key] = getattr(f, attr)
    return s
