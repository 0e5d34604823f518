"""Watching a model learn: what the app's play / pause / step / reset buttons need.

Nothing here draws or knows about streamlit. The app keeps one :class:`~recsys_core.training.trainer.Trainer`
in its session and:

- **play**: iterates ``trainer.run(n)`` and, a few times a second (not every batch), draws
  :func:`live_snapshot`;
- **pause**: ``trainer.stop()``, or simply stops iterating; the model keeps its progress;
- **step**: :func:`step_epoch`, exactly one more epoch (the optimiser's state carries over, so
  pause + step + continue gives the same numbers as an uninterrupted run);
- **learning rate**: ``trainer.set_lr(lr)`` while paused, then continue;
- **reset**: a new ``Trainer`` from the same settings and seed starts from the same weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from recsys_core.data.ratings import Ratings
from recsys_core.results.trained_run import embeddings_frame, predict_matrix
from recsys_core.training.trainer import EpochReport, Trainer

LIVE_MAX_CELLS = 2_500
"""Up to 50 x 50 cells the heatmap and the map are redrawn while training; beyond that only
the loss chart moves (predicting every cell several times a second would slow training, and
a larger heatmap cannot be read at that pace anyway)."""


@dataclass(frozen=True)
class LiveSnapshot:
    """The model as it is now: the prediction of every cell and the 2-D embedding map.

    ``predicted`` and ``embeddings`` are None when the matrix is too large to redraw live;
    ``why`` then says so in words (empty otherwise).
    """

    epoch: int
    predicted: np.ndarray | None
    embeddings: pd.DataFrame | None
    why: str = ""


def live_too_large(ratings: Ratings, max_cells: int = LIVE_MAX_CELLS) -> str:
    """Why the matrix cannot be redrawn during training, or "" when it can."""
    cells = ratings.n_users * ratings.n_items
    if cells <= max_cells:
        return ""
    return (f"The matrix has {ratings.n_users:,} users x {ratings.n_items:,} items = "
            f"{cells:,} cells, more than the {max_cells:,} (about 50 x 50) that can be "
            "redrawn several times a second: only the loss chart moves while training; the "
            "heatmap and the map appear when training stops.")


def live_snapshot(trainer: Trainer, max_cells: int = LIVE_MAX_CELLS) -> LiveSnapshot:
    """The current predictions and embedding map, cheap enough to call between batches.

    Reading does not change training: predictions are made without gradients and in
    evaluation mode (no dropout, so no random numbers are drawn), then the model goes back
    to the mode it was in.
    """
    why = live_too_large(trainer.ratings, max_cells)
    if why:
        return LiveSnapshot(trainer.epochs_run, None, None, why)
    r = trainer.ratings
    return LiveSnapshot(trainer.epochs_run, predict_matrix(trainer.model, r.n_users, r.n_items),
                        embeddings_frame(trainer.model, r))


def step_epoch(trainer: Trainer) -> EpochReport | None:
    """Train exactly one more epoch and return its report (None if it was stopped first).

    With "Update after the last epoch" off (the lecture's setting), every call's last epoch
    computes its loss without updating, so a step does not move the model: turn it on for
    stepping.
    """
    report = None
    for event in trainer.run(1):
        if isinstance(event, EpochReport):
            report = event
    return report


__all__ = ["LIVE_MAX_CELLS", "LiveSnapshot", "live_too_large", "live_snapshot", "step_epoch"]
