"""The ranking task in the app, driven by AppTest: the Data page's switch to interactions
(from the ratings with a threshold said in words, the sample, an upload, the click
generator, a refused file), Train on ranking with HR@10 on the live chart, Results for a
ranking run, and Compare with one table per task ordered by HR@10."""

from __future__ import annotations

import pytest

from recsys_core.models import RANKING_MODELS
from tests.app.helpers import (
    chart,
    click,
    fresh,
    go,
    has,
    metrics,
    retrain_visitor,
    texts,
    upload_page,
)
from ui import paths


def to_interactions(at):
    """The Data page, switched to interactions."""
    go(at, paths.DATA)
    at.segmented_control(key="task").set_value("ranking").run()
    assert not at.exception, at.exception
    return at


def accept_upload(text: str, name: str, before=None):
    """The Data page of the ranking task with ``text`` uploaded as ``name`` and accepted;
    ``before``: interactions already loaded in that session."""
    at = upload_page(text.encode(), name, key="upload_interactions", task="ranking")
    if before is not None:
        at.session_state["interactions"] = before
    return click(at, "accept_interactions")


def with_clicks(at, users: int = 40, items: int = 30):
    to_interactions(at)
    at.number_input(key="clk_users").set_value(users)
    at.number_input(key="clk_items").set_value(items)
    return click(at, "generate_clicks")


def train_ranking(at, model: str = "neumf", epochs: int = 3):
    go(at, paths.TRAIN)
    at.selectbox(key="ranking_model").set_value(model).run()
    if RANKING_MODELS[model].loss is not None:
        at.number_input(key=f"rtc-{model}-epochs").set_value(epochs)
    return click(at, "train")


@pytest.fixture(scope="module")
def trained():
    """Clicks of 40 users on 30 items, NeuMF trained 3 epochs, then popularity."""
    at = with_clicks(fresh())
    train_ranking(at, "neumf", 3)
    return train_ranking(at, "popularity")


# ----- Data -------------------------------------------------------------------------------------
def test_the_switch_turns_the_ratings_into_likes_said_in_words():
    at = to_interactions(fresh())
    assert metrics(at) == {}  # no interactions yet, and no rating summary either
    assert "No interactions are loaded yet" in texts(at.info)
    at.radio(key="like_rule").set_value("threshold").run()
    at.number_input(key="like_threshold").set_value(4.0).run()
    ratings = at.session_state["ratings"]
    kept = int((ratings.values >= 4.0).sum())
    assert f"Ratings of 4 or more count as a like; {kept} of 63 kept." in texts(at.caption)
    click(at, "use_ratings")
    data = at.session_state["interactions"]
    assert data.n_interactions == kept < 63
    assert metrics(at)["Interactions"] == str(kept)
    assert at.session_state["ratings"].n_ratings == 63  # the ratings task keeps its data
    at.segmented_control(key="task").set_value("ratings").run()
    assert metrics(at)["Ratings"] == "63"


def test_the_task_and_the_rule_survive_a_visit_to_every_page():
    at = to_interactions(fresh())
    at.radio(key="like_rule").set_value("threshold").run()
    at.number_input(key="like_threshold").set_value(3.5).run()
    for page in (paths.TRAIN, paths.RESULTS, paths.COMPARE, paths.GUIDE, paths.DATA):
        go(at, page)
    assert at.segmented_control(key="task").value == "ranking"
    assert at.radio(key="like_rule").value == "threshold"
    assert at.number_input(key="like_threshold").value == 3.5


def test_every_rating_can_count_and_the_generator_makes_clicks():
    at = to_interactions(fresh())
    click(at, "use_ratings")
    assert at.session_state["interactions"].n_interactions == 63
    with_clicks(at, users=50, items=20)
    data = at.session_state["interactions"]
    assert (data.n_users, data.n_items, data.n_interactions) == (50, 20, 500)
    assert "latest interaction" in texts(at.caption)  # how the held-out items are chosen


def test_movielens_loads_as_interactions():
    at = to_interactions(fresh())
    click(at, "load_interactions_sample")
    data = at.session_state["interactions"]
    assert (data.n_users, data.n_interactions) == (610, 100_836)
    assert data.timestamps is not None


