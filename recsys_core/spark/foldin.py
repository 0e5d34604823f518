"""A newcomer's top-N on a Spark ALS run, from the folder ``fit --engine spark --out DIR`` wrote,
without starting Spark: pyarrow and numpy read the saved model, numpy solves one row.

What the folder holds (:mod:`.commands` for ratings, :mod:`.ranking` for interactions):
``als_model/`` (Spark's saved ``ALSModel``: ``itemFactors`` and ``userFactors``, parquet with
columns ``id`` and ``features``), ``ids/`` (the fitted ``StringIndexerModel``; its ``data/``
holds ``labelsArray``, the user labels then the item labels, a label's position its integer
id), ``config.json`` (``model_config``: rank, reg, alpha, implicit, bias; for ratings also
``global_mean`` and ``scale``) and, for a ratings run with biases, ``biases/items.parquet``
(``item, b_i``).

The newcomer's row is solved as Spark's ALS solves a user's row (``ALS.computeFactors``, Spark
4.3; every iteration solves the items, then the users, so a trained user's saved row is this
solve against the saved item factors, which the tests check), in double precision from the
float32 factors, as Spark does:

- **ratings** (explicit, ALS-WR): the row x minimising Σ (t - x·y)² + reg·n·|x|² over the n
  rated items that have a vector, t the rating (less the mean and biases, below):
  x = (Σ y yᵀ + reg·n·I)⁻¹ Σ t y. Spark scales ``regParam`` by the user's number of ratings.
- **interactions** (implicit, Hu, Koren and Volinsky 2008): every item a preference, 1 for the
  liked and 0 for the rest, with confidence 1 + alpha for the liked and 1 otherwise:
  x = (YᵀY + alpha Σ y yᵀ + reg·n·I)⁻¹ (1 + alpha) Σ y, YᵀY over every item vector and n the
  number of liked items (Spark's ``numExplicits``, its count of ratings above 0: implicit mode
  scales ``regParam`` by it too).

With biases (``--bias on``, the ratings default) the training took the mean ``mu`` and the
biases out first (:mod:`.als`): the newcomer's own bias is found as the training found every
user's, ``b_u`` = Σ (r - mu - b_i) / (n + USER_DAMPING) over their ratings, the row is solved on
t = r - mu - b_u - b_i, and a prediction is mu + b_u + b_i + x·y, clipped to the scale (the
list is ordered by the prediction before clipping, as ``fit``'s top-N). An item without a
vector (no training rating) gets :mod:`.als`'s cold-start prediction: mu + b_u with biases,
mu without. On an interactions run such an item has no score (``None``) and comes last: ALS
ranks it below every item with a vector (:mod:`.ranking`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recsys_core.i18n import L_
from recsys_core.results.trained_run import best_of
from recsys_core.spark.als import USER_DAMPING, AlsConfig
from recsys_core.training.foldin import FoldInError

NO_SCORE = np.finfo(np.float64).max
"""The ordering cost of an item without a score: after every scored item, before the rated."""


@dataclass
class SavedAls:
    """A Spark ALS run read from its folder: what fold-in needs, nothing of Spark.

    ``item_factors``: one row per item label (zeros where ``has_vector`` is False: an item
    without a training rating); ``item_bias``: each item's ``b_i`` (0 without biases);
    ``scale``: the rating scale (None on an interactions run)."""

    items: list[str]
    item_factors: np.ndarray
    has_vector: np.ndarray
    config: AlsConfig
    mean: float
    item_bias: np.ndarray
    scale: tuple[float, float] | None
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def implicit(self) -> bool:
        return self.config.implicit

    def position_of(self, label: str) -> int | None:
        if not self._index:
            self._index.update((item, k) for k, item in enumerate(self.items))
        return self._index.get(label)


def read_saved_als(path, config: dict | None = None) -> SavedAls:
    """The Spark ALS run in ``path`` (a folder ``fit --engine spark --out`` wrote), read with
    pyarrow; ``config``: its config.json, when already read."""
    path = Path(path)
    if config is None:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    model_dir, ids_dir = path / "als_model", path / "ids" / "data"
    for needed in (model_dir / "itemFactors", ids_dir):
        if not needed.is_dir():
            raise FoldInError("no_run", L_("'{path}' holds no '{part}' of a Spark ALS run",
                                           path=str(path), part=str(needed.relative_to(path))),
                              L_("give the whole folder that 'python -m recsys_core fit --engine "
                                 "spark --out DIR' wrote"))
    items = [str(label) for label in _parquet(ids_dir).column("labelsArray")[0].as_py()[1]]
    als = AlsConfig(**config["model_config"])
    factors, has_vector = _item_factors(model_dir / "itemFactors", len(items), als.rank)
    item_bias = np.zeros(len(items))
    if als.bias and not als.implicit:
        table = _parquet(path / "biases" / "items.parquet")
        where = {label: k for k, label in enumerate(items)}
        for label, bias in zip(table.column("item").to_pylist(), table.column("b_i").to_pylist()):
            item_bias[where[label]] = bias
    scale = None if als.implicit else (float(config["scale"][0]), float(config["scale"][1]))
    return SavedAls(items, factors, has_vector, als, float(config.get("global_mean", 0.0)),
                    item_bias, scale)


def _parquet(folder: Path):
    import pyarrow.parquet as pq

    return pq.read_table(folder)  # a folder of parts, as Spark writes (_SUCCESS left out)


def _item_factors(folder: Path, n_items: int, rank: int) -> tuple[np.ndarray, np.ndarray]:
    table = _parquet(folder)
    ids = table.column("id").to_numpy()
    factors = np.zeros((n_items, rank), dtype=np.float32)
    if ids.size:
        factors[ids] = np.asarray(table.column("features").to_pylist(), dtype=np.float32)
    has_vector = np.zeros(n_items, dtype=bool)
    has_vector[ids] = True
    return factors, has_vector


# ----- the newcomer's row ------------------------------------------------------------------
def solve_row(item_factors: np.ndarray, rated: np.ndarray, targets: np.ndarray,
              config: AlsConfig, gram: np.ndarray | None = None) -> np.ndarray:
    """The row Spark's ALS gives a user whose rated items' vectors are ``item_factors[rated]``
    (module docstring): explicit with ``targets`` as the ratings, implicit with each rated item
    liked. ``gram``: YᵀY over every item vector (implicit only)."""
    rank = item_factors.shape[1]
    if rated.size == 0:
        return np.zeros(rank)
    ys = item_factors[rated].astype(np.float64)
    if config.implicit:
        lhs = gram + config.alpha * ys.T @ ys
        rhs = (1.0 + config.alpha) * ys.sum(axis=0)
    else:
        lhs, rhs = ys.T @ ys, ys.T @ np.asarray(targets, dtype=np.float64)
    lhs = lhs + config.reg * rated.size * np.eye(rank)
    try:
        return np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:  # reg 0 and fewer ratings than the rank: the shortest row
        return np.linalg.lstsq(lhs, rhs, rcond=None)[0]


@dataclass
class AlsVisitor:
    """A newcomer folded into a Spark ALS run: their ``row`` and ``bias`` (``b_u``, 0 without
    biases), every item's ``raw`` score (NaN: no score) and ``score`` (clipped to the scale on
    a ratings run), the positions they rated, and how long the fold-in took."""

    run: SavedAls
    rated: np.ndarray
    row: np.ndarray
    bias: float
    raw: np.ndarray
    score: np.ndarray
    seconds: float

    def unrated(self, n: int | None = None) -> np.ndarray:
        """Positions of the ``n`` best items not rated (None: all), best raw score first,
        items without a score last, ties in the run's item order."""
        costs = np.where(np.isnan(self.raw), NO_SCORE, -self.raw)
        costs[self.rated] = np.inf
        count = len(self.run.items) - self.rated.size
        return best_of(costs, count if n is None else max(0, min(int(n), count)))

    def items_json(self, n: int | None = 10, digits: int = 6) -> list[dict]:
        """The command line's ``[{"item": ..., "score": ...}, ...]`` (``None``: no score)."""
        return [{"item": self.run.items[k],
                 "score": None if np.isnan(self.score[k]) else round(float(self.score[k]), digits)}
                for k in self.unrated(n)]


