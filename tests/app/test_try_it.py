"""Try it yourself on Results (issue 15): a visitor rates five items of the course matrix and
sees their own top-N at once, with the "because", how sure the model is, their place on the
map, and how close fold-in came to retraining with them added."""

from __future__ import annotations

import pytest

from recsys_core.training.foldin import fold_in
from tests.app.helpers import chart, fresh, go, has, retrain_visitor, texts, train
from ui import paths
from ui.try_it import ITEMS, rating_key

FIVE = {"영식(IN)": 5.0, "영철(IN)": 4.5, "광수(IS)": 1.0, "영호(IS)": 1.5, "상철(EN)": 4.0}
"""Five ratings of the course matrix's eight items: introverts high, one extrovert high."""


def rate(at, ratings: dict[str, float]):
    """Pick the items and give each its rating, as a visitor does (one run per change)."""
    at.multiselect(key=ITEMS).set_value(list(ratings)).run()
    assert not at.exception, at.exception
    for label, value in ratings.items():
        at.number_input(key=rating_key(label)).set_value(value).run()
        assert not at.exception, at.exception
    return at


def trained_results(locale: str = "en-US"):
    at = train(fresh(locale), epochs=100)
    return go(at, paths.RESULTS)


def in_panel(at, key: str, kind: str) -> str:
    """The words of the ``kind`` elements inside ``key``, markdown escapes taken out."""
    return texts(at.get_by_key(key).get(kind)).replace("\\", "")


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_five_ratings_give_a_top_n_with_because_certainty_and_a_place_on_the_map(locale):
    at = trained_results(locale)
    assert at.multiselect(key=ITEMS).value == []
    assert ("No ratings yet" if locale == "en-US" else "아직 평점이 없습니다") in texts(at.info)
    rate(at, FIVE)
    top = at.get_by_key("tryit_top").get("dataframe")[0].value
    # the list is the library's fold-in: the three items not rated, best first
    visitor = fold_in(at.session_state["runs"][-1].result, FIVE)
    expected = visitor.top_n(5)
    assert list(top["item"]) == list(expected["item"])
    assert set(top["item"]) == {"영수(EN)", "규빈(ES)", "다호(ES)"}
    assert list(top["prediction"]) == sorted(top["prediction"], reverse=True)
    liked = {"영식(IN)", "영철(IN)", "상철(EN)"}  # rated above the visitor's own average
    for reason in top["because"]:
        assert reason and set(reason.split(", ")) <= liked, reason
    certainty = in_panel(at, "tryit_certainty", "caption")
    assert ("Based on your 5 ratings" if locale == "en-US" else "내 평점 5개") in certainty
    assert not at.get_by_key("tryit_certainty").get("warning")  # five is enough: no warning
    where = chart(at, "tryit_map")["layout"]["meta"]["visitor"]
    assert where == pytest.approx(list(visitor.position), abs=1e-6)


def test_few_ratings_are_said_to_be_little_and_an_unrated_pick_is_left_out():
    at = trained_results()
    at.multiselect(key=ITEMS).set_value(["영식(IN)", "광수(IS)"]).run()
    assert "No rating yet for 영식\\(IN\\), 광수\\(IS\\)" in texts(at.info)
    at.number_input(key=rating_key("영식(IN)")).set_value(5.0).run()
    assert not at.exception, at.exception
    assert "No rating yet for 광수\\(IS\\)" in texts(at.info)
    warning = in_panel(at, "tryit_certainty", "warning")
    assert "very little" in warning and "Rate at least 4 more" in warning
    top = at.get_by_key("tryit_top").get("dataframe")[0].value
    assert len(top) == 5 and "영식(IN)" not in set(top["item"])


@pytest.mark.parametrize(("locale", "words"), [("en-US", "off the run's scale 0 to 5"),
                                               ("ko-KR", "척도")])
def test_a_rating_off_the_scale_is_said_in_words_in_the_sessions_language(locale, words):
    at = trained_results(locale)
    rate(at, {"영식(IN)": 7.0})
    errors = texts(at.error)
    assert words in errors.replace("\\", ""), errors
    assert not has(at, "tryit_top")
    if locale == "ko-KR":
        assert "What to do" not in errors and "off the run" not in errors


def test_retraining_with_the_visitor_says_how_close_fold_in_came():
    at = trained_results()
    rate(at, FIVE)
    at.number_input(key="tryit_n").set_value(3).run()
    runs_before = len(at.session_state["runs"])
    labels, table = retrain_visitor(at, 3)
    assert float(labels["Mean difference of predictions"]) >= 0
    assert len(table) == 3 and set(table["fold_in"]) == {"영수(EN)", "규빈(ES)", "다호(ES)"}
    assert len(at.session_state["runs"]) == runs_before  # the retrain is not kept as a run
    # another rating: the old comparison no longer speaks for the list
    at.number_input(key=rating_key("상철(EN)")).set_value(2.0).run()
    assert not has(at, "tryit_compared")
    assert "retrain again to compare" in texts(at.caption)


def test_the_visitors_ratings_survive_page_switches():
    at = trained_results()
    rate(at, FIVE)
    for page in (paths.DATA, paths.TRAIN, paths.COMPARE, paths.RESULTS):
        go(at, page)
    assert at.multiselect(key=ITEMS).value == list(FIVE)
    assert {label: at.number_input(key=rating_key(label)).value for label in FIVE} == FIVE
    assert at.get_by_key("tryit_top")


@pytest.mark.parametrize(("model", "how", "mapped"), [
    ("NeuMF (NCF)", "gradient steps", True),
    ("Baseline (average + biases)", "closed form", False)])
def test_every_kind_of_model_folds_a_visitor_in(model, how, mapped):
    """A network finds the visitor's row by gradient steps, the baseline in closed form and
    with no map to place them on (and a "because" that says why there is none)."""
    at = train(fresh(), epochs=5, model=model)
    go(at, paths.RESULTS)
    rate(at, FIVE)
    top = at.get_by_key("tryit_top").get("dataframe")[0].value
    assert set(top["item"]) == {"영수(EN)", "규빈(ES)", "다호(ES)"}
    assert ("gradient steps" in texts(at.caption)) == (how == "gradient steps")
    assert has(at, "tryit_map") == mapped
    if not mapped:
        assert set(top["because"]) == {"popular with everyone (the baseline has no tastes to "
                                       "compare)"}
        assert "no map to place you on" in texts(at.caption)


def test_rating_every_item_leaves_nothing_to_recommend_and_says_so():
    at = trained_results()
    every = {label: 3.0 for label in at.session_state["runs"][-1].result.ratings.items}
    rate(at, every)
    assert "nothing left to recommend" in texts(at.info)
    assert not [b for b in at.button if b.key == "tryit_retrain"]
