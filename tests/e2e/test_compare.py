"""Compare in a real browser: the key numbers are in view, in the Results page's words."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import goto, nav, settle

pytestmark = pytest.mark.e2e

SHOWN_HEADERS = """() => Array.from(document.querySelectorAll(
    "[data-testid='stDataFrame'] table [role=columnheader]")).map(h => h.textContent)"""
"""The grid draws on a canvas; its accessible table lists the columns it has drawn."""


@pytest.mark.parametrize(("locale", "words"), [
    ("en-US", ["off by (held-out)", "average off by", "better than average"]),
    ("ko-KR", ["빗나간 정도 (검증)", "평균값의 빗나감", "평균보다 나음"])])
def test_the_errors_are_in_view_before_the_hyperparameters(new_page, server_url, locale, words):
    """Issue 13: the hyperparameters column pushed every error off the right edge, even with
    one run, at a projector's 1280 pixels."""
    page = new_page(locale, width=1280)
    goto(page, f"{server_url}/train")
    page.click(".st-key-train button")
    settle(page, 1000)
    nav(page, "compare")
    page.wait_for_selector("[data-testid='stDataFrame'] table [role=columnheader]",
                           state="attached")
    headers = page.evaluate(SHOWN_HEADERS)
    assert headers[2:5] == words, headers
    assert "hyperparameters" not in headers[:8] and "하이퍼파라미터" not in headers[:8]
