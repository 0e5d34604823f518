"""Figures: what each one shows, how many cells the heatmap sends, and that labels stay text."""

import json
import math
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recsys_core.data.ratings import Ratings
from recsys_core.data.synthetic import generate_long
from recsys_core.results import figures
from recsys_core.training.trainer import EpochReport, TrainConfig, fit
from tests.corpus import strings_in
from tests.tolerance import assert_float32_close

SOLO = Path(__file__).resolve().parent.parent / "data" / "solo.csv"
HOSTILE_USER = "<b>x</b>"
HOSTILE_ITEM = "<img src=x onerror=alert(1)>"


# ----- data ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def solo():
    """The course's 9 x 8 matrix: 63 ratings, 9 empty cells, Korean labels."""
    return Ratings.from_matrix(pd.read_csv(SOLO, index_col=0), scale=(0, 5))


@pytest.fixture(scope="module")
def solo_fit(solo):
    return fit(solo, "mf", train=TrainConfig(epochs=30, val_frac=0.2))


@pytest.fixture(scope="module")
def movielens_like():
    """As big and as sparse as MovieLens latest-small: 610 x 9,724, 100,836 ratings."""
    return generate_long(n_ratings=100_836, n_users=610, n_items=9_724, seed=0)


@pytest.fixture(scope="module")
def hostile_fit():
    frame = pd.DataFrame([[1.0, None, 3.0], [4.0, 5.0, None], [2.0, 2.0, 5.0]],
                         index=[HOSTILE_USER, "옥순(IN)", "Tom & Jerry"],
                         columns=[HOSTILE_ITEM, "영식(IN)", "Schindler's List"])
    return fit(Ratings.from_matrix(frame, scale=(0, 5)), "mf",
               train=TrainConfig(epochs=5, val_frac=0.3))


def trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"expected one trace named {name!r}"
    return found[0]


def marked_cells(fig) -> list[tuple[int, int]]:
    """The (row, column) of each corner mark: the triangles of the one path named
    ``"predicted"``, each starting at its right angle, just inside its cell's top-right
    corner (columns span c ± 0.5; the y axis runs downwards, so a cell's top is row - 0.5)."""
    found = [s for s in fig.layout.shapes if s.name == "predicted"]
    assert len(found) == 1, "expected one shape of corner marks"
    corners = re.findall(r"M([-\d.]+),([-\d.]+)H[-\d.]+L[-\d.]+,[-\d.]+Z", found[0].path)
    assert found[0].path.count("Z") == len(corners)  # every triangle is closed, none other
    return [(math.ceil(float(y)), math.floor(float(x))) for x, y in corners]


def finite_cells(heat) -> int:
    return int(np.isfinite(np.asarray(heat.z, dtype=float)).sum())


# ----- heatmap: what is drawn where ------------------------------------------------------
def test_completed_heatmap_marks_every_filled_cell(solo, solo_fit):
    fig = figures.heatmap(solo, solo_fit.predicted, is_val=solo_fit.is_val)
    assert fig.layout.meta["n_cells"] == 72
    assert fig.layout.meta["n_observed"] == 63
    assert fig.layout.meta["n_predicted"] == 9
    assert finite_cells(trace(fig, "observed")) == 63
    assert finite_cells(trace(fig, "filled in")) == 9
    marks = marked_cells(fig)
    assert len(marks) == 9
    # each mark sits inside a cell that had no rating (small matrices keep the input order)
    marked = set(marks)
    missing = set(zip(*[a.tolist() for a in np.nonzero(~solo.observed_mask())]))
    assert marked == missing


def test_completed_values_keep_ratings_and_fill_the_rest(solo, solo_fit):
    fig = figures.result_heatmap(solo_fit)
    observed = np.asarray(trace(fig, "observed").z, dtype=float)
    filled = np.asarray(trace(fig, "filled in").z, dtype=float)
    matrix = solo.to_matrix().to_numpy()
    rated = ~np.isnan(matrix)
    assert np.array_equal(observed[rated], matrix[rated])
    assert np.allclose(filled[~rated], solo_fit.predicted[~rated])
    assert np.isnan(filled[rated]).all()


