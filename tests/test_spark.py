"""``--engine spark``: Spark MLlib ALS in local mode, on a few thousand ratings (issue 16).

Every test shares the one local Spark session of ``conftest.spark`` (starting one costs
seconds); the command-line tests call ``cli.main`` in this process, so they use it too. The
data are small and ALS runs few iterations: the point is the contract (the torch engine's
folds, keys, labels and cold-start rule), not accuracy, which BENCHMARKS.md measures.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from recsys_core import cli
from recsys_core.data.loading import load_ratings
from recsys_core.data.split import kfold_masks, train_val_split

pytestmark = pytest.mark.filterwarnings(  # pyspark's own check, on data it is never given
    "ignore:PySpark does not yet fully support pandas:FutureWarning")
ROOT = Path(__file__).resolve().parent.parent
QUICK = ["--engine", "spark", "--epochs", "3", "--dim", "4"]
LABELS = {"user 1": "001", "user 2": "사용자 2", "user 3": "=cmd|' /C calc'!A0",
          "item 1": "영화 1", "item 2": "007"}
"""Labels a loader might mangle: leading zeros, Korean, a spreadsheet formula."""


def _write_long(ratings, path: Path, *, extra: str = "") -> Path:
    users = np.array([LABELS.get(u, u) for u in ratings.users], dtype=object)
    items = np.array([LABELS.get(i, i) for i in ratings.items], dtype=object)
    lines = ["user,item,rating"] + [
        f'"{u}","{i}",{v:g}' for u, i, v in
        zip(users[ratings.user_idx], items[ratings.item_idx], ratings.values)]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """3,000 ratings of 200 users x 60 items; a few users and items with one rating."""
    from recsys_core.data.synthetic import generate_long

    folder = tmp_path_factory.mktemp("spark_data")
    return _write_long(generate_long(3000, 200, 60, seed=0), folder / "small.csv")


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """1,500 ratings of 500 users x 80 items: many users with one or two ratings, so the
    hold-out gives ratings back to users and items it would leave without any."""
    from recsys_core.data.synthetic import generate_long

    folder = tmp_path_factory.mktemp("spark_sparse")
    return _write_long(generate_long(1500, 500, 80, seed=1), folder / "sparse.csv")


@pytest.fixture(scope="module")
def small_spark(spark, small):
    from recsys_core.spark.reading import read_ratings

    ratings = read_ratings(spark, str(small))
    yield ratings
    ratings.frame.unpersist()


def _labelled_rows(ratings, frame) -> list[tuple]:
    """(idx, user label, item label, rating) of a Spark frame, in idx order."""
    rows = frame.orderBy("idx").collect()
    return [(r["idx"], ratings.users[r["u"]], ratings.items[r["i"]], r["rating"]) for r in rows]


def _torch_rows(ratings) -> list[tuple]:
    users, items = np.array(ratings.users, dtype=object), np.array(ratings.items, dtype=object)
    return list(zip(range(ratings.n_ratings), users[ratings.user_idx],
                    items[ratings.item_idx], ratings.values))


def run_cli(capsys, *args) -> tuple[int, dict | None, str]:
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, (json.loads(out) if status == 0 else None), err


def _cold_per_fold(path: Path, folds: int, seed: int) -> list[int]:
    """Per torch fold, the held-out ratings whose user or item has no training rating."""
    ratings = load_ratings(path)
    counts = []
    for held in kfold_masks(ratings, folds, seed=seed):
        users, items = set(ratings.user_idx[~held]), set(ratings.item_idx[~held])
        counts.append(sum(u not in users or i not in items for u, i in
                          zip(ratings.user_idx[held], ratings.item_idx[held])))
    return counts


@contextlib.contextmanager
def default_file_system(spark, uri: str):
    """Spark's default file system set to ``uri`` for a while (a cluster's is often HDFS)."""
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    before = hadoop.get("fs.defaultFS")
    hadoop.set("fs.defaultFS", uri)
    try:
        yield
    finally:
        hadoop.set("fs.defaultFS", before)


# ----- the same rows, in the same order, in the same folds -----------------------------------
def test_ratings_numbered_in_the_torch_loaders_order(small, small_spark):
    torch_ratings = load_ratings(small)
    assert small_spark.n_ratings == torch_ratings.n_ratings == 3000
    assert _labelled_rows(small_spark, small_spark.frame) == _torch_rows(torch_ratings)
    assert "001" in small_spark.users and "사용자 2" in small_spark.users  # labels as written


def test_same_folds_as_the_torch_engine(small, small_spark):
    from recsys_core.spark.split import attach, fold_ids

    torch_ratings = load_ratings(small)
    masks = kfold_masks(torch_ratings, 5, seed=7)
    expected = np.argmax(np.vstack(masks), axis=0)
    assert np.array_equal(fold_ids(3000, 5, 7), expected)
    framed = attach(small_spark.frame, fold_ids(3000, 5, 7), "fold")
    rows = framed.orderBy("idx").collect()
    pairs = {(small_spark.users[r["u"]], small_spark.items[r["i"]]): r["fold"] for r in rows}
    users, items = torch_ratings.users, torch_ratings.items
    for k, mask in enumerate(masks):
        for pos in np.flatnonzero(mask):
            assert pairs[(users[torch_ratings.user_idx[pos]], items[torch_ratings.item_idx[pos]])] == k


def test_same_hold_out_as_the_torch_engine_with_orphans_given_back(spark, sparse):
    from recsys_core.spark.reading import read_ratings
    from recsys_core.spark.split import holdout_ids

    torch_ratings = load_ratings(sparse)
    ratings = read_ratings(spark, str(sparse))
    try:
        expected = train_val_split(torch_ratings, 0.3, seed=5)
        plain = np.zeros(torch_ratings.n_ratings, dtype=bool)
        plain[np.random.default_rng(5).permutation(torch_ratings.n_ratings)[:450]] = True
        assert (plain & ~expected).any()  # orphans were given back: the hard path is tested
        assert np.array_equal(holdout_ids(ratings, 0.3, seed=5).astype(bool), expected)
    finally:
        ratings.frame.unpersist()


def test_dropped_and_merged_rows_renumbered_as_the_torch_loader(spark, tmp_path):
    from recsys_core.spark.reading import read_ratings

    rows = "user,item,rating\na,x,2\nb,x,\nb,y,5\na,x,4\nc,z,1\nb,x,3\na,y,4\nc,x,\n"
    path = tmp_path / "gaps.csv"
    path.write_text(rows, encoding="utf-8")
    for policy in ("first", "last", "mean"):
        torch_ratings = load_ratings(path, duplicates=policy)
        ratings = read_ratings(spark, str(path), duplicates=policy)
        assert _labelled_rows(ratings, ratings.frame) == _torch_rows(torch_ratings)
        said = {w.code: w.message for w in ratings.warnings}  # the torch loader's codes
        assert "no rating" in said["empty_rating"]
        assert "more than once" in said["duplicates_merged"]
        ratings.frame.unpersist()


def test_a_folder_of_parts_and_parquet_read_in_order(spark, small, small_spark, tmp_path):
    """Parts in name order (Spark reads them largest first), each with its header; Parquet
    with its own column names."""
    import pyarrow as pa

    from recsys_core.spark.reading import read_ratings

    header, *rows = small.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "parts"
    folder.mkdir()
    start = 0
    for k, size in enumerate((400, 1200, 700, 700)):
        part = [header, *rows[start:start + size]]
        (folder / f"part-{k:05d}.csv").write_text("\n".join(part) + "\n", encoding="utf-8")
        start += size
    (folder / "_SUCCESS").write_text("")
    expected = _labelled_rows(small_spark, small_spark.frame)
    parts = read_ratings(spark, str(folder))
    assert _labelled_rows(parts, parts.frame) == expected
    parts.frame.unpersist()

    torch_ratings = load_ratings(small)
    users = np.array(torch_ratings.users, dtype=object)[torch_ratings.user_idx]
    items = np.array(torch_ratings.items, dtype=object)[torch_ratings.item_idx]
    pq.write_table(pa.table({"userId": users.tolist(), "movieId": items.tolist(),
                             "rating": torch_ratings.values}), tmp_path / "r.parquet")
    from_parquet = read_ratings(spark, str(tmp_path / "r.parquet"))
    assert _labelled_rows(from_parquet, from_parquet.frame) == expected
    from_parquet.frame.unpersist()


# ----- the model: biases, cold start, top-N ---------------------------------------------------
TRAIN = [(0, 0, 5.0), (0, 1, 3.0), (1, 0, 4.0), (1, 2, 1.0), (2, 1, 2.0), (2, 2, 2.0),
         (0, 2, 4.0), (2, 0, 3.0)]
COLD = [(3, 0, 3.0), (0, 3, 3.0), (3, 3, 3.0)]  # a new user, a new item, both


@pytest.mark.parametrize("bias", [True, False])
def test_cold_start_gets_the_averages(spark, bias):
    from recsys_core.spark.als import AlsConfig, fit_als, predict

    train = spark.createDataFrame(TRAIN, "u int, i int, rating double")
    test = spark.createDataFrame(COLD, "u int, i int, rating double")
    fitted = fit_als(train, AlsConfig(rank=2, max_iter=3, bias=bias), (1.0, 5.0))
    got = {(r["u"], r["i"]): r["prediction"] for r in predict(fitted, test).collect()}
    mean = np.mean([r for _, _, r in TRAIN])
    assert fitted.mean == pytest.approx(mean)
    if not bias:
        assert got == pytest.approx({(3, 0): mean, (0, 3): mean, (3, 3): mean})
        return
    b_i = {r["i"]: r["b_i"] for r in fitted.item_bias.collect()}
    b_u = {r["u"]: r["b_u"] for r in fitted.user_bias.collect()}
    # the biases: damped means of what the mean (then the item's bias) leaves
    values = np.array(TRAIN)
    for i in range(3):
        mine = values[values[:, 1] == i, 2]
        assert b_i[i] == pytest.approx((mine - mean).sum() / (len(mine) + 10))
    for u in range(3):
        mine = values[values[:, 0] == u]
        left = mine[:, 2] - mean - np.array([b_i[int(i)] for i in mine[:, 1]])
        assert b_u[u] == pytest.approx(left.sum() / (len(mine) + 15))
    assert got[(3, 0)] == pytest.approx(mean + b_i[0])
    assert got[(0, 3)] == pytest.approx(mean + b_u[0])
    assert got[(3, 3)] == pytest.approx(mean)
    fitted.release()


@pytest.mark.parametrize("bias", [True, False])
def test_top_n_is_the_best_unrated_items_by_the_full_prediction(spark, small_spark, bias):
    """Checked against every user x item score computed here from the fitted vectors."""
    from recsys_core.spark.als import AlsConfig, fit_als, top_n

    r = small_spark
    fitted = fit_als(r.frame, AlsConfig(rank=4, max_iter=3, bias=bias), r.scale)
    vectors = {}
    for table, size in ((fitted.model.userFactors, r.n_users), (fitted.model.itemFactors, r.n_items)):
        matrix = np.zeros((size, 4))
        for row in table.collect():
            matrix[row["id"]] = row["features"]
        vectors[size] = matrix
    scores = vectors[r.n_users] @ vectors[r.n_items].T
    if bias:
        b_u = {row["u"]: row["b_u"] for row in fitted.user_bias.collect()}
        b_i = {row["i"]: row["b_i"] for row in fitted.item_bias.collect()}
        scores += fitted.mean + np.array([b_u[u] for u in range(r.n_users)])[:, None]
        scores += np.array([b_i[i] for i in range(r.n_items)])[None, :]
    rated = np.zeros_like(scores, dtype=bool)
    for row in r.frame.select("u", "i").collect():
        rated[row["u"], row["i"]] = True
    scores[rated] = -np.inf
    got = {}
    for row in top_n(fitted, r.frame, 3).collect():
        got.setdefault(row["u"], []).append((row["rank"], row["i"], row["score"]))
    assert len(got) == r.n_users
    for u, picks in got.items():
        picks.sort()
        assert [i for _, i, _ in picks] == list(np.argsort(-scores[u], kind="stable")[:3])
        expected = np.clip(np.sort(scores[u])[::-1][:3], *r.scale)
        assert [s for _, _, s in picks] == pytest.approx(expected, rel=1e-5)
    fitted.release()


# ----- the command line ----------------------------------------------------------------------
def test_evaluate_prints_the_torch_engines_keys_and_says_cold_start(capsys, spark, sparse):
    status, torch_out, err = run_cli(capsys, "evaluate", sparse, "--model", "baseline",
                                     "--folds", "3", "--epochs", "2", "--seed", "3")
    assert status == 0, err
    status, spark_out, err = run_cli(capsys, "evaluate", sparse, *QUICK, "--folds", "3",
                                     "--seed", "3")
    assert status == 0, err
    # the torch engine's folds for this --seed: each fold holds out the ratings of the torch
    # engine's fold, so the same ones are cold (a user or an item without a training rating)
    assert [f["cold_ratings"] for f in spark_out["folds"]] == _cold_per_fold(sparse, 3, seed=3)
    assert torch_out["engine"] == "torch" and spark_out["engine"] == "spark"
    assert set(torch_out) <= set(spark_out)
    assert set(torch_out["folds"][0]) <= set(spark_out["folds"][0])
    assert len(spark_out["folds"]) == 3
    assert spark_out["rmse"] == pytest.approx(np.mean([f["rmse"] for f in spark_out["folds"]]))
    assert 0 < spark_out["rmse"] < 2
    assert "no bias terms" in spark_out["note"]
    assert spark_out["cold_start"].startswith("Cold start") and "training mean" in spark_out["cold_start"]
    assert sum(f["cold_ratings"] for f in spark_out["folds"]) > 0


def test_fit_writes_top_n_with_the_files_labels_and_the_model(capsys, spark, small, tmp_path):
    """As on a cluster whose default file system is not this machine's (HDFS): a local data
    path is still read here, and every output still lands in the local --out folder."""
    status, torch_out, err = run_cli(capsys, "fit", small, "--model", "baseline", "--epochs", "2",
                                     "--out", tmp_path / "torch")
    assert status == 0, err
    out = tmp_path / "spark"
    with default_file_system(spark, "nowhere:///"):  # a path without a scheme fails there
        status, summary, err = run_cli(capsys, "fit", small, *QUICK, "--top-n", "4",
                                       "--out", out)
    assert status == 0, err
    assert set(torch_out) <= set(summary) and summary["engine"] == "spark"
    assert summary["n_val"] == 300 and summary["n_train"] == 2700
    assert summary["val_rmse"] < summary["baseline_val_rmse"]

    top = pq.read_table(out / "top_n.parquet").to_pylist()
    assert list(top[0]) == ["user", "rank", "item", "score"]
    data = load_ratings(small)
    rated = set(zip(np.array(data.users)[data.user_idx], np.array(data.items)[data.item_idx]))
    assert {row["user"] for row in top} == set(data.users)  # the file's own labels
    assert {"001", "사용자 2", "=cmd|' /C calc'!A0"} <= {row["user"] for row in top}
    assert not {(row["user"], row["item"]) for row in top} & rated
    assert sorted(row["rank"] for row in top if row["user"] == "001") == [1, 2, 3, 4]
    assert all(1 <= row["score"] <= 5 for row in top)
    csv_text = (out / "top_n.csv").read_text(encoding="utf-8-sig")
    assert csv_text.startswith("user,rank,item,score\n001,1,")  # file order, first user first
    assert "'=cmd" in csv_text  # a formula stays text in a spreadsheet

    held = pq.read_table(out / "predictions.parquet")
    assert held.num_rows == 300 and held.column_names == ["user", "item", "rating", "prediction"]
    from pyspark.ml.feature import StringIndexerModel
    from pyspark.ml.recommendation import ALSModel

    assert ALSModel.load(str(out / "als_model")).rank == 4
    assert "001" in StringIndexerModel.load(str(out / "ids")).labelsArray[0]
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["engine"] == "spark" and config["model_config"]["bias"] is True
    assert (out / "biases" / "items.parquet").exists()


BAD = [
    ("rows", "user,item,rating\na,x,4\nb,y,4점\n", [], ["4점", "row 2 after the header"]),
    ("rows", "user,item,rating\na,x,2\nb,x,5\na,x,4\n", [], ["rated more than once", "--duplicates"]),
    ("rows", "user,item,rating\na,x,2\n,y,5\n", [], ["no user", "row 2"]),
    ("rows", "user,item,rating\na,x,2\nb,y,5\n", ["--rating-range", "1,4"], ["outside the scale"]),
    ("solo", None, [], ["wide matrix", "--engine torch"]),
    ("missing", None, [], ["no file or folder"]),
    ("rows", "user,item,rating\na,x,2\nb,y,5\n", ["--model", "nn"], ["--model does not apply"]),
    ("rows", "user,item,rating\na,x,2\nb,y,5\n", ["--auto"], ["--auto does not apply"]),
    ("rows", "user,item,rating\na,x,2\nb,y,5\n", ["--folds", "9"], ["--folds"]),
    ("rows", "user,item,rating\na,x,2\nb,y,5\n", ["--conf", "nonsense"], ["KEY=VALUE"]),
    ("rows", 'user,item,rating\n"a\nb",x,3\nc,y,4\n', [],  # the torch loader reads it
     ["A label in quotes goes on past a line break", "row 1 after the header", "--engine torch"]),
    ("rows", 'user,item,rating\nc,y,4\nd,"x\ny"\n', [], ["line break", "row 2 after the header"]),
    ("rows", "user,item,rating\na,x,2\nb,y,5\n", ["--format", "parquet"],
     ["not a Parquet file", "leave --format out"]),
]


@pytest.mark.parametrize(("kind", "text", "extra", "words"), BAD)
def test_bad_input_exits_2_with_one_line(capsys, spark, tmp_path, kind, text, extra, words):
    path = {"solo": ROOT / "data" / "solo.csv", "missing": tmp_path / "nowhere.csv"}.get(
        kind, tmp_path / "bad.csv")
    if text is not None:
        path.write_text(text, encoding="utf-8")
    status, _, err = run_cli(capsys, "evaluate", path, "--engine", "spark", *extra)
    assert status == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err


KOREAN = [("user,item,rating\na,x,4\nb,y,4점\n", None, ["'4점'", "머리글 다음 2번째 행"]),
          ("user,item,rating\na,x,2\nb,x,5\na,x,4\n", None, ["1행 (2), 3행 (4)"]),
          ("user,item,rating\na,x,2\n,y,5\n", None, ["사용자"]),
          ("user,item,rating\na,x,2\nb,y,5\n", (1.0, 4.0), ["1..4"]),
          (None, None, ["--engine torch"]),
          ('user,item,rating\n"a\nb",x,3\n', None, ["줄바꿈", "--engine torch"])]


@pytest.mark.parametrize(("text", "scale", "words"), KOREAN)
def test_bad_input_said_wholly_in_korean_too(spark, tmp_path, text, scale, words):
    """The Spark engine's refusals are library errors with codes, in both languages, as the
    torch loader's are (recsys_core/i18n.py); data labels and options stay as written."""
    import re

    from recsys_core.data.errors import RatingsError
    from recsys_core.spark.reading import read_ratings

    path = ROOT / "data" / "solo.csv" if text is None else tmp_path / "bad.csv"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(RatingsError) as caught:
        read_ratings(spark, str(path), rating_range=scale)
    korean = caught.value.render("ko")
    assert re.search(r"[\uac00-\ud7a3]", korean) and caught.value.code != "invalid", korean
    left = re.sub(r"'[^']*'|--[a-z-]+(?: [a-z]+)?|\b(?:Spark|UTF|CSV)\b", "",
                  korean.replace(str(path), ""))
    assert re.findall(r"[A-Za-z]{3,}", left) == [], korean
    for word in words:
        assert word in korean, korean


