"""Interactions: which user interacted with which item, and when (if known).

A click, a view, a purchase, a rating: implicit feedback only records that something
happened. :class:`Interactions` keeps the user and item labels as they came and each
(user, item) pair once, with its time where the data has one. A pair seen several times (a
user clicking an item twice) is one interaction, at its earliest time: the held-out
interaction of leave-one-out is then the latest item a user *discovered*, never a repeat of
one already seen in training.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from recsys_core.data.errors import EmptyFileError, LoadWarning
from recsys_core.data.form import FileForm
from recsys_core.data.ratings import ObservedCells, Ratings
from recsys_core.i18n import L_


@dataclass
class Interactions(ObservedCells):
    """Observed (user, item) pairs of ``users`` x ``items``, each pair once.

    ``timestamps[k]`` is the time of the k-th pair (any increasing number: Unix seconds, or
    seconds since 1970 for a date), or None for data without times. ``rule`` says in words
    how the pairs were read (every rating, ratings at or above a threshold, ...).
    """

    users: list[str]
    items: list[str]
    user_idx: np.ndarray
    item_idx: np.ndarray
    timestamps: np.ndarray | None = None
    warnings: list[LoadWarning] = field(default_factory=list)
    source: str = ""
    rule: str = ""
    file_form: FileForm | None = None  # how the file was read, for a command that reads it

    def __post_init__(self) -> None:
        self._normalise_cells()
        if self.timestamps is not None:
            self.timestamps = np.asarray(self.timestamps, dtype=np.float64)
            if self.timestamps.shape != self.user_idx.shape:
                raise ValueError("one timestamp per interaction")
        if self.user_idx.shape != self.item_idx.shape:
            raise ValueError("user_idx and item_idx must have the same length")
        keys = self.keys()
        if np.unique(keys).size != keys.size:
            raise ValueError("a (user, item) pair is given twice; use from_frame to merge them")

    # ----- sizes (n_users, n_items, density: ObservedCells) -------------------------------
    @property
    def n_interactions(self) -> int:
        return int(self.user_idx.size)

    def per_user(self) -> np.ndarray:
        return np.bincount(self.user_idx, minlength=self.n_users)

    def per_item(self) -> np.ndarray:
        return np.bincount(self.item_idx, minlength=self.n_items)

    def keys(self) -> np.ndarray:
        """``user * n_items + item`` of every pair: one integer a pair, for fast lookups."""
        return self.user_idx * max(self.n_items, 1) + self.item_idx

    # ----- views -------------------------------------------------------------------------
    def to_matrix(self) -> pd.DataFrame:
        """Users x items table of 0 and 1."""
        grid = np.zeros((self.n_users, self.n_items), dtype=np.int8)
        grid[self.user_idx, self.item_idx] = 1
        return pd.DataFrame(grid, index=pd.Index(self.users), columns=pd.Index(self.items))

    def to_long(self) -> pd.DataFrame:
        """``user, item[, timestamp]`` rows, labels as text."""
        frame = pd.DataFrame({"user": np.asarray(self.users, dtype=object)[self.user_idx],
                              "item": np.asarray(self.items, dtype=object)[self.item_idx]})
        if self.timestamps is not None:
            frame["timestamp"] = self.timestamps
        return frame

    # ----- constructors ------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, source: str = "",
                   warnings: list[LoadWarning] | None = None, rule: str = "") -> Interactions:
        """Rows of ``user, item[, timestamp]`` (labels as text, times as numbers).

        Users and items are numbered in order of first appearance. A pair given in several
        rows becomes one interaction at its earliest time, and a warning says how many rows
        were merged.
        """
        warnings = list(warnings or [])
        if frame.empty:
            raise EmptyFileError(L_("There are no interactions"), source,
                                 L_("give at least one row of user and item"))
        users = pd.Index(pd.unique(frame["user"].astype(str)))
        items = pd.Index(pd.unique(frame["item"].astype(str)))
        u = users.get_indexer(frame["user"].astype(str)).astype(np.int64)
        i = items.get_indexer(frame["item"].astype(str)).astype(np.int64)
        times = (frame["timestamp"].to_numpy(np.float64) if "timestamp" in frame.columns
                 else None)
        keys = u * len(items) + i
        order = np.lexsort((times,) + (keys,)) if times is not None else np.argsort(keys,
                                                                                    kind="stable")
        first = np.ones(keys.size, dtype=bool)
        first[1:] = keys[order][1:] != keys[order][:-1]
        kept = np.sort(order[first])  # earliest of each pair (the first row without times)
        if kept.size < keys.size:
            n_pairs = int(np.unique(keys[np.setdiff1d(np.arange(keys.size), kept)]).size)
            warnings.append(LoadWarning("repeated_pairs", L_(
                "{n_pairs} user-item pair(s) occur in more than one row ({n_rows} rows in "
                "all); each counts as one interaction{when}.", n_pairs=n_pairs,
                n_rows=int(keys.size - kept.size + n_pairs),
                when=L_(", at its earliest time") if times is not None else "")))
        return cls(users=list(users), items=list(items), user_idx=u[kept], item_idx=i[kept],
                   timestamps=None if times is None else times[kept], warnings=warnings,
                   source=source, rule=rule)

    @classmethod
    def from_ratings(cls, ratings: Ratings, like_threshold: float | None = None,
                     timestamps: np.ndarray | None = None) -> Interactions:
        """Ratings turned into interactions: every rating, or only those at or above
        ``like_threshold`` (a "like"); users and items left without one are dropped (said in
        a warning). ``timestamps``: one per rating, in the order of ``ratings``."""
        keep = np.ones(ratings.n_ratings, dtype=bool)
        if like_threshold is not None:
            keep = ratings.values >= like_threshold
        frame = pd.DataFrame({
            "user": np.asarray(ratings.users, dtype=object)[ratings.user_idx[keep]],
            "item": np.asarray(ratings.items, dtype=object)[ratings.item_idx[keep]]})
        if timestamps is not None:
            frame["timestamp"] = np.asarray(timestamps, dtype=np.float64)[keep]
        warnings = [w for w in ratings.warnings if w.code not in RATING_ONLY_WARNINGS]
        warnings += threshold_warnings(like_threshold, ratings.n_ratings, int(keep.sum()),
                                       ratings.n_users - np.unique(ratings.user_idx[keep]).size,
                                       ratings.n_items - np.unique(ratings.item_idx[keep]).size,
                                       ratings.source)
        interactions = cls.from_frame(frame, source=ratings.source, warnings=warnings,
                                      rule=threshold_rule(like_threshold))
        if ratings.file_form is not None:  # the same file, read as likes
            interactions.file_form = replace(ratings.file_form, like_threshold=like_threshold)
        return interactions


RATING_ONLY_WARNINGS = {"cold_user", "cold_item", "single_user", "single_item", "single_rating",
                        "empty_rating"}
"""Warnings of the rating loader that speak of ratings and predictions of ratings: they do
not apply once the ratings are interactions (a user without an interaction is simply not in
the data)."""


def threshold_rule(like_threshold: float | None) -> str:
    """How ratings became interactions, in words."""
    if like_threshold is None:
        return L_("Every rating counts as an interaction, whatever its value.")
    return L_("A rating of {x} or more counts as an interaction (a like); lower ratings are "
              "left out.", x=f"{like_threshold:g}")


def threshold_warnings(like_threshold, n_rows: int, n_kept: int, users_lost: int,
                       items_lost: int, source: str) -> list[LoadWarning]:
    """What a threshold left out, or an error when it leaves nothing."""
    if like_threshold is None:
        return []
    if n_kept == 0:
        raise EmptyFileError(L_("No rating reaches the threshold {x}", x=f"{like_threshold:g}"),
                             source, L_("lower the threshold, or count every rating"))
    return [LoadWarning("threshold", L_(
        "{kept} of {n} ratings are {x} or more and count as interactions; {users} user(s) and "
        "{items} item(s) had none and are left out.", kept=f"{n_kept:,}", n=f"{n_rows:,}",
        x=f"{like_threshold:g}", users=users_lost, items=items_lost))]
