"""A newcomer's top-N on a ranking run, without retraining: they tick the items they like.

The ranking task's half of :mod:`recsys_core.training.foldin`. Each ranking model scores a visitor
itself (:meth:`~recsys_core.models.ranking.base.RankingModel.visitor_scores`): the
embedding models train one fresh user row against their frozen item side with their own
loss; popularity and item-kNN are exact. The same function serves the library, the app and
``python -m recsys_core recommend DIR`` on a folder ``fit --task ranking --out DIR`` wrote
(:func:`recsys_core.recommend.recommend_from_folder`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
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

    def ranked(self, n: int | None = None) -> list[tuple[str, float]]:
        order = np.argsort(-self.scores, kind="stable")
        order = order[~np.isin(order, self.liked)]
        return [(self.items[j], float(self.scores[j])) for j in order[:n]]

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
    scores = model.visitor_scores(liked, RANKING_MODELS[model_name].loss, negatives=negatives,
                                  seed=seed)
    return RankingVisitor(items, liked, scores, time.perf_counter() - started)


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
