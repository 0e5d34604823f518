"""Korean and English: every text in both languages, and no page text outside the catalogues.

English is written once, in the code, and marked (``_``, ``n_``, ``p_``, ``N_``, ``L_``,
``Ln_``: see ``recsys_core/i18n.py``); Korean lives in ``locales/ko/LC_MESSAGES/messages.po``.
Fails when a marked text has no Korean or its placeholders differ, when the catalogue holds a
text the code no longer has, when a msgid is an f-string (it could never be found), when a
library error or warning says anything in English in a Korean session (labels and file names
excepted), when a page passes a literal text straight to a Streamlit element, and when a page
looks a text up by a key (the keyed catalogues are gone: issue 12).
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path

import pytest

from recsys_core import i18n as core
from recsys_core.data import errors
from recsys_core.data.samples import SAMPLES
from recsys_core.models import MODELS, RANKING_MODELS
from recsys_core.models.config import describe
from recsys_core.results import figures
from recsys_core.results.trained_run import STATUS_WORDS
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.trainer import TrainConfig
from tests.corpus import cases, load_kwargs
from ui import i18n

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])
PAGE_FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")])
HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Streamlit calls that put text on the screen, and their keyword arguments that are text.
ELEMENTS = {
    "title", "header", "subheader", "markdown", "caption", "text", "write", "info", "warning",
    "error", "success", "toast", "button", "download_button", "link_button", "page_link",
    "selectbox", "multiselect", "radio", "segmented_control", "pills", "checkbox", "toggle",
    "number_input", "text_input", "text_area", "slider", "select_slider", "file_uploader",
    "metric", "expander", "popover", "tabs", "progress", "spinner", "status", "form_submit_button",
    "data_editor", "Page", "Column", "NumberColumn", "TextColumn", "column_config",
}
TEXT_KEYWORDS = {"label", "help", "placeholder", "caption", "text", "title", "body", "alt",
                 "file_name", "value_label"}


# ----- the gettext catalogue -----------------------------------------------------------------
@pytest.fixture(scope="module")
def extracted():
    """Every marked text of the code, as Babel's extractor finds it."""
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m
            for m in core.extract() if m.id}


@pytest.fixture(scope="module")
def korean():
    from babel.messages.pofile import read_po

    with core.catalogue_path("ko").open("rb") as f:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m
                for m in read_po(f, locale="ko") if m.id}


def test_every_marked_text_has_korean_with_the_same_placeholders(extracted, korean):
    problems = []
    for key, message in extracted.items():
        entry = korean.get(key)
        strings = [] if entry is None else (
            [entry.string] if isinstance(entry.string, str) else list(entry.string))
        where = ", ".join(path for path, _ in message.locations)
        if entry is None or not all(s.strip() for s in strings) or entry.fuzzy:
            problems.append(f"no Korean for {message.id!r} ({where})")
            continue
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set().union(*(core.placeholders(e) for e in english))
        for text in strings:
            if core.placeholders(text) != wanted:
                problems.append(f"placeholders differ for {message.id!r}: {text!r}")
    assert problems == [], "run `make messages` and translate:\n" + "\n".join(problems)


def test_the_catalogue_holds_only_texts_the_code_has(extracted, korean):
    assert sorted(k[1] for k in set(korean) - set(extracted)) == [], (
        "texts no longer in the code: run `make messages`")


MARKERS = {name for name in core.KEYWORDS}


