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

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .data import Ratings
from .errors import (
    DuplicateLabelError,
    DuplicatePairError,
    EmptyFileError,
    FileFormatError,
    LoadWarning,
    NonNumericRatingError,
    OutOfRangeError,
    RatingsError,
    TooLargeError,
)
from .i18n import L_, N_, Joined, Ln_

SEPARATORS = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("pipe"),
              "::": N_("double colon"), " ": N_("whitespace")}
FORMATS = ("auto", "wide", "long")
DUPLICATE_POLICIES = ("error", "mean", "first", "last")
PREVIEW_ROWS = 20

_SNIFF_LINES = 50  # lines looked at to guess the separator
_GUESS_ROWS = 2000  # rows looked at to guess the header and the format
_SHOW = 3  # examples quoted in a message

# Column names that say which role a column plays in a long file. Compared after lower-casing
# and removing spaces, "_", "-" and "."; a trailing "id" or "번호" (number) is also accepted.
_ROLE_NAMES = {
    "user": {"user", "users", "userid", "uid", "customer", "customerid", "member", "reviewer",
             "rater", "person", "name", "사용자", "유저", "고객", "회원", "평가자", "이름"},
    "item": {"item", "items", "itemid", "iid", "movie", "movieid", "product", "productid",
             "book", "bookid", "isbn", "song", "track", "아이템", "상품", "제품", "영화", "항목"},
    "rating": {"rating", "ratings", "score", "stars", "star", "rate", "value", "평점", "점수",
               "별점", "평가"},
}
_BINARY_MAGIC = {
    b"\x89PNG": N_("a PNG image"),
    b"\xff\xd8\xff": N_("a JPEG image"),
    b"GIF8": N_("a GIF image"),
    b"%PDF": N_("a PDF document"),
    b"\x1f\x8b": N_("a gzip archive"),
    b"\xd0\xcf\x11\xe0": N_("an old Excel (.xls) or Word file"),
}
_DECIMAL_COMMA = r"[+-]?\d*,\d+"
_BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass
class Sniffed:
    """What ``sniff`` found, for a preview with controls to override each guess."""

    encoding: str | None  # None for .xlsx
    sep: str | None  # None for .xlsx
    format: str  # "wide" | "long"
    has_header: bool
    columns: list[str]  # header names, or "1", "2", ... without a header
    n_rows: int  # data rows, header excluded
    sheets: list[str] = field(default_factory=list)  # .xlsx only
    sheet: str | None = None  # the sheet read
    long_columns: tuple[int, int, int] | None = None  # user, item, rating positions if long
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class _Table:
    """Raw cells of a file (text, or None past the end of a short row) and where each row was."""

    cells: pd.DataFrame  # object dtype, columns 0..width-1
    lines: np.ndarray  # 1-based file line (text) or sheet row (xlsx) of each row
    n_fields: np.ndarray  # fields each row really had
    name: str
    first_column: int = 1  # the file's column number of cells[0] (leading empty ones dropped)
    encoding: str | None = None
    sep: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    def pos(self, line: int) -> str:
        """A position in the file: 'line 9' of a text file, 'row 9' of a worksheet."""
        return L_("line {line}", line=int(line)) if self.sheet is None else L_("row {line}",
                                                                                line=int(line))

    def where(self, row: int | None = None) -> str:
        """'solo.csv, line 9' or "data.xlsx, sheet 'S', row 9" for row ``row`` of ``cells``."""
        return self.at_line(None if row is None else int(self.lines[row]))

    def at_line(self, line: int | None) -> str:
        if self.sheet is None:
            return self.name if line is None else L_("{file}, line {line}", file=self.name,
                                                     line=int(line))
        if line is None:
            return L_("{file}, sheet '{sheet}'", file=self.name, sheet=self.sheet)
        return L_("{file}, sheet '{sheet}', row {line}", file=self.name, sheet=self.sheet,
                  line=int(line))


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
        return _load_long(table, has_header, columns, duplicates, lo_hi)
    return _load_wide(table, has_header, lo_hi)


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


def read_table(
    source: Any,
    name: str | None = None,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    header: bool | str = "auto",
) -> pd.DataFrame:
    """Every cell as text ("" where empty), blank rows left out; for previews and editors."""
    table = _read(source, name, encoding=encoding, sep=sep, sheet=sheet)
    has_header = _detect_header(table) if header == "auto" else bool(header)
    return _as_text_frame(table, has_header)