def test_an_uploaded_long_file_becomes_the_interactions():
    log = "user,item,timestamp\nann,tea,1\nann,cake,2\nbob,tea,3\nbob,pie,4\ncy,cake,5\ncy,tea,6\n"
    at = accept_upload(log, "log.csv")
    data = at.session_state["interactions"]
    assert (data.n_users, data.n_items, data.n_interactions) == (3, 3, 6)
    assert "now the current interactions" in texts(at.success)


def test_an_uploaded_0_1_matrix_and_a_log_with_counts_become_interactions():
    matrix = ",tea,cake,pie\nann,1,0,1\nbob,0,1,1\ncy,1,1,0\n"
    data = accept_upload(matrix, "matrix.csv").session_state["interactions"]
    assert (data.n_users, data.n_items, data.n_interactions) == (3, 3, 6)
    log = "user,item,count\nann,tea,3\nann,cake,1\nbob,tea,2\nbob,pie,5\n"
    at = accept_upload(log, "counts.csv")
    assert at.session_state["interactions"].n_interactions == 4  # every row, whatever its count


def test_a_refused_file_says_where_and_keeps_the_interactions():
    good = "user,item\nann,tea\nann,cake\nbob,tea\nbob,pie\n"
    at = accept_upload(good, "good.csv")
    bad = "user,item,timestamp\nann,tea,2024-03-01\nann,cake,yesterday-ish\n"
    at2 = accept_upload(bad, "bad.csv", before=at.session_state["interactions"])
    said = texts(at2.error).replace("\\", "")  # markdown escapes
    assert "'yesterday-ish'" in said and "bad.csv, line 3" in said and "'timestamp'" in said
    assert "Traceback" not in said
    assert at2.session_state["interactions"].n_interactions == 4  # the good file stays


# ----- Train ------------------------------------------------------------------------------------
def test_train_lists_the_ranking_models_and_draws_hr_at_10_per_epoch(trained):
    at = go(trained, paths.TRAIN)
    assert at.selectbox(key="ranking_model").options == [
        "GMF (NCF)", "MLP (NCF)", "NeuMF (NCF)", "MF with BPR loss", "ALS (implicit feedback)",
        "Popularity", "Item-kNN (cosine)"]
    at.selectbox(key="ranking_model").set_value("neumf").run()
    assert at.number_input(key="rtc-neumf-negatives").value == 4  # the paper's default
    assert at.checkbox(key="rcfg-neumf-pretrain").value is False
    neumf = next(r for r in at.session_state["runs"] if r.model_name == "neumf")
    assert neumf.task == "ranking" and neumf.result.epochs_run == 3
    figure = chart(at, "loss_chart")  # the current run: popularity, one closed-form epoch
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["HR@10", "NDCG@10"]  # no loss for a closed-form model
    assert at.button(key="stop") and at.button(key="step") and at.button(key="reset")


def test_the_live_chart_holds_the_loss_and_hr_of_every_epoch():
    at = with_clicks(fresh())
    train_ranking(at, "gmf", 2)
    figure = chart(at, "loss_chart")
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert list(traces) == ["training loss", "HR@10", "NDCG@10"]
    run = at.session_state["runs"][-1]
    assert traces["HR@10"]["y"] == pytest.approx([e.hr for e in run.result.history])
    assert len(traces["HR@10"]["y"]) == 2
    assert "HR@10" in texts(at.success)
    click(at, "train")  # nothing changed: the same run goes on
    assert len(at.session_state["runs"]) == 1
    assert at.session_state["runs"][0].result.epochs_run == 4


def test_als_shows_only_the_settings_it_reads_and_draws_its_loss_per_sweep():
    """ALS samples nothing and has no optimiser: its form has no learning rate, batch,
    negatives or weight decay to mislead; each epoch is one sweep on the live chart."""
    at = with_clicks(fresh())
    train_ranking(at, "als", 4)
    drawn = {w.key for w in at.number_input if w.key and w.key.startswith("rtc-als-")}
    assert drawn == {"rtc-als-epochs", "rtc-als-seed"}
    assert not [w for w in at.selectbox if w.key == "rtc-als-optimizer"]
    assert at.number_input(key="rcfg-als-alpha").value == 10.0
    run = at.session_state["runs"][-1]
    assert run.model_name == "als" and run.result.epochs_run == 4
    traces = {trace["name"]: trace for trace in chart(at, "loss_chart")["data"]}
    assert list(traces) == ["training loss", "HR@10", "NDCG@10"]
    losses = traces["training loss"]["y"]
    assert len(losses) == 4 and losses[-1] < losses[0]
    go(at, paths.TRAIN)
    at.selectbox(key="ranking_model").set_value("gmf").run()  # a gradient model: all of them
    assert at.number_input(key="rtc-gmf-negatives").value == 4
    assert at.number_input(key="rtc-gmf-lr").value == pytest.approx(0.01)


