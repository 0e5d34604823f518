"""``python -m recsys_core fit|evaluate|recommend``: the library from a shell, for scripts and
benchmarks. ``--task ranking`` runs the ranking task instead (:mod:`recsys_core.ranking.commands`).

The output is a contract: one JSON object on stdout; bad input exits with status 2 and one
message on stderr (what, where, what to do), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields, replace
from pathlib import Path

import numpy as np

from recsys_core.data.errors import DuplicatePairError, RatingsError
from recsys_core.data.loading import DUPLICATE_POLICIES, load_ratings
from recsys_core.models import MODELS, RANKING_MODELS
from recsys_core.models.defaults import suggest_configs
from recsys_core.ranking import commands as ranking
from recsys_core.results.export import completed_csv, predictions_csv
from recsys_core.spark.options import add_arguments as add_spark_arguments
from recsys_core.spark.options import spark_options_given
from recsys_core.teaching.presets import PRESETS

EXIT_BAD_INPUT = 2
DEFAULT_FOLDS = 5


class UsageError(Exception):
    """A bad option value: reported like bad data, with exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m recsys_core",
                                     description="Fill a rating matrix with a recommender model.")
    commands = parser.add_subparsers(dest="command", required=True)
    fit_cmd = commands.add_parser("fit", help="train one model and write the filled matrix")
    _add_common(fit_cmd)
    fit_cmd.add_argument("--preset", choices=sorted(PRESETS), help="a lecture set-up")
    fit_cmd.add_argument("--val-frac", type=float, help="share of ratings held out (default 0.1)")
    fit_cmd.add_argument("--truth", help="a complete matrix to score the filled-in cells against")
    fit_cmd.add_argument("--out", required=True, help="folder for the output files")
    eval_cmd = commands.add_parser("evaluate", help="k-fold cross-validation (ratings); "
                                                    "leave-one-out HR@K, NDCG@K (ranking)")
    _add_common(eval_cmd)
    eval_cmd.add_argument("--folds", type=int, default=None,
                          help="ratings task: number of cross-validation folds (default 5)")
    ranking.add_options(fit_cmd, "fit")
    ranking.add_options(eval_cmd, "evaluate")
    add_spark_arguments(fit_cmd, "fit")
    add_spark_arguments(eval_cmd, "evaluate")
    _add_recommend(commands)
    return parser


def _add_common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("data", help="rating file: wide matrix or user,item,rating rows")
    cmd.add_argument("--model", choices=sorted({*MODELS, *RANKING_MODELS, "als"}), default=None,
                     help=ranking.model_help())
    cmd.add_argument("--dim", type=int, help="embedding size k")
    cmd.add_argument("--solver", choices=["gradient", "als"],
                     help="MF only: gradient (the optimiser, the default) or als (alternating "
                          "least squares, one sweep an epoch)")
    cmd.add_argument("--hidden", help="hidden layer sizes, e.g. 15,15")
    cmd.add_argument("--auto", action="store_true", default=None,
                     help="choose the embedding size and the weight decay on validation ratings "
                          "first: up to 6 short trainings, at most 60 s (rating models, torch "
                          "engine; --dim or --weight-decay given are kept)")
    cmd.add_argument("--epochs", type=int)
    cmd.add_argument("--lr", type=float)
    cmd.add_argument("--optimizer", choices=["adam", "adamw", "sgd"])
    cmd.add_argument("--weight-decay", type=float)
    cmd.add_argument("--batch-size", help="a number, or 'full'")
    cmd.add_argument("--seed", type=int, default=None)
    cmd.add_argument("--format", choices=["auto", "wide", "long", "parquet"], default="auto",
                     help="auto (default): guessed from the file; parquet: --engine spark only, "
                          "for Parquet parts whose names do not end in .parquet (hdfs://, s3a://)")
    cmd.add_argument("--rating-range", help="lowest,highest rating, e.g. 1,5")
    cmd.add_argument("--duplicates", choices=list(DUPLICATE_POLICIES), default="error",
                     help="a user-item pair rated more than once: refuse the file (error, the "
                          "default), or keep the mean, the first or the last rating")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        output = ranking.run(args) if ranking.wants(args) else {
            "fit": run_fit, "evaluate": run_evaluate, "recommend": run_recommend}[args.command](args)
    except (RatingsError, UsageError) as exc:
        message = getattr(exc, "message", str(exc))
        if isinstance(exc, DuplicatePairError):  # the app's picker is this option here
            message = message.rstrip(".") + " (--duplicates mean, first or last)."
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: cannot read or write '{exc.filename}': {exc.strerror}. What to do: "
              "check the path and its permissions.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if hasattr(args, "engine") and getattr(args, "task", "ratings") == "ratings":
        output.setdefault("engine", args.engine)  # the ratings task's fit and evaluate: the
        # ranking task's keys are exactly the (one engine, torch, so far)
    print(json.dumps(output, ensure_ascii=False))
    return 0


