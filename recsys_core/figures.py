"""Plotly figures of ratings and of trained models, as plain functions that return a Figure.

Each function takes data (``Ratings``, a ``FitResult``, a training history) and returns a
``plotly.graph_objects.Figure``; nothing here draws on screen, so every figure can be tested
without a browser and the app only has to show it.

Words: every title, axis, legend and hover text is in :data:`WORDS` (English msgids, Korean in
the catalogue of :mod:`recsys_core.i18n`); pass ``text=words(lang)`` for another language. Data
labels (users, items, run names) are shown as they are, never translated.

Safety rule: plotly renders a subset of HTML (``<b>``, ``<br>``, ``<a href>`` ...) in titles,
tick labels, cell text and hover boxes. Labels and titles come from uploaded files, so every
such string goes through :func:`escape` first, and hover boxes are built with ``hovertemplate``
plus ``customdata`` instead of by gluing label strings into HTML.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .data import Ratings
from .i18n import N_, _, p_, pN_
from .models import MODELS
from .training import EpochReport

WORDS = {  # every word of the figures, by key: English msgids (Korean in the catalogue)
    "empty_title": N_("No ratings to show"),
    "empty_matrix": N_("The matrix is empty."),
    "view.observed": N_("Observed ratings"),
    "view.predicted": N_("Model predictions for every cell"),
    "view.completed": N_("Completed matrix: ratings kept, empty cells filled in by the model"),
    "view.residual": N_("Residuals: prediction − rating on rated cells (0 = exact)"),
    "filled_note": N_("{mark} and (brackets) = no rating, value predicted by the model"),
    "blank_note": N_("blank = no rating"),
    "moved_note": N_("outlined = the {n} predictions that moved most"),
    "all_cells": N_("all {users} users x {items} items"),
    "users_range": N_("users {first}–{last} of {total}"),
    "most_active": N_(" (most active first)"),
    "items_range": N_("items {first}–{last} of {total}"),
    "most_rated": N_(" (most rated first)"),
    "user": N_("user"),
    "item": N_("item"),
    "rating": N_("rating"),
    "prediction": N_("prediction"),
    "split": N_("split"),
    "split.train": N_("train"),
    "split.validation": N_("validation"),
    "split.rated": N_("rated"),
    "split.missing": N_("missing"),
    "no_model": N_("no model yet"),
    "residual_hover": N_("prediction − rating"),
    "residual_bar": N_("pred − rating"),
    "trace.observed": N_("observed"),
    "trace.filled": N_("filled in"),
    "trace.predicted": pN_("heatmap trace", "predicted"),
    "trace.moved": N_("moved most"),
    "loss_title": N_("Training progress: error per epoch"),
    "loss_subtitle": N_("solid = training ratings, dashed = validation ratings (held out)"),
    "epoch": N_("epoch"),
    "rmse_axis": N_("RMSE (rating points)"),
    "no_epochs": N_("No epochs yet: train a model to see its error fall."),
    "train_rmse": N_("train RMSE"),
    "val_rmse": N_("validation RMSE"),
    "pva_title": N_("Predicted vs actual rating"),
    "perfect": N_("perfect prediction"),
    "actual_axis": N_("actual rating"),
    "predicted_axis": N_("predicted rating"),
    "shown_of": N_("{shown} of {total} ratings shown (a fixed random sample)"),
    "emb_title": N_("Learned embeddings: users and items on one map"),
    "emb_close": N_("close together = similar tastes"),
    "emb_pca": N_("projected to 2-D with PCA; close together = similar tastes"),
    "emb_top_users": N_("the {shown} most active of {total} users shown"),
    "emb_top_items": N_("the {shown} most-rated of {total} items shown"),
    "emb_sample_users": N_("{shown} of {total} users shown (a fixed random sample)"),
    "emb_sample_items": N_("{shown} of {total} items shown (a fixed random sample)"),
    "emb_none": N_("This model has no embeddings to show (the baseline has none)."),
    "axis.factor": N_("factor"),
    "axis.pca": N_("PCA"),
    "axis.axis": N_("axis"),
    "users": N_("users"),
    "items": N_("items"),
    "hist_title": N_("How the ratings are spread"),
    "hist_subtitle": N_("{n} ratings on the scale {lo} to {hi}"),
    "ratings_trace": N_("ratings"),
    "n_ratings_axis": N_("number of ratings"),
    "no_ratings": N_("No ratings yet."),
    "hover.rating_count": N_("rating {x}: {n} ratings"),
    "hover.range_count": N_("{a} to {b}: {n} ratings"),
    "per_user_title": N_("Ratings per user"),
    "per_item_title": N_("Ratings per item"),
    "per_user_axis": N_("ratings per user"),
    "per_item_axis": N_("ratings per item"),
    "n_users_axis": N_("number of users"),
    "n_items_axis": N_("number of items"),
    "count_summary_users": N_("{count} users; median {median}, fewest {fewest}, most {most} ratings"),
    "count_summary_items": N_("{count} items; median {median}, fewest {fewest}, most {most} ratings"),
    "count_none_users": N_("no users"),
    "count_none_items": N_("no items"),
    "hover.count_users": N_("{x} ratings: {n} users"),
    "hover.count_items": N_("{x} ratings: {n} items"),
    "hover.count_range_users": N_("{a} to {b} ratings: {n} users"),
    "hover.count_range_items": N_("{a} to {b} ratings: {n} items"),
    "factor.title_user": N_("User factors U: {n} users x k = {k}"),
    "factor.title_item": N_("Item factors V: {n} items x k = {k}"),
    "factor.note": N_("one row per {side}, one column per hidden factor; red = above 0, blue = below"),
    "factor.note_neumf": N_("NeuMF: the first {dim} columns are the GMF part, the rest the MLP part"),
    "factor.shown": N_("first {shown} of {total:,} shown"),
    "factor.none": N_("This model has no factors to show (the baseline has none)."),
    "factor.user": N_("user"),
    "factor.item": N_("item"),
    "factor.value": N_("value"),
    "factor.product_title": N_("The matrix as the product of two thin matrices: U x Vᵀ"),
    "factor.panel_u": N_("U (users x k)"),
    "factor.panel_vt": N_("Vᵀ (k x items)"),
    "factor.panel_product": N_("U x Vᵀ"),
    "factor.panel_completed": N_("completed matrix"),
    "factor.how_mf": N_("rating = squash(U x Vᵀ + user bias + item bias{offset}): the product is the "
                        "score before the biases and the sigmoid · (brackets) = predicted"),
    "factor.how_gmf": N_("GMF weights each factor's product before adding them up: U x Vᵀ is the "
                         "unweighted sum"),
    "factor.how_net": N_("this network combines the factors in a non-linear way: U x Vᵀ only shows "
                         "how well each user's and item's factors line up"),
    "factor.offset": N_(" + offset"),
    "factor.rating": N_("rating"),
}


def words(lang: str = "en") -> dict[str, str]:
    """:data:`WORDS` in ``lang``: the ``text`` argument of every figure function."""
    return {key: p_(*msgid, lang) if isinstance(msgid, tuple) else _(msgid, lang)
            for key, msgid in WORDS.items()}


ENGLISH = words("en")

VIEWS = ("observed", "predicted", "completed", "residual")
VALUE_TEXT_LIMIT = 30 * 30
"""Auto mode writes the value on each cell only when the shown block has at most this many
cells; beyond that the numbers become too small to read."""
LABEL_CHARS = 24
PVA_POINTS = 2_000
"""Most ratings :func:`predicted_vs_actual` draws (a fixed random sample above this): every
point is an SVG element, and 5,000 of them held the browser's main thread ~0.6 s."""
MAP_POINTS = 1_000
"""Most users, and most items, :func:`embedding_map` draws (the most-rated ones): MovieLens
latest-small's 10,334 points held the browser's main thread about a second."""
TICK_OVERFLOW = dict(ticklabeloverflow="allow")
"""On axes with a tick label per row or column. plotly's default for numeric axes ("hide
past div") measures every label against every other label after each one is drawn (~n²
layout reads, 0.5 s for 60 + 60 labels, again on each automatic-margin pass); the margins
grow to fit the labels anyway (``automargin``), so nothing needs hiding."""
"""Tick labels longer than this are shortened with an ellipsis (the hover shows them whole)."""
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
TRAIN_COLOUR, VAL_COLOUR = "#1f77b4", "#ff7f0e"
FILLED_MARK = "◥"
"""The corner mark drawn on every cell the model filled in (also named in the subtitle)."""


