"""The classroom and analyst features of the library: the lecture's first lesson, what-if
edits, the plain-words report, the top-N workbook, the heatmap's highlight, shareable
set-ups and the projector style sheet (no streamlit script needed for any of them)."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from recsys_core.data.ratings import Ratings
from recsys_core.models import MODELS, MFConfig
from recsys_core.models.config import describe
from recsys_core.results import export, figures, report
from recsys_core.teaching.lesson import PRINTED, embedding_lesson
from recsys_core.training.trainer import TrainConfig, fit
from recsys_core.training.whatif import carry_split, edit_cell, moved_most
from tests.tolerance import assert_rounds_to
from ui import present


@pytest.fixture(scope="module")
def solo_run():
    from recsys_core.data.samples import load_sample

    return fit(load_sample("solo"), "mf", MFConfig(dim=2),
               TrainConfig(epochs=150, lr=0.1, weight_decay=0.03, val_frac=0.1, seed=0))


# ----- the lecture's first lesson --------------------------------------------------------------
def test_one_hot_plus_linear_equals_the_embedding_with_the_lectures_numbers():
    lesson = embedding_lesson()
    assert lesson.equal and lesson.largest_difference == 0.0
    # stable on every CPU: one-hot x weights adds each weight to exact zeros, and the weights
    # come from torch's seeded generator by element-wise arithmetic (no sum to reorder)
    assert_rounds_to(lesson.table["linear"], PRINTED, 4)
    assert lesson.table["linear"].tolist() == lesson.table["embedding"].tolist()
    assert list(lesson.table["name"]) == ["옥순", "영숙", "하니", "옥순", "영숙"]
    assert lesson.table["one_hot"][2] == "[0, 0, 1]"


def test_the_lesson_leaves_torchs_random_numbers_alone():
    import torch

    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    embedding_lesson(7)
    assert torch.equal(torch.rand(3), expected)
    assert embedding_lesson(7).equal  # any seed: still equal, other numbers
    assert embedding_lesson(7).weight != embedding_lesson().weight


# ----- what if -----------------------------------------------------------------------------------
def test_edit_cell_changes_adds_and_clears_keeping_the_order(solo):
    u, i = solo.users.index("옥순(IN)"), solo.items.index("영철(IN)")
    changed = edit_cell(solo, u, i, 1.0)
    assert changed.n_ratings == solo.n_ratings
    assert changed.to_matrix().iat[u, i] == 1.0
    assert np.array_equal(changed.user_idx, solo.user_idx)
    added = edit_cell(solo, u, 0, 4.5)  # 옥순's empty first cell: row by row, so it goes first
    assert added.n_ratings == 64 and added.user_idx[0] == u and added.item_idx[0] == 0
    cleared = edit_cell(solo, u, i, None)
    assert cleared.n_ratings == 62 and np.isnan(cleared.to_matrix().iat[u, i])
    assert edit_cell(solo, u, 0, None) is solo  # clearing an empty cell: nothing to do
    from recsys_core.data.errors import OutOfRangeError

    with pytest.raises(OutOfRangeError):
        edit_cell(solo, u, i, 9.0)


def test_edit_of_a_long_list_appends_and_the_split_is_carried_cell_by_cell():
    frame = pd.DataFrame([("b", "x", 1.0), ("a", "y", 2.0), ("a", "x", 3.0)],
                         columns=["user", "item", "rating"])
    ratings = Ratings.from_long(frame, scale=(0.0, 5.0))
    added = edit_cell(ratings, 0, 1, 4.0)  # (b, y): file order, so it goes last
    assert added.n_ratings == 4 and (added.user_idx[-1], added.item_idx[-1]) == (0, 1)
    is_val = np.array([False, True, False])
    carried = carry_split(ratings, is_val, added)
    assert carried.tolist() == [False, True, False, False]
    edited = edit_cell(ratings, 1, 1, 0.5)  # the held-out (a, y): now a training rating
    assert carry_split(ratings, is_val, edited, (1, 1)).tolist() == [False, False, False]


def test_moved_most_lists_the_largest_changes_with_their_cells(solo):
    before = np.zeros((solo.n_users, solo.n_items))
    after = before.copy()
    after[2, 3], after[0, 0], after[5, 1] = -0.9, 0.4, 0.1
    moved = moved_most(solo, before, after, top=2)
    assert moved.attrs["cells"] == [(2, 3), (0, 0)]
    assert moved["change"].tolist() == [-0.9, 0.4]
    assert moved["user"][0] == solo.users[2] and moved["item"][0] == solo.items[3]


def test_heatmap_outlines_the_highlighted_cells(solo, solo_run):
    fig = figures.result_heatmap(solo_run, highlight=[(0, 0), (8, 2), (99, 99)])
    outline = [t for t in fig.data if t.name == "moved most"]
    assert len(outline) == 1 and len(outline[0].x) == 2
    assert fig.layout.meta["n_highlighted"] == 2
    assert "outlined" in fig.layout.title.subtitle.text
    assert "moved most" not in [t.name for t in figures.result_heatmap(solo_run).data]


# ----- report ------------------------------------------------------------------------------------
def test_report_says_how_much_data_how_accurate_and_how_sure(solo_run):
    text = report.summary(solo_run)
    facts = report.facts(solo_run)
    assert "63 ratings by 9 users of 8 items" in text
    assert f"On {facts['n_val']} held-out ratings the model was off by" in text
    assert "always-average baseline is off by" in text
    assert "Half of those guesses were within" in text and "nine in ten" in text
    assert facts["half"] <= facts["ninety"]
    korean = report.summary(solo_run, "ko")
    assert "평점 63개" in korean and "기준" in korean and "절반" in korean


def test_report_suggests_what_to_try_when_the_model_is_poor():
    rng = np.random.default_rng(0)
    grid = rng.uniform(0, 5, (30, 20))  # pure noise: nothing to learn
    grid[rng.random(grid.shape) < 0.8] = np.nan
    ratings = Ratings.from_matrix(pd.DataFrame(grid), scale=(0.0, 5.0))
    result = fit(ratings, "mf", MFConfig(dim=16),
                 TrainConfig(epochs=200, lr=0.05, weight_decay=0.0, val_frac=0.3, seed=0))
    text = report.summary(result)
    assert "Experiments worth trying (not measured yet" in text  # never said as a sure thing
    assert "more ratings per user" in text
    assert "smaller model (embedding size 16 -> 8)" in text
    assert "stronger regularisation" in text
    assert "시도해 볼 만한 실험" in report.summary(result, "ko")


def test_advice_is_measured_one_change_at_a_time_and_only_what_helped_is_offered(structured):
    """An analyst followed "stronger regularisation" and got a worse model (issue 13): each idea
    is now retrained from the run's start with that one change and scored on the same held-out
    ratings; the comparison's baseline is the run's own settings retrained the same way."""
    from recsys_core.results import advice

    result = fit(structured, "mf", MFConfig(dim=4),
                 TrainConfig(epochs=60, lr=0.05, weight_decay=0.3, val_frac=0.3, seed=0))
    measured = advice.measure(result, advice.candidates(result))
    assert {m.before for m in measured} == {result.metrics()["val_mae"]}  # the same run, again
    by_key = {m.idea.key: m for m in measured}
    assert set(by_key) == {"regularise", "weaker", "smaller", "bigger", "more_epochs_n", "lower_lr"}
    stronger = by_key["regularise"]
    assert stronger.after > stronger.before and not stronger.helped  # 0.3 -> 0.9 hurts here
    assert any(m.helped for m in measured)
    text = report.summary(result, measured=measured)
    helped_part, _, other_part = text.partition("Did not help:")
    assert "stronger regularisation (weight decay 0.3 -> 0.9) took the error from" in other_part
    assert "stronger regularisation" not in helped_part
    best = min(measured, key=lambda m: m.after)
    assert f"{report.idea_text(best.idea, 'en')} took the error from" in helped_part
    assert "Experiments worth trying" not in text
    assert "같은 검증 평점" in report.summary(result, "ko", measured)


def test_advice_needs_held_out_ratings(solo):
    from recsys_core.results import advice

    result = fit(solo, "mf", MFConfig(dim=2), TrainConfig(epochs=3, val_frac=0.0))
    with pytest.raises(ValueError, match="held no ratings out"):
        advice.measure(result, advice.candidates(result))


def test_report_without_validation_says_it_cannot_measure(solo):
    result = fit(solo, "baseline", MODELS["baseline"].config_cls(),
                 TrainConfig(epochs=5, val_frac=0.0))
    text = report.summary(result)
    assert text.startswith("The model learned from 63 of 63 ratings")
    assert "No ratings were held out" in text and "To measure it" in text


def test_report_of_a_diverged_run_suggests_a_smaller_learning_rate(solo):
    result = fit(solo, "mf", MFConfig(dim=2),
                 TrainConfig(epochs=200, lr=5.0, weight_decay=0.03, val_frac=0.1, seed=0))
    assert result.status == "diverged"
    assert "a smaller learning rate (5 -> 0.5)" in report.summary(result)


# ----- top-N workbook ----------------------------------------------------------------------------
def test_top_n_workbook_has_every_user_one_sheet_per_user_and_the_because(solo_run):
    book = openpyxl.load_workbook(io.BytesIO(export.top_n_workbook(solo_run, 3)))
    mask = solo_run.ratings.observed_mask()
    users_with_picks = [u for k, u in enumerate(solo_run.ratings.users) if not mask[k].all()]
    assert book.sheetnames == ["all users", *users_with_picks, "about"]
    rows = list(book["all users"].iter_rows(values_only=True))
    assert rows[0] == ("user", "rank", "item", "prediction", "because")
    expected = solo_run.top_n(3)
    assert len(rows) - 1 == len(expected)
    assert [r[4] for r in rows[1:]] == list(expected["because"])
    hani = list(book["하니(I)"].iter_rows(values_only=True))
    assert hani[0] == ("rank", "item", "prediction", "because") and hani[1][1] == "영호(IS)"


def test_top_n_workbook_in_korean_and_with_awkward_names():
    frame = pd.DataFrame([(u, i, float(k % 5)) for k, (u, i) in enumerate(
        [(u, i) for u in ("=cmd", "a/b:c", "About", "x" * 40, "X" * 40) for i in "pqrs"])
        if k % 3], columns=["user", "item", "rating"])
    ratings = Ratings.from_long(frame, scale=(0.0, 5.0))
    result = fit(ratings, "baseline", MODELS["baseline"].config_cls(),
                 TrainConfig(epochs=3, val_frac=0.0))
    book = openpyxl.load_workbook(io.BytesIO(export.top_n_workbook(result, 2, "ko")))
    names = book.sheetnames
    assert names[0] == "모든 사용자" and names[-1] == "설명"
    assert len(names) == len({n.lower() for n in names})  # unique, as Excel needs
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    rows = list(book[names[0]].iter_rows(values_only=True))
    assert rows[0] == ("사용자", "순위", "항목", "예측 평점", "이유")
    assert rows[1][0] == "'=cmd"  # formula-safe
    assert rows[1][4].startswith("모두에게 인기")  # the baseline's reason, in Korean


# ----- shareable set-ups and projector CSS (ui helpers without a script) --------------------------
def test_url_values_are_checked_against_the_form_fields():
    from ui.share import decode, encode

    infos = {i.name: i for i in describe(MODELS["nn"].config_cls)}
    train = {i.name: i for i in describe(TrainConfig)}
    assert decode(infos["dim"], "4") == 4
    assert decode(infos["hidden"], "15,15") == "15,15"
    assert decode(infos["activation"], "tanh") == "tanh"
    assert decode(infos["init_std"], "") is None
    assert decode(train["final_step"], "false") is False
    assert decode(train["lr"], "0.1") == 0.1
    for info, bad in ((infos["dim"], "0"), (infos["activation"], "evil"),
                      (infos["hidden"], "1,x"), (train["lr"], "nan"), (train["epochs"], "1e9")):
        with pytest.raises(ValueError):
            decode(info, bad)
    assert encode(None) == "" and encode(True) == "true" and encode(0.1) == "0.1"


def test_share_params_never_carry_uploaded_data():
    from ui.share import params_of

    state = {"lang": "ko", "data_origin": "upload", "model": "mf", "cfg-mf-dim": 4,
             "tc-mf-seed": 3, "ratings": object()}
    params = params_of(state)
    assert params == {"lang": "ko", "model": "mf", "dim": "4", "seed": "3"}
    state.update(data_origin="sample:solo")
    assert params_of(state)["sample"] == "solo"
    state.update(data_edited=True)
    assert "sample" not in params_of(state)


def test_share_keeps_url_parameters_it_does_not_own():
    from ui.share import merged

    current = {"embed": "true", "lang": "en", "model": "nn", "dim": "3"}
    mine = {"lang": "ko", "model": "mf"}
    assert merged(current, mine) == {"embed": "true", "lang": "ko", "model": "mf"}


def test_share_link_points_at_the_train_page():
    from ui.share import link

    state = {"lang": "en", "data_origin": "sample:solo", "model": "mf", "tc-mf-seed": 1}
    assert link(state, "http://host:8501/results") == \
        "http://host:8501/train?lang=en&sample=solo&model=mf&seed=1"
    assert link(state, "https://x.org/app/data").startswith("https://x.org/app/train?")


def test_projector_css_is_a_constant_without_user_text():
    from ui import present

    assert present.PROJECTOR_CSS.startswith("<style>") and "{" in present.PROJECTOR_CSS
    assert "22px" in present.PROJECTOR_CSS
    fig = figures.rating_histogram(Ratings.from_matrix(pd.DataFrame([[1.0, 2.0]])))
    assert present.chart(fig, {"projector": False}).layout.font.size is None
    assert present.chart(fig, {"projector": True}).layout.font.size == present.CHART_FONT


# ----- projector mode keeps charts readable ----------------------------------------------------
def _cell_text_sizes(fig):
    return [t.textfont.size for t in fig.data if t.type == "heatmap" and t.texttemplate]


def test_projector_cell_values_fit_their_cells_or_go_to_the_hover(solo_run):
    """Issue 13: at 1280 px the projector's 16 px values ran together ("3.94.02.4")."""
    on = {"projector": True}
    wide = present.chart(figures.result_heatmap(solo_run), on)  # 8 columns on 900 px
    for size in _cell_text_sizes(wide):
        columns = 8
        cell = (present.PLOT_WIDTH_PX - 220) / columns
        assert size * 0.62 * 6 <= cell  # "(3.41)" fits its cell
    narrow = present.chart(figures.result_heatmap(solo_run), on, width_px=470)  # Compare's side
    assert all(s * 0.62 * 6 <= (470 - 220) / 8 for s in _cell_text_sizes(narrow))
    frame = pd.DataFrame(np.random.default_rng(0).uniform(0, 5, (30, 30)))
    crowded = figures.heatmap(Ratings.from_matrix(frame, scale=(0.0, 5.0)), view="observed")
    assert any(t.texttemplate for t in crowded.data if t.type == "heatmap")
    crowded = present.chart(crowded, on)
    assert not any(t.texttemplate for t in crowded.data if t.type == "heatmap")  # hover only


