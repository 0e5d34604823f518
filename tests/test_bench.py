"""A tiny run of every bench, so that `make bench` cannot rot between runs (seconds, not
minutes: made-up data, 1-2 epochs; the numbers it writes mean nothing)."""

from __future__ import annotations

import numpy as np
import pytest

from bench import accuracy, report, scale
from bench.__main__ import main
from recsys_core.data.synthetic import generate
from tests.tolerance import FLOAT32_RTOL


def test_smoke_run_writes_every_section(tmp_path, capsys):
    out = tmp_path / "BENCH.md"
    assert main(["--smoke", "--out", str(out), "--json", str(tmp_path / "bench.json")]) == 0
    text = out.read_text(encoding="utf-8")
    for part in ("# Benchmarks", "## Machine and run", "## Targets", "recsys_core MF",
                 "recsys_core NeuMF", "## Growth with data size", "| 2,000 |",
                 "## First fit in a fresh process", "| 100,836 | 1 | 2 |", "| recsys_core MF, ALS |",
                 "| recsys_core MF, auto |",
                 report.APP_SPEED_MARKER, "make bench"):
        assert part in text, part
    if accuracy.surprise_available():
        assert "surprise SVD" in text
    if accuracy.cornac_available():
        assert "| Cornac MF |" in text and "| Cornac BaselineOnly |" in text
    assert "Strongest peer" in text
    assert "error" not in text.split("## Growth")[1].split("## The app")[0].lower()
    again = tmp_path / "AGAIN.md"
    assert main(["--render", str(tmp_path / "bench.json"), "--out", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == text  # the Markdown again, without rerunning


def test_sections_other_benches_wrote_are_kept():
    ours = report.render(
        {"date": "d", "cpu": "c", "cores": 2, "ram_gib": 1, "os": "o", "python": "p",
         "versions": {}, "load_before": "0", "command": "python -m bench", "threads": 2},
        {}, None, quick=True, load_after="0")
    load = "<!-- bench:load:start -->\n## Load\n\nten students\n<!-- bench:load:end -->"
    browser = report.APP_SPEED_MARKER + "\nfirst page 1.2 s\n" + report.APP_SPEED_END
    head, rest = ours.split(report.APP_SPEED_MARKER, 1)
    old = head + browser + rest.split(report.APP_SPEED_END, 1)[1] + "\n" + load + "\n"
    kept = report.keep_other_sections(old, ours)
    assert "first page 1.2 s" in kept and "Not measured yet" not in kept
    assert kept.count("ten students") == 1 and kept.rstrip().endswith("<!-- bench:load:end -->")
    assert report.keep_other_sections("", ours) == ours


def test_smoke_refuses_to_overwrite_benchmarks_md(capsys):
    assert main(["--smoke"]) == 2


def test_every_contender_sees_the_same_folds_and_is_scored_on_them():
    ratings = generate(20, 15, seed=1)
    seen = []

    def fit(mask):
        seen.append(mask.copy())
        return np.full(mask.sum(), ratings.values[~mask].mean()), 0.01

    contenders = [accuracy.Contender("a", fit), accuracy.Contender("surprise SVD", fit, repeats=2)]
    result = accuracy.run(ratings, contenders, folds=3)
    assert len(seen) == 3 * 3  # 3 folds x (1 + 2 repeats)
    assert np.array_equal(seen[0], seen[1]) and np.array_equal(seen[0], seen[2])
    assert np.array_equal(np.sum(seen[::3], axis=0), np.ones(ratings.n_ratings))
    a, svd = result["rows"]
    assert a["rmse"] == pytest.approx(svd["rmse"]) and svd["ratio_to_svd"] == pytest.approx(1.0)


def test_a_failing_contender_is_reported_not_fatal():
    ratings = generate(20, 15, seed=1)

    def broken(mask):
        raise RuntimeError("boom")

    result = accuracy.run(ratings, [accuracy.Contender("broken", broken)], folds=2)
    assert "boom" in result["rows"][0]["error"]


def test_scale_grid_has_two_cells_per_rating():
    for n in scale.SIZES:
        users, items = scale.grid_for(n)
        assert users == 20 * items and 1.9 <= users * items / n <= 2.1


def test_verdicts_say_met_or_not_met():
    rows = [{"model": "surprise SVD", "rmse": 0.87, "fit_seconds": 1.0, "ratio_to_svd": 1.0,
             "error": ""},
            {"model": "recsys_core MF", "rmse": 0.84, "fit_seconds": 0.5, "ratio_to_svd": 0.5,
             "error": ""},
            {"model": "recsys_core NeuMF", "rmse": 0.88, "fit_seconds": 2.0, "ratio_to_svd": 2.0,
             "error": ""}]
    lines = report.targets({"movielens": {"rows": rows}}, None)
    assert lines[0].startswith("**Met:**") and "0.0300 below" in lines[0]
    assert lines[1].startswith("**Met:**") and "ratio 0.50" in lines[1]
    assert lines[2].startswith("**Not met:**")
    assert "Not measured here" in lines[-1]


# ----- the faster training path the bench measures ----------------------------------------
@pytest.mark.parametrize("name", ["mf", "nn", "gmf", "mlp", "neumf", "baseline"])
def test_regularised_forward_has_the_gradient_of_the_explicit_penalty(name):
    """``forward_regularised`` adds the penalty's gradient in the backward pass; it must equal
    the gradient of ``loss + decay * penalty.mean()`` computed the slow, explicit way."""
    import torch

    from recsys_core.models import MODELS, build_model

    torch.manual_seed(0)
    model = build_model(name, MODELS[name].config_cls(), 7, 5, (1.0, 5.0), 3.0)
    users, items = torch.randint(0, 7, (32,)), torch.randint(0, 5, (32,))
    target = torch.rand(32) * 4 + 1
    decay = 0.3

    explicit = torch.nn.functional.mse_loss(model(users, items), target)
    (explicit + decay * model.penalty(users, items).mean()).backward()
    expected = {k: p.grad.clone() for k, p in model.named_parameters()}
    model.zero_grad()
    torch.nn.functional.mse_loss(model.forward_regularised(users, items, decay), target).backward()
    for key, param in model.named_parameters():  # two float32 paths to one gradient
        assert torch.allclose(param.grad, expected[key], rtol=FLOAT32_RTOL, atol=1e-6), key
    # and outside it, a plain forward is not regularised (the baseline's biases start at
    # zero, where the pull toward zero is nothing)
    model.zero_grad()
    torch.nn.functional.mse_loss(model(users, items), target).backward()
    differs = [key for key, param in model.named_parameters()
               if not torch.allclose(param.grad, expected[key], atol=1e-6)]
    assert differs or name == "baseline"


# ----- Cornac beside surprise, and the strongest peer per column --------------------------
def _rows(*specs):
    svd = next((seconds for model, _, _, seconds in specs if model == "surprise SVD"), None)
    return [{"model": model, "rmse": rmse, "mae": mae, "fit_seconds": seconds, "error": "",
             "ratio_to_svd": seconds / svd if svd else None}
            for model, rmse, mae, seconds in specs]


def test_the_strongest_peer_is_found_per_column_and_ours_never_counts():
    rows = _rows(("surprise SVD", 0.87, 0.67, 0.40), ("Cornac MF", 0.876, 0.66, 0.03),
                 ("Cornac PMF", 0.881, 0.69, 0.9), ("recsys_core MF", 0.85, 0.60, 0.01))
    best = accuracy.strongest_peers(rows)
    assert [best[c]["model"] for c in ("rmse", "mae", "fit_seconds")] == \
        ["surprise SVD", "Cornac MF", "Cornac MF"]
    line = report.strongest_line(rows)
    assert "RMSE surprise SVD (0.8700)" in line and "fit time Cornac MF (0.030 s" in line
    assert accuracy.strongest_peers(rows[-1:])["rmse"] is None
    assert "none in this run" in report.strongest_line(rows[-1:])


def test_verdicts_compare_mf_with_cornac_mf_and_the_best_peer():
    rows = _rows(("surprise SVD", 0.87, 0.67, 0.40), ("Cornac MF", 0.876, 0.66, 0.03),
                 ("recsys_core MF", 0.865, 0.66, 0.06))
    lines = report.targets({"movielens": {"rows": rows, "title": "ML"}}, None)
    cornac = next(line for line in lines if "Cornac MF's" in line)
    assert cornac.startswith("**Not met:**") and "ratio 2.00" in cornac
    peer = next(line for line in lines if "best peer" in line)
    assert peer.startswith("**Not met:**") and "surprise SVD" in peer and "0.0050 below" in peer


def test_fit_time_ratios_to_cornac_mf_are_per_row():
    ratings = generate(20, 15, seed=1)

    def timed(seconds):
        return lambda mask: (np.full(mask.sum(), 3.0), seconds)

    result = accuracy.run(ratings, [accuracy.Contender("Cornac MF", timed(0.02)),
                                    accuracy.Contender("recsys_core MF", timed(0.05))], folds=2)
    cornac, ours = result["rows"]
    assert cornac["ratio_to_cornac_mf"] == pytest.approx(1.0)
    assert ours["ratio_to_cornac_mf"] == pytest.approx(2.5) and ours["ratio_to_svd"] is None


@pytest.mark.parametrize("peer, algorithms", [("cornac", ("MF", "BaselineOnly")),
                                               ("surprise", ("SVD", "BaselineOnly"))])
def test_peer_contenders_predict_every_held_out_rating_on_the_scale(peer, algorithms):
    """Held-out users and items the peer never saw get its fallback; nothing is left out, and
    every algorithm is trained on the fold's training part (its error stays near the spread)."""
    ratings = generate(30, 20, seed=2)
    test = np.zeros(ratings.n_ratings, dtype=bool)
    test[ratings.user_idx == 0] = True  # user 0 is unknown to the model
    test[::7] = True
    build = accuracy.cornac_contenders if peer == "cornac" else accuracy.surprise_contenders
    for contender in build(ratings, algorithms):
        predictions, seconds = contender.fit(test)
        assert predictions.shape == (test.sum(),) and seconds > 0
        low, high = ratings.scale
        assert np.all((predictions >= low) & (predictions <= high)), contender.title
        rmse = np.sqrt(np.mean((predictions - ratings.values[test]) ** 2))
        assert rmse < ratings.values.std() * 1.5, contender.title


def test_the_first_fit_verdict_holds_the_ratio_to_its_goal():
    fast = {"first": 0.33, "later": 0.30, "ratio": 1.1, "threads": 2, "epochs": 10,
            "n_ratings": 100_836}
    slow = {**fast, "first": 1.2, "ratio": 4.0}
    assert "**Met:** No warm-up tax" in report.targets({}, None, fast)[1]
    assert "**Not met:** No warm-up tax" in report.targets({}, None, slow)[1]
    assert "ratio 4.00" in report.targets({}, None, slow)[1]
    assert not any("warm-up" in line for line in report.targets({}, None, {"error": "x"}))


def test_spark_section_is_written_between_its_markers_and_kept():
    """bench/spark.py's section (issue 16), from made-up results: no Spark run here."""
    import os

    from bench import spark

    run = {"wall_seconds": 12.5, "peak_mib": 900.0,
           "report": {"rmse": 0.87, "mae": 0.66, "fit_seconds": 30.0, "val_rmse": 0.86,
                      "seconds": 3.0}}
    results = {"movielens": {"evaluate": {"torch MF": run, "Spark ALS": run},
                             "fit": {"torch MF": run, "Spark ALS": {**run, "error": "x"}}},
               "scale": [{"n_ratings": 1_000_000, "n_users": 6320, "n_items": 316,
                          "engine": "Spark ALS", **run}],
               "ranking": {"load_before": "7", "load_after": "8",
                           "Spark implicit ALS": {"wall_seconds": 240.0, "peak_mib": 3000.0,
                                                  "report": {"hr": 0.74, "ndcg": 0.49,
                                                             "hr_full": 0.06, "ndcg_full": 0.03,
                                                             "fit_seconds": 25.0}}}}
    info = {"cpu": "c", "cores": 2, "ram_gib": 1, "python": "3.11", "date": "d",
            "versions": {"pyspark": "4.3.0", "torch": "2"}, "load_before": "0",
            "load_after": "0"}
    block = spark.section(results, info, "python -m bench.spark")
    assert block.startswith(spark.START) and block.endswith(spark.END)
    assert "| torch MF | 0.8700 | 0.6600 | 30.0 | 12.5 | 900 |" in block
    assert "| 1,000,000 | 6,320 x 316 | Spark ALS | 0.8600 | 30.0 | 12.5 | 900 |" in block
    assert "Not measured in this run: 10,000,000 ratings." in block
    assert "| Spark implicit ALS | 0.7400 | 0.4900 | 0.0600 | 0.0300 | 25.0 | 240.0 | 3,000 |" in block
    ours = "# Benchmarks\n\nnew tables\n"
    assert block in report.keep_other_sections("old\n\n" + block + "\n", ours)
    assert spark.tree_memory_mib(os.getpid()) > 10


def test_a_missed_accuracy_goal_says_what_it_would_take():
    rows = _rows(("Cornac MF", 1.28, 1.0, 0.02), ("recsys_core MF", 1.30, 1.0, 0.3),
                 ("recsys_core MF, auto", 1.21, 1.0, 1.2))
    rows[-1]["note"] = "chosen per fold on its own validation share: k=8, L2 0.2 in 5 of 5"
    lines = report.peer_verdicts({"rows": rows, "title": "10pt"})
    assert lines[0].startswith("**Not met:** (10pt) MF RMSE") and "-0.0200 below" in lines[0]
    assert "`--auto` does that and meets it" in lines[0] and "4.0 times" in lines[0]
    assert lines[1].startswith("**Met:** (10pt) MF with `--auto`")
    rows[-1]["rmse"] = 1.279  # auto better, but not by the margin
    missed = report.peer_verdicts({"rows": rows, "title": "x"})[0]
    assert "did not find them here (it came to 1.2790, 0.0090 short of the goal)" in missed
    assert len(report.peer_verdicts({"rows": rows[:2], "title": "x"})) == 1  # no auto row


def test_spark_clicks_section_has_its_own_markers_and_is_kept():
    """The interactions-at-scale table (issue 16: HR@10 at scale) is its own section, so
    ``python -m bench.spark --only clicks`` rewrites it alone and ``python -m bench`` keeps it."""
    from bench import spark

    rows = [{"n_interactions": 1_000_000, "n_users": 20_000, "n_items": 2_000, "engine": name,
             "wall_seconds": 80.0, "peak_mib": 2500.0,
             "report": {"hr": 0.61, "ndcg": 0.4, "hr_full": 0.05, "ndcg_full": 0.02,
                        "fit_seconds": 20.0}} for name in ("torch ALS", "Spark implicit ALS")]
    info = {"cpu": "c", "cores": 2, "date": "d", "load_before": "0", "load_after": "1"}
    block = spark.clicks_section(rows, info, "python -m bench.spark --only clicks")
    assert block.startswith(spark.CLICKS_START) and block.endswith(spark.CLICKS_END)
    assert ("| 1,000,000 | 20,000 x 2,000 | Spark implicit ALS | 0.6100 | 0.4000 | 0.0500 | "
            "0.0200 | 20.0 | 80.0 | 2,500 |") in block
    assert "10M interactions were not run" in block
    text = "# B\n\n<!-- bench:spark:start -->\nspark\n<!-- bench:spark:end -->\n"
    with_clicks = spark.load.splice(text, block, spark.CLICKS_START, spark.CLICKS_END)
    assert "spark\n" in with_clicks and block in with_clicks
    assert block in report.keep_other_sections(with_clicks, "# Benchmarks\n\nnew tables\n")


def test_app_before_after_rows_give_both_medians_and_their_ratio():
    from bench import app_before_after as ba

    keys = [key for key, _ in ba.ROWS]
    seconds = {"before": {key: [4.0, 2.0, 3.0] for key in keys},
               "after": {key: [1.0, 1.5, 9.0] for key in keys}}
    info = {"date": "2026-12-02 14:00 UTC", "cpu": "a CPU", "cores": 2, "load_before": "0.1",
            "load_after": "0.2"}
    text = ba.section(seconds, "abc1234", info, 3)
    assert text.startswith(ba.START) and text.endswith(ba.END)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == len(keys) + 1  # the header and a row a figure
    for line in rows[1:]:
        assert line.endswith("| 3.00 | 1.50 | 0.50 |"), line
    assert "abc1234" in text and "3 runs" in text


def test_app_before_after_checks_out_the_older_app_and_removes_it(tmp_path):
    from bench import app_before_after as ba

    folder = ba.worktree("HEAD", tmp_path / "app")
    try:
        assert (folder / "serve.py").is_file() and (folder / "app.py").is_file()
    finally:
        ba.remove_worktree(folder)
    assert not folder.exists()


def test_app_before_after_says_when_the_older_app_is_not_in_the_clone(capsys):
    from bench import app_before_after as ba

    assert ba.main(["--ref", "no-such-revision-anywhere", "--no-write"]) == 2
    said = capsys.readouterr().err
    assert "no-such-revision-anywhere" in said and "git fetch --unshallow" in said


def _first_page_runs(app, floor, app_ready, floor_ready, visitor, visitor_floor):
    """Figure 1's raw rows as the bench records them, each measured once."""
    return {"first_page": [{"seconds": app, "server_ready_s": app_ready,
                            "page_s": app - app_ready}],
            "floor_page": [{"seconds": floor, "server_ready_s": floor_ready,
                            "page_s": floor - floor_ready}],
            "visitor_page": [{"seconds": visitor}], "visitor_floor": [{"seconds": visitor_floor}]}


def test_the_first_page_gap_is_split_into_start_page_and_imports():
    from bench import app_speed

    raw = _first_page_runs(app=4.6, floor=2.8, app_ready=1.2, floor_ready=0.8, visitor=3.0,
                           visitor_floor=2.2)
    gap = app_speed.first_page_gap(raw)
    assert gap["gap"] == pytest.approx(1.8) and gap["start"] == pytest.approx(0.4)
    assert gap["page"] == pytest.approx(0.8)
    assert gap["imports"] == pytest.approx(0.6)  # (3.4 - 2.0) - 0.8
    assert gap["start"] + gap["page"] + gap["imports"] == pytest.approx(gap["gap"])
    assert gap["to_cut"] == pytest.approx(4.6 - 1.2 * 2.8)  # 1.24 s, more than either share
    assert "neither share alone reaches it" in app_speed.gap_sentence(gap)
    assert app_speed.first_page_gap({"first_page": raw["first_page"]}) is None


def test_the_gap_sentence_names_the_share_that_could_close_it():
    from bench import app_speed

    gap = app_speed.first_page_gap(_first_page_runs(app=3.6, floor=2.8, app_ready=1.4,
                                                    floor_ready=0.8, visitor=2.3,
                                                    visitor_floor=2.2))
    sentence = app_speed.gap_sentence(gap)  # to cut 0.24 s; imports 0.6 + 0.1, page 0.1
    assert "removing the imports' share at best would reach it" in sentence
    assert "page's own share" not in sentence


def test_why_the_first_page_misses_its_ratio_gives_the_split():
    from bench import app_speed

    raw = {**_first_page_runs(app=4.6, floor=2.8, app_ready=1.2, floor_ready=0.8, visitor=3.0,
                              visitor_floor=2.2), "movielens": []}
    ok = {"first_page": None, "first_page_ratio": False, "visitor_ratio": None,
          "first_point": None, "chart_share": None, "compare": None,
          **{f"results_{view}": None for view in ("page", *app_speed.VIEWS)}}
    lines = app_speed.why(raw, {}, ok)
    assert any("Where the first page's 1.80 s beyond the floor's went" in line for line in lines)
