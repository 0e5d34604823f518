"""The bad-and-odd input corpus through the app's upload handler, as the Data page calls it
(``ui.upload``: sniff for the preview, then ``accept_upload`` on "Use this data"), and through
the Data page itself in AppTest with a stand-in for ``st.file_uploader`` (AppTest cannot upload
files; the browser tests upload a few for real).

Whatever the file, the person sees words, never a traceback, and a refused file never replaces
or loses the data and runs they already had.
"""

from __future__ import annotations

import pytest

from recsys_core.models import MFConfig
from recsys_core.training.session import Run
from recsys_core.training.trainer import TrainConfig, Trainer
from tests.app.helpers import fresh_state, texts, upload_page
from tests.corpus import BAD, XSS_LABELS, Case, cases, materialise
from ui import state
from ui.upload import MAX_BYTES, UPLOAD_MB, UploadOptions, accept_upload, sniff_upload

CASES = cases()
GENERIC = "could not be read ("  # the words for a failure the loader did not foresee


def upload_options(case: Case) -> UploadOptions:
    return UploadOptions(**case.options)


def session_with_a_run() -> dict:
    """A session as the app has it after one training on the course matrix."""
    session = fresh_state()
    ratings = state.current(session)
    trainer = Trainer(ratings, "mf", MFConfig(dim=2), TrainConfig(epochs=2))
    trainer.fit()
    run = Run(id=1, model_name="mf", data_name="solo", trainer=trainer)
    run.snapshot()
    state.runs(session).append(run)
    session[state.CURRENT_RUN] = 1
    return session


def test_the_upload_limit_matches_the_server_config():
    import tomllib

    from recsys_core.limits import LIMITS

    config = tomllib.loads((BAD.parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == LIMITS.max_upload_mb == UPLOAD_MB
    assert MAX_BYTES == UPLOAD_MB * 1024 * 1024  # Streamlit's megabytes are 2**20 bytes


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_the_upload_handler_does_what_the_table_says(case, generated):
    data = materialise(case, generated).read_bytes()
    session = session_with_a_run()
    before = (state.current(session), list(state.runs(session)), session[state.DATA_REV],
              session[state.DATA_NAME])
    sniffed, sniff_problem = sniff_upload(data, case.file, upload_options(case))
    assert sniffed is not None or sniff_problem, case.file
    problem = accept_upload(session, data, case.file, upload_options(case))
    if case.outcome == "refused":
        assert problem, f"{case.file} was accepted"
        assert GENERIC not in problem and "Traceback" not in problem
        for words in case.mention:
            assert words.lower() in problem.lower(), (case.file, words, problem)
        after = (state.current(session), list(state.runs(session)), session[state.DATA_REV],
                 session[state.DATA_NAME])
        assert after[0] is before[0] and after[1] == before[1] and after[2:] == before[2:]
        assert state.runs(session)[0].result is not None  # the run is whole, still readable
    else:
        assert problem is None, f"{case.file}: {problem}"
        ratings = state.current(session)
        assert ratings is not before[0]
        assert {w.code for w in ratings.warnings} == case.expect
        assert state.runs(session) == before[1]  # runs survive new data
        assert session[state.DATA_NAME] == case.file


# ----- the Data page in AppTest, each small file ----------------------------------------------
SMALL = [c for c in CASES if not c.generated]


@pytest.mark.parametrize("case", SMALL, ids=lambda c: c.file)
def test_the_data_page_shows_words_for_each_file(case):
    at = upload_page(case.path.read_bytes(), case.file)
    prefix = "up_test-file"
    if "encoding" in case.options:
        at.selectbox(key=f"{prefix}_enc").select(case.options["encoding"]).run()
    before = at.session_state["ratings"]
    accept = [b for b in at.button if b.key == "accept_upload"]
    if accept:
        if "duplicates" in case.options:
            at.selectbox(key=f"{prefix}_dups").select(case.options["duplicates"]).run()
        if "scale" in case.options:
            at.checkbox(key=f"{prefix}_scale_on").check().run()
            at.number_input(key=f"{prefix}_lo").set_value(case.options["scale"][0])
            at.number_input(key=f"{prefix}_hi").set_value(case.options["scale"][1])
        at.button(key="accept_upload").click().run()
    assert not at.exception, at.exception
    after = at.session_state["ratings"]
    if case.outcome == "refused":
        assert after is before or after.n_ratings == before.n_ratings == 63
        shown = texts(at.error)
        assert shown and "Traceback" not in shown, case.file
    else:
        assert accept, f"{case.file}: no button to accept a loadable file"
        assert after.n_ratings != 63 or after.users != before.users, case.file
        if case.expect == {"sheet_choice"}:  # the page's sheet picker shows the sheet read
            picker = at.selectbox(key=f"{prefix}_sheet")
            assert len(picker.options) == 2 and picker.value in ("평점", "Data")
            return
        warnings = texts(at.warning)
        for code_words in case.mention:  # the warnings are shown beside the data, in words
            plain = warnings.replace("\\", "")
            assert code_words.lower() in plain.lower(), (case.file, code_words)


def test_hostile_labels_never_reach_markdown_unescaped():
    case = next(c for c in CASES if c.file == "xss_markdown_labels.csv")
    at = upload_page(case.path.read_bytes(), "<b>x</b> **name**.csv")
    at.button(key="accept_upload").click().run()
    assert not at.exception
    assert at.session_state["ratings"].items == XSS_LABELS[:4]
    assert "<b>x</b> **name**.csv" in texts(at.text)  # the file name, shown as plain text
