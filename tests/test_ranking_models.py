"""Issue 14, models: every ranking model of the registry trains on clicks with known tastes,
learns them, saves and loads; the registry keeps the two tasks apart; the command line's
contract (exact keys, files, exit 2 with one line)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from recsys_core.data.synthetic import generate_clicks
from recsys_core.models import MODELS, RANKING_MODELS, TASKS, models_for
from recsys_core.ranking.commands import KEYS, fit_and_score, load_ranking_model, save_ranking_model
from recsys_core.ranking.metrics import evaluate
from recsys_core.ranking.split import leave_one_out
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer

ROOT = Path(__file__).resolve().parent.parent
NAMES = list(RANKING_MODELS)
NEGATIVES = 30  # a model that knows nothing gets HR@10 = 10 / 31 = 0.32


@pytest.fixture(scope="module")
def clicks():
    data, user_groups, item_groups = generate_clicks(n_users=150, n_items=80, n_groups=3,
                                                     clicks_per_user=12, taste=0.95, seed=2)
    return data, leave_one_out(data, seed=0), user_groups, item_groups


def small_train(name: str) -> RankingTrainConfig:
    return dataclasses.replace(RankingTrainConfig(), **{
        **RANKING_MODELS[name].train_defaults, "epochs": 15, "batch_size": 256, "lr": 0.01,
        "seed": 1})


@pytest.fixture(scope="module")
def trained(clicks):
    _, split, _, _ = clicks
    return {name: RankingTrainer(split, name, None, small_train(name)).fit() for name in NAMES}


def test_the_registry_keeps_the_tasks_apart():
    assert set(TASKS) == {"ratings", "ranking"} and models_for("ranking") is RANKING_MODELS
    assert all(spec.task == "ratings" for spec in MODELS.values())
    assert all(spec.task == "ranking" for spec in RANKING_MODELS.values())
    assert {"gmf", "mlp", "neumf", "bpr", "als", "popularity", "itemknn"} == set(RANKING_MODELS)
    with pytest.raises(ValueError):
        models_for("clicks")
    with pytest.raises(ValueError, match="not a ranking model"):
        RankingTrainer(None, "mf")  # a rating model's name is refused by the ranking trainer


@pytest.mark.parametrize("name", NAMES)
def test_each_spec_describes_its_model(name):
    spec = RANKING_MODELS[name]
    assert spec.name == name == spec.module_cls.name and spec.title and spec.description
    assert dataclasses.is_dataclass(spec.config_cls) and spec.loss in ("log", "bpr", "als", None)
    fields = {f.name for f in dataclasses.fields(RankingTrainConfig)}
    assert set(spec.train_defaults) <= fields and set(spec.training_settings) <= fields
    assert "seed" in spec.training_settings  # the split's seed counts for every model


@pytest.mark.parametrize("name", NAMES)
def test_each_model_learns_the_tastes(clicks, trained, name):
    _, split, user_groups, item_groups = clicks
    trainer = trained[name]
    losses = [r.loss for r in trainer.history]
    if RANKING_MODELS[name].loss is None:
        assert losses == [None]
    else:
        assert len(losses) == 15 and losses[-1] < 0.8 * losses[0], losses
    scores = evaluate(trainer.score_pairs, trainer.score_rows, split, 10, NEGATIVES, seed=0)
    floor = 0.4 if name == "popularity" else 0.6
    assert scores.hr > floor and scores.ndcg > 0.5 * floor, scores.as_dict()
    if name != "popularity":  # a personal model puts each user's own group on top
        rows = trainer.score_rows(np.arange(split.data.n_users))
        top = np.argsort(-rows, axis=1)[:, :5]
        own = (item_groups[top] == user_groups[:, None]).mean()
        assert own > 0.8, own


@pytest.mark.parametrize("name", NAMES)
def test_pairs_and_rows_score_alike(clicks, trained, name):
    _, split, _, _ = clicks
    trainer = trained[name]
    users = np.array([0, 7, 7, 149])
    items = np.array([3, 0, 79, 11])
    rows = trainer.score_rows(np.unique(users))
    by_rows = rows[np.searchsorted(np.unique(users), users), items]
    assert trainer.score_pairs(users, items) == pytest.approx(by_rows, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_a_saved_model_loads_and_scores_the_same(clicks, trained, name, tmp_path):
    data, _, _, _ = clicks
    trainer = trained[name]
    save_ranking_model(trainer, data, tmp_path / "model.pt")
    model, payload = load_ranking_model(tmp_path / "model.pt")
    assert payload["task"] == "ranking" and payload["model_name"] == name
    users = torch.arange(data.n_users)
    assert torch.allclose(model.score_rows(users).float(),
                          trainer.model.score_rows(users).float(), atol=1e-6)


def test_the_same_seed_gives_the_same_run_and_another_seed_another(clicks):
    _, split, _, _ = clicks
    train = small_train("gmf")
    runs = [RankingTrainer(split, "gmf", None, dataclasses.replace(train, epochs=2, seed=s)).fit()
            for s in (5, 5, 6)]
    losses = [[r.loss for r in run.history] for run in runs]
    assert losses[0] == losses[1] and losses[0] != losses[2]


def test_negatives_per_positive_is_a_setting(clicks):
    """BPR trains a pair per positive and negative: 1 or 4 negatives, 1x or 4x the pairs."""
    _, split, _, _ = clicks
    for per in (1, 4):
        trainer = RankingTrainer(split, "bpr", None,
                                 dataclasses.replace(small_train("bpr"), negatives=per, epochs=1))
        seen = []
        original = trainer._loss
        trainer._loss = lambda *batch, seen=seen, original=original: (
            seen.append(batch[0].numel()) or original(*batch))
        trainer.fit()
        assert sum(seen) == per * split.n_train


def test_neumf_starts_from_trained_gmf_and_mlp(clicks):
    """The paper's pretraining: at the start NeuMF's logit is alpha * GMF's + (1 - alpha) *
    MLP's, with both of them trained first."""
    from recsys_core.models.ranking.neumf import RankNeuMFConfig

    _, split, _, _ = clicks
    config = RankNeuMFConfig(dim=4, mlp_dim=8, hidden=(8, 4), pretrain=True, alpha=0.3)
    trainer = RankingTrainer(split, "neumf", config, dataclasses.replace(small_train("neumf"),
                                                                         epochs=2))
    captured = {}

    def fit_other(name, cfg):
        captured[name] = trainer._fit_other(name, cfg)
        return captured[name]

    trainer.spec.prepare(trainer.model, trainer.train, fit_other)
    assert set(captured) == {"gmf", "mlp"}
    users, items = torch.tensor([0, 1, 2]), torch.tensor([4, 5, 6])
    with torch.no_grad():
        expected = 0.3 * captured["gmf"](users, items) + 0.7 * captured["mlp"](users, items)
        assert torch.allclose(trainer.model(users, items), expected, atol=1e-6)
    trainer.fit()  # then trained on: prepare ran once more inside, from fresh GMF and MLP runs
    assert trainer.epochs_run == 2


