"""Data page: choose a sample, upload a file, generate data, edit the grid, read the summary."""

from functools import partial

import streamlit as st

from recsys_core.data import synthetic
from recsys_core.data.errors import RatingsError
from recsys_core.data.loading import FORMATS, SEPARATORS
from recsys_core.data.samples import SAMPLES
from recsys_core.results import figures
from ui import editing, editor_state, interactions, present, state
from ui.forms import generator_sizes
from ui.i18n import (
    L_,
    N_,
    _,
    current_lang,
    data_title,
    english,
    explained,
    fig_text,
    message_of,
    sample_description,
    sample_title,
    warning_text,
)
from ui.text import md_escape
from ui.upload import (
    DUPLICATE_CHOICES,
    ENCODING_CHOICES,
    SEPARATOR_CHOICES,
    TYPES,
    UPLOAD_MB,
    UploadOptions,
    accept_upload,
    chosen,
    separator_words,
    sniff_cached,
    trial_cached,
)

PAGE_SIZE = 50
WIDE, NARROW, CHART_WIDTH = 220, 160, 360  # widget widths (pixels) in rows that wrap on narrow screens
S = st.session_state
LANG = current_lang()  # format_funcs may be called after the run: they say words in this one


# ----- actions (callbacks run before the page is drawn) ------------------------------------------
def on_sample_change():
    problem = state.load_sample_into(S, S["sample"])
    S["sample_error"] = problem


def on_generate():
    try:
        ratings = synthetic.generate(
            int(S["syn_users"]), int(S["syn_items"]), int(S["syn_groups"]),
            float(S["syn_missing"]), float(S["syn_noise"]), int(S["syn_seed"]))
    except (ValueError, RatingsError) as err:
        S["syn_error"] = message_of(err)  # said in the session's language when shown
        return
    S["syn_error"] = None
    name = L_("synthetic {users} x {items} (seed {seed})", users=ratings.n_users,
              items=ratings.n_items, seed=int(S["syn_seed"]))  # said in the language of the day
    state.set_data(S, ratings, name, "synthetic")


def on_rename_item():
    editor_state.rename_item(S, S["rename_from"], S["rename_to"])
    if not S.get(editor_state.ITEMS_ERROR):
        S["rename_to"] = ""


def on_add_item():
    editor_state.add_item(S, S.get("add_name"))
    if not S.get(editor_state.ITEMS_ERROR):
        S["add_name"] = ""


def on_remove_items():
    editor_state.remove_items(S, S.get("remove_which") or [])
    S["remove_which"] = []


# ----- sections ----------------------------------------------------------------------------------
def sample_section():
    names = list(SAMPLES)
    st.selectbox(_("Sample data set"), names, key="sample",
                 format_func=partial(sample_title, lang=LANG),
                 on_change=on_sample_change, persist_state="session")
    chosen = SAMPLES[S["sample"]]
    st.caption(sample_description(chosen.name))
    if chosen.licence:
        with st.container(border=True):
            st.markdown("**" + _("Licence terms") + "**")
            if not english():
                st.caption(_("The licence terms, as GroupLens wrote them:"))
            st.text(chosen.licence)
    if S.get(state.DATA_ORIGIN) != f"sample:{chosen.name}" or S.get(state.DATA_EDITED):
        st.button(_("Load this sample again"), key="reload_sample", on_click=on_sample_change)
    if S.get("sample_error"):
        st.error(md_escape(explained(S["sample_error"])))


def separator_name(sep) -> str:
    """A separator in words, in the page's language ("auto" = detect it)."""
    if sep in (None, "auto"):
        return _("auto-detect", lang=LANG)
    return _(SEPARATORS[sep], lang=LANG) if sep in SEPARATORS else separator_words(sep)


FORMAT_NAMES = {"wide": N_("wide"), "long": N_("long")}
HEADER_CHOICES = {"auto": N_("auto"), "yes": N_("yes"), "no": N_("no")}
DUPLICATE_NAMES = {"error": N_("refuse the file"), "mean": N_("take the mean"),
                   "first": N_("keep the first"), "last": N_("keep the last")}
