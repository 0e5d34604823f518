"""Hyperparameters that suit the data at hand, chosen by rule, never by looking at test data.

Small matrices (a class's 9 x 8) are trained full-batch with few factors, a larger learning
rate and enough weight decay that the fit does not hang on the luck of the seed (measured in
``tests/test_training.py`` across seeds); sparser small data, and wider rating scales, get
more (:func:`small_data_weight_decay`).

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

from recsys_core.data.ratings import Ratings
from recsys_core.limits import LIMITS, most_epochs
from recsys_core.models import MODELS
from recsys_core.training.trainer import TrainConfig

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
best model kept), at least the recipe's epochs and at most ``EPOCHS_CAP`` times them: the
recipes' epoch counts were chosen on MovieLens, where MF and NeuMF are best near epoch 10; on
other data (a 35,497-rating film file) NeuMF's validation error was still falling at 10 (issue
13), and a fixed count made it look worse than it is.

Why at least the recipe's epochs (``TrainConfig.min_epochs``): a fresh MF's validation error
can rise before it falls, while the biases settle and the factors grow out of their small
start. On 40,000 synthetic ratings (``python -m bench``'s sparse set) MF's rose from 0.940 at
epoch 1 to 0.957 at epoch 4, then fell to 0.810 by epoch 29: patience alone stopped it at
epoch 3 with 0.940. On MovieLens nothing changes: its best epoch is past 10."""


DENSE_WEIGHT_DECAY = 0.03
"""Small data with at least ``DENSE_SHARE`` of its cells rated (a class's 9 x 8)."""
DENSE_SHARE = 0.5
SPARSE_WEIGHT_DECAY = 0.1
"""Small, sparser data on a scale 4 points wide (1 to 5); other scales scale it, see below."""
REFERENCE_RANGE = 4.0


def small_data_weight_decay(ratings: Ratings) -> float:
    """Weight decay for full-batch training (up to ``FULL_BATCH_LIMIT`` ratings).

    Why two rules: a matrix with most cells rated leaves little to overfit, and 0.03 keeps the
    lecture's matrix fitting well; a sparser one overfits with it (measured on validation splits
    of synthetic sets, the training part of fold 1 of ``python -m bench``, 90/10: at 30% and 15%
    observed 0.1 beat 0.03 and 0.3; at 50% 0.03 won).

    Why the scale enters squared: the loss is the mean squared error in rating units, the
    penalty is in weight units (the output maps the score onto the scale), so a scale twice
    as wide makes the loss four times larger against the same penalty. On a 1-to-10 scale the
    rule gives 0.51; measured on validation splits: 0.5 best (1.188), 0.3 1.201, 1.0 1.364, and
    0.03 1.774 (issue 17: that had MF lose to Cornac MF by 0.12 RMSE on such data). The
    large-data recipes scale the same way from MovieLens' 4.5-point scale: on 24,000 ratings
    on 1 to 10, 0.4 (the rule) 1.335 against the recipe's 0.1 1.459 on validation.
    """
    cells = max(1, ratings.n_users * ratings.n_items)
    if ratings.n_ratings / cells >= DENSE_SHARE:
        return DENSE_WEIGHT_DECAY
    return round(SPARSE_WEIGHT_DECAY * scale_squared(ratings, REFERENCE_RANGE), 3)


RECIPE_RANGE = 4.5
"""The width of the scale the large-data recipes were chosen on (MovieLens, 0.5 to 5)."""


def scale_squared(ratings: Ratings, reference_range: float) -> float:
    """(width of the rating scale / ``reference_range``)^2: how much larger the squared-error
    loss is, against the same weight penalty, than on the scale a weight decay was chosen on."""
    lo, hi = ratings.scale
    return ((hi - lo) / reference_range) ** 2


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
        return model_config, TrainConfig(epochs=200, lr=0.1,
                                         weight_decay=small_data_weight_decay(ratings),
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
                                     weight_decay=round(recipe.weight_decay
                                                        * scale_squared(ratings, RECIPE_RANGE), 4),
                                     batch_size=batch,
                                     val_frac=0.1, patience=PATIENCE, min_epochs=recipe.epochs)
