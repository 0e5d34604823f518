"""Results page: the run in plain words, the filled heatmap, what if, predictions, embeddings,
top-N, files, and the code that repeats the run."""

import copy
from contextlib import contextmanager

import numpy as np
import pandas as pd
import streamlit as st
import torch

from recsys_core import advice, codegen, export, figures, report
from recsys_core.coldstart import cold_start_note
from recsys_core.errors import RatingsError
from recsys_core.live import LIVE_MAX_CELLS
from recsys_core.presets import PRESETS
from recsys_core.session import Run, find, next_id
from recsys_core.training import Trainer
from recsys_core.whatif import carry_split, edit_cell, moved_most
from ui import cell_explain, live_view, paths, present, state
from ui.i18n import (
    Texts,
    because_text,
    current_lang,
    data_title,
    explained,
    fig_text,
    message_of,
    run_name,
    status_words,
    t,
    training_message,
)
from ui.model_upload import TYPES as MODEL_TYPES
from ui.model_upload import accept_model
from ui.text import md_escape
from ui.training import limit_problem
from ui.upload import UPLOAD_MB

T = Texts("results")
S = st.session_state
VIEWS = ["completed", "observed", "predicted", "residual"]
HEATMAP_ROWS = 60
HEATMAP_COLS = 60
ADVICE = "advice"  # session key: {(run id, epochs): measured ideas} (recsys_core.advice)
WHATIF = "whatif"  # session key: the last what-if (which runs, which cell, before/after)
MOVED_SHOWN = 10  # predictions listed (and outlined) after a what-if
CODE_SHOWN_CHARS = 200_000  # longer scripts (data written into them) are offered as a file only
MATCH_DECIMALS = 5e-5  # "matches to 4 decimals"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ON_DEMAND_CELLS = LIVE_MAX_CELLS  # larger matrices: the heavier sections are made when opened


def summary_section(run, result) -> None:
    """The run in plain words (recsys_core.report), in the page's language; its advice is
    worded as experiments until "Measure the ideas" has tried them on the held-out ratings."""
    measured = S.get(ADVICE, {}).get((run.id, result.epochs_run))
    with st.container(border=True, key="summary"):
        st.markdown(f"**{T['summary_head']}**")
        st.markdown(report.summary(result, current_lang(), measured))
        if measured is None and result.is_val.any() and result.history and st.button(
                T["measure_ideas"], key="measure_advice", help=T["measure_ideas_help"],
                icon=":material/science:"):
            measure_ideas(run, result)
            st.rerun()


def measure_ideas(run, result) -> None:
    """Retrain once per idea (one change each) and keep what was measured with the run."""
    bar = st.progress(0.0, text=T["measuring"])
    found = advice.measure(result, advice.candidates(result),
                           progress=lambda done, total: bar.progress(done / total,
                                                                      text=T["measuring"]))
    S.setdefault(ADVICE, {})[(run.id, result.epochs_run)] = found


def preset_comparison(run, result) -> None:
    preset = PRESETS[run.preset]
    st.subheader(T["preset_head"])
    st.caption(t(f"preset.{run.preset}.note"))
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
    labels = {"rating no.": "col_rating_no", "user": "col_user", "item": "col_item",
              "lecture": "col_lecture", "this app": "col_app", "difference": "col_difference"}
    config = {c: st.column_config.Column(T[key]) for c, key in labels.items()}
    config.update({c: st.column_config.NumberColumn(T[labels[c]], format="%.4f")
                   for c in ("lecture", "this app", "difference")})
    with st.container(key="preset_table"):
        st.dataframe(table, hide_index=True, column_config=config)
    worst = float(table["difference"].max())
    if worst <= MATCH_DECIMALS:
        st.success(T["preset_match"].format(diff=f"{worst:.4f}"))
    else:
        st.info(T["preset_close"].format(diff=f"{worst:.4f}",
                                         torch=torch.__version__.split("+")[0]))