DUPLICATES_FOUND = {  # what the preview says of duplicated pairs, by the policy chosen
    "error": N_("This file rates some user-item pairs more than once: choose above what to keep for each "
                "(\"A user-item pair rated twice\"), or the file is refused."),
    "mean": N_("Pairs rated more than once will get the mean of their ratings."),
    "first": N_("Pairs rated more than once will keep their first rating."),
    "last": N_("Pairs rated more than once will keep their last rating.")}


def format_name(fmt: str) -> str:
    return _(FORMAT_NAMES[fmt], lang=LANG) if fmt in FORMAT_NAMES else fmt


def row():
    """Widgets side by side, wrapping onto more lines on a narrow screen."""
    return st.container(horizontal=True, vertical_alignment="bottom")


def upload_section():
    upload = st.file_uploader(_("A rating file (CSV, TSV, TXT or XLSX): a users x items "
                                "matrix, or one user, item, rating per row"), type=TYPES,
                              key="upload", max_upload_size=UPLOAD_MB)
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    prefix = f"up_{upload.file_id}"
    st.markdown(_("What was detected (change anything that is wrong):"))
    with row():
        fmt_slot = st.empty()
        sep = chosen(st.selectbox(_("Separator"), SEPARATOR_CHOICES, key=f"{prefix}_sep",
                                  persist_state="session",
                                  format_func=separator_name, width=WIDE))
        encoding = chosen(st.selectbox(_("Encoding"), ENCODING_CHOICES, key=f"{prefix}_enc",
                                       persist_state="session",
                                       format_func=lambda e: _("auto-detect", lang=LANG)
                                       if e == "auto"
                                       else e, width=WIDE))
        sheet_slot = st.empty()
    sheet = S.get(f"{prefix}_sheet")
    sniffed, problem = sniff_cached(S, upload.file_id, data, name,
                                    UploadOptions(sep=sep, encoding=encoding, sheet=sheet))
    if problem:
        st.error(md_escape(explained(problem)))
        return
    if sniffed.sheets and len(sniffed.sheets) > 1:
        sheet = sheet_slot.selectbox(
            _("Sheet"), sniffed.sheets, key=f"{prefix}_sheet", persist_state="session", width=WIDE,
            index=sniffed.sheets.index(sniffed.sheet) if sniffed.sheet in sniffed.sheets else 0)
    fmt = fmt_slot.selectbox(_("Format"), FORMATS, key=f"{prefix}_fmt", persist_state="session", width=WIDE,
                             format_func=lambda f: _("auto ({format})", lang=LANG,
                                                     format=format_name(sniffed.format))
                             if f == "auto" else format_name(f))
    st.text(_("Detected: {format} table, {sep}, {encoding}, header: {header}, {rows} data rows",
              format=format_name(sniffed.format),
              sep=separator_name(sniffed.sep) if sniffed.sep else _("spreadsheet"),
              encoding=sniffed.encoding or "xlsx",
              header=_("yes") if sniffed.has_header else _("no"), rows=f"{sniffed.n_rows:,}"))
    columns = None
    scale = None
    with row():
        header = st.selectbox(_("First row is a header"), list(HEADER_CHOICES),
                              key=f"{prefix}_header", persist_state="session", width=WIDE,
                              format_func=lambda h: _(HEADER_CHOICES[h], lang=LANG))
        effective = sniffed.format if fmt == "auto" else fmt
        if effective == "long" and len(sniffed.columns) >= 3:
            positions = list(range(len(sniffed.columns)))
            guess = sniffed.long_columns or (0, 1, 2)
            roles = {"user_col": _("User column"), "item_col": _("Item column"),
                     "rating_col": _("Rating column")}
            columns = tuple(
                st.selectbox(label, positions, index=min(guess[n], len(positions) - 1),
                             key=f"{prefix}_{role}", persist_state="session", width=WIDE,
                             format_func=lambda k: f"{k + 1}: {sniffed.columns[k]}")
                for n, (role, label) in enumerate(roles.items()))
        duplicates = st.selectbox(_("A user-item pair rated twice"), DUPLICATE_CHOICES,
                                  key=f"{prefix}_dups", persist_state="session", width=WIDE,
                                  format_func=lambda d: _(DUPLICATE_NAMES[d], lang=LANG))
    with row():
        if st.checkbox(_("Set the rating scale by hand"), key=f"{prefix}_scale_on", persist_state="session"):
            lo = st.number_input(_("Lowest possible rating"), value=0.0, step=0.5,
                                 key=f"{prefix}_lo", persist_state="session", width=NARROW)
            hi = st.number_input(_("Highest possible rating"), value=5.0, step=0.5,
                                 key=f"{prefix}_hi", persist_state="session", width=NARROW)
            scale = (lo, hi)
    options = UploadOptions(format=fmt, sep=sep, encoding=encoding, sheet=sheet,
                            header=header, columns=columns, scale=scale, duplicates=duplicates)
    trouble, duplicated = trial_cached(S, upload.file_id, data, name, options)
    if duplicated:  # said here, beside the picker, before "Use this data" (not after it)
        head = _(DUPLICATES_FOUND[duplicates])
        (st.warning if duplicates == "error" else st.info)(
            md_escape(head) + "\n\n" + md_escape(explained(trouble)),
            icon=":material/content_copy:")
    elif trouble:
        st.warning(md_escape(explained(trouble)))
    st.markdown(_("First rows of the file, as read:"))
    st.dataframe(sniffed.preview, hide_index=True)
    if st.button(_("Use this data"), key="accept_upload", type="primary"):
        problem = accept_upload(S, data, name, options)
        if problem:
            st.error(md_escape(explained(problem)))
        else:
            S["accepted_upload"] = (upload.file_id, S[state.DATASET_ID])
            st.rerun()  # redraw everything below with the new data
    elif S.get("accepted_upload") == (upload.file_id, S[state.DATASET_ID]):
        st.success(_("Loaded: this file is now the current data."))