def test_filled_cells_are_written_in_brackets_and_italics(solo, solo_fit):
    fig = figures.result_heatmap(solo_fit)
    filled, observed = trace(fig, "filled in"), trace(fig, "observed")
    texts = [t for row in filled.text for t in row if t]
    assert len(texts) == 9 and all(t.startswith("(") and t.endswith(")") for t in texts)
    assert filled.textfont.style == "italic"
    assert "4.02" in [t for row in observed.text for t in row]
    assert "(brackets)" in fig.layout.title.subtitle.text


def test_hover_names_rating_prediction_and_split(solo, solo_fit):
    fig = figures.result_heatmap(solo_fit)
    hover = np.asarray(trace(fig, "observed").customdata, dtype=object)
    assert hover.shape == (9, 8, 5)
    assert hover[0, 0, 0] == "옥순(IN)" and hover[0, 0, 1] == "영식(IN)"
    assert hover[0, 0, 2] == "missing" and hover[0, 0, 4] == "missing"
    assert hover[0, 1, 2] == "4.02"
    assert hover[0, 0, 3] == f"{solo_fit.predicted[0, 0]:.2f}"
    splits = set(hover[..., 4].ravel())
    assert splits == {"train", "validation", "missing"}
    assert (hover[..., 4] == "validation").sum() == solo_fit.is_val.sum()


def test_observed_view_needs_no_model_and_marks_nothing(solo):
    fig = figures.heatmap(solo, view="observed")
    assert fig.layout.meta["n_predicted"] == 0
    assert [t.name for t in fig.data] == ["observed"] and not fig.layout.shapes
    hover = np.asarray(fig.data[0].customdata, dtype=object)
    assert set(hover[..., 4].ravel()) == {"rated", "missing"}


def test_residual_view_is_prediction_minus_rating(solo, solo_fit):
    fig = figures.result_heatmap(solo_fit, view="residual")
    z = np.asarray(trace(fig, "observed").z, dtype=float)
    matrix = solo.to_matrix().to_numpy()
    rated = ~np.isnan(matrix)
    assert np.allclose(z[rated], solo_fit.predicted[rated] - matrix[rated])
    assert np.isnan(z[~rated]).all()
    assert fig.layout.coloraxis.cmid == 0


def test_predicted_view_shows_the_model_everywhere(solo, solo_fit):
    fig = figures.result_heatmap(solo_fit, view="predicted")
    z = np.asarray(trace(fig, "observed").z, dtype=float)
    rated = solo.observed_mask()
    assert np.allclose(z[rated], solo_fit.predicted[rated])
    assert fig.layout.meta["n_predicted"] == 9


def test_views_that_need_a_model_say_so(solo):
    with pytest.raises(ValueError, match="predicted="):
        figures.heatmap(solo, view="completed")
    with pytest.raises(ValueError, match="view must be one of"):
        figures.heatmap(solo, np.zeros((9, 8)), view="filled")
    with pytest.raises(ValueError, match="shape"):
        figures.heatmap(solo, np.zeros((8, 9)))


def test_show_values_can_be_switched(solo, solo_fit):
    off = figures.result_heatmap(solo_fit, show_values=False)
    assert trace(off, "observed").text is None


# ----- heatmap: large matrices -----------------------------------------------------------
def test_large_matrix_sends_one_page_of_the_most_active(movielens_like):
    r = movielens_like
    predicted = np.full((r.n_users, r.n_items), 3.0)
    started = time.perf_counter()
    fig = figures.heatmap(r, predicted, max_rows=60, max_cols=60)
    took = time.perf_counter() - started
    sent = sum(np.asarray(t.z).size for t in fig.data if t.type == "heatmap")
    assert sent <= 2 * 60 * 60  # two layers (rated, filled in) of one 60 x 60 page
    assert fig.layout.meta["n_cells"] == 3600
    meta = fig.layout.meta
    assert meta["n_observed"] + meta["n_predicted"] == 3600
    assert len(marked_cells(fig)) == meta["n_predicted"]
    subtitle = fig.layout.title.subtitle.text
    assert "users 1–60 of 610 (most active first)" in subtitle
    assert "items 1–60 of 9,724 (most rated first)" in subtitle
    counts = r.ratings_per_user()
    shown = [r.users.index(label) for label in fig.layout.yaxis.ticktext]
    assert sorted(counts[shown], reverse=True) == sorted(counts, reverse=True)[:60]
    assert trace(fig, "observed").text is None  # 3,600 cells: too many to write numbers on
    print(f"heatmap of 610 x 9,724 built in {took:.3f} s")


