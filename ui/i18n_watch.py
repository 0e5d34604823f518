"""Words of "watch it learn" (issue 7) in English and Korean: live training, a cell's
arithmetic, the factor matrices, tuning and classroom mode. Merged into ``ui.i18n.UI``.

Keys start with ``watch.``; ``watch.fig.factor.*`` are the factor figures' words
(``recsys_core.figures.FACTOR_ENGLISH``, whose English they repeat); ``watch.step.*`` and
``watch.formula.*`` name the steps of ``recsys_core.explain`` (English as the library words
them); ``watch.control.*`` the controls a classroom link can hide
(``recsys_core.classroom.APP_CONTROLS``).
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
    "watch.cell_head": {"en": "How one cell is predicted", "ko": "한 칸의 예측은 이렇게 계산됩니다"},
    "watch.cell_intro": {"en": "Click a cell of the heatmap above, or pick a user and an item: "
                               "every number the model computes for that cell, in order, with "
                               "the current model's real values.",
                         "ko": "위 히트맵의 칸을 누르거나 사용자와 항목을 고르세요: 모델이 그 "
                               "칸을 위해 계산하는 모든 숫자를 순서대로, 지금 모델의 실제 값으로 "
                               "보여 줍니다."},
    "watch.cell_pick": {"en": "A cell's arithmetic: click the heatmap or pick a user and an "
                              "item.",
                        "ko": "한 칸의 계산: 히트맵을 누르거나 사용자와 항목을 고르세요."},
    "watch.cell_user": {"en": "User", "ko": "사용자"},
    "watch.cell_item": {"en": "Item", "ko": "항목"},
    "watch.cell_line": {"en": "{user} x {item}: predicted {pred}",
                        "ko": "{user} x {item}: 예측 {pred}"},
    "watch.cell_rated": {"en": "(rated {rating})", "ko": "(평점 {rating})"},
    "watch.cell_empty": {"en": "(an empty cell: the model fills it in)",
                         "ko": "(빈칸: 모델이 채웁니다)"},
    "watch.cell_none": {"en": "This model's prediction cannot be broken down into steps.",
                        "ko": "이 모델의 예측은 단계로 나누어 보일 수 없습니다."},
    "watch.cell_check": {"en": "Each step uses only the numbers above it: redo them with a "
                               "calculator and you land on the prediction.",
                         "ko": "각 단계는 그 위의 숫자만 씁니다: 계산기로 따라 하면 예측값이 "
                               "나옵니다."},
    "watch.cell_code": {"en": "The same in the exported code's terms",
                        "ko": "내보낸 코드의 이름으로 같은 계산"},
    "watch.cell_code_help": {"en": "Run it after the exported script (Results → Show the code), "
                                   "where net is the trained network; each comment is the "
                                   "value of its line. On this app's model, first write net = "
                                   "as_exported_net(model) (recsys_core.explain).",
                             "ko": "내보낸 스크립트 (결과 → 코드 보기) 다음에 실행하세요. 거기서 "
                                   "net이 학습된 신경망이며, 각 주석은 그 줄의 값입니다. 이 앱의 "
                                   "모델에서는 먼저 net = as_exported_net(model) "
                                   "(recsys_core.explain)을 쓰세요."},
    "watch.col_step": {"en": "step", "ko": "단계"},
    "watch.col_formula": {"en": "formula", "ko": "식"},
    "watch.col_size": {"en": "numbers", "ko": "개수"},
    "watch.col_value": {"en": "value", "ko": "값"},
    "watch.more_numbers": {"en": "… ({n} numbers)", "ko": "… (숫자 {n}개)"},
    "watch.step.part_gmf": {"en": "GMF part:", "ko": "GMF 부분:"},
    "watch.step.part_mlp": {"en": "MLP part:", "ko": "MLP 부분:"},
    "watch.step.user_factors": {"en": "user factors p_u (W_feature)",
                                "ko": "사용자 요인 p_u (W_feature)"},
    "watch.step.item_factors": {"en": "item factors q_i (M_feature)",
                                "ko": "항목 요인 q_i (M_feature)"},
    "watch.step.user_factors_net": {"en": "user factors (W_feature)",
                                    "ko": "사용자 요인 (W_feature)"},
    "watch.step.item_factors_net": {"en": "item factors (M_feature)",
                                    "ko": "항목 요인 (M_feature)"},
    "watch.step.user_factors_mlp": {"en": "user factors", "ko": "사용자 요인"},
    "watch.step.item_factors_mlp": {"en": "item factors", "ko": "항목 요인"},
    "watch.step.products": {"en": "products, factor by factor", "ko": "요인별 곱"},
    "watch.step.dot": {"en": "dot product p_u · q_i", "ko": "내적 p_u · q_i"},
    "watch.step.user_bias": {"en": "user bias b_u (W_bias)", "ko": "사용자 편향 b_u (W_bias)"},
    "watch.step.item_bias": {"en": "item bias b_i (M_bias)", "ko": "항목 편향 b_i (M_bias)"},
    "watch.step.user_bias_net": {"en": "user bias (W_bias)", "ko": "사용자 편향 (W_bias)"},
    "watch.step.item_bias_net": {"en": "item bias (M_bias)", "ko": "항목 편향 (M_bias)"},
    "watch.step.score": {"en": "score", "ko": "점수"},
    "watch.step.score_head": {"en": "score: output layer → 1 number",
                              "ko": "점수: 출력층 → 숫자 1개"},
    "watch.step.score_gmf": {"en": "score: weighted sum of the products",
                             "ko": "점수: 곱의 가중합"},
    "watch.step.head": {"en": "output layer → 1 number", "ko": "출력층 → 숫자 1개"},
    "watch.step.input": {"en": "network input Z: {n} numbers", "ko": "신경망 입력 Z: 숫자 {n}개"},
    "watch.step.input_neumf": {"en": "MLP input: {n} numbers", "ko": "MLP 입력: 숫자 {n}개"},
    "watch.step.fused": {"en": "GMF products and MLP output: {n} numbers",
                         "ko": "GMF 곱과 MLP 출력: 숫자 {n}개"},
    "watch.step.layer": {"en": "hidden layer {n}: {inp} → {out} numbers",
                         "ko": "은닉층 {n}: 숫자 {inp}개 → {out}개"},
    "watch.step.layer_act": {"en": "hidden layer {n}: {inp} → {out} numbers, then {act}",
                             "ko": "은닉층 {n}: 숫자 {inp}개 → {out}개, 그다음 {act}"},
    "watch.step.offset": {"en": "offset: an untrained model starts at the average rating",
                          "ko": "오프셋: 학습 전 모델이 평균 평점에서 시작하도록"},
    "watch.step.sigmoid": {"en": "sigmoid: squashed between 0 and 1",
                           "ko": "시그모이드: 0과 1 사이로 눌러 담음"},
    "watch.step.rating": {"en": "predicted rating", "ko": "예측 평점"},
    "watch.step.rating_clamp": {"en": "predicted rating, kept on the scale",
                                "ko": "예측 평점 (척도 안으로 자름)"},
    "watch.step.mean": {"en": "average training rating", "ko": "학습 평점의 평균"},
    "watch.step.raw": {"en": "average + biases", "ko": "평균 + 편향"},
    "watch.formula.lookup": {"en": "row {n} of its table", "ko": "표의 {n}번째 행"},
    "watch.formula.bias": {"en": "row {n} of its bias table", "ko": "편향 표의 {n}번째 행"},
    "watch.formula.products": {"en": "p_u[f] × q_i[f] for each factor f",
                               "ko": "요인 f마다 p_u[f] × q_i[f]"},
    "watch.formula.dot": {"en": "sum of the products", "ko": "곱을 모두 더함"},
    "watch.formula.mean": {"en": "mean of the training ratings", "ko": "학습 평점의 평균"},
    "watch.formula.offset": {"en": "log(share / (1 − share)), share = where the average sits "
                                   "in the output range",
                             "ko": "log(share / (1 − share)), share = 출력 범위에서 평균이 "
                                   "놓인 자리"},
    "watch.formula.fused": {"en": "[GMF products, last hidden layer] side by side",
                            "ko": "[GMF 곱, 마지막 은닉층] 나란히 붙임"},
    "watch.formula.input_nn": {"en": "[W_feature, M_feature, W_bias, M_bias] side by side",
                               "ko": "[W_feature, M_feature, W_bias, M_bias] 나란히 붙임"},
    "watch.formula.input_mlp": {"en": "[W_feature, M_feature] side by side",
                                "ko": "[W_feature, M_feature] 나란히 붙임"},
    "watch.formula.input_neumf": {"en": "[MLP user factors, MLP item factors] side by side",
                                  "ko": "[MLP 사용자 요인, MLP 항목 요인] 나란히 붙임"},
    "watch.formula.layer": {"en": "W · previous + b", "ko": "W · 이전 값 + b"},
    "watch.formula.layer_act": {"en": "{act}(W · previous + b)", "ko": "{act}(W · 이전 값 + b)"},
    "watch.formula.head": {"en": "w · ({n} numbers) + b", "ko": "w · (숫자 {n}개) + b"},
    # ----- factor matrices (Results page) ----------------------------------------------------
    "watch.factor_intro": {"en": "Every user is a row of k numbers (U), every item too (V). A "
                                 "user's row times an item's row, added up, is the cell's score "
                                 "before the biases: the whole of U x Vᵀ is the matrix the model "
                                 "fills. For k = 2 the two columns are the map's two axes.",
                           "ko": "사용자마다 숫자 k개의 행 (U), 항목도 마찬가지 (V)입니다. 사용자의 "
                                 "행과 항목의 행을 곱해 더하면 편향을 더하기 전 그 칸의 점수이고, "
                                 "U x Vᵀ 전체가 모델이 채우는 행렬입니다. k = 2이면 두 열이 지도의 "
                                 "두 축입니다."},
    "watch.fig.factor.title_user": {"en": "User factors U: {n} users x k = {k}",
                                    "ko": "사용자 요인 U: 사용자 {n}명 x k = {k}"},
    "watch.fig.factor.title_item": {"en": "Item factors V: {n} items x k = {k}",
                                    "ko": "항목 요인 V: 항목 {n}개 x k = {k}"},
    "watch.fig.factor.note": {"en": "one row per {side}, one column per hidden factor; red = "
                                    "above 0, blue = below",
                              "ko": "{side}마다 한 행, 숨은 요인마다 한 열; 빨강 = 0보다 큼, "
                                    "파랑 = 작음"},
    "watch.fig.factor.note_neumf": {"en": "NeuMF: the first {dim} columns are the GMF part, "
                                          "the rest the MLP part",
                                    "ko": "NeuMF: 앞의 {dim}개 열은 GMF 부분, 나머지는 MLP "
                                          "부분"},
    "watch.fig.factor.shown": {"en": "first {shown} of {total:,} shown",
                               "ko": "{total:,}개 중 처음 {shown}개"},
    "watch.fig.factor.none": {"en": "This model has no factors to show (the baseline has none).",
                              "ko": "이 모델에는 보여 줄 요인이 없습니다 (기준 모델에는 없음)."},
    "watch.fig.factor.user": {"en": "user", "ko": "사용자"},
    "watch.fig.factor.item": {"en": "item", "ko": "항목"},
    "watch.fig.factor.value": {"en": "value", "ko": "값"},
    "watch.fig.factor.product_title": {"en": "The matrix as the product of two thin matrices: "
                                             "U x Vᵀ",
                                       "ko": "두 얇은 행렬의 곱으로 본 행렬: U x Vᵀ"},
    "watch.fig.factor.panel_u": {"en": "U (users x k)", "ko": "U (사용자 x k)"},
    "watch.fig.factor.panel_vt": {"en": "Vᵀ (k x items)", "ko": "Vᵀ (k x 항목)"},
    "watch.fig.factor.panel_product": {"en": "U x Vᵀ", "ko": "U x Vᵀ (곱)"},
    "watch.fig.factor.panel_completed": {"en": "completed matrix", "ko": "채운 행렬"},
    "watch.fig.factor.how_mf": {"en": "rating = squash(U x Vᵀ + user bias + item bias{offset}): "
                                      "the product is the score before the biases and the "
                                      "sigmoid · (brackets) = predicted",
                                "ko": "평점 = 눌러 담기(U x Vᵀ + 사용자 편향 + 항목 편향{offset}): "
                                      "곱은 편향과 시그모이드 전의 점수 · (괄호) = 예측"},
    "watch.fig.factor.how_gmf": {"en": "GMF weights each factor's product before adding them "
                                       "up: U x Vᵀ is the unweighted sum",
                                 "ko": "GMF는 요인별 곱에 가중치를 준 뒤 더합니다: U x Vᵀ는 "
                                       "가중치 없는 합"},
    "watch.fig.factor.how_net": {"en": "this network combines the factors in a non-linear way: "
                                       "U x Vᵀ only shows how well each user's and item's "
                                       "factors line up",
                                 "ko": "이 신경망은 요인을 비선형으로 조합합니다: U x Vᵀ는 각 "
                                       "사용자와 항목의 요인이 얼마나 잘 맞는지만 보여 줍니다"},
    "watch.fig.factor.offset": {"en": " + offset", "ko": " + 오프셋"},
    "watch.fig.factor.rating": {"en": "rating", "ko": "평점"},
    # ----- classroom mode --------------------------------------------------------------------
}
