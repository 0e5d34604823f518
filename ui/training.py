"""The live training loop of the Train page.

The run is put into ``st.session_state`` before the first epoch, and its result snapshot is
refreshed every ``SAVE_EVERY`` seconds, so a click that interrupts the script (Stop, another
widget, a page switch) loses at most that much: ``state.settle_interrupted`` finishes the job
on the next run. The chart and the progress bar are redrawn at most ``DRAW_EVERY`` seconds
apart, in placeholders, so they update in place.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping

from recsys_core.figures import loss_curves
from recsys_core.session import Run
from recsys_core.training import EpochReport, Tick

from .state import CURRENT_RUN, TRAINING

DRAW_EVERY = 0.2  # seconds between redraws (5 a second at most)
SAVE_EVERY = 0.3  # seconds between result snapshots kept in the session


def draw_loss(slot, history: list[EpochReport]) -> None:
    """Redraw the (unkeyed) chart in its placeholder: an empty history gives empty axes."""
    slot.plotly_chart(loss_curves(history), width="stretch")


def progress_text(epoch: float, total: int, started: float) -> str:
    elapsed = time.perf_counter() - started
    if epoch < 0.01:
        return f"Epoch 0 of {total} · starting"
    left = elapsed / epoch * max(total - epoch, 0)
    return (f"Epoch {int(epoch)} of {total} · {elapsed:.1f} s so far · "
            f"about {left:.1f} s left")


def train_live(state: MutableMapping, run: Run, epochs: int, chart_slot, progress_slot) -> None:
    """Run ``epochs`` more epochs of ``run.trainer``, drawing as it goes."""
    trainer = run.trainer
    state[TRAINING] = run.id
    state[CURRENT_RUN] = run.id
    started = time.perf_counter()
    last_draw = last_save = 0.0
    done = 0.0
    drawn = -1  # epochs in the chart drawn last: the same figure twice in a run is refused
    bar = progress_slot.progress(0.0, text=progress_text(0, epochs, started))
    for event in trainer.run(epochs):
        now = time.perf_counter()
        if isinstance(event, EpochReport):
            done += 1
        elif isinstance(event, Tick):
            done = int(done) + event.batches_done / max(event.batches_total, 1)
        if isinstance(event, EpochReport) and now - last_save >= SAVE_EVERY:
            run.snapshot()
            last_save = now
        if now - last_draw >= DRAW_EVERY:
            bar.progress(min(done / epochs, 1.0), text=progress_text(done, epochs, started))
            if len(trainer.history) != drawn:
                draw_loss(chart_slot, trainer.history)
                drawn = len(trainer.history)
            last_draw = time.perf_counter()
    run.snapshot()
    state[TRAINING] = None
    bar.progress(min(done / max(epochs, 1), 1.0), text=progress_text(done, epochs, started))
    if len(trainer.history) != drawn:
        draw_loss(chart_slot, trainer.history)
