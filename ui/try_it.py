"""Try it yourself, on the Results page: a visitor rates a few items and gets their own top-N.

The visitor picks a handful of the run's items (one searchable multiselect, however many items
the run has) and gives each a rating; every change folds them into the trained run at once
(:func:`recsys_core.training.foldin.fold_in`: the model stays as it is, only the visitor's own row is
found), and the panel shows their top-N with the "because", how sure the model is (how many
ratings it had), and their place on the run's map of learned tastes. Beside the list, a button
trains the run again from scratch with the visitor among its users, through the session's run
service (a progress bar and a Stop, like every training), and then says how close the fold-in
came: how many of the two top-N lists' items are the same, how far the two predictions are
apart.

Every value the visitor entered is a widget kept for the session (``persist_state``), so it
survives page switches and a change of run (ratings are keyed by item label). Wrong input is
said in words: no rating yet, a value off the run's scale (the library's ``FoldInError``, in
the session's language).
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping

import numpy as np
import pandas as pd
import streamlit as st

from recsys_core.data.errors import RatingsError
from recsys_core.i18n import L_, Ln_
from recsys_core.results import figures
from recsys_core.training.foldin import FoldIn, fold_in

from . import present
from .control_bar import on_pause
from .i18n import _, because_text, explained, fig_text, message_of, n_
from .state import service
from .text import md_escape
from .training import LiveDrawer, guarded

ITEMS = "tryit_items"  # widget key: the items the visitor picked (labels)
TOP_N = "tryit_n"  # widget key: how many to recommend
RATING = "tryit_r_"  # widget key prefix of one item's rating (+ a digest of its label)
MEMO = "tryit_memo"  # session key: (mark, FoldIn) of the last fold-in
PENDING = "tryit_pending"  # session key: the retrain asked for by its button (a mark)
COMPARED = "tryit_compared"  # session key: {"mark": ..., "comparison": ...} of the last retrain
STOPPED = "tryit_stopped"  # session key: the last retrain was stopped (say so once)
PROBLEM = "tryit_problem"  # session key: why the last retrain could not run (a message)
MAX_PICKS = 20  # "a handful": the items one visitor rates at most
DEFAULT_N = 5
FEW_RATINGS = 3  # fewer: the model knows very little, and no "because" can be given
SOME_RATINGS = 5  # fewer: a first guess


def rating_key(label: str) -> str:
    """The widget key of the rating of the item ``label`` (any text: a digest of it)."""
    return RATING + hashlib.sha1(str(label).encode("utf-8")).hexdigest()[:12]


def step_of(scale: tuple[float, float]) -> float:
    """The rating widgets' step: half a point on a scale of several points, else a tenth."""
    low, high = scale
    return 0.5 if high - low >= 3 else 0.1


def ratings_given(state: MutableMapping, picked: list[str]) -> tuple[dict[str, float], list[str]]:
    """The visitor's ratings (``{label: value}``, in the order picked) and the picked items
    that have no rating yet."""
    rated, missing = {}, []
    for label in picked:
        value = state.get(rating_key(label))
        if value is None:
            missing.append(label)
        else:
            rated[label] = float(value)
    return rated, missing


def certainty(n: int, typical: float | None):
    """How sure the model is of a visitor who gave ``n`` ratings, in plain words: ``(level,
    line)``, level "few" (a warning), "some" or "enough"; ``typical``: the median number of
    ratings of a user in training, when known. ``line`` is an ``L_`` message."""
    based = Ln_("Based on your {n} rating.", "Based on your {n} ratings.", n, n=n)
    if typical is not None:
        based = L_("{based} Users in the training data have {typical} each (median).",
                   based=based, typical=f"{typical:g}")
    if n < FEW_RATINGS:
        more = SOME_RATINGS - n
        return "few", Ln_("{based} That is very little: the list is a rough guess that your "
                          "next rating can change a lot, and no \"because\" can be given yet. "
                          "Rate at least {more} more item to make it surer.",
                          "{based} That is very little: the list is a rough guess that your "
                          "next rating can change a lot, and no \"because\" can be given yet. "
                          "Rate at least {more} more items to make it surer.", more,
                          based=based, more=more)
    if n < SOME_RATINGS:
        return "some", L_("{based} A first guess at your taste: a few more ratings make it "
                          "surer.", based=based)
    return "enough", L_("{based} Enough for a first list; the more you rate, the surer it "
                        "gets.", based=based)


