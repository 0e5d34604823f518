"""Results page: the run in plain words, the filled heatmap, what if, predictions, embeddings,
top-N, a visitor's own top-N (Try it yourself: ui/try_it.py), files, and the code that repeats
the run.

Over 500 lines, one section a function in the order the page shows them; the Try it yourself
panel already lives in ``ui/``, and the other large sections (what if, downloads, the code) are
the next to move there."""

import numpy as np
import pandas as pd
import streamlit as st
import torch

from recsys_core.data.errors import RatingsError
from recsys_core.i18n import L_
from recsys_core.results import advice, codegen, export, figures, report
from recsys_core.results.trained_run import RESULTS_TOP_N
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.coldstart import cold_start_note
from recsys_core.training.live import LIVE_MAX_CELLS
from recsys_core.training.run_service import Busy, Refused
from recsys_core.training.session import find
from recsys_core.training.whatif import NOTHING_MOVED, moved_most
from ui import cell_explain, live_view, paths, present, ranking_results, state, try_it
from ui.control_bar import on_pause
from ui.i18n import (
    N_,
    _,
    because_text,
    current_lang,
    data_title,
    explained,
    fig_text,
    message_of,
    preset_note,
    run_names,
    say,
    status_words,
    training_message,
)
from ui.model_upload import TYPES as MODEL_TYPES
from ui.model_upload import accept_model
from ui.on_demand import folded, on_demand
from ui.text import md_escape
from ui.training import LiveDrawer, guarded
from ui.upload import UPLOAD_MB

S = st.session_state
LANG = current_lang()  # format_funcs may be called after the run: they say words in this one
VIEWS = {"completed": N_("completed"), "observed": N_("observed"), "predicted": N_("predicted"),
         "residual": N_("residual (prediction − rating)")}
HEATMAP_ROWS = 60
HEATMAP_COLS = 60
ADVICE = "advice"  # session key: {(run id, epochs): measured ideas} (recsys_core.results.advice)
WHATIF = "whatif_last"  # session key: the last what-if (which runs, which cell, before/after;
# not "whatif", the key of its panel, which holds whether the panel is open)
WHATIF_SHOW = "whatif_show"  # session key: a what-if just ran (its predictions are shown)
WHATIF_TRAIN = "whatif_train"  # session key: (run id, epochs) of a what-if made ready to train
RUN_FOLLOWS = "result_run_follows"  # session key: the current run the run picker last followed
MOVED_SHOWN = 10  # predictions listed (and outlined) after a what-if
CODE_SHOWN_CHARS = 200_000  # longer scripts (data written into them) are offered as a file only
MATCH_DECIMALS = 5e-5  # "matches to 4 decimals"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ON_DEMAND_CELLS = LIVE_MAX_CELLS  # larger matrices: the heavier sections are made when opened


def predict_every_cell(result) -> None:
    """The whole matrix of predictions first: the heatmap and top-N read it anyway, and the
    summary's accuracy then takes the rated cells from it instead of predicting every rating
    again through the model (0.15 s of the page's first run on MovieLens)."""
    _ = result.predicted  # computed once, then kept with the run (a cached property)


def summary_section(run, result) -> None:
    """The run in plain words (recsys_core.results.report), in the page's language; its advice is
    worded as experiments until "Measure the ideas" has tried them on the held-out ratings."""
    measured = S.get(ADVICE, {}).get((run.id, result.epochs_run))
    with st.container(border=True, key="summary"):
        st.markdown("**" + _("In plain words") + "**")
        st.markdown(report.summary(result, current_lang(), measured))
        if measured is None and result.is_val.any() and result.history and st.button(
                _("Measure the ideas"), key="measure_advice",
                help=_("Retrains the run from its start once per idea, changing one setting each "
                       "time (weight decay, embedding size, epochs, learning rate), and scores "
                       "each on the same held-out ratings. Only what helped is then suggested."),
                icon=":material/science:"):
            measure_ideas(run, result)
            st.rerun()


def measure_ideas(run, result) -> None:
    """Retrain once per idea (one change each) and keep what was measured with the run."""
    measuring = _("Retraining once per idea on the same held-out ratings…")
    bar = st.progress(0.0, text=measuring)
    found = advice.measure(result, advice.candidates(result),
                           progress=lambda done, total: bar.progress(done / total,
                                                                      text=measuring))
    S.setdefault(ADVICE, {})[(run.id, result.epochs_run)] = found


