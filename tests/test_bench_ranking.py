"""``bench/ranking.py`` runs and writes its section only (made-up clicks, 2 epochs: the numbers
it writes mean nothing), and ``python -m bench`` keeps that section."""

from __future__ import annotations

from bench import ranking, report


def test_smoke_run_writes_the_ranking_section_and_keeps_the_rest(tmp_path):
    out = tmp_path / "BENCH.md"
    out.write_text("# Benchmarks\n\nbefore\n", encoding="utf-8")
    assert ranking.main(["--smoke", "--models", "popularity,bpr", "--out", str(out),
                         "--json", str(tmp_path / "r.json")]) == 0
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
