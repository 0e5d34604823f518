"""Train page: pick a model, tune it (or load a lecture preset), train it live, stop, continue."""

import streamlit as st

from recsys_core.defaults import suggest_configs
from recsys_core.errors import RatingsError
from recsys_core.models import MODELS
from recsys_core.presets import PRESETS
from recsys_core.session import Run, next_id, warm_start_model
from recsys_core.training import TrainConfig, Trainer
from ui import paths, state
from ui.forms import config_form, seed_form
from ui.text import md_escape
from ui.training import draw_loss, train_live

T = {
    "title": "Train · 학습",
    "data": "Data",
    "no_data": "No data is loaded: choose some on the Data page first.",
    "to_data": "Go to Data",
    "presets": "Lecture presets (DL2024 11주차): load the course matrix and the lecture's exact "
               "settings.",
    "preset_loaded": "Lecture preset loaded. ",
    "model": "Model",
    "model_head": "Model settings",
    "train_head": "Training settings",
    "suggested": "Settings start at values suggested for this data's size; change any of them.",
    "train": "Train",
    "stop": "Stop",
    "continue_epochs": "More epochs",
    "continue": "Continue training",
    "warm": "Retrain on the current data (warm start)",
    "warm_help": "Starts from the current run's model instead of from scratch; possible while "
                 "the users and items are the same.",
    "warm_no": "The data has changed since the current run, and its users or items differ, so "
               "that model cannot be reused: press Train to train afresh on the new data.",
    "changed": "The data has changed since the current run was trained.",
    "current": "Current run",
    "fix": "Fix these settings first:",
    "cannot": "Training could not start:",
    "results": "See the results",
    "finished": "{run}: finished, {done}.",
    "stopped": "{run}: stopped by request after {done}. The model trained so far is kept; "
               "Continue training picks up from there.",
}
S = st.session_state


def on_preset(name: str) -> None:
    preset = PRESETS[name]
    problem = state.load_sample_into(S, preset.sample, scale=preset.scale)
    if problem:
        S["train_error"] = problem
        return
    S["train_error"] = None
    S["sample"] = preset.sample
    S["model"] = preset.model_name
    seed_form(S, f"cfg-{preset.model_name}", preset.model_config)
    seed_form(S, f"tc-{preset.model_name}", preset.train_config)
    S.setdefault("form_for", {})[preset.model_name] = S[state.DATASET_ID]
    S[state.PRESET] = name


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


def data_name() -> str:
    name = S.get(state.DATA_NAME, "")
    return name + (" (edited)" if S.get(state.DATA_EDITED) else "")


def new_run(model, model_config, train_config, ratings, *, warm_model=None, warm_from=None,
            preset=None):
    """Create the trainer and put the run into the session before any epoch runs."""
    try:
        trainer = Trainer(ratings, model, model_config, train_config, model=warm_model)
    except (ValueError, TypeError, RuntimeError, RatingsError) as err:
        st.error(T["cannot"] + " " + md_escape(getattr(err, "message", str(err))))
        return None
    runs = state.runs(S)
    run = Run(id=next_id(runs), model_name=model, data_name=data_name(), trainer=trainer,
              preset=preset, data_rev=S[state.DATA_REV], warm_from=warm_from)
    runs.append(run)
    S[state.CURRENT_RUN] = run.id
    return run


def show_status(run: Run) -> None:
    result = run.result
    if result is None:
        return
    done = f"{result.epochs_run} epoch(s) in {result.seconds:.1f} s"
    if result.status == "diverged":
        st.error(result.message)
    elif result.status == "stopped":
        st.warning(T["stopped"].format(run=run.name, done=done))
    elif result.status == "early_stopped":
        st.warning(f"{run.name}: {result.message}")
    else:
        st.success(T["finished"].format(run=run.name, done=done))


# ----- page --------------------------------------------------------------------------------------
st.title(T["title"])
ratings = state.current(S)
if ratings is None:
    st.info(T["no_data"])
    st.page_link(paths.DATA, label=T["to_data"])
    st.stop()

