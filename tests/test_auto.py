"""Auto (issue 17): the embedding size and weight decay chosen on validation ratings only."""

from __future__ import annotations

import numpy as np
import pytest

from recsys_core.data.synthetic import generate
from recsys_core.models.defaults import suggest_configs
from recsys_core.training import auto
from recsys_core.training.evaluation import cross_validate, fit_fold_auto, training_part


@pytest.fixture(scope="module")
def noisy():
    """Three taste groups under a point of noise on a 1-to-10 scale: fewer factors than the
    rule suggests fit the tastes, more fit the noise."""
    return generate(120, 80, n_groups=3, missing=0.7, noise=1.0, scale=(1.0, 10.0), seed=3)


def _trial_of(trials, dim, decay):
    hit = trials[(trials["dim"] == dim) & np.isclose(trials["weight_decay"], decay)]
    assert len(hit) == 1, (dim, decay, trials)
    return hit.iloc[0]


def test_the_suggestion_is_a_trial_and_the_winner_scored_best(noisy):
    model_config, train = suggest_configs(noisy, "mf")
    choice = auto.choose(noisy, "mf", model_config, train)
    trials = choice.trials
    suggested = _trial_of(trials, model_config.dim, train.weight_decay)
    winner = trials.iloc[0]
    assert winner["val_rmse"] == trials["val_rmse"].min() <= suggested["val_rmse"]
    assert (choice.model_config.dim, choice.train_config.weight_decay) == \
        (winner["dim"], winner["weight_decay"])
    # round 1 tried every size up to the suggestion, round 2 two decays at the winning size
    sizes = set(trials["dim"])
    assert sizes == {d for d in auto.DIMS if d <= model_config.dim} | {model_config.dim}
    assert len(trials) == len(sizes) + len(auto.DECAY_STEPS)
    assert choice.summary()["trials"] == len(trials) and choice.summary()["seconds"] > 0


def test_a_setting_the_user_gave_is_kept(noisy):
    model_config, train = suggest_configs(noisy, "mf")
    fixed_dim = auto.choose(noisy, "mf", model_config, train, keep=("dim",))
    assert set(fixed_dim.trials["dim"]) == {model_config.dim}
    assert fixed_dim.model_config.dim == model_config.dim
    fixed_decay = auto.choose(noisy, "mf", model_config, train, keep=("weight_decay",))
    assert set(fixed_decay.trials["weight_decay"]) == {train.weight_decay}


def test_no_trial_starts_after_the_budget(noisy):
    model_config, train = suggest_configs(noisy, "mf")
    choice = auto.choose(noisy, "mf", model_config, train, max_seconds=0.0)
    assert len(choice.trials) == 1  # the first trial always runs: something must be chosen


def test_a_model_without_factors_searches_the_decay_only(noisy):
    model_config, train = suggest_configs(noisy, "baseline")
    choice = auto.choose(noisy, "baseline", model_config, train)
    assert len(choice.trials) == 1 + len(auto.DECAY_STEPS)
    assert choice.summary()["dim"] is None


def test_a_fold_chooses_on_its_training_part_alone(noisy, monkeypatch):
    """The held-out fold never reaches the search: auto sees exactly the other ratings."""
    test_mask = np.zeros(noisy.n_ratings, dtype=bool)
    test_mask[::5] = True
    seen = []
    real_choose = auto.choose

    def spy(ratings, *args, **kwargs):
        seen.append(ratings)
        return real_choose(ratings, *args, **kwargs)

    monkeypatch.setattr(auto, "choose", spy)
    model_config, train = suggest_configs(noisy, "mf")
    fold = fit_fold_auto(noisy, "mf", model_config, train, test_mask, return_predictions=True)
    (given,) = seen
    assert given.n_ratings == int((~test_mask).sum())
    held_out = set(zip(noisy.user_idx[test_mask], noisy.item_idx[test_mask]))
    assert not held_out & set(zip(given.user_idx, given.item_idx))
    assert fold["predictions"].shape == (test_mask.sum(),)
    assert fold["auto"]["trials"] >= 3 and fold["fit_seconds"] >= fold["auto"]["seconds"]


def test_training_part_keeps_users_items_and_positions(noisy):
    test_mask = noisy.user_idx == 0
    part = training_part(noisy, test_mask)
    assert part.users == noisy.users and part.items == noisy.items
    assert part.n_ratings == noisy.n_ratings - int(test_mask.sum())
    assert not (part.user_idx == 0).any() and part.truth is None


def test_cross_validation_with_auto_reports_each_folds_choice(noisy):
    model_config, train = suggest_configs(noisy, "baseline")
    out = cross_validate(noisy, "baseline", model_config, train, folds=2, seed=0, auto=True)
    assert len(out["folds"]) == 2 and all("auto" in fold for fold in out["folds"])
    plain = cross_validate(noisy, "baseline", model_config, train, folds=2, seed=0)
    assert all("auto" not in fold for fold in plain["folds"])
