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

from collections.abc import Mapping, MutableMapping

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
                      "compare_b", "delete_run", "topn_user")
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


# ----- keyed words still left: the Train page's ------------------------------------------------
def t(key: str, lang: str | None = None, **fmt) -> str:
    """The text of ``key`` (the keyed catalogue below) in ``lang`` or the session's language,
    formatted with ``fmt``."""
    lang = lang or current_lang()
    entry = UI.get(key)
    if entry is None:
        raise KeyError(f"no text for '{key}' in ui.i18n.UI")
    text = entry.get(lang) or entry[core.DEFAULT_LANG]
    text = text.format(**fmt) if fmt else text
    return core.particles(text) if lang == "ko" else text


def has(key: str) -> bool:
    return key in UI


class Texts(Mapping):
    """A page's keyed texts, ``T["title"]`` = ``t("<page>.title")``, in the session's language
    as it is when the page runs."""

    def __init__(self, prefix: str, lang: str | None = None) -> None:
        self.prefix = prefix
        self.lang = lang or current_lang()  # fixed for the run (format_funcs run later)

    def __getitem__(self, key: str) -> str:
        return t(f"{self.prefix}.{key}", self.lang)

    def __iter__(self):
        start = self.prefix + "."
        return (k[len(start):] for k in UI if k.startswith(start))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def fig_text(lang: str | None = None) -> dict[str, str]:
    """The words for ``recsys_core.figures`` (their ``text=`` argument)."""
    from recsys_core.figures import words

    return words(lang or current_lang())


# ----- names of things the library defines (English there, in the session's language here) --
def model_title(name: str, lang: str | None = None) -> str:
    from recsys_core.models import MODELS

    return _(MODELS[name].title, lang=lang)


def model_description(name: str) -> str:
    from recsys_core.models import MODELS

    return _(MODELS[name].description)


def sample_title(name: str, lang: str | None = None) -> str:
    from recsys_core.samples import SAMPLES

    return _(SAMPLES[name].title, lang=lang)


def sample_description(name: str) -> str:
    from recsys_core.samples import SAMPLES

    return _(SAMPLES[name].description)


def preset_title(name: str, lang: str | None = None) -> str:
    from recsys_core.presets import PRESETS

    return _(PRESETS[name].title, lang=lang)


def preset_note(name: str, lang: str | None = None) -> str:
    from recsys_core.presets import PRESETS

    return _(PRESETS[name].state_note, lang=lang)


def status_words(status: str) -> str:
    from recsys_core.results import status_text

    return status_text(status, current_lang())


def param_label(config_name: str, info, lang: str | None = None) -> str:
    """A form field's label (the library's ``N_``-marked English) in the session's language."""
    return _(info.label, lang=lang)


def param_help(config_name: str, info) -> str:
    return _(info.help) if info.help else info.help


def run_name(run, lang: str | None = None) -> str:
    """``Run.name`` in the session's language: "#3 MF · Week 11 MF · warm from #2"."""
    name = f"#{run.id} {model_title(run.model_name, lang).split(' (')[0]}"
    if run.preset:
        name += f" · {preset_title(run.preset, lang)}"
    if run.warm_from is not None:
        name += " · " + _("warm from #{id}", lang=lang, id=run.warm_from)
    return name


def because_text(text: str) -> str:
    """The "because" of a top-N row: item names stay as they are; the library's two fixed
    reasons (baseline, cold start) are shown in the session's language."""
    from recsys_core.results import because_text as library_because

    return library_because(text, current_lang())


def data_title(title: str) -> str:
    """A data set's name as stored (a sample's library title, or a file name): samples are
    shown in the session's language, anything else exactly as it is."""
    from recsys_core.samples import SAMPLES

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


def explained(*args) -> str:
    """``explained(message)``: a message to show, a ``Msg`` (the library's, or one the app made
    with ``L_``) wholly in the session's language, a plain text as it is. (The Train page's
    older ``explained(head_key, message)`` still works: the headline is no longer needed.)"""
    message = args[-1]
    return say(message) if message else message


def training_message(result) -> str:
    """``Trainer.message`` (a ``Msg``) in the session's language."""
    return say(result.message)