# ----- commands --------------------------------------------------------------------------
def run_fit(args) -> dict:
    from recsys_core.training.trainer import Trainer

    if _spark_engine(args):
        return _run_spark(args)
    ratings, model_name, model_config, train = _setup(args)
    if args.val_frac is not None:
        if not 0 <= args.val_frac < 1:
            raise UsageError("--val-frac must be at least 0 and below 1")
        train = replace(train, val_frac=args.val_frac)
    if args.truth:
        ratings = replace(ratings, truth=_load_truth(args.truth, ratings))
    choice = _auto_choice(ratings, model_name, model_config, train, args)
    if choice is not None:
        model_config, train = choice.model_config, choice.train_config
    result = Trainer(ratings, model_name, model_config, train).fit().result()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "completed.csv").write_bytes(completed_csv(result))
    (out / "predictions.csv").write_bytes(predictions_csv(result))
    result.save(out / "model.pt")
    summary = result.summary()
    (out / "config.json").write_text(json.dumps(
        {"model": model_name, "model_config": summary["model_config"],
         "train_config": summary["train_config"], "data": str(args.data)},
        ensure_ascii=False, indent=2), encoding="utf-8")
    summary["warnings"] = [w.message for w in ratings.warnings]
    if choice is not None:
        summary["auto"] = choice.summary()
    return summary


def run_evaluate(args) -> dict:
    from recsys_core.training.evaluation import cross_validate

    if _spark_engine(args):
        return _run_spark(args)
    ratings, model_name, model_config, train = _setup(args)
    folds = DEFAULT_FOLDS if args.folds is None else args.folds
    if folds < 2 or folds > ratings.n_ratings:
        raise UsageError(f"--folds must be between 2 and the number of ratings "
                         f"({ratings.n_ratings})")
    seed = 0 if args.seed is None else args.seed
    _refuse_auto_with_preset(args)
    return cross_validate(ratings, model_name, model_config, train, folds=folds, seed=seed,
                          auto=bool(args.auto), keep=_kept_by_user(args))


def _auto_choice(ratings, model_name, model_config, train, args):
    """``--auto``: the settings chosen on ``train``'s validation share (None without it)."""
    if not args.auto:
        return None
    from recsys_core.training.auto import choose

    _refuse_auto_with_preset(args)
    return choose(ratings, model_name, model_config, train, keep=_kept_by_user(args))


def _refuse_auto_with_preset(args) -> None:
    if args.auto and getattr(args, "preset", None):
        raise UsageError("--auto chooses settings, and --preset fixes the lecture's: use one")


def _kept_by_user(args) -> tuple[str, ...]:
    """The settings auto leaves alone because the command line gave them."""
    given = (("dim", args.dim), ("weight_decay", args.weight_decay))
    kept = tuple(name for name, value in given if value is not None)
    if args.auto and len(kept) == len(given):
        raise UsageError("--auto chooses --dim and --weight-decay, and both are given: drop "
                         "--auto, or one of them")
    return kept


