"""``fit`` and ``evaluate`` with ``--engine spark``: the torch engine's contract, on Spark.

``evaluate`` prints the torch engine's keys (``model, folds, rmse, mae, fit_seconds``, each
fold's ``rmse, mae, fit_seconds, epochs_run, status``) plus ``engine``, on the same folds, so
the two compare row by row. ``fit`` prints the torch engine's summary keys plus ``engine`` and
writes into ``--out``:

- ``top_n.parquet`` (a folder of parts, as Spark writes) and, up to ``SMALL_ROWS`` rows,
  ``top_n.csv``: ``user, rank, item, score``, the file's own labels;
- ``predictions.parquet`` (and ``predictions.csv`` when small): the held-out ratings,
  ``user, item, rating, prediction``;
- ``als_model/``: Spark's own saved ``ALSModel`` (``ALSModel.load``), ``ids/``: the fitted
  ``StringIndexerModel`` that maps the labels to its integer ids, ``biases/`` (with biases:
  ``users.parquet`` and ``items.parquet``, label and bias) and ``config.json``.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from recsys_core.cli import DEFAULT_FOLDS, UsageError, _parse_range
from recsys_core.data.loading.long import _and
from recsys_core.i18n import L_, Joined, Ln_, Msg
from recsys_core.results.export import CSV_ENCODING, PREDICTION_DECIMALS, safe_cell
from recsys_core.spark.als import AlsConfig, cold, errors, fit_als, predict, top_n
from recsys_core.spark.reading import read_ratings
from recsys_core.spark.session import parse_conf, spark_session
from recsys_core.spark.split import attach, fold_ids, holdout_ids

SMALL_ROWS = 100_000
"""Up to this many rows a result is also written as one CSV a spreadsheet opens."""
DEFAULT_VAL_FRAC = 0.1  # as TrainConfig's
BIAS_DEFAULT = True
"""``--bias auto``: ALS after removing the mean and biases measured better on MovieLens
latest-small, 5 folds (RMSE 0.8567 against 0.8930: BENCHMARKS.md's Spark section)."""
TORCH_ONLY = (("model", "--model"), ("hidden", "--hidden"), ("lr", "--lr"),
              ("optimizer", "--optimizer"), ("weight_decay", "--weight-decay"),
              ("batch_size", "--batch-size"), ("preset", "--preset"), ("truth", "--truth"),
              ("auto", "--auto"))


def run(args) -> dict:
    for attr, option in TORCH_ONLY:
        if getattr(args, attr, None) not in (None, "als"):
            hint = " (ALS's regularisation is --reg)" if attr == "weight_decay" else ""
            raise UsageError(f"{option} does not apply to --engine spark, which trains ALS{hint}")
    if getattr(args, "alpha", None) is not None:
        raise UsageError("--alpha applies to implicit-feedback ALS: add --task ranking, or leave "
                         "it out (explicit ALS for ratings has no confidence weight)")
    config = als_config(args)
    conf = parse_conf(args.conf)
    rating_range = _parse_range(args.rating_range)
    with spark_session(args.master, conf, args.spark_log) as spark:
        ratings = read_ratings(spark, args.data, format=args.format,
                               duplicates=args.duplicates, rating_range=rating_range)
        try:
            if args.command == "fit":
                return run_fit(spark, ratings, config, args)
            return run_evaluate(spark, ratings, config, args)
        finally:
            ratings.frame.unpersist()


def als_config(args) -> AlsConfig:
    changes = {}
    if args.dim is not None:
        if args.dim < 1:
            raise UsageError("--dim must be a positive whole number")
        changes["rank"] = args.dim
    if args.epochs is not None:
        if args.epochs < 1:
            raise UsageError("--epochs must be at least 1")
        changes["max_iter"] = args.epochs
    if args.reg is not None:
        if not args.reg >= 0:
            raise UsageError("--reg must not be negative")
        changes["reg"] = args.reg
    changes["bias"] = {"on": True, "off": False, "auto": BIAS_DEFAULT}[args.bias]
    changes["seed"] = 0 if args.seed is None else args.seed
    return AlsConfig(**changes)


# ----- evaluate --------------------------------------------------------------------------------
def run_evaluate(spark, ratings, config: AlsConfig, args) -> dict:
    from pyspark.sql import functions as F

    folds = DEFAULT_FOLDS if args.folds is None else args.folds
    if folds < 2 or folds > ratings.n_ratings:
        raise UsageError(f"--folds must be between 2 and the number of ratings "
                         f"({ratings.n_ratings})")
    seed = 0 if args.seed is None else args.seed
    framed = attach(ratings.frame, fold_ids(ratings.n_ratings, folds, seed), "fold")
    framed = framed.persist()
    results, cold_users, cold_items, cold_rows = [], set(), set(), 0
    try:
        for k in range(folds):
            train = framed.filter(F.col("fold") != k)
            test = framed.filter(F.col("fold") == k)
            fitted = fit_als(train, config, ratings.scale)
            rmse, mae, _ = errors(predict(fitted, test))
            users, items, rows = cold(fitted, test)
            cold_users.update(users)
            cold_items.update(items)
            cold_rows += rows
            results.append({"rmse": rmse, "mae": mae, "fit_seconds": fitted.seconds,
                            "epochs_run": config.max_iter, "status": "completed",
                            "cold_ratings": rows})
            fitted.release()
    finally:
        framed.unpersist()
    return {
        "engine": "spark", "model": "als", "model_config": config.to_dict(), "folds": results,
        "rmse": float(sum(f["rmse"] for f in results) / len(results)),
        "mae": float(sum(f["mae"] for f in results) / len(results)),
        "fit_seconds": float(sum(f["fit_seconds"] for f in results)),
        "note": bias_note(config),
        "cold_start": cold_start_note(ratings, config, sorted(cold_users), sorted(cold_items),
                                      cold_rows, folds=folds),
        "n_users": ratings.n_users, "n_items": ratings.n_items, "n_ratings": ratings.n_ratings,
        "scale": list(ratings.scale), "warnings": [w.message for w in ratings.warnings],
        "spark": {"version": spark.version, "master": spark.sparkContext.master},
    }


# ----- fit -------------------------------------------------------------------------------------
def run_fit(spark, ratings, config: AlsConfig, args) -> dict:
    from pyspark.sql import functions as F

    val_frac = DEFAULT_VAL_FRAC if args.val_frac is None else args.val_frac
    if not 0 <= val_frac < 1:
        raise UsageError("--val-frac must be at least 0 and below 1")
    if args.top_n < 1:
        raise UsageError("--top-n must be at least 1")
    out = _out_dir(args.out)
    seed = config.seed
    framed = attach(ratings.frame, holdout_ids(ratings, val_frac, seed), "val").persist()
    try:
        train = framed.filter(F.col("val") == 0)
        held = framed.filter(F.col("val") == 1)
        fitted = fit_als(train, config, ratings.scale)
        train_rmse, train_mae, n_train = errors(predict(fitted, train))
        held_scored = predict(fitted, held).persist()
        val_rmse, val_mae, n_val = errors(held_scored)
        base = held.agg(F.sqrt(F.avg((F.col("rating") - fitted.mean) ** 2)),
                        F.avg(F.abs(F.col("rating") - fitted.mean))).first()
        users, items, rows = cold(fitted, held) if n_val else ([], [], 0)
        files = _write_outputs(spark, ratings, fitted, held_scored, out, args.top_n)
        held_scored.unpersist()
        fitted.release()
    finally:
        framed.unpersist()
    train_config = {"val_frac": val_frac, "seed": seed}
    config_json = {"engine": "spark", "model": "als", "model_config": config.to_dict(),
                   "train_config": train_config, "data": str(args.data),
                   "global_mean": fitted.mean, "scale": list(ratings.scale),
                   "n_users": ratings.n_users, "n_items": ratings.n_items,
                   "n_ratings": ratings.n_ratings, "note": bias_note(config),
                   "spark": {"version": spark.version, "master": spark.sparkContext.master},
                   "files": files}
    (out / "config.json").write_text(json.dumps(config_json, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
    return {
        "engine": "spark", "model": "als", "model_config": config.to_dict(),
        "train_config": train_config, "n_users": ratings.n_users, "n_items": ratings.n_items,
        "n_ratings": ratings.n_ratings, "scale": list(ratings.scale),
        "epochs_run": config.max_iter, "status": "completed", "message": "",
        "seconds": round(fitted.seconds, 4), "fit_seconds": fitted.seconds,
        "n_train": n_train, "n_val": n_val,
        "train_rmse": train_rmse, "train_mae": train_mae,
        "val_rmse": val_rmse, "val_mae": val_mae,
        "baseline_val_rmse": base[0] if n_val else None,
        "baseline_val_mae": base[1] if n_val else None,
        "truth_rmse": None, "truth_mae": None, "n_truth": 0,
        "note": bias_note(config),
        "cold_start": cold_start_note(ratings, config, users, items, rows),
        "warnings": [w.message for w in ratings.warnings], "files": files,
    }


def _out_dir(out: str) -> Path:
    """``--out``: a folder on this machine (on a cluster, a shared folder mounted at the same
    path on every node), since config.json and the CSVs are written from here."""
    if "://" in out:
        raise UsageError(f"--out must be a folder on this machine, not '{out}': on a cluster, "
                         "give a shared folder mounted at the same path on every node")
    path = Path(out)
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def local_uri(path: Path) -> str:
    """``file:///...`` for Spark's writers. A path without a scheme is resolved against the
    cluster's default file system (HDFS on many clusters), and the Parquet tables and the model
    would land there while config.json and the CSVs go to this machine's folder."""
    return "file://" + str(path)


def save_model(model, indexer, out: Path) -> dict:
    """Spark's own ``ALSModel`` in ``als_model/`` and the label mapping in ``ids/``."""
    model.write().overwrite().save(local_uri(out / "als_model"))
    indexer.write().overwrite().save(local_uri(out / "ids"))
    return {"als_model": "als_model", "ids": "ids"}


def _write_outputs(spark, ratings, fitted, held_scored, out: Path, n: int) -> dict:
    from pyspark.ml.feature import IndexToString
    from pyspark.sql import functions as F

    def labelled(frame, *pairs):
        for source, target, labels in pairs:
            frame = IndexToString(inputCol=source, outputCol=target, labels=labels).transform(frame)
        return frame

    users = ("u", "user", ratings.users)
    items = ("i", "item", ratings.items)
    first_seen = ratings.frame.groupBy("u").agg(F.min("idx").alias("_first"))
    best = labelled(top_n(fitted, ratings.frame, n).join(first_seen, "u"), users, items)
    best = best.orderBy("_first", "rank").select("user", "rank", "item", "score").persist()
    files = {"top_n": _write_table(best, out, "top_n")}
    best.unpersist()
    held = labelled(held_scored, users, items).orderBy("idx").select(
        "user", "item", "rating", F.round("prediction", PREDICTION_DECIMALS).alias("prediction"))
    files["predictions"] = _write_table(held, out, "predictions")
    files.update(save_model(fitted.model, ratings.indexer, out))
    if fitted.config.bias:
        for table, pair, name in ((fitted.user_bias, users, "users"),
                                  (fitted.item_bias, items, "items")):
            labelled(table, pair).drop(pair[0]).write.mode("overwrite").parquet(
                local_uri(out / "biases" / f"{name}.parquet"))
        files["biases"] = "biases"
    return files


def _write_table(frame, out: Path, name: str) -> list[str]:
    """``name.parquet`` always; ``name.csv`` too (UTF-8 with BOM, labels formula-safe, as the
    torch engine's CSVs) when it has at most ``SMALL_ROWS`` rows."""
    frame.write.mode("overwrite").parquet(local_uri(out / f"{name}.parquet"))
    written = [f"{name}.parquet"]
    head = frame.limit(SMALL_ROWS + 1).collect()
    if len(head) <= SMALL_ROWS:
        with open(out / f"{name}.csv", "w", encoding=CSV_ENCODING, newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(frame.columns)
            for row in head:
                writer.writerow([_cell(v) for v in row])
        written.append(f"{name}.csv")
    else:
        (out / f"{name}.csv").unlink(missing_ok=True)  # an older, smaller run's
    return written


def _cell(value):
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(round(value, PREDICTION_DECIMALS))
    return safe_cell(value)


# ----- words -----------------------------------------------------------------------------------
def bias_note(config: AlsConfig) -> Msg:
    if config.bias:
        return L_("ALS has no bias terms; this run took the training mean and each user's and "
                  "item's bias out before ALS and adds them back to its predictions (--bias on). "
                  "Predictions are clipped to the rating scale.")
    return L_("ALS has no bias terms, and this run added none (--bias off): predictions are "
              "ALS's alone, clipped to the rating scale.")


def cold_start_note(ratings, config: AlsConfig, users: list[int], items: list[int],
                    rows: int, folds: int = 0) -> Msg | None:
    """The torch engine's cold-start sentence for the held-out ratings (of all ``folds``),
    or None."""
    if not users and not items:
        return None
    parts = []
    if users:
        how = (L_("the training mean plus each item's bias, the same guess for anyone")
               if config.bias else L_("the training mean"))
        parts.append(L_("{users} ({names}) had no training rating: their predictions are "
                        "{how}, not a personal one",
                        users=Ln_("{n} user", "{n} users", len(users), n=f"{len(users):,}"),
                        names=_names(ratings.users, users), how=how))
    if items:
        how = (L_("the training mean plus each user's bias") if config.bias else
               L_("the training mean"))
        parts.append(L_("{items} ({names}) had no training rating: their predictions are {how}",
                        items=Ln_("{n} item", "{n} items", len(items), n=f"{len(items):,}"),
                        names=_names(ratings.items, items), how=how))
    said = Joined(parts)
    if folds:
        return L_("Cold start ({rows} held-out rating(s), over the {folds} folds): {parts}. ALS "
                  "has no vector for them, so they get the averages, as in the torch engine.",
                  rows=f"{rows:,}", folds=folds, parts=said)
    return L_("Cold start ({rows} held-out rating(s)): {parts}. ALS has no vector for them, so "
              "they get the averages, as in the torch engine.", rows=f"{rows:,}", parts=said)


def _names(labels: list[str], positions: list[int], show: int = 5) -> str:
    shown = Joined([f"'{labels[p]}'" for p in positions[:show]], sep=", ")
    if len(positions) > show:
        return _and([shown, L_("{n} more", n=f"{len(positions) - show:,}")])
    return shown
