"""Watch it learn, on the Train page: play / pause / step / reset, an epoch counter, the run's
learning rate, and the heatmap and the 2-D map of the model, redrawn while it trains.

The controls work on the *watched* run: the current run, when it was trained on the current
data with the model now chosen; otherwise Play and Step start a new run from the form. Reset
makes a new run from the form at epoch 0 (same seed, same starting weights). The Train, Stop
and Continue buttons of the page stay as they are; every training loop draws its frames
through :meth:`LiveView.frame` (``ui.training.train_live(on_frame=...)``) a few times a second,
and :meth:`LiveView.draw` draws the still picture when nothing trains.

Play trains until Pause (at most the server's epochs in one go), at a chosen pace: a small
matrix trains hundreds of epochs a second, far too fast to watch. Pause stops the loop and
keeps the model (quietly: it is not an interruption); the learning rate can then be changed
and Play or Step go on from there. A change of settings in the middle of a run (learning rate,
or "update after the last epoch" turned on for stepping) is recorded: the exported code writes
a run with one set of settings, so from that epoch on it no longer repeats the run exactly,
and :func:`changes_note` says so.

Matrices of more than ``recsys_core.live.LIVE_MAX_CELLS`` cells (about 50 x 50) keep only the
loss chart live, and the page says so in words.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import replace

import streamlit as st

from recsys_core import figures, limits
from recsys_core.live import LIVE_MAX_CELLS, live_snapshot, step_epoch
from recsys_core.session import Run

from . import cell_explain, classroom_view, present
from . import state as app_state
from .i18n import current_lang, explained, fig_text, run_name, t
from .text import md_escape
from .training import limit_problem, train_live

SPEEDS = (2, 10, 50, 0)  # epochs a second while playing; 0 = as fast as it goes
DEFAULT_SPEED = 10
VIEWS = ("completed", "predicted")
SPEED = "live_speed"  # widget keys
VIEW = "live_view"
LR = "live_lr"
CHART = "live_heatmap_cells"  # the clickable still heatmap (a chart key)
CHANGES = "watch_changes"  # session: {run id: [(epoch, "lr", value) | (epoch, "final_step", 1)]}
LR_FOR = "watch_lr_for"  # what the learning-rate field was last filled from
LANG_SEEN = "watch_lang"  # the language the choice widgets were last drawn in
TRANSLATED = (SPEED, VIEW, classroom_view.PICK)


# ----- which run ----------------------------------------------------------------------------------
def watched(s: MutableMapping, model: str | None = None) -> Run | None:
    """The run the controls act on: the current run, if it can train on (it has a trainer),
    was made from the current data, and is of the chosen model."""
    run = app_state.current_run(s)
    model = model or s.get("model")
    if run is None or run.trainer is None:
        return None
    if run.data_rev != s.get(app_state.DATA_REV) or run.model_name != model:
        return None
    return run


def record_change(s: MutableMapping, run: Run, what: str, value: float) -> None:
    s.setdefault(CHANGES, {}).setdefault(run.id, []).append(
        (run.trainer.epochs_run if run.trainer else 0, what, value))


def changes_note(s: MutableMapping, run: Run | None) -> str:
    """Words about settings changed in the middle of ``run`` ("" when none were)."""
    if run is None:
        return ""
    changes = s.get(CHANGES, {}).get(run.id) or []
    if not changes:
        return ""
    parts = [t("watch.change_lr", lr=f"{value:g}", epoch=epoch) if what == "lr" else
             t("watch.change_step", epoch=epoch) for epoch, what, value in changes]
    return t("watch.changed_note", changes="; ".join(parts))


def code_note(s: MutableMapping, run: Run | None) -> None:
    """Under the exported code: a note when the run's settings changed mid-run."""
    note = changes_note(s, run)
    if note:
        st.warning(note, icon=":material/info:")  # numbers and fixed words only


