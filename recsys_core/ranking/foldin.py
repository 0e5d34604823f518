"""A newcomer's top-N on a ranking run, without retraining: they tick the items they like.

The ranking task's half of :mod:`recsys_core.training.foldin`. Each ranking model scores a visitor
itself (:meth:`~recsys_core.models.ranking.base.RankingModel.fold_in_visitor`): the
embedding models train one fresh user row against their frozen item side with their own
loss; ALS solves it exactly; popularity and item-kNN are exact. The same function serves the
library, the app and ``python -m recsys_core recommend DIR`` on a folder
``fit --task ranking --out DIR`` wrote (:func:`recsys_core.recommend.recommend_from_folder`).
:func:`retrainer` and :func:`compare` say how close the fold-in came to training the run again
with the visitor among its users.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from recsys_core.i18n import L_
from recsys_core.models import RANKING_MODELS
from recsys_core.training.foldin import FoldInError, nearest_item

LIKED = 1.0
"""The one value an interactions run takes for an item: the visitor interacted with it."""


@dataclass
class RankingVisitor:
    """A newcomer's scores on a ranking run: every item they have not liked, best first."""

    items: list[str]
    liked: np.ndarray
    scores: np.ndarray
    seconds: float
    vector: np.ndarray | None = field(default=None, repr=False)
    """The visitor's user vector (None: a model without embeddings), for the map."""

    @property
    def n_liked(self) -> int:
        """How sure: the number of items the visitor's scores rest on."""
        return int(self.liked.size)

    def unliked(self, n: int | None = None) -> np.ndarray:
        """Positions of the ``n`` best items the visitor did not tick (None: all), best
        first, ties in the run's item order."""
        order = np.argsort(-self.scores, kind="stable")
        return order[~np.isin(order, self.liked)][:n]

    def ranked(self, n: int | None = None) -> list[tuple[str, float]]:
        return [(self.items[j], float(self.scores[j])) for j in self.unliked(n)]

    def items_json(self, n: int | None = None) -> list[dict]:
        return [{"item": item, "score": round(score, 6)} for item, score in self.ranked(n)]


def check_liked(items: list[str], rated) -> np.ndarray:
    """The positions of the visitor's liked items (``(label, value)`` pairs, value 1), or a
    :class:`FoldInError` that says which is wrong: none, an unknown label, a value other
    than 1, an item given twice."""
    pairs = list(rated)
    if not pairs:
        raise FoldInError("no_ratings", L_("No items were given"),
                          L_("tick at least one item the newcomer likes"))
    position = {label: j for j, label in enumerate(items)}
    liked: list[int] = []
    for label, value in pairs:
        label = str(label)
        if label not in position:
            close = nearest_item(label, items)
            raise FoldInError("unknown_item", L_(
                "Unknown item '{item}'{hint}: the run has no item of exactly that name "
                "({count} items)", item=label, count=f"{len(items):,}",
                hint=L_(" (did you mean '{near}'?)", near=close) if close else ""),
                L_("give an item exactly as it is written in the run's data"))
        if position[label] in liked:
            raise FoldInError("rated_twice", L_("Item '{item}' is given twice", item=label),
                              L_("give each item once"))
        if value != LIKED:
            raise FoldInError("off_scale", L_(
                "'{item}={value}': an interactions run takes 1 (the newcomer interacted with "
                "it)", item=label, value=f"{value:g}"), L_("give ITEM=1 for each liked item"))
        liked.append(position[label])
    return np.asarray(liked, dtype=np.int64)


def fold_in_liked(model, model_name: str, items: list[str], rated, negatives: int = 4,
                  seed: int = 0) -> RankingVisitor:
    """The visitor's scores on a trained ranking ``model`` from the items they like."""
    liked = check_liked(items, rated)
    started = time.perf_counter()
    scores, vector = model.fold_in_visitor(liked, RANKING_MODELS[model_name].loss,
                                           negatives=negatives, seed=seed)
    return RankingVisitor(items, liked, scores, time.perf_counter() - started, vector)


def visitor_top_n(result, liked_labels: list[str], n: int) -> tuple[pd.DataFrame, RankingVisitor]:
    """A visitor's top-N on a trained ranking run (:class:`~.results.RankingResult`):
    ``rank, item, score, because`` (the liked items most like each recommendation)."""
    from recsys_core.ranking.results import BECAUSE_ITEMS, closest, unit_item_vectors

    train = result.train_config
    visitor = fold_in_liked(result.model, result.model_name, list(result.data.items),
                            [(label, LIKED) for label in liked_labels],
                            negatives=int(getattr(train, "negatives", 4)),
                            seed=int(getattr(train, "seed", 0)))
    top = visitor.ranked(n)
    unit = unit_item_vectors(result)
    position = {label: j for j, label in enumerate(result.data.items)}
    because = [", ".join(result.data.items[j] for j in
                         closest(unit, visitor.liked, position[item], BECAUSE_ITEMS))
               for item, _ in top]
    frame = pd.DataFrame({"rank": np.arange(1, len(top) + 1, dtype=np.int64),
                          "item": [item for item, _ in top],
                          "score": [score for _, score in top], "because": because})
    return frame, visitor


