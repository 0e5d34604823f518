"""The ranking task's figures: its training curves and its users x items scores."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch

from recsys_core.results.figures.common import _base_layout, _empty, _runs_figure, _shorten, _Words

SCORE_ROWS = 30
SCORE_COLS = 30


def ranking_curves(histories, text: dict | None = None) -> go.Figure:
    """Training loss (left axis) with HR@10 and NDCG@10 on the held-out items (right axis,
    0 to 1) per epoch: one colour per run, NDCG dotted. ``histories``: one run's list of
    :class:`~recsys_core.ranking.training.RankingEpoch`, or ``{name: history}``. Trace names
    end in "HR@10" and "NDCG@10", so a test can find them in any language."""
    words = _Words(text)
    fig, runs = _runs_figure(histories, _add_ranking_run, words)
    _base_layout(fig, words("rank_title"), words("rank_subtitle"))
    fig.update_layout(xaxis_title=words("epoch"), yaxis_title=words("rank_loss_axis"),
                      yaxis2=dict(title=words("rank_metric_axis"), overlaying="y", side="right",
                                  range=[0, 1], showgrid=False, tickmode="array",
                                  tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0]),
                      hovermode="x unified", legend=dict(orientation="h", y=-0.2))
    if not any(runs.values()):
        _empty(fig, words("rank_no_epochs"))
    return fig


def _add_ranking_run(fig: go.Figure, name: str, history: list, colour: str, words) -> None:
    prefix = f"{name}: " if name else ""
    epochs = [r.epoch for r in history]
    mode = "lines+markers" if len(history) > 1 else "markers"
    losses = [r.loss for r in history]
    if any(v is not None for v in losses):  # closed-form models have no loss
        fig.add_trace(go.Scatter(x=epochs, y=losses, mode=mode, name=prefix + words("rank_loss"),
                                 line=dict(color=colour, width=1), opacity=0.5,
                                 hovertemplate="%{y:.4f}"))
    for metric, dash in (("hr", "solid"), ("ndcg", "dot")):
        fig.add_trace(go.Scatter(x=epochs, y=[getattr(r, metric) for r in history], mode=mode,
                                 name=f"{prefix}{metric.upper()}@10", yaxis="y2",
                                 line=dict(color=colour, dash=dash, width=3),
                                 hovertemplate="%{y:.3f}"))


def ranking_heatmap(result, max_rows: int = SCORE_ROWS, max_cols: int = SCORE_COLS,
                    text: dict | None = None) -> go.Figure:
    """The model's score of each (user, item) for the first ``max_rows`` scored users and the
    items that matter to them: their held-out items first, then the most interacted-with,
    up to ``max_cols``. Each row is coloured on its own scale (only a user's order counts);
    training interactions are marked ●, each user's held-out item ★ (the scatter traces
    "interacted" and "held out"). ``fig.layout.meta``: ``n_users``, ``n_items``,
    ``n_held_out`` (★ shown), ``n_interacted`` (● shown)."""
    words = _Words(text)
    split, data = result.split, result.data
    fig = go.Figure()
    if split.test_users.size == 0:
        return _empty(_base_layout(fig, words("score_title")), words("rank_no_epochs"))
    users = split.test_users[:max_rows]
    held = split.test_items[:max_rows]
    popular = np.argsort(-data.per_item(), kind="stable")
    items = np.array(list(dict.fromkeys([*held.tolist(), *popular.tolist()]))[:max_cols])
    with torch.no_grad():
        scores = result.model.score_rows(torch.as_tensor(users)).double().numpy()[:, items]
    low, high = scores.min(axis=1, keepdims=True), scores.max(axis=1, keepdims=True)
    shade = (scores - low) / np.where(high > low, high - low, 1.0)
    state = _cell_states(result, users, items)
    names = np.array([words("score_hover_none"), words("score_hover_clicked"),
                      words("score_hover_held")], dtype=object)
    user_labels = [_shorten(data.users[u]) for u in users]
    item_labels = [_shorten(data.items[i]) for i in items]
    hover = np.dstack([np.broadcast_to(np.array(user_labels, dtype=object)[:, None], scores.shape),
                       np.broadcast_to(np.array(item_labels, dtype=object)[None, :], scores.shape),
                       np.round(scores, 3).astype(object), names[state]])
    fig.add_trace(go.Heatmap(z=shade, x=list(range(items.size)), y=list(range(users.size)),
                             colorscale="Blues", showscale=False, name=words("score"),
                             customdata=hover,
                             hovertemplate=(f"{words('user')}: %{{customdata[0]}}<br>"
                                            f"{words('item')}: %{{customdata[1]}}<br>"
                                            f"{words('score')}: %{{customdata[2]}}<br>"
                                            "%{customdata[3]}<extra></extra>")))
    n_marks = {}
    for code, trace, symbol, colour in ((1, "interacted", "circle", "#ff7f0e"),
                                        (2, "held out", "star", "#d62728")):
        rows, cols = np.nonzero(state == code)
        n_marks[trace] = int(rows.size)
        name = words("trace.interacted" if code == 1 else "trace.held_out")
        fig.add_trace(go.Scatter(x=cols, y=rows, mode="markers", name=name,
                                 marker=dict(symbol=symbol, size=9 if code == 1 else 15,
                                             color=colour, line=dict(color="white", width=1)),
                                 hoverinfo="skip"))
    _base_layout(fig, words("score_title"), words(
        "score_subtitle", users=users.size, n_users=f"{data.n_users:,}", items=items.size,
        n_items=f"{data.n_items:,}"))
    fig.update_layout(
        # the subtitle says what ● and ★ mean: a legend above the plot ran into it
        height=int(260 + 22 * users.size), showlegend=False, margin=dict(t=100),
        xaxis=dict(tickmode="array", tickvals=list(range(items.size)), ticktext=item_labels,
                   tickangle=-45, title=words("item"), showgrid=False, zeroline=False),
        yaxis=dict(tickmode="array", tickvals=list(range(users.size)), ticktext=user_labels,
                   autorange="reversed", title=words("user"), showgrid=False, zeroline=False))
    fig.layout.meta = {"n_users": int(users.size), "n_items": int(items.size),
                       "n_held_out": n_marks["held out"], "n_interacted": n_marks["interacted"]}
    return fig


def _cell_states(result, users: np.ndarray, items: np.ndarray) -> np.ndarray:
    """0 = no interaction, 1 = a training interaction, 2 = the held-out one, per shown cell."""
    split, data = result.split, result.data
    row = np.full(data.n_users, -1)
    row[users] = np.arange(users.size)
    col = np.full(data.n_items, -1)
    col[items] = np.arange(items.size)
    state = np.zeros((users.size, items.size), dtype=np.int64)
    r, c = row[data.user_idx], col[data.item_idx]
    inside = (r >= 0) & (c >= 0)
    state[r[inside], c[inside]] = np.where(split.is_test[inside], 2, 1)
    return state
