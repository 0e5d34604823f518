"""``python -m recsys_core fit|evaluate FILE --task ranking``: the ranking task from a shell.

The output is a contract other tools read: one JSON object on stdout with exactly the keys
of :data:`KEYS`; bad input exits with status 2 and one line on stderr (``recsys_core.cli``
reports it). Warnings about the data (merged repeats, a threshold's effect) go to stderr as
``warning: ...`` lines, so stdout stays one object.

- ``evaluate FILE --task ranking --model M --k 10 --negatives 99 --seed 0``: leave-one-out
  by time (seeded random where the file has none), training on the rest, HR@K and NDCG@K
  on ``--negatives`` sampled items (``hr``, ``ndcg``) and on the full ranking of every item
  the user has no training interaction with (``hr_full``, ``ndcg_full``).
- ``fit FILE --task ranking --model M --out DIR``: the same, and writes ``top_n.csv``
  (``user,rank,item,score``: each user's ``--n`` best items among those they never
  interacted with), ``model.pt`` (the scored model, trained without the held-out items;
  :func:`load_ranking_model` reads it back) and ``config.json``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from recsys_core.i18n import L_
from recsys_core.models import MODELS, RANKING_MODELS
from recsys_core.models.config import from_dict, to_dict
from recsys_core.ranking.data import Interactions
from recsys_core.ranking.loading import load_interactions
from recsys_core.ranking.metrics import evaluate
from recsys_core.ranking.split import leave_one_out
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer
from recsys_core.results.export import _csv_bytes, _safe_column

KEYS = ("model", "task", "n_users", "n_items", "n_interactions", "hr", "ndcg", "hr_full",
        "ndcg_full", "fit_seconds")
FORMAT = "recsys-playground-ranking-model/1"
TOP_N_BATCH = 512


# ----- the options, added to the rating commands' parsers ---------------------------------
def model_help() -> str:
    return (f"rating models (--task ratings): {', '.join(MODELS)}; ranking models (--task "
            f"ranking): {', '.join(RANKING_MODELS)}; als with --engine spark (either task)")


def add_options(cmd, command: str) -> None:
    """The ranking options of ``fit`` and ``evaluate``."""
    cmd.add_argument("--task", choices=("ratings", "ranking"), default="ratings",
                     help="ratings: fill a rating matrix (default); ranking: rank unseen items "
                          "from interactions (clicks, views, purchases), leave-one-out, HR@K "
                          "and NDCG@K")
    cmd.add_argument("--k", type=int, default=10, help="ranking: the K of HR@K and NDCG@K "
                                                       "(default 10)")
    cmd.add_argument("--negatives", type=int, default=99,
                     help="ranking: sampled items each held-out item is ranked among "
                          "(default 99, as in the NCF paper)")
    cmd.add_argument("--like-threshold", type=float, metavar="X",
                     help="ranking: only a rating of X or more counts as an interaction "
                          "(default: every row does)")
    cmd.add_argument("--train-negatives", type=int, metavar="N",
                     help="ranking: negatives drawn per interaction in training (default 4)")
    # top_n.csv's length is --top-n (or --n), one option shared with the Spark engine
    # (recsys_core/spark/options.py)


def wants(args) -> bool:
    """True when ``args`` ask for the ranking task; refuses a ranking model for ratings."""
    task = getattr(args, "task", "ratings")
    model = getattr(args, "model", None)
    if model == "als" and task == "ratings" and getattr(args, "engine", "torch") != "spark":
        raise _usage("--model als for ratings runs on Spark: add --engine spark, or use the "
                     "torch engine's MF with --model mf --solver als (the torch engine's own "
                     "ALS for clicks is --task ranking --model als)")
    if task == "ratings" and model not in (None, "als", *MODELS):
        raise _usage(f"'{args.model}' is a ranking model: add --task ranking, or choose a "
                     f"rating model ({', '.join(MODELS)})")
    return task == "ranking"


def run(args) -> dict:
    """The ranking ``fit`` or ``evaluate`` command; the JSON object to print."""
    _refuse_rating_options(args)
    if getattr(args, "engine", "torch") == "spark":
        from recsys_core.spark.ranking import run as run_on_spark

        return run_on_spark(args)
    _refuse_spark_options(args, ALS_OPTIONS if args.model == "als" else ())
    data = load_interactions(args.data, format=args.format, like_threshold=args.like_threshold)
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    name = args.model or "neumf"
    if name not in RANKING_MODELS:
        raise _usage(f"'{name}' is not a ranking model; choose one of "
                     f"{', '.join(RANKING_MODELS)}")
    if args.k < 1:
        raise _usage("--k must be a positive whole number")
    if args.negatives < 1:
        raise _usage("--negatives must be a positive whole number")
    model_config, train = configs(name, args)
    seed = 0 if args.seed is None else args.seed
    summary, trainer, split = fit_and_score(data, name, model_config, train, args.k,
                                            args.negatives, seed)
    if args.command == "fit":
        if args.top_n < 1:
            raise _usage("--n must be a positive whole number")
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "top_n.csv").write_bytes(_csv_bytes(top_n_frame(trainer.model, data,
                                                               args.top_n), index=False))
        save_ranking_model(trainer, data, out / "model.pt")
        (out / "config.json").write_text(json.dumps({
            "model": name, "task": "ranking", "model_config": to_dict(model_config),
            "train_config": to_dict(train), "data": str(args.data),
            "like_threshold": args.like_threshold, "k": args.k, "negatives": args.negatives,
            "seed": seed, "held_out": split.note(), "rule": data.rule,
            "warnings": [str(w) for w in data.warnings]}, ensure_ascii=False, indent=2),
            encoding="utf-8")
    return summary


def fit_and_score(data: Interactions, name: str, model_config, train: RankingTrainConfig,
                  k: int = 10, negatives: int = 99, seed: int = 0):
    """Leave-one-out with ``seed``, one model trained on the rest and scored both ways:
    ``(summary with KEYS, trainer, split)``. ``fit_seconds`` is building and training the
    model (pretraining included), not loading or scoring."""
    split = leave_one_out(data, seed)
    if split.test_users.size == 0:
        raise _usage("no user has two interactions, so none can be held out and scored")
    started = time.perf_counter()
    trainer = RankingTrainer(split, name, model_config, train).fit()
    fit_seconds = time.perf_counter() - started
    scores = evaluate(trainer.score_pairs, trainer.score_rows, split, k, negatives, seed)
    summary = {"model": name, "task": "ranking", "n_users": data.n_users,
               "n_items": data.n_items, "n_interactions": data.n_interactions,
               **{key: round(value, 6) for key, value in scores.as_dict().items()},
               "fit_seconds": round(fit_seconds, 4)}
    return {key: summary[key] for key in KEYS}, trainer, split


def configs(name: str, args) -> tuple:
    """The model's and the training's settings: the registry's defaults, then the options."""
    spec = RANKING_MODELS[name]
    from recsys_core.cli import shape_changes

    model_config = shape_changes(spec.config_cls(), args, f"the {name} model")
    if name == "als":  # the options Spark's ALS reads, for the torch engine's ALS too
        for option, field in (("reg", "regularization"), ("alpha", "alpha")):
            value = getattr(args, option, None)
            if value is not None:
                if value < 0:
                    raise _usage(f"--{option} must not be negative")
                model_config = replace(model_config, **{field: value})
    train = replace(RankingTrainConfig(), **spec.train_defaults)
    changes = {}
    for option in ("epochs", "lr", "optimizer", "weight_decay", "seed"):
        value = getattr(args, option)
        if value is not None:
            changes[option] = value
    if args.train_negatives is not None:
        changes["negatives"] = args.train_negatives
    if args.batch_size is not None:
        if not args.batch_size.strip().isdigit() or int(args.batch_size) < 1:
            raise _usage(f"--batch-size must be a positive whole number for the ranking task, "
                         f"got '{args.batch_size}'")
        changes["batch_size"] = int(args.batch_size)
    for option, smallest in (("epochs", 1), ("negatives", 1)):
        if option in changes and changes[option] < smallest:
            flag = "--train-negatives" if option == "negatives" else "--epochs"
            raise _usage(f"{flag} must be at least {smallest}")
    if "lr" in changes and not changes["lr"] > 0:
        raise _usage("--lr must be a positive number")
    if changes.get("weight_decay", 0) < 0:
        raise _usage("--weight-decay must not be negative")
    return model_config, replace(train, **changes)


