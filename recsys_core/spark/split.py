"""The torch engine's folds and hold-out, reproduced exactly for ratings that live in Spark.

:func:`recsys_core.data.split.kfold_masks` shuffles the positions 0..n-1 of the ratings with
``numpy.random.default_rng(seed).permutation(n)`` and cuts the shuffle into ``folds`` nearly
equal parts (``numpy.array_split``). It needs nothing but n, so the driver computes the same
permutation and gives every position its fold number: one small integer a rating (n bytes;
the permutation itself takes 8 n bytes while it is made), never a users x items matrix. Spark
then reads a rating's fold by its position ``idx``, which :mod:`.reading` gives in the torch
loader's order; so both engines hold out the very same ratings in every fold.

:func:`recsys_core.data.split.train_val_split` (``fit``'s hold-out) goes on after its permutation:
a user, then an item, left without any training rating gets one of its held-out ratings back,
picked with the same random generator. The users and items concerned are found in Spark; only
their held-out ratings (few) come to the driver, where the same draws pick the same ones.

The numbers reach Spark as a broadcast array that ``mapInArrow`` indexes by ``idx``, a batch
at a time: no shuffle, no join; the workers need numpy and pyarrow (pyspark's own Arrow path).
"""

from __future__ import annotations

import numpy as np


def fold_ids(n: int, folds: int, seed: int) -> np.ndarray:
    """The fold (0 .. folds-1) of each position, as ``kfold_masks(ratings, folds, seed)``."""
    order = np.random.default_rng(seed).permutation(n)
    ids = np.empty(n, dtype=_smallest_int(folds))
    for fold, part in enumerate(np.array_split(order, folds)):
        ids[part] = fold
    return ids


def holdout_ids(ratings, val_frac: float, seed: int) -> np.ndarray:
    """1 for a held-out position, 0 for training, as ``train_val_split(ratings, val_frac,
    seed)``; ``ratings`` is a :class:`~recsys_core.spark.reading.SparkRatings`."""
    n = ratings.n_ratings
    is_val = np.zeros(n, dtype=bool)
    n_val = int(round(val_frac * n))
    if n_val <= 0 or n < 2:
        return is_val.astype(np.int8)
    rng = np.random.default_rng(seed)
    is_val[rng.permutation(n)[:n_val]] = True
    for owner in ("u", "i"):  # users first, then items, as there
        _return_one_rating_to_orphans(ratings.frame, is_val, owner, rng)
    return is_val.astype(np.int8)


def _return_one_rating_to_orphans(frame, is_val: np.ndarray, owner: str, rng) -> None:
    from pyspark.sql import functions as F

    framed = attach(frame, is_val.astype(np.int8), "val").persist()
    try:
        no_training = (framed.groupBy(owner).agg(F.min("val").alias("all_held"))
                       .filter(F.col("all_held") == 1))
        held = (framed.filter(F.col("val") == 1).join(no_training, owner, "left_semi")
                .select("idx", owner).orderBy("idx").collect())
    finally:
        framed.unpersist()
    if not held:
        return
    candidates = np.array([row["idx"] for row in held], dtype=np.int64)
    owners = np.array([row[owner] for row in held], dtype=np.int64)
    order = rng.permutation(candidates.size)
    candidates, owners = candidates[order], owners[order]
    _, first = np.unique(owners, return_index=True)
    is_val[candidates[first]] = False


def attach(frame, values: np.ndarray, name: str):
    """``frame`` with a column ``name`` = ``values[idx]``: the array is broadcast once and
    looked up a batch at a time in the workers (``mapInArrow``)."""
    from pyspark.sql import types as T

    spark = frame.sparkSession
    shared = spark.sparkContext.broadcast(np.ascontiguousarray(values))
    kind = {1: T.ByteType(), 2: T.ShortType(), 4: T.IntegerType()}[values.dtype.itemsize]
    schema = T.StructType([*frame.schema.fields, T.StructField(name, kind, False)])

    def add_column(batches):
        import pyarrow as pa

        lookup = shared.value
        for batch in batches:
            positions = batch.column(batch.schema.get_field_index("idx")).to_numpy()
            yield pa.RecordBatch.from_arrays([*batch.columns, pa.array(lookup[positions])],
                                             names=[*batch.schema.names, name])

    return frame.mapInArrow(add_column, schema)


def _smallest_int(folds: int):
    for dtype in (np.int8, np.int16, np.int32):
        if folds - 1 <= np.iinfo(dtype).max:
            return dtype
    raise ValueError(f"too many folds: {folds}")
