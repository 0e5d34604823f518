"""The Train page's control bar, in the spirit of TensorFlow Playground: one way to train.

    [▶ Train] [⏸ Pause] [⏭ Step] [↺ Reset]   Epoch 240   Speed [2/s 10/s 50/s full]
    Model [MF]   Embedding size k [2]   Epochs to train [200]   Learning rate [0.05]
    Train goes on with #1 MF from epoch 240: its model, settings and data are unchanged. ...

- **Train** (key ``train``) goes on with the current run when nothing it was made from
  changed, and starts a new run when the model, a setting or the data changed;
- **Pause** (key ``stop``) ends the training after its batch and keeps the partial model and
  its history (a callback: it runs before the page, while the old script still trains);
- **Step** (key ``step``) trains one epoch of the run Train would train;
- **Reset** (key ``reset``) makes a new run at epoch 0 (the same seed, the same start);
- the epochs field is the form's (``tc-<model>-epochs``): how far the next press goes; the
  speed (``live_speed``) how fast, full speed by default.

Which run they act on is one rule, :meth:`recsys_core.training.run_service.RunService.plan`, said in
words under the bar (:func:`rule_text`) before a press and, after it, what the press did
(:func:`outcome_text`). The settings people change most (the model, the embedding size, the
epochs and the learning rate) are drawn in the bar by ``ui.forms.config_form(placed=...)``;
the rest wait folded below the charts.

Two choices appear only when they apply: a warm start (``warm_start``) when only the data
changed and the current model fits it, and going on at a new learning rate (``go_on_lr``,
TensorFlow Playground's way) when only the learning rate changed.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

import streamlit as st

from recsys_core.models import MODELS, RANKING_MODELS
from recsys_core.models.config import describe
from recsys_core.ranking.training import RankingTrainConfig
from recsys_core.training.run_service import Change, Outcome, Plan
from recsys_core.training.session import Run, find
from recsys_core.training.trainer import TrainConfig

from . import classroom_view
from . import state as app_state
from .i18n import N_, _, model_title, param_label, run_name
from .text import md_escape

SPEEDS = (2, 10, 50, 0)  # epochs a second; 0 = as fast as it goes
DEFAULT_SPEED = 0
SPEED = "live_speed"  # widget keys
WARM = "warm_start"
NEW_LR = "go_on_lr"
MODEL_FIELDS = ("dim",)  # in the bar: the embedding size ...
TRAIN_FIELDS = ("epochs", "lr")  # ... the epochs to train and the learning rate
SHOWN_CHANGES = 3  # reasons named in the rule; more are counted
MODEL_WIDTH, FIELD_WIDTH = 240, 150  # pixels: the model and the three fields fit one line
# beside the sidebar of a 1280-pixel screen, as do the buttons, the counter and the speed


def on_pause() -> None:
    """Pause (a callback: before the page runs, so the old script's loop is still going):
    end whatever this session trains, quietly, keeping the model."""
    app_state.service(st.session_state).pause()


class ControlBar:
    """The bar's place on the page (make it where the bar goes), then, in any order:
    :meth:`placed` for the form, :meth:`buttons`, :meth:`speed`, :meth:`rule`."""

    def __init__(self, s: MutableMapping) -> None:
        self.s = s
        self.hidden = classroom_view.hidden(s)
        with st.container(key="control_bar"):
            with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
                self.buttons_box = st.container(horizontal=True, width="content",
                                                vertical_alignment="bottom", gap="small")
                with st.container(key="epoch_counter", width="content"):
                    self.counter_slot = st.empty()
                self.speed_box = st.container(width="content")
            self.settings_box = st.container(horizontal=True, vertical_alignment="bottom",
                                             gap="medium")
            self.rule_box = st.container(key="bar_rule")

    def placed(self, part: str) -> dict:
        """The form fields drawn in the bar: ``part`` "model" or "train"."""
        names = MODEL_FIELDS if part == "model" else TRAIN_FIELDS
        return {name: (self.settings_box, FIELD_WIDTH) for name in names}

    def counter(self, epoch: int) -> None:
        self.counter_slot.metric(_("Epoch"), f"{epoch:,}")

    def buttons(self, disabled: bool) -> str | None:
        """Draw Train, Pause, Step and Reset; returns the one clicked (Pause acts in its
        callback) or None."""
        clicked = {}
        with self.buttons_box:
            clicked["train"] = st.button(
                _("Train"), key="train", type="primary", icon=":material/play_arrow:",
                disabled=disabled,
                help=_("Goes on with the current run when its model, settings and data are "
                       "unchanged; otherwise starts a new run. Trains the epochs beside it, at "
                       "the chosen speed."))
            st.button(_("Pause"), key="stop", icon=":material/pause:", on_click=on_pause,
                      help=_("Stops training and keeps the model and its loss history as they "
                             "are: Train or Step goes on from here."))
            if "step" not in self.hidden:
                clicked["step"] = st.button(
                    _("Step"), key="step", disabled=disabled, icon=":material/skip_next:",
                    help=_("Trains exactly one epoch of the run Train would train."))
            if "reset" not in self.hidden:
                clicked["reset"] = st.button(
                    _("Reset"), key="reset", disabled=disabled, icon=":material/replay:",
                    help=_("A new run at epoch 0 with these settings: the same seed gives the "
                           "same starting weights."))
        return next((name for name, on in clicked.items() if on), None)

    def speed(self) -> float | None:
        """The speed choice; returns the epochs a second to train at (None: full speed)."""
        if "play" in self.hidden:  # a classroom link hid the pace: full speed
            return None
        with self.speed_box:
            st.segmented_control(_("Speed"), SPEEDS, key=SPEED, required=True,
                                 default=DEFAULT_SPEED, format_func=speed_name,
                                 persist_state="session")
        return self.s.get(SPEED) or None

    def rule(self, plan: Plan | None, problems: list[str]) -> tuple[bool, bool]:
        """Under the bar: the settings' problems, or which run a press acts on and why.
        Returns the two choices (warm start, go on at the new learning rate)."""
        warm = new_lr = False
        with self.rule_box:
            if problems:
                st.error(_("Fix these settings first:") + "\n\n"
                         + "\n\n".join("- " + md_escape(p) for p in problems))
                return warm, new_lr
            st.caption(md_escape(rule_text(plan)),
                       help=_("One rule: the buttons act on the current run (the one trained or "
                              "reset last) while the model, its settings and the data are those "
                              "it was made with. Change any of them and Train or Step start a "
                              "new run; the old one stays on Compare. The epochs and the speed "
                              "only say how far and how fast."))
            current = plan.current if plan is not None else None
            if plan is not None and plan.warm:
                warm = st.checkbox(
                    _("Start from {run}'s model instead (warm start)", run=run_name(current)),
                    key=WARM, persist_state="session",
                    help=_("The new run starts from the current run's model instead of from "
                           "scratch: possible while the users and items are the same."))
            if plan is not None and plan.lr_only:
                new_lr = st.checkbox(
                    _("Go on with {run} at the new learning rate instead", run=run_name(current)),
                    key=NEW_LR, persist_state="session",
                    help=_("Keeps the run's weights and the optimiser's state; only the step size "
                           "changes, from epoch {epoch} on. The exported code notes that it no "
                           "longer repeats the run exactly.", epoch=current.trainer.epochs_run))
        return bool(warm), bool(new_lr)


# ----- words ---------------------------------------------------------------------------------------
def speed_name(speed: int) -> str:
    return _("full") if not speed else _("{n}/s", n=speed)


def rule_text(plan: Plan | None) -> str:
    """Which run Train and Step act on, and why, before a press."""
    if plan is None or plan.current is None:
        return _("Train starts the first run with these settings; Reset makes it at epoch 0, to "
                 "watch it from the very start.")
    if plan.goes_on:
        return _("Train goes on with {run} from epoch {epoch}: its model, settings and data are "
                 "unchanged. Reset starts a new run at epoch 0.", run=run_name(plan.run),
                 epoch=f"{plan.run.trainer.epochs_run:,}")
    return _("Train starts a new run: {why}. {run} stays as it is.",
             why=why_text(plan.changes, plan.current), run=run_name(plan.current))


def why_text(changes: tuple[Change, ...], run: Run) -> str:
    """What changed since ``run`` was made, in words ("" when nothing did)."""
    parts = [_change_words(change, run) for change in changes[:SHOWN_CHANGES]]
    if len(changes) > SHOWN_CHANGES:
        parts.append(_("{n} more setting(s) changed", n=len(changes) - SHOWN_CHANGES))
    return "; ".join(parts)


def _change_words(change: Change, run: Run) -> str:
    if change.what == "task":
        return _("the task changed ({before} → {after})", before=_(TASK_WORDS[change.before]),
                 after=_(TASK_WORDS[change.after]))
    if change.what == "model":
        return _("the model changed ({before} → {after})",
                 before=_model_short(change.before, run.task),
                 after=_model_short(change.after, run.task))
    if change.what == "data":
        return _("the data changed")
    if change.what == "loaded":
        return _("the current run was opened from a model file and cannot train on")
    cls = _config_class(run, change.part)
    owner = "train" if change.part == "train" else run.model_name
    info = next((i for i in describe(cls) if i.name == change.name), None)
    label = param_label(owner, info) if info is not None else change.name
    return _("{label} changed ({before} → {after})", label=label, before=_value(change.before),
             after=_value(change.after))


def outcome_text(outcome: Outcome | None, runs: list[Run]) -> str:
    """What the last press did to ``run``, in words ("" when there is nothing to say)."""
    run = find(runs, outcome.run_id) if outcome is not None else None
    if run is None:
        return ""
    name = run_name(run)
    epoch = f"{outcome.from_epoch:,}"
    if outcome.did == "went_on":
        return _("{run} went on from epoch {epoch}.", run=name, epoch=epoch)
    if outcome.did == "new_lr":
        lr = run.trainer.train.lr if run.trainer is not None else run.result.train_config.lr
        return _("{run} went on from epoch {epoch} at learning rate {lr}.", run=name,
                 epoch=epoch, lr=f"{lr:g}")
    if outcome.did == "warm":
        return _("New run {run}, started from the model of #{source} (warm start): the data "
                 "changed.", run=name, source=run.warm_from)
    if outcome.did == "reset":
        return _("New run {run} at epoch 0: Train or Step trains it.", run=name)
    if outcome.changes:
        return _("New run {run}: {why}.", run=name, why=why_text(outcome.changes, run))
    return _("New run {run}.", run=name)


TASK_WORDS = {"ratings": N_("ratings"), "ranking": N_("interactions")}


def _config_class(run: Run, part: str) -> type:
    """The settings class of ``run``'s model (``part`` "model") or training ("train")."""
    if run.task == "ranking":
        return RankingTrainConfig if part == "train" else RANKING_MODELS[run.model_name].config_cls
    return TrainConfig if part == "train" else MODELS[run.model_name].config_cls


def _model_short(name: str, task: str = "ratings") -> str:
    known = RANKING_MODELS if task == "ranking" else MODELS
    return model_title(name, task=task).split(" (")[0] if name in known else str(name)


def _value(value) -> str:
    """A setting as the bar's sentence shows it: – for none, ✓ or ✗, 0.1 (not 0.1000), 32,16,8."""
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    if value is None or isinstance(value, bool):
        return {None: "–", True: "✓", False: "✗"}[value]
    return f"{value:g}" if isinstance(value, float) else str(value)


def pressed(s: Mapping) -> Outcome | None:
    return app_state.service(s).last_press