# =============================================================================================
# The catalogue
# =============================================================================================
UI: dict[str, dict[str, str]] = {
    # ----- things the library names ----------------------------------------------------------
    "preset.lecture-mf.title": {"en": "Week 11 MF (11주차 MF)", "ko": "11주차 MF"},
    "preset.lecture-nn.title": {"en": "Week 11 NN, solution 2 (11주차 NN 풀이2)",
                                "ko": "11주차 NN (풀이2)"},
    "preset.lecture-mf.note": {
        "en": "Predictions are those the lecture printed: the 100th epoch's forward pass, "
              "before its optimizer.step(), i.e. the model after 99 updates.",
        "ko": "예측은 강의가 출력한 값입니다: 100번째 에폭의 순전파, 즉 optimizer.step() 전의 "
              "값이므로 99번 갱신한 모델입니다."},
    "preset.lecture-nn.note": {
        "en": "Predictions of the network after all 1000 updates, as the lecture's "
              "net(XX1,XX2).",
        "ko": "1000번 갱신을 모두 마친 네트워크의 예측으로, 강의의 net(XX1,XX2)와 같습니다."},
    # ----- live training ------------------------------------------------------------------------
    "progress.starting": {"en": "Epoch 0 of {total} · starting",
                          "ko": "에폭 0 / {total} · 시작하는 중"},
    "progress.running": {"en": "Epoch {epoch} of {total} · {elapsed} s so far · about {left} s "
                               "left",
                         "ko": "에폭 {epoch} / {total} · 지금까지 {elapsed}초 · 약 {left}초 남음"},
    # ----- Train page -----------------------------------------------------------------------
    "train.title": {"en": "Train", "ko": "학습"},
    "train.data": {"en": "Data", "ko": "데이터"},
    "train.data_line": {"en": "{label}: {name} · {users} users x {items} items, {ratings} "
                              "ratings, scale {lo}–{hi}",
                        "ko": "{label}: {name} · 사용자 {users}명 x 항목 {items}개, 평점 "
                              "{ratings}개, 척도 {lo}–{hi}"},
    "train.no_data": {"en": "No data is loaded: choose some on the Data page first.",
                      "ko": "불러온 데이터가 없습니다: 먼저 데이터 페이지에서 고르세요."},
    "train.to_data": {"en": "Go to Data", "ko": "데이터로 가기"},
    "train.presets": {"en": "Lecture presets (DL2024 week 11): load the course matrix and the "
                            "lecture's exact settings.",
                      "ko": "강의 설정 (DL2024 11주차): 강의 행렬과 강의의 설정을 그대로 "
                            "불러옵니다."},
    "train.preset_loaded": {"en": "Lecture preset loaded. ", "ko": "강의 설정을 불러왔습니다. "},
    "train.model": {"en": "Model", "ko": "모델"},
    "train.model_head": {"en": "Model settings", "ko": "모델 설정"},
    "train.train_head": {"en": "Training settings", "ko": "학습 설정"},
    "train.suggested": {"en": "Settings start at values suggested for this data's size; change "
                              "any of them.",
                        "ko": "설정은 이 데이터 크기에 맞춘 제안값에서 시작합니다. 무엇이든 "
                              "바꿔도 됩니다."},
    "train.fix": {"en": "Fix these settings first:", "ko": "먼저 이 설정을 고치세요:"},
    "train.cannot": {"en": "Training could not start:", "ko": "학습을 시작할 수 없습니다:"},
    "train.results": {"en": "See the results", "ko": "결과 보기"},
    "train.done": {"en": "{epochs} epoch(s) in {seconds} s", "ko": "{seconds}초 동안 {epochs} 에폭"},
    "train.finished": {"en": "{run}: finished, {done}.", "ko": "{run}: 완료, {done}."},
    "train.share": {"en": "Share this set-up", "ko": "이 설정 공유하기"},
    "train.share_help": {"en": "This link opens the app with the same sample, model, settings, "
                               "seed and language (never uploaded data). The address bar "
                               "always holds it too.",
                         "ko": "이 링크를 열면 같은 예제, 모델, 설정, 시드, 언어로 앱이 열립니다 "
                               "(올린 데이터는 넣지 않음). 주소창에도 늘 들어 있습니다."},
    "train.share_upload": {"en": "The current data was uploaded, generated or edited, and "
                                 "uploaded data never goes into a link: the link carries the "
                                 "model and settings only.",
                           "ko": "현재 데이터는 올리거나 만들거나 고친 것이라 링크에 넣지 "
                                 "않습니다: 링크에는 모델과 설정만 들어갑니다."},
    "lesson.head": {"en": "The lecture's first lesson: one-hot + linear layer = embedding layer",
                    "ko": "강의의 첫 배움: 원-핫 + 선형 층 = 임베딩 층"},
    "lesson.intro": {
        "en": "x names 옥순, 영숙, 하니, 옥순, 영숙 by their numbers 0, 1, 2, 0, 1. One-hot "
              "encoding E and a linear layer without bias give the same numbers as an "
              "embedding layer whose table is that layer's weight: computed live with torch.",
        "ko": "x는 옥순, 영숙, 하니, 옥순, 영숙을 번호 0, 1, 2, 0, 1로 부릅니다. 원-핫 인코딩 E와 "
              "편향 없는 선형 층은, 그 가중치를 표로 가진 임베딩 층과 같은 숫자를 냅니다: torch로 "
              "바로 계산합니다."},
    "lesson.seed": {"en": "Seed", "ko": "시드"},
    "lesson.weight": {"en": "linr.weight = {weight}", "ko": "linr.weight = {weight}"},
    "lesson.equal": {"en": "Equal: linr(one_hot(x)) and ebdd(x) give exactly the same numbers "
                           "(largest difference {diff}).",
                     "ko": "같음: linr(one_hot(x))와 ebdd(x)의 숫자가 똑같습니다 (가장 큰 차이 "
                           "{diff})."},
    "lesson.differ": {"en": "Different (largest difference {diff}).",
                      "ko": "다름 (가장 큰 차이 {diff})."},
    "lesson.col_name": {"en": "name", "ko": "이름"},
    "lesson.col_x": {"en": "x", "ko": "x"},
    "lesson.col_onehot": {"en": "one_hot(x)", "ko": "one_hot(x)"},
    "lesson.col_linear": {"en": "linr(E)", "ko": "linr(E)"},
    "lesson.col_embedding": {"en": "ebdd(x)", "ko": "ebdd(x)"},
}

from .i18n_watch import WATCH  # noqa: E402 - "watch it learn" (issue 7), kept in its own file

UI.update(WATCH)

from .i18n_bar import BAR  # noqa: E402 - the Train page's control bar (issue 12), its own file

UI.update(BAR)
