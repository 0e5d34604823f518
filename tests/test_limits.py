"""Server-side limits in one place (recsys_core/limits.py), each refusal said in words, and the
load script's bookkeeping (bench/load.py) without a browser."""

from __future__ import annotations

import pytest
import torch

from bench import load
from recsys_core.limits import LIMITS, Limits, apply_thread_limit, check_trainable, most_epochs


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
    named = check_trainable(20, 20, 101, 1, limits, source="my ratings.csv")
    assert named.endswith("python -m recsys_core fit 'my ratings.csv' --engine spark --out results "
                          "(Apache Spark, see the README).")
    assert "--engine spark" in too_wide
    korean = named.render("ko")  # the refusal and the command, in a Korean session
    assert "평점" in korean and "이만큼 큰 데이터" in korean
    assert "python -m recsys_core fit 'my ratings.csv' --engine spark --out results" in korean
    too_long = check_trainable(9, 8, 10, 60, limits)
    assert "60 epochs" in too_long and "at most 50" in too_long and "Train again" in too_long
    work = check_trainable(9, 8, 63, 20, limits)  # 1,000 // 63 = 15 epochs on 63 ratings
    assert "at most 15" in work and "63 ratings" in work


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
