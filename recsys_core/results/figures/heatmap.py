"""The rating matrix as a heatmap: observed and filled-in cells apart, paged through users and items."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from recsys_core.data.ratings import Ratings
from recsys_core.results.figures.common import (
    ENGLISH,
    FILLED_MARK,
    TICK_OVERFLOW,
    VALUE_TEXT_LIMIT,
    VIEWS,
    _base_layout,
    _check_positive,
    _col_pixels,
    _empty,
    _format_cells,
    _row_pixels,
    _shorten,
    _text_px,
    _Words,
    escape,
)
from recsys_core.results.trained_run import predict_cells


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
    the layout shape named ``"predicted"``: one path, one closed triangle per filled-in cell
    shown.
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
        if not rated.all():
            fig.add_shape(**_filled_marks(~rated))
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
    predicted = result.predicted if result.has_predictions() else BlockPredictions(result)
    return heatmap(result.ratings, predicted, view=view, is_val=result.is_val, **options)


class BlockPredictions:
    """A run's predictions that are computed only for the block asked for: reads like the
    users x items array (``shape``, ``[np.ix_(rows, cols)]``) without making it."""

    def __init__(self, result) -> None:
        self.result = result
        self.shape = (result.ratings.n_users, result.ratings.n_items)

    def __getitem__(self, index) -> np.ndarray:
        rows, cols = (np.asarray(part).ravel() for part in index)
        users, items = np.meshgrid(rows, cols, indexing="ij")
        return predict_cells(self.result.model, users.ravel(), items.ravel()).reshape(
            len(rows), len(cols))




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


def _filled_marks(missing: np.ndarray) -> dict:
    """A white corner triangle (◥) in each filled-in cell's top-right corner: white with a
    dark outline stays visible on every colour, in grayscale and on a projector.

    All the triangles are one layout shape, one SVG path of one closed triangle per cell,
    rather than a marker each: the browser then builds one element instead of one per filled
    cell (922 on MovieLens' first 60 x 60). A path is drawn in the axes' units, so each leg
    is the same share of its cell's side (the share a marker of the old pixel size took of
    the cell as the figure is laid out here): in a narrower column (Compare, Train) or on a
    projector the mark keeps its place and shape in the cell instead of turning into a
    sliver."""
    rows, cols = np.nonzero(missing)
    row_px, col_px = _row_pixels(missing.shape[0]), _col_pixels(missing.shape[1])
    size = max(6.0, min(18.0, 0.45 * min(row_px, col_px)))  # the triangle's legs, in pixels
    share = min(0.55, size / min(row_px, col_px))
    inset = min(0.1, 2 / min(row_px, col_px))  # about 2 pixels in from the cell's corner
    right = cols + 0.5 - inset
    top = rows - 0.5 + inset  # the y axis runs downwards: a cell's top is row - 0.5
    path = "".join(f"M{x:.3f},{y:.3f}H{x - share:.3f}L{x:.3f},{y + share:.3f}Z"
                   for x, y in zip(right.tolist(), top.tolist()))
    return dict(type="path", path=path, xref="x", yref="y", layer="above",
                fillcolor="white", line=dict(color="#222222", width=1.2), name="predicted")


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
    x_text = [_shorten(ratings.items[i]) for i in block.items]
    y_text = [_shorten(ratings.users[u]) for u in block.users]
    x_font, y_font = _label_size(_col_pixels(cols)), _label_size(_row_pixels(rows))
    fig.update_layout(
        coloraxis=colour,
        height=int(max(440, rows * _row_pixels(rows) + 220)),
        margin=_fixed_margins(x_text, y_text, (x_font, y_font), _item_label_angle(cols),
                              colour["colorbar"]["title"]),
        legend=dict(x=1.02, xanchor="left", y=1, yanchor="top"),
        xaxis=dict(title=words("item"), tickangle=_item_label_angle(cols), range=[-0.5, cols - 0.5],
                   tickfont=dict(size=x_font), tickmode="array", tickvals=list(range(cols)),
                   showgrid=False, zeroline=False, ticktext=x_text, **TICK_OVERFLOW),
        yaxis=dict(title=words("user"), range=[rows - 0.5, -0.5], tickmode="array", showgrid=False,
                   zeroline=False, tickvals=list(range(rows)), tickfont=dict(size=y_font),
                   ticktext=y_text, **TICK_OVERFLOW),
    )


AXIS_TITLE_PX = 40
"""Room for an axis title and the gap between it, the tick labels and the plot."""


def _fixed_margins(x_text: list[str], y_text: list[str], fonts: tuple[int, int], x_angle: int,
                   bar_title: str) -> dict:
    """Margins wide enough for the tick labels, the axis titles and the colour bar, worked
    out here and fixed (``autoexpand`` off). Left to plotly, it draws the heatmap, measures
    its labels, and draws everything again with the margins it found: about 0.35 s of the
    browser's 1 s for Results' 60 x 60 heatmap (reopened on MovieLens, 2026-12-02), and
    twice the work for every redraw of the live heatmap while a run trains. Projector mode's
    larger type turns ``autoexpand`` back on (``ui/present.py``)."""
    x_font, y_font = fonts
    widest_x = max((_text_px(t, x_font) for t in x_text), default=0.0)
    widest_y = max((_text_px(t, y_font) for t in y_text), default=0.0)
    slant = abs(math.sin(math.radians(x_angle)))
    below = widest_x * slant + x_font * (1 - slant) + x_font  # the label's own height too
    first_x = _text_px(x_text[0], x_font) * math.cos(math.radians(x_angle)) if x_text else 0.0
    left = max(widest_y + AXIS_TITLE_PX, first_x - _col_pixels(len(x_text)) / 2 + 10, 60)
    right = max(100.0, _text_px(bar_title, 14) + 40)
    return dict(l=int(left), r=int(right), t=90, b=int(below + AXIS_TITLE_PX + 10),
                autoexpand=False)


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
