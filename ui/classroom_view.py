"""Classroom mode: a teacher hides chosen controls and hands out a link that opens the app so.

The teacher's panel (Train page, key ``classroom``) picks the controls to hide (key
``classroom_hide``) and shows a link (key ``classroom_link``): the session's set-up as
:mod:`ui.share` writes it (sample, model, settings, seed, language) plus ``hide=lr,seed``
(:mod:`ui.classroom`). A session opened from such a link keeps the names in
``st.session_state`` (``share.HIDDEN``), so ``share.sync`` keeps ``hide=`` in the address bar
on every page, and every run hides those controls with a style sheet.

The style sheet is one module constant, built at import from the known control names and
fixed selectors; a link only decides which empty marker containers the page draws, and each
rule of the sheet applies while its marker is on the page. No text from the URL ever goes
into it (an unknown name is refused by ``decode_hidden`` and named in a warning, escaped).
Hidden widgets keep their values, so the set-up of the link still applies; the Train page's
own speed / step / reset / tuning controls are not drawn at all (training then runs at full
speed).
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from functools import partial

import streamlit as st

from recsys_core.models import MODELS
from recsys_core.models.config import describe
from recsys_core.training.trainer import TrainConfig

from . import share
from .classroom import APP_CONTROLS, HIDE_PARAM, controls, decode_hidden
from .i18n import _, current_lang, english, param_label
from .text import md_escape

HIDDEN = share.HIDDEN  # session: the names this session hides (from the link it was opened with)
PICK = "classroom_hide"  # the teacher's choice (a widget key)
RESTORED = "classroom_restored"
UNKNOWN = "classroom_unknown"  # names in the link that are not controls (said in the sidebar)
_SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

# Fixed selectors of the app's own controls. Widgets with ``key="x"`` carry the class
# ``st-key-x``; ``:has()`` hides the block around a group (the presets' row, the advanced
# settings' expander); the data page's tabs are found by their place.
APP_SELECTORS = {
    "model": [".st-key-model"],
    "preset": ['[class*="st-key-preset_"]',
               '[data-testid="stHorizontalBlock"]:has(> [class*="st-key-preset_"])'],
    "sample": [".st-key-sample", ".st-key-reload_sample"],
    "upload": [".st-key-upload", '[data-testid="stTabs"] [role="tab"]:nth-of-type(2)'],
    "editor": [".st-key-editor", '[data-testid="stExpander"]:has(.st-key-rename_from)',
               ".st-key-whatif"],
    "generator": [".st-key-generate", '[class*="st-key-syn_"]',
                  '[data-testid="stTabs"] [role="tab"]:nth-of-type(3)'],
    "advanced": ['[class*="st-key-advanced_"]'],
    "play": [".st-key-live_speed"],
    "step": [".st-key-step"],
    "reset": [".st-key-reset"],
    "tuning": [".st-key-tuning"],
    "code": [".st-key-show_code"],
    "download": ['[class*="st-key-download_"]'],
    "language": [".st-key-lang"],
}
EXTRA_SELECTORS: dict[str, list[str]] = {}  # more selectors of a hyperparameter's name


def hidden(s: Mapping) -> frozenset[str]:
    """The controls this session hides."""
    return frozenset(s.get(HIDDEN) or ())


def restore(s: MutableMapping, query: Mapping) -> None:
    """On a session's first run, read ``hide=`` from the link it was opened with."""
    if s.get(RESTORED):
        return
    s[RESTORED] = True
    raw = query.get(HIDE_PARAM)
    if not raw:
        return
    found = decode_hidden(raw)
    s[HIDDEN] = list(found.names)
    s[UNKNOWN] = [n if _SAFE_NAME.match(n) else "?" for n in found.unknown][:5]
    if found.message and not found.names and not found.unknown:  # too many names
        s[UNKNOWN] = ["…"]


def selectors(names) -> list[str]:
    """CSS selectors of everything ``names`` hides (fixed texts and known names only)."""
    known = controls()
    out: list[str] = []
    for name in names:
        if name not in known:
            continue
        out += APP_SELECTORS.get(name, [])
        out += EXTRA_SELECTORS.get(name, [])
        for model, spec in MODELS.items():
            for prefix, cls in ((f"cfg-{model}", spec.config_cls), (f"tc-{model}", TrainConfig)):
                if any(info.name == name for info in describe(cls)):
                    out.append(f".st-key-{prefix}-{name}")
    return out


def marker_key(name: str) -> str:
    return f"classroom_hide_{name}"


def _style_sheet() -> str:
    """One fixed style sheet for every control: a rule hides a control only while the page
    holds its marker (an empty container keyed ``classroom_hide_<name>``), so what a link
    asks for changes which markers are drawn, never the style sheet itself."""
    rules = [f'[class*="st-key-{marker_key("")}"] {{ display: none !important; }}']
    for name in controls():
        found = selectors([name])
        if found:
            scope = f'.stApp:has(.st-key-{marker_key(name)})'
            rules.append(",\n".join(f"{scope} {sel}" for sel in found)
                         + " { display: none !important; }")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


CLASSROOM_CSS = _style_sheet()
MARKER = "<span></span>"  # something to draw, so the browser gets the marker container


def apply(s: MutableMapping, query: Mapping) -> None:
    """Every run (app.py): read the link once, hide what it asks, say so in the sidebar."""
    restore(s, query)
    names = hidden(s)
    if names:
        st.html(CLASSROOM_CSS)
        with st.sidebar:
            for name in sorted(names):
                with st.container(key=marker_key(name)):  # an empty one is not drawn
                    st.html(MARKER)
            st.caption(_("Classroom link: {n} control(s) are hidden.", n=len(names)))
    unknown = s.get(UNKNOWN)
    if unknown:  # a typo in the teacher's link: seen by everyone who opens it
        st.sidebar.warning(md_escape(_("The link asks to hide something that is not a control and was "
                                       "ignored: {names}.", names=", ".join(unknown))))


def control_name(name: str, lang: str | None = None) -> str:
    """A control's name for people, in the session's language, with its URL name."""
    if name in APP_CONTROLS:
        return f"{_(APP_CONTROLS[name], lang=lang)} ({name})"
    for owner, cls in [("train", TrainConfig),
                       *((model, spec.config_cls) for model, spec in MODELS.items())]:
        for info in describe(cls):
            if info.name == name:
                return f"{param_label(owner, info, lang)} ({name})"
    return name


def teacher_panel(s: MutableMapping) -> None:
    """Pick controls to hide and get the link (not shown to a class opened from a link)."""
    if hidden(s):
        return
    panel = st.expander(_("Classroom mode"), icon=":material/school:", key="classroom",
                        on_change="rerun")
    if not panel.open:  # made only while open: its code block is costly to draw (share_section)
        return
    with panel:
        st.caption(_("Pick the controls students should not see, and hand out the link below: it opens the "
                     "app with this set-up (sample, model, settings, seed, language) and those controls "
                     "hidden."))
        st.multiselect(_("Controls to hide"), list(controls()), key=PICK, persist_state="session",
                       format_func=partial(control_name, lang=current_lang()),
                       placeholder=_("Choose controls"),
                       select_all=english())  # Streamlit's "Select all" is English only
        picks = list(s.get(PICK) or [])
        link = share.link(ChainMap({HIDDEN: picks}, s), st.context.url,
                          current=st.query_params.to_dict())
        with st.container(key="classroom_link"):
            st.code(link, language=None, wrap_lines=True)
        st.caption(_("Uploaded or edited data never goes into a link. Hidden controls keep the link's "
                     "values."))