def test_a_rating_run_after_a_ranking_run_says_the_task_changed():
    at = with_clicks(fresh())
    train_ranking(at, "gmf", 1)
    to_interactions(at)
    at.segmented_control(key="task").set_value("ratings").run()
    go(at, paths.TRAIN)
    assert "the task changed (interactions → ratings)" in texts(at.caption).replace("\\", "")
    click(at, "train")
    runs = at.session_state["runs"]
    assert [r.task for r in runs] == ["ranking", "ratings"]


# ----- Results and Compare -------------------------------------------------------------------------
def test_results_show_both_metrics_the_held_out_items_and_the_top_n(trained):
    at = go(trained, paths.RESULTS)
    neumf = next(r for r in at.session_state["runs"] if r.model_name == "neumf")
    at.selectbox(key="result_run").set_value(neumf.id).run()
    shown = metrics(at)
    scores = neumf.result.scores()
    assert shown["HR@10, sampled"] == f"{scores.hr:.3f}"
    assert shown["HR@10, full ranking"] == f"{scores.hr_full:.3f}"
    assert "Krichene and Rendle" in texts(at.info)
    meta = chart(at, "heatmap")["layout"]["meta"]
    assert meta["n_held_out"] == meta["n_users"] == 30
    table = next(d.value for d in at.dataframe if "because" in d.value)
    assert len(table) == 40 * 10 and set(table["rank"]) == set(range(1, 11))
    assert table["because"].str.len().gt(0).all()
    keys = [b.key for b in at.get("download_button")]
    assert keys == ["download_top_n_csv", "download_top_n_xlsx", "download_model", "download_code"]
    assert at.get_by_key("embedding_map").get("plotly_chart")


def test_the_script_download_repeats_the_run_it_is_shown_for(trained):
    """The script offered is the library's for this run: its model, its epochs, its data."""
    from recsys_core.ranking.codegen import ranking_script
    from ui.ranking_results import script_of

    at = go(trained, paths.RESULTS)
    neumf = next(r for r in at.session_state["runs"] if r.model_name == "neumf")
    result = neumf.result
    script = script_of(result)
    assert script == ranking_script(result.data, "neumf", result.model_config, result.train_config,
                                    epochs=result.epochs_run)
    assert f"epochs={result.epochs_run}," in script
    compile(script, "run.py", "exec")


def test_compare_orders_ranking_runs_by_hr_and_keeps_rating_runs_apart(trained):
    at = trained
    go(at, paths.TRAIN)
    at.session_state["task"] = "ratings"
    go(at, paths.TRAIN)
    click(at, "train")  # one rating run too
    at.session_state["task"] = "ranking"
    go(at, paths.COMPARE)
    ranking = next(d.value for d in at.dataframe if "hr_full" in d.value)
    assert len(ranking) == 2
    assert list(ranking["hr"]) == sorted(ranking["hr"], reverse=True)
    ratings = next(d.value for d in at.dataframe if "off by" in d.value)
    assert len(ratings) == 1 and ratings["run"][0].endswith("MF")
    assert [h.value for h in at.header][:2] == ["Ranking runs (interactions)", "Rating runs"]


def test_a_korean_session_says_the_ranking_pages_in_korean(trained):
    at = trained
    at.session_state["lang"] = "ko"
    go(at, paths.DATA)
    assert "상호작용" in at.segmented_control(key="task").options[1]
    go(at, paths.RESULTS)
    neumf = next(r for r in at.session_state["runs"] if r.model_name == "neumf")
    at.selectbox(key="result_run").set_value(neumf.id).run()
    assert "적중률 HR@10, 샘플" in metrics(at)
    assert "떼어 둔 항목" in texts(at.subheader)
    at.session_state["lang"] = "en"


