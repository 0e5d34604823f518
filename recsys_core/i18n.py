"""English written once, in the code; Korean in one gettext catalogue.

Every text a person reads is written once, in English, where it is used, and marked so that
Babel's extractor finds it (``make messages`` re-extracts; ``tests/test_i18n.py`` fails when one
has no Korean)::

    _("Finished {epochs} epoch(s).", lang, epochs=3)        # the text in ``lang``, now
    n_("{n} rating", "{n} ratings", n, lang, n=n)           # ... one that has a plural
    p_("xlsx", "prediction", lang)                          # ... one English word, two Korean ones
    N_("comma")                                             # a marker: stays English, shown via _()
    pN_("heatmap trace", "predicted")                       # ... with a context, shown via p_()
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
                            "pN_": ((1, "c"), 2), "L_": None, "Ln_": (1, 2)}
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


def pN_(context: str, msgid: str) -> tuple[str, str]:
    """:func:`N_` with a context: ``(context, msgid)``, shown with ``p_(*marked, lang)``."""
    return context, msgid


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
