"""Pay torch's one-time optimiser cost once a page has been drawn, not at the first Train click.

The first ``torch.optim`` optimiser a process makes (and its first ``step()``) imports
``torch._dynamo``, the compiler: about 800 modules, some 0.8 s of a core
(``recsys_core/fast_adam.py`` says how it was found). The lecture's runs and every small
matrix train with ``torch.optim`` (that is what keeps the lecture's numbers exact), so the
first Train click of a fresh server paid it. :func:`after_first_page` pays it in a background
thread once the first page's script has run: by then the browser only draws, and the first
click, seconds later, finds it done. Not earlier (``serve.py`` warms imports while the page
loads): importing the compiler beside the first page slowed that page down.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
started: threading.Thread | None = None  # the warm-up thread, once started


def optimiser_step() -> None:
    """One step of a throwaway Adam: imports what every later optimiser needs."""
    import torch

    weight = torch.zeros(1, requires_grad=True)
    weight.grad = torch.zeros(1)
    torch.optim.Adam([weight], lr=0.1).step()


def after_first_page() -> None:
    """Start :func:`optimiser_step` in the background, once per server process."""
    global started
    with _lock:
        if started is None:
            started = threading.Thread(target=optimiser_step, name="warm-optimiser",
                                       daemon=True)
            started.start()
