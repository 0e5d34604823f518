"""Downloads: they read back to the same numbers, Korean survives, formulas never run."""

import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import torch

from recsys_core.data.ratings import Ratings
from recsys_core.results import export
from recsys_core.results.export import safe_cell
from recsys_core.results.trained_run import load_model
from recsys_core.training.trainer import TrainConfig, fit
from tests.tolerance import assert_float32_close

SOLO = Path(__file__).resolve().parent.parent / "data" / "solo.csv"
FORMULA_USER = '=HYPERLINK("http://evil.example","click")'
FORMULA_ITEM = "@SUM(A1:A9)"


@pytest.fixture(scope="module")
def solo_fit():
    """The course's 9 x 8 matrix (Korean labels, 9 empty cells)."""
    ratings = Ratings.from_matrix(pd.read_csv(SOLO, index_col=0), scale=(0, 5))
    return fit(ratings, "mf", train=TrainConfig(epochs=20))


@pytest.fixture(scope="module")
def hostile_fit():
    """Labels that spreadsheets would run as formulas, and negative ratings that must stay
    numbers."""
    frame = pd.DataFrame([[-3.0, None, 2.0], [1.5, -1.0, None], [4.0, 0.0, -2.5]],
                         index=[FORMULA_USER, "옥순(IN)", "-5"],
                         columns=[FORMULA_ITEM, "+1", "\tcmd"])
    return fit(Ratings.from_matrix(frame, scale=(-5, 5)), "mf", train=TrainConfig(epochs=5))


def read_csv(data: bytes, **kwargs) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False,
                       na_values=[""], **kwargs)


# ----- safe_cell -------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=옥순"])
def test_formula_like_strings_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["옥순(IN)", "user 1", "", "3-2", "a=b", "'quoted"])
def test_plain_strings_pass_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-1, -1.5, 0, 3.25, np.float64(-2.0), None])
def test_numbers_are_never_touched(value):
    assert safe_cell(value) is value


# ----- completed matrix CSV --------------------------------------------------------------
def test_completed_csv_reads_back_to_the_filled_matrix(solo_fit):
    data = export.completed_csv(solo_fit)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to see UTF-8
    frame = read_csv(data, index_col=0)
    r = solo_fit.ratings
    assert frame.index.name == "user"
    assert list(frame.index) == r.users and list(frame.columns) == r.items  # Korean, input order
    grid = frame.to_numpy()
    assert grid.shape == (9, 8) and not np.isnan(grid).any()
    rated = r.observed_mask()
    assert np.array_equal(grid[rated], solo_fit.completed_matrix().to_numpy()[rated])  # exact
    # one path: the predictions, written rounded to 6 decimals (PREDICTION_DECIMALS)
    assert np.allclose(grid[~rated], solo_fit.predicted[~rated], rtol=0, atol=5.1e-7)
    assert frame.loc["옥순(IN)", "영철(IN)"] == 4.02


def test_completed_csv_neutralises_labels_but_not_numbers(hostile_fit):
    data = export.completed_csv(hostile_fit)
    frame = read_csv(data, index_col=0)
    assert list(frame.index) == ["'" + FORMULA_USER, "옥순(IN)", "'-5"]
    assert list(frame.columns) == ["'" + FORMULA_ITEM, "'+1", "'\tcmd"]
    assert frame.iloc[0, 0] == -3.0 and frame.iloc[2, 2] == -2.5  # negative ratings: numbers
    text = data.decode("utf-8-sig")
    assert "'-3" not in text and "'-2.5" not in text


# ----- predictions and top-N CSV ---------------------------------------------------------
def test_predictions_csv_has_a_row_per_cell(solo_fit):
    frame = read_csv(export.predictions_csv(solo_fit))
    assert list(frame.columns) == ["user", "item", "rating", "prediction", "split"]
    assert len(frame) == 72
    assert frame["rating"].isna().sum() == 9
    assert set(frame["split"]) == {"train", "validation", "missing"}
    assert (frame.loc[frame["rating"].isna(), "split"] == "missing").all()
    first = frame.iloc[1]
    assert (first["user"], first["item"], first["rating"]) == ("옥순(IN)", "영철(IN)", 4.02)
    assert np.allclose(frame["prediction"], solo_fit.predicted.ravel(), rtol=0, atol=5.1e-7)  # 6 decimals


def test_predictions_csv_neutralises_labels(hostile_fit):
    frame = read_csv(export.predictions_csv(hostile_fit))
    assert set(frame["user"]) == {"'" + FORMULA_USER, "옥순(IN)", "'-5"}
    assert set(frame["item"]) == {"'" + FORMULA_ITEM, "'+1", "'\tcmd"}
    assert sorted(frame["rating"].dropna()) == sorted(hostile_fit.ratings.values)


def test_top_n_csv(solo_fit, hostile_fit):
    frame = read_csv(export.top_n_csv(solo_fit, n=3))
    assert list(frame.columns) == ["user", "rank", "item", "prediction", "because"]
    assert len(frame) == 9  # every user has 1 or 2 unrated items, all listed
    assert set(frame["user"]) == set(solo_fit.ratings.users) - {"서연(ES)"}  # 서연 rated all
    hostile = read_csv(export.top_n_csv(hostile_fit))
    for column in ("user", "item", "because"):
        assert not hostile[column].str.startswith(("=", "+", "-", "@", "\t")).any()


