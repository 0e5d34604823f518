"""A few files of the bad-input corpus uploaded for real (tests/data/bad/), in headless Chromium:
a refused file changes nothing, a file over the limit is stopped before it is sent, hostile
labels and file names stay text everywhere (no script runs), a cold-start matrix is explained
on Results, and a model file comes back in as weights only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import BAD, write_big
from tests.e2e.conftest import assert_no_exception, nav, run_options, train, wait_idle

pytestmark = pytest.mark.e2e


def upload(page, path, name: str | None = None) -> None:
    """Choose ``path`` in the Data page's uploader (under the name ``name``)."""
    nav(page, "data")
    page.locator("[data-testid='stTab']").nth(1).click()
    target = ".st-key-upload input[type='file']"
    if name is None:
        page.set_input_files(target, str(path))
    else:
        page.set_input_files(target, files=[{"name": name, "mimeType": "text/csv",
                                             "buffer": path.read_bytes()}])
    page.wait_for_timeout(800)
    wait_idle(page, timeout=60_000)


def accept(page) -> None:
    page.click(".st-key-accept_upload button")
    page.wait_for_timeout(500)
    wait_idle(page, timeout=60_000)


def users(page) -> str:
    return page.locator("[data-testid='stMetricValue']").first.inner_text()


def no_script_ran(page) -> None:
    assert page.evaluate("() => window.__xss === undefined"), "a label ran as a script"
    assert page.locator("img[src='x']").count() == 0


def test_a_png_renamed_csv_is_refused_in_words_and_changes_nothing(en):
    en.open("train")
    train(en)
    upload(en, BAD / "png_renamed.csv")
    errors = " ".join(en.locator("[data-testid='stAlertContentError']").all_inner_texts())
    assert "PNG" in errors, errors
    assert en.locator(".st-key-accept_upload").count() == 0
    assert users(en) == "9"
    assert len(run_options(en)) == 1  # the run is still there
    assert_no_exception(en)


def test_a_60_mb_file_is_stopped_before_it_reaches_the_app(en, tmp_path):
    en.open("data")
    upload(en, write_big(tmp_path / "big_60mb.csv"))
    area = en.inner_text(".st-key-upload")
    assert "50" in area and "MB" in area, area  # Streamlit's own words: the limit
    assert en.locator(".st-key-accept_upload").count() == 0
    assert users(en) == "9"
    assert_no_exception(en)


def test_hostile_labels_and_file_name_stay_text_everywhere(en):
    name = "<img src=x onerror=window.__xss=5> **name**.csv"
    en.open("data")
    upload(en, BAD / "xss_markdown_labels.csv", name=name)
    accept(en)
    assert users(en) == "5"
    assert name in en.inner_text("[data-testid='stMain']")  # shown as it is, not as markup
    warning = " ".join(en.locator("[data-testid='stAlertContentWarning']").all_inner_texts())
    assert "<img src=x onerror=window.__xss=4> **cold**" in warning  # the cold user, verbatim
    no_script_ran(en)
    nav(en, "train")
    train(en)
    for page_name in ("results", "compare", "train", "data"):
        nav(en, page_name)
        en.wait_for_timeout(500)
        no_script_ran(en)
        assert_no_exception(en)
    nav(en, "results")
    en.wait_for_selector(".st-key-heatmap .xtick text")
    ticks = en.locator(".st-key-heatmap .xtick text").all_text_contents()
    assert any(t.startswith("<script>") for t in ticks), ticks  # drawn as the characters
    assert en.locator(".st-key-cold_start_note").count() == 1


def test_a_cold_start_matrix_is_explained_on_results(en):
    en.open("data")
    upload(en, BAD / "cold_start.csv")
    accept(en)
    nav(en, "train")
    train(en)
    nav(en, "results")
    note = en.inner_text(".st-key-cold_start_note")
    assert "하니" in note and "광수" in note and "bias" in note, note


def test_a_saved_model_comes_back_and_anything_else_is_refused(en, tmp_path):
    en.open("train")
    train(en)
    nav(en, "results")
    with en.expect_download() as info:
        en.click(".st-key-download_model button")
    model = tmp_path / "model.pt"
    model.write_bytes(Path(info.value.path()).read_bytes())
    junk = tmp_path / "junk.pt"
    junk.write_bytes((BAD / "png_renamed.csv").read_bytes())

    expander = en.locator("[data-testid='stExpander']", has=en.locator(".st-key-model_upload"))
    expander.locator("summary").click()
    en.set_input_files(".st-key-model_upload input[type='file']", str(junk))
    en.wait_for_timeout(800)
    wait_idle(en)
    errors = " ".join(en.locator("[data-testid='stAlertContentError']").all_inner_texts())
    assert "junk.pt" in errors and "not a model" in errors, errors
    assert len(run_options(en)) == 1

    nav(en, "results")
    expander = en.locator("[data-testid='stExpander']", has=en.locator(".st-key-model_upload"))
    if en.locator(".st-key-model_upload input[type='file']").is_hidden():
        expander.locator("summary").click()
    en.set_input_files(".st-key-model_upload input[type='file']", str(model))
    en.wait_for_timeout(800)
    wait_idle(en)
    assert "model.pt" in en.inner_text("[data-testid='stMain']")
    en.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    options = run_options(en)
    assert len(options) == 2 and "#2" in options[1]
    assert_no_exception(en)
