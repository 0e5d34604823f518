"""Sections of a page that are made only while someone has them open.

A collapsed ``st.expander`` still gets all of its content: Streamlit sends every element
inside it and the browser builds every widget, seen or not. On MovieLens latest-small
(610 x 9,724) the Results page's what-if and "how one cell is predicted" sections each held
a picker of all 9,724 item titles (about 270 KB apiece); leaving those two out of the page
until opened took the browser's CPU for opening Results from 2.7 s to 1.5 s (profiled with
``bench.app_speed``'s method, 2026-12-01). An expander made with ``on_change="rerun"`` tells
the script whether it is open, so what it holds can wait until it is.
"""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st


@contextmanager
def folded(label: str, key: str, *, lazy: bool, icon: str | None = None,
           expanded: bool = False):
    """An expander under ``label``. When ``lazy`` its content is made only while it is open
    (opening or closing it reruns the page); otherwise it is always made, as a plain expander
    does. Yields whether to draw the content (inside the expander)."""
    panel = st.expander(label, icon=icon, key=key, expanded=expanded,
                        on_change="rerun" if lazy else "ignore")
    if lazy and not panel.open:
        yield False
        return
    with panel:
        yield True


@contextmanager
def on_demand(label: str, key: str, large: bool, icon: str | None = None):
    """A section of the page. On a small matrix it is drawn straight away under ``label``; on a
    large one (MovieLens: 610 x 9,724) it sits in a closed panel and is made only while the
    reader has it open, so the page opens in seconds instead of drawing every chart at once.
    Yields whether to draw the section's content."""
    if not large:
        st.subheader(label)
        yield True
        return
    with folded(label, key, lazy=True, icon=icon) as shown:
        yield shown