def test_pages_walk_through_all_users(movielens_like):
    r = movielens_like
    predicted = np.zeros((r.n_users, r.n_items))
    assert figures.heatmap_pages(r, 60) == 11
    last = figures.heatmap(r, predicted, page=10)
    assert last.layout.meta["n_cells"] == 10 * 60
    assert "users 601–610 of 610" in last.layout.title.subtitle.text
    assert figures.heatmap(r, predicted, page=99).layout.meta["page"] == 10  # clamped
    seen = set()
    for page in range(11):
        seen.update(figures.heatmap(r, predicted, view="observed", page=page).layout.yaxis.ticktext)
    assert len(seen) == 610


def test_item_pages_walk_through_all_items(movielens_like):
    """Issue 13: paging through users always showed the same 60 most-rated items."""
    r = movielens_like
    predicted = np.zeros((r.n_users, r.n_items))
    pages = figures.heatmap_item_pages(r, 60)
    assert pages == 163
    second = figures.heatmap(r, predicted, view="observed", item_page=1)
    assert "items 61–120 of 9,724 (most rated first)" in second.layout.title.subtitle.text
    assert second.layout.meta["item_page"] == 1 and second.layout.meta["cols"] == [60, 120]
    counts = r.ratings_per_item()
    shown = [r.items.index(label) for label in second.layout.xaxis.ticktext]
    assert sorted(counts[shown], reverse=True) == sorted(counts, reverse=True)[60:120]
    last = figures.heatmap(r, predicted, item_page=999)
    assert last.layout.meta["item_page"] == pages - 1  # clamped
    assert len(last.layout.xaxis.ticktext) == r.n_items - 60 * (pages - 1)


def test_many_item_labels_stand_upright_and_small_enough_to_fit(movielens_like, solo, solo_fit):
    big = figures.heatmap(movielens_like, view="observed")
    assert big.layout.xaxis.tickangle == -90 and big.layout.xaxis.tickfont.size <= 11
    small = figures.result_heatmap(solo_fit)
    assert small.layout.xaxis.tickangle == -45 and small.layout.xaxis.tickfont.size == 12


# ----- escaping --------------------------------------------------------------------------
def hostile_figures(result):
    """Each figure that shows a user-supplied string, and that string escaped."""
    user = "&lt;b&gt;x&lt;/b&gt;"
    return [(figures.result_heatmap(result, title="<b>my file</b>.csv"), "&lt;b&gt;my file"),
            (figures.result_heatmap(result, view="observed"), user),
            (figures.predicted_vs_actual(result), user),
            (figures.embedding_map(result.embeddings_2d()), user),
            (figures.loss_curves({"<b>run</b>": result.history}), "&lt;b&gt;run&lt;/b&gt;")]


def test_labels_reach_plotly_as_text_not_markup(hostile_fit):
    for fig, escaped in hostile_figures(hostile_fit):
        joined = "\n".join(strings_in(json.loads(fig.to_json())))
        for raw in ("<b>x</b>", "<img", "<b>run</b>", "<b>my file</b>"):
            assert raw not in joined
        assert escaped in joined


def test_escaped_labels_are_all_there_and_korean_is_untouched(hostile_fit):
    fig = figures.result_heatmap(hostile_fit)
    joined = "\n".join(strings_in(json.loads(fig.to_json())))
    assert "&lt;b&gt;x&lt;/b&gt;" in joined
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined
    assert "옥순(IN)" in joined and "영식(IN)" in joined
    assert "Schindler's List" in joined  # quotes are no risk and plotly shows &quot; literally


def test_escape_keeps_plain_text():
    assert figures.escape("옥순(IN) 3.5") == "옥순(IN) 3.5"
    assert figures.escape("<a href='x'>") == "&lt;a href='x'&gt;"


# ----- loss curves -----------------------------------------------------------------------
def reports(n, with_val=True):
    return [EpochReport(e, 1 / e, (1 / e) ** 0.5, 2 / e if with_val else None, 0.1 * e)
            for e in range(1, n + 1)]


def test_loss_curves_one_run():
    fig = figures.loss_curves(reports(5))
    train, val = trace(fig, "train RMSE"), trace(fig, "validation RMSE")
    assert list(train.x) == [1, 2, 3, 4, 5]
    assert np.allclose(val.y, [2, 1, 2 / 3, 0.5, 0.4])
    assert val.line.dash == "dash" and train.line.dash is None
    assert fig.layout.xaxis.title.text == "epoch"
    assert "RMSE" in fig.layout.yaxis.title.text


