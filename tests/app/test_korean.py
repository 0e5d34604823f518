"""A Korean session sees its pages in Korean, Streamlit's own words included (issue 13 item 9).

Streamlit's multiselect offers a "Select all" that it writes in English only: a Korean
session's multiselects go without it. (The rest of the Korean words are checked against the
catalogue in tests/test_i18n.py, and in a real browser in tests/e2e.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import paths

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def opened(locale: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["locale"] = locale
    at.session_state["classroom"] = True  # the teacher's panel is made only while open
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("page", "key"), [(paths.TRAIN, "classroom_hide"),
                                           (paths.DATA, "remove_which")])
def test_multiselects_offer_select_all_only_in_english(page, key):
    korean = opened("ko-KR", page).multiselect(key=key)
    assert korean.proto.select_all == 0  # no English "Select all" in a Korean session
    assert opened("en-US", page).multiselect(key=key).proto.select_all != 0
