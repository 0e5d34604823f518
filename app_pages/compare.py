"""Compare page: every run of this session side by side; delete the ones not wanted."""

import streamlit as st

from recsys_core import figures
from recsys_core.session import delete, runs_table
from ui import paths, state

T = {
    "title": "Compare · 비교",
    "no_runs": "No runs yet: every model trained in this browser session will be listed here.",
    "to_train": "Go to Train",
    "table_help": "RMSE: typical error in rating points (lower is better). Validation RMSE is "
                  "measured on held-out ratings the model never trained on; the baseline is the "
                  "always-average guess on the same ratings.",
    "curves": "Training curves",
    "side": "Two runs' filled matrices side by side",
    "left": "Left",
    "right": "Right",
    "delete_head": "Delete a run",
    "delete_which": "Run to delete",
    "delete": "Delete",
    "deleted": "Run deleted.",
}
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
    return next((r.name for r in runs if r.id == run_id), "?")


st.title(T["title"])
runs = state.runs(S)
if S.pop("compare_deleted", False):
    st.success(T["deleted"])
if not runs:
    st.info(T["no_runs"])
    st.page_link(paths.TRAIN, label=T["to_train"])
    st.stop()

st.dataframe(runs_table(runs), hide_index=True, key="runs_table", column_config={
    c: st.column_config.NumberColumn(format="%.3f")
    for c in ("train RMSE", "validation RMSE", "baseline RMSE")})
st.caption(T["table_help"])

st.subheader(T["curves"])
histories = {r.name: r.result.history for r in runs if r.result is not None}
st.plotly_chart(figures.loss_curves(histories), width="stretch")

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
            st.plotly_chart(figures.heatmap(result.ratings, result.predicted, view="completed",
                                            is_val=result.is_val, max_rows=30, max_cols=30),
                            width="stretch", key=f"{key}_heatmap")

st.subheader(T["delete_head"])
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox(T["delete_which"], [r.id for r in runs], key="delete_run", width=360,
                 index=len(runs) - 1, format_func=lambda i: name_of(runs, i))
    st.button(T["delete"], key="delete", on_click=on_delete, icon=":material/delete:")
