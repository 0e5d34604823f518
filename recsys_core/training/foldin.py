"""A newcomer's recommendations without retraining: fold a new user into a trained run.

A visitor rates a few items; every weight of the trained model stays as it is and only the
visitor's own rows (factors and bias) are found, by the rule in the model's own file
(``ModelSpec.fold_in``): MF in closed form (ridge regression with the run's regularisation,
derived in :func:`recsys_core.models.mf.solve`) followed by Newton steps on the training
objective, the baseline in closed form, the networks by a few gradient steps on the training
objective (:func:`recsys_core.models.base.fold_in_by_steps`).
The same functions serve the library, the app and the command line::

    visitor = fold_in(result, {"Toy Story (1995)": 5, "Heat (1995)": 2})   # or fold_in("out/", ...)
    visitor.top_n(10)          # rank, item, score, because: the unrated items, best first
    visitor.position           # (x, y) on the run's embedding map, or None (the baseline)
    visitor.n_ratings          # how many ratings the answer rests on
    compare_with_retrain(result, visitor)   # how close fold-in came to retraining

``result`` is a :class:`~recsys_core.results.trained_run.FitResult`, a folder written by
``python -m recsys_core fit --out``, or a :class:`Run` made from either (:func:`run_of`).
No streamlit here; a page calls these in a line each.

Torch ratings runs. An interactions run folds in a set of liked items
(:mod:`recsys_core.ranking.foldin`), a Spark ALS run its own way (:mod:`recsys_core.spark.foldin`);
:func:`recsys_core.recommend.recommend_from_folder` takes a folder of any of these kinds.
"""

from __future__ import annotations

import copy
import difflib
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from recsys_core.data.errors import RatingsError
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_
from recsys_core.models import MODELS
from recsys_core.models.base import evaluating
from recsys_core.models.config import from_dict
from recsys_core.results.trained_run import (
    FitResult,
    because,
    best_of,
    liked_items,
    load_model,
    projection_2d,
    unit_item_vectors,
)
from recsys_core.training.trainer import TrainConfig, Trainer, _threads_for

VISITOR = "visitor"
"""The new user's label in a retrained run (made unique among the run's users)."""


# ----- what went wrong ----------------------------------------------------------------------
class FoldInError(RatingsError):
    """A visitor's ratings that cannot be folded in: says what, and what to do, in words a
    user interface renders in its language (``render(lang)``, as every library error); the
    ``code`` (``no_ratings``, ``unknown_item``, ``off_scale``, ``rated_twice``, ``no_data``,
    ``no_run``, ``not_ratings``) says which."""

    def __init__(self, code: str, what: str, todo: str = "") -> None:
        self.code = code
        super().__init__(what, "", todo)


# ----- the trained run ----------------------------------------------------------------------
@dataclass
class Run:
    """What fold-in needs of a trained run. ``ratings`` and ``is_val`` (the training data and
    its held-out mask) are there for a run trained in this process (a
    :class:`~recsys_core.results.trained_run.FitResult`) and None for one read from a folder: enough to
    recommend, not to retrain."""

    model_name: str
    model: torch.nn.Module
    items: list[str]
    scale: tuple[float, float]
    train_config: TrainConfig
    ratings: Ratings | None = None
    is_val: np.ndarray | None = None
    kind: str = "ratings"
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def position_of(self, label: str) -> int | None:
        if not self._index:
            self._index.update((item, k) for k, item in enumerate(self.items))
        return self._index.get(label)

    @cached_property
    def unit_items(self) -> np.ndarray | None:
        return unit_item_vectors(self.model)

    @cached_property
    def projection(self):
        """The run's 2-D map as a function of a user vector (see
        :meth:`~recsys_core.results.trained_run.FitResult.embeddings_2d`), or None without embeddings."""
        users, items = self.model.user_vectors(), self.model.item_vectors()
        if users is None or items is None:
            return None
        stacked = np.vstack([users.detach().cpu().double().numpy(),
                             items.detach().cpu().double().numpy()])
        return projection_2d(stacked)[0]

    @cached_property
    def typical_ratings(self) -> float | None:
        """The median number of training ratings per user, when the data is at hand."""
        if self.ratings is None:
            return None
        train = ~self.is_val
        per_user = np.bincount(self.ratings.user_idx[train], minlength=self.ratings.n_users)
        return float(np.median(per_user)) if per_user.size else None


