"""Checks shared by both layouts: labels made one line, sizes, decimal commas, numbers and range."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from recsys_core.data.errors import (
    DuplicateLabelError,
    LoadWarning,
    NonNumericRatingError,
    OutOfRangeError,
)
from recsys_core.data.loading.table import _DECIMAL_COMMA, _Table
from recsys_core.data.ratings import Ratings
from recsys_core.i18n import L_

# ----- labels and sizes ------------------------------------------------------------------------
_LABEL_BREAK = re.compile(r"\s*[\x00-\x1f\x7f][\s\x00-\x1f\x7f]*")
LONG_LABEL = 100  # characters; longer labels are warned about (charts shorten them)


def _clean_labels(kind: str, labels: list[str], warnings: list) -> list[str]:
    """A label is one line: line breaks, tabs and control characters inside it become one
    space (with a warning), so it reads the same in every table, chart, list and file."""
    cleaned = [_LABEL_BREAK.sub(" ", label).strip() if isinstance(label, str) else label
               for label in labels]
    changed = [new for new, old in zip(cleaned, labels) if new != old]
    if changed:
        message = (L_("{n} user label(s) contained line breaks, tabs or control characters; "
                      "each was replaced by a space (e.g. '{example}').", n=len(changed),
                      example=changed[0]) if kind == "user" else
                   L_("{n} item label(s) contained line breaks, tabs or control characters; "
                      "each was replaced by a space (e.g. '{example}').", n=len(changed),
                      example=changed[0]))
        warnings.append(LoadWarning("label_breaks", message))
    return cleaned


def _shown(label: str) -> str:
    """A label with its line breaks and tabs visible, for a message."""
    return label.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _clean_long_labels(role: str, column: pd.Series, warnings: list, table: _Table) -> pd.Series:
    """``_clean_labels`` for the user or item column of a long table; two labels that differ
    only by their line breaks would silently become one, so that is refused."""
    distinct = list(pd.unique(column))
    cleaned = _clean_labels(role, distinct, warnings)
    if cleaned == distinct:
        return column
    first: dict[str, str] = {}
    for old, new in zip(distinct, cleaned):
        if new in first:
            a, b = _shown(first[new]), _shown(old)
            if role == "user":
                raise DuplicateLabelError(
                    L_("The user labels '{a}' and '{b}' differ only in line breaks or tabs, "
                       "which labels cannot keep", a=a, b=b), table.where(),
                    L_("rename one of them so every user has its own label"))
            raise DuplicateLabelError(
                L_("The item labels '{a}' and '{b}' differ only in line breaks or tabs, which "
                   "labels cannot keep", a=a, b=b), table.where(),
                L_("rename one of them so every item has its own label"))
        first[new] = old
    return column.map(dict(zip(distinct, cleaned)))


def _with_size_warnings(ratings: Ratings) -> Ratings:
    """Data too small to learn much from, and labels too long to show whole, said in words."""
    found = []
    if ratings.n_users == 1:
        found.append(LoadWarning("single_user", L_(
            "There is only one user ('{user}'). A recommender learns a person's taste from "
            "other people's ratings, so with one user its predictions are little more than "
            "each item's average.", user=ratings.users[0])))
    if ratings.n_items == 1:
        found.append(LoadWarning("single_item", L_(
            "There is only one item ('{item}'), so there is nothing to recommend in its place; "
            "predictions are little more than each user's average.", item=ratings.items[0])))
    if ratings.n_ratings < 2:
        found.append(LoadWarning("single_rating", L_(
            "There is only one rating: nothing to learn from, so every prediction will be "
            "about that rating.")))
    long = [x for x in ratings.users + ratings.items if len(x) > LONG_LABEL]
    if long:
        found.append(LoadWarning("long_label", L_(
            "{n} label(s) are longer than {limit} characters (the longest has {longest}); "
            "charts show them shortened, tables and downloads keep them whole.",
            n=len(long), limit=LONG_LABEL, longest=f"{max(map(len, long)):,}")))
    ratings.warnings.extend(found)
    return ratings


# ----- shared value checks ---------------------------------------------------------------------
def _decimal_commas(texts: pd.Series, values, empty, bad, sep) -> tuple[np.ndarray, int]:
    """Convert '4,5' to 4.5 when the file consistently writes decimals that way (see top)."""
    if not bad.any() or sep == ",":
        return values, 0
    stripped = texts.astype(object).to_numpy()
    commas = pd.Series(stripped[bad], dtype=object).str.fullmatch(_DECIMAL_COMMA).all()
    points = pd.Series(stripped[~empty], dtype=object).str.contains(".", regex=False).any()
    if not commas or points:
        return values, 0
    converted = values.copy()
    fixed = pd.Series(stripped[bad], dtype=object).str.replace(",", ".", regex=False)
    converted[bad] = pd.to_numeric(fixed).to_numpy(np.float64)
    return converted, int(bad.sum())


def _decimal_comma_warning(count: int) -> LoadWarning:
    return LoadWarning("decimal_comma", L_(
        "{n} rating(s) were written with a decimal comma (like 4,5) and were read as decimals "
        "(4.5).", n=count))


def _non_numeric(text: Any, count: int, where: str) -> NonNumericRatingError:
    text = str(text).strip()
    if re.fullmatch(_DECIMAL_COMMA, text):
        todo = L_("write decimals with a point (4.5); a decimal comma is accepted only in a "
                  "file not separated by commas that uses it for every decimal")
    elif text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        todo = L_("write a finite number, or leave the cell empty if there is no rating")
    else:
        todo = L_("write a number (like 4 or 3.5), or leave the cell empty if there is no "
                  "rating")
    what = (L_("The rating '{text}' is not a number ({more} more cell(s) have the same "
               "problem)", text=text, more=count - 1) if count > 1 else
            L_("The rating '{text}' is not a number", text=text))
    return NonNumericRatingError(what, where, todo)


def _out_of_range(value: float, count: int, lo_hi, where: str) -> OutOfRangeError:
    lo, hi = lo_hi
    return OutOfRangeError(
        L_("{n} rating(s) lie outside the scale {lo}..{hi}; the first is {value}", n=count,
           lo=f"{lo:g}", hi=f"{hi:g}", value=f"{value:g}"),
        where,
        L_("correct those ratings or widen the rating scale"),
    )