def rating_at(ratings, u: int, i: int) -> float:
    """The rating of one cell, NaN when empty (without building the whole matrix)."""
    k = np.flatnonzero((ratings.user_idx == u) & (ratings.item_idx == i))
    return float(ratings.values[k[0]]) if k.size else float("nan")


def whatif_of(run):
    """The last what-if, if it made this run and its source is still known."""
    done = S.get(WHATIF)
    return done if done and done.get("run") == run.id else None


def heatmap_section(result, moved) -> None:
    st.subheader(T["heatmap_head"])
    pages = figures.heatmap_pages(result.ratings, HEATMAP_ROWS)
    item_pages = figures.heatmap_item_pages(result.ratings, HEATMAP_COLS)
    page = item_page = 1
    with st.container(horizontal=True, vertical_alignment="bottom"):
        view = st.segmented_control(T["view"], VIEWS, key="heatmap_view", default="completed",
                                    required=True, format_func=lambda v: T[f"views.{v}"])
        if pages > 1:
            page = st.number_input(T["page_of"].format(label=T["page"], pages=pages), 1, pages,
                                   1, key="heatmap_page", width=200)
        if item_pages > 1:
            item_page = st.number_input(T["page_of"].format(label=T["item_page"], pages=item_pages),
                                        1, item_pages, 1, key="heatmap_item_page", width=200)
    highlight = moved.attrs["cells"] if moved is not None else None
    fig = figures.heatmap(result.ratings, result.predicted, view=view or "completed",
                          is_val=result.is_val, max_rows=HEATMAP_ROWS, max_cols=HEATMAP_COLS,
                          page=page - 1, item_page=item_page - 1, highlight=highlight,
                          text=fig_text())
    with st.container(key="heatmap"):  # a click on a cell explains it (cell_explain.panel)
        cell_explain.clickable_chart(S, fig, result.ratings, key="heatmap_cells")


# ----- what if ------------------------------------------------------------------------------------
def on_whatif(run_id: int) -> None:
    """Change one cell of the run's data, continue its model on it, keep the new run."""
    runs = state.runs(S)
    run = find(runs, run_id)
    S["whatif_error"] = None
    if run is None or run.result is None:
        return
    result = run.result
    ratings = result.ratings
    u, i = int(S["whatif_user"]), int(S["whatif_item"])
    value = None if S.get("whatif_clear") else float(S["whatif_value"])
    epochs = int(S["whatif_epochs"])
    refused = limit_problem(ratings, epochs)
    if refused:
        S["whatif_error"] = refused  # a Msg: said in the session's language when shown
        return
    try:
        edited = edit_cell(ratings, u, i, value)
    except RatingsError as err:
        S["whatif_error"] = message_of(err)
        return
    source = run.trainer.model if run.trainer is not None else result.model
    train_config = run.trainer.train if run.trainer is not None else result.train_config
    trainer = Trainer(edited, run.model_name, result.model_config, train_config,
                      model=copy.deepcopy(source),
                      is_val=carry_split(ratings, result.is_val, edited, (u, i)))
    current = state.current(S)
    follows_data = current is not None and codegen.same_ratings(current, ratings)
    new = Run(id=next_id(runs), model_name=run.model_name,
              data_name=run.data_name.removesuffix(" (edited)") + " (edited)", trainer=trainer,
              data_rev=S.get(state.DATA_REV, 0), warm_from=run.id)
    new.lineage = run.stages() or None
    new.record_call(epochs)
    trainer.fit(epochs)
    new.snapshot()
    runs.append(new)
    if follows_data:  # the edit becomes the current data too (Data page, Train page)
        state.set_data(S, edited, S.get(state.DATA_NAME, ""), S.get(state.DATA_ORIGIN, ""),
                       new_dataset=False)
        new.data_rev = S[state.DATA_REV]
    S[state.CURRENT_RUN] = new.id
    S["result_run"] = new.id
    S["heatmap_view"] = "predicted"  # the outlines sit on the predictions that moved
    before = rating_at(ratings, u, i)
    S[WHATIF] = {"run": new.id, "from": run.id, "before_result": result, "cell": (u, i),
                 "before": None if np.isnan(before) else float(before), "after": value,
                 "epochs": epochs}


