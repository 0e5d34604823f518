"""The app's plain helpers: upload handling (AppTest cannot upload), the editor's edit replay,
form parsing and markdown escaping."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from recsys_core.data.errors import RatingsError
from recsys_core.data.samples import load_sample
from recsys_core.models import NNConfig
from recsys_core.models.config import describe
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.session import Run, runs_table, warm_start_model
from recsys_core.training.trainer import TrainConfig, Trainer
from tests.app.helpers import ROOT, fresh_state
from ui import editing, forms, state
from ui.text import md_escape
from ui.upload import UploadOptions, accept_upload, read_upload, sniff_upload

LONG_CSV = "user,item,rating\nann,tea,4\nann,coffee,2\nbob,tea,5\nbob,cake,3\ncy,coffee,1\n"


# ----- upload ----------------------------------------------------------------------------------
def test_a_good_long_upload_becomes_the_current_data():
    s = fresh_state()
    before = s[state.DATA_REV]
    assert accept_upload(s, LONG_CSV.encode(), "mine.csv", UploadOptions()) is None
    r = s[state.RATINGS]
    assert (r.n_users, r.n_items, r.n_ratings) == (3, 3, 5)
    assert s[state.DATA_NAME] == "mine.csv"
    assert s[state.DATA_REV] == before + 1


@pytest.mark.parametrize("payload, words", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"user,item,rating\nann,tea,lots\n", "lots"),
    (b"user,item,rating\nann,tea,4\nann,tea,5\n", "more than once"),
])
def test_a_bad_upload_says_why_and_changes_nothing(payload, words):
    s = fresh_state()
    solo, rev, runs = s[state.RATINGS], s[state.DATA_REV], list(s[state.RUNS])
    problem = accept_upload(s, payload, "bad.csv", UploadOptions())
    assert problem and words.lower() in problem.lower()
    assert "Traceback" not in problem
    assert s[state.RATINGS] is solo and s[state.DATA_REV] == rev and s[state.RUNS] == runs


def test_upload_overrides_scale_columns_and_duplicates():
    data = b"r,who,what\n4,ann,tea\n2,ann,coffee\n5,bob,tea\n"
    ratings, problem = read_upload(data, "x.csv", UploadOptions(columns=(1, 2, 0),
                                                                  scale=(1.0, 5.0)))
    assert problem is None
    assert ratings.users == ["ann", "bob"] and ratings.scale == (1.0, 5.0)
    _, problem = read_upload(data, "x.csv", UploadOptions(columns=(1, 2, 0), scale=(1.0, 3.0)))
    assert problem and "outside" in problem
    dup = b"user,item,rating\nann,tea,4\nann,tea,2\n"
    ratings, problem = read_upload(dup, "d.csv", UploadOptions(duplicates="mean"))
    assert problem is None and ratings.values.tolist() == [3.0]


def test_sniff_gives_a_preview_of_a_korean_cp949_file():
    data = ",영식,영철\n옥순,4,3.5\n영자,,1\n".encode("cp949")
    sniffed, problem = sniff_upload(data, "solo_cp949.csv", UploadOptions())
    assert problem is None
    assert sniffed.format == "wide" and sniffed.encoding.lower() in ("cp949", "euc-kr")
    assert "영식" in list(sniffed.preview.columns)


# ----- editor ----------------------------------------------------------------------------------
def test_editor_frame_round_trips():
    solo = load_sample("solo")
    frame = editing.editor_frame(solo)
    assert list(frame.columns[1:]) == solo.items and list(frame.iloc[:, 0]) == solo.users
    again = editing.frame_to_ratings(frame, solo)
    assert again.n_ratings == 63 and again.scale == (0.0, 5.0)
    assert np.allclose(again.to_matrix().to_numpy(), solo.to_matrix().to_numpy(), equal_nan=True)


def test_apply_delta_replays_edits_deletions_and_additions():
    solo = load_sample("solo")
    base = editing.editor_frame(solo)
    label = editing.label_column(base)
    delta = {
        "edited_rows": {"0": {"영식(IN)": 4.5, label: "옥순 renamed"}, 1: {"영철(IN)": None}},
        "deleted_rows": [8],
        "added_rows": [{label: "new one", "영호(IS)": 2}, {"다호(ES)": 1.5}],
    }
    frame = editing.apply_delta(base, delta)
    assert len(frame) == 10
    assert frame.iat[0, 1] == 4.5 and frame.iat[0, 0] == "옥순 renamed"
    assert math.isnan(frame.iat[1, 2])
    assert "하니(I)" not in set(frame[label])
    ratings = editing.frame_to_ratings(frame, solo)
    assert ratings.users[-2:] == ["new one", "new user 1"]
    assert ratings.n_ratings == 63 + 1 - 1 - 7 + 2
    assert base.iat[0, 1] != 4.5  # the editor's input is never changed in place


def test_invalid_edits_raise_words_not_tracebacks():
    solo = load_sample("solo")
    base = editing.editor_frame(solo)
    label = editing.label_column(base)
    twice = editing.apply_delta(base, {"edited_rows": {1: {label: solo.users[0]}}})
    with pytest.raises(RatingsError, match="appears twice"):
        editing.frame_to_ratings(twice, solo)
    too_high = editing.apply_delta(base, {"edited_rows": {0: {"영식(IN)": 7}}})
    with pytest.raises(RatingsError, match="outside"):
        editing.frame_to_ratings(too_high, solo)
    with pytest.raises(RatingsError):
        editing.rename_item(base, "영식(IN)", "영철(IN)")


def test_item_rename_add_remove():
    solo = load_sample("solo")
    frame = editing.editor_frame(solo)
    frame = editing.rename_item(frame, "영식(IN)", "Young-sik")
    frame = editing.add_item(frame, editing.suggest_item_name(frame))
    frame = editing.remove_items(frame, ["다호(ES)"])
    ratings = editing.frame_to_ratings(frame, solo)
    assert ratings.items[0] == "Young-sik" and ratings.items[-1] == "new item 1"
    assert "다호(ES)" not in ratings.items
    assert any(w.code == "cold_item" for w in ratings.warnings)


def test_label_column_never_clashes_with_an_item():
    assert editing.label_column_name(["a", "b"]) == "user"
    assert editing.label_column_name(["user", "user label", "(user)"]) == "(user 2)"


def test_matrix_page_of_a_large_matrix():
    ml = load_sample("movielens")
    page = editing.matrix_page(ml, 0, 0, 50)
    assert page.shape == (50, 50)
    full_first = ml.to_matrix().iloc[:50, :50]
    assert np.allclose(page.to_numpy(), full_first.to_numpy(), equal_nan=True)


# ----- forms -----------------------------------------------------------------------------------
def test_form_values_round_trip_every_config_field():
    for config in (NNConfig(hidden=(15, 15), init_std=None), TrainConfig(batch_size=None)):
        for info in describe(config):
            value = getattr(config, info.name)
            assert forms.from_widget(info, forms.to_widget(info, value)) == value


def test_tuple_fields_parse_or_explain():
    info = next(i for i in describe(NNConfig) if i.name == "hidden")
    assert forms.from_widget(info, " 15, 15 ") == (15, 15)
    for bad in ("", "15,x", "0"):
        with pytest.raises(ValueError, match="Hidden layers"):
            forms.from_widget(info, bad)


# ----- runs ------------------------------------------------------------------------------------
def test_settle_interrupted_keeps_the_partial_run():
    s = fresh_state()
    trainer = Trainer(s[state.RATINGS], "mf", *_mf_configs())
    loop = trainer.run(40)
    next(loop), next(loop)
    run = Run(1, "mf", "solo", trainer=trainer)
    s[state.RUNS].append(run)
    assert state.settle_interrupted(s) is run
    assert run.status == "stopped" and run.result.epochs_run == 2
    assert "2 epoch" in s[state.NOTICE]
    assert runs_table(s[state.RUNS])["status"].tolist() == ["stopped by request"]


def test_warm_start_needs_the_same_users_and_items():
    solo = load_sample("solo")
    trainer = Trainer(solo, "mf", *_mf_configs())
    run = Run(1, "mf", "solo", trainer=trainer)
    assert warm_start_model(run, solo) is not trainer.model
    fewer = editing.frame_to_ratings(editing.editor_frame(solo).iloc[:-1], solo)
    assert warm_start_model(run, fewer) is None


def _mf_configs():
    from recsys_core.models.defaults import suggest_configs

    return suggest_configs(load_sample("solo"), "mf")


# ----- text ------------------------------------------------------------------------------------
def test_markdown_escape_neutralises_labels():
    nasty = "<script>alert(1)</script> **bold** [x](javascript:y) :red[z] $x$"
    escaped = md_escape(nasty)
    for token in ("<", "*", "[", "(", ":", "$"):
        assert all(escaped[k - 1] == "\\" for k, ch in enumerate(escaped) if ch == token)


def test_runs_table_columns():
    table = runs_table([])
    assert list(table.columns)[:2] == ["run", "model"] and isinstance(table, pd.DataFrame)


# ----- the editor kept in line with the data ---------------------------------------------------
def test_edits_become_the_data_and_survive_a_page_switch():
    from ui import editor_state

    s = fresh_state()
    editor_state.sync(s)  # first visit: the grid shows the course matrix
    key = editor_state.editor_key(s)
    s[key] = {"edited_rows": {0: {"영식(IN)": 4.5}}}
    editor_state.sync(s)
    assert s[state.RATINGS].n_ratings == 64 and s[state.DATA_EDITED]
    del s[key]  # another page ran: Streamlit dropped the editor's state
    editor_state.sync(s)  # back on Data
    assert editor_state.editor_key(s) != key  # a new grid, started from the edited table
    assert s[editor_state.EDIT_BASE].iat[0, 1] == 4.5
    assert s[state.RATINGS].n_ratings == 64


def test_an_invalid_edit_keeps_the_data_and_says_why():
    from ui import editor_state

    s = fresh_state()
    editor_state.sync(s)
    solo = s[state.RATINGS]
    label = editing.label_column(s[editor_state.EDIT_BASE])
    s[editor_state.editor_key(s)] = {"edited_rows": {1: {label: solo.users[0]}}}
    editor_state.sync(s)
    assert s[state.RATINGS] is solo
    assert "appears twice" in s[editor_state.EDIT_ERROR]


def test_new_data_from_elsewhere_resets_the_grid():
    from ui import editor_state

    s = fresh_state()
    editor_state.sync(s)
    s[editor_state.editor_key(s)] = {"edited_rows": {0: {"영식(IN)": 4.5}}}
    editor_state.sync(s)
    assert state.load_sample_into(s, "solo6") is None
    editor_state.sync(s)
    assert s[editor_state.EDIT_BASE].shape == (6, 7)
    assert s[state.RATINGS].n_users == 6 and not s[state.DATA_EDITED]


def test_item_changes_go_through_the_grid():
    from ui import editor_state

    s = fresh_state()
    editor_state.sync(s)
    editor_state.rename_item(s, "영식(IN)", "Young-sik")
    editor_state.add_item(s, None)
    editor_state.remove_items(s, ["다호(ES)"])
    items = s[state.RATINGS].items
    assert items[0] == "Young-sik" and "new item 1" in items and "다호(ES)" not in items
    editor_state.rename_item(s, "Young-sik", "영철(IN)")
    assert "already" in s[editor_state.ITEMS_ERROR]


# ----- the live training loop's drawing --------------------------------------------------------
def test_redraws_thin_out_when_several_sessions_train_or_drawing_is_slow():
    from ui.training import BROWSER_FACTOR, DRAW_EVERY, DRAW_SHARE, draw_gap

    assert draw_gap(1, 0.0) == DRAW_EVERY
    assert draw_gap(0, 0.0) == DRAW_EVERY
    assert draw_gap(10, 0.0) == pytest.approx(10 * DRAW_EVERY)  # a class training at once
    # a frame that took the server 0.05 s costs the browser BROWSER_FACTOR times that again:
    # unpaced, the loop draws at most DRAW_SHARE of the time, both parts counted
    cost = 0.05 * (1 + BROWSER_FACTOR)
    assert cost / (cost + draw_gap(1, 0.05)) == pytest.approx(DRAW_SHARE)
    # paced (Play), the cores wait anyway: only the server's part counts
    assert 0.05 / (0.05 + draw_gap(1, 0.05, paced=True)) == pytest.approx(DRAW_SHARE)
    assert draw_gap(1, 0.005, paced=True) == DRAW_EVERY  # five frames a second to watch


def test_running_loops_are_counted_even_when_one_fails():
    from ui.training import counted_loop, loops_running

    before = loops_running()
    with counted_loop(), counted_loop():
        assert loops_running() == before + 2
    with pytest.raises(RuntimeError), counted_loop():
        assert loops_running() == before + 1
        raise RuntimeError("a stop in mid-run")
    assert loops_running() == before


class _Slot:
    """A stand-in for ``st.empty()`` that counts what is drawn into it."""

    def __init__(self):
        self.charts = 0
        self.bars = []

    def plotly_chart(self, *args, **kwargs):
        self.charts += 1

    def progress(self, value, text=""):
        self.bars.append(value)
        return self

    def warning(self, *args, **kwargs):
        raise AssertionError("the loop was refused")


def lecture_run():
    """A session holding one untrained run of the lecture's MF preset: (state, run, trainer)."""
    p = PRESETS["lecture-mf"]
    ratings = load_sample(p.sample).with_scale(p.scale)
    trainer = Trainer(ratings, p.model_name, p.model_config, p.train_config)
    run = Run(id=1, model_name=p.model_name, data_name="solo", trainer=trainer)
    s = fresh_state()
    state.runs(s).append(run)
    return s, run, trainer