# ----- Excel -----------------------------------------------------------------------------
def test_workbook_sheets_numbers_and_fills(solo_fit):
    book = openpyxl.load_workbook(io.BytesIO(export.workbook_xlsx(solo_fit)))
    assert book.sheetnames == ["completed", "predictions", "top-N", "summary", "history"]
    sheet = book["completed"]
    assert sheet["A1"].value == "user" and sheet["B1"].value == "영식(IN)"
    assert sheet["A2"].value == "옥순(IN)"
    assert sheet["C2"].value == 4.02 and isinstance(sheet["C2"].value, float)
    filled, rated = sheet["B2"], sheet["C2"]  # 옥순 gave 영식 no rating, 영철 a 4.02
    assert filled.fill.fgColor.rgb.endswith(export.PREDICTED_FILL.lstrip("#"))
    assert filled.font.i and not rated.font.i
    assert rated.fill.fill_type is None
    assert sheet["A1"].comment is not None
    shaded = sum(1 for row in sheet.iter_rows(min_row=2, min_col=2) for c in row
                 if c.fill.fill_type == "solid")
    assert shaded == 9


def test_workbook_reads_back_with_pandas(solo_fit):
    data = export.workbook_xlsx(solo_fit, n=2)
    completed = pd.read_excel(io.BytesIO(data), sheet_name="completed", index_col=0)
    assert np.allclose(completed.to_numpy(), solo_fit.completed_matrix().to_numpy(),  # 6 decimals
                       rtol=0, atol=5.1e-7)
    predictions = pd.read_excel(io.BytesIO(data), sheet_name="predictions")
    assert len(predictions) == 72 and predictions["rating"].isna().sum() == 9
    summary = pd.read_excel(io.BytesIO(data), sheet_name="summary", index_col=0)["value"]
    assert summary["model"] == "mf" and int(summary["n_ratings"]) == 63
    history = pd.read_excel(io.BytesIO(data), sheet_name="history")
    assert list(history["epoch"]) == list(range(1, 21))


def test_workbook_neutralises_labels_and_keeps_numbers(hostile_fit):
    book = openpyxl.load_workbook(io.BytesIO(export.workbook_xlsx(hostile_fit)))
    completed = book["completed"]
    assert completed["A2"].value == "'" + FORMULA_USER
    assert completed["B1"].value == "'" + FORMULA_ITEM
    assert completed["A4"].value == "'-5"
    assert completed["B2"].value == -3 and completed["D4"].value == -2.5
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_workbook_refuses_only_what_excel_cannot_open(solo_fit, monkeypatch):
    assert export.workbook_fits(solo_fit)
    assert export.XLSX_MAX_ROWS == 1_048_575 and export.XLSX_MAX_COLUMNS == 16_383  # Excel's
    monkeypatch.setattr(export, "XLSX_MAX_COLUMNS", 5)  # the course matrix has 8 items
    assert not export.workbook_fits(solo_fit)
    with pytest.raises(ValueError, match="CSV"):
        export.workbook_xlsx(solo_fit)


def test_a_matrix_of_more_cells_than_a_sheet_has_rows_still_gets_its_workbook(solo_fit,
                                                                               monkeypatch):
    """Issue 13: 1,508 x 2,071 was refused, though Excel opens 1,048,576 x 16,384; only the
    predictions sheet (a row per cell) cannot hold 3.1 million rows."""
    monkeypatch.setattr(export, "XLSX_PREDICTION_ROWS", 50)  # 72 cells
    book = openpyxl.load_workbook(io.BytesIO(export.workbook_xlsx(solo_fit)))
    assert book["completed"].max_row == 10 and book["completed"].max_column == 9
    note = book["predictions"]["A2"].value
    assert "72 cells" in note and "predictions CSV" in note


def test_predictions_csv_is_the_predictions_table_and_quick(solo_fit, hostile_fit):
    """Written by Arrow from columns (issue 13: 83 MB took 10.8 s through pandas); the content
    is exactly the table, labels made safe, empty ratings empty."""
    for result in (solo_fit, hostile_fit):
        data = export.predictions_csv(result)
        assert data.startswith(b"\xef\xbb\xbf")
        back = read_csv(data)
        expected = export.predictions_frame(result)
        assert list(back.columns) == list(expected.columns)
        for column in ("user", "item", "split"):
            assert back[column].astype(str).tolist() == expected[column].astype(str).tolist()
        np.testing.assert_array_equal(back["rating"].to_numpy(), expected["rating"].to_numpy())
        np.testing.assert_array_equal(back["prediction"].to_numpy(),
                                      expected["prediction"].to_numpy())  # same 6 decimals


# ----- JSON and model --------------------------------------------------------------------
def test_summary_json(solo_fit):
    data = export.summary_json(solo_fit)
    payload = json.loads(data.decode("utf-8"))
    assert payload["model"] == "mf" and payload["n_ratings"] == 63
    assert len(payload["history"]) == 20
    assert payload["history"][-1]["epoch"] == 20
    assert payload["val_rmse"] == solo_fit.metrics()["val_rmse"]  # the same number, written


def test_summary_json_turns_nan_into_null(solo_fit):
    broken = fit(solo_fit.ratings, "mf", train=TrainConfig(epochs=2))
    broken.history[0] = type(broken.history[0])(1, float("nan"), float("inf"), None, 0.0)
    payload = json.loads(export.summary_json(broken))
    assert payload["history"][0]["train_loss"] is None
    assert payload["history"][0]["train_rmse"] is None


def test_model_file_loads_back(solo_fit):
    model, payload = load_model(export.model_file(solo_fit))
    assert payload["users"] == solo_fit.ratings.users  # real names, not spreadsheet-safe ones
    first_cell = model(torch.tensor([0]), torch.tensor([0])).item()
    # one cell through the model against the whole matrix at once (MF: one product)
    assert_float32_close(first_cell, solo_fit.predicted[0, 0])
