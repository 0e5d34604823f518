"""The bad-and-odd input corpus (issue 5): files under ``tests/data/bad/`` and what each must do.

``tests/data/bad/EXPECTED.csv`` is the table, one row a file:

- ``file``: the name under ``tests/data/bad/`` (or, for ``generated`` rows, the name the file
  is given when a test builds it: the 60 MB file and the 2,000 x 2,000 matrix are never
  committed).
- ``options``: overrides the person chose, ``key=value`` separated by ``;`` (``scale=1:5``,
  ``duplicates=mean``, ``encoding=utf-16-le``, ``sheet=Data``, ``format=long``).
- ``outcome``: ``loads`` or ``refused``.
- ``expect``: for ``loads`` the exact set of warning codes (space-separated, ``-`` for none);
  for ``refused`` the error class from ``recsys_core.data.errors``.
- ``mention``: ``|``-separated words the message (the error, or the warnings joined) must
  contain: the row, column or label it names and what to do.
- ``note``: what the case is, for people.

Run ``python -m tests.corpus`` to write the small files again (they are committed; the
builder is here so anyone can see exactly how each was made).
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

BAD = Path(__file__).resolve().parent / "data" / "bad"
EXPECTED = BAD / "EXPECTED.csv"
BIG_MB = 60  # above the 50 MB upload limit
MATRIX_SIDE = 2000

XSS_LABELS = ["<script>window.__xss=1</script>", "<img src=x onerror=window.__xss=2>",
              "**bold** _it_", "[click](https://example.com)", ":red[alarm] :material/home:",
              "# heading", "$x^2$ `code` <b>b</b> &amp;"]
COLD_XSS = "<img src=x onerror=window.__xss=4> **cold** [x](javascript:alert(1))"
"""A user of the hostile-labels file with no rating at all: warnings name it in words."""
FORMULA_LABELS = ["=1+1", "+1+2", "-3+4", "@SUM(A1:A2)", '=HYPERLINK("http://x.test","y")']


def strings_in(node) -> list[str]:
    """Every string inside a JSON value (a figure as the browser receives it): where a hostile
    label could end up."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        return [s for value in node for s in strings_in(value)]
    return []


@dataclass(frozen=True)
class Case:
    file: str
    options: dict
    outcome: str  # loads | refused
    expect: frozenset[str] | str  # warning codes (loads) or error class name (refused)
    mention: tuple[str, ...]
    note: str
    generated: bool = False

    @property
    def path(self) -> Path:
        return BAD / self.file


def _options(text: str) -> dict:
    options = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, value = part.split("=", 1)
        if key == "scale":
            lo, hi = value.split(":")
            options["scale"] = (float(lo), float(hi))
        else:
            options[key] = value
    return options


def cases() -> list[Case]:
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        expect = row["expect"].strip()
        found.append(Case(
            file=row["file"], options=_options(row["options"]), outcome=row["outcome"],
            expect=(frozenset(expect.split()) - {"-"}) if row["outcome"] == "loads" else expect,
            mention=tuple(m for m in row["mention"].split("|") if m),
            note=row["note"], generated=row["generated"] == "yes"))
    return found


def load_kwargs(options: dict) -> dict:
    """The corpus options as ``recsys_core.load_ratings`` keyword arguments."""
    names = {"scale": "rating_range"}
    return {names.get(k, k): v for k, v in options.items()}


# ----- generated at test time ------------------------------------------------------------------
def write_big(path: Path, megabytes: int = BIG_MB) -> Path:
    """A long ``user,item,rating`` file just over ``megabytes`` MB (valid content)."""
    line_block = "".join(f"user{u},item{u * 7 % 997},{u % 5 + 1}\n" for u in range(10_000))
    block = line_block.encode()
    repeats = megabytes * 1024 * 1024 // len(block) + 1
    with path.open("wb") as handle:
        handle.write(b"user,item,rating\n")
        for _ in range(repeats):
            handle.write(block)
    return path


