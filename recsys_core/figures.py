"""Plotly figures of ratings and of trained models, as plain functions that return a Figure.

Each function takes data (``Ratings``, a ``FitResult``, a training history) and returns a
``plotly.graph_objects.Figure``; nothing here draws on screen, so every figure can be tested
without a browser and the app only has to show it.

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
from .training import EpochReport

VIEWS = ("observed", "predicted", "completed", "residual")
VALUE_TEXT_LIMIT = 30 * 30
"""Auto mode writes the value on each cell only when the shown block has at most this many
cells; beyond that the numbers become too small to read."""
LABEL_CHARS = 24
"""Tick labels longer than this are shortened with an ellipsis (the hover shows them whole)."""
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
TRAIN_COLOUR, VAL_COLOUR = "#1f77b4", "#ff7f0e"
FILLED_MARK = "◥"
"""The corner mark drawn on every cell the model filled in (also named in the subtitle)."""


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


def heatmap(ratings: Ratings, predicted: np.ndarray | None = None, view: str = "completed",
            is_val: np.ndarray | None = None, max_rows: int = 60, max_cols: int = 60,
            page: int = 0, show_values: bool | None = None, title: str | None = None,
            ) -> go.Figure:
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
    (0-based, clamped to the last page) picks which ``max_rows`` of them; when the items do
    not fit, the ``max_cols`` most rated are shown. The subtitle says which range is shown.
    ``show_values`` writes the numbers on the cells; None = only when at most 30 x 30 shown.
    ``is_val`` (one flag per rating, True = validation) lets the hover say each cell's split.
    """
    _check_heatmap_args(ratings, predicted, view, is_val, max_rows, max_cols)
    fig = go.Figure()
    if ratings.n_users == 0 or ratings.n_items == 0:
        return _empty(_base_layout(fig, "No ratings to show"), "The matrix is empty.")
    page = min(max(0, int(page)), heatmap_pages(ratings, max_rows) - 1)
    block = _heatmap_block(ratings, is_val, page, max_rows, max_cols)
    shown_pred = None if predicted is None else predicted[np.ix_(block.users, block.items)]
    rated = ~np.isnan(block.observed)
    if show_values is None:
        show_values = rated.size <= VALUE_TEXT_LIMIT
    hover = _cell_hover(ratings, block, shown_pred)
    values = _view_values(view, block.observed, shown_pred)
    fills_in = view in ("predicted", "completed")
    fig.add_trace(_cell_layer("observed", np.where(rated, values, np.nan), hover, show_values,
                              view, filled=False))
    if fills_in:
        fig.add_trace(_cell_layer("filled in", np.where(rated, np.nan, values), hover,
                                  show_values, view, filled=True))
        fig.add_trace(_filled_marks(~rated))
    n_predicted = int((~rated).sum()) if fills_in else 0
    _heatmap_layout(fig, ratings, block, view, page, max_rows, title, fills_in)
    fig.layout.meta = {
        "n_cells": int(rated.size), "n_observed": int(rated.sum()), "n_predicted": n_predicted,
        "view": view, "page": page, "pages": heatmap_pages(ratings, max_rows),
        "rows": [int(page * max_rows), int(page * max_rows + block.users.size)],
        "n_users": ratings.n_users, "n_items": ratings.n_items,
    }
    return fig


def result_heatmap(result, view: str = "completed", **options) -> go.Figure:
    """:func:`heatmap` of a ``FitResult``: its ratings, predictions and validation split."""
    return heatmap(result.ratings, result.predicted, view=view, is_val=result.is_val, **options)


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


def _heatmap_block(ratings: Ratings, is_val, page: int, max_rows: int, max_cols: int) -> _Block:
    """Pick the shown users and items, then place only *their* ratings: one pass over the
    ratings, never a full users x items array (MovieLens has 5.9 million cells)."""
    users, users_sorted = _display_order(ratings.ratings_per_user(), max_rows)
    users = users[page * max_rows: (page + 1) * max_rows]
    items, items_sorted = _display_order(ratings.ratings_per_item(), max_cols)
    items = items[:max_cols]
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


def _cell_hover(ratings: Ratings, block: _Block, predicted) -> np.ndarray:
    """rows x cols x 5 strings for the hover box: user, item, rating, prediction, split.
    Labels are escaped here, once, before they can reach plotly."""
    shape = block.observed.shape
    users = np.array([escape(ratings.users[u]) for u in block.users], dtype=object)
    items = np.array([escape(ratings.items[i]) for i in block.items], dtype=object)
    hover = np.empty(shape + (5,), dtype=object)
    hover[..., 0] = users[:, None]
    hover[..., 1] = items[None, :]
    hover[..., 2] = _format_cells(block.observed, "missing")
    hover[..., 3] = "no model yet" if predicted is None else _format_cells(predicted, "")
    hover[..., 4] = block.split
    return hover