def test_loss_curves_compare_runs_by_colour():
    fig = figures.loss_curves({"mf": reports(3), "nn": reports(4, with_val=False)}, log_y=True)
    assert [t.name for t in fig.data] == ["mf: train RMSE", "mf: validation RMSE",
                                         "nn: train RMSE"]
    assert fig.data[0].line.color == fig.data[1].line.color != fig.data[2].line.color
    assert fig.layout.yaxis.type == "log"


def test_loss_curves_without_epochs_still_draw():
    for empty in ([], {"mf": []}):
        fig = figures.loss_curves(empty)
        assert all(len(t.x) == 0 for t in fig.data)
        assert "No epochs yet" in fig.layout.annotations[0].text


# ----- predicted vs actual ---------------------------------------------------------------
def test_predicted_vs_actual_splits_train_and_validation(solo, solo_fit):
    fig = figures.predicted_vs_actual(solo_fit)
    n_val = int(solo_fit.is_val.sum())
    train = trace(fig, f"train ({63 - n_val})")
    val = trace(fig, f"validation ({n_val})")
    assert len(train.x) + len(val.x) == 63
    assert train.marker.symbol != val.marker.symbol
    assert np.allclose(sorted(val.x), sorted(solo.values[solo_fit.is_val]))
    diagonal = trace(fig, "perfect prediction")
    assert list(diagonal.x) == list(diagonal.y) == [0.0, 5.0]
    assert fig.layout.xaxis.title.text == "actual rating"


def test_predicted_vs_actual_samples_large_data(movielens_like):
    result = fit(movielens_like, "baseline", train=TrainConfig(epochs=1))
    fig = figures.predicted_vs_actual(result, max_points=2_000)
    shown = sum(len(t.x) for t in fig.data if t.name != "perfect prediction")
    assert shown == 2_000
    assert "2,000 of 100,836 ratings shown" in fig.layout.title.subtitle.text


# ----- embedding map ---------------------------------------------------------------------
def test_embedding_map_of_a_small_fit(solo_fit):
    frame = solo_fit.embeddings_2d()
    fig = figures.embedding_map(frame)
    users, items = trace(fig, "users (9)"), trace(fig, "items (8)")
    assert users.marker.symbol != items.marker.symbol
    names = list(frame.loc[frame.kind == "user", "label"])
    assert list(users.customdata) == names  # every name in the hover
    written = [t for t in users.text if t]
    assert written and all(t == n for t, n in zip(users.text, names) if t)
    axis = "factor" if frame.attrs["projection"] == "factors" else "PCA"
    assert fig.layout.xaxis.title.text == f"{axis} 1"
    assert fig.layout.yaxis.title.text == f"{axis} 2"


def test_embedding_map_places_a_visitor_as_a_named_star(solo_fit):
    """Issue 15: a newcomer folded in is drawn on the run's own map, in both languages."""
    frame = solo_fit.embeddings_2d()
    fig = figures.embedding_map(frame, visitor=(0.5, -0.25))
    you = trace(fig, "you")
    assert list(you.x) == [0.5] and list(you.y) == [-0.25]
    assert you.marker.symbol == "star" and list(you.text) == ["<b>you</b>"]
    assert fig.layout.meta["visitor"] == [0.5, -0.25]
    assert fig.layout.meta["shown"] == {"user": 9, "item": 8}  # the visitor is not counted
    assert "★ = you" in fig.layout.title.subtitle.text
    korean = figures.embedding_map(frame, visitor=(0.5, -0.25), text=figures.words("ko"))
    assert list(trace(korean, "나").text) == ["<b>나</b>"]
    without = figures.embedding_map(frame)
    assert len(without.data) == 2 and without.layout.meta["visitor"] is None


