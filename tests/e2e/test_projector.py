"""Projector mode at a projector's 1280 px, in a real browser: larger, and still readable."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import goto, nav, settle, top_of

pytestmark = pytest.mark.e2e

CELL_TEXT = """(key) => { const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const layer = el._fullData.find(t => t.type === 'heatmap' && t.texttemplate);
    const columns = layer.z[0].length;
    const cell = el._fullLayout.xaxis._length / columns;
    const widest = Math.max(...Array.from(el.querySelectorAll('.heatmaplayer text'))
        .map(t => t.getBoundingClientRect().width), 0);
    return {font: layer.textfont.size, cell, widest, columns}; }"""

MAP_NAMES = """() => { const el = document.querySelector('.st-key-embedding_map .js-plotly-plot');
    return Array.from(el.querySelectorAll('.textpoint text')).filter(t => t.textContent)
        .map(t => { const r = t.getBoundingClientRect();
                    return [r.left, r.top, r.right, r.bottom, t.textContent]; }); }"""


def _apart(a, b) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_projector_heatmap_values_fit_their_cells_and_map_names_do_not_pile_up(
        new_page, server_url, locale):
    """Issue 13: at 1280 px the values ran together ("3.94.02.4"), map names piled up."""
    page = new_page(locale, width=1280, height=900)
    goto(page, f"{server_url}/train")
    page.click(".st-key-projector label")
    settle(page)
    page.click(".st-key-train button")
    settle(page, 1000)
    nav(page, "results")
    top_of(page, ".st-key-heatmap")
    cells = page.evaluate(CELL_TEXT, "heatmap")
    assert cells["font"] >= 12, cells  # projector-sized
    assert 0 < cells["widest"] <= cells["cell"], cells  # "(3.41)" inside its cell
    top_of(page, ".st-key-embedding_map")
    names = page.evaluate(MAP_NAMES)
    assert len(names) >= 8, names
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert _apart(a, b), (a[4], b[4])
