"""Watch it learn, on the Train page: the loss chart's place, and the heatmap and the 2-D map
of the model beside it, redrawn while it trains; a cell's arithmetic under them.

The buttons that train are the control bar's (``ui/control_bar.py``); every training draws its
frames through :meth:`LiveView.frame` (the run service's observer, ``ui.training.LiveDrawer``,
calls it a few times a second), and :meth:`LiveView.draw` draws the still picture when nothing
trains: the current run as it is now, when it was trained on the current data, else the data
before any run.

Settings changed in the middle of a run (the learning rate, or "update after the last epoch"
turned on by Step) are kept on the run (``Run.changes``): the exported code writes a run with
one set of settings, so from that epoch on it no longer repeats the run exactly, and
:func:`changes_note` says so.

Matrices of more than ``recsys_core.training.live.LIVE_MAX_CELLS`` cells (about 50 x 50) keep only the
loss chart live, and the page says so in words.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import streamlit as st

from recsys_core.results import figures
from recsys_core.training.live import LIVE_MAX_CELLS, live_snapshot
from recsys_core.training.session import Run

from . import cell_explain, classroom_view, present
from . import state as app_state
from .control_bar import SPEED
from .i18n import N_, _, current_lang, fig_text

VIEWS = ("completed", "predicted")
VIEW_WORDS = {"completed": N_("Completed"), "predicted": N_("All predictions")}
TITLES = {"completed": N_("Completed matrix at epoch {epoch}"),
          "predicted": N_("Predictions at epoch {epoch}")}
NO_MAP = N_("The map of learned tastes appears once there is a model: press Train, Step or "
            "Reset.")
VIEW = "live_view"  # widget key
CHART = "live_heatmap_cells"  # the clickable still heatmap (a chart key)
LANG_SEEN = "watch_lang"  # the language the choice widgets were last drawn in
TRANSLATED = (SPEED, VIEW, classroom_view.PICK)


# ----- which run ----------------------------------------------------------------------------------
def shown(s: MutableMapping) -> Run | None:
    """The run the heatmap and the map show: the current run, if it can train (it has a
    trainer) and was made from the current data."""
    run = app_state.current_run(s)
    if run is None or run.trainer is None or run.task != "ratings" or \
            run.data_rev != s.get(app_state.DATA_REV):
        return None
    return run


def changes_note(s: MutableMapping, run: Run | None) -> str:
    """Words about settings changed in the middle of ``run`` ("" when none were)."""
    changes = run.changes if run is not None else []
    if not changes:
        return ""
    parts = [_("learning rate {lr} from epoch {epoch}", lr=f"{value:g}", epoch=epoch)
             if what == "lr" else
             _("\"update after the last epoch\" turned on at epoch {epoch} (for stepping)",
               epoch=epoch) for epoch, what, value in changes]
    return _("Changed during this run: {changes}. The exported code (Results → Show the code) "
             "trains the whole run with the last settings, so from there on it no longer repeats "
             "this run exactly.", changes="; ".join(parts))


def code_note(s: MutableMapping, run: Run | None) -> None:
    """Under the exported code: a note when the run's settings changed mid-run."""
    note = changes_note(s, run)
    if note:
        st.warning(note, icon=":material/info:")  # numbers and fixed words only


def refresh_language(s: MutableMapping) -> None:
    """After a language switch, set the translated choice widgets again (see
    ``ui.i18n.refresh_choices``): call before they are drawn (the Train page does, before its
    control bar, whose speed choice is one of them)."""
    lang = current_lang(s)
    if s.get(LANG_SEEN) not in (None, lang):
        for key in TRANSLATED:
            if key in s:
                s[key] = s[key]
    s[LANG_SEEN] = lang


