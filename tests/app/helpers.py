"""What the AppTest files share: a fresh app, a page switch, a click, a training, what a page
shows, and the Data page with a stand-in uploader (AppTest cannot upload files).

Each helper that runs the script checks that the run raised nothing, so a test that uses it
fails at the step that broke.
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui import paths, state

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 120  # seconds one script run may take (a busy machine trains slowly)


def fresh(locale: str | None = "en-US", query: dict | None = None) -> AppTest:
    """The app as a browser with ``locale`` (None: the browser sends none) opens it, with the
    URL parameters ``query``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if locale:
        at.context["locale"] = locale
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def train(at: AppTest, epochs: int = 5, model: str | None = None) -> AppTest:
    """Train ``model`` (the one picked when None) for ``epochs`` on the Train page."""
    go(at, paths.TRAIN)
    if model is not None:
        at.selectbox(key="model").select(model).run()
    name = at.selectbox(key="model").value
    at.number_input(key=f"tc-{name}-epochs").set_value(epochs)
    return click(at, "train")


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure inside the element or container ``key``."""
    found = list(at.get_by_key(key).get("plotly_chart"))
    assert found, f"no chart in {key}"
    return json.loads(found[0].proto.spec)


def has(at: AppTest, key: str) -> bool:
    """Whether the page shows an element keyed ``key``."""
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def retrain_visitor(at: AppTest, n: int) -> tuple[dict, object]:
    """Try it yourself's "Retrain with me added" clicked: the comparison's metrics
    (``{label: value}``, the shared items already checked to read "k / n") and its table."""
    click(at, "tryit_retrain")
    compared = at.get_by_key("tryit_compared")
    labels = {m.label: m.value for m in compared.get("metric")}
    shared = labels[f"Same items in both top-{n}"]
    assert shared.endswith(f"/ {n}") and 0 <= int(shared.split(" /")[0]) <= n
    return labels, compared.get("dataframe")[0].value


def fresh_state() -> dict:
    """A session as ``state.init`` starts it, for the handlers the pages call (no app run)."""
    session: dict = {}
    state.init(session)
    return session


# ----- the Data page with a stand-in for st.file_uploader ----------------------------------------
def data_page_with_upload(root: str, payload: bytes, name: str, key: str = "upload",
                          task: str = "ratings") -> None:
    """Runs as the AppTest script: the Data page of ``task``, with the uploader keyed ``key``
    returning ``payload``.

    AppTest runs this function's source on its own, so everything it uses is imported inside.
    """
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
        return Uploaded(payload, name) if key == wanted else None

    wanted = key
    state.init(st.session_state)
    st.session_state[state.TASK] = task
    real = st.file_uploader
    st.file_uploader = uploader
    try:
        runpy.run_path(f"{root}/app_pages/data.py")
    finally:
        st.file_uploader = real


def upload_page(payload: bytes, name: str, key: str = "upload",
                task: str = "ratings") -> AppTest:
    """The Data page of ``task`` with ``payload`` chosen in its uploader ``key`` under the
    file name ``name``."""
    at = AppTest.from_function(data_page_with_upload, args=(str(ROOT), payload, name, key, task),
                               default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at
