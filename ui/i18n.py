"""The app's words in English and Korean, from one catalogue, and the session's language.

``t("results.title")`` gives the text in the session's language; a page keeps its short keys
with ``T = Texts("results")`` and ``T["title"]``. Keys the UI shares with the library (figure
words, status words, the run report) live in :mod:`recsys_core.i18n` and are found by ``t``
too. Every key has both languages with the same ``{placeholders}``; ``tests/test_i18n.py``
walks both catalogues and scans the pages for text that bypasses them.

The first language follows the browser (``st.context.locale``: ``ko*`` -> Korean, anything
else English), unless the URL says ``?lang=``; the sidebar switch (key ``lang``) changes it,
and the choice lives in the session, so it survives page switches. Data labels (user and item
names, file names) are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from recsys_core import i18n as core

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


def t(key: str, lang: str | None = None, **fmt) -> str:
    """The text of ``key`` (UI catalogue first, then the library's) in ``lang`` or the
    session's language, formatted with ``fmt``."""
    lang = lang or current_lang()
    entry = UI.get(key) or core.CATALOGUE.get(key)
    if entry is None:
        raise KeyError(f"no text for '{key}' in ui.i18n.UI or recsys_core.i18n.CATALOGUE")
    text = entry.get(lang) or entry[core.DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in UI or key in core.CATALOGUE


class Texts(Mapping):
    """A page's texts, ``T["title"]`` = ``t("<page>.title")``, in the session's language as it
    is when the page runs (a page script builds its ``Texts`` on every run; widgets' format
    functions, called later, still use that run's language)."""

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
    return core.strings(lang or current_lang(), "fig.")


# ----- names of things the library defines (English there, both languages here) ---------------
def model_title(name: str, lang: str | None = None) -> str:
    return t(f"model.{name}.title", lang)


def model_description(name: str) -> str:
    return t(f"model.{name}.desc")


def sample_title(name: str, lang: str | None = None) -> str:
    return t(f"sample.{name}.title", lang)


def sample_description(name: str) -> str:
    return t(f"sample.{name}.desc")


def preset_title(name: str, lang: str | None = None) -> str:
    return t(f"preset.{name}.title", lang)


def status_words(status: str) -> str:
    from recsys_core.results import status_text

    return status_text(status, current_lang())


def param_label(config_name: str, info) -> str:
    """A form field's label: ``param.<model>.<field>`` if the model words it its own way,
    else ``param.<field>``; the library's English label when neither exists."""
    for key in (f"param.{config_name}.{info.name}.label", f"param.{info.name}.label"):
        if has(key):
            return t(key)
    return info.label


def param_help(config_name: str, info) -> str:
    for key in (f"param.{config_name}.{info.name}.help", f"param.{info.name}.help"):
        if has(key):
            return t(key)
    return info.help


def run_name(run, lang: str | None = None) -> str:
    """``Run.name`` in the session's language: "#3 MF · Week 11 MF · warm from #2"."""
    name = f"#{run.id} {model_title(run.model_name, lang).split(' (')[0]}"
    if run.preset:
        name += f" · {preset_title(run.preset, lang)}"
    if run.warm_from is not None:
        name += f" · {t('run.warm_from', lang, id=run.warm_from)}"
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

    for name, sample in SAMPLES.items():
        if title == sample.title:
            return sample_title(name)
        if title == sample.title + " (edited)":
            return sample_title(name) + t("app.edited_suffix")
    if title.endswith(" (edited)"):
        return title[: -len(" (edited)")] + t("app.edited_suffix")
    return title


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
    return core.text_of(warning, current_lang())


def error_text(err) -> str:
    """A library error (``RatingsError``, or an error whose message is a ``Msg``) in the
    session's language, details included."""
    return core.text_of(message_of(err), current_lang())


def explained(head_key: str, message) -> str:
    """A message to show: a library ``Msg`` wholly in the session's language; a plain text
    (English from somewhere that does not mark its words) as it is, after a Korean headline
    in a Korean session."""
    if not message:
        return message
    lang = current_lang()
    if hasattr(message, "render"):
        return core.text_of(message, lang)
    return message if lang == core.DEFAULT_LANG else f"{t(head_key)} ({message})"


def training_message(result) -> str:
    """``Trainer.message`` (a ``Msg``) in the session's language."""
    return core.text_of(result.message, current_lang())


# =============================================================================================
# The catalogue
# =============================================================================================
UI: dict[str, dict[str, str]] = {
    # ----- app frame ------------------------------------------------------------------------
    "app.name": {"en": "RecSys Playground", "ko": "RecSys Playground"},
    "app.language": {"en": "Language · 언어", "ko": "언어 · Language"},
    "app.projector": {"en": "Projector mode", "ko": "프로젝터 모드"},
    "app.projector_help": {"en": "Large type and the full screen width, for a classroom "
                                 "projector.",
                           "ko": "강의실 프로젝터용: 큰 글씨, 화면 전체 너비."},
    "app.edited_suffix": {"en": " (edited)", "ko": " (수정됨)"},
    "app.notice_stopped": {
        "en": "Training of run #{run} was stopped after {epochs} epoch(s); the model trained "
              "so far is kept as that run.",
        "ko": "실행 #{run}의 학습을 {epochs} 에폭 뒤에 멈췄습니다. 그때까지 학습한 모델은 그 "
              "실행으로 남겨 두었습니다."},
    "nav.data": {"en": "Data", "ko": "데이터"},
    "nav.train": {"en": "Train", "ko": "학습"},
    "nav.results": {"en": "Results", "ko": "결과"},
    "nav.compare": {"en": "Compare", "ko": "비교"},
    "nav.guide": {"en": "Guide", "ko": "안내"},
    # ----- things the library names ----------------------------------------------------------
    "model.mf.title": {"en": "MF (matrix factorisation)", "ko": "MF (행렬 분해)"},
    "model.mf.desc": {"en": "Each user and item gets k hidden numbers; a rating is their dot "
                            "product plus two biases. Small, fast, easy to look inside.",
                      "ko": "사용자와 항목마다 숨은 숫자 k개를 두고, 평점은 그 내적에 편향 두 개를 "
                            "더한 값입니다. 작고 빠르며 속을 들여다보기 쉽습니다."},
    "model.nn.title": {"en": "NN (lecture network)", "ko": "NN (강의의 신경망)"},
    "model.nn.desc": {"en": "Embeddings and biases of the pair go through a small neural "
                            "network, as in the lecture's 풀이2.",
                      "ko": "두 사람의 임베딩과 편향을 작은 신경망에 넣습니다. 강의의 풀이2와 "
                            "같습니다."},
    "model.gmf.title": {"en": "GMF (NCF)", "ko": "GMF (NCF)"},
    "model.gmf.desc": {"en": "Generalised MF from He et al. 2017: the factors' products, "
                             "weighted by a learned layer.",
                       "ko": "He et al. 2017의 일반화 MF: 요인끼리의 곱에 학습되는 가중치를 "
                             "곱합니다."},
    "model.mlp.title": {"en": "MLP (NCF)", "ko": "MLP (NCF)"},
    "model.mlp.desc": {"en": "He et al.'s MLP tower on the user and item embeddings side by "
                             "side.",
                       "ko": "He et al.의 MLP: 사용자와 항목 임베딩을 이어 붙여 여러 층에 "
                             "통과시킵니다."},
    "model.neumf.title": {"en": "NeuMF (NCF)", "ko": "NeuMF (NCF)"},
    "model.neumf.desc": {"en": "He et al.'s fusion of GMF and MLP, each with its own "
                               "embeddings.",
                         "ko": "He et al.의 GMF와 MLP 결합: 각자 자기 임베딩을 씁니다."},
    "model.baseline.title": {"en": "Baseline (average + biases)", "ko": "기준 모델 (평균 + 편향)"},
    "model.baseline.desc": {"en": "The average rating, shifted by how generous each user and "
                                  "how liked each item is. Every model should beat it.",
                            "ko": "평균 평점에 사용자가 얼마나 후한지, 항목이 얼마나 사랑받는지를 "
                                  "더합니다. 모든 모델은 이보다 나아야 합니다."},
    "sample.solo.title": {"en": "Course matrix solo.csv (9 x 8)",
                          "ko": "강의 행렬 solo.csv (9 x 8)"},
    "sample.solo.desc": {
        "en": "The course matrix (DL2024 11wk-1): how 9 women rated 8 men in a dating show, "
              "63 ratings, 9 empty cells. Its 보람(ES) row is one field short in the file.",
        "ko": "강의 행렬 (DL2024 11주차-1): 연애 프로그램에서 여성 9명이 남성 8명에게 준 평점 "
              "63개, 빈칸 9개. 파일의 보람(ES) 행은 칸이 하나 모자랍니다."},
    "sample.solo6.title": {"en": "Earlier matrix (6 x 6)", "ko": "이전 행렬 (6 x 6)"},
    "sample.solo6.desc": {"en": "The course's earlier 6 x 6 version of the same idea (DL2022), "
                                "24 ratings.",
                          "ko": "같은 생각의 이전 6 x 6 판 (DL2022), 평점 24개."},
    "sample.coffee.title": {"en": "Coffee/tea (100 x 20)", "ko": "커피/홍차 (100 x 20)"},
    "sample.coffee.desc": {"en": "100 people rating 10 coffees and 10 teas (DL2022); coffee "
                                 "lovers and tea lovers.",
                           "ko": "100명이 커피 10종과 홍차 10종에 준 평점 (DL2022): 커피파와 "
                                 "홍차파."},
    "sample.movielens.title": {"en": "MovieLens latest-small (610 x 9,724)",
                               "ko": "MovieLens latest-small (610 x 9,724)"},
    "sample.movielens.desc": {"en": "100,836 movie ratings, 0.5 to 5 stars, by 610 users "
                                    "(GroupLens, 2018).",
                              "ko": "사용자 610명의 영화 평점 100,836개, 0.5–5점 (GroupLens, "
                                    "2018)."},
    "sample.licence_ko_note": {"en": "The licence terms, as GroupLens wrote them:",
                               "ko": "GroupLens의 이용 조건 원문 (영어):"},
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
    "problem.data": {"en": "This data could not be used.", "ko": "이 데이터를 쓸 수 없습니다."},
    "problem.file": {"en": "This file could not be used.", "ko": "이 파일을 쓸 수 없습니다."},
    "problem.edit": {"en": "This change could not be made.", "ko": "이렇게 바꿀 수 없습니다."},
    "problem.model_file": {"en": "This model file could not be opened.",
                           "ko": "이 모델 파일을 열 수 없습니다."},
    "problem.limit": {"en": "This server does not train that much.",
                      "ko": "이 서버에서는 그만큼 학습하지 않습니다."},
    "problem.cold": {"en": "Some users or items had no rating to learn from.",
                     "ko": "학습할 평점이 하나도 없는 사용자나 항목이 있습니다: 평균으로 예측합니다."},
    "run.warm_from": {"en": "warm from #{id}", "ko": "#{id}에서 이어 학습"},
    "run.whatif": {"en": "what if", "ko": "만약"},
    # ----- hyperparameter forms ----------------------------------------------------------------
    "form.advanced": {"en": "Advanced settings", "ko": "고급 설정"},
    "form.tuple_help": {"en": "comma-separated whole numbers, e.g. 15,15",
                        "ko": "쉼표로 구분한 정수, 예: 15,15"},
    "form.empty_none": {"en": "empty = none", "ko": "비우면 없음"},
    "form.bad_tuple": {"en": "{label}: write whole numbers separated by commas, e.g. 15,15",
                       "ko": "{label}: 쉼표로 구분한 정수를 쓰세요, 예: 15,15"},
    "form.no_layers": {"en": "{label}: give at least one layer size of 1 or more, e.g. 15,15",
                       "ko": "{label}: 1 이상의 층 크기를 하나 이상 쓰세요, 예: 15,15"},
    "form.need_number": {"en": "{label}: a number is needed", "ko": "{label}: 숫자가 필요합니다"},
    "param.output.label": {"en": "Output range", "ko": "출력 범위"},
    "param.output.help": {"en": "scale: sigmoid mapped onto the rating scale, a touch beyond "
                                "both ends; top: sigmoid(score) x highest rating, as in the "
                                "lecture",
                          "ko": "scale: 시그모이드를 평점 척도보다 조금 넓게 맞춤; top: 강의처럼 "
                                "sigmoid(score) x 최고 평점"},
    "param.margin.label": {"en": "Range margin", "ko": "범위 여유"},
    "param.margin.help": {"en": "how far beyond the scale the output may reach, as a share of "
                                "its width, so the top and bottom ratings stay reachable",
                          "ko": "최고·최저 평점에 닿을 수 있도록 출력이 척도 밖으로 나갈 수 있는 "
                                "정도 (척도 너비에 대한 비율)"},
    "param.mean_offset.label": {"en": "Start at the average", "ko": "평균에서 시작"},
    "param.mean_offset.help": {"en": "shift the score so an untrained model predicts the "
                                     "average rating",
                               "ko": "학습 전 모델이 평균 평점을 예측하도록 점수를 옮김"},
    "param.init_std.label": {"en": "Initial spread", "ko": "초기 분산"},
    "param.init_std.help": {"en": "standard deviation of the starting embeddings; empty = "
                                  "PyTorch's default N(0,1), as in the lecture",
                            "ko": "처음 임베딩의 표준편차; 비우면 강의처럼 PyTorch 기본값 N(0,1)"},
    "param.dim.label": {"en": "Embedding size k", "ko": "임베딩 크기 k"},
    "param.dim.help": {"en": "number of hidden taste factors per user and item",
                       "ko": "사용자와 항목마다 두는 숨은 취향 요인의 수"},
    "param.nn.dim.help": {"en": "factors per user and item fed to the network",
                          "ko": "네트워크에 넣는 사용자·항목별 요인 수"},
    "param.gmf.dim.help": {"en": "factors per user and item", "ko": "사용자·항목별 요인 수"},
    "param.mlp.dim.help": {"en": "factors per user and item", "ko": "사용자·항목별 요인 수"},
    "param.mlp.hidden.help": {"en": "tower of hidden layer sizes", "ko": "은닉층 크기의 탑"},
    "param.neumf.hidden.help": {"en": "tower of hidden layer sizes of the MLP part",
                                "ko": "MLP 부분의 은닉층 크기 탑"},
    "param.neumf.dim.label": {"en": "GMF embedding size", "ko": "GMF 임베딩 크기"},
    "param.neumf.dim.help": {"en": "factors of the GMF part", "ko": "GMF 부분의 요인 수"},
    "param.mlp_dim.label": {"en": "MLP embedding size", "ko": "MLP 임베딩 크기"},
    "param.mlp_dim.help": {"en": "factors of the MLP part", "ko": "MLP 부분의 요인 수"},
    "param.hidden.label": {"en": "Hidden layers", "ko": "은닉층"},
    "param.hidden.help": {"en": "sizes of the hidden layers, e.g. 15,15",
                          "ko": "은닉층의 크기, 예: 15,15"},
    "param.activation.label": {"en": "Activation", "ko": "활성화 함수"},
    "param.activation.help": {"en": "non-linearity between layers", "ko": "층 사이의 비선형 함수"},
    "param.dropout.label": {"en": "Dropout", "ko": "드롭아웃"},
    "param.dropout.help": {"en": "share of hidden units dropped while training",
                           "ko": "학습 중 끄는 은닉 유닛의 비율"},
    "param.epochs.label": {"en": "Epochs", "ko": "에폭"},
    "param.epochs.help": {"en": "passes over the training ratings",
                          "ko": "학습 평점을 몇 번 훑을지"},
    "param.lr.label": {"en": "Learning rate", "ko": "학습률"},
    "param.lr.help": {"en": "step size of the optimiser", "ko": "옵티마이저의 보폭"},
    "param.optimizer.label": {"en": "Optimiser", "ko": "옵티마이저"},
    "param.optimizer.help": {"en": "adam suits most cases; sgd is the plain one",
                             "ko": "대부분 adam이 알맞고, sgd는 가장 단순한 방법"},
    "param.weight_decay.label": {"en": "Weight decay (L2)", "ko": "가중치 감쇠 (L2)"},
    "param.weight_decay.help": {"en": "pulls the embeddings each batch uses, and the layer "
                                      "weights, toward zero to fight overfitting (layer biases "
                                      "are left alone)",
                                "ko": "배치가 쓴 임베딩과 층 가중치를 0 쪽으로 당겨 과적합을 "
                                      "막음 (층 편향은 그대로)"},
    "param.batch_size.label": {"en": "Batch size", "ko": "배치 크기"},
    "param.batch_size.help": {"en": "ratings per update; empty = all at once (full batch)",
                              "ko": "한 번 갱신에 쓰는 평점 수; 비우면 전부 한꺼번에 (전체 배치)"},
    "param.val_frac.label": {"en": "Validation share", "ko": "검증 비율"},
    "param.val_frac.help": {"en": "share of known ratings hidden from training to measure "
                                  "accuracy",
                            "ko": "정확도를 재려고 학습에서 숨기는 평점의 비율"},
    "param.seed.label": {"en": "Seed", "ko": "시드"},
    "param.seed.help": {"en": "same seed, same numbers", "ko": "시드가 같으면 숫자도 같음"},
    "param.patience.label": {"en": "Early-stopping patience", "ko": "조기 종료 인내"},
    "param.patience.help": {"en": "stop after this many epochs without a better validation "
                                  "RMSE and keep the best model; empty = never",
                            "ko": "검증 RMSE가 이만큼의 에폭 동안 나아지지 않으면 멈추고 가장 "
                                  "좋은 모델을 남김; 비우면 멈추지 않음"},
    "param.final_step.label": {"en": "Update after the last epoch",
                               "ko": "마지막 에폭 뒤에도 갱신"},
    "param.final_step.help": {"en": "off = the last epoch computes its loss but does not "
                                    "update, which is the state the lecture printed",
                              "ko": "끄면 마지막 에폭은 손실만 계산하고 갱신하지 않음 (강의가 "
                                    "출력한 상태)"},
    # ----- live training ------------------------------------------------------------------------
    "progress.starting": {"en": "Epoch 0 of {total} · starting",
                          "ko": "에폭 0 / {total} · 시작하는 중"},
    "progress.running": {"en": "Epoch {epoch} of {total} · {elapsed} s so far · about {left} s "
                               "left",
                         "ko": "에폭 {epoch} / {total} · 지금까지 {elapsed}초 · 약 {left}초 남음"},
    # ----- Data page --------------------------------------------------------------------------
    "data.title": {"en": "Data", "ko": "데이터"},
    "data.intro": {"en": "Pick the ratings to work on: a bundled sample, your own file, or "
                         "made-up data whose hidden truth is known. Every page then uses this "
                         "data.",
                   "ko": "다룰 평점을 고르세요: 함께 든 예제, 내 파일, 또는 숨은 정답을 아는 "
                         "만든 데이터. 모든 페이지가 이 데이터를 씁니다."},
    "data.session_note": {
        "en": "What is kept: your data, edits and trained runs live in this browser tab's "
              "session on the server, private to you. Switching pages keeps them, and so does "
              "a short network drop; reloading the page, opening the app in another tab or "
              "closing this one starts a new session on the course matrix with no runs. "
              "Download what you want to keep (Results page).",
        "ko": "무엇이 남나: 데이터, 수정, 학습한 실행은 서버에서 이 브라우저 탭의 세션에만 "
              "있고 나만 봅니다. 페이지를 옮기거나 네트워크가 잠깐 끊겨도 남지만, 새로고침하거나 "
              "다른 탭에서 열거나 이 탭을 닫으면 실행이 없는 강의 행렬로 새 세션이 시작됩니다. "
              "남기고 싶은 것은 내려받으세요 (결과 페이지)."},
    "data.tab_sample": {"en": "Sample", "ko": "예제"},
    "data.tab_upload": {"en": "Upload", "ko": "파일 올리기"},
    "data.tab_synth": {"en": "Generate", "ko": "만들기"},
    "data.sample": {"en": "Sample data set", "ko": "예제 데이터"},
    "data.reload": {"en": "Load this sample again", "ko": "이 예제를 다시 불러오기"},
    "data.licence": {"en": "Licence terms", "ko": "이용 조건"},
    "data.upload": {"en": "A rating file (CSV, TSV, TXT or XLSX): a users x items matrix, or "
                          "one user, item, rating per row",
                    "ko": "평점 파일 (CSV, TSV, TXT, XLSX): 사용자 x 항목 행렬, 또는 한 행에 "
                          "사용자, 항목, 평점 하나씩"},
    "data.detected": {"en": "What was detected (change anything that is wrong):",
                      "ko": "알아낸 것 (틀린 것은 바꾸세요):"},
    "data.detected_line": {"en": "Detected: {format} table, {sep}, {encoding}, header: {header}, "
                                 "{rows} data rows",
                           "ko": "알아낸 것: {format} 표, {sep}, {encoding}, 머리글: {header}, "
                                 "데이터 {rows}행"},
    "data.spreadsheet": {"en": "spreadsheet", "ko": "스프레드시트"},
    "data.yes": {"en": "yes", "ko": "예"},
    "data.no": {"en": "no", "ko": "아니요"},
    "data.auto": {"en": "auto", "ko": "자동"},
    "data.auto_detect": {"en": "auto-detect", "ko": "자동 감지"},
    "data.auto_format": {"en": "auto ({format})", "ko": "자동 ({format})"},
    "data.format.wide": {"en": "wide", "ko": "행렬"},
    "data.format.long": {"en": "long", "ko": "긴 목록"},
    "data.sep.comma": {"en": "comma", "ko": "쉼표"},
    "data.sep.semicolon": {"en": "semicolon", "ko": "세미콜론"},
    "data.sep.tab": {"en": "tab", "ko": "탭"},
    "data.sep.pipe": {"en": "pipe", "ko": "세로 막대"},
    "data.sep.double colon": {"en": "double colon", "ko": "이중 콜론"},
    "data.sep.whitespace": {"en": "whitespace", "ko": "공백"},
    "data.dups.error": {"en": "refuse the file", "ko": "파일을 거부"},
    "data.dups.mean": {"en": "take the mean", "ko": "평균을 씀"},
    "data.dups.first": {"en": "keep the first", "ko": "처음 것을 씀"},
    "data.dups.last": {"en": "keep the last", "ko": "마지막 것을 씀"},
    "data.format": {"en": "Format", "ko": "형식"},
    "data.sep": {"en": "Separator", "ko": "구분자"},
    "data.encoding": {"en": "Encoding", "ko": "인코딩"},
    "data.header": {"en": "First row is a header", "ko": "첫 행이 머리글"},
    "data.sheet": {"en": "Sheet", "ko": "시트"},
    "data.user_col": {"en": "User column", "ko": "사용자 열"},
    "data.item_col": {"en": "Item column", "ko": "항목 열"},
    "data.rating_col": {"en": "Rating column", "ko": "평점 열"},
    "data.scale_set": {"en": "Set the rating scale by hand", "ko": "평점 척도를 직접 정하기"},
    "data.lo": {"en": "Lowest possible rating", "ko": "가장 낮은 평점"},
    "data.hi": {"en": "Highest possible rating", "ko": "가장 높은 평점"},
    "data.dups": {"en": "A user-item pair rated twice", "ko": "두 번 평가된 사용자-항목 쌍"},
    "data.dups_found": {"en": "This file rates some user-item pairs more than once: choose above "
                              "what to keep for each (\"A user-item pair rated twice\"), or the "
                              "file is refused.",
                        "ko": "이 파일은 일부 사용자-항목 쌍을 두 번 이상 평가합니다: 위의 \"두 번 "
                              "평가된 사용자-항목 쌍\"에서 무엇을 남길지 고르세요. 고르지 않으면 "
                              "파일을 거부합니다."},
    "data.dups_will.mean": {"en": "Pairs rated more than once will get the mean of their ratings.",
                            "ko": "두 번 이상 평가된 쌍은 평점의 평균을 씁니다."},
    "data.dups_will.first": {"en": "Pairs rated more than once will keep their first rating.",
                             "ko": "두 번 이상 평가된 쌍은 처음 평점을 씁니다."},
    "data.dups_will.last": {"en": "Pairs rated more than once will keep their last rating.",
                            "ko": "두 번 이상 평가된 쌍은 마지막 평점을 씁니다."},
    "data.preview": {"en": "First rows of the file, as read:", "ko": "읽은 파일의 첫 행들:"},
    "data.accept": {"en": "Use this data", "ko": "이 데이터 쓰기"},
    "data.accepted": {"en": "Loaded: this file is now the current data.",
                      "ko": "불러왔습니다: 이제 이 파일이 현재 데이터입니다."},
    "data.users": {"en": "Users", "ko": "사용자 수"},
    "data.items": {"en": "Items", "ko": "항목 수"},
    "data.groups": {"en": "Hidden taste groups", "ko": "숨은 취향 그룹"},
    "data.missing": {"en": "Share of cells missing", "ko": "빈칸 비율"},
    "data.noise": {"en": "Noise (rating points)", "ko": "잡음 (평점 단위)"},
    "data.seed": {"en": "Seed", "ko": "시드"},
    "data.generate": {"en": "Generate", "ko": "만들기"},
    "data.synthetic_name": {"en": "synthetic {users} x {items} (seed {seed})",
                            "ko": "만든 데이터 {users} x {items} (시드 {seed})"},
    "data.current": {"en": "Current data", "ko": "현재 데이터"},
    "data.n_users": {"en": "Users", "ko": "사용자"},
    "data.n_items": {"en": "Items", "ko": "항목"},
    "data.n_ratings": {"en": "Ratings", "ko": "평점"},
    "data.density": {"en": "Filled", "ko": "채워진 비율"},
    "data.scale": {"en": "Scale", "ko": "척도"},
    "data.edited": {"en": "edited in the grid below", "ko": "아래 표에서 수정함"},
    "data.edit_head": {"en": "Edit the ratings", "ko": "평점 고치기"},
    "data.col_user": {"en": "user", "ko": "사용자"},
    "data.edit_help": {"en": "Click a cell to change a rating; clear it to make it missing. "
                             "Rename a user in the first column. Add a user with the + row at "
                             "the bottom, remove one by selecting its row and pressing the bin. "
                             "Edits are used at once by Train.",
                       "ko": "칸을 눌러 평점을 바꾸고, 지우면 빈칸이 됩니다. 사용자 이름은 첫 "
                             "열에서 바꿉니다. 아래의 + 행으로 사용자를 더하고, 행을 골라 휴지통을 "
                             "누르면 뺍니다. 수정은 학습에 바로 쓰입니다."},
    "data.edit_error": {"en": "These edits cannot be used yet, so the data is unchanged:",
                        "ko": "이 수정은 아직 쓸 수 없어 데이터는 그대로입니다:"},
    "data.items_head": {"en": "Items: rename, add, remove", "ko": "항목: 이름 바꾸기, 더하기, 빼기"},
    "data.rename_from": {"en": "Item to rename", "ko": "이름을 바꿀 항목"},
    "data.rename_to": {"en": "New name", "ko": "새 이름"},
    "data.rename": {"en": "Rename", "ko": "이름 바꾸기"},
    "data.add_name": {"en": "New item's name", "ko": "새 항목 이름"},
    "data.add": {"en": "Add item", "ko": "항목 더하기"},
    "data.remove_which": {"en": "Items to remove", "ko": "뺄 항목"},
    "data.remove": {"en": "Remove", "ko": "빼기"},
    "data.paged_head": {"en": "The ratings (read-only: too large to edit here)",
                        "ko": "평점 (읽기 전용: 여기서 고치기에는 너무 큼)"},
    "data.user_page": {"en": "Users page", "ko": "사용자 페이지"},
    "data.item_page": {"en": "Items page", "ko": "항목 페이지"},
    "data.page_of": {"en": "{label} (of {pages})", "ko": "{label} (전체 {pages})"},
    "data.no_data": {"en": "No data is loaded yet.", "ko": "아직 불러온 데이터가 없습니다."},
    "data.warnings": {"en": "Worth knowing about this data:", "ko": "이 데이터에 대해 알아 둘 점:"},
    "data.hist": {"en": "Ratings", "ko": "평점"},
    "data.per_user": {"en": "Ratings per user", "ko": "사용자별 평점 수"},
    "data.per_item": {"en": "Ratings per item", "ko": "항목별 평점 수"},
    "data.truth": {"en": "This data carries its full hidden truth: Results will score the "
                         "filled cells against it.",
                   "ko": "이 데이터에는 숨은 정답이 모두 들어 있습니다: 결과 페이지가 채운 칸을 "
                         "정답과 비교합니다."},
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
    "train.train": {"en": "Train", "ko": "학습"},
    "train.stop": {"en": "Stop", "ko": "멈춤"},
    "train.continue_epochs": {"en": "More epochs", "ko": "추가 에폭"},
    "train.continue": {"en": "Continue training", "ko": "이어서 학습"},
    "train.warm": {"en": "Retrain on the current data (warm start)",
                   "ko": "현재 데이터로 다시 학습 (이어서 시작)"},
    "train.warm_help": {"en": "Starts from the current run's model instead of from scratch; "
                              "possible while the users and items are the same.",
                        "ko": "처음부터가 아니라 현재 실행의 모델에서 시작합니다. 사용자와 "
                              "항목이 같을 때만 됩니다."},
    "train.warm_no": {"en": "The data has changed since the current run, and its users or items "
                            "differ, so that model cannot be reused: press Train to train "
                            "afresh on the new data.",
                      "ko": "현재 실행 뒤로 데이터가 바뀌었고 사용자나 항목이 달라 그 모델을 "
                            "다시 쓸 수 없습니다: 학습을 눌러 새 데이터로 처음부터 학습하세요."},
    "train.changed": {"en": "The data has changed since the current run was trained.",
                      "ko": "현재 실행을 학습한 뒤로 데이터가 바뀌었습니다."},
    "train.current": {"en": "Current run", "ko": "현재 실행"},
    "train.fix": {"en": "Fix these settings first:", "ko": "먼저 이 설정을 고치세요:"},
    "train.cannot": {"en": "Training could not start:", "ko": "학습을 시작할 수 없습니다:"},
    "train.results": {"en": "See the results", "ko": "결과 보기"},
    "train.done": {"en": "{epochs} epoch(s) in {seconds} s", "ko": "{seconds}초 동안 {epochs} 에폭"},
    "train.finished": {"en": "{run}: finished, {done}.", "ko": "{run}: 완료, {done}."},
    "train.stopped": {"en": "{run}: stopped by request after {done}. The model trained so far "
                            "is kept; Continue training picks up from there.",
                      "ko": "{run}: {done} 뒤에 요청으로 멈췄습니다. 그때까지 학습한 모델은 "
                            "남아 있고, 이어서 학습하면 거기서부터 계속합니다."},
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
    # ----- Results page ----------------------------------------------------------------------
    "results.title": {"en": "Results", "ko": "결과"},
    "results.no_runs": {"en": "No model has been trained yet in this session.",
                        "ko": "이 세션에서 아직 학습한 모델이 없습니다."},
    "results.to_train": {"en": "Go to Train", "ko": "학습으로 가기"},
    "results.run": {"en": "Run", "ko": "실행"},
    "results.run_line": {"en": "{data} · {status} · {epochs} epoch(s) · {seconds} s",
                         "ko": "{data} · {status} · {epochs} 에폭 · {seconds}초"},
    "results.summary_head": {"en": "In plain words", "ko": "쉬운 말로"},
    "results.measure_ideas": {"en": "Measure the ideas", "ko": "아이디어 측정"},
    "results.measure_ideas_help": {
        "en": "Retrains the run from its start once per idea, changing one setting each time "
              "(weight decay, embedding size, epochs, learning rate), and scores each on the same "
              "held-out ratings. Only what helped is then suggested.",
        "ko": "아이디어마다 설정 하나만 바꿔 실행을 처음부터 다시 학습하고(가중치 감쇠, 임베딩 "
              "크기, 에폭, 학습률), 같은 검증 평점으로 점수를 매깁니다. 그다음 도움이 된 것만 "
              "권합니다."},
    "results.measuring": {"en": "Retraining once per idea on the same held-out ratings…",
                          "ko": "아이디어마다 같은 검증 평점으로 다시 학습하는 중…"},
    "results.untrained": {"en": "This run has no finished epoch yet.",
                          "ko": "이 실행은 아직 마친 에폭이 없습니다."},
    "results.preset_head": {"en": "The lecture's printed numbers beside this app's",
                            "ko": "강의가 출력한 숫자와 이 앱의 숫자"},
    "results.preset_match": {"en": "Largest difference {diff}: the lecture's numbers, to 4 "
                                   "decimals.",
                             "ko": "가장 큰 차이 {diff}: 소수 넷째 자리까지 강의의 숫자와 "
                                   "같습니다."},
    "results.preset_close": {
        "en": "Largest difference {diff}: close, not identical. The lecture ran an older "
              "PyTorch; under torch {torch} the same seed and the same 1000 steps end a little "
              "elsewhere (MF, 100 steps, still matches to 4 decimals).",
        "ko": "가장 큰 차이 {diff}: 비슷하지만 똑같지는 않습니다. 강의는 이전 PyTorch로 "
              "돌렸고, torch {torch}에서는 같은 시드와 같은 1000번의 갱신이 조금 다른 곳에서 "
              "끝납니다 (100번 갱신하는 MF는 여전히 소수 넷째 자리까지 같음)."},
    "results.col_rating_no": {"en": "rating no.", "ko": "평점 번호"},
    "results.col_lecture": {"en": "lecture", "ko": "강의"},
    "results.col_app": {"en": "this app", "ko": "이 앱"},
    "results.col_difference": {"en": "difference", "ko": "차이"},
    "results.col_user": {"en": "user", "ko": "사용자"},
    "results.col_item": {"en": "item", "ko": "항목"},
    "results.col_rank": {"en": "rank", "ko": "순위"},
    "results.col_prediction": {"en": "prediction", "ko": "예측"},
    "results.col_because": {"en": "because", "ko": "이유"},
    "results.because_note": {
        "en": "\"because\": of the items this user rated above their own average, those the "
              "model finds most like the recommended one (by its item factors). Users with "
              "fewer than 3 ratings, or none above their average, get no reason: their ratings "
              "say too little about their taste.",
        "ko": "\"이유\": 이 사용자가 자기 평균보다 높게 평가한 항목 중, 모델이 (항목 요인으로 "
              "보아) 추천 항목과 가장 닮았다고 보는 것들입니다. 평점이 3개 미만이거나 평균보다 "
              "높은 평점이 없는 사용자에게는 이유를 붙이지 않습니다: 취향을 말해 주기에 평점이 "
              "너무 적기 때문입니다."},
    "results.col_before": {"en": "before", "ko": "전"},
    "results.col_after": {"en": "after", "ko": "후"},
    "results.col_change": {"en": "change", "ko": "변화"},
    "results.heatmap_head": {"en": "The filled matrix", "ko": "채워진 행렬"},
    "results.view": {"en": "Show", "ko": "보기"},
    "results.views.completed": {"en": "completed", "ko": "채운 행렬"},
    "results.views.observed": {"en": "observed", "ko": "관측"},
    "results.views.predicted": {"en": "predicted", "ko": "예측"},
    "results.views.residual": {"en": "residual (prediction − rating)", "ko": "잔차 (예측 − 평점)"},
    "results.page": {"en": "Users page", "ko": "사용자 페이지"},
    "results.item_page": {"en": "Items page", "ko": "항목 페이지"},
    "results.page_of": {"en": "{label} (of {pages})", "ko": "{label} (전체 {pages})"},
    "results.pva_head": {"en": "Predicted vs actual", "ko": "예측 vs 실제"},
    "results.emb_head": {"en": "Learned tastes on a map", "ko": "학습된 취향 지도"},
    "results.no_emb": {"en": "The baseline model has no embeddings to draw.",
                       "ko": "기준 모델에는 그릴 임베딩이 없습니다."},
    "results.topn_head": {"en": "Top-N recommendations per user",
                          "ko": "사용자별 추천 상위 N개"},
    "results.topn_n": {"en": "How many per user", "ko": "사용자당 몇 개"},
    "results.topn_user": {"en": "User", "ko": "사용자"},
    "results.all_users": {"en": "(all users)", "ko": "(모든 사용자)"},
    "results.downloads": {"en": "Downloads", "ko": "내려받기"},
    "results.dl_completed_csv": {"en": "Completed matrix (CSV)", "ko": "채운 행렬 (CSV)"},
    "results.dl_completed_xlsx": {"en": "Completed matrix (Excel)", "ko": "채운 행렬 (Excel)"},
    "results.xlsx_help": {"en": "One workbook: the completed matrix (filled cells shaded), every "
                                "prediction, the top-N, the run summary and the training "
                                "history.",
                          "ko": "통합 문서 하나: 채운 행렬 (채운 칸은 음영), 모든 예측, 상위 N개, "
                                "실행 요약, 학습 기록."},
    "results.dl_predictions_csv": {"en": "Every cell's prediction (CSV)",
                                   "ko": "모든 칸의 예측 (CSV)"},
    "results.dl_top_n_csv": {"en": "Top-N recommendations (CSV)", "ko": "추천 상위 N개 (CSV)"},
    "results.dl_top_n_xlsx": {"en": "Top-N for every user (Excel)",
                              "ko": "모든 사용자의 추천 상위 N개 (Excel)"},
    "results.top_n_xlsx_help": {"en": "One workbook: every user's top-N with the \"because\" on "
                                      "one sheet, then one sheet per user.",
                                "ko": "통합 문서 하나: 모든 사용자의 추천과 \"이유\"를 한 시트에, "
                                      "이어서 사용자마다 한 시트."},
    "results.dl_model": {"en": "Trained model + config (.pt)", "ko": "학습한 모델 + 설정 (.pt)"},
    "results.dl_summary": {"en": "Run summary (JSON)", "ko": "실행 요약 (JSON)"},
    "results.xlsx_too_big": {"en": "More users or items than Excel opens (1,048,575 users, "
                                   "16,383 items): download the CSV files instead.",
                             "ko": "Excel이 여는 것보다 사용자나 항목이 많습니다 (사용자 "
                                   "1,048,575명, 항목 16,383개까지): CSV 파일을 받으세요."},
    "results.file_completed": {"en": "run{id}_{model}_completed.csv",
                               "ko": "실행{id}_{model}_채운행렬.csv"},
    "results.file_workbook": {"en": "run{id}_{model}.xlsx", "ko": "실행{id}_{model}.xlsx"},
    "results.file_predictions": {"en": "run{id}_{model}_predictions.csv",
                                 "ko": "실행{id}_{model}_예측.csv"},
    "results.file_top_n": {"en": "run{id}_{model}_top{n}.csv", "ko": "실행{id}_{model}_추천{n}.csv"},
    "results.file_top_n_xlsx": {"en": "run{id}_{model}_top{n}_all_users.xlsx",
                                "ko": "실행{id}_{model}_추천{n}_모든사용자.xlsx"},
    "results.file_model": {"en": "run{id}_{model}.pt", "ko": "실행{id}_{model}.pt"},
    "results.file_summary": {"en": "run{id}_{model}_summary.json", "ko": "실행{id}_{model}_요약.json"},
    "results.file_code": {"en": "run{id}_{model}.py", "ko": "실행{id}_{model}.py"},
    "results.file_code_data": {"en": "run{id}_ratings", "ko": "실행{id}_평점"},
    "results.open_model": {"en": "Open a saved model file (.pt)",
                           "ko": "저장한 모델 파일 열기 (.pt)"},
    "results.open_model_help": {"en": "A model downloaded from this page before. It is read as "
                                      "weights only (never as code) and must belong to the "
                                      "current data's users and items.",
                                "ko": "전에 이 페이지에서 받은 모델. 가중치로만 읽고 (코드로는 "
                                      "절대 읽지 않음) 현재 데이터의 사용자·항목과 맞아야 합니다."},
    "results.code_head": {"en": "Show code", "ko": "코드 보기"},
    "results.code_intro": {"en": "A self-contained Python script in the lecture's style that "
                                 "repeats this run: the same data, split, seed and settings give "
                                 "the same predictions. Paste it into a notebook, or download "
                                 "it.",
                           "ko": "이 실행을 그대로 되풀이하는 강의 스타일의 독립 파이썬 "
                                 "스크립트입니다: 같은 데이터, 분할, 시드, 설정이 같은 예측을 "
                                 "냅니다. 노트북에 붙여 넣거나 내려받으세요."},
    "results.code_download": {"en": "Download the script (.py)", "ko": "스크립트 받기 (.py)"},
    "results.code_data_file": {"en": "Download {file} (the data the script reads)",
                               "ko": "{file} 받기 (스크립트가 읽는 데이터)"},
    "results.code_too_long": {"en": "The script is {size} long (the data is in it), too long to "
                                    "show here: download it.",
                              "ko": "스크립트가 {size}로 너무 길어 (데이터가 들어 있음) 여기에 "
                                    "보여 줄 수 없습니다: 내려받으세요."},
    "results.code_loaded": {"en": "This run was opened from a model file: there is no training "
                                  "to write down.",
                            "ko": "이 실행은 모델 파일에서 연 것이라 적어 둘 학습 과정이 "
                                  "없습니다."},
    "results.whatif_head": {"en": "What if? Change one rating and retrain",
                            "ko": "만약에? 평점 하나를 바꾸고 다시 학습"},
    "results.whatif_intro": {"en": "Pick a cell, give it a new rating (or clear it), and the "
                                   "model trains on from where it is (warm start). The "
                                   "predictions that moved most are listed and outlined on "
                                   "the heatmap, which then shows every cell's prediction.",
                             "ko": "칸을 골라 새 평점을 주거나 지우면, 모델이 지금 상태에서 "
                                   "이어서 학습합니다. 가장 많이 바뀐 예측을 표로 보여 주고, "
                                   "모든 칸의 예측을 보여 주는 히트맵에 테두리로 표시합니다."},
    "results.whatif_user": {"en": "User", "ko": "사용자"},
    "results.whatif_item": {"en": "Item", "ko": "항목"},
    "results.whatif_value": {"en": "New rating", "ko": "새 평점"},
    "results.whatif_clear": {"en": "Clear this cell (no rating)", "ko": "이 칸 비우기 (평점 없음)"},
    "results.whatif_epochs": {"en": "Epochs to train on", "ko": "이어서 학습할 에폭"},
    "results.whatif_go": {"en": "Retrain from this model", "ko": "이 모델에서 다시 학습"},
    "results.whatif_now": {"en": "Now: {value}", "ko": "지금: {value}"},
    "results.whatif_empty": {"en": "empty (predicted {pred})", "ko": "빈칸 (예측 {pred})"},
    "results.whatif_other_data": {"en": "This run was trained on other data than the current "
                                        "data's users and items, so a what-if starts from the "
                                        "run's own data.",
                                  "ko": "이 실행은 현재 데이터와 다른 사용자·항목으로 학습했으므로 "
                                        "이 실행의 데이터에서 시작합니다."},
    "results.whatif_cannot": {"en": "A what-if needs a trained model with its training "
                                    "settings; this run has none.",
                              "ko": "만약에는 학습 설정이 있는 학습한 모델이 필요한데 이 실행에는 "
                                    "없습니다."},
    "results.whatif_done": {"en": "Run #{new} continued run #{old} for {epochs} epoch(s) after "
                                  "{user} x {item}: {before} → {after}. The predictions that moved "
                                  "most:",
                            "ko": "실행 #{new}: 실행 #{old}에서 {epochs} 에폭 이어서 학습 "
                                  "({user} x {item}: {before} → {after}). 가장 많이 바뀐 예측:"},
    "results.whatif_none": {"en": "none", "ko": "없음"},
    # ----- Compare page ------------------------------------------------------------------------
    "compare.title": {"en": "Compare", "ko": "비교"},
    "compare.no_runs": {"en": "No runs yet: every model trained in this browser session will be "
                              "listed here.",
                        "ko": "아직 실행이 없습니다: 이 브라우저 세션에서 학습한 모든 모델이 "
                              "여기에 나옵니다."},
    "compare.to_train": {"en": "Go to Train", "ko": "학습으로 가기"},
    "compare.table_help": {"en": "\"Off by\": how far the model's guesses were from the "
                                 "held-out ratings it never trained on, on average, in stars "
                                 "(lower is better), as the Results page says it; \"average "
                                 "off by\": the same for always guessing the average rating. "
                                 "RMSE weighs big misses more (validation: the held-out ratings; "
                                 "baseline: the always-average guess on them).",
                           "ko": "\"빗나간 정도\": 모델이 학습하지 않은 검증 평점에서 평균 몇 점 "
                                 "빗나갔는지 (낮을수록 좋음), 결과 페이지와 같은 말입니다. "
                                 "\"평균값의 빗나감\": 늘 평균 평점을 답했을 때의 같은 값. "
                                 "RMSE는 큰 실수에 더 무게를 둡니다 (검증: 검증 평점, 기준: 같은 "
                                 "평점에서 늘 평균을 답한 결과)."},
    "compare.stars_format": {"en": "%.2f stars", "ko": "%.2f점"},
    "compare.col_off_by": {"en": "off by (held-out)", "ko": "빗나간 정도 (검증)"},
    "compare.col_off_by_help": {"en": "Mean absolute error on the held-out ratings, in stars.",
                                "ko": "검증 평점에서의 평균 절대 오차 (점)."},
    "compare.col_average_off_by": {"en": "average off by", "ko": "평균값의 빗나감"},
    "compare.col_average_off_by_help": {
        "en": "The same for always guessing the training ratings' average.",
        "ko": "학습 평점의 평균을 늘 답했을 때의 같은 값."},
    "compare.col_better": {"en": "better than average", "ko": "평균보다 나음"},
    "compare.col_better_help": {"en": "1 − off by ÷ average off by: how much closer the model "
                                      "is than always guessing the average.",
                                "ko": "1 − 빗나간 정도 ÷ 평균값의 빗나감: 늘 평균을 답하는 "
                                      "것보다 얼마나 더 가까운지."},
    "compare.col_run": {"en": "run", "ko": "실행"},
    "compare.col_model": {"en": "model", "ko": "모델"},
    "compare.col_data": {"en": "data", "ko": "데이터"},
    "compare.col_hyperparameters": {"en": "hyperparameters", "ko": "하이퍼파라미터"},
    "compare.col_train_rmse": {"en": "train RMSE", "ko": "학습 RMSE"},
    "compare.col_val_rmse": {"en": "validation RMSE", "ko": "검증 RMSE"},
    "compare.col_base_rmse": {"en": "baseline RMSE", "ko": "기준 RMSE"},
    "compare.col_seconds": {"en": "seconds", "ko": "초"},
    "compare.col_epochs": {"en": "epochs", "ko": "에폭"},
    "compare.col_status": {"en": "status", "ko": "상태"},
    "compare.curves": {"en": "Training curves", "ko": "학습 곡선"},
    "compare.side": {"en": "Two runs' filled matrices side by side",
                     "ko": "두 실행의 채운 행렬 나란히 보기"},
    "compare.left": {"en": "Left", "ko": "왼쪽"},
    "compare.right": {"en": "Right", "ko": "오른쪽"},
    "compare.delete_head": {"en": "Delete a run", "ko": "실행 지우기"},
    "compare.delete_which": {"en": "Run to delete", "ko": "지울 실행"},
    "compare.delete": {"en": "Delete", "ko": "지우기"},
    "compare.deleted": {"en": "Run deleted.", "ko": "실행을 지웠습니다."},
    # ----- Guide page --------------------------------------------------------------------------
    "guide.title": {"en": "Guide", "ko": "사용 안내"},
    "guide.intro": {"en": "A ten-minute walk through the app with the course matrix (DL2024 "
                          "week 11): nine people rated eight others, nine cells are empty, and "
                          "a recommender fills them in.",
                    "ko": "강의 행렬 (DL2024 11주차)로 따라 해 보는 10분 안내입니다: 아홉 명이 "
                          "여덟 명을 평가했고, 빈칸 아홉 개를 추천 모델이 채웁니다."},
    "guide.open": {"en": "Open: {page}", "ko": "열기: {page}"},
    "guide.step1_head": {"en": "1. Look at the data", "ko": "1. 데이터 보기"},
    "guide.step1": {
        "en": "The course matrix `solo.csv` is already loaded: 9 users x 8 items, 63 ratings, "
              "9 empty cells. The file's 보람(ES) row is one field short; the app says so "
              "beside the data instead of guessing silently. Change a rating in the grid, or "
              "pick another sample, upload your own CSV/XLSX, or generate data with a known "
              "hidden truth.",
        "ko": "강의 행렬 `solo.csv`가 이미 불러와져 있습니다: 사용자 9명 x 항목 8개, 평점 63개, "
              "빈칸 9개. 파일의 보람(ES) 행은 칸이 하나 모자라고, 앱은 말없이 짐작하지 않고 "
              "데이터 옆에 그렇다고 알려 줍니다. 표에서 평점을 바꾸거나, 다른 예제를 고르거나, "
              "내 CSV/XLSX를 올리거나, 숨은 정답을 아는 데이터를 만들어 보세요."},
    "guide.step2_head": {"en": "2. Train a model, as in the lecture", "ko": "2. 강의처럼 모델 학습"},
    "guide.step2": {
        "en": "Pick **MF** (matrix factorisation) and press **Train**: the error falls live. "
              "The button **Week 11 MF** loads the lecture's exact settings (seed 43052, k = 2, "
              "Adam lr 0.1, 100 epochs) and reproduces the numbers printed in the lecture to 4 "
              "decimals; **Week 11 NN** loads the lecture's network, whose three printed "
              "predictions come out close but not identical under today's PyTorch (Results "
              "shows both side by side). **Stop** ends training at once and keeps what was "
              "learned; **Continue training** adds epochs. Open *The lecture's first lesson* "
              "to see one-hot + linear layer give exactly what an embedding layer gives, on "
              "옥순, 영숙 and 하니.",
        "ko": "**MF** (행렬 분해)를 고르고 **학습**을 누르면 오차가 실시간으로 줄어듭니다. "
              "**11주차 MF** 버튼은 강의의 설정 그대로 (시드 43052, k = 2, Adam lr 0.1, 100 에폭) "
              "불러와 강의가 출력한 숫자를 소수 넷째 자리까지 재현합니다. **11주차 NN (풀이2)** 버튼은 "
              "강의의 신경망을 불러오며, 출력된 세 예측은 지금의 PyTorch에서 비슷하지만 똑같지는 "
              "않습니다 (결과 페이지에서 나란히 보여 줌). **멈춤**은 학습을 바로 끝내고 배운 것은 "
              "남기며, **이어서 학습**은 에폭을 더합니다. *강의의 첫 배움*을 열면 옥순, 영숙, "
              "하니로 원-핫 + 선형 층이 임베딩 층과 똑같은 값을 내는 것을 볼 수 있습니다."},
    "guide.step3_head": {"en": "3. Read the result", "ko": "3. 결과 읽기"},
    "guide.step3": {
        "en": "**In plain words** says how much data there was, how far off the model is on "
              "ratings it never saw next to the always-average baseline, how spread the errors "
              "are and what to try if it is poor. The heatmap shows the completed matrix: rated "
              "cells plain, filled-in cells in brackets with a corner mark. The map of learned "
              "tastes shows introverts and extroverts (IN/IS vs EN/ES) falling apart. Download "
              "the filled matrix as CSV or Excel, and **Top-N for every user** as one Excel "
              "file with the \"because\" for each recommendation.",
        "ko": "**쉬운 말로**는 데이터의 양, 학습하지 않은 평점에서 모델이 늘 평균을 답하는 "
              "기준과 비교해 얼마나 빗나가는지, 오차가 얼마나 퍼졌는지, 결과가 나쁘면 무엇을 해 "
              "볼지 알려 줍니다. 히트맵은 채운 행렬입니다: 평점이 있던 칸은 그대로, 채운 칸은 "
              "괄호와 모서리 표시. 학습된 취향 지도에서는 내향형과 외향형 (IN/IS와 EN/ES)이 "
              "갈라집니다. 채운 행렬을 CSV나 Excel로, **모든 사용자의 추천 상위 N개**를 추천마다 "
              "\"이유\"가 붙은 Excel 파일 하나로 받으세요."},
    "guide.step4_head": {"en": "4. Show the code", "ko": "4. 코드 보기"},
    "guide.step4": {
        "en": "**Show code** on the Results page writes the run as a Python script in the "
              "lecture's style — `class Net(torch.nn.Module)`, the four steps `# 1 yhat`, "
              "`# 2 loss`, `# 3 backward`, `# 4 step, zero_grad`, pandas for the data — that "
              "gives the same predictions when pasted into a notebook: the same data, "
              "validation split, seed and settings.",
        "ko": "결과 페이지의 **코드 보기**는 실행을 강의 스타일의 파이썬 스크립트로 적어 줍니다 "
              "— `class Net(torch.nn.Module)`, 네 단계 `# 1 yhat`, `# 2 loss`, `# 3 backward`, "
              "`# 4 step, zero_grad`, 데이터는 pandas — 노트북에 붙여 넣으면 같은 데이터, 검증 "
              "분할, 시드, 설정으로 같은 예측이 나옵니다."},
    "guide.step5_head": {"en": "5. What if?", "ko": "5. 만약에?"},
    "guide.step5": {
        "en": "Under **What if?** on the Results page, pick 하니(I) and 영호(IS), give the cell "
              "a rating of 0.5 (or clear it) and press **Retrain from this model**: the model "
              "trains on from where it was, the predictions that moved most are listed, and "
              "they are outlined on the heatmap.",
        "ko": "결과 페이지의 **만약에?** 부분에서 하니(I)와 영호(IS)를 고르고 평점 0.5를 주거나 칸을 "
              "비운 뒤 **이 모델에서 다시 학습**을 누르세요: 모델이 지금 상태에서 이어서 학습하고, "
              "가장 많이 바뀐 예측을 표로 보여 주며 히트맵에 테두리로 표시합니다."},
    "guide.step6_head": {"en": "6. Compare and share", "ko": "6. 비교하고 공유하기"},
    "guide.step6": {
        "en": "Train NN, GMF, MLP, NeuMF and the baseline too (set a validation share so there "
              "is something honest to compare), then compare their errors and curves side by "
              "side. The address bar always carries the sample, model, settings, seed and "
              "language: copy it (or **Share this set-up** on the Train page) to hand a class "
              "one link per exercise. Uploaded data never goes into a link.",
        "ko": "NN, GMF, MLP, NeuMF, 기준 모델도 학습해 보고 (정직하게 비교하려면 검증 비율을 "
              "정하세요) 오차와 곡선을 나란히 비교하세요. 주소창에는 늘 예제, 모델, 설정, 시드, "
              "언어가 들어 있습니다: 그대로 복사하거나 (학습 페이지의 **이 설정 공유하기**) "
              "연습 문제마다 링크 하나씩 나눠 주세요. 올린 데이터는 링크에 넣지 않습니다."},
    "guide.step7_head": {"en": "7. In class", "ko": "7. 수업에서"},
    "guide.step7": {
        "en": "Switch on **Projector mode** in the sidebar for large type and the full screen "
              "width; switch the language there too (한국어 / English). The first language "
              "follows the browser's.",
        "ko": "사이드바의 **프로젝터 모드**를 켜면 큰 글씨와 화면 전체 너비로 바뀝니다. 언어도 "
              "거기서 바꿉니다 (한국어 / English). 처음 언어는 브라우저 언어를 따릅니다."},
    "guide.ideas": {"en": "Things to try", "ko": "해 볼 것"},
    "guide.try": {
        "en": "- Set the embedding size k to 1, then 8: what happens to training and validation "
              "error?\n"
              "- Raise the learning rate to 5: the app explains the divergence in words.\n"
              "- Change one rating of 하니(I) with **What if?** and watch her predictions move.\n"
              "- Generate data with 3 taste groups and 50 % missing: the results page scores "
              "the filled cells against the hidden truth.",
        "ko": "- 임베딩 크기 k를 1로, 다음엔 8로: 학습 오차와 검증 오차는 어떻게 되나요?\n"
              "- 학습률을 5로 올려 보세요: 앱이 발산을 말로 설명합니다.\n"
              "- **만약에?** 기능으로 하니(I)의 평점 하나를 바꾸고 예측이 움직이는 것을 보세요.\n"
              "- 취향 그룹 3개, 빈칸 50 %로 데이터를 만들어 보세요: 결과 페이지가 채운 칸을 숨은 "
              "정답과 비교합니다."},
}

from .i18n_watch import WATCH  # noqa: E402 - "watch it learn" (issue 7), kept in its own file

UI.update(WATCH)
