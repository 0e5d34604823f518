"""English written once, in the code; Korean in one gettext catalogue.

Every text a person reads is written once, in English, where it is used, and marked so that
Babel's extractor finds it (``make messages`` re-extracts; ``tests/test_i18n.py`` fails when one
has no Korean)::

    _("Finished {epochs} epoch(s).", lang, epochs=3)        # the text in ``lang``, now
    n_("{n} rating", "{n} ratings", n, lang, n=n)           # ... one that has a plural
    p_("xlsx", "prediction", lang)                          # ... one English word, two Korean ones
    N_("comma")                                             # a marker: stays English, shown via _()
    L_("The file '{name}' is empty", name=name)             # a message (error, warning, trainer
    Ln_("{n} row is short", "{n} rows are short", n, n=n)   # message): English now, any language
                                                            # later (``render``)

The English is the msgid. The Korean lives in ``locales/ko/LC_MESSAGES/messages.po``, read
with Babel's ``read_po`` the first time Korean is asked for (no compile step, no binary to keep
in sync). ``ui/i18n.py`` gives the app the same ``_``, ``n_``, ``p_`` in the session's language.

A library message (``L_``) is a :class:`Msg`: a ``str`` holding its English text, so it prints,
compares and goes into JSON as before, that also carries its msgid and parameters so the app can
say it again wholly in Korean, details included. Parameters that are messages themselves are
said in the same language; data labels (users, items, file and column names) are never
translated, they are only ever filled into placeholders. Errors and warnings also carry a
stable ``code`` (``recsys_core/errors.py``).

Korean particles after a placeholder are written with both forms, ``{run}을(를)``; the one that
fits the last syllable of what was filled in is chosen when the text is formatted
(:func:`particles`).
"""

from __future__ import annotations

import gettext as _gettext
import re
import string
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("en", "ko")
DEFAULT_LANG = "en"  # the source language: the msgids
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"  # one catalogue, app + library
# How the extractor finds the texts: function name -> which arguments are the msgid (Babel's
# keyword spec). ``tests/test_i18n.py`` and ``make messages`` both use this.
KEYWORDS: dict[str, Any] = {"_": None, "n_": (1, 2), "p_": ((1, "c"), 2), "N_": None,
                            "L_": None, "Ln_": (1, 2)}
SOURCES = ("app.py", "app_pages", "ui", "recsys_core")  # where user-facing texts are written


def language_of(locale: str | None) -> str:
    """``ko``, ``ko-KR``, ``ko_KR`` ... -> "ko"; anything else (or nothing) -> "en"."""
    return "ko" if str(locale or "").strip().lower().startswith("ko") else "en"


# ----- the catalogue -------------------------------------------------------------------------
def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: str) -> tuple[dict, Callable[[int], int]]:
    """(context, msgid) -> msgstr (a tuple for plurals), and the language's plural rule.
    Untranslated and fuzzy entries are left out: their English is shown."""
    path = catalogue_path(lang)
    if lang == DEFAULT_LANG or not path.is_file():
        return {}, lambda n: int(n != 1)
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    found = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(message.string)
            if all(forms):
                found[(message.context, message.id[0])] = forms
        elif message.string:
            found[(message.context, message.id)] = message.string
    return found, _gettext.c2py(catalog.plural_expr)


def translation(msgid: str, lang: str, context: str | None = None) -> str | None:
    """The catalogue's text for ``msgid`` in ``lang``, or None (then the English is shown)."""
    text = _translations(lang)[0].get((context, msgid)) if lang != DEFAULT_LANG else None
    return text if isinstance(text, str) else None


def _say(msgid: str, plural: str | None, n: int | None, context: str | None,
         params: dict, lang: str) -> str:
    if lang not in LANGS:
        lang = DEFAULT_LANG
    if plural is None:
        text = translation(msgid, lang, context) or msgid
    else:
        table, rule = _translations(lang)
        forms = table.get((context, msgid)) if lang != DEFAULT_LANG else None
        if isinstance(forms, tuple):
            text = forms[min(rule(int(n)), len(forms) - 1)]
        else:
            text = msgid if n == 1 else plural
    if params:
        text = text.format(**{k: render(v, lang) for k, v in params.items()})
    return particles(text) if lang == "ko" else text