def test_projector_wraps_a_long_title_and_thins_a_crowded_map(solo_run, structured):
    on = {"projector": True}
    fig = figures.embedding_map(solo_run.embeddings_2d(), text=figures.words("ko"))
    title = fig.layout.title.text
    narrow = present.chart(fig, on, width_px=300)
    assert narrow.layout.title.text.replace("<br>", " ") == title and "<br>" in narrow.layout.title.text
    assert all(present.text_width(line, present.CHART_FONT + 6) <= 300
               for line in narrow.layout.title.text.split("<br>"))
    few = present.chart(figures.embedding_map(solo_run.embeddings_2d()), on)  # 17 names: kept
    assert all("text" in t.mode for t in few.data)
    many = fit(structured, "mf", MFConfig(dim=2), TrainConfig(epochs=2)).embeddings_2d()
    many = pd.concat([many, many.assign(label=many["label"] + "'")])  # 44 names
    crowded = present.chart(figures.embedding_map(many), on)
    assert not any("text" in t.mode for t in crowded.data)
    assert all(t.customdata is not None for t in crowded.data)  # the names stay in the hover


def test_what_if_compares_with_the_same_training_without_the_edit(solo_run):
    """Issue 13: a what-if with no change (0.5 -> 0.5) still listed moves up to +0.386: the
    extra epochs' own effect. Against the same continued training without the edit, a no-op
    moves nothing and a real edit moves its own cell most."""
    import copy

    from recsys_core.training.trainer import Trainer
    from recsys_core.training.whatif import NOTHING_MOVED, without_the_edit

    def what_if(value):
        edited = edit_cell(solo_run.ratings, 2, 3, value)
        trainer = Trainer(edited, "mf", solo_run.model_config, solo_run.train_config,
                          model=copy.deepcopy(solo_run.model),
                          is_val=carry_split(solo_run.ratings, solo_run.is_val, edited, (2, 3)))
        return trainer.fit(30).result().predicted

    control = without_the_edit(solo_run, 30, (2, 3))
    same = float(solo_run.ratings.to_matrix().iloc[2, 3])
    assert np.abs(what_if(same) - control).max() <= NOTHING_MOVED  # nothing changed
    assert np.abs(what_if(same) - solo_run.predicted).max() > 0.001  # the old comparison moved
    moved = moved_most(solo_run.ratings, control, what_if(0.5), top=3)
    assert moved.attrs["cells"][0] == (2, 3) and moved["change"].iloc[0] < -0.5