class _Words:
    """``text`` (a dict from :func:`words`) with English for missing keys."""

    def __init__(self, text: dict | None) -> None:
        self.text = text or {}

    def __call__(self, key: str, **fmt) -> str:
        template = self.text.get(key) or ENGLISH[key]
        return template.format(**fmt) if fmt else template


def escape(text) -> str:
    """Text that plotly shows literally, never as markup: ``<`` ``>`` ``&`` become entities.

    Quotes stay as they are: plotly does not decode ``&quot;`` (it would show up literally in
    "Schindler's List"), and without ``<`` no quote can open a tag. Korean and every other
    script pass through unchanged.
    """
    return html.escape(str(text), quote=False)


def _shorten(label: str, limit: int = LABEL_CHARS) -> str:
    """Cut first, escape after, so an entity like ``&lt;`` is never cut in half."""
    return escape(label if len(label) <= limit else label[: limit - 1] + "…")


def _base_layout(fig: go.Figure, title: str, subtitle: str = "") -> go.Figure:
    fig.update_layout(template="plotly_white", margin=dict(l=60, r=30, t=90, b=60),
                      title=dict(text=title, subtitle=dict(text=subtitle)))
    return fig


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


# =========================================================================================
# Heatmap of the rating matrix
# =========================================================================================
@dataclass(frozen=True)
class _Block:
    """The part of the matrix one heatmap page shows, in display order."""

    users: np.ndarray        # row positions in ``Ratings.users``
    items: np.ndarray        # column positions in ``Ratings.items``
    observed: np.ndarray     # rows x cols, NaN where there is no rating
    split: np.ndarray        # rows x cols of "train" / "validation" / "rated" / "missing"
    users_sorted: bool
    items_sorted: bool


def heatmap_pages(ratings: Ratings, max_rows: int = 60) -> int:
    """How many pages :func:`heatmap` needs to show every user, ``max_rows`` users a page."""
    _check_positive("max_rows", max_rows)
    return max(1, math.ceil(ratings.n_users / max_rows))


def heatmap_item_pages(ratings: Ratings, max_cols: int = 60) -> int:
    """How many item pages :func:`heatmap` needs to show every item, ``max_cols`` a page."""
    _check_positive("max_cols", max_cols)
    return max(1, math.ceil(ratings.n_items / max_cols))


def heatmap(ratings: Ratings, predicted: np.ndarray | None = None, view: str = "completed",
            is_val: np.ndarray | None = None, max_rows: int = 60, max_cols: int = 60,
            page: int = 0, show_values: bool | None = None, title: str | None = None,
            highlight=None, text: dict | None = None, item_page: int = 0) -> go.Figure:
    """The rating matrix as a heatmap, users down, items across.

    Views: ``observed`` (only the rated cells), ``predicted`` (the model's output in every
    cell), ``completed`` (ratings kept, empty cells filled by the model) and ``residual``
    (prediction minus rating, on rated cells). All but ``observed`` need ``predicted``, the
    users x items array of model output (``FitResult.predicted``).

    How a filled-in cell looks different from a rated one, on a projector and in grayscale:
    its value is written in italics inside brackets, ``(3.41)``, and a white corner mark
    (◥) sits in its top-right corner. In the figure data, rated cells are the heatmap trace
    named ``"observed"``, filled-in cells the heatmap ``"filled in"``, and the corner marks
    the scatter trace named ``"predicted"`` with exactly one point per filled-in cell shown.
    ``fig.layout.meta`` holds the counts: ``n_cells``, ``n_observed``, ``n_predicted`` ...

    Large matrices: at most ``max_rows`` x ``max_cols`` cells ever go to the browser. When
    the users do not fit on one page they are ordered most active first and ``page``
    (0-based, clamped to the last page) picks which ``max_rows`` of them; the items likewise,
    most rated first, ``item_page`` picking which ``max_cols``. The subtitle says which
    ranges are shown.
    ``show_values`` writes the numbers on the cells; None = only when at most 30 x 30 shown.
    ``is_val`` (one flag per rating, True = validation) lets the hover say each cell's split.
    ``highlight``: (user position, item position) cells to outline, e.g. the predictions a
    what-if edit moved most; the outlines are the scatter trace ``"moved most"``, one point per
    highlighted cell on the shown page (``meta["n_highlighted"]``).
    ``text``: the words (:func:`words` of a language); English when None.
    """
    words = _Words(text)
    _check_heatmap_args(ratings, predicted, view, is_val, max_rows, max_cols)
    fig = go.Figure()
    if ratings.n_users == 0 or ratings.n_items == 0:
        return _empty(_base_layout(fig, words("empty_title")), words("empty_matrix"))
    page = min(max(0, int(page)), heatmap_pages(ratings, max_rows) - 1)
    item_page = min(max(0, int(item_page)), heatmap_item_pages(ratings, max_cols) - 1)
    block = _heatmap_block(ratings, is_val, page, max_rows, max_cols, item_page)
    shown_pred = None if predicted is None else predicted[np.ix_(block.users, block.items)]
    rated = ~np.isnan(block.observed)
    if show_values is None:
        show_values = rated.size <= VALUE_TEXT_LIMIT
    hover = _cell_hover(ratings, block, shown_pred, words)
    values = _view_values(view, block.observed, shown_pred)
    fills_in = view in ("predicted", "completed")
    fig.add_trace(_cell_layer("observed", np.where(rated, values, np.nan), hover, show_values,
                              view, filled=False, words=words))
    if fills_in:
        fig.add_trace(_cell_layer("filled in", np.where(rated, np.nan, values), hover,
                                  show_values, view, filled=True, words=words))
        fig.add_trace(_filled_marks(~rated))
    n_predicted = int((~rated).sum()) if fills_in else 0
    n_highlighted = 0
    if highlight is not None and len(highlight):
        outline = _outlines(block, highlight)
        n_highlighted = len(outline.x)
        if n_highlighted:
            fig.add_trace(outline)
    _heatmap_layout(fig, ratings, block, view, (page, item_page), (max_rows, max_cols), title,
                    fills_in, words, n_highlighted)
    fig.layout.meta = {
        "n_cells": int(rated.size), "n_observed": int(rated.sum()), "n_predicted": n_predicted,
        "view": view, "page": page, "pages": heatmap_pages(ratings, max_rows),
        "rows": [int(page * max_rows), int(page * max_rows + block.users.size)],
        "item_page": item_page, "item_pages": heatmap_item_pages(ratings, max_cols),
        "cols": [int(item_page * max_cols), int(item_page * max_cols + block.items.size)],
        "n_users": ratings.n_users, "n_items": ratings.n_items, "n_highlighted": n_highlighted,
    }
    return fig


