"""Train page: pick a model, tune it (or load a lecture preset), and train it with one control
bar (ui/control_bar.py): Train, Pause, Step, Reset, the epochs and the speed, the settings
people change most beside them, the rest folded below the charts."""

from functools import partial

import streamlit as st

from recsys_core.data.errors import RatingsError
from recsys_core.models import MODELS
from recsys_core.models.defaults import suggest_configs
from recsys_core.teaching.lesson import LECTURE_SEED, embedding_lesson, lesson_code
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.run_service import Setup
from recsys_core.training.session import Run
from recsys_core.training.trainer import TrainConfig
from ui import classroom_view, control_bar, paths, ranking_train, share, state, tuning_view
from ui.forms import config_form, seed_form
from ui.i18n import (
    _,
    current_lang,
    data_title,
    error_text,
    explained,
    model_description,
    model_title,
    preset_note,
    preset_title,
    run_name,
    training_message,
)
from ui.live_view import LiveView, changes_note, refresh_language
from ui.text import md_escape
from ui.training import LiveDrawer, draw_loss, guarded

S = st.session_state


def on_preset(name: str) -> None:
    S["train_error"] = share.apply_preset(S, name)


def ensure_form(model: str, ratings) -> None:
    """Suggested settings for this model and data, once per newly loaded data set."""
    done = S.setdefault("form_for", {})
    if done.get(model) == S[state.DATASET_ID]:
        return
    model_config, train_config = suggest_configs(ratings, model)
    seed_form(S, f"cfg-{model}", model_config)
    seed_form(S, f"tc-{model}", train_config)
    done[model] = S[state.DATASET_ID]


def preset_tag(model, model_config, train_config, ratings):
    """The preset's name if this is exactly the lecture's set-up, else None."""
    name = S.get(state.PRESET)
    if not name:
        return None
    p = PRESETS[name]
    exact = (p.model_name == model and model_config == p.model_config
             and train_config == p.train_config and not S.get(state.DATA_EDITED)
             and S.get(state.DATA_ORIGIN) == f"sample:{p.sample}" and ratings.scale == p.scale)
    return name if exact else None


def show_status(run: Run) -> None:
    result = run.result
    if result is None:
        return
    done = _("{epochs} epoch(s) in {seconds} s", epochs=result.epochs_run,
             seconds=f"{result.seconds:.1f}")
    name = md_escape(run_name(run))
    if result.status == "diverged":
        st.error(md_escape(training_message(result)))
    elif result.status == "stopped":
        st.warning(_("{run}: paused after {done}. The model trained so far is kept; Train goes "
                     "on from there.", run=name, done=done))
    elif result.status == "early_stopped":  # the default past 20,000 ratings: a good finish
        st.success(_("{run}: finished, {done}.", run=name, done=done) + " "
                   + md_escape(training_message(result)))
    elif result.status == "loaded":
        st.info(md_escape(result.message))
    else:
        st.success(_("{run}: finished, {done}.", run=name, done=done))


