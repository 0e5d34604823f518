"""The command line is a contract: JSON on stdout, files in --out, exit 2 on bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.tolerance import assert_rounds_to

ROOT = Path(__file__).resolve().parent.parent
SOLO = ROOT / "data" / "solo.csv"


def cli(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "recsys_core", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=240)


def test_fit_prints_json_and_writes_four_files(tmp_path):
    done = cli("fit", SOLO, "--model", "mf", "--epochs", "50", "--seed", "1", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    for key in ("model", "n_users", "n_items", "n_ratings", "epochs_run", "train_rmse",
                "val_rmse", "truth_rmse", "seconds"):
        assert key in summary
    assert (summary["n_users"], summary["n_items"], summary["n_ratings"]) == (9, 8, 63)
    assert summary["epochs_run"] == 50 and summary["truth_rmse"] is None
    assert any("보람(ES)" in w for w in summary["warnings"])
    completed = pd.read_csv(tmp_path / "completed.csv", index_col=0, encoding="utf-8-sig")
    assert completed.shape == (9, 8) and not completed.isna().any().any()
    assert list(completed.index)[0] == "옥순(IN)"
    predictions = pd.read_csv(tmp_path / "predictions.csv", encoding="utf-8-sig")
    assert list(predictions.columns[:4]) == ["user", "item", "rating", "prediction"]
    assert len(predictions) == 72 and predictions["rating"].isna().sum() == 9
    assert (tmp_path / "model.pt").stat().st_size > 0
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert config["model"] == "mf" and config["train_config"]["epochs"] == 50


def test_fit_lecture_preset_reproduces_the_lecture(tmp_path):
    done = cli("fit", SOLO, "--preset", "lecture-mf", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    predictions = pd.read_csv(tmp_path / "predictions.csv", encoding="utf-8-sig")
    observed = predictions.dropna(subset=["rating"])["prediction"].to_numpy()
    assert_rounds_to(observed[[0, 4]], [4.1083, 0.9388], 4)  # stable: see test_presets


def test_fit_with_truth_scores_the_missing_cells(tmp_path):
    from tests.conftest import two_group_matrix

    data = two_group_matrix()
    data.to_matrix().to_csv(tmp_path / "shown.csv")
    pd.DataFrame(data.truth, index=data.users, columns=data.items).to_csv(tmp_path / "truth.csv")
    done = cli("fit", tmp_path / "shown.csv", "--truth", tmp_path / "truth.csv",
               "--rating-range", "0,5", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["truth_rmse"] < 1.0


def test_evaluate_prints_folds_and_means():
    done = cli("evaluate", SOLO, "--model", "baseline", "--folds", "3", "--seed", "0",
               "--epochs", "30")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["model"] == "baseline" and len(out["folds"]) == 3
    assert set(out["folds"][0]) >= {"rmse", "mae", "fit_seconds"}
    assert out["rmse"] == pytest.approx(sum(f["rmse"] for f in out["folds"]) / 3)
    assert out["fit_seconds"] == pytest.approx(sum(f["fit_seconds"] for f in out["folds"]))


@pytest.mark.parametrize("args, words", [
    (["fit", "missing-file.csv", "--out", "x"], "missing-file.csv"),
    (["fit", SOLO, "--epochs", "0", "--out", "x"], "--epochs"),
    (["fit", SOLO, "--batch-size", "lots", "--out", "x"], "--batch-size"),
    (["fit", SOLO, "--rating-range", "5,1", "--out", "x"], "lowest"),
    (["fit", SOLO, "--rating-range", "1,4", "--out", "x"], "outside the scale"),
    (["fit", SOLO, "--model", "baseline", "--dim", "3", "--out", "x"], "--dim"),
    (["fit", SOLO, "--model", "nn", "--solver", "als", "--out", "x"], "--solver"),
    (["evaluate", SOLO, "--folds", "1000"], "--folds"),
    (["fit", SOLO, "--auto", "--preset", "lecture-mf", "--out", "x"], "--preset"),
    (["evaluate", SOLO, "--auto", "--dim", "4", "--weight-decay", "0.1"], "--auto chooses"),
])
def test_bad_input_exits_2_with_one_clear_message(args, words, tmp_path):
    done = cli(*args, cwd=tmp_path) if "missing" in str(args[1]) else cli(*args)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_non_numeric_rating_is_reported_with_its_place(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("user,item,rating\na,x,4\nb,y,4점\n", encoding="utf-8")
    done = cli("fit", bad, "--out", tmp_path / "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "4점" in done.stderr and "3" in done.stderr


@pytest.mark.parametrize(("policy", "expected"), [("mean", 3.0), ("first", 2.0), ("last", 4.0)])
def test_duplicates_policy_on_the_command_line(tmp_path, policy, expected):
    """Issue 13: the app's choice for a pair rated twice, on the command line too."""
    rows = "user,item,rating\na,x,2\nb,x,5\na,y,1\na,x,4\nb,y,3\n"
    (tmp_path / "twice.csv").write_text(rows, encoding="utf-8")
    refused = cli("fit", tmp_path / "twice.csv", "--model", "baseline", "--epochs", "2",
                  "--out", tmp_path / "refused")
    assert refused.returncode == 2
    assert "rated more than once" in refused.stderr and "--duplicates" in refused.stderr
    done = cli("fit", tmp_path / "twice.csv", "--model", "baseline", "--epochs", "2",
               "--duplicates", policy, "--val-frac", "0", "--out", tmp_path / policy)
    assert done.returncode == 0, done.stderr
    predictions = pd.read_csv(tmp_path / policy / "predictions.csv", encoding="utf-8-sig")
    kept = predictions[(predictions.user == "a") & (predictions.item == "x")]["rating"]
    assert kept.tolist() == [expected]


def test_fit_with_the_als_solver(tmp_path):
    done = cli("fit", SOLO, "--solver", "als", "--epochs", "20", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["model_config"]["solver"] == "als" and summary["epochs_run"] == 20
    assert summary["train_rmse"] < 0.8  # it learnt: the ratings' spread is about 1.4


def test_fit_with_auto_says_what_it_chose(tmp_path):
    done = cli("fit", SOLO, "--auto", "--epochs", "60", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    chosen = summary["auto"]
    assert chosen["trials"] >= 2 and chosen["seconds"] > 0
    assert summary["model_config"]["dim"] == chosen["dim"]
    assert summary["train_config"]["weight_decay"] == chosen["weight_decay"]
    # the final run is the winning trial again: same settings, split and seed
    assert summary["val_rmse"] == pytest.approx(chosen["val_rmse"], rel=1e-4)


def test_evaluate_with_auto_chooses_in_every_fold_and_keeps_a_given_dim():
    done = cli("evaluate", SOLO, "--auto", "--dim", "2", "--folds", "3", "--epochs", "40")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [fold["auto"]["dim"] for fold in out["folds"]] == [2, 2, 2]