def preset_comparison(run, result) -> None:
    preset = PRESETS[run.preset]
    st.subheader(_("The lecture's printed numbers beside this app's"))
    st.caption(preset_note(run.preset))
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
    labels = {"rating no.": _("rating no."), "user": _("user"), "item": _("item"),
              "lecture": _("lecture"), "this app": _("this app"), "difference": _("difference")}
    config = {c: st.column_config.Column(label) for c, label in labels.items()}
    config.update({c: st.column_config.NumberColumn(labels[c], format="%.4f")
                   for c in ("lecture", "this app", "difference")})
    with st.container(key="preset_table"):
        st.dataframe(table, hide_index=True, column_config=config)
    worst = float(table["difference"].max())
    if worst <= MATCH_DECIMALS:
        st.success(_("Largest difference {diff}: the lecture's numbers, to 4 decimals.",
                     diff=f"{worst:.4f}"))
    else:
        st.info(_("Largest difference {diff}: close, not identical. The lecture ran an older "
                  "PyTorch; under torch {torch} the same seed and the same 1000 steps end a little "
                  "elsewhere (MF, 100 steps, still matches to 4 decimals).", diff=f"{worst:.4f}",
                  torch=torch.__version__.split("+")[0]))


def rating_at(ratings, u: int, i: int) -> float:
    """The rating of one cell, NaN when empty (without building the whole matrix)."""
    k = np.flatnonzero((ratings.user_idx == u) & (ratings.item_idx == i))
    return float(ratings.values[k[0]]) if k.size else float("nan")


def whatif_of(run):
    """The last what-if, if it made this run and its source is still known."""
    done = S.get(WHATIF)
    return done if done and done.get("run") == run.id else None


def heatmap_section(result, moved, large: bool) -> None:
    st.subheader(_("The filled matrix"))
    pages = figures.heatmap_pages(result.ratings, HEATMAP_ROWS)
    item_pages = figures.heatmap_item_pages(result.ratings, HEATMAP_COLS)
    page = item_page = 1
    with st.container(horizontal=True, vertical_alignment="bottom"):
        view = st.segmented_control(_("Show"), list(VIEWS), key="heatmap_view", persist_state="session",
                                    default="completed", required=True,
                                    format_func=lambda v: _(VIEWS[v], lang=LANG))
        if pages > 1:
            page = st.number_input(_("{label} (of {pages})", label=_("Users page"), pages=pages),
                                   1, pages, 1, key="heatmap_page", persist_state="session", width=200)
        if item_pages > 1:
            item_page = st.number_input(_("{label} (of {pages})", label=_("Items page"),
                                          pages=item_pages),
                                        1, item_pages, 1, key="heatmap_item_page",
                                        persist_state="session", width=200)
    highlight = moved.attrs["cells"] if moved is not None else None
    fig = figures.heatmap(result.ratings, result.predicted, view=view or "completed",
                          is_val=result.is_val, max_rows=HEATMAP_ROWS, max_cols=HEATMAP_COLS,
                          page=page - 1, item_page=item_page - 1, highlight=highlight,
                          text=fig_text())
    with st.container(key="heatmap"):  # a click on a cell explains it (cell_explain.panel)
        cell_explain.clickable_chart(S, fig, result.ratings, key="heatmap_cells",
                                     opens=cell_explain.PANEL if large else None)


