"""What a trained run gives back: the filled matrix, accuracy, top-N, embeddings, files."""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_, N_, _
from recsys_core.models import MODELS, build_model
from recsys_core.models.config import from_dict, to_dict
from recsys_core.training.train_config import EpochReport, TrainConfig

STATUS_WORDS = {  # English; shown in the session's language through ``_``
    "completed": N_("finished"),
    "stopped": N_("stopped by request"),
    "early_stopped": N_("stopped early (no further improvement)"),
    "diverged": N_("diverged"),
    "ready": N_("not trained"),
    "running": N_("training"),
    "loaded": N_("opened from a model file"),
}


def status_text(status: str, lang: str = "en") -> str:
    """A run's status in words, in ``lang``."""
    return _(STATUS_WORDS[status], lang) if status in STATUS_WORDS else status


RESULTS_TOP_N = 3
"""How many items per user the Results page's top-N shows until the person changes it."""
BECAUSE_MIN_RATINGS = 3
"""Fewer ratings than this say too little about a user's taste to explain a pick with."""
BECAUSE_COLD = N_("this user has rated nothing yet: rated highly by everyone (cold start)")
BECAUSE_POPULAR = N_("popular with everyone (the baseline has no tastes to compare)")
BECAUSE_FEW = N_("too few ratings to explain with (fewer than 3)")
BECAUSE_FLAT = N_("no rating above this user's own average to explain with")
BECAUSE_REASONS = (BECAUSE_COLD, BECAUSE_POPULAR, BECAUSE_FEW, BECAUSE_FLAT)
"""The fixed reasons of a top-N row without named items (shown through ``because_text``)."""


def because_text(text: str, lang: str = "en") -> str:
    """A top-N "because" in ``lang``: item names pass unchanged, the fixed reasons
    (:data:`BECAUSE_REASONS`) are translated."""
    return _(text, lang) if text in BECAUSE_REASONS else text


def by_user(r: Ratings) -> tuple[np.ndarray, np.ndarray]:
    """The ratings in user order (a stable sort) and where each user's run starts: user
    ``u``'s ratings are ``order[starts[u]:starts[u + 1]]``."""
    order = np.argsort(r.user_idx, kind="stable")
    return order, np.searchsorted(r.user_idx[order], np.arange(r.n_users + 1))


def _liked_items(r: Ratings) -> list[np.ndarray | str]:
    """Per user, the items rated above the user's own average rating, or the fixed sentence
    saying why there are none to name."""
    order, starts = by_user(r)
    return [liked_items(r.item_idx[order[starts[u]:starts[u + 1]]],
                        r.values[order[starts[u]:starts[u + 1]]]) for u in range(r.n_users)]


def liked_items(items: np.ndarray, values: np.ndarray) -> np.ndarray | str:
    """Of one user's rated ``items`` (positions) and their ``values``, the items rated above
    the user's own average, sorted, or the fixed sentence saying why there are none to name."""
    if items.size == 0:
        return BECAUSE_COLD
    if items.size < BECAUSE_MIN_RATINGS:
        return BECAUSE_FEW
    if not (values > values.mean()).any():
        return BECAUSE_FLAT
    return np.sort(items[values > values.mean()])


