"""A long file of interactions read by Spark, and leave-one-out inside Spark (issue 16).

The torch engine's ranking task reads ``user,item[,rating or count][,timestamp]`` rows
(:mod:`recsys_core.ranking.loading`); this reads the same files in Spark, without pandas
and without a users x items matrix: the columns are found by the same names (or taken in
that order without a header), ``--like-threshold`` keeps the rows whose value reaches it,
and a pair given in several rows is one interaction at its earliest time, as there. Times are
numbers (Unix seconds) or dates. Labels stay text; Spark's ``StringIndexer`` numbers them.

Leave-one-out as :func:`recsys_core.ranking.split.leave_one_out`: each user's latest
interaction is held out, users with a single one keep it for training. Ties in time (and
data without times) are broken by Spark's seeded ``rand`` rather than numpy's draw, so where
a user has two interactions at their latest time the engines may hold out different ones;
with distinct times per user they hold out the same item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from recsys_core.data.errors import EmptyFileError, FileFormatError, LoadWarning
from recsys_core.data.ratings import LabelledSizes
from recsys_core.i18n import L_
from recsys_core.ranking.data import threshold_rule
from recsys_core.ranking.loading import long_roles
from recsys_core.spark.reading import (
    _display,
    _file,
    layout_of,
    line_break_error,
    open_quote,
    text_columns,
)

ROLES = ("user", "item", "value", "time")


@dataclass
class SparkInteractions(LabelledSizes):
    """The interactions in Spark: ``frame`` has ``u``, ``i`` (integer ids), ``t`` (seconds,
    null without times) and ``first`` (where the user first appears); persisted."""

    frame: object
    users: list[str]
    items: list[str]
    n_interactions: int
    has_times: bool
    source: str
    indexer: object
    rule: str
    warnings: list[LoadWarning] = field(default_factory=list)


def read_interactions(spark, path: str, *, format: str = "auto",
                      like_threshold: float | None = None) -> SparkInteractions:
    from pyspark.ml.feature import StringIndexer
    from pyspark.sql import functions as F

    name = _display(path)
    roles, frame = _columns(spark, path, format)
    rows = frame.select(*(F.col(f"c{roles[r]}").alias(r) if r in roles else
                          F.lit(None).cast("string").alias(r) for r in ROLES),
                        F.monotonically_increasing_id().alias("_pos"),
                        open_quote().alias("_open_quote")).persist()
    try:
        if rows.filter("_open_quote").limit(1).collect():  # before its pieces look unlabelled
            raise line_break_error(_file(name))
        _refuse_missing_labels(rows, name)
        rows, warnings = _liked(rows, like_threshold, "value" in roles, name)
        timed = _timed(rows, "time" in roles, name)
        pairs = timed.groupBy("user", "item").agg(F.min("t").alias("t"), F.count("*").alias("n"),
                                                  F.min("_pos").alias("_pos"))
        indexer = StringIndexer(inputCols=["user", "item"], outputCols=["u", "i"],
                                stringOrderType="frequencyDesc").fit(pairs)
        indexed = indexer.transform(pairs).select(
            F.col("u").cast("int"), F.col("i").cast("int"), "t", "n", "_pos")
        first = indexed.groupBy("u").agg(F.min("_pos").alias("first"))
        out = indexed.join(first, "u").select("u", "i", "t", "first", "n").persist()
        counts = out.agg(F.count("*"), F.sum("n")).first()  # fills the cache before rows go
    finally:
        rows.unpersist()
    n_pairs, n_rows = int(counts[0]), int(counts[1] or 0)
    if n_rows > n_pairs:
        warnings.append(LoadWarning("repeated_pairs", L_(
            "{n} row(s) repeat a user-item pair; each pair counts as one interaction{when}.",
            n=n_rows - n_pairs, when=L_(", at its earliest time") if "time" in roles else "")))
    users, items = (list(labels) for labels in indexer.labelsArray)
    return SparkInteractions(out, users, items, n_pairs, "time" in roles, name, indexer,
                             threshold_rule(like_threshold), warnings)


def _columns(spark, path: str, format: str) -> tuple[dict[str, int], object]:
    """The roles' column positions and the frame with columns ``c0, c1 ...`` (text)."""
    from pyspark.sql import functions as F

    layout = layout_of(spark, path, format,
                       roles=lambda names, header, name: long_roles(names, header, _file(name)))
    if layout.kind == "parquet":
        frame = spark.read.parquet(layout.uri).select(*(F.col(f"`{n}`").cast("string").alias(f"c{k}")
                                                  for k, n in enumerate(layout.names)),
                                                F.lit(None).cast("string").alias("_line"))
    else:
        frame = text_columns(spark, layout)
    frame = frame.withColumn("c0", F.regexp_replace("c0", "^\ufeff", ""))
    return layout.roles, frame