st.text(f"{T['data']}: {data_name()} · {ratings.n_users:,} users x {ratings.n_items:,} items, "
        f"{ratings.n_ratings:,} ratings, scale {ratings.scale[0]:g}–{ratings.scale[1]:g}")

# Layout first (containers in the order they appear), then filled in the order the logic
# needs: the settings form must exist before the Train button's loop starts.
preset_box = st.container()
header = st.columns([4, 1, 1], vertical_alignment="bottom")
description_box = st.container()
chart_box = st.container(key="loss_chart")
after_box = st.container()
settings_box = st.container()

with preset_box:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(T["presets"], width="content")
        for name, preset in PRESETS.items():
            st.button(preset.title, key=f"preset_{name}", on_click=on_preset, args=(name,),
                      icon=":material/school:")
    if S.get("train_error"):
        st.error(md_escape(S["train_error"]))
    if S.get(state.PRESET):
        st.info(T["preset_loaded"] + PRESETS[S[state.PRESET]].state_note)

with header[0]:
    model = st.selectbox(T["model"], list(MODELS), key="model",
                         format_func=lambda n: MODELS[n].title, persist_state="session")
spec = MODELS[model]
ensure_form(model, ratings)

description_box.caption(spec.description)
with settings_box:
    left, right = st.columns(2)
    with left:
        st.subheader(T["model_head"])
        model_config, problems = config_form(spec.config_cls, f"cfg-{model}")
    with right:
        st.subheader(T["train_head"])
        train_config, train_problems = config_form(TrainConfig, f"tc-{model}")
    st.caption(T["suggested"])
    problems += train_problems
    if problems:
        st.error(T["fix"] + "\n\n" + "\n\n".join("- " + md_escape(p) for p in problems))

train_clicked = header[1].button(T["train"], key="train", type="primary", disabled=bool(problems),
                                 width="stretch")
header[2].button(T["stop"], key="stop", width="stretch")

with chart_box:
    chart_slot = st.empty()
    progress_slot = st.empty()

current = state.current_run(S)
changed = current is not None and current.data_rev != S[state.DATA_REV]
warm_model = warm_start_model(current, ratings) if changed else None
with after_box:
    status_slot = st.container()
    with st.container(horizontal=True, vertical_alignment="bottom"):
        more = st.number_input(T["continue_epochs"], 1, 100_000, 100, key="continue_epochs",
                               width=130)
        can_continue = current is not None and current.trainer is not None
        continue_clicked = st.button(T["continue"], key="continue", disabled=not can_continue)
        warm_clicked = False
        if changed and warm_model is not None:
            warm_clicked = st.button(T["warm"], key="warm_start", help=T["warm_help"])
        if current is not None:
            st.page_link(paths.RESULTS, label=T["results"], icon=":material/insights:")

if train_clicked and not problems:
    run = new_run(model, model_config, train_config, ratings,
                  preset=preset_tag(model, model_config, train_config, ratings))
    if run is not None:
        train_live(S, run, train_config.epochs, chart_slot, progress_slot)
        st.rerun()  # redraw the buttons for the finished run (Continue, warm start)
elif continue_clicked and can_continue:
    current.preset = None  # no longer the lecture's exact state
    train_live(S, current, int(more), chart_slot, progress_slot)
    st.rerun()
elif warm_clicked and warm_model is not None:
    run = new_run(current.model_name, current.trainer.model_config, current.trainer.train,
                  ratings, warm_model=warm_model, warm_from=current.id)
    if run is not None:
        train_live(S, run, int(more), chart_slot, progress_slot)
        st.rerun()
else:
    draw_loss(chart_slot, current.trainer.history if current and current.trainer else [])

if current is not None:
    with status_slot:
        show_status(current)
        if current.data_rev != S[state.DATA_REV]:
            st.info(T["changed"] if warm_model is not None else T["warm_no"])
