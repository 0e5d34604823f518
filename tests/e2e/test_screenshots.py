"""README screenshots of the real app in English and Korean, taken in headless Chromium.

Run with the other browser tests (``make test``); each run rewrites ``docs/screenshots/*.png``
so the README always shows the app as it is. The pictures are scaled to 960 px and saved with
a 256-colour palette, so each stays small (under 300 KB).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LOCALES, MAX_BYTES, goto, nav, press, save, settle, shot, top_of, what_if

pytestmark = pytest.mark.e2e

TITLES = {"en": ("Train", "Results"), "ko": ("학습", "결과")}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_readme_screenshots(new_page, server_url, lang):
    page = new_page(LOCALES[lang], height=960)
    goto(page, f"{server_url}/train")
    settle(page, 1000)
    assert page.inner_text("h1") == TITLES[lang][0]
    press(page, "train", 600)
    page.wait_for_selector(".st-key-loss_chart .js-plotly-plot")
    written = [save(shot(page), f"train_{lang}.png")]

    nav(page, "results")
    assert page.inner_text("h1") == TITLES[lang][1]
    page.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    top_of(page, ".st-key-summary")
    written.append(save(shot(page), f"results_{lang}.png"))

    page.click(".st-key-show_code summary")
    settle(page)
    page.wait_for_selector(".st-key-code_block code")
    top_of(page, ".st-key-show_code")
    written.append(save(shot(page), f"code_{lang}.png"))
    page.click(".st-key-show_code summary")  # closed again for the next picture
    settle(page)

    what_if(page, "0.5")
    top_of(page, ".st-key-whatif_moved")
    written.append(save(shot(page), f"whatif_{lang}.png"))

    nav(page, "compare")  # two runs now: the lecture's and the what-if's
    page.wait_for_selector("[data-testid='stDataFrame']")
    written.append(save(shot(page), f"compare_{lang}.png"))

    page.click(".st-key-projector label")  # projector mode, as a teacher projects it
    settle(page)
    nav(page, "results")
    page.wait_for_selector(".st-key-heatmap .js-plotly-plot")
    top_of(page, ".st-key-heatmap")
    written.append(save(shot(page), f"projector_{lang}.png"))

    for path in written:
        assert path.exists() and 0 < path.stat().st_size < MAX_BYTES, path