def synthetic_section():
    with row():
        generator_sizes("syn", 30, 20, 1, NARROW)
        st.number_input(_("Share of cells missing"), 0.0, 0.95, 0.3, 0.05, key="syn_missing",
                        persist_state="session",
                        width=NARROW)
        st.number_input(_("Noise (rating points)"), 0.0, 4.0, 0.2, 0.05, key="syn_noise",
                        persist_state="session",
                        width=NARROW)
        st.number_input(_("Seed"), 0, 2**31 - 1, 0, key="syn_seed", persist_state="session", width=NARROW)
    st.button(_("Generate"), key="generate", on_click=on_generate, type="primary")
    if S.get("syn_error"):
        st.error(md_escape(explained(S["syn_error"])))


def summary_section(ratings):
    st.subheader(_("Current data"))
    edited = " (" + _("edited in the grid below") + ")" if S.get(state.DATA_EDITED) else ""
    st.text(data_title(S.get(state.DATA_NAME, "")) + edited)
    c = st.columns(5)
    c[0].metric(_("Users"), f"{ratings.n_users:,}")
    c[1].metric(_("Items"), f"{ratings.n_items:,}")
    c[2].metric(_("Ratings"), f"{ratings.n_ratings:,}")
    c[3].metric(_("Filled"), f"{ratings.density:.1%}")
    c[4].metric(_("Scale"), f"{ratings.scale[0]:g}–{ratings.scale[1]:g}")
    if ratings.warnings:
        st.warning(_("Worth knowing about this data:") + "\n\n" + "\n\n".join(
            "- " + md_escape(warning_text(w)) for w in ratings.warnings))
    if ratings.truth is not None:
        st.info(_("This data carries its full hidden truth: Results will score the filled cells against it."))


