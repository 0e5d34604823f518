"""Read a rating file someone uploaded into ``Ratings``, or say exactly why it cannot be read.

Two shapes are understood:

* **wide**: a users x items matrix. The header holds item labels, the first column user labels
  (if there is one), and an empty cell means "not rated" (the course's ``solo.csv``).
* **long**: one rating a row, ``user, item, rating[, more]`` (MovieLens ``ratings.csv``,
  ``u.data``, ``ratings.dat``).

Files may be CSV/TSV/TXT in the usual encodings and separators, or ``.xlsx``. Everything is
auto-detected and every guess can be overridden. Cells are read as text and the ratings are
parsed here, so labels keep their exact spelling ("1" stays "1") and a value is never changed
without a ``LoadWarning`` saying so. Problems raise a typed ``RatingsError`` that names the
file, line, user and item.

How the guesses are made (``sniff`` reports them; each has an override):

* encoding: a BOM first (UTF-8, UTF-16, UTF-32), then UTF-8, then CP949 (Korean Excel), then
  ``charset_normalizer`` (with a warning); NUL bytes or control characters, or the signature of
  an image/PDF/archive, mean "not a text table".
* separator: of ``::``, tab, ``;``, ``|``, ``,`` the one that splits at least 80% of the first
  lines into the same number of fields, the most fields winning and ties going to the earlier
  one (``;`` before ``,`` because ``;`` files often carry decimal commas). Whitespace only when
  none of those works. Quoted cells are respected.
* header: the first row is a header if a cell names a user/item/rating column, if its first cell
  is empty (the corner of a matrix), or if it holds text above a column of numbers. A header of
  numbers only (item ids) is not recognised: pass ``header=True``.
* format: long if there are >= 3 columns and either the header names a user, an item and a
  rating column, or the header names two of them / there is no header, and the data look long:
  user and item cells are ids (never empty, no decimals), ratings are numbers, users repeat
  (a user rates several items) and user-item pairs are (almost) unique (a matrix of small
  integers would repeat them). Otherwise wide.
* wide user labels: the first column holds user labels if its header cell is empty or names a
  user, or if it holds any non-numeric text; otherwise users are numbered 1, 2, ... (warned).
* decimal commas (``4,5``): accepted only in a file not separated by commas whose ratings never
  use a decimal point; then every one is converted and a warning says how many. Anything else
  with a comma is refused with a hint.

Whitespace around a cell is dropped without a word; so are blank lines, empty trailing columns
and separators at the end of a line, which carry no value. A label is one line: line breaks,
tabs and control characters inside one become a space, with a warning. Data that can teach a
model little (one user, one item, one rating) and labels over 100 characters are warned about.
Line numbers in messages are the file's own (the header is line 1); in a workbook they are
the sheet's row numbers.
"""

from __future__ import annotations

from typing import Any

from recsys_core.data.loading.guess import _detect_header, _guess_format
from recsys_core.data.loading.long import _load_long, _long_roles
from recsys_core.data.loading.table import (
    DUPLICATE_POLICIES,
    FORMATS,
    PREVIEW_ROWS,
    SEPARATORS,
    Sniffed,
    _as_text_frame,
    _check_choice,
    _check_range,
    _header_names,
    _read,
)
from recsys_core.data.loading.wide import _load_wide
from recsys_core.data.ratings import Ratings


# ----- public API ------------------------------------------------------------------------------
def load_ratings(
    source: Any,
    name: str | None = None,
    *,
    format: str = "auto",
    sep: str | None = None,
    encoding: str | None = None,
    columns: tuple[str | int, str | int, str | int] | None = None,
    rating_range: tuple[float, float] | None = None,
    sheet: str | int | None = None,
    duplicates: str = "error",
    max_bytes: int | None = None,
    header: bool | str = "auto",
) -> Ratings:
    """Load a wide or long rating file (path, bytes or binary file-like) into ``Ratings``.

    ``format``, ``sep``, ``encoding``, ``sheet`` and ``header`` override the guesses;
    ``columns`` picks the (user, item, rating) columns of a long file by name or 0-based
    position; ``rating_range`` declares the scale (values outside are refused);
    ``duplicates`` says how to treat a user-item pair rated twice in a long file.
    """
    _check_choice("format", format, FORMATS)
    _check_choice("duplicates", duplicates, DUPLICATE_POLICIES)
    lo_hi = _check_range(rating_range)
    table = _read(source, name, encoding=encoding, sep=sep, sheet=sheet, max_bytes=max_bytes)
    has_header = _detect_header(table) if header == "auto" else bool(header)
    if format == "auto":
        format = "long" if columns is not None else _guess_format(table, has_header)
    if format == "long":
        ratings = _load_long(table, has_header, columns, duplicates, lo_hi)
    else:
        ratings = _load_wide(table, has_header, lo_hi)
    ratings.file_form = table.form(format, duplicates=duplicates, rating_range=lo_hi)
    return ratings


def sniff(
    source: Any,
    name: str | None = None,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    header: bool | str = "auto",
) -> Sniffed:
    """The guesses ``load_ratings`` would make, with a raw preview of the first rows.

    Pass back any override the user made (encoding, sep, sheet, header) to see the others
    guessed again on that basis.
    """
    table = _read(source, name, encoding=encoding, sep=sep, sheet=sheet)
    has_header = _detect_header(table) if header == "auto" else bool(header)
    fmt = _guess_format(table, has_header)
    header = _header_names(table, has_header)
    long_columns = _long_roles(table, has_header, None) if fmt == "long" else None
    preview = _as_text_frame(table, has_header).head(PREVIEW_ROWS)
    return Sniffed(
        encoding=table.encoding,
        sep=table.sep,
        format=fmt,
        has_header=has_header,
        columns=header,
        n_rows=len(table.cells) - int(has_header),
        sheets=table.sheets,
        sheet=table.sheet,
        long_columns=long_columns,
        preview=preview,
    )


__all__ = ["DUPLICATE_POLICIES", "FORMATS", "PREVIEW_ROWS", "SEPARATORS", "Sniffed", "load_ratings",
           "sniff"]
