"""The one shape every part of the library shares: a set of (user, item, rating) triples.

``Ratings`` keeps the user and item labels exactly as they came (text, original order) and
the observed ratings as three parallel arrays of integer positions and values. A wide matrix
and a long table both become this; the matrix view is derived from it when needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from recsys_core.data.errors import DuplicateLabelError, LoadWarning, OutOfRangeError, RatingsError
from recsys_core.data.form import FileForm
from recsys_core.i18n import L_


class LabelledSizes:
    """``n_users`` and ``n_items`` of anything holding ``users`` and ``items`` label lists:
    ratings, interactions (``ranking.data``) and a file Spark read (``spark.reading``)."""

    users: list[str]
    items: list[str]

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def n_items(self) -> int:
        return len(self.items)


class ObservedCells(LabelledSizes):
    """Sizes of anything that also holds its observed (user, item) cells as ``user_idx``:
    ratings and interactions alike."""

    user_idx: np.ndarray
    item_idx: np.ndarray

    def _normalise_cells(self) -> None:
        """Labels as text and positions as int64, whatever lists or arrays they came as."""
        self.users = [str(u) for u in self.users]
        self.items = [str(i) for i in self.items]
        self.user_idx = np.asarray(self.user_idx, dtype=np.int64)
        self.item_idx = np.asarray(self.item_idx, dtype=np.int64)

    @property
    def density(self) -> float:
        """The share of the users x items cells that are observed."""
        cells = self.n_users * self.n_items
        return int(self.user_idx.size) / cells if cells else 0.0


@dataclass
class Ratings(ObservedCells):
    """Observed ratings of ``users`` x ``items``.

    ``user_idx[k]``, ``item_idx[k]`` and ``values[k]`` describe the k-th observed rating;
    the order is the input's (row-major for a wide matrix, file order for a long table).
    ``truth`` is an optional complete users x items matrix (synthetic data, or a full
    matrix given for scoring), used only to score predictions of the missing cells.
    """

    users: list[str]
    items: list[str]
    user_idx: np.ndarray
    item_idx: np.ndarray
    values: np.ndarray
    scale: tuple[float, float]
    warnings: list[LoadWarning] = field(default_factory=list)
    truth: np.ndarray | None = None
    source: str = ""
    file_form: FileForm | None = None  # how the file was read, for a command that reads it

    def __post_init__(self) -> None:
        self._normalise_cells()
        self.values = np.asarray(self.values, dtype=np.float64)
        self.scale = (float(self.scale[0]), float(self.scale[1]))
        _check_unique(self.users, "user")
        _check_unique(self.items, "item")

    # ----- sizes (n_users, n_items, density: ObservedCells) -------------------------------
    @property
    def n_ratings(self) -> int:
        return int(self.values.size)

    @property
    def global_mean(self) -> float:
        return float(self.values.mean()) if self.n_ratings else float(np.mean(self.scale))

    def ratings_per_user(self) -> np.ndarray:
        return np.bincount(self.user_idx, minlength=self.n_users)

    def ratings_per_item(self) -> np.ndarray:
        return np.bincount(self.item_idx, minlength=self.n_items)

    # ----- views -------------------------------------------------------------------------
    def to_matrix(self) -> pd.DataFrame:
        """Users x items table, NaN where no rating was given."""
        grid = np.full((self.n_users, self.n_items), np.nan)
        grid[self.user_idx, self.item_idx] = self.values
        return pd.DataFrame(grid, index=pd.Index(self.users), columns=pd.Index(self.items))

    def only(self, keep: np.ndarray) -> Ratings:
        """The ratings where ``keep`` (one flag per rating) is True, with the same users and
        items at the same positions: a fold's training part, the non-zero cells of a matrix."""
        keep = np.asarray(keep, dtype=bool)
        return replace(self, user_idx=self.user_idx[keep], item_idx=self.item_idx[keep],
                       values=self.values[keep])

    def observed_mask(self) -> np.ndarray:
        mask = np.zeros((self.n_users, self.n_items), dtype=bool)
        mask[self.user_idx, self.item_idx] = True
        return mask

    def to_long(self) -> pd.DataFrame:
        """``user, item, rating`` rows in the stored order, labels as text."""
        return pd.DataFrame(
            {
                "user": np.asarray(self.users, dtype=object)[self.user_idx],
                "item": np.asarray(self.items, dtype=object)[self.item_idx],
                "rating": self.values,
            }
        )

    def with_scale(self, scale: tuple[float, float]) -> Ratings:
        """The same ratings on a declared scale; refuses a scale that cuts off observed values."""
        lo, hi = checked_scale(scale)
        outside = (self.values < lo) | (self.values > hi)
        if outside.any():
            k = int(np.flatnonzero(outside)[0])
            raise OutOfRangeError(
                L_("{n} rating(s) lie outside the scale {lo}..{hi}, the first is {value}",
                   n=int(outside.sum()), lo=f"{lo:g}", hi=f"{hi:g}",
                   value=f"{self.values[k]:g}"),
                L_("user '{user}', item '{item}'", user=self.users[self.user_idx[k]],
                   item=self.items[self.item_idx[k]]),
                L_("widen the rating scale or correct those ratings"),
            )
        return replace(self, scale=(lo, hi))

    # ----- constructors ------------------------------------------------------------------
    @classmethod
    def from_matrix(
        cls,
        matrix: pd.DataFrame,
        *,
        scale: tuple[float, float] | None = None,
        source: str = "",
        warnings: list[LoadWarning] | None = None,
        truth: np.ndarray | None = None,
    ) -> Ratings:
        """Observed cells of a users x items table (row-major order); NaN means missing.

        The values must already be numbers: parsing text is the loader's job.
        """
        grid = matrix.to_numpy(dtype=np.float64, na_value=np.nan)
        rows, cols = np.nonzero(~np.isnan(grid))
        values = grid[rows, cols]
        ratings = cls(
            users=[str(u) for u in matrix.index],
            items=[str(c) for c in matrix.columns],
            user_idx=rows,
            item_idx=cols,
            values=values,
            scale=scale or _observed_scale(values),
            warnings=list(warnings or []),
            truth=truth,
            source=source,
        )
        ratings.warnings.extend(cold_start_warnings(ratings))
        return ratings

    @classmethod
    def from_long(cls, frame: pd.DataFrame, *, scale: tuple[float, float] | None = None,
                  source: str = "", warnings: list[LoadWarning] | None = None) -> Ratings:
        """Rows of ``user, item, rating`` (numeric ratings, no duplicate pairs).

        Users and items are numbered in order of first appearance.
        """
        users = pd.Index(pd.unique(frame["user"].astype(str)))
        items = pd.Index(pd.unique(frame["item"].astype(str)))
        values = frame["rating"].to_numpy(dtype=np.float64)
        return cls(
            users=list(users),
            items=list(items),
            user_idx=users.get_indexer(frame["user"].astype(str)),
            item_idx=items.get_indexer(frame["item"].astype(str)),
            values=values,
            scale=scale or _observed_scale(values),
            warnings=list(warnings or []),
            source=source,
        )


