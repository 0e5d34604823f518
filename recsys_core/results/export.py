"""Files to download from a trained run: CSV, Excel, JSON and the model itself, as bytes.

Two rules hold for every file that a spreadsheet may open:

- **No formula injection.** A label such as ``=HYPERLINK(...)`` or ``@SUM(...)`` would run as
  a formula when the file is opened. Every label (user, item, "because ..." text) passes
  :func:`safe_cell`, which puts an apostrophe in front, as OWASP advises for CSV files.
  Numbers are never touched: -1.5 stays the number -1.5.
- **Korean stays Korean.** CSV files are UTF-8 *with* a byte-order mark, which is how Excel
  recognises UTF-8; without it, Excel on a Korean or English Windows shows mojibake. Column
  headers, sheet names and fixed words are in ``lang`` (English by default, as the command
  line writes them); labels are exactly as given.

Predictions are written with 6 decimals: the models compute in 32-bit floats (about 7
significant digits), so further digits would only be noise such as 3.4100000858306885.
Observed ratings are written exactly as given.
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import asdict

import numpy as np
import pandas as pd
import xlsxwriter

from recsys_core.i18n import L_, _, p_

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREDICTION_DECIMALS = 6
CSV_ENCODING = "utf-8-sig"  # UTF-8 with the byte-order mark Excel looks for
XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header row
XLSX_MAX_COLUMNS = 16_383  # Excel's 16,384 columns, less the label column
"""A workbook holds any matrix of up to XLSX_MAX_ROWS users and XLSX_MAX_COLUMNS items (what
Excel itself can open); see :func:`workbook_fits`."""
XLSX_PREDICTION_ROWS = 1_048_575
"""The predictions sheet has a row per cell; a matrix of more cells than one sheet has rows
(1,508 x 2,071 = 3.1 million) gets a note there pointing to the predictions CSV instead."""
PREDICTED_FILL = "#FFF2CC"  # light yellow, still distinct from white when printed in gray


def safe_cell(value):
    """``value`` made safe to open in a spreadsheet: a *string* that starts like a formula
    (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading apostrophe, which
    spreadsheets show as text. Anything that is not a string (numbers, None) comes back
    unchanged, so a rating of -1 stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_labels(labels) -> list:
    return [safe_cell(str(label)) for label in labels]


def _safe_column(column: pd.Series) -> pd.Series:
    """Neutralise a label column through a lookup of its distinct values, so millions of rows
    cost one call per distinct label."""
    distinct = pd.unique(column)
    return column.map(dict(zip(distinct, _safe_labels(distinct))))


def _csv_bytes(frame: pd.DataFrame, index: bool) -> bytes:
    text = frame.to_csv(index=index, na_rep="", lineterminator="\n")
    return text.encode(CSV_ENCODING)


# ----- tables ----------------------------------------------------------------------------
def completed_table(result, lang: str = "en") -> pd.DataFrame:
    """The completed matrix with safe labels, the corner cell named "user" (in ``lang``),
    predictions of the missing cells rounded (observed ratings exact)."""
    r = result.ratings
    grid = np.round(result.predicted, PREDICTION_DECIMALS)
    grid[r.user_idx, r.item_idx] = r.values
    frame = pd.DataFrame(grid, index=pd.Index(_safe_labels(r.users), name=_("user", lang)),
                         columns=pd.Index(_safe_labels(r.items)))
    return frame


def predictions_headers(lang: str = "en") -> dict[str, str]:
    return {"user": _("user", lang), "item": _("item", lang), "rating": _("rating", lang),
            "prediction": _("prediction", lang), "split": _("split", lang)}


def predictions_frame(result, lang: str = "en") -> pd.DataFrame:
    """Every cell as a row: ``user, item, rating, prediction, split`` (rating empty and
    split "missing" where there was no rating), labels made safe; headers and the split's
    words in ``lang``."""
    table = result.predictions_table()
    table["user"] = _safe_column(table["user"])
    table["item"] = _safe_column(table["item"])
    table["prediction"] = table["prediction"].round(PREDICTION_DECIMALS)
    if lang != "en":
        words = {"train": _("train", lang), "validation": _("validation", lang),
                 "missing": _("missing", lang)}
        table["split"] = table["split"].map(words)
        table = table.rename(columns=predictions_headers(lang))
    return table


def top_n_frame(result, n: int = 5, lang: str = "en") -> pd.DataFrame:
    """``user, rank, item, prediction, because`` for every user's ``n`` best unrated items
    (headers and the fixed reasons in ``lang``)."""
    from recsys_core.results.trained_run import because_text

    table = result.top_n(n)
    if lang != "en":
        table["because"] = [because_text(text, lang) for text in table["because"]]
    for column in ("user", "item", "because"):
        table[column] = _safe_column(table[column].astype(str))
    table["prediction"] = table["prediction"].round(PREDICTION_DECIMALS)
    return table if lang == "en" else table.rename(columns=top_n_headers(lang))


# ----- files -----------------------------------------------------------------------------
def completed_csv(result, lang: str = "en") -> bytes:
    """The filled matrix: header ``user, <items...>``, one row per user, input order, every
    cell a number (observed ratings as given, missing cells predicted)."""
    return _csv_bytes(completed_table(result, lang), index=True)


def predictions_csv(result, lang: str = "en") -> bytes:
    """One row per cell, ``user,item,rating,prediction,split``. Note: users x items rows
    (MovieLens: 5.9 million, about 300 MB).

    Written by Arrow's CSV writer from columns made without a row-by-row table (labels as
    dictionary columns, one safe copy per distinct label): 3.1 million rows in about 2 s,
    where pandas took 11-29 s. Headers and the split's words in ``lang``."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    r = result.ratings
    n_users, n_items = r.n_users, r.n_items
    flat = r.user_idx * n_items + r.item_idx
    rating = np.full(n_users * n_items, np.nan)
    rating[flat] = r.values
    split = np.zeros(n_users * n_items, dtype=np.int8)  # 0 missing, 1 train, 2 validation
    split[flat] = np.where(result.is_val, 2, 1)

    def labels(codes: np.ndarray, names) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)),
                                              pa.array(_safe_labels(names), pa.string()))

    table = pa.table({
        "user": labels(np.repeat(np.arange(n_users), n_items), r.users),
        "item": labels(np.tile(np.arange(n_items), n_users), r.items),
        "rating": pa.array(rating, from_pandas=True),  # NaN: an empty field
        "prediction": np.round(result.predicted.reshape(-1), PREDICTION_DECIMALS),
        "split": labels(split, [_("missing", lang), _("train", lang), _("validation", lang)]),
    })
    if lang != "en":
        table = table.rename_columns(list(predictions_headers(lang).values()))
    out = io.BytesIO()
    out.write("\ufeff".encode("utf-8"))  # the BOM Excel looks for (CSV_ENCODING)
    pa_csv.write_csv(table, out, pa_csv.WriteOptions(quoting_style="needed"))
    return out.getvalue()


def top_n_csv(result, n: int = 5, lang: str = "en") -> bytes:
    """The ``n`` recommendations per user, with the "because you liked ..." items."""
    return _csv_bytes(top_n_frame(result, n, lang), index=False)


def summary_json(result) -> bytes:
    """:meth:`FitResult.summary` plus the per-epoch history, as UTF-8 JSON (Korean kept
    readable, not as \\u escapes). NaN and infinity, which JSON has no word for, become null."""
    payload = dict(result.summary())
    payload["history"] = [asdict(report) for report in result.history]
    return json.dumps(_finite(payload), ensure_ascii=False, indent=2,
                      allow_nan=False).encode("utf-8")


def model_file(result) -> bytes:
    """The trained model (``FitResult.model_bytes()``), to load again with ``load_model``.
    Not a spreadsheet file, so labels are stored exactly, not made "safe": a reloaded model
    must know its users and items by their real names."""
    return result.model_bytes()


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


# ----- Excel -----------------------------------------------------------------------------
def workbook_fits(result) -> bool:
    """Whether Excel can open the completed matrix (see ``XLSX_MAX_ROWS``)."""
    r = result.ratings
    return r.n_users <= XLSX_MAX_ROWS and r.n_items <= XLSX_MAX_COLUMNS


def workbook_xlsx(result, n: int = 5, lang: str = "en") -> bytes:
    """An Excel workbook with the sheets ``completed``, ``predictions``, ``top-N``,
    ``summary`` and ``history``.

    In ``completed`` the cells the model filled in are shaded light yellow and italic; the
    rated cells are plain (a note on the top-left cell says so). Numbers are numbers, labels
    are text made safe; sheet names, headers and notes in ``lang``. A matrix of more cells
    than a sheet has rows gets a note in place of the predictions sheet
    (``XLSX_PREDICTION_ROWS``). Raises ValueError when Excel could not open the matrix at all
    (:func:`workbook_fits`); offer the CSV files then.
    """
    r = result.ratings
    if not workbook_fits(result):
        raise ValueError(L_(
            "{users} users x {items} items is more than Excel opens ({most_users} users and "
            "{most_items} items at most); download the CSV files instead",
            users=f"{r.n_users:,}", items=f"{r.n_items:,}", most_users=f"{XLSX_MAX_ROWS:,}",
            most_items=f"{XLSX_MAX_COLUMNS:,}"))
    buffer = io.BytesIO()
    # constant_memory: rows go to disk as they are written, so memory stays small
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "nan_inf_to_errors": True})
    styles = {"header": book.add_format({"bold": True}),
              "predicted": book.add_format({"italic": True, "bg_color": PREDICTED_FILL})}
    sheet = {"completed": p_("sheet", "completed", lang),
             "predictions": p_("sheet", "predictions", lang), "top-N": p_("sheet", "top-N", lang),
             "summary": p_("sheet", "summary", lang), "history": p_("sheet", "history", lang)}
    _completed_sheet(book.add_worksheet(sheet["completed"]), result, styles, lang)
    if r.n_users * r.n_items <= XLSX_PREDICTION_ROWS:
        _table_sheet(book.add_worksheet(sheet["predictions"]), predictions_frame(result, lang),
                     styles)
    else:
        note = _("{cells} cells are more rows than a sheet holds ({rows}): the predictions are "
                 "in the predictions CSV.", lang, cells=f"{r.n_users * r.n_items:,}",
                 rows=f"{XLSX_PREDICTION_ROWS + 1:,}")
        _table_sheet(book.add_worksheet(sheet["predictions"]),
                     pd.DataFrame({_("note", lang): [note]}), styles)
    _table_sheet(book.add_worksheet(sheet["top-N"]), top_n_frame(result, n, lang), styles)
    _table_sheet(book.add_worksheet(sheet["summary"]), _summary_rows(result, lang), styles)
    _table_sheet(book.add_worksheet(sheet["history"]), _history_frame(result, lang), styles)
    book.close()
    return buffer.getvalue()


def _completed_sheet(sheet, result, styles, lang: str = "en") -> None:
    table = completed_table(result, lang)
    observed = result.ratings.observed_mask()
    sheet.write_string(0, 0, _("user", lang), styles["header"])
    # constant_memory keeps only the current row: the note must come before row 2
    sheet.write_comment(0, 0, _("Plain cells: ratings as given. Shaded italic cells were empty; "
                                "their values are the model's predictions.", lang))
    for col, item in enumerate(table.columns, start=1):
        sheet.write_string(0, col, item, styles["header"])
    for row, (user, values) in enumerate(zip(table.index, table.to_numpy()), start=1):
        sheet.write_string(row, 0, user, styles["header"])
        for col, (value, rated) in enumerate(zip(values.tolist(), observed[row - 1]), start=1):
            sheet.write_number(row, col, value, None if rated else styles["predicted"])
    sheet.freeze_panes(1, 1)


def _table_sheet(sheet, frame: pd.DataFrame, styles) -> None:
    """A header row, then the rows: text as text, numbers as numbers, missing as blank.
    Each column's writer is chosen once (not per cell), which halves the time on big sheets."""
    writers = [_column_writer(sheet, frame[name]) for name in frame.columns]
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, str(name), styles["header"])
    columns = [frame[name].tolist() for name in frame.columns]
    for row, values in enumerate(zip(*columns), start=1):
        for col, (write, value) in enumerate(zip(writers, values)):
            if value is not None and value == value:  # NaN != NaN: leave the cell blank
                write(row, col, value)
    sheet.freeze_panes(1, 0)


