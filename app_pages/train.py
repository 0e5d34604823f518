"""Train page: pick a model, tune it (or load a lecture preset), train it live, stop, continue."""

from functools import partial

import streamlit as st

from recsys_core.defaults import suggest_configs
from recsys_core.errors import RatingsError
from recsys_core.lesson import LECTURE_SEED, embedding_lesson, lesson_code
from recsys_core.models import MODELS
from recsys_core.presets import PRESETS
from recsys_core.session import Run, next_id, warm_start_model
from recsys_core.training import TrainConfig, Trainer
from ui import classroom_view, paths, share, state, tuning_view
from ui.forms import config_form, seed_form
from ui.i18n import (
    Texts,
    data_title,
    error_text,
    explained,
    model_description,
    model_title,
    preset_title,
    run_name,
    t,
    training_message,
)
from ui.live_view import LiveView
from ui.text import md_escape
from ui.training import draw_loss, limit_problem, train_live

T = Texts("train")
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


def data_name() -> str:
    name = S.get(state.DATA_NAME, "")
    return name + (" (edited)" if S.get(state.DATA_EDITED) else "")


def new_run(model, model_config, train_config, ratings, *, warm_model=None, warm_from=None,
            preset=None, lineage=None):
    """Create the trainer and put the run into the session before any epoch runs.
    ``lineage``: the run a warm start continues (its stages go into the exported code)."""
    try:
        trainer = Trainer(ratings, model, model_config, train_config, model=warm_model)
    except (ValueError, TypeError, RuntimeError, RatingsError) as err:
        st.error(T["cannot"] + " " + md_escape(error_text(err)))
        return None
    runs = state.runs(S)
    run = Run(id=next_id(runs), model_name=model, data_name=data_name(), trainer=trainer,
              preset=preset, data_rev=S[state.DATA_REV], warm_from=warm_from)
    if lineage is not None:
        run.lineage = lineage.stages() or None
    runs.append(run)
    S[state.CURRENT_RUN] = run.id
    return run


def show_status(run: Run) -> None:
    result = run.result
    if result is None:
        return
    done = t("train.done", epochs=result.epochs_run, seconds=f"{result.seconds:.1f}")
    name = md_escape(run_name(run))
    if result.status == "diverged":
        st.error(md_escape(training_message(result)))
    elif result.status == "stopped":
        st.warning(T["stopped"].format(run=name, done=done))
    elif result.status == "early_stopped":
        st.warning(f"{name}: {md_escape(training_message(result))}")
    elif result.status == "loaded":
        st.info(md_escape(result.message))
    else:
        st.success(T["finished"].format(run=name, done=done))