def result_heatmap(result, view: str = "completed", **options) -> go.Figure:
    """:func:`heatmap` of a ``FitResult``: its ratings, predictions and validation split.

    Only the shown block is predicted unless the whole matrix already is (a heatmap shows at
    most 60 x 60 cells; 1,508 x 2,071 has 3.1 million, seconds of a network's time)."""
    predicted = result.predicted if "predicted" in result.__dict__ else BlockPredictions(result)
    return heatmap(result.ratings, predicted, view=view, is_val=result.is_val, **options)


class BlockPredictions:
    """A run's predictions that are computed only for the block asked for: reads like the
    users x items array (``shape``, ``[np.ix_(rows, cols)]``) without making it."""

    def __init__(self, result) -> None:
        self.result = result
        self.shape = (result.ratings.n_users, result.ratings.n_items)

    def __getitem__(self, index) -> np.ndarray:
        from .results import predict_cells

        rows, cols = (np.asarray(part).ravel() for part in index)
        users, items = np.meshgrid(rows, cols, indexing="ij")
        return predict_cells(self.result.model, users.ravel(), items.ravel()).reshape(
            len(rows), len(cols))


def _check_positive(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")


def _check_heatmap_args(ratings, predicted, view, is_val, max_rows, max_cols) -> None:
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    if view != "observed" and predicted is None:
        raise ValueError(f"The '{view}' view shows model output: pass predicted= (train a "
                         f"model first), or use view='observed'")
    if predicted is not None and np.shape(predicted) != (ratings.n_users, ratings.n_items):
        raise ValueError(f"predicted must have one value per cell, shape "
                         f"({ratings.n_users}, {ratings.n_items}); got {np.shape(predicted)}")
    if is_val is not None and np.shape(is_val) != (ratings.n_ratings,):
        raise ValueError(f"is_val must have one flag per rating ({ratings.n_ratings}); "
                         f"got shape {np.shape(is_val)}")
    _check_positive("max_rows", max_rows)
    _check_positive("max_cols", max_cols)


def _heatmap_block(ratings: Ratings, is_val, page: int, max_rows: int, max_cols: int,
                   item_page: int = 0) -> _Block:
    """Pick the shown users and items, then place only *their* ratings: one pass over the
    ratings, never a full users x items array (MovieLens has 5.9 million cells)."""
    users, users_sorted = _display_order(ratings.ratings_per_user(), max_rows)
    users = users[page * max_rows: (page + 1) * max_rows]
    items, items_sorted = _display_order(ratings.ratings_per_item(), max_cols)
    items = items[item_page * max_cols: (item_page + 1) * max_cols]
    row_of = np.full(ratings.n_users, -1)
    row_of[users] = np.arange(users.size)
    col_of = np.full(ratings.n_items, -1)
    col_of[items] = np.arange(items.size)
    rows, cols = row_of[ratings.user_idx], col_of[ratings.item_idx]
    shown = (rows >= 0) & (cols >= 0)
    observed = np.full((users.size, items.size), np.nan)
    observed[rows[shown], cols[shown]] = ratings.values[shown]
    split = np.full(observed.shape, "missing", dtype=object)
    if is_val is None:
        split[rows[shown], cols[shown]] = "rated"
    else:
        split[rows[shown], cols[shown]] = np.where(np.asarray(is_val)[shown], "validation",
                                                   "train")
    return _Block(users, items, observed, split, users_sorted, items_sorted)


def _display_order(counts: np.ndarray, fits: int) -> tuple[np.ndarray, bool]:
    """Input order when everything fits (the class sees its matrix as typed); otherwise most
    ratings first, ties in input order, so the page shows the best-filled part."""
    if counts.size <= fits:
        return np.arange(counts.size), False
    return np.argsort(-counts, kind="stable"), True


def _view_values(view: str, observed: np.ndarray, predicted: np.ndarray | None) -> np.ndarray:
    if view == "observed":
        return observed
    if view == "predicted":
        return predicted
    if view == "completed":
        return np.where(np.isnan(observed), predicted, observed)
    return predicted - observed  # residual: NaN where there is no rating


def _cell_hover(ratings: Ratings, block: _Block, predicted, words: _Words) -> np.ndarray:
    """rows x cols x 5 strings for the hover box: user, item, rating, prediction, split.
    Labels are escaped here, once, before they can reach plotly."""
    shape = block.observed.shape
    users = np.array([escape(ratings.users[u]) for u in block.users], dtype=object)
    items = np.array([escape(ratings.items[i]) for i in block.items], dtype=object)
    hover = np.empty(shape + (5,), dtype=object)
    hover[..., 0] = users[:, None]
    hover[..., 1] = items[None, :]
    hover[..., 2] = _format_cells(block.observed, words("split.missing"))
    hover[..., 3] = words("no_model") if predicted is None else _format_cells(predicted, "")
    names = {k: words(f"split.{k}") for k in ("train", "validation", "rated", "missing")}
    hover[..., 4] = np.vectorize(names.__getitem__, otypes=[object])(block.split) \
        if block.split.size else block.split
    return hover


def _format_cells(values: np.ndarray, when_nan: str, pattern: str = "{:.2f}") -> np.ndarray:
    flat = [when_nan if math.isnan(v) else pattern.format(v) for v in values.ravel().tolist()]
    return np.array(flat, dtype=object).reshape(values.shape)


def _heatmap_hover(words: _Words) -> str:
    return (f"{words('user')}: %{{customdata[0]}}<br>{words('item')}: %{{customdata[1]}}<br>"
            f"{words('rating')}: %{{customdata[2]}}<br>{words('prediction')}: "
            f"%{{customdata[3]}}<br>{words('split')}: %{{customdata[4]}}")


HEATMAP_HOVER = _heatmap_hover(_Words(None))


def _cell_layer(name: str, values: np.ndarray, hover: np.ndarray, show_values: bool,
                view: str, filled: bool, words: _Words | None = None) -> go.Heatmap:
    """One heatmap of either the rated or the filled-in cells (NaN elsewhere, drawn as
    gaps); both share one colour axis so equal values have equal colours. ``name`` is the
    trace's stable id (tests and the browser find it); what people read is translated."""
    words = words or _Words(None)
    residual = view == "residual"
    extra = f"<br>{words('residual_hover')}: %{{z:+.2f}}" if residual else ""
    shown = words("trace.filled" if filled else "trace.observed")
    layer = go.Heatmap(
        z=values, x=np.arange(values.shape[1]), y=np.arange(values.shape[0]), name=name,
        coloraxis="coloraxis", customdata=hover, hoverongaps=False,
        hovertemplate=_heatmap_hover(words) + extra + f"<extra>{shown}</extra>",
        xgap=1 if values.size <= VALUE_TEXT_LIMIT else 0,
        ygap=1 if values.size <= VALUE_TEXT_LIMIT else 0,
    )
    if show_values:
        pattern = "{:+.2f}" if residual else ("({:.2f})" if filled else "{:.2f}")
        layer.update(text=_format_cells(values, "", pattern), texttemplate="%{text}",
                     textfont=dict(style="italic" if filled else "normal"))
    return layer


def _filled_marks(missing: np.ndarray) -> go.Scatter:
    """One white corner triangle per filled-in cell, in the cell's top-right quarter: white
    with a dark outline stays visible on every colour, in grayscale and on a projector."""
    rows, cols = np.nonzero(missing)
    row_px, col_px = _row_pixels(missing.shape[0]), _col_pixels(missing.shape[1])
    size = max(6.0, min(18.0, 0.45 * min(row_px, col_px)))
    inset = size / 2 + 2  # pixels from the cell's corner to the mark's centre
    return go.Scatter(
        x=cols + 0.5 - min(0.4, inset / col_px), y=rows - 0.5 + min(0.4, inset / row_px),
        mode="markers", name="predicted", hoverinfo="skip", showlegend=False,
        marker=dict(symbol="triangle-ne", size=size, color="white",
                    line=dict(color="#222222", width=1.2)),
    )


HIGHLIGHT_COLOUR = "#ff2d55"


def _outlines(block: _Block, cells) -> go.Scatter:
    """A thick square outline on each highlighted cell that is on the shown page. The marks
    are drawn as the scatter trace ``"moved most"`` (its stable id; the subtitle says what it
    means in the page's language)."""
    row_of = {int(u): k for k, u in enumerate(block.users)}
    col_of = {int(i): k for k, i in enumerate(block.items)}
    shown = [(row_of[int(u)], col_of[int(i)]) for u, i in cells
             if int(u) in row_of and int(i) in col_of]
    rows, cols = block.observed.shape
    size = max(8.0, min(_row_pixels(rows), _col_pixels(cols)) - 2)
    return go.Scatter(
        x=[c for _, c in shown], y=[r for r, _ in shown], mode="markers", name="moved most",
        hoverinfo="skip", showlegend=False,
        marker=dict(symbol="square-open", size=size, color=HIGHLIGHT_COLOUR,
                    line=dict(width=3, color=HIGHLIGHT_COLOUR)),
    )


def _row_pixels(rows: int) -> float:
    """Height of a cell on screen: the figure height is set from it (see the layout)."""
    return max(14.0, min(48.0, 600 / max(rows, 1)))


def _col_pixels(cols: int) -> float:
    """Rough width of a cell on screen; the app decides the real width, typically ~800 px."""
    return max(14.0, min(120.0, 800 / max(cols, 1)))


VIEW_TITLES = {view: ENGLISH[f"view.{view}"] for view in VIEWS}


def _heatmap_layout(fig, ratings, block: _Block, view, pages: tuple[int, int],
                    sizes: tuple[int, int], title, fills_in, words: _Words | None = None,
                    n_highlighted: int = 0) -> None:
    words = words or _Words(None)
    notes = [_range_text(ratings, block, pages, sizes, words)]
    if fills_in:
        notes.append(words("filled_note", mark=FILLED_MARK))
    if view == "observed":
        notes.append(words("blank_note"))
    if n_highlighted:
        notes.append(words("moved_note", n=n_highlighted))
    _base_layout(fig, escape(title) if title else words(f"view.{view}"), " · ".join(notes))
    rows, cols = block.observed.shape
    scale = ratings.scale
    bar = dict(len=0.8, y=0, yanchor="bottom")
    colour = (dict(colorscale="RdBu", cmid=0, colorbar=dict(title=words("residual_bar"), **bar))
              if view == "residual" else
              dict(colorscale="Viridis", cmin=scale[0], cmax=scale[1],
                   colorbar=dict(title=words("rating"), **bar)))
    fig.update_layout(
        coloraxis=colour,
        height=int(max(440, rows * _row_pixels(rows) + 220)),
        legend=dict(x=1.02, xanchor="left", y=1, yanchor="top"),
        xaxis=dict(title=words("item"), tickangle=_item_label_angle(cols), range=[-0.5, cols - 0.5],
                   tickfont=dict(size=_label_size(_col_pixels(cols))),
                   tickmode="array", tickvals=list(range(cols)), showgrid=False, zeroline=False,
                   ticktext=[_shorten(ratings.items[i]) for i in block.items], **TICK_OVERFLOW),
        yaxis=dict(title=words("user"), range=[rows - 0.5, -0.5], tickmode="array", showgrid=False,
                   zeroline=False, tickvals=list(range(rows)),
                   tickfont=dict(size=_label_size(_row_pixels(rows))),
                   ticktext=[_shorten(ratings.users[u]) for u in block.users], **TICK_OVERFLOW),
    )


def _item_label_angle(cols: int) -> int:
    """Slanted labels need about 1.4 line heights of room each, upright ones one: past 30
    columns (cells under ~27 px on a typical 800 px plot) they stand upright, not piled up."""
    return -45 if cols <= 30 else -90


def _label_size(cell_pixels: float) -> int:
    """A tick label's font size that fits one line per cell (plotly's default is 12 px)."""
    return int(max(8, min(12, cell_pixels - 3)))


def _range_text(ratings: Ratings, block: _Block, pages: tuple[int, int], sizes: tuple[int, int],
                words: _Words | None = None) -> str:
    """e.g. "users 1–60 of 610 (most active first), items 61–120 of 9,724 (most rated first)"."""
    words = words or _Words(None)
    if not (block.users_sorted or block.items_sorted):
        return words("all_cells", users=f"{ratings.n_users:,}", items=f"{ratings.n_items:,}")
    first, first_item = pages[0] * sizes[0], pages[1] * sizes[1]
    users = (words("users_range", first=f"{first + 1:,}", last=f"{first + block.users.size:,}",
                   total=f"{ratings.n_users:,}")
             + (words("most_active") if block.users_sorted else ""))
    items = (words("items_range", first=f"{first_item + 1:,}",
                   last=f"{first_item + block.items.size:,}", total=f"{ratings.n_items:,}")
             + (words("most_rated") if block.items_sorted else ""))
    return f"{users}, {items}"


# =========================================================================================
# Training history
# =========================================================================================
def loss_curves(histories: dict[str, list[EpochReport]] | list[EpochReport],
                log_y: bool = False, text: dict | None = None) -> go.Figure:
    """Training and validation RMSE per epoch: one colour per run, validation dashed.

    Pass one run's history (a list) or several runs as ``{name: history}`` to compare them.
    An empty history gives empty axes with a note, so a page can draw the chart before the
    first epoch has finished.
    """
    words = _Words(text)
    runs = {"": histories} if isinstance(histories, list) else dict(histories)
    fig = go.Figure()
    for number, (name, history) in enumerate(runs.items()):
        _add_run(fig, escape(name), list(history), PALETTE[number % len(PALETTE)], words)
    _base_layout(fig, words("loss_title"), words("loss_subtitle"))
    fig.update_layout(xaxis_title=words("epoch"), yaxis_title=words("rmse_axis"),
                      yaxis_type="log" if log_y else "linear", hovermode="x unified")
    if not any(runs.values()):
        _empty(fig, words("no_epochs"))
    return fig


def _add_run(fig: go.Figure, name: str, history: list[EpochReport], colour: str,
             words: _Words) -> None:
    prefix = f"{name}: " if name else ""
    epochs = [r.epoch for r in history]
    mode = "lines" if len(history) > 1 else "markers"  # one epoch has no line to draw yet
    fig.add_trace(go.Scatter(x=epochs, y=[r.train_rmse for r in history], mode=mode,
                             name=f"{prefix}{words('train_rmse')}", line=dict(color=colour),
                             hovertemplate="%{y:.4f}"))
    val = [r.val_rmse for r in history]
    if any(v is not None for v in val):
        fig.add_trace(go.Scatter(x=epochs, y=val, mode=mode,
                                 name=f"{prefix}{words('val_rmse')}",
                                 line=dict(color=colour, dash="dash"), hovertemplate="%{y:.4f}"))


# =========================================================================================
# Predicted against actual
# =========================================================================================
def predicted_vs_actual(result, max_points: int = PVA_POINTS,
                        text: dict | None = None) -> go.Figure:
    """Each rating against the model's prediction for it; on the diagonal = exactly right.

    Training ratings are blue circles, validation ratings orange diamonds: the validation
    cloud's spread is the honest accuracy. Above ``max_points`` ratings a seeded random
    sample is drawn (the subtitle says how many), so the browser stays quick; the legend and
    the RMSEs count every rating.
    """
    _check_positive("max_points", max_points)
    words = _Words(text)
    r = result.ratings
    pred = result.observed_predictions()
    shown = _sample(r.n_ratings, max_points)
    fig = go.Figure()
    for label, flags, colour, symbol in (("train", ~result.is_val, TRAIN_COLOUR, "circle"),
                                         ("validation", result.is_val, VAL_COLOUR, "diamond")):
        picked = shown[flags[shown]]
        shown_label = words(f"split.{label}")
        fig.add_trace(go.Scatter(
            x=r.values[picked], y=pred[picked], mode="markers",
            name=f"{shown_label} ({flags.sum():,})",
            marker=dict(color=colour, symbol=symbol, size=8 if r.n_ratings <= 500 else 5,
                        opacity=0.75, line=dict(width=0.5, color="white")),
            customdata=np.column_stack([_escaped(r.users, r.user_idx[picked]),
                                        _escaped(r.items, r.item_idx[picked])]),
            hovertemplate=(f"{words('user')}: %{{customdata[0]}}<br>{words('item')}: "
                           f"%{{customdata[1]}}<br>{words('rating')}: %{{x:.2f}}<br>"
                           f"{words('prediction')}: %{{y:.2f}}<extra>{shown_label}</extra>"),
        ))
    lo, hi = r.scale
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name=words("perfect"),
                             line=dict(color="#555555", dash="dot"), hoverinfo="skip"))
    _base_layout(fig, words("pva_title"), _accuracy_note(result, shown.size, words))
    pad = 0.05 * (hi - lo)
    fig.update_layout(xaxis=dict(title=words("actual_axis"), range=[lo - pad, hi + pad],
                                 constrain="domain"),
                      yaxis=dict(title=words("predicted_axis"), range=[lo - pad, hi + pad],
                                 scaleanchor="x"))
    return fig


