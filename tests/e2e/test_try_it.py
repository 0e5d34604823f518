"""Try it yourself in a real browser (issue 15): rate five items of the course matrix on
Results, see your own top-N at once, retrain with yourself added; README screenshots in
English and Korean (``docs/screenshots/tryit_*.png``)."""

from __future__ import annotations

import pytest

from tests.e2e import conftest as e2e
from ui.try_it import ITEMS, rating_key

pytestmark = pytest.mark.e2e

FIVE = {"영식(IN)": "5", "영철(IN)": "4.5", "광수(IS)": "1", "영호(IS)": "1.5", "상철(EN)": "4"}
NOT_RATED = {"영수(EN)", "규빈(ES)", "다호(ES)"}
WORDS = {"en": {"top": "Your top 5", "sure": "Based on your 5 ratings", "same": "Same items"},
         "ko": {"top": "나의 상위 5개", "sure": "내 평점 5개", "same": "두 상위"}}
CELLS = e2e.GRID_CELLS


def pick(page, label: str) -> None:
    """Type ``label`` into the item picker and choose it, as a visitor does."""
    e2e.type_and_choose(page, ITEMS, label)


def rate_five(page) -> None:
    for label in FIVE:
        pick(page, label)
    for label, value in FIVE.items():
        e2e.set_number(page, rating_key(label), value)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_rate_five_items_and_see_your_list(new_page, server_url, lang):
    page = new_page(e2e.LOCALES[lang], height=960)
    e2e.goto(page, f"{server_url}/train")
    e2e.press(page, "train", 600)
    e2e.nav(page, "results")
    page.locator(f".st-key-{ITEMS}").scroll_into_view_if_needed()
    rate_five(page)
    page.wait_for_selector(".st-key-tryit_top [data-testid='stDataFrame'] table [role=gridcell]",
                           state="attached")
    cells = page.evaluate(CELLS, "tryit_top")
    assert set(cells) >= NOT_RATED, cells  # the three items not rated ...
    assert not set(cells) & set(FIVE), cells  # ... and no rated one
    panel = page.inner_text(".st-key-tryit_certainty")
    assert WORDS[lang]["sure"] in panel, panel
    assert WORDS[lang]["top"] in page.inner_text("body")
    page.wait_for_selector(".st-key-tryit_map .js-plotly-plot")
    e2e.assert_no_exception(page)

    e2e.press(page, "tryit_retrain", 1000)
    page.wait_for_selector(".st-key-tryit_compared")
    assert WORDS[lang]["same"] in page.inner_text(".st-key-tryit_compared")
    e2e.assert_no_exception(page)

    e2e.top_of(page, f".st-key-{ITEMS}", above=150)  # the panel's heading and words too
    written = [e2e.save(e2e.shot(page), f"tryit_{lang}.png")]
    e2e.top_of(page, ".st-key-tryit_map", above=20)
    written.append(e2e.save(e2e.shot(page), f"tryit_map_{lang}.png"))
    for path in written:
        assert 0 < path.stat().st_size < e2e.MAX_BYTES, path


FILMS = {"Toy Story (1995)": "5", "Heat (1995)": "2", "Fargo (1996)": "4.5",
         "Titanic (1997)": "1", "Matrix, The (1999)": "5"}


def test_on_movielens_films_are_found_by_typing_and_the_retrain_can_be_stopped(en):
    """9,724 items: one searchable picker, not thousands of widgets; the panel opens on
    demand like the page's other heavy sections; a long retrain shows its progress and
    stops at a click."""
    from tests.e2e.test_faults import choose as choose_option

    en.open("data")
    choose_option(en, "sample", 3)  # MovieLens latest-small
    e2e.nav(en, "train")
    # small batches (about 6,300 updates an epoch): the retrain, which repeats the run's
    # epochs, lasts seconds, long enough to be seen and stopped (8 default epochs take < 1 s)
    batch = en.locator("[data-testid='stExpander']", has=en.locator(".st-key-tc-mf-batch_size"))
    batch.locator("summary").click()
    e2e.set_number(en, "tc-mf-batch_size", "16")
    e2e.set_number(en, "tc-mf-epochs", "2")
    e2e.press(en, "train", 1000)
    en.wait_for_selector("[data-testid='stAlertContentSuccess']", timeout=120_000)
    e2e.nav(en, "results")
    en.click(".st-key-try_it_panel summary")
    e2e.settle(en)
    assert en.locator("[data-testid='stNumberInput']").count() < 30
    for film in FILMS:
        pick(en, film)
    for film, value in FILMS.items():
        e2e.set_number(en, rating_key(film), value)
    en.wait_for_selector(".st-key-tryit_top [data-testid='stDataFrame'] table [role=gridcell]",
                         state="attached")
    cells = en.evaluate(CELLS, "tryit_top")
    assert not set(cells) & set(FILMS), cells
    assert "Based on your 5 ratings" in en.inner_text(".st-key-tryit_certainty")
    en.wait_for_selector(".st-key-tryit_map .js-plotly-plot")
    e2e.top_of(en, f".st-key-{ITEMS}", above=120)
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "tryit_movielens_en.png").write_bytes(e2e.shot(en))
    e2e.top_of(en, ".st-key-tryit_map", above=20)
    (ARTIFACTS / "tryit_movielens_map_en.png").write_bytes(e2e.shot(en))

    en.click(".st-key-tryit_retrain button")
    en.wait_for_selector(".st-key-tryit_stop button")
    en.wait_for_selector("[data-testid='stProgress']")
    en.click(".st-key-tryit_stop button")
    e2e.settle(en, 800)
    assert "The retraining was stopped" in en.inner_text("[data-testid='stMain']")
    assert en.locator(".st-key-tryit_compared").count() == 0
    e2e.assert_no_exception(en)
