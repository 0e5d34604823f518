"""The app-speed bench, small: ``python -m bench.app_speed --quick`` into a scratch file gives
every figure, each positive, and leaves the rest of the file as it was (the full run writes
BENCHMARKS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_quick_run_gives_every_figure_and_keeps_the_rest_of_the_file(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bench.app_speed", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout[:done.stdout.rindex("}") + 1])
    figures = report["figures"]
    names = ["first_page", "floor_page", "visitor_page", "visitor_floor", "first_point",
             "course_done", "movielens_done", "compare",
             *(f"results_{view}" for view in ("page", "observed", "predicted", "residual",
                                              "completed"))]
    for name in names:
        assert figures[name]["n"] >= 1 and figures[name]["median"] > 0, (name, figures[name])
        assert figures[name]["worst"] >= figures[name]["median"]
    ratio = figures["first_page"]["median"] / figures["floor_page"]["median"]
    assert abs(figures["first_page_ratio"]["median"] - ratio) < 1e-9
    ratio = figures["visitor_page"]["median"] / figures["visitor_floor"]["median"]
    assert abs(figures["visitor_ratio"]["median"] - ratio) < 1e-9
    share = figures["chart_share"]
    assert share["median"] is not None and share["done_on"]["median"] > 0
    assert share["done_off"]["median"] > 0
    assert set(report["verdicts"]) >= {"first_page", "first_page_ratio", "visitor_ratio",
                                       "chart_share",
                                       "results_page", "compare"}
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept as it is\n")
    assert text.count("<!-- bench:app-speed -->") == 1 and "| 1. Server start" in text
    assert "| 1b. The floor" in text and "| 1c. First page ÷ the floor" in text
    assert "| 1d. A new visitor" in text and "| 1f. A new visitor's page ÷ the floor's" in text
    assert "| 7. Compare with two MovieLens runs" in text
    assert text.count("met**") >= 13  # a verdict in every row that has a target
