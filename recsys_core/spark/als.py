"""Spark MLlib ALS for ratings: the plain model, and the one fitted after the biases.

ALS factorises the ratings as ``user vector . item vector`` and has **no bias terms**: no
global mean, no user or item offsets, which the torch engine's MF and most of the spread of
real ratings have. Two variants:

- ``bias=False``: ALS on the ratings as they are (Spark's own recipe).
- ``bias=True`` (the default, measured better; see BENCHMARKS.md): the training mean ``mu``,
  each item's bias ``b_i`` (the mean of ``r - mu`` over its ratings, damped by
  ``ITEM_DAMPING`` ratings of zero) and then each user's ``b_u`` (the mean of
  ``r - mu - b_i``, damped by ``USER_DAMPING``) are taken out first, ALS fits what is left,
  and a prediction is ``mu + b_u + b_i + user vector . item vector``.

Cold start, the torch engine's rule: a user or item without a single training rating has no
ALS vector (Spark's ``coldStartStrategy`` would give NaN or drop the row), so its prediction is
the averages: with biases ``mu`` plus the bias of the side that is known (MF's own cold-start
prediction), without them ``mu``. Predictions are clipped to the rating scale.

Interactions (implicit feedback, ``--task ranking``) use the same :class:`AlsConfig` with
``implicit=True``: Spark's implicit-preference ALS (``implicitPrefs``, ``alpha``) on clicks,
no biases, scored by ranking instead of RMSE (:mod:`.ranking`).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

ITEM_DAMPING = 10.0
USER_DAMPING = 15.0
"""Ratings of zero deviation that every bias is averaged with: an item seen twice gets a small
bias, not the deviation of its two ratings (scikit-surprise's baseline uses the same 10 and
15)."""


@dataclass(frozen=True)
class AlsConfig:
    rank: int = 10
    max_iter: int = 10
    reg: float = 0.2  # chosen on a validation split: see bench/spark.py --tune, BENCHMARKS.md
    bias: bool = True
    seed: int = 0
    implicit: bool = False  # interactions (issue 14): Spark's implicitPrefs
    alpha: float = 1.0  # implicit only: confidence per interaction

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class AlsFit:
    """A fitted model: Spark's ALSModel and, with biases, ``mean`` and the bias tables
    (``u, b_u`` and ``i, b_i``; persisted)."""

    config: AlsConfig
    model: object
    mean: float
    user_bias: object | None
    item_bias: object | None
    scale: tuple[float, float]
    seconds: float

    def release(self) -> None:
        for table in (self.user_bias, self.item_bias):
            if table is not None:
                table.unpersist()


def fit_als(train, config: AlsConfig, scale: tuple[float, float]) -> AlsFit:
    """Fit on ``train`` (columns ``u, i, rating``); ``seconds`` covers the biases and ALS."""
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import functions as F

    started = time.perf_counter()
    mean = float(train.agg(F.avg("rating")).first()[0])
    user_bias = item_bias = None
    target = train.withColumn("target", F.col("rating"))
    if config.bias:
        item_bias = (train.groupBy("i")
                     .agg((F.sum(F.col("rating") - mean) / (F.count("*") + ITEM_DAMPING))
                          .alias("b_i")).persist())
        with_item = train.join(item_bias, "i")
        user_bias = (with_item.groupBy("u")
                     .agg((F.sum(F.col("rating") - mean - F.col("b_i"))
                           / (F.count("*") + USER_DAMPING)).alias("b_u")).persist())
        target = (with_item.join(user_bias, "u")
                  .withColumn("target", F.col("rating") - mean - F.col("b_u") - F.col("b_i")))
    # One block per core (Spark's default is 10 whatever the cores: on one machine that is
    # five times the tasks for nothing, and ALS on a few thousand ratings took twice as long).
    blocks = train.sparkSession.sparkContext.defaultParallelism
    als = ALS(rank=config.rank, maxIter=config.max_iter, regParam=config.reg,
              numUserBlocks=blocks, numItemBlocks=blocks, userCol="u", itemCol="i",
              ratingCol="target", coldStartStrategy="nan", seed=config.seed,
              implicitPrefs=config.implicit, alpha=config.alpha, nonnegative=False)
    target = target.select("u", "i", "target").persist()  # ALS reads it more than once
    model = als.fit(target)
    target.unpersist()
    return AlsFit(config, model, mean, user_bias, item_bias, scale,
                  time.perf_counter() - started)


def predict(fit: AlsFit, frame):
    """``frame`` (``u, i`` ...) with ``raw`` (the model's number) and ``prediction`` (clipped to
    the scale); users and items without a training rating get the averages (module doc)."""
    from pyspark.sql import functions as F

    out = fit.model.transform(frame).withColumnRenamed("prediction", "_als")
    als = F.col("_als").cast("double")
    known = F.when(F.isnan(als) | als.isNull(), None).otherwise(als)
    if fit.config.bias:
        out = out.join(fit.user_bias, "u", "left").join(fit.item_bias, "i", "left")
        raw = (F.lit(fit.mean) + F.coalesce(F.col("b_u"), F.lit(0.0))
               + F.coalesce(F.col("b_i"), F.lit(0.0)) + F.coalesce(known, F.lit(0.0)))
    else:
        raw = F.coalesce(known, F.lit(fit.mean))
    lo, hi = fit.scale
    return (out.withColumn("raw", raw)
            .withColumn("prediction", F.least(F.greatest(F.col("raw"), F.lit(lo)), F.lit(hi)))
            .drop("_als", "b_u", "b_i"))


def errors(scored) -> tuple[float | None, float | None, int]:
    """(RMSE, MAE, count) of ``prediction`` against ``rating``."""
    from pyspark.sql import functions as F

    err = F.col("prediction") - F.col("rating")
    row = scored.agg(F.sqrt(F.avg(err * err)), F.avg(F.abs(err)), F.count("*")).first()
    return row[0], row[1], int(row[2])


def cold(fit: AlsFit, frame) -> tuple[list[int], list[int], int]:
    """The users and the items of ``frame`` that ALS has no vector for (no training rating),
    and how many of ``frame``'s ratings involve one of them."""
    from pyspark.sql import functions as F

    users = fit.model.userFactors.select(F.col("id").alias("u"))
    items = fit.model.itemFactors.select(F.col("id").alias("i"))
    cold_users = [r["u"] for r in frame.select("u").distinct().join(users, "u", "left_anti")
                  .orderBy("u").collect()]
    cold_items = [r["i"] for r in frame.select("i").distinct().join(items, "i", "left_anti")
                  .orderBy("i").collect()]
    if not cold_users and not cold_items:
        return [], [], 0
    marked = (frame.join(users.withColumn("_uk", F.lit(1)), "u", "left")
              .join(items.withColumn("_ik", F.lit(1)), "i", "left"))
    rows = marked.filter(F.col("_uk").isNull() | F.col("_ik").isNull()).count()
    return cold_users, cold_items, rows


