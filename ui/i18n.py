"""The session's language, and the app's words in it.

English is written once, where it is shown, and marked for the extractor: ``_("Train")``,
``_("{epochs} epoch(s) in {seconds} s", epochs=3, seconds="1.0")``, ``n_(one, many, n)``,
``p_(context, text)``: the same functions as the library's (:mod:`recsys_core.i18n`), in the
session's language (``lang=`` overrides it). Texts kept to be shown later (an error stored in
the session) are ``L_("...")`` messages, said in whatever language the session has by then.
Korean lives in ``locales/ko/LC_MESSAGES/messages.po``; ``tests/test_i18n.py`` fails when a text
has no Korean and scans the pages for text that bypasses ``_``.

The first language follows the browser (``st.context.locale``: ``ko*`` -> Korean, anything
else English), unless the URL says ``?lang=``; the sidebar switch (key ``lang``) changes it,
and the choice lives in the session, so it survives page switches. Data labels (user and item
names, file names) are never translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping

from recsys_core import i18n as core
from recsys_core.i18n import L_, N_, Ln_  # noqa: F401 - the app marks its messages with these too

LANG = "lang"  # session key and widget key of the language switch
LANGS = core.LANGS
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


def _state() -> MutableMapping:
    import streamlit as st

    return st.session_state


def current_lang(state: Mapping | None = None) -> str:
    if state is None:
        try:
            state = _state()
            value = state.get(LANG)
        except Exception:  # noqa: BLE001 - outside a Streamlit script: English
            return core.DEFAULT_LANG
    else:
        value = state.get(LANG)
    return value if value in LANGS else core.DEFAULT_LANG


def english() -> bool:
    return current_lang() == core.DEFAULT_LANG


def _(msgid: str, /, *, lang: str | None = None, **params) -> str:
    """``msgid`` (English) in the session's language (or ``lang``), placeholders filled."""
    return core._(msgid, lang or current_lang(), **params)


def n_(singular: str, plural: str, n: int, /, *, lang: str | None = None, **params) -> str:
    return core.n_(singular, plural, n, lang or current_lang(), **params)


def p_(context: str, msgid: str, /, *, lang: str | None = None, **params) -> str:
    return core.p_(context, msgid, lang or current_lang(), **params)


def say(message, lang: str | None = None) -> str:
    """A message (``L_``, a library error or warning) in the session's language; a plain
    text as it is."""
    return core.text_of(message, lang or current_lang())


def init_language(state: MutableMapping, query: Mapping, locale: str | None) -> str:
    """The session's first language: ``?lang=`` in the URL, else the browser's language."""
    if state.get(LANG) not in LANGS:
        wanted = query.get(LANG)
        state[LANG] = wanted if wanted in LANGS else core.language_of(locale)
    return state[LANG]


SHOWN = "lang_shown"  # the language the previous run drew the page in
# Choice widgets whose options are shown through a translated format_func. Their browser side
# remembers an option by its shown label; after a language switch that label is gone, so
# their values are set again (same value), which makes Streamlit send the new label along.
TRANSLATED_CHOICES = ("model", "sample", "heatmap_view", "result_run", "compare_a",
                      "compare_b", "delete_run", "topn_user", "task", "like_rule",
                      "ranking_model", "interactions_sample")
TRANSLATED_CHOICE_SUFFIXES = ("_sep", "_enc", "_fmt", "_header", "_dups")


def refresh_choices(state: MutableMapping) -> bool:
    """Call before any page draws: if the language changed since the last run, set every
    translated choice widget's value again. Returns True if the language changed."""
    lang = current_lang(state)
    changed = state.get(SHOWN) not in (None, lang)
    state[SHOWN] = lang
    if changed:
        keys = [k for k in list(state.keys()) if k in TRANSLATED_CHOICES or (
            isinstance(k, str) and k.startswith("up_") and k.endswith(TRANSLATED_CHOICE_SUFFIXES))]
        for key in keys:
            state[key] = state[key]
    return changed


def fig_text(lang: str | None = None) -> dict[str, str]:
    """The words for ``recsys_core.results.figures`` (their ``text=`` argument)."""
    from recsys_core.results.figures import words

    return words(lang or current_lang())


