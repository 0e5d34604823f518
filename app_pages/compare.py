"""Compare page: every run of this session side by side, one table per task (rating runs by
their error, ranking runs by HR@10 and NDCG@10); delete the ones not wanted."""

import streamlit as st

from recsys_core.results import figures
from recsys_core.training.session import delete, runs_table
from ui import paths, present, ranking_results, state
from ui.i18n import (
    N_,
    _,
    data_title,
    fig_text,
    model_title,
    run_name,
    run_names,
    status_words,
)

S = st.session_state
SIDE_WIDTH = 470  # pixels: side by side on a wide screen, one under the other on a narrow one
RUNS_SEEN = "compare_runs_seen"  # session key: the runs the pickers were last set for
DELETE_SEEN = "compare_delete_seen"  # session key: the runs the delete picker was set for


def on_delete() -> None:
    run_id = S.get("delete_run")
    if run_id is None:
        return
    S[state.RUNS] = delete(state.runs(S), run_id)
    if S.get(state.CURRENT_RUN) == run_id:
        S[state.CURRENT_RUN] = S[state.RUNS][-1].id if S[state.RUNS] else None
    S["compare_deleted"] = True


COLUMNS = {"run": N_("run"), "model": N_("model"), "off by": N_("off by (held-out)"),
           "average off by": N_("average off by"),
           "better than average": N_("better than average"),
           "validation RMSE": N_("validation RMSE"), "train RMSE": N_("train RMSE"),
           "baseline RMSE": N_("baseline RMSE"), "epochs": N_("epochs"), "seconds": N_("seconds"),
           "status": N_("status"), "data": N_("data"), "hyperparameters": N_("hyperparameters")}
STARS = {"off by": N_("Mean absolute error on the held-out ratings, in stars."),
         "average off by": N_("The same for always guessing the training ratings' average.")}
RMSE = ("validation RMSE", "train RMSE", "baseline RMSE")


def table_of(runs):
    """The library's table with names in the page's language (column names stay, so the
    table keeps one shape; the headers people read come from column_config)."""
    table = runs_table(runs)
    table["run"] = [run_name(r) for r in runs]
    table["model"] = [model_title(r.model_name) for r in runs]
    table["data"] = [data_title(r.data_name) for r in runs]
    table["status"] = [status_words(r.status) for r in runs]
    return table


def ratings_section(runs) -> None:
    """The rating runs: errors in stars first, their curves, two filled matrices."""
    config = {c: st.column_config.Column(_(words)) for c, words in COLUMNS.items()}
    config.update({c: st.column_config.NumberColumn(_(COLUMNS[c]), format=_("%.2f stars"),
                                                    help=_(STARS[c])) for c in STARS})
    config["better than average"] = st.column_config.NumberColumn(
        _("better than average"), format="percent",
        help=_("1 − off by ÷ average off by: how much closer the model is than always guessing the "
               "average."))
    config.update({c: st.column_config.NumberColumn(_(COLUMNS[c]), format="%.3f") for c in RMSE})
    config["hyperparameters"] = st.column_config.TextColumn(_("hyperparameters"), width="large")
    st.dataframe(table_of(runs), hide_index=True, key="runs_table", column_config=config,
                 column_order=list(COLUMNS))
    st.caption(_("\"Off by\": how far the model's guesses were from the held-out ratings it never "
                 "trained on, on average, in stars (lower is better), as the Results page says it; "
                 "\"average off by\": the same for always guessing the average rating. RMSE weighs "
                 "big misses more (validation: the held-out ratings; baseline: the always-average "
                 "guess on them)."))

    st.subheader(_("Training curves"))
    histories = {run_name(r): r.result.history for r in runs if r.result is not None}
    st.plotly_chart(present.chart(figures.loss_curves(histories, text=fig_text())), width="stretch")

    with_result = [r for r in runs if r.result is not None and r.result.history]
    ids = [r.id for r in with_result]
    if S.get(RUNS_SEEN) != ([r.id for r in runs], ids):
        # the pickers keep what was picked here across page switches, until runs are added,
        # trained or deleted: then they show the newest runs again
        S[RUNS_SEEN] = ([r.id for r in runs], ids)
        if ids:
            S["compare_a"], S["compare_b"] = ids[max(len(ids) - 2, 0)], ids[-1]
    if with_result:
        st.subheader(_("Two runs' filled matrices side by side"))
        sides = st.container(horizontal=True)
        for key, label in (("compare_a", _("Left")), ("compare_b", _("Right"))):
            with sides.container(width=SIDE_WIDTH):
                chosen = st.selectbox(label, ids, key=key, persist_state="session",
                                      format_func=run_names(with_result))
                result = next(r.result for r in with_result if r.id == chosen)
                fig = figures.result_heatmap(result, max_rows=30, max_cols=30, text=fig_text())
                st.plotly_chart(present.chart(fig, width_px=SIDE_WIDTH), width="stretch",
                                key=f"{key}_heatmap")


st.title(_("Compare"))
runs = state.runs(S)
if S.pop("compare_deleted", False):
    st.success(_("Run deleted."))
if not runs:
    st.info(_("No runs yet: every model trained in this browser session will be listed here."))
    st.page_link(paths.TRAIN, label=_("Go to Train"))
    st.stop()

if S.get(DELETE_SEEN) != [r.id for r in runs]:  # a run added or deleted: the newest
    S[DELETE_SEEN] = [r.id for r in runs]
    S["delete_run"] = runs[-1].id
by_task = {task: [r for r in runs if r.task == task] for task in state.TASKS}
both = all(by_task.values())
for task in sorted(state.TASKS, key=lambda task: task != state.task(S)):  # this task's first
    if task == "ranking" and by_task[task]:
        ranking_results.compare_section(by_task[task])
    elif by_task[task]:
        if both:
            st.header(_("Rating runs"))
        ratings_section(by_task[task])

st.subheader(_("Delete a run"))
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox(_("Run to delete"), [r.id for r in runs], key="delete_run", width=360,
                 persist_state="session", format_func=run_names(runs))
    st.button(_("Delete"), key="delete", on_click=on_delete, icon=":material/delete:")
