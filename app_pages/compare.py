"""Compare page: every run of this session side by side; delete the ones not wanted."""

import streamlit as st

from recsys_core import figures
from recsys_core.session import delete, runs_table
from ui import paths, present, state
from ui.i18n import Texts, data_title, fig_text, model_title, run_name, status_words

T = Texts("compare")
S = st.session_state
SIDE_WIDTH = 470  # pixels: side by side on a wide screen, one under the other on a narrow one


def on_delete() -> None:
    run_id = S.get("delete_run")
    if run_id is None:
        return
    S[state.RUNS] = delete(state.runs(S), run_id)
    if S.get(state.CURRENT_RUN) == run_id:
        S[state.CURRENT_RUN] = S[state.RUNS][-1].id if S[state.RUNS] else None
    S["compare_deleted"] = True


def name_of(runs, run_id) -> str:
    return next((run_name(r, T.lang) for r in runs if r.id == run_id), "?")


COLUMNS = {"run": "col_run", "model": "col_model", "off by": "col_off_by",
           "average off by": "col_average_off_by", "better than average": "col_better",
           "validation RMSE": "col_val_rmse", "train RMSE": "col_train_rmse",
           "baseline RMSE": "col_base_rmse", "epochs": "col_epochs", "seconds": "col_seconds",
           "status": "col_status", "data": "col_data", "hyperparameters": "col_hyperparameters"}
STARS = ("off by", "average off by")
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


st.title(T["title"])
runs = state.runs(S)
if S.pop("compare_deleted", False):
    st.success(T["deleted"])
if not runs:
    st.info(T["no_runs"])
    st.page_link(paths.TRAIN, label=T["to_train"])
    st.stop()

config = {c: st.column_config.Column(T[key]) for c, key in COLUMNS.items()}
config.update({c: st.column_config.NumberColumn(T[COLUMNS[c]], format=T["stars_format"],
                                                help=T[f"{COLUMNS[c]}_help"]) for c in STARS})
config["better than average"] = st.column_config.NumberColumn(
    T["col_better"], format="percent", help=T["col_better_help"])
config.update({c: st.column_config.NumberColumn(T[COLUMNS[c]], format="%.3f") for c in RMSE})
config["hyperparameters"] = st.column_config.TextColumn(T["col_hyperparameters"], width="large")
st.dataframe(table_of(runs), hide_index=True, key="runs_table", column_config=config,
             column_order=list(COLUMNS))
st.caption(T["table_help"])

st.subheader(T["curves"])
histories = {run_name(r): r.result.history for r in runs if r.result is not None}
st.plotly_chart(present.chart(figures.loss_curves(histories, text=fig_text())), width="stretch")

with_result = [r for r in runs if r.result is not None and r.result.history]
if with_result:
    st.subheader(T["side"])
    ids = [r.id for r in with_result]
    sides = st.container(horizontal=True)
    for key, label, default in (("compare_a", T["left"], max(len(ids) - 2, 0)),
                                ("compare_b", T["right"], len(ids) - 1)):
        with sides.container(width=SIDE_WIDTH):
            chosen = st.selectbox(label, ids, index=default, key=key,
                                  format_func=lambda i: name_of(with_result, i))
            result = next(r.result for r in with_result if r.id == chosen)
            fig = figures.result_heatmap(result, max_rows=30, max_cols=30, text=fig_text())
            st.plotly_chart(present.chart(fig, width_px=SIDE_WIDTH), width="stretch",
                            key=f"{key}_heatmap")

st.subheader(T["delete_head"])
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox(T["delete_which"], [r.id for r in runs], key="delete_run", width=360,
                 index=len(runs) - 1, format_func=lambda i: name_of(runs, i))
    st.button(T["delete"], key="delete", on_click=on_delete, icon=":material/delete:")
