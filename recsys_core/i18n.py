"""The library's words in English and Korean: figure titles and axes, the plain-words run
report, the comments of exported code, and Korean renderings of the library's (English)
error, warning and training messages, looked up by their stable ``code``.

Plain data and one lookup function, no streamlit: the app passes ``lang`` down, or a dict
from :func:`strings` to the figure functions. Every key has both languages, and the same
``{placeholders}`` in both (``tests/test_i18n.py`` walks the catalogue). Data labels (user and
item names) are never translated: they are only ever filled into placeholders.
"""

from __future__ import annotations

import string

LANGS = ("en", "ko")
DEFAULT_LANG = "en"


def language_of(locale: str | None) -> str:
    """``ko``, ``ko-KR``, ``ko_KR`` ... -> "ko"; anything else (or nothing) -> "en"."""
    return "ko" if str(locale or "").strip().lower().startswith("ko") else "en"


def tr(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The text of ``key`` in ``lang`` (English when ``lang`` is unknown), formatted."""
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def strings(lang: str = DEFAULT_LANG, prefix: str = "") -> dict[str, str]:
    """All texts whose key starts with ``prefix``, in ``lang``, keyed without the prefix."""
    return {key[len(prefix):]: (entry.get(lang) or entry[DEFAULT_LANG])
            for key, entry in CATALOGUE.items() if key.startswith(prefix)}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def because_text(text: str, lang: str) -> str:
    """A top-N "because": item names pass unchanged; the fixed English reasons of
    ``FitResult.top_n`` (baseline, cold start, too few ratings, none above the average) come
    back in ``lang``."""
    for key in ("because.popular", "because.cold", "because.few", "because.flat"):
        if text == CATALOGUE[key]["en"]:
            return tr(key, lang)
    return text


# Korean for the library's English messages, by their ``code``. The English text carries the
# details (labels, row numbers); the Korean line says what happened and what to do, and the
# app shows the English details under it.
ERROR_CODES = ("invalid", "empty", "format", "non_numeric", "duplicate_pair", "duplicate_label",
               "out_of_range", "too_large")
WARNING_CODES = ("ragged_row", "cold_user", "cold_item", "encoding_guessed", "sheet_choice",
                 "header_short", "no_user_labels", "no_item_labels", "empty_rating",
                 "duplicates_merged", "decimal_comma", "no_truth")

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
    # ----- run status ----------------------------------------------------------------------
    "status.completed": {"en": "finished", "ko": "완료"},
    "status.stopped": {"en": "stopped by request", "ko": "요청으로 중단됨"},
    "status.early_stopped": {"en": "stopped early (no further improvement)",
                             "ko": "조기 종료 (더 나아지지 않음)"},
    "status.diverged": {"en": "diverged", "ko": "발산함"},
    "status.ready": {"en": "not trained", "ko": "학습 전"},
    "status.running": {"en": "training", "ko": "학습 중"},
    "status.loaded": {"en": "opened from a model file", "ko": "모델 파일에서 엶"},
    # ----- Trainer.message, rebuilt from the run --------------------------------------------
    "train_msg.completed": {"en": "Finished {epochs} epoch(s).",
                            "ko": "{epochs} 에폭을 마쳤습니다."},
    "train_msg.stopped": {"en": "Stopped by request after {epochs} epoch(s).",
                          "ko": "요청에 따라 {epochs} 에폭 뒤에 멈췄습니다."},
    "train_msg.early_stopped": {
        "en": "Stopped early at epoch {epochs}: validation RMSE had not improved for {patience} "
              "epochs. Kept the best model, from epoch {best} (validation RMSE {rmse}).",
        "ko": "{epochs} 에폭에서 조기 종료했습니다: 검증 RMSE가 {patience} 에폭 동안 나아지지 "
              "않았습니다. 가장 좋았던 {best} 에폭의 모델(검증 RMSE {rmse})을 남겼습니다."},
    "train_msg.diverged": {
        "en": "Training diverged after epoch {epochs}. The learning rate ({lr}) is probably too "
              "large: try {smaller}, or a smaller embedding size.",
        "ko": "{epochs} 에폭 뒤에 학습이 발산했습니다. 학습률({lr})이 너무 큰 것 같습니다: "
              "{smaller} 또는 더 작은 임베딩 크기를 써 보세요."},
    "train_msg.diverged_kept": {
        "en": "The model was put back to its lowest training loss, after epoch {epoch}.",
        "ko": "모델은 학습 손실이 가장 낮았던 {epoch} 에폭 뒤의 상태로 되돌렸습니다."},
    "train_msg.diverged_start": {
        "en": "The model was put back to the weights it started from, its lowest training "
              "loss.",
        "ko": "모델은 학습 손실이 가장 낮았던 처음 가중치로 되돌렸습니다."},
    # ----- library errors and warnings, by code ------------------------------------------
    "error.invalid": {"en": "This data cannot be used as it is.",
                      "ko": "이 데이터는 그대로 쓸 수 없습니다."},
    "error.empty": {"en": "The file has no ratings in it.", "ko": "파일에 평점이 없습니다."},
    "error.format": {"en": "This file cannot be read as a table of ratings.",
                     "ko": "이 파일을 평점 표로 읽을 수 없습니다."},
    "error.non_numeric": {"en": "A rating is not a number.", "ko": "숫자가 아닌 평점이 있습니다."},
    "error.duplicate_pair": {"en": "A user rated the same item twice.",
                             "ko": "같은 사용자가 같은 항목을 두 번 평가했습니다."},
    "error.duplicate_label": {"en": "Two users or two items have the same name.",
                              "ko": "이름이 같은 사용자나 항목이 둘 있습니다."},
    "error.out_of_range": {"en": "Some ratings lie outside the rating scale.",
                           "ko": "평점 척도를 벗어난 평점이 있습니다."},
    "error.too_large": {"en": "The data is too large for this server.",
                        "ko": "이 서버에서 다루기에는 데이터가 너무 큽니다."},
    "warning.ragged_row": {"en": "A row of the file is short; its missing last cells are read "
                                 "as empty.",
                           "ko": "파일의 한 행이 짧습니다. 모자란 마지막 칸은 빈칸으로 읽었습니다."},
    "warning.cold_user": {"en": "Some users have no ratings: their predictions come only from "
                                "averages.",
                          "ko": "평점이 하나도 없는 사용자가 있습니다. 이들의 예측은 평균에서만 "
                                "나옵니다."},
    "warning.cold_item": {"en": "Some items have no ratings: their predictions come only from "
                                "averages.",
                          "ko": "평점이 하나도 없는 항목이 있습니다. 이들의 예측은 평균에서만 "
                                "나옵니다."},
    "warning.encoding_guessed": {"en": "The text encoding was guessed; if letters look wrong, "
                                       "choose it by hand.",
                                 "ko": "문자 인코딩을 추측해서 읽었습니다. 글자가 깨져 보이면 "
                                       "직접 고르세요."},
    "warning.sheet_choice": {"en": "The workbook has several sheets; one was read.",
                             "ko": "통합 문서에 시트가 여러 개라 하나만 읽었습니다."},
    "warning.header_short": {"en": "The header has one name fewer than the rows have cells.",
                             "ko": "머리글의 이름이 행의 칸 수보다 하나 적습니다."},
    "warning.no_user_labels": {"en": "The file has no user names; users are numbered.",
                               "ko": "파일에 사용자 이름이 없어 번호를 붙였습니다."},
    "warning.no_item_labels": {"en": "The file has no header; items are numbered.",
                               "ko": "파일에 머리글이 없어 항목에 번호를 붙였습니다."},
    "warning.empty_rating": {"en": "Some rows have no rating and were left out.",
                             "ko": "평점이 없는 행은 빼고 읽었습니다."},
    "warning.duplicates_merged": {"en": "Pairs rated twice were merged.",
                                  "ko": "두 번 평가된 쌍은 하나로 합쳤습니다."},
    "warning.decimal_comma": {"en": "Ratings written with a decimal comma were read as numbers.",
                              "ko": "소수점이 쉼표로 적힌 평점을 숫자로 읽었습니다."},
    "warning.no_truth": {"en": "The matrix is too large to keep its hidden truth.",
                         "ko": "행렬이 너무 커서 숨은 정답을 보관하지 않습니다."},
    "warning.label_breaks": {"en": "Some labels held line breaks, tabs or control characters; "
                                   "each became a space.",
                             "ko": "줄바꿈, 탭, 제어 문자가 든 이름이 있어 각각 공백으로 바꿨습니다."},
    "warning.long_label": {"en": "Some labels are very long; charts show them shortened.",
                           "ko": "아주 긴 이름이 있습니다. 차트에서는 줄여서 보여 줍니다."},
    "warning.single_user": {"en": "There is only one user: the predictions are little more "
                                  "than each item's average.",
                            "ko": "사용자가 한 명뿐입니다. 예측은 항목별 평균과 거의 같습니다."},
    "warning.single_item": {"en": "There is only one item: there is nothing to recommend in its "
                                  "place.",
                            "ko": "항목이 하나뿐입니다. 대신 추천할 것이 없습니다."},
    "warning.single_rating": {"en": "Very few ratings: too few to learn much from.",
                              "ko": "평점이 아주 적어 배울 것이 별로 없습니다."},
    "warning.few_ratings": {"en": "Very few ratings: too few to learn much from.",
                            "ko": "평점이 아주 적어 배울 것이 별로 없습니다."},
    "warning.other": {"en": "Worth knowing about this data.", "ko": "이 데이터에 대해 알아 둘 점."},
    # ----- the fixed "because" reasons of FitResult.top_n (their English must match it) -----
    "because.popular": {"en": "popular with everyone (the baseline has no tastes to compare)",
                        "ko": "모두에게 인기 (기준 모델에는 비교할 취향이 없음)"},
    "because.cold": {"en": "this user has rated nothing yet: rated highly by everyone (cold "
                           "start)",
                     "ko": "이 사용자는 아직 평가한 것이 없음: 모두가 높이 평가한 항목 (콜드 "
                           "스타트)"},
    "because.few": {"en": "too few ratings to explain with (fewer than 3)",
                    "ko": "설명할 평점이 너무 적음 (3개 미만)"},
    "because.flat": {"en": "no rating above this user's own average to explain with",
                     "ko": "이 사용자의 평균보다 높은 평점이 없어 설명할 수 없음"},
    # ----- the top-N workbook (recsys_core.export.top_n_workbook) -----------------------------
    "xlsx.all_users": {"en": "all users", "ko": "모든 사용자"},
    "xlsx.about": {"en": "about", "ko": "설명"},
    "xlsx.user": {"en": "user", "ko": "사용자"},
    "xlsx.rank": {"en": "rank", "ko": "순위"},
    "xlsx.item": {"en": "item", "ko": "항목"},
    "xlsx.prediction": {"en": "prediction", "ko": "예측 평점"},
    "xlsx.because": {"en": "because", "ko": "이유"},
    "xlsx.setting": {"en": "setting", "ko": "항목"},
    "xlsx.value": {"en": "value", "ko": "값"},
    "xlsx.what": {"en": "what this is", "ko": "이 파일"},
    "xlsx.what_text": {"en": "The {n} unrated items each user is predicted to like most, with "
                             "the rated items that make the model think so (\"because\").",
                       "ko": "사용자마다 아직 평가하지 않은 항목 중 좋아할 것으로 예측한 {n}개와, "
                             "그렇게 예측한 근거가 된 평가한 항목 (\"이유\")."},
    "xlsx.sheets": {"en": "sheets", "ko": "시트"},
    "xlsx.sheets_text": {"en": "'{all}': every user's list; then one sheet per user",
                         "ko": "'{all}': 모든 사용자의 목록; 이어서 사용자마다 한 시트"},
    "xlsx.sheets_capped": {"en": "'{all}': every user's list; then one sheet for each of the "
                                 "first {shown} of {total} users (the rest are on '{all}')",
                           "ko": "'{all}': 모든 사용자의 목록; 이어서 사용자 {total}명 중 처음 "
                                 "{shown}명에게 한 시트씩 (나머지는 '{all}'에 있음)"},
    "xlsx.model": {"en": "model", "ko": "모델"},
    "xlsx.data": {"en": "data", "ko": "데이터"},
    "xlsx.accuracy": {"en": "validation RMSE", "ko": "검증 RMSE"},
    # ----- the plain-words report of a run (recsys_core.report) ----------------------------
    "report.data": {
        "en": "The model learned from {n_train} of {n_ratings} ratings by {n_users} users of "
              "{n_items} items ({density} of the cells filled, {per_user} ratings per user on "
              "average).",
        "ko": "모델은 사용자 {n_users}명이 항목 {n_items}개에 준 평점 {n_ratings}개 중 "
              "{n_train}개로 학습했습니다 (칸의 {density}가 채워짐, 사용자 한 명당 평균 "
              "평점 {per_user}개)."},
    "report.untrained": {"en": "The model has not finished a single epoch yet, so there is "
                               "nothing to judge.",
                         "ko": "아직 한 에폭도 마치지 않아 평가할 것이 없습니다."},
    "report.accuracy": {
        "en": "On {n_val} held-out ratings the model was off by {mae} on average; the "
              "always-average baseline is off by {base_mae}: {verdict}",
        "ko": "학습에 쓰지 않은 평점 {n_val}개에서 모델은 평균 {mae} 빗나갔고, 늘 평균 평점을 "
              "답하는 기준은 {base_mae} 빗나갔습니다: {verdict}"},
    "report.verdict.good": {"en": "{better} better than the average.",
                            "ko": "평균보다 {better} 낫습니다."},
    "report.verdict.slight": {"en": "only {better} better than the average.",
                              "ko": "평균보다 겨우 {better} 낫습니다."},
    "report.verdict.worse": {"en": "no better than the average.",
                             "ko": "평균보다 나을 것이 없습니다."},
    "report.spread": {
        "en": "Half of those guesses were within {half} of the true rating and nine in ten "
              "within {ninety}.",
        "ko": "그 예측의 절반은 실제 평점과 {half} 이내, 열에 아홉은 {ninety} 이내였습니다."},
    "report.few_val": {
        "en": "With so few held-out ratings these numbers are rough.",
        "ko": "검증 평점이 이렇게 적으면 이 숫자는 대략적인 값입니다."},
    "report.no_val": {
        "en": "No ratings were held out, so its accuracy cannot be measured honestly: on the "
              "ratings it learned from it is off by {train_mae} on average, which flatters it.",
        "ko": "검증용으로 뺀 평점이 없어 정확도를 정직하게 잴 수 없습니다: 학습한 평점에서는 "
              "평균 {train_mae} 빗나가는데, 이는 실제보다 좋게 보이는 값입니다."},
    "report.truth": {
        "en": "Against the hidden truth of the {n_truth} empty cells it was off by {truth_mae} "
              "on average.",
        "ko": "빈칸 {n_truth}개의 숨은 정답과 비교하면 평균 {truth_mae} 빗나갔습니다."},
    "report.diverged": {"en": "Training diverged: the learning rate is probably too large.",
                        "ko": "학습이 발산했습니다. 학습률이 너무 큰 것 같습니다."},
    "report.stars": {"en": "{x} stars", "ko": "{x}점"},
    "report.try": {"en": "Experiments worth trying (not measured yet: \"Measure the ideas\" tries "
                         "each on these held-out ratings): {ideas}.",
                   "ko": "시도해 볼 만한 실험 (아직 측정 전: '아이디어 측정'이 검증 평점으로 하나씩 "
                         "시험합니다): {ideas}."},
    "report.measured_helped": {
        "en": "Measured on the same {n_val} held-out ratings, each retrained from the run's "
              "start with one change: {changes}.",
        "ko": "같은 검증 평점 {n_val}개로, 실행의 시작점에서 하나만 바꿔 다시 학습해 측정했습니다: "
              "{changes}."},
    "report.measured_none": {
        "en": "Measured on the same {n_val} held-out ratings, each retrained from the run's "
              "start with one change: none of the changes helped; these settings are about as "
              "good as they get.",
        "ko": "같은 검증 평점 {n_val}개로, 하나만 바꿔 다시 학습해 측정했더니 나아진 변화가 "
              "없습니다. 지금 설정이 거의 최선입니다."},
    "report.measured_other": {"en": "Did not help: {changes}.", "ko": "도움이 되지 않음: {changes}."},
    "report.measured_item": {"en": "{idea} took the error from {before} to {after}",
                             "ko": "{idea}: 오차 {before} → {after}"},
    "report.try_ok": {"en": "That is a useful model; {idea}.",
                      "ko": "쓸 만한 모델입니다. {idea}."},
    "report.measure": {"en": "To measure it, set a validation share (e.g. 0.1) on the Train "
                             "page.",
                       "ko": "정확도를 재려면 학습 페이지에서 검증 비율(예: 0.1)을 정하세요."},
    "report.idea.more_data": {"en": "more ratings per user (now {per_user} on average)",
                              "ko": "사용자당 평점을 더 모으기 (지금 평균 {per_user}개)"},
    "report.idea.smaller": {"en": "a smaller model (embedding size {dim} -> {smaller})",
                            "ko": "더 작은 모델 (임베딩 크기 {dim} -> {smaller})"},
    "report.idea.regularise": {"en": "stronger regularisation (weight decay {wd} -> {stronger})",
                               "ko": "더 강한 규제 (가중치 감쇠 {wd} -> {stronger})"},
    "report.idea.lower_lr": {"en": "a smaller learning rate ({lr} -> {smaller})",
                             "ko": "더 작은 학습률 ({lr} -> {smaller})"},
    "report.idea.more_epochs": {"en": "more epochs (the error was still falling)",
                                "ko": "더 많은 에폭 (오차가 아직 줄고 있었음)"},
    "report.idea.more_epochs_n": {"en": "more epochs ({epochs} -> {more})",
                                  "ko": "더 많은 에폭 ({epochs} -> {more})"},
    "report.idea.weaker": {"en": "weaker regularisation (weight decay {wd} -> {weaker})",
                           "ko": "더 약한 규제 (가중치 감쇠 {wd} -> {weaker})"},
    "report.idea.bigger": {"en": "a larger model (embedding size {dim} -> {bigger})",
                           "ko": "더 큰 모델 (임베딩 크기 {dim} -> {bigger})"},
    "report.idea.compare": {"en": "compare it with other models on the Compare page",
                            "ko": "비교 페이지에서 다른 모델과 견주어 보세요"},
    "report.joiner": {"en": ", ", "ko": ", "},
    "report.or": {"en": " or ", "ko": " 또는 "},
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