def top_n(fit: AlsFit, observed, n: int):
    """The ``n`` best-predicted items each user has not rated (``observed``: every rating,
    ``u, i``): columns ``u, rank, i, score``.

    Spark's ``recommendForUserSubset`` ranks by the vectors' product alone, and counts the items
    a user rated. So users are asked, in groups by how many items they rated (the next power of
    two, ``c``), for their ``n + c`` best, which always leaves ``n`` unrated ones: about
    ``n`` x users + 2 x ratings rows in all, never users x items. With biases the product needs
    ``b_i`` in it: the item vectors get ``b_i`` as one more entry and the user vectors a 1
    (``mu + b_u`` is the same for all of a user's items and is added after)."""
    from pyspark.sql import DataFrame, Window
    from pyspark.sql import functions as F

    spark = observed.sparkSession
    scorer = _scoring_model(fit, spark)
    counts = observed.groupBy("u").agg(F.count("*").alias("c")).withColumn(
        "cap", F.pow(F.lit(2), F.ceil(F.log2(F.col("c")))).cast("int"))
    n_items = fit.model.itemFactors.count()
    parts = []
    for row in counts.select("cap").distinct().orderBy("cap").collect():
        users = counts.filter(F.col("cap") == row["cap"]).select("u")
        want = int(min(n + row["cap"], n_items))
        parts.append(DataFrame(scorer.recommendForUserSubset(users._jdf, want), spark))
    if not parts:
        return spark.createDataFrame([], "u int, rank int, i int, score double")
    recs = parts[0]
    for part in parts[1:]:
        recs = recs.unionByName(part)
    candidates = (recs.select("u", F.explode("recommendations").alias("r"))
                  .select("u", F.col("r.i").alias("i"), F.col("r.rating").cast("double").alias("dot"))
                  .join(observed.select("u", "i"), ["u", "i"], "left_anti"))
    raw = F.col("dot")
    if fit.config.bias:
        candidates = candidates.join(fit.user_bias, "u", "left")
        raw = F.lit(fit.mean) + F.coalesce(F.col("b_u"), F.lit(0.0)) + F.col("dot")
    lo, hi = fit.scale
    ranked = (candidates.withColumn("raw", raw)
              .withColumn("rank", F.row_number().over(
                  Window.partitionBy("u").orderBy(F.col("raw").desc(), F.col("i"))))
              .filter(F.col("rank") <= n))
    return ranked.select("u", "rank", "i", F.least(F.greatest("raw", F.lit(lo)), F.lit(hi))
                         .alias("score"))


def _scoring_model(fit: AlsFit, spark):
    """The Java ALSModel whose product is the ranking score (see :func:`top_n`)."""
    from pyspark.sql import functions as F

    if not fit.config.bias:
        return fit.model._java_obj
    one = F.array(F.lit(1.0).cast("float"))
    users = fit.model.userFactors.select("id", F.concat("features", one).alias("features"))
    items = (fit.model.itemFactors
             .join(fit.item_bias.withColumnRenamed("i", "id"), "id", "left")
             .select("id", F.concat("features", F.array(F.coalesce("b_i", F.lit(0.0))
                                                        .cast("float"))).alias("features")))
    # ALSModel(uid, rank, userFactors, itemFactors): Scala's private[ml] constructor, public
    # in the bytecode; the one way to rank by a product ALS did not fit itself.
    model = spark._jvm.org.apache.spark.ml.recommendation.ALSModel(
        fit.model.uid + "_biased", fit.model.rank + 1, users._jdf, items._jdf)
    return model.setUserCol("u").setItemCol("i")
