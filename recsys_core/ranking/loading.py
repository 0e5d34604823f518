"""Files of interactions into :class:`~.data.Interactions`, or exactly why they cannot be read.

Read by :mod:`recsys_core.data.loading`'s reader (encodings, separators, Excel, headers, ragged
rows; its errors), in two shapes:

* **long**: a row per interaction, ``user, item[, rating or count][, timestamp]``, with or
  without a header (MovieLens ``ratings.csv``; ``u.data`` is tab-separated ``user item rating
  timestamp`` without one). With a header the columns are found by name (``userId``,
  ``movie``, ``rating``, ``count``, ``timestamp``, ``date`` ...); without one they are taken
  in that order. A third column is a rating or a count: every row is an interaction unless
  ``like_threshold`` is given, then only rows whose value is at or above it. Times are
  numbers (Unix seconds) or dates.
* **wide**: a users x items matrix (the rating loader's wide format): an empty cell or 0 is
  no interaction, any other number is one (with ``like_threshold``, a number at or above it).
  A matrix has no times.

``format="auto"`` reads a file as long when its header names a user and an item column,
when it has two columns (``user,item`` pairs), or when the rating loader would call it long;
otherwise as wide.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from recsys_core.data.errors import EmptyFileError, FileFormatError, LoadWarning
from recsys_core.data.loading.checks import _non_numeric
from recsys_core.data.loading.guess import _detect_header, _guess_format
from recsys_core.data.loading.long import _column_name, labelled_rows
from recsys_core.data.loading.table import (
    _GUESS_ROWS,
    FORMATS,
    _check_choice,
    _header_names,
    _numbers,
    _read,
    _role_of,
)
from recsys_core.data.loading.wide import _load_wide
from recsys_core.i18n import L_
from recsys_core.ranking.data import RATING_ONLY_WARNINGS, Interactions, threshold_rule, threshold_warnings

_TIME_NAMES = {"timestamp", "timestamps", "time", "date", "datetime", "ts", "when", "eventtime",
               "clicktime", "time stamp", "시간", "시각", "날짜", "일시"}
_VALUE_NAMES = {"count", "counts", "clicks", "views", "plays", "weight", "quantity", "qty",
                "purchases", "횟수", "수량", "가중치"}


def load_interactions(source: Any, name: str | None = None, *, format: str = "auto",
                      like_threshold: float | None = None, sep: str | None = None,
                      encoding: str | None = None, sheet: str | int | None = None,
                      header: bool | str = "auto", max_bytes: int | None = None) -> Interactions:
    """Load a long or wide file of interactions (path, bytes or binary file-like).

    ``like_threshold``: only values at or above it are interactions (ratings turned into
    likes); None counts every row of a long file, every non-zero cell of a matrix.
    ``format``, ``sep``, ``encoding``, ``sheet`` and ``header`` override the guesses.
    """
    _check_choice("format", format, FORMATS)
    if like_threshold is not None and not np.isfinite(float(like_threshold)):
        raise ValueError("like_threshold must be a finite number")
    table = _read(source, name, encoding=encoding, sep=sep, sheet=sheet, max_bytes=max_bytes,
                  task="ranking")
    has_header = _detect_header(table) if header == "auto" else bool(header)
    if format == "auto":
        format = _guess(table, has_header)
    if format == "long":
        data = _load_long(table, has_header, like_threshold)
    else:
        data = _load_wide_interactions(table, has_header, like_threshold)
    data.file_form = table.form(format, like_threshold=like_threshold)
    return data


def _guess(table, has_header: bool) -> str:
    roles = _roles_by_name(_header_names(table, True)) if has_header else {}
    if "user" in roles and "item" in roles:
        return "long"
    if table.cells.shape[1] == 2 or _guess_format(table, has_header) == "long":
        return "long"
    # repeat clicks make a pair repeat, which the rating loader takes for a matrix: a first
    # column that repeats (a matrix's user labels never do) beside a column of more than 0
    # and 1 (a matrix without labels has only those) is a log
    body = table.cells.iloc[int(has_header):_GUESS_ROWS]
    firsts, seconds = body[0].fillna(""), body[1].fillna("")
    if (firsts != "").all() and firsts.duplicated().any() and not seconds.isin(["", "0", "1"]).all():
        return "long"
    return "wide"


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).lower()


def _roles_by_name(names: list[str]) -> dict[str, int]:
    """Columns named as user, item, value (rating or count) and time, first of each."""
    found: dict[str, int] = {}
    for col, name in enumerate(names):
        role = _role_of(name)
        if role == "rating" or _key(name) in _VALUE_NAMES:
            role = "value"
        elif role is None and _key(name) in {_key(n) for n in _TIME_NAMES}:
            role = "time"
        if role and role not in found:
            found[role] = col
    return found


def _long_columns(table, has_header: bool) -> dict[str, int]:
    """Positions of the user, item, value and time columns (value and time when present)."""
    return long_roles(_header_names(table, has_header), has_header, table.where())


def long_roles(names: list[str], has_header: bool, where: str) -> dict[str, int]:
    """The columns named as user, item, value and time; without such a header, those in
    that order (the Spark engine's reader finds them the same way)."""
    if has_header:
        found = _roles_by_name(names)
        if "user" in found and "item" in found:
            return found
    if len(names) < 2:
        raise FileFormatError(
            L_("Interactions need a user column and an item column; found {n} column(s)",
               n=len(names)), where,
            L_("choose the separator by hand, or give one row per interaction: user,item"))
    return dict(zip(("user", "item", "value", "time"), range(len(names))))


def _load_long(table, has_header: bool, like_threshold) -> Interactions:
    warnings = list(table.warnings)
    cols = _long_columns(table, has_header)
    names, start, body, frame = labelled_rows(
        table, has_header, cols["user"], cols["item"], warnings,
        L_("add one row per interaction under the header"))
    if "time" in cols:
        frame["timestamp"] = _times(body[cols["time"]], table, start,
                                    _column_name(names, cols["time"]), frame)
    keep = np.ones(len(frame), dtype=bool)
    if like_threshold is not None:
        if "value" not in cols:
            raise FileFormatError(
                L_("A threshold needs a rating column, and the file has none"), table.where(),
                L_("name a column 'rating' in the header, or count every row as an interaction"))
        values = _values(body[cols["value"]], table, start, _column_name(names, cols["value"]),
                         frame)
        keep = values >= like_threshold  # an empty value is no like
        users_lost = frame["user"].nunique() - frame["user"][keep].nunique()
        items_lost = frame["item"].nunique() - frame["item"][keep].nunique()
        warnings += threshold_warnings(like_threshold, len(frame), int(keep.sum()), users_lost,
                                       items_lost, table.name)
    return Interactions.from_frame(frame.loc[keep].reset_index(drop=True), source=table.name,
                                   warnings=warnings, rule=threshold_rule(like_threshold))


def _values(texts: pd.Series, table, start: int, column: str, frame) -> np.ndarray:
    """The rating or count column as numbers (NaN where empty); a text is refused."""
    values, _, bad = _numbers(texts)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise _non_numeric(texts[k], int(bad.sum()),
                           L_("{place}, column {column}, user '{user}', item '{item}'",
                              place=table.where(start + k), column=column,
                              user=frame["user"][k], item=frame["item"][k]))
    return values


def _times(texts: pd.Series, table, start: int, column: str, frame) -> np.ndarray:
    """A time column as seconds: numbers as they are, or dates (ISO 8601 and the like) as
    seconds since 1970. Every row needs one; a mix of numbers and dates is refused."""
    values, empty, bad = _numbers(texts)
    if empty.any():
        k = int(np.flatnonzero(empty)[0])
        raise FileFormatError(
            L_("A row has no time (column {column} is empty)", column=column),
            L_("{place}, user '{user}', item '{item}'", place=table.where(start + k),
               user=frame["user"][k], item=frame["item"][k]),
            L_("fill in every time, or drop the time column (the held-out interaction is then "
               "drawn at random)"))
    if not bad.any():
        return values
    dates = pd.to_datetime(texts.astype(str), errors="coerce", format="mixed")
    failed = dates.isna().to_numpy()
    if failed.any() or not bad.all():
        k = int(np.flatnonzero(failed | ~bad)[0])
        raise FileFormatError(
            L_("The time '{text}' is not a date, or the column mixes dates and numbers",
               text=str(texts[k])),
            L_("{place}, column {column}, user '{user}', item '{item}'",
               place=table.where(start + k), column=column, user=frame["user"][k],
               item=frame["item"][k]),
            L_("write every time as a date like 2024-03-01 14:05, or every time as a number "
               "of seconds like 964982703"))
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    return (dates - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy(np.float64)


def _load_wide_interactions(table, has_header: bool, like_threshold) -> Interactions:
    """A matrix through the rating loader's wide reader (its checks and messages), then
    every non-zero cell, or every cell at or above the threshold, as an interaction."""
    ratings = _load_wide(table, has_header, None)
    ratings.warnings[:] = [w for w in ratings.warnings if w.code not in RATING_ONLY_WARNINGS]
    if like_threshold is not None:
        return Interactions.from_ratings(ratings, like_threshold)
    keep = ratings.values != 0
    if not keep.any():
        raise EmptyFileError(L_("Every cell of the matrix is empty or 0: there is no "
                                "interaction"), table.name, L_("mark each interaction with a 1"))
    found = Interactions.from_ratings(ratings.only(keep), None)
    users_lost, items_lost = ratings.n_users - found.n_users, ratings.n_items - found.n_items
    if users_lost or items_lost:
        found.warnings.append(LoadWarning("no_interaction", L_(
            "{users} user(s) and {items} item(s) have only empty or 0 cells, so no interaction, "
            "and are left out.", users=users_lost, items=items_lost)))
    found.rule = L_("Every cell that is not empty or 0 counts as an interaction.")
    return found