def _sample(n: int, at_most: int) -> np.ndarray:
    if n <= at_most:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, at_most, replace=False))


def _escaped(labels: list[str], positions: np.ndarray) -> np.ndarray:
    return np.array([escape(labels[p]) for p in positions.tolist()], dtype=object)


def _accuracy_note(result, n_shown: int, words: _Words | None = None) -> str:
    words = words or _Words(None)
    m = result.metrics()
    parts = [f"{words('train_rmse')} {m['train_rmse']:.3f}" if m["train_rmse"] is not None
             else "",
             f"{words('val_rmse')} {m['val_rmse']:.3f}" if m["val_rmse"] is not None else "",
             (words("shown_of", shown=f"{n_shown:,}", total=f"{result.ratings.n_ratings:,}")
              if n_shown < result.ratings.n_ratings else "")]
    return " · ".join(p for p in parts if p)


# =========================================================================================
# Embedding map
# =========================================================================================
AXIS_NAMES = {"factors": "factor", "factor": "factor", "pca": "pca"}


def embedding_map(frame, max_labels: int = 60, text: dict | None = None,
                  max_points: int = MAP_POINTS) -> go.Figure:
    """Users and items on one plane (``FitResult.embeddings_2d()``): close points share tastes.

    Users are blue circles, items orange diamonds. Names are written beside the points when
    there are at most ``max_labels`` of them, and are always in the hover box. The axes are
    the two factors themselves (k = 2) or the first two principal components (PCA).

    At most ``max_points`` users and ``max_points`` items are drawn: the most-rated ones when
    the frame has a ``ratings`` column (``embeddings_frame`` adds it; ties in input order),
    else a fixed random sample. The subtitle says what is shown, the legend "shown / all";
    ``fig.layout.meta`` has ``shown`` and ``total`` per kind.
    """
    _check_positive("max_points", max_points)
    words = _Words(text)
    fig = go.Figure()
    kind_of_axis = AXIS_NAMES.get(frame.attrs.get("projection", ""), "axis")
    axis = words(f"axis.{kind_of_axis}")
    notes = [words("emb_close") if kind_of_axis == "factor" else words("emb_pca")]
    fig.update_layout(xaxis_title=f"{axis} 1", yaxis_title=f"{axis} 2")
    if len(frame) == 0:
        _base_layout(fig, words("emb_title"), notes[0])
        return _empty(fig, words("emb_none"))
    parts = {kind: frame[frame["kind"] == kind] for kind in ("user", "item")}
    picked = {kind: _map_points(part, max_points) for kind, part in parts.items()}
    with_text = sum(len(p) for p in picked.values()) <= max_labels
    placed = _place_labels(picked) if with_text else {}
    for kind, colour, symbol in (("user", TRAIN_COLOUR, "circle"), ("item", VAL_COLOUR, "diamond")):
        part, total = picked[kind], len(parts[kind])
        count = f"{total:,}" if len(part) == total else f"{len(part):,} / {total:,}"
        if len(part) < total:
            how = "top" if "ratings" in frame.columns else "sample"
            notes.append(words(f"emb_{how}_{kind}s", shown=f"{len(part):,}", total=f"{total:,}"))
        labels = np.array([escape(x) for x in part["label"]], dtype=object)
        where, keep = placed.get(kind, (["top center"] * len(part), np.ones(len(part), bool)))
        fig.add_trace(go.Scatter(
            x=part["x"].to_numpy(), y=part["y"].to_numpy(),
            name=f"{words(kind + 's')} ({count})",
            mode="markers+text" if with_text else "markers",
            text=np.where(keep, labels, "") if with_text else None, textposition=where,
            textfont=dict(size=MAP_LABEL_PX), cliponaxis=False,
            customdata=labels, marker=dict(color=colour, symbol=symbol, size=10 if with_text else 5),
            hovertemplate=(f"{words(kind)}: %{{customdata}}<br>(%{{x:.2f}}, %{{y:.2f}})"
                           "<extra></extra>"),
        ))
    _base_layout(fig, words("emb_title"), " · ".join(notes))
    fig.layout.meta = {"shown": {k: len(p) for k, p in picked.items()},
                       "total": {k: len(p) for k, p in parts.items()}}
    return fig