def lesson_section() -> None:
    """The lecture's first lesson, live: one-hot + linear layer = embedding layer. Its content
    is made only while the panel is open (a table and highlighted code that every run of the
    page, and every browser of a class, would otherwise draw unseen)."""
    panel = st.expander(t("lesson.head"), icon=":material/school:", key="embedding_lesson",
                        on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.markdown(md_escape(t("lesson.intro")))
        seed = st.number_input(t("lesson.seed"), 0, 2**31 - 1, LECTURE_SEED, key="lesson_seed",
                               width=160)
        lesson = embedding_lesson(int(seed))
        st.code(lesson_code(int(seed)), language="python")
        columns = {"name": "lesson.col_name", "x": "lesson.col_x",
                   "one_hot": "lesson.col_onehot", "linear": "lesson.col_linear",
                   "embedding": "lesson.col_embedding"}
        config = {c: st.column_config.Column(t(key)) for c, key in columns.items()}
        config.update({c: st.column_config.NumberColumn(t(columns[c]), format="%.4f")
                       for c in ("linear", "embedding")})
        with st.container(key="lesson_table"):
            st.dataframe(lesson.table, hide_index=True, column_config=config)
        st.caption(t("lesson.weight", weight=", ".join(f"{w:.4f}" for w in lesson.weight)))
        diff = f"{lesson.largest_difference:g}"
        if lesson.equal:
            st.success(t("lesson.equal", diff=diff))
        else:
            st.error(t("lesson.differ", diff=diff))


def share_section() -> None:
    with st.expander(T["share"], icon=":material/link:"):
        st.caption(T["share_help"])
        if not str(S.get(state.DATA_ORIGIN) or "").startswith("sample:") or \
                S.get(state.DATA_EDITED):
            st.caption(T["share_upload"])
        with st.container(key="share_link"):
            st.code(share.link(S, st.context.url, current=st.query_params.to_dict()),
                    language=None, wrap_lines=True)


# ----- page --------------------------------------------------------------------------------------
st.title(T["title"])
ratings = state.current(S)
if ratings is None:
    st.info(T["no_data"])
    st.page_link(paths.DATA, label=T["to_data"])
    st.stop()

st.text(t("train.data_line", label=T["data"], name=data_title(data_name()),
          users=f"{ratings.n_users:,}", items=f"{ratings.n_items:,}",
          ratings=f"{ratings.n_ratings:,}", lo=f"{ratings.scale[0]:g}",
          hi=f"{ratings.scale[1]:g}"))

# Layout first (containers in the order they appear), then filled in the order the logic
# needs: the settings form must exist before the Train button's loop starts.
preset_box = st.container()
header = st.columns([3, 1, 1], vertical_alignment="bottom")
description_box = st.container()
live = LiveView(S)  # play / pause / step / reset, and the heatmap and map beside the loss chart
chart_box = live.loss_box  # key "loss_chart"
after_box = st.container()
settings_box = st.container()

with preset_box:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(T["presets"], width="content")
        for name in PRESETS:
            st.button(preset_title(name), key=f"preset_{name}", on_click=on_preset, args=(name,),
                      icon=":material/school:")
    if S.get("train_error"):
        st.error(md_escape(explained("problem.data", S["train_error"])))
    if S.get(state.PRESET):
        st.info(T["preset_loaded"] + t(f"preset.{S[state.PRESET]}.note"))
    lesson_section()

with header[0]:
    model = st.selectbox(T["model"], list(MODELS), key="model",
                         format_func=partial(model_title, lang=T.lang), persist_state="session")
spec = MODELS[model]
ensure_form(model, ratings)

description_box.caption(model_description(model))
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
live.draw_controls(model, ratings)

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

# Server limits (recsys_core/limits.py): a refused training says why, under the chart.
asked = train_config.epochs if train_clicked else int(more)
source = current.ratings if continue_clicked and current is not None else ratings
refused = limit_problem(source, asked) if (train_clicked and not problems) or continue_clicked \
    or warm_clicked else None
if refused:
    draw_loss(chart_slot, current.trainer.history if current and current.trainer else [])
    progress_slot.error(md_escape(explained("problem.limit", refused)))
elif train_clicked and not problems:
    run = new_run(model, model_config, train_config, ratings,
                  preset=preset_tag(model, model_config, train_config, ratings))
    if run is not None:
        train_live(S, run, train_config.epochs, chart_slot, progress_slot, on_frame=live.frame)
        st.rerun()  # redraw the buttons for the finished run (Continue, warm start)
elif continue_clicked and can_continue:
    current.preset = None  # no longer the lecture's exact state
    train_live(S, current, int(more), chart_slot, progress_slot, on_frame=live.frame)
    st.rerun()
elif warm_clicked and warm_model is not None:
    made = current.trainer or current.result  # a run opened from a model file has no trainer
    run = new_run(current.model_name, made.model_config,
                  made.train if current.trainer else made.train_config,
                  ratings, warm_model=warm_model, warm_from=current.id, lineage=current)
    if run is not None:
        train_live(S, run, int(more), chart_slot, progress_slot, on_frame=live.frame)
        st.rerun()
elif live.action:  # play, step or reset
    live.act(lambda: new_run(model, model_config, train_config, ratings,
                             preset=preset_tag(model, model_config, train_config, ratings)),
             problems, chart_slot, progress_slot)
    draw_loss(chart_slot, current.trainer.history if current and current.trainer else [])
else:
    draw_loss(chart_slot, current.trainer.history if current and current.trainer else [])
live.draw()

if current is not None:
    with status_slot:
        show_status(current)
        if current.data_rev != S[state.DATA_REV]:
            st.info(T["changed"] if warm_model is not None else T["warm_no"])

share_section()
classroom_view.teacher_panel(S)
with settings_box:
    tuning_view.panel(S, model, ratings, model_config, train_config, problems)
share.sync(S)  # the form may have been filled in just now: the address bar follows
