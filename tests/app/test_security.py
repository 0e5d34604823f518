"""Security (issue 5): no user-supplied string is rendered as HTML or markdown anywhere, a model
file is loaded as weights only, server protections stay on, and no path, URL or shell command
is built from user input.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from recsys_core.data.samples import load_sample
from recsys_core.limits import LIMITS
from recsys_core.training.trainer import TrainConfig, fit
from tests.app.helpers import ROOT, fresh, fresh_state, train
from tests.corpus import BAD, COLD_XSS, strings_in
from ui import state
from ui.model_upload import accept_model
from ui.paths import COMPARE, DATA, GUIDE, RESULTS, TRAIN
from ui.text import md_escape
from ui.upload import UploadOptions, accept_upload

APP_CODE = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")),
            *sorted((ROOT / "ui").glob("*.py"))]
LIBRARY_CODE = sorted((ROOT / "recsys_core").rglob("*.py"))  # models/ too


# ----- server settings ---------------------------------------------------------------------------
def test_server_config_keeps_the_protections_on_and_limits_uploads():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxUploadSize"] == LIMITS.max_upload_mb
    launchers = [ROOT / "Makefile", ROOT / "tests" / "e2e" / "conftest.py"]
    launchers += sorted((ROOT / "bench").glob("*.py"))
    for path in launchers:
        text = path.read_text()
        for option in ("enableXsrfProtection", "enableCORS", "maxUploadSize"):
            assert option not in text, f"{path.name} overrides server.{option}"


# ----- no HTML, no code from user input ----------------------------------------------------------
def calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            yield node


def dotted(node) -> str:
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def test_the_server_skips_a_full_garbage_collection_after_every_script_run():
    """Streamlit's default full collection after each run took 40% of the server's time when
    a class trained at once (bench/load.py); the load bench watches the memory instead."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_the_app_never_renders_raw_html():
    """No markdown with HTML allowed, no HTML components; ``st.html`` only with a fixed style
    sheet (a module constant in CAPITALS or a literal), never with anything built at run time."""
    for path in APP_CODE:
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path.name
        assert "components.v1" not in text and "streamlit.components" not in text, path.name
        for call in calls(path):
            if dotted(call.func) in ("st.html", "html"):
                fixed = [a for a in call.args if isinstance(a, ast.Constant)
                         or (isinstance(a, ast.Name) and a.id.isupper())]
                assert len(call.args) == 1 and fixed, (path.name, call.lineno)


def test_no_shell_eval_or_pickle_anywhere():
    for path in APP_CODE + LIBRARY_CODE:
        tree = ast.parse(path.read_text(), str(path))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in (node.names if isinstance(node, ast.Import) else
                                  [ast.alias(node.module or "")])}
        assert not imported & {"subprocess", "pickle", "shelve", "marshal", "dill"}, path.name
        for call in calls(path):
            name = dotted(call.func)
            assert name not in ("eval", "exec", "os.system", "os.popen", "__import__"), \
                (path.name, call.lineno)
            if name == "torch.load":
                weights_only = [k for k in call.keywords if k.arg == "weights_only"]
                assert weights_only and getattr(weights_only[0].value, "value", None) is True, \
                    (path.name, call.lineno)


def test_the_app_opens_no_path_or_url():
    """Pages and ui helpers read what the browser sent as bytes; they never open a file, fetch
    a URL or run a command (paths.py names the page scripts, which are constants)."""
    for path in APP_CODE:
        for call in calls(path):
            name = dotted(call.func)
            assert name not in ("open", "Path", "pathlib.Path", "urlopen", "requests.get",
                                "os.remove", "shutil.rmtree", "st.image", "st.audio",
                                "st.video"), (path.name, call.lineno, name)


def test_uploads_reach_the_loader_as_bytes_never_as_a_path():
    session = fresh_state()
    problem = accept_upload(session, b"/etc/passwd", "/etc/passwd", UploadOptions())
    assert problem and "root:" not in problem
    problem = accept_upload(session, str(BAD / "utf8_bom.csv").encode(), "x.csv",
                            UploadOptions())
    assert problem and state.current(session).n_ratings == 63


