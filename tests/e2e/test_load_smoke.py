"""The load script, small: ``python -m bench.load --sessions 2`` against its own local server
completes both sessions without an error (the full run, 10 sessions, writes BENCHMARKS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_two_sessions_load_the_course_matrix_and_train(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sessions", "2", "--time-limit", "150",
         "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    report = json.loads(done.stdout[:done.stdout.rindex("}") + 1])
    assert report["completed"] == 2 and report["errors"] == [], done.stdout + done.stderr
    assert report["server_rss_peak_mb"] > report["server_rss_before_mb"] > 0
    assert all(t > 0 for t in report["times_s"])
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept as it is\n") and text.count("## Load") == 1