def test_a_short_run_is_not_drawn_by_the_loop_the_page_run_after_draws_it(monkeypatch):
    """A run that ends within one redraw gap (the lecture's 100 epochs take ~0.1 s; the gap
    is 0.25 s or more) draws no chart from the loop (the caller's st.rerun draws the still
    picture), only the progress bar, which ends full. The gap is made long here, so the test
    does not hang on how busy the machine is."""
    from ui import training
    from ui.training import train_live

    monkeypatch.setattr(training, "draw_gap", lambda *args, **kwargs: 3600.0)
    s, run, trainer = lecture_run()
    chart, progress = _Slot(), _Slot()
    frames = []
    train_live(s, run, 100, chart, progress, on_frame=frames.append)
    assert trainer.epochs_run == 100 and run.result is not None
    assert chart.charts == 0 and frames == []
    assert progress.bars[-1] == 1.0


@pytest.mark.parametrize("switch, drawn", [(None, True), ("0", False)])
def test_the_server_switch_turns_drawing_while_training_off(monkeypatch, switch, drawn):
    """``RECSYS_DRAW_WHILE_TRAINING=0`` (the app-speed bench's second server): a run long
    enough to be redrawn draws no chart and no frames, only the progress bar; unset, it
    draws both."""
    from ui.training import DRAW_SWITCH, train_live

    if switch is None:
        monkeypatch.delenv(DRAW_SWITCH, raising=False)
    else:
        monkeypatch.setenv(DRAW_SWITCH, switch)
    s, run, trainer = lecture_run()
    chart, progress = _Slot(), _Slot()
    frames = []
    train_live(s, run, 100, chart, progress, on_frame=frames.append, pace=200)  # 0.5 s
    assert trainer.epochs_run == 100 and run.result is not None
    assert (chart.charts > 0 and len(frames) > 0) is drawn
    assert (chart.charts == 0 and frames == []) is not drawn
    assert len(progress.bars) > 2 and progress.bars[-1] == 1.0