def _format_cells(values: np.ndarray, when_nan: str, pattern: str = "{:.2f}") -> np.ndarray:
    flat = [when_nan if math.isnan(v) else pattern.format(v) for v in values.ravel().tolist()]
    return np.array(flat, dtype=object).reshape(values.shape)


HEATMAP_HOVER = ("user: %{customdata[0]}<br>item: %{customdata[1]}<br>"
                 "rating: %{customdata[2]}<br>prediction: %{customdata[3]}<br>"
                 "split: %{customdata[4]}")


def _cell_layer(name: str, values: np.ndarray, hover: np.ndarray, show_values: bool,
                view: str, filled: bool) -> go.Heatmap:
    """One heatmap of either the rated or the filled-in cells (NaN elsewhere, drawn as
    gaps); both share one colour axis so equal values have equal colours."""
    residual = view == "residual"
    extra = "<br>prediction − rating: %{z:+.2f}" if residual else ""
    layer = go.Heatmap(
        z=values, x=np.arange(values.shape[1]), y=np.arange(values.shape[0]), name=name,
        coloraxis="coloraxis", customdata=hover, hoverongaps=False,
        hovertemplate=HEATMAP_HOVER + extra + f"<extra>{name}</extra>",
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
        mode="markers", name="predicted", hoverinfo="skip", showlegend=True,
        marker=dict(symbol="triangle-ne", size=size, color="white",
                    line=dict(color="#222222", width=1.2)),
    )


def _row_pixels(rows: int) -> float:
    """Height of a cell on screen: the figure height is set from it (see the layout)."""
    return max(14.0, min(48.0, 600 / max(rows, 1)))


def _col_pixels(cols: int) -> float:
    """Rough width of a cell on screen; the app decides the real width, typically ~800 px."""
    return max(14.0, min(120.0, 800 / max(cols, 1)))


VIEW_TITLES = {
    "observed": "Observed ratings",
    "predicted": "Model predictions for every cell",
    "completed": "Completed matrix: ratings kept, empty cells filled in by the model",
    "residual": "Residuals: prediction − rating on rated cells (0 = exact)",
}


def _heatmap_layout(fig, ratings, block: _Block, view, page, max_rows, title, fills_in) -> None:
    notes = [_range_text(ratings, block, page, max_rows)]
    if fills_in:
        notes.append(f"{FILLED_MARK} and (brackets) = no rating, value predicted by the model")
    if view == "observed":
        notes.append("blank = no rating")
    _base_layout(fig, escape(title) if title else VIEW_TITLES[view], " · ".join(notes))
    rows, cols = block.observed.shape
    scale = ratings.scale
    bar = dict(len=0.8, y=0, yanchor="bottom")  # leaves room above it for the legend
    colour = (dict(colorscale="RdBu", cmid=0, colorbar=dict(title="pred − rating", **bar))
              if view == "residual" else
              dict(colorscale="Viridis", cmin=scale[0], cmax=scale[1],
                   colorbar=dict(title="rating", **bar)))
    fig.update_layout(
        coloraxis=colour,
        height=int(max(440, rows * _row_pixels(rows) + 220)),
        legend=dict(x=1.02, xanchor="left", y=1, yanchor="top"),
        xaxis=dict(title="item", tickangle=-45, range=[-0.5, cols - 0.5],
                   tickmode="array", tickvals=list(range(cols)), showgrid=False, zeroline=False,
                   ticktext=[_shorten(ratings.items[i]) for i in block.items]),
        yaxis=dict(title="user", range=[rows - 0.5, -0.5], tickmode="array", showgrid=False,
                   zeroline=False, tickvals=list(range(rows)),
                   ticktext=[_shorten(ratings.users[u]) for u in block.users]),
    )


def _range_text(ratings: Ratings, block: _Block, page: int, max_rows: int) -> str:
    """e.g. "users 1–60 of 610 (most active first), items 1–60 of 9,724 (most rated first)"."""
    if not (block.users_sorted or block.items_sorted):
        return f"all {ratings.n_users:,} users x {ratings.n_items:,} items"
    first = page * max_rows
    users = (f"users {first + 1:,}–{first + block.users.size:,} of {ratings.n_users:,}"
             + (" (most active first)" if block.users_sorted else ""))
    items = (f"items 1–{block.items.size:,} of {ratings.n_items:,}"
             + (" (most rated first)" if block.items_sorted else ""))
    return f"{users}, {items}"


