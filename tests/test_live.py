"""Live training: play / pause / step, the learning rate changed mid-run, snapshots."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recsys_core.models import MODELS
from recsys_core.results.trained_run import predict_matrix
from recsys_core.training import trainer as training
from recsys_core.training.live import LIVE_MAX_CELLS, live_snapshot, live_too_large, step_epoch
from recsys_core.training.trainer import EpochReport, Tick, TrainConfig, Trainer
from tests.conftest import two_group_matrix


def _trainer(ratings, name="mf", **train):
    settings = dict(epochs=10, seed=5, lr=0.05, val_frac=0.2)
    settings.update(train)
    return Trainer(ratings, name, MODELS[name].config_cls(), TrainConfig(**settings))


def _predicted(trainer) -> np.ndarray:
    return predict_matrix(trainer.model, trainer.ratings.n_users, trainer.ratings.n_items)


def _losses(trainer) -> list[float]:
    return [r.train_loss for r in trainer.history]


@pytest.mark.parametrize("name", ["mf", "nn"])
def test_pause_step_continue_equals_an_uninterrupted_run(structured, name):
    straight = _trainer(structured, name).fit(8)
    paused = _trainer(structured, name)
    paused.fit(3)
    for expected in (4, 5):
        report = step_epoch(paused)
        assert report.epoch == expected and paused.epochs_run == expected
    paused.fit(3)
    assert [r.epoch for r in paused.history] == list(range(1, 9))
    assert _losses(paused) == _losses(straight)
    assert np.array_equal(_predicted(paused), _predicted(straight))


def test_stop_mid_run_then_continue_keeps_adams_state(structured):
    straight = _trainer(structured).fit(10)
    paused = _trainer(structured)
    for event in paused.run(10):
        if isinstance(event, EpochReport) and event.epoch == 4:
            paused.stop()
    assert paused.status == "stopped" and paused.epochs_run == 4
    state = next(iter(paused.optimizer.state.values()))
    assert int(state["step"]) == 4  # Adam's running averages carry on, not restarted
    paused.fit(6)
    assert _losses(paused) == _losses(straight)
    assert np.array_equal(_predicted(paused), _predicted(straight))


def test_a_step_moves_the_model_by_one_epoch(structured):
    trainer = _trainer(structured)
    trainer.fit(2)
    before = _predicted(trainer)
    report = step_epoch(trainer)
    assert report.epoch == 3 and trainer.epochs_run == 3
    assert not np.array_equal(before, _predicted(trainer))
    assert report.train_loss != trainer.history[-2].train_loss


def test_set_lr_continues_from_where_it_was(structured):
    config = TrainConfig(epochs=10, seed=5, lr=0.05)
    same = Trainer(structured, "mf", MODELS["mf"].config_cls(), config)
    same.fit(3)
    same.set_lr(0.05)  # the same rate: exactly an uninterrupted run
    same.fit(3)
    straight = Trainer(structured, "mf", MODELS["mf"].config_cls(), config).fit(6)
    assert np.array_equal(_predicted(same), _predicted(straight))

    changed = Trainer(structured, "mf", MODELS["mf"].config_cls(), config)
    changed.fit(3)
    at_pause = _predicted(changed)
    changed.set_lr(0.001)
    assert all(g["lr"] == 0.001 for g in changed.optimizer.param_groups)
    assert changed.train.lr == 0.001 and config.lr == 0.05  # the caller's config is untouched
    changed.fit(3)
    assert changed.epochs_run == 6
    assert not np.array_equal(_predicted(changed), _predicted(straight))
    # a tiny step size moves the model far less than the big one did
    moved_small = np.abs(_predicted(changed) - at_pause).max()
    moved_big = np.abs(_predicted(straight) - at_pause).max()
    assert moved_small < moved_big / 5


@pytest.mark.parametrize("bad", [0, -0.1, math.nan, math.inf])
def test_set_lr_refuses_nonsense(structured, bad):
    with pytest.raises(ValueError, match="learning rate"):
        _trainer(structured).set_lr(bad)


def test_snapshot_gives_the_matrix_and_the_map(structured):
    trainer = _trainer(structured)
    trainer.fit(4)
    snap = live_snapshot(trainer)
    assert snap.epoch == 4 and snap.why == ""
    assert snap.predicted.shape == (structured.n_users, structured.n_items)
    result = trainer.result()
    np.testing.assert_array_equal(snap.predicted, result.predicted)  # both predict_matrix()
    assert snap.embeddings.equals(result.embeddings_2d())


def test_snapshot_of_a_large_matrix_says_why_not():
    big = two_group_matrix(n_users=60, n_items=50)
    assert big.n_users * big.n_items > LIVE_MAX_CELLS
    snap = live_snapshot(_trainer(big))
    assert snap.predicted is None and snap.embeddings is None
    assert "3,000 cells" in snap.why and "50 x 50" in snap.why and "loss chart" in snap.why
    assert live_too_large(two_group_matrix(n_users=50, n_items=50)) == ""


def test_snapshots_between_batches_do_not_change_training(structured, monkeypatch):
    """Ticks still flow mid-epoch, and drawing at each one leaves the numbers as they were."""
    monkeypatch.setattr(training, "TICK_SECONDS", 0.0)
    quiet = _trainer(structured, "nn", batch_size=8, epochs=3)
    quiet.fit()
    watched = _trainer(structured, "nn", batch_size=8, epochs=3)
    ticks = reports = 0
    for event in watched.run():
        snap = live_snapshot(watched)
        assert snap.predicted is not None
        ticks += isinstance(event, Tick)
        reports += isinstance(event, EpochReport)
    assert ticks > 0 and reports == 3
    assert _losses(watched) == _losses(quiet)
    assert np.array_equal(_predicted(watched), _predicted(quiet))


def test_lr_changed_at_a_tick_applies_from_the_next_batch(structured, monkeypatch):
    monkeypatch.setattr(training, "TICK_SECONDS", 0.0)
    trainer = _trainer(structured, batch_size=8, epochs=2)
    changed = False
    for event in trainer.run():
        if isinstance(event, Tick) and not changed:
            trainer.set_lr(0.2)
            changed = True
    assert changed and trainer.epochs_run == 2
    assert all(g["lr"] == 0.2 for g in trainer.optimizer.param_groups)


def test_snapshot_restores_the_training_mode(structured):
    trainer = Trainer(structured, "nn", MODELS["nn"].config_cls(dropout=0.5),
                      TrainConfig(epochs=1))
    trainer.model.train()
    live_snapshot(trainer)
    assert trainer.model.training
