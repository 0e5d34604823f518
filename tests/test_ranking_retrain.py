"""Try it yourself on a ranking run, beyond the list (issue 15, interactions half): the
visitor's user vector and place on the run's map, and the retrain with the visitor added that
says how close fold-in came."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from recsys_core.data.synthetic import generate_clicks
from recsys_core.ranking.foldin import (
    RankingVisitor,
    compare,
    map_position,
    rank_correlation,
    retrainer,
    typical_likes,
    visitor_top_n,
)
from recsys_core.ranking.split import leave_one_out
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer
from tests.tolerance import assert_float32_close

LIKED = ["item 1", "item 4", "item 9"]


@pytest.fixture(scope="module")
def clicks():
    return generate_clicks(n_users=60, n_items=30, n_groups=3, clicks_per_user=8, seed=2)[0]


def trained(data, name: str, epochs: int = 5):
    split = leave_one_out(data, 0)
    return RankingTrainer(split, name, None,
                          RankingTrainConfig(epochs=epochs, batch_size=128)).fit().result()


@pytest.mark.parametrize("name", ["bpr", "als"])
def test_the_visitors_vector_is_the_row_their_scores_come_from(clicks, name):
    """BPR's score is x·y + b_item and ALS's x·y: the vector handed out for the map is the
    very row fold-in scored the items with."""
    result = trained(clicks, name)
    _, visitor = visitor_top_n(result, LIKED, 5)
    items = result.model.item_factors.weight.detach().double().numpy()
    expected = items @ visitor.vector
    if name == "bpr":
        expected = expected + result.model.item_bias.weight.detach().double().numpy()[:, 0]
    assert_float32_close(visitor.scores, expected)


def test_the_map_places_a_vector_where_the_runs_map_places_that_user(clicks):
    result = trained(clicks, "gmf")
    frame = result.embeddings_2d()
    users = result.model.user_vectors().detach().double().numpy()
    for user in (0, 17):
        twin = RankingVisitor(list(clicks.items), np.array([0]), np.zeros(clicks.n_items), 0.0,
                              users[user])
        row = frame[(frame["kind"] == "user") & (frame["label"] == clicks.users[user])]
        assert map_position(result, twin) == pytest.approx(
            (float(row["x"].iloc[0]), float(row["y"].iloc[0])), abs=1e-9)


def test_a_model_without_embeddings_has_no_place_on_a_map(clicks):
    result = trained(clicks, "popularity")
    _, visitor = visitor_top_n(result, LIKED, 5)
    assert visitor.vector is None and map_position(result, visitor) is None


def test_the_retrain_adds_the_visitor_as_a_user_with_exactly_their_ticks_in_training(clicks):
    result = trained(clicks, "bpr")
    _, visitor = visitor_top_n(result, LIKED, 5)
    trainer, user = retrainer(result, visitor)
    data, split = trainer.data, trainer.split
    assert user == clicks.n_users and data.n_users == clicks.n_users + 1
    assert data.users[user] == "you (visitor)" and data.items == clicks.items
    users, items = split.train_pairs()
    assert sorted(data.items[j] for j in items[users == user]) == sorted(LIKED)
    old_users, old_items = result.split.train_pairs()
    assert np.array_equal(users[users != user], old_users)  # everyone else as before
    assert np.array_equal(items[users != user], old_items)
    assert np.array_equal(split.test_users, result.split.test_users)  # the same held out
    assert np.array_equal(split.test_items, result.split.test_items)
    assert trainer.model_name == "bpr" and trainer.train == result.train_config
    assert typical_likes(result) == np.median(np.bincount(old_users, minlength=clicks.n_users))


def test_a_retrain_that_lands_on_the_visitors_own_row_agrees_entirely(clicks):
    """The comparison's numbers: a retrained model whose visitor row is fold-in's gives the
    same list and the same order; shuffled scores do not."""
    result = trained(clicks, "als")
    _, visitor = visitor_top_n(result, LIKED, 5)
    trainer, user = retrainer(result, visitor)
    again = trainer.fit(result.epochs_run).result()
    with torch.no_grad():
        again.model.item_factors.weight.copy_(result.model.item_factors.weight)
        again.model.user_factors.weight[user] = torch.as_tensor(visitor.vector).float()
    same = compare(visitor, again, user, n=5, seconds=1.5)
    assert (same.shared, same.n, same.overlap) == (5, 5, 1.0)
    assert same.rank_correlation == pytest.approx(1.0)
    assert same.fold_in_top == same.retrained_top == [item for item, _ in visitor.ranked(5)]
    assert not set(same.retrained_top) & set(LIKED) and same.retrain_seconds == 1.5
    with torch.no_grad():
        again.model.user_factors.weight[user] = -again.model.user_factors.weight[user]
    opposite = compare(visitor, again, user, n=5)
    assert opposite.rank_correlation < 0 and opposite.shared < 5


def test_rank_correlation_reads_orders_not_scales():
    a = np.array([3.0, 1.0, 2.0, 0.5])
    assert rank_correlation(a, a * 100 + 7) == pytest.approx(1.0)
    assert rank_correlation(a, -a) == pytest.approx(-1.0)
    assert rank_correlation(a[:1], a[:1]) == 1.0


def test_the_visitors_adam_steps_are_torchs_adam():
    """Fold-in's hand-written Adam (no torch.optim: making one imports torch._dynamo, 1.7 s
    of a fresh ``recommend`` process) takes the steps torch's Adam takes."""
    from recsys_core.models.ranking.base import adam_steps

    torch.manual_seed(0)
    ours = torch.nn.Parameter(torch.randn(1, 8))
    theirs = torch.nn.Parameter(ours.detach().clone())
    target = torch.randn(8)

    def loss(row):
        return ((row[0] * target).sum() - 3) ** 2 + 0.1 * (row ** 2).sum()

    adam_steps([ours], lambda: loss(ours), 100, 0.05)
    optimiser = torch.optim.Adam([theirs], lr=0.05)
    for _ in range(100):
        optimiser.zero_grad()
        loss(theirs).backward()
        optimiser.step()
    assert not torch.equal(ours, torch.zeros_like(ours))
    assert_float32_close(ours.detach().numpy(), theirs.detach().numpy())
