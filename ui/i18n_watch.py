"""Keyed words of the Train page's live training (issue 7) in English and Korean, merged into
``ui.i18n.UI``: what is left of the keyed catalogues until the Train page says its words with
``_("...")`` like the other pages (the rest of "watch it learn" is in the gettext catalogue).
"""

WATCH = {
    # ----- live training (Train page) --------------------------------------------------------
    "watch.epoch_counter": {"en": "Epoch", "ko": "에폭"},
    "watch.speed": {"en": "Speed", "ko": "속도"},
    "watch.speed_n": {"en": "{n}/s", "ko": "초당 {n}"},
    "watch.speed_max": {"en": "full", "ko": "최대"},
    "watch.view": {"en": "Heatmap", "ko": "히트맵"},
    "watch.view_completed": {"en": "Completed", "ko": "채운 행렬"},
    "watch.view_predicted": {"en": "All predictions", "ko": "모든 예측"},
    "watch.title_completed": {"en": "Completed matrix at epoch {epoch}",
                              "ko": "에폭 {epoch}의 채운 행렬"},
    "watch.title_predicted": {"en": "Predictions at epoch {epoch}", "ko": "에폭 {epoch}의 예측"},
    "watch.title_observed": {"en": "The ratings, before training", "ko": "학습 전의 평점"},
    "watch.busy": {"en": "The previous training of this session is still finishing; press the "
                         "button again in a moment.",
                   "ko": "이 세션의 이전 학습이 아직 끝나는 중입니다. 잠시 뒤에 다시 누르세요."},
    "watch.map_none": {"en": "The map of learned tastes appears once there is a model: press "
                             "Train, Step or Reset.",
                       "ko": "학습된 취향 지도는 모델이 생기면 나타납니다: 학습, 한 에폭 또는 "
                             "처음으로를 누르세요."},
    "watch.too_large": {"en": "The matrix has {users} users x {items} items = {cells} cells, "
                              "more than the {most} (about 50 x 50) that can be redrawn "
                              "several times a second: only the loss chart moves while "
                              "training. The heatmap and the map are on the Results page "
                              "when training stops.",
                        "ko": "행렬이 사용자 {users}명 x 항목 {items}개 = {cells}칸으로, 1초에 "
                              "여러 번 다시 그릴 수 있는 {most}칸 (약 50 x 50)보다 큽니다: 학습 "
                              "중에는 손실 그래프만 움직입니다. 히트맵과 지도는 학습이 끝나면 결과 "
                              "페이지에 있습니다."},
    "watch.change_lr": {"en": "learning rate {lr} from epoch {epoch}",
                        "ko": "에폭 {epoch}부터 학습률 {lr}"},
    "watch.change_step": {"en": "\"update after the last epoch\" turned on at epoch {epoch} "
                                "(for stepping)",
                          "ko": "에폭 {epoch}에서 \"마지막 에폭 뒤에도 갱신\" 켬 (한 에폭씩 "
                                "학습하려고)"},
    "watch.changed_note": {"en": "Changed during this run: {changes}. The exported code (Results "
                                 "→ Show the code) trains the whole run with the last settings, "
                                 "so from there on it no longer repeats this run exactly.",
                           "ko": "이 실행 도중 바뀐 것: {changes}. 내보낸 코드 (결과 → 코드 보기)는 "
                                 "실행 전체를 마지막 설정으로 학습하므로, 그 지점부터는 이 실행을 "
                                 "똑같이 되풀이하지 않습니다."},
    # ----- a cell's arithmetic ---------------------------------------------------------------
    "watch.cell_pick": {"en": "A cell's arithmetic: click the heatmap or pick a user and an "
                              "item.",
                        "ko": "한 칸의 계산: 히트맵을 누르거나 사용자와 항목을 고르세요."},
    # ----- classroom mode --------------------------------------------------------------------
}
