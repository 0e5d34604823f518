"""The synthetic generator: the shape, sparsity and truth it promises, and its speed shape."""

import numpy as np
import pytest

from recsys_core.data import synthetic
from recsys_core.data.synthetic import generate, generate_long, generate_with_groups
from recsys_core.models import MFConfig
from recsys_core.training.trainer import TrainConfig, fit


def test_shape_labels_and_truth():
    r = generate(n_users=30, n_items=20)
    assert (r.n_users, r.n_items) == (30, 20)
    assert r.users[:2] == ["user 1", "user 2"] and r.items[-1] == "item 20"
    assert r.truth.shape == (30, 20)
    assert not np.isnan(r.truth).any()
    assert r.scale == (1.0, 5.0)


@pytest.mark.parametrize("missing", [0.0, 0.3, 0.75])
def test_missing_share_is_what_was_asked(missing):
    r = generate(n_users=40, n_items=25, missing=missing, seed=3)
    cells = 40 * 25
    assert abs((1 - r.n_ratings / cells) - missing) <= 1 / cells


def test_every_user_and_item_keeps_a_rating_even_when_almost_all_is_hidden():
    r = generate(n_users=30, n_items=20, missing=0.99, seed=1)
    assert r.ratings_per_user().min() >= 1
    assert r.ratings_per_item().min() >= 1
    assert r.n_ratings == 30  # max(n_users, n_items): the least that covers everyone
    assert not r.warnings


def test_no_cell_is_rated_twice():
    r = generate(n_users=50, n_items=40, missing=0.4, seed=2)
    flat = r.user_idx * r.n_items + r.item_idx
    assert np.unique(flat).size == flat.size


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = generate(seed=7), generate(seed=7), generate(seed=8)
    for name in ("user_idx", "item_idx", "values", "truth"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.truth, c.truth)


def test_values_lie_in_the_scale_with_two_decimals():
    r = generate(n_users=40, n_items=30, noise=3.0, scale=(0.5, 5.0), seed=4)  # noise forces clipping
    for grid in (r.values, r.truth):
        assert grid.min() == 0.5 and grid.max() == 5.0
        assert np.allclose(grid * 100, np.round(grid * 100))


def test_observed_cells_equal_their_truth():
    r = generate(n_users=25, n_items=15, missing=0.5, seed=5)
    assert np.array_equal(r.truth[r.user_idx, r.item_idx], r.values)


def test_users_rate_their_own_group_high():
    r, user_groups, item_groups = generate_with_groups(
        n_users=30, n_items=24, n_groups=3, noise=0.0, seed=6)
    assert sorted(np.bincount(user_groups)) == [10, 10, 10]
    same = user_groups[:, None] == item_groups[None, :]
    assert r.truth[same].min() > r.truth[~same].max()


def test_mf_beats_the_mean_on_the_hidden_cells():
    r = generate(n_users=40, n_items=30, missing=0.5, seed=0)
    result = fit(r, "mf", MFConfig(dim=4), train=TrainConfig(epochs=60, lr=0.05))
    hidden = ~r.observed_mask()
    mean_rmse = np.sqrt(np.mean((r.truth[hidden] - r.values.mean()) ** 2))
    truth = result.truth_metrics()
    assert truth["n_truth"] == hidden.sum()
    assert truth["truth_rmse"] < 0.6 * mean_rmse


def test_generate_long_gives_distinct_pairs_covering_everyone():
    r = generate_long(n_ratings=20_000, n_users=3_000, n_items=500, seed=1)
    assert r.n_ratings == 20_000 and r.truth is None
    flat = r.user_idx * r.n_items + r.item_idx
    assert np.all(np.diff(flat) > 0)  # distinct, and in row-major order like a matrix
    assert r.ratings_per_user().min() >= 1 and r.ratings_per_item().min() >= 1
    assert r.values.min() >= 1.0 and r.values.max() <= 5.0


def test_generate_long_is_deterministic_and_can_fill_every_cell():
    a = generate_long(500, 40, 30, seed=2)
    b = generate_long(500, 40, 30, seed=2)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.item_idx, b.item_idx)
    full = generate_long(40 * 30, 40, 30)
    assert full.n_ratings == 1200 and full.density == 1.0


def test_generate_switches_to_sampling_above_the_dense_limit(monkeypatch):
    monkeypatch.setattr(synthetic, "DENSE_CELL_LIMIT", 1_000)
    r = generate(n_users=100, n_items=50, missing=0.9)
    assert r.truth is None
    assert r.n_ratings == 500
    assert [w.code for w in r.warnings] == ["no_truth"]


@pytest.mark.parametrize("kwargs, word", [
    (dict(n_users=0), "n_users"),
    (dict(n_items=2.5), "n_items"),
    (dict(n_groups=0), "n_groups"),
    (dict(n_users=2, n_groups=3), "n_groups"),
    (dict(missing=1.0), "missing"),
    (dict(missing=-0.1), "missing"),
    (dict(noise=-1), "noise"),
    (dict(noise=float("nan")), "noise"),
    (dict(seed=-1), "seed"),
    (dict(scale=(5, 1)), "scale"),
    (dict(scale="1-5"), "scale"),
])
def test_bad_arguments_say_which_and_what_is_allowed(kwargs, word):
    with pytest.raises(ValueError, match=word):
        generate(**kwargs)


def test_generate_long_refuses_impossible_counts():
    with pytest.raises(ValueError, match="between 50"):
        generate_long(n_ratings=10, n_users=50, n_items=5)
    with pytest.raises(ValueError, match="every cell"):
        generate_long(n_ratings=251, n_users=50, n_items=5)
