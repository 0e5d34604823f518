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
                   folds: int = 5, seed: int = 0, auto: bool = False,
                   keep: tuple[str, ...] = ()) -> dict:
    """Train on all folds but one, score on the held-out one, for each fold.

    Training inside a fold uses no validation share of its own: the held-out fold is never
    seen during training, and nothing is tuned on it. ``auto``: each fold first chooses its
    settings (:func:`recsys_core.training.auto.choose`, ``keep`` left as given) on a
    validation share of its own training part, then trains with them; the search's time is
    part of the fold's ``fit_seconds``.
    """
    def one_fold(test_mask: np.ndarray) -> dict:
        if auto:
            return fit_fold_auto(ratings, model_name, model_config, train, test_mask, keep=keep)
        return fit_fold(ratings, model_name, model_config, train, test_mask)

    results = [one_fold(test_mask) for test_mask in kfold_masks(ratings, folds, seed)]
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


def fit_fold_auto(ratings: Ratings, model_name: str, model_config, train: TrainConfig,
                  test_mask: np.ndarray, keep: tuple[str, ...] = (),
                  return_predictions: bool = False) -> dict:
    """:func:`fit_fold` with settings chosen first by auto on the fold's training part alone
    (its own validation share of it): the held-out fold takes no part in the choice."""
    from recsys_core.training.auto import choose

    started = time.perf_counter()
    choice = choose(training_part(ratings, test_mask), model_name, model_config, train,
                    keep=keep)
    fold = fit_fold(ratings, model_name, choice.model_config, choice.train_config, test_mask,
                    return_predictions=return_predictions)
    fold["fit_seconds"] = time.perf_counter() - started
    fold["auto"] = choice.summary()
    return fold


def training_part(ratings: Ratings, test_mask: np.ndarray) -> Ratings:
    """The ratings outside ``test_mask``, with the same users and items (and positions); no
    truth and no load warnings: a search on it scores only held-out ratings."""
    return replace(ratings.only(~np.asarray(test_mask, dtype=bool)), truth=None, warnings=[])


def _predict_cells(model, users: np.ndarray, items: np.ndarray) -> np.ndarray:
    import torch

    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(users, device=device), torch.as_tensor(items, device=device))
    return out.double().cpu().numpy()


__all__ = ["cross_validate", "fit_fold", "fit_fold_auto", "predict_matrix", "training_part"]
