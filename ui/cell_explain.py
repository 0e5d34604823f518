"""A cell's arithmetic and the factor matrices: how the model predicts one cell.

Pick a user and an item, or click a cell of a heatmap, and every number the model computes
for that cell is listed in order (:mod:`recsys_core.results.explain`), with the same steps as torch
code in the exported script's names. Plotly cannot select heatmap cells, so a clickable
heatmap gets one invisible scatter point per cell (:func:`clickable`), which carries the cell's
hover text and its user and item; a click on it becomes the chosen cell (:func:`take_click`).
On a large block (more than ``figures.VALUE_TEXT_LIMIT`` cells) the points are empty text
instead of invisible squares: plotly then draws no SVG shape for them (3,600 of those doubled
the heatmap's drawing time), yet still hovers and selects them; the figure's
``hoverdistance=-1`` makes the nearest point, i.e. the cell under the mouse, answer anywhere.

The factor section draws U (users x k), V (items x k) and U x Vᵀ beside the completed matrix
(:func:`recsys_core.results.figures.factor_heatmap`, :func:`~recsys_core.results.figures.factor_product`).

Labels (user and item names) reach the screen only through widgets, plotly (escaped by
:mod:`recsys_core.results.figures`), ``st.text`` and ``st.code``; never through markdown.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from recsys_core.results import figures
from recsys_core.results.explain import Breakdown, Step, breakdown_code, explain_cell

from . import present
from .i18n import _, current_lang, say
from .on_demand import on_demand

CELL_USER = "cell_user"  # widget keys of the user and item pickers
CELL_ITEM = "cell_item"
CLICKS = "cell_clicks"  # session: {chart key: the last click taken from it}
DIGITS = 6  # decimals shown: enough to redo the sum to 1e-4 from the shown numbers
SHOWN = 8  # numbers of a vector shown before "…"
CELLS_TRACE = "cells"  # the invisible, clickable layer's trace name
CHOSEN_TRACE = "chosen cell"
CHOSEN_COLOUR = "#111111"
PANEL = "cell_panel"  # the folded panel of the breakdown on a large matrix


# ----- which cell ---------------------------------------------------------------------------------
def chosen(state: MutableMapping, ratings) -> tuple[int, int]:
    """The chosen (user, item) row numbers, kept inside the matrix."""
    u = state.get(CELL_USER, 0)
    i = state.get(CELL_ITEM, 0)
    u = u if isinstance(u, int) and 0 <= u < ratings.n_users else 0
    i = i if isinstance(i, int) and 0 <= i < ratings.n_items else 0
    return u, i


def choose(state: MutableMapping, u: int, i: int) -> None:
    """Make (u, i) the chosen cell: call before the pickers are drawn in this run."""
    state[CELL_USER] = int(u)
    state[CELL_ITEM] = int(i)


def pickers(state: MutableMapping, ratings, *, width: int = 240) -> tuple[int, int]:
    """The user and item pickers (the labels are data: shown as they are, by the widget)."""
    u, i = chosen(state, ratings)
    choose(state, u, i)  # a picker left over from other data must not hold a stale row
    with st.container(horizontal=True, vertical_alignment="bottom"):
        u = st.selectbox(_("User"), range(ratings.n_users), key=CELL_USER, persist_state="session",
                         format_func=lambda k: ratings.users[k], width=width)
        i = st.selectbox(_("Item"), range(ratings.n_items), key=CELL_ITEM, persist_state="session",
                         format_func=lambda k: ratings.items[k], width=width)
    return int(u), int(i)


def _selection(event) -> list[dict]:
    if event is None:
        return []
    try:
        selection = event["selection"]
    except (KeyError, TypeError):
        selection = getattr(event, "selection", None)
    if selection is None:
        return []
    try:
        points = selection["points"]
    except (KeyError, TypeError):
        points = getattr(selection, "points", [])
    return list(points or [])


def clicked_cell(event) -> tuple[int, int] | None:
    """The (user, item) of the clicked point of a :func:`clickable` figure, if any."""
    for point in _selection(event):
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and len(data) >= 2:
            try:
                return int(data[-2]), int(data[-1])
            except (TypeError, ValueError):
                continue
    return None


def take_click(state: MutableMapping, chart_key: str, ratings) -> bool:
    """If the chart ``chart_key`` reports a cell clicked since the last call, choose it.
    Call before the pickers and the chart are drawn. Returns True when the cell changed."""
    cell = clicked_cell(state.get(chart_key))
    taken = state.setdefault(CLICKS, {})
    if cell == taken.get(chart_key):
        return False
    taken[chart_key] = cell
    if cell is None or not (0 <= cell[0] < ratings.n_users and 0 <= cell[1] < ratings.n_items):
        return False
    choose(state, *cell)
    return True


# ----- a heatmap that can be clicked ------------------------------------------------------------
_EXTRA = re.compile(r"<extra>(.*?)</extra>", re.S)


def clickable(fig: go.Figure, ratings, cell: tuple[int, int] | None = None) -> go.Figure:
    """``fig`` (a :func:`recsys_core.results.figures.heatmap`) with one invisible point per shown cell,
    which plotly can select on a click, and an outline on ``cell`` if it is shown.

    The points carry the heatmap's own hover text (the heatmap layers stop answering the
    mouse, so the box is not shown twice) and the cell's user and item row numbers."""
    layers = [tr for tr in fig.data if tr.type == "heatmap" and tr.customdata is not None]
    if not layers:
        return fig
    hover = np.asarray(layers[0].customdata, dtype=object)
    if hover.ndim != 3 or hover.shape[2] < 5:
        return fig
    rows, cols = hover.shape[:2]
    user_of = {figures.escape(x): k for k, x in enumerate(ratings.users)}
    item_of = {figures.escape(x): k for k, x in enumerate(ratings.items)}
    z = np.full((rows, cols), np.nan)
    extra = np.full((rows, cols), "", dtype=object)
    for layer in layers:
        values = np.asarray(layer.z, dtype=float)
        found = _EXTRA.search(layer.hovertemplate or "")
        here = ~np.isnan(values)
        z[here] = values[here]
        extra[here] = found.group(1) if found else ""
    template = _EXTRA.sub("", layers[0].hovertemplate or "")
    template = re.sub(r"%\{z(:[^}]*)?\}", "%{customdata[6]}", template)
    # one row of customdata per cell, as numpy arrays: plotly checks and copies nested lists
    # element by element (3,600 cells x 9 fields: ~0.4 s of the Results page's run)
    users = np.array([user_of.get(x, -1) for x in hover[:, :, 0].ravel()]).reshape(rows, cols)
    items = np.array([item_of.get(x, -1) for x in hover[:, :, 1].ravel()]).reshape(rows, cols)
    points_y, points_x = np.nonzero((users >= 0) & (items >= 0))
    values = np.array(["" if np.isnan(v) else f"{v:+.2f}" for v in z.ravel()],
                      dtype=object).reshape(rows, cols)
    data = np.empty((points_x.size, 9), dtype=object)
    data[:, :5] = hover[points_y, points_x, :5].astype(str)
    data[:, 5] = extra[points_y, points_x]
    data[:, 6] = values[points_y, points_x]
    data[:, 7] = users[points_y, points_x].tolist()
    data[:, 8] = items[points_y, points_x].tolist()
    for layer in layers:  # the points answer the mouse now: the layers' hover data goes
        layer.hoverinfo = "skip"
        layer.hovertemplate = None
        layer.customdata = None
    for trace in fig.data:  # a click selects one point: nothing else may fade
        if trace.type == "scatter":
            trace.unselected = dict(marker=dict(opacity=trace.marker.opacity or 1))
    size = _cell_pixels(rows, cols)
    hover_box = template + "<extra>%{customdata[5]}</extra>"
    if rows * cols > figures.VALUE_TEXT_LIMIT:  # no shape drawn: see the module's docstring
        fig.add_trace(go.Scatter(
            x=points_x, y=points_y, customdata=data, mode="text",
            text=np.full(points_x.size, "", dtype=object),
            name=CELLS_TRACE, showlegend=False, hovertemplate=hover_box))
        fig.update_layout(hoverdistance=-1)
    else:
        fig.add_trace(go.Scatter(
            x=points_x, y=points_y, customdata=data, mode="markers", name=CELLS_TRACE,
            showlegend=False, hovertemplate=hover_box,
            marker=dict(symbol="square", size=size, color="rgba(0,0,0,0)", opacity=0),
            selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0))))
    if cell is not None:
        _outline(fig, hover, user_of, item_of, cell, size)
    return fig