def run_of(source) -> Run:
    """A :class:`Run` from a FitResult, a folder written by ``fit --out`` (or its
    ``model.pt``), or a Run (returned as it is). A FitResult's Run is made once and kept
    with it."""
    if isinstance(source, Run):
        return source
    if isinstance(source, FitResult):
        memo = source.__dict__.get("_fold_in_run")
        if memo is None or memo.model is not source.model:
            memo = Run(source.model_name, source.model, list(source.ratings.items),
                       source.ratings.scale, source.train_config, source.ratings,
                       np.asarray(source.is_val, dtype=bool))
            source.__dict__["_fold_in_run"] = memo
        return memo
    if isinstance(source, (str, Path)):
        return load_run(source)
    raise TypeError(f"fold_in needs a FitResult, a run folder or a Run, not "
                    f"{type(source).__name__}")


def load_run(path) -> Run:
    """The run in a folder written by ``python -m recsys_core fit --out DIR`` (its
    ``model.pt``, read without running code; see :func:`~recsys_core.results.trained_run.load_model`).
    A folder of another kind (interactions, Spark) is refused with the function that serves
    every kind: :func:`recsys_core.recommend.recommend_from_folder`."""
    from recsys_core.recommend import folder_run

    kind = folder_run(path)
    if kind.interactions or kind.engine == "spark":
        raise FoldInError("not_ratings", L_("'{path}' holds {kind}; fold_in and load_run take a "
                                            "torch ratings run", path=str(path),
                                            kind=kind.describe()),
                          L_("call recsys_core.recommend.recommend_from_folder('{path}', ...), "
                             "which serves every kind of run", path=str(path)))
    path = Path(path)
    file = path / "model.pt" if path.is_dir() else path
    if not file.is_file():
        raise FoldInError("no_run", L_("'{path}' holds no model.pt", path=str(path)),
                          L_("give a folder written by 'python -m recsys_core fit --out DIR'"))
    model, payload = load_model(file)
    return Run(str(payload["model_name"]), model, list(payload["items"]),
               (float(payload["scale"][0]), float(payload["scale"][1])),
               from_dict(TrainConfig, payload.get("train_config") or {}))


# ----- the visitor's ratings ------------------------------------------------------------------
def check_rated(run: Run, rated) -> tuple[np.ndarray, np.ndarray]:
    """The visitor's ``rated`` items (a mapping ``label -> value`` or ``(label, value)``
    pairs) as item positions and values, or a :class:`FoldInError` that says which one is
    wrong: none at all, a label the run does not know (labels are matched exactly), a value
    that is not a number on the run's scale, an item rated twice."""
    pairs = list(rated.items() if isinstance(rated, Mapping) else rated)
    if not pairs:
        raise FoldInError("no_ratings", L_("No ratings were given"),
                          L_("rate at least one item"))
    low, high = run.scale
    positions, values, seen = [], [], set()
    for label, value in pairs:
        label = str(label)
        position = run.position_of(label)
        if position is None:
            close, count = nearest_item(label, run.items), f"{len(run.items):,}"
            what = (L_("Unknown item '{item}' (did you mean '{near}'?): the run has no item of "
                       "exactly that name ({count} items)", item=label, near=close, count=count)
                    if close else
                    L_("Unknown item '{item}': the run has no item of exactly that name "
                       "({count} items)", item=label, count=count))
            raise FoldInError("unknown_item", what,
                              L_("give an item exactly as it is written in the run's data"))
        if label in seen:
            raise FoldInError("rated_twice", L_("Item '{item}' is rated twice", item=label),
                              L_("rate each item once"))
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            raise FoldInError("off_scale",
                              L_("The rating '{value}' of '{item}' is off the run's scale {low} "
                                 "to {high}", item=label, low=f"{low:g}", high=f"{high:g}",
                                 value=f"{number:g}" if math.isfinite(number) else str(value)),
                              L_("give a number from {low} to {high}", low=f"{low:g}",
                                 high=f"{high:g}"))
        seen.add(label)
        positions.append(position)
        values.append(number)
    return np.asarray(positions, dtype=np.int64), np.asarray(values, dtype=np.float64)


def nearest_item(label: str, items: list[str]) -> str | None:
    """The item a mistyped ``label`` most likely meant, to suggest (never used in its place):
    the same but for case and spaces, else one that holds it ('영수' in '영수(EN)'), else the
    closest spelling; None when nothing is close."""
    folded = " ".join(label.split()).casefold()
    if not folded:
        return None
    same = [item for item in items if " ".join(item.split()).casefold() == folded]
    if same:
        return same[0]
    holding = [item for item in items if folded in item.casefold()]
    if holding:
        return min(holding, key=len)
    close = difflib.get_close_matches(label, items, n=1, cutoff=0.6)
    return close[0] if close else None


