"""Drawing training as it goes, on the Train and Results pages.

Every training goes through the session's run service (``recsys_core/run_service.py``), which
keeps the run in ``st.session_state`` from before its first epoch and refreshes its result
snapshot every ``SAVE_EVERY`` seconds, so a click that interrupts the script (another widget, a
page switch) loses at most that much: ``state.settle_interrupted`` finishes the job on the next
run. What this module adds is the drawing: :class:`LiveDrawer` is the service's observer; it
redraws the chart and the progress bar in placeholders, so they update in place, at most every
``DRAW_EVERY`` seconds, and less often when drawing costs more or when several sessions of the
server train at the same moment (:func:`draw_gap`): every chart drawn is also a chart each of
their browsers must render, and in a class of thirty the browsers share the server's time.

``RECSYS_DRAW_WHILE_TRAINING=0`` in the server's environment turns the drawing while training
off (only the progress bar moves; the page's next run draws the finished run as usual): the
app-speed bench (``bench/app_speed.py``) runs a second server so to measure what the live
chart costs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, MutableMapping
from contextlib import contextmanager

from recsys_core import limits
from recsys_core.results.figures import loss_curves, ranking_curves
from recsys_core.training.run_service import Busy, Progress, Refused
from recsys_core.training.session import Run
from recsys_core.training.trainer import EpochReport

from . import present
from .i18n import _, explained, fig_text, message_of
from .state import service
from .text import md_escape

DRAW_EVERY = 0.2  # seconds between redraws (5 a second at most)
DRAW_SHARE = 0.1  # drawing may take at most this share of a training's time
BROWSER_FACTOR = 3.0
"""What a redraw costs the browser, as a multiple of what it costs the server to send it
(``python -m bench.app_speed``, MovieLens MF with and without drawing: 0.51 s of browser CPU
against 0.19 s of server CPU for the same redraws). The server can time only its own part, and
a browser on the same machine (a laptop running the app for itself) takes its part from the
cores that train."""
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
    (at 2, 10 or 50 epochs a second) leaves the cores idle anyway, so only the server's
    own drawing time counts and the frames keep coming five a second."""
    cost = draw_seconds * (1 if paced else 1 + BROWSER_FACTOR)
    return max(DRAW_EVERY * max(loops, 1), cost * (1 - DRAW_SHARE) / DRAW_SHARE)


def draw_while_training() -> bool:
    """Whether the training loop redraws the chart and the frames (``DRAW_SWITCH``; on unless
    set to 0, false, no or off). Read at every run, so a test can switch it."""
    return os.environ.get(DRAW_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def draw_loss(slot, history: list[EpochReport], ranking: bool = False) -> None:
    """Redraw the (unkeyed) chart in its placeholder: an empty history gives empty axes.
    ``ranking``: the ranking task's chart, the loss beside HR@10 and NDCG@10."""
    curves = ranking_curves if ranking else loss_curves
    slot.plotly_chart(present.chart(curves(history, text=fig_text())), width="stretch")


def progress_text(epoch: float, total: int, started: float) -> str:
    elapsed = time.perf_counter() - started
    if epoch < 0.01:
        return _("Epoch 0 of {total} · starting", total=total)
    left = elapsed / epoch * max(total - epoch, 0)
    return _("Epoch {epoch} of {total} · {elapsed} s so far · about {left} s left",
             epoch=int(epoch), total=total, elapsed=f"{elapsed:.1f}", left=f"{left:.1f}")


def limit_problem(ratings, epochs: int) -> str | None:
    """Why this server refuses to train ``epochs`` epochs on ``ratings``, in words; or None."""
    if ratings is None:
        return None
    return limits.check_trainable(ratings.n_users, ratings.n_items, ratings.n_ratings,
                                  int(epochs), limits.LIMITS, form=ratings.file_form)


class LiveDrawer:
    """The run service's observer on a page: the progress bar in ``progress_slot``, the loss
    chart in ``chart_slot`` and ``on_frame(trainer)`` (the live heatmap and map,
    ui/live_view.py), redrawn a few times a second at most (:func:`draw_gap`).

    The finished run is not drawn here: every caller runs the page again (``st.rerun``) when
    the training returns, and that run draws the still picture; drawing it here as well would
    send every chart twice. Without a ``chart_slot`` (a what-if, tuning) only the bar moves."""

    def __init__(self, chart_slot, progress_slot, on_frame: Callable | None = None,
                 text: Callable[[Progress, float], str] | None = None, bar=None) -> None:
        self.chart_slot, self.progress_slot, self.on_frame = chart_slot, progress_slot, on_frame
        self.text = text or (lambda p, started: progress_text(p.done, p.total, started))
        self.draw = draw_while_training()
        self.started = time.perf_counter()
        self.bar = bar  # a progress bar drawn already (else one is made at the first event)
        self.drawn = -1  # epochs in the chart drawn last: the same figure twice in a run is refused
        # the first redraw comes a gap after the start: a training shorter than that (the
        # lecture's 100 epochs) is drawn only by the page's next run, which spares every
        # browser on the server a chart render when a class trains at once
        self.last_draw, self.gap = self.started, draw_gap(loops_running(), 0.0)

    def __call__(self, progress: Progress) -> None:
        if self.bar is None:  # the first event: the bar at 0
            self.started = self.last_draw = time.perf_counter()
            self.bar = self.progress_slot.progress(0.0, text=self.text(progress, self.started))
        now = time.perf_counter()
        last = progress.done >= progress.total
        if now - self.last_draw < self.gap and not (last and progress.kind == "tune"):
            if last:  # the bar ends full, without a chart (see the class's notes)
                self.bar.progress(progress.fraction, text=self.text(progress, self.started))
            return
        self.bar.progress(progress.fraction, text=self.text(progress, self.started))
        run = progress.run
        trainer = run.trainer if run is not None else None
        if self.draw and self.chart_slot is not None and trainer is not None and \
                len(trainer.history) != self.drawn:
            draw_loss(self.chart_slot, trainer.history, ranking=run.task == "ranking")
            self.drawn = len(trainer.history)
        if self.draw and trainer is not None and self.on_frame is not None:
            self.on_frame(trainer)
        self.last_draw = time.perf_counter()
        self.gap = draw_gap(loops_running(), self.last_draw - now, paced=progress.paced)


def guarded(job: Callable[[], object], slot) -> bool:
    """Run ``job`` (a call into the run service) inside :func:`counted_loop`; a refusal by the
    server's limits or a busy session is said in ``slot``. Returns True when it ran."""
    try:
        with counted_loop():
            job()
    except Refused as err:
        slot.error(md_escape(explained(message_of(err))))
        return False
    except Busy:
        slot.warning(_("The previous training of this session is still finishing; press the "
                       "button again in a moment."))
        return False
    return True


def train_live(state: MutableMapping, run: Run, epochs: int, chart_slot, progress_slot,
               on_frame=None, pace: float | None = None) -> bool:
    """Run ``epochs`` more epochs of ``run`` through the session's run service, drawing as it
    goes (``on_frame(trainer)``: more of the model, a few times a second; ``pace``: at most
    this many epochs a second). Returns True when it trained."""
    drawer = LiveDrawer(chart_slot, progress_slot, on_frame)
    return guarded(lambda: service(state).train(run, epochs, observer=drawer, pace=pace),
                   progress_slot)
