"""Watch it learn (AppTest): the control bar (train / pause / step / reset, the speed), the
learning rate changed mid-run, a cell's arithmetic, the factor matrices, tuning and classroom
mode.

AppTest cannot click a plotly chart nor watch frames arrive: the click's handling is tested on
the selection event it produces (:func:`ui.cell_explain.take_click`), and the browser tests
(tests/e2e/test_watch.py) watch the heatmap move, click a cell and open a classroom link.
"""

from __future__ import annotations

import base64
import math
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from recsys_core.results import figures
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.trainer import TrainConfig
from tests.app.helpers import chart, click, fresh, go
from ui import cell_explain, classroom_view, paths, state
from ui.classroom import controls


def epoch(at: AppTest) -> int:
    """The epoch counter (the Train page's only metric)."""
    return int(at.metric[0].value.replace(",", ""))


def array(value) -> np.ndarray:
    """A plotly JSON array: a list, or the typed form ``{"dtype", "bdata", "shape"}``."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = [int(n) for n in str(value.get("shape", len(flat))).split(",")]
        return flat.reshape(shape).astype(float)
    return np.array(value, dtype=float)


def cells(fig: dict) -> np.ndarray:
    """The heatmap's numbers, rated and filled-in cells together."""
    layers = [array(t["z"]) for t in fig["data"] if t["type"] == "heatmap"]
    z = np.full(layers[0].shape, np.nan)
    for values in layers:
        z = np.where(np.isnan(values), z, values)
    return z


def has_key(at: AppTest, key: str) -> bool:
    try:
        return at.get_by_key(key) is not None
    except KeyError:
        return False


def run_now(at: AppTest):
    """The current run (AppTest's session state is a plain mapping without setdefault)."""
    runs = at.session_state[state.RUNS]
    wanted = at.session_state[state.CURRENT_RUN]
    return next((r for r in runs if r.id == wanted), runs[-1] if runs else None)


def train_page(at: AppTest) -> AppTest:
    return go(at, paths.TRAIN)


# ----- the controls ---------------------------------------------------------------------------
def captions(at: AppTest) -> str:
    """The captions as read (markdown's escapes taken out)."""
    return "\n".join(c.value for c in at.caption).replace("\\", "")


def test_train_page_has_one_control_bar_and_the_charts():
    at = train_page(fresh())
    assert [b.key for b in at.button if b.key in ("train", "stop", "step", "reset")] == \
        ["train", "stop", "step", "reset"]
    assert not {"play", "pause", "continue", "warm_start", "live_lr"} & \
        {b.key for b in at.button}
    for key in ("control_bar", "bar_rule", "epoch_counter", "live_heatmap",
                "live_embedding_map", "loss_chart", "live_speed", "live_view", "more_settings"):
        assert at.get_by_key(key) is not None, key
    assert epoch(at) == 0
    assert at.segmented_control(key="live_speed").value == 0  # full speed
    fig = chart(at, "live_heatmap")  # before any run: the data as it is
    assert fig["layout"]["meta"]["view"] == "observed"
    assert "Train starts the first run" in captions(at)


def test_reset_gives_the_same_starting_predictions_and_does_not_pile_up_runs():
    at = train_page(fresh())
    click(at, "reset")
    first = run_now(at)
    assert first.trainer.epochs_run == 0 and epoch(at) == 0
    start = cells(chart(at, "live_heatmap"))
    assert chart(at, "live_heatmap")["layout"]["meta"]["epoch"] == 0
    click(at, "step")
    click(at, "step")
    assert epoch(at) == 2
    assert not np.allclose(cells(chart(at, "live_heatmap")), start)
    click(at, "reset")
    again = run_now(at)
    assert again.id != first.id and again.trainer.epochs_run == 0
    np.testing.assert_array_equal(cells(chart(at, "live_heatmap")), start)
    click(at, "reset")  # a reset of an untouched reset replaces it
    runs = at.session_state[state.RUNS]
    assert len(runs) == 2 and runs[-1].trainer.epochs_run == 0
    for page in (paths.RESULTS, paths.COMPARE):  # an untrained run is no trouble elsewhere
        go(at, page)


def test_step_adds_one_epoch_and_the_loss_moves():
    at = train_page(fresh())
    at.number_input(key="tc-mf-epochs").set_value(20)
    click(at, "train")
    run = run_now(at)
    assert epoch(at) == 20
    click(at, "step")
    assert run_now(at) is run and epoch(at) == 21 and run.trainer.epochs_run == 21
    history = run.trainer.history
    assert history[-1].epoch == 21 and history[-1].train_loss != history[-2].train_loss
    assert run.calls[-1] == (20, 1)  # the exported code repeats the step