# ----- model files -------------------------------------------------------------------------------
class CarriesCode:
    """Pickles to "call ``exec``": what a hostile .pt file does."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return builtins.exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


def saved_model(ratings=None) -> bytes:
    return fit(ratings or load_sample("solo"), "mf", train=TrainConfig(epochs=3)).model_bytes()


def test_a_model_file_that_carries_code_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran.txt"
    buffer = io.BytesIO()
    torch.save({"format": "recsys-playground-model/1", "model_name": CarriesCode(marker)},
               buffer)
    session = fresh_state()
    run, problem = accept_model(session, buffer.getvalue(), "evil.pt")
    assert run is None and "code" in problem and "evil.pt" in problem
    assert not marker.exists()
    assert state.runs(session) == []


@pytest.mark.parametrize("payload", [b"", b"not a model at all", b"\x89PNG\r\n\x1a\n",
                                     (BAD / "utf8_bom.csv").read_bytes()])
def test_anything_else_is_refused_in_words(payload):
    session = fresh_state()
    run, problem = accept_model(session, payload, "thing.pt")
    assert run is None and "not a model saved by RecSys Playground" in problem
    assert state.runs(session) == [] and state.current(session).n_ratings == 63


def test_a_damaged_model_file_is_refused():
    payload = torch.load(io.BytesIO(saved_model()), weights_only=True)
    for key, value in (("state_dict", {"user_factors.weight": torch.zeros(9, 99)}),
                       ("users", ["a"] * 10_000_000), ("model_config", {"dim": "many"}),
                       ("model_name", "no-such-model"), ("scale", None)):
        changed = dict(payload, **{key: value})
        buffer = io.BytesIO()
        torch.save(changed, buffer)
        run, problem = accept_model(fresh_state(), buffer.getvalue(), "bad.pt")
        assert run is None and problem, key


def test_a_model_for_other_data_is_refused_with_what_to_do():
    other = load_sample("solo6")
    run, problem = accept_model(fresh_state(), saved_model(other), "six.pt")
    assert run is None and "6 users x 6 items" in problem and "9 users x 8 items" in problem
    assert "load that data first" in problem


def test_a_saved_model_opens_as_a_run_on_its_data():
    session = fresh_state()
    data = saved_model()
    run, problem = accept_model(session, data, "mine.pt")
    assert problem is None and run.status == "loaded" and state.runs(session) == [run]
    assert session[state.CURRENT_RUN] == run.id
    original = fit(load_sample("solo"), "mf", train=TrainConfig(epochs=3))
    assert abs(run.result.predicted - original.predicted).max() < 1e-6
    assert "mine.pt" in run.result.message


# ----- every page with hostile labels, a hostile file name and a run ----------------------------
HOSTILE_MARKUP = [r"(?<!\\)<(script|img|b)\b", r"(?<!\\)\*\*bold", r"(?<!\\)\[click",
                  r"(?<!\\):red", r"(?<!\\)\$x", r"(?<!\\)`code", r"(?<!\\)#\s*heading"]
FILE_NAME = "<img src=x onerror=window.__xss=3> **f**.csv"


def markdown_bodies(at: AppTest) -> list[str]:
    bodies = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "toast", "title",
                 "subheader", "header", "latex"):
        bodies += [str(e.value) for e in getattr(at, kind, [])]
    for kind in ("selectbox", "number_input", "button", "checkbox", "text_input", "multiselect",
                 "radio", "slider", "segmented_control", "expander", "tabs"):
        for widget in getattr(at, kind, []):
            bodies += [str(getattr(widget, "label", "") or ""), str(getattr(widget, "help", "")
                                                                    or "")]
    return bodies


def chart_strings(at: AppTest) -> list[str]:
    """Every string inside every plotly figure on the page (plotly renders a subset of HTML
    in them, but no markdown)."""
    return [s for element in at.get("plotly_chart")
            for s in strings_in(json.loads(element.proto.spec))]


@pytest.mark.parametrize("file", ["xss_markdown_labels.csv", "formula_labels.csv"])
def test_no_page_renders_a_label_or_file_name_as_markup(file):
    at = fresh()
    problem = accept_upload(at.session_state, (BAD / file).read_bytes(), FILE_NAME,
                            UploadOptions())
    assert problem is None
    train(at, epochs=5)
    for page in (DATA, TRAIN, RESULTS, COMPARE, GUIDE):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        if page in (DATA, RESULTS) and file.startswith("xss"):  # the cold user is named, escaped
            assert any(md_escape(COLD_XSS) in body for body in markdown_bodies(at)), page
        for body in markdown_bodies(at):
            for pattern in HOSTILE_MARKUP:
                assert not re.search(pattern, body), (page, pattern, body)
        strings = chart_strings(at)
        if page in (RESULTS, COMPARE) and file.startswith("xss"):
            assert any("&lt;script&gt;" in x for x in strings), page  # labels are on charts
        for text in strings:
            for raw in ("<script", "<img", "<b>b</b>"):
                assert raw not in text, (page, raw, text)