@pytest.mark.parametrize("path", sorted(p for source in core.SOURCES
                                        for p in ([ROOT / source] if source.endswith(".py")
                                                  else (ROOT / source).rglob("*.py"))),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_msgid_is_an_f_string(path):
    """``_(f"...")`` cannot be translated: the extractor skips it and Korean never comes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _call_name(node) in MARKERS and node.args:
            texts = node.args[1:3] if _call_name(node) == "p_" else node.args[:2]
            if any(isinstance(a, ast.JoinedStr) for a in texts):
                found.append(f"line {node.lineno}")
    assert found == []


def test_korean_particles_follow_the_last_syllable():
    assert core.particles("#1 MF을(를) 보고") == "#1 MF를 보고"  # 엠에프: a vowel
    assert core.particles("#2 NN을(를)") == "#2 NN을"  # 엔엔: a final consonant
    assert core.particles("#3 기준 모델을(를)") == "#3 기준 모델을"
    assert core.particles("'영자(IN)'이(가)") == "'영자(IN)'이"
    assert core.particles("'옥순'은(는) 하니와(과) 영숙과(와)") == "'옥순'은 하니와 영숙과"
    assert core.particles("cp949(으)로, 파일(으)로, 표(으)로, 줄(으)로") == "cp949로, 파일로, 표로, 줄로"
    assert core.particles("책(으)로") == "책으로"
    assert core._("no such text", "ko") == "no such text"  # untranslated: English


def test_a_message_is_its_english_text_and_says_itself_again_in_korean():
    message = core.L_("The file is empty")
    assert message == "The file is empty" and isinstance(message, str)
    assert message.render("ko") == "파일이 비어 있습니다"
    nested = core.L_("{what}. Where: {where}.", what=message, where="a.csv")
    assert nested == "The file is empty. Where: a.csv."
    assert nested.render("ko") == "파일이 비어 있습니다. 위치: a.csv."
    import pickle

    assert pickle.loads(pickle.dumps(nested)).render("ko") == nested.render("ko")
    plural = core.Ln_("{n} user", "{n} users", 3, n=3)
    assert plural == "3 users" and plural.render("ko") == "사용자 3명"
    assert core.render("a label", "ko") == "a label"  # data is never translated


# Words a Korean message may keep: what the user calls things (quoted labels, the file name),
# names of formats and codecs, and what a third-party reader said (in brackets, no Hangul).
TECHNICAL = re.compile(r"'[^']*'|\([^()\uac00-\ud7a3]*\)|"
                       r"\b(?:CSV|TSV|TXT|Excel|xlsx|xls|UTF|utf|CP949|cp949|le|be|sig|MB|ZIP|"
                       r"PNG|JPEG|GIF|PDF|gzip|Word|N/A|RecSys|Playground)\b", re.ASCII)


def english_left(text: str, *names: str) -> list[str]:
    for name in names:
        text = text.replace(name, "")
    return re.findall(r"[A-Za-z]{3,}", TECHNICAL.sub("", text))


@pytest.mark.parametrize("case", [c for c in cases() if not c.generated], ids=lambda c: c.file)
def test_library_errors_and_warnings_are_wholly_korean(case):
    """Issue 13 item 9: a Korean session saw "Korean headline (English details)"."""
    from recsys_core.data.loading import load_ratings
    from recsys_core.data.ratings import cold_start_warnings

    try:
        ratings = load_ratings(case.path, **load_kwargs(case.options))
    except errors.RatingsError as err:
        texts = [err.render("ko")]
    else:
        texts = [w.render("ko") for w in ratings.warnings + cold_start_warnings(ratings)]
    for text in texts:
        assert HANGUL.search(text), text
        assert english_left(text, case.file) == [], text


def test_korean_texts_are_korean():
    """A Korean text copied from the English by mistake would pass the first test."""
    from babel.messages.pofile import read_po

    with core.catalogue_path("ko").open("rb") as f:
        same = [m.id for m in read_po(f, locale="ko") if isinstance(m.id, str)
                and m.string == m.id and not HANGUL.search(m.id)
                and re.search(r"[a-z]{4,}", re.sub(r"\{[^}]*\}", "", m.id))]
    allowed = {"MovieLens latest-small (610 x 9,724)", "RecSys Playground", "GMF (NCF)",
               "MLP (NCF)", "NeuMF (NCF)", "1 yhat", "2 loss", "3 backward", "4 step, zero_grad",
               "linr(E)", "ebdd(x)", "linr.weight = {weight}"}  # the lesson's code names
    assert sorted(set(same) - allowed) == []


def test_lookup_falls_back_and_formats():
    assert i18n._("Data", lang="ko") == "데이터"
    assert i18n._("Data", lang="fr") == "Data"  # unknown language: English
    assert i18n._("Tried {done} of {planned} settings", lang="ko", done=3,
                  planned=27) == "설정 27개 중 3개 시험함"
    assert i18n.p_("page title", "Guide", lang="ko") == "사용 안내"
    assert i18n._("Guide", lang="ko") == "안내"
    assert core.language_of("ko-KR") == "ko" and core.language_of("ko") == "ko"
    assert core.language_of("en-US") == "en" and core.language_of(None) == "en"


def test_a_run_name_takes_the_right_particle():
    """Issue 13 item 9: "#1 MF을(를) 이어서" -> "#1 MF를 이어서" (the control bar's rule)."""
    go_on = ("Train goes on with {run} from epoch {epoch}: its model, settings and data are "
             "unchanged. Reset starts a new run at epoch 0.")
    assert i18n._(go_on, lang="ko", run="#1 MF", epoch="5").startswith(
        "학습을 누르면 #1 MF를 에폭 5부터")
    assert i18n._(go_on, lang="ko", run="#2 NN", epoch="5").startswith(
        "학습을 누르면 #2 NN을 에폭 5부터")


# ----- what the library names ----------------------------------------------------------------
def test_models_samples_presets_and_statuses_have_words():
    for name, spec in [*MODELS.items(), *RANKING_MODELS.items()]:
        assert core.translation(spec.title, "ko") and core.translation(spec.description, "ko"), name
    for name, sample in SAMPLES.items():
        assert core.translation(sample.title, "ko") or sample.title.startswith("MovieLens"), name
        assert core.translation(sample.description, "ko"), name
    for name, preset in PRESETS.items():
        assert core.translation(preset.title, "ko") and core.translation(preset.state_note, "ko"), name
    for status, english in STATUS_WORDS.items():
        assert core.translation(english, "ko"), status


def test_the_app_says_library_texts_in_the_library_own_english():
    """The presets' names and notes: the library's English, its Korean from the catalogue."""
    for name, preset in PRESETS.items():
        assert i18n.preset_note(name, lang="en") == preset.state_note
        assert i18n.preset_title(name, lang="en") == preset.title
        assert i18n.preset_note(name, lang="ko") == core.translation(preset.state_note, "ko")
        assert i18n.preset_title(name, lang="ko") == core.translation(preset.title, "ko")


@pytest.mark.parametrize("owner", [*MODELS, "train", *(f"ranking {n}" for n in RANKING_MODELS),
                                   "ranking train"])
def test_every_form_field_has_a_label_and_help_in_both_languages(owner):
    from recsys_core.ranking.training import RankingTrainConfig

    cls = {"train": TrainConfig, "ranking train": RankingTrainConfig}.get(owner) or (
        RANKING_MODELS[owner.split()[1]].config_cls if owner.startswith("ranking ")
        else MODELS[owner].config_cls)
    for info in describe(cls):  # labels and helps are N_-marked in the library
        for english in (info.label, info.help):
            assert core.translation(english, "ko"), (owner, info.name, english)


def test_every_error_has_its_own_code():
    codes = [cls.code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.RatingsError)]
    assert len(codes) == len(set(codes)) >= 8


def test_figures_speak_korean_but_keep_data_labels(solo):
    ko = figures.words("ko")
    fig = figures.heatmap(solo, view="observed", text=ko)
    assert HANGUL.search(fig.layout.title.text) and fig.layout.xaxis.title.text == "항목"
    assert "옥순(IN)" in list(fig.layout.yaxis.ticktext)  # data: as it is
    hover = figures.heatmap(solo, view="observed", text=ko).data[0].customdata
    assert hover[0][0][2] == "없음"
    english = figures.heatmap(solo, view="observed")
    assert english.layout.title.text == "Observed ratings"
    assert [t.name for t in english.data] == [t.name for t in fig.data]  # stable trace ids


# ----- the pages -----------------------------------------------------------------------------
def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal_text(node) -> str | None:
    """The words of a literal (str or f-string parts), if it has any letters."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return None
    return text if re.search(r"[^\W\d_]", text) else None


ALLOWED_LITERALS = {
    # not words people read: CSS class names, code samples, languages, mime types ...
    "python", "text/csv", "application/json", "application/octet-stream", "text/x-python",
    "ignore", "session",
}


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_text_bypasses_the_catalogue(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) not in ELEMENTS:
            continue
        candidates = list(node.args) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for arg in candidates:
            text = _literal_text(arg)
            if text and text not in ALLOWED_LITERALS:
                found.append(f"line {node.lineno}: {_call_name(node)}({text!r})")
    assert found == [], "texts that bypass ui.i18n:\n" + "\n".join(found)


KEYED = ("t", "Texts", "has")  # the keyed catalogue's lookups (ui.i18n before issue 12)


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_looks_a_text_up_by_key(path):
    """English is written once, in ``_("...")``: no ``t("train.title")``, ``T["title"]`` or
    ``UI[...]`` catalogue is left to keep in step with it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _call_name(node) in KEYED:
            found.append(f"line {node.lineno}: {_call_name(node)}(...)")
        if (isinstance(node, ast.Subscript) and getattr(node.value, "id", "") in ("T", "UI")
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
            found.append(f"line {node.lineno}: {node.value.id}[{node.slice.value!r}]")
    assert found == []
    assert not hasattr(i18n, "UI") and not hasattr(i18n, "t")


def test_pages_keep_no_text_dictionaries_of_their_own():
    """The old ``T = {...}`` dictionaries held English only."""
    for path in PAGE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                    and [getattr(t, "id", "") for t in node.targets] == ["T"]):
                pytest.fail(f"{path.name}: line {node.lineno} defines T = {{...}}; write "
                            "_(\"...\") where the text is shown")


def test_the_session_language_is_read_from_the_state():
    state = {"lang": "ko"}
    assert i18n.current_lang(state) == "ko"
    assert i18n.current_lang({"lang": "xx"}) == "en"
    assert fields  # (imported for readers: configs are dataclasses)


# ----- downloads of a Korean session -------------------------------------------------------------
@pytest.fixture(scope="module")
def solo_run():
    from recsys_core.data.samples import load_sample
    from recsys_core.training.trainer import fit

    return fit(load_sample("solo"), "mf", train=TrainConfig(epochs=3, val_frac=0.2))


def test_downloads_of_a_korean_session_have_korean_headers(solo_run):
    """Issue 13 item 9: English column headers, and the corner "user" instead of "사용자"."""
    import csv
    import io

    import openpyxl

    from recsys_core.results import export

    def header(data: bytes) -> list[str]:
        return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

    assert header(export.completed_csv(solo_run, "ko"))[:2] == ["사용자", "영식(IN)"]
    assert header(export.completed_csv(solo_run))[0] == "user"  # the command line's English
    assert header(export.predictions_csv(solo_run, "ko")) == ["사용자", "항목", "평점", "예측", "구분"]
    rows = list(csv.reader(io.StringIO(export.predictions_csv(solo_run, "ko").decode("utf-8-sig"))))
    assert {row[4] for row in rows[1:]} == {"학습", "검증", "없음"}
    assert header(export.top_n_csv(solo_run, 2, "ko")) == ["사용자", "순위", "항목", "예측 평점", "이유"]
    book = openpyxl.load_workbook(io.BytesIO(export.workbook_xlsx(solo_run, 2, "ko")))
    assert book.sheetnames == ["채운 행렬", "예측", "추천 상위 N", "요약", "학습 기록"]
    assert book["채운 행렬"]["A1"].value == "사용자"
    assert [c.value for c in book["학습 기록"][1]] == ["에폭", "학습 손실", "학습 RMSE", "검증 RMSE", "초"]
    assert [c.value for c in book["요약"][1]] == ["항목", "값"]
    english_left = [c.value for sheet in book for c in sheet[1]
                    if isinstance(c.value, str) and re.fullmatch(r"[a-z_ ]{4,}", c.value)]
    assert english_left == []
