"""In a real browser: the language follows the browser and its switch keeps every choice, a
shared link restores its set-up, projector mode enlarges the type, what-if outlines the
predictions that moved, and the exported code downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.e2e.conftest import goto, nav, press, set_number, settle, what_if

pytestmark = pytest.mark.e2e


def pick(page, key: str, option: str) -> None:
    """Choose ``option`` in the selectbox with Streamlit key ``key``."""
    page.click(f".st-key-{key} input[role='combobox']")
    page.click(f"[role='option']:has-text('{option}')")
    settle(page)


def test_language_follows_the_browser_and_the_switch_keeps_every_choice(new_page, server_url):
    page = new_page("ko-KR")
    goto(page, f"{server_url}/train")
    settle(page, 1000)
    assert page.inner_text("h1") == "학습"
    pick(page, "model", "NN (강의의 신경망)")
    page.click(".st-key-lang button:has-text('English')")
    settle(page)
    assert page.inner_text("h1") == "Train"
    assert page.locator(".st-key-model input").input_value() == "NN (lecture network)"
    set_number(page, "tc-nn-epochs", "3")  # another widget, after the switch
    assert page.locator(".st-key-model input").input_value() == "NN (lecture network)"
    nav(page, "results")
    assert page.inner_text("h1") == "Results"  # the choice survives page switches
    english = new_page("en-US")
    goto(english, f"{server_url}/train")
    settle(english, 1000)
    assert english.inner_text("h1") == "Train"


def test_a_shared_link_opens_the_same_set_up(new_page, server_url):
    page = new_page("en-US")
    goto(page, f"{server_url}/train?model=nn&dim=3&hidden=6,3&seed=9&lr=0.02&lang=ko")
    settle(page, 1000)
    assert page.inner_text("h1") == "학습"
    assert page.locator(".st-key-model input").input_value() == "NN (강의의 신경망)"
    assert page.locator(".st-key-cfg-nn-dim input").input_value() == "3"
    assert page.locator(".st-key-cfg-nn-hidden input").input_value() == "6,3"
    assert page.locator(".st-key-tc-nn-seed input").input_value() == "9"
    page.click(".st-key-more_settings summary")  # the seed is folded under "More settings"
    settle(page)
    set_number(page, "tc-nn-seed", "12")
    assert "seed=12" in page.url and "model=nn" in page.url and "lang=ko" in page.url


def test_projector_mode_makes_the_type_large(new_page, server_url):
    page = new_page("en-US")
    goto(page, f"{server_url}/guide")
    settle(page, 1000)
    size = "() => getComputedStyle(document.documentElement).fontSize"
    normal = float(page.evaluate(size).rstrip("px"))
    page.click(".st-key-projector label")
    settle(page)
    assert float(page.evaluate(size).rstrip("px")) == 22.0 > normal
    nav(page, "data")
    assert float(page.evaluate(size).rstrip("px")) == 22.0


def test_what_if_outlines_the_moved_predictions_and_the_code_downloads(new_page, server_url,
                                                                      tmp_path):
    page = new_page("en-US")
    goto(page, f"{server_url}/train")
    settle(page, 1000)
    press(page, "train", 600)
    nav(page, "results")
    page.click(".st-key-show_code summary")
    settle(page)
    with page.expect_download() as info:
        page.click(".st-key-download_code button")
    code = Path(info.value.path()).read_text(encoding="utf-8")
    assert "class Net(torch.nn.Module):" in code and "# 4 step, zero_grad" in code
    assert info.value.suggested_filename == "run1_mf.py"
    what_if(page, "0.5")
    outlined = page.evaluate(
        """() => { const el = document.querySelector('.st-key-heatmap .js-plotly-plot');
                   const t = el._fullData.find(t => t.name === 'moved most');
                   return t ? t._length ?? t.x.length : 0; }""")
    assert outlined == 10
    assert "outlined" in page.inner_text(".st-key-heatmap")


def test_a_korean_session_downloads_korean_headers(new_page, server_url):
    """Issue 13 item 9: the CSVs of a Korean session had English headers, and the corner of
    the completed matrix said "user" where the page says "사용자"."""
    page = new_page("ko-KR")
    goto(page, f"{server_url}/train")
    settle(page, 1000)
    page.click(".st-key-train button")
    settle(page)
    nav(page, "results")

    def header(key: str) -> list[str]:
        with page.expect_download() as info:
            page.click(f".st-key-{key} button")
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        return next(csv.reader(io.StringIO(text)))

    assert header("download_completed_csv")[:2] == ["사용자", "영식(IN)"]
    assert header("download_predictions_csv") == ["사용자", "항목", "평점", "예측", "구분"]
    assert header("download_top_n_csv") == ["사용자", "순위", "항목", "예측 평점", "이유"]
