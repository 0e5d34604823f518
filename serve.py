"""``python serve.py [streamlit options]``: ``streamlit run app.py``, with the heavy imports
done while the first browser is still loading the page.

Streamlit imports nothing of the app until a browser connects: the first visitor's first
script run then imports torch, pandas and plotly (about 1.5 s of this 2-core machine) after
the browser has spent its own second or more loading Streamlit's scripts. Here a background
thread does those imports as soon as the server process starts, in the time the browser needs
anyway (measured by ``python -m bench.app_speed``: about 0.6 s less from server start to the
first page drawn). Nothing of a session is touched: only modules are loaded, which Python then
keeps for every script run, as it does after the first. ``make run`` starts the
app this way; ``streamlit run app.py`` works as well, only the first page takes longer.

Python's cyclic garbage collector is off until those imports are done (Streamlit's own start
runs meanwhile, importing as well). Importing creates hundreds of thousands of objects, few of
them garbage, and with the collector on each 700 new objects set off a collection that walks the
young ones, every tenth one the middle generation, and now and then everything made so far: the
server's imports took 2.26 s instead of 2.67 s with it off (medians of six fresh processes), and
the first page came 0.5 to 1.0 s sooner (timed as ``bench.app_speed``'s figure 1, alternating,
five and six starts). Once done, ``gc.freeze()`` moves what the imports made out of the
collector's sight for good (modules, classes and functions stay for the life of the server), so
the collections that run during each script run no longer walk them either. What garbage
the imports left is kept with them: the started server holds 351 MB against 349 MB.
"""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def warm_up() -> None:
    """Import what the Train page needs on its first run, then turn the garbage collector
    back on (``main`` turned it off) with all that was imported frozen out of its sight. Only
    imports: drawing a figure or training an epoch here as well was measured slower, as it
    competes for the 2 cores with the browser that is loading the page at the same moment."""
    try:
        import plotly.graph_objects  # noqa: F401
        import torch  # noqa: F401

        import recsys_core.results.figures  # noqa: F401
        import recsys_core.training.trainer  # noqa: F401
        import ui.live_view  # noqa: F401
        import ui.training  # noqa: F401

        first_use_costs()
    finally:
        gc.freeze()
        gc.enable()


def first_use_costs() -> None:
    """What the first script run paid on its first use of two things, besides imports
    (cProfile of the Train page's first run, 2026-12-02: 0.96 s, then 0.11 s a run):
    Streamlit compiles its pattern of every emoji when a segmented control first looks for a
    leading icon (0.32 s: the sidebar's language switch), and plotly reads and builds its
    ``plotly_white`` template when a figure first asks for it (0.13 s). Done here, the first
    script run is shorter by that much; the first page as a whole did not move beyond the
    noise (``bench.app_speed``: the browser's own loading is most of it)."""
    import plotly.io as pio
    from streamlit import string_util

    from recsys_core.results.figures import TEMPLATE

    string_util.extract_leading_icon("한국어")  # an ASCII label would skip the pattern
    _ = pio.templates[TEMPLATE]


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    gc.disable()  # until warm_up is done: see this module's docstring
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
