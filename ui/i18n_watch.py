"""Keyed words of the Train page's live training (issue 7) in English and Korean, merged into
``ui.i18n.UI``: what is left of the keyed catalogues until the Train page says its words with
``_("...")`` like the other pages (the rest of "watch it learn" is in the gettext catalogue).
"""

WATCH = {
    # ----- live training (Train page) --------------------------------------------------------
    "watch.play": {"en": "Play", "ko": "재생"},
    "watch.play_help": {"en": "Train on from where the model is, epoch after epoch, at the "
                              "chosen speed, until you press Pause.",
                        "ko": "모델이 있는 곳에서부터 고른 속도로 한 에폭씩, 일시정지를 누를 "
                              "때까지 이어서 학습합니다."},
    "watch.pause": {"en": "Pause", "ko": "일시정지"},
    "watch.pause_help": {"en": "Stop training and keep the model as it is: Play or Step goes on "
                               "from here.",
                         "ko": "학습을 멈추고 모델을 그대로 둡니다: 재생이나 한 에폭은 여기서부터 "
                               "이어집니다."},
    "watch.step": {"en": "Step", "ko": "한 에폭"},
    "watch.step_help": {"en": "Train exactly one more epoch.",
                        "ko": "딱 한 에폭만 더 학습합니다."},
    "watch.reset": {"en": "Reset", "ko": "처음으로"},
    "watch.reset_help": {"en": "A new run at epoch 0 with the settings below: the same seed "
                               "gives the same starting weights.",
                         "ko": "아래 설정으로 에폭 0에서 새 실행을 만듭니다: 같은 시드면 시작 "
                               "가중치도 같습니다."},
    "watch.epoch_counter": {"en": "Epoch", "ko": "에폭"},
    "watch.live_lr": {"en": "Learning rate", "ko": "학습률"},
    "watch.live_lr_help": {"en": "The learning rate of the run you watch. Change it while "
                                 "paused; Play or Step then go on with it from where the model "
                                 "is. With no run yet, it is the form's learning rate.",
                           "ko": "보고 있는 실행의 학습률입니다. 일시정지 중에 바꾸면 재생이나 "
                                 "한 에폭이 모델이 있던 곳에서 새 학습률로 이어집니다. 아직 "
                                 "실행이 없으면 아래 설정의 학습률입니다."},
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
    "watch.status_run": {"en": "Watching {run}: Play and Step train on from where it is, "
                               "Reset starts again from the same starting weights. Click a cell "
                               "of the heatmap to see how it is computed.",
                         "ko": "{run}을(를) 보고 있습니다: 재생과 한 에폭은 지금 상태에서 이어서 "
                               "학습하고, 처음으로는 같은 시작 가중치에서 다시 시작합니다. 히트맵의 "
                               "칸을 누르면 어떻게 계산되는지 보입니다."},
    "watch.status_new": {"en": "Play or Step starts a new run with the settings below; Reset "
                               "makes one at epoch 0, to watch from the very start.",
                         "ko": "재생이나 한 에폭은 아래 설정으로 새 실행을 시작합니다. 처음으로는 "
                               "에폭 0의 실행을 만들어 맨 처음부터 볼 수 있게 합니다."},
    "watch.playing": {"en": "Playing: epoch {epoch}. Pause stops here and keeps the model.",
                      "ko": "재생 중: 에폭 {epoch}. 일시정지를 누르면 여기서 멈추고 모델은 "
                            "남습니다."},
    "watch.fix_first": {"en": "Fix the settings below first: a new run is made from them.",
                        "ko": "먼저 아래 설정을 고치세요: 새 실행은 그 설정으로 만들어집니다."},
    "watch.busy": {"en": "The previous training of this session is still finishing; press the "
                         "button again in a moment.",
                   "ko": "이 세션의 이전 학습이 아직 끝나는 중입니다. 잠시 뒤에 다시 누르세요."},
    "watch.map_none": {"en": "The map of learned tastes appears once there is a model: press "
                             "Step, Play or Train.",
                       "ko": "학습된 취향 지도는 모델이 생기면 나타납니다: 한 에폭, 재생 또는 "
                             "학습을 누르세요."},
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
