"""Cross-validation with fixed, seeded folds: the same folds for every contender."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from recsys_core.data.ratings import Ratings
from recsys_core.data.split import kfold_masks
from recsys_core.results.trained_run import predict_matrix
from recsys_core.training.trainer import TrainConfig, Trainer


def cross_validate(ratings: Ratings, model_name: str, model_config, train: TrainConfig,
                   folds: int = 5, seed: int = 0) -> dict:
    """Train on all folds but one, score on the held-out one, for each fold.

    Training inside a fold uses no validation share of its own: the held-out fold is never
    seen during training, and nothing is tuned on it.
    """
    results = [fit_fold(ratings, model_name, model_config, train, test_mask)
               for test_mask in kfold_masks(ratings, folds, seed)]
    return {
        "model": model_name, "folds": results,
        "rmse": float(np.mean([f["rmse"] for f in results])),
        "mae": float(np.mean([f["mae"] for f in results])),
        "fit_seconds": float(sum(f["fit_seconds"] for f in results)),
    }


def fit_fold(ratings: Ratings, model_name: str, model_config, train: TrainConfig,
             test_mask: np.ndarray, return_predictions: bool = False) -> dict:
    """Train on the ratings outside ``test_mask`` and score the ones inside it.

    ``fit_seconds`` covers everything a fit costs: building the model and its tensors and
    every epoch; the held-out ratings are scored (and reported each epoch) but never used to
    update, stop or choose anything. ``return_predictions`` adds the held-out predictions, in
    the order of ``ratings``, under "predictions".
    """
    started = time.perf_counter()
    trainer = Trainer(ratings, model_name, model_config,
                      replace(train, val_frac=0.0, patience=None), is_val=test_mask)
    trainer.fit()
    fit_seconds = time.perf_counter() - started
    pred = _predict_cells(trainer.model, ratings.user_idx[test_mask],
                          ratings.item_idx[test_mask])
    err = pred - ratings.values[test_mask]
    fold = {"rmse": float(np.sqrt(np.mean(err**2))), "mae": float(np.mean(np.abs(err))),
            "fit_seconds": fit_seconds, "epochs_run": trainer.epochs_run,
            "status": trainer.status}
    if return_predictions:
        fold["predictions"] = pred
    return fold


def _predict_cells(model, users: np.ndarray, items: np.ndarray) -> np.ndarray:
    import torch

    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(users, device=device), torch.as_tensor(items, device=device))
    return out.double().cpu().numpy()


__all__ = ["cross_validate", "fit_fold", "predict_matrix"]
