"""The Streamlit app driven headless with AppTest: every page loads, the main widgets act.

AppTest cannot upload files or type into st.data_editor: the upload handler and the editor's
edit replay are tested directly (tests/app/test_ui_helpers.py); the browser tests do the rest.
"""

from __future__ import annotations

import pytest

from recsys_core.teaching.presets import PRESETS
from recsys_core.training.trainer import Trainer
from tests.app.helpers import chart, fresh, go, metrics, texts, train
from tests.tolerance import assert_rounds_to
from ui import paths

PAGES = [paths.DATA, paths.TRAIN, paths.RESULTS, paths.COMPARE, paths.GUIDE]


# ----- every page ------------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_runs(page):
    at = go(fresh(), page)
    assert at.title, f"{page} has no title"
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_after_a_run(page):
    at = train(fresh())
    go(at, page)
    assert not at.error


def test_first_visit_opens_on_the_course_matrix_ready_to_train():
    at = fresh()
    ratings = at.session_state["ratings"]
    assert (ratings.n_users, ratings.n_items, ratings.n_ratings) == (9, 8, 63)
    assert at.button(key="train")  # the default page is Train: one click trains
    assert not at.button(key="train").disabled


def test_the_app_gives_every_figure_its_template_as_plotlys_default(monkeypatch):
    """app.py makes the figures' template plotly's default (figures then get it without
    plotly validating and copying it): the Train page's charts carry it."""
    import plotly.io as pio

    from recsys_core.results.figures import TEMPLATE

    monkeypatch.setattr(pio.templates, "default", "plotly")  # as a fresh process has it
    at = fresh()
    assert pio.templates.default == TEMPLATE
    template = chart(at, "loss_chart")["layout"]["template"]
    assert template["layout"]["paper_bgcolor"] == "white"


# ----- data ------------------------------------------------------------------------------------
def test_data_summary_and_ragged_row_warning():
    at = go(fresh(), paths.DATA)
    assert metrics(at)["Users"] == "9"
    assert metrics(at)["Ratings"] == "63"
    assert "보람" in texts(at.warning)  # the short row is reported in words
    assert at.selectbox(key="sample").value == "solo"
    assert at.get_by_key("editor") is not None  # small data: the editable grid


def test_picking_a_sample_changes_the_summary():
    at = go(fresh(), paths.DATA)
    at.selectbox(key="sample").select("coffee").run()
    assert not at.exception
    assert metrics(at)["Users"] == "100"
    assert metrics(at)["Items"] == "20"
    assert at.session_state["ratings"].n_ratings == 1000


def test_movielens_is_shown_paged_with_its_licence():
    at = go(fresh(), paths.DATA)
    at.selectbox(key="sample").select("movielens").run(timeout=120)
    assert not at.exception
    assert metrics(at)["Users"] == "610"
    assert "non-commercial" in texts(at.text)
    assert at.number_input(key="data_user_page").value == 1  # read-only paged view
    with pytest.raises(KeyError):
        at.get_by_key("editor")


def test_synthetic_data_carries_its_truth():
    at = go(fresh(), paths.DATA)
    at.number_input(key="syn_users").set_value(12)
    at.number_input(key="syn_items").set_value(10)
    at.number_input(key="syn_groups").set_value(2)
    at.button(key="generate").click().run()
    assert not at.exception
    ratings = at.session_state["ratings"]
    assert (ratings.n_users, ratings.n_items) == (12, 10)
    assert ratings.truth is not None
    train(at, epochs=30)
    go(at, paths.RESULTS)
    assert "hidden truth" in texts(at.markdown)


# ----- train -----------------------------------------------------------------------------------
def test_model_picker_lists_six_models_with_descriptions():
    at = fresh()
    picker = at.selectbox(key="model")
    assert picker.options == ["MF (matrix factorisation)", "NN (lecture network)", "GMF (NCF)",
                              "MLP (NCF)", "NeuMF (NCF)", "Baseline (average + biases)"]
    assert "dot product" in texts(at.caption)


def test_form_is_generated_and_prefilled_for_each_model():
    at = fresh()
    assert at.number_input(key="cfg-mf-dim").value == 2  # suggested for 63 ratings
    assert at.number_input(key="tc-mf-epochs").value == 200
    at.selectbox(key="model").select("NN (lecture network)").run()
    assert at.text_input(key="cfg-nn-hidden").value == "32,16"
    assert at.selectbox(key="cfg-nn-activation").options == ["relu", "tanh", "sigmoid", "gelu"]
    at.text_input(key="cfg-nn-hidden").input("15,x").run()
    assert "Hidden layers" in texts(at.error)
    assert at.button(key="train").disabled