# ----- argument checks -------------------------------------------------------------------------
def _check_choice(what: str, value: Any, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(map(repr, allowed))}, not {value!r}")


def _check_range(rating_range: tuple[float, float] | None) -> tuple[float, float] | None:
    if rating_range is None:
        return None
    lo, hi = float(rating_range[0]), float(rating_range[1])
    if not lo < hi:
        raise RatingsError(
            L_("The rating scale {lo}..{hi} is empty", lo=f"{lo:g}", hi=f"{hi:g}"),
            L_("rating scale"),
            L_("give the lowest possible rating first, then the highest, e.g. 1,5"),
        )
    return lo, hi


# ----- bytes -> table --------------------------------------------------------------------------
def _read(source, name, *, encoding, sep, sheet, max_bytes=None) -> _Table:
    """Any supported source as a table of raw cells: xlsx by content, otherwise text."""
    if sep is not None:
        _check_choice("sep", sep, tuple(SEPARATORS))
    data, name = _read_bytes(source, name, max_bytes)
    if not data.strip():
        raise EmptyFileError(L_("The file is empty"), name,
                             L_("choose a file that contains ratings"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, name, sheet)
    kind = next((k for magic, k in _BINARY_MAGIC.items() if data.startswith(magic)), None)
    if kind:
        raise _not_text(name, kind)
    text, used, warnings = _decode(data, name, encoding)
    if _looks_binary(text):
        raise _not_text(name)
    if not text.strip():
        raise EmptyFileError(L_("The file is empty"), name,
                             L_("choose a file that contains ratings"))
    sep = sep or _detect_sep(text)
    rows, lines = _split(text, sep, name)
    table = _make_table(rows, lines, name, strip=re.search(r"[^\S\r\n]", text) is not None)
    table.encoding, table.sep, table.warnings = used, sep, warnings + table.warnings
    return table


def _read_bytes(source: Any, name: str | None, max_bytes: int | None) -> tuple[bytes, str]:
    """The raw bytes and a name for messages, refusing anything larger than ``max_bytes``."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        if not path.is_file():
            raise FileFormatError(L_("There is no file '{path}'", path=str(path)), name,
                                  L_("check the path"))
        _check_size(path.stat().st_size, name, max_bytes)
        return path.read_bytes(), name
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "getvalue"):  # Streamlit's UploadedFile, io.BytesIO
        data = source.getvalue()
    elif hasattr(source, "read"):
        data = source.read()
    else:
        raise TypeError(f"cannot read ratings from {type(source).__name__}")
    if isinstance(data, str):  # a text-mode file object: its bytes are gone, UTF-8 is faithful
        data = data.encode("utf-8")
    name = name or Path(str(getattr(source, "name", "") or "uploaded file")).name
    _check_size(len(data), name, max_bytes)
    return data, name


def _check_size(size: int, name: str, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise TooLargeError(
            L_("The file is {size} MB, more than the {most} MB allowed",
               size=f"{size / 2**20:.1f}", most=f"{max_bytes / 2**20:.1f}"),
            name,
            L_("use a smaller sample of the ratings, or save it without extra columns"),
        )


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str, list[LoadWarning]]:
    """Text of the file and the codec used: BOM, UTF-8, CP949, then charset_normalizer."""
    if encoding is None:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                return _decode_as(data, name, codec), codec, []
    if encoding is not None:
        return _decode_as(data, name, encoding), encoding, []
    head = data[:65536]
    if b"\x00" in head:  # text has no NUL bytes, except UTF-16 without its BOM
        utf16 = head[1::2].count(0) > len(head) // 4 or head[::2].count(0) > len(head) // 4
        raise _not_text(name, todo=L_("if it is UTF-16 text, choose the encoding utf-16-le or "
                                      "utf-16-be") if utf16 else "")
    for codec in ("utf-8", "cp949"):
        try:
            return data.decode(codec), codec, []
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FileFormatError(
            L_("Could not tell which text encoding the file uses"),
            name,
            L_("save it as 'CSV UTF-8' or choose the encoding by hand"),
        )
    warning = LoadWarning(
        "encoding_guessed",
        L_("The file is neither UTF-8 nor Korean CP949; it was read as {encoding}. If letters "
           "look wrong, choose the encoding by hand.", encoding=best.encoding),
    )
    return str(best), best.encoding, [warning]


def _decode_as(data: bytes, name: str, codec: str) -> str:
    try:
        return data.decode(codec).lstrip("\ufeff")
    except LookupError:
        raise FileFormatError(L_("'{codec}' is not a known text encoding", codec=codec), name,
                              L_("choose another encoding, e.g. utf-8 or cp949")) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            L_("The file cannot be read as {codec}", codec=codec),
            L_("{file}, line {line}", file=name, line=line),
            L_("choose another encoding, or leave it on automatic"),
        ) from None


def _looks_binary(text: str) -> bool:
    """Control characters (other than tab and line breaks) do not occur in text tables."""
    head = text[:65536]
    return len(re.findall(r"[\x00-\x08\x0e-\x1f]", head)) > len(head) // 100 or "\x00" in head


def _not_text(name: str, kind: str | None = None, todo: str = "") -> FileFormatError:
    """Images, PDFs and other binary files renamed to .csv are not text tables."""
    what = (L_("The file is not a text table (it looks like {kind})", kind=L_(kind)) if kind
            else L_("The file is not a text table"))
    return FileFormatError(what, name, todo or L_("upload a CSV, TSV or TXT table, or an Excel "
                                                  ".xlsx workbook"))


def _detect_sep(text: str) -> str:
    """The separator that gives the most consistent number (>= 2) of fields per line."""
    sample = [ln for ln in re.split(r"\r\n|\r|\n", text[:200_000])[:_SNIFF_LINES] if ln.strip()]
    sample = [re.sub(r'"[^"]*"', "x", ln) for ln in sample]  # a quoted separator is no separator
    best, best_score = ",", (0.0, 0)
    for sep in ("::", "\t", ";", "|", ",", " "):
        counts = [len(ln.split()) if sep == " " else ln.count(sep) + 1 for ln in sample]
        mode = max(set(counts), key=counts.count)
        consistent = counts.count(mode) / len(counts) >= 0.8
        if sep == " " and best_score[0]:
            break  # whitespace only when nothing else splits the lines consistently
        if mode >= 2 and consistent and mode > best_score[1]:
            best, best_score = sep, (1.0, mode)
    return best


def _split(text: str, sep: str, name: str) -> tuple[list[list[str]], np.ndarray]:
    """Fields of every line (blank lines give []), and the file line each record starts on."""
    if sep == " ":
        lines = re.split(r"\r\n|\r|\n", text)
        if lines and lines[-1] == "":
            lines.pop()
        return list(map(str.split, lines)), np.arange(1, len(lines) + 1)
    if sep == "::":
        if "\x1f" in text:
            raise FileFormatError(L_("The file contains control characters"), name,
                                  L_("save it again as a plain text table"))
        text, sep = text.replace("::", "\x1f"), "\x1f"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    try:
        if '"' not in text:  # one record per line: no Python loop over the rows
            rows = list(reader)
            return rows, np.arange(1, len(rows) + 1)
        rows, starts, line = [], [], 0
        for row in reader:  # a quoted cell may span lines: track where each record starts
            rows.append(row)
            starts.append(line + 1)
            line = reader.line_num
        return rows, np.asarray(starts, dtype=np.int64)
    except csv.Error as exc:
        raise FileFormatError(L_("The file is not a readable table ({details})", details=str(exc)),
                              name, L_("save it again as CSV from your spreadsheet program")) from None


def _read_xlsx(data: bytes, name: str, sheet: str | int | None) -> _Table:
    """Cells of one worksheet as text; by default the first sheet that has any."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl trips on, the answer is the same
        raise FileFormatError(
            L_("The file is a ZIP archive but not a readable Excel workbook ({details})",
               details=str(exc)),
            name,
            L_("upload an .xlsx workbook or a CSV file"),
        ) from None
    try:
        names = list(book.sheetnames)
        chosen, rows, warnings = _pick_sheet(book, names, name, sheet)
    finally:
        book.close()
    text_rows = [[_cell_text(v) for v in row] for row in rows]
    width = max(map(len, text_rows), default=0)
    text_rows = [r + [""] * (width - len(r)) for r in text_rows]
    table = _make_table(text_rows, np.arange(1, len(text_rows) + 1), name, strip=True)
    table.sheet, table.sheets, table.warnings = chosen, names, warnings
    return table


def _pick_sheet(book, names: list[str], name: str, sheet: str | int | None):
    """(sheet name, its rows, warnings); the first non-empty sheet unless one is asked for."""
    if sheet is not None:
        if isinstance(sheet, int) and 0 <= sheet < len(names):
            sheet = names[sheet]
        if sheet not in names:
            raise FileFormatError(
                L_("The workbook has no sheet {sheet}", sheet=repr(sheet)),
                name,
                L_("choose one of its sheets: {sheets}", sheets=", ".join(names)),
            )
        return sheet, _sheet_rows(book[sheet]), []
    for position, title in enumerate(names):
        rows = _sheet_rows(book[title])
        if any(v not in (None, "") for row in rows for v in row):
            return title, rows, _sheet_warnings(names, position)
    raise EmptyFileError(L_("Every sheet of the workbook is empty"), name,
                         L_("choose a workbook that contains ratings"))


def _sheet_rows(worksheet) -> list[tuple]:
    worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
    return [tuple(r) for r in worksheet.iter_rows(min_row=1, values_only=True)]


def _sheet_warnings(names: list[str], used: int) -> list[LoadWarning]:
    if used > 0:
        skipped = ", ".join(f"'{n}'" for n in names[:used])
        return [LoadWarning("sheet_choice", Ln_(
            "Sheet {skipped} is empty; read the sheet '{sheet}' instead.",
            "Sheets {skipped} are empty; read the sheet '{sheet}' instead.", used,
            skipped=skipped, sheet=names[used]))]
    if len(names) > 1:
        return [LoadWarning("sheet_choice", L_(
            "The workbook has {n} sheets; read the first one, '{sheet}'. Choose another if "
            "needed.", n=len(names), sheet=names[0]))]
    return []


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a person sees: 3 not 3.0, '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def _make_table(rows: list[list[str]], lines: np.ndarray, name: str, strip: bool) -> _Table:
    """Rows of fields as a rectangular table as wide as the first row, blank rows dropped.

    Cells are stripped of surrounding whitespace here, once (``strip`` is False when the
    text has no whitespace but line breaks, which saves time on big files).
    Short rows are padded with None so that a loader can say so; ``n_fields`` keeps how
    many fields each row really had.
    """
    n_fields = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    if (n_fields == 0).any():  # blank lines
        keep = n_fields > 0
        rows = [r for r, k in zip(rows, keep) if k]
        lines, n_fields = lines[keep], n_fields[keep]
    if not rows:
        raise EmptyFileError(L_("The file is empty"), name,
                             L_("choose a file that contains ratings"))
    rows, n_fields, warnings = _rectangular(rows, n_fields, lines, name)
    cells = pd.DataFrame(rows, dtype=object)
    if strip:
        cells = cells.apply(lambda col: col.str.strip())
    blank = cells.isna() | (cells == "")
    filled_rows = ~blank.all(axis=1).to_numpy()
    if not filled_rows.any():
        raise EmptyFileError(L_("The file holds only empty cells"), name,
                             L_("choose a file that contains ratings"))
    # Spreadsheets often export empty rows, and a table may sit right of empty columns or
    # have empty ones at its right: dropping them loses nothing.
    filled_cols = np.flatnonzero(~blank.all(axis=0).to_numpy())
    left, right = int(filled_cols[0]), int(filled_cols[-1]) + 1
    cells = cells.iloc[filled_rows, left:right].reset_index(drop=True)
    cells.columns = range(right - left)
    n_fields = np.clip(n_fields[filled_rows] - left, 0, right - left)
    return _Table(cells, lines[filled_rows], n_fields, name, first_column=left + 1,
                  warnings=warnings)


def _rectangular(rows, n_fields, lines, name):
    """Every row as wide as the first: short rows padded with None, long rows refused.

    A row longer than the first is accepted only if the extra fields are empty (a trailing
    separator), or if *every* later row is exactly one field longer: a header without a
    name for the label column, as R's ``write.table`` writes it.
    """
    warnings = []
    width = int(n_fields[0])
    if _header_lacks_label_column(rows, n_fields, width):
        rows[0] = ["", *rows[0]]
        n_fields[0] = width = width + 1
        warnings.append(LoadWarning("header_short", L_(
            "The header has one name fewer than the rows; the first column was taken as "
            "labels.")))
    if (n_fields == width).all():
        return rows, n_fields, warnings
    for k in np.flatnonzero(n_fields > width):
        if any(cell.strip() for cell in rows[k][width:]):
            raise FileFormatError(
                L_("This line has {n} fields but the first line has {width}",
                   n=int(n_fields[k]), width=width),
                L_("{file}, line {line}", file=name, line=int(lines[k])),
                L_("check for a separator inside a value (put such a value in quotes) or for a "
                   "missing name in the header"),
            )
    rows = [r[:width] if len(r) >= width else r + [None] * (width - len(r)) for r in rows]
    return rows, n_fields, warnings


def _header_lacks_label_column(rows, n_fields, width) -> bool:
    """Every row one field longer than the header, and not just a trailing separator."""
    if len(rows) < 2 or not (n_fields[1:] == width + 1).all():
        return False
    return any(row[-1].strip() for row in rows[1:])


def _as_text_frame(table: _Table, has_header: bool) -> pd.DataFrame:
    """The raw cells with "" for missing ones, under unique column names."""
    cells = table.cells.fillna("")
    body = cells.iloc[int(has_header):].reset_index(drop=True)
    body.columns = _unique_names(_header_names(table, has_header))
    return body


def _header_names(table: _Table, has_header: bool) -> list[str]:
    if not has_header:
        return [str(k + 1) for k in range(table.cells.shape[1])]
    return [c if isinstance(c, str) else "" for c in table.cells.iloc[0]]


def _unique_names(names: list[str]) -> list[str]:
    """Column names safe for a data frame shown in a browser: no blanks, no repeats."""
    seen: dict[str, int] = {}
    unique = []
    for k, raw in enumerate(names):
        base = raw or f"({k + 1})"
        seen[base] = seen.get(base, 0) + 1
        unique.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return unique


# ----- guesses ---------------------------------------------------------------------------------
def _numbers(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, empty, bad) for text cells: finite floats, NaN where empty or not a number."""
    texts = texts.astype(object)
    empty = (texts.isna() | (texts == "")).to_numpy()
    values = pd.to_numeric(texts.where(~empty), errors="coerce").to_numpy(np.float64, copy=True)
    bad = ~empty & ~np.isfinite(values)  # "five", but also "inf" and "nan"
    values[~np.isfinite(values)] = np.nan
    return values, empty, bad


def _role_of(name: Any) -> str | None:
    """'user', 'item' or 'rating' when a column name says so (userId, 사용자, movie_id ...)."""
    if not isinstance(name, str):
        return None
    key = re.sub(r"[\s_\-.]", "", name).lower()
    for role, names in _ROLE_NAMES.items():
        if key in names or any(key.endswith(s) and key[: -len(s)] in names for s in ("id", "번호")):
            return role
    return None


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


# ----- long ------------------------------------------------------------------------------------
def _load_long(table: _Table, has_header: bool, columns, duplicates: str, lo_hi) -> Ratings:
    """Rows of user, item, rating: labels as written, ratings parsed, duplicates handled."""
    warnings = list(table.warnings)
    u, i, r = _long_roles(table, has_header, columns)
    names = _header_names(table, has_header)
    start = int(has_header)
    if len(table.cells) <= start:
        raise EmptyFileError(L_("The file has a header but no rows"), table.where(),
                             L_("add one row per rating under the header"))
    body = table.cells.iloc[start:].reset_index(drop=True)
    lines = table.lines[start:]
    frame = pd.DataFrame({"user": body[u], "item": body[i]})
    for role, col in (("user", u), ("item", i)):
        missing = (frame[role].isna() | (frame[role] == "")).to_numpy()
        if missing.any():
            where = table.where(start + int(np.flatnonzero(missing)[0]))
            column = _column_name(names, col)
            if role == "user":
                raise FileFormatError(L_("A row has no user (column {column} is empty)",
                                         column=column), where,
                                      L_("fill in the user or delete the row"))
            raise FileFormatError(L_("A row has no item (column {column} is empty)",
                                     column=column), where,
                                  L_("fill in the item or delete the row"))
    for role in ("user", "item"):
        frame[role] = _clean_long_labels(role, frame[role], warnings, table)
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