# ----- what if ------------------------------------------------------------------------------------
def on_whatif(run_id: int) -> None:
    """Make the what-if ready (a callback, so no click can cut it in half): the run's data
    with one cell changed, a new run from the run's model on it, made the current one, and
    the record of what changed. The page then trains it (:func:`train_whatif`)."""
    S["whatif_error"] = None
    runs = state.service(S)
    run = find(runs.runs, run_id)
    if run is None or run.result is None:
        return
    u, i = int(S["whatif_user"]), int(S["whatif_item"])
    value = None if S.get("whatif_clear") else float(S["whatif_value"])
    epochs = int(S["whatif_epochs"])
    ratings = run.result.ratings
    try:
        runs.check(ratings, epochs)
        made = runs.what_if(run, u, i, value, data_rev=S.get(state.DATA_REV, 0))
    except (Refused, RatingsError) as err:
        S["whatif_error"] = message_of(err)  # a Msg: said in the session's language when shown
        return
    except Busy:
        S["whatif_error"] = L_("The previous training of this session is still finishing; "
                               "press the button again in a moment.")
        return
    made.run.snapshot()  # at epoch 0: a run to show even if its training is cut off at once
    current = state.current(S)
    if current is not None and codegen.same_ratings(current, ratings):
        # the edit becomes the current data too (Data page, Train page)
        state.set_data(S, made.ratings, S.get(state.DATA_NAME, ""),
                       S.get(state.DATA_ORIGIN, ""), new_dataset=False)
        made.run.data_rev = S[state.DATA_REV]
    S[WHATIF] = {"run": made.run.id, "from": run.id, "before_result": run.result,
                 "cell": (u, i), "before": made.before, "after": value, "epochs": epochs}
    S[WHATIF_SHOW] = True  # the page shows the predictions that moved
    S[WHATIF_TRAIN] = (made.run.id, epochs)


def train_whatif(slot) -> None:
    """Train the what-if just made ready, through the session's run service: a progress bar
    and a Pause that keeps the new run as far as it got. Does not return when it trained
    (``st.rerun``)."""
    pending = S.pop(WHATIF_TRAIN, None)
    run = find(state.runs(S), pending[0]) if pending else None
    if run is None or run.trainer is None:
        return
    with slot.container():
        st.button(_("Pause"), key="whatif_pause", on_click=on_pause, icon=":material/pause:",
                  help=_("Stops the retraining and keeps the new run as far as it got."))
        bar_slot = st.empty()
    if guarded(lambda: state.service(S).train(run, pending[1], kind="whatif",
                                              observer=LiveDrawer(None, bar_slot)), bar_slot):
        st.rerun()


def train_control(before, epochs: int, cell):
    """The what-if's control through the session's run service, with a progress bar and a
    Pause. Returns (whether it ran, the predictions or None when it was paused)."""
    slot = st.empty()
    with slot.container():
        st.caption(_("Training the same epochs without the edit, to compare with…"))
        st.button(_("Pause"), key="whatif_control_pause", on_click=on_pause,
                  icon=":material/pause:")
        bar_slot = st.empty()
    out = []
    ran = guarded(lambda: out.append(state.service(S).what_if_control(
        before, epochs, cell, observer=LiveDrawer(None, bar_slot))), bar_slot)
    if ran:
        slot.empty()
    return ran, (out[0] if out else None)


def show_whatif() -> None:
    """After a what-if (before any widget is drawn): its run on show, on the predictions."""
    if S.pop(WHATIF_SHOW, False):
        S["heatmap_view"] = "predicted"  # the outlines sit on the predictions that moved


def whatif_controls(run, result, large: bool) -> None:
    """What if? Its pickers list every user and item: on a large matrix they are made only
    while the panel is open (``ui.on_demand``)."""
    with folded(_("What if? Change one rating and retrain"), "whatif", lazy=large,
                icon=":material/edit_note:", expanded=bool(S.get("whatif_error"))) as shown:
        if not shown:
            return
        st.caption(_("Pick a cell, give it a new rating (or clear it), and the model trains on from where "
                     "it is (warm start) for exactly the epochs you give, without stopping early. The "
                     "predictions that moved most, compared with the same epochs trained without the "
                     "change, are listed and outlined on the heatmap, which then shows every cell's "
                     "prediction."))
        r = result.ratings
        if run.trainer is None and not result.history and result.status != "loaded":
            st.info(_("A what-if needs a trained model with its training settings; this run has none."))
            return
        if not codegen.same_ratings(state.current(S) or r, r):
            st.caption(_("This run was trained on other data than the current data's users and items, so a "
                         "what-if starts from the run's own data."))
        lo, hi = r.scale
        with st.container(horizontal=True, vertical_alignment="bottom"):
            u = st.selectbox(_("User"), range(r.n_users), key="whatif_user",
                             persist_state="session", width=220,
                             format_func=lambda k: r.users[k])
            i = st.selectbox(_("Item"), range(r.n_items), key="whatif_item",
                             persist_state="session", width=220,
                             format_func=lambda k: r.items[k])
            now = rating_at(r, u, i)
            rated = not np.isnan(now)
            guess = float(np.clip(round(float(result.predicted[u, i]), 2), lo, hi))
            st.number_input(_("New rating"), float(lo), float(hi),
                            float(now) if rated else guess, step=0.1, key="whatif_value",
                            persist_state="session",
                            width=160, format="%.2f")
            st.checkbox(_("Clear this cell (no rating)"), key="whatif_clear",
                        persist_state="session", disabled=not rated)
            st.number_input(_("Epochs to train on"), 1, 100_000, 50, key="whatif_epochs",
                            persist_state="session",
                            width=160)
        st.caption(_("Now: {value}", value=f"{now:.2f}" if rated else _(
            "empty (predicted {pred})", pred=f"{result.predicted[u, i]:.2f}")))
        st.button(_("Retrain from this model"), key="whatif_retrain", type="primary",
                  on_click=on_whatif, args=(run.id,), icon=":material/restart_alt:")
        if S.get("whatif_error"):
            st.error(md_escape(explained(S["whatif_error"])))


