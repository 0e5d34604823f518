"""HR@K and NDCG@K of a held-out item among candidates, the sampled way and the full way.

For one user the held-out item gets a *rank*: how many candidates score above it (0 = top).
HR@K is 1 when the rank is below K, else 0; NDCG@K is ``1 / log2(rank + 2)`` when the rank
is below K, else 0 (one relevant item, so the ideal DCG is 1). Both are averaged over users.

- **sampled** (the NCF paper's protocol): the candidates are ``n`` items the user never
  interacted with, drawn at random (:func:`~.split.sample_negatives`), 99 in the paper;
- **full**: the candidates are every item the user has not interacted with in training.

Sampled metrics are cheaper but can order models differently from the full ranking
(Krichene and Rendle, "On Sampled Metrics for Item Recommendation", KDD 2020); both are
reported.

Ties: a candidate that scores exactly as the held-out item (a popularity count, an untrained
model) is placed above or below it at random, and the metrics are the exact expected values
over that draw, so a model that scores every item the same gets HR@K = K / (candidates + 1),
neither 1 nor 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from recsys_core.ranking.split import LeaveOneOut, sample_negatives

SCORE_BATCH = 256
"""Users scored at once in the full ranking (a users x items block of scores)."""


def expected_hits(greater: np.ndarray, ties: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """HR@K and NDCG@K per user from how many candidates score above the held-out item
    (``greater``) and exactly as it (``ties``), with ties in a random order: the rank is
    then uniform on ``greater .. greater + ties``."""
    greater = np.asarray(greater, dtype=np.int64)
    ties = np.asarray(ties, dtype=np.int64)
    gain = np.concatenate([[0.0], np.cumsum(1.0 / np.log2(np.arange(k) + 2.0))])  # gain[j]: ranks < j
    low, high = np.minimum(greater, k), np.minimum(greater + ties + 1, k)
    hr = (high - low) / (ties + 1)
    ndcg = (gain[high] - gain[low]) / (ties + 1)
    return hr, ndcg


def rank_counts(positive: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, how many candidate scores are above ``positive`` and how many equal it; NaN
    candidates (padding, excluded items) count as neither. A held-out item scored NaN (a
    model that broke down) ranks below every candidate: a miss, never a hit."""
    positive = np.asarray(positive, dtype=np.float64)[:, None]
    greater = (candidates > positive).sum(axis=1)
    broken = np.isnan(positive[:, 0])
    greater[broken] = (~np.isnan(candidates[broken])).sum(axis=1)
    return greater, (candidates == positive).sum(axis=1)


@dataclass
class RankingScores:
    """Mean HR@K and NDCG@K over the scored users, sampled and full, with the per-user
    values (in the order of ``split.test_users``)."""

    k: int
    negatives: int
    hr: float
    ndcg: float
    hr_full: float
    ndcg_full: float
    per_user: dict

    def as_dict(self) -> dict:
        return {"hr": self.hr, "ndcg": self.ndcg, "hr_full": self.hr_full,
                "ndcg_full": self.ndcg_full}


def sampled_metrics(score_pairs: Callable, split: LeaveOneOut, negatives: np.ndarray,
                    k: int) -> tuple[np.ndarray, np.ndarray]:
    """HR@K and NDCG@K per scored user against their sampled ``negatives`` (from
    :func:`~.split.sample_negatives`); ``score_pairs(users, items)`` scores equal-length
    arrays of pairs."""
    m, n = negatives.shape
    valid = negatives >= 0
    users = np.repeat(split.test_users, n)
    items = np.where(valid, negatives, 0).ravel()
    scores = np.asarray(score_pairs(users, items), dtype=np.float64).reshape(m, n)
    scores[~valid] = np.nan
    positive = np.asarray(score_pairs(split.test_users, split.test_items), dtype=np.float64)
    return expected_hits(*rank_counts(positive, scores), k)


def full_metrics(score_rows: Callable, split: LeaveOneOut, k: int,
                 batch: int = SCORE_BATCH) -> tuple[np.ndarray, np.ndarray]:
    """HR@K and NDCG@K per scored user among every item they have no training interaction
    with; ``score_rows(users)`` gives a ``(len(users), n_items)`` array of scores."""
    data = split.data
    train_u, train_i = split.train_pairs()
    position = np.full(data.n_users, -1, dtype=np.int64)
    position[split.test_users] = np.arange(split.test_users.size)
    hr = np.empty(split.test_users.size)
    ndcg = np.empty(split.test_users.size)
    for start in range(0, split.test_users.size, batch):
        users = split.test_users[start:start + batch]
        rows = np.array(score_rows(users), dtype=np.float64)
        here = np.arange(users.size)
        positive = rows[here, split.test_items[start:start + batch]].copy()
        rows[here, split.test_items[start:start + batch]] = np.nan  # not its own competitor
        seen = (position[train_u] >= start) & (position[train_u] < start + users.size)
        rows[position[train_u[seen]] - start, train_i[seen]] = np.nan  # known items: not ranked
        hr[start:start + batch], ndcg[start:start + batch] = expected_hits(
            *rank_counts(positive, rows), k)
    return hr, ndcg


def evaluate(score_pairs: Callable, score_rows: Callable, split: LeaveOneOut, k: int = 10,
             negatives: int = 99, seed: int = 0, full: bool = True) -> RankingScores:
    """Both protocols for one model on one split (``full=False`` skips the full ranking)."""
    sampled = sample_negatives(split, negatives, seed)
    hr, ndcg = sampled_metrics(score_pairs, split, sampled, k)
    per_user = {"hr": hr, "ndcg": ndcg}
    hr_full = ndcg_full = np.full(hr.shape, np.nan)
    if full:
        hr_full, ndcg_full = full_metrics(score_rows, split, k)
        per_user.update(hr_full=hr_full, ndcg_full=ndcg_full)
    return RankingScores(k=k, negatives=negatives, hr=_mean(hr), ndcg=_mean(ndcg),
                         hr_full=_mean(hr_full), ndcg_full=_mean(ndcg_full), per_user=per_user)


def sampled_monitor(split: LeaveOneOut, k: int = 10, negatives: int = 99, seed: int = 0):
    """``monitor(model) -> (hr, ndcg)``: the sampled HR@K and NDCG@K of ``model`` on the
    held-out items, for :class:`~.training.RankingTrainer` to report after every epoch (the
    live chart's HR@10). The negatives are drawn once, as :func:`evaluate` draws them with
    the same seed, so the last epoch's figures are the final evaluation's."""
    import torch

    drawn = sample_negatives(split, negatives, seed)

    def monitor(model) -> tuple[float, float]:
        def pairs(users, items):
            with torch.no_grad():
                return model(torch.as_tensor(users), torch.as_tensor(items)).double().numpy()

        hr, ndcg = sampled_metrics(pairs, split, drawn, k)
        return _mean(hr), _mean(ndcg)

    return monitor


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if values.size and not np.isnan(values).all() else float("nan")