# ----- callbacks (they run before the page, so they may set widget values) ---------------------
def pause_quietly(s: MutableMapping) -> Run | None:
    """Stop a training loop of this session and keep its model, without the "stopped" notice
    of an interrupted run (the person asked for it)."""
    paused = None
    for run in app_state.runs(s):
        trainer = run.trainer
        if trainer is not None and trainer.status == "running":
            trainer.stop()
            app_state.wait_for_loop(s)
            run.snapshot()
            paused = run
    return paused


def on_pause() -> None:
    pause_quietly(st.session_state)


def on_lr() -> None:
    """The learning-rate field changed: the watched run trains on with it (paused first), or,
    with no run to watch, it becomes the form's learning rate."""
    s = st.session_state
    value = s.get(LR)
    if value is None or not value > 0:
        return
    model = s.get("model")
    run = watched(s, model)
    if run is None:
        if model:
            s[f"tc-{model}-lr"] = float(value)
        return
    pause_quietly(s)
    if float(value) != float(run.trainer.train.lr):
        run.trainer.set_lr(float(value))
        record_change(s, run, "lr", float(value))
        run.preset = None
        if run.result is not None:
            run.snapshot()


def refresh_language(s: MutableMapping) -> None:
    """After a language switch, set the translated choice widgets again (see
    ``ui.i18n.refresh_choices``): call before they are drawn."""
    lang = current_lang(s)
    if s.get(LANG_SEEN) not in (None, lang):
        for key in TRANSLATED:
            if key in s:
                s[key] = s[key]
    s[LANG_SEEN] = lang


class _PlayingText:
    """Stands in for the progress bar while playing: there is no end to show a bar for."""

    def __init__(self, slot, trainer) -> None:
        self.slot, self.trainer = slot, trainer

    def progress(self, value=None, text=None):
        self.slot.caption(t("watch.playing", epoch=f"{self.trainer.epochs_run:,}"))
        return self

    def warning(self, body, **kwargs):
        return self.slot.warning(body, **kwargs)


