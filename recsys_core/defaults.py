"""Hyperparameters that suit the data at hand, chosen by rule, never by looking at test data.

Small matrices (a class's 9 x 8) are trained full-batch with few factors, a larger learning
rate and enough weight decay that the fit does not hang on the luck of the seed (measured in
``tests/test_training.py`` across seeds).

Large data sets (more than ``FULL_BATCH_LIMIT`` ratings) get mini-batches of about a tenth of
the ratings (1,024 to 8,192), so an epoch makes ten or more updates while each update still
averages enough ratings to be cheap per rating, and a recipe per model: learning rate, weight
decay, epochs, optimiser and embedding size. When the embedding tables have more rows than
such a batch (tens of thousands of users), the batch grows with them: every optimiser step
costs a pass over the whole tables, so with a fixed batch an epoch would cost ratings x table
size and 10 times the ratings would take far more than 10 times as long.

The recipes were chosen on a validation split of *training* data only (MovieLens
latest-small, the training part of fold 1 of ``python -m bench``'s 5 folds, 90/10, seed 123),
never on the folds the benchmark scores; see BENCHMARKS.md. The learning rates hold for a
batch of ``LARGE_BATCH``; other batches scale them by the square root of the batch ratio, the
usual rule for Adam.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .data import Ratings
from .limits import LIMITS, most_epochs
from .models import MODELS
from .training import TrainConfig

FULL_BATCH_LIMIT = 20_000
LARGE_BATCH = 8192
"""The batch the large-data learning rates were chosen at, and the largest batch suggested:
beyond it an update costs as much per rating on a CPU (measured), but an epoch makes fewer."""
SMALLEST_BATCH = 1024
LARGEST_BATCH = 4 * LARGE_BATCH
"""The most a batch grows with large tables (and the learning rate with it, twice the
recipe's): as far as it was tried. On 10 million synthetic ratings of 20,000 users x 1,000
items MF reached a lower validation RMSE after its 10 epochs at 32,768 than at 8,192."""


PATIENCE = 2
EPOCHS_CAP = 3
"""Large data trains until the validation error has not improved for ``PATIENCE`` epochs (the
best model kept), at most ``EPOCHS_CAP`` times the recipe's epochs: the recipes' epoch counts
were chosen on MovieLens, where MF and NeuMF are best near epoch 10; on other data (a 35,497-
rating film file) NeuMF's validation error was still falling at 10 (issue 13), and a fixed
count made it look worse than it is."""


def suggest_dim(ratings: Ratings) -> int:
    """Factors per user/item: about log2 of the ratings each user and item has, 2 to 64."""
    per_entity = ratings.n_ratings / max(1, ratings.n_users + ratings.n_items)
    return int(min(64, max(2, 2 ** math.floor(math.log2(max(per_entity, 1))))))


def suggest_batch(n_ratings: int, n_rows: int = 0) -> int | None:
    """None (full batch) up to ``FULL_BATCH_LIMIT`` ratings; above, about a tenth of the
    ratings as a power of two, from ``SMALLEST_BATCH`` to ``LARGE_BATCH``. ``n_rows``: users
    plus items; when the tables have more rows than that batch, the batch grows to the power
    of two at or above the rows, up to ``LARGEST_BATCH`` and as long as an epoch still makes
    ten updates or more (the learning rate follows, see :func:`suggest_configs`)."""
    if n_ratings <= FULL_BATCH_LIMIT:
        return None
    tenth = n_ratings / 10
    batch = min(LARGE_BATCH, max(SMALLEST_BATCH, 2 ** round(math.log2(tenth))))
    if n_rows > batch:
        with_tables = 2 ** math.ceil(math.log2(n_rows))
        batch = max(batch, min(with_tables, LARGEST_BATCH, 2 ** math.floor(math.log2(tenth))))
    return int(batch)


def suggest_configs(ratings: Ratings, model_name: str) -> tuple[object, TrainConfig]:
    """A model config and a training config for ``model_name`` on ``ratings``."""
    spec = MODELS[model_name]
    model_config = spec.config_cls()
    if ratings.n_ratings <= FULL_BATCH_LIMIT:
        if hasattr(model_config, "dim"):
            model_config = replace(model_config, dim=suggest_dim(ratings))
        return model_config, TrainConfig(epochs=200, lr=0.1, weight_decay=0.03,
                                         batch_size=None, val_frac=0.1)
    recipe = spec.large_data  # in the model's own file
    if hasattr(model_config, "dim"):
        model_config = replace(model_config, dim=recipe.dim)
    batch = suggest_batch(ratings.n_ratings, ratings.n_users + ratings.n_items)
    lr = recipe.lr * math.sqrt(batch / LARGE_BATCH)
    # as many epochs as the server allows on this data (the cap's work must not be refused)
    epochs = max(recipe.epochs, min(EPOCHS_CAP * recipe.epochs, most_epochs(ratings.n_ratings, LIMITS)))
    return model_config, TrainConfig(epochs=epochs, lr=round(lr, 6),
                                     optimizer=recipe.optimizer,
                                     weight_decay=recipe.weight_decay, batch_size=batch,
                                     val_frac=0.1, patience=PATIENCE)