# ----- the functions the code marks its texts with -------------------------------------------
def _(msgid: str, lang: str = DEFAULT_LANG, /, **params) -> str:
    """``msgid`` (English) in ``lang``, its ``{placeholders}`` filled from ``params``."""
    return _say(msgid, None, None, None, params, lang)


def n_(singular: str, plural: str, n: int, lang: str = DEFAULT_LANG, /, **params) -> str:
    """The singular or plural text for the count ``n``, in ``lang``."""
    return _say(singular, plural, n, None, params, lang)


def p_(context: str, msgid: str, lang: str = DEFAULT_LANG, /, **params) -> str:
    """``msgid`` in ``context``: for one English word that Korean says two ways."""
    return _say(msgid, None, None, context, params, lang)


def N_(msgid: str) -> str:
    """Marks a text kept in English in a data structure (a field label, a status word) so the
    extractor finds it; whoever shows it passes it through ``_`` in their language."""
    return msgid


class Msg(str):
    """A message written once in English, to be said in any language later.

    It *is* its English text (a ``str``); ``render(lang)`` says it again in ``lang`` from the
    same ``msgid`` and ``params``. Build one with :func:`L_` or :func:`Ln_`.
    """

    msgid: str
    params: dict
    plural: str | None
    n: int | None
    context: str | None

    def __new__(cls, msgid: str, params: dict | None = None, *, plural: str | None = None,
                n: int | None = None, context: str | None = None) -> Msg:
        params = dict(params or {})
        self = super().__new__(cls, _say(msgid, plural, n, context, params, DEFAULT_LANG))
        self.msgid, self.params, self.plural, self.n, self.context = (
            msgid, params, plural, n, context)
        return self

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return _say(self.msgid, self.plural, self.n, self.context, self.params, lang)

    def __reduce__(self):
        return (_msg, (self.msgid, self.params, self.plural, self.n, self.context))

    def __repr__(self) -> str:
        return f"Msg({str.__repr__(self)})"


def _msg(msgid, params, plural, n, context) -> Msg:
    return Msg(msgid, params, plural=plural, n=n, context=context)


def L_(msgid: str, /, **params) -> Msg:
    """A message (English ``msgid`` with ``{placeholders}``) said in any language later."""
    return Msg(msgid, params)


def Ln_(singular: str, plural: str, n: int, /, **params) -> Msg:  # noqa: N802 - gettext style
    """:func:`L_` with a plural: the form is picked by ``n`` in each language."""
    return Msg(singular, params, plural=plural, n=n)


class Joined(str):
    """Messages joined by ``sep``, each said in the language the whole is rendered in."""

    def __new__(cls, parts: Iterable, sep: str = "; ") -> Joined:
        parts = list(parts)
        self = super().__new__(cls, sep.join(map(str, parts)))
        self.parts, self.sep = parts, sep
        return self

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return self.sep.join(render(p, lang) for p in self.parts)

    def __reduce__(self):
        return (Joined, (self.parts, self.sep))


def render(value: Any, lang: str = DEFAULT_LANG) -> Any:
    """A message (:class:`Msg`, :class:`Joined`, a ``RatingsError``, a ``LoadWarning``) in
    ``lang``; an exception whose first argument is a message, that message; anything else as
    it is (a plain ``str`` is data, or English the library never marked)."""
    method = getattr(value, "render", None)
    if callable(method):
        return method(lang)
    if isinstance(value, BaseException):
        first = value.args[0] if value.args else None
        return render(first, lang) if hasattr(first, "render") else str(value)
    return value


def text_of(value: Any, lang: str = DEFAULT_LANG) -> str:
    """:func:`render`, always as a ``str`` (for an error or a value of any kind)."""
    return str(render(value, lang))


