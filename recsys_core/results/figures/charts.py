"""Training history, predicted against actual, and the distributions of the data."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from recsys_core.data.ratings import Ratings
from recsys_core.results.figures.common import (
    PVA_POINTS,
    TRAIN_COLOUR,
    VAL_COLOUR,
    _base_layout,
    _check_positive,
    _empty,
    _fixed_legend_margin,
    _runs_figure,
    _sample,
    _Words,
    escape,
)
from recsys_core.training.train_config import EpochReport


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
    fig, runs = _runs_figure(histories, _add_run, words)
    _base_layout(fig, words("loss_title"), words("loss_subtitle"))
    fig.update_layout(xaxis_title=words("epoch"), yaxis_title=words("rmse_axis"),
                      yaxis_type="log" if log_y else "linear", hovermode="x unified")
    if not any(runs.values()):
        _empty(fig, words("no_epochs"))
    return _fixed_legend_margin(fig)


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
