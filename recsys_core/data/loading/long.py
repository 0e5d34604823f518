"""Long rows (user, item, rating) into Ratings: the columns, duplicated pairs, the range."""

from __future__ import annotations

import numpy as np
import pandas as pd

from recsys_core.data.errors import (
    DuplicatePairError,
    EmptyFileError,
    FileFormatError,
    LoadWarning,
)
from recsys_core.data.loading.checks import (
    _clean_long_labels,
    _decimal_comma_warning,
    _decimal_commas,
    _non_numeric,
    _out_of_range,
    _with_size_warnings,
)
from recsys_core.data.loading.table import _SHOW, _header_names, _numbers, _role_of, _Table
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_, Joined


# ----- long ------------------------------------------------------------------------------------
def require_labels(labels: pd.Series, role: str, table: _Table, start: int, column: str) -> None:
    """Refuse a row without a user (``role`` "user") or an item, naming its line and column:
    the ratings' and the interactions' long files alike."""
    missing = (labels.isna() | (labels == "")).to_numpy()
    if not missing.any():
        return
    where = table.where(start + int(np.flatnonzero(missing)[0]))
    if role == "user":
        raise FileFormatError(L_("A row has no user (column {column} is empty)", column=column),
                              where, L_("fill in the user or delete the row"))
    raise FileFormatError(L_("A row has no item (column {column} is empty)", column=column),
                          where, L_("fill in the item or delete the row"))


def labelled_rows(table: _Table, has_header: bool, user_col: int, item_col: int,
                  warnings: list, remedy: str):
    """What every long file starts with, ratings and interactions alike: the header's names,
    the first data line, the rows under the header (a header without rows is refused with
    ``remedy``) and a frame of their user and item labels, checked and cleaned."""
    names = _header_names(table, has_header)
    start = int(has_header)
    if len(table.cells) <= start:
        raise EmptyFileError(L_("The file has a header but no rows"), table.where(), remedy)
    body = table.cells.iloc[start:].reset_index(drop=True)
    frame = pd.DataFrame({"user": body[user_col], "item": body[item_col]})
    for role, col in (("user", user_col), ("item", item_col)):
        require_labels(frame[role], role, table, start, _column_name(names, col))
    for role in ("user", "item"):
        frame[role] = _clean_long_labels(role, frame[role], warnings, table)
    return names, start, body, frame


def _load_long(table: _Table, has_header: bool, columns, duplicates: str, lo_hi) -> Ratings:
    """Rows of user, item, rating: labels as written, ratings parsed, duplicates handled."""
    warnings = list(table.warnings)
    u, i, r = _long_roles(table, has_header, columns)
    names, start, body, frame = labelled_rows(table, has_header, u, i, warnings,
                                              L_("add one row per rating under the header"))
    lines = table.lines[start:]
    values, empty, bad = _numbers(body[r])
    values, converted = _decimal_commas(body[r], values, empty, bad, table.sep)
    if converted:
        warnings.append(_decimal_comma_warning(converted))
    elif bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise _non_numeric(body[r][k], int(bad.sum()),
                           L_("{place}, column {column}, user '{user}', item '{item}'",
                              place=table.where(start + k), column=_column_name(names, r),
                              user=frame["user"][k], item=frame["item"][k]))
    frame["rating"] = values
    if empty.any():
        warnings.append(LoadWarning("empty_rating", L_(
            "{n} row(s) have no rating and were left out (the first is {place}).",
            n=int(empty.sum()), place=table.pos(lines[np.flatnonzero(empty)[0]]))))
        frame, lines = frame.loc[~empty].reset_index(drop=True), lines[~empty]
    if frame.empty:
        raise EmptyFileError(L_("The file has no ratings"), table.where(),
                             L_("fill in the ratings"))
    if lo_hi is not None:
        _check_long_range(frame, lines, lo_hi, table)
    frame, merged = _handle_duplicates(frame, lines, duplicates, table)
    if merged:
        warnings.append(merged)
    return _with_size_warnings(
        Ratings.from_long(frame, scale=lo_hi, source=table.name, warnings=warnings))


def _column_name(names: list[str], col: int) -> str:
    """'rating' by its header name, or 3 by its number when the file has no header."""
    return f"'{names[col]}'" if names[col] != str(col + 1) else str(col + 1)