MAP_LABEL_PX = 13
MAP_PLOT_PX = (560, 280)
"""The size a map's plot area has at the least (a projector's 1280 px screen with the sidebar
open, or a laptop's), for placing names so they do not pile up."""
LABEL_SPOTS = ("top center", "bottom center", "middle right", "middle left", "top right",
               "bottom left", "top left", "bottom right")


def _text_px(text: str, font_px: float) -> float:
    """Rough width of a line: Hangul and other wide letters about one em, others 0.6 em."""
    import unicodedata

    return sum(font_px if unicodedata.east_asian_width(c) in "WF" else 0.62 * font_px
               for c in str(text))


def _place_labels(picked: dict) -> dict:
    """For each point of the map, where its name goes (one of ``LABEL_SPOTS``) so that no two
    names overlap on a plot of ``MAP_PLOT_PX``; a name with no free spot is left to the
    hover. Points are taken most-rated first (the frame's order when counts are unknown)."""
    kinds = [k for k in ("user", "item") if len(picked.get(k, ()))]
    if not kinds:
        return {}
    xs = np.concatenate([picked[k]["x"].to_numpy(dtype=float) for k in kinds])
    ys = np.concatenate([picked[k]["y"].to_numpy(dtype=float) for k in kinds])
    names = [str(x) for k in kinds for x in picked[k]["label"]]
    counts = np.concatenate([picked[k]["ratings"].to_numpy() if "ratings" in picked[k] else
                             np.zeros(len(picked[k])) for k in kinds])
    span_x = max(np.ptp(xs), 1e-9) * 1.1
    span_y = max(np.ptp(ys), 1e-9) * 1.1
    px = (xs - xs.min()) / span_x * MAP_PLOT_PX[0]
    py = (ys.max() - ys) / span_y * MAP_PLOT_PX[1]  # screen y grows downward
    boxes = [(px[k] - 5, py[k] - 5, px[k] + 5, py[k] + 5) for k in range(len(xs))]  # markers
    spots = ["top center"] * len(xs)
    keep = np.zeros(len(xs), dtype=bool)
    for k in np.argsort(-counts, kind="stable"):
        w, h = _text_px(names[k], MAP_LABEL_PX) + 4, MAP_LABEL_PX * 1.4
        for spot in LABEL_SPOTS:
            box = _label_box(px[k], py[k], w, h, spot)
            if not any(_overlap(box, other) for j, other in enumerate(boxes) if j != k):
                boxes.append(box)
                spots[k], keep[k] = spot, True
                break
    out, start = {}, 0
    for kind in kinds:
        n = len(picked[kind])
        out[kind] = (spots[start:start + n], keep[start:start + n])
        start += n
    return out


