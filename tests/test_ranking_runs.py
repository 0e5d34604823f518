"""The ranking task through the one run service, and what the app reads of a ranking run:
pause and go on, the result's scores, top-N and "because", the map, the files, the figures."""

from __future__ import annotations

import copy
import io

import numpy as np
import pandas as pd
import pytest
import torch

from recsys_core.data.samples import load_sample
from recsys_core.data.synthetic import generate_clicks
from recsys_core.models import RANKING_MODELS
from recsys_core.ranking.commands import load_ranking_model, top_n_indices
from recsys_core.ranking.export import top_n_csv, top_n_xlsx
from recsys_core.ranking.metrics import evaluate
from recsys_core.ranking.results import runs_table
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer, suggested_train
from recsys_core.results import figures
from recsys_core.training.run_service import RunService, Setup
from recsys_core.training.trainer import TrainConfig


@pytest.fixture(scope="module")
def clicks():
    return generate_clicks(60, 30, 3, 8, seed=1)[0]


def setup_for(data, model="gmf", epochs=3, rev=1, **train):
    config = RankingTrainConfig(**{**vars(suggested_train(data, model)), "epochs": epochs,
                                   **train})
    return Setup(model, RANKING_MODELS[model].config_cls(), config, data, data_rev=rev,
                 data_name="clicks", task="ranking")


@pytest.fixture(scope="module")
def trained(clicks):
    trainer = RankingTrainer.on_data(clicks, "gmf", None, setup_for(clicks).train_config)
    return trainer.fit().result()


# ----- the run service ------------------------------------------------------------------------
def test_a_ranking_run_trains_goes_on_and_reports_hr_each_epoch(clicks):
    service = RunService({})
    seen = []
    service.press_train(setup_for(clicks), observer=lambda p: seen.append(p))
    run = service.current
    assert run.task == "ranking" and run.name == "#1 GMF"
    assert [p.done for p in seen] == [0.0, 1, 2, 3]
    assert all(0 <= p.report.hr <= 1 for p in seen[1:])
    assert service.press_train(setup_for(clicks), epochs=2).did == "went_on"
    service.press_step(setup_for(clicks))
    assert run.result.epochs_run == 6 and len(service.runs) == 1
    assert service.press_train(setup_for(clicks, lr=0.02), epochs=1).did == "new"


def test_pause_keeps_the_epochs_done_and_training_goes_on_from_there(clicks):
    service = RunService({})

    def pause_after_two(progress):
        if progress.report is not None and progress.report.epoch == 2:
            service.pause()

    service.press_train(setup_for(clicks, epochs=6), observer=pause_after_two)
    run = service.current
    assert run.status == "stopped" and run.result.epochs_run == 2
    assert service.press_train(setup_for(clicks, epochs=6), epochs=1).did == "went_on"
    assert run.result.epochs_run == 3 and run.status == "completed"


def test_a_ranking_run_is_the_same_as_an_uninterrupted_one(clicks):
    """Pause and go on changes nothing: the same seed, the same numbers."""
    service = RunService({})
    service.press_train(setup_for(clicks, epochs=2))
    service.press_train(setup_for(clicks, epochs=2))
    straight = RankingTrainer.on_data(clicks, "gmf", None, setup_for(clicks, epochs=4).train_config)
    straight.fit()
    assert [e.hr for e in service.current.result.history] == [e.hr for e in straight.history]


def test_switching_task_starts_a_new_run_and_says_why(clicks):
    service = RunService({})
    service.press_train(setup_for(clicks, epochs=1))
    ratings = load_sample("solo")
    rating_setup = Setup("gmf", RANKING_MODELS["gmf"].config_cls, TrainConfig(epochs=1),
                         ratings, data_rev=1)
    plan = service.plan(rating_setup)
    assert not plan.goes_on and [c.what for c in plan.changes] == ["task"]
    assert not plan.warm


def test_the_service_refuses_a_ranking_run_over_the_limits(clicks, monkeypatch):
    from recsys_core import limits
    from recsys_core.training.run_service import Refused

    monkeypatch.setattr(limits, "LIMITS", limits.Limits(max_ratings=100))
    with pytest.raises(Refused):
        RunService({}).press_train(setup_for(clicks))


def test_small_data_trains_in_small_batches(clicks):
    assert suggested_train(clicks, "neumf").batch_size == 256
    big = copy.copy(clicks)
    big.user_idx = np.zeros(30_000, dtype=np.int64)  # only its size is read
    assert suggested_train(big, "neumf").batch_size == 4096
    assert suggested_train(clicks, "popularity").epochs == 1  # computed once


# ----- the result -------------------------------------------------------------------------------
def test_scores_are_the_evaluation_of_the_cli(trained):
    model = trained.model
    expected = evaluate(lambda u, i: model(torch.as_tensor(u), torch.as_tensor(i)).detach().numpy(),
                        lambda u: model.score_rows(torch.as_tensor(u)).detach().numpy(),
                        trained.split, 10, 99, trained.split.seed)
    assert trained.scores().as_dict() == pytest.approx(expected.as_dict())
    assert trained.history[-1].hr == pytest.approx(trained.scores().hr)  # the live chart's


