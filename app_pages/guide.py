"""Guide page: a short walk-through on the course matrix."""

import streamlit as st

from ui import paths

T = {
    "title": "Guide · 사용 안내",
    "intro": "A ten-minute walk through the app with the course matrix (DL2024 11주차): nine "
             "people rated eight others, nine cells are empty, and a recommender fills them in. "
             "· 강의 행렬로 따라 해 보는 10분 안내입니다.",
    "steps": [
        ("1. Look at the data · 데이터 보기", paths.DATA,
         "The course matrix `solo.csv` is already loaded: 9 users x 8 items, 63 ratings, 9 "
         "empty cells. The file's 보람(ES) row is one field short; the app says so beside the "
         "data instead of guessing silently. Change a rating in the grid, or pick another "
         "sample, upload your own CSV/XLSX, or generate data with a known hidden truth."),
        ("2. Train a model · 모델 학습", paths.TRAIN,
         "Pick **MF** (matrix factorisation) and press **Train**: the error falls live. The "
         "button **11주차 MF** loads the lecture's exact settings (seed 43052, k = 2, Adam "
         "lr 0.1, 100 epochs) and reproduces the numbers printed in the lecture exactly; **11주차 "
         "NN (풀이2)** loads the lecture's network, whose three printed predictions come out "
         "close but not identical (Results shows both side by side). **Stop** ends training at "
         "once and keeps what was learned; **Continue training** adds epochs."),
        ("3. Read the result · 결과 읽기", paths.RESULTS,
         "The heatmap shows the completed matrix: rated cells plain, filled-in cells in "
         "brackets with a corner mark. The sentence on top says in stars how far off the "
         "model is on ratings it never saw, next to the always-average baseline. The map of "
         "learned tastes shows introverts and extroverts (IN/IS vs EN/ES) falling apart. "
         "Download the filled matrix as CSV or Excel."),
        ("4. Compare · 비교", paths.COMPARE,
         "Train NN, GMF, MLP, NeuMF and the baseline too (set a validation share so there is "
         "something honest to compare), then compare their errors and curves side by side."),
    ],
    "ideas": "Things to try · 해 볼 것",
    "try": "- Set the embedding size k to 1, then 8: what happens to training and validation "
           "error?\n"
           "- Raise the learning rate to 5: the app explains the divergence in words.\n"
           "- Change one rating of 하니(I) in the grid, retrain with a warm start, and watch her "
           "predictions move.\n"
           "- Generate data with 3 taste groups and 50 % missing: the results page scores the "
           "filled cells against the hidden truth.",
    "open": "Open",
}

st.title(T["title"])
st.markdown(T["intro"])
for heading, page, text in T["steps"]:
    with st.container(border=True):
        st.subheader(heading)
        st.markdown(text)
        st.page_link(page, label=f"{T['open']}: {heading.split('. ', 1)[1]}")
st.subheader(T["ideas"])
st.markdown(T["try"])