# ----- names of things the library defines (English there, in the session's language here) --
def model_title(name: str, lang: str | None = None, task: str = "ratings") -> str:
    """A model's title from the registry of ``task`` (a name may be in both: ``gmf``)."""
    from recsys_core.models import TASKS

    return _(TASKS[task][name].title, lang=lang)


def model_description(name: str, task: str = "ratings") -> str:
    from recsys_core.models import TASKS

    return _(TASKS[task][name].description)


def sample_title(name: str, lang: str | None = None) -> str:
    from recsys_core.data.samples import SAMPLES

    return _(SAMPLES[name].title, lang=lang)


def sample_description(name: str) -> str:
    from recsys_core.data.samples import SAMPLES

    return _(SAMPLES[name].description)


def preset_title(name: str, lang: str | None = None) -> str:
    from recsys_core.teaching.presets import PRESETS

    return _(PRESETS[name].title, lang=lang)


def preset_note(name: str, lang: str | None = None) -> str:
    from recsys_core.teaching.presets import PRESETS

    return _(PRESETS[name].state_note, lang=lang)


def status_words(status: str) -> str:
    from recsys_core.results.trained_run import status_text

    return status_text(status, current_lang())


def param_label(config_name: str, info, lang: str | None = None) -> str:
    """A form field's label (the library's ``N_``-marked English) in the session's language."""
    return _(info.label, lang=lang)


def param_help(config_name: str, info) -> str:
    return _(info.help) if info.help else info.help


def run_name(run, lang: str | None = None) -> str:
    """``Run.name`` in the session's language: "#3 MF · Week 11 MF · warm from #2"."""
    name = f"#{run.id} {model_title(run.model_name, lang, run.task).split(' (')[0]}"
    if run.preset:
        name += f" · {preset_title(run.preset, lang)}"
    if run.warm_from is not None:
        name += " · " + _("warm from #{id}", lang=lang, id=run.warm_from)
    return name


def run_names(runs, lang: str | None = None) -> Callable[[int], str]:
    """A run picker's ``format_func``: each run id as its run's name, in the language the page
    is drawn in now (Streamlit may call it after the run, when the session's has changed)."""
    lang = lang or current_lang()
    return lambda run_id: next((run_name(r, lang) for r in runs if r.id == run_id), "?")


def because_text(text: str) -> str:
    """The "because" of a top-N row: item names stay as they are; the library's two fixed
    reasons (baseline, cold start) are shown in the session's language."""
    from recsys_core.results.trained_run import because_text as library_because

    return library_because(text, current_lang())


def data_title(title: str) -> str:
    """A data set's name as stored (a sample's library title, or a file name): samples are
    shown in the session's language, anything else exactly as it is."""
    from recsys_core.data.samples import SAMPLES

    edited = " (edited)"
    for sample in SAMPLES.values():
        if title == sample.title:
            return _(sample.title)
        if title == sample.title + edited:
            return _(sample.title) + _(" (edited)")
    if title.endswith(edited):
        return title[: -len(edited)] + _(" (edited)")
    return say(title)  # a name the app made (L_: "synthetic 30 x 20 ..."), or a file name


def message_of(err) -> str:
    """What to keep of a library error to show later: its message (a ``Msg``, which can be
    said again in whichever language the session has by then), else its text."""
    if isinstance(err, str):
        return err
    message = getattr(err, "message", None)
    if message:
        return message
    first = err.args[0] if getattr(err, "args", None) else None
    return first if hasattr(first, "render") else str(err)


def warning_text(warning) -> str:
    """A library ``LoadWarning`` in the session's language, details included."""
    return say(warning)


def error_text(err) -> str:
    """A library error (``RatingsError``, or an error whose message is a ``Msg``) in the
    session's language, details included."""
    return say(message_of(err))


def explained(message) -> str:
    """A message to show, a ``Msg`` (the library's, or one the app made with ``L_``) wholly in
    the session's language, a plain text as it is."""
    return say(message) if message else message


def training_message(result) -> str:
    """``Trainer.message`` (a ``Msg``) in the session's language."""
    return say(result.message)
