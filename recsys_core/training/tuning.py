"""Tuning: try a few settings and keep the one that predicts held-out ratings best.

A small grid over the embedding size, the learning rate and the weight decay. Every setting
is trained on the same ratings and scored on the same held-out *validation* ratings (one
seeded split, :func:`recsys_core.data.split.train_val_split`), so the comparison is fair and
repeatable. Nothing else is read: no cross-validation fold, no full "truth" matrix. Because
the validation ratings chose the winner, its validation error is a little optimistic; the
note returned with the results says so, and where to get an honest number.

A plain grid rather than a search library: the grid is small, every trial is visible in the
table, and a student can read the whole search in one screen of code.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from recsys_core.data.ratings import Ratings
from recsys_core.data.split import train_val_split
from recsys_core.i18n import L_
from recsys_core.training.trainer import TrainConfig, Trainer, default_model_config

GRID = {"dim": (2, 4, 8, 16), "lr": (0.01, 0.05, 0.1), "weight_decay": (0.0, 1e-3, 1e-2)}
"""The settings tried by default: 4 x 3 x 3 = 36 trials."""
DEFAULT_VAL_FRAC = 0.2
"""Share held out when the training settings hold out none (tuning needs something to score)."""
COLUMNS = ["rank", "dim", "lr", "weight_decay", "val_rmse", "train_rmse", "epochs", "seconds",
           "status"]
FINISHED = ("completed", "early_stopped")


@dataclass
class TuningResult:
    """``table``: one row per trial, best first (``COLUMNS``). ``best``: the winning
    ``dim``, ``lr`` and ``weight_decay``; ``best_model_config`` and ``best_train_config``
    are the settings to apply. ``note`` says in words what was scored on what."""

    table: pd.DataFrame
    best: dict
    best_model_config: object
    best_train_config: TrainConfig
    note: str
    is_val: np.ndarray
    tried: int
    planned: int


def tune(ratings: Ratings, model_name: str = "mf", model_config=None,
         train: TrainConfig | None = None, *, grid: dict | None = None,
         max_trials: int | None = None, max_seconds: float = 30.0, progress=None,
         stop=None) -> TuningResult:
    """Train ``model_name`` once per setting of ``grid`` and rank the settings by validation
    RMSE.

    ``model_config`` and ``train`` give everything that is not tuned (epochs, optimiser,
    seed ...). With ``max_trials`` below the grid's size, a seeded random choice of settings
    is tried. No new trial starts after ``max_seconds``, and a running one is stopped then
    (its row says ``stopped``; finished trials rank first). ``progress(done, planned, row)``
    is called after each trial, e.g. to move a progress bar. ``stop()``, when given, is asked
    as the time is: once it says True, the running trial is stopped and no new one starts.
    """
    model_config = model_config or default_model_config(model_name)
    train = train or TrainConfig()
    is_val = _validation_split(ratings, train)
    settings = _settings(grid or GRID, model_config, max_trials, train.seed)
    deadline = time.perf_counter() + max(0.0, float(max_seconds))

    def over() -> bool:
        return time.perf_counter() >= deadline or (stop is not None and bool(stop()))

    rows = []
    for dim, lr, decay in settings:
        if rows and over():
            break
        config = _with_dim(model_config, dim)
        trial = replace(train, lr=lr, weight_decay=decay)
        rows.append(_trial(ratings, model_name, config, trial, is_val, over))
        if progress is not None:
            progress(len(rows), len(settings), rows[-1])
    return summarise(ratings, model_config, train, rows, len(settings), is_val)


def summarise(ratings: Ratings, model_config, train: TrainConfig, rows: list[dict],
              planned: int, is_val: np.ndarray | None = None) -> TuningResult:
    """The :class:`TuningResult` of the trials in ``rows`` (as :func:`tune` makes them) out of
    ``planned``: also for a search cut off before its end."""
    if is_val is None:
        is_val = _validation_split(ratings, train)
    table = _ranked(rows)
    best = table.iloc[0]
    best_dim = None if pd.isna(best["dim"]) else int(best["dim"])
    return TuningResult(
        table=table, best={"dim": best_dim, "lr": float(best["lr"]),
                           "weight_decay": float(best["weight_decay"])},
        best_model_config=_with_dim(model_config, best_dim),
        best_train_config=replace(train, lr=float(best["lr"]),
                                  weight_decay=float(best["weight_decay"])),
        note=_note(ratings, is_val, train.seed, len(rows), planned),
        is_val=is_val, tried=len(rows), planned=planned)


def _validation_split(ratings: Ratings, train: TrainConfig) -> np.ndarray:
    share = train.val_frac if train.val_frac > 0 else DEFAULT_VAL_FRAC
    is_val = train_val_split(ratings, share, train.seed)
    if not is_val.any():
        raise ValueError(L_("Tuning needs held-out ratings to score the settings on, and these "
                            "{n} ratings leave none to hold out: every user and item needs its "
                            "few ratings to learn from. Add ratings, or choose the settings by "
                            "hand.", n=ratings.n_ratings))
    return is_val


def _settings(grid: dict, model_config, max_trials: int | None, seed: int) -> list[tuple]:
    """Every (dim, lr, weight_decay) of the grid, or a seeded random ``max_trials`` of them.
    A model without an embedding size (the baseline) tries only the other two."""
    dims = tuple(grid.get("dim", GRID["dim"])) if hasattr(model_config, "dim") else (None,)
    every = list(itertools.product(dims, grid.get("lr", GRID["lr"]),
                                   grid.get("weight_decay", GRID["weight_decay"])))
    if max_trials is not None and max_trials < len(every):
        if max_trials < 1:
            raise ValueError(L_("max_trials must be at least 1; got {n}", n=max_trials))
        picked = np.random.default_rng(seed).choice(len(every), max_trials, replace=False)
        every = [every[k] for k in sorted(picked)]
    return every


def _with_dim(model_config, dim: int | None):
    """The config with embedding size ``dim`` (NeuMF: both of its embedding sizes)."""
    if dim is None:
        return model_config
    sizes = {"dim": int(dim)}
    if hasattr(model_config, "mlp_dim"):
        sizes["mlp_dim"] = int(dim)
    return replace(model_config, **sizes)


def _trial(ratings, model_name, config, train, is_val, over) -> dict:
    """One setting: train on the training ratings, score on the validation ratings
    (stopped once ``over()`` says the time is up)."""
    trainer = Trainer(ratings, model_name, config, train, is_val=is_val)
    for _ in trainer.run():
        if over():
            trainer.stop()
    val = trainer.validation_rmse()
    last = trainer.history[-1] if trainer.history else None
    return {"dim": getattr(config, "dim", None), "lr": train.lr,
            "weight_decay": train.weight_decay,
            "val_rmse": math.nan if val is None else val,
            "train_rmse": math.nan if last is None else last.train_rmse,
            "epochs": trainer.epochs_run, "seconds": round(trainer.seconds, 3),
            "status": trainer.status}


def _ranked(rows: list[dict]) -> pd.DataFrame:
    """Finished trials first, then by validation RMSE (NaN last); ``rank`` 1 = best."""
    table = pd.DataFrame(rows)
    table["_unfinished"] = ~table["status"].isin(FINISHED)
    table = table.sort_values(["_unfinished", "val_rmse"], kind="stable", na_position="last")
    table = table.drop(columns="_unfinished").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table[COLUMNS]


def _note(ratings: Ratings, is_val: np.ndarray, seed: int, tried: int, planned: int) -> str:
    n_val = int(is_val.sum())
    n_train = ratings.n_ratings - n_val
    note = L_("Every setting was trained on the same {n_train} ratings and scored only on the "
              "same {n_val} held-out validation ratings ({share} of the known ratings, chosen "
              "with seed {seed}). Test data never took part: no cross-validation fold and no "
              "full truth matrix was read. Because these validation ratings picked the winner, "
              "its validation error is slightly optimistic; compare models on fresh folds "
              "(cross-validation) for an honest figure.", n_train=f"{n_train:,}",
              n_val=f"{n_val:,}", share=f"{n_val / ratings.n_ratings:.0%}", seed=seed)
    if tried < planned:
        return L_("{note} Time ran out after {tried} of the {planned} settings; the rest were "
                  "not tried.", note=note, tried=tried, planned=planned)
    return note


__all__ = ["GRID", "COLUMNS", "TuningResult", "tune", "summarise"]
