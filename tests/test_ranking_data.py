"""Issue 14, data: interaction files of every shape, ratings turned into interactions, clicks
with known tastes; every problem said with its file, line and column, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from recsys_core.data.errors import EmptyFileError, FileFormatError, NonNumericRatingError
from recsys_core.data.loading import load_ratings
from recsys_core.data.synthetic import generate_clicks
from recsys_core.i18n import render
from recsys_core.ranking.data import Interactions
from recsys_core.ranking.loading import load_interactions

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MOVIELENS = ROOT / "data" / "ml-latest-small" / "ratings.csv"


def pairs(data: Interactions) -> list[tuple[str, str]]:
    return list(zip(np.asarray(data.users)[data.user_idx], np.asarray(data.items)[data.item_idx]))


def test_movielens_as_interactions_keeps_every_rating_and_its_time():
    data = load_interactions(MOVIELENS)
    assert (data.n_users, data.n_items, data.n_interactions) == (610, 9724, 100836)
    assert data.timestamps[0] == 964982703 and not data.warnings
    assert "Every rating" in data.rule


def test_a_threshold_keeps_the_likes_and_says_what_it_left_out():
    data = load_interactions(MOVIELENS, like_threshold=4)
    assert data.n_interactions == 48580 and (data.n_users, data.n_items) == (609, 6298)
    [warning] = data.warnings
    assert warning.code == "threshold" and "48,580 of 100,836" in warning.message
    assert "1 user(s) and 3426 item(s)" in warning.message
    assert "4 or more" in data.rule and "4 이상" in render(data.rule, "ko")


def test_u_data_tab_separated_without_header():
    text = b"196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n"
    data = load_interactions(text, "u.data")
    assert pairs(data) == [("196", "242"), ("186", "302"), ("196", "377")]
    assert data.timestamps.tolist() == [881250949, 891717742, 878887116]
    assert load_interactions(text, "u.data", like_threshold=3).n_interactions == 2


def test_pairs_with_and_without_header_and_repeats_merged_at_the_earliest_time():
    plain = load_interactions(b"a,x\na,y\nb,x\n")
    assert pairs(plain) == [("a", "x"), ("a", "y"), ("b", "x")] and plain.timestamps is None
    text = b"customer,product,date\na,x,2024-03-02\na,y,2024-03-01 10:00\na,x,2024-03-01\n"
    data = load_interactions(text, "log.csv")
    when = dict(zip(pairs(data), data.timestamps))
    assert sorted(when) == [("a", "x"), ("a", "y")]
    assert when[("a", "x")] == 1709251200  # x's earliest click, 1 March 2024 00:00 UTC
    assert when[("a", "y")] == 1709251200 + 36000
    assert [w.code for w in data.warnings] == ["repeated_pairs"]
    assert "1 user-item pair(s) occur in more than one row (2 rows" in data.warnings[0].message


def test_a_log_whose_pairs_repeat_is_not_mistaken_for_a_matrix():
    text = b"u1\ti9\t1\nu1\ti9\t1\nu1\ti8\t2\nu2\ti9\t1\n"
    data = load_interactions(text)
    assert data.n_interactions == 3 and data.warnings[0].code == "repeated_pairs"


def test_a_wide_zero_one_matrix():
    text = b"user,A,B,C\nann,1,0,\nbob,0,1,1\ncy,0,0,0\n"
    data = load_interactions(text, "m.csv")
    assert pairs(data) == [("ann", "A"), ("bob", "B"), ("bob", "C")]
    assert data.users == ["ann", "bob"]
    [warning] = data.warnings
    assert warning.code == "no_interaction" and "1 user(s) and 0 item(s)" in warning.message
    assert "not empty or 0" in data.rule


def test_a_rating_matrix_with_a_threshold(solo):
    data = load_interactions(ROOT / "data" / "solo.csv", like_threshold=4)
    expected = int((solo.values >= 4).sum())
    assert data.n_interactions == expected and "4 or more" in data.rule
    assert Interactions.from_ratings(solo, 4).n_interactions == expected
    assert Interactions.from_ratings(solo).n_interactions == solo.n_ratings


def test_ratings_loaded_the_usual_way_become_interactions():
    ratings = load_ratings(b"user,item,rating\na,x,5\na,y,2\nb,x,4\n")
    assert pairs(Interactions.from_ratings(ratings, 4)) == [("a", "x"), ("b", "x")]
    with pytest.raises(EmptyFileError, match="No rating reaches the threshold 6"):
        Interactions.from_ratings(ratings, 6)


@pytest.mark.parametrize("text, error, where", [
    (b"user,item,when\na,x,2024-01-01\na,y,yesterday\n", FileFormatError,
     "f.csv, line 3, column 'when', user 'a', item 'y'"),
    (b"user,item,time\na,x,5\na,y,\n", FileFormatError,
     "f.csv, line 3, user 'a', item 'y'"),
    (b"user,item,rating\na,x,5\na,y,five\n", NonNumericRatingError,
     "f.csv, line 3, column 'rating', user 'a', item 'y'"),
    (b"user,item\na,x\n,y\n", FileFormatError, "f.csv, line 3"),
    (b"user,item\na,x\nb,y\n", FileFormatError, "f.csv"),
])
def test_errors_say_where_and_what_to_do_in_both_languages(text, error, where):
    with pytest.raises(error) as caught:
        load_interactions(text, "f.csv", like_threshold=3)
    message = str(caught.value)
    assert f"Where: {where}" in message and "What to do:" in message
    korean = render(caught.value, "ko")
    assert "f.csv" in korean and "Where" not in korean and "What to do" not in korean
    for part in (caught.value.what, caught.value.todo):  # the problem itself, not just the frame
        assert render(part, "ko") != str(part) and HANGUL.search(render(part, "ko"))


def test_synthetic_clicks_have_the_tastes_they_were_made_with():
    data, user_groups, item_groups = generate_clicks(n_users=120, n_items=60, n_groups=3,
                                                     clicks_per_user=8, taste=0.9, seed=4)
    assert (data.n_users, data.n_items, data.n_interactions) == (120, 60, 960)
    assert (data.per_user() == 8).all() and data.timestamps is not None
    own = (user_groups[data.user_idx] == item_groups[data.item_idx]).mean()
    assert own > 0.75  # by chance a third would be
    again, _, _ = generate_clicks(n_users=120, n_items=60, n_groups=3, clicks_per_user=8,
                                  taste=0.9, seed=4)
    assert (again.item_idx == data.item_idx).all() and (again.timestamps == data.timestamps).all()
    counts = np.sort(data.per_item())[::-1]
    assert counts[0] > 3 * np.median(counts)  # a few popular items, as in a real log
    with pytest.raises(ValueError, match="taste"):
        generate_clicks(taste=1.5)
