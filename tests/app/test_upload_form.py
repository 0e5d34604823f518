"""The Data page's upload form, driven by AppTest with a stand-in for st.file_uploader (AppTest
cannot upload files): preview, overrides, accept, and a refused file that changes nothing."""

from __future__ import annotations

from tests.app.helpers import metrics, upload_page


def test_long_file_preview_overrides_and_accept():
    csv = "stars,who,what\n4,ann,tea\n2,ann,coffee\n5,bob,tea\n3,bob,cake\n1,cy,coffee\n"
    at = upload_page(csv.encode(), "mine.csv")
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
    assert metrics(at)["Users"] == "3"


def test_a_refused_file_shows_words_and_keeps_the_data():
    at = upload_page(b"user,item,rating\nann,tea,lots\n", "bad.csv")
    at.button(key="accept_upload").click().run()
    assert not at.exception
    assert any("lots" in e.value for e in at.error)
    assert at.session_state["ratings"].n_ratings == 63  # still the course matrix


def test_an_unreadable_file_never_reaches_the_preview():
    at = upload_page(b"%PDF-1.7 binary", "report.csv")
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
    at = upload_page(buffer.getvalue(), "book.xlsx")
    sheet = at.selectbox(key="up_test-file_sheet")
    assert sheet.options == ["notes", "ratings"]
    if sheet.value != "ratings":
        sheet.select("ratings").run()
    at.button(key="accept_upload").click().run()
    assert not at.exception
    ratings = at.session_state["ratings"]
    assert ratings.users == ["옥순", "영자"] and ratings.items == ["영식", "영철"]


def test_duplicated_pairs_are_said_in_the_preview_beside_the_picker_before_accepting():
    """Issue 13: the preview said nothing; the refusal came only after "Use this data"."""
    csv = "user,item,rating\nann,tea,4\nbob,tea,2\nann,tea,2\nann,cake,5\nbob,cake,1\n"
    at = upload_page(csv.encode(), "twice.csv")
    warned = "\n".join(w.value for w in at.warning)
    assert "more than once" in warned and "choose above" in warned
    assert "user \\'ann\\', item \\'tea\\'" in warned  # where: the pair (markdown-escaped)
    assert at.session_state["ratings"].n_ratings == 63  # nothing accepted yet
    at.selectbox(key="up_test-file_dups").select("mean").run()
    assert not any("more than once" in w.value for w in at.warning)
    assert any("mean of their ratings" in i.value for i in at.info)
    at.button(key="accept_upload").click().run()
    ratings = at.session_state["ratings"]
    assert ratings.n_ratings == 4 and ratings.to_matrix().loc["ann", "tea"] == 3.0


def test_duplicated_pairs_in_korean():
    csv = "user,item,rating\nann,tea,4\nann,tea,2\nbob,tea,1\n"
    at = upload_page(csv.encode(), "twice.csv")
    at.session_state["lang"] = "ko"
    at.run()
    assert any("두 번 이상 평가" in w.value for w in at.warning)