# ----- fold-in ----------------------------------------------------------------------------------
@dataclass
class FoldIn:
    """A visitor folded into a run: their rows, their prediction for every item of the run,
    and how long it took. ``rated_idx``/``rated_values``: their ratings, in the order given."""

    run: Run
    rated_idx: np.ndarray
    rated_values: np.ndarray
    rows: dict[str, torch.Tensor]
    predictions: np.ndarray
    seconds: float

    @property
    def n_ratings(self) -> int:
        """How sure: the number of ratings the visitor's rows rest on (``run.typical_ratings``
        is the usual number of a user in training, when the data is at hand)."""
        return int(self.rated_idx.size)

    @property
    def method(self) -> str:
        """``closed form`` or ``gradient steps``: how the model's rule finds the rows."""
        from recsys_core.models.base import fold_in_by_steps

        rule = MODELS[self.run.model_name].fold_in
        return "gradient steps" if rule is fold_in_by_steps else "closed form"

    def unrated(self, n: int | None = None) -> np.ndarray:
        """Positions of the ``n`` best items the visitor did not rate (None: all of them),
        best prediction first, ties in the run's item order."""
        costs = -self.predictions.copy()
        costs[self.rated_idx] = np.inf
        count = len(self.run.items) - self.n_ratings
        return best_of(costs, count if n is None else max(0, min(int(n), count)))

    def top_n(self, n: int | None = 10, because_items: int = 2) -> pd.DataFrame:
        """``rank, item, score, because``: the ``n`` unrated items with the highest predicted
        rating (``n`` None: every unrated item), and for each the ``because_items`` items the
        visitor liked (rated above their own average) most alike to it, as the Results
        page's top-N says them (:meth:`~recsys_core.results.trained_run.FitResult.top_n`); 0 leaves the
        column out."""
        order = self.unrated(n)
        labels = self.run.items
        frame = pd.DataFrame({"rank": np.arange(1, order.size + 1),
                              "item": [labels[k] for k in order],
                              "score": self.predictions[order]})
        if because_items:
            liked = liked_items(self.rated_idx, self.rated_values)
            unit = self.run.unit_items
            frame["because"] = [because(unit, int(k), liked, because_items, labels)
                                for k in order]
        return frame

    def items_json(self, n: int | None = 10, digits: int = 6) -> list[dict]:
        """The top ``n`` as ``[{"item": ..., "score": ...}, ...]`` (the command line's)."""
        top = self.top_n(n, because_items=0)
        return [{"item": item, "score": round(float(score), digits)}
                for item, score in zip(top["item"], top["score"])]

    def rated_pairs(self) -> list[tuple[str, float]]:
        """The visitor's ratings as ``(label, value)`` pairs, in the order given."""
        return [(self.run.items[k], float(v)) for k, v in zip(self.rated_idx, self.rated_values)]

    @cached_property
    def vector(self) -> np.ndarray | None:
        """The visitor's counterpart of a row of the run's user vectors (None: the baseline)."""
        vector = self.run.model.visitor_vector(self.rows)
        return None if vector is None else vector.detach().cpu().double().numpy().reshape(-1)

    @property
    def position(self) -> tuple[float, float] | None:
        """Where the visitor sits on the run's embedding map, the same projection as
        :meth:`~recsys_core.results.trained_run.FitResult.embeddings_2d`; None without embeddings."""
        project = self.run.projection
        if project is None or self.vector is None:
            return None
        x, y = project(self.vector[None, :])[0]
        return float(x), float(y)


def fold_in(source, rated) -> FoldIn:
    """Fold a visitor who rated ``rated`` (``{item label: value}`` or ``(label, value)``
    pairs) into the trained run ``source`` (FitResult, folder or :class:`Run`) and predict
    every item for them; the model is not changed. Raises :class:`FoldInError` for ratings
    it cannot use (see :func:`check_rated`)."""
    run = run_of(source)
    positions, values = check_rated(run, rated)
    model = run.model
    device = next(model.parameters()).device
    started = time.perf_counter()
    items = torch.as_tensor(positions, device=device)
    targets = torch.as_tensor(values, dtype=torch.float32, device=device)
    with _threads_for(False):  # small tensors: one thread (see training._threads_for)
        rows = MODELS[run.model_name].fold_in(model, items, targets,
                                              float(run.train_config.weight_decay))
        predictions = visitor_predictions(model, rows, len(run.items))
    seconds = time.perf_counter() - started
    return FoldIn(run, positions, values, rows, predictions, seconds)


@torch.no_grad()
def visitor_predictions(model, rows: dict[str, torch.Tensor], n_items: int) -> np.ndarray:
    """The visitor's predicted rating of every item, through the model's own forward pass
    (evaluation mode: no dropout)."""
    device = next(model.parameters()).device
    items = torch.arange(n_items, device=device)
    with evaluating(model):
        scores = model.visitor_scores(items)
        if scores is not None:
            return scores(rows).double().cpu().numpy()
        with model.visiting(rows):
            predicted = model(torch.zeros_like(items), items)
    return predicted.double().cpu().numpy()