# =========================================================================================
# Training history
# =========================================================================================
def loss_curves(histories: dict[str, list[EpochReport]] | list[EpochReport],
                log_y: bool = False) -> go.Figure:
    """Training and validation RMSE per epoch: one colour per run, validation dashed.

    Pass one run's history (a list) or several runs as ``{name: history}`` to compare them.
    An empty history gives empty axes with a note, so a page can draw the chart before the
    first epoch has finished.
    """
    runs = {"": histories} if isinstance(histories, list) else dict(histories)
    fig = go.Figure()
    for number, (name, history) in enumerate(runs.items()):
        _add_run(fig, escape(name), list(history), PALETTE[number % len(PALETTE)])
    _base_layout(fig, "Training progress: error per epoch",
                 "solid = training ratings, dashed = validation ratings (held out)")
    fig.update_layout(xaxis_title="epoch", yaxis_title="RMSE (rating points)",
                      yaxis_type="log" if log_y else "linear", hovermode="x unified")
    if not any(runs.values()):
        _empty(fig, "No epochs yet: train a model to see its error fall.")
    return fig


def _add_run(fig: go.Figure, name: str, history: list[EpochReport], colour: str) -> None:
    prefix = f"{name}: " if name else ""
    epochs = [r.epoch for r in history]
    mode = "lines" if len(history) > 1 else "markers"  # one epoch has no line to draw yet
    fig.add_trace(go.Scatter(x=epochs, y=[r.train_rmse for r in history], mode=mode,
                             name=f"{prefix}train RMSE", line=dict(color=colour),
                             hovertemplate="%{y:.4f}"))
    val = [r.val_rmse for r in history]
    if any(v is not None for v in val):
        fig.add_trace(go.Scatter(x=epochs, y=val, mode=mode, name=f"{prefix}validation RMSE",
                                 line=dict(color=colour, dash="dash"), hovertemplate="%{y:.4f}"))


# =========================================================================================
# Predicted against actual
# =========================================================================================
def predicted_vs_actual(result, max_points: int = 5_000) -> go.Figure:
    """Each rating against the model's prediction for it; on the diagonal = exactly right.

    Training ratings are blue circles, validation ratings orange diamonds: the validation
    cloud's spread is the honest accuracy. Above ``max_points`` ratings a seeded random
    sample is drawn (the subtitle says how many), so the browser stays quick.
    """
    _check_positive("max_points", max_points)
    r = result.ratings
    pred = result.observed_predictions()
    shown = _sample(r.n_ratings, max_points)
    fig = go.Figure()
    for label, flags, colour, symbol in (("train", ~result.is_val, TRAIN_COLOUR, "circle"),
                                         ("validation", result.is_val, VAL_COLOUR, "diamond")):
        picked = shown[flags[shown]]
        fig.add_trace(go.Scatter(
            x=r.values[picked], y=pred[picked], mode="markers", name=f"{label} ({flags.sum():,})",
            marker=dict(color=colour, symbol=symbol, size=8 if r.n_ratings <= 500 else 5,
                        opacity=0.75, line=dict(width=0.5, color="white")),
            customdata=np.column_stack([_escaped(r.users, r.user_idx[picked]),
                                        _escaped(r.items, r.item_idx[picked])]),
            hovertemplate=(f"user: %{{customdata[0]}}<br>item: %{{customdata[1]}}<br>"
                           f"rating: %{{x:.2f}}<br>prediction: %{{y:.2f}}<extra>{label}</extra>"),
        ))
    lo, hi = r.scale
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="perfect prediction",
                             line=dict(color="#555555", dash="dot"), hoverinfo="skip"))
    _base_layout(fig, "Predicted vs actual rating", _accuracy_note(result, shown.size))
    pad = 0.05 * (hi - lo)
    fig.update_layout(xaxis=dict(title="actual rating", range=[lo - pad, hi + pad],
                                 constrain="domain"),
                      yaxis=dict(title="predicted rating", range=[lo - pad, hi + pad],
                                 scaleanchor="x"))
    return fig


def _sample(n: int, at_most: int) -> np.ndarray:
    if n <= at_most:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, at_most, replace=False))


def _escaped(labels: list[str], positions: np.ndarray) -> np.ndarray:
    return np.array([escape(labels[p]) for p in positions.tolist()], dtype=object)


def _accuracy_note(result, n_shown: int) -> str:
    m = result.metrics()
    parts = [f"train RMSE {m['train_rmse']:.3f}" if m["train_rmse"] is not None else "",
             f"validation RMSE {m['val_rmse']:.3f}" if m["val_rmse"] is not None else "",
             (f"{n_shown:,} of {result.ratings.n_ratings:,} ratings shown"
              if n_shown < result.ratings.n_ratings else "")]
    return " · ".join(p for p in parts if p)


# =========================================================================================
# Embedding map
# =========================================================================================
AXIS_NAMES = {"factors": "factor", "factor": "factor", "pca": "PCA"}