def editor_section(ratings):
    st.subheader(_("Edit the ratings"))
    st.caption(_("Click a cell to change a rating; clear it to make it missing. Rename a user in the first "
                 "column. Add a user with the + row at the bottom, remove one by selecting its row and "
                 "pressing the bin. Edits are used at once by Train."))
    base = S[editor_state.EDIT_BASE]
    label = editing.label_column(base)
    lo, hi = ratings.scale
    shown = _("user") if label == "user" else label  # the column's own name is data
    config = {label: st.column_config.TextColumn(shown, pinned=True)}
    for item in base.columns[1:]:
        config[item] = st.column_config.NumberColumn(str(item), min_value=lo, max_value=hi,
                                                     format="%.2f")
    with st.container(key="editor"):
        st.data_editor(base, key=editor_state.editor_key(S), num_rows="dynamic", hide_index=True,
                       column_config=config, placeholder="", alt=_("Edit the ratings"))
    if S.get(editor_state.EDIT_ERROR):
        st.error(_("These edits cannot be used yet, so the data is unchanged:") + " "
                 + md_escape(explained(S[editor_state.EDIT_ERROR])))
    with st.expander(_("Items: rename, add, remove")):
        items = [str(c) for c in base.columns[1:]]
        with row():
            st.selectbox(_("Item to rename"), items, key="rename_from", persist_state="session", width=WIDE)
            st.text_input(_("New name"), key="rename_to", persist_state="session", width=WIDE)
            st.button(_("Rename"), key="rename_item", on_click=on_rename_item)
        with row():
            st.text_input(_("New item's name"), key="add_name", persist_state="session", width=WIDE,
                          placeholder=editing.suggest_item_name(base))
            st.button(_("Add item"), key="add_item", on_click=on_add_item)
        with row():
            st.multiselect(_("Items to remove"), items, key="remove_which",
                           persist_state="session", width=2 * WIDE,
                           select_all=english())  # Streamlit's "Select all" is English only
            st.button(_("Remove"), key="remove_items", on_click=on_remove_items)
        if S.get(editor_state.ITEMS_ERROR):
            st.error(md_escape(explained(S[editor_state.ITEMS_ERROR])))


def paged_section(ratings):
    st.subheader(_("The ratings (read-only: too large to edit here)"))
    user_pages = -(-ratings.n_users // PAGE_SIZE)
    item_pages = -(-ratings.n_items // PAGE_SIZE)
    with row():
        up = st.number_input(_("{label} (of {pages})", label=_("Users page"), pages=user_pages),
                             1, user_pages, 1, key="data_user_page", persist_state="session", width=WIDE)
        ip = st.number_input(_("{label} (of {pages})", label=_("Items page"), pages=item_pages),
                             1, item_pages, 1, key="data_item_page", persist_state="session", width=WIDE)
    st.dataframe(editing.matrix_page(ratings, up - 1, ip - 1, PAGE_SIZE), placeholder="")


def charts_section(ratings):
    with st.container(horizontal=True):
        for figure in (figures.rating_histogram, figures.ratings_per_user,
                       figures.ratings_per_item):
            st.plotly_chart(present.chart(figure(ratings, text=fig_text())), width=CHART_WIDTH)


TASK_NAMES = {"ratings": N_("Ratings"), "ranking": N_("Interactions (clicks, views, purchases)")}


def task_switch():
    """Ratings (fill a rating matrix) or interactions (rank unseen items): every page then
    works on the task chosen here."""
    st.segmented_control(_("Task"), list(state.TASKS), key=state.TASK, required=True,
                         format_func=lambda t: _(TASK_NAMES[t], lang=LANG),
                         persist_state="session",
                         help=_("Ratings: stars to predict for the empty cells. Interactions: "
                                "who clicked, viewed or bought what, and the items to "
                                "recommend next, scored with HR@10 and NDCG@10."))


# ----- page --------------------------------------------------------------------------------------
editor_state.sync(S)
st.title(_("Data"))
task_switch()
if state.task(S) == "ranking":
    interactions.page(S)
    st.stop()
st.caption(_("Pick the ratings to work on: a bundled sample, your own file, or made-up data whose hidden "
             "truth is known. Every page then uses this data."))
with st.container(key="session_note"):
    st.caption(_("What is kept: your data, edits and trained runs live in this browser tab's session on "
                 "the server, private to you. Switching pages keeps them, and so does a short network "
                 "drop; reloading the page, opening the app in another tab or closing this one starts a "
                 "new session on the course matrix with no runs. Download what you want to keep (Results "
                 "page)."))
if S.get(state.LOAD_ERROR):
    st.error(md_escape(explained(S[state.LOAD_ERROR])))
tab_sample, tab_upload, tab_synth = st.tabs([_("Sample"), _("Upload"), _("Generate")])
with tab_sample:
    sample_section()
with tab_upload:
    upload_section()
with tab_synth:
    synthetic_section()

ratings = state.current(S)
if ratings is None:
    st.info(_("No data is loaded yet."))
else:
    summary_section(ratings)
    if state.is_editable(ratings):
        editor_section(ratings)
    else:
        paged_section(ratings)
    charts_section(ratings)
