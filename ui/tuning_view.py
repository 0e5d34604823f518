"""The settings search on the Train page (:func:`recsys_core.training.tuning.tune`).

A grid over the embedding size, the learning rate and the weight decay, everything else as
the form says. Each setting is trained on the training ratings and scored on the same
held-out validation ratings only; the search stops starting new settings after the time the
person allows, or when Pause is pressed (the settings tried so far are kept). It runs through
the session's run service, like every training: one job at a time. The table lists every
setting tried, best first; "Apply the best" writes the winner into the form in one click (the
next Train uses it); the note under the table says what was scored on what, and that test
data never took part.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import pandas as pd
import streamlit as st

from recsys_core.training import auto
from recsys_core.training.run_service import Setup
from recsys_core.training.tuning import GRID, TuningResult

from . import classroom_view
from . import state as app_state
from .control_bar import on_pause
from .forms import widget_key
from .i18n import N_, _, error_text, status_words
from .text import md_escape
from .training import LiveDrawer, guarded

APPLIED = "tune_applied"
HOW = "tune_how"
HOWS = {"grid": N_("The grid"), "auto": N_("Around these settings (auto)")}
SECONDS = "tune_seconds"
DEFAULT_SECONDS = 20
MAX_SECONDS = 120
COLUMNS = {"rank": N_("rank"), "dim": N_("embedding size"), "lr": N_("learning rate"),
           "weight_decay": N_("weight decay"), "val_rmse": N_("validation RMSE"),
           "train_rmse": N_("train RMSE"), "epochs": N_("epochs"), "seconds": N_("seconds"),
           "status": N_("status")}


def grid_size() -> int:
    return len(GRID["dim"]) * len(GRID["lr"]) * len(GRID["weight_decay"])


def apply_best(model: str) -> None:
    """Write the best setting into the form (a callback: before the form is drawn)."""
    s = st.session_state
    found = _result_for(s, model)
    if found is None:
        return
    best = found.best
    if best.get("dim") is not None:
        for name in ("dim", "mlp_dim"):
            key = widget_key(f"cfg-{model}", name)
            if key in s:
                s[key] = int(best["dim"])
    s[widget_key(f"tc-{model}", "lr")] = float(best["lr"])
    s[widget_key(f"tc-{model}", "weight_decay")] = float(best["weight_decay"])
    s[APPLIED] = (model, s.get(app_state.DATA_REV))


def _result_for(s: MutableMapping, model: str) -> TuningResult | None:
    """The last search, if it was made for this model and data (kept by the run service)."""
    return app_state.service(s).tuned(model, s.get(app_state.DATA_REV))


def note(found: TuningResult, seed: int) -> str:
    """What was scored on what, in the session's language."""
    n_val = int(found.is_val.sum())
    n_all = int(found.is_val.size)
    text = _("Every setting was trained on the same {train} ratings and scored only on the same {val} "
             "held-out validation ratings ({share} of the known ratings, chosen with seed {seed}). Test "
             "data never took part. Because these ratings picked the winner, its validation error is "
             "slightly optimistic: compare on fresh ratings for an honest figure.",
             train=f"{n_all - n_val:,}", val=f"{n_val:,}", share=f"{n_val / max(n_all, 1):.0%}", seed=seed)
    if found.tried < found.planned:
        text += " " + _("Time ran out after {tried} of the {planned} settings; the rest were not tried.",
                        tried=found.tried, planned=found.planned)
    return text


def table(found: TuningResult) -> pd.DataFrame:
    shown = found.table.copy()
    shown["status"] = [status_words(x) for x in shown["status"]]
    return shown