class LiveView:
    """The loss chart's place, the live heatmap and map, and a cell's numbers. Make it where
    the loss chart goes; :meth:`prepare` once the data is known; :meth:`draw` when nothing
    trains. ``counter(epoch)`` draws the epoch counter (the control bar's)."""

    def __init__(self, s: MutableMapping, counter=None) -> None:
        self.s = s
        self.run: Run | None = None
        self.ratings = None
        self.counter = counter or (lambda epoch: None)
        self._drawn = None
        self._drawn_frames = 0
        left, right = st.columns(2, gap="medium")
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

    def prepare(self, ratings) -> None:
        """The heatmap's view choice and, with a run to show, the cell pickers."""
        s = self.s
        self.ratings = ratings
        self.run = run = shown(s)
        self.counter(run.trainer.epochs_run if run is not None else 0)
        with self.view_box:
            st.segmented_control(_("Heatmap"), VIEWS, key=VIEW, required=True,
                                 default="completed", format_func=lambda v: _(VIEW_WORDS[v]),
                                 persist_state="session")
        if run is not None and self._live_size(ratings):
            cell_explain.take_click(s, CHART, ratings)
            with self.pick_box:
                st.caption(_("A cell's arithmetic: click the heatmap or pick a user and an item."))
                cell_explain.pickers(s, ratings, width=180)

    @staticmethod
    def _live_size(ratings) -> bool:
        return ratings.n_users * ratings.n_items <= LIVE_MAX_CELLS

    # ----- drawing ----------------------------------------------------------------------------
    def frame(self, trainer) -> None:
        """One frame while training (called by the training loop a few times a second)."""
        epoch = trainer.epochs_run
        if epoch == self._drawn:
            return
        self._drawn = epoch
        self.counter(epoch)
        ratings = trainer.ratings
        if not self._live_size(ratings):
            self._too_large(ratings)
            return
        snap = live_snapshot(trainer)
        self._charts(ratings, snap.predicted, snap.embeddings, trainer.is_val, epoch)
        if self.run is None or self.run.trainer is not trainer:  # a new run: it is shown now
            self.run = next((r for r in app_state.runs(self.s) if r.trainer is trainer), None)
        run = self.run
        if run is not None and run.trainer is trainer:
            u, i = cell_explain.chosen(self.s, ratings)
            with self.cell_slot.container():
                cell_explain.draw_breakdown(trainer.model, ratings, u, i, compact=True)

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
                                  title=_("The ratings, before training"))
            self.heat_slot.plotly_chart(present.chart(fig), width="stretch")
            self.map_slot.info(_(NO_MAP))
            return
        trainer = run.trainer
        snap = live_snapshot(trainer)
        cell = cell_explain.chosen(self.s, ratings)
        self._charts(ratings, snap.predicted, snap.embeddings, trainer.is_val,
                     trainer.epochs_run, cell=cell)
        with self.cell_slot.container():
            cell_explain.draw_breakdown(trainer.model, ratings, *cell, compact=True,
                                        code="watch_cell_code")

    def _charts(self, ratings, predicted, embeddings, is_val, epoch: int, cell=None) -> None:
        view = self.s.get(VIEW) or "completed"
        fig = figures.heatmap(ratings, predicted, view=view, is_val=is_val, text=fig_text(),
                              title=_(TITLES[view], epoch=f"{epoch:,}"))
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
            self.map_slot.info(_(NO_MAP))
            return
        emb = figures.embedding_map(embeddings, text=fig_text())
        emb.layout.meta = {"epoch": int(epoch)}
        self.map_slot.plotly_chart(present.chart(emb), width="stretch")

    def _too_large(self, ratings) -> None:
        cells = ratings.n_users * ratings.n_items
        self.heat_slot.info(_("The matrix has {users} users x {items} items = {cells} cells, "
                              "more than the {most} (about 50 x 50) that can be redrawn several "
                              "times a second: only the loss chart moves while training. The "
                              "heatmap and the map are on the Results page when training stops.",
                              users=f"{ratings.n_users:,}", items=f"{ratings.n_items:,}",
                              cells=f"{cells:,}", most=f"{LIVE_MAX_CELLS:,}"))
        self.map_slot.empty()