# ----- starting the server ----------------------------------------------------------------------
def test_make_run_starts_streamlit_on_app_py_and_warms_the_imports_beside_it():
    """``serve.main`` hands Streamlit its command line, starts the warm-up thread, and keeps
    the garbage collector off while both import; the warm-up imports what the first script
    run needs and turns the collector back on with the imports frozen. In a fresh process
    (the collector's state is the process's), the thread's work done in turn after ``main``."""
    check = """
import gc, json, sys, threading
from streamlit.web import cli
import serve
seen = {}
def fake_main():
    seen["argv"], seen["gc_on_while_starting"] = list(sys.argv), gc.isenabled()
    return 0
cli.main = fake_main
started = []
threading.Thread.start = lambda self: started.append(self)
sys.argv = ["serve"]
seen["rc"] = serve.main(["--server.port", "8765"])
seen["threads"] = [t.name for t in started]
seen["gc_on_before_warm_up"] = gc.isenabled()
started[0].run()  # only imports: it must not fail nor touch a session
seen["imported"] = all(m in sys.modules for m in ("torch", "recsys_core.training.trainer"))
seen["gc_on_after"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()
print(json.dumps(seen))
"""
    done = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rc"] == 0 and seen["threads"] == ["warm-up"]
    assert seen["argv"] == ["streamlit", "run", str(ROOT / "app.py"), "--server.port", "8765"]
    assert seen["gc_on_while_starting"] is False and seen["gc_on_before_warm_up"] is False
    assert seen["imported"] and seen["gc_on_after"] is True
    assert seen["frozen"] > 100_000  # torch, pandas, plotly and the app's modules


