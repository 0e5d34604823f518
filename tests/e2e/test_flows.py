"""What a person clicks through, in a real headless Chromium: train on the course matrix and
read the heatmap, download the filled matrix, upload and edit data, stop a long training."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from tests.e2e.conftest import ARTIFACTS, nav, set_number, train, wait_idle

pytestmark = pytest.mark.e2e


def plotly_data(page, key: str) -> dict:
    """The figure a Streamlit plotly chart holds (plotly keeps it on its div)."""
    selector = f".st-key-{key} .js-plotly-plot"
    page.wait_for_selector(selector)
    return page.evaluate(
        """(sel) => { const el = document.querySelector(sel);
             return {meta: el.layout.meta || {},
                     shapes: (el.layout.shapes || []).map(s => ({name: s.name, path: s.path})),
                     drawn_shapes: el.querySelectorAll('.shapelayer path').length,
                     traces: el._fullData.map(t => ({name: t.name, type: t.type,
                                                     n: t._length ?? (t.x || []).length,
                                                     x: Array.from(t.x || []),
                                                     y: Array.from(t.y || [])}))}; }""",
        selector)


def download(page, key: str) -> bytes:
    with page.expect_download() as info:
        page.click(f".st-key-{key} button")
    return open(info.value.path(), "rb").read()


def test_course_matrix_mf_heatmap_and_download(page):
    page.open("train")
    assert "solo.csv" in page.inner_text("[data-testid='stMain']")
    train(page)
    nav(page, "results")
    figure = plotly_data(page, "heatmap")
    assert figure["meta"]["n_cells"] == 72 and figure["meta"]["n_predicted"] == 9
    marks = [s for s in figure["shapes"] if s["name"] == "predicted"]  # one path of triangles
    assert len(marks) == 1 and marks[0]["path"].count("Z") == 9 and figure["drawn_shapes"] >= 1
    csv = download(page, "download_completed_csv")
    completed = pd.read_csv(io.BytesIO(csv), index_col=0, encoding="utf-8-sig")
    assert completed.shape == (9, 8) and completed.notna().all().all()
    assert completed.index[0] == "옥순(IN)"


def test_korean_labels_render_on_the_heatmap_and_embedding_map(page):
    page.open("train")
    train(page)
    nav(page, "results")
    page.wait_for_selector(".st-key-heatmap .js-plotly-plot text")
    heatmap_text = page.inner_text(".st-key-heatmap")
    assert "옥순(IN)" in heatmap_text and "다호(ES)" in heatmap_text
    page.locator(".st-key-embedding_map").scroll_into_view_if_needed()
    page.wait_for_selector(".st-key-embedding_map .js-plotly-plot")
    assert "하니(I)" in page.inner_text(".st-key-embedding_map")
    page.locator(".st-key-heatmap").screenshot(path=str(ARTIFACTS / "heatmap_korean.png"))


LONG_CSV = "\n".join(
    ["user,item,rating"]
    + [f"{u},{i},{4.5 if (u in '가나다') == (i in 'ABC') else 1.0}"
       for u in "가나다라마바" for i in "ABCDEF" if (u, i) not in {("가", "F"), ("라", "A")}]
)


def edit_cell(page, row: int, col: int, value: str) -> None:
    """Type into the editable grid: click its first data cell, move with the arrow keys."""
    grid = page.locator(".st-key-editor [data-testid='stDataFrameResizable']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 70, box["y"] + 35 + 17)  # label column (after the row
    # markers), first data row
    page.wait_for_timeout(300)  # the grid takes the focus before the keys (a loaded machine)
    for key in ["ArrowRight"] * col + ["ArrowDown"] * row:
        page.keyboard.press(key)
        page.wait_for_timeout(100)
    page.keyboard.press("Enter")  # open the cell's editor
    page.wait_for_timeout(300)
    page.keyboard.press("Control+a")
    page.keyboard.type(value)
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_idle(page)


def prediction_of(page, user: str, item: str) -> float:
    """The predictions CSV's value for one cell. Its columns are user, item, rating,
    prediction, split, headed in the session's language (the page is Korean): read by place."""
    table = pd.read_csv(io.BytesIO(download(page, "download_predictions_csv")),
                        encoding="utf-8-sig", dtype=str)
    table.columns = ["user", "item", "rating", "prediction", "split"]
    row = table[(table["user"] == user) & (table["item"] == item)]
    return float(row["prediction"].iloc[0])


def test_upload_long_csv_edit_a_cell_retrain_and_the_prediction_moves(page, tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text(LONG_CSV, encoding="utf-8")
    page.open("data")
    page.locator("[data-testid='stTab']").nth(1).click()  # the upload tab
    page.set_input_files(".st-key-upload input[type='file']", str(path))
    page.wait_for_selector(".st-key-accept_upload button")
    wait_idle(page)
    page.click(".st-key-accept_upload button")
    page.wait_for_timeout(300)
    wait_idle(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "ratings.csv" in main and "34" in main  # 6 x 6 minus two missing cells
    nav(page, "train")
    train(page)
    nav(page, "results")
    before = prediction_of(page, "가", "A")
    assert before > 3.5  # learned from the rating 4.5
    nav(page, "data")
    edit_cell(page, row=0, col=1, value="1")  # 가 x A: 4.5 -> 1 (the bottom of its scale)
    nav(page, "train")
    train(page)
    nav(page, "results")
    after = prediction_of(page, "가", "A")
    assert after < before - 0.5, (before, after)


def test_stop_during_long_training_keeps_a_partial_run_on_compare(page):
    page.open("train")
    set_number(page, "tc-mf-epochs", "100000")
    page.click(".st-key-train button")
    page.wait_for_selector(".st-key-loss_chart .js-plotly-plot", timeout=30_000)
    page.wait_for_timeout(1500)
    page.click(".st-key-stop button")
    wait_idle(page, timeout=30_000)
    nav(page, "compare")
    # the partial run is listed (the run picker of the Delete section shows it)
    assert page.input_value(".st-key-delete_run input[role='combobox']").startswith("#1")
    nav(page, "results")
    status = page.inner_text("[data-testid='stMain']")
    epochs = int(re.search(r"(\d[\d,]*) ?(epoch|에폭)", status).group(1).replace(",", ""))
    assert 0 < epochs < 100_000
    assert "stopped" in status.lower() or "중단" in status


@pytest.mark.parametrize("width", [1280, 800])
def test_every_page_draws_without_an_error_at_projector_and_laptop_widths(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.open("train")
    train(page)
    for name in ("data", "train", "results", "compare", "guide"):
        nav(page, name)
        page.wait_for_timeout(500)
        assert page.locator("[data-testid='stException']").count() == 0, name
        assert page.locator("[data-testid='stMain'] h1").count() >= 1, name
        page.screenshot(path=str(ARTIFACTS / f"page_{name}_{width}.png"), full_page=True)
