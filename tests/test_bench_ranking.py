"""``bench/ranking.py`` runs and writes its section only (made-up clicks, 2 epochs: the numbers
it writes mean nothing), and ``python -m bench`` keeps that section."""

from __future__ import annotations

from bench import ranking, report


def test_smoke_run_writes_the_ranking_section_and_keeps_the_rest(tmp_path):
    out = tmp_path / "BENCH.md"
    out.write_text("# Benchmarks\n\nbefore\n", encoding="utf-8")
    assert ranking.main(["--smoke", "--models", "popularity,bpr", "--peers", "none",
                         "--out", str(out), "--json", str(tmp_path / "r.json")]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nbefore\n") and text.count(ranking.START) == 1
    table = text.split(ranking.START)[1]
    assert "| popularity |" in table and "| bpr |" in table and "| 1.00 |" in table
    again = tmp_path / "AGAIN.md"
    again.write_text("# Benchmarks\n\nbefore\n", encoding="utf-8")
    assert ranking.main(["--render", str(tmp_path / "r.json"), "--out", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == text
    rewritten = report.keep_other_sections(text, "# Benchmarks\n\nnew\n")
    assert "new" in rewritten and "| popularity |" in rewritten


def test_smoke_refuses_to_overwrite_benchmarks_md():
    assert ranking.main(["--smoke"]) == 2


def test_peers_are_scored_like_ours_and_a_missing_one_says_so(monkeypatch):
    import numpy as np

    from bench import ranking_peers
    from recsys_core.data.synthetic import generate_clicks
    from recsys_core.ranking.split import leave_one_out

    split = leave_one_out(generate_clicks(n_users=30, n_items=40, seed=1)[0], 0)
    counts = np.bincount(split.train_pairs()[1], minlength=40).astype(float)

    def popular(split):  # a "peer" that is popularity: it must score as ours does
        return (lambda users: np.tile(counts, (len(users), 1)), "counts")

    monkeypatch.setattr(ranking_peers, "PEERS", {"fake": ("numpy", popular),
                                                 "absent": ("no_such_module_here", popular)})
    fake, absent = ranking.run_peers(split, ["fake", "absent"])
    ours = ranking.run(["popularity"], split.data)["rows"][0]
    for key in ("hr", "ndcg", "hr_full", "ndcg_full"):
        assert abs(fake[key] - ours[key]) < 1e-6, key  # ours are rounded to 6 digits
    assert absent["missing"] and "not installed" in absent["settings"]
    pairs = ranking_peers.pairs_from_rows(lambda users: np.outer(users, np.arange(40)))
    assert pairs(np.array([3, 1, 3]), np.array([2, 5, 7])).tolist() == [6, 5, 21]


def test_the_goal_is_judged_figure_by_figure():
    rows = [{"model": "bpr", "task": "ranking", "hr": 0.75, "hr_full": 0.06, "fit_seconds": 40},
            {"model": "gmf", "task": "ranking", "hr": 0.70, "hr_full": 0.07, "fit_seconds": 20},
            {"model": "peer", "hr": 0.74, "hr_full": 0.08, "fit_seconds": 30},
            {"model": "absent", "missing": True}]
    sampled, full = ranking.target_verdicts(rows)
    assert sampled.startswith("sampled HR@10: **met**, ours best bpr 0.7500 against peer 0.7400")
    assert sampled.endswith("fit time **not met**, 40.0 s against 30.0 s.")
    assert full.startswith("full HR@10: **not met**, ours best gmf 0.0700 against peer 0.0800")
    assert full.endswith("fit time **met**, 20.0 s against 30.0 s.")
    assert ranking.target_verdicts(rows[:2]) == []
