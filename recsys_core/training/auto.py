"""Auto: the embedding size and the weight decay chosen on validation ratings before training.

Why: the defaults (:mod:`recsys_core.models.defaults`) are rules of the data's size and
scale. No rule of the shape can see how many independent tastes the ratings hold or how noisy
they are. On MovieLens, 64 factors are best (validation RMSE 0.854 against 0.865 at 8); on
synthetic ratings of 6 taste groups with one point of noise on a 1-to-10 scale, 64 factors
fit the noise (1.30) where 8 fit the tastes (1.21). Auto measures instead of guessing: a
handful of candidates are trained on the training ratings and scored on the validation
ratings only (:func:`recsys_core.training.tuning.tune`, the same split and seed for all), and
the best is kept.

The search, two rounds, at most ``len(DIMS) + len(DECAY_STEPS)`` trials:

1. the embedding size among ``DIMS`` up to the suggested one, at the suggested weight decay;
2. at the winning size, the weight decay at each of ``DECAY_STEPS`` times the suggestion.

The suggested setting is always one of the trials, so auto keeps it unless another setting
scored better on the same validation ratings. A setting the caller fixed (``keep``) is not
searched. No trial starts after ``max_seconds``; the best finished one wins.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from recsys_core.data.ratings import Ratings
from recsys_core.training.trainer import TrainConfig
from recsys_core.training.tuning import TuningResult, summarise, tune

DIMS = (8, 16, 32, 64)
DECAY_STEPS = (0.5, 2.0)
MAX_SECONDS = 60.0
"""The search's time budget: no new trial starts after it (MovieLens latest-small's six
trials take about 5 s on one core of this machine kind)."""


@dataclass
class AutoChoice:
    """The chosen settings and every trial behind them (``trials``: best first, with the
    columns of :data:`recsys_core.training.tuning.COLUMNS`)."""

    model_config: object
    train_config: TrainConfig
    trials: pd.DataFrame
    seconds: float

    def summary(self) -> dict:
        """What a command line or a report says about the choice, JSON-ready."""
        best = self.trials.iloc[0]
        return {"dim": getattr(self.model_config, "dim", None),
                "weight_decay": self.train_config.weight_decay,
                "val_rmse": round(float(best["val_rmse"]), 6), "trials": len(self.trials),
                "seconds": round(self.seconds, 3)}


def choose(ratings: Ratings, model_name: str, model_config, train: TrainConfig, *,
           keep: tuple[str, ...] = (), max_seconds: float = MAX_SECONDS) -> AutoChoice:
    """Settings for ``model_name`` on ``ratings``, chosen on ``train``'s validation share.

    ``model_config`` and ``train`` are the suggestion to start from (and give everything that
    is not searched: epochs, learning rate, early stopping, seed). ``keep``: settings the
    user gave ("dim", "weight_decay"), left as they are."""
    started = time.perf_counter()
    found = search(ratings, model_name, model_config, train, keep=keep, max_seconds=max_seconds)
    return AutoChoice(found.best_model_config, found.best_train_config, found.table,
                      time.perf_counter() - started)


def search(ratings: Ratings, model_name: str, model_config, train: TrainConfig, *,
           keep: tuple[str, ...] = (), max_seconds: float = MAX_SECONDS, progress=None,
           stop=None) -> TuningResult:
    """The two rounds of :func:`choose`, their trials best first as a
    :class:`~recsys_core.training.tuning.TuningResult` (the app's tuning table shows it).
    ``progress(done, planned, row)`` after each trial and ``stop()`` as in ``tune``."""
    started = time.perf_counter()

    def left() -> float:
        return max(0.0, max_seconds - (time.perf_counter() - started))

    def counted(before: int):
        def report(done: int, _planned: int, row: dict) -> None:
            if progress is not None:
                progress(before + done, planned, row)
        return report

    dims, decays = candidates(model_config, train, keep)
    planned = len(dims) + len(decays)
    first = tune(ratings, model_name, model_config, train, max_seconds=left(),
                 grid={"dim": dims, "lr": (train.lr,), "weight_decay": (train.weight_decay,)},
                 progress=counted(0), stop=stop)
    rows = _rows(first.table)
    if decays and left() > 0 and not (stop is not None and stop()):
        second = tune(ratings, model_name, first.best_model_config, train, max_seconds=left(),
                      grid={"dim": (first.best["dim"],), "lr": (train.lr,),
                            "weight_decay": decays}, progress=counted(len(rows)), stop=stop)
        rows += _rows(second.table)
    return summarise(ratings, model_config, train, rows, planned, first.is_val)


def candidates(model_config, train: TrainConfig, keep: tuple[str, ...] = ()
               ) -> tuple[tuple, tuple[float, ...]]:
    """What the two rounds try: the embedding sizes of round 1 (``DIMS`` up to the suggested
    size, and that size; ``(None,)`` for a model without one, or the given size when kept),
    and the other weight decays of round 2 (none when kept)."""
    if not hasattr(model_config, "dim"):
        dims = (None,)
    elif "dim" in keep:
        dims = (model_config.dim,)
    else:
        dims = tuple(sorted({d for d in DIMS if d <= model_config.dim} | {int(model_config.dim)}))
    return dims, () if "weight_decay" in keep else _decays(train.weight_decay)


def _decays(suggested: float) -> tuple[float, ...]:
    """The suggested weight decay times each of ``DECAY_STEPS`` (0 has no multiples: then a
    small decay is the one other candidate)."""
    if suggested <= 0:
        return (0.01,)
    return tuple(round(suggested * step, 6) for step in DECAY_STEPS)


def _rows(table: pd.DataFrame) -> list[dict]:
    return table.drop(columns="rank").to_dict("records")