def _spark_engine(args) -> bool:
    """``--engine spark`` (recsys_core/spark/); Spark's options refused with the torch one."""
    if getattr(args, "engine", "torch") == "spark":
        return True
    given = spark_options_given(args) if hasattr(args, "engine") else []
    if given:
        raise UsageError(f"{', '.join(given)} applies only with --engine spark")
    return False


def _run_spark(args) -> dict:
    from recsys_core.spark.commands import run

    return run(args)


# ----- recommend: a new user's top-N from a run folder, without retraining ----------------
def _add_recommend(commands) -> None:
    cmd = commands.add_parser(
        "recommend", help="a new user's top-N from a few ratings, without retraining",
        description="Fold a new user into the run in DIR from their ratings and print the items "
                    "they have not rated, best first. DIR is a folder written by any 'fit --out "
                    "DIR': ratings or --task ranking, torch or --engine spark (Spark's saved ALS "
                    "is read without starting Spark).")
    cmd.add_argument("dir", metavar="DIR", help="a folder written by 'fit --out'")
    cmd.add_argument("--rate", action="append", default=[], metavar="ITEM=VALUE",
                     help="an item the new user rated and the rating, e.g. --rate 'Heat "
                          "(1995)=4.5'; once per item; labels are matched exactly; on an "
                          "interactions run (fit --task ranking) VALUE is 1: an item they liked")
    cmd.add_argument("--n", default="10", metavar="N|all",
                     help="how many items to list (default 10), or 'all'; on a Spark "
                          "interactions run an item ALS has no vector for (never in training) "
                          "comes last with the score null")


def run_recommend(args) -> dict:
    """``{"items": [{"item", "score"}, ...], "seconds"}``: the fold-in's unrated items, best
    first, from :func:`recsys_core.recommend.recommend_from_folder` (the library's own entry
    point, every kind of run); ``seconds`` is the fold-in's own time, not the start-up."""
    from recsys_core.recommend import folder_run, recommend_from_folder
    from recsys_core.results.trained_run import ModelFileError

    if args.n.strip().lower() == "all":
        n = None
    elif args.n.strip().isdigit() and int(args.n) >= 1:
        n = int(args.n)
    else:
        raise UsageError(f"--n must be a positive whole number or 'all', got '{args.n}'")
    rated = _parse_rates(args.rate, folder_run(args.dir))
    try:
        return recommend_from_folder(args.dir, rated, n)
    except ModelFileError as exc:
        raise UsageError(f"{exc} (in '{args.dir}')") from None


def _parse_rates(texts: list[str], run) -> list[tuple[str, float]]:
    """The ``--rate ITEM=VALUE`` texts as ``(label, number)`` pairs; a missing or malformed one
    is said with an example the run in the folder takes (``run``: its
    :class:`~recsys_core.recommend.FolderRun`)."""
    if not texts:
        raise UsageError(f"no --rate given: rate at least one item, {_rate_example(run)}")
    rated = []
    for text in texts:
        item, equals, value = text.rpartition("=")
        if not equals or not item:
            raise UsageError(f"--rate needs ITEM=VALUE, got '{text}': {_rate_example(run)}")
        try:
            rated.append((item, float(value)))
        except ValueError:
            raise UsageError(f"--rate '{text}': '{value}' is not a number; give ITEM=VALUE with "
                             f"a number, {_rate_example(run)}") from None
    return rated


def _rate_example(run) -> str:
    """``e.g. --rate 'ITEM=5'``: a value this run takes (1 on an interactions run)."""
    from recsys_core.recommend import rate_example

    said = f"e.g. --rate '{rate_example(run)}'"
    if run.interactions:
        return f"{said} (on this interactions run VALUE is 1: an item the new user liked)"
    return said