def test_top_n_skips_known_items_and_matches_a_brute_force_ranking(trained):
    data = trained.data
    users, ranks, items, scores = top_n_indices(trained.model, data, 5)
    known = set(zip(data.user_idx.tolist(), data.item_idx.tolist()))
    assert not {(u, i) for u, i in zip(users.tolist(), items.tolist())} & known
    with torch.no_grad():
        row = trained.model.score_rows(torch.as_tensor([3])).double().numpy()[0]
    row[[i for u, i in known if u == 3]] = -np.inf
    assert items[users == 3].tolist() == np.argsort(-row, kind="stable")[:5].tolist()
    assert ranks[users == 3].tolist() == [1, 2, 3, 4, 5]


def test_because_names_items_of_the_users_own_history(trained):
    table = trained.top_n(3)
    history = pd.DataFrame({"user": np.asarray(trained.data.users)[trained.split.train_pairs()[0]],
                            "item": np.asarray(trained.data.items)[trained.split.train_pairs()[1]]})
    for user, because in zip(table["user"], table["because"]):
        named = because.split(", ")
        assert 1 <= len(named) <= 2
        assert set(named) <= set(history["item"][history["user"] == user])


@pytest.mark.parametrize("name", ["popularity", "itemknn"])
def test_models_without_embeddings_explain_by_clicks_and_draw_no_map(clicks, name):
    result = RankingTrainer.on_data(clicks, name).fit().result()
    assert result.embeddings_2d().empty
    assert result.top_n(2)["because"].str.len().gt(0).all()
    copy.deepcopy(result.model)  # item-kNN's sparse cache is left behind


def test_the_map_has_every_user_and_item(trained):
    frame = trained.embeddings_2d()
    assert list(frame["kind"]).count("user") == trained.data.n_users
    assert list(frame["kind"]).count("item") == trained.data.n_items
    assert frame["ratings"].sum() == 2 * trained.data.n_interactions


def test_the_model_file_opens_with_the_cli_loader_and_scores_the_same(trained):
    model, payload = load_ranking_model(io.BytesIO(trained.model_file()))
    assert payload["model_name"] == "gmf" and payload["users"] == trained.data.users
    users = torch.arange(5)
    assert torch.allclose(model.score_rows(users), trained.model.score_rows(users))


def test_top_n_files_have_headers_in_the_language_and_safe_labels(trained):
    trained.data.items[0] = "=cmd()"
    try:
        text = top_n_csv(trained, 3, "ko").decode("utf-8-sig")
        assert text.splitlines()[0] == "사용자,순위,항목,점수,이유"
        cells = pd.read_csv(io.StringIO(text), dtype=str).to_numpy().ravel()
        assert "'=cmd()" in cells or any(c.startswith("'=cmd()") for c in cells)
        assert not [c for c in cells if c.startswith("=")]  # no cell opens as a formula
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(top_n_xlsx(trained, 3)))
        sheet = book.active
        assert [c.value for c in sheet[1]] == ["user", "rank", "item", "score", "because"]
        assert sheet.max_row == 1 + 3 * trained.data.n_users
    finally:
        trained.data.items[0] = "item 1"


def test_the_runs_table_is_ordered_by_hr_then_ndcg(clicks):
    service = RunService({})
    for model in ("popularity", "gmf", "itemknn"):
        service.press_train(setup_for(clicks, model))
    table = runs_table(service.runs)
    assert list(table["hr"]) == sorted(table["hr"], reverse=True)
    assert set(table["model"]) == {"popularity", "gmf", "itemknn"}
    assert table[["hr_full", "ndcg_full"]].notna().all().all()


# ----- figures -----------------------------------------------------------------------------------
def test_the_curves_hold_the_loss_and_hr_at_10_of_every_epoch(trained):
    fig = figures.ranking_curves(trained.history)
    traces = {t.name: t for t in fig.data}
    assert list(traces) == ["training loss", "HR@10", "NDCG@10"]
    assert list(traces["HR@10"].y) == [e.hr for e in trained.history]
    assert traces["HR@10"].yaxis == "y2"
    empty = figures.ranking_curves([])
    assert empty.layout.annotations  # the "no epochs yet" note


def test_the_heatmap_marks_each_users_held_out_item(trained):
    fig = figures.ranking_heatmap(trained, max_rows=10, max_cols=12)
    stars = next(t for t in fig.data if t.name == "held out")
    split = trained.split
    assert fig.layout.meta["n_held_out"] == len(stars.x) == 10
    columns = fig.layout.xaxis.ticktext
    for row, col in zip(stars.y, stars.x):
        assert columns[col] == trained.data.items[split.test_items[row]]
    korean = figures.ranking_heatmap(trained, text=figures.words("ko"))
    assert "점수" in korean.layout.title.text