def whatif_controls(run, result) -> None:
    with st.expander(T["whatif_head"], icon=":material/edit_note:", key="whatif",
                     expanded=bool(S.get("whatif_error"))):
        st.caption(T["whatif_intro"])
        r = result.ratings
        if run.trainer is None and not result.history and result.status != "loaded":
            st.info(T["whatif_cannot"])
            return
        if not codegen.same_ratings(state.current(S) or r, r):
            st.caption(T["whatif_other_data"])
        lo, hi = r.scale
        with st.container(horizontal=True, vertical_alignment="bottom"):
            u = st.selectbox(T["whatif_user"], range(r.n_users), key="whatif_user", width=220,
                             format_func=lambda k: r.users[k])
            i = st.selectbox(T["whatif_item"], range(r.n_items), key="whatif_item", width=220,
                             format_func=lambda k: r.items[k])
            now = rating_at(r, u, i)
            rated = not np.isnan(now)
            guess = float(np.clip(round(float(result.predicted[u, i]), 2), lo, hi))
            st.number_input(T["whatif_value"], float(lo), float(hi),
                            float(now) if rated else guess, step=0.1, key="whatif_value",
                            width=160, format="%.2f")
            st.checkbox(T["whatif_clear"], key="whatif_clear", disabled=not rated)
            st.number_input(T["whatif_epochs"], 1, 100_000, 50, key="whatif_epochs", width=160)
        st.caption(T["whatif_now"].format(
            value=f"{now:.2f}" if rated else T["whatif_empty"].format(
                pred=f"{result.predicted[u, i]:.2f}")))
        st.button(T["whatif_go"], key="whatif_retrain", type="primary", on_click=on_whatif,
                  args=(run.id,), icon=":material/restart_alt:")
        if S.get("whatif_error"):
            st.error(md_escape(explained("problem.data", S["whatif_error"])))


def whatif_moved(run, result):
    """After a what-if: which predictions moved most (table, and outlines on the heatmap)."""
    done = whatif_of(run)
    if done is None:
        return None
    before = done["before_result"]
    if before.ratings.users != result.ratings.users or \
            before.ratings.items != result.ratings.items:
        return None
    moved = moved_most(result.ratings, before.predicted, result.predicted, MOVED_SHOWN)
    u, i = done["cell"]
    shown = lambda v: T["whatif_none"] if v is None else f"{v:.2f}"  # noqa: E731
    with st.container(border=True, key="whatif_moved"):
        st.markdown(md_escape(T["whatif_done"].format(
            new=run.id, old=done["from"], epochs=done["epochs"], user=result.ratings.users[u],
            item=result.ratings.items[i], before=shown(done["before"]),
            after=shown(done["after"]))))
        labels = {"user": "col_user", "item": "col_item", "before": "col_before",
                  "after": "col_after", "change": "col_change"}
        config = {c: st.column_config.Column(T[key]) for c, key in labels.items()}
        config.update({c: st.column_config.NumberColumn(T[labels[c]], format="%+.3f"
                                                         if c == "change" else "%.3f")
                       for c in ("before", "after", "change")})
        st.dataframe(moved, hide_index=True, column_config=config)
    return moved


# ----- top-N and files -----------------------------------------------------------------------------
def top_n_section(result) -> int:
    st.subheader(T["topn_head"])
    users = list(result.ratings.users)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        n = st.number_input(T["topn_n"], 1, 50, 3, key="topn_n", width=160)
        who = st.selectbox(T["topn_user"], [None, *users], key="topn_user", width=320,
                           format_func=lambda u: T["all_users"] if u is None else u)
    table = result.top_n(int(n))
    if who is not None:
        table = table[table["user"] == who]
    table["because"] = [because_text(text) for text in table["because"]]
    labels = {"user": "col_user", "rank": "col_rank", "item": "col_item",
              "prediction": "col_prediction", "because": "col_because"}
    config = {c: st.column_config.Column(T[key]) for c, key in labels.items()}
    config["prediction"] = st.column_config.NumberColumn(T["col_prediction"], format="%.2f")
    st.dataframe(table, hide_index=True, column_config=config)
    st.caption(T["because_note"])
    return int(n)


