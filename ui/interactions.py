"""The Data page for the ranking task: interactions (clicks, views, purchases) from the
current ratings, a bundled sample, an uploaded file or the click generator.

The handlers (``from_ratings``, ``from_sample``, ``from_upload``, ``from_generator``) take a
state mapping and return a message in words or None, so tests call them without a browser;
a refused source never touches the current interactions. The ``*_section`` functions draw.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import partial

import streamlit as st

from recsys_core.data import synthetic
from recsys_core.data.errors import RatingsError
from recsys_core.data.samples import SAMPLES, load_sample_interactions
from recsys_core.ranking.data import Interactions
from recsys_core.ranking.loading import load_interactions
from recsys_core.ranking.split import leave_one_out

from . import state
from .forms import generator_sizes
from .i18n import L_, N_, _, current_lang, data_title, explained, message_of, sample_title, warning_text
from .text import md_escape
from .upload import MAX_BYTES, TYPES, UPLOAD_MB

RULE = "like_rule"  # widget keys: which ratings count, and the threshold
THRESHOLD = "like_threshold"
RULES = {"every": N_("every rating"), "threshold": N_("ratings at or above a threshold")}
ERROR = "interactions_error"  # session key: why the last source was refused (a Msg)
SAMPLE = "interactions_sample"
INTERACTION_SAMPLES = ("movielens",)
"""Bundled samples offered as interactions (the ones with a time for every rating)."""
NARROW = 160


# ----- handlers (no drawing) ---------------------------------------------------------------------
def like_threshold(s: MutableMapping) -> float | None:
    """The threshold the rule widgets set, or None when every rating counts."""
    if s.get(RULE) != "threshold" or s.get(THRESHOLD) is None:
        return None
    return float(s[THRESHOLD])


def threshold_words(ratings, threshold: float | None) -> str:
    """What the rule does to ``ratings``, in words, before it is applied."""
    if threshold is None:
        return _("Every rating counts as an interaction: {n} kept.", n=f"{ratings.n_ratings:,}")
    kept = int((ratings.values >= threshold).sum())
    return _("Ratings of {x} or more count as a like; {kept} of {n} kept.", x=f"{threshold:g}",
             kept=f"{kept:,}", n=f"{ratings.n_ratings:,}")


def _take(s: MutableMapping, load, name: str) -> str | None:
    """Run ``load()``; its interactions become the current ones, or its error is returned
    (the current interactions stay)."""
    try:
        data = load()
    except (RatingsError, ValueError) as err:
        return message_of(err)
    if leave_one_out(data).test_users.size == 0:
        return L_("No user has two interactions, so none can be held out and scored. Give "
                  "each user at least two interactions (lower the threshold, or choose other "
                  "data).")
    state.set_interactions(s, data, name)
    return None


def from_ratings(s: MutableMapping, threshold: float | None) -> str | None:
    ratings = state.current(s)
    if ratings is None:
        return L_("There are no ratings to turn into interactions: load some first.")
    name = state.current_data_name(s)
    return _take(s, lambda: Interactions.from_ratings(ratings, threshold), name)


def from_sample(s: MutableMapping, name: str, threshold: float | None) -> str | None:
    return _take(s, lambda: load_sample_interactions(name, threshold), SAMPLES[name].title)


def from_upload(s: MutableMapping, payload: bytes, name: str,
                threshold: float | None) -> str | None:
    def load():
        try:
            return load_interactions(payload, name, like_threshold=threshold,
                                     max_bytes=MAX_BYTES)
        except (RatingsError, ValueError):
            raise
        except Exception as err:  # noqa: BLE001 - every failure becomes words, never a traceback
            raise ValueError(L_("This file could not be read ({details}). Check that it is a "
                                "CSV, TSV, TXT or XLSX table with a user and an item on each "
                                "row, or a 0/1 matrix.", details=type(err).__name__)) from None

    return _take(s, load, name)


def from_generator(s: MutableMapping) -> str | None:
    users, items, seed = int(s["clk_users"]), int(s["clk_items"]), int(s["clk_seed"])
    name = L_("synthetic clicks {users} x {items} (seed {seed})", users=users, items=items,
              seed=seed)
    return _take(s, lambda: synthetic.generate_clicks(
        users, items, int(s["clk_groups"]), int(s["clk_per_user"]), float(s["clk_taste"]),
        seed)[0], name)


# ----- callbacks ---------------------------------------------------------------------------------
def on_from_ratings() -> None:
    s = st.session_state
    s[ERROR] = from_ratings(s, like_threshold(s))


def on_sample() -> None:
    s = st.session_state
    s[ERROR] = from_sample(s, s[SAMPLE], like_threshold(s))


def on_generate() -> None:
    s = st.session_state
    s[ERROR] = from_generator(s)


# ----- sections ----------------------------------------------------------------------------------
def rule_section(s: MutableMapping) -> None:
    """Which ratings count: every one, or those at or above a threshold (a "like")."""
    ratings = state.current(s)
    lo, hi = ratings.scale if ratings is not None else (0.0, 5.0)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        lang = current_lang()  # a format_func may be called after the run
        st.radio(_("Where a file or sample has ratings, count"), list(RULES), key=RULE,
                 format_func=lambda r: _(RULES[r], lang=lang), horizontal=True,
                 persist_state="session")
        if s.get(RULE) == "threshold":
            st.number_input(_("Lowest rating that counts"), float(lo), float(hi),
                            float(min(max(4.0, lo), hi)), step=0.5, key=THRESHOLD,
                            persist_state="session", width=NARROW)


def ratings_section(s: MutableMapping) -> None:
    ratings = state.current(s)
    if ratings is None:
        st.info(_("No ratings are loaded to turn into interactions."))
        return
    st.text(_("The current ratings: {name}", name=data_title(state.current_data_name(s))))
    st.caption(threshold_words(ratings, like_threshold(s)))  # numbers and fixed words only
    st.button(_("Use these ratings as interactions"), key="use_ratings", type="primary",
              on_click=on_from_ratings)


def sample_section(s: MutableMapping) -> None:
    st.selectbox(_("Sample data set"), INTERACTION_SAMPLES, key=SAMPLE,
                 format_func=partial(sample_title, lang=current_lang()), persist_state="session")
    st.caption(_("Every rating with its time, as the NCF paper uses MovieLens: each user's "
                 "latest interaction is held out. Set above which ratings count."))
    st.button(_("Load this sample as interactions"), key="load_interactions_sample",
              type="primary", on_click=on_sample)


def upload_section(s: MutableMapping) -> None:
    upload = st.file_uploader(
        _("An interaction file (CSV, TSV, TXT or XLSX): one user, item per row, with an "
          "optional time and count or rating, or a users x items matrix of 0 and 1"),
        type=TYPES, key="upload_interactions", max_upload_size=UPLOAD_MB)
    if upload is None:
        return
    if st.button(_("Use these interactions"), key="accept_interactions", type="primary"):
        problem = from_upload(s, upload.getvalue(), upload.name, like_threshold(s))
        if problem:  # said here, beside the file; the current interactions stay
            st.error(md_escape(explained(problem)))
        else:
            st.success(_("Loaded: this file is now the current interactions."))


def generate_section(s: MutableMapping) -> None:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        generator_sizes("clk", 100, 50, 2, NARROW)
        st.number_input(_("Clicks per user"), 2, 500, 10, key="clk_per_user",
                        persist_state="session", width=NARROW)
        st.number_input(_("Share of clicks in the own group"), 0.0, 1.0, 0.8, 0.05,
                        key="clk_taste", persist_state="session", width=NARROW)
        st.number_input(_("Seed"), 0, 2**31 - 1, 0, key="clk_seed", persist_state="session",
                        width=NARROW)
    st.button(_("Generate clicks"), key="generate_clicks", type="primary", on_click=on_generate)


def summary_section(s: MutableMapping) -> None:
    data = state.interactions(s)
    st.subheader(_("Current interactions"))
    if data is None:
        st.info(_("No interactions are loaded yet: turn the ratings into interactions, load "
                  "the sample, upload a file or generate clicks above."))
        return
    st.text(data_title(s.get(state.INTERACTIONS_NAME, "")))
    c = st.columns(4)
    c[0].metric(_("Users"), f"{data.n_users:,}")
    c[1].metric(_("Items"), f"{data.n_items:,}")
    c[2].metric(_("Interactions"), f"{data.n_interactions:,}")
    c[3].metric(_("Filled"), f"{data.density:.1%}")
    if data.rule:
        st.caption(md_escape(explained(data.rule)))
    st.caption(md_escape(explained(leave_one_out(data).note())))
    if data.warnings:
        st.warning(_("Worth knowing about this data:") + "\n\n" + "\n\n".join(
            "- " + md_escape(warning_text(w)) for w in data.warnings))


def page(s: MutableMapping) -> None:
    """The Data page's ranking half: where interactions come from, then what is loaded."""
    st.caption(_("Implicit feedback: who clicked, viewed or bought what. Models learn to rank "
                 "the items each user has not interacted with yet; each user's latest "
                 "interaction is held out to score them (HR@10, NDCG@10)."))
    rule_section(s)
    if s.get(ERROR):
        st.error(md_escape(explained(s[ERROR])))
    tabs = st.tabs([_("From the ratings"), _("Sample"), _("Upload"), _("Generate clicks")])
    for tab, section in zip(tabs, (ratings_section, sample_section, upload_section,
                                   generate_section)):
        with tab:
            section(s)
    summary_section(s)

