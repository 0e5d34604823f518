"""Guesses about a table: is the first row a header, is it a wide matrix or long rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from recsys_core.data.loading.long import _long_roles
from recsys_core.data.loading.table import _GUESS_ROWS, _header_names, _numbers, _role_of, _Table

# ----- guesses ---------------------------------------------------------------------------------




def _detect_header(table: _Table) -> bool:
    """Is the first row a header? See the module docstring for the rule."""
    first = table.cells.iloc[0]
    texts = [c if isinstance(c, str) else "" for c in first]
    if any(_role_of(t) for t in texts):
        return True
    if len(texts) > 1 and texts[0] == "" and any(texts[1:]):
        return True
    body = table.cells.iloc[1:_GUESS_ROWS + 1]
    _, _, first_bad = _numbers(pd.Series(texts, dtype=object))
    if body.empty:
        return bool(first_bad.any())
    for j in np.flatnonzero(first_bad):
        _, empty, bad = _numbers(body[j])
        numeric = int((~empty & ~bad).sum())
        if numeric and numeric >= 0.5 * int((~empty).sum()):
            return True
    return False


def _guess_format(table: _Table, has_header: bool) -> str:
    """'long' or 'wide' by the rule in the module docstring."""
    if table.cells.shape[1] < 3:
        return "wide"
    if has_header:
        named = {_role_of(n) for n in _header_names(table, True)} - {None}
        if len(named) == 3:
            return "long"
        if len(named) < 2:
            return "wide"
    body = table.cells.iloc[int(has_header):_GUESS_ROWS]
    return "long" if _looks_long(body, _long_roles(table, has_header, None)) else "wide"


def _looks_long(body: pd.DataFrame, roles: tuple[int, int, int]) -> bool:
    """Ids in the user and item columns, numbers in the rating column, users repeating."""
    n = len(body)
    users, items, ratings = (body[j] for j in roles)
    for ids in (users, items):
        values, empty, bad = _numbers(ids)
        if empty.any() or (~bad & ~empty & (values != np.round(values))).any():
            return False  # an empty id or a decimal number is not an id
    _, empty, bad = _numbers(ratings)
    if (empty | bad).sum() > 0.1 * n:
        return False
    repeats = users.nunique() <= 0.8 * n  # a user rates several items
    pairs_unique = len(set(zip(users, items))) >= 0.9 * n  # a matrix's ratings would repeat
    return bool(n) and repeats and pairs_unique