def method_words(visitor: FoldIn) -> str:
    if visitor.method == "closed form":
        return _("your factors and bias were solved in closed form against the model's fixed "
                 "item factors")
    return _("a few gradient steps found your own row, every other weight of the network "
             "frozen")


def comparison_mark(run, picked_ratings: dict[str, float], n: int) -> tuple:
    """What a retrain's comparison depends on: the run as trained so far, the ratings (a
    ranking run's ticked items, each 1), n."""
    return (run.id, run.result.epochs_run, tuple(picked_ratings.items()), int(n))


def folded(state: MutableMapping, run, rated: dict[str, float]) -> FoldIn:
    """The visitor folded into ``run`` (kept for the next script run while nothing changed)."""
    mark = comparison_mark(run, rated, 0)
    memo = state.get(MEMO)
    if memo is not None and memo[0] == mark and memo[1].run.model is run.result.model:
        return memo[1]
    visitor = fold_in(run.result, rated)
    state[MEMO] = (mark, visitor)
    return visitor


# ----- retraining with the visitor added -----------------------------------------------------------
def on_retrain(mark: tuple) -> None:
    """The retrain button (a callback): the panel trains when it is drawn next."""
    state = st.session_state
    state[PENDING] = mark
    state[PROBLEM] = None
    state[STOPPED] = False


def on_stop() -> None:
    st.session_state[STOPPED] = True
    st.session_state.pop(PENDING, None)
    on_pause()


def retrain(state: MutableMapping, run, visitor: FoldIn, mark: tuple, slot) -> None:
    """Train the run again with the visitor added, through the run service: a Stop and a
    progress bar in ``slot``. Keeps the comparison (or why there is none) in the session."""
    with slot.container():
        st.button(_("Stop"), key="tryit_stop", on_click=on_stop, icon=":material/stop:",
                  help=_("Stops the retraining; fold-in's list stays as it is."))
        bar_slot = st.empty()
    found = {}

    def job():
        found["comparison"] = service(state).retrain_visitor(run.result, visitor, n=mark[-1],
                                                             observer=LiveDrawer(None, bar_slot))

    try:
        ran = guarded(job, bar_slot)
    except RatingsError as err:  # FoldInError: a run without its data
        state[PROBLEM] = message_of(err)
        return
    if not ran:
        return
    if found.get("comparison") is None:
        state[STOPPED] = True
        return
    state[COMPARED] = {"mark": mark, "comparison": found["comparison"]}
    slot.empty()


def verdict(comparison) -> str:
    """The comparison in plain words (a ratings run's, or a ranking run's: see
    :func:`is_ranking`)."""
    ranking = is_ranking(comparison)
    apart = comparison.rank_correlation < 0.5 if ranking else comparison.mean_abs_diff > 0.25
    if comparison.overlap >= 0.8:
        text = _("Fold-in came close to retraining: {shared} of the {n} items are the same, in a "
                 "fraction of the time.", shared=comparison.shared, n=comparison.n)
        if apart and ranking:
            text += " " + _("Further down, the two orders differ more than the lists: retraining "
                            "also moves the other users and items a little, and training from "
                            "scratch lands somewhat elsewhere every time.")
        elif apart:
            text += " " + _("The predicted ratings differ more than the lists: retraining also "
                            "moves the other users and items a little, and training from "
                            "scratch lands somewhat elsewhere every time.")
        return text
    if comparison.overlap >= 0.5:
        return _("Fold-in and retraining agree on much of the list, not all of it: retraining "
                 "also moves the other users and items a little, and training from scratch "
                 "lands somewhat elsewhere every time.")
    if ranking:
        return _("Fold-in and retraining disagree here: with few ticked items, little data or a "
                 "model trained only briefly, a newcomer's list is uncertain either way (a "
                 "retrain gives your own row only the few updates your ticks make in each "
                 "epoch; fold-in trains it alone).")
    return _("Fold-in and retraining disagree here: with few ratings, a small matrix or a model "
             "trained only briefly, a newcomer's list is uncertain either way.")


