"""`last` written in the background (issue 19): training goes on during the write, a Stop waits for it and
leaves a complete, resumable checkpoint, and short epochs write `last` at most once a minute."""
from conftest import of_type, read_events, run_cli, write_config
from deit_trainer.checkpoint import load_checkpoint
from deit_trainer.checkpoint_writer import LAST_EVERY_S, last_due, remove_stale_writes


def train(run, learnable, weights_dir, cache_dir, monkeypatch, fault, resume=False, epochs=3):
    monkeypatch.setenv("DEIT_TRAINER_FAULT", fault)
    config = write_config(run, learnable, weights_dir, cache_dir, train={"epochs": epochs, "batch_size": 4})
    code, _ = run_cli("train", "--config", config, *(["--resume"] if resume else []))
    return code, read_events(run)


def test_training_goes_on_while_last_is_written(learnable, tmp_path, weights_dir, cache_dir, monkeypatch):
    run = tmp_path / "run"
    code, events = train(run, learnable, weights_dir, cache_dir, monkeypatch, "slow_checkpoint_write:2")
    assert code == 0 and events[-1]["type"] == "finished"
    spe = of_type(events, "run_started")[0]["steps_per_epoch"]
    types = [(e["type"], e.get("global_step")) for e in events]
    first_last = next(i for i, e in enumerate(events) if e["type"] == "checkpoint" and e["kind"] == "last")
    assert events[first_last]["global_step"] == spe  # epoch 1's state ...
    later_steps = [g for t, g in types[:first_last] if t == "step" and g > spe]
    assert later_steps, types[:first_last + 1]  # ... written while epoch 2 was already training
    # epochs of a second: `last` at the first epoch's end and at the run's end only (not every epoch)
    lasts = [e["epoch"] for e in of_type(events, "checkpoint") if e["kind"] == "last"]
    assert lasts == [1, 3]
    assert load_checkpoint(str(run / "checkpoints" / "last.pt"))["position"]["global_step"] == 3 * spe


def test_a_stop_during_a_background_write_leaves_a_complete_resumable_last(learnable, tmp_path, weights_dir,
                                                                         cache_dir, monkeypatch):
    probe = tmp_path / "probe"
    _, events = train(probe, learnable, weights_dir, cache_dir, monkeypatch, "", epochs=1)
    spe = of_type(events, "run_started")[0]["steps_per_epoch"]
    run = tmp_path / "run"
    # epoch 1's `last` takes 3 s to write; the stop comes one step into epoch 2, during that write
    code, events = train(run, learnable, weights_dir, cache_dir, monkeypatch,
                         f"slow_checkpoint_write:3,stop_at_step:{spe + 1}")
    assert code == 0
    stop = events[-1]
    assert stop["type"] == "stopped" and stop["resumable"] and stop["global_step"] == spe + 1
    written = [e["global_step"] for e in of_type(events, "checkpoint") if e["kind"] == "last"]
    assert written == [spe, spe + 1]  # the write in flight finished first, then the stop's own
    ckpt = load_checkpoint(stop["checkpoint"])
    assert ckpt["position"]["global_step"] == spe + 1
    assert not [p.name for p in (run / "checkpoints").iterdir() if p.name not in ("best.pt", "last.pt")]
    code, events = train(run, learnable, weights_dir, cache_dir, monkeypatch, "", resume=True)
    assert code == 0 and events[-1]["type"] == "finished"
    assert of_type(events, "step")[-1]["global_step"] == 3 * spe


def test_the_cadence_rule():
    assert last_due(True, False, 0.0) and last_due(False, True, 0.0) and last_due(False, False, LAST_EVERY_S)
    assert not last_due(False, False, LAST_EVERY_S - 1)


def test_temp_files_of_a_killed_write_are_removed_at_the_next_start(tmp_path):
    (tmp_path / ".last.pt.k3j9x.tmp").write_bytes(b"half a checkpoint")
    (tmp_path / ".best.pt.a1b2c.tmp").write_bytes(b"")
    (tmp_path / "last.pt").write_bytes(b"kept")
    (tmp_path / "notes.tmp").write_bytes(b"not ours")
    assert remove_stale_writes(str(tmp_path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.pt", "notes.tmp"]
