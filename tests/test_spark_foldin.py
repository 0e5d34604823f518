"""Fold-in on Spark ALS runs (issue 15 on folders ``fit --engine spark --out`` wrote): the
newcomer's row solved from the saved model without Spark, as Spark's ALS solves a user's row.

The claims tested: a trained user's own training ratings, folded in, give back the row Spark
saved for them (explicit ALS with and without the biases removed first, implicit ALS), their
bias too, and the held-out predictions ``fit`` wrote; ``recommend DIR`` prints the exact JSON on
both tasks' folders and exits 2 in one line on bad input, with an example the run takes.
Tiny fits (a few hundred ratings) in the suite's one Spark session.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from recsys_core.cli import main
from recsys_core.recommend import recommend_from_folder
from recsys_core.spark.foldin import fold_in_als, read_saved_als
from recsys_core.training.foldin import FoldInError, fold_in
from tests.tolerance import assert_float32_close

pytestmark = pytest.mark.filterwarnings(  # pyspark's own check, on data it is never given
    "ignore:PySpark does not yet fully support pandas:FutureWarning")
ROOT = Path(__file__).resolve().parent.parent
QUICK = ["--engine", "spark", "--epochs", "3", "--dim", "4"]
LONELY = "lonely item"
"""An item clicked once, as one user's latest click: held out, so ALS has no vector for it."""


def _fit(*args) -> None:
    assert main(["fit", *(str(a) for a in args)]) == 0


@pytest.fixture(scope="module")
def ratings_file(tmp_path_factory):
    """400 ratings of 40 users x 25 items (scale 1 to 5)."""
    from recsys_core.data.synthetic import generate_long

    data = generate_long(400, 40, 25, seed=2)
    path = tmp_path_factory.mktemp("spark_foldin") / "ratings.csv"
    data.to_long().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def clicks_file(tmp_path_factory):
    """320 clicks of 40 users x 25 items, and one more: user 1's latest, on ``LONELY``."""
    from recsys_core.data.synthetic import generate_clicks

    frame = generate_clicks(n_users=40, n_items=25, clicks_per_user=8, seed=4)[0].to_long()
    lonely = {"user": "user 1", "item": LONELY, "timestamp": frame["timestamp"].max() + 1}
    frame = pd.concat([frame, pd.DataFrame([lonely])], ignore_index=True)
    path = tmp_path_factory.mktemp("spark_foldin_clicks") / "clicks.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def folders(spark, ratings_file, clicks_file, tmp_path_factory):
    """One folder a kind: ratings with biases (the default), without, and interactions."""
    root = tmp_path_factory.mktemp("spark_runs")
    _fit(ratings_file, *QUICK, "--rating-range", "1,5", "--out", root / "bias")
    _fit(ratings_file, *QUICK, "--rating-range", "1,5", "--bias", "off", "--out", root / "plain")
    _fit(clicks_file, "--task", "ranking", *QUICK, "--model", "als", "--out", root / "clicks")
    return {"bias": root / "bias", "plain": root / "plain", "clicks": root / "clicks"}


def _saved_users(folder) -> tuple[list[str], dict[str, np.ndarray]]:
    """The user labels and the row Spark saved for each, read straight from the files."""
    users = pq.read_table(folder / "ids" / "data").column("labelsArray")[0].as_py()[0]
    table = pq.read_table(folder / "als_model" / "userFactors").to_pydict()
    return users, {users[i]: np.asarray(f) for i, f in zip(table["id"], table["features"])}


def _training_ratings(folder, path) -> pd.DataFrame:
    """The file's ratings less the held-out ones ``fit`` wrote in predictions.parquet."""
    frame = pd.read_csv(path, dtype={"user": str, "item": str})
    held = pq.read_table(folder / "predictions.parquet").to_pandas()
    merged = frame.merge(held[["user", "item"]], on=["user", "item"], how="left", indicator=True)
    return frame[(merged["_merge"] == "left_only").to_numpy()]


def _training_clicks(path) -> pd.DataFrame:
    """The clicks less each user's latest (held out when they have two or more)."""
    frame = pd.read_csv(path, dtype={"user": str, "item": str})
    latest = frame.groupby("user")["timestamp"].transform("max") == frame["timestamp"]
    several = frame.groupby("user")["item"].transform("size") >= 2
    return frame[~(latest & several)]


@pytest.mark.parametrize("kind", ["bias", "plain"])
def test_a_users_own_ratings_give_back_sparks_row_bias_and_predictions(folders, ratings_file,
                                                                      kind):
    folder = folders[kind]
    run = read_saved_als(folder)
    users, rows = _saved_users(folder)
    train = _training_ratings(folder, ratings_file)
    held = pq.read_table(folder / "predictions.parquet").to_pandas()
    biases = (pq.read_table(folder / "biases" / "users.parquet").to_pandas()
              .set_index("user")["b_u"] if kind == "bias" else None)
    for user in users[:12]:
        mine = train[train["user"] == user]
        visitor = fold_in_als(run, list(zip(mine["item"], mine["rating"])))
        assert_float32_close(visitor.row, rows[user], err_msg=user)
        if biases is not None:
            assert_float32_close(visitor.bias, biases[user], err_msg=user)
        theirs = held[held["user"] == user]
        at = [run.position_of(item) for item in theirs["item"]]
        assert_float32_close(visitor.score[at], theirs["prediction"], err_msg=user)