def test_step_turns_on_the_last_update_and_says_so():
    """The lecture's preset computes the last epoch's loss without updating: a step would not
    move the model, so stepping turns the update on and the page records it."""
    at = train_page(fresh())
    name = next(n for n, p in PRESETS.items() if not p.train_config.final_step)
    click(at, f"preset_{name}")
    click(at, "train")
    run = run_now(at)
    assert run.trainer.train.final_step is False
    before = np.array(cells(chart(at, "live_heatmap")))
    click(at, "step")
    assert run.trainer.train.final_step is True and run.preset is None
    assert not np.allclose(cells(chart(at, "live_heatmap")), before)
    assert "update after the last epoch" in captions(at)


def test_learning_rate_changed_while_paused_can_go_on_from_there():
    """A new learning rate starts a new run, unless the person asks to go on with the paused
    run at the new rate (TensorFlow Playground's way): then its weights and the optimiser's
    state carry on, and the change is recorded."""
    at = train_page(fresh())
    click(at, "reset")
    click(at, "step")
    run = run_now(at)
    assert at.number_input(key="tc-mf-lr").value == pytest.approx(run.trainer.train.lr)
    at.number_input(key="tc-mf-lr").set_value(0.002).run()
    assert not at.exception
    assert "Train starts a new run: Learning rate changed" in captions(at)
    weights = {k: v.clone() for k, v in run.trainer.model.state_dict().items()}
    assert run.trainer.train.lr != 0.002  # nothing happens before a press
    at.checkbox(key="go_on_lr").check().run()
    click(at, "step")
    assert run_now(at) is run and len(at.session_state[state.RUNS]) == 1
    assert run.trainer.train.lr == 0.002
    assert all(group["lr"] == 0.002 for group in run.trainer.optimizer.param_groups)
    assert any(not np.array_equal(v.numpy(), weights[k].numpy())
               for k, v in run.trainer.model.state_dict().items())
    assert run.trainer.epochs_run == 2 and epoch(at) == 2
    note = captions(at)
    assert "learning rate 0.002 from epoch 1" in note and "no longer repeats" in note
    assert "Train goes on with #1 MF from epoch 2" in note  # the run now has the new rate
    go(at, paths.RESULTS)
    assert any("learning rate 0.002" in w.value for w in at.warning)


def test_without_going_on_a_new_learning_rate_is_a_new_run():
    at = train_page(fresh())
    at.number_input(key="tc-mf-epochs").set_value(5)
    click(at, "train")
    at.number_input(key="tc-mf-lr").set_value(0.02).run()
    click(at, "train")
    first, second = at.session_state[state.RUNS]
    assert first.trainer.train.lr != 0.02 and first.changes == []
    assert second.trainer.train.lr == 0.02 and run_now(at) is second


def test_train_runs_at_full_speed_by_default_and_goes_on_from_there():
    at = train_page(fresh())
    at.number_input(key="tc-mf-epochs").set_value(15)
    click(at, "train")  # no run yet: Train starts one from the form
    run = run_now(at)
    assert run.trainer.epochs_run == 15 and epoch(at) == 15
    assert run.result is not None and run.result.status == "completed"
    click(at, "train")  # and goes on from there
    assert run_now(at) is run and run.trainer.epochs_run == 30


def test_a_slower_speed_paces_the_training():
    import time

    at = train_page(fresh())
    at.number_input(key="tc-mf-epochs").set_value(10)
    at.segmented_control(key="live_speed").set_value(50).run()
    started = time.perf_counter()
    click(at, "train")
    assert time.perf_counter() - started >= 10 / 50 * 0.9
    assert run_now(at).trainer.epochs_run == 10


def test_pause_stops_a_running_loop_quietly(solo):
    from recsys_core.models import MODELS
    from recsys_core.training.session import Run
    from recsys_core.training.trainer import Trainer

    trainer = Trainer(solo, "mf", MODELS["mf"].config_cls(), TrainConfig(epochs=5))
    loop = trainer.run(5)
    next(loop)  # one epoch, then the loop is cut off (as a click does)
    s = {state.RUNS: [Run(1, "mf", "solo", trainer=trainer)], state.NOTICE: None}
    paused = state.service(s).pause()
    assert paused.id == 1 and trainer.status == "stopped"
    assert paused.result.epochs_run == 1
    assert state.settle_interrupted(s) is None and s[state.NOTICE] is None