def test_form_values_survive_a_page_switch():
    at = fresh()
    at.number_input(key="tc-mf-epochs").set_value(7).run()
    go(at, paths.DATA)
    go(at, paths.TRAIN)
    assert at.number_input(key="tc-mf-epochs").value == 7


def test_train_produces_a_run_with_history_and_a_loss_chart():
    at = train(fresh(), epochs=5)
    runs = at.session_state["runs"]
    assert len(runs) == 1
    assert runs[0].status == "completed"
    assert len(runs[0].result.history) == 5
    assert at.get_by_key("loss_chart") is not None
    assert "finished, 5 epoch(s)" in texts(at.success)


def test_train_again_goes_on_with_the_same_run_when_nothing_changed():
    at = train(fresh(), epochs=5)
    assert "Train goes on with" in texts(at.caption)
    at.number_input(key="tc-mf-epochs").set_value(3)
    at.button(key="train").click().run()
    runs = at.session_state["runs"]
    assert len(runs) == 1
    assert runs[0].result.epochs_run == 8
    assert "went on from epoch 5" in texts(at.caption)


def test_a_changed_setting_makes_train_start_a_new_run_and_say_why():
    at = train(fresh(), epochs=5)
    at.number_input(key="tc-mf-lr").set_value(0.02).run()
    rule = texts(at.caption).replace("\\", "")
    assert "Train starts a new run: Learning rate changed (0.1 → 0.02)" in rule
    at.button(key="train").click().run()
    runs = at.session_state["runs"]
    assert [r.id for r in runs] == [1, 2] and runs[0].result.epochs_run == 5
    assert runs[1].trainer.train.lr == 0.02
    assert "New run #2 MF: Learning rate changed (0.1 → 0.02)." in \
        texts(at.caption).replace("\\", "")


@pytest.mark.parametrize("model", ["NN (lecture network)", "GMF (NCF)", "MLP (NCF)",
                                   "NeuMF (NCF)", "Baseline (average + biases)"])
def test_every_model_trains(model):
    at = train(fresh(), epochs=3, model=model)
    assert at.session_state["runs"][-1].result.epochs_run == 3


def test_lecture_mf_preset_reproduces_the_printed_numbers():
    at = fresh()
    at.button(key="preset_lecture-mf").click().run()
    assert at.selectbox(key="model").value == "mf"
    assert at.number_input(key="tc-mf-seed").value == 43052
    assert "99 updates" in texts(at.info)
    at.button(key="train").click().run()
    run = at.session_state["runs"][-1]
    assert run.preset == "lecture-mf"
    printed = PRESETS["lecture-mf"].printed["every_4th"]
    assert_rounds_to(run.result.observed_predictions()[::4], printed, 4)  # see test_presets
    go(at, paths.RESULTS)
    assert "No ratings were held out" in texts(at.markdown)
    assert any(df.value.shape[0] == len(printed) for df in at.dataframe)


def test_interrupted_training_is_kept_as_a_stopped_run():
    """A click (Stop, another page) cuts the loop off at the next st.* call: the next script run
    finds the trainer still "running", stops it and keeps the partial model as the run."""
    at = train(fresh(), epochs=2)
    run = at.session_state["runs"][-1]
    trainer = Trainer(run.trainer.ratings, "mf", run.trainer.model_config, run.trainer.train)
    loop = trainer.run(50)
    for _ in range(3):
        next(loop)  # three epochs done, then the "click" interrupts
    run.trainer = trainer
    assert trainer.status == "running"
    at.button(key="stop").click().run()
    assert not at.exception
    assert run.status == "stopped"
    assert run.result.epochs_run == 3
    assert "paused after 3 epoch(s)" in texts(at.warning)
    go(at, paths.COMPARE)
    table = at.dataframe[0].value
    assert "stopped by request" in set(table["status"])


