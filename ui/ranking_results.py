"""The Results page for a ranking run: HR@10 and NDCG@10 sampled and full in plain words, the
scores with each user's held-out item marked, top-N with the "because", the map of learned
tastes, and the downloads (top-N as CSV and Excel, the model file)."""

from __future__ import annotations

from collections.abc import MutableMapping

import numpy as np
import streamlit as st

from recsys_core.models import RANKING_MODELS
from recsys_core.ranking import export
from recsys_core.ranking.codegen import ranking_script
from recsys_core.ranking.results import NEGATIVES, K, runs_table
from recsys_core.results import figures

from . import present, ranking_try_it
from .i18n import N_, _, current_lang, data_title, fig_text, model_title, run_name, status_words
from .text import md_escape

TOP_N_CACHE = "ranking_top_n"  # session key: (run id, epochs, n) and its table
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def candidates(result) -> float:
    """How many items a scored user's held-out item is ranked among in the full ranking, on
    average: every item but those the user has in training."""
    train_users, _items = result.split.train_pairs()
    in_training = np.bincount(train_users, minlength=result.data.n_users)
    return float(np.mean(result.data.n_items - in_training[result.split.test_users]))


def metrics_section(result) -> None:
    scores = result.scores()
    split = result.split
    with st.container(border=True, key="ranking_metrics"):
        st.markdown("**" + _("In plain words") + "**")
        st.markdown(md_escape(_(
            "Each of {users} users had their latest interaction held out. Ranked among {neg} "
            "random items they never interacted with, it came in the model's top {k} for "
            "{hr} of them (HR@{k}, the NCF paper's way); ranked among every item they have "
            "not interacted with in training ({candidates} on average), for {hr_full}.",
            users=f"{split.test_users.size:,}", neg=NEGATIVES, k=K, hr=f"{scores.hr:.1%}",
            candidates=f"{candidates(result):,.0f}", hr_full=f"{scores.hr_full:.1%}")))
        columns = st.columns(4)
        for column, label, value in zip(columns, (
                _("HR@10, sampled"), _("NDCG@10, sampled"), _("HR@10, full ranking"),
                _("NDCG@10, full ranking")), (scores.hr, scores.ndcg, scores.hr_full,
                                              scores.ndcg_full)):
            column.metric(label, f"{value:.3f}")
        st.caption(_("HR@10 (hit rate): the share of users whose held-out item is in the top "
                     "10. NDCG@10 also counts how high it is: 1 at the top, less further down, "
                     "0 below 10."))
        st.info(_("Why two figures? Ranking the held-out item among 99 sampled items is the "
                  "NCF paper's protocol and is quick, but sampled metrics can put models in a "
                  "different order than the full ranking does (Krichene and Rendle, \"On "
                  "Sampled Metrics for Item Recommendation\", KDD 2020). When two models "
                  "disagree, trust the full ranking."), icon=":material/info:")


def heatmap_section(result) -> None:
    st.subheader(_("Scores, with each user's held-out item"))
    with st.container(key="heatmap"):
        st.plotly_chart(present.chart(figures.ranking_heatmap(result, text=fig_text())),
                        width="stretch")


def top_n_table(s: MutableMapping, run, n: int):
    """Every user's top ``n`` with the "because", made once per run, epoch count and n."""
    mark = (run.id, run.result.epochs_run, n)
    kept = s.get(TOP_N_CACHE)
    if kept is None or kept[0] != mark:
        kept = s[TOP_N_CACHE] = (mark, run.result.top_n(n))
    return kept[1]


def top_n_section(s: MutableMapping, run) -> int:
    st.subheader(_("Top-N recommendations per user"))
    users = run.result.data.users
    with st.container(horizontal=True, vertical_alignment="bottom"):
        n = st.number_input(_("How many per user"), 1, 50, 10, key="rank_topn_n",
                            persist_state="session", width=160)
        lang = current_lang()  # a format_func may be called after the run
        who = st.selectbox(_("User"), [None, *users], key="rank_topn_user", width=320,
                           format_func=lambda u: _("(all users)", lang=lang) if u is None else u)
    table = top_n_table(s, run, int(n))
    if who is not None:
        table = table[table["user"] == who]
    labels = {"user": _("user"), "rank": _("rank"), "item": _("item"), "score": _("score"),
              "because": _("because")}
    config = {c: st.column_config.Column(label) for c, label in labels.items()}
    config["score"] = st.column_config.NumberColumn(labels["score"], format="%.3f")
    with st.container(key="ranking_top_n"):
        st.dataframe(table[list(labels)], hide_index=True, column_config=config)
    st.caption(_("Items the user has not interacted with, best score first. \"because\": the "
                 "items of the user's history most like the recommended one, by the model's "
                 "item embeddings (popularity and item-kNN have none: by who else "
                 "interacted with both)."))
    return int(n)


def map_section(result) -> None:
    st.subheader(_("Learned tastes on a map"))
    frame = result.embeddings_2d()
    with st.container(key="embedding_map"):
        if frame.empty:
            st.info(_("This model has no embeddings to draw: popularity and item-kNN score "
                      "items from counts of interactions."))
        else:
            st.plotly_chart(present.chart(figures.embedding_map(frame, text=fig_text())),
                            width="stretch")