def test_a_users_own_clicks_give_back_sparks_implicit_row(folders, clicks_file):
    folder = folders["clicks"]
    run = read_saved_als(folder)
    users, rows = _saved_users(folder)
    train = _training_clicks(clicks_file)
    for user in users[:12]:
        visitor = fold_in_als(run, [(item, 1) for item in train[train["user"] == user]["item"]])
        assert_float32_close(visitor.row, rows[user], err_msg=user)
        assert_float32_close(visitor.raw[run.has_vector], run.item_factors[run.has_vector]
                             @ rows[user].astype(np.float64), err_msg=user)


@pytest.mark.parametrize("kind, rated", [
    ("bias", ["item 1=4.5", "item 2=1", "item 3=3"]),
    ("plain", ["item 1=4.5", "item 2=1"]),
    ("clicks", ["item 1=1", "item 2=1", "item 3=1"]),
])
def test_recommend_on_a_spark_folder_prints_the_exact_json(folders, capsys, kind, rated):
    capsys.readouterr()
    args = [arg for text in rated for arg in ("--rate", text)]
    assert main(["recommend", str(folders[kind]), *args, "--n", "all"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"items", "seconds"} and out["seconds"] >= 0
    assert all(set(row) == {"item", "score"} for row in out["items"])
    given = {text.rsplit("=", 1)[0] for text in rated}
    run = read_saved_als(folders[kind])
    assert {row["item"] for row in out["items"]} == set(run.items) - given
    scores = [row["score"] for row in out["items"] if row["score"] is not None]
    assert scores == sorted(scores, reverse=True)
    if kind != "clicks":
        assert all(1 <= score <= 5 for score in scores)  # clipped to the scale
    pairs = [(text.rsplit("=", 1)[0], float(text.rsplit("=", 1)[1])) for text in rated]
    assert out["items"] == recommend_from_folder(folders[kind], pairs, None)["items"]
    assert main(["recommend", str(folders[kind]), *args]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 10


def test_an_item_als_has_no_vector_for_comes_last_without_a_score(folders, capsys):
    run = read_saved_als(folders["clicks"])
    assert not run.has_vector[run.position_of(LONELY)]
    capsys.readouterr()
    assert main(["recommend", str(folders["clicks"]), "--rate", "item 1=1", "--n", "all"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert items[-1] == {"item": LONELY, "score": None}
    assert all(row["score"] is not None for row in items[:-1])


@pytest.mark.parametrize("kind, args, words", [
    ("bias", ["--rate", "item 1=9"], "off the run's scale"),
    ("bias", ["--rate", "no such item=3"], "Unknown item 'no such item'"),
    ("bias", [], "e.g. --rate 'ITEM=5'"),
    ("clicks", ["--rate", "item 1=4"], "takes 1"),
    ("clicks", [], "e.g. --rate 'ITEM=1'"),
    ("clicks", ["--rate", "item 1=abc"], "e.g. --rate 'ITEM=1'"),
])
def test_recommend_on_a_spark_folder_refuses_bad_input_in_one_line(folders, capsys, kind, args,
                                                                   words):
    capsys.readouterr()
    assert main(["recommend", str(folders[kind]), *args]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and words in lines[0], captured.err


def test_fold_in_on_a_spark_folder_names_the_function_that_serves_it(folders):
    with pytest.raises(FoldInError) as caught:
        fold_in(folders["bias"], {"item 1": 4})
    assert "Spark ALS ratings run" in str(caught.value)
    assert "recommend_from_folder" in str(caught.value)


def test_a_spark_folder_without_its_model_is_refused_in_one_line(tmp_path, capsys):
    (tmp_path / "config.json").write_text(json.dumps({"engine": "spark", "model": "als"}),
                                          encoding="utf-8")
    assert main(["recommend", str(tmp_path), "--rate", "item 1=4"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "als_model" in lines[0] and "--engine spark --out DIR" in lines[0]


def test_recommend_reads_a_spark_folder_without_spark(folders):
    """pyarrow and numpy alone: pyspark is never imported (so neither Java nor a session)."""
    code = ("import json, sys; from recsys_core.recommend import recommend_from_folder; "
            f"out = recommend_from_folder({str(folders['clicks'])!r}, [('item 2', 1)], 3); "
            "print(json.dumps(out)); assert 'pyspark' not in sys.modules, 'pyspark imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) == 3
