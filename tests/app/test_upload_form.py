"""The Data page's upload form, driven by AppTest with a stand-in for st.file_uploader (AppTest
cannot upload files): preview, overrides, accept, and a refused file that changes nothing."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def data_page_with_upload(root: str, payload: bytes, name: str) -> None:
    """Runs as the AppTest script: the Data page, with the uploader returning ``payload``."""
    import runpy

    import streamlit as st

    from ui import state

    class Uploaded:
        file_id = "test-file"

        def __init__(self, data, filename):
            self.data, self.name = data, filename

        def getvalue(self):
            return self.data

    def uploader(label, *args, key=None, **kwargs):
        st.caption(f"uploader {key}")
        return Uploaded(payload, name) if key == "upload" else None

    state.init(st.session_state)
    real = st.file_uploader
    st.file_uploader = uploader
    try:
        runpy.run_path(f"{root}/app_pages/data.py")
    finally:
        st.file_uploader = real


def run_with(payload: bytes, name: str) -> AppTest:
    at = AppTest.from_function(data_page_with_upload, args=(str(ROOT), payload, name),
                               default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_long_file_preview_overrides_and_accept():
    csv = "stars,who,what\n4,ann,tea\n2,ann,coffee\n5,bob,tea\n3,bob,cake\n1,cy,coffee\n"
    at = run_with(csv.encode(), "mine.csv")
    assert "uploader upload" in [c.value for c in at.caption]
    assert any("Detected: wide table" in t.value for t in at.text)  # unnamed columns
    at.selectbox(key="up_test-file_fmt").select("long").run()
    at.selectbox(key="up_test-file_user_col").set_value(1)
    at.selectbox(key="up_test-file_item_col").set_value(2)
    at.selectbox(key="up_test-file_rating_col").set_value(0).run()
    assert at.dataframe[0].value.shape[0] == 5  # the preview
    at.checkbox(key="up_test-file_scale_on").check().run()
    at.number_input(key="up_test-file_lo").set_value(1.0)
    at.number_input(key="up_test-file_hi").set_value(5.0)
    at.button(key="accept_upload").click().run()
    assert not at.exception
    ratings = at.session_state["ratings"]
    assert (ratings.n_users, ratings.n_items, ratings.scale) == (3, 3, (1.0, 5.0))
    assert ratings.users == ["ann", "bob", "cy"]
    assert {m.label: m.value for m in at.metric}["Users"] == "3"


def test_a_refused_file_shows_words_and_keeps_the_data():
    at = run_with(b"user,item,rating\nann,tea,lots\n", "bad.csv")
    at.button(key="accept_upload").click().run()
    assert not at.exception
    assert any("lots" in e.value for e in at.error)
    assert at.session_state["ratings"].n_ratings == 63  # still the course matrix


def test_an_unreadable_file_never_reaches_the_preview():
    at = run_with(b"%PDF-1.7 binary", "report.csv")
    assert any("PDF" in e.value for e in at.error)
    assert at.session_state["ratings"].n_ratings == 63


def test_an_xlsx_workbook_offers_its_sheets():
    import io

    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "notes"
    notes.append(["read me"])
    grid = book.create_sheet("ratings")
    grid.append([None, "영식", "영철"])
    grid.append(["옥순", 4, 3.5])
    grid.append(["영자", None, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    at = run_with(buffer.getvalue(), "book.xlsx")
    sheet = at.selectbox(key="up_test-file_sheet")
    assert sheet.options == ["notes", "ratings"]
    if sheet.value != "ratings":
        sheet.select("ratings").run()
    at.button(key="accept_upload").click().run()
    assert not at.exception
    ratings = at.session_state["ratings"]
    assert ratings.users == ["옥순", "영자"] and ratings.items == ["영식", "영철"]