def whatif_moved(run, result):
    """After a what-if: which predictions moved most (table, and outlines on the heatmap)."""
    done = whatif_of(run)
    if done is None:
        return None
    before = done["before_result"]
    if before.ratings.users != result.ratings.users or \
            before.ratings.items != result.ratings.items:
        return None
    epochs = result.epochs_run  # as far as the what-if trained (a Pause may have cut it)
    if done.get("without", (None,))[0] != epochs:  # the same training without the edit, once
        ran, control = train_control(before, epochs, done["cell"])
        if not ran:  # the session was busy or the server refused: said where the bar was
            return None
        done["without"] = (epochs, control)
    if done["without"][1] is None:
        st.info(_("The training without the change, which the what-if is compared with, was "
                  "paused; no prediction is listed as moved until it has run."))
        st.button(_("Compare again"), key="whatif_compare", icon=":material/compare_arrows:",
                  on_click=lambda: done.pop("without", None))
        return None
    moved = moved_most(result.ratings, done["without"][1], result.predicted, MOVED_SHOWN)
    u, i = done["cell"]
    shown = lambda v: _("none") if v is None else f"{v:.2f}"  # noqa: E731
    with st.container(border=True, key="whatif_moved"):
        st.markdown(md_escape(_(
            "Run #{new} continued run #{old} for {epochs} epoch(s) after {user} x {item}: "
            "{before} → {after}. Compared with the same {epochs} epoch(s) trained from the same "
            "model without the change, the predictions the change moved most:", new=run.id,
            old=done["from"], epochs=epochs, user=result.ratings.users[u],
            item=result.ratings.items[i], before=shown(done["before"]),
            after=shown(done["after"]))))
        if float(np.max(np.abs(moved["change"].to_numpy()), initial=0.0)) <= NOTHING_MOVED:
            st.info(_("Nothing moved: with this change the predictions are where the same "
                      "training without it puts them."))
        labels = {"user": _("user"), "item": _("item"), "before": _("without the change"),
                  "after": _("with the change"), "change": _("change")}
        config = {c: st.column_config.Column(label) for c, label in labels.items()}
        config.update({c: st.column_config.NumberColumn(labels[c], format="%+.3f"
                                                         if c == "change" else "%.3f")
                       for c in ("before", "after", "change")})
        st.dataframe(moved, hide_index=True, column_config=config)
    return moved


# ----- top-N and files -----------------------------------------------------------------------------
def top_n_section(result) -> int:
    st.subheader(_("Top-N recommendations per user"))
    users = list(result.ratings.users)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        n = st.number_input(_("How many per user"), 1, 50, RESULTS_TOP_N, key="topn_n",
                            persist_state="session", width=160)
        who = st.selectbox(_("User"), [None, *users], key="topn_user", persist_state="session", width=320,
                           format_func=lambda u: _("(all users)", lang=LANG) if u is None
                           else u)
    table = result.top_n(int(n))
    if who is not None:
        table = table[table["user"] == who]
    table["because"] = [because_text(text) for text in table["because"]]
    labels = {"user": _("user"), "rank": _("rank"), "item": _("item"),
              "prediction": _("prediction"), "because": _("because")}
    config = {c: st.column_config.Column(label) for c, label in labels.items()}
    config["prediction"] = st.column_config.NumberColumn(labels["prediction"], format="%.2f")
    st.dataframe(table, hide_index=True, column_config=config)
    st.caption(_("\"because\": of the items this user rated above their own average, those the model finds "
                 "most like the recommended one (by its item factors). Users with fewer than 3 ratings, or "
                 "none above their average, get no reason: their ratings say too little about their taste."))
    return int(n)