def embedding_map(frame, max_labels: int = 60) -> go.Figure:
    """Users and items on one plane (``FitResult.embeddings_2d()``): close points share tastes.

    Users are blue circles, items orange diamonds. Names are written beside the points when
    there are at most ``max_labels`` of them, and are always in the hover box. The axes are
    the two factors themselves (k = 2) or the first two principal components (PCA).
    """
    fig = go.Figure()
    axis = AXIS_NAMES.get(frame.attrs.get("projection", ""), "axis")
    _base_layout(fig, "Learned embeddings: users and items on one map",
                 "close together = similar tastes" if axis == "factor" else
                 "projected to 2-D with PCA; close together = similar tastes")
    fig.update_layout(xaxis_title=f"{axis} 1", yaxis_title=f"{axis} 2")
    if len(frame) == 0:
        return _empty(fig, "This model has no embeddings to show (the baseline has none).")
    with_text = len(frame) <= max_labels
    for kind, colour, symbol in (("user", TRAIN_COLOUR, "circle"), ("item", VAL_COLOUR, "diamond")):
        part = frame[frame["kind"] == kind]
        labels = np.array([escape(x) for x in part["label"]], dtype=object)
        fig.add_trace(go.Scatter(
            x=part["x"].to_numpy(), y=part["y"].to_numpy(), name=f"{kind}s ({len(part):,})",
            mode="markers+text" if with_text else "markers",
            text=labels if with_text else None, textposition="top center",
            customdata=labels, marker=dict(color=colour, symbol=symbol, size=10 if with_text else 5),
            hovertemplate=f"{kind}: %{{customdata}}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        ))
    return fig


# =========================================================================================
# Distributions of the data
# =========================================================================================
def rating_histogram(ratings: Ratings) -> go.Figure:
    """How often each rating value occurs: one bar per value when there are few distinct
    values (stars, half stars), else 20 equal bins across the scale. Counted here, so even
    10 million ratings send only a few numbers to the browser."""
    values = ratings.values
    distinct = np.unique(values)
    fig = go.Figure()
    if distinct.size <= 25:
        counts = np.array([(values == v).sum() for v in distinct])
        fig.add_trace(go.Bar(x=distinct, y=counts, name="ratings",
                             hovertemplate="rating %{x}: %{y:,} ratings<extra></extra>"))
    else:
        counts, edges = np.histogram(values, bins=20, range=ratings.scale)
        fig.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges),
                             customdata=np.column_stack([edges[:-1], edges[1:]]), name="ratings",
                             hovertemplate=("%{customdata[0]:.2f} to %{customdata[1]:.2f}: "
                                            "%{y:,} ratings<extra></extra>")))
    _base_layout(fig, "How the ratings are spread",
                 f"{ratings.n_ratings:,} ratings on the scale {ratings.scale[0]:g} to "
                 f"{ratings.scale[1]:g}")
    fig.update_layout(xaxis_title="rating", yaxis_title="number of ratings", bargap=0.1)
    if ratings.n_ratings == 0:
        _empty(fig, "No ratings yet.")
    return fig


def ratings_per_user(ratings: Ratings) -> go.Figure:
    """How many users gave how many ratings: shows whether a few people do most of the rating."""
    return _count_histogram(ratings.ratings_per_user(), "user", "users")


def ratings_per_item(ratings: Ratings) -> go.Figure:
    """How many items got how many ratings: the long tail of rarely rated items."""
    return _count_histogram(ratings.ratings_per_item(), "item", "items")


def _count_histogram(counts: np.ndarray, one: str, many: str) -> go.Figure:
    """A bar per count when counts are small (0, 1, 2 ... ratings), else about 40 bins."""
    fig = go.Figure()
    top = int(counts.max()) if counts.size else 0
    if top <= 50:
        heights = np.bincount(counts, minlength=top + 1)
        fig.add_trace(go.Bar(x=np.arange(top + 1), y=heights, name=many,
                             hovertemplate=f"%{{x}} ratings: %{{y:,}} {many}<extra></extra>"))
    else:
        heights, edges = np.histogram(counts, bins=40, range=(0, top + 1))
        fig.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=heights, width=np.diff(edges),
                             customdata=np.column_stack([np.ceil(edges[:-1]),
                                                         np.ceil(edges[1:]) - 1]), name=many,
                             hovertemplate=(f"%{{customdata[0]:,.0f}} to %{{customdata[1]:,.0f}} "
                                            f"ratings: %{{y:,}} {many}<extra></extra>")))
    summary = (f"{counts.size:,} {many}; median {np.median(counts):g}, fewest {counts.min():,}, "
               f"most {top:,} ratings" if counts.size else f"no {many}")
    _base_layout(fig, f"Ratings per {one}", summary)
    fig.update_layout(xaxis_title=f"ratings per {one}", yaxis_title=f"number of {many}",
                      bargap=0.05)
    return fig