def test_warm_start_after_an_edit():
    from ui.editing import editor_frame, frame_to_ratings
    from ui.state import set_data

    at = train(fresh(), epochs=5)
    ratings = at.session_state["ratings"]
    frame = editor_frame(ratings)
    frame.iat[0, 1] = 4.5  # 옥순(IN)'s empty 영식(IN) cell gets a rating
    edited = frame_to_ratings(frame, ratings)
    state = {k: at.session_state[k] for k in ("ratings", "data_rev", "dataset_id")}
    set_data(state, edited, "", "", new_dataset=False)
    for key, value in state.items():
        at.session_state[key] = value
    at.session_state["data_edited"] = True
    at.run()
    assert "Train starts a new run: the data changed" in texts(at.caption).replace("\\", "")
    at.number_input(key="tc-mf-epochs").set_value(4)
    at.checkbox(key="warm_start").check()
    at.button(key="train").click().run()
    assert not at.exception
    run = at.session_state["runs"][-1]
    assert run.warm_from == 1
    assert run.result.ratings.n_ratings == 64
    assert run.result.epochs_run == 4


# ----- results ---------------------------------------------------------------------------------
def test_results_say_the_accuracy_in_words_and_offer_downloads():
    at = train(fresh(), epochs=20)
    go(at, paths.RESULTS)
    sentence = texts(at.markdown)
    assert "held-out ratings the model was off by" in sentence
    assert "always-average baseline is off by" in sentence
    for key in ("heatmap", "embedding_map", "download_completed_csv",
                "download_predictions_csv", "download_completed_xlsx", "download_top_n_csv",
                "download_model", "download_summary_json"):
        assert at.get_by_key(key) is not None, key
    assert {"user", "rank", "item", "prediction", "because"} <= set(at.dataframe[-1].value)


def test_results_heatmap_view_toggle_and_top_n_filter():
    at = train(fresh(), epochs=5)
    go(at, paths.RESULTS)
    for view in ("observed", "predicted", "residual", "completed"):
        at.segmented_control(key="heatmap_view").set_value(view).run()
        assert not at.exception
    at.selectbox(key="topn_user").select("하니(I)").run()
    assert set(at.dataframe[-1].value["user"]) == {"하니(I)"}


def test_results_for_the_baseline_have_no_embedding_map():
    at = train(fresh(), epochs=5, model="Baseline (average + biases)")
    go(at, paths.RESULTS)
    assert "no embeddings" in texts(at.info)


# ----- compare ---------------------------------------------------------------------------------
def test_compare_lists_runs_and_deletes_one():
    at = train(fresh(), epochs=3)
    train(at, epochs=4, model="GMF (NCF)")
    go(at, paths.COMPARE)
    table = at.dataframe[0].value
    assert list(table["epochs"]) == [3, 4]
    # the key numbers first, in the Results page's words; the long hyperparameters last
    assert list(table.columns)[:5] == ["run", "model", "off by", "average off by",
                                       "better than average"]
    assert list(table.columns)[-1] == "hyperparameters"
    first = at.session_state["runs"][0].result.metrics()
    assert table["off by"][0] == pytest.approx(first["val_mae"])
    assert table["better than average"][0] == pytest.approx(
        1 - first["val_mae"] / first["baseline_val_mae"])
    assert "Off by" in texts(at.caption) and "stars" in texts(at.caption)
    at.selectbox(key="delete_run").set_value(1)
    at.button(key="delete").click().run()
    assert not at.exception
    assert [r.id for r in at.session_state["runs"]] == [2]
    assert list(at.dataframe[0].value["epochs"]) == [4]


# ----- guide -----------------------------------------------------------------------------------
def test_guide_links_to_the_pages():
    at = go(fresh(), paths.GUIDE)
    assert len(at.get("page_link")) >= 4


def test_divergence_is_explained_in_words():
    at = fresh()
    at.number_input(key="tc-mf-lr").set_value(5.0)
    train(at, epochs=200)
    run = at.session_state["runs"][-1]
    assert run.status == "diverged"
    assert "learning rate" in texts(at.error).lower()


def test_lecture_nn_preset_reproduces_the_printed_numbers():
    at = fresh()
    at.button(key="preset_lecture-nn").click().run()
    assert at.selectbox(key="model").value == "nn"
    assert at.text_input(key="cfg-nn-hidden").value == "15,15"
    at.button(key="train").click().run(timeout=120)
    run = at.session_state["runs"][-1]
    assert run.preset == "lecture-nn" and run.result.epochs_run == 1000
    predicted = run.result.predicted_matrix()
    for user, item, printed in PRESETS["lecture-nn"].printed["pairs"]:
        assert abs(predicted.loc[user, item] - printed) < 0.15  # close, not exact (see presets)
    go(at, paths.RESULTS)
    assert any("lecture" in df.value.columns for df in at.dataframe)


