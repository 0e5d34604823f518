"""Issue 14, exported code: for every ranking model of the registry, the script
``ranking_script`` writes runs in a fresh Python without this library and scores every
(user, item) pair as the library-trained model does, to 1e-4 (float32: CPUs differ in the
last bits), with the same HR@10 and NDCG@10."""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from recsys_core.data.samples import load_sample_interactions
from recsys_core.data.synthetic import generate_clicks
from recsys_core.models import RANKING_MODELS
from recsys_core.ranking.data import Interactions
from recsys_core.ranking.metrics import evaluate
from recsys_core.ranking.split import leave_one_out
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer
from recsys_core.results.codegen import ranking_script

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-4
EPOCHS = 3


@pytest.fixture(scope="module")
def clicks() -> Interactions:
    data, _, _ = generate_clicks(n_users=40, n_items=30, clicks_per_user=8, seed=2)
    return data


def short_train(name: str, **changes) -> RankingTrainConfig:
    """A few epochs in small batches with L2, so every part of the loop runs."""
    return dataclasses.replace(RankingTrainConfig(), **{
        **RANKING_MODELS[name].train_defaults, "epochs": EPOCHS, "batch_size": 64,
        "weight_decay": 0.001, "seed": 5, **changes})


def run_exported(code: str, folder: Path) -> tuple[np.ndarray, str]:
    """Run the script as a user would (no library on the path); its scores and output."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "data").exists():
        (folder / "data").symlink_to(ROOT / "data")
    out = folder / "scores.npy"
    (folder / "train.py").write_text(
        code + f"\nnp.save({str(out)!r}, scores.double().numpy())\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "train.py"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return np.load(out), done.stdout


def assert_reproduces(data: Interactions, name: str, config, train: RankingTrainConfig,
                      folder: Path) -> str:
    split = leave_one_out(data, train.seed)
    trainer = RankingTrainer(split, name, config, train).fit()
    code = ranking_script(data, name, config, train, EPOCHS)
    tree = ast.parse(code)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    assert imported == {"numpy", "pandas", "torch"}
    assert not any(isinstance(node, ast.ImportFrom) for node in ast.walk(tree))
    theirs, printed = run_exported(code, folder)
    ours = trainer.score_rows(np.arange(data.n_users))
    assert theirs.shape == ours.shape
    assert np.abs(theirs - ours).max() < TOLERANCE, np.abs(theirs - ours).max()
    scores = evaluate(trainer.score_pairs, trainer.score_rows, split, 10, 99, train.seed)
    table = printed.splitlines()[-2:]  # HR@10 and NDCG@10 rows: sampled, full
    assert [float(x) for x in table[0].split()[1:]] == pytest.approx(
        [scores.hr, scores.hr_full], abs=1e-4)
    assert [float(x) for x in table[1].split()[1:]] == pytest.approx(
        [scores.ndcg, scores.ndcg_full], abs=1e-4)
    return code


@pytest.mark.parametrize("name", list(RANKING_MODELS))
def test_every_ranking_model_exports_a_script_that_reproduces_it(clicks, name, tmp_path):
    assert RANKING_MODELS[name].code is not None, "a ranking model writes its own code"
    code = assert_reproduces(clicks, name, None, short_train(name), tmp_path)
    if RANKING_MODELS[name].loss is None:
        assert "def train(" not in code  # computed, not trained
    elif not RANKING_MODELS[name].gradient:  # ALS: the library's solver, copied in
        assert "def solve_side(" in code and "net.sweep(train_users, train_items)" in code
        assert "def draw_negatives(" not in code  # nothing is sampled
    else:
        assert "np.random.default_rng([3, seed])" in code and "def draw_negatives(" in code


def test_neumf_pretraining_is_repeated(clicks, tmp_path):
    config = dataclasses.replace(RANKING_MODELS["neumf"].config_cls(), pretrain=True, alpha=0.3)
    code = assert_reproduces(clicks, "neumf", config, short_train("neumf", optimizer="sgd",
                                                                  lr=0.05), tmp_path)
    assert "class GMF(" in code and "class MLP(" in code and "net.start_from(" in code


def test_data_without_times_is_held_out_by_the_seeded_draw(clicks, tmp_path):
    untimed = dataclasses.replace(clicks, timestamps=None)
    code = assert_reproduces(untimed, "bpr", None, short_train("bpr", negatives=2), tmp_path)
    assert "timestamps" not in code


def test_movielens_is_read_from_the_data_folder(tmp_path):
    data = load_sample_interactions("movielens")
    code = assert_reproduces(data, "popularity", None, short_train("popularity"), tmp_path)
    assert "pd.read_csv('data/ml-latest-small/ratings.csv'" in code
    assert len(code) < 10_000  # the interactions are read, not written in