def downloads(run, result, n: int) -> None:
    st.subheader(_("Downloads"))
    names = {"id": run.id, "model": run.model_name}
    lang = current_lang()
    files = [  # headers and fixed words in the session's language; labels as they are
        ("download_completed_csv", _("Completed matrix (CSV)"),
         lambda: export.completed_csv(result, lang),
         _("run{id}_{model}_completed.csv", **names), "text/csv"),
        ("download_completed_xlsx", _("Completed matrix (Excel)"),
         lambda: export.workbook_xlsx(result, n, lang), _("run{id}_{model}.xlsx", **names),
         XLSX_MIME),
        ("download_predictions_csv", _("Every cell's prediction (CSV)"),
         lambda: export.predictions_csv(result, lang),
         _("run{id}_{model}_predictions.csv", **names), "text/csv"),
        ("download_top_n_csv", _("Top-N recommendations (CSV)"),
         lambda: export.top_n_csv(result, n, lang),
         _("run{id}_{model}_top{n}.csv", n=n, **names), "text/csv"),
        ("download_top_n_xlsx", _("Top-N for every user (Excel)"),
         lambda: export.top_n_workbook(result, n, lang),
         _("run{id}_{model}_top{n}_all_users.xlsx", n=n, **names), XLSX_MIME),
        ("download_model", _("Trained model + config (.pt)"), lambda: export.model_file(result),
         _("run{id}_{model}.pt", **names), "application/octet-stream"),
        ("download_summary_json", _("Run summary (JSON)"), lambda: export.summary_json(result),
         _("run{id}_{model}_summary.json", **names), "application/json"),
    ]
    too_big = not export.workbook_fits(result)
    too_big_words = _("More users or items than Excel opens (1,048,575 users, 16,383 items): "
                      "download the CSV files instead.")
    tips = {"download_completed_xlsx": _("One workbook: the completed matrix (filled cells "
                                         "shaded), every prediction, the top-N, the run summary "
                                         "and the training history."),
            "download_top_n_xlsx": _("One workbook: every user's top-N with the \"because\" on "
                                     "one sheet, then one sheet per user.")}
    with st.container(horizontal=True):
        for key, label, data, name, mime in files:
            off = too_big and key == "download_completed_xlsx"
            tip = too_big_words if off else tips.get(key)
            st.download_button(label, data, file_name=name, mime=mime, key=key,
                               on_click="ignore", disabled=off, help=tip,
                               icon=":material/download:")
    if too_big:  # said on the page, not only in the disabled button's hover
        st.caption(too_big_words)


def is_large(result) -> bool:
    return result.ratings.n_users * result.ratings.n_items > ON_DEMAND_CELLS


