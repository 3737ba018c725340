"""Config file: defaults, validation (unknown keys rejected), overrides, the schema file in sync."""
import json
import os

import jsonschema
import pytest
from conftest import PROTOCOL_DIR, run_cli
from deit_trainer.config import SCHEMA, apply_overrides, json_schema, load_config, validate
from deit_trainer.errors import TrainerError

MINIMAL = {"version": 1, "model": {"name": "deit_small_patch16_224"}}


def test_defaults_are_filled_and_valid_against_the_schema():
    cfg = validate(MINIMAL)
    assert cfg.train.batch_size == "auto" and cfg.train.epochs == 10
    assert cfg.data.root == "/data" and cfg.output.export == ["torchscript", "onnx"]
    jsonschema.validate(cfg.to_dict(), json_schema())


@pytest.mark.parametrize("bad, words", [
    ({**MINIMAL, "extra": 1}, "unknown key(s) extra"),
    ({**MINIMAL, "train": {"epochz": 3}}, "train.epochz"),
    ({**MINIMAL, "train": {"epochs": 0}}, "train.epochs must be at least 1"),
    ({**MINIMAL, "model": {"name": "resnet50"}}, "model.name must be one of"),
    ({**MINIMAL, "model": {"name": "deit_small_patch16_224", "img_size": 100}}, "multiple of 16"),
    ({**MINIMAL, "data": {"val_ratio": 1}}, "less than 1"),
    ({**MINIMAL, "train": {"batch_size": "big"}}, 'train.batch_size must be integer or "auto"'),
    ({**MINIMAL, "train": {"compile": "yes"}}, "train.compile"),
    ({**MINIMAL, "output": {"export": ["tflite"]}}, "may only contain"),
    ({"model": {"name": "deit_small_patch16_224"}}, "version must be 1"),
    ({**MINIMAL, "resolved": [1]}, "resolved must be an object"),
    ({**MINIMAL, "train": {"assume_gpu_memory_gb": 0}}, "train.assume_gpu_memory_gb must be greater than 0"),
])
def test_bad_configs_are_rejected_with_a_plain_message(bad, words):
    with pytest.raises(TrainerError) as e:
        validate(bad)
    assert e.value.kind == "config_invalid" and e.value.exit_code == 2
    assert words in e.value.message and e.value.fix


def test_overrides_parse_json_values_and_reject_bad_paths():
    raw = apply_overrides(MINIMAL, ["train.epochs=3", "output.export=[\"onnx\"]", "data.root=/x y"])
    cfg = validate(raw)
    assert cfg.train.epochs == 3 and cfg.output.export == ["onnx"] and cfg.data.root == "/x y"
    with pytest.raises(TrainerError):
        apply_overrides(MINIMAL, ["epochs=3"])
    with pytest.raises(TrainerError):
        validate(apply_overrides(MINIMAL, ["train.nope=1"]))


def test_yaml_config_is_accepted(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("version: 1\nmodel:\n  name: deit_tiny_patch16_224\ntrain:\n  epochs: 2\n")
    assert load_config(str(path)).train.epochs == 2


def test_checked_in_config_schema_matches_the_code():
    with open(os.path.join(PROTOCOL_DIR, "config.schema.json")) as f:
        assert json.load(f) == json_schema(), "regenerate: python -m deit_trainer schema > docker/protocol/config.schema.json"


def test_invalid_config_gives_error_event_and_exit_2(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({**MINIMAL, "surprise": True}))
    code, stdout = run_cli("train", "--config", str(path))
    event = json.loads(stdout.strip().splitlines()[-1])
    assert code == 2 and event["type"] == "error" and event["kind"] == "config_invalid"
    assert "surprise" in event["message"]
    assert (tmp_path / "metrics.jsonl").exists()  # recorded in the run folder too


def test_the_config_dataclasses_are_the_field_table_and_frozen():
    cfg = validate(MINIMAL)
    as_dict = cfg.to_dict()
    assert list(as_dict) == ["version", *SCHEMA]
    for section, fields in SCHEMA.items():
        assert list(as_dict[section]) == list(fields), section  # every field, in the table's order
    with pytest.raises(AttributeError):  # dataclasses.FrozenInstanceError
        cfg.train.epochs = 3
    assert validate(as_dict) == cfg  # the dict form is itself a valid config