def lesson_section() -> None:
    """The lecture's first lesson, live: one-hot + linear layer = embedding layer. Its content
    is made only while the panel is open (a table and highlighted code that every run of the
    page, and every browser of a class, would otherwise draw unseen)."""
    panel = st.expander(_("The lecture's first lesson: one-hot + linear layer = embedding layer"),
                        icon=":material/school:", key="embedding_lesson", on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.markdown(md_escape(_("x names 옥순, 영숙, 하니, 옥순, 영숙 by their numbers 0, 1, 2, 0, 1. "
                                "One-hot encoding E and a linear layer without bias give the same "
                                "numbers as an embedding layer whose table is that layer's weight: "
                                "computed live with torch.")))
        seed = st.number_input(_("Seed"), 0, 2**31 - 1, LECTURE_SEED, key="lesson_seed",
                               persist_state="session", width=160)
        lesson = embedding_lesson(int(seed))
        st.code(lesson_code(int(seed)), language="python")
        columns = {"name": _("name"), "x": _("x"), "one_hot": _("one_hot(x)"),
                   "linear": _("linr(E)"), "embedding": _("ebdd(x)")}
        config = {c: st.column_config.Column(label) for c, label in columns.items()}
        config.update({c: st.column_config.NumberColumn(columns[c], format="%.4f")
                       for c in ("linear", "embedding")})
        with st.container(key="lesson_table"):
            st.dataframe(lesson.table, hide_index=True, column_config=config)
        st.caption(_("linr.weight = {weight}",
                     weight=", ".join(f"{w:.4f}" for w in lesson.weight)))
        diff = f"{lesson.largest_difference:g}"
        if lesson.equal:
            st.success(_("Equal: linr(one_hot(x)) and ebdd(x) give exactly the same numbers "
                         "(largest difference {diff}).", diff=diff))
        else:
            st.error(_("Different (largest difference {diff}).", diff=diff))


def share_section() -> None:
    """The link to this set-up, made only while the panel is open: the highlighted code block
    costs the browser about as much as the rest of the first page (``bench.app_speed``)."""
    panel = st.expander(_("Share this set-up"), icon=":material/link:", key="share_panel",
                        on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.caption(_("This link opens the app with the same sample, model, settings, seed and "
                     "language (never uploaded data). The address bar always holds it too."))
        if not str(S.get(state.DATA_ORIGIN) or "").startswith("sample:") or \
                S.get(state.DATA_EDITED):
            st.caption(_("The current data was uploaded, generated or edited, and uploaded data "
                         "never goes into a link: the link carries the model and settings only."))
        with st.container(key="share_link"):
            st.code(share.link(S, st.context.url, current=st.query_params.to_dict()),
                    language=None, wrap_lines=True)


# ----- page --------------------------------------------------------------------------------------
st.title(_("Train"))
if state.task(S) == "ranking":  # interactions: ranking models, HR@10 beside the loss
    ranking_train.page(S)
    st.stop()
ratings = state.current(S)
if ratings is None:
    st.info(_("No data is loaded: choose some on the Data page first."))
    st.page_link(paths.DATA, label=_("Go to Data"))
    st.stop()

st.text(_("{label}: {name} · {users} users x {items} items, {ratings} ratings, scale {lo}–{hi}",
          label=_("Data"), name=data_title(state.current_data_name(S)), users=f"{ratings.n_users:,}",
          items=f"{ratings.n_items:,}", ratings=f"{ratings.n_ratings:,}", lo=f"{ratings.scale[0]:g}",
          hi=f"{ratings.scale[1]:g}"))

# Layout first (containers in the order they appear), then filled in the order the logic
# needs: the settings form must exist before a press of the bar trains.
preset_box = st.container()
refresh_language(S)  # after a language switch: before the choices below are drawn
bar = control_bar.ControlBar(S)  # Train, Pause, Step, Reset, epochs, speed, main settings
description_box = st.container()
status_box = st.container()
live = LiveView(S, counter=bar.counter)  # the loss chart, the heatmap and the map
settings_box = st.expander(_("More settings"), icon=":material/settings:", key="more_settings")
tuning_box = st.container()

with preset_box:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(_("Lecture presets (DL2024 week 11): load the course matrix and the "
                     "lecture's exact settings."), width="content")
        for name in PRESETS:
            st.button(preset_title(name), key=f"preset_{name}", on_click=on_preset, args=(name,),
                      icon=":material/school:")
    if S.get("train_error"):
        st.error(md_escape(explained(S["train_error"])))
    if S.get(state.PRESET):
        st.info(_("Lecture preset loaded. ") + preset_note(S[state.PRESET]))
    lesson_section()

with bar.settings_box:
    model = st.selectbox(_("Model"), list(MODELS), key="model", width=control_bar.MODEL_WIDTH,
                         format_func=partial(model_title, lang=current_lang()), persist_state="session")
spec = MODELS[model]
ensure_form(model, ratings)

description_box.caption(model_description(model))
with settings_box:
    left, right = st.columns(2)
    with left:
        st.markdown("**" + _("Model settings") + "**")
        model_config, problems = config_form(spec.config_cls, f"cfg-{model}",
                                             placed=bar.placed("model"),
                                             advanced_key="advanced_cfg")
    with right:
        st.markdown("**" + _("Training settings") + "**")
        train_config, train_problems = config_form(TrainConfig, f"tc-{model}",
                                                   placed=bar.placed("train"),
                                                   advanced_key="advanced_tc")
    st.caption(_("Settings start at values suggested for this data's size; change any of them."))
    problems += train_problems

runs = state.service(S)
setup = None if problems else Setup(
    model, model_config, train_config, ratings, data_rev=S[state.DATA_REV],
    data_name=state.current_data_name(S), preset=preset_tag(model, model_config, train_config, ratings))
action = bar.buttons(disabled=bool(problems))
pace = bar.speed()
warm, new_lr = bar.rule(runs.plan(setup) if setup is not None else None, problems)
live.prepare(ratings)

with live.loss_box:
    chart_slot = st.empty()
    progress_slot = st.empty()

current = runs.current if runs.current is not None and runs.current.task == "ratings" else None
if action and setup is not None:
    drawer = LiveDrawer(chart_slot, progress_slot, on_frame=live.frame)
    try:
        if action == "train":
            done = guarded(lambda: runs.press_train(setup, warm=warm, new_lr=new_lr,
                                                    observer=drawer, pace=pace), progress_slot)
        elif action == "step":
            done = guarded(lambda: runs.press_step(setup, new_lr=new_lr, observer=drawer),
                           progress_slot)
        else:
            done = guarded(lambda: runs.reset(setup), progress_slot)
    except (ValueError, TypeError, RuntimeError, RatingsError) as err:
        st.error(_("Training could not start:") + " " + md_escape(error_text(err)))
        done = False
    if done:
        st.rerun()  # the page again, for the run as it is now (the rule, the still picture)
draw_loss(chart_slot, current.trainer.history if current and current.trainer else
          current.result.history if current and current.result else [])
live.draw()

with status_box:
    if current is not None:
        said = control_bar.outcome_text(runs.last_press, runs.runs)
        if said and runs.last_press.run_id == current.id:
            st.caption(md_escape(said))
        show_status(current)
        note = changes_note(S, current)
        if note:
            st.caption(note)
        st.page_link(paths.RESULTS, label=_("See the results"), icon=":material/insights:")

share_section()
classroom_view.teacher_panel(S)
with tuning_box:
    tuning_view.panel(S, model, ratings, model_config, train_config, problems)
share.sync(S)  # the form may have been filled in just now: the address bar follows