def code_section(run, large: bool) -> None:
    """Show the code: a script in the lecture's style that repeats this run (on a large
    matrix, made only while its panel is open)."""
    with folded(_("Show code"), "show_code", lazy=large, icon=":material/code:") as shown:
        if not shown:
            return
        stages = run.stages()
        if not stages:
            st.info(_("This run was opened from a model file: there is no training to write down."))
            return
        names = {"id": run.id, "model": run.model_name}
        lang = current_lang()
        cache = S.setdefault("code_cache", {})
        mark = (run.id, lang, run.result.epochs_run, len(run.calls), run.result.status)
        if mark not in cache:
            cache.clear()  # one script at a time: data may be written into it
            cache[mark] = codegen.generate(stages, title=f"#{run.id}", lang=lang,
                                           file_stem=_("run{id}_ratings", **names))
        script = cache[mark]
        st.caption(_("A self-contained Python script in the lecture's style that repeats this run: the "
                     "same data, split, seed and settings give the same predictions. Paste it into a "
                     "notebook, or download it."))
        live_view.code_note(S, run)  # settings changed mid-run (watch it learn)
        if len(script.code) <= CODE_SHOWN_CHARS:
            with st.container(key="code_block"):
                st.code(script.code, language="python", line_numbers=True)
        else:
            st.info(_("The script is {size} long (the data is in it), too long to show here: "
                      "download it.", size=f"{len(script.code) / 1e6:.1f} MB"))
        with st.container(horizontal=True):
            st.download_button(_("Download the script (.py)"), script.code.encode("utf-8"),
                               file_name=_("run{id}_{model}.py", **names), mime="text/x-python",
                               key="download_code", on_click="ignore",
                               icon=":material/download:")
            for k, (name, data) in enumerate(script.files.items()):
                st.download_button(_("Download {file} (the data the script reads)", file=name),
                                   data, file_name=name,
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
    with st.expander(_("Open a saved model file (.pt)"),
                     expanded=bool(S.get("model_upload_error"))):
        st.file_uploader(_("A model downloaded from this page before. It is read as weights only "
                           "(never as code) and must belong to the current data's users and "
                           "items."), type=MODEL_TYPES, key="model_upload",
                         on_change=on_model_upload, max_upload_size=UPLOAD_MB)
        if S.get("model_upload_error"):
            st.error(md_escape(explained(S["model_upload_error"])))


# ----- page --------------------------------------------------------------------------------------
st.title(_("Results"))
model_upload_section()
runs = [r for r in state.runs(S) if r.result is not None]
if not runs:
    st.info(_("No model has been trained yet in this session."))
    st.page_link(paths.TRAIN, label=_("Go to Train"))
    st.stop()

ids = [r.id for r in runs]
latest = state.current_run(S)
default = ids.index(latest.id) if latest is not None and latest.id in ids else len(ids) - 1
if S.get("result_run") not in ids or S.get(RUN_FOLLOWS) != ids[default]:
    # the picker keeps the run picked here across page switches, until another run becomes
    # the current one (trained, reset, a what-if): then it shows that one
    S["result_run"] = ids[default]
    S[RUN_FOLLOWS] = ids[default]
show_whatif()
run_id = st.selectbox(_("Run"), ids, key="result_run", persist_state="session",
                      format_func=run_names(runs, LANG))
run = next(r for r in runs if r.id == run_id)
result = run.result
st.text(_("{data} · {status} · {epochs} epoch(s) · {seconds} s",
          data=data_title(run.data_name), status=status_words(run.status),
          epochs=result.epochs_run, seconds=f"{result.seconds:.1f}"))
if run.task == "ranking":  # interactions: HR@10, the held-out items, top-N (ui/ranking_results.py)
    ranking_results.page(S, run)
    st.stop()
train_whatif(st.empty())  # a what-if made ready by its button: trained here, then shown
if result.status == "diverged":
    st.error(md_escape(training_message(result)))
elif result.status == "loaded":
    st.info(md_escape(say(result.message)))
if not result.history and result.status != "loaded":
    st.info(_("This run has no finished epoch yet."))
    st.stop()

large = is_large(result)
predict_every_cell(result)
summary_section(run, result)
code_section(run, large)
cold_note = cold_start_note(result)
if cold_note:
    with st.container(key="cold_start_note"):
        st.info(md_escape(say(cold_note)))
if run.preset:
    preset_comparison(run, result)
moved = whatif_moved(run, result)
heatmap_section(result, moved, large)
whatif_controls(run, result, large)
cell_explain.panel(S, result, large)  # how one cell is predicted
with on_demand(_("The matrix as the product of two thin matrices"), "factors_panel", large,
               ":material/grid_on:") as shown:
    if shown:  # U, V and U x Vᵀ beside the completed matrix
        cell_explain.factors_section(result)
with on_demand(_("Learned tastes on a map"), "embedding_panel", large,
               ":material/scatter_plot:") as shown:
    if shown:
        frame = result.embeddings_2d()
        with st.container(key="embedding_map"):
            if frame.empty:
                st.info(_("The baseline model has no embeddings to draw."))
            else:
                st.plotly_chart(present.chart(figures.embedding_map(frame, text=fig_text())),
                                width="stretch")
with on_demand(_("Predicted vs actual"), "pva_panel", large, ":material/show_chart:") as shown:
    if shown:
        st.plotly_chart(present.chart(figures.predicted_vs_actual(result, text=fig_text())),
                        width="stretch")
n = top_n_section(result)
with on_demand(_("Try it yourself: your own recommendations"), "try_it_panel", large,
               ":material/person_add:") as shown:
    if shown:  # a visitor rates a few items: their top-N at once (ui/try_it.py)
        try_it.panel(S, run)
downloads(run, result, n)
