"""The Spark engine's command-line options, added to ``fit`` and ``evaluate`` by ``cli.py``.

Only argparse here: building the parser never imports pyspark, so ``--engine torch`` (the
default) and ``make run`` work without it installed.
"""

from __future__ import annotations

import argparse

ENGINES = ("torch", "spark")
LOG_LEVELS = ("ERROR", "WARN", "INFO", "DEBUG")


def add_arguments(cmd: argparse.ArgumentParser, command: str) -> None:
    group = cmd.add_argument_group(
        "Spark engine", "ALS on Apache Spark MLlib: pip install -r requirements-spark.txt, and Java 17")
    group.add_argument("--engine", choices=ENGINES, default="torch",
                       help="torch (default): this library's models in memory; spark: Spark "
                            "MLlib ALS, for files too large for one process")
    group.add_argument("--master", default="local[*]",
                       help="Spark master (spark only; default local[*], e.g. spark://HOST:7077)")
    group.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                       help="a Spark setting, passed through (spark only; repeatable)")
    group.add_argument("--bias", choices=("auto", "on", "off"), default="auto",
                       help="spark only: remove the global mean and each user's and item's bias "
                            "before ALS, which has no bias terms, and add them back (auto: the "
                            "measured better variant, on)")
    group.add_argument("--reg", type=float,
                       help="ALS's regularisation: Spark's regParam (default 0.2 for "
                            "ratings, 0.1 for --task ranking), or λ of the torch engine's "
                            "--task ranking --model als (default 5)")
    group.add_argument("--alpha", type=float,
                       help="--task ranking, ALS's confidence per interaction: Spark's "
                            "implicitPrefs alpha (default 1), or α of the torch engine's "
                            "--model als (default 10)")
    group.add_argument("--spark-log", choices=LOG_LEVELS, type=str.upper,
                       help="spark only: show Spark's own log on stderr from this level "
                            "(default: quiet)")
    if command == "fit":
        group.add_argument("--top-n", "--n", type=int, default=10, dest="top_n",
                           help="recommendations per user: top_n.parquet with --engine spark, "
                                "top_n.csv with --task ranking (default 10)")


def spark_options_given(args) -> list[str]:
    """The Spark-only options given to a ``--engine torch`` run (they would do nothing)."""
    given = []
    if args.master != "local[*]":
        given.append("--master")
    for option, default in (("conf", []), ("bias", "auto"), ("reg", None), ("alpha", None),
                            ("spark_log", None)):
        if getattr(args, option) != default:
            given.append("--" + option.replace("_", "-"))
    if getattr(args, "top_n", 10) != 10:
        given.append("--top-n")
    if getattr(args, "format", "auto") == "parquet":  # only Spark reads Parquet
        given.append("--format parquet")
    return given
