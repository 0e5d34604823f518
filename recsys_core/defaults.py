"""Hyperparameters that suit the data at hand, chosen by rule, never by looking at test data.

Small matrices (a class's 9 x 8) are trained full-batch with few factors, a larger learning
rate and enough weight decay that the fit does not hang on the luck of the seed (measured in
``tests/test_training.py`` across seeds).

Large data sets (more than ``FULL_BATCH_LIMIT`` ratings) get mini-batches of about a tenth of
the ratings (1,024 to 8,192), so an epoch makes ten or more updates while each update still
averages enough ratings to be cheap per rating, and a recipe per model: learning rate, weight
decay, epochs, optimiser and embedding size. The recipes were chosen on a validation split of
*training* data only (MovieLens latest-small, the training part of fold 1 of ``python -m bench``'s
5 folds, 90/10, seed 123), never on the folds the benchmark scores; see BENCHMARKS.md.
The learning rates hold for a batch of ``LARGE_BATCH``; smaller batches scale them by the
square root of the batch ratio, the usual rule for Adam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .data import Ratings
from .models import MODELS
from .training import TrainConfig

FULL_BATCH_LIMIT = 20_000
LARGE_BATCH = 8192
"""The batch the large-data learning rates were chosen at, and the largest batch suggested:
beyond it an update costs as much per rating on a CPU (measured), but an epoch makes fewer."""
SMALLEST_BATCH = 1024


@dataclass(frozen=True)
class Recipe:
    """Training of one model on a large data set (learning rate at ``LARGE_BATCH``)."""

    lr: float
    weight_decay: float
    epochs: int
    dim: int
    optimizer: str = "adam"


LARGE_DATA_RECIPES: dict[str, Recipe] = {
    # MF converges in about 10 epochs to a flat validation curve (no drift upward after it).
    "mf": Recipe(lr=0.04, weight_decay=0.1, epochs=10, dim=64),
    "baseline": Recipe(lr=0.04, weight_decay=0.1, epochs=10, dim=0),
    # NeuMF: the same per-batch L2 keeps its curve flat; a smaller step does better than MF's.
    "neumf": Recipe(lr=0.02, weight_decay=0.1, epochs=10, dim=64),
    # The weight decay also acts on the layers, through Adam's gradient: at 0.1 it pins the
    # pure-network models (NN, MLP) to predicting the average. NN takes a small decay; MLP and
    # GMF take AdamW, whose decoupled decay shrinks the layers without out-voting the data.
    "nn": Recipe(lr=0.01, weight_decay=0.01, epochs=10, dim=32),
    "mlp": Recipe(lr=0.02, weight_decay=0.1, epochs=10, dim=32, optimizer="adamw"),
    "gmf": Recipe(lr=0.02, weight_decay=0.1, epochs=8, dim=64, optimizer="adamw"),
}


def suggest_dim(ratings: Ratings) -> int:
    """Factors per user/item: about log2 of the ratings each user and item has, 2 to 64."""
    per_entity = ratings.n_ratings / max(1, ratings.n_users + ratings.n_items)
    return int(min(64, max(2, 2 ** math.floor(math.log2(max(per_entity, 1))))))


def suggest_batch(n_ratings: int) -> int | None:
    """None (full batch) up to ``FULL_BATCH_LIMIT`` ratings; above, about a tenth of the
    ratings as a power of two, from ``SMALLEST_BATCH`` to ``LARGE_BATCH``."""
    if n_ratings <= FULL_BATCH_LIMIT:
        return None
    return int(min(LARGE_BATCH, max(SMALLEST_BATCH, 2 ** round(math.log2(n_ratings / 10)))))


def suggest_configs(ratings: Ratings, model_name: str) -> tuple[object, TrainConfig]:
    """A model config and a training config for ``model_name`` on ``ratings``."""
    spec = MODELS[model_name]
    model_config = spec.config_cls()
    if ratings.n_ratings <= FULL_BATCH_LIMIT:
        if hasattr(model_config, "dim"):
            model_config = replace(model_config, dim=suggest_dim(ratings))
        return model_config, TrainConfig(epochs=200, lr=0.1, weight_decay=0.03,
                                         batch_size=None, val_frac=0.1)
    recipe = LARGE_DATA_RECIPES[model_name]
    if hasattr(model_config, "dim"):
        model_config = replace(model_config, dim=recipe.dim)
    batch = suggest_batch(ratings.n_ratings)
    lr = recipe.lr * math.sqrt(batch / LARGE_BATCH)
    return model_config, TrainConfig(epochs=recipe.epochs, lr=round(lr, 6),
                                     optimizer=recipe.optimizer,
                                     weight_decay=recipe.weight_decay, batch_size=batch,
                                     val_frac=0.1)