def _cell_pixels(rows: int, cols: int) -> float:
    return float(max(10.0, min(44.0, 600 / max(rows, 1), 800 / max(cols, 1))))


def _outline(fig, hover, user_of, item_of, cell, size) -> None:
    rows, cols = hover.shape[:2]
    for r in range(rows):
        for c in range(cols):
            if (user_of.get(hover[r, c, 0]), item_of.get(hover[r, c, 1])) == tuple(cell):
                for colour, width, shrink in (("#ffffff", 5, 0), (CHOSEN_COLOUR, 2.5, 0)):
                    fig.add_trace(go.Scatter(
                        x=[c], y=[r], mode="markers", name=CHOSEN_TRACE, hoverinfo="skip",
                        showlegend=False,
                        marker=dict(symbol="square-open", size=size - 2 - shrink, color=colour,
                                    line=dict(width=width, color=colour)),
                        unselected=dict(marker=dict(opacity=1))))
                return


def clickable_chart(state: MutableMapping, fig: go.Figure, ratings, *, key: str,
                    opens: str | None = None):
    """Draw a heatmap whose cells can be clicked: a click chooses the cell (see
    :func:`take_click`) and the chosen cell is outlined. Draw it before the pickers.
    ``opens``: the key of a folded panel (``ui.on_demand``) that a click opens, so the
    clicked cell's breakdown shows even where the panel waits closed."""
    if take_click(state, key, ratings) and opens:
        state[opens] = True
    fig = clickable(fig, ratings, chosen(state, ratings))
    return st.plotly_chart(present.chart(fig), width="stretch", key=key, on_select="rerun",
                           selection_mode="points")


