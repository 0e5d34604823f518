"""Projector mode: large type and the whole screen width for a classroom, one switch.

The switch (sidebar, key ``projector``) injects one fixed style sheet with ``st.html``. The
style sheet is a constant of this module: no user-supplied text (labels, file names, URL
parameters) ever goes into it. Charts get larger fonts through :func:`chart`.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def chart(fig, state: Mapping | None = None):
    """``fig`` with projector-sized fonts when the switch is on; unchanged otherwise."""
    if state is None:
        import streamlit as st

        state = st.session_state
    if not projector_on(state):
        return fig
    fig.update_layout(font=dict(size=CHART_FONT), title_font_size=CHART_FONT + 6,
                      legend_font_size=CHART_FONT - 2)
    fig.update_traces(textfont_size=CHART_FONT - 3, selector=dict(type="heatmap"))
    fig.update_traces(textfont_size=CHART_FONT - 3, selector=dict(type="scatter"))
    if fig.layout.height:
        fig.update_layout(height=int(fig.layout.height * 1.25))
    return fig
