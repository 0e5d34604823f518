"""Seeded hold-out splits of the observed ratings."""

from __future__ import annotations

import numpy as np

from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_


def train_val_split(ratings: Ratings, val_frac: float, seed: int) -> np.ndarray:
    """Boolean mask over the ratings: True = validation.

    A random ``val_frac`` share is held out, then, for every user and every item left without
    a single training rating, one of its held-out ratings goes back to training: a model
    cannot learn anything about someone it never saw, so scoring it there measures nothing.
    """
    n = ratings.n_ratings
    is_val = np.zeros(n, dtype=bool)
    n_val = int(round(val_frac * n))
    if n_val <= 0 or n < 2:
        return is_val
    rng = np.random.default_rng(seed)
    is_val[rng.permutation(n)[:n_val]] = True
    for idx, size in ((ratings.user_idx, ratings.n_users), (ratings.item_idx, ratings.n_items)):
        _return_one_rating_to_orphans(is_val, idx, size, rng)
    return is_val


def _return_one_rating_to_orphans(is_val, owner_idx, n_owners, rng) -> None:
    train_counts = np.bincount(owner_idx[~is_val], minlength=n_owners)
    held = np.flatnonzero(is_val)
    orphans = train_counts[owner_idx[held]] == 0
    if not orphans.any():
        return
    candidates = held[orphans]
    candidates = candidates[rng.permutation(candidates.size)]
    _, first = np.unique(owner_idx[candidates], return_index=True)
    is_val[candidates[first]] = False


def kfold_masks(ratings: Ratings, folds: int, seed: int) -> list[np.ndarray]:
    """``folds`` boolean masks (True = test) that partition the ratings; same seed, same folds."""
    if folds < 2:
        raise ValueError(L_("cross-validation needs at least 2 folds"))
    if folds > ratings.n_ratings:
        raise ValueError(L_("{folds} folds need at least {folds} ratings, the data has {n}",
                            folds=folds, n=ratings.n_ratings))
    order = np.random.default_rng(seed).permutation(ratings.n_ratings)
    masks = []
    for part in np.array_split(order, folds):
        mask = np.zeros(ratings.n_ratings, dtype=bool)
        mask[part] = True
        masks.append(mask)
    return masks
