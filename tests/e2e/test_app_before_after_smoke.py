"""The app's before-and-after bench, small: ``python -m bench.app_before_after --repeats 1``
into a scratch file starts the app as it was when issue 13 was filed and as it is, drives both
through every figure, and writes its section with a row for each, leaving the rest of the file
as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.app_before_after import END, ROWS, START

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_one_run_of_each_version_gives_every_figure(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bench.app_before_after", "--repeats", "1",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    medians = json.loads(done.stdout[:done.stdout.rindex("}") + 1])["medians"]
    for version in ("before", "after"):
        assert all(medians[version][key] > 0 for key, _ in ROWS), medians[version]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept as it is\n")
    section = text[text.index(START):text.index(END)]
    assert all(what in section for _, what in ROWS)
    worktrees = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True,
                               text=True).stdout
    assert "bench-app-before-" not in worktrees  # the older checkout is gone again