def recommend_ranking_run(path, rated, n: int | None) -> dict:
    """``recommend DIR`` on a torch ranking run: ``{"items": [...], "seconds": ...}`` (called
    through :func:`recsys_core.recommend.recommend_from_folder`, which serves every kind)."""
    from recsys_core.ranking.commands import load_ranking_model

    path = Path(path)
    model, payload = load_ranking_model(path / "model.pt" if path.is_dir() else path)
    train = payload.get("train_config") or {}
    visitor = fold_in_liked(model, str(payload["model_name"]), list(payload["items"]), rated,
                            negatives=int(train.get("negatives", 4)),
                            seed=int(train.get("seed", 0)))
    return {"items": visitor.items_json(n), "seconds": round(visitor.seconds, 6)}


def typical_likes(result) -> float:
    """The median number of training interactions of a user of the run (how much the model
    usually knows of someone)."""
    users, _ = result.split.train_pairs()
    per_user = np.bincount(users, minlength=result.data.n_users)
    return float(np.median(per_user)) if per_user.size else 0.0


def map_position(result, visitor: RankingVisitor) -> tuple[float, float] | None:
    """Where the visitor sits on the run's map (:meth:`~.results.RankingResult.embeddings_2d`,
    the same projection); None for a model without embeddings."""
    project = result.projection()
    if project is None or visitor.vector is None:
        return None
    x, y = project(visitor.vector[None, :])[0]
    return float(x), float(y)


# ----- how close fold-in came: the run trained again with the visitor ---------------------------
VISITOR = "you (visitor)"
"""The visitor's user label in a retrained run (made unique against the run's own users)."""


@dataclass
class RankingComparison:
    """Fold-in against a retrain with the visitor among the users: the two top-``n`` lists,
    how many items they share, and how alike the two orders of every other item are
    (Spearman's rank correlation: ranking scores have no common scale to subtract)."""

    n: int
    shared: int
    overlap: float
    rank_correlation: float
    fold_in_top: list[str]
    retrained_top: list[str]
    fold_in_seconds: float
    retrain_seconds: float


def retrainer(result, visitor: RankingVisitor, label: str = VISITOR):
    """A trainer at epoch 0 for the ranking run ``result`` with the visitor added: the same
    model, settings and seed, the visitor the last user (``label``, made unique) with every
    ticked item in training, the run's held-out interactions held out as before. Returns it
    and the visitor's user position; the run service trains it (progress, pause)."""
    from recsys_core.ranking.data import Interactions
    from recsys_core.ranking.split import LeaveOneOut
    from recsys_core.ranking.training import RankingTrainer

    split, data = result.split, result.data
    name, k, taken = label, 2, set(data.users)
    while name in taken:
        name, k = f"{label} ({k})", k + 1
    liked = np.asarray(visitor.liked, dtype=np.int64)
    times = None
    if data.timestamps is not None:  # the visitor's clicks are the latest of all
        times = np.concatenate([data.timestamps,
                                np.full(liked.size, float(data.timestamps.max(initial=0)) + 1)])
    grown = Interactions(users=[*data.users, name], items=list(data.items),
                         user_idx=np.concatenate([data.user_idx,
                                                  np.full(liked.size, data.n_users)]),
                         item_idx=np.concatenate([data.item_idx, liked]), timestamps=times,
                         source=data.source, rule=data.rule)
    again = LeaveOneOut(data=grown, is_test=np.concatenate([split.is_test,
                                                            np.zeros(liked.size, dtype=bool)]),
                        test_users=split.test_users, test_items=split.test_items,
                        seed=split.seed, by_time=split.by_time)
    trainer = RankingTrainer(again, result.model_name, copy.deepcopy(result.model_config),
                             copy.deepcopy(result.train_config))
    return trainer, data.n_users


def compare(visitor: RankingVisitor, retrained, user: int, n: int = 10,
            seconds: float = 0.0) -> RankingComparison:
    """How close ``visitor``'s fold-in came to ``retrained`` (a ranking run trained with the
    visitor as its user ``user``, see :func:`retrainer`): their top ``n`` lists and the rank
    correlation of every item they did not tick; ``seconds``: how long the retrain took."""
    from recsys_core.ranking.training import score_rows

    again = score_rows(retrained.model, np.array([user]))[0]
    other = RankingVisitor(visitor.items, visitor.liked, np.asarray(again, dtype=np.float64),
                           seconds)
    count = int(min(n, len(visitor.items) - visitor.n_liked))
    ours, theirs = visitor.unliked(count), other.unliked(count)
    shared = len(set(ours.tolist()) & set(theirs.tolist()))
    unliked = np.setdiff1d(np.arange(len(visitor.items)), visitor.liked)
    return RankingComparison(
        n=count, shared=shared, overlap=shared / count if count else 1.0,
        rank_correlation=rank_correlation(visitor.scores[unliked], other.scores[unliked]),
        fold_in_top=[visitor.items[k] for k in ours],
        retrained_top=[visitor.items[k] for k in theirs],
        fold_in_seconds=visitor.seconds, retrain_seconds=seconds)


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two score vectors (1: the same order; ties ranked in
    item order); 1.0 for fewer than two items or a constant vector (nothing to disagree on)."""
    if a.size < 2:
        return 1.0
    ranks_a = np.argsort(np.argsort(-a, kind="stable"), kind="stable").astype(float)
    ranks_b = np.argsort(np.argsort(-b, kind="stable"), kind="stable").astype(float)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 1.0
    return float(np.corrcoef(ranks_a, ranks_b)[0, 1])
