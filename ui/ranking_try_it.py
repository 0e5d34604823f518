"""Try it yourself on a ranking run: a visitor ticks the items they like and gets their top-N.

The interactions half of ``ui/try_it.py``: no ratings to give, only "I clicked / liked this".
Every change folds the visitor into the trained run at once
(:func:`recsys_core.ranking.foldin.visitor_top_n`: the model is not changed; the embedding
models train only the visitor's own row against their frozen items, popularity and item-kNN
are exact), and the panel shows the list with its "because". The ticked items are a widget
kept for the session, so they survive page switches.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import streamlit as st

from recsys_core.data.errors import RatingsError
from recsys_core.ranking.foldin import visitor_top_n

from .i18n import N_, _, explained, message_of
from .text import md_escape

LIKED = "tryit_liked"  # widget key: the items the visitor ticked (labels)
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
        table, visitor = visitor_top_n(result, liked, n)
    except RatingsError as err:
        st.error(md_escape(explained(message_of(err))))
        return
    st.markdown("**" + _("Your top {n}", n=n) + "**")
    with st.container(key="tryit_top"):
        st.dataframe(table, hide_index=True, column_config={
            "rank": st.column_config.Column(_("rank"), width=50),
            "item": st.column_config.Column(_("item"), width="medium"),
            "score": st.column_config.NumberColumn(_("score"), format="%.3f", width=80),
            "because": st.column_config.Column(_("because"), width="medium")})
    how = HOW.get(result.model_name, HOW_EMBEDDING)
    st.caption(_("How: {how}, in {ms} ms. \"because\": the items you ticked that the model "
                 "finds most like the recommended one.", how=_(how),
                 ms=f"{visitor.seconds * 1000:.0f}"))
