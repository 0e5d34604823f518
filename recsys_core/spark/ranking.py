"""``fit`` and ``evaluate --task ranking --engine spark``: implicit-preference ALS (issue 16).

The torch ranking task's contract on Spark: leave-one-out (:mod:`.interactions`), Spark
MLlib's ALS with ``implicitPrefs`` (every interaction a preference of 1 with confidence
``1 + alpha``, Hu, Koren and Volinsky 2008), HR@K and NDCG@K on ``--negatives`` sampled
items and on the full ranking, and the torch ranking task's JSON keys plus ``engine``.

- **Sampled**: for each scored user, ``n`` items they never interacted with, drawn uniformly
  with Spark's seeded ``rand`` (with replacement, repeats and known items dropped, the rest
  in a seeded order: about ``2 n`` + twice the user's interactions draws a user, never users x
  items). Not numpy's draws, so not the torch engine's very items: the same protocol. Ties
  with the held-out item count as in the torch engine (a random place among equals).
- **Full**: each scored user's K best items among those without a training interaction
  (:func:`.als.top_n`, Spark's ``recommendForUserSubset``); a hit when the held-out item is
  among them. Equal scores are ordered by item id here, not at random.

An item without a training interaction (only ever held out) has no ALS vector: it ranks
below every item that has one (a miss, unless the candidates have no vector either).
"""

from __future__ import annotations

import json
import math
import sys

from recsys_core.cli import UsageError
from recsys_core.ranking.commands import KEYS
from recsys_core.spark.als import AlsConfig, fit_als, top_n
from recsys_core.spark.commands import _out_dir, _write_table, save_model
from recsys_core.spark.interactions import leave_one_out, read_interactions
from recsys_core.spark.session import parse_conf, spark_session

IMPLICIT_DEFAULTS = {"rank": 10, "max_iter": 10, "reg": 0.1, "alpha": 1.0}
"""Spark's own documented defaults for ALS (not tuned here, as the ranking bench runs its
peers at theirs); --dim, --epochs, --reg and --alpha change them."""
UNBOUNDED = (-math.inf, math.inf)  # implicit scores are not ratings: nothing to clip to
TORCH_ONLY = (("hidden", "--hidden"), ("lr", "--lr"), ("optimizer", "--optimizer"),
              ("weight_decay", "--weight-decay"), ("batch_size", "--batch-size"),
              ("train_negatives", "--train-negatives"), ("solver", "--solver"))


def run(args) -> dict:
    config = implicit_config(args)
    if args.k < 1:
        raise UsageError("--k must be a positive whole number")
    if args.negatives < 1:
        raise UsageError("--negatives must be a positive whole number")
    if args.command == "fit" and args.top_n < 1:
        raise UsageError("--n must be a positive whole number")
    with spark_session(args.master, parse_conf(args.conf), args.spark_log) as spark:
        data = read_interactions(spark, args.data, format=args.format,
                                 like_threshold=args.like_threshold)
        for warning in data.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        try:
            return fit_and_score(data, config, args)
        finally:
            data.frame.unpersist()


def implicit_config(args) -> AlsConfig:
    """ALS's settings from the options; an option this path does not use is refused."""
    for attr, option in TORCH_ONLY:
        if getattr(args, attr, None) is not None:
            hint = " (ALS's regularisation is --reg)" if attr == "weight_decay" else ""
            raise UsageError(f"{option} does not apply to --engine spark, which trains ALS{hint}; "
                             "leave it out")
    if args.model not in (None, "als"):
        raise UsageError(f"--model {args.model} is a torch model; --engine spark trains ALS: "
                         "leave --model out or give --model als")
    if args.bias != "auto":
        raise UsageError("--bias applies to ratings; implicit-feedback ALS scores preferences "
                         "and has no biases to remove: leave --bias out with --task ranking")
    settings = dict(IMPLICIT_DEFAULTS)
    for option, key, smallest in (("dim", "rank", 1), ("epochs", "max_iter", 1)):
        value = getattr(args, option)
        if value is not None:
            if value < smallest:
                raise UsageError(f"--{option} must be a positive whole number")
            settings[key] = value
    for option in ("reg", "alpha"):
        value = getattr(args, option, None)
        if value is not None:
            if not value >= 0:
                raise UsageError(f"--{option} must not be negative")
            settings[option] = value
    return AlsConfig(**settings, bias=False, implicit=True,
                     seed=0 if args.seed is None else args.seed)


def fit_and_score(data, config: AlsConfig, args) -> dict:
    from pyspark.sql import functions as F

    split = leave_one_out(data, config.seed)
    try:
        train = split.filter(F.col("test") == 0).select("u", "i", F.lit(1.0).alias("rating"))
        test = split.filter(F.col("test") == 1).select("u", "i")
        if test.limit(1).count() == 0:
            raise UsageError("no user has two interactions, so none can be held out and scored")
        fitted = fit_als(train, config, UNBOUNDED)
        hr, ndcg = sampled_metrics(fitted.model, split, data.n_items, args.negatives, args.k,
                                   config.seed)
        hr_full, ndcg_full = full_metrics(fitted, train, test, args.k)
        summary = {"model": "als", "task": "ranking", "n_users": data.n_users,
                   "n_items": data.n_items, "n_interactions": data.n_interactions,
                   "hr": round(hr, 6), "ndcg": round(ndcg, 6), "hr_full": round(hr_full, 6),
                   "ndcg_full": round(ndcg_full, 6), "fit_seconds": round(fitted.seconds, 4)}
        if args.command == "fit":
            write_fit(data, fitted, split, config, args)
    finally:
        split.unpersist()
    return {**{key: summary[key] for key in KEYS}, "engine": "spark"}