def test_results_of_a_large_matrix_make_the_heavy_sections_only_when_opened():
    """MovieLens (610 x 9,724): code, factors, map and predicted-vs-actual wait in closed
    panels, so the page opens without drawing them; opening one makes it."""
    at = go(fresh(), paths.DATA)
    at.selectbox(key="sample").select("movielens").run(timeout=120)
    train(at, epochs=2)
    go(at, paths.RESULTS)
    script = lambda: [c for c in at.code if "class Net" in c.value]  # noqa: E731
    assert at.get("plotly_chart") and not script()  # the heatmap is there, the script is not
    before = len(at.get("plotly_chart"))
    labels = [e.label for e in at.expander]
    for heading in ("Learned tastes on a map", "Predicted vs actual", "Show code",
                    "The matrix as the product of two thin matrices"):
        assert heading in labels, (heading, labels)
    at.session_state["embedding_panel"] = True  # the reader opens the map
    at.run()
    assert len(at.get("plotly_chart")) == before + 1
    at.session_state["show_code"] = True
    at.run()
    assert script()
    at.session_state["factors_panel"] = True
    at.run()
    assert len(at.get("plotly_chart")) == before + 4  # U, Vᵀ and U x Vᵀ as well


def test_results_of_a_large_matrix_make_the_pickers_of_every_item_only_when_opened():
    """MovieLens: the what-if and the cell breakdown each pick from all 9,724 items (a
    selectbox the browser took over half a second to build); they wait in closed panels
    until opened, and what they chose is kept while they are closed."""
    at = go(fresh(), paths.DATA)
    at.selectbox(key="sample").select("movielens").run(timeout=120)
    train(at, epochs=2)
    go(at, paths.RESULTS)
    keys = lambda: {s.key for s in at.selectbox}  # noqa: E731
    assert not keys() & {"whatif_item", "whatif_user", "cell_item", "cell_user"}, keys()
    assert {"What if? Change one rating and retrain", "How one cell is predicted"} <= {
        e.label for e in at.expander}
    at.session_state["cell_panel"] = True  # the reader opens the breakdown (or clicks a cell)
    at.run()
    at.selectbox(key="cell_item").set_value(5).run()
    assert "cell_item" in keys()
    assert any(at.session_state["runs"][-1].result.ratings.items[5] in t.value for t in at.text)
    at.session_state["cell_panel"] = False
    at.session_state["whatif"] = True
    at.run()
    assert "whatif_item" in keys() and "cell_item" not in keys()
    assert at.session_state["cell_item"] == 5  # kept while its panel is closed
    assert not at.exception


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_results_advice_is_an_experiment_until_measured_then_only_what_helped(lang):
    at = fresh()
    if lang == "ko":
        at.session_state["lang"] = "ko"
    train(at, epochs=3)  # a poor model: the summary has ideas to offer
    go(at, paths.RESULTS)
    summary = texts(at.markdown)
    assert ("Experiments worth trying" if lang == "en" else "시도해 볼 만한 실험") in summary
    at.button(key="measure_advice").click().run()
    assert not at.exception, at.exception
    summary = texts(at.markdown)
    assert ("Measured on the same" if lang == "en" else "같은 검증 평점") in summary
    assert "Experiments worth trying" not in summary and "시도해 볼 만한 실험" not in summary
    assert not [b for b in at.button if b.key == "measure_advice"]  # measured: nothing to press


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_results_of_a_large_matrix_page_through_the_items_too(lang):
    """Issue 13: Results paged through users but always showed the same 60 items."""
    at = go(fresh("en-US" if lang == "en" else "ko-KR"), paths.DATA)
    at.selectbox(key="sample").select("movielens").run(timeout=120)
    train(at, epochs=1)
    go(at, paths.RESULTS)

    def heatmap_subtitle() -> str:
        return chart(at, "heatmap")["layout"]["title"]["subtitle"]["text"]

    first = heatmap_subtitle()
    assert ("items 1–60 of 9,724" if lang == "en" else "항목 9,724개 중 1–60") in first
    at.number_input(key="heatmap_item_page").set_value(3).run()
    assert not at.exception, at.exception
    third = heatmap_subtitle()
    assert ("items 121–180 of 9,724" if lang == "en" else "항목 9,724개 중 121–180") in third


# ----- every widget keeps its value across page switches (issue 13, item 3) -------------------
VALUE_KINDS = ("number_input", "selectbox", "text_input", "checkbox", "toggle", "multiselect",
               "segmented_control")