def write_matrix(path: Path, side: int = MATRIX_SIDE, missing: float = 0.5, seed: int = 0) -> Path:
    """A ``side`` x ``side`` wide matrix, about half its cells empty, one-decimal ratings."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(1, 5, (side, side)), 1)
    text = np.char.mod("%.1f", values).astype(object)
    text[rng.random((side, side)) < missing] = ""
    lines = ["," + ",".join(f"item{j}" for j in range(side))]
    lines += [f"user{i}," + ",".join(text[i]) for i in range(side)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def materialise(case: Case, folder: Path) -> Path:
    """The file of ``case``: the committed one, or a generated one written into ``folder``."""
    if not case.generated:
        return case.path
    target = folder / case.file
    if not target.exists():
        (write_big if case.file.startswith("big") else write_matrix)(target)
    return target


# ----- the small committed files ---------------------------------------------------------------
SOLO_HEAD = ",영식,영철,영호,광수"
SOLO_ROWS = ["옥순,3.9,4.1,3.4,3.4", "영자,3.9,4.0,,3.4", "정숙,0.5,0.6,4.0,4.1",
             "영숙,3.4,,0.9,3.9"]


def _wide(head: str = SOLO_HEAD, rows=SOLO_ROWS) -> str:
    return "\n".join([head, *rows]) + "\n"


def _csv(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx workbook, one sheet a name: rows of cells (None: left empty); the same bytes
    every time."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": datetime(2024, 1, 1)})
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("notes.txt", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, "hello")
    return buffer.getvalue()


def _filmtrust() -> str:
    """FilmTrust's ratings.txt shape (space-separated, no header, 0.5..4 stars in half steps)
    with three user-item pairs rated twice with different ratings, as in the real data set
    (its users 1, 1 and 3 in the original file; here users 2, 5 and 9)."""
    rng = np.random.default_rng(7)
    rows = []
    for user in range(1, 13):
        for item in sorted(rng.choice(np.arange(1, 21), size=6, replace=False)):
            rows.append((user, int(item), float(rng.integers(1, 9)) / 2))
    for k, (user, item, rating) in enumerate([rows[9], rows[26], rows[50]]):
        rows.insert(len(rows) - 5 * k, (user, item, rating + 0.5 if rating < 4 else 2.0))
    return "".join(f"{u} {i} {r:g}\n" for u, i, r in rows)


def small_files() -> dict[str, bytes]:
    """Every committed file of the corpus, by name."""
    korean = _wide().replace("\n", "\r\n")
    files: dict[str, str | bytes] = {
        "empty.csv": b"",
        "blank_lines.csv": "\n \n\t\n\n",
        "header_only_wide.csv": SOLO_HEAD + "\n",
        "header_only_long.csv": "user,item,rating\n",
        "one_cell.csv": "4\n",
        "one_column.csv": "rating\n4\n3\n5\n",
        "nonnumeric_jeom.csv": _wide(rows=[*SOLO_ROWS[:2], "정숙,0.5,4점,4.0,4.1", SOLO_ROWS[3]]),
        "nonnumeric_five.csv": "user,item,rating\nann,tea,4\nann,coffee,five\nbob,tea,3\n",
        "nonnumeric_na.csv": _wide(rows=[SOLO_ROWS[0], "영자,N/A,4.0,,3.4", *SOLO_ROWS[2:]]),
        "nonnumeric_dash.csv": "user,item,rating\nann,tea,4\nbob,tea,-\nbob,cake,2\n",
        "decimal_comma_semicolon.csv": ";tea;coffee;cake\nann;4,5;3;2,5\nbob;;1,5;4\ncy;5;;3,5\n",
        "decimal_comma_in_comma_file.csv": 'user,item,rating\nann,tea,"4,5"\nbob,tea,3\n',
        "out_of_scale.csv": _wide(rows=[SOLO_ROWS[0], "영자,3.9,7,,3.4", *SOLO_ROWS[2:]]),
        "negative_ratings.csv": "user,item,rating\nann,tea,-2\nann,coffee,3\nbob,tea,1\n"
                                "bob,cake,-1.5\ncy,coffee,0\n",
        "negative_outside_scale.csv": "user,item,rating\nann,tea,-2\nann,coffee,3\nbob,tea,1\n",
        "inf_text.csv": _wide(rows=[*SOLO_ROWS[:3], "영숙,inf,,0.9,3.9"]),
        "nan_text.csv": "user,item,rating\nann,tea,4\nbob,tea,nan\n",
        "filmtrust_duplicates.txt": _filmtrust(),
        "filmtrust_duplicates_mean.txt": _filmtrust(),
        "duplicate_user_label.csv": _wide(rows=[*SOLO_ROWS[:3], "옥순,1,2,3,4"]),
        "duplicate_item_label.csv": _wide(head=",영식,영철,영식,광수"),
        "ragged_short_rows.csv": _wide(rows=["옥순,3.9,4.1,3.4,3.4", "영자,3.9,4.0",
                                             "정숙,0.5,0.6,4.0,4.1", "영숙,3.4"]),
        "ragged_long_row.csv": _wide(rows=[*SOLO_ROWS[:2], "정숙,0.5,0.6,4.0,4.1,2.0",
                                           SOLO_ROWS[3]]),
        "cold_start.csv": ",영식,영철,영호,광수,상철\n옥순,3.9,4.1,3.4,,0.8\n영자,3.9,4.0,,,1.0\n"
                          "하니,,,,,\n정숙,0.5,0.6,4.0,,4.1\n영숙,3.4,,0.9,,3.9\n",
        "single_user.csv": ",영식,영철,영호,광수\n옥순,3.9,,3.4,1\n",
        "single_rating.csv": "user,item,rating\nann,tea,4\n",
        "no_ratings_at_all.csv": ",a,b,c\nu1,,,\nu2,,,\n",
        "missing_user_long.csv": "user,item,rating\nann,tea,4\n,coffee,3\nbob,tea,5\n",
        "missing_user_wide.csv": _wide(rows=[*SOLO_ROWS[:2], ",0.5,0.6,4.0,4.1"]),
        "no_labels_numbers_only.csv": "4,3,2\n1,5,4\n2,2,3\n",
        "utf8_bom.csv": b"\xef\xbb\xbf" + korean.encode("utf-8"),
        "korean_cp949.csv": korean.encode("cp949"),
        "korean_euc_kr.csv": korean.encode("euc-kr"),
        "utf16_bom_tab.txt": korean.replace(",", "\t").encode("utf-16"),
        "utf16_no_bom.csv": korean.encode("utf-16-le"),
        "utf16_no_bom_chosen.csv": korean.encode("utf-16-le"),
        "latin1_guessed.csv": ("user,item,rating\n" + "".join(
            f"Zoë{k % 9},Café {k % 7},{k % 5 + 1}\n" for k in range(40))).encode("cp1252"),
        "multi_sheet.xlsx": xlsx_bytes({"평점": [[None, "영식", "영철"], ["옥순", 4, 3.5],
                                           ["영자", None, 1]],
                                   "memo": [["notes about the ratings"]]}),
        "empty_first_sheet.xlsx": xlsx_bytes({"Sheet1": [], "Data": [[None, "영식", "영철"],
                                                                ["옥순", 4, 3.5],
                                                                ["영자", None, 1]]}),
        "all_sheets_empty.xlsx": xlsx_bytes({"A": [], "B": []}),
        "xlsx_bad_cell.xlsx": xlsx_bytes({"S": [[None, "a", "b"], ["u1", 4, 2], ["u2", "4점", 1]]}),
        "zip_not_xlsx.xlsx": _zip_not_xlsx(),
        "png_renamed.csv": _png(),
        "pdf_renamed.csv": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "binary_garbage.csv": bytes(range(256)) * 8,
        "long_labels_500.csv": _csv([["user", "item", "rating"],
                                     ["u" * 500, "i" * 499 + "1", 4], ["u" * 500, "i" * 499 + "2", 2],
                                     ["v" * 500, "i" * 499 + "1", 5], ["v" * 500, "short", 3],
                                     ["w" * 300, "short", 1], ["w" * 300, "i" * 499 + "2", 4]]),
        "xss_markdown_labels.csv": _csv([["", *XSS_LABELS[:4]],
                                         *[[label, *[(k + j) % 5 + 1 for j in range(4)]]
                                           for k, label in enumerate(XSS_LABELS[3:])],
                                         [COLD_XSS, "", "", "", ""]]),
        "newline_labels.csv": _csv([["user", "item", "rating"], ["ann\nsmith", "tea\r\npot", 4],
                                    ["ann\nsmith", "cake", 3], ["bob", "tea\r\npot", 5]]),
        "formula_labels.csv": _csv([["", *FORMULA_LABELS[:3]],
                                    *[[label, 1 + k % 5, "" if k % 2 else 2, 3] for k, label in
                                      enumerate(FORMULA_LABELS)]]),
    }
    return {name: data if isinstance(data, bytes) else data.encode("utf-8")
            for name, data in files.items()}


def build() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    for name, data in small_files().items():
        (BAD / name).write_bytes(data)


if __name__ == "__main__":
    build()
    print(f"wrote {len(small_files())} files into {BAD}")
