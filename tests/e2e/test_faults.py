"""Faults during work, in a real headless Chromium (issue 5): divergence, Stop in mid-epoch,
a page switch while training, a second Train click, a browser reload; and two browsers at
once never see each other's data or runs.

The pages are opened in English (``locale="en-US"``); checks rely on element keys and numbers
rather than on words wherever they can.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import (
    assert_no_exception,
    nav,
    open_picker,
    run_options,
    set_number,
    train,
    wait_idle,
)

pytestmark = pytest.mark.e2e
LONG = "100000"  # epochs: on the course matrix far longer than any test waits


def click_train(page) -> None:
    page.click(".st-key-train button")
    page.wait_for_selector(".st-key-loss_chart .js-plotly-plot")


def training_started(page) -> None:
    """Wait until the progress bar reports at least one epoch done (MovieLens in batches of
    16 is seconds an epoch; on a loaded machine it took over 30 s in CI, 2026-12-02)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stProgress']")]
                   .some(p => /[1-9][0-9]* of/.test(p.innerText))""", timeout=120_000)


def choose(page, key: str, index: int) -> None:
    open_picker(page, key).nth(index).click()
    page.wait_for_timeout(300)
    wait_idle(page, timeout=120_000)


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def users_shown(page) -> str:
    """The Data page's user count (read from the metric labelled so, once the page is drawn:
    the first metric of a page still drawing may be another)."""
    nav(page, "data")
    wait_idle(page)
    metric = page.locator("[data-testid='stMetric']", has_text="Users").first
    return metric.locator("[data-testid='stMetricValue']").inner_text()


# ----- divergence ----------------------------------------------------------------------------
def test_divergence_stops_with_words_and_keeps_the_earlier_run(en):
    en.open("train")
    train(en)  # run #1: the course matrix, suggested settings
    set_number(en, "tc-mf-lr", "100")
    train(en)  # run #2: learning rate 100
    en.wait_for_selector("[data-testid='stAlertContentError']")
    wait_idle(en)
    errors = en.locator("[data-testid='stAlertContentError']").all_inner_texts()
    message = " ".join(errors)
    assert re.search(r"diverged|발산", message), errors
    assert "100" in message  # names the learning rate that was too large
    assert_no_exception(en)
    options = run_options(en)
    assert len(options) == 2 and "#1" in options[0] and "#2" in options[1]
    nav(en, "results")  # the earlier run is whole: its heatmap is there
    en.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    assert_no_exception(en)


# ----- Stop in mid-epoch ---------------------------------------------------------------------
def test_stop_in_mid_epoch_ends_within_seconds_and_keeps_the_run(en):
    en.open("data")
    choose(en, "sample", 3)  # MovieLens latest-small
    nav(en, "train")
    batch = en.locator("[data-testid='stExpander']", has=en.locator(".st-key-tc-mf-batch_size"))
    batch.locator("summary").click()
    set_number(en, "tc-mf-batch_size", "16")  # about 6,300 updates an epoch: seconds long
    set_number(en, "tc-mf-epochs", "3")
    click_train(en)
    training_started(en)  # epoch 1 is done, epoch 2 has begun
    en.wait_for_timeout(800)
    progress = en.locator("[data-testid='stProgress']").first.inner_text()
    assert re.search(r"\b1 of 3", progress), progress  # in the middle of epoch 2
    clicked = time.perf_counter()
    en.click(".st-key-stop button")
    wait_idle(en, timeout=30_000)
    stopped_in = time.perf_counter() - clicked
    assert stopped_in < 5, stopped_in  # the loop checks for a click every fraction of a second
    assert_no_exception(en)
    options = run_options(en)
    assert len(options) == 1 and "#1" in options[0]
    nav(en, "results")
    en.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    status = main_text(en).splitlines()
    line = next(x for x in status if "epoch(s)" in x)
    # epoch 1 is kept, and epoch 2's batches up to the Stop (the trainer reports that part
    # as a last, partial epoch: the model holds its updates)
    assert "stopped" in line and re.search(r"· [12] epoch\(s\)", line), line


# ----- page switch while training ------------------------------------------------------------
def test_switching_pages_mid_training_keeps_the_run_and_the_app_usable(en):
    en.open("train")
    set_number(en, "tc-mf-epochs", LONG)
    click_train(en)
    training_started(en)
    nav(en, "compare")  # leaves the training behind
    options = run_options(en)
    assert len(options) == 1 and "#1" in options[0]
    assert_no_exception(en)
    nav(en, "results")
    en.wait_for_selector(".st-key-heatmap .js-plotly-plot")  # the partial model, readable
    nav(en, "train")
    set_number(en, "tc-mf-epochs", "50")
    train(en)  # the app trains again at once: nothing changed, so it goes on with run #1
    assert "#1 MF went on from epoch" in main_text(en)
    assert len(run_options(en)) == 1
    assert_no_exception(en)


# ----- a second Train click ------------------------------------------------------------------
def test_a_second_train_click_stops_the_loop_and_goes_on_with_the_same_run(en):
    en.open("train")
    set_number(en, "tc-mf-epochs", LONG)
    click_train(en)
    training_started(en)
    en.click(".st-key-train button")  # again, while the first one runs
    en.wait_for_timeout(1500)
    en.click(".st-key-stop button")
    wait_idle(en, timeout=30_000)
    assert_no_exception(en)
    # one training at a time: the first loop was stopped and kept, and the second click,
    # with nothing changed, went on with the same run (never two loops on one model)
    assert "#1 MF went on from epoch" in main_text(en)
    options = run_options(en)
    assert len(options) == 1 and "#1" in options[0], options
    nav(en, "results")
    en.wait_for_selector(".st-key-heatmap .js-plotly-plot")


# ----- reload --------------------------------------------------------------------------------
def test_a_reload_starts_a_new_session_and_the_app_says_so(en):
    en.open("train")
    set_number(en, "tc-mf-epochs", "20")
    train(en)
    assert len(run_options(en)) == 1
    en.reload()
    en.wait_for_selector("[data-testid='stApp']")
    wait_idle(en)
    assert run_options(en) == []  # a new session: no runs
    assert users_shown(en) == "9"  # on the course matrix again
    note = en.inner_text(".st-key-session_note")
    assert "reload" in note.lower() and "download" in note.lower(), note
    assert_no_exception(en)


# ----- two browsers at once ------------------------------------------------------------------
def test_two_browsers_never_see_each_others_data_or_runs(new_page):
    a, b = (new_page("en-US", height=900, timeout=30_000) for _ in range(2))
    a.open("data")
    choose(a, "sample", 2)  # the coffee/tea matrix, 100 x 20
    assert a.locator("[data-testid='stMetricValue']").first.inner_text() == "100"
    b.open("train")
    nav(a, "train")
    for page in (a, b):  # both train at the same time
        page.click(".st-key-train button")
    for page in (a, b):
        page.wait_for_timeout(500)
        wait_idle(page, timeout=120_000)
    set_number(b, "tc-mf-lr", "0.05")
    train(b)  # a setting changed: a new run, so b has two runs, a has one
    runs_a, runs_b = run_options(a), run_options(b)
    assert len(runs_a) == 1 and len(runs_b) == 2
    assert users_shown(a) == "100" and users_shown(b) == "9"
    nav(a, "results")
    nav(b, "results")
    assert "coffee" in main_text(a).lower() or "커피" in main_text(a)
    assert "solo" in main_text(b).lower()
    for page in (a, b):
        assert_no_exception(page)
