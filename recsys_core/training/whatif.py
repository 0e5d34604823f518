"""What if one rating were different? Change (or clear) one cell, keep everything else, and
see which predictions move once the model has trained a little more from where it was.

The edited data keeps the order of the ratings (a new rating goes where it belongs in a
row-by-row matrix, or last in a list of rows), and the validation split is carried over cell
by cell, so the only difference between before and after is the one cell.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pandas as pd

from recsys_core.data.errors import OutOfRangeError, RatingsError
from recsys_core.data.ratings import Ratings, cold_start_warnings
from recsys_core.i18n import L_
from recsys_core.training.trainer import Trainer


def edit_cell(ratings: Ratings, user: int, item: int, value: float | None) -> Ratings:
    """``ratings`` with the cell (user, item) set to ``value``, or cleared when None."""
    if not (0 <= user < ratings.n_users and 0 <= item < ratings.n_items):
        raise RatingsError(L_("There is no such cell"),
                           L_("user number {user}, item number {item}", user=user + 1,
                              item=item + 1),
                           L_("pick a user and an item of the data"))
    if value is not None:
        lo, hi = ratings.scale
        value = float(value)
        if not (lo <= value <= hi) or np.isnan(value):
            raise OutOfRangeError(
                L_("The rating {value} is outside the scale {lo}..{hi}", value=f"{value:g}",
                   lo=f"{lo:g}", hi=f"{hi:g}"),
                L_("user '{user}', item '{item}'", user=ratings.users[user],
                   item=ratings.items[item]),
                L_("give a rating from {lo} to {hi}", lo=f"{lo:g}", hi=f"{hi:g}"))
    where = np.flatnonzero((ratings.user_idx == user) & (ratings.item_idx == item))
    users, items, values = ratings.user_idx, ratings.item_idx, ratings.values
    if where.size:
        k = int(where[0])
        if value is None:
            keep = np.ones(ratings.n_ratings, dtype=bool)
            keep[k] = False
            users, items, values = users[keep], items[keep], values[keep]
        else:
            values = values.copy()
            values[k] = value
    elif value is None:
        return ratings  # clearing an empty cell changes nothing
    else:
        flat = users * ratings.n_items + items
        if flat.size < 2 or np.all(np.diff(flat) > 0):  # row by row: keep it so
            k = int(np.searchsorted(flat, user * ratings.n_items + item))
        else:
            k = ratings.n_ratings
        users, items = np.insert(users, k, user), np.insert(items, k, item)
        values = np.insert(values, k, value)
    edited = replace(ratings, user_idx=users, item_idx=items, values=values,
                     warnings=[w for w in ratings.warnings if not w.code.startswith("cold_")])
    edited.warnings.extend(cold_start_warnings(edited))
    return edited


def carry_split(before: Ratings, is_val: np.ndarray, after: Ratings,
                edited: tuple[int, int] | None = None) -> np.ndarray:
    """The validation flags of ``before`` on ``after``'s ratings, cell by cell. New cells, and
    the ``edited`` one, are training ratings: the point is for the model to learn them."""
    flags = dict(zip(zip(before.user_idx.tolist(), before.item_idx.tolist()),
                     np.asarray(is_val, dtype=bool).tolist()))
    out = np.array([flags.get(cell, False) for cell in
                    zip(after.user_idx.tolist(), after.item_idx.tolist())], dtype=bool)
    if edited is not None:
        out[(after.user_idx == edited[0]) & (after.item_idx == edited[1])] = False
    return out


def moved_most(ratings: Ratings, before: np.ndarray, after: np.ndarray,
               top: int = 10) -> pd.DataFrame:
    """The ``top`` cells whose prediction changed most: ``user, item, before, after, change``,
    with the cells' positions in ``attrs["cells"]`` (for highlighting on a heatmap)."""
    change = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    order = np.argsort(-np.abs(change), axis=None, kind="stable")[:max(0, int(top))]
    rows, cols = np.unravel_index(order, change.shape)
    frame = pd.DataFrame({
        "user": [ratings.users[r] for r in rows], "item": [ratings.items[c] for c in cols],
        "before": before[rows, cols], "after": after[rows, cols], "change": change[rows, cols],
    })
    frame.attrs["cells"] = list(zip(rows.tolist(), cols.tolist()))
    return frame


def control_trainer(before, cell: tuple[int, int]):
    """The what-if's control: a trainer that goes on from the same weights (``before``, the
    run the what-if started from), on the unedited data, with the same settings and seed, and
    the split the what-if uses (the edited ``cell``, if rated, among the training ratings).

    A what-if trains on for some epochs; those epochs move predictions by themselves, edit or
    not. Compared with this control, not with ``before``, the predictions that move are the ones
    the edit moved, and an "edit" that changes nothing moves nothing. Neither side stops early
    (:func:`exactly`): both train the same number of epochs."""
    return Trainer(before.ratings, before.model_name, before.model_config,
                   exactly(before.train_config),
                   model=copy.deepcopy(before.model),
                   is_val=carry_split(before.ratings, before.is_val, before.ratings, cell),
                   device="cpu")


def exactly(train_config):
    """``train_config`` without early stopping: a what-if and its control train exactly the
    epochs asked for, so the only difference between them is the edited cell."""
    return replace(train_config, patience=None)


def without_the_edit(before, epochs: int, cell: tuple[int, int]) -> np.ndarray:
    """Every cell's prediction after the control (:func:`control_trainer`) trained ``epochs``."""
    trainer = control_trainer(before, cell)
    trainer.fit(epochs)
    return trainer.result().predicted


NOTHING_MOVED = 1e-6
"""Largest change (in stars) still read as "nothing moved": float32 rounding of the same sums."""