def _column_writer(sheet, column: pd.Series):
    if pd.api.types.is_bool_dtype(column):
        return sheet.write_boolean
    if pd.api.types.is_numeric_dtype(column):
        return sheet.write_number
    if isinstance(column.dtype, pd.StringDtype):  # text only; object columns may mix types
        return lambda row, col, value: sheet.write_string(row, col, safe_cell(value))
    return lambda row, col, value: _write_value(sheet, row, col, value)


def _write_value(sheet, row: int, col: int, value) -> None:
    """A cell of a mixed column (the summary's values): numbers as numbers, else safe text."""
    if isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, col, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        sheet.write_number(row, col, float(value))
    else:
        sheet.write_string(row, col, str(safe_cell(str(value))))


def _summary_rows(result, lang: str = "en") -> pd.DataFrame:
    """``setting, value`` rows: the run's summary with the two configs spelled out (by their
    names in the code), and a legend for the completed sheet."""
    rows = []
    for key, value in result.summary().items():
        if isinstance(value, dict):
            rows.extend((f"{key}.{name}", _plain(v)) for name, v in value.items())
        else:
            rows.append((key, _plain(value)))
    rows.append((_("completed sheet", lang), _("shaded italic cells were empty and are filled "
                                               "in by the model; plain cells are the ratings as "
                                               "given", lang)))
    return pd.DataFrame(rows, columns=[_("setting", lang), _("value", lang)])