# ----- the view -----------------------------------------------------------------------------------
class LiveView:
    """The controls row, the loss chart's place, the live heatmap and map, and a cell's
    numbers. Make it where the loss chart goes; :meth:`draw_controls` once the model picker
    is drawn; :meth:`act` when ``action`` is set; :meth:`draw` when nothing trains."""

    def __init__(self, s: MutableMapping) -> None:
        self.s = s
        self.action: str | None = None
        self.run: Run | None = None
        self.ratings = None
        self._drawn = None
        self._drawn_frames = 0
        self.hidden = classroom_view.hidden(s)
        self.controls_box = st.container(key="live_controls")
        left, right = st.columns(2, gap="medium")
        self.speed_box = left.container()
        self.loss_box = left.container(key="loss_chart")
        self.map_box = left.container(key="live_embedding_map")
        self.view_box = right.container()
        self.heat_box = right.container(key="live_heatmap")
        self.cell_box = right.container()
        with self.map_box:
            self.map_slot = st.empty()
        with self.heat_box:  # the still (clickable, keyed) chart and the frames: apart, so
            self.still_slot = st.empty()  # a frame never takes the keyed chart's place
            self.heat_slot = st.empty()
        with self.cell_box:
            self.pick_box = st.container()
            self.cell_slot = st.empty()

    # ----- controls ---------------------------------------------------------------------------
    def draw_controls(self, model: str, ratings) -> None:
        s = self.s
        refresh_language(s)
        self.ratings = ratings
        self.run = run = watched(s, model)
        self._sync_lr(model, run)
        clicked = {}
        with self.controls_box:
            with st.container(horizontal=True, vertical_alignment="bottom"):
                if "play" not in self.hidden:
                    clicked["play"] = st.button(t("watch.play"), key="play", type="primary",
                                                icon=":material/play_arrow:",
                                                help=t("watch.play_help"))
                    st.button(t("watch.pause"), key="pause", icon=":material/pause:",
                              on_click=on_pause, help=t("watch.pause_help"))
                if "step" not in self.hidden:
                    clicked["step"] = st.button(t("watch.step"), key="step",
                                                icon=":material/skip_next:",
                                                help=t("watch.step_help"))
                if "reset" not in self.hidden:
                    clicked["reset"] = st.button(t("watch.reset"), key="reset",
                                                 icon=":material/replay:",
                                                 help=t("watch.reset_help"))
                with st.container(key="epoch_counter", width="content"):
                    self.counter_slot = st.empty()
                if "lr" not in self.hidden:
                    st.number_input(t("watch.live_lr"), min_value=1e-5, max_value=100.0,
                                    step=0.001, format="%g", key=LR, on_change=on_lr,
                                    width=160, help=t("watch.live_lr_help"))
            if run is not None:
                st.caption(t("watch.status_run", run=run_name(run)))
            else:
                st.caption(t("watch.status_new"))
            note = changes_note(s, run)
            if note:
                st.caption(note)
        self._draw_counter(run.trainer.epochs_run if run is not None else 0)
        if "play" not in self.hidden:
            with self.speed_box:
                st.segmented_control(t("watch.speed"), SPEEDS, key=SPEED, required=True,
                                     default=DEFAULT_SPEED, format_func=_speed_name)
        with self.view_box:
            st.segmented_control(t("watch.view"), VIEWS, key=VIEW, required=True,
                                 default="completed", format_func=lambda v: t(f"watch.view_{v}"))
        if run is not None and self._live_size(ratings):
            cell_explain.take_click(s, CHART, ratings)
            with self.pick_box:
                st.caption(t("watch.cell_pick"))
                cell_explain.pickers(s, ratings, width=180)
        self.action = next((name for name, on in clicked.items() if on), None)

    def _sync_lr(self, model: str, run: Run | None) -> None:
        """The learning-rate field shows the watched run's rate (else the form's), and follows
        it when the run changes."""
        if run is not None:
            source, value = (run.id, run.trainer.train.lr), run.trainer.train.lr
        else:
            value = self.s.get(f"tc-{model}-lr")
            source = ("form", model, value)
        if value is None or self.s.get(LR_FOR) == source:
            return
        self.s[LR] = float(value)
        self.s[LR_FOR] = source

    def _draw_counter(self, epoch: int) -> None:
        self.counter_slot.metric(t("watch.epoch_counter"), f"{epoch:,}")

    @staticmethod
    def _live_size(ratings) -> bool:
        return ratings.n_users * ratings.n_items <= LIVE_MAX_CELLS

    # ----- actions ----------------------------------------------------------------------------
    def act(self, make_run: Callable[[], Run | None], problems: list, chart_slot,
            progress_slot) -> None:
        """Do what the clicked control asks, then run the page again to show it. Does not
        return when it worked (``st.rerun``)."""
        action, run = self.action, self.run
        if action == "reset" or run is None:
            if problems:
                progress_slot.error(t("watch.fix_first"))
                return
            refused = limit_problem(self.ratings, 1)
            if refused:
                progress_slot.error(md_escape(explained("problem.limit", refused)))
                return
            if action == "reset":
                self._drop_untrained()
            run = make_run()
            if run is None:
                return
            self.run = run
        if action == "step":
            self._step(run, progress_slot)
        elif action == "play":
            self._play(run, chart_slot, progress_slot)
        st.rerun()

    def _drop_untrained(self) -> None:
        """A Reset after a Reset: the untouched run at epoch 0 is replaced, not kept."""
        runs = app_state.runs(self.s)
        current = app_state.current_run(self.s)
        if current is not None and current.trainer is not None and \
                current.trainer.epochs_run == 0 and current.result is None:
            runs[:] = [r for r in runs if r.id != current.id]

    def _step(self, run: Run, progress_slot) -> None:
        lock = app_state.training_lock(self.s)
        if not lock.acquire(timeout=app_state.HANDOVER_SECONDS):
            progress_slot.warning(t("watch.busy"))
            return
        try:
            limits.apply_thread_limit()
            trainer = run.trainer
            if not trainer.train.final_step:  # else the step would compute but not update
                trainer.train = replace(trainer.train, final_step=True)
                record_change(self.s, run, "final_step", 1)
            run.record_call(1)
            step_epoch(trainer)
            run.snapshot()
            run.preset = None
            self.s[app_state.CURRENT_RUN] = run.id
        finally:
            lock.release()

    def _play(self, run: Run, chart_slot, progress_slot) -> None:
        ratings = run.ratings
        epochs = limits.most_epochs(ratings.n_ratings, limits.LIMITS)
        refused = limit_problem(ratings, epochs)
        if refused:
            progress_slot.error(md_escape(explained("problem.limit", refused)))
            return
        run.preset = None  # an open-ended run is not the lecture's exact set-up
        speed = self.s.get(SPEED, DEFAULT_SPEED)
        train_live(self.s, run, epochs, chart_slot, _PlayingText(progress_slot, run.trainer),
                   on_frame=self.frame, pace=speed or None)

    # ----- drawing ----------------------------------------------------------------------------
    def frame(self, trainer) -> None:
        """One frame while training (called by the training loop a few times a second)."""
        epoch = trainer.epochs_run
        if epoch == self._drawn:
            return
        self._drawn = epoch
        self._draw_counter(epoch)
        ratings = trainer.ratings
        if not self._live_size(ratings):
            self._too_large(ratings)
            return
        snap = live_snapshot(trainer)
        self._charts(ratings, snap.predicted, snap.embeddings, trainer.is_val, epoch)
        run = self.run
        if run is not None and run.trainer is trainer:
            u, i = cell_explain.chosen(self.s, ratings)
            with self.cell_slot.container():
                cell_explain.draw_breakdown(trainer.model, ratings, u, i, compact=True,
                                            code=False)

    def draw(self) -> None:
        """The still picture: the watched run as it is now, or the data before any run."""
        run = self.run
        ratings = run.ratings if run is not None else self.ratings
        if ratings is None:
            return
        if not self._live_size(ratings):
            self._too_large(ratings)
            return
        if run is None:
            fig = figures.heatmap(ratings, None, view="observed", text=fig_text(),
                                  title=t("watch.title_observed"))
            self.heat_slot.plotly_chart(present.chart(fig), width="stretch")
            self.map_slot.info(t("watch.map_none"))
            return
        trainer = run.trainer
        snap = live_snapshot(trainer)
        cell = cell_explain.chosen(self.s, ratings)
        self._charts(ratings, snap.predicted, snap.embeddings, trainer.is_val,
                     trainer.epochs_run, cell=cell)
        with self.cell_slot.container():
            cell_explain.draw_breakdown(trainer.model, ratings, *cell, compact=True)

    def _charts(self, ratings, predicted, embeddings, is_val, epoch: int, cell=None) -> None:
        view = self.s.get(VIEW) or "completed"
        fig = figures.heatmap(ratings, predicted, view=view, is_val=is_val, text=fig_text(),
                              title=t(f"watch.title_{view}", epoch=f"{epoch:,}"))
        fig.layout.meta = {**(fig.layout.meta or {}), "epoch": int(epoch)}
        if cell is not None:  # the still picture: a cell can be clicked
            fig = cell_explain.clickable(fig, ratings, cell)
            self.still_slot.plotly_chart(present.chart(fig), width="stretch", key=CHART,
                                         on_select="rerun", selection_mode="points")
        else:
            if self._drawn_frames == 0:
                self.still_slot.empty()
            self._drawn_frames += 1
            self.heat_slot.plotly_chart(present.chart(fig), width="stretch")
        if embeddings is None or embeddings.empty:
            self.map_slot.info(t("watch.map_none"))
            return
        emb = figures.embedding_map(embeddings, text=fig_text())
        emb.layout.meta = {"epoch": int(epoch)}
        self.map_slot.plotly_chart(present.chart(emb), width="stretch")

    def _too_large(self, ratings) -> None:
        cells = ratings.n_users * ratings.n_items
        self.heat_slot.info(t("watch.too_large", users=f"{ratings.n_users:,}",
                              items=f"{ratings.n_items:,}", cells=f"{cells:,}",
                              most=f"{LIVE_MAX_CELLS:,}"))
        self.map_slot.empty()



def _speed_name(speed: int) -> str:
    return t("watch.speed_max") if not speed else t("watch.speed_n", n=speed)