def _label_box(x: float, y: float, w: float, h: float, spot: str):
    vertical, horizontal = spot.split()
    gap = 7
    left = {"center": x - w / 2, "right": x + gap, "left": x - gap - w}[horizontal]
    top = {"top": y - gap - h, "bottom": y + gap, "middle": y - h / 2}[vertical]
    return left, top, left + w, top + h


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _map_points(part, at_most: int):
    """The rows of one kind to draw: all when they fit; else the ``at_most`` most rated (ties
    in input order), or a fixed random sample when the counts are not known; input order."""
    if len(part) <= at_most:
        return part
    if "ratings" in part.columns:
        keep = np.argsort(-part["ratings"].to_numpy(), kind="stable")[:at_most]
        return part.iloc[np.sort(keep)]
    return part.iloc[_sample(len(part), at_most)]


# =========================================================================================
# Distributions of the data
# =========================================================================================
def rating_histogram(ratings: Ratings, text: dict | None = None) -> go.Figure:
    """How often each rating value occurs: one bar per value when there are few distinct
    values (stars, half stars), else 20 equal bins across the scale. Counted here, so even
    10 million ratings send only a few numbers to the browser."""
    words = _Words(text)
    values = ratings.values
    distinct = np.unique(values)
    fig = go.Figure()
    if distinct.size <= 25:
        counts = np.array([(values == v).sum() for v in distinct])
        fig.add_trace(go.Bar(x=distinct, y=counts, name=words("ratings_trace"),
                             hovertemplate=words("hover.rating_count", x="%{x}", n="%{y:,}")
                             + "<extra></extra>"))
    else:
        counts, edges = np.histogram(values, bins=20, range=ratings.scale)
        fig.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges),
                             customdata=np.column_stack([edges[:-1], edges[1:]]),
                             name=words("ratings_trace"),
                             hovertemplate=words("hover.range_count", a="%{customdata[0]:.2f}",
                                                 b="%{customdata[1]:.2f}", n="%{y:,}")
                             + "<extra></extra>"))
    _base_layout(fig, words("hist_title"),
                 words("hist_subtitle", n=f"{ratings.n_ratings:,}", lo=f"{ratings.scale[0]:g}",
                       hi=f"{ratings.scale[1]:g}"))
    fig.update_layout(xaxis_title=words("rating"), yaxis_title=words("n_ratings_axis"),
                      bargap=0.1)
    if ratings.n_ratings == 0:
        _empty(fig, words("no_ratings"))
    return fig