def test_missing_java_said_in_korean_too(monkeypatch):
    from recsys_core.spark import session

    monkeypatch.setattr(session, "java_command", lambda: None)
    with pytest.raises(session.SparkSetupError) as caught:
        session.check_requirements()
    korean = caught.value.render("ko")
    assert "Java 17" in korean and "openjdk-17-jre-headless" in korean and "필요" in korean


def test_missing_java_said_in_one_line(small, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env.update(PATH=str(tmp_path), PYTHONPATH=str(ROOT))  # an empty folder: no java on it
    done = subprocess.run([sys.executable, "-m", "recsys_core", "evaluate", str(small),
                           "--engine", "spark"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "openjdk-17-jre-headless" in done.stderr
    assert "Java" in done.stderr and "Traceback" not in done.stderr


def test_spark_options_refused_with_the_torch_engine(capsys, small):
    status, _, err = run_cli(capsys, "evaluate", small, "--master", "local[1]", "--bias", "off")
    assert status == 2 and "--master, --bias applies only with --engine spark" in err
    status, _, err = run_cli(capsys, "fit", small, "--format", "parquet", "--out", "x")
    assert status == 2 and "--format parquet applies only with --engine spark" in err


def test_out_is_a_folder_on_this_machine():
    from recsys_core.spark.commands import _out_dir, local_uri

    with pytest.raises(cli.UsageError, match="--out must be a folder on this machine"):
        _out_dir("hdfs:///results")
    assert local_uri(Path("/shared/my results")) == "file:///shared/my results"


# ----- how a file is read: Parquet anywhere, quotes as the torch loader ----------------------
def test_parquet_parts_named_otherwise_need_format_parquet(spark, small, small_spark, tmp_path):
    """A Parquet folder whose parts do not end in .parquet (Hive's 000000_0), as on hdfs://
    where only the name can tell: read as text it is refused with what to add, and read with
    --format parquet, on a file:// path, it is the same ratings."""
    import pyarrow as pa

    from recsys_core.data.errors import FileFormatError
    from recsys_core.spark.reading import _is_parquet, read_ratings

    assert not _is_parquet("hdfs://namenode/data/ratings")  # only --format parquet says so
    torch_ratings = load_ratings(small)
    table = pa.table({"userId": np.array(torch_ratings.users)[torch_ratings.user_idx].tolist(),
                      "movieId": np.array(torch_ratings.items)[torch_ratings.item_idx].tolist(),
                      "rating": torch_ratings.values})
    folder = tmp_path / "hive_table"
    folder.mkdir()
    pq.write_table(table.slice(0, 1000), folder / "000000_0")
    pq.write_table(table.slice(1000), folder / "000001_0")
    with pytest.raises(FileFormatError, match="looks like Parquet.*add --format parquet"):
        read_ratings(spark, folder.as_uri())
    parts = read_ratings(spark, folder.as_uri(), format="parquet")
    try:
        assert _labelled_rows(parts, parts.frame) == _labelled_rows(small_spark, small_spark.frame)
    finally:
        parts.frame.unpersist()


def test_doubled_quotes_read_as_the_torch_loader(spark, tmp_path):
    from recsys_core.spark.reading import read_ratings

    path = tmp_path / "quotes.csv"
    path.write_text('user,item,rating\n"Ann ""A"" Lee","5"" screen",4\nb,"x, y",3\n',
                    encoding="utf-8")
    ratings = read_ratings(spark, str(path))
    try:
        assert _labelled_rows(ratings, ratings.frame) == _torch_rows(load_ratings(path))
        assert 'Ann "A" Lee' in ratings.users
    finally:
        ratings.frame.unpersist()


def test_interactions_with_a_line_break_in_quotes_are_refused(spark, tmp_path):
    from recsys_core.data.errors import FileFormatError
    from recsys_core.spark.interactions import read_interactions

    path = tmp_path / "clicks.csv"
    path.write_text('user,item,timestamp\na,x,1\n"b\nc",y,2\n', encoding="utf-8")
    with pytest.raises(FileFormatError, match="line break"):
        read_interactions(spark, str(path))


# ----- the session: settings passed, quiet, its log --------------------------------------------
class _Kept:
    """The shared session, looking new to ``spark_session``, which stops it on the way out."""

    def __init__(self, spark):
        self.spark, self.stopped = spark, False

    def __getattr__(self, name):
        return getattr(self.spark, name)

    def stop(self):
        self.stopped = True


@pytest.fixture
def new_session(spark, monkeypatch, tmp_path):
    """``spark_session`` starting a "new" session (the shared one, never stopped) with its log
    in ``tmp_path``; ``.started`` records each start's master and settings."""
    import tempfile

    from pyspark.sql import SparkSession

    from recsys_core.spark import session

    kept = _Kept(spark)
    kept.started = []
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(SparkSession, "getActiveSession", lambda: None)
    monkeypatch.setattr(session, "_start", lambda master, settings, log:
                        kept.started.append((master, settings)) or kept)
    return kept


def test_conf_reaches_a_new_session_quiet_and_without_its_ui(capsys, new_session, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("user,item,rating\na,x,4\nb,y,four\n", encoding="utf-8")
    status, _, err = run_cli(capsys, "evaluate", path, "--engine", "spark", "--master",
                             "local[1]", "--conf", "spark.sql.shuffle.partitions=3")
    assert status == 2 and err.count("\n") == 1, err
    [(master, settings)] = new_session.started
    assert master == "local[1]" and settings["spark.sql.shuffle.partitions"] == "3"
    assert settings["spark.ui.enabled"] == "false"
    assert settings["spark.ui.showConsoleProgress"] == "false"
    assert new_session.stopped and list(tmp_path.glob("recsys-spark-*")) == []  # bad input


def test_the_log_is_kept_only_when_spark_itself_failed(new_session, tmp_path):
    from py4j.protocol import Py4JError

    from recsys_core.spark import session

    with pytest.raises(session.SparkFailedError) as caught, session.spark_session("local[1]"):
        raise Py4JError("boom\nand a Java stack")
    said = caught.value.message
    logs = list(tmp_path.glob("recsys-spark-*.log"))
    assert len(logs) == 1 and "\n" not in said and new_session.stopped
    assert said.startswith("Spark failed (boom)") and f"Spark's own log: {logs[0]}" in said
    logs[0].unlink()


def test_a_fresh_process_is_quiet_and_leaves_no_log(spark, tmp_path):
    """As a person runs it, with its own JVM: on success stdout is the JSON alone and stderr
    empty; bad input is one line on stderr with exit status 2; neither leaves Spark's log."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("user,item,rating\n" + "".join(
        f"u{u},i{(u + k) % 7},{1 + (u * k) % 5}\n" for u in range(12) for k in range(4)),
        encoding="utf-8")
    bad.write_text("user,item,rating\na,x,4\nb,y,4점\n", encoding="utf-8")

    def run(path, *extra):
        return subprocess.run([sys.executable, "-m", "recsys_core", "evaluate", str(path),
                               "--engine", "spark", "--master", "local[1]", *extra], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=300)

    done = run(good, "--folds", "2", "--epochs", "1", "--dim", "2")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert json.loads(done.stdout)["engine"] == "spark"  # stdout holds the JSON and nothing else
    done = run(bad)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "4점" in done.stderr
    assert list(temp.glob("recsys-spark-*")) == []


# ----- interactions: implicit-preference ALS (--task ranking, issue 16 after issue 14) -------
RANKING = ["--task", "ranking", "--engine", "spark", "--model", "als", "--epochs", "3",
           "--dim", "8"]


@pytest.fixture(scope="module")
def clicks(tmp_path_factory):
    """2,400 clicks of 200 users x 80 items with taste groups; each user's times distinct."""
    from recsys_core.data.synthetic import generate_clicks

    data, _, _ = generate_clicks(n_users=200, n_items=80, clicks_per_user=12, seed=4)
    path = tmp_path_factory.mktemp("spark_clicks") / "clicks.csv"
    data.to_long().to_csv(path, index=False)
    return data, path


def test_leave_one_out_holds_out_the_torch_engines_item(spark, clicks):
    """With distinct times per user both engines hold out each user's latest interaction:
    the same item for every user (ties would be drawn differently: numpy's and Spark's)."""
    from recsys_core.ranking.split import leave_one_out
    from recsys_core.spark.interactions import leave_one_out as spark_leave_one_out
    from recsys_core.spark.interactions import read_interactions

    data, path = clicks
    for user in range(data.n_users):
        times = data.timestamps[data.user_idx == user]
        assert np.unique(times).size == times.size
    ours = leave_one_out(data, seed=0)
    read = read_interactions(spark, str(path))
    split = spark_leave_one_out(read, 0)
    try:
        held = {(read.users[r["u"]], read.items[r["i"]])
                for r in split.filter("test = 1").collect()}
    finally:
        split.unpersist()
        read.frame.unpersist()
    assert (read.n_users, read.n_items, read.n_interactions) == (
        data.n_users, data.n_items, data.n_interactions)
    assert held == {(data.users[u], data.items[i])
                    for u, i in zip(ours.test_users, ours.test_items)}


def test_ranking_fit_prints_the_torch_keys_and_writes_top_n(capsys, spark, clicks, tmp_path):
    from recsys_core.ranking.commands import KEYS

    data, path = clicks
    out = tmp_path / "spark"
    status, summary, err = run_cli(capsys, "fit", path, *RANKING, "--n", "5", "--out", out)
    assert status == 0, err
    assert list(summary) == [*KEYS, "engine"] and summary["engine"] == "spark"
    assert (summary["n_users"], summary["n_items"]) == (200, 80)
    assert summary["hr"] > 0.3 and summary["hr_full"] > 0.3  # chance 0.15, popularity 0.33
    assert 0 < summary["ndcg"] <= summary["hr"] and 0 < summary["ndcg_full"] <= summary["hr_full"]

    top = pq.read_table(out / "top_n.parquet").to_pylist()
    assert list(top[0]) == ["user", "rank", "item", "score"] and len(top) == 200 * 5
    clicked = set(zip(np.array(data.users)[data.user_idx], np.array(data.items)[data.item_idx]))
    assert not {(row["user"], row["item"]) for row in top} & clicked
    assert {row["user"] for row in top} == set(data.users)  # the file's own labels
    assert (out / "top_n.csv").read_text(encoding="utf-8-sig").startswith(
        "user,rank,item,score\nuser 1,1,")  # file order: the first user first
    from pyspark.ml.recommendation import ALSModel

    assert ALSModel.load(str(out / "als_model")).rank == 8
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["task"] == "ranking" and config["model_config"]["implicit"] is True


def test_the_apps_refusal_names_a_spark_command_that_runs(capsys, spark, tmp_path, monkeypatch):
    """An interactions file past the app's limits: the command its refusal names, run as it is
    next to the file, trains implicit-feedback ALS on its interactions (not rating ALS on the
    timestamps)."""
    import re
    import shlex

    from recsys_core import limits
    from recsys_core.ranking.loading import load_interactions
    from recsys_core.training.run_service import Refused, RunService

    path = tmp_path / "my clicks.csv"
    path.write_text("user,item,timestamp\n" + "".join(
        f"u{u},i{(3 * u + k) % 25},{1000 * k + u}\n" for u in range(20) for k in range(5)),
        encoding="utf-8")
    data = load_interactions(path)
    monkeypatch.setattr(limits, "LIMITS", limits.Limits(max_ratings=10))
    with pytest.raises(Refused) as caught:
        RunService({}).check(data, 1)
    named = re.search(r"For data this large: python -m recsys_core (.+?) \(Apache Spark",
                      str(caught.value))
    assert named, caught.value
    monkeypatch.chdir(tmp_path)
    status, summary, err = run_cli(capsys, *shlex.split(named.group(1)))
    assert status == 0, err
    assert (summary["task"], summary["engine"], summary["model"]) == ("ranking", "spark", "als")
    assert summary["n_interactions"] == data.n_interactions == 100
    assert (tmp_path / "results" / "top_n.parquet").is_dir()


RANKING_REFUSED = [
    (["--task", "ranking", "--engine", "spark", "--lr", "0.1"], "--lr does not apply"),
    (["--task", "ranking", "--engine", "spark", "--bias", "off"], "--bias applies to ratings"),
    (["--task", "ranking", "--engine", "spark", "--model", "bpr"], "--model bpr is a torch model"),
    (["--model", "als"], "--model als for ratings runs on Spark"),
    (["--task", "ranking", "--alpha", "2"], "--alpha applies only to ALS: add --model als"),
    (["--task", "ranking", "--auto"], "--auto applies to the ratings task"),
    (["--task", "ranking", "--model", "als", "--master", "local[1]"],
     "--master applies only with --engine spark"),
    (["--engine", "spark", "--alpha", "2"], "--alpha applies to implicit-feedback ALS"),
]


@pytest.mark.parametrize(("extra", "words"), RANKING_REFUSED)
def test_ranking_options_that_do_not_apply_exit_2(capsys, clicks, extra, words):
    status, _, err = run_cli(capsys, "evaluate", clicks[1], *extra)
    assert status == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert words in err, err