def test_the_warm_up_pays_what_the_first_script_run_would_pay_on_first_use():
    """Streamlit's emoji pattern (compiled when a segmented control first meets a non-ASCII
    label: the sidebar's 한국어) and plotly's template are made by ``first_use_costs``, in a
    fresh process where nothing else made them."""
    check = ("import sys, plotly.io as pio, serve; serve.first_use_costs(); "
             "print('streamlit.emojis' in sys.modules, "
             "type(pio.templates._templates['plotly_white']).__name__ == 'Template')")
    done = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_a_drawer_without_a_chart_moves_only_its_bar(monkeypatch):
    """A what-if on Results draws only a progress bar: a redraw due must not look for a
    chart (it once did, and a slow what-if ended in a traceback)."""
    import ui.training as training_view
    from ui.training import LiveDrawer, train_live

    monkeypatch.setattr(training_view, "draw_gap", lambda *args, **kwargs: 0.0)
    s, run, trainer = lecture_run()
    progress = _Slot()
    frames = []
    drawer = LiveDrawer(None, progress, on_frame=frames.append)
    state.service(s).train(run, 20, observer=drawer, kind="whatif")
    assert trainer.epochs_run == 20 and progress.bars[-1] == 1.0 and len(frames) > 0
    assert train_live  # the page's own loop draws its chart (tests above)