def _long_roles(table: _Table, has_header: bool, columns) -> tuple[int, int, int]:
    """Positions of the user, item and rating columns: asked for, named, or the first three.

    When the header names two of the three, the third is the first column left over.
    """
    names = _header_names(table, has_header)
    if columns is not None:
        if len(columns) != 3:
            raise ValueError(L_("columns must be (user column, item column, rating column)"))
        return tuple(_column_position(c, names, has_header, table) for c in columns)
    if len(names) < 3:
        raise FileFormatError(
            L_("A long table needs user, item and rating columns; found {n} column(s)",
               n=len(names)),
            table.where(),
            L_("choose the separator by hand, or load the file as a wide matrix"),
        )
    roles = [_role_of(n) for n in names] if has_header else []
    found = {role: roles.index(role) for role in ("user", "item", "rating") if role in roles}
    if len(found) < 2:
        return 0, 1, 2
    spare = (k for k in range(len(names)) if k not in found.values())
    return tuple(found[role] if role in found else next(spare)
                 for role in ("user", "item", "rating"))


def _column_position(column: str | int, names: list[str], has_header: bool, table) -> int:
    """A column asked for by 0-based position or by its header name."""
    if isinstance(column, (int, np.integer)) and not isinstance(column, bool):
        if 0 <= column < len(names):
            return int(column)
        raise FileFormatError(L_("There is no column number {n} (counting from 0)",
                                 n=int(column)),
                              table.where(), L_("choose a number from 0 to {last}",
                                                last=len(names) - 1))
    wanted = str(column).strip()
    if has_header and wanted in names:
        return names.index(wanted)
    shown = (", ".join(f"'{n}'" for n in names) if has_header
             else L_("none, the file has no header"))
    raise FileFormatError(L_("There is no column named '{name}'", name=wanted), table.where(),
                          L_("choose a column by number, or by one of its names: {names}",
                             names=shown))


def _check_long_range(frame: pd.DataFrame, lines: np.ndarray, lo_hi, table: _Table) -> None:
    """Refuse ratings outside the declared scale, naming the first one."""
    ratings = frame["rating"].to_numpy()
    outside = (ratings < lo_hi[0]) | (ratings > lo_hi[1])
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        raise _out_of_range(ratings[k], int(outside.sum()), lo_hi,
                            L_("{place}, user '{user}', item '{item}'",
                               place=table.at_line(int(lines[k])), user=frame["user"][k],
                               item=frame["item"][k]))


def _handle_duplicates(frame: pd.DataFrame, lines: np.ndarray, policy: str, table: _Table):
    """Refuse a user-item pair given twice, or keep its mean / first / last rating (warned)."""
    repeated = frame.duplicated(["user", "item"], keep=False).to_numpy()
    if not repeated.any():
        return frame, None
    dupes = frame.loc[repeated].assign(line=lines[repeated])
    pairs = dupes.drop_duplicates(["user", "item"])
    n_pairs, n_rows = len(pairs), int(repeated.sum())
    if policy == "error":
        examples = []
        for user, item in zip(pairs["user"][:_SHOW], pairs["item"][:_SHOW]):
            rows = dupes[(dupes["user"] == user) & (dupes["item"] == item)]
            given = [L_("{place} ({rating})", place=table.pos(ln), rating=f"{v:g}")
                     for ln, v in zip(rows["line"][:_SHOW], rows["rating"][:_SHOW])]
            if len(rows) > _SHOW:
                given.append(L_("{n} more", n=len(rows) - _SHOW))
            examples.append(L_("user '{user}', item '{item}': {given}", user=user, item=item,
                               given=_and(given)))
        raise DuplicatePairError(
            L_("{n_pairs} user-item pair(s) are rated more than once ({n_rows} rows)",
               n_pairs=n_pairs, n_rows=n_rows),
            L_("{place}: {examples}", place=table.where(), examples=Joined(examples)),
            L_("choose what to keep for each pair (the mean, the first or the last rating), "
               "or remove the extra rows"),
        )
    kept = frame.groupby(["user", "item"], sort=False, as_index=False)["rating"].agg(policy)
    words = {"mean": L_("the mean of its ratings"), "first": L_("its first rating"),
             "last": L_("its last rating")}
    return kept, LoadWarning("duplicates_merged", L_(
        "{n_pairs} user-item pair(s) were rated more than once ({n_rows} rows); each now has "
        "{kept}.", n_pairs=n_pairs, n_rows=n_rows, kept=words[policy]))


def _and(parts: list) -> str:
    """'a', 'a and b', 'a and b and c': a message that joins its parts in each language."""
    out = parts[0]
    for part in parts[1:]:
        out = L_("{these} and {that}", these=out, that=part)
    return out
