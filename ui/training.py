"""The live training loop of the Train page.

The run is put into ``st.session_state`` before the first epoch, and its result snapshot is
refreshed every ``SAVE_EVERY`` seconds, so a click that interrupts the script (Stop, another
widget, a page switch) loses at most that much: ``state.settle_interrupted`` finishes the job
on the next run. The chart and the progress bar are redrawn in placeholders, so they update in
place, at most every ``DRAW_EVERY`` seconds, and less often when drawing costs more or when
several sessions of the server train at the same moment (:func:`draw_gap`): every chart drawn
is also a chart each of their browsers must render, and in a class of thirty the browsers
share the server's time.

``RECSYS_DRAW_WHILE_TRAINING=0`` in the server's environment turns the drawing while training
off (only the progress bar moves; the page's next run draws the finished run as usual): the
app-speed bench (``bench/app_speed.py``) runs a second server so to measure what the live
chart costs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import MutableMapping
from contextlib import contextmanager

from recsys_core.figures import loss_curves
from recsys_core.limits import LIMITS, apply_thread_limit, check_trainable
from recsys_core.session import Run
from recsys_core.training import EpochReport, Tick

from . import present
from .i18n import fig_text, t
from .state import CURRENT_RUN, HANDOVER_SECONDS, TRAINING, training_lock

DRAW_EVERY = 0.2  # seconds between redraws (5 a second at most)
DRAW_SHARE = 0.1  # drawing may take at most this share of a training's time
BROWSER_FACTOR = 3.0
"""What a redraw costs the browser, as a multiple of what it costs the server to send it
(``python -m bench.app_speed``, MovieLens MF with and without drawing: 0.51 s of browser CPU
against 0.19 s of server CPU for the same redraws). The server can time only its own part, and
a browser on the same machine (a laptop running the app for itself) takes its part from the
cores that train."""
SAVE_EVERY = 0.3  # seconds between result snapshots kept in the session
DRAW_SWITCH = "RECSYS_DRAW_WHILE_TRAINING"  # "0": no chart or frames while training

_training_now = 0  # training loops running in this server process, all sessions together
_training_now_lock = threading.Lock()


@contextmanager
def counted_loop():
    """Count this training loop among those running in the server while it runs."""
    global _training_now
    with _training_now_lock:
        _training_now += 1
    try:
        yield
    finally:
        with _training_now_lock:
            _training_now -= 1


def loops_running() -> int:
    return _training_now


def draw_gap(loops: int, draw_seconds: float, paced: bool = False) -> float:
    """Seconds to wait after a redraw before the next one: ``DRAW_EVERY`` for one session
    alone, that times the number of sessions training at once (ten students pressing Train
    together get a frame every two seconds each, not five a second), and never less than
    what keeps drawing, the browser's part included (``BROWSER_FACTOR``), within
    ``DRAW_SHARE`` of the time. ``paced``: training that waits between epochs to be watched
    (Play at 2, 10 or 50 epochs a second) leaves the cores idle anyway, so only the server's
    own drawing time counts and the frames keep coming five a second."""
    cost = draw_seconds * (1 if paced else 1 + BROWSER_FACTOR)
    return max(DRAW_EVERY * max(loops, 1), cost * (1 - DRAW_SHARE) / DRAW_SHARE)


def draw_while_training() -> bool:
    """Whether the training loop redraws the chart and the frames (``DRAW_SWITCH``; on unless
    set to 0, false, no or off). Read at every run, so a test can switch it."""
    return os.environ.get(DRAW_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def draw_loss(slot, history: list[EpochReport]) -> None:
    """Redraw the (unkeyed) chart in its placeholder: an empty history gives empty axes."""
    slot.plotly_chart(present.chart(loss_curves(history, text=fig_text())), width="stretch")


def progress_text(epoch: float, total: int, started: float) -> str:
    elapsed = time.perf_counter() - started
    if epoch < 0.01:
        return t("progress.starting", total=total)
    left = elapsed / epoch * max(total - epoch, 0)
    return t("progress.running", epoch=int(epoch), total=total, elapsed=f"{elapsed:.1f}",
             left=f"{left:.1f}")


def limit_problem(ratings, epochs: int) -> str | None:
    """Why this server refuses to train ``epochs`` epochs on ``ratings``, in words; or None."""
    if ratings is None:
        return None
    return check_trainable(ratings.n_users, ratings.n_items, ratings.n_ratings, int(epochs),
                           LIMITS, source=ratings.source)


BUSY = ("The previous training of this session is still finishing, so this one did not "
        "start. Press the button again in a moment.")


def train_live(state: MutableMapping, run: Run, epochs: int, chart_slot, progress_slot,
               on_frame=None, pace: float | None = None) -> None:
    """Run ``epochs`` more epochs of ``run.trainer``, drawing as it goes. Only one loop of a
    session runs at a time (``state.training_lock``, see ui/state.py). ``on_frame(trainer)``
    draws more of the model (ui/live_view.py) each time the chart is redrawn; ``pace``:
    at most this many epochs a second, so a small model can be watched learning.

    The finished run is not drawn here: every caller runs the page again (``st.rerun``) when
    this returns, and that run draws the still picture; drawing it here as well would send
    every chart twice."""
    lock = training_lock(state)
    if not lock.acquire(timeout=HANDOVER_SECONDS):
        progress_slot.warning(BUSY)
        return
    try:
        with counted_loop():
            _train_live(state, run, epochs, chart_slot, progress_slot, on_frame, pace)
    finally:
        lock.release()


def _train_live(state: MutableMapping, run: Run, epochs: int, chart_slot, progress_slot,
                on_frame=None, pace: float | None = None) -> None:
    apply_thread_limit()
    trainer = run.trainer
    run.record_call(epochs)  # the exported code repeats every press of Train / Continue
    state[TRAINING] = run.id
    state[CURRENT_RUN] = run.id
    started = time.perf_counter()
    last_save = 0.0
    # the first redraw comes a gap after the start: a training shorter than that (the
    # lecture's 100 epochs) is drawn only by the page's next run, which spares every browser
    # on the server a chart render when a class trains at once
    last_draw, gap = started, draw_gap(loops_running(), 0.0)
    done = 0.0
    drawn = -1  # epochs in the chart drawn last: the same figure twice in a run is refused
    draw = draw_while_training()
    bar = progress_slot.progress(0.0, text=progress_text(0, epochs, started))
    for event in trainer.run(epochs):
        now = time.perf_counter()
        if isinstance(event, EpochReport):
            done += 1
            if pace:  # wait for the epoch's turn
                time.sleep(max(0.0, started + done / pace - time.perf_counter()))
                now = time.perf_counter()
        elif isinstance(event, Tick):
            done = int(done) + event.batches_done / max(event.batches_total, 1)
        if isinstance(event, EpochReport) and now - last_save >= SAVE_EVERY:
            run.snapshot()
            last_save = now
        if now - last_draw >= gap:
            bar.progress(min(done / epochs, 1.0), text=progress_text(done, epochs, started))
            if draw and len(trainer.history) != drawn:
                draw_loss(chart_slot, trainer.history)
                drawn = len(trainer.history)
            if draw and on_frame is not None:
                on_frame(trainer)
            last_draw = time.perf_counter()
            gap = draw_gap(loops_running(), last_draw - now, paced=bool(pace))
    run.snapshot()
    state[TRAINING] = None
    bar.progress(min(done / max(epochs, 1), 1.0), text=progress_text(done, epochs, started))