def checked_scale(scale: tuple[float, float]) -> tuple[float, float]:
    """``(lo, hi)`` as floats; refuses an empty scale (the lowest not below the highest)."""
    lo, hi = float(scale[0]), float(scale[1])
    if not lo < hi:
        raise RatingsError(
            L_("The rating scale {lo}..{hi} is empty", lo=f"{lo:g}", hi=f"{hi:g}"),
            L_("rating scale"),
            L_("give the lowest possible rating first, then the highest, e.g. 1,5"),
        )
    return lo, hi


def _observed_scale(values: np.ndarray) -> tuple[float, float]:
    if values.size == 0:
        return (0.0, 5.0)
    lo, hi = float(values.min()), float(values.max())
    if lo == hi:  # one distinct value: a scale needs width
        return (min(lo, 0.0), max(hi, 1.0)) if lo != 0 else (0.0, 1.0)
    return (lo, hi)


def _check_unique(labels: list[str], kind: str) -> None:
    seen: dict[str, int] = {}
    for position, label in enumerate(labels):
        if label in seen:
            first, second = seen[label] + 1, position + 1
            if kind == "user":
                raise DuplicateLabelError(
                    L_("The user label '{label}' appears twice", label=label),
                    L_("users number {first} and {second}", first=first, second=second),
                    L_("rename one of them so every user has its own label"))
            raise DuplicateLabelError(
                L_("The item label '{label}' appears twice", label=label),
                L_("items number {first} and {second}", first=first, second=second),
                L_("rename one of them so every item has its own label"))
        seen[label] = position


def cold_start_warnings(ratings: Ratings) -> list[LoadWarning]:
    """Users or items without a single rating: the model can only guess them from averages."""
    found = []
    for kind, labels, counts in (
        ("user", ratings.users, ratings.ratings_per_user()),
        ("item", ratings.items, ratings.ratings_per_item()),
    ):
        empty = [labels[k] for k in np.flatnonzero(counts == 0)]
        if empty:
            shown = ", ".join(f"'{x}'" for x in empty[:5]) + (" ..." if len(empty) > 5 else "")
            message = (
                L_("{n} user(s) have no ratings at all ({shown}); their predictions come only "
                   "from the average and the other side's bias.", n=len(empty), shown=shown)
                if kind == "user" else
                L_("{n} item(s) have no ratings at all ({shown}); their predictions come only "
                   "from the average and the other side's bias.", n=len(empty), shown=shown))
            found.append(LoadWarning(f"cold_{kind}", message))
    return found
