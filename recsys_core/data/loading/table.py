"""Reading bytes into a table of text cells: size, encoding, separator, Excel sheets, ragged rows."""

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

from recsys_core.data.errors import (
    EmptyFileError,
    FileFormatError,
    LoadWarning,
    TooLargeError,
)
from recsys_core.data.form import FileForm, shell_line, torch_fit_command
from recsys_core.data.ratings import checked_scale
from recsys_core.i18n import L_, N_, Ln_

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

    def form(self, shape: str, **options) -> FileForm:
        """How this table was read, as ``shape`` ("long" or "wide") with ``options``."""
        return FileForm(self.name, shape, self.encoding, self.sep, **options)

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


# ----- argument checks -------------------------------------------------------------------------
def _check_choice(what: str, value: Any, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(map(repr, allowed))}, not {value!r}")


def _check_range(rating_range: tuple[float, float] | None) -> tuple[float, float] | None:
    return None if rating_range is None else checked_scale(rating_range)


# ----- bytes -> table --------------------------------------------------------------------------
def _read(source, name, *, encoding, sep, sheet, max_bytes=None, task="ratings") -> _Table:
    """Any supported source as a table of raw cells: xlsx by content, otherwise text.
    ``task`` ("ratings" or "ranking"): the command line a file over ``max_bytes`` is told."""
    if sep is not None:
        _check_choice("sep", sep, tuple(SEPARATORS))
    data, name = _read_bytes(source, name, max_bytes, task)
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


def _read_bytes(source: Any, name: str | None, max_bytes: int | None,
                task: str = "ratings") -> tuple[bytes, str]:
    """The raw bytes and a name for messages, refusing anything larger than ``max_bytes``."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        if not path.is_file():
            raise FileFormatError(L_("There is no file '{path}'", path=str(path)), name,
                                  L_("check the path"))
        _check_size(path.stat().st_size, name, max_bytes, task)
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
    _check_size(len(data), name, max_bytes, task)
    return data, name


def _check_size(size: int, name: str, max_bytes: int | None, task: str = "ratings") -> None:
    """Refuse a file over ``max_bytes``, naming the command line that reads it whole (the
    torch engine's, which reads every form the app reads; its form is not known yet)."""
    if max_bytes is not None and size > max_bytes:
        raise TooLargeError(
            L_("The file is {size} MB, more than the {most} MB allowed",
               size=f"{size / 2**20:.1f}", most=f"{max_bytes / 2**20:.1f}"),
            name,
            L_("use a smaller sample of it, or train the whole file on your own machine: "
               "{command} (see the README)",
               command=shell_line(torch_fit_command(name, task))),
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
