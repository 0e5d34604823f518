"""The factor matrices U and V, and U x Vᵀ beside the completed matrix."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from recsys_core.data.ratings import Ratings
from recsys_core.models import MODELS
from recsys_core.results.figures.common import (
    ENGLISH,
    TICK_OVERFLOW,
    _base_layout,
    _check_positive,
    _empty,
    _format_cells,
    _row_pixels,
    _shorten,
    escape,
)
from recsys_core.results.trained_run import predict_cells

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
    r = result.ratings
    if result.has_predictions():
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