def ratings_per_user(ratings: Ratings, text: dict | None = None) -> go.Figure:
    """How many users gave how many ratings: shows whether a few people do most of the rating."""
    return _count_histogram(ratings.ratings_per_user(), "user", "users", _Words(text))


def ratings_per_item(ratings: Ratings, text: dict | None = None) -> go.Figure:
    """How many items got how many ratings: the long tail of rarely rated items."""
    return _count_histogram(ratings.ratings_per_item(), "item", "items", _Words(text))


def _count_histogram(counts: np.ndarray, one: str, many: str, words: _Words) -> go.Figure:
    """A bar per count when counts are small (0, 1, 2 ... ratings), else about 40 bins."""
    fig = go.Figure()
    top = int(counts.max()) if counts.size else 0
    if top <= 50:
        heights = np.bincount(counts, minlength=top + 1)
        fig.add_trace(go.Bar(x=np.arange(top + 1), y=heights, name=words(many),
                             hovertemplate=words(f"hover.count_{many}", x="%{x}", n="%{y:,}")
                             + "<extra></extra>"))
    else:
        heights, edges = np.histogram(counts, bins=40, range=(0, top + 1))
        fig.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=heights, width=np.diff(edges),
                             customdata=np.column_stack([np.ceil(edges[:-1]),
                                                         np.ceil(edges[1:]) - 1]),
                             name=words(many),
                             hovertemplate=words(f"hover.count_range_{many}",
                                                 a="%{customdata[0]:,.0f}",
                                                 b="%{customdata[1]:,.0f}", n="%{y:,}")
                             + "<extra></extra>"))
    summary = (words(f"count_summary_{many}", count=f"{counts.size:,}",
                     median=f"{np.median(counts):g}", fewest=f"{counts.min():,}",
                     most=f"{top:,}") if counts.size else words(f"count_none_{many}"))
    _base_layout(fig, words(f"per_{one}_title"), summary)
    fig.update_layout(xaxis_title=words(f"per_{one}_axis"), yaxis_title=words(f"n_{many}_axis"),
                      bargap=0.05)
    return fig


# =========================================================================================
# Factor matrices: the rating matrix as the product of two thin matrices
# =========================================================================================
FACTOR_TEXT_LIMIT = 20 * 20
"""Numbers are written on the cells of a panel only up to this many cells."""


def _factor_words(text: dict | None):
    merged = {**ENGLISH, **(text or {})}
    return lambda key, **fmt: merged[key].format(**fmt) if fmt else merged[key]


def _factor_matrix(result, side: str) -> np.ndarray | None:
    """The model's user (or item) factor matrix as numbers, None when it has none."""
    vectors = result.model.user_vectors() if side == "user" else result.model.item_vectors()
    return None if vectors is None else vectors.detach().cpu().double().numpy()


def factor_heatmap(result, side: str = "user", max_rows: int = 60,
                   text: dict | None = None) -> go.Figure:
    """The learned factor matrix of the users (users x k) or of the items (items x k).

    Columns are named like the embedding map's axes ("factor 1", "factor 2" ...): for k = 2
    the map's x and y are exactly these two columns. The first ``max_rows`` rows are shown
    (in the data's order); the subtitle says so when there are more.
    """
    if side not in ("user", "item"):
        raise ValueError(f"side must be 'user' or 'item'; got {side!r}")
    _check_positive("max_rows", max_rows)
    words = _factor_words(text)
    fig = go.Figure()
    factors = _factor_matrix(result, side)
    if factors is None:
        return _empty(_base_layout(fig, words(f"factor.title_{side}", n=0, k=0)),
                      words("factor.none"))
    labels = result.ratings.users if side == "user" else result.ratings.items
    n, k = factors.shape
    shown = factors[:max_rows]
    notes = [words("factor.note", side=words(f"factor.{side}"))]
    map_note = MODELS[result.model_name].factor_map_note
    if map_note:
        notes.append(words(map_note, dim=result.model_config.dim))
    if n > max_rows:
        notes.append(words("factor.shown", shown=max_rows, total=n))
    fig.add_trace(_factor_panel(f"{side} factors", shown, labels[:max_rows],
                                _factor_names(k, words), "coloraxis", words(f"factor.{side}"),
                                words))
    _base_layout(fig, words(f"factor.title_{side}", n=n, k=k), " · ".join(notes))
    fig.update_layout(
        coloraxis=_diverging(shown, words("factor.value")),
        height=int(max(360, len(shown) * _row_pixels(len(shown)) + 200)),
        xaxis=dict(title=words("axis.factor"), side="top", **_ticks(_factor_names(k, words))),
        yaxis=dict(title=words(f"factor.{side}"), autorange="reversed",
                   **_ticks([_shorten(x) for x in labels[:max_rows]])))
    fig.layout.meta = {"side": side, "n_rows": n, "k": k, "rows_shown": len(shown)}
    return fig


def _factor_names(k: int, words) -> list[str]:
    return [f"{words('axis.factor')} {f + 1}" for f in range(k)]


def _ticks(texts: list[str]) -> dict:
    """Ticks at 0, 1, 2 ... with the given (already escaped) texts."""
    return dict(tickmode="array", tickvals=list(range(len(texts))), ticktext=list(texts),
                showgrid=False, zeroline=False, **TICK_OVERFLOW)


def _diverging(values: np.ndarray, title: str, show: bool = True) -> dict:
    """Red above zero, blue below, white at zero, symmetric so the sign is read at a glance."""
    top = float(np.nanmax(np.abs(values))) if values.size else 1.0
    top = top if top > 0 else 1.0
    return dict(colorscale="RdBu", reversescale=True, cmin=-top, cmax=top, cmid=0,
                showscale=show, colorbar=dict(title=title, len=0.8))


def _factor_panel(name: str, values: np.ndarray, row_labels, col_labels, colouraxis: str,
                  row_kind: str, words) -> go.Heatmap:
    """One matrix as a heatmap with its labels in the hover box (escaped, never as markup)."""
    rows = [escape(x) for x in row_labels]
    cols = [escape(x) for x in col_labels]
    hover = np.empty(values.shape + (2,), dtype=object)
    hover[..., 0] = np.array(rows, dtype=object)[:, None]
    hover[..., 1] = np.array(cols, dtype=object)[None, :]
    panel = go.Heatmap(z=values, x=np.arange(values.shape[1]), y=np.arange(values.shape[0]),
                       name=name, coloraxis=colouraxis, customdata=hover,
                       hovertemplate=(f"{row_kind}: %{{customdata[0]}}<br>%{{customdata[1]}}"
                                      f"<br>{words('factor.value')}: %{{z:.4f}}"
                                      f"<extra>{escape(name)}</extra>"))
    if values.size <= FACTOR_TEXT_LIMIT:
        panel.update(texttemplate="%{z:.2f}")
    return panel