def _plain(value):
    """Lists and tuples (the scale, hidden layer sizes) as text like "1, 5"; the rest as is."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _history_frame(result, lang: str = "en") -> pd.DataFrame:
    columns = ["epoch", "train_loss", "train_rmse", "val_rmse", "seconds"]
    frame = pd.DataFrame([asdict(report) for report in result.history], columns=columns)
    if lang == "en":
        return frame
    return frame.set_axis([_("epoch", lang), _("train loss", lang), _("train RMSE", lang),
                           _("validation RMSE", lang), _("seconds", lang)], axis=1)


# ----- top-N for every user ----------------------------------------------------------------
USER_SHEETS = 250
"""Users who get a sheet of their own in :func:`top_n_workbook`; beyond this many, the list
sheet holds everyone and the about sheet says so (a workbook of 610 tabs helps no one)."""
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(label: str, taken: set[str]) -> str:
    """An Excel sheet name for ``label``: without the characters Excel refuses, at most 31
    characters, not starting or ending with an apostrophe, unique (case-insensitively) in
    ``taken``, which it is added to."""
    base = _SHEET_FORBIDDEN.sub("_", str(label)).strip().strip("'") or "_"
    base = base[:31]
    name, k = base, 2
    while name.lower() in taken or name.lower() == "history":  # "History" is reserved
        suffix = f" ({k})"
        name = base[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(name.lower())
    return name


def top_n_workbook(result, n: int = 5, lang: str = "en") -> bytes:
    """Every user's ``n`` recommendations in one Excel workbook, one sheet per view: the list
    of all users (``user, rank, item, prediction, because``), then one sheet per user
    (``rank, item, prediction, because``; the first ``USER_SHEETS`` users), then "about".
    Headers and sheet names in ``lang``; labels exactly as given, made formula-safe."""
    from recsys_core.results.trained_run import because_text

    table = result.top_n(n)
    table["because"] = [because_text(text, lang) for text in table["because"]]
    for column in ("user", "item", "because"):
        table[column] = table[column].astype(str)
    table["prediction"] = table["prediction"].round(PREDICTION_DECIMALS)
    headers = top_n_headers(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "nan_inf_to_errors": True})
    styles = {"header": book.add_format({"bold": True})}
    taken: set[str] = set()
    all_name = sheet_name(_("all users", lang), taken)
    about_name = _("about", lang)
    taken.add(about_name.lower())
    text_columns = ["user", "item", "because"]
    _text_sheet(book.add_worksheet(all_name), table.rename(columns=headers),
                [headers[c] for c in text_columns], styles, widths=[18, 6, 28, 12, 40])
    users = list(dict.fromkeys(table["user"]))
    shown = users[:USER_SHEETS]
    per_user = table.drop(columns="user").rename(columns=headers)
    for user in shown:
        part = per_user[table["user"].to_numpy() == user]
        _text_sheet(book.add_worksheet(sheet_name(user, taken)), part,
                    [headers["item"], headers["because"]], styles, widths=[6, 28, 12, 40])
    r = result.ratings
    m = result.metrics()
    sheets = (_("'{all}': every user's list; then one sheet per user", lang, all=all_name)
              if len(users) <= USER_SHEETS else
              _("'{all}': every user's list; then one sheet for each of the first {shown} of {total} users "
                "(the rest are on '{all}')", lang, all=all_name, shown=len(shown), total=len(users)))
    about = pd.DataFrame([
        (_("what this is", lang), _("The {n} unrated items each user is predicted to like most, "
                                    "with the rated items that make the model think so "
                                    "(\"because\").", lang, n=n)),
        (_("sheets", lang), sheets),
        (_("model", lang), result.model_name),
        (_("data", lang), f"{r.n_users:,} x {r.n_items:,}, {r.n_ratings:,}"),
        (_("validation RMSE", lang), "-" if m["val_rmse"] is None else f"{m['val_rmse']:.4f}"),
    ], columns=[_("setting", lang), _("value", lang)])
    _text_sheet(book.add_worksheet(sheet_name(about_name, set())), about,
                list(about.columns), styles, widths=[18, 90])
    book.close()
    return buffer.getvalue()


def top_n_headers(lang: str = "en") -> dict[str, str]:
    """The top-N table's column names in ``lang``."""
    return {"user": _("user", lang), "rank": _("rank", lang), "item": _("item", lang),
            "prediction": p_("workbook column", "prediction", lang),
            "because": _("because", lang)}


def _text_sheet(sheet, frame: pd.DataFrame, text_columns: list[str], styles,
                widths: list[int]) -> None:
    """A header row and the rows; the ``text_columns`` are written as safe text, the rest as
    numbers. Column widths so that a person can read it without resizing."""
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, str(name), styles["header"])
        if col < len(widths):
            sheet.set_column(col, col, widths[col])
    is_text = [name in text_columns for name in frame.columns]
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for col, (value, text) in enumerate(zip(values, is_text)):
            if text:
                sheet.write_string(row, col, str(safe_cell(str(value))))
            elif value is not None and value == value:
                sheet.write_number(row, col, float(value))
    sheet.freeze_panes(1, 0)
