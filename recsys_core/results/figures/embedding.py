"""Users and items on one map, their names placed so none overlaps another."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from recsys_core.results.figures.common import (
    MAP_POINTS,
    TRAIN_COLOUR,
    VAL_COLOUR,
    VISITOR_COLOUR,
    _base_layout,
    _check_positive,
    _empty,
    _sample,
    _text_px,
    _Words,
    escape,
)

# =========================================================================================
# Embedding map
# =========================================================================================
AXIS_NAMES = {"factors": "factor", "factor": "factor", "pca": "pca"}


def embedding_map(frame, max_labels: int = 60, text: dict | None = None,
                  max_points: int = MAP_POINTS, visitor: tuple[float, float] | None = None
                  ) -> go.Figure:
    """Users and items on one plane (``FitResult.embeddings_2d()``): close points share tastes.

    Users are blue circles, items orange diamonds. Names are written beside the points when
    there are at most ``max_labels`` of them, and are always in the hover box. The axes are
    the two factors themselves (k = 2) or the first two principal components (PCA).

    At most ``max_points`` users and ``max_points`` items are drawn: the most-rated ones when
    the frame has a ``ratings`` column (``embeddings_frame`` adds it; ties in input order),
    else a fixed random sample. The subtitle says what is shown, the legend "shown / all";
    ``fig.layout.meta`` has ``shown`` and ``total`` per kind.

    ``visitor``: a newcomer's place on the same map (``FoldIn.position``, see
    :mod:`recsys_core.training.foldin`), drawn last as a large star named "you", its name always
    written and placed before any other.
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
    you = words("emb_you")
    if visitor is not None:
        picked["visitor"] = pd.DataFrame({"x": [float(visitor[0])], "y": [float(visitor[1])],
                                          "label": [you], "ratings": [np.inf]})
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
    if visitor is not None:
        where = placed.get("visitor", (["top center"], [True]))[0]
        fig.add_trace(go.Scatter(
            x=[float(visitor[0])], y=[float(visitor[1])], name=you, mode="markers+text",
            text=[f"<b>{escape(you)}</b>"], textposition=where, cliponaxis=False,
            textfont=dict(size=MAP_LABEL_PX + 3, color=VISITOR_COLOUR,
                          shadow="1px 1px 2px white, -1px -1px 2px white"),  # legible in a crowd
            marker=dict(color=VISITOR_COLOUR, symbol="star", size=22,
                        line=dict(color="white", width=1.5)),
            hovertemplate=f"{escape(you)}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>"))
        notes.append(words("emb_you_note"))
    _base_layout(fig, words("emb_title"), " · ".join(notes))
    fig.layout.meta = {"shown": {k: len(p) for k, p in picked.items() if k != "visitor"},
                       "total": {k: len(p) for k, p in parts.items()},
                       "visitor": None if visitor is None else [float(visitor[0]),
                                                                float(visitor[1])]}
    return fig


MAP_LABEL_PX = 13
MAP_PLOT_PX = (560, 280)
"""The size a map's plot area has at the least (a projector's 1280 px screen with the sidebar
open, or a laptop's), for placing names so they do not pile up."""
LABEL_SPOTS = ("top center", "bottom center", "middle right", "middle left", "top right",
               "bottom left", "top left", "bottom right")


def _place_labels(picked: dict) -> dict:
    """For each point of the map, where its name goes (one of ``LABEL_SPOTS``) so that no two
    names overlap on a plot of ``MAP_PLOT_PX``; a name with no free spot is left to the
    hover. Points are taken most-rated first (the frame's order when counts are unknown)."""
    kinds = [k for k in picked if len(picked[k])]  # users, items (and the visitor)
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
