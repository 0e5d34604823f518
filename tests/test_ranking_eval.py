"""Issue 14, evaluation: HR@K and NDCG@K on hand-computed cases, leave-one-out, the sampler."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recsys_core.ranking.data import Interactions
from recsys_core.ranking.metrics import (
    evaluate,
    expected_hits,
    full_metrics,
    rank_counts,
    sampled_metrics,
)
from recsys_core.ranking.split import leave_one_out, sample_negatives
from recsys_core.ranking.training import draw_negatives


def log_data(rows, n_items=None, times=True):
    """Interactions from (user, item, time) triples of small integers."""
    users = sorted({u for u, _, _ in rows})
    items = list(range(n_items if n_items else max(i for _, i, _ in rows) + 1))
    return Interactions(users=[f"u{u}" for u in users], items=[f"i{i}" for i in items],
                        user_idx=[users.index(u) for u, _, _ in rows],
                        item_idx=[i for _, i, _ in rows],
                        timestamps=[t for _, _, t in rows] if times else None)


# ----- the metrics, by hand ---------------------------------------------------------------------
def test_hits_without_ties():
    # ranks 0, 3, 9, 10: hit, hit, hit, miss at K = 10
    hr, ndcg = expected_hits([0, 3, 9, 10], [0, 0, 0, 0], k=10)
    assert hr.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert ndcg == pytest.approx([1.0, 1 / math.log2(5), 1 / math.log2(11), 0.0])


def test_ties_are_placed_at_random_and_averaged():
    # 9 above, 1 tie: rank 9 (hit) or 10 (miss), half each
    hr, ndcg = expected_hits([9], [1], k=10)
    assert hr[0] == pytest.approx(0.5) and ndcg[0] == pytest.approx(0.5 / math.log2(11))
    # 1 above, 2 ties, K = 2: ranks 1, 2, 3 equally likely, only rank 1 is a hit
    hr, ndcg = expected_hits([1], [2], k=2)
    assert hr[0] == pytest.approx(1 / 3) and ndcg[0] == pytest.approx((1 / math.log2(3)) / 3)
    # a model that scores all 100 candidates the same: HR@10 = 10 / 100, not 0 or 1
    hr, ndcg = expected_hits([0], [99], k=10)
    assert hr[0] == pytest.approx(0.1)
    assert ndcg[0] == pytest.approx(sum(1 / math.log2(r + 2) for r in range(10)) / 100)


def test_rank_counts_ignore_padding():
    greater, ties = rank_counts(np.array([0.5, 2.0]),
                                np.array([[0.9, 0.5, 0.1, np.nan], [1.0, 3.0, 2.0, 2.0]]))
    assert greater.tolist() == [1, 1] and ties.tolist() == [1, 2]
    greater, ties = rank_counts(np.array([np.nan]), np.array([[0.9, np.nan, 0.1]]))
    assert greater.tolist() == [2] and ties.tolist() == [0]  # a NaN score is a miss
    hr, _ = expected_hits(greater, ties, k=10)
    assert hr.tolist() == [1.0]  # ... unless there are fewer than K candidates
    assert expected_hits(*rank_counts(np.array([np.nan]), np.zeros((1, 20))), k=10)[0][0] == 0


def test_sampled_and_full_metrics_on_a_hand_case():
    # 2 users, 6 items. u0 has items 0, 1 (1 latest), u1 has 2, 3, 4 (4 latest)
    data = log_data([(0, 0, 1), (0, 1, 2), (1, 2, 1), (1, 3, 2), (1, 4, 3)], n_items=6)
    split = leave_one_out(data, seed=0)
    assert split.test_users.tolist() == [0, 1] and split.test_items.tolist() == [1, 4]
    scores = np.array([[9.0, 5.0, 7.0, 1.0, 6.0, 2.0],    # u0: held-out 1 scores 5
                       [0.0, 8.0, 3.0, 3.0, 4.0, 4.0]])  # u1: held-out 4 scores 4
    pairs = lambda u, i: scores[u, i]  # noqa: E731
    # full ranking: u0 competes with 2, 3, 4, 5 (0 is training) -> 2 and 4 above: rank 2
    #               u1 competes with 0, 1, 5 (2, 3 training) -> 1 above, 5 tied: rank 1 or 2
    hr, ndcg = full_metrics(lambda users: scores[users], split, k=2)
    assert hr.tolist() == pytest.approx([0.0, 0.5])
    assert ndcg.tolist() == pytest.approx([0.0, 0.5 / math.log2(3)])
    hr, ndcg = full_metrics(lambda users: scores[users], split, k=3)
    assert hr.tolist() == pytest.approx([1.0, 1.0])
    assert ndcg.tolist() == pytest.approx([1 / math.log2(4), 0.5 / math.log2(3) + 0.5 / math.log2(4)])
    # sampled: the negatives given by hand (u0: 3, 5; u1: 0, 1) -> u0 rank 0, u1 rank 1
    hr, ndcg = sampled_metrics(pairs, split, np.array([[3, 5], [0, 1]]), k=1)
    assert hr.tolist() == [1.0, 0.0]
    hr, ndcg = sampled_metrics(pairs, split, np.array([[3, 5], [0, 1]]), k=2)
    assert hr.tolist() == [1.0, 1.0] and ndcg.tolist() == pytest.approx([1.0, 1 / math.log2(3)])
    result = evaluate(pairs, lambda users: scores[users], split, k=3, negatives=2, seed=0)
    assert result.hr_full == pytest.approx(1.0)
    assert result.ndcg_full == pytest.approx(np.mean([1 / math.log2(4),
                                                      0.5 / math.log2(3) + 0.5 / math.log2(4)]))


# ----- leave-one-out ----------------------------------------------------------------------------
def test_leave_one_out_holds_out_the_latest_and_keeps_single_users():
    data = log_data([(0, 3, 50), (0, 1, 10), (0, 2, 99), (1, 0, 5), (2, 1, 7), (2, 0, 8)])
    split = leave_one_out(data, seed=3)
    assert split.test_users.tolist() == [0, 2] and split.test_items.tolist() == [2, 0]
    assert split.is_test.tolist() == [False, False, True, False, False, True]
    assert split.n_unscored == 1 and split.by_time and "single interaction" in split.note()
    assert split.n_train == 4


def test_ties_and_missing_times_are_drawn_with_the_seed():
    rows = [(0, i, 7) for i in range(8)] + [(1, i, 0) for i in range(8)]
    held = {leave_one_out(log_data(rows), seed=s).test_items.tolist()[0] for s in range(20)}
    assert len(held) > 3  # the tie is drawn, not always the first or last row
    untimed = log_data(rows, times=False)
    a, b = leave_one_out(untimed, seed=5), leave_one_out(untimed, seed=5)
    assert a.test_items.tolist() == b.test_items.tolist() and not a.by_time
    assert "at random" in a.note()
    assert len({tuple(leave_one_out(untimed, seed=s).test_items) for s in range(20)}) > 3


# ----- the samplers -----------------------------------------------------------------------------
def test_sampled_negatives_are_unseen_distinct_and_seeded():
    rng = np.random.default_rng(0)
    rows = {(u, i) for u, i in zip(rng.integers(0, 30, 600), rng.integers(0, 200, 600))}
    data = log_data([(u, i, 0) for u, i in sorted(rows)], n_items=200)
    split = leave_one_out(data, seed=0)
    negatives = sample_negatives(split, 99, seed=1)
    assert negatives.shape == (split.test_users.size, 99)
    known = set(zip(data.user_idx.tolist(), data.item_idx.tolist()))
    for user, row in zip(split.test_users, negatives):
        assert len(set(row.tolist())) == 99 and (row >= 0).all()
        assert not any((int(user), int(i)) in known for i in row)
    assert (sample_negatives(split, 99, seed=1) == negatives).all()
    assert not (sample_negatives(split, 99, seed=2) == negatives).all()


def test_a_user_with_few_unseen_items_gets_all_of_them_padded():
    data = log_data([(0, i, i) for i in range(5)] + [(1, 0, 0), (1, 1, 1)], n_items=6)
    negatives = sample_negatives(leave_one_out(data, 0), 3, seed=0)
    assert negatives[0].tolist() == [5, -1, -1]  # u0 saw 0..4: only item 5 is left
    assert sorted(negatives[1].tolist()) != [-1, -1, -1] and (negatives[1] >= 2).all()


def test_training_negatives_are_never_training_positives():
    rng = np.random.default_rng(1)
    users = rng.integers(0, 20, 300)
    items = rng.integers(0, 15, 300)
    keys = np.unique(users * 15 + items)
    users, items = keys // 15, keys % 15
    drawn = draw_negatives(np.random.default_rng(0), users, keys, 15, 4)
    assert drawn.shape == (users.size, 4) and (drawn >= 0).all()
    assert not np.isin(users[:, None] * 15 + drawn, keys).any()
    again = draw_negatives(np.random.default_rng(0), users, keys, 15, 4)
    assert (again == drawn).all()


def test_a_user_who_has_every_item_gets_no_negative():
    keys = np.array([0, 1, 2, 3, 4])  # user 0 has items 0..2 of 3; user 1 has 0 and 1
    drawn = draw_negatives(np.random.default_rng(0), np.array([0, 0, 0, 1, 1]), keys, 3, 2)
    assert (drawn[:3] == -1).all() and (drawn[3:] == 2).all()