LEFT_ALONE = {"sample", "model", "lang", "projector", "task"}
"""Not changed by the walk: a sample loads other data, the model picker shows another form
(test_form_values_survive_a_page_switch covers it), the task switch another page
(tests/app/test_ranking_app.py covers it), and the sidebar is drawn on every page."""
OTHER_CHOICE = {"live_speed": 50, "live_view": "predicted", "heatmap_view": "residual",
                "classroom_hide": ["seed"], "tune_how": "auto"}
"""Another value for each choice widget whose shown options are not its values."""


def keyed_values(at) -> dict:
    """Every keyed value widget of the main area: {key: value}."""
    return {w.key: w.value for kind in VALUE_KINDS for w in getattr(at, kind)
            if w.key and w.key not in LEFT_ALONE}


def shown(widget, value) -> bool:
    """Whether ``value`` is one of a choice widget's options (its label is among them)."""
    try:
        return str(widget.format_func(value)) in widget.options
    except (LookupError, StopIteration):  # a name looked up for a value that is not there
        return False


def change(widget) -> None:
    """Give ``widget`` a valid value other than the one it has (without running the app)."""
    kind, value = widget.type, widget.value
    if widget.key in OTHER_CHOICE:
        widget.set_value(OTHER_CHOICE[widget.key])
    elif kind == "number_input":
        step = widget.step or 1
        up = (value if value is not None else widget.min or 0) + step
        widget.set_value(up if widget.max is None or up <= widget.max else value - step)
    elif kind == "selectbox" and isinstance(value, int):  # run ids, row numbers: shown by name
        widget.set_value(next(v for v in (value + 1, value - 1) if shown(widget, v)))
    elif kind == "selectbox":
        widget.select_index(((widget.index or 0) + 1) % len(widget.options))
    elif kind == "text_input":
        widget.input("4,4" if "," in (value or "") else (value or "") + "x")
    elif kind in ("checkbox", "toggle"):
        widget.set_value(not value)
    elif kind == "multiselect":
        widget.set_value(widget.options[:1])
    else:
        raise AssertionError(f"no other value known for {kind} '{widget.key}': add it to "
                             "OTHER_CHOICE")


@pytest.mark.parametrize("page", [paths.DATA, paths.TRAIN, paths.RESULTS, paths.COMPARE])
def test_every_widget_keeps_its_value_across_page_switches(page):
    """Each keyed widget of the page gets another value; after a visit to every other page
    the page shows every value as it was left (Streamlit drops the state of a widget not
    drawn in a run unless it is kept: ``persist_state="session"``)."""
    at = train(fresh(), epochs=3)
    train(at, epochs=2, model="GMF (NCF)")  # two runs: the run pickers have a choice
    at.session_state["classroom"] = True  # panels made only while open: open them
    at.session_state["share_panel"] = True
    go(at, page)
    before = keyed_values(at)
    for key in before:
        found = [w for kind in VALUE_KINDS for w in getattr(at, kind) if w.key == key]
        if found and not found[0].disabled:
            change(found[0])
            at.run()
            assert not at.exception, (key, at.exception)
    left = keyed_values(at)
    changed = {k for k in before if k in left and left[k] != before[k]}
    assert len(changed) >= min(3, len(before)), (before, left)
    for other in PAGES:
        if other != page:
            go(at, other)
    at.session_state["classroom"] = True  # a panel closes on a page switch, as Streamlit's
    at.session_state["share_panel"] = True  # expanders do; what it holds keeps its value
    go(at, page)
    assert keyed_values(at) == left


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_the_learning_rate_beside_the_bar_keeps_its_value_after_results_and_compare(locale):
    """Issue 13, item 3: after a run at a learning rate of one's own, a visit to Results and
    Compare left the learning-rate field at its minimum (0.00001) while the run said
    otherwise. The field, the run and the bar's rule must still agree on coming back."""
    at = go(fresh(locale), paths.TRAIN)
    at.number_input(key="tc-mf-lr").set_value(0.03)
    at.number_input(key="tc-mf-epochs").set_value(5)
    at.button(key="train").click().run()
    run = at.session_state["runs"][-1]
    assert run.trainer.train.lr == 0.03
    for page in (paths.RESULTS, paths.COMPARE, paths.TRAIN):
        go(at, page)
    assert at.number_input(key="tc-mf-lr").value == 0.03
    assert at.number_input(key="tc-mf-epochs").value == 5
    rule = texts(at.get_by_key("bar_rule").get("caption")).replace("\\", "")
    assert ("Train goes on with #1 MF from epoch 5" in rule if locale == "en-US" else
            "학습을 누르면 #1 MF를 에폭 5부터 이어서 학습합니다" in rule), rule
