"""A ranking run's top-N as files a spreadsheet opens: CSV and an Excel workbook.

The same table as the Results page (each user's best items they have not interacted with,
the "because" beside each), headers in the session's language, labels exactly as given and
made formula-safe (:func:`recsys_core.results.export.safe_cell`).
"""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from recsys_core.i18n import _, p_
from recsys_core.results.export import PREDICTION_DECIMALS, _csv_bytes, _safe_column, _text_sheet

TEXT_COLUMNS = ("user", "item", "because")


def top_n_headers(lang: str = "en") -> dict[str, str]:
    return {"user": _("user", lang), "rank": _("rank", lang), "item": _("item", lang),
            "score": _("score", lang), "because": _("because", lang)}


def top_n_table(result, n: int, lang: str = "en") -> pd.DataFrame:
    """``user, rank, item, score, because`` for every user, headers in ``lang``."""
    table = result.top_n(n)[list(top_n_headers())]
    table["score"] = table["score"].round(PREDICTION_DECIMALS)
    return table.rename(columns=top_n_headers(lang))


def top_n_csv(result, n: int, lang: str = "en") -> bytes:
    table = top_n_table(result, n, lang)
    headers = top_n_headers(lang)
    for column in TEXT_COLUMNS:
        table[headers[column]] = _safe_column(table[headers[column]].astype(str))
    return _csv_bytes(table, index=False)


def top_n_xlsx(result, n: int, lang: str = "en") -> bytes:
    """One sheet, every user's list."""
    table = top_n_table(result, n, lang)
    headers = top_n_headers(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "nan_inf_to_errors": True})
    styles = {"header": book.add_format({"bold": True})}
    _text_sheet(book.add_worksheet(p_("sheet", "top-N", lang)), table,
                [headers[c] for c in TEXT_COLUMNS], styles, widths=[18, 6, 28, 12, 40])
    book.close()
    return buffer.getvalue()
