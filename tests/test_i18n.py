"""Korean and English: every text in both languages, and no page text outside the catalogues.

Fails when a catalogue entry lacks a language or its placeholders differ between the two, when
a page uses a key the catalogues do not have, when a page passes a literal text straight to a
Streamlit element (it would be in one language only), and when something the library names
(a model, a sample, a form field, a status, a message code) has no words in the catalogue.
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path

import pytest

from recsys_core import figures
from recsys_core import i18n as core
from recsys_core.config import describe
from recsys_core.models import MODELS
from recsys_core.presets import PRESETS
from recsys_core.results import STATUS_WORDS
from recsys_core.samples import SAMPLES
from recsys_core.training import TrainConfig
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


def all_entries():
    yield from (("core", k, v) for k, v in core.CATALOGUE.items())
    yield from (("ui", k, v) for k, v in i18n.UI.items())


# ----- the catalogues ------------------------------------------------------------------------
@pytest.mark.parametrize(("where", "key", "entry"), list(all_entries()),
                         ids=[f"{w}:{k}" for w, k, _ in all_entries()])
def test_every_text_has_both_languages_with_the_same_placeholders(where, key, entry):
    assert set(entry) == {"en", "ko"}, f"{key} must have exactly 'en' and 'ko'"
    assert entry["en"].strip() and entry["ko"].strip(), f"{key} has an empty text"
    assert core.placeholders(entry["en"]) == core.placeholders(entry["ko"]), key


def test_korean_texts_are_korean():
    """A Korean text copied from the English by mistake would pass the test above."""
    same = [k for _, k, e in all_entries()
            if e["ko"] == e["en"] and re.search(r"[a-z]{4,}", e["en"])
            and not HANGUL.search(e["en"])]
    allowed = {"app.name", "lesson.col_onehot", "lesson.col_linear", "lesson.col_embedding",
               "model.gmf.title", "model.mlp.title", "model.neumf.title",
               "sample.movielens.title", "lesson.weight", "fig.axis.pca", "code.step1",
               "code.step2", "code.step3", "code.step4"}
    assert sorted(set(same) - allowed) == []


def test_the_two_catalogues_do_not_overlap():
    assert not set(core.CATALOGUE) & set(i18n.UI)


def test_lookup_falls_back_and_formats():
    assert i18n.t("nav.data", "ko") == "데이터"
    assert i18n.t("nav.data", "fr") == "Data"  # unknown language: English
    assert i18n.t("train.done", "ko", epochs=3, seconds="1.0") == "1.0초 동안 3 에폭"
    assert core.language_of("ko-KR") == "ko" and core.language_of("ko") == "ko"
    assert core.language_of("en-US") == "en" and core.language_of(None) == "en"
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


# ----- what the library names ----------------------------------------------------------------
def test_models_samples_presets_and_statuses_have_words():
    for name in MODELS:
        assert i18n.has(f"model.{name}.title") and i18n.has(f"model.{name}.desc"), name
    for name in SAMPLES:
        assert i18n.has(f"sample.{name}.title") and i18n.has(f"sample.{name}.desc"), name
    for name in PRESETS:
        assert i18n.has(f"preset.{name}.title") and i18n.has(f"preset.{name}.note"), name
    for status in STATUS_WORDS:
        assert i18n.has(f"status.{status}"), status
        assert core.CATALOGUE[f"status.{status}"]["en"] == STATUS_WORDS[status]


def test_english_of_library_texts_matches_the_library():
    """The English in the catalogue is the library's own wording (models, presets, forms)."""
    for name, spec in MODELS.items():
        assert i18n.UI[f"model.{name}.title"]["en"] == spec.title
        assert i18n.UI[f"model.{name}.desc"]["en"] == spec.description
    for name, preset in PRESETS.items():
        assert i18n.UI[f"preset.{name}.note"]["en"] == preset.state_note
    for name, sample in SAMPLES.items():
        assert i18n.UI[f"sample.{name}.desc"]["en"] == sample.description


@pytest.mark.parametrize("owner", [*MODELS, "train"])
def test_every_form_field_has_a_label_and_help_in_both_languages(owner):
    cls = TrainConfig if owner == "train" else MODELS[owner].config_cls
    for info in describe(cls):
        for part, english in (("label", info.label), ("help", info.help)):
            keys = [f"param.{owner}.{info.name}.{part}", f"param.{info.name}.{part}"]
            key = next((k for k in keys if i18n.has(k)), None)
            assert key, f"{owner}.{info.name} has no {part} in ui.i18n"
            assert i18n.UI[key]["en"] == english, (owner, info.name, part)


def _warning_codes() -> set[str]:
    codes = {"cold_user", "cold_item"}  # made as f"cold_{kind}"
    for path in (ROOT / "recsys_core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "LoadWarning"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                codes.add(node.args[0].value)
    return codes


def test_every_message_code_has_a_korean_rendering():
    from recsys_core import errors

    for cls in vars(errors).values():
        if isinstance(cls, type) and issubclass(cls, errors.RatingsError):
            assert f"error.{cls.code}" in core.CATALOGUE, cls.__name__
    missing = sorted(c for c in _warning_codes() if f"warning.{c}" not in core.CATALOGUE)
    assert missing == []


def test_fixed_because_texts_are_the_librarys():
    source = (ROOT / "recsys_core" / "results.py").read_text(encoding="utf-8")
    for key in ("because.popular", "because.cold"):
        assert core.CATALOGUE[key]["en"] in source, key


def test_figures_speak_korean_but_keep_data_labels(solo):
    ko = core.strings("ko", "fig.")
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


def _page_keys(path: Path) -> list[tuple[int, str]]:
    """Keys a page looks up: ``T["x"]`` with ``T = Texts("p")`` -> "p.x", and ``t("k")``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prefix = None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and _call_name(node.value) == "Texts"):
            prefix = node.value.args[0].value
    keys = []
    for node in ast.walk(tree):
        if (prefix and isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "T"
                and isinstance(node.slice, ast.Constant)):
            keys.append((node.lineno, f"{prefix}.{node.slice.value}"))
        if (isinstance(node, ast.Call) and _call_name(node) == "t" and node.args
                and isinstance(node.args[0], ast.Constant)):
            keys.append((node.lineno, node.args[0].value))
    return keys


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_a_page_uses_exists(path):
    missing = [f"line {line}: {key}" for line, key in _page_keys(path) if not i18n.has(key)]
    assert missing == []


def test_pages_keep_no_text_dictionaries_of_their_own():
    """The old ``T = {...}`` dictionaries held English only."""
    for path in PAGE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                    and [getattr(t, "id", "") for t in node.targets] == ["T"]):
                pytest.fail(f"{path.name}: line {node.lineno} defines T = {{...}}; use "
                            "T = Texts(...) and ui/i18n.py")


def test_texts_mapping_reads_the_session_language():
    state = {"lang": "ko"}
    assert i18n.current_lang(state) == "ko"
    assert i18n.current_lang({"lang": "xx"}) == "en"
    texts = i18n.Texts("compare")
    assert "title" in list(texts) and len(texts) > 5
    assert fields  # (imported for readers: configs are dataclasses)
