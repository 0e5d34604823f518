"""A wide matrix (users down, items across) into Ratings, with every problem said in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from recsys_core.data.errors import (
    DuplicateLabelError,
    EmptyFileError,
    FileFormatError,
    LoadWarning,
)
from recsys_core.data.loading.checks import (
    _clean_labels,
    _decimal_comma_warning,
    _decimal_commas,
    _non_numeric,
    _out_of_range,
    _with_size_warnings,
)
from recsys_core.data.loading.table import _SHOW, _header_names, _numbers, _role_of, _Table
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_


# ----- wide ------------------------------------------------------------------------------------
def _load_wide(table: _Table, has_header: bool, lo_hi) -> Ratings:
    """A users x items matrix: header = items, first column = users (if it holds labels)."""
    warnings = list(table.warnings)
    start = int(has_header)  # first row of ratings
    first = 1 if _has_user_column(table, has_header) else 0  # first column of ratings
    if table.cells.shape[1] <= first:
        raise FileFormatError(L_("Only one column was found, so there are no items"),
                              table.where(),
                              L_("choose the separator by hand (comma, semicolon, tab ...)"))
    if len(table.cells) <= start:
        raise EmptyFileError(L_("The file has a header but no rows"), table.where(),
                             L_("add one row per user under the header"))
    users = _clean_labels("user", _wide_users(table, start, first, warnings), warnings)
    items = _clean_labels("item", _wide_items(table, has_header, first, warnings), warnings)
    body = table.cells.iloc[start:, first:]
    flat = pd.Series(body.to_numpy().ravel(), dtype=object)
    values, empty, bad = _numbers(flat)
    keep = _named_item_columns(table, items, empty.reshape(body.shape), first)
    user_rows = [table.pos(table.lines[start + r]) for r in range(len(users))]
    _refuse_repeats("user", users, user_rows, table)
    item_columns = [L_("column {n}", n=table.first_column + first + c) for c in keep]
    _refuse_repeats("item", [items[c] for c in keep], item_columns, table)
    values, converted = _decimal_commas(flat, values, empty, bad, table.sep)
    if converted:
        warnings.append(_decimal_comma_warning(converted))
    elif bad.any():
        r, c = divmod(int(np.flatnonzero(bad)[0]), body.shape[1])
        raise _non_numeric(body.iat[r, c], int(bad.sum()),
                           L_("{place}, user '{user}', item '{item}'",
                              place=table.where(start + r), user=users[r], item=items[c]))
    warnings += _ragged_warnings(table, users, items, start, first)
    grid = values.reshape(body.shape)[:, keep]
    items = [items[c] for c in keep]
    if np.isnan(grid).all():
        raise EmptyFileError(L_("The file has no ratings: every cell is empty"), table.where(),
                             L_("fill in at least a few ratings"))
    if lo_hi is not None:
        _check_wide_range(grid, lo_hi, table, start, users, items)
    matrix = pd.DataFrame(grid, index=pd.Index(users, dtype=object),
                          columns=pd.Index(items, dtype=object))
    return _with_size_warnings(
        Ratings.from_matrix(matrix, scale=lo_hi, source=table.name, warnings=warnings))


def _check_wide_range(grid, lo_hi, table: _Table, start: int, users, items) -> None:
    """Refuse ratings outside the declared scale, naming the first one."""
    rows, cols = np.nonzero((grid < lo_hi[0]) | (grid > lo_hi[1]))  # NaN compares False
    if rows.size:
        r, c = rows[0], cols[0]
        raise _out_of_range(grid[r, c], rows.size, lo_hi,
                            L_("{place}, user '{user}', item '{item}'",
                               place=table.where(start + r), user=users[r], item=items[c]))


def _has_user_column(table: _Table, has_header: bool) -> bool:
    """The first column holds user labels if its header is empty or says so, or it has text."""
    if has_header:
        corner = _header_names(table, True)[0]
        if corner == "" or _role_of(corner) == "user":
            return True
    _, _, bad = _numbers(table.cells[0].iloc[int(has_header):])
    return bool(bad.any())


def _wide_users(table: _Table, start: int, first: int, warnings: list) -> list[str]:
    """User labels from the first column, or row numbers 1, 2, ... when it holds ratings."""
    n_rows = len(table.cells) - start
    if first == 0:
        warnings.append(LoadWarning("no_user_labels", L_(
            "The first column holds ratings, not user labels; users are numbered 1..{n} in "
            "row order.", n=n_rows)))
        return [str(r + 1) for r in range(n_rows)]
    users = table.cells[0].iloc[start:].fillna("").tolist()
    if "" in users:
        raise FileFormatError(L_("A row has ratings but no user label"),
                              table.where(start + users.index("")),
                              L_("write the user's name in the first column"))
    return users


def _wide_items(table: _Table, has_header: bool, first: int, warnings: list) -> list[str]:
    """Item labels from the header, or column numbers 1, 2, ... without a header."""
    if has_header:
        return _header_names(table, True)[first:]
    n_items = table.cells.shape[1] - first
    warnings.append(LoadWarning("no_item_labels", L_(
        "The file has no header; items are numbered 1..{n} in column order.", n=n_items)))
    return [str(c + 1) for c in range(n_items)]


def _named_item_columns(table: _Table, items: list[str], empty: np.ndarray, first: int):
    """Positions of the item columns to keep: a nameless one must be empty (export debris)."""
    keep = []
    for c, label in enumerate(items):
        if label:
            keep.append(c)
        elif not empty[:, c].all():
            raise FileFormatError(L_("Column {n} has ratings but no item name",
                                     n=table.first_column + first + c),
                                  table.where(0), L_("write the item's name in the header"))
    return keep


def _refuse_repeats(kind: str, labels: list[str], places: list[str], table: _Table) -> None:
    """A label given twice would merge two users (or items) into one: refuse, naming both."""
    seen: dict[str, str] = {}
    for label, place in zip(labels, places):
        if label in seen:
            where = L_("{place}, {first} and {second}", place=table.where(), first=seen[label],
                       second=place)
            if kind == "user":
                raise DuplicateLabelError(
                    L_("The user label '{label}' appears twice", label=label), where,
                    L_("rename one of them so every user has its own label; if each row is one "
                       "rating (user, item, rating), load it as a long table"))
            raise DuplicateLabelError(L_("The item label '{label}' appears twice", label=label),
                                      where,
                                      L_("rename one of them so every item has its own label"))
        seen[label] = place


def _ragged_warnings(table: _Table, users, items, start: int, first: int) -> list[LoadWarning]:
    """Rows that ended early: like pandas we read the missing cells as empty, and say so."""
    n_fields = table.n_fields[start:]
    short = np.flatnonzero(n_fields < table.cells.shape[1])
    found = []
    for r in short[:_SHOW]:
        had = max(int(n_fields[r]) - first, 0)
        missing = ", ".join(f"'{i}'" for i in items[had:] if i)
        found.append(LoadWarning("ragged_row", L_(
            "The row of user '{user}' ({place}) has {had} rating field(s) but the header has "
            "{n_items} items; the missing last cell(s) ({missing}) are read as empty.",
            user=users[r], place=table.pos(table.lines[start + r]), had=had,
            n_items=len(items), missing=missing)))
    if len(short) > _SHOW:
        found.append(LoadWarning("ragged_row", L_(
            "{n} more row(s) are short too; their missing last cells are read as empty.",
            n=len(short) - _SHOW)))
    return found