# ----- the breakdown ------------------------------------------------------------------------------
def step_label(step: Step) -> str:
    """The step's name in the session's language (the library's words, ``L_``)."""
    return say(step.label)


def step_formula(step: Step) -> str:
    """The step's formula: worded ones in the session's language, sums as they are."""
    return say(step.formula)


def shown(step: Step, digits: int = DIGITS) -> str:
    """The step's numbers: a vector's first ``SHOWN`` and how many there are."""
    return say(step.shown(digits, SHOWN))


def breakdown_table(b: Breakdown, compact: bool = False) -> pd.DataFrame:
    """One row per step: the step, its formula, how many numbers, the numbers."""
    steps = [step_label(s) for s in b.steps]
    table = pd.DataFrame({_("formula"): [step_formula(s) for s in b.steps],
                          _("numbers"): [s.size for s in b.steps],
                          _("value"): [shown(s) for s in b.steps]},
                         index=pd.Index(steps, name=_("step")))
    if compact:
        table = table[[_("value")]]
    return table


def _rating_of(ratings, u: int, i: int) -> float | None:
    k = np.flatnonzero((ratings.user_idx == u) & (ratings.item_idx == i))
    return float(ratings.values[k[0]]) if k.size else None


def headline(b: Breakdown, ratings) -> str:
    """"옥순(IN) x 영호(IS): predicted 3.412345 (rated 4)" in the session's language."""
    rating = _rating_of(ratings, b.user, b.item)
    text = _("{user} x {item}: predicted {pred}", user=ratings.users[b.user], item=ratings.items[b.item],
             pred=f"{b.prediction:.{DIGITS}f}")
    if rating is not None:
        text += " " + _("(rated {rating})", rating=f"{rating:g}")
    else:
        text += " " + _("(an empty cell: the model fills it in)")
    return text


def draw_breakdown(model, ratings, u: int, i: int, *, compact: bool = False,
                   code: str | None = None) -> Breakdown | None:
    """Draw the cell's arithmetic here (a container or an ``st.empty().container()``);
    ``code``: the key of a panel with the same steps in the exported code's terms, made only
    while open (a highlighted code block costs the browser about half a second to draw)."""
    try:
        b = explain_cell(model, u, i, user_label=ratings.users[u], item_label=ratings.items[i])
    except (NotImplementedError, ValueError):
        st.info(_("This model's prediction cannot be broken down into steps."))
        return None
    st.text(headline(b, ratings))
    st.table(breakdown_table(b, compact=compact))
    st.caption(_("Each step uses only the numbers above it: redo them with a calculator and you land on "
                 "the prediction."))
    if code:
        panel = st.expander(_("The same in the exported code's terms"), icon=":material/code:",
                            key=code, on_change="rerun")
        if not panel.open:
            return b
        with panel:
            st.caption(_("Run it after the exported script (Results → Show the code), where net is the "
                         "trained network; each comment is the value of its line. On this app's model, "
                         "first write net = as_exported_net(model) (recsys_core.results.explain)."))
            st.code(breakdown_code(b), language="python")
    return b


def panel(state: MutableMapping, result, large: bool = False) -> None:
    """The Results page's "how one cell is predicted": pickers, the steps, the code. On a
    large matrix it waits in the closed panel ``PANEL`` (its item picker lists every item:
    9,724 on MovieLens), which a click on the heatmap opens."""
    ratings = result.ratings
    with on_demand(_("How one cell is predicted"), PANEL, large,
                   ":material/calculate:") as shown:
        if not shown:
            return
        st.caption(_("Click a cell of the heatmap above, or pick a user and an item: every number the "
                     "model computes for that cell, in order, with the current model's real values."))
        u, i = pickers(state, ratings)
        with st.container(key="cell_breakdown", border=True):
            draw_breakdown(result.model, ratings, u, i, code="cell_code")


# ----- factor matrices ------------------------------------------------------------------------
def factor_text(lang: str | None = None) -> dict[str, str]:
    """The factor figures' words (``figures.WORDS``) in the session's language."""
    return figures.words(lang or current_lang())


def factors_section(result) -> None:
    """U and V side by side, then U x Vᵀ beside the completed matrix (under the heading
    ``watch.factor_head``, which the page draws)."""
    st.caption(_("Every user is a row of k numbers (U), every item too (V). A user's row times an item's "
                 "row, added up, is the cell's score before the biases: the whole of U x Vᵀ is the matrix "
                 "the model fills. For k = 2 the two columns are the map's two axes."))
    words = factor_text()
    left, right = st.columns(2)
    for column, side, key in ((left, "user", "factor_users"), (right, "item", "factor_items")):
        fig = figures.factor_heatmap(result, side, text=words)
        fig.update_layout(margin=dict(t=150))  # room for the factor names above the columns
        with column, st.container(key=key):
            st.plotly_chart(present.chart(fig), width="stretch")
    with st.container(key="factor_product"):
        st.plotly_chart(present.chart(figures.factor_product(result, text=words)),
                        width="stretch")
