"""Projector mode: large type and the whole screen width for a classroom, one switch.

The switch (sidebar, key ``projector``) injects one fixed style sheet with ``st.html``. The
style sheet is a constant of this module: no user-supplied text (labels, file names, URL
parameters) ever goes into it. Charts get larger fonts through :func:`chart`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

PROJECTOR = "projector"  # session key and widget key of the switch
BASE_FONT_PX = 22  # Streamlit sizes text in rem, so one root size scales the whole page
NARROW_FONT_PX = 18  # a projector of 1100 px or less: large, but buttons keep their words
CHART_FONT = 19
PROJECTOR_CSS = f"""<style>
html {{ font-size: {BASE_FONT_PX}px !important; }}
@media (max-width: 1100px) {{ html {{ font-size: {NARROW_FONT_PX}px !important; }} }}
[data-testid="stMainBlockContainer"] {{
  max-width: 100% !important; padding-left: 2.5rem !important; padding-right: 2.5rem !important;
}}
[data-testid="stSidebar"] {{ font-size: 1rem; }}
</style>"""


def projector_on(state: Mapping) -> bool:
    return bool(state.get(PROJECTOR))


def apply(state: Mapping) -> None:
    """Inject the projector style sheet when the switch is on (call once per script run)."""
    if projector_on(state):
        import streamlit as st

        st.html(PROJECTOR_CSS)


PLOT_WIDTH_PX = 900
"""The width a full-width chart gets in projector mode on a 1280 px screen (sidebar open)."""
MAP_LABELS = 24
"""More names than this on the embedding map crowd it at projector size: hover shows them.
Fewer keep the map's own size and placement (``figures.MAP_LABEL_PX``, no two overlap)."""
SMALLEST_CELL_FONT = 10
"""Cell values that would have to be smaller than this to fit their cells are left to hover."""


def chart(fig, state: Mapping | None = None, width_px: int = PLOT_WIDTH_PX):
    """``fig`` with projector-sized fonts when the switch is on; unchanged otherwise.

    Larger type must not make a chart harder to read (issue 13: at 1280 px the heatmap's
    values ran into each other, titles were cut, map names piled up), so: cell values get the
    largest size that fits their cells, or are left to the hover box; a title too long for
    ``width_px`` is wrapped; a map with more than ``MAP_LABELS`` names keeps them in the hover.
    """
    if state is None:
        import streamlit as st

        state = st.session_state
    if not projector_on(state):
        return fig
    fig.update_layout(font=dict(size=CHART_FONT), title_font_size=CHART_FONT + 6,
                      legend_font_size=CHART_FONT - 2)
    if fig.layout.margin.autoexpand is False:  # margins worked out for the normal type
        fig.update_layout(margin_autoexpand=True)  # (the heatmap's): plotly grows them
    _wrap_title(fig, CHART_FONT + 6, width_px)
    _fit_cell_text([t for t in fig.data if t.type == "heatmap"], width_px)
    _enlarge_tick_labels(fig)
    _thin_map_labels(fig)
    if fig.layout.height:
        fig.update_layout(height=int(fig.layout.height * 1.25))
    return fig


def text_width(text: str, font_px: float) -> float:
    """Rough pixels a line takes: Hangul and other wide letters about one em, others 0.6."""
    import unicodedata

    return sum(font_px if unicodedata.east_asian_width(c) in "WF" else 0.6 * font_px
               for c in text)


def _wrap(text: str, font_px: float, width_px: int) -> list[str]:
    """``text`` in lines no wider than ``width_px`` (at spaces; a long word stays whole)."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, font_px) > width_px:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def _wrap_title(fig, font_px: int, width_px: int) -> None:
    """The title and its subtitle wrapped to the chart's width, and the top margin grown to
    hold their lines, so neither is cut nor runs over the plot."""
    title = fig.layout.title.text
    if not title or "<br>" in title:
        return
    sub_px = CHART_FONT - 3
    lines = _wrap(title, font_px, width_px - 40)
    fig.layout.title.text = "<br>".join(lines)
    sub = fig.layout.title.subtitle.text if fig.layout.title.subtitle else None
    sub_lines = _wrap(sub, sub_px, width_px - 40) if sub else []
    if sub:
        fig.layout.title.subtitle.text = "<br>".join(sub_lines)
        fig.layout.title.subtitle.font.size = sub_px
    needed = int(20 + 1.3 * (font_px * len(lines) + sub_px * len(sub_lines)) + 20)
    if (fig.layout.margin.t or 0) < needed:
        fig.update_layout(margin_t=needed)


def _fit_cell_text(layers, width_px: int) -> None:
    """The cell values as large as their cells allow, at most the projector's size; one size
    for every layer (a rated "4.02" beside a predicted "(3.41)")."""
    written = [t for t in layers if t.texttemplate not in (None, "") or t.text is not None]
    if not written:
        return
    columns = max(len(t.x) if t.x is not None else len(t.z[0]) for t in written)
    cell_px = (width_px - 220) / max(columns, 1)  # minus labels and colour bar
    longest = max([6] + [len(str(v)) for t in written if t.text is not None
                         for v in np.asarray(t.text, dtype=object).ravel()])
    size = int(cell_px / (0.62 * longest))
    for trace in written:
        if size < SMALLEST_CELL_FONT:
            trace.update(texttemplate="", text=None)
        else:
            trace.update(textfont_size=min(CHART_FONT - 3, size))


def _enlarge_tick_labels(fig) -> None:
    """Axes whose tick labels were sized to their cells (a heatmap's users and items) grow by
    half, up to the projector's size: one label a cell still fits on the larger chart."""
    for name in [k for k in fig.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        axis = fig.layout[name]
        if axis.tickfont and axis.tickfont.size:
            axis.tickfont.size = int(min(CHART_FONT - 3, axis.tickfont.size * 1.5))


def _thin_map_labels(fig) -> None:
    labelled = [t for t in fig.data if t.type == "scatter" and t.mode and "text" in t.mode]
    if sum(len(t.x) for t in labelled if t.x is not None) > MAP_LABELS:
        for trace in labelled:
            trace.update(mode=trace.mode.replace("+text", "").replace("text+", ""), text=None)