# ----- Korean particles ----------------------------------------------------------------------
_PARTICLES = {  # written form -> (after a final consonant, after a vowel)
    "을(를)": ("을", "를"), "를(을)": ("을", "를"),
    "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "은(는)": ("은", "는"), "는(은)": ("은", "는"),
    "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),  # 로 also after ㄹ: 파일로, 줄로
}
_PARTICLE = re.compile("|".join(re.escape(p) for p in _PARTICLES))
# How Korean reads what is not Hangul, by the final sound of its name: letters as their names
# (엘, 엠, 엔, 알 end in a consonant; L and R in ㄹ), digits as Sino-Korean numbers.
_LETTER_FINALS = {"l": "ㄹ", "r": "ㄹ", "m": "ㅁ", "n": "ㄴ"}
_DIGIT_FINALS = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def final_sound(text: str) -> str | None:
    """The final consonant of ``text`` read aloud in Korean: "" after a vowel, "ㄹ", "ㅁ" ...;
    None when it has no letter or digit to tell by."""
    for ch in reversed(text):
        if "\uac00" <= ch <= "\ud7a3":
            return _JONGSEONG[(ord(ch) - 0xAC00) % 28].strip()
        if ch.isascii() and ch.isdigit():
            return _DIGIT_FINALS.get(ch, "")
        if ch.isascii() and ch.isalpha():
            return _LETTER_FINALS.get(ch.lower(), "")
    return None


def particles(text: str) -> str:
    """Each "을(를)", "이(가)", "은(는)", "과(와)", "(으)로" becomes the form the word before it
    takes: "#1 MF을(를)" -> "#1 MF를", "#2 NN을(를)" -> "#2 NN을", "'옥순'이(가)" -> "'옥순'이",
    "cp949(으)로" -> "cp949로" (brackets and quotes in between are skipped)."""
    if "(" not in text:
        return text
    out, last = [], 0
    for found in _PARTICLE.finditer(text):
        final = final_sound(text[:found.start()])
        after_consonant, after_vowel = _PARTICLES[found.group()]
        if final is None:
            chosen = found.group()
        elif found.group() == "(으)로":
            chosen = after_consonant if final not in ("", "ㄹ") else after_vowel
        else:
            chosen = after_consonant if final else after_vowel
        out += [text[last:found.start()], chosen]
        last = found.end()
    out.append(text[last:])
    return "".join(out)


# ----- checks --------------------------------------------------------------------------------
def placeholders(text: str) -> set[str]:
    """The ``{name:spec}`` fields of a text (names with their format spec)."""
    return {f"{name}:{spec}" if spec else name
            for _, name, spec, _ in string.Formatter().parse(text) if name is not None}



# ----- keeping the catalogue up to date (``make messages``, ``tests/test_i18n.py``) -----------
def extract(root: Path | None = None):
    """Every text marked in :data:`SOURCES`, found by Babel's Python extractor: a template
    catalogue (msgids only) with where each one is used."""
    import contextlib
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    root = root or LOCALE_DIR.parent
    template = Catalog(project="RecSys Playground", fuzzy=False)
    for source in SOURCES:
        path = root / source
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            # Babel warns of every f-string inside a marked call, the parameters' too; an
            # f-string *as* a msgid is caught by tests/test_i18n.py instead
            with contextlib.redirect_stderr(io.StringIO()):
                found = list(extract_from_file("python", file, keywords=KEYWORDS,
                                               comment_tags=("i18n:",), strip_comment_tags=True))
            for lineno, message, comments, context in found:
                template.add(message, None, [(file.relative_to(root).as_posix(), lineno)],
                             auto_comments=comments, context=context)
    return template


HEADER = ("# Korean for RecSys Playground: the app's and the library's texts, by their English.\n"
          "# The English is in the code (recsys_core/i18n.py says how it is marked). After\n"
          "# changing texts run `make messages`, then fill in every empty msgstr (and check the\n"
          "# ones marked fuzzy); tests/test_i18n.py fails while one is missing.")


def update_catalogue(lang: str = "ko") -> Path:
    """Bring ``lang``'s catalogue in line with the code: new texts added untranslated, texts
    no longer in the code dropped, changed ones kept as *fuzzy* with their old translation
    (shown in English until someone checks them). Returns the catalogue's path."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = catalogue_path(lang)
    if path.is_file():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="RecSys Playground", fuzzy=False)
    catalog.header_comment = HEADER
    created = catalog.creation_date
    catalog.update(extract())
    catalog.creation_date = created  # no date churn in the diff of an unchanged catalogue
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    return path


if __name__ == "__main__":  # python -m recsys_core.i18n: what ``make messages`` runs
    print(f"updated {update_catalogue()}")

# ----- words not yet moved into the code (figures, exported code): keyed, both languages ------
def tr(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The text of ``key`` in ``lang`` (English when ``lang`` is unknown), formatted."""
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def strings(lang: str = DEFAULT_LANG, prefix: str = "") -> dict[str, str]:
    """All texts whose key starts with ``prefix``, in ``lang``, keyed without the prefix."""
    return {key[len(prefix):]: (entry.get(lang) or entry[DEFAULT_LANG])
            for key, entry in CATALOGUE.items() if key.startswith(prefix)}


