"""The rating grid the Data page edits: a users x items table with the user labels in its first
column (so they can be renamed in place), and the edits read back from the editor's state.

No streamlit here: ``apply_delta`` replays the editor's recorded changes (``edited_rows``,
``deleted_rows``, ``added_rows``) on the stable input table, so the page can rebuild the edited
table at the top of a run, before anything that depends on the data is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from recsys_core.data.errors import DuplicateLabelError, RatingsError
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_

NEW_USER = "new user"
NEW_ITEM = "new item"


def label_column_name(items: list[str]) -> str:
    """A header for the user-label column that no item already uses."""
    for name in ("user", "user label", "(user)"):
        if name not in items:
            return name
    k = 2
    while f"(user {k})" in items:
        k += 1
    return f"(user {k})"


def editor_frame(ratings: Ratings) -> pd.DataFrame:
    """Users as rows, a text column of user labels first, one float column per item."""
    matrix = ratings.to_matrix()
    frame = pd.DataFrame(matrix.to_numpy(), columns=pd.Index(ratings.items, dtype=object))
    frame.insert(0, label_column_name(ratings.items), pd.Series(ratings.users, dtype=object))
    return frame


def label_column(frame: pd.DataFrame) -> str:
    return str(frame.columns[0])


def _number(value) -> float:
    if value is None or value == "":
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def apply_delta(base: pd.DataFrame, delta: Mapping | None) -> pd.DataFrame:
    """``base`` with the editor's changes: cell edits, then deletions, then added rows."""
    frame = base.copy()
    if not delta:
        return frame
    label = label_column(frame)
    positions = {str(c): k for k, c in enumerate(frame.columns)}
    for row, changes in (delta.get("edited_rows") or {}).items():
        r = int(row)
        if not 0 <= r < len(frame):
            continue
        for column, value in changes.items():
            k = positions.get(str(column))
            if k is None:
                continue
            frame.iat[r, k] = _text(value) if str(column) == label else _number(value)
    deleted = [int(r) for r in (delta.get("deleted_rows") or []) if 0 <= int(r) < len(base)]
    if deleted:
        frame = frame.drop(frame.index[deleted])
    added = delta.get("added_rows") or []
    if added:
        rows = []
        for row in added:
            new = {c: (None if str(c) == label else math.nan) for c in frame.columns}
            for column, value in row.items():
                k = positions.get(str(column))
                if k is None:
                    continue
                name = frame.columns[k]
                new[name] = _text(value) if str(column) == label else _number(value)
            rows.append(new)
        frame = pd.concat([frame, pd.DataFrame(rows, columns=frame.columns)],
                          ignore_index=True)
    frame = frame.reset_index(drop=True)
    frame[label] = frame[label].astype(object)
    return frame


def _fill_labels(labels: list[str | None]) -> list[str]:
    """Blank user labels (a freshly added row) get 'new user 1', 'new user 2' ..."""
    labels = [_text(x) for x in labels]
    taken = {x.strip() for x in labels if x is not None and x.strip()}
    out, k = [], 1
    for x in labels:
        text = "" if x is None else x.strip()
        if not text:
            while f"{NEW_USER} {k}" in taken:
                k += 1
            text = f"{NEW_USER} {k}"
            taken.add(text)
        out.append(text)
    return out


def frame_to_ratings(frame: pd.DataFrame, previous: Ratings) -> Ratings:
    """The edited table as new ``Ratings`` on the previous scale; RatingsError if unusable."""
    label = label_column(frame)
    users = _fill_labels(list(frame[label]))
    items = [str(c) for c in frame.columns[1:]]
    values = frame.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")
    matrix = pd.DataFrame(values.to_numpy(dtype=np.float64, na_value=np.nan),
                          index=pd.Index(users, dtype=object), columns=pd.Index(items, dtype=object))
    if not items:
        raise RatingsError(L_("The table has no items left"), L_("the rating grid"),
                           L_("add an item, or load the data again"))
    if matrix.notna().sum().sum() == 0:
        raise RatingsError(L_("The table has no ratings left"), L_("the rating grid"),
                           L_("enter at least one rating"))
    same_shape = users == previous.users and items == previous.items
    truth = previous.truth if same_shape else None
    kept = [w for w in previous.warnings if not w.code.startswith("cold_")]
    ratings = Ratings.from_matrix(matrix, scale=previous.scale, source=previous.source,
                                  warnings=kept, truth=truth)
    return ratings.with_scale(previous.scale)


def _check_item_label(frame: pd.DataFrame, name: str, ignore: str | None = None) -> str:
    name = str(name).strip()
    if not name:
        raise RatingsError(L_("An item needs a name"), L_("the item name"), L_("type a name"))
    others = [str(c) for c in frame.columns[1:] if str(c) != ignore]
    if name in others:
        raise DuplicateLabelError(L_("There is already an item called '{name}'", name=name),
                                  L_("the item names"), L_("choose another name"))
    if name == label_column(frame):
        raise DuplicateLabelError(L_("'{name}' is the header of the user column", name=name),
                                  L_("the item names"), L_("choose another name"))
    return name


def rename_item(frame: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    new = _check_item_label(frame, new, ignore=old)
    return frame.rename(columns={old: new})


def add_item(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    name = _check_item_label(frame, name)
    out = frame.copy()
    out[name] = math.nan
    return out


def remove_items(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    keep = [c for c in frame.columns if str(c) not in set(map(str, names))
            or c == frame.columns[0]]
    return frame[keep].copy()


def suggest_item_name(frame: pd.DataFrame) -> str:
    k = 1
    taken = {str(c) for c in frame.columns}
    while f"{NEW_ITEM} {k}" in taken:
        k += 1
    return f"{NEW_ITEM} {k}"


def same_frame(a: pd.DataFrame | None, b: pd.DataFrame | None) -> bool:
    if a is None or b is None:
        return a is b
    if list(map(str, a.columns)) != list(map(str, b.columns)) or a.shape != b.shape:
        return False
    return a.astype(object).where(a.notna(), None).equals(b.astype(object).where(b.notna(), None))


def matrix_page(ratings: Ratings, row_page: int, col_page: int, size: int) -> pd.DataFrame:
    """One ``size`` x ``size`` window of a large matrix (0-based pages), built from the ratings
    alone so a 610 x 9,724 matrix is never made whole."""
    r0, c0 = row_page * size, col_page * size
    r1, c1 = min(r0 + size, ratings.n_users), min(c0 + size, ratings.n_items)
    grid = np.full((max(r1 - r0, 0), max(c1 - c0, 0)), np.nan)
    inside = ((ratings.user_idx >= r0) & (ratings.user_idx < r1) & (ratings.item_idx >= c0)
              & (ratings.item_idx < c1))
    grid[ratings.user_idx[inside] - r0, ratings.item_idx[inside] - c0] = ratings.values[inside]
    return pd.DataFrame(grid, index=pd.Index(ratings.users[r0:r1], dtype=object),
                        columns=pd.Index(ratings.items[c0:c1], dtype=object))