def _refuse_rating_options(args) -> None:
    for option, flag in (("preset", "--preset"), ("truth", "--truth"), ("val_frac", "--val-frac"),
                         ("rating_range", "--rating-range"), ("folds", "--folds"),
                         ("auto", "--auto")):
        if getattr(args, option, None) is not None:
            raise _usage(f"{flag} applies to the ratings task, not to --task ranking (it holds "
                         "out each user's latest interaction: leave-one-out)")
    if getattr(args, "duplicates", "error") != "error":
        raise _usage("--duplicates applies to the ratings task; in --task ranking a repeated "
                     "user-item pair is one interaction")


ALS_OPTIONS = ("--reg", "--alpha")
"""Spark's ALS options that the torch engine's ALS reads too."""


def _refuse_spark_options(args, allowed: tuple[str, ...] = ()) -> None:
    from recsys_core.spark.options import spark_options_given

    given = [flag for flag in spark_options_given(args) if flag not in ("--top-n", *allowed)]
    for_als = [flag for flag in given if flag in ALS_OPTIONS]
    if for_als:
        raise _usage(f"{', '.join(for_als)} applies only to ALS: add --model als (the torch "
                     "engine's) or --engine spark, or leave it out")
    if given:
        raise _usage(f"{', '.join(given)} applies only with --engine spark: add "
                     "--engine spark, or leave it out")


