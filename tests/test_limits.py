"""Server-side limits in one place (recsys_core/limits.py), each refusal said in words, and the
load script's bookkeeping (bench/load.py) without a browser."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import torch

from bench import load
from recsys_core import cli, limits
from recsys_core.data.form import FileForm
from recsys_core.data.loading import load_ratings
from recsys_core.limits import LIMITS, Limits, apply_thread_limit, check_trainable, most_epochs
from recsys_core.ranking.loading import load_interactions
from recsys_core.training.run_service import Refused, RunService

ROOT = Path(__file__).resolve().parent.parent


def test_limits_come_from_the_environment():
    limits = Limits.from_env({"RECSYS_MAX_EPOCHS": "20", "RECSYS_THREADS_PER_SESSION": "2",
                              "PATH": "/bin"})
    assert limits.max_epochs == 20 and limits.threads_per_session == 2
    assert limits.max_upload_mb == Limits().max_upload_mb
    with pytest.raises(ValueError, match="RECSYS_MAX_CELLS must be a whole number, got 'lots'"):
        Limits.from_env({"RECSYS_MAX_CELLS": "lots"})


def test_each_refusal_says_what_and_what_to_do():
    limits = Limits(max_ratings=100, max_cells=1_000, max_epochs=50, max_epoch_ratings=1_000)
    assert check_trainable(9, 8, 63, 10, limits) is None
    too_many = check_trainable(20, 20, 101, 1, limits)
    assert "101 ratings" in too_many and "at most 100" in too_many and "sample" in too_many
    too_wide = check_trainable(50, 50, 90, 1, limits)
    assert "2,500 cells" in too_wide and "1,000" in too_wide
    form = FileForm("my ratings.csv", "long", "utf-8", ",")
    named = check_trainable(20, 20, 101, 1, limits, form=form)
    assert named.endswith("python -m recsys_core fit 'my ratings.csv' --engine spark --out results "
                          "(Apache Spark, see the README).")
    assert "--engine spark" in too_wide  # data from no file: the placeholder, on Spark
    assert "YOUR_FILE.csv" in too_wide
    korean = named.render("ko")  # the refusal and the command, in a Korean session
    assert "평점" in korean and "이만큼 큰 데이터" in korean
    assert "python -m recsys_core fit 'my ratings.csv' --engine spark --out results" in korean
    too_long = check_trainable(9, 8, 10, 60, limits)
    assert "60 epochs" in too_long and "at most 50" in too_long and "Train again" in too_long
    work = check_trainable(9, 8, 63, 20, limits)  # 1,000 // 63 = 15 epochs on 63 ratings
    assert "at most 15" in work and "63 ratings" in work


# ----- the command a refusal names: right for the task and for the file's form -------------
def refusal(monkeypatch, data, **lower) -> str:
    """What the run service says when the app asks to train ``data`` past the limits."""
    monkeypatch.setattr(limits, "LIMITS", Limits(**(lower or {"max_ratings": 2})))
    with pytest.raises(Refused) as caught:
        RunService({}).check(data, 1)
    return caught.value.args[0]  # the message, sayable in Korean too


def named_command(text: str) -> list[str]:
    """The words of the command a refusal names (after "For data this large:")."""
    found = re.search(r"For data this large: (python -m recsys_core .+?) \((?:Apache|the torch)",
                      text)
    assert found, text
    words = shlex.split(found.group(1))
    assert words[:3] == ["python", "-m", "recsys_core"], words
    return words[3:]


def test_an_interactions_refusal_names_the_ranking_command(monkeypatch, tmp_path):
    """A user,item,timestamp file: the Spark command trains implicit ALS on it (without
    --task ranking it would train rating ALS on the timestamps)."""
    path = tmp_path / "clicks.csv"
    path.write_text("user,item,timestamp\na,x,100\na,y,200\nb,x,150\nb,z,300\nc,y,10\n"
                    "c,z,20\n", encoding="utf-8")
    text = refusal(monkeypatch, load_interactions(path))
    assert "This data has 6 interactions" in text and "ratings" not in text
    argv = named_command(text)
    assert argv == ["fit", "clicks.csv", "--task", "ranking", "--engine", "spark", "--model",
                    "als", "--out", "results"]
    args = cli.build_parser().parse_args(argv)
    assert (args.task, args.engine, args.model) == ("ranking", "spark", "als")
    korean = text.render("ko")
    assert "상호작용" in korean and "fit clicks.csv --task ranking --engine spark" in korean
    rated = tmp_path / "rated.csv"
    rated.write_text("user,item,rating\na,x,5\na,y,4\nb,x,2\nb,z,4.5\nc,y,4\nc,z,5\n",
                     encoding="utf-8")
    liked = refusal(monkeypatch, load_interactions(rated, like_threshold=4), max_ratings=2)
    assert named_command(liked)[-4:] == ["--like-threshold", "4", "--out", "results"]
    from recsys_core.ranking.data import Interactions  # the app's "from the ratings" path

    from_ratings = Interactions.from_ratings(load_ratings(rated), like_threshold=4.5)
    assert named_command(refusal(monkeypatch, from_ratings, max_ratings=2)) == [
        "fit", "rated.csv", "--task", "ranking", "--engine", "spark", "--model", "als",
        "--like-threshold", "4.5", "--out", "results"]


def test_interactions_from_no_file_and_their_epochs_are_said_as_interactions():
    said = check_trainable(9, 8, 101, 1, Limits(max_ratings=100), task="ranking")
    assert "101 interactions" in said and "YOUR_FILE.csv --task ranking --engine spark" in said
    work = check_trainable(9, 8, 63, 20, Limits(max_epoch_ratings=1_000), task="ranking")
    assert "63 interactions" in work and "interaction updates" in work and "rating" not in work


@pytest.mark.parametrize(("name", "content", "how"), [
    ("solo.csv", None, "wide matrix"),
    ("scores.xlsx", None, "a workbook"),
    ("spaces.txt", "a x 3\na y 4\nb x 5\nb y 2\nc x 1\n", "separated by spaces"),
    ("korean.csv", "user,item,rating\n가,x,3\n가,y,4\n나,x,5\n나,y,2\n",
     "in cp949, not UTF-8"),
])
def test_a_file_spark_does_not_read_gets_the_torch_command_that_trains_it(
        monkeypatch, tmp_path, capsys, name, content, how):
    """The named command is run as it is, next to the file, and trains it."""
    path = tmp_path / name
    if name == "solo.csv":
        path.write_bytes((ROOT / "data" / "solo.csv").read_bytes())
    elif name.endswith(".xlsx"):
        load_ratings(ROOT / "data" / "solo.csv").to_matrix().to_excel(path)
    else:
        path.write_bytes(content.encode("cp949" if "cp949" in how else "utf-8"))
    data = load_ratings(path)
    text = refusal(monkeypatch, data)
    argv = named_command(text)
    assert "--engine" not in argv and "the torch engine's command line" in text, how
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv[:2] + ["--epochs", "2"] + argv[2:]) == 0, capsys.readouterr().err
    assert (tmp_path / "results" / "completed.csv").exists()
    assert load_ratings(tmp_path / "results" / "completed.csv").n_users == data.n_users


def test_the_command_carries_how_the_app_read_the_file(monkeypatch, tmp_path):
    path = tmp_path / "-twice.csv"  # a name that would read as an option
    path.write_text("user,item,rating\na,x,-1\na,x,1\nb,y,0.5\nc,x,1\n", encoding="utf-8")
    data = load_ratings(path, duplicates="last", rating_range=(-1, 1))
    argv = named_command(refusal(monkeypatch, data, max_ratings=2))
    assert argv == ["fit", "./-twice.csv", "--engine", "spark", "--duplicates", "last",
                    "--rating-range=-1,1", "--out", "results"]
    args = cli.build_parser().parse_args(argv)
    assert (args.data, args.duplicates, args.rating_range) == ("./-twice.csv", "last", "-1,1")
    cells = refusal(monkeypatch, data, max_cells=4)
    assert "cells" in cells and named_command(cells) == argv


def test_a_file_over_the_upload_size_is_told_the_command_line():
    from recsys_core.data.errors import TooLargeError

    with pytest.raises(TooLargeError) as caught:
        load_ratings(b"user,item,rating\n" + b"a,b,1\n" * 300, "-big.csv", max_bytes=1000)
    assert "python -m recsys_core fit ./-big.csv --out results" in caught.value.message
    with pytest.raises(TooLargeError) as caught:
        load_interactions(b"user,item\n" + b"a,b\n" * 300, "big.csv", max_bytes=1000)
    assert "python -m recsys_core fit big.csv --task ranking --out results" in caught.value.message


def test_large_data_gets_fewer_epochs():
    limits = Limits()
    assert most_epochs(63, limits) == limits.max_epochs
    assert most_epochs(100_836, limits) == limits.max_epoch_ratings // 100_836
    assert most_epochs(10**12, limits) == 1


def test_the_defaults_let_the_suggested_settings_train():
    from recsys_core.data.samples import SAMPLES, load_sample
    from recsys_core.models.defaults import suggest_configs

    for name in SAMPLES:
        ratings = load_sample(name)
        for model in ("mf", "neumf"):
            _, train = suggest_configs(ratings, model)
            assert check_trainable(ratings.n_users, ratings.n_items, ratings.n_ratings,
                                   train.epochs, LIMITS) is None, (name, model)


def test_thread_limit_is_set_for_the_process():
    before = torch.get_num_threads()
    try:
        assert apply_thread_limit(Limits(threads_per_session=1)) == 1
        assert torch.get_num_threads() == 1
        assert apply_thread_limit(Limits(threads_per_session=0)) == 1  # never below one
    finally:
        torch.set_num_threads(before)


# ----- bench/load.py ---------------------------------------------------------------------------
def test_load_script_stays_on_this_machine_and_bounded():
    assert load.check_local("http://127.0.0.1:8501/") == "http://127.0.0.1:8501"
    assert load.check_local("http://localhost:1") == "http://localhost:1"
    for url in ("http://example.com", "http://10.0.0.1:8501", "https://127.0.0.1.evil.test"):
        with pytest.raises(ValueError, match="only drives a server on this machine"):
            load.check_local(url)
    for sessions in (0, load.MAX_SESSIONS + 1):
        with pytest.raises(ValueError, match="sessions"):
            load.run(sessions, url="http://127.0.0.1:1")


def test_percentiles_match_numpy():
    import numpy as np

    values = sorted([3.0, 9.5, 1.2, 4.4, 7.7, 2.0, 8.8, 5.5, 6.1, 10.4])
    for q in (50, 95, 100):
        assert load.percentile(values, q) == pytest.approx(np.percentile(values, q))


def test_only_the_load_section_of_benchmarks_md_is_replaced(tmp_path):
    result = load.LoadResult([load.Session(1, 5.0, 2.0), load.Session(2, error="boom")], 6.0,
                             100.0, 250.0, 1, {"cores": 2})
    block = load.section(result, "python -m bench.load")
    assert block.startswith(load.START) and block.endswith(load.END)
    assert "## Load" in block and "NOT met" in block and "session 2: boom" in block
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Accuracy\n\nnumbers\n", encoding="utf-8")
    load.write(path, block)
    load.write(path, block.replace("boom", "bang"))  # a second run replaces, never appends
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\n## Accuracy\n\nnumbers\n")
    assert text.count("## Load") == 1 and "bang" in text and "boom" not in text