def test_large_matrix_keeps_only_the_loss_chart_live():
    at = fresh()
    go(at, paths.DATA)
    at.number_input(key="syn_users").set_value(60)
    at.number_input(key="syn_items").set_value(50)
    click(at, "generate")
    go(at, paths.TRAIN)
    info = "\n".join(i.value for i in at.info)
    assert "3,000 cells" in info and "only the loss chart moves" in info


def test_korean_controls():
    at = train_page(fresh("ko-KR"))
    labels = {b.key: b.label for b in at.button}
    assert labels["train"] == "학습" and labels["stop"] == "일시정지"
    assert labels["step"] == "한 에폭" and labels["reset"] == "처음으로"
    assert "학습을 누르면 이 설정으로 첫 실행을 시작합니다" in captions(at)
    assert at.get_by_key("epoch_counter") is not None
    assert at.metric[0].label == "에폭"


# ----- a cell's arithmetic ----------------------------------------------------------------
def parse(value: str) -> list[float]:
    return [float(x) for x in value.strip("[]").split(",") if x.strip() and "…" not in x]


def test_results_breakdown_adds_up_to_the_prediction():
    at = train_page(fresh())
    at.number_input(key="tc-mf-epochs").set_value(30)
    click(at, "train")
    go(at, paths.RESULTS)
    result = run_now(at).result
    at.selectbox(key="cell_user").set_value(8).run()
    at.selectbox(key="cell_item").set_value(2).run()
    table = at.table[0].value
    rows = {name: parse(v) for name, v in zip(table.index, table["value"], strict=True)}
    dot = rows["dot product p_u · q_i"][0]
    assert sum(rows["products, factor by factor"]) == pytest.approx(dot, abs=1e-5)
    score = rows["score"][0]
    parts = dot + rows["user bias b_u (W_bias)"][0] + rows["item bias b_i (M_bias)"][0]
    assert parts == pytest.approx(score, abs=1e-5)
    offset = rows.get("offset: an untrained model starts at the average rating", [0.0])[0]
    sig = 1 / (1 + math.exp(-(score + offset)))
    assert sig == pytest.approx(rows["sigmoid: squashed between 0 and 1"][0], abs=1e-5)
    rating = rows["predicted rating"][0]
    assert rating == pytest.approx(float(result.predicted[8, 2]), abs=1e-4)
    line = next(t.value for t in at.text if "predicted" in t.value)
    assert line.startswith("하니(I) x 영호(IS): predicted ")
    assert not [c for c in at.code if "torch.tensor([8])" in c.value]  # closed: not made
    at.session_state["cell_code"] = True  # the reader opens "in the exported code's terms"
    at.run()
    codes = [c.value for c in at.code if "W_feature = net.ebdd1(X1)" in c.value]
    assert codes and "X1, X2 = torch.tensor([8]), torch.tensor([2])" in codes[0]


@pytest.mark.parametrize("model", ["NN (lecture network)", "NeuMF (NCF)", "GMF (NCF)",
                                   "MLP (NCF)", "Baseline (average + biases)"])
def test_every_model_type_has_a_breakdown_and_factor_figures(model):
    at = fresh()
    go(at, paths.TRAIN)
    at.selectbox(key="model").select(model).run()
    name = at.selectbox(key="model").value
    at.number_input(key=f"tc-{name}-epochs").set_value(3)
    click(at, "train")
    go(at, paths.RESULTS)
    table = at.table[0].value
    assert float(table["value"].iloc[-1]) == pytest.approx(
        float(run_now(at).result.predicted[0, 0]), abs=1e-4)
    for key in ("factor_users", "factor_items", "factor_product", "cell_breakdown"):
        assert at.get_by_key(key) is not None, key


def test_factor_figures_speak_korean():
    at = train_page(fresh("ko-KR"))
    click(at, "train")
    go(at, paths.RESULTS)
    fig = chart(at, "factor_users")
    assert fig["layout"]["title"]["text"].startswith("사용자 요인 U")
    assert "요인 1" in fig["layout"]["xaxis"]["ticktext"]
    assert "두 얇은 행렬" in chart(at, "factor_product")["layout"]["title"]["text"]
    table = at.table[0].value
    assert "내적 p_u · q_i" in list(table.index) and table.index.name == "단계"