def _usage(text: str) -> Exception:
    from recsys_core.cli import UsageError

    return UsageError(text)


# ----- outputs ------------------------------------------------------------------------------
@torch.no_grad()
def top_n_indices(model, data: Interactions, n: int, users: np.ndarray | None = None):
    """``(user, rank, item, score)`` arrays: each of ``users``' (default: every user's) ``n``
    best-scored items among those they have no interaction with (training or held out),
    best first; positions in ``data.users`` and ``data.items``."""
    users = np.arange(data.n_users) if users is None else np.asarray(users, dtype=np.int64)
    known = np.sort(data.keys())
    take = min(n, data.n_items)
    parts = []
    model.eval()
    for start in range(0, users.size, TOP_N_BATCH):
        some = users[start:start + TOP_N_BATCH]
        rows = model.score_rows(torch.as_tensor(some)).double().numpy().copy()
        for row, user in enumerate(some):
            lo, hi = np.searchsorted(known, [user * data.n_items, (user + 1) * data.n_items])
            rows[row, known[lo:hi] - user * data.n_items] = -np.inf
        best = np.argsort(-rows, axis=1, kind="stable")[:, :take]
        scores = np.take_along_axis(rows, best, axis=1)
        ok = np.isfinite(scores).ravel()
        parts.append((np.repeat(some, take)[ok], np.tile(np.arange(1, take + 1), some.size)[ok],
                      best.ravel()[ok], scores.ravel()[ok]))
    if not parts:
        return tuple(np.empty(0, dtype=dtype) for dtype in (np.int64, np.int64, np.int64, float))
    return tuple(np.concatenate(column) for column in zip(*parts))


def top_n_frame(model, data: Interactions, n: int) -> pd.DataFrame:
    """``user, rank, item, score``: each user's ``n`` best-scored items among those they
    have no interaction with (training or held out), best first; labels made safe for a
    spreadsheet."""
    users, ranks, items, scores = top_n_indices(model, data, n)
    frame = pd.DataFrame({"user": np.asarray(data.users, dtype=object)[users], "rank": ranks,
                          "item": np.asarray(data.items, dtype=object)[items], "score": scores})
    frame["user"] = _safe_column(frame["user"])
    frame["item"] = _safe_column(frame["item"])
    return frame


def save_ranking_model(trainer: RankingTrainer, data: Interactions, target) -> None:
    """Weights, settings and labels as plain tensors and strings (``weights_only`` loads it)."""
    torch.save({"format": FORMAT, "task": "ranking", "model_name": trainer.model_name,
                "model_config": to_dict(trainer.model_config),
                "train_config": to_dict(trainer.train),
                "users": list(data.users), "items": list(data.items),
                "state_dict": {k: v.detach().cpu() for k, v in trainer.model.state_dict().items()}},
               target)


def load_ranking_model(source):
    """``(model, payload)`` from a file :func:`save_ranking_model` wrote; nothing but tensors
    and plain values is read (``weights_only=True``)."""
    from recsys_core.results.trained_run import ModelFileError

    try:
        payload = torch.load(source, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever torch trips on, the file is not ours
        raise ModelFileError(L_(
            "This file is not a model saved by RecSys Playground, or it contains code, which "
            "is never loaded. Save the model again from the app or the CLI (details: "
            "{details})", details=type(exc).__name__)) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFileError(L_("This file is not a ranking model saved by RecSys Playground."))
    spec = RANKING_MODELS.get(str(payload.get("model_name")))
    if spec is None:
        raise ModelFileError(L_("Unknown model type '{name}' in the file.",
                                name=str(payload.get("model_name"))))
    config = from_dict(spec.config_cls, payload["model_config"])
    model = spec.module_cls(len(payload["users"]), len(payload["items"]), config)
    model.load_state_dict(payload["state_dict"])
    model.eval()
    return model, payload
