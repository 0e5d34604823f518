"""The settings search: scored on the validation share only, bounded, sensible."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from recsys_core.data.ratings import Ratings
from recsys_core.data.split import train_val_split
from recsys_core.models import MODELS
from recsys_core.training.trainer import TrainConfig
from recsys_core.training.tuning import COLUMNS, tune
from tests.conftest import two_group_matrix

SMALL_GRID = {"dim": (1, 4), "lr": (0.0005, 0.05), "weight_decay": (0.0, 0.01)}
TRAIN = TrainConfig(epochs=60, seed=2, val_frac=0.25)


def _search(ratings, **options):
    options.setdefault("grid", SMALL_GRID)
    return tune(ratings, "mf", train=options.pop("train", TRAIN), **options)


def test_results_table_best_first_with_a_note(structured):
    found = _search(structured)
    table = found.table
    assert list(table.columns) == COLUMNS
    assert len(table) == found.tried == found.planned == 8
    assert list(table["rank"]) == list(range(1, 9))
    assert table["val_rmse"].is_monotonic_increasing
    assert (table["epochs"] == 60).all() and (table["seconds"] >= 0).all()
    assert found.best == {"dim": int(table["dim"][0]), "lr": table["lr"][0],
                          "weight_decay": table["weight_decay"][0]}
    assert "Test data never took part" in found.note
    assert f"{int(found.is_val.sum())} held-out validation ratings" in found.note


def test_it_picks_a_sensible_best_on_a_structured_matrix():
    ratings = two_group_matrix(n_users=20, n_items=12, missing=0.3, seed=4)
    found = _search(ratings)
    # 0.0005 barely moves in 60 epochs: the gap between the two is far beyond any CPU's rounding
    assert found.best["lr"] == 0.05
    best_rmse = found.table["val_rmse"][0]
    is_val = found.is_val
    mean_guess = ratings.values[~is_val].mean()
    guess_rmse = np.sqrt(np.mean((ratings.values[is_val] - mean_guess) ** 2))
    assert best_rmse < 0.5 * guess_rmse  # far better than guessing the average
    assert found.best_model_config.dim == found.best["dim"]
    assert found.best_train_config.lr == found.best["lr"]
    assert found.best_train_config.epochs == TRAIN.epochs  # everything else kept


def test_validation_ratings_are_never_trained_on(structured):
    """Scramble the held-out ratings: every trial trains exactly as before (same training
    error, same epochs); only the validation scores move."""
    found = _search(structured)
    is_val = train_val_split(structured, TRAIN.val_frac, TRAIN.seed)
    assert np.array_equal(found.is_val, is_val)
    values = structured.values.copy()
    values[is_val] = np.random.default_rng(0).uniform(0, 5, is_val.sum())
    poisoned = _search(replace(structured, values=values))
    key = ["dim", "lr", "weight_decay"]
    a = found.table.sort_values(key).reset_index(drop=True)
    b = poisoned.table.sort_values(key).reset_index(drop=True)
    assert a["train_rmse"].tolist() == b["train_rmse"].tolist()
    assert a["epochs"].tolist() == b["epochs"].tolist()
    assert not np.allclose(a["val_rmse"], b["val_rmse"])


def test_truth_is_never_read(structured):
    """A full truth matrix (what the missing cells really are) takes no part at all."""
    found = _search(structured)
    scrambled = replace(structured, truth=np.random.default_rng(1).uniform(0, 5, structured.truth.shape))
    gone = replace(structured, truth=None)
    for other in (_search(scrambled), _search(gone)):
        cols = [c for c in COLUMNS if c != "seconds"]
        assert other.table[cols].equals(found.table[cols])
        assert other.best == found.best


def test_max_trials_picks_a_seeded_part_of_the_grid(structured):
    a = _search(structured, max_trials=3)
    b = _search(structured, max_trials=3)
    assert a.tried == a.planned == 3
    assert a.table.equals(b.table.assign(seconds=a.table["seconds"]))
    assert "Time ran out" not in a.note


def test_time_limit_stops_the_search(structured):
    found = _search(structured, max_seconds=0.0, train=replace(TRAIN, epochs=2_000))
    assert found.tried == 1 and found.planned == 8
    assert found.table["status"][0] == "stopped"
    assert found.table["epochs"][0] < 2_000
    assert "Time ran out after 1 of the 8 settings" in found.note


def test_progress_is_reported_per_trial(structured):
    seen = []
    _search(structured, max_trials=2, progress=lambda done, total, row: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_a_validation_share_is_used_even_when_training_holds_none_out(structured):
    found = _search(structured, train=replace(TRAIN, val_frac=0.0), max_trials=1)
    assert found.is_val.any()
    assert found.best_train_config.val_frac == 0.0


def test_baseline_and_neumf_are_tuned_too(structured):
    base = tune(structured, "baseline", train=TRAIN, grid=SMALL_GRID)
    assert base.planned == 4 and base.best["dim"] is None
    neumf = tune(structured, "neumf", train=replace(TRAIN, epochs=5), grid=SMALL_GRID,
                 max_trials=2)
    cfg = neumf.best_model_config
    assert isinstance(cfg, MODELS["neumf"].config_cls) and cfg.dim == cfg.mlp_dim == neumf.best["dim"]


def test_too_few_ratings_to_hold_out_is_said_in_words():
    tiny = Ratings(["a", "b"], ["x", "y"], [0, 1], [0, 1], [4.0, 2.0], (0, 5))  # one each
    with pytest.raises(ValueError, match="held-out ratings"):
        tune(tiny, "mf", train=TrainConfig(epochs=2, val_frac=0.2))