def _refuse_missing_labels(rows, name: str) -> None:
    from pyspark.sql import functions as F

    for role in ("user", "item"):
        missing = rows.filter(F.col(role).isNull() | (F.trim(role) == "")).limit(1).collect()
        if missing:
            raise FileFormatError(L_("A row has no {role}", role=role), _file(name),
                                  L_("fill in the {role} or delete the row", role=role))


def _liked(rows, like_threshold, has_value: bool, name: str):
    """The rows that count: all, or those whose value reaches the threshold."""
    from pyspark.sql import functions as F

    if like_threshold is None:
        return rows, []
    if not has_value:
        raise FileFormatError(
            L_("A threshold needs a rating column, and the file has none"), _file(name),
            L_("name a column 'rating' in the header, or count every row as an interaction"))
    value = F.trim("value").try_cast("double")
    bad = rows.filter(F.col("value").isNotNull() & (F.trim("value") != "") & value.isNull())
    first = bad.limit(1).collect()
    if first:
        raise FileFormatError(L_("The value '{text}' is not a number", text=first[0]["value"]),
                              _file(name), L_("write every rating or count as a number"))
    kept = rows.filter(value >= float(like_threshold))
    n_kept, n_all = kept.count(), rows.count()
    if n_kept == 0:
        raise EmptyFileError(L_("No rating reaches the threshold {x}", x=f"{like_threshold:g}"),
                             _file(name), L_("lower the threshold, or count every row"))
    return kept, [LoadWarning("threshold", L_(
        "{kept} of {n} rows are {x} or more and count as interactions.", kept=f"{n_kept:,}",
        n=f"{n_all:,}", x=f"{like_threshold:g}"))]


def _timed(rows, has_time: bool, name: str):
    """``t``: the time in seconds (a number as it is, a date since 1970), or null."""
    from pyspark.sql import functions as F

    if not has_time:
        return rows.withColumn("t", F.lit(None).cast("double"))
    text = F.trim("time")
    seconds = F.coalesce(text.try_cast("double"),
                         F.try_to_timestamp(text).cast("double"))
    timed = rows.withColumn("t", seconds)
    bad = timed.filter(F.col("t").isNull()).limit(1).collect()
    if bad:
        raise FileFormatError(
            L_("The time '{text}' is missing or not a date", text=bad[0]["time"] or ""),
            L_("{file}, user '{user}', item '{item}'", file=_file(name), user=bad[0]["user"],
               item=bad[0]["item"]),
            L_("write every time as a date like 2024-03-01 14:05, or every time as a number "
               "of seconds like 964982703"))
    return timed


def leave_one_out(data: SparkInteractions, seed: int):
    """``data.frame`` with ``test`` (1: held out, each user's latest interaction; ties and
    untimed data by a seeded draw; users with one interaction keep it), persisted."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    per_user = Window.partitionBy("u")
    latest = per_user.orderBy(F.col("t").desc_nulls_last(), F.col("_draw").desc())
    split = (data.frame.withColumn("_draw", F.rand(int(seed)))
             .withColumn("_n", F.count("*").over(per_user))
             .withColumn("_rank", F.row_number().over(latest))
             .withColumn("test", ((F.col("_rank") == 1) & (F.col("_n") >= 2)).cast("int"))
             .drop("_draw", "_n", "_rank"))
    return split.persist()
