"""Guide page: a walk through the app on the course matrix, feature by feature."""

import streamlit as st

from ui import paths
from ui.i18n import _, p_


def step(key: str, head: str, text: str, page=None, page_name: str = "") -> None:
    with st.container(border=True, key=f"guide_{key}"):
        st.subheader(head)
        st.markdown(text)
        if page is not None:
            st.page_link(page, label=_("Open: {page}", page=page_name))


st.title(p_("page title", "Guide"))
st.markdown(_("A ten-minute walk through the app with the course matrix (DL2024 week 11): nine people rated "
              "eight others, nine cells are empty, and a recommender fills them in."))
STEPS = [  # (head, text, page to open, its name)
    (_("1. Look at the data"),
     _("The course matrix `solo.csv` is already loaded: 9 users x 8 items, 63 ratings, 9 empty cells. The "
       "file's 보람(ES) row is one field short; the app says so beside the data instead of guessing "
       "silently. Change a rating in the grid, or pick another sample, upload your own CSV/XLSX, or generate "
       "data with a known hidden truth."),
     paths.DATA, _("Data")),
    (_("2. Train a model, as in the lecture"),
     _("Pick **MF** (matrix factorisation) and press **Train**: the error falls live. The button **Week 11 "
       "MF** loads the lecture's exact settings (seed 43052, k = 2, Adam lr 0.1, 100 epochs) and reproduces "
       "the numbers printed in the lecture to 4 decimals; **Week 11 NN** loads the lecture's network, whose "
       "three printed predictions come out close but not identical under today's PyTorch (Results shows both "
       "side by side). **Pause** ends training at once and keeps what was learned; **Train** again goes on "
       "with the same run while nothing changed, **Step** adds one epoch and **Reset** starts over. Open "
       "*The lecture's first lesson* to see one-hot + linear layer give exactly what an embedding layer "
       "gives, on 옥순, 영숙 and 하니."),
     paths.TRAIN, _("Train")),
    (_("3. Read the result"),
     _("**In plain words** says how much data there was, how far off the model is on ratings it never saw "
       "next to the always-average baseline, how spread the errors are and what to try if it is poor. The "
       "heatmap shows the completed matrix: rated cells plain, filled-in cells in brackets with a corner "
       "mark. The map of learned tastes shows introverts and extroverts (IN/IS vs EN/ES) falling apart. "
       "Download the filled matrix as CSV or Excel, and **Top-N for every user** as one Excel file with the "
       "\"because\" for each recommendation."),
     paths.RESULTS, _("Results")),
    (_("4. Show the code"),
     _("**Show code** on the Results page writes the run as a Python script in the lecture's style — `class "
       "Net(torch.nn.Module)`, the four steps `# 1 yhat`, `# 2 loss`, `# 3 backward`, `# 4 step, zero_grad`, "
       "pandas for the data — that gives the same predictions when pasted into a notebook: the same data, "
       "validation split, seed and settings."),
     paths.RESULTS, _("Results")),
    (_("5. What if?"),
     _("Under **What if?** on the Results page, pick 하니(I) and 영호(IS), give the cell a rating of 0.5 (or "
       "clear it) and press **Retrain from this model**: the model trains on from where it was, the "
       "predictions that moved most are listed, and they are outlined on the heatmap."),
     paths.RESULTS, _("Results")),
    (_("6. Try it yourself"),
     _("Under **Try it yourself** on the Results page, pick five of the eight items and rate each (say "
       "영식(IN) 5, 영철(IN) 4.5, 광수(IS) 1, 영호(IS) 1.5, 상철(EN) 4): your own top-N appears at once, "
       "with the \"because\" for each item, a note on how sure the model is with that many ratings, and "
       "you as a star on the map of learned tastes. The model is not retrained: only your own factors are "
       "found, against the fixed item factors (fold-in). **Retrain with me added** trains the whole run "
       "again with you among the users and shows how close fold-in came: the items both lists share and "
       "how far their predictions are apart. Your ratings stay while you visit the other pages."),
     paths.RESULTS, _("Results")),
    (_("7. Compare and share"),
     _("Train NN, GMF, MLP, NeuMF and the baseline too (set a validation share so there is something honest "
       "to compare), then compare their errors and curves side by side. The address bar always carries the "
       "sample, model, settings, seed and language: copy it (or **Share this set-up** on the Train page) to "
       "hand a class one link per exercise. Uploaded data never goes into a link."),
     paths.COMPARE, _("Compare")),
    (_("8. Clicks instead of stars: ranking"),
     _("Most logs say only that someone clicked, watched or bought something. On the Data page switch "
       "the task to **Interactions (clicks, views, purchases)**, then turn the course matrix's ratings "
       "into likes (say, ratings of 4 or more), load MovieLens as interactions, upload a log or "
       "**Generate clicks**. On Train pick **NeuMF** (the NCF paper's model) and press **Train**: beside "
       "the loss, HR@10 climbs, the share of users whose latest interaction, held out, comes in the "
       "model's top 10. Train **Popularity** too: every personal model has to beat it. **ALS (implicit "
       "feedback)** fits every cell at once, with no negatives sampled, in about a second on MovieLens. "
       "Results shows "
       "HR@10 and NDCG@10 twice, among 99 sampled items and among all items, because sampled "
       "figures can put models in another order (Krichene and Rendle, KDD 2020); the held-out "
       "items are starred on the scores, and each user's top-N says which of their own items it "
       "comes from. Compare orders the ranking runs by HR@10. Under **Try it yourself** there, tick a "
       "few items you like: your own top-N appears at once, without retraining, with how sure it is "
       "and your star on the map; **Retrain with me added** shows how close that came."),
     paths.DATA, _("Data")),
    (_("9. In class"),
     _("Switch on **Projector mode** in the sidebar for large type and the full screen width; switch the "
       "language there too (한국어 / English). The first language follows the browser's."),
     None, ""),
]
for number, (head, text, page, page_name) in enumerate(STEPS, start=1):
    step(f"step{number}", head, text, page, page_name)
st.subheader(_("Things to try"))
st.markdown(_("- Set the embedding size k to 1, then 8: what happens to training and validation error?\n"
              "- Raise the learning rate to 5: the app explains the divergence in words.\n"
              "- Change one rating of 하니(I) with **What if?** and watch her predictions move.\n"
              "- Under **Try it yourself**, rate only one item, then two, then five: watch the note on how "
              "sure the model is, and your star on the map, settle.\n"
              "- Generate data with 3 taste groups and 50 % missing: the results page scores the filled "
              "cells against the hidden truth."))