def test_fit_and_score_gives_exactly_the_keys(clicks):
    data, _, _, _ = clicks
    summary, trainer, split = fit_and_score(data, "popularity", None,
                                            RankingTrainConfig(), k=10, negatives=20, seed=0)
    assert tuple(summary) == KEYS and summary["task"] == "ranking"
    assert (summary["n_users"], summary["n_items"], summary["n_interactions"]) == (150, 80, 1800)
    assert 0 <= summary["hr_full"] <= summary["hr"] <= 1


# ----- the command line ---------------------------------------------------------------------------
def cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "recsys_core", *map(str, args)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def log_file(clicks, tmp_path_factory):
    data = clicks[0]
    path = tmp_path_factory.mktemp("log") / "u.data"
    frame = data.to_long().assign(rating=4, timestamp=data.timestamps.astype(np.int64))
    frame[["user", "item", "rating", "timestamp"]].to_csv(path, sep="\t", header=False,
                                                          index=False)
    return path


def test_cli_evaluate_prints_exactly_the_keys(log_file):
    done = cli("evaluate", log_file, "--task", "ranking", "--model", "itemknn", "--k", "10",
               "--negatives", "99", "--seed", "0")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert tuple(summary) == KEYS
    assert summary["model"] == "itemknn" and summary["n_interactions"] == 1800
    assert summary["hr"] > 0.5 and summary["fit_seconds"] > 0