# ----- metrics -------------------------------------------------------------------------------
def _scored(model, pairs):
    """``pairs`` with ``score``: ALS's preference; -inf for an item or user it has no vector
    for (ranked last)."""
    from pyspark.sql import functions as F

    raw = F.col("prediction").cast("double")
    return (model.transform(pairs)
            .withColumn("score", F.when(raw.isNull() | F.isnan(raw), float("-inf")).otherwise(raw))
            .drop("prediction"))


def sample_candidates(split, n_items: int, n: int, seed: int):
    """``u, i``: for each held-out user, up to ``n`` distinct items they never interacted
    with, drawn with ``seed`` (module docstring)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    counts = split.groupBy("u").agg(F.count("*").alias("c"), F.max("test").alias("scored"))
    draws = (counts.filter(F.col("scored") == 1)
             .select("u", F.explode(F.sequence(F.lit(1), F.lit(2 * n) + 2 * F.col("c"))).alias("_k"))
             .withColumn("i", F.floor(F.rand(int(seed)) * n_items).cast("int"))
             .join(split.select("u", "i"), ["u", "i"], "left_anti")
             .dropDuplicates(["u", "i"]))
    order = Window.partitionBy("u").orderBy(F.rand(int(seed) + 1))
    return (draws.withColumn("_r", F.row_number().over(order)).filter(F.col("_r") <= n)
            .select("u", "i"))


def sampled_metrics(model, split, n_items: int, n: int, k: int, seed: int) -> tuple[float, float]:
    """Mean HR@K and NDCG@K of the held-out items among sampled candidates, ties counted
    as the torch engine counts them (the expected value over a random order of equals)."""
    from pyspark.sql import functions as F

    test = split.filter(F.col("test") == 1).select("u", "i")
    positive = _scored(model, test).select("u", F.col("score").alias("pos"))
    candidates = _scored(model, sample_candidates(split, n_items, n, seed)).join(positive, "u")
    counts = candidates.groupBy("u").agg(
        F.sum((F.col("score") > F.col("pos")).cast("int")).cast("int").alias("greater"),
        F.sum((F.col("score") == F.col("pos")).cast("int")).cast("int").alias("ties"))
    per_user = positive.join(counts, "u", "left").fillna(0, ["greater", "ties"])
    gain = F.array(*[F.lit(g) for g in _gains(k)])
    low = F.least(F.col("greater"), F.lit(k))
    high = F.least(F.col("greater") + F.col("ties") + 1, F.lit(k))
    row = per_user.agg(
        F.avg((high - low) / (F.col("ties") + 1)),
        F.avg((F.element_at(gain, high + 1) - F.element_at(gain, low + 1)) / (F.col("ties") + 1))
    ).first()
    return float(row[0]), float(row[1])


def _gains(k: int) -> list[float]:
    """``gains[j]``: the DCG of one hit at each rank below j (as ``metrics.expected_hits``)."""
    out = [0.0]
    for rank in range(k):
        out.append(out[-1] + 1.0 / math.log2(rank + 2))
    return out


def full_metrics(fitted, train, test, k: int) -> tuple[float, float]:
    """Mean HR@K and NDCG@K among every item without a training interaction."""
    from pyspark.sql import functions as F

    scored_train = train.join(test.select("u"), "u", "left_semi").select("u", "i")
    best = top_n(fitted, scored_train, k)
    hits = test.join(best.select("u", "i", "rank"), ["u", "i"], "left")
    row = hits.agg(F.avg(F.when(F.col("rank").isNotNull(), 1.0).otherwise(0.0)),
                   F.avg(F.coalesce(1.0 / F.log2(F.col("rank") + 1), F.lit(0.0)))).first()
    return float(row[0]), float(row[1])


# ----- fit --out -------------------------------------------------------------------------------
def write_fit(data, fitted, split, config: AlsConfig, args) -> None:
    """``top_n.parquet`` (and ``top_n.csv`` when small): each user's ``--n`` best items among
    those they never interacted with, the file's labels; ``als_model/``, ``ids/`` and
    ``config.json``."""
    from pyspark.ml.feature import IndexToString

    out = _out_dir(args.out)
    best = top_n(fitted, split.select("u", "i"), args.top_n)
    first = data.frame.select("u", "first").dropDuplicates(["u"])
    for source, target, labels in (("u", "user", data.users), ("i", "item", data.items)):
        best = IndexToString(inputCol=source, outputCol=target, labels=labels).transform(best)
    best = (best.join(first, "u").orderBy("first", "rank")
            .select("user", "rank", "item", "score").persist())
    files = {"top_n": _write_table(best, out, "top_n")}
    best.unpersist()
    files.update(save_model(fitted.model, data.indexer, out))
    (out / "config.json").write_text(json.dumps({
        "engine": "spark", "model": "als", "task": "ranking", "model_config": config.to_dict(),
        "data": str(args.data), "like_threshold": args.like_threshold, "k": args.k,
        "negatives": args.negatives, "seed": config.seed, "rule": data.rule,
        "held_out": ("each user's latest interaction (ties drawn with the seed)" if data.has_times
                     else "one interaction of each user drawn with the seed (no times)"),
        "warnings": [str(w) for w in data.warnings], "files": files}, ensure_ascii=False,
        indent=2), encoding="utf-8")
