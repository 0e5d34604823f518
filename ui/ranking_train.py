"""The Train page for the ranking task: a ranking model of the registry, its form, the same
control bar and run service as ratings, and a live chart of the loss beside HR@10 and NDCG@10
on the held-out items (``recsys_core.ranking.metrics.sampled_monitor``, every epoch)."""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import partial

import streamlit as st

from recsys_core.data.errors import RatingsError
from recsys_core.models import RANKING_MODELS
from recsys_core.ranking.training import RankingTrainConfig, suggested_train
from recsys_core.training.run_service import Setup
from recsys_core.training.session import Run

from . import control_bar, paths, state
from .forms import config_form, seed_form
from .i18n import _, current_lang, data_title, error_text, model_description, model_title, run_name
from .text import md_escape
from .training import LiveDrawer, draw_loss, guarded

MODEL = "ranking_model"  # the model picker's key (the ratings task's is "model")
FIRST_MODEL = "neumf"  # the NCF paper's model, picked until another is
FORMS_FOR = "ranking_form_for"  # session key: {model: interactions revision its form was seeded for}


def model_prefix(model: str) -> str:
    return f"rcfg-{model}"  # apart from the ratings task's "cfg-gmf": gmf is in both


def train_prefix(model: str) -> str:
    return f"rtc-{model}"


def ensure_form(s: MutableMapping, model: str, data) -> None:
    """The model's defaults and the training suggested for this data's size, once per newly
    loaded interactions."""
    done = s.setdefault(FORMS_FOR, {})
    if done.get(model) == s.get(state.INTERACTIONS_REV):
        return
    seed_form(s, model_prefix(model), RANKING_MODELS[model].config_cls())
    seed_form(s, train_prefix(model), suggested_train(data, model))
    done[model] = s.get(state.INTERACTIONS_REV)


def current_ranking_run(s: MutableMapping) -> Run | None:
    run = state.current_run(s)
    return run if run is not None and run.task == "ranking" else None


def status_text(run: Run) -> str:
    """How far the run got and its last HR@10 and NDCG@10, in words."""
    result = run.result
    done = _("{epochs} epoch(s) in {seconds} s", epochs=result.epochs_run,
             seconds=f"{result.seconds:.1f}")
    last = result.history[-1] if result.history else None
    scores = "" if last is None or last.hr is None else " " + _(
        "HR@10 {hr} · NDCG@10 {ndcg} on the held-out items (99 sampled negatives each).",
        hr=f"{last.hr:.3f}", ndcg=f"{last.ndcg:.3f}")
    if result.status == "stopped":
        return _("{run}: paused after {done}. The model trained so far is kept; Train goes on "
                 "from there.", run=run_name(run), done=done) + scores
    return _("{run}: finished, {done}.", run=run_name(run), done=done) + scores


def press(s: MutableMapping, action: str, setup: Setup, drawer, warm: bool, new_lr: bool,
          pace, slot) -> bool:
    """Train, Step or Reset through the session's run service; True when it ran."""
    runs = state.service(s)
    if action == "train":
        job = partial(runs.press_train, setup, warm=warm, new_lr=new_lr, observer=drawer,
                      pace=pace)
    elif action == "step":
        job = partial(runs.press_step, setup, new_lr=new_lr, observer=drawer)
    else:
        job = partial(runs.reset, setup)
    try:
        return guarded(job, slot)
    except (ValueError, TypeError, RuntimeError, RatingsError) as err:
        st.error(_("Training could not start:") + " " + md_escape(error_text(err)))
        return False


def page(s: MutableMapping) -> None:
    data = state.interactions(s)
    if data is None:
        st.info(_("No interactions are loaded: on the Data page, choose interactions and load "
                  "some first."))
        st.page_link(paths.DATA, label=_("Go to Data"))
        return
    st.text(_("{label}: {name} · {users} users x {items} items, {n} interactions",
              label=_("Data"), name=data_title(s.get(state.INTERACTIONS_NAME, "")),
              users=f"{data.n_users:,}", items=f"{data.n_items:,}",
              n=f"{data.n_interactions:,}"))
    bar = control_bar.ControlBar(s)
    description_box = st.container()
    status_box = st.container()
    with st.container(key="loss_chart"):
        chart_slot, progress_slot = st.empty(), st.empty()
    settings_box = st.expander(_("More settings"), icon=":material/settings:",
                               key="more_settings")
    s.setdefault(MODEL, FIRST_MODEL)
    with bar.settings_box:
        model = st.selectbox(_("Model"), list(RANKING_MODELS), key=MODEL,
                             width=control_bar.MODEL_WIDTH, persist_state="session",
                             format_func=partial(model_title, lang=current_lang(), task="ranking"))
    ensure_form(s, model, data)
    description_box.caption(model_description(model, "ranking"))
    with settings_box:
        left, right = st.columns(2)
        with left:
            st.markdown("**" + _("Model settings") + "**")
            model_config, problems = config_form(RANKING_MODELS[model].config_cls,
                                                 model_prefix(model), placed=bar.placed("model"),
                                                 advanced_key="advanced_rcfg")
        with right:
            st.markdown("**" + _("Training settings") + "**")
            train_config, train_problems = config_form(
                RankingTrainConfig, train_prefix(model), placed=bar.placed("train"),
                advanced_key="advanced_rtc", only=RANKING_MODELS[model].training_settings)
        problems += train_problems
    setup = None if problems else Setup(
        model, model_config, train_config, data, data_rev=s.get(state.INTERACTIONS_REV, 0),
        data_name=s.get(state.INTERACTIONS_NAME, ""), task="ranking")
    action = bar.buttons(disabled=bool(problems))
    pace = bar.speed()
    runs = state.service(s)
    warm, new_lr = bar.rule(runs.plan(setup) if setup is not None else None, problems)
    if action and setup is not None:
        drawer = LiveDrawer(chart_slot, progress_slot,
                            on_frame=lambda trainer: bar.counter(trainer.epochs_run))
        if press(s, action, setup, drawer, warm, new_lr, pace, progress_slot):
            st.rerun()  # the page again, for the run as it is now
    current = current_ranking_run(s)
    bar.counter(current.trainer.epochs_run if current is not None and current.trainer else 0)
    draw_loss(chart_slot, current.result.history if current and current.result else [],
              ranking=True)
    with status_box:
        if current is not None and current.result is not None:
            said = control_bar.outcome_text(runs.last_press, runs.runs)
            if said and runs.last_press.run_id == current.id:
                st.caption(md_escape(said))
            said = st.warning if current.result.status == "stopped" else st.success
            said(md_escape(status_text(current)))
            st.page_link(paths.RESULTS, label=_("See the results"), icon=":material/insights:")