def test_a_click_on_a_heatmap_cell_chooses_it(solo):
    fig = figures.heatmap(solo, np.full((9, 8), 2.5), view="completed")
    fig = cell_explain.clickable(fig, solo, (3, 4))
    layer = next(t for t in fig.data if t.name == cell_explain.CELLS_TRACE)
    assert len(layer.x) == 72 and list(layer.customdata[0][-2:]) == [0, 0]
    assert all(t.hoverinfo == "skip" for t in fig.data if t.type == "heatmap")
    outline = [t for t in fig.data if t.name == cell_explain.CHOSEN_TRACE]
    assert outline and (outline[0].x[0], outline[0].y[0]) == (4, 3)
    k = 8 * 7 + 2  # row 7, column 2
    event = {"selection": {"points": [{"curve_number": 3, "point_index": k,
                                       "customdata": list(layer.customdata[k])}]}}
    s = {"heatmap_cells": event}
    assert cell_explain.take_click(s, "heatmap_cells", solo) is True
    assert (s[cell_explain.CELL_USER], s[cell_explain.CELL_ITEM]) == (7, 2)
    s[cell_explain.CELL_USER] = 1  # the pickers moved on: the same click is not taken again
    assert cell_explain.take_click(s, "heatmap_cells", solo) is False
    assert s[cell_explain.CELL_USER] == 1



def test_a_large_heatmaps_click_layer_draws_no_shapes_and_still_answers_everywhere():
    """Above figures.VALUE_TEXT_LIMIT cells the click points are empty text (no SVG shape
    each: 3,600 invisible squares doubled the heatmap's drawing) and the nearest point answers
    the mouse anywhere; a small matrix keeps its invisible squares (as the test above)."""
    from recsys_core.data.synthetic import generate_long

    big = generate_long(n_ratings=20_000, n_users=200, n_items=400, seed=0)
    fig = figures.heatmap(big, np.full((200, 400), 3.0), view="completed", max_rows=60)
    fig = cell_explain.clickable(fig, big, (0, 0))
    layer = next(t for t in fig.data if t.name == cell_explain.CELLS_TRACE)
    assert len(layer.x) == 60 * 60 and layer.mode == "text" and set(layer.text) == {""}
    assert fig.layout.hoverdistance == -1
    u, i = layer.customdata[61][-2:]  # row 1, column 1: still a real user and item
    assert (big.users[u], big.items[i]) == (layer.customdata[61][0], layer.customdata[61][1])
    small = cell_explain.clickable(figures.heatmap(big, np.full((200, 400), 3.0),
                                                   max_rows=20, max_cols=20), big, (0, 0))
    layer = next(t for t in small.data if t.name == cell_explain.CELLS_TRACE)
    assert layer.mode == "markers" and small.layout.hoverdistance is None

# ----- tuning -------------------------------------------------------------------------------
def test_tuning_table_and_apply_best_in_one_click():
    at = train_page(fresh())
    at.number_input(key="tc-mf-epochs").set_value(20)
    at.number_input(key="tune_seconds").set_value(5)
    click(at, "tune")
    frame = at.get_by_key("tune_table")
    assert frame is not None
    found = at.session_state["tune_result"]["result"]
    best = found.best
    assert len(found.table) == found.tried >= 1
    assert any("Test data never took part" in i.value for i in at.info)
    click(at, "tune_apply")
    if best["dim"] is not None:
        assert at.number_input(key="cfg-mf-dim").value == best["dim"]
    assert at.number_input(key="tc-mf-lr").value == pytest.approx(best["lr"])
    assert at.number_input(key="tc-mf-weight_decay").value == pytest.approx(best["weight_decay"])
    assert at.number_input(key="tc-mf-epochs").value == 20  # the rest stays as it was


def test_tuning_around_the_settings_tries_sizes_then_decays():
    """The auto search (issue 17): embedding sizes up to the form's at its weight decay, then
    half and twice that decay at the best size; the form's own setting is one of the trials."""
    at = train_page(fresh())
    at.number_input(key="cfg-mf-dim").set_value(16)
    at.number_input(key="tc-mf-epochs").set_value(20)
    decay = at.number_input(key="tc-mf-weight_decay").value
    at.segmented_control(key="tune_how").set_value("auto").run()
    caption = "\n".join(c.value for c in at.get_by_key("tuning").get("caption"))
    assert "embedding sizes up to the one set above (8, 16)" in caption and "up to 4 settings" in caption
    click(at, "tune")
    found = at.session_state["tune_result"]["result"]
    table = found.table
    assert found.planned == 4 and 1 <= len(table) <= 4 and set(table["dim"]) <= {8, 16}
    first_round = table[np.isclose(table["weight_decay"], decay)]
    assert set(first_round["dim"]) == {8, 16}  # the form's own size among them
    others = sorted(set(table["weight_decay"]) - {decay})
    assert others == pytest.approx(sorted([decay / 2, decay * 2]))
    assert at.segmented_control(key="tune_how").value == "auto"
    go(at, paths.RESULTS)
    go(at, paths.TRAIN)
    assert at.segmented_control(key="tune_how").value == "auto"  # kept across pages


