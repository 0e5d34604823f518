"""Data page: choose a sample, upload a file, generate data, edit the grid, read the summary."""

from functools import partial

import streamlit as st

from recsys_core import figures, synthetic
from recsys_core.errors import RatingsError
from recsys_core.loading import FORMATS, SEPARATORS
from recsys_core.samples import SAMPLES
from ui import editing, editor_state, present, state
from ui.i18n import (
    Texts,
    current_lang,
    data_title,
    explained,
    fig_text,
    message_of,
    sample_description,
    sample_title,
    t,
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

T = Texts("data")
PAGE_SIZE = 50
WIDE, NARROW, CHART_WIDTH = 220, 160, 360  # widget widths (pixels) in rows that wrap on narrow screens
S = st.session_state


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
    state.set_data(S, ratings, t("data.synthetic_name", users=ratings.n_users,
                                 items=ratings.n_items, seed=int(S["syn_seed"])), "synthetic")


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
    st.selectbox(T["sample"], names, key="sample", format_func=partial(sample_title, lang=T.lang),
                 on_change=on_sample_change, persist_state="session")
    chosen = SAMPLES[S["sample"]]
    st.caption(sample_description(chosen.name))
    if chosen.licence:
        with st.container(border=True):
            st.markdown(f"**{T['licence']}**")
            if current_lang() != "en":
                st.caption(t("sample.licence_ko_note"))
            st.text(chosen.licence)
    if S.get(state.DATA_ORIGIN) != f"sample:{chosen.name}" or S.get(state.DATA_EDITED):
        st.button(T["reload"], key="reload_sample", on_click=on_sample_change)
    if S.get("sample_error"):
        st.error(md_escape(explained("problem.data", S["sample_error"])))


def separator_name(sep) -> str:
    """A separator in words, in the page's language ("auto" = detect it)."""
    if sep in (None, "auto"):
        return T["auto_detect"]
    return T[f"sep.{SEPARATORS[sep]}"] if sep in SEPARATORS else separator_words(sep)


def format_name(fmt: str) -> str:
    return T[f"format.{fmt}"] if fmt in ("wide", "long") else fmt


def row():
    """Widgets side by side, wrapping onto more lines on a narrow screen."""
    return st.container(horizontal=True, vertical_alignment="bottom")


def upload_section():
    upload = st.file_uploader(T["upload"], type=TYPES, key="upload",
                              max_upload_size=UPLOAD_MB)
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    prefix = f"up_{upload.file_id}"
    st.markdown(T["detected"])
    with row():
        fmt_slot = st.empty()
        sep = chosen(st.selectbox(T["sep"], SEPARATOR_CHOICES, key=f"{prefix}_sep",
                                  format_func=separator_name, width=WIDE))
        encoding = chosen(st.selectbox(T["encoding"], ENCODING_CHOICES, key=f"{prefix}_enc",
                                       format_func=lambda e: T["auto_detect"] if e == "auto"
                                       else e, width=WIDE))
        sheet_slot = st.empty()
    sheet = S.get(f"{prefix}_sheet")
    sniffed, problem = sniff_cached(S, upload.file_id, data, name,
                                    UploadOptions(sep=sep, encoding=encoding, sheet=sheet))
    if problem:
        st.error(md_escape(explained("problem.file", problem)))
        return
    if sniffed.sheets and len(sniffed.sheets) > 1:
        sheet = sheet_slot.selectbox(
            T["sheet"], sniffed.sheets, key=f"{prefix}_sheet", width=WIDE,
            index=sniffed.sheets.index(sniffed.sheet) if sniffed.sheet in sniffed.sheets else 0)
    fmt = fmt_slot.selectbox(T["format"], FORMATS, key=f"{prefix}_fmt", width=WIDE,
                             format_func=lambda f: T["auto_format"].format(
                                 format=format_name(sniffed.format)) if f == "auto"
                             else format_name(f))
    st.text(T["detected_line"].format(
        format=format_name(sniffed.format),
        sep=separator_name(sniffed.sep) if sniffed.sep else T["spreadsheet"],
        encoding=sniffed.encoding or "xlsx", header=T["yes"] if sniffed.has_header else T["no"],
        rows=f"{sniffed.n_rows:,}"))
    columns = None
    scale = None
    with row():
        header = st.selectbox(T["header"], ["auto", "yes", "no"], key=f"{prefix}_header",
                              width=WIDE, format_func=lambda h: T[h])
        effective = sniffed.format if fmt == "auto" else fmt
        if effective == "long" and len(sniffed.columns) >= 3:
            positions = list(range(len(sniffed.columns)))
            guess = sniffed.long_columns or (0, 1, 2)
            columns = tuple(
                st.selectbox(T[role], positions, index=min(guess[n], len(positions) - 1),
                             key=f"{prefix}_{role}", width=WIDE,
                             format_func=lambda k: f"{k + 1}: {sniffed.columns[k]}")
                for n, role in enumerate(("user_col", "item_col", "rating_col")))
        duplicates = st.selectbox(T["dups"], DUPLICATE_CHOICES, key=f"{prefix}_dups",
                                  width=WIDE, format_func=lambda d: T[f"dups.{d}"])
    with row():
        if st.checkbox(T["scale_set"], key=f"{prefix}_scale_on"):
            lo = st.number_input(T["lo"], value=0.0, step=0.5, key=f"{prefix}_lo", width=NARROW)
            hi = st.number_input(T["hi"], value=5.0, step=0.5, key=f"{prefix}_hi", width=NARROW)
            scale = (lo, hi)
    options = UploadOptions(format=fmt, sep=sep, encoding=encoding, sheet=sheet,
                            header=header, columns=columns, scale=scale, duplicates=duplicates)
    trouble, duplicated = trial_cached(S, upload.file_id, data, name, options)
    if duplicated:  # said here, beside the picker, before "Use this data" (not after it)
        head = T["dups_found"] if duplicates == "error" else T[f"dups_will.{duplicates}"]
        (st.warning if duplicates == "error" else st.info)(
            md_escape(head) + "\n\n" + md_escape(trouble), icon=":material/content_copy:")
    elif trouble:
        st.warning(md_escape(explained("problem.file", trouble)))
    st.markdown(T["preview"])
    st.dataframe(sniffed.preview, hide_index=True)
    if st.button(T["accept"], key="accept_upload", type="primary"):
        problem = accept_upload(S, data, name, options)
        if problem:
            st.error(md_escape(explained("problem.file", problem)))
        else:
            S["accepted_upload"] = (upload.file_id, S[state.DATASET_ID])
            st.rerun()  # redraw everything below with the new data
    elif S.get("accepted_upload") == (upload.file_id, S[state.DATASET_ID]):
        st.success(T["accepted"])


def synthetic_section():
    with row():
        st.number_input(T["users"], 1, 2000, 30, key="syn_users", width=NARROW)
        st.number_input(T["items"], 1, 2000, 20, key="syn_items", width=NARROW)
        st.number_input(T["groups"], 1, 20, 3, key="syn_groups", width=NARROW)
        st.number_input(T["missing"], 0.0, 0.95, 0.3, 0.05, key="syn_missing", width=NARROW)
        st.number_input(T["noise"], 0.0, 4.0, 0.2, 0.05, key="syn_noise", width=NARROW)
        st.number_input(T["seed"], 0, 2**31 - 1, 0, key="syn_seed", width=NARROW)
    st.button(T["generate"], key="generate", on_click=on_generate, type="primary")
    if S.get("syn_error"):
        st.error(md_escape(explained("problem.data", S["syn_error"])))


def summary_section(ratings):
    st.subheader(T["current"])
    st.text(data_title(S.get(state.DATA_NAME, "")) + (f" ({T['edited']})"
                                                      if S.get(state.DATA_EDITED) else ""))
    c = st.columns(5)
    c[0].metric(T["n_users"], f"{ratings.n_users:,}")
    c[1].metric(T["n_items"], f"{ratings.n_items:,}")
    c[2].metric(T["n_ratings"], f"{ratings.n_ratings:,}")
    c[3].metric(T["density"], f"{ratings.density:.1%}")
    c[4].metric(T["scale"], f"{ratings.scale[0]:g}–{ratings.scale[1]:g}")
    if ratings.warnings:
        st.warning(T["warnings"] + "\n\n" + "\n\n".join(
            "- " + md_escape(warning_text(w)) for w in ratings.warnings))
    if ratings.truth is not None:
        st.info(T["truth"])


def editor_section(ratings):
    st.subheader(T["edit_head"])
    st.caption(T["edit_help"])
    base = S[editor_state.EDIT_BASE]
    label = editing.label_column(base)
    lo, hi = ratings.scale
    shown = T["col_user"] if label == "user" else label  # the column's own name is data
    config = {label: st.column_config.TextColumn(shown, pinned=True)}
    for item in base.columns[1:]:
        config[item] = st.column_config.NumberColumn(str(item), min_value=lo, max_value=hi,
                                                     format="%.2f")
    with st.container(key="editor"):
        st.data_editor(base, key=editor_state.editor_key(S), num_rows="dynamic", hide_index=True,
                       column_config=config, placeholder="", alt=T["edit_head"])
    if S.get(editor_state.EDIT_ERROR):
        st.error(T["edit_error"] + " " + md_escape(S[editor_state.EDIT_ERROR]))
    with st.expander(T["items_head"]):
        items = [str(c) for c in base.columns[1:]]
        with row():
            st.selectbox(T["rename_from"], items, key="rename_from", width=WIDE)
            st.text_input(T["rename_to"], key="rename_to", width=WIDE)
            st.button(T["rename"], key="rename_item", on_click=on_rename_item)
        with row():
            st.text_input(T["add_name"], key="add_name", width=WIDE,
                          placeholder=editing.suggest_item_name(base))
            st.button(T["add"], key="add_item", on_click=on_add_item)
        with row():
            st.multiselect(T["remove_which"], items, key="remove_which", width=2 * WIDE)
            st.button(T["remove"], key="remove_items", on_click=on_remove_items)
        if S.get(editor_state.ITEMS_ERROR):
            st.error(md_escape(explained("problem.edit", S[editor_state.ITEMS_ERROR])))


def paged_section(ratings):
    st.subheader(T["paged_head"])
    user_pages = -(-ratings.n_users // PAGE_SIZE)
    item_pages = -(-ratings.n_items // PAGE_SIZE)
    with row():
        up = st.number_input(T["page_of"].format(label=T["user_page"], pages=user_pages), 1,
                             user_pages, 1, key="data_user_page", width=WIDE)
        ip = st.number_input(T["page_of"].format(label=T["item_page"], pages=item_pages), 1,
                             item_pages, 1, key="data_item_page", width=WIDE)
    st.dataframe(editing.matrix_page(ratings, up - 1, ip - 1, PAGE_SIZE), placeholder="")


def charts_section(ratings):
    with st.container(horizontal=True):
        for figure in (figures.rating_histogram, figures.ratings_per_user,
                       figures.ratings_per_item):
            st.plotly_chart(present.chart(figure(ratings, text=fig_text())), width=CHART_WIDTH)


# ----- page --------------------------------------------------------------------------------------
editor_state.sync(S)
st.title(T["title"])
st.caption(T["intro"])
with st.container(key="session_note"):
    st.caption(T["session_note"])
if S.get(state.LOAD_ERROR):
    st.error(md_escape(explained("problem.data", S[state.LOAD_ERROR])))
tab_sample, tab_upload, tab_synth = st.tabs([T["tab_sample"], T["tab_upload"], T["tab_synth"]])
with tab_sample:
    sample_section()
with tab_upload:
    upload_section()
with tab_synth:
    synthetic_section()

ratings = state.current(S)
if ratings is None:
    st.info(T["no_data"])
else:
    summary_section(ratings)
    if state.is_editable(ratings):
        editor_section(ratings)
    else:
        paged_section(ratings)
    charts_section(ratings)
