"""Results page: accuracy in words, the filled heatmap, predictions, embeddings, top-N, files."""

import numpy as np
import pandas as pd
import streamlit as st

from recsys_core import export, figures
from recsys_core.presets import PRESETS
from ui import paths, state
from ui.text import md_escape

T = {
    "title": "Results · 결과",
    "no_runs": "No model has been trained yet in this session.",
    "to_train": "Go to Train",
    "run": "Run",
    "accuracy": "On {n_val:,} held-out ratings the model was off by {val_mae:.2f} stars on "
                "average (RMSE {val_rmse:.2f}); the always-average baseline is off by "
                "{base_mae:.2f}.",
    "no_val": "No ratings were held out (validation share 0), so there is no honest accuracy "
              "to report: on the {n_train:,} ratings it learned from, the model is off by "
              "{train_mae:.2f} stars on average (RMSE {train_rmse:.2f}), which flatters it. Set "
              "a validation share (e.g. 0.1) on the Train page to measure it.",
    "truth": "Against the hidden truth, on the {n_truth:,} cells that were empty, the model "
             "was off by {truth_mae:.2f} stars on average (RMSE {truth_rmse:.2f}).",
    "untrained": "This run has no finished epoch yet.",
    "preset_head": "The lecture's printed numbers beside this app's",
    "heatmap_head": "The filled matrix",
    "view": "Show",
    "views": {"completed": "completed", "observed": "observed", "predicted": "predicted",
              "residual": "residual (prediction − rating)"},
    "page": "Users page",
    "pva_head": "Predicted vs actual",
    "emb_head": "Learned tastes on a map",
    "no_emb": "The baseline model has no embeddings to draw.",
    "topn_head": "Top-N recommendations per user",
    "topn_n": "How many per user",
    "topn_user": "User",
    "all_users": "(all users)",
    "downloads": "Downloads",
    "dl_completed_csv": "Completed matrix (CSV)",
    "dl_completed_xlsx": "Completed matrix (Excel)",
    "xlsx_help": "One workbook: the completed matrix (filled cells shaded), every prediction, "
                 "the top-N, the run summary and the training history.",
    "dl_predictions_csv": "Every cell's prediction (CSV)",
    "dl_top_n_csv": "Top-N recommendations (CSV)",
    "dl_model": "Trained model + config (.pt)",
    "dl_summary": "Run summary (JSON)",
    "xlsx_too_big": "Too many cells for an Excel workbook: download the CSV files instead.",
}
S = st.session_state
VIEWS = ["completed", "observed", "predicted", "residual"]
HEATMAP_ROWS = 60


def accuracy(result) -> None:
    m = result.metrics()
    if m["val_rmse"] is not None:
        st.markdown(T["accuracy"].format(n_val=m["n_val"], val_mae=m["val_mae"],
                                         val_rmse=m["val_rmse"],
                                         base_mae=m["baseline_val_mae"]))
    elif m["train_rmse"] is not None:
        st.markdown(T["no_val"].format(n_train=m["n_train"], train_mae=m["train_mae"],
                                       train_rmse=m["train_rmse"]))
    if m.get("truth_rmse") is not None:
        st.markdown(T["truth"].format(n_truth=m["n_truth"], truth_mae=m["truth_mae"],
                                      truth_rmse=m["truth_rmse"]))


def preset_comparison(run, result) -> None:
    preset = PRESETS[run.preset]
    st.subheader(T["preset_head"])
    st.caption(preset.state_note)
    printed = preset.printed
    if "every_4th" in printed:
        app = result.observed_predictions()[::4]
        lecture = np.asarray(printed["every_4th"])
        n = min(len(app), len(lecture))
        table = pd.DataFrame({"rating no.": np.arange(n) * 4 + 1, "lecture": lecture[:n],
                              "this app": app[:n]})
    elif "pairs" in printed:
        predicted = result.predicted_matrix()
        rows = [{"user": u, "item": i, "lecture": v,
                 "this app": float(predicted.loc[u, i])
                 if u in predicted.index and i in predicted.columns else np.nan}
                for u, i, v in printed["pairs"]]
        table = pd.DataFrame(rows)
    else:
        st.json(printed)
        return
    table["difference"] = (table["this app"] - table["lecture"]).abs()
    st.dataframe(table, hide_index=True, column_config={
        c: st.column_config.NumberColumn(format="%.4f")
        for c in ("lecture", "this app", "difference")})


