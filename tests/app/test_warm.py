"""The app pays torch's first-optimiser cost after its first page, once (ui/warm.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import sys
from ui import warm
assert "torch._dynamo" not in sys.modules  # importing the module warms nothing yet
warm.after_first_page()
first = warm.started
warm.after_first_page()  # a second page: no second thread
print(first is not None and warm.started is first)
first.join()
print("torch._dynamo" in sys.modules)
"""


def test_the_first_page_starts_one_warm_up_that_imports_the_optimisers_compiler():
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]
