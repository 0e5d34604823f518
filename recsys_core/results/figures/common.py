"""What every figure shares: the words (English msgids, Korean in the catalogue), escaping of
labels, sizes and colours, the base layout. See the package's opening for the rules."""

from __future__ import annotations

import html
import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from recsys_core.i18n import N_, _, p_, pN_

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
    "emb_you": pN_("the visitor on the map", "you"),
    "emb_you_note": N_("★ = you, placed by your own ratings"),
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
    "rank_title": N_("Training progress: loss, HR@10 and NDCG@10 per epoch"),
    "rank_subtitle": N_("loss on the left axis; HR@10 and NDCG@10 on the held-out items (99 "
                        "sampled negatives) on the right"),
    "rank_loss": N_("training loss"),
    "rank_loss_axis": N_("loss"),
    "rank_metric_axis": N_("HR@10, NDCG@10"),
    "rank_no_epochs": N_("No epochs yet: train a model to see HR@10 rise."),
    "score_title": N_("Scores of users x items"),
    "score_subtitle": N_("● = interacted in training · ★ = the held-out item · darker = higher "
                         "score; {users} of {n_users} users, {items} of {n_items} items"),
    "score": N_("score"),
    "score_hover_clicked": N_("interacted in training"),
    "score_hover_held": N_("held out"),
    "score_hover_none": N_("no interaction"),
    "trace.interacted": N_("interacted"),
    "trace.held_out": N_("held out"),
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
VISITOR_COLOUR = "#d62728"  # a newcomer folded in (recsys_core.training.foldin), on the embedding map
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


def _text_px(text: str, font_px: float) -> float:
    """Rough width of a line: Hangul and other wide letters about one em, others 0.6 em."""
    import unicodedata

    return sum(font_px if unicodedata.east_asian_width(c) in "WF" else 0.62 * font_px
               for c in str(text))


def _runs_figure(histories, add_run, words) -> tuple[go.Figure, dict]:
    """A figure with ``add_run(fig, name, history, colour, words)`` called for every run, one
    colour each: ``histories`` is one run's list, or ``{name: history}``. Returns the figure
    and the runs."""
    runs = {"": histories} if isinstance(histories, list) else dict(histories)
    fig = go.Figure()
    for number, (name, history) in enumerate(runs.items()):
        add_run(fig, escape(name), list(history), PALETTE[number % len(PALETTE)], words)
    return fig, runs


TEMPLATE = "plotly_white"
"""Every figure's plotly template (its white background and light grid)."""


def make_template_default() -> None:
    """Make :data:`TEMPLATE` plotly's default in this process, so that figures get it for free. A
    template given to a figure by name is validated and copied into it, about 34,000 Python
    calls (15 ms on a quiet machine, 420 ms the first time in a process) for every figure, and
    the Train page rebuilds its heatmap and loss chart on every live redraw; a new figure gets
    plotly's default template unvalidated, in about 2,000 calls. The app calls this at start
    (``app.py``); a script that only imports recsys_core keeps its own plotly default, and
    :func:`_base_layout` then gives each figure the template by name, as before."""
    pio.templates.default = TEMPLATE


def _base_layout(fig: go.Figure, title: str, subtitle: str = "") -> go.Figure:
    fig.update_layout(margin=dict(l=60, r=30, t=90, b=60),
                      title=dict(text=title, subtitle=dict(text=subtitle)))
    if pio.templates.default != TEMPLATE:  # else the figure got it when made
        fig.update_layout(template=TEMPLATE)
    return fig


LEGEND_FONT_PX = 12
"""Plotly's legend text size, which a fixed right margin must hold (:func:`_fixed_legend_margin`)."""


def _fixed_legend_margin(fig: go.Figure) -> go.Figure:
    """A right margin that holds the legend plotly puts beside the plot, fixed
    (``autoexpand`` off): left to plotly, a chart is drawn, its legend measured and the chart
    drawn again with a wider margin, twice the browser's work for every redraw of a live
    chart (see the heatmap's ``_fixed_margins``). Projector mode's larger type turns
    ``autoexpand`` back on (``ui/present.py``)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    widest = max((_text_px(name, LEGEND_FONT_PX) for name in names), default=0.0)
    right = widest + 70 if len(names) > 1 else 30  # one trace: plotly draws no legend
    fig.update_layout(margin=dict(l=80, r=int(right), t=90, b=60, autoexpand=False))
    return fig


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def _check_positive(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")


def _row_pixels(rows: int) -> float:
    """Height of a cell on screen: the figure height is set from it (see the layout)."""
    return max(14.0, min(48.0, 600 / max(rows, 1)))


def _col_pixels(cols: int) -> float:
    """Rough width of a cell on screen; the app decides the real width, typically ~800 px."""
    return max(14.0, min(120.0, 800 / max(cols, 1)))


def _format_cells(values: np.ndarray, when_nan: str, pattern: str = "{:.2f}") -> np.ndarray:
    flat = [when_nan if math.isnan(v) else pattern.format(v) for v in values.ravel().tolist()]
    return np.array(flat, dtype=object).reshape(values.shape)


def _sample(n: int, at_most: int) -> np.ndarray:
    if n <= at_most:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, at_most, replace=False))