CATALOGUE: dict[str, dict[str, str]] = {
    # ----- figures: heatmap ---------------------------------------------------------------
    "fig.empty_title": {"en": "No ratings to show", "ko": "보여 줄 평점이 없습니다"},
    "fig.empty_matrix": {"en": "The matrix is empty.", "ko": "행렬이 비어 있습니다."},
    "fig.view.observed": {"en": "Observed ratings", "ko": "관측된 평점"},
    "fig.view.predicted": {"en": "Model predictions for every cell",
                           "ko": "모든 칸에 대한 모델의 예측"},
    "fig.view.completed": {"en": "Completed matrix: ratings kept, empty cells filled in by the "
                                 "model",
                           "ko": "채워진 행렬: 평점은 그대로, 빈칸은 모델이 채움"},
    "fig.view.residual": {"en": "Residuals: prediction − rating on rated cells (0 = exact)",
                          "ko": "잔차: 평점이 있는 칸의 예측 − 평점 (0 = 정확)"},
    "fig.filled_note": {"en": "{mark} and (brackets) = no rating, value predicted by the model",
                        "ko": "{mark} 표시와 (괄호) = 평점이 없던 칸, 모델이 예측한 값"},
    "fig.blank_note": {"en": "blank = no rating", "ko": "빈칸 = 평점 없음"},
    "fig.moved_note": {"en": "outlined = the {n} predictions that moved most",
                       "ko": "테두리 = 가장 많이 바뀐 예측 {n}개"},
    "fig.all_cells": {"en": "all {users} users x {items} items",
                      "ko": "사용자 {users}명 x 항목 {items}개 전체"},
    "fig.users_range": {"en": "users {first}–{last} of {total}",
                        "ko": "사용자 {total}명 중 {first}–{last}"},
    "fig.most_active": {"en": " (most active first)", "ko": " (평점이 많은 순)"},
    "fig.items_range": {"en": "items {first}–{last} of {total}",
                        "ko": "항목 {total}개 중 {first}–{last}"},
    "fig.most_rated": {"en": " (most rated first)", "ko": " (평가가 많은 순)"},
    "fig.user": {"en": "user", "ko": "사용자"},
    "fig.item": {"en": "item", "ko": "항목"},
    "fig.rating": {"en": "rating", "ko": "평점"},
    "fig.prediction": {"en": "prediction", "ko": "예측"},
    "fig.split": {"en": "split", "ko": "구분"},
    "fig.split.train": {"en": "train", "ko": "학습"},
    "fig.split.validation": {"en": "validation", "ko": "검증"},
    "fig.split.rated": {"en": "rated", "ko": "평가됨"},
    "fig.split.missing": {"en": "missing", "ko": "없음"},
    "fig.no_model": {"en": "no model yet", "ko": "아직 모델 없음"},
    "fig.residual_hover": {"en": "prediction − rating", "ko": "예측 − 평점"},
    "fig.residual_bar": {"en": "pred − rating", "ko": "예측 − 평점"},
    "fig.trace.observed": {"en": "observed", "ko": "관측"},
    "fig.trace.filled": {"en": "filled in", "ko": "채움"},
    "fig.trace.predicted": {"en": "predicted", "ko": "예측한 칸"},
    "fig.trace.moved": {"en": "moved most", "ko": "가장 많이 바뀜"},
    # ----- figures: training, accuracy, embeddings, distributions -------------------------
    "fig.loss_title": {"en": "Training progress: error per epoch",
                       "ko": "학습 진행: 에폭별 오차"},
    "fig.loss_subtitle": {"en": "solid = training ratings, dashed = validation ratings (held out)",
                          "ko": "실선 = 학습 평점, 점선 = 검증 평점 (학습에서 뺀 것)"},
    "fig.epoch": {"en": "epoch", "ko": "에폭"},
    "fig.rmse_axis": {"en": "RMSE (rating points)", "ko": "RMSE (평점 단위)"},
    "fig.no_epochs": {"en": "No epochs yet: train a model to see its error fall.",
                      "ko": "아직 학습 전입니다: 모델을 학습하면 오차가 줄어드는 모습이 보입니다."},
    "fig.train_rmse": {"en": "train RMSE", "ko": "학습 RMSE"},
    "fig.val_rmse": {"en": "validation RMSE", "ko": "검증 RMSE"},
    "fig.pva_title": {"en": "Predicted vs actual rating", "ko": "예측 평점 vs 실제 평점"},
    "fig.perfect": {"en": "perfect prediction", "ko": "완벽한 예측"},
    "fig.actual_axis": {"en": "actual rating", "ko": "실제 평점"},
    "fig.predicted_axis": {"en": "predicted rating", "ko": "예측 평점"},
    "fig.shown_of": {"en": "{shown} of {total} ratings shown (a fixed random sample)",
                     "ko": "평점 {total}개 중 {shown}개 표시 (고정된 무작위 표본)"},
    "fig.emb_title": {"en": "Learned embeddings: users and items on one map",
                      "ko": "학습된 임베딩: 사용자와 항목을 한 지도에"},
    "fig.emb_close": {"en": "close together = similar tastes", "ko": "가까울수록 취향이 비슷함"},
    "fig.emb_pca": {"en": "projected to 2-D with PCA; close together = similar tastes",
                    "ko": "PCA로 2차원에 투영; 가까울수록 취향이 비슷함"},
    "fig.emb_top_users": {"en": "the {shown} most active of {total} users shown",
                          "ko": "사용자 {total}명 중 평점이 많은 {shown}명만 표시"},
    "fig.emb_top_items": {"en": "the {shown} most-rated of {total} items shown",
                          "ko": "항목 {total}개 중 평가가 많은 {shown}개만 표시"},
    "fig.emb_sample_users": {"en": "{shown} of {total} users shown (a fixed random sample)",
                             "ko": "사용자 {total}명 중 {shown}명 표시 (고정된 무작위 표본)"},
    "fig.emb_sample_items": {"en": "{shown} of {total} items shown (a fixed random sample)",
                             "ko": "항목 {total}개 중 {shown}개 표시 (고정된 무작위 표본)"},
    "fig.emb_none": {"en": "This model has no embeddings to show (the baseline has none).",
                     "ko": "이 모델에는 보여 줄 임베딩이 없습니다 (기준 모델에는 없음)."},
    "fig.axis.factor": {"en": "factor", "ko": "요인"},
    "fig.axis.pca": {"en": "PCA", "ko": "PCA"},
    "fig.axis.axis": {"en": "axis", "ko": "축"},
    "fig.users": {"en": "users", "ko": "사용자"},
    "fig.items": {"en": "items", "ko": "항목"},
    "fig.hist_title": {"en": "How the ratings are spread", "ko": "평점 분포"},
    "fig.hist_subtitle": {"en": "{n} ratings on the scale {lo} to {hi}",
                          "ko": "평점 {n}개, 척도 {lo}–{hi}"},
    "fig.ratings_trace": {"en": "ratings", "ko": "평점"},
    "fig.n_ratings_axis": {"en": "number of ratings", "ko": "평점 수"},
    "fig.no_ratings": {"en": "No ratings yet.", "ko": "아직 평점이 없습니다."},
    "fig.hover.rating_count": {"en": "rating {x}: {n} ratings", "ko": "평점 {x}: {n}개"},
    "fig.hover.range_count": {"en": "{a} to {b}: {n} ratings", "ko": "{a}–{b}: {n}개"},
    "fig.per_user_title": {"en": "Ratings per user", "ko": "사용자별 평점 수"},
    "fig.per_item_title": {"en": "Ratings per item", "ko": "항목별 평점 수"},
    "fig.per_user_axis": {"en": "ratings per user", "ko": "사용자 한 명의 평점 수"},
    "fig.per_item_axis": {"en": "ratings per item", "ko": "항목 하나의 평점 수"},
    "fig.n_users_axis": {"en": "number of users", "ko": "사용자 수"},
    "fig.n_items_axis": {"en": "number of items", "ko": "항목 수"},
    "fig.count_summary_users": {
        "en": "{count} users; median {median}, fewest {fewest}, most {most} ratings",
        "ko": "사용자 {count}명; 중앙값 {median}, 최소 {fewest}, 최대 {most}개"},
    "fig.count_summary_items": {
        "en": "{count} items; median {median}, fewest {fewest}, most {most} ratings",
        "ko": "항목 {count}개; 중앙값 {median}, 최소 {fewest}, 최대 {most}개"},
    "fig.count_none_users": {"en": "no users", "ko": "사용자 없음"},
    "fig.count_none_items": {"en": "no items", "ko": "항목 없음"},
    "fig.hover.count_users": {"en": "{x} ratings: {n} users", "ko": "평점 {x}개: 사용자 {n}명"},
    "fig.hover.count_items": {"en": "{x} ratings: {n} items", "ko": "평점 {x}개: 항목 {n}개"},
    "fig.hover.count_range_users": {"en": "{a} to {b} ratings: {n} users",
                                    "ko": "평점 {a}–{b}개: 사용자 {n}명"},
    "fig.hover.count_range_items": {"en": "{a} to {b} ratings: {n} items",
                                    "ko": "평점 {a}–{b}개: 항목 {n}개"},
    # ----- comments of the exported code (recsys_core.codegen) ----------------------------
    "code.header": {
        "en": "Reproduces the RecSys Playground run {run}: {model} on {data}.",
        "ko": "RecSys Playground의 실행 {run} 재현: {data}에 대한 {model}."},
    "code.header2": {
        "en": "Same data and order, same validation split, seed, starting weights and updates,\n"
              "so its predictions match the app's (to about 4 decimals; the app trains on a GPU\n"
              "when the server has one, which changes the last digits).",
        "ko": "같은 데이터와 순서, 같은 검증 분할, 시드, 초깃값과 갱신을 쓰므로 예측이 앱과\n"
              "같습니다 (소수 넷째 자리 정도까지; 서버에 GPU가 있으면 앱은 GPU로 학습하므로\n"
              "마지막 자릿수가 달라질 수 있습니다)."},
    "code.stopped_note": {
        "en": "This run was stopped by hand. An epoch it had only partly done (mini-batches) is\n"
              "not repeated here, so the numbers may differ slightly.",
        "ko": "이 실행은 도중에 멈췄습니다. 반쯤 진행된 에폭(미니배치)은 여기서 반복하지\n"
              "않으므로 숫자가 조금 다를 수 있습니다."},
    "code.dropout_note": {
        "en": "Dropout draws random numbers while training: the numbers repeat exactly only if\n"
              "nothing else used torch's random generator during the app's training.",
        "ko": "드롭아웃은 학습 중 난수를 씁니다: 앱의 학습 중에 다른 무엇도 torch 난수를 쓰지\n"
              "않았을 때에만 숫자가 똑같이 반복됩니다."},
    "code.where": {"en": "Run it in the folder that holds the app's data/ folder.",
                   "ko": "앱의 data/ 폴더가 있는 폴더에서 실행하세요."},
    "code.companion": {"en": "Put {file} (downloaded beside this script) in the same folder.",
                       "ko": "이 스크립트와 함께 받은 {file} 파일을 같은 폴더에 두세요."},
    "code.sec_data": {"en": "1. the data", "ko": "1. 데이터"},
    "code.sec_split": {"en": "2. ratings held out for validation (the app's split)",
                       "ko": "2. 검증용으로 뺀 평점 (앱의 분할 그대로)"},
    "code.sec_net": {"en": "3. the network", "ko": "3. 네트워크"},
    "code.sec_train": {"en": "4. training: the lecture's four steps",
                       "ko": "4. 학습: 강의의 네 단계"},
    "code.sec_stage": {"en": "{n}. warm start: keep training the same network on edited data",
                       "ko": "{n}. 이어서 학습: 수정한 데이터로 같은 네트워크를 계속 학습"},
    "code.sec_fill": {"en": "{n}. fill every cell of the matrix", "ko": "{n}. 행렬의 모든 칸 채우기"},
    "code.wide_read": {"en": "users x items, empty = no rating", "ko": "사용자 x 항목, 빈칸 = 평점 없음"},
    "code.stack": {"en": "one row per rating, row by row (the empty cells dropped)",
                   "ko": "평점 하나에 한 행, 행 순서대로 (빈칸은 뺌)"},
    "code.inline": {"en": "the data as it was in the app (uploaded or edited)",
                    "ko": "앱에 있던 그대로의 데이터 (올리거나 고친 것)"},
    "code.same_data": {"en": "the same data as before", "ko": "앞과 같은 데이터"},
    "code.scale": {"en": "lowest and highest rating", "ko": "가장 낮은 평점과 가장 높은 평점"},
    "code.no_val": {"en": "no rating held out", "ko": "검증용으로 뺀 평점 없음"},
    "code.numbered": {"en": "users 1, 2, 3 ...", "ko": "사용자 1, 2, 3 ..."},
    "code.product": {"en": "weights of the product", "ko": "곱에 곱하는 가중치"},
    "code.user_factors": {"en": "user factors", "ko": "사용자 요인"},
    "code.item_factors": {"en": "item factors", "ko": "항목 요인"},
    "code.user_bias": {"en": "user bias", "ko": "사용자 편향"},
    "code.item_bias": {"en": "item bias", "ko": "항목 편향"},
    "code.gmf_users": {"en": "user factors, GMF part", "ko": "사용자 요인, GMF 부분"},
    "code.gmf_items": {"en": "item factors, GMF part", "ko": "항목 요인, GMF 부분"},
    "code.mlp_users": {"en": "user factors, MLP part", "ko": "사용자 요인, MLP 부분"},
    "code.mlp_items": {"en": "item factors, MLP part", "ko": "항목 요인, MLP 부분"},
    "code.x1": {"en": "which user (row of the user tables)", "ko": "어느 사용자인지 (사용자 표의 행)"},
    "code.x2": {"en": "which item (row of the item tables)", "ko": "어느 항목인지 (항목 표의 행)"},
    "code.offset": {"en": "shifts the score so the untrained network predicts the average "
                          "rating",
                    "ko": "학습 전 네트워크가 평균 평점을 예측하도록 점수를 옮김"},
    "code.l2": {"en": "squared size of the embedding rows this batch used (the L2 penalty)",
                "ko": "이 배치가 쓴 임베딩 행의 크기 제곱 (L2 벌점)"},
    "code.groups": {"en": "L2 through the optimiser on layer weights only; embeddings get it in "
                          "the loss",
                    "ko": "옵티마이저의 L2는 층 가중치에만; 임베딩은 손실에서 받음"},
    "code.cold": {"en": "users and items without a training rating: their rows start at zero, so "
                        "they are predicted from the averages",
                  "ko": "학습 평점이 없는 사용자와 항목: 행을 0으로 두어 평균으로 예측함"},
    "code.reseed": {"en": "the app seeds torch again whenever training starts",
                    "ko": "앱은 학습을 시작할 때마다 torch 시드를 다시 정함"},
    "code.calls": {"en": "epochs of each press of Train / Continue training",
                   "ko": "학습 / 이어서 학습 버튼을 누를 때마다의 에폭 수"},
    "code.no_last_step": {"en": "the last epoch computes yhat and the loss but does not update "
                                "(the state the lecture printed)",
                          "ko": "마지막 에폭은 yhat과 손실만 계산하고 갱신하지 않음 (강의가 출력한 "
                                "상태)"},
    "code.shuffle": {"en": "a new order of the training ratings every epoch (seeded)",
                     "ko": "에폭마다 학습 평점의 순서를 새로 섞음 (시드 고정)"},
    "code.step1": {"en": "1 yhat", "ko": "1 yhat"},
    "code.step2": {"en": "2 loss", "ko": "2 loss"},
    "code.step2_l2": {"en": "2 loss (+ L2 penalty)", "ko": "2 loss (+ L2 벌점)"},
    "code.step3": {"en": "3 backward", "ko": "3 backward"},
    "code.step4": {"en": "4 step, zero_grad", "ko": "4 step, zero_grad"},
    "code.val_rmse": {"en": "validation RMSE", "ko": "검증 RMSE"},
    "code.completed": {"en": "observed ratings kept, empty cells filled by the network",
                       "ko": "관측된 평점은 그대로, 빈칸은 네트워크가 채움"},
}
