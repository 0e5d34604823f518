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

Which run they act on is one rule, :meth:`recsys_core.run_service.RunService.plan`, said in
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

from recsys_core.config import describe
from recsys_core.models import MODELS
from recsys_core.run_service import Change, Outcome, Plan
from recsys_core.session import Run, find
from recsys_core.training import TrainConfig

from . import classroom_view
from . import state as app_state
from .i18n import model_title, param_label, run_name, t
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
        self.counter_slot.metric(t("watch.epoch_counter"), f"{epoch:,}")

    def buttons(self, disabled: bool) -> str | None:
        """Draw Train, Pause, Step and Reset; returns the one clicked (Pause acts in its
        callback) or None."""
        clicked = {}
        with self.buttons_box:
            clicked["train"] = st.button(t("bar.train"), key="train", type="primary",
                                         icon=":material/play_arrow:", disabled=disabled,
                                         help=t("bar.train_help"))
            st.button(t("bar.pause"), key="stop", icon=":material/pause:", on_click=on_pause,
                      help=t("bar.pause_help"))
            if "step" not in self.hidden:
                clicked["step"] = st.button(t("bar.step"), key="step", disabled=disabled,
                                            icon=":material/skip_next:", help=t("bar.step_help"))
            if "reset" not in self.hidden:
                clicked["reset"] = st.button(t("bar.reset"), key="reset", disabled=disabled,
                                             icon=":material/replay:", help=t("bar.reset_help"))
        return next((name for name, on in clicked.items() if on), None)

    def speed(self) -> float | None:
        """The speed choice; returns the epochs a second to train at (None: full speed)."""
        if "play" in self.hidden:  # a classroom link hid the pace: full speed
            return None
        with self.speed_box:
            st.segmented_control(t("watch.speed"), SPEEDS, key=SPEED, required=True,
                                 default=DEFAULT_SPEED, format_func=speed_name,
                                 persist_state="session")
        return self.s.get(SPEED) or None

    def rule(self, plan: Plan | None, problems: list[str]) -> tuple[bool, bool]:
        """Under the bar: the settings' problems, or which run a press acts on and why.
        Returns the two choices (warm start, go on at the new learning rate)."""
        warm = new_lr = False
        with self.rule_box:
            if problems:
                st.error(t("train.fix") + "\n\n" + "\n\n".join("- " + md_escape(p)
                                                                 for p in problems))
                return warm, new_lr
            st.caption(md_escape(rule_text(plan)), help=t("bar.rule_help"))
            current = plan.current if plan is not None else None
            if plan is not None and plan.warm:
                warm = st.checkbox(t("bar.warm", run=run_name(current)), key=WARM,
                                   help=t("bar.warm_help"), persist_state="session")
            if plan is not None and plan.lr_only:
                new_lr = st.checkbox(t("bar.new_lr", run=run_name(current)), key=NEW_LR,
                                     help=t("bar.new_lr_help",
                                            epoch=current.trainer.epochs_run),
                                     persist_state="session")
        return bool(warm), bool(new_lr)


# ----- words ---------------------------------------------------------------------------------------
def speed_name(speed: int) -> str:
    return t("watch.speed_max") if not speed else t("watch.speed_n", n=speed)


def rule_text(plan: Plan | None) -> str:
    """Which run Train and Step act on, and why, before a press."""
    if plan is None or plan.current is None:
        return t("bar.first")
    if plan.goes_on:
        return t("bar.go_on", run=run_name(plan.run), epoch=f"{plan.run.trainer.epochs_run:,}")
    return t("bar.new", why=why_text(plan.changes, plan.current.model_name),
             run=run_name(plan.current))


def why_text(changes: tuple[Change, ...], model: str) -> str:
    """What changed since the current run was made, in words ("" when nothing did)."""
    parts = [_change_words(change, model) for change in changes[:SHOWN_CHANGES]]
    if len(changes) > SHOWN_CHANGES:
        parts.append(t("bar.why_more", n=len(changes) - SHOWN_CHANGES))
    return "; ".join(parts)


def _change_words(change: Change, model: str) -> str:
    if change.what == "model":
        return t("bar.why_model", before=_model_short(change.before),
                 after=_model_short(change.after))
    if change.what == "data":
        return t("bar.why_data")
    if change.what == "loaded":
        return t("bar.why_loaded")
    cls = TrainConfig if change.part == "train" else MODELS[model].config_cls
    owner = "train" if change.part == "train" else model
    info = next((i for i in describe(cls) if i.name == change.name), None)
    label = param_label(owner, info) if info is not None else change.name
    return t("bar.why_setting", label=label, before=_value(change.before),
             after=_value(change.after))


def outcome_text(outcome: Outcome | None, runs: list[Run]) -> str:
    """What the last press did to ``run``, in words ("" when there is nothing to say)."""
    run = find(runs, outcome.run_id) if outcome is not None else None
    if run is None:
        return ""
    name = run_name(run)
    epoch = f"{outcome.from_epoch:,}"
    if outcome.did == "went_on":
        return t("bar.did_went_on", run=name, epoch=epoch)
    if outcome.did == "new_lr":
        lr = run.trainer.train.lr if run.trainer is not None else run.result.train_config.lr
        return t("bar.did_new_lr", run=name, epoch=epoch, lr=f"{lr:g}")
    if outcome.did == "warm":
        return t("bar.did_warm", run=name, source=run.warm_from)
    if outcome.did == "reset":
        return t("bar.did_reset", run=name)
    if outcome.changes:
        return t("bar.did_new", run=name, why=why_text(outcome.changes, run.model_name))
    return t("bar.did_first", run=name)


def _model_short(name: str) -> str:
    return model_title(name).split(" (")[0] if name in MODELS else str(name)


def _value(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value)


def pressed(s: Mapping) -> Outcome | None:
    return app_state.service(s).last_press