def is_ranking(comparison) -> bool:
    """A ranking run's comparison (:class:`recsys_core.ranking.foldin.RankingComparison`):
    scores without a common scale, so the orders are compared, not the numbers."""
    return hasattr(comparison, "rank_correlation")


def agreement_metric(comparison) -> None:
    """The second number beside the shared items: how far the predictions are apart (ratings),
    or how alike the two orders of every other item are (ranking)."""
    c = comparison
    if is_ranking(c):
        st.metric(_("Order of every other item"), f"{c.rank_correlation:.2f}",
                  help=_("Spearman's rank correlation of the two models' scores of every item "
                         "you did not tick: 1 is the same order, 0 no relation."))
    else:
        st.metric(_("Mean difference of predictions"), f"{c.mean_abs_diff:.2f}",
                  help=_("Averaged over every item you did not rate, in rating points "
                         "(largest: {most}).", most=f"{c.max_abs_diff:.2f}"))


def comparison_section(state: MutableMapping, run, visitor: FoldIn, mark: tuple) -> None:
    """The retrain button, its progress while it runs, and how close fold-in came."""
    st.markdown("**" + _("How close is fold-in to retraining?") + "**")
    st.caption(_("Trains the run again from scratch with you among its users (the same model, "
                 "settings, seed and epochs), then compares the two lists. Takes as long as "
                 "training the run did."))
    st.button(_("Retrain with me added"), key="tryit_retrain", on_click=on_retrain,
              args=(mark,), icon=":material/compare_arrows:")
    slot = st.empty()
    if state.get(PENDING) == mark:
        state.pop(PENDING, None)
        retrain(state, run, visitor, mark, slot)
    if state.get(PROBLEM):
        st.error(md_escape(explained(state[PROBLEM])))
    if state.get(STOPPED):
        st.info(_("The retraining was stopped: there is nothing to compare with."))
    done = state.get(COMPARED)
    if not done:
        return
    if done["mark"] != mark:
        if done["mark"][0] == run.id:
            st.caption(_("Your ticked items (or the list's length) changed since the last "
                         "retrain: retrain again to compare.") if is_ranking(done["comparison"])
                       else _("Your ratings (or the list's length) changed since the last retrain: "
                              "retrain again to compare."))
        return
    c = done["comparison"]
    with st.container(key="tryit_compared"):
        with st.container(horizontal=True):
            st.metric(_("Same items in both top-{n}", n=c.n), f"{c.shared} / {c.n}")
            agreement_metric(c)
        st.text(_("Fold-in: {ms} ms · retraining: {s} s", ms=f"{c.fold_in_seconds * 1000:.0f}",
                  s=f"{c.retrain_seconds:.1f}"))
        both = set(c.fold_in_top) & set(c.retrained_top)
        table = pd.DataFrame({"rank": np.arange(1, c.n + 1), "fold_in": c.fold_in_top,
                              "retrained": c.retrained_top,
                              "both": [item in both for item in c.fold_in_top]})
        st.dataframe(table, hide_index=True, column_config={
            "rank": st.column_config.Column(_("rank"), width=50),
            "fold_in": st.column_config.Column(_("fold-in")),
            "retrained": st.column_config.Column(_("retrained")),
            "both": st.column_config.CheckboxColumn(_("in both"), width=60)})
        st.caption(verdict(c))


# ----- the panel ---------------------------------------------------------------------------------
def show_top(table: pd.DataFrame, score: str, score_label: str, score_format: str) -> None:
    """The visitor's list, ``rank, item, <score>, because`` (both tasks' panels)."""
    with st.container(key="tryit_top"):
        st.dataframe(table, hide_index=True, column_config={
            "rank": st.column_config.Column(_("rank"), width=50),
            "item": st.column_config.Column(_("item"), width="medium"),
            score: st.column_config.NumberColumn(score_label, format=score_format, width=80),
            "because": st.column_config.Column(_("because"), width="medium")})


