"""Benchmarks of recsys_core against scikit-surprise, and of its growth with data size.

``python -m bench`` (or ``make bench``) runs them all and writes BENCHMARKS.md;
``python -m bench --quick`` runs a fast subset. See ``python -m bench --help``.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository: data/, BENCHMARKS.md
