"""A ranking run as the app reads it: scores, top-N with a "because", the map, a table.

:class:`RankingResult` is the ranking task's snapshot of a
:class:`~.training.RankingTrainer`, what :class:`~recsys_core.results.trained_run.FitResult` is for
ratings: the run service keeps the latest one on the run, and Results, Compare and the
downloads read only it. The held-out evaluation (HR@K and NDCG@K, sampled and full) is
computed once per snapshot, when first asked for: the full ranking scores every item for
every user, a second or so on MovieLens, which a snapshot taken every 0.3 s while training
must not pay.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch

from recsys_core.ranking.commands import save_ranking_model, top_n_indices
from recsys_core.ranking.metrics import RankingScores, evaluate
from recsys_core.ranking.split import LeaveOneOut
from recsys_core.results.trained_run import project_2d, projection_2d

K = 10
"""The K of HR@K and NDCG@K the app shows (the NCF paper's)."""
NEGATIVES = 99
"""Sampled items each held-out item is ranked among (the NCF paper's)."""
BECAUSE_ITEMS = 2
"""Items of the user's history named as the reason for a recommendation."""


@dataclass
class RankingResult:
    """One ranking run as it stands: the model (a copy), the split it was trained and scored
    on, its history and settings. ``task`` is "ranking" (a ``FitResult`` has no task: ratings)."""

    model_name: str
    model_config: object
    train_config: object
    model: torch.nn.Module
    split: LeaveOneOut
    history: list
    status: str
    seconds: float
    task: str = "ranking"
    _scores: RankingScores | None = field(default=None, repr=False)

    @classmethod
    def of(cls, trainer) -> RankingResult:
        return cls(model_name=trainer.model_name,
                   model_config=copy.deepcopy(trainer.model_config),
                   train_config=copy.deepcopy(trainer.train),
                   model=copy.deepcopy(trainer.model).eval(), split=trainer.split,
                   history=list(trainer.history), status=trainer.status,
                   seconds=trainer.seconds)

    @property
    def data(self):
        return self.split.data

    @property
    def epochs_run(self) -> int:
        return len(self.history)

    @property
    def message(self) -> str:
        return ""

    # ----- the held-out evaluation ----------------------------------------------------------
    def scores(self) -> RankingScores:
        """HR@10 and NDCG@10 on 99 sampled negatives and on the full ranking (computed once)."""
        if self._scores is None:
            def pairs(users, items):
                with torch.no_grad():
                    return self.model(torch.as_tensor(users),
                                      torch.as_tensor(items)).double().numpy()

            def rows(users):
                with torch.no_grad():
                    return self.model.score_rows(torch.as_tensor(users)).double().numpy()

            self._scores = evaluate(pairs, rows, self.split, K, NEGATIVES, self.split.seed)
        return self._scores

    # ----- recommendations ------------------------------------------------------------------
    def top_n(self, n: int, users: np.ndarray | None = None) -> pd.DataFrame:
        """``user, rank, item, score, because`` (labels as they are; positions in
        ``user_idx`` and ``item_idx``): each user's ``n`` best items they have not
        interacted with, and the items of their history most like each one."""
        u, ranks, items, scores = top_n_indices(self.model, self.data, n, users)
        data = self.data
        frame = pd.DataFrame({"user": np.asarray(data.users, dtype=object)[u], "rank": ranks,
                              "item": np.asarray(data.items, dtype=object)[items],
                              "score": scores})
        frame["because"] = [", ".join(data.items[j] for j in found)
                            for found in because(self, u, items)]
        frame["user_idx"], frame["item_idx"] = u, items
        return frame

    def item_vectors(self) -> np.ndarray:
        """What two items are compared by for the "because": the model's item factors where
        it has them (what it learned), else the items' columns of training interactions (who
        else clicked both)."""
        vectors = self.model.item_vectors()
        if vectors is not None:
            return vectors.detach().double().cpu().numpy()
        users, items = self.split.train_pairs()
        grid = np.zeros((self.data.n_items, self.data.n_users), dtype=np.float32)
        grid[items, users] = 1.0
        return grid

    # ----- pictures -------------------------------------------------------------------------
    def embeddings_2d(self) -> pd.DataFrame:
        """``kind, label, x, y, ratings`` of every user and item on one 2-D map (``ratings``:
        interactions, the map's name for how active a point is); empty for models without
        embeddings (popularity, item-kNN)."""
        vectors = self._map_vectors()
        if vectors is None:
            return pd.DataFrame(columns=["kind", "label", "x", "y", "ratings"])
        coords, how = project_2d(vectors)
        data = self.data
        frame = pd.DataFrame({"kind": ["user"] * data.n_users + ["item"] * data.n_items,
                              "label": data.users + data.items, "x": coords[:, 0],
                              "y": coords[:, 1],
                              "ratings": np.concatenate([data.per_user(), data.per_item()])})
        frame.attrs["projection"] = how
        return frame

    def projection(self):
        """The map of :meth:`embeddings_2d` as a function that places any user vector on it
        (a visitor's, :func:`~.foldin.map_position`), or None without embeddings."""
        vectors = self._map_vectors()
        return None if vectors is None else projection_2d(vectors)[0]

    def _map_vectors(self) -> np.ndarray | None:
        users, items = self.model.user_vectors(), self.model.item_vectors()
        if users is None or items is None:
            return None
        return torch.cat([users, items]).detach().double().cpu().numpy()

    def model_file(self) -> bytes:
        """The model as ``recsys_core fit --task ranking`` writes ``model.pt``."""
        buffer = io.BytesIO()
        trainer = _Saved(self.model_name, self.model_config, self.train_config, self.model)
        save_ranking_model(trainer, self.data, buffer)
        return buffer.getvalue()


@dataclass
class _Saved:
    """What :func:`~.commands.save_ranking_model` reads of a trainer."""

    model_name: str
    model_config: object
    train: object
    model: torch.nn.Module


def because(result: RankingResult, users: np.ndarray, items: np.ndarray,
            how_many: int = BECAUSE_ITEMS) -> list[np.ndarray]:
    """For each (user, recommended item), the ``how_many`` items of the user's training
    history most similar to it (cosine of :meth:`RankingResult.item_vectors`), most similar
    first."""
    train_u, train_i = result.split.train_pairs()
    order = np.argsort(train_u, kind="stable")
    bounds = np.searchsorted(train_u[order], np.arange(result.data.n_users + 1))
    unit = unit_item_vectors(result)
    return [closest(unit, train_i[order[bounds[user]:bounds[user + 1]]], item, how_many)
            for user, item in zip(users, items)]


def unit_item_vectors(result: RankingResult) -> np.ndarray:
    vectors = result.item_vectors()
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def closest(unit: np.ndarray, history: np.ndarray, item: int, how_many: int) -> np.ndarray:
    """The ``how_many`` items of ``history`` most like ``item`` (cosine), most alike first."""
    similar = unit[history] @ unit[item]
    return history[np.argsort(-similar, kind="stable")[:how_many]]


TABLE_COLUMNS = ["run", "model", "hr", "ndcg", "hr_full", "ndcg_full", "epochs", "seconds",
                 "status", "data", "hyperparameters"]


def runs_table(runs: list) -> pd.DataFrame:
    """One row per ranking run, best first by sampled HR@10, then NDCG@10 (the paper's
    order); the full-ranking figures beside them, since they can order models otherwise."""
    from recsys_core.training.session import hyperparameters

    rows = []
    for run in runs:
        result = run.result
        scores = result.scores() if result is not None and result.history else None
        rows.append({"run": run.name, "model": run.model_name,
                     **(scores.as_dict() if scores is not None else {}),
                     "epochs": result.epochs_run if result is not None else 0,
                     "seconds": round(result.seconds, 2) if result is not None else None,
                     "status": run.status, "data": run.data_name,
                     "hyperparameters": hyperparameters(run)})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    return table.sort_values(["hr", "ndcg"], ascending=False, na_position="last",
                             kind="stable").reset_index(drop=True)