def top_table(visitor: FoldIn, n: int) -> pd.DataFrame:
    table = visitor.top_n(n).rename(columns={"score": "prediction"})
    table["because"] = [because_text(text) for text in table["because"]]
    return table


def visitor_map(result, visitor: FoldIn) -> None:
    frame = result.embeddings_2d()
    if frame.empty or visitor.position is None:
        st.caption(_("The baseline model has no embeddings: there is no map to place you on."))
        return
    with st.container(key="tryit_map"):
        st.plotly_chart(present.chart(figures.embedding_map(frame, text=fig_text(),
                                                            visitor=visitor.position)),
                        width="stretch")


def picker(state: MutableMapping, items: list[str], scale: tuple[float, float]) -> list[str]:
    """The items the visitor picked (searchable), and a rating field for each."""
    known = set(items)
    picked_before = state.get(ITEMS)
    if picked_before and any(label not in known for label in picked_before):
        state[ITEMS] = [label for label in picked_before if label in known]  # another data set
    low, high = scale
    picked = st.multiselect(
        _("Items you know (type to search)"), items, key=ITEMS, persist_state="session",
        max_selections=MAX_PICKS, select_all=False,
        placeholder=_("Pick up to {n} items", n=MAX_PICKS),
        help=_("Pick items you have an opinion of, then give each a rating below."))
    if picked:
        with st.container(horizontal=True, key="tryit_ratings"):
            for label in picked:
                st.number_input(md_escape(label), value=None, step=step_of(scale), format="%g",
                                key=rating_key(label), persist_state="session", width=190,
                                placeholder=_("{low} to {high}", low=f"{low:g}", high=f"{high:g}"))
    return picked


def panel(state: MutableMapping, run) -> None:
    """The whole panel for ``run`` (a run with a trained result)."""
    result = run.result
    items = list(result.ratings.items)
    low, high = result.ratings.scale
    st.caption(_("Pick a few items you know and rate each from {low} to {high}: the model finds "
                 "your taste at once, without retraining (fold-in), and recommends the items you "
                 "did not rate.", low=f"{low:g}", high=f"{high:g}"))
    picked = picker(state, items, (low, high))
    rated, missing = ratings_given(state, picked)
    if not picked:
        st.info(_("No ratings yet: pick a few items above and rate each; your list appears here "
                  "at once."), icon=":material/touch_app:")
        return
    if missing:
        st.info(md_escape(n_("No rating yet for {items}: give it a number from {low} to {high} "
                             "(it is left out until then).",
                             "No rating yet for {items}: give each a number from {low} to "
                             "{high} (they are left out until then).", len(missing),
                             items=", ".join(missing), low=f"{low:g}", high=f"{high:g}")))
    if not rated:
        return
    try:
        visitor = folded(state, run, rated)
    except RatingsError as err:  # FoldInError: a value off the scale ...
        st.error(md_escape(explained(message_of(err))))
        return
    mine, beside = st.columns([2, 1], gap="medium")
    with mine:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            heading = st.empty()
            n = int(st.number_input(_("How many to recommend"), 1, 50, DEFAULT_N, key=TOP_N,
                                    persist_state="session", width=170))
        heading.markdown("**" + _("Your top {n}", n=n) + "**")
        table = top_table(visitor, n)
        if table.empty:
            st.info(_("You rated every item: there is nothing left to recommend."))
        show_top(table, "prediction", _("prediction"), "%.2f")
        level, line = certainty(visitor.n_ratings, visitor.run.typical_ratings)
        with st.container(key="tryit_certainty"):
            (st.warning if level == "few" else st.caption)(md_escape(explained(line)))
        st.caption(_("How: {how}, in {ms} ms. \"because\": the items you rated above your own "
                     "average that the model finds most like the recommended one.",
                     how=method_words(visitor), ms=f"{visitor.seconds * 1000:.0f}"))
    if not table.empty:  # with nothing left to recommend there is nothing to compare
        with beside:
            comparison_section(state, run, visitor, comparison_mark(run, rated, n))
    visitor_map(result, visitor)