def panel(s: MutableMapping, model: str, ratings, model_config, train_config,
          problems: list) -> None:
    """The search, its table, the best setting and the button that applies it."""
    if "tuning" in classroom_view.hidden(s) or ratings is None:
        return
    found = _result_for(s, model)
    with st.expander(_("Find good settings (tuning)"), icon=":material/tune:", key="tuning",
                     expanded=found is not None):
        how = st.segmented_control(_("Search"), list(HOWS), key=HOW, required=True, default="grid",
                                   format_func=lambda key: _(HOWS[key]), persist_state="session")
        caption = _caption(how, model_config, train_config)
        if caption:
            st.caption(caption)
        with st.container(horizontal=True, vertical_alignment="bottom"):
            seconds = st.number_input(_("Time allowed (seconds)"), 5, MAX_SECONDS, DEFAULT_SECONDS,
                                      key=SECONDS, persist_state="session", width=200)
            clicked = st.button(_("Search"), key="tune", icon=":material/manage_search:",
                                disabled=bool(problems))
        slot = st.empty()
        if clicked and not problems:
            found = _search(s, model, ratings, model_config, train_config, int(seconds), slot, how)
        if found is None:
            return
        with st.container(key="tune_table"):
            config = {c: st.column_config.Column(_(words)) for c, words in COLUMNS.items()}
            config.update({c: st.column_config.NumberColumn(_(COLUMNS[c]), format="%.4f")
                           for c in ("val_rmse", "train_rmse")})
            config["lr"] = st.column_config.NumberColumn(_(COLUMNS["lr"]), format="%g")
            config["weight_decay"] = st.column_config.NumberColumn(_(COLUMNS["weight_decay"]),
                                                                   format="%g")
            st.dataframe(table(found), hide_index=True, column_config=config)
        best = found.best
        rmse = found.table["val_rmse"].iloc[0]
        st.success(_("Best: embedding size {dim}, learning rate {lr}, weight decay {wd} (validation RMSE "
                     "{rmse}).", dim="-" if best["dim"] is None else best["dim"], lr=f"{best['lr']:g}",
                     wd=f"{best['weight_decay']:g}", rmse="-" if pd.isna(rmse) else f"{rmse:.4f}"))
        st.button(_("Apply the best"), key="tune_apply", on_click=apply_best, args=(model,),
                  type="primary", icon=":material/done_all:")
        if s.get(APPLIED) == (model, s.get(app_state.DATA_REV)):
            st.caption(_("Applied to the settings above: press Train to train with them."))
        st.info(note(found, train_config.seed if train_config else 0),
                icon=":material/verified_user:")


def _caption(how: str, model_config, train_config) -> str:
    """What the search tries ("" for auto while the settings above have problems: the form
    says what they are, and the search waits for them)."""
    if how == "auto":
        if model_config is None or train_config is None:
            return ""
        dims, decays = auto.candidates(model_config, train_config)
        if dims == (None,):  # the baseline: no embedding size to search
            return _("Tries the weight decay set above, then half and twice it, ranked by their error "
                     "on the held-out validation ratings; everything else as set above.")
        return _("Tries the embedding sizes up to the one set above ({sizes}) at the weight decay set "
                 "above, then half and twice "
                 "that weight decay at the best size: up to {n} settings around the suggested ones, "
                 "everything else as set above, ranked by their error on the held-out validation "
                 "ratings. The settings above are always among them.",
                 sizes=", ".join(map(str, dims)), n=len(dims) + len(decays))
    return _("Tries up to {n} combinations of embedding size, learning rate and weight decay, "
             "everything else as set above, and ranks them by their error on the held-out "
             "validation ratings.", n=grid_size())


def _search(s, model, ratings, model_config, train_config, seconds, slot, how="grid"):
    setup = Setup(model, model_config, train_config, ratings, data_rev=s.get(app_state.DATA_REV))
    with slot.container():
        pause_slot, bar_slot = st.empty(), st.empty()
    pause_slot.button(_("Pause"), key="tune_pause", on_click=on_pause, icon=":material/pause:",
                      help=_("Stops the search and keeps the settings tried so far."))
    text = lambda p, started: _("Tried {done} of {planned} settings",  # noqa: E731
                                done=int(p.done), planned=p.total)
    planned = sum(map(len, auto.candidates(model_config, train_config))) if how == "auto" \
        else grid_size()
    drawer = LiveDrawer(None, bar_slot, text=text, bar=bar_slot.progress(
        0.0, text=_("Tried {done} of {planned} settings", done=0, planned=planned)))
    try:
        done = guarded(lambda: app_state.service(s).tune(setup, max_seconds=seconds,
                                                         observer=drawer, how=how), slot)
    except ValueError as err:
        slot.error(md_escape(_("The search could not run:") + " " + error_text(err)))
        return None
    if not done:
        return None
    slot.empty()
    s.pop(APPLIED, None)
    return _result_for(s, model)