def test_cli_fits_the_torch_engines_als_with_spark_als_options(log_file, tmp_path):
    """--reg and --alpha, Spark ALS's options, set the torch ALS's λ and α; no Spark needed."""
    done = cli("fit", log_file, "--task", "ranking", "--model", "als", "--alpha", "4",
               "--reg", "2", "--epochs", "3", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert tuple(summary) == KEYS and summary["model"] == "als" and summary["hr"] > 0.5
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert config["model_config"]["alpha"] == 4 and config["model_config"]["regularization"] == 2
    assert config["train_config"]["epochs"] == 3
    refused = cli("evaluate", log_file, "--task", "ranking", "--model", "bpr", "--alpha", "4")
    assert refused.returncode == 2 and "--alpha applies only to ALS" in refused.stderr


def test_cli_fit_writes_top_n_model_and_config(log_file, tmp_path):
    done = cli("fit", log_file, "--task", "ranking", "--model", "bpr", "--epochs", "2",
               "--out", tmp_path, "--n", "5")
    assert done.returncode == 0, done.stderr
    assert tuple(json.loads(done.stdout)) == KEYS
    top = pd.read_csv(tmp_path / "top_n.csv", encoding="utf-8-sig", dtype={"user": str})
    assert list(top.columns) == ["user", "rank", "item", "score"]
    assert len(top) == 150 * 5 and top.groupby("user")["rank"].apply(list).map(
        lambda r: r == [1, 2, 3, 4, 5]).all()
    log = pd.read_csv(log_file, sep="\t", header=None, dtype=str)
    known = set(zip(log[0], log[1]))
    assert not any((u, i) in known for u, i in zip(top["user"], top["item"]))
    assert (top.groupby("user")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert config["model"] == "bpr" and config["train_config"]["epochs"] == 2
    model, _ = load_ranking_model(tmp_path / "model.pt")
    assert model.name == "bpr"


@pytest.mark.parametrize("args, says", [
    (["--model", "mf"], "not a ranking model"),
    (["--model", "popularity", "--k", "0"], "--k"),
    (["--model", "popularity", "--negatives", "0"], "--negatives"),
    (["--model", "popularity", "--dim", "4"], "--dim does not apply"),
    (["--model", "gmf", "--train-negatives", "0"], "--train-negatives"),
    (["--model", "popularity", "--like-threshold", "9"], "No rating reaches the threshold 9"),
    (["--model", "popularity", "--folds", "5"], "--folds applies to the ratings task"),
    (["--model", "popularity", "--engine", "spark"], "--model popularity is a torch model"),
])
def test_cli_bad_input_exits_2_with_one_line(log_file, args, says):
    done = cli("evaluate", log_file, "--task", "ranking", *args)
    assert done.returncode == 2 and done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], done.stderr


def test_cli_refuses_a_ranking_model_for_ratings():
    done = cli("evaluate", ROOT / "data" / "solo.csv", "--model", "bpr")
    assert done.returncode == 2 and "--task ranking" in done.stderr


def test_hr_at_10_every_epoch_ends_at_the_final_evaluation(clicks):
    """The live chart's HR@10 / NDCG@10: one value an epoch, the last one the evaluation's."""
    from recsys_core.ranking.metrics import sampled_monitor

    _, split, _, _ = clicks
    trainer = RankingTrainer(split, "gmf", None, dataclasses.replace(small_train("gmf"), epochs=3),
                             monitor=sampled_monitor(split, 10, NEGATIVES, seed=4))
    trainer.fit()
    assert [r.epoch for r in trainer.history] == [1, 2, 3]
    assert all(0 <= r.hr <= 1 and 0 <= r.ndcg <= r.hr for r in trainer.history)
    final = evaluate(trainer.score_pairs, trainer.score_rows, split, 10, NEGATIVES, seed=4)
    assert trainer.history[-1].hr == pytest.approx(final.hr, abs=1e-9)
    assert trainer.history[-1].ndcg == pytest.approx(final.ndcg, abs=1e-9)


def test_training_continues_where_it_stopped(clicks):
    _, split, _, _ = clicks
    train = dataclasses.replace(small_train("bpr"), epochs=4)
    whole = RankingTrainer(split, "bpr", None, train).fit()
    halves = RankingTrainer(split, "bpr", None, train)
    halves.fit(2)
    halves.fit(2)
    assert halves.epochs_run == 4
    assert [r.loss for r in halves.history] == pytest.approx([r.loss for r in whole.history])
    closed = RankingTrainer(split, "popularity", None, train)
    closed.fit()
    closed.fit()
    assert closed.epochs_run == 1  # computed once; nothing to continue


def test_movielens_sample_as_interactions_has_titles():
    from recsys_core.data.samples import load_sample_interactions

    data = load_sample_interactions("movielens")
    assert data.n_interactions == 100836 and "Toy Story (1995)" in data.items
    assert data.source.startswith("MovieLens") and data.timestamps is not None