# ----- honest: against retraining ----------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """Fold-in against a retrain with the visitor among the users (same configs, same seed).

    ``overlap``: the share of the fold-in's top ``n`` that is also in the retrained top
    ``n`` (1.0: the same items, in whatever order); ``mean_abs_diff`` / ``max_abs_diff``:
    how far the two predictions of the visitor's unrated items are apart, in rating points;
    ``fold_in_top`` and ``retrained_top``: the two lists' labels, best first."""

    n: int
    overlap: float
    shared: int
    mean_abs_diff: float
    max_abs_diff: float
    fold_in_top: list[str]
    retrained_top: list[str]
    fold_in_seconds: float
    retrain_seconds: float
    retrained: FitResult


def retrainer(result: FitResult, rated, label: str = VISITOR) -> tuple[Trainer, int]:
    """A trainer at epoch 0 for the run ``result`` with the visitor's ``rated`` added: the
    same model and training configs and seed, the visitor the last user (``label``, made
    unique), their ratings all in training, the run's held-out ratings held out as before.
    Returns it and the visitor's user position; :func:`retrain_with` runs it to the end, the
    app's run service runs it epoch by epoch (progress, pause)."""
    if not isinstance(result, FitResult):
        raise FoldInError("no_data", L_("Only a run trained here can be trained again: a run "
                                        "read from a folder has no data"),
                          L_("train it again from its data"))
    run = run_of(result)
    positions, values = check_rated(run, rated)
    r = run.ratings
    name, k, taken = label, 2, set(r.users)
    while name in taken:
        name, k = f"{label} ({k})", k + 1
    ratings = Ratings(users=[*r.users, name], items=list(r.items),
                      user_idx=np.concatenate([r.user_idx, np.full(positions.size, r.n_users)]),
                      item_idx=np.concatenate([r.item_idx, positions]),
                      values=np.concatenate([r.values, values]), scale=r.scale)
    is_val = np.concatenate([run.is_val, np.zeros(positions.size, dtype=bool)])
    trainer = Trainer(ratings, result.model_name, copy.deepcopy(result.model_config),
                      copy.deepcopy(result.train_config), is_val=is_val)
    return trainer, r.n_users


def retrain_with(result: FitResult, rated, label: str = VISITOR) -> tuple[FitResult, int]:
    """The run ``result`` trained again from scratch on its data plus the visitor's
    ``rated`` (see :func:`retrainer`), for the run's configured epochs. Returns the new run
    and the visitor's user position."""
    trainer, user = retrainer(result, rated, label)
    return trainer.fit().result(), user


def compare_with_retrain(result: FitResult, visitor: FoldIn, n: int = 10) -> Comparison:
    """Retrain ``result`` with ``visitor``'s ratings added (:func:`retrain_with`) and say how
    close the fold-in came: overlap of the two top-``n`` lists, difference of the predictions
    of the items the visitor did not rate. Takes as long as training the run did."""
    started = time.perf_counter()
    retrained, user = retrain_with(result, visitor.rated_pairs())
    return compare(visitor, retrained, user, n, time.perf_counter() - started)


def compare(visitor: FoldIn, retrained: FitResult, user: int, n: int = 10,
            seconds: float = 0.0) -> Comparison:
    """How close ``visitor``'s fold-in came to ``retrained`` (a run trained with the visitor
    as its user ``user``, see :func:`retrainer`), on their top ``n`` and the predictions of
    the items they did not rate; ``seconds``: how long the retrain took."""
    from recsys_core.results.trained_run import predict_cells

    n_items = len(visitor.run.items)
    again = predict_cells(retrained.model, np.full(n_items, user), np.arange(n_items))
    unrated = np.ones(n_items, dtype=bool)
    unrated[visitor.rated_idx] = False
    count = int(min(n, unrated.sum()))
    ours = visitor.unrated(count)
    costs = np.where(unrated, -again, np.inf)
    theirs = best_of(costs, count)
    shared = len(set(ours.tolist()) & set(theirs.tolist()))
    diff = np.abs(visitor.predictions[unrated] - again[unrated])
    labels = visitor.run.items
    return Comparison(n=count, overlap=shared / count if count else 1.0, shared=shared,
                      mean_abs_diff=float(diff.mean()) if diff.size else 0.0,
                      max_abs_diff=float(diff.max()) if diff.size else 0.0,
                      fold_in_top=[labels[k] for k in ours],
                      retrained_top=[labels[k] for k in theirs],
                      fold_in_seconds=visitor.seconds, retrain_seconds=seconds,
                      retrained=retrained)
