"""The checked-in protocol fixtures validate against the events schema (both languages read them)."""
import glob
import json
import os

from conftest import PROTOCOL_DIR, assert_valid_stream

EXPECTED = {"finished-run.jsonl": "finished", "stopped-resumed.jsonl": "finished", "dataset-error.jsonl": "error",
            "oom-stepdown.jsonl": "finished", "skipped-files.jsonl": None}


def test_fixtures_exist_and_validate(event_validator):
    found = {os.path.basename(p): p for p in glob.glob(os.path.join(PROTOCOL_DIR, "fixtures", "*.jsonl"))}
    assert set(EXPECTED) <= set(found)
    for name, path in found.items():
        with open(path) as f:
            events = [json.loads(line) for line in f]
        assert_valid_stream(events, event_validator)
        if EXPECTED.get(name):
            assert events[-1]["type"] == EXPECTED[name], name
    types = {json.loads(line)["type"] for p in found.values() for line in open(p)}
    assert {"run_started", "progress", "files_skipped", "batch_size", "step", "epoch", "checkpoint", "artifact",
            "warning", "error", "stopped", "finished"} <= types
