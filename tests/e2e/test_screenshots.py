"""README screenshots of the real app in English and Korean, taken in headless Chromium.

Run with the other browser tests (``make test``); each run rewrites ``docs/screenshots/*.png``
so the README always shows the app as it is. The pictures are scaled to 960 px and saved with
a 256-colour palette, so each stays small (under 300 KB).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.conftest import goto, wait_idle

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
WIDTH = 960  # pixels of the saved picture
MAX_BYTES = 300_000
LOCALES = {"en": "en-US", "ko": "ko-KR"}
TITLES = {"en": ("Train", "Results"), "ko": ("학습", "결과")}


def settle(page, ms: int = 600) -> None:
    page.wait_for_timeout(ms)
    wait_idle(page, timeout=120_000)
    page.wait_for_timeout(300)
    wait_idle(page, timeout=120_000)


def nav(page, name: str) -> None:
    page.click(f"[data-testid='stSidebarNav'] a[href$='/{name}']")
    settle(page)


def shot(page) -> bytes:
    page.mouse.move(5, 5)  # no hover highlight on the pictures
    page.wait_for_timeout(200)
    return page.screenshot()


def save(png: bytes, name: str) -> Path:
    """Scale to WIDTH, reduce to a palette, write docs/screenshots/<name>."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    small = image.resize((WIDTH, height), Image.LANCZOS).quantize(colors=256, dither=0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    small.save(path, optimize=True)
    return path


def top_of(page, selector: str) -> None:
    """Scroll the app's main area so that ``selector`` is at the top of the window."""
    page.eval_on_selector(selector, "el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(400)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_readme_screenshots(browser, server_url, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 960},
                                  locale=LOCALES[lang], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        goto(page, f"{server_url}/train")
        settle(page, 1000)
        assert page.inner_text("h1") == TITLES[lang][0]
        page.click(".st-key-train button")
        settle(page)
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

        page.click(".st-key-whatif summary")
        settle(page)
        value = page.locator(".st-key-whatif_value input")
        value.fill("0.5")
        value.press("Enter")
        settle(page)
        page.click(".st-key-whatif_retrain button")
        settle(page, 1500)
        page.wait_for_selector(".st-key-whatif_moved")
        top_of(page, ".st-key-whatif_moved")
        written.append(save(shot(page), f"whatif_{lang}.png"))

        for path in written:
            assert path.exists() and 0 < path.stat().st_size < MAX_BYTES, path
    finally:
        context.close()