def downloads(run, result, n: int) -> None:
    st.subheader(T["downloads"])
    names = {"id": run.id, "model": run.model_name}
    lang = current_lang()
    files = [
        ("download_completed_csv", T["dl_completed_csv"], lambda: export.completed_csv(result),
         T["file_completed"].format(**names), "text/csv"),
        ("download_completed_xlsx", T["dl_completed_xlsx"],
         lambda: export.workbook_xlsx(result, n), T["file_workbook"].format(**names),
         XLSX_MIME),
        ("download_predictions_csv", T["dl_predictions_csv"],
         lambda: export.predictions_csv(result), T["file_predictions"].format(**names),
         "text/csv"),
        ("download_top_n_csv", T["dl_top_n_csv"], lambda: export.top_n_csv(result, n),
         T["file_top_n"].format(n=n, **names), "text/csv"),
        ("download_top_n_xlsx", T["dl_top_n_xlsx"],
         lambda: export.top_n_workbook(result, n, lang),
         T["file_top_n_xlsx"].format(n=n, **names), XLSX_MIME),
        ("download_model", T["dl_model"], lambda: export.model_file(result),
         T["file_model"].format(**names), "application/octet-stream"),
        ("download_summary_json", T["dl_summary"], lambda: export.summary_json(result),
         T["file_summary"].format(**names), "application/json"),
    ]
    too_big = not export.workbook_fits(result)
    tips = {"download_completed_xlsx": T["xlsx_help"], "download_top_n_xlsx": T["top_n_xlsx_help"]}
    with st.container(horizontal=True):
        for key, label, data, name, mime in files:
            off = too_big and key == "download_completed_xlsx"
            tip = T["xlsx_too_big"] if off else tips.get(key)
            st.download_button(label, data, file_name=name, mime=mime, key=key,
                               on_click="ignore", disabled=off, help=tip,
                               icon=":material/download:")
    if too_big:  # said on the page, not only in the disabled button's hover
        st.caption(T["xlsx_too_big"])


def is_large(result) -> bool:
    return result.ratings.n_users * result.ratings.n_items > ON_DEMAND_CELLS


@contextmanager
def on_demand(label: str, key: str, large: bool, icon: str | None = None):
    """A section of the page. On a small matrix it is drawn straight away under ``label``; on a
    large one (MovieLens: 610 x 9,724) it sits in a closed panel and is made only while the
    reader has it open, so the page opens in seconds instead of drawing every chart at once.
    Yields whether to draw the section's content."""
    if not large:
        st.subheader(label)
        yield True
        return
    panel = st.expander(label, icon=icon, key=key, on_change="rerun")
    if not panel.open:
        yield False
        return
    with panel:
        yield True


def code_section(run, large: bool) -> None:
    """Show the code: a script in the lecture's style that repeats this run (on a large
    matrix, made only while its panel is open)."""
    panel = st.expander(T["code_head"], icon=":material/code:", key="show_code",
                        on_change="rerun" if large else "ignore")
    if large and not panel.open:
        return
    with panel:
        stages = run.stages()
        if not stages:
            st.info(T["code_loaded"])
            return
        names = {"id": run.id, "model": run.model_name}
        lang = current_lang()
        cache = S.setdefault("code_cache", {})
        mark = (run.id, lang, run.result.epochs_run, len(run.calls), run.result.status)
        if mark not in cache:
            cache.clear()  # one script at a time: data may be written into it
            cache[mark] = codegen.generate(stages, title=f"#{run.id}", lang=lang,
                                           file_stem=T["file_code_data"].format(**names))
        script = cache[mark]
        st.caption(T["code_intro"])
        live_view.code_note(S, run)  # settings changed mid-run (watch it learn)
        if len(script.code) <= CODE_SHOWN_CHARS:
            with st.container(key="code_block"):
                st.code(script.code, language="python", line_numbers=True)
        else:
            st.info(T["code_too_long"].format(size=f"{len(script.code) / 1e6:.1f} MB"))
        with st.container(horizontal=True):
            st.download_button(T["code_download"], script.code.encode("utf-8"),
                               file_name=T["file_code"].format(**names), mime="text/x-python",
                               key="download_code", on_click="ignore",
                               icon=":material/download:")
            for k, (name, data) in enumerate(script.files.items()):
                st.download_button(T["code_data_file"].format(file=name), data, file_name=name,
                                   mime="text/csv", key=f"download_code_data_{k}",
                                   on_click="ignore", icon=":material/download:")