def heatmap_section(result) -> None:
    st.subheader(T["heatmap_head"])
    pages = figures.heatmap_pages(result.ratings, HEATMAP_ROWS)
    page = 1
    with st.container(horizontal=True, vertical_alignment="bottom"):
        view = st.segmented_control(T["view"], VIEWS, key="heatmap_view", default="completed",
                                    required=True, format_func=lambda v: T["views"][v])
        if pages > 1:
            page = st.number_input(f"{T['page']} (of {pages})", 1, pages, 1, key="heatmap_page",
                                   width=180)
    with st.container(key="heatmap"):
        st.plotly_chart(figures.heatmap(result.ratings, result.predicted, view=view or "completed",
                                        is_val=result.is_val, max_rows=HEATMAP_ROWS,
                                        page=page - 1), width="stretch")


def top_n_section(result) -> None:
    st.subheader(T["topn_head"])
    users = list(result.ratings.users)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        n = st.number_input(T["topn_n"], 1, 50, 3, key="topn_n", width=160)
        who = st.selectbox(T["topn_user"], [None, *users], key="topn_user", width=320,
                           format_func=lambda u: T["all_users"] if u is None else u)
    table = result.top_n(int(n))
    if who is not None:
        table = table[table["user"] == who]
    st.dataframe(table, hide_index=True, column_config={
        "prediction": st.column_config.NumberColumn(format="%.2f")})
    return int(n)


def downloads(run, result, n: int) -> None:
    st.subheader(T["downloads"])
    stem = f"run{run.id}_{run.model_name}"
    files = [
        ("download_completed_csv", T["dl_completed_csv"], lambda: export.completed_csv(result),
         f"{stem}_completed.csv", "text/csv"),
        ("download_completed_xlsx", T["dl_completed_xlsx"],
         lambda: export.workbook_xlsx(result, n), f"{stem}.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("download_predictions_csv", T["dl_predictions_csv"],
         lambda: export.predictions_csv(result), f"{stem}_predictions.csv", "text/csv"),
        ("download_top_n_csv", T["dl_top_n_csv"], lambda: export.top_n_csv(result, n),
         f"{stem}_top{n}.csv", "text/csv"),
        ("download_model", T["dl_model"], lambda: export.model_file(result), f"{stem}.pt",
         "application/octet-stream"),
        ("download_summary_json", T["dl_summary"], lambda: export.summary_json(result),
         f"{stem}_summary.json", "application/json"),
    ]
    too_big = not export.workbook_fits(result)
    with st.container(horizontal=True):
        for key, label, data, name, mime in files:
            off = too_big and key == "download_completed_xlsx"
            tip = T["xlsx_too_big"] if off else (
                T["xlsx_help"] if key == "download_completed_xlsx" else None)
            st.download_button(label, data, file_name=name, mime=mime, key=key,
                               on_click="ignore", disabled=off, help=tip,
                               icon=":material/download:")


# ----- page --------------------------------------------------------------------------------------
st.title(T["title"])
runs = [r for r in state.runs(S) if r.result is not None]
if not runs:
    st.info(T["no_runs"])
    st.page_link(paths.TRAIN, label=T["to_train"])
    st.stop()

ids = [r.id for r in runs]
latest = state.current_run(S)
default = ids.index(latest.id) if latest is not None and latest.id in ids else len(ids) - 1
run_id = st.selectbox(T["run"], ids, index=default, key="result_run",
                      format_func=lambda i: next(r.name for r in runs if r.id == i))
run = next(r for r in runs if r.id == run_id)
result = run.result
st.text(f"{run.data_name} · {run.status_words} · {result.epochs_run} epoch(s) · "
        f"{result.seconds:.1f} s")
if result.status == "diverged":
    st.error(md_escape(result.message))
if not result.history:
    st.info(T["untrained"])
    st.stop()

accuracy(result)
if run.preset:
    preset_comparison(run, result)
heatmap_section(result)
st.subheader(T["emb_head"])
frame = result.embeddings_2d()
with st.container(key="embedding_map"):
    if frame.empty:
        st.info(T["no_emb"])
    else:
        st.plotly_chart(figures.embedding_map(frame), width="stretch")
st.subheader(T["pva_head"])
st.plotly_chart(figures.predicted_vs_actual(result), width="stretch")
n = top_n_section(result)
downloads(run, result, n)