@dataclass
class FitResult:
    model_name: str
    model_config: object
    train_config: TrainConfig
    model: torch.nn.Module
    ratings: Ratings
    is_val: np.ndarray
    history: list[EpochReport] = field(default_factory=list)
    status: str = "completed"
    message: str = ""
    seconds: float = 0.0

    # ----- predictions -------------------------------------------------------------------
    def _lock(self) -> threading.RLock:
        return self.__dict__.setdefault("_kept_lock", threading.RLock())

    def _kept(self, name: str, make):
        """``make()`` once, then kept with the run. One computation at a time per run: the
        run service prepares the Results page's first figures in the background
        (:meth:`prepare`) while the page may already ask for them, and then waits for them
        rather than computing them twice."""
        with self._lock():
            if name not in self.__dict__:
                self.__dict__[name] = make()
        return self.__dict__[name]

    @property
    def predicted(self) -> np.ndarray:
        """Model prediction for every users x items cell."""
        return self._kept("_predicted", lambda: predict_matrix(
            self.model, self.ratings.n_users, self.ratings.n_items))

    def has_predictions(self) -> bool:
        """Whether every cell's prediction is already made (a figure of a few cells then reads
        them instead of predicting its own)."""
        return "_predicted" in self.__dict__

    def prepare(self, n: int = RESULTS_TOP_N) -> None:
        """Compute what the Results page's first visit shows (every cell's prediction, the
        accuracy's predictions and every user's top ``n``), so that the visit finds them ready.
        The run service calls it in a background thread when a run finishes: on MovieLens
        (610 x 9,724) this is about 1 s of a core that opening Results used to pay after the
        click (``python -m bench.app_speed``)."""
        _ = self.predicted
        self.observed_predictions()
        self.top_n(n)

    def completed_matrix(self) -> pd.DataFrame:
        """Observed ratings kept as given; every missing cell filled with the prediction."""
        grid = self.predicted.copy()
        r = self.ratings
        grid[r.user_idx, r.item_idx] = r.values
        return pd.DataFrame(grid, index=pd.Index(r.users), columns=pd.Index(r.items))

    def predicted_matrix(self) -> pd.DataFrame:
        r = self.ratings
        return pd.DataFrame(self.predicted, index=pd.Index(r.users), columns=pd.Index(r.items))

    def predictions_table(self) -> pd.DataFrame:
        """One row per matrix cell, row-major: ``user, item, rating, prediction, split``."""
        r = self.ratings
        n_u, n_i = r.n_users, r.n_items
        rating = np.full(n_u * n_i, np.nan)
        flat = r.user_idx * n_i + r.item_idx
        rating[flat] = r.values
        split = np.full(n_u * n_i, "missing", dtype=object)
        split[flat] = np.where(self.is_val, "validation", "train")
        return pd.DataFrame({
            "user": np.repeat(np.asarray(r.users, dtype=object), n_i),
            "item": np.tile(np.asarray(r.items, dtype=object), n_u),
            "rating": rating,
            "prediction": self.predicted.reshape(-1),
            "split": split,
        })

    def observed_predictions(self) -> np.ndarray:
        """Predictions at the observed ratings, in the ratings' own order (computed without
        filling the whole matrix, which for MovieLens is 6 million cells)."""
        return self._kept("_observed", self._observed_predictions)

    def _observed_predictions(self) -> np.ndarray:
        r = self.ratings
        if self.has_predictions():  # the full matrix is already there: just read it
            return self.predicted[r.user_idx, r.item_idx]
        return predict_cells(self.model, r.user_idx, r.item_idx)

    # ----- accuracy ----------------------------------------------------------------------
    def metrics(self) -> dict:
        r = self.ratings
        pred = self.observed_predictions()
        train, val = ~self.is_val, self.is_val
        train_mean = float(r.values[train].mean()) if train.any() else r.global_mean
        out = {
            "n_train": int(train.sum()), "n_val": int(val.sum()),
            "train_rmse": _rmse(pred[train], r.values[train]),
            "train_mae": _mae(pred[train], r.values[train]),
            "val_rmse": _rmse(pred[val], r.values[val]),
            "val_mae": _mae(pred[val], r.values[val]),
            "baseline_val_rmse": _rmse(np.full(val.sum(), train_mean), r.values[val]),
            "baseline_val_mae": _mae(np.full(val.sum(), train_mean), r.values[val]),
            "truth_rmse": None, "truth_mae": None, "n_truth": 0,
        }
        out.update(self.truth_metrics())
        return out

    def truth_metrics(self) -> dict:
        """Accuracy on the cells that were missing in the input, against a full truth matrix."""
        truth = self.ratings.truth
        if truth is None:
            return {}
        missing = ~self.ratings.observed_mask() & ~np.isnan(truth)
        if not missing.any():
            return {}
        return {"truth_rmse": _rmse(self.predicted[missing], truth[missing]),
                "truth_mae": _mae(self.predicted[missing], truth[missing]),
                "n_truth": int(missing.sum())}

    # ----- explanations ------------------------------------------------------------------
    def top_n(self, n: int = 5, because: int = 2) -> pd.DataFrame:
        """For every user, the ``n`` unrated items with the highest prediction.

        ``because`` lists, among the items the user *liked* (rated above their own average),
        the ones most similar to the recommended one (cosine of item embeddings): the usual
        "because you liked ..." explanation, only from ratings that say "liked". A user with
        fewer than ``BECAUSE_MIN_RATINGS`` ratings, or none above their own average, gets a
        sentence saying so instead of a reason made up from a single low rating. The baseline
        has no embeddings; there the reason is the item's overall popularity.
        """
        key = f"_top_n_{n}_{because}"  # the Results page asks every run: the last one is kept
        with self._lock():
            if key not in self.__dict__:
                for old in [k for k in self.__dict__ if k.startswith("_top_n_")]:
                    del self.__dict__[old]
            table = self._kept(key, lambda: self._top_n(n, because))
        return table.copy()

    def _top_n(self, n: int, because: int) -> pd.DataFrame:
        r = self.ratings
        best, counts = best_unrated(self.predicted, r, n)
        similar = self._item_similarity()
        liked = _liked_items(r)
        rows = []
        for u, user in enumerate(r.users):
            picks = best[u, :counts[u]]
            reasons = because_each(similar, picks, liked[u], because, r.items)
            rows += [{"user": user, "rank": rank, "item": r.items[item],
                      "prediction": float(self.predicted[u, item]), "because": reason}
                     for rank, (item, reason) in enumerate(zip(picks, reasons), start=1)]
        return pd.DataFrame(rows, columns=["user", "rank", "item", "prediction", "because"])

    def _item_similarity(self) -> np.ndarray | None:
        return unit_item_vectors(self.model)

    def embeddings_2d(self) -> pd.DataFrame:
        """Users and items on one plane: the factors themselves for k=2, else their PCA."""
        if "_embeddings_memo" not in self.__dict__:  # the Results page asks every run
            self.__dict__["_embeddings_memo"] = embeddings_frame(self.model, self.ratings)
        return self.__dict__["_embeddings_memo"].copy()

    # ----- description -------------------------------------------------------------------
    @property
    def epochs_run(self) -> int:
        return len(self.history)

    def summary(self) -> dict:
        """Everything about the run as JSON-friendly values (CLI output, downloads)."""
        m = self.metrics()
        r = self.ratings
        return {
            "model": self.model_name, "model_config": to_dict(self.model_config),
            "train_config": to_dict(self.train_config),
            "n_users": r.n_users, "n_items": r.n_items, "n_ratings": r.n_ratings,
            "scale": list(r.scale), "epochs_run": self.epochs_run, "status": self.status,
            "message": self.message, "seconds": round(self.seconds, 4),
            **{k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else v)
               for k, v in m.items()},
        }

    # ----- files -------------------------------------------------------------------------
    def save(self, target) -> None:
        """Weights, configs and labels in one ``torch.save`` file of plain tensors and
        strings, so loading needs no pickled code (``weights_only=True``)."""
        torch.save({
            "format": "recsys-playground-model/1",
            "model_name": self.model_name,
            "model_config": to_dict(self.model_config),
            "train_config": to_dict(self.train_config),
            "users": list(self.ratings.users), "items": list(self.ratings.items),
            "scale": list(self.ratings.scale),
            "state_dict": {k: v.detach().cpu() for k, v in self.model.state_dict().items()},
            "global_mean": _global_mean_of(self.model, self.ratings),
        }, target)

    def model_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()