# ----- Try it yourself (issue 15, interactions half) ---------------------------------------------
@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_a_visitor_ticks_items_and_gets_their_top_n_without_retraining(locale):
    from recsys_core.ranking.foldin import visitor_top_n
    from ui.ranking_try_it import LIKED

    at = train_ranking(with_clicks(fresh(locale)), "gmf", 5)
    go(at, paths.RESULTS)
    assert not at.get_by_key("try_it_panel").get("multiselect")  # made only while open
    at.session_state["try_it_panel"] = True  # the reader opens the panel
    at.run()
    nothing = "Nothing ticked yet" if locale == "en-US" else "아직 고른 항목이 없습니다"
    assert nothing in texts(at.info)
    runs = at.session_state["runs"]
    ticked = ["item 1", "item 4", "item 9"]
    at.multiselect(key=LIKED).set_value(ticked).run()
    assert not at.exception, at.exception
    top = at.get_by_key("tryit_top").get("dataframe")[0].value
    expected, _ = visitor_top_n(runs[-1].result, ticked, 10)
    assert list(top["item"]) == list(expected["item"]) and len(top) == 10
    assert not set(top["item"]) & set(ticked)
    assert list(top["score"]) == sorted(top["score"], reverse=True)
    assert all(set(reason.split(", ")) <= set(ticked) for reason in top["because"])
    assert len(runs) == len(at.session_state["runs"])  # no training happened
    go(at, paths.DATA)
    go(at, paths.RESULTS)
    at.session_state["try_it_panel"] = True
    at.run()
    assert at.multiselect(key=LIKED).value == ticked  # kept across pages


def open_try_it(model: str = "gmf", locale: str = "en-US", items: int = 30):
    at = train_ranking(with_clicks(fresh(locale), items=items), model, 5)
    go(at, paths.RESULTS)
    at.session_state["try_it_panel"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def tick(at, labels: list[str]):
    from ui.ranking_try_it import LIKED

    at.multiselect(key=LIKED).set_value(labels).run()
    assert not at.exception, at.exception
    return at


def panel_words(at, key: str, kind: str) -> str:
    return texts(at.get_by_key(key).get(kind)).replace("\\", "")


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_the_visitor_is_told_how_sure_the_list_is_and_placed_on_the_map(locale):
    from recsys_core.ranking.foldin import map_position, visitor_top_n

    at = tick(open_try_it("gmf", locale), ["item 1", "item 4"])
    warning = panel_words(at, "tryit_certainty", "warning")  # two ticks: very little
    assert ("Tick at least 3 more items" if locale == "en-US" else "3개 더") in warning
    tick(at, ["item 1", "item 4", "item 9", "item 12", "item 20"])
    assert not at.get_by_key("tryit_certainty").get("warning")
    caption = panel_words(at, "tryit_certainty", "caption")
    assert ("Based on the 5 items you ticked" if locale == "en-US" else "고른 항목 5개") in caption
    result = at.session_state["runs"][-1].result
    _, visitor = visitor_top_n(result, ["item 1", "item 4", "item 9", "item 12", "item 20"], 10)
    where = chart(at, "tryit_map")["layout"]["meta"]["visitor"]
    assert where == pytest.approx(list(map_position(result, visitor)), abs=1e-6)


def test_retraining_with_the_visitor_compares_the_two_lists_on_a_ranking_run():
    at = tick(open_try_it("bpr"), ["item 1", "item 4", "item 9"])
    runs_before = len(at.session_state["runs"])
    labels, table = retrain_visitor(at, 10)
    assert -1 <= float(labels["Order of every other item"]) <= 1
    top = at.get_by_key("tryit_top").get("dataframe")[0].value
    assert list(table["fold_in"]) == list(top["item"])
    assert not set(table["retrained"]) & {"item 1", "item 4", "item 9"}
    assert len(at.session_state["runs"]) == runs_before  # the retrain is not kept as a run
    tick(at, ["item 1", "item 4"])  # another tick: the old comparison no longer speaks
    assert not has(at, "tryit_compared")
    assert "retrain again to compare" in texts(at.caption)


def test_popularity_has_no_map_and_ticking_every_item_leaves_nothing_to_recommend():
    at = tick(open_try_it("popularity", items=12), ["item 1"])
    assert not has(at, "tryit_map")
    assert "no map to place you on" in texts(at.caption)
    every = list(at.session_state["runs"][-1].result.data.items)
    assert len(every) <= 20  # the multiselect takes at most 20
    tick(at, every)
    assert "nothing left to recommend" in texts(at.info)
    assert not [b for b in at.button if b.key == "tryit_retrain"]