def test_tuning_around_the_baseline_searches_its_weight_decay_only():
    at = train_page(fresh())
    at.selectbox(key="model").select("baseline").run()
    at.segmented_control(key="tune_how").set_value("auto").run()
    assert not at.exception
    caption = "\n".join(c.value for c in at.get_by_key("tuning").get("caption"))
    assert "then half and twice it" in caption and "embedding sizes" not in caption


# ----- classroom mode -----------------------------------------------------------------------
def test_teacher_gets_a_link_with_the_hidden_controls():
    at = train_page(fresh())
    assert not has_key(at, "classroom_link")  # the panel is closed: nothing of it is made
    at.session_state["classroom"] = True  # the teacher opens the panel
    at.run()
    at.multiselect(key="classroom_hide").set_value(["lr", "play", "tuning"]).run()
    assert not at.exception
    link = next(c.value for c in at.get_by_key("classroom_link").get("code"))
    query = parse_qs(urlsplit(link).query)
    assert query["hide"] == ["play,tuning,lr"]
    assert query["sample"] == ["solo"] and query["model"] == ["mf"]
    assert urlsplit(link).path.endswith("/train")
    assert "hide" not in at.query_params  # the teacher's own page hides nothing


def test_a_classroom_link_opens_with_the_controls_hidden():
    at = fresh(query={"sample": "solo", "model": "mf", "lr": "0.05",
                      "hide": "lr,play,step,tuning,model"})
    at = train_page(at)
    keys = {b.key for b in at.button}
    assert "step" not in keys and {"train", "stop", "reset"} <= keys
    assert not has_key(at, "live_speed") and not has_key(at, "tuning")
    assert not has_key(at, "classroom")  # no teacher's panel in a class
    assert at.number_input(key="tc-mf-lr").value == 0.05  # hidden, but the link's value
    sheet = "\n".join(h.proto.body for h in at.get("html"))
    assert sheet.count(classroom_view.CLASSROOM_CSS) == 1  # the fixed sheet, and markers:
    for name in ("lr", "play", "step", "tuning", "model"):
        assert has_key(at, classroom_view.marker_key(name)), name
    assert not has_key(at, classroom_view.marker_key("seed"))
    assert "5 control(s) are hidden" in "\n".join(c.value for c in at.sidebar.caption)
    assert at.query_params["hide"] == "model,play,step,tuning,lr"
    go(at, paths.RESULTS)  # the address bar keeps hide= on every page
    assert at.query_params["hide"] == "model,play,step,tuning,lr"


def test_a_link_with_unknown_names_says_so_and_hides_the_known_ones():
    at = train_page(fresh(query={"hide": "seed,<script>,nonsense"}))
    warning = "\n".join(w.value for w in at.sidebar.warning)
    assert "nonsense" in warning and "script" not in warning.replace("\\", "")
    assert classroom_view.hidden(at.session_state) == frozenset({"seed"})


def test_every_control_name_has_words_and_a_selector():
    for name in controls():
        assert classroom_view.control_name(name) != name, name
        assert classroom_view.selectors([name]), name
    assert classroom_view.selectors(["nonsense"]) == []
    sheet = classroom_view.CLASSROOM_CSS
    assert ".stApp:has(.st-key-classroom_hide_play) .st-key-live_speed" in sheet
    assert ".stApp:has(.st-key-classroom_hide_lr) .st-key-tc-mf-lr" in sheet
    assert '.stApp:has(.st-key-classroom_hide_advanced) [class*="st-key-advanced_"]' in sheet


def test_switching_the_language_on_train_redraws_the_bar_in_the_new_language():
    """The speed choice is a translated choice widget: after a language switch its value is
    set again before the bar draws it (after, Streamlit refuses: a traceback on the page)."""
    at = train_page(fresh())
    at.segmented_control(key="live_speed").set_value(10).run()
    at.segmented_control(key="lang").set_value("ko").run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="live_speed").value == 10
    assert {b.key: b.label for b in at.button}["train"] == "학습"