def fold_in_als(run: SavedAls, rated) -> AlsVisitor:
    """Fold a newcomer into the Spark ALS ``run``: ``rated`` are ``(label, value)`` pairs,
    ratings on the run's scale, or 1 for each liked item on an interactions run, checked as
    on the torch runs (:func:`~recsys_core.training.foldin.check_rated`,
    :func:`~recsys_core.ranking.foldin.check_liked`)."""
    from recsys_core.ranking.foldin import check_liked
    from recsys_core.training.foldin import check_rated

    if run.implicit:
        return _fold_in_liked(run, check_liked(run.items, rated))
    return _fold_in_rated(run, *check_rated(run, rated))


def _fold_in_liked(run: SavedAls, liked: np.ndarray) -> AlsVisitor:
    started = time.perf_counter()
    known = run.item_factors[run.has_vector].astype(np.float64)
    row = solve_row(run.item_factors, liked[run.has_vector[liked]], None, run.config,
                    gram=known.T @ known)
    raw = run.item_factors.astype(np.float64) @ row
    raw[~run.has_vector] = np.nan
    return AlsVisitor(run, liked, row, 0.0, raw, raw, time.perf_counter() - started)


def _fold_in_rated(run: SavedAls, positions: np.ndarray, values: np.ndarray) -> AlsVisitor:
    """An item the newcomer rated that has no vector counts toward their bias (its ``b_i``
    0, as in :func:`.als.predict`), not toward the row: the training never saw it."""
    started = time.perf_counter()
    bias, targets = 0.0, values
    if run.config.bias:
        base = run.mean + run.item_bias[positions]
        bias = float((values - base).sum() / (positions.size + USER_DAMPING))
        targets = values - base - bias
    solved = run.has_vector[positions]
    row = solve_row(run.item_factors, positions[solved], targets[solved], run.config)
    raw = run.item_factors.astype(np.float64) @ row
    if run.config.bias:
        raw += run.mean + bias + run.item_bias  # an item without a vector: mu + b_u
    else:
        raw[~run.has_vector] = run.mean
    return AlsVisitor(run, positions, row, bias, raw, np.clip(raw, *run.scale),
                      time.perf_counter() - started)


def recommend(path, rated, n: int | None = 10, config: dict | None = None) -> dict:
    """``recommend DIR`` on a Spark ALS run: ``{"items": [...], "seconds": ...}``."""
    visitor = fold_in_als(read_saved_als(path, config), rated)
    return {"items": visitor.items_json(n), "seconds": round(visitor.seconds, 6)}