# ----- option handling -------------------------------------------------------------------
def _setup(args):
    ratings = load_ratings(args.data, format=args.format, duplicates=args.duplicates,
                           rating_range=_parse_range(args.rating_range))
    preset = PRESETS.get(getattr(args, "preset", None) or "")
    if preset:
        if args.rating_range is None:
            ratings = ratings.with_scale(preset.scale)
        model_name, model_config, train = preset.model_name, preset.model_config, preset.train_config
        if args.model and args.model != model_name:
            raise UsageError(f"--preset {preset.name} is a '{model_name}' model; drop --model "
                             f"or pick '{model_name}'")
    else:
        model_name = args.model or "mf"
        model_config, train = suggest_configs(ratings, model_name)
    return ratings, model_name, _override_model(model_config, args), _override_train(train, args)


def _override_model(config, args):
    return shape_changes(config, args, f"this model ({type(config).__name__})")


def shape_changes(config, args, which: str):
    """``config`` with ``--dim``, ``--hidden`` and ``--solver`` applied, each refused where
    the model (``which``, in words) has no such setting; both tasks' models."""
    names = {f.name for f in fields(config)}
    changes = {}
    if args.dim is not None:
        if "dim" not in names:
            raise UsageError(f"--dim does not apply to {which}")
        if args.dim < 1:
            raise UsageError("--dim must be a positive whole number")
        changes["dim"] = args.dim
    if args.hidden is not None:
        if "hidden" not in names:
            raise UsageError(f"--hidden does not apply to {which}")
        changes["hidden"] = parse_hidden(args.hidden)
    if getattr(args, "solver", None) is not None:
        if "solver" not in names:
            raise UsageError(f"--solver does not apply to {which}")
        changes["solver"] = args.solver
    return replace(config, **changes)


def parse_hidden(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise UsageError(f"hidden layer sizes must be whole numbers separated by commas, "
                         f"got '{text}' (e.g. 15,15)") from None
    if not sizes or min(sizes) < 1:
        raise UsageError(f"hidden layer sizes must be positive, got '{text}' (e.g. 15,15)")
    return sizes


def _override_train(train, args):
    changes = {}
    for option, name in (("epochs", "epochs"), ("lr", "lr"), ("optimizer", "optimizer"),
                         ("weight_decay", "weight_decay"), ("seed", "seed")):
        value = getattr(args, option)
        if value is not None:
            changes[name] = value
    if args.epochs is not None and args.epochs < 1:
        raise UsageError("--epochs must be at least 1")
    if args.lr is not None and not args.lr > 0:
        raise UsageError("--lr must be a positive number")
    if args.weight_decay is not None and args.weight_decay < 0:
        raise UsageError("--weight-decay must not be negative")
    if args.batch_size is not None:
        changes["batch_size"] = _parse_batch(args.batch_size)
    return replace(train, **changes)


def _parse_batch(text: str) -> int | None:
    if text.strip().lower() == "full":
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise UsageError(f"--batch-size must be a positive whole number or 'full', got '{text}'")
    return int(text)


def _parse_range(text: str | None):
    if text is None:
        return None
    parts = text.replace(" ", "").split(",")
    try:
        lo, hi = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"--rating-range needs two numbers 'lowest,highest', got '{text}' "
                         "(e.g. 1,5)") from None
    if not lo < hi:
        raise UsageError(f"--rating-range: the lowest rating must come first and be below the "
                         f"highest, got '{text}'")
    return (lo, hi)


def _load_truth(path: str, ratings) -> np.ndarray:
    truth = load_ratings(path, format="wide")
    matrix = truth.to_matrix()
    missing_users = [u for u in ratings.users if u not in matrix.index]
    missing_items = [i for i in ratings.items if i not in matrix.columns]
    if missing_users or missing_items:
        what = (f"user '{missing_users[0]}'" if missing_users else f"item '{missing_items[0]}'")
        raise RatingsError(f"The truth file has no {what} of the data",
                           f"file {path}", "give a full matrix with the same user and item labels")
    return matrix.loc[ratings.users, ratings.items].to_numpy()