def downloads(run, n: int) -> None:
    st.subheader(_("Downloads"))
    result, lang = run.result, current_lang()
    names = {"id": run.id, "model": run.model_name}
    files = [
        ("download_top_n_csv", _("Top-N recommendations (CSV)"),
         lambda: export.top_n_csv(result, n, lang), _("run{id}_{model}_top{n}.csv", n=n, **names),
         "text/csv"),
        ("download_top_n_xlsx", _("Top-N for every user (Excel)"),
         lambda: export.top_n_xlsx(result, n, lang),
         _("run{id}_{model}_top{n}_all_users.xlsx", n=n, **names), XLSX_MIME),
        ("download_model", _("Trained model + config (.pt)"), result.model_file,
         _("run{id}_{model}.pt", **names), "application/octet-stream"),
        ("download_code", _("Python script that repeats this run (.py)"),
         lambda: script_of(result).encode("utf-8"), _("run{id}_{model}.py", **names),
         "text/x-python"),
    ]
    with st.container(horizontal=True):
        for key, label, data, name, mime in files:
            st.download_button(label, data, file_name=name, mime=mime, key=key,
                               on_click="ignore", icon=":material/download:")
    st.caption(_("The model file is read back by recsys_core.ranking.commands."
                 "load_ranking_model (weights only, never code)."))
    if RANKING_MODELS[result.model_name].gradient:
        st.caption(_("The script needs only torch, numpy and pandas: it rebuilds the interactions, "
                     "the held-out items, the model and every epoch's negatives from the run's "
                     "seed, trains the same epochs and prints HR@{k} and NDCG@{k}; its scores are "
                     "this run's to about 4 decimals.", k=K))
    else:  # ALS, popularity, item-kNN: nothing is sampled
        st.caption(_("The script needs only torch, numpy and pandas: it rebuilds the interactions, "
                     "the held-out items and the model from the run's seed, fits it as the run "
                     "did and prints HR@{k} and NDCG@{k}; its scores are this run's to about 4 "
                     "decimals.", k=K))


def script_of(result) -> str:
    """The standalone script of a ranking run (made when the download is pressed: with the
    data written into it, it can be megabytes)."""
    return ranking_script(result.data, result.model_name, result.model_config,
                          result.train_config, epochs=result.epochs_run, k=K, negatives=NEGATIVES)


def page(s: MutableMapping, run) -> None:
    result = run.result
    if not result.history:
        st.info(_("This run has no finished epoch yet."))
        return
    metrics_section(result)
    heatmap_section(result)
    n = top_n_section(s, run)
    map_section(result)
    try_it_section(s, run, n)
    downloads(run, n)


def try_it_section(s: MutableMapping, run, n: int) -> None:
    """Try it yourself (ui/ranking_try_it.py), in a panel made only while it is open."""
    panel = st.expander(_("Try it yourself: your own recommendations"), key="try_it_panel",
                        icon=":material/person_add:", on_change="rerun")
    if panel.open:
        with panel:
            ranking_try_it.panel(s, run, n)


# ----- Compare ------------------------------------------------------------------------------------
COLUMNS = {"run": N_("run"), "model": N_("model"), "hr": N_("HR@10, sampled"),
           "ndcg": N_("NDCG@10, sampled"), "hr_full": N_("HR@10, full ranking"),
           "ndcg_full": N_("NDCG@10, full ranking"), "epochs": N_("epochs"),
           "seconds": N_("seconds"), "status": N_("status"), "data": N_("data"),
           "hyperparameters": N_("hyperparameters")}


def compare_section(runs) -> None:
    """The ranking runs in one table, best first by HR@10 then NDCG@10, and their curves."""
    st.header(_("Ranking runs (interactions)"))
    table = runs_table(runs)
    by_id = {r.name: r for r in runs}
    table["model"] = [model_title(by_id[name].model_name, task="ranking") for name in table["run"]]
    table["data"] = [data_title(by_id[name].data_name) for name in table["run"]]
    table["status"] = [status_words(by_id[name].status) for name in table["run"]]
    table["run"] = [run_name(by_id[name]) for name in table["run"]]
    config = {c: st.column_config.Column(_(words)) for c, words in COLUMNS.items()}
    config.update({c: st.column_config.NumberColumn(_(COLUMNS[c]), format="%.3f")
                   for c in ("hr", "ndcg", "hr_full", "ndcg_full")})
    config["hyperparameters"] = st.column_config.TextColumn(_("hyperparameters"), width="large")
    st.dataframe(table, hide_index=True, key="ranking_runs_table", column_config=config,
                 column_order=list(COLUMNS))
    st.caption(_("Best first by HR@10 on 99 sampled items, then NDCG@10. The full-ranking "
                 "columns rank each held-out item among every item the user has not "
                 "interacted with; where they order the runs otherwise, trust them (Krichene "
                 "and Rendle, KDD 2020)."))
    histories = {run_name(r): r.result.history for r in runs if r.result is not None}
    with st.container(key="ranking_curves"):
        st.plotly_chart(present.chart(figures.ranking_curves(histories, text=fig_text())),
                        width="stretch")