def test_map_names_never_overlap_and_those_without_room_go_to_the_hover():
    """Issue 13: names piled up where users and items cluster (projector mode made it worse)."""
    rng = np.random.default_rng(0)
    centres = rng.uniform(-1, 1, (4, 2))
    at = centres[np.arange(24) % 4] + rng.normal(0, 0.01, (24, 2))  # four tight clusters
    frame = pd.DataFrame({"kind": ["user"] * 12 + ["item"] * 12,
                          "label": [f"사용자{k}" for k in range(12)] + [f"film {k}" for k in range(12)],
                          "x": at[:, 0], "y": at[:, 1], "ratings": np.arange(24)[::-1]})
    fig = figures.embedding_map(frame)
    placed = figures._place_labels({k: frame[frame.kind == k] for k in ("user", "item")})
    boxes = []
    for kind, trace_ in zip(("user", "item"), fig.data):
        spots, keep = placed[kind]
        assert list(trace_.textposition) == list(spots)
        part = frame[frame.kind == kind]
        assert [bool(t) for t in trace_.text] == list(keep)
        assert list(trace_.customdata) == list(part["label"])
    # the kept names' boxes, on the plot the placement assumes, are pairwise apart
    xs, ys = frame["x"].to_numpy(), frame["y"].to_numpy()
    px = (xs - xs.min()) / (np.ptp(xs) * 1.1) * figures.MAP_PLOT_PX[0]
    py = (ys.max() - ys) / (np.ptp(ys) * 1.1) * figures.MAP_PLOT_PX[1]
    for k, (kind, row) in enumerate(zip(frame["kind"], frame["label"])):
        spots, keep = placed[kind]
        j = k if kind == "user" else k - 12
        if keep[j]:
            w = figures._text_px(row, figures.MAP_LABEL_PX) + 4
            boxes.append(figures._label_box(px[k], py[k], w, figures.MAP_LABEL_PX * 1.4, spots[j]))
    assert len(boxes) >= 8  # most clusters still show several names
    assert not any(figures._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_embedding_map_names_axes_by_projection_and_drops_text_when_crowded():
    frame = pd.DataFrame({"kind": ["user"] * 40 + ["item"] * 40,
                          "label": [f"u{k}" for k in range(40)] + [f"i{k}" for k in range(40)],
                          "x": np.arange(80.0), "y": np.arange(80.0)})
    frame.attrs["projection"] = "factors"
    fig = figures.embedding_map(frame)
    assert fig.layout.xaxis.title.text == "factor 1"
    assert all(t.text is None for t in fig.data)
    assert list(fig.data[0].customdata[:2]) == ["u0", "u1"]  # names stay in the hover


def test_embedding_map_of_a_model_without_embeddings():
    fig = figures.embedding_map(pd.DataFrame(columns=["kind", "label", "x", "y"]))
    assert len(fig.data) == 0
    assert "no embeddings" in fig.layout.annotations[0].text


# ----- distributions ---------------------------------------------------------------------
def test_rating_histogram_counts_every_rating(solo, movielens_like):
    for r in (solo, movielens_like):
        fig = figures.rating_histogram(r)
        assert sum(fig.data[0].y) == r.n_ratings
        assert fig.layout.xaxis.title.text == "rating"


def test_rating_histogram_one_bar_per_star():
    r = Ratings.from_matrix(pd.DataFrame([[0.5, 1.0, 5.0], [5.0, None, 0.5]]), scale=(0.5, 5))
    fig = figures.rating_histogram(r)
    assert list(fig.data[0].x) == [0.5, 1.0, 5.0]
    assert list(fig.data[0].y) == [2, 1, 2]


def test_ratings_per_user_and_item(solo, movielens_like):
    fig = figures.ratings_per_user(solo)
    bars = {int(x): int(y) for x, y in zip(fig.data[0].x, fig.data[0].y) if y}
    assert bars == {6: 1, 7: 7, 8: 1}  # 보람 rated 6 men (short row), 서연 all 8
    for r in (solo, movielens_like):
        assert sum(figures.ratings_per_user(r).data[0].y) == r.n_users
        assert sum(figures.ratings_per_item(r).data[0].y) == r.n_items
    assert figures.ratings_per_item(movielens_like).layout.xaxis.title.text == "ratings per item"


# ----- caps that keep the Results page quick on MovieLens-sized data (issue 4) -------------
def test_predicted_vs_actual_draws_at_most_its_default_cap(movielens_like):
    result = fit(movielens_like, "baseline", train=TrainConfig(epochs=1))
    fig = figures.predicted_vs_actual(result)
    shown = sum(len(t.x) for t in fig.data if t.name != "perfect prediction")
    assert shown == figures.PVA_POINTS <= 2_000
    assert f"{figures.PVA_POINTS:,} of 100,836 ratings shown (a fixed random sample)" in \
        fig.layout.title.subtitle.text
    ko = figures.predicted_vs_actual(result, text=figures.words("ko"))
    assert "고정된 무작위 표본" in ko.layout.title.subtitle.text
    again = figures.predicted_vs_actual(result)  # the same points every time
    assert [list(t.x) for t in again.data] == [list(t.x) for t in fig.data]


def big_frame(n_users: int = 610, n_items: int = 9_724, counts: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame({"kind": ["user"] * n_users + ["item"] * n_items,
                          "label": [f"u{k}" for k in range(n_users)]
                          + [f"i{k}" for k in range(n_items)],
                          "x": np.arange(n_users + n_items, dtype=float),
                          "y": np.zeros(n_users + n_items)})
    if counts:  # item k has k % 997 ratings: the most rated are known
        frame["ratings"] = np.r_[np.ones(n_users), np.arange(n_items) % 997].astype(int)
    frame.attrs["projection"] = "pca"
    return frame


def test_embedding_map_draws_the_most_rated_items_and_says_so():
    frame = big_frame()
    fig = figures.embedding_map(frame)
    users, items = fig.data
    assert len(users.x) == 610 and users.name == "users (610)"
    assert len(items.x) == figures.MAP_POINTS <= 1_000
    assert items.name == f"items ({figures.MAP_POINTS:,} / 9,724)"
    part = frame[frame.kind == "item"]
    top = set(part.sort_values("ratings", ascending=False, kind="stable").label
              [:figures.MAP_POINTS])
    assert set(items.customdata) == top
    subtitle = fig.layout.title.subtitle.text
    assert f"the {figures.MAP_POINTS:,} most-rated of 9,724 items shown" in subtitle
    assert "PCA" in subtitle and "users shown" not in subtitle
    assert fig.layout.meta["shown"] == {"user": 610, "item": figures.MAP_POINTS}
    ko = figures.embedding_map(frame, text=figures.words("ko"))
    assert f"항목 9,724개 중 평가가 많은 {figures.MAP_POINTS:,}개만 표시" in \
        ko.layout.title.subtitle.text


def test_embedding_map_without_counts_draws_a_fixed_sample_and_says_so():
    frame = big_frame(n_users=1_500, counts=False)
    fig = figures.embedding_map(frame, max_points=300)
    assert [len(t.x) for t in fig.data] == [300, 300]
    subtitle = fig.layout.title.subtitle.text
    assert "300 of 1,500 users shown (a fixed random sample)" in subtitle
    assert "300 of 9,724 items shown (a fixed random sample)" in subtitle
    again = figures.embedding_map(frame, max_points=300)
    assert list(again.data[1].customdata) == list(fig.data[1].customdata)


def test_embedding_frame_counts_ratings_so_the_map_can_pick_the_most_rated(solo_fit, solo):
    frame = solo_fit.embeddings_2d()
    assert list(frame["ratings"]) == [*solo.ratings_per_user(), *solo.ratings_per_item()]
    fig = figures.embedding_map(frame)  # the course matrix: everything, as before
    assert [len(t.x) for t in fig.data] == [9, 8]
    assert "shown" not in fig.layout.title.subtitle.text


def test_label_axes_do_not_hide_overflowing_labels(solo_fit):
    """plotly's default ("hide past div") measures every tick label against all the others,
    again on every margin pass: 0.5 s of a 60 x 60 heatmap's drawing."""
    heat = figures.result_heatmap(solo_fit)
    users = figures.factor_heatmap(solo_fit, "user")
    product = figures.factor_product(solo_fit)
    for fig in (heat, users, product):
        axes = [fig.layout[name] for name in fig.layout if name.startswith(("xaxis", "yaxis"))]
        assert axes and all(a.ticklabeloverflow == "allow" for a in axes)


def test_a_result_heatmap_predicts_only_the_block_it_shows(structured):
    """Compare draws two 30 x 30 heatmaps: the runs' whole matrices are not made for them."""
    result = fit(structured, "nn", train=TrainConfig(epochs=3))
    lazy = figures.result_heatmap(result, max_rows=5, max_cols=4)
    assert not result.has_predictions()  # nothing of the full matrix was made
    full = figures.heatmap(result.ratings, result.predicted, is_val=result.is_val, max_rows=5,
                           max_cols=4)
    for a, b in zip(lazy.data, full.data):
        if a.type != "heatmap":
            continue
        assert_float32_close(np.nan_to_num(np.asarray(a.z, dtype=float)),  # per cell vs matrix
                             np.nan_to_num(np.asarray(b.z, dtype=float)))


@pytest.mark.parametrize("cols", [8, 60])
def test_heatmap_margins_are_fixed_and_hold_its_longest_labels(cols):
    """The heatmap's margins are worked out from its labels and fixed (plotly would draw it,
    measure the labels and draw it all again): they must hold the widest user label, the
    longest item label at its slant, and the colour bar's title, Korean included."""
    long_user, long_item = "김" * 10 + " (analyst)", "아주 긴 영화 제목: The Long One (1999)"
    users = [long_user, *(f"u{k}" for k in range(9))]
    items = [f"i{k}" for k in range(cols - 1)] + [long_item]
    ratings = Ratings.from_matrix(pd.DataFrame(
        np.arange(10 * cols, dtype=float).reshape(10, cols) % 5 + 0.5, index=users, columns=items))
    fig = figures.heatmap(ratings, view="observed")
    margin, x, y = fig.layout.margin, fig.layout.xaxis, fig.layout.yaxis
    assert margin.autoexpand is False
    shown_user = figures.common._shorten(long_user)
    shown_item = figures.common._shorten(long_item)
    assert margin.l >= figures.common._text_px(shown_user, y.tickfont.size) + 30
    slant = abs(np.sin(np.radians(x.tickangle)))
    assert margin.b >= figures.common._text_px(shown_item, x.tickfont.size) * slant + 30
    bar_title = fig.layout.coloraxis.colorbar.title.text
    assert margin.r >= figures.common._text_px(bar_title, 14)


def test_projector_lets_plotly_grow_the_heatmaps_fixed_margins():
    """Projector mode enlarges the type after the margins were worked out: plotly grows them."""
    from ui import present

    solo = Ratings.from_matrix(pd.DataFrame([[1.0, 2.0], [3.0, np.nan]], index=["a", "b"],
                                            columns=["x", "y"]))
    fig = present.chart(figures.heatmap(solo, view="observed"), {present.PROJECTOR: True})
    assert fig.layout.margin.autoexpand is True
    assert figures.heatmap(solo, view="observed").layout.margin.autoexpand is False


def test_loss_chart_margin_holds_its_longest_legend_entry():
    history = [EpochReport(epoch=k, train_loss=1.0 / k, train_rmse=1.0 / k, val_rmse=1.2 / k,
                           seconds=0.1 * k)
               for k in (1, 2, 3)]
    fig = figures.loss_curves({"#2 MF · warm from #1 (a long name)": history, "#1": history})
    longest = max(len(t.name) for t in fig.data)
    assert fig.layout.margin.autoexpand is False
    assert fig.layout.margin.r >= longest * 0.6 * 12 + 40


def _python_calls(build) -> int:
    """Python function calls made while ``build()`` runs (a count, the same on any CPU)."""
    import sys

    calls = [0]

    def count(frame, event, arg):
        if event == "call":
            calls[0] += 1

    sys.setprofile(count)
    try:
        build()
    finally:
        sys.setprofile(None)
    return calls[0]


def test_with_the_template_as_plotlys_default_figures_look_the_same_and_cost_far_less(
        monkeypatch, solo, solo_fit):
    """The app makes plotly_white plotly's default (``make_template_default``): each figure
    then gets it without plotly validating and copying it, which cost about 34,000 Python calls
    a figure; the figures are the same either way."""
    import plotly.io as pio

    monkeypatch.setattr(pio.templates, "default", "plotly")  # a script's own default, restored after
    build = {"loss": lambda: figures.loss_curves(reports(20)),
             "heatmap": lambda: figures.heatmap(solo, solo_fit.predicted, view="completed",
                                                is_val=solo_fit.is_val)}
    build["loss"]()  # plotly's first figure builds the template itself: not counted
    given = {name: (make(), _python_calls(make)) for name, make in build.items()}
    figures.make_template_default()
    assert pio.templates.default == figures.TEMPLATE
    for name, make in build.items():
        figure, calls = make(), _python_calls(make)
        assert json.loads(figure.to_json()) == json.loads(given[name][0].to_json()), name
        assert figure.layout.template.layout.paper_bgcolor == "white"
        assert calls < given[name][1] - 20_000, (name, calls, given[name][1])