def on_model_upload() -> None:
    """A model file was chosen: open it as a run, or keep the words saying why not."""
    upload = S.get("model_upload")
    S["model_upload_error"] = None
    if upload is None:
        return
    run, problem = accept_model(S, upload.getvalue(), upload.name)
    if problem:
        S["model_upload_error"] = problem
    else:
        S.pop("result_run", None)  # the run picker starts again on the new (current) run


def model_upload_section() -> None:
    with st.expander(T["open_model"], expanded=bool(S.get("model_upload_error"))):
        st.file_uploader(T["open_model_help"], type=MODEL_TYPES, key="model_upload",
                         on_change=on_model_upload, max_upload_size=UPLOAD_MB)
        if S.get("model_upload_error"):
            st.error(md_escape(explained("problem.model_file", S["model_upload_error"])))


# ----- page --------------------------------------------------------------------------------------
st.title(T["title"])
model_upload_section()
runs = [r for r in state.runs(S) if r.result is not None]
if not runs:
    st.info(T["no_runs"])
    st.page_link(paths.TRAIN, label=T["to_train"])
    st.stop()

ids = [r.id for r in runs]
if S.get("result_run") not in ids:
    S.pop("result_run", None)
latest = state.current_run(S)
default = ids.index(latest.id) if latest is not None and latest.id in ids else len(ids) - 1
run_id = st.selectbox(T["run"], ids, index=default, key="result_run",
                      format_func=lambda i: next(run_name(r, T.lang) for r in runs
                                                  if r.id == i))
run = next(r for r in runs if r.id == run_id)
result = run.result
st.text(T["run_line"].format(data=data_title(run.data_name), status=status_words(run.status),
                             epochs=result.epochs_run, seconds=f"{result.seconds:.1f}"))
if result.status == "diverged":
    st.error(md_escape(training_message(result)))
elif result.status == "loaded":
    st.info(md_escape(result.message))
if not result.history and result.status != "loaded":
    st.info(T["untrained"])
    st.stop()

large = is_large(result)
summary_section(run, result)
code_section(run, large)
cold_note = cold_start_note(result)
if cold_note:
    with st.container(key="cold_start_note"):
        st.info(md_escape(explained("problem.cold", cold_note)))
if run.preset:
    preset_comparison(run, result)
moved = whatif_moved(run, result)
heatmap_section(result, moved)
whatif_controls(run, result)
cell_explain.panel(S, result)  # how one cell is predicted
with on_demand(t("watch.factor_head"), "factors_panel", large, ":material/grid_on:") as shown:
    if shown:  # U, V and U x Vᵀ beside the completed matrix
        cell_explain.factors_section(result)
with on_demand(T["emb_head"], "embedding_panel", large, ":material/scatter_plot:") as shown:
    if shown:
        frame = result.embeddings_2d()
        with st.container(key="embedding_map"):
            if frame.empty:
                st.info(T["no_emb"])
            else:
                st.plotly_chart(present.chart(figures.embedding_map(frame, text=fig_text())),
                                width="stretch")
with on_demand(T["pva_head"], "pva_panel", large, ":material/show_chart:") as shown:
    if shown:
        st.plotly_chart(present.chart(figures.predicted_vs_actual(result, text=fig_text())),
                        width="stretch")
n = top_n_section(result)
downloads(run, result, n)