def unit_item_vectors(model) -> np.ndarray | None:
    """The item vectors scaled to length 1 (their dot products are cosines), or None for a
    model without them (the baseline)."""
    vectors = model.item_vectors() if hasattr(model, "item_vectors") else None
    if vectors is None:
        return None
    v = vectors.detach().cpu().double().numpy()
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def because(unit_vectors, item: int, liked: np.ndarray | str, how_many: int,
            labels: list[str]) -> str:
    """Why ``item`` is recommended: the ``how_many`` of the ``liked`` items (see
    :func:`liked_items`) most alike to it by their vectors, as their labels, or the fixed
    sentence that says why there is no such reason."""
    if unit_vectors is None and liked is not BECAUSE_COLD:  # the baseline: no tastes
        return BECAUSE_POPULAR
    if isinstance(liked, str):  # the reason there is no "because" (see liked_items)
        return liked
    sims = unit_vectors[liked] @ unit_vectors[item]
    picks = liked[np.argsort(-sims, kind="stable")[:how_many]]
    return ", ".join(labels[p] for p in picks)


def because_each(unit_vectors, items: np.ndarray, liked: np.ndarray | str, how_many: int,
                 labels: list[str]) -> list[str]:
    """:func:`because` for each of one user's recommended ``items``, with one matrix product
    for all of them (the same words, in the same order)."""
    if unit_vectors is None or isinstance(liked, str) or len(items) == 0:
        return [because(unit_vectors, int(item), liked, how_many, labels) for item in items]
    sims = unit_vectors[liked] @ unit_vectors[np.asarray(items)].T  # liked x recommended
    return [", ".join(labels[p] for p in liked[np.argsort(-sims[:, k], kind="stable")[:how_many]])
            for k in range(len(items))]


