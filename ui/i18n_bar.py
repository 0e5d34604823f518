"""Words of the Train page's control bar (issue 12) in English and Korean: the buttons, the one
rule for which run they act on, and what a press did. Merged into ``ui.i18n.UI``.

Keys start with ``bar.``; ``bar.why_*`` name what changed since the current run was made
(``recsys_core.run_service.Change``), ``bar.did_*`` what a press did
(``recsys_core.run_service.Outcome``).
"""

BAR = {
    # ----- the buttons -------------------------------------------------------------------------
    "bar.train": {"en": "Train", "ko": "학습"},
    "bar.train_help": {"en": "Goes on with the current run when its model, settings and data "
                             "are unchanged; otherwise starts a new run. Trains the epochs "
                             "beside it, at the chosen speed.",
                       "ko": "모델, 설정, 데이터가 그대로면 현재 실행을 이어서 학습하고, 무엇이 "
                             "바뀌었으면 새 실행을 시작합니다. 옆에 적은 에폭만큼, 고른 속도로 "
                             "학습합니다."},
    "bar.pause": {"en": "Pause", "ko": "일시정지"},
    "bar.pause_help": {"en": "Stops training and keeps the model and its loss history as they "
                             "are: Train or Step goes on from here.",
                       "ko": "학습을 멈추고 모델과 손실 기록을 그대로 둡니다: 학습이나 한 에폭은 "
                             "여기서부터 이어집니다."},
    "bar.step": {"en": "Step", "ko": "한 에폭"},
    "bar.step_help": {"en": "Trains exactly one epoch of the run Train would train.",
                      "ko": "학습 버튼이 학습할 실행을 딱 한 에폭만 학습합니다."},
    "bar.reset": {"en": "Reset", "ko": "처음으로"},
    "bar.reset_help": {"en": "A new run at epoch 0 with these settings: the same seed gives "
                             "the same starting weights.",
                       "ko": "이 설정으로 에폭 0의 새 실행을 만듭니다: 같은 시드면 시작 "
                             "가중치도 같습니다."},
    "bar.more": {"en": "More settings", "ko": "설정 더 보기"},
    # ----- the rule, before a press ---------------------------------------------------------
    "bar.rule_help": {"en": "One rule: the buttons act on the current run (the one trained or "
                            "reset last) while the model, its settings and the data are those "
                            "it was made with. Change any of them and Train or Step start a "
                            "new run; the old one stays on Compare. The epochs and the speed "
                            "only say how far and how fast.",
                      "ko": "규칙은 하나입니다: 버튼은 현재 실행(마지막으로 학습하거나 처음으로 "
                            "만든 실행)에 작용합니다. 단, 모델과 설정과 데이터가 그 실행을 만들 "
                            "때와 같을 때만입니다. 하나라도 바꾸면 학습과 한 에폭은 새 실행을 "
                            "시작하고, 이전 실행은 비교 페이지에 남습니다. 에폭과 속도는 얼마나 "
                            "멀리, 얼마나 빨리 갈지만 정합니다."},
    "bar.first": {"en": "Train starts the first run with these settings; Reset makes it at "
                        "epoch 0, to watch it from the very start.",
                  "ko": "학습을 누르면 이 설정으로 첫 실행을 시작합니다. 처음으로를 누르면 "
                        "에폭 0의 실행을 만들어 맨 처음부터 볼 수 있습니다."},
    "bar.go_on": {"en": "Train goes on with {run} from epoch {epoch}: its model, settings and "
                        "data are unchanged. Reset starts a new run at epoch 0.",
                  "ko": "학습을 누르면 {run}을(를) 에폭 {epoch}부터 이어서 학습합니다: 모델, "
                        "설정, 데이터가 그대로입니다. 처음으로를 누르면 에폭 0의 새 실행을 "
                        "시작합니다."},
    "bar.new": {"en": "Train starts a new run: {why}. {run} stays as it is.",
                "ko": "학습을 누르면 새 실행을 시작합니다: {why}. {run}은(는) 그대로 남습니다."},
    "bar.why_model": {"en": "the model changed ({before} → {after})",
                      "ko": "모델이 바뀌었습니다 ({before} → {after})"},
    "bar.why_data": {"en": "the data changed", "ko": "데이터가 바뀌었습니다"},
    "bar.why_setting": {"en": "{label} changed ({before} → {after})",
                        "ko": "{label} 값이 바뀌었습니다 ({before} → {after})"},
    "bar.why_loaded": {"en": "the current run was opened from a model file and cannot train on",
                       "ko": "현재 실행은 모델 파일에서 연 것이라 이어서 학습할 수 없습니다"},
    "bar.why_more": {"en": "{n} more setting(s) changed", "ko": "설정 {n}개가 더 바뀌었습니다"},
    "bar.warm": {"en": "Start from {run}'s model instead (warm start)",
                 "ko": "대신 {run}의 모델에서 시작 (이어서 시작)"},
    "bar.warm_help": {"en": "The new run starts from the current run's model instead of from "
                            "scratch: possible while the users and items are the same.",
                      "ko": "새 실행이 처음부터가 아니라 현재 실행의 모델에서 시작합니다. "
                            "사용자와 항목이 같을 때만 됩니다."},
    "bar.new_lr": {"en": "Go on with {run} at the new learning rate instead",
                   "ko": "대신 {run}을(를) 새 학습률로 이어서 학습"},
    "bar.new_lr_help": {"en": "Keeps the run's weights and the optimiser's state; only the "
                              "step size changes, from epoch {epoch} on. The exported code "
                              "notes that it no longer repeats the run exactly.",
                        "ko": "실행의 가중치와 옵티마이저 상태는 그대로 두고, 에폭 {epoch}부터 "
                              "보폭만 바꿉니다. 내보낸 코드에는 이 실행을 더는 그대로 재현하지 "
                              "않는다는 메모가 붙습니다."},
    # ----- what a press did ---------------------------------------------------------------------
    "bar.did_new": {"en": "New run {run}: {why}.", "ko": "새 실행 {run}: {why}."},
    "bar.did_first": {"en": "New run {run}.", "ko": "새 실행 {run}."},
    "bar.did_went_on": {"en": "{run} went on from epoch {epoch}.",
                        "ko": "{run}을(를) 에폭 {epoch}부터 이어서 학습했습니다."},
    "bar.did_new_lr": {"en": "{run} went on from epoch {epoch} at learning rate {lr}.",
                       "ko": "{run}을(를) 에폭 {epoch}부터 이어서 학습했습니다 (학습률 {lr})."},
    "bar.did_warm": {"en": "New run {run}, started from the model of #{source} (warm start): "
                           "the data changed.",
                     "ko": "새 실행 {run}, #{source}의 모델에서 시작했습니다 (이어서 시작): "
                           "데이터가 바뀌었습니다."},
    "bar.did_reset": {"en": "New run {run} at epoch 0: Train or Step trains it.",
                      "ko": "에폭 0의 새 실행 {run}: 학습이나 한 에폭을 누르면 학습합니다."},
    "bar.stopped": {"en": "{run}: paused after {done}. The model trained so far is kept; Train "
                          "goes on from there.",
                    "ko": "{run}: {done} 뒤에 멈췄습니다. 그때까지 학습한 모델은 남아 있고, "
                          "학습을 누르면 거기서부터 이어집니다."},
    # ----- pausing a what-if or a search ---------------------------------------------------------
    "bar.pause_whatif_help": {"en": "Stops the retraining and keeps the new run as far as it "
                                    "got.",
                              "ko": "다시 학습을 멈추고 새 실행을 거기까지 남깁니다."},
    "bar.pause_tune_help": {"en": "Stops the search and keeps the settings tried so far.",
                            "ko": "탐색을 멈추고 지금까지 해 본 설정을 남깁니다."},
}
