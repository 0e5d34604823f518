"""The ranking task in a real browser: switch Data to interactions, train NeuMF a few epochs
at a pace that can be watched, read HR@10 off the live chart while it trains, and find the
top-N on Results; then the README's pictures of the three pages and of a visitor's own top-N
(Try it yourself: three ticked items) in English and Korean."""

from __future__ import annotations

import pytest

from tests.e2e import conftest as e2e
from ui.ranking_try_it import LIKED

pytestmark = pytest.mark.e2e

EPOCHS = 6
SURE = {"en": "Based on the 3 items you ticked", "ko": "내가 고른 항목 3개"}
SAME = {"en": "Same items in both top-10", "ko": "두 상위"}


def chart_traces(page, key: str) -> dict:
    """``{trace name: y values}`` of the plotly chart inside the element keyed ``key``."""
    return page.evaluate(
        """(sel) => { const el = document.querySelector(sel);
             if (!el || !el._fullData) return {};
             return Object.fromEntries(el._fullData.map(t => [t.name, Array.from(t.y || [])])); }""",
        f".st-key-{key} .js-plotly-plot")


def to_clicks(page) -> None:
    """Data: the task switch to interactions, then 100 users' generated clicks."""
    page.locator(".st-key-task button").last.click()  # after the help icon and "Ratings"
    e2e.settle(page)
    page.get_by_role("tab").nth(3).click()  # Generate clicks
    page.wait_for_timeout(300)
    e2e.press(page, "generate_clicks")
    page.wait_for_selector("[data-testid='stMetric']")


def test_interactions_neumf_hr_on_the_live_chart_and_top_n(en):
    en.open("data")
    to_clicks(en)
    assert "1,000" in en.inner_text("[data-testid='stMain']")  # 100 users x 10 clicks
    e2e.nav(en, "train")
    e2e.set_number(en, "rtc-neumf-epochs", str(EPOCHS))
    en.click(".st-key-live_speed button:has-text('2/s')")  # slow enough to watch
    e2e.settle(en)
    en.click(".st-key-train button")
    live = []
    for _ in range(100):  # while it trains, the chart grows an HR@10 point an epoch
        live = chart_traces(en, "loss_chart").get("HR@10", [])
        if 0 < len(live) < EPOCHS:
            break
        en.wait_for_timeout(100)
    assert 0 < len(live) < EPOCHS, "no HR@10 on the chart while training"
    e2e.settle(en, 1000, then=800)
    final = chart_traces(en, "loss_chart")
    assert len(final["HR@10"]) == EPOCHS and len(final["training loss"]) == EPOCHS
    assert all(0 <= hr <= 1 for hr in final["HR@10"])
    assert "HR@10" in en.inner_text("[data-testid='stAlert']")
    e2e.nav(en, "results")
    en.wait_for_selector(".st-key-ranking_top_n [data-testid='stDataFrame']")
    assert en.locator(".st-key-ranking_metrics [data-testid='stMetric']").count() == 4
    en.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    e2e.assert_no_exception(en)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_ranking_screenshots(new_page, server_url, lang):
    page = new_page(e2e.LOCALES[lang], height=960)
    e2e.goto(page, f"{server_url}/data")
    to_clicks(page)
    e2e.top_of(page, "[data-testid='stMain'] h1")  # from the title: the switch, the sources, the summary
    written = [e2e.save(e2e.shot(page), f"ranking_data_{lang}.png")]

    e2e.nav(page, "train")
    e2e.set_number(page, "rtc-neumf-epochs", "8")
    e2e.press(page, "train", 1000)
    page.wait_for_selector(".st-key-loss_chart .js-plotly-plot")
    assert len(chart_traces(page, "loss_chart")["HR@10"]) == 8
    e2e.top_of(page, ".st-key-control_bar")  # the bar, the run's words and the chart
    written.append(e2e.save(e2e.shot(page), f"ranking_train_{lang}.png"))

    e2e.nav(page, "results")
    page.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    e2e.top_of(page, ".st-key-ranking_metrics")
    written.append(e2e.save(e2e.shot(page), f"ranking_results_{lang}.png"))
    e2e.top_of(page, ".st-key-heatmap")
    written.append(e2e.save(e2e.shot(page), f"ranking_scores_{lang}.png"))

    page.click(".st-key-try_it_panel summary")  # Try it yourself: tick three items
    e2e.settle(page)
    ticked = ("item 7", "item 23", "item 41")
    for label in ticked:
        e2e.type_and_choose(page, LIKED, label)
    page.wait_for_selector(".st-key-tryit_top [data-testid='stDataFrame'] table [role=gridcell]",
                           state="attached")
    cells = page.evaluate(e2e.GRID_CELLS, "tryit_top")
    listed = [c for c in cells if c.startswith("item ")]
    assert len(set(listed)) >= 10 and not set(listed) & set(ticked), cells  # 10, none ticked
    assert SURE[lang] in page.inner_text(".st-key-tryit_certainty")
    page.wait_for_selector(".st-key-tryit_map .js-plotly-plot")  # the visitor's star on the map
    assert page.evaluate("() => !!document.querySelector('.st-key-tryit_map .js-plotly-plot')"
                         ".layout.meta.visitor")
    e2e.press(page, "tryit_retrain", 1000)  # the run again with the visitor: how close?
    page.wait_for_selector(".st-key-tryit_compared")
    assert SAME[lang] in page.inner_text(".st-key-tryit_compared")
    e2e.top_of(page, ".st-key-try_it_panel")
    written.append(e2e.save(e2e.shot(page), f"ranking_tryit_{lang}.png"))
    e2e.assert_no_exception(page)
    for path in written:
        assert path.exists() and 0 < path.stat().st_size < e2e.MAX_BYTES, path