def _global_mean_of(model, ratings: Ratings) -> float:
    """The mean the model was built with (it sets the output offset); recover it so a
    loaded model is rebuilt identically."""
    if hasattr(model, "mean"):
        return float(model.mean)
    out = getattr(model, "out", None)
    if out is not None and out.offset:
        share = 1 / (1 + math.exp(-out.offset))
        return float(out.low + share * (out.high - out.low))
    return ratings.global_mean


class ModelFileError(ValueError):
    """A model file that is not one of ours, or not safe to load."""


def load_model(source) -> tuple[torch.nn.Module, dict]:
    """Rebuild a saved model. Only tensors and plain values are read (``weights_only``):
    a file carrying code is refused instead of run."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    elif isinstance(source, (str, Path)):
        source = open(source, "rb")  # noqa: SIM115 - closed below
    try:
        payload = torch.load(source, map_location="cpu", weights_only=True)
    except Exception as exc:  # UnpicklingError, RuntimeError, EOFError ... all mean "not ours"
        raise ModelFileError(L_(
            "This file is not a model saved by RecSys Playground, or it contains code, which "
            "is never loaded. Save the model again from the app or the CLI (details: "
            "{details})", details=type(exc).__name__)) from None
    finally:
        if hasattr(source, "close") and not isinstance(source, io.BytesIO):
            source.close()
    if not isinstance(payload, dict) or payload.get("format") != "recsys-playground-model/1":
        raise ModelFileError(L_("This file is not a model saved by RecSys Playground."))
    try:
        model = _rebuild(payload)
    except ModelFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or edited file, whatever the detail
        raise ModelFileError(L_(
            "This model file is damaged or was edited: its parts do not fit together. Save "
            "the model again from the app or the CLI (details: {details})",
            details=type(exc).__name__)) from None
    model.eval()
    return model, payload


def _rebuild(payload: dict) -> torch.nn.Module:
    """The saved model, built first without memory ("meta" tensors) to check that the weights
    fit the settings, so a file cannot make the server allocate more than it carries."""
    spec = MODELS.get(str(payload["model_name"]))
    if spec is None:
        raise ModelFileError(L_("Unknown model type '{name}' in the file.",
                                name=str(payload["model_name"])))
    if not all(isinstance(x, str) for x in [*payload["users"], *payload["items"]]):
        raise ModelFileError(L_("The model file's user and item labels are not text."))
    config = from_dict(spec.config_cls, payload["model_config"])
    args = (spec.name, config, len(payload["users"]), len(payload["items"]),
            (float(payload["scale"][0]), float(payload["scale"][1])),
            float(payload["global_mean"]))
    with torch.device("meta"):
        expected = {k: tuple(v.shape) for k, v in build_model(*args).state_dict().items()}
    weights = payload["state_dict"]
    if {k: tuple(v.shape) for k, v in weights.items()} != expected:
        raise ModelFileError(L_("The model file's weights do not match its settings (sizes "
                                "differ)."))
    model = build_model(*args)
    model.load_state_dict(weights)
    return model


def best_of(costs: np.ndarray, count: int) -> np.ndarray:
    """``np.argsort(costs, kind="stable")[:count]`` without sorting the whole row: the
    ``count`` smallest by partition, ties included, then a stable sort of those alone (the
    same indices in the same order; 40 times faster on a 9,724-item row)."""
    if count >= costs.size:
        return np.argsort(costs, kind="stable")[:count]
    kth = np.partition(costs, count - 1)[count - 1]
    if kth != kth:  # NaN among the best: let the full sort order them
        return np.argsort(costs, kind="stable")[:count]
    candidates = np.flatnonzero(costs <= kth)
    return candidates[np.argsort(costs[candidates], kind="stable")[:count]]


TOP_N_BLOCK_BYTES = 4 << 20
"""Top-N works through the predictions a block of users at a time, in a buffer this large:
negating the whole MovieLens matrix into a new 48 MB array, marking it and counting its open
cells took 0.47 s of top-N's 0.58 s (cProfile, 2026-12-02); by blocks the whole top-N takes
0.05-0.07 s."""


def best_unrated(predicted: np.ndarray, ratings: Ratings, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every user's ``n`` highest predictions among the items they have not rated: rows x n
    item positions (a row's first ``counts[u]`` are its picks, best first, the first item
    winning a tie) and ``counts`` (fewer than ``n`` where the user rated nearly everything)."""
    n_users, n_items = predicted.shape
    order, starts = by_user(ratings)
    users, items = ratings.user_idx[order], ratings.item_idx[order]
    rows = max(1, TOP_N_BLOCK_BYTES // (8 * max(n_items, 1)))
    buffer = np.empty((min(rows, n_users), n_items))
    best = np.zeros((n_users, max(0, min(n, n_items))), dtype=np.intp)
    counts = np.zeros(n_users, dtype=np.intp)
    for first in range(0, n_users, rows):
        last = min(first + rows, n_users)
        costs = np.negative(predicted[first:last], out=buffer[:last - first])
        rated = slice(starts[first], starts[last])
        costs[users[rated] - first, items[rated]] = np.inf
        counts[first:last] = np.minimum(n, (~np.isposinf(costs)).sum(axis=1))
        best[first:last, :] = best_of_rows(costs, best.shape[1])
    return best, counts


def best_of_rows(costs: np.ndarray, count: int) -> np.ndarray:
    """:func:`best_of` of every row of ``costs`` at once: rows x ``count`` column indices.

    Top-N for every user used to partition each user's row on its own: 610 partitions of
    9,724 items took 0.2-0.5 s of the Results page's first run on MovieLens (cProfile,
    2026-12-01). Here ``count`` passes of ``argmin`` over the whole matrix pick the same
    items in the same order (the first smallest wins a tie, as in a stable sort): 25 ms for
    a top-3. A row where that cannot hold (a NaN, which a sort puts last, or an infinite
    cost among the picks, where taken and untaken cells would tie) goes through
    :func:`best_of`. The picks are marked taken in ``costs`` itself and put back before it
    returns (a float64 ``costs`` is not copied: on MovieLens a copy is 48 MB, and fresh
    memory cost this machine more than the passes, 2026-12-02)."""
    costs = np.asarray(costs, dtype=float)
    out = np.zeros((costs.shape[0], max(0, min(count, costs.shape[1]))), dtype=np.intp)
    if out.size == 0:
        return out
    with_nan = np.flatnonzero(np.isnan(costs).any(axis=1))
    nan_rows = costs[with_nan].copy()
    rows = np.arange(costs.shape[0])
    taken = np.empty(out.shape)
    odd = np.zeros(costs.shape[0], dtype=bool)
    odd[with_nan] = True
    costs[with_nan] = 0.0
    try:
        for k in range(out.shape[1]):
            out[:, k] = np.argmin(costs, axis=1)
            taken[:, k] = costs[rows, out[:, k]]
            costs[rows, out[:, k]] = np.inf  # taken
    finally:  # last pick first: a cell picked twice (all left were taken) gets its own value
        for k in reversed(range(out.shape[1])):
            costs[rows, out[:, k]] = taken[:, k]
        costs[with_nan] = nan_rows
    odd |= np.isposinf(taken).any(axis=1)
    for u in np.flatnonzero(odd):
        out[u] = best_of(costs[u], out.shape[1])
    return out


def _whole_rows(model: torch.nn.Module, n_users: int, n_items: int,
                chunk: int) -> np.ndarray | None:
    """Every cell through the model's own :meth:`~recsys_core.models.base.RatingModel.rating_rows`
    (MF: one matrix product) a block of users at a time; None for a model without it."""
    if getattr(model, "rating_rows", None) is None or model.rating_rows(slice(0, 0)) is None:
        return None
    out = np.empty((n_users, n_items), dtype=np.float64)
    rows = max(1, chunk // max(n_items, 1))
    for start in range(0, n_users, rows):
        block = slice(start, min(start + rows, n_users))
        out[block] = model.rating_rows(block).double().cpu().numpy()
    return out


@torch.no_grad()
def predict_matrix(model: torch.nn.Module, n_users: int, n_items: int,
                   chunk: int = 1_000_000) -> np.ndarray:
    """Predictions for all cells, computed in chunks so large matrices fit in memory."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    fast = _whole_rows(model, n_users, n_items, chunk)
    if fast is not None:
        model.train(was_training)
        return fast
    out = np.empty(n_users * n_items, dtype=np.float64)
    for start in range(0, n_users * n_items, chunk):
        cells = torch.arange(start, min(start + chunk, n_users * n_items), device=device)
        out[start:start + cells.numel()] = model(cells // n_items, cells % n_items).double().cpu().numpy()
    model.train(was_training)
    return out.reshape(n_users, n_items)


@torch.no_grad()
def predict_cells(model: torch.nn.Module, users: np.ndarray, items: np.ndarray,
                  chunk: int = 1_000_000) -> np.ndarray:
    """Predictions for the given (user, item) pairs."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = np.empty(len(users), dtype=np.float64)
    for start in range(0, len(users), chunk):
        u = torch.as_tensor(users[start:start + chunk], device=device)
        i = torch.as_tensor(items[start:start + chunk], device=device)
        out[start:start + len(u)] = model(u, i).double().cpu().numpy()
    model.train(was_training)
    return out


def embeddings_frame(model: torch.nn.Module, ratings: Ratings) -> pd.DataFrame:
    """``kind, label, x, y, ratings`` for every user and item (``ratings``: how many ratings
    the user gave or the item got; the map draws the most-rated when it cannot draw all): the
    factors themselves for k=2, else their PCA (``attrs["projection"]`` says which). A plain
    function, so the live map drawn during training and the final map are made the same way."""
    users = _vectors(model.user_vectors())
    items = _vectors(model.item_vectors())
    if users is None or items is None:
        return pd.DataFrame(columns=["kind", "label", "x", "y", "ratings"])
    coords, how = project_2d(np.vstack([users, items]))
    frame = pd.DataFrame({
        "kind": ["user"] * ratings.n_users + ["item"] * ratings.n_items,
        "label": ratings.users + ratings.items,
        "x": coords[:, 0], "y": coords[:, 1],
        "ratings": np.concatenate([ratings.ratings_per_user(), ratings.ratings_per_item()]),
    })
    frame.attrs["projection"] = how
    return frame


def project_2d(vectors: np.ndarray) -> tuple[np.ndarray, str]:
    """Two coordinates per row: the vectors themselves when they are 2-D, else PCA."""
    project, how = projection_2d(vectors)
    return project(vectors), how


def projection_2d(vectors: np.ndarray):
    """The map :func:`project_2d` draws ``vectors`` with, as a function that places any
    vector of their size on it (a new user among the run's users and items), and its name."""
    if vectors.shape[1] == 2:
        return (lambda v: np.array(v, dtype=float, copy=True)), "factors"
    if vectors.shape[1] == 1:
        return (lambda v: np.hstack([v, np.zeros_like(v)])), "factor"
    centre = vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(vectors - centre, full_matrices=False)
    coords = (vectors - centre) @ vt[:2].T
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(2)])  # fixed orientation
    axes = vt[:2].T * np.where(signs == 0, 1, signs)
    return (lambda v: (v - centre) @ axes), "pca"


def _vectors(tensor) -> np.ndarray | None:
    return None if tensor is None else tensor.detach().cpu().double().numpy()


def _rmse(pred, actual) -> float | None:
    return float(np.sqrt(np.mean((pred - actual) ** 2))) if len(actual) else None


def _mae(pred, actual) -> float | None:
    return float(np.mean(np.abs(pred - actual))) if len(actual) else None
