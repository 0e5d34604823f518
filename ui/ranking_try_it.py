"""Try it yourself on a ranking run: a visitor ticks the items they like and gets their top-N.

The interactions half of ``ui/try_it.py``: no ratings to give, only "I clicked / liked this".
Every change folds the visitor into the trained run at once
(:func:`recsys_core.ranking.foldin.visitor_top_n`: the model is not changed; the embedding
models train only the visitor's own row against their frozen items, ALS, popularity and
item-kNN are exact), and the panel shows the list with its "because", how sure the model is
(how many items it had), the visitor's place on the run's map, and, as for ratings, a button
that trains the run again with the visitor among its users and says how close fold-in came
(``ui/try_it.py``'s comparison, which the run service serves for both tasks). The ticked
items are a widget kept for the session, so they survive page switches.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import streamlit as st

from recsys_core.data.errors import RatingsError
from recsys_core.ranking.foldin import map_position, typical_likes, visitor_top_n
from recsys_core.results import figures

from . import present
from .i18n import N_, _, explained, fig_text, message_of, n_
from .text import md_escape
from .try_it import FEW_RATINGS, SOME_RATINGS, comparison_mark, comparison_section, show_top

LIKED = "tryit_liked"  # widget key: the items the visitor ticked (labels)
MEMO = "tryit_ranking_memo"  # session key: (mark, table, visitor) of the last fold-in
MAX_TICKS = 20
HOW = {
    "popularity": N_("popularity is the same list for everyone: the most-clicked items you have "
                     "not ticked"),
    "itemknn": N_("item-kNN adds up each item's similarity to the items you ticked (exact, as for "
                  "any user)"),
    "als": N_("ALS solves your row of factors exactly against the model's fixed item factors, with "
              "the run's α and λ, as training solves every user's (closed form, nothing sampled)"),
}
HOW_EMBEDDING = N_("a fresh row of user numbers trained against the model's frozen items, with "
                   "its own loss and sampled negatives (nothing else changes)")


def panel(state: MutableMapping, run, n: int) -> None:
    """The whole panel for a ranking ``run`` with a trained result."""
    result = run.result
    items = list(result.data.items)
    known = set(items)  # once: MovieLens has 9,724 items
    if any(label not in known for label in state.get(LIKED) or []):
        state[LIKED] = [label for label in state[LIKED] if label in known]  # other data
    st.caption(_("Tick a few items you like (clicked, watched, bought): the model finds your "
                 "taste at once, without retraining (fold-in), and recommends items you have "
                 "not ticked."))
    liked = st.multiselect(_("Items you like (type to search)"), items, key=LIKED,
                           persist_state="session", max_selections=MAX_TICKS,
                           placeholder=_("Pick up to {n} items", n=MAX_TICKS))
    if not liked:
        st.info(_("Nothing ticked yet: pick a few items above; your list appears here at once."),
                icon=":material/touch_app:")
        return
    try:
        table, visitor = folded(state, run, liked, n)
    except RatingsError as err:
        st.error(md_escape(explained(message_of(err))))
        return
    mine, beside = st.columns([2, 1], gap="medium")
    with mine:
        st.markdown("**" + _("Your top {n}", n=n) + "**")
        if table.empty:
            st.info(_("You ticked every item: there is nothing left to recommend."))
        show_top(table, "score", _("score"), "%.3f")
        level, line = certainty(visitor.n_liked, typical_likes(result))
        with st.container(key="tryit_certainty"):
            (st.warning if level == "few" else st.caption)(md_escape(line))
        how = HOW.get(result.model_name, HOW_EMBEDDING)
        st.caption(_("How: {how}, in {ms} ms. \"because\": the items you ticked that the model "
                     "finds most like the recommended one.", how=_(how),
                     ms=f"{visitor.seconds * 1000:.0f}"))
    if not table.empty:  # with nothing left to recommend there is nothing to compare
        with beside:
            comparison_section(state, run, visitor,
                               comparison_mark(run, dict.fromkeys(liked, 1.0), n))
    visitor_map(result, visitor)


def folded(state: MutableMapping, run, liked: list[str], n: int):
    """The visitor's top ``n`` and fold-in (kept for the next script run while nothing
    changed: the embedding models' fold-in trains a row, a fraction of a second)."""
    mark = comparison_mark(run, dict.fromkeys(liked, 1.0), n)
    memo = state.get(MEMO)
    if memo is not None and memo[0] == mark and memo[3] is run.result.model:
        return memo[1].copy(), memo[2]
    table, visitor = visitor_top_n(run.result, liked, n)
    state[MEMO] = (mark, table, visitor, run.result.model)
    return table.copy(), visitor


def certainty(n: int, typical: float) -> tuple[str, str]:
    """How sure the model is of a visitor who ticked ``n`` items, in plain words: ``(level,
    line)``, level "few" (a warning), "some" or "enough", as ``ui/try_it.py`` says it of
    ratings; ``typical``: the median number of training interactions of a user."""
    based = _("{based} Users in the training data have {typical} interactions each (median).",
              based=n_("Based on the {n} item you ticked.", "Based on the {n} items you ticked.",
                       n, n=n), typical=f"{typical:g}")
    if n < FEW_RATINGS:
        more = SOME_RATINGS - n
        return "few", n_("{based} That is very little: the list is a rough guess that your next "
                         "tick can change a lot. Tick at least {more} more item to make it surer.",
                         "{based} That is very little: the list is a rough guess that your next "
                         "tick can change a lot. Tick at least {more} more items to make it "
                         "surer.", more, based=based, more=more)
    if n < SOME_RATINGS:
        return "some", _("{based} A first guess at your taste: a few more ticks make it surer.",
                         based=based)
    return "enough", _("{based} Enough for a first list; the more you tick, the surer it gets.",
                       based=based)


def visitor_map(result, visitor) -> None:
    """The run's map of learned tastes with the visitor on it (a star), or why there is none."""
    frame = result.embeddings_2d()
    position = map_position(result, visitor)
    if frame.empty or position is None:
        st.caption(_("This model has no embeddings (popularity and item-kNN score items from "
                     "counts of interactions): there is no map to place you on."))
        return
    with st.container(key="tryit_map"):
        st.plotly_chart(present.chart(figures.embedding_map(frame, text=fig_text(),
                                                            visitor=position)),
                        width="stretch")
