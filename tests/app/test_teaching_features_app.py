"""The classroom and analyst features in the app (AppTest): Korean and English, shareable
URLs, projector mode, the lecture's first lesson and presets, show the code, what if, the
plain-words summary and the top-N workbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from recsys_core.results import codegen
from recsys_core.teaching.presets import PRESETS
from tests.app.helpers import ROOT, chart, fresh, go, train
from tests.tolerance import assert_rounds_to
from ui import paths
from ui.present import PROJECTOR_CSS


def words(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "text", "info",
                                  "success", "warning", "error") for e in getattr(at, kind)]
    parts += [w.label for w in at.button] + [w.label for w in at.selectbox]
    return "\n".join(str(p) for p in parts)


# ----- Korean and English -------------------------------------------------------------------------
def test_a_korean_browser_gets_korean_and_others_english():
    at = fresh("ko-KR")
    assert at.session_state["lang"] == "ko"
    assert at.title[0].value == "학습" and "모델" in words(at)
    assert [w.label for w in at.button if w.key == "train"] == ["학습"]
    at = fresh("en-GB")
    assert at.session_state["lang"] == "en" and at.title[0].value == "Train"
    assert fresh(locale=None).session_state["lang"] == "en"  # no locale known: English


def test_the_language_switch_changes_every_page_and_survives_page_switches():
    at = fresh("en-US")
    at.segmented_control(key="lang").set_value("ko").run()
    assert at.title[0].value == "학습"
    for page, title in ((paths.DATA, "데이터"), (paths.RESULTS, "결과"),
                        (paths.COMPARE, "비교"), (paths.GUIDE, "사용 안내")):
        go(at, page)
        assert at.title[0].value == title
        assert at.segmented_control(key="lang").value == "ko"
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Guide"


def test_korean_pages_after_a_run_have_korean_words_and_korean_labels_untouched():
    at = train(fresh("ko-KR"), epochs=30)
    assert "완료" in words(at)
    go(at, paths.RESULTS)
    text = words(at)
    assert "쉬운 말로" in text and "평점 63개" in text
    fig = chart(at, "heatmap")
    assert "채워진 행렬" in fig["layout"]["title"]["text"]
    assert "옥순(IN)" in fig["layout"]["yaxis"]["ticktext"]
    go(at, paths.DATA)
    assert "사용자" in words(at) and "보람(ES)" in words(at)  # warning: Korean + the details


# ----- shareable set-ups --------------------------------------------------------------------------
def test_a_shared_url_restores_sample_model_settings_seed_and_language():
    at = fresh("en-US", {"sample": "coffee", "model": "nn", "dim": "4", "hidden": "8,4",
                         "lr": "0.01", "seed": "7", "lang": "ko", "epochs": "3"})
    state = at.session_state
    assert state["lang"] == "ko" and state["ratings"].n_users == 100
    assert at.selectbox(key="model").value == "nn"
    assert at.number_input(key="cfg-nn-dim").value == 4
    assert at.text_input(key="cfg-nn-hidden").value == "8,4"
    assert at.number_input(key="tc-nn-lr").value == 0.01
    assert at.number_input(key="tc-nn-seed").value == 7
    at.button(key="train").click().run()
    run = at.session_state["runs"][-1]
    assert run.result.model_config.hidden == (8, 4) and run.result.train_config.seed == 7


def test_the_url_follows_the_set_up_and_bad_values_are_ignored():
    at = fresh("en-US", {"model": "mf", "dim": "-3", "activation": "x", "seed": "5"})
    assert at.number_input(key="cfg-mf-dim").value == 2  # -3 does not fit: the suggestion
    assert at.number_input(key="tc-mf-seed").value == 5
    at.number_input(key="tc-mf-seed").set_value(11).run()
    assert at.query_params["seed"] == "11"
    assert not [c for c in at.code if "seed=11" in c.value]  # the panel is closed: no link made
    at.session_state["share_panel"] = True  # the reader opens the panel
    at.run()
    assert at.query_params["sample"] == "solo" and at.query_params["model"] == "mf"
    link = next(c.value for c in at.code if "seed=11" in c.value)
    assert link.endswith("/train?lang=en&sample=solo&model=mf&" + link.split("model=mf&")[1])
    assert "dim=2" in link and "epochs=200" in link


def test_uploaded_data_never_goes_into_the_url():
    from ui.upload import UploadOptions, accept_upload

    at = fresh("en-US")
    csv = "user,item,rating\nsecret-name,x,4\nother,x,2\nother,y,5\nsecret-name,y,1\n"
    state = {k: at.session_state[k] for k in ("ratings", "data_rev", "dataset_id")}
    assert accept_upload(state, csv.encode(), "private.csv", UploadOptions()) is None
    for key, value in state.items():
        at.session_state[key] = value
    at.session_state["data_origin"] = "upload"
    at.session_state["data_name"] = "private.csv"
    at.run()
    assert "sample" not in at.query_params
    assert "secret" not in json.dumps(dict(at.query_params))
    assert "private" not in json.dumps(dict(at.query_params))


# ----- projector mode -----------------------------------------------------------------------------
def test_projector_mode_injects_the_fixed_style_sheet_only_when_on():
    at = fresh("en-US")
    assert not [h for h in at.html if "font-size" in str(h.proto.body)]
    at.toggle(key="projector").set_value(True).run()
    bodies = [h.proto.body for h in at.html]
    assert bodies == [PROJECTOR_CSS]
    go(at, paths.DATA)  # the switch lives in the session: every page
    assert [h.proto.body for h in at.html] == [PROJECTOR_CSS]


# ----- the lecture ---------------------------------------------------------------------------------
def test_the_first_lesson_panel_shows_one_hot_plus_linear_equal_to_the_embedding():
    at = fresh("en-US")
    assert not any("embedding" in d.value.columns for d in at.dataframe)  # made when opened
    at.session_state["embedding_lesson"] = True  # the reader opens the panel
    at.run()
    table = next(d.value for d in at.dataframe if "embedding" in d.value.columns)
    # stable on every CPU (see tests/test_teaching_features.py)
    assert_rounds_to(table["linear"], [-0.2002, -0.4890, 0.2081, -0.2002, -0.4890], 4)
    assert table["linear"].tolist() == table["embedding"].tolist()
    assert any("exactly the same numbers" in s.value for s in at.success)
    at.number_input(key="lesson_seed").set_value(1).run()
    table = next(d.value for d in at.dataframe if "embedding" in d.value.columns)
    assert table["linear"].tolist() == table["embedding"].tolist()


def test_the_mf_preset_matches_the_lecture_to_4_decimals_on_results():
    at = fresh("en-US")
    at.button(key="preset_lecture-mf").click().run()
    at.button(key="train").click().run()
    go(at, paths.RESULTS)
    table = next(d.value for d in at.dataframe if "lecture" in d.value.columns)
    assert table["difference"].max() <= 5e-5
    assert any("to 4 decimals" in s.value for s in at.success)


def test_the_nn_preset_is_close_and_says_so():
    at = fresh("ko-KR")
    at.button(key="preset_lecture-nn").click().run()
    at.button(key="train").click().run(timeout=180)
    go(at, paths.RESULTS)
    table = next(d.value for d in at.dataframe if "lecture" in d.value.columns)
    assert 0 < table["difference"].max() < 0.15
    assert any("똑같지는 않습니다" in i.value for i in at.info)


# ----- show the code -------------------------------------------------------------------------------
def test_show_code_repeats_the_apps_own_run_train_and_train_on(tmp_path):
    at = train(fresh("en-US"), epochs=30)
    at.number_input(key="tc-mf-epochs").set_value(10)  # nothing else changed: Train goes on
    at.button(key="train").click().run()
    go(at, paths.RESULTS)
    code = next(c.value for c in at.code if "class Net(torch.nn.Module)" in c.value)
    assert at.download_button(key="download_code") is not None
    run = at.session_state["runs"][-1]
    assert run.calls == [(0, 30), (30, 10)]
    assert "calls = [30, 10]" in code
    (tmp_path / "data").symlink_to(ROOT / "data")
    out = tmp_path / "pred.npy"
    (tmp_path / "run.py").write_text(code + f"\nnp.save({str(out)!r}, yhat_all.numpy())\n",
                                     encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "run.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert np.abs(np.load(out) - run.result.predicted).max() < 1e-4


def test_show_code_in_korean():
    at = train(fresh("ko-KR"), epochs=5)
    go(at, paths.RESULTS)
    code = next(c.value for c in at.code if "class Net" in c.value)
    assert "# ----- 1. 데이터" in code


# ----- what if ------------------------------------------------------------------------------------
def test_what_if_retrains_from_the_model_and_shows_what_moved():
    at = train(fresh("en-US"), epochs=100)
    go(at, paths.RESULTS)
    ratings = at.session_state["ratings"]
    u, i = ratings.users.index("하니(I)"), ratings.items.index("영식(IN)")
    at.selectbox(key="whatif_user").set_value(u)
    at.selectbox(key="whatif_item").set_value(i).run()
    at.number_input(key="whatif_value").set_value(0.5)
    at.number_input(key="whatif_epochs").set_value(40)
    at.button(key="whatif_retrain").click().run()
    assert not at.exception
    runs = at.session_state["runs"]
    assert len(runs) == 2 and runs[-1].warm_from == runs[0].id
    assert at.session_state["result_run"] == runs[-1].id
    edited = at.session_state["ratings"]  # the edit is the current data now
    assert edited.to_matrix().iat[u, i] == 0.5 and edited.n_ratings == ratings.n_ratings
    moved = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert len(moved) == 10 and moved["change"].abs().is_monotonic_decreasing
    assert (moved["user"].iloc[0], moved["item"].iloc[0]) == ("하니(I)", "영식(IN)")
    fig = chart(at, "heatmap")
    outline = [t for t in fig["data"] if t.get("name") == "moved most"]
    assert len(outline) == 1 and len(outline[0]["x"]) == 10
    assert "outlined" in fig["layout"]["title"]["subtitle"]["text"]
    stages = runs[-1].stages()  # the exported code starts from the first run, then continues
    assert len(stages) == 2 and stages[1].calls == [(0, 40)]
    assert "warm start" in codegen.generate(stages).code


@pytest.mark.parametrize("lang", ["en-US", "ko-KR"])
def test_a_what_if_that_changes_nothing_says_nothing_moved(lang):
    """Issue 13: 0.50 -> 0.50 still listed moves up to +0.386 (the extra epochs' own effect)."""
    at = train(fresh(lang), epochs=100)
    go(at, paths.RESULTS)
    ratings = at.session_state["ratings"]
    u, i = ratings.users.index("하니(I)"), ratings.items.index("영식(IN)")
    at.selectbox(key="whatif_user").set_value(u)
    at.selectbox(key="whatif_item").set_value(i).run()
    at.number_input(key="whatif_value").set_value(float(ratings.to_matrix().iat[u, i]))
    at.number_input(key="whatif_epochs").set_value(40)
    at.button(key="whatif_retrain").click().run()
    assert not at.exception, at.exception
    moved = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert moved["change"].abs().max() <= 1e-6
    said = "\n".join(m.value for m in at.info)
    assert ("Nothing moved" if lang == "en-US" else "바뀐 예측이 없습니다") in said


def test_a_paused_comparison_says_so_and_can_be_run_again():
    """The training without the change runs as a job with a Pause; paused, nothing is listed."""
    at = train(fresh("en-US"), epochs=100)
    go(at, paths.RESULTS)
    at.number_input(key="whatif_epochs").set_value(20)
    at.button(key="whatif_retrain").click().run()
    done = at.session_state["whatif_last"]
    assert done["without"][0] == 20 and done["without"][1] is not None
    done["without"] = (20, None)  # as a Pause during the comparison leaves it
    at.run()
    assert not at.exception, at.exception
    assert any("was paused" in m.value for m in at.info)
    assert not [d for d in at.dataframe if "change" in d.value.columns]
    at.button(key="whatif_compare").click().run()
    assert not at.exception, at.exception
    assert at.session_state["whatif_last"]["without"][1] is not None
    assert [d for d in at.dataframe if "change" in d.value.columns]


def test_what_if_can_clear_a_cell():
    at = train(fresh("en-US"), epochs=20)
    go(at, paths.RESULTS)
    at.selectbox(key="whatif_item").set_value(1).run()  # 옥순 x 영철: rated 4.02
    at.checkbox(key="whatif_clear").check()
    at.number_input(key="whatif_epochs").set_value(5)
    at.button(key="whatif_retrain").click().run()
    assert not at.exception
    assert at.session_state["runs"][-1].result.ratings.n_ratings == 62


# ----- the analyst ---------------------------------------------------------------------------------
def test_results_offer_the_top_n_workbook_and_the_summary():
    at = train(fresh("en-US"), epochs=30)
    go(at, paths.RESULTS)
    assert at.download_button(key="download_top_n_xlsx") is not None
    assert at.get_by_key("summary") is not None
    assert "The model learned from" in words(at)


@pytest.mark.parametrize("page", [paths.DATA, paths.TRAIN, paths.RESULTS, paths.COMPARE,
                                  paths.GUIDE])
def test_every_page_works_in_korean_after_a_run(page):
    at = train(fresh("ko-KR"), epochs=5)
    go(at, page)
    assert not at.error
    assert PRESETS  # imported for the preset tests above


def test_what_if_shows_the_predicted_view_without_warnings():
    at = train(fresh("en-US"), epochs=20)
    go(at, paths.RESULTS)
    at.number_input(key="whatif_epochs").set_value(5)
    at.button(key="whatif_retrain").click().run()
    assert at.segmented_control(key="heatmap_view").value == "predicted"
    assert not at.warning and not at.exception
    assert chart(at, "heatmap")["layout"]["meta"]["view"] == "predicted"


# ----- the classroom link carries the preset -------------------------------------------------------
def test_a_classroom_link_of_the_lecture_set_up_gives_students_the_lecture_comparison():
    """Issue 13: a student's Results lacked the lecture-vs-app table the teacher sees, because
    the link carried the settings but not the preset."""
    from ui import share, state

    teacher = fresh()
    teacher.button(key="preset_lecture-mf").click().run()
    params = share.params_of(teacher.session_state)
    assert params.get("preset") == "lecture-mf"
    teacher.session_state["tc-mf-lr"] = 0.05  # changed: no longer the lecture's set-up
    assert "preset" not in share.params_of(teacher.session_state)

    student = fresh(query={"preset": "lecture-mf", "hide": "lr"})
    assert student.session_state[state.PRESET] == "lecture-mf"
    student.button(key="train").click().run()
    assert not student.exception, student.exception
    go(student, paths.RESULTS)
    tables = [d.value for d in student.dataframe if "lecture" in d.value.columns]
    assert tables and (tables[0]["difference"] < 5e-4).all()
