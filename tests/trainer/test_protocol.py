"""The checked-in protocol fixtures validate against the events schema (both languages read them)."""
import glob
import json
import os

from conftest import PROTOCOL_DIR, assert_valid_stream

EXPECTED = {"finished-run.jsonl": "finished", "stopped-resumed.jsonl": "finished", "dataset-error.jsonl": "error",
            "oom-stepdown.jsonl": "finished", "skipped-files.jsonl": None, "killed-resumed.jsonl": "finished"}


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


def test_every_fixture_event_reads_as_words(event_validator):
    """train.log narrates the events: every documented event type either reads as a line or is quiet by design."""
    from deit_trainer.narrate import Narrator

    lines = []
    for path in sorted(glob.glob(os.path.join(PROTOCOL_DIR, "fixtures", "*.jsonl"))):
        narrator = Narrator(clock=lambda: 0.0)  # a frozen clock: only the first step line of a run passes
        for line in open(path):
            event = json.loads(line)
            words = narrator.line(event)
            assert words is None or (isinstance(words, str) and "\n" not in words and "None" not in words), words
            if words:
                lines.append((event["type"], words))
    said = {kind for kind, _ in lines}
    assert {"run_started", "step", "epoch", "checkpoint", "files_skipped", "batch_size", "artifact", "stopped",
            "finished", "progress"} <= said
    starts = [w for kind, w in lines if kind == "run_started"]
    assert any(w.startswith("Starting:") for w in starts) and any(w.startswith("Resuming at epoch") for w in starts)
    assert any("lowered from" in w for kind, w in lines if kind == "batch_size")


def test_step_lines_are_rate_limited_but_epoch_ends_always_show():
    from deit_trainer.narrate import STEP_EVERY_S, Narrator

    now = [0.0]
    narrator = Narrator(clock=lambda: now[0])

    def step(n):
        return narrator.line({"type": "step", "epoch": 1, "step": n, "steps_per_epoch": 10, "global_step": n,
                              "total_steps": 10, "loss": 1.0, "lr": 1e-4, "img_per_s": 100.0, "eta_s": 5.0})

    assert step(1) is not None  # the first step of an attempt: training has begun
    assert step(2) is None
    now[0] += STEP_EVERY_S
    assert step(3) is not None
    assert step(10) is not None  # the last step of the epoch


def test_an_error_reads_as_one_line_in_train_log_without_raw_dumps(tmp_path):
    """train.log: the error's message and fix on one line; a many-line detail (retry dumps) only in short."""
    import io

    from deit_trainer.errors import TrainerError
    from deit_trainer.events import EventStream

    stream = EventStream(stdout=io.StringIO())
    stream.attach(str(tmp_path))
    dump = "\n".join(f"Retrying (Retry(total={n}, connect=None)) after connection broken by "
                     f"'NewConnectionError(<urllib3.connection.HTTPSConnection object at 0x7f{n}>)': /timm/x"
                     for n in range(5, 0, -1))
    event = stream.error(TrainerError("weights_missing", "The weights could not be downloaded.",
                                      "Check the network, or import the weights.", detail=dump))
    stream.close()
    assert event["detail"] == dump  # the event keeps the detail in full
    log = (tmp_path / "train.log").read_text().splitlines()
    assert len(log) == 2, log
    assert log[0].endswith(" ERROR The weights could not be downloaded. Check the network, or import the weights.")
    assert " INFO Details: Retrying (Retry(total=5" in log[1] and len(log[1]) < 320
    assert log[1].endswith("(in full: the error event in metrics.jsonl)")