def factor_product(result, max_rows: int = 30, max_cols: int = 30,
                   text: dict | None = None) -> go.Figure:
    """U (users x k) times Vᵀ (k x items) gives a users x items matrix, shown beside the
    completed matrix: the picture of "a matrix as the product of two thin matrices".

    Laid out as a multiplication is written by hand: Vᵀ above the product, U to its left,
    the completed matrix (ratings kept, empty cells predicted) to the right. The subtitle
    says how the product becomes a rating for this model (for MF: plus the two biases, then
    the sigmoid). Traces, in order: ``"U"``, ``"Vᵀ"``, ``"U x Vᵀ"``, ``"completed"``. The first
    ``max_rows`` users and ``max_cols`` items are shown.
    """
    from plotly.subplots import make_subplots

    _check_positive("max_rows", max_rows)
    _check_positive("max_cols", max_cols)
    words = _factor_words(text)
    users, items = _factor_matrix(result, "user"), _factor_matrix(result, "item")
    if users is None or items is None:
        return _empty(_base_layout(go.Figure(), words("factor.product_title")),
                      words("factor.none"))
    r = result.ratings
    rows, cols = np.arange(min(max_rows, r.n_users)), np.arange(min(max_cols, r.n_items))
    u, vt = users[rows], items[cols].T
    k = u.shape[1]
    product = u @ vt
    completed = _completed_block(result, rows, cols)
    fig = make_subplots(
        rows=2, cols=3, specs=[[None, {}, None], [{}, {}, {}]],
        column_widths=_widths([max(k, 2), len(cols), len(cols)]),
        row_heights=_widths([max(k, 2), len(rows)]), horizontal_spacing=0.04,
        vertical_spacing=0.04, subplot_titles=[words("factor.panel_vt"), words("factor.panel_u"),
                                               words("factor.panel_product"),
                                               words("factor.panel_completed")])
    names = _factor_names(k, words)
    user_names, item_names = [r.users[x] for x in rows], [r.items[x] for x in cols]
    panels = [  # (name, values, row labels, column labels, row kind, colour axis, grid cell)
        ("Vᵀ", vt, names, item_names, words("axis.factor"), "coloraxis", (1, 2)),
        ("U", u, user_names, names, words("factor.user"), "coloraxis", (2, 1)),
        ("U x Vᵀ", product, user_names, item_names, words("factor.user"), "coloraxis2", (2, 2)),
        ("completed", completed, user_names, item_names, words("factor.user"), "coloraxis3",
         (2, 3)),
    ]
    for name, values, row_labels, col_labels, kind, axis, (at_row, at_col) in panels:
        fig.add_trace(_factor_panel(name, values, row_labels, col_labels, axis, kind, words),
                      row=at_row, col=at_col)
    if completed.size <= FACTOR_TEXT_LIMIT:  # predicted cells in brackets, as on the heatmap
        rated = _rated_block(r, rows, cols)
        fig.data[-1].update(text=np.where(rated, _format_cells(completed, ""),
                                          _format_cells(completed, "", "({:.2f})")),
                            texttemplate="%{text}")
    _product_axes(fig, names, user_names, item_names)
    _base_layout(fig, words("factor.product_title"), _product_note(result, words))
    fig.update_layout(margin=dict(t=130))
    lo, hi = r.scale
    fig.update_layout(
        coloraxis=_diverging(np.concatenate([u.ravel(), vt.ravel()]), "", show=False),
        coloraxis2=_diverging(product, "", show=False),
        coloraxis3=dict(colorscale="Viridis", cmin=lo, cmax=hi,
                        colorbar=dict(title=words("factor.rating"), len=0.6, y=0,
                                      yanchor="bottom")),
        height=int(max(480, (len(rows) + k) * _row_pixels(len(rows)) + 260)))
    fig.layout.meta = {"k": k, "rows_shown": len(rows), "cols_shown": len(cols),
                       "n_users": r.n_users, "n_items": r.n_items}
    return fig


def _widths(sizes: list[int]) -> list[float]:
    total = float(sum(sizes))
    return [s / total for s in sizes]


def _completed_block(result, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The completed matrix on the shown users and items only (predicted for this block,
    unless the whole prediction is already there)."""
    from .results import predict_cells

    r = result.ratings
    if "predicted" in result.__dict__:
        block = result.predicted[np.ix_(rows, cols)].copy()
    else:
        uu, ii = np.meshgrid(rows, cols, indexing="ij")
        block = predict_cells(result.model, uu.ravel(), ii.ravel()).reshape(len(rows), len(cols))
    at_r, at_c, shown = _block_positions(r, rows, cols)
    block[at_r[shown], at_c[shown]] = r.values[shown]
    return block


def _block_positions(r: Ratings, rows: np.ndarray, cols: np.ndarray):
    """Where each rating sits in the block of users ``rows`` x items ``cols`` (if it does)."""
    row_of = np.full(r.n_users, -1)
    row_of[rows] = np.arange(len(rows))
    col_of = np.full(r.n_items, -1)
    col_of[cols] = np.arange(len(cols))
    at_r, at_c = row_of[r.user_idx], col_of[r.item_idx]
    return at_r, at_c, (at_r >= 0) & (at_c >= 0)


def _rated_block(r: Ratings, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    at_r, at_c, shown = _block_positions(r, rows, cols)
    rated = np.zeros((len(rows), len(cols)), dtype=bool)
    rated[at_r[shown], at_c[shown]] = True
    return rated


def _product_axes(fig: go.Figure, factor_names, user_names, item_names) -> None:
    users = [_shorten(x) for x in user_names]
    items = [_shorten(x) for x in item_names]
    fig.update_xaxes(**_ticks(items), row=1, col=2, showticklabels=False)  # named below
    fig.update_yaxes(**_ticks(factor_names), row=1, col=2, autorange="reversed")
    fig.update_xaxes(**_ticks(factor_names), row=2, col=1, tickangle=-45)
    fig.update_yaxes(**_ticks(users), row=2, col=1, autorange="reversed")
    for col in (2, 3):
        fig.update_xaxes(**_ticks(items), row=2, col=col, tickangle=-45)
        fig.update_yaxes(**_ticks(users), row=2, col=col, autorange="reversed",
                         showticklabels=False)


def _product_note(result, words) -> str:
    """How the product becomes a rating for this model (its spec names the words)."""
    out = getattr(result.model, "out", None)
    offset = words("factor.offset") if getattr(out, "offset", 0) else ""
    return words(MODELS[result.model_name].factor_note, offset=offset)
