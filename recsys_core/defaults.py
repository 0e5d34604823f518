"""Hyperparameters that suit the data at hand, chosen by rule, never by looking at test data.

Small matrices (a class's 9 x 8) are trained full-batch with few factors, a larger learning
rate and enough weight decay that the fit does not hang on the luck of the seed (measured in
``tests/test_training.py`` across seeds). Large data sets get mini-batches so that each epoch
makes many updates, and more factors because there is more to learn per user and item.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .data import Ratings
from .models import MODELS
from .training import TrainConfig

FULL_BATCH_LIMIT = 20_000


def suggest_dim(ratings: Ratings) -> int:
    """Factors per user/item: about log2 of the ratings each user and item has, 2 to 64."""
    per_entity = ratings.n_ratings / max(1, ratings.n_users + ratings.n_items)
    return int(min(64, max(2, 2 ** math.floor(math.log2(max(per_entity, 1))))))


def suggest_configs(ratings: Ratings, model_name: str) -> tuple[object, TrainConfig]:
    """A model config and a training config for ``model_name`` on ``ratings``."""
    spec = MODELS[model_name]
    small = ratings.n_ratings <= FULL_BATCH_LIMIT
    model_config = spec.config_cls()
    if hasattr(model_config, "dim"):
        model_config = replace(model_config, dim=suggest_dim(ratings) if small else 32)
    train = TrainConfig(
        epochs=200 if small else 20,
        lr=0.1 if small else 0.01,
        weight_decay=0.03 if small else 0.1,
        batch_size=None if small else 1024,
        val_frac=0.1,
    )
    return model_config, train
