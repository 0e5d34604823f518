"""``python -m bench.foldin``: a newcomer's recommendations without retraining (issue 15).

On MovieLens latest-small, ``USERS`` users (drawn with seed 0) are held out of training. Each
of them is folded into the trained run (:func:`recsys_core.training.foldin.fold_in`) from
``FOLD_SHARE`` of their ratings (drawn per user, seed 0), and the other ratings are scored:

- **fold-in**: the run trained without those users, each folded in from their 80%;
- **retrain**: the same model, configs and seed trained again with the 50 users' 80% in
  its training data (the full retrain that fold-in saves);
- **cold start**: the run without those users, predicting them as it predicts anyone it
  knows nothing about (what a newcomer gets without fold-in);
- **item mean**: each item's mean training rating (the 80% included), the overall mean for
  an item without one.

The time per fold-in is the wall time of one ``fold_in`` call: checking the ratings, finding
the rows and predicting all 9,724 movies, after one fold-in that is not counted (the first
call in a process pays one-time costs). Every model of the registry by default; training uses
the defaults a user gets (``suggest_configs``), ``THREADS`` torch threads, as ``python -m
bench`` does. Writes the section between ``START`` and ``END`` of BENCHMARKS.md and nothing
else (``python -m bench`` keeps it).

    python -m bench.foldin                     # every model, writes BENCHMARKS.md
    python -m bench.foldin --models mf --no-write
    python -m bench.foldin --smoke --out /tmp/x.md   # seconds: proves it runs
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from . import load

START, END = load.markers("fold-in")
USERS = 50
FOLD_SHARE = 0.8
SEED = 0
THREADS = 2
TARGET_GAP = 0.02  # fold-in RMSE at most this far above the retrain's
TARGET_MS = 50.0  # per fold-in, the median
HANDFUL = 5
"""Ratings per user in the second table: what a visitor gives the app's "Try it yourself"."""
NOTES = Path(__file__).resolve().parent / "foldin.md"
"""What the numbers mean and what a goal not met would take: written by hand after a run,
put under the table (as ``before_after.md`` is in the main report)."""


def held_out(ratings, users: int = USERS, share: float = FOLD_SHARE, seed: int = SEED):
    """The held-out users and two masks over the ratings: ``theirs`` (every rating of those
    users) and ``test`` (the share of each one's ratings that is scored, not folded in)."""
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(ratings.n_users, size=users, replace=False))
    theirs = np.isin(ratings.user_idx, chosen)
    test = np.zeros(ratings.n_ratings, dtype=bool)
    for user in chosen:
        mine = np.flatnonzero(ratings.user_idx == user)
        kept = int(round(share * mine.size))
        test[rng.permutation(mine)[kept:]] = True
    return chosen, theirs, test


def handful(ratings, chosen, test, k: int = HANDFUL, seed: int = SEED) -> np.ndarray:
    """``k`` of each held-out user's ratings outside ``test`` (drawn with ``seed``): what a
    visitor of the app gives, a handful of ratings."""
    rng = np.random.default_rng(seed + 1)
    given = np.zeros(ratings.n_ratings, dtype=bool)
    for user in chosen:
        mine = np.flatnonzero((ratings.user_idx == user) & ~test)
        given[rng.choice(mine, size=min(k, mine.size), replace=False)] = True
    return given


def _fold_each(run, ratings, chosen, given, test):
    """Every held-out user folded in from their ``given`` ratings: the predictions of their
    ``test`` ratings, and each fold-in's wall and CPU seconds (the first call, untimed,
    pays one-time costs)."""
    from recsys_core.training.foldin import fold_in

    labels = ratings.items
    folded, closed = np.empty(ratings.n_ratings), np.empty(ratings.n_ratings)
    times, cpu_times = [], []
    for k, user in enumerate([chosen[0], *chosen]):
        mine = ratings.user_idx == user
        rated = [(labels[i], v) for i, v in zip(ratings.item_idx[mine & given],
                                                 ratings.values[mine & given])]
        begun, cpu = time.perf_counter(), time.process_time()
        visitor = fold_in(run, rated)
        seconds, cpu = time.perf_counter() - begun, time.process_time() - cpu
        if k == 0:
            continue
        times.append(seconds)
        cpu_times.append(cpu)
        scored = mine & test
        folded[scored] = visitor.predictions[ratings.item_idx[scored]]
        if run.model_name == "mf":  # the closed form alone, without the Newton steps after it
            closed[scored] = _closed_form_alone(run, visitor)[ratings.item_idx[scored]]
    return folded, closed, visitor.method, np.asarray(times), np.asarray(cpu_times)


def run_model(ratings, name: str, chosen, theirs, test, few=None, epochs: int | None = None,
              progress=lambda line: None) -> dict:
    """One model: the run without the held-out users, fold-in of each, the retrain, and the
    RMSE of each way (and of the cold start) on the held-out ratings; the same from ``few``
    of their ratings (a mask) when given."""
    from dataclasses import replace

    from recsys_core.models.defaults import suggest_configs
    from recsys_core.results.trained_run import predict_cells
    from recsys_core.training.foldin import run_of
    from recsys_core.training.trainer import Trainer

    model_config, train = suggest_configs(ratings, name)
    if epochs is not None:
        train = replace(train, epochs=epochs)
    started = time.perf_counter()
    without = Trainer(ratings, name, model_config, train, is_val=theirs).fit().result()
    fit_seconds = time.perf_counter() - started
    progress(f"  {name}: trained without the {len(chosen)} users in {fit_seconds:.1f} s")
    run = run_of(without)
    truth = ratings.values[test]
    cold = predict_cells(without.model, ratings.user_idx[test], ratings.item_idx[test])

    def retrain(given):
        started = time.perf_counter()
        again = Trainer(ratings, name, model_config, train, is_val=theirs & ~given).fit()
        seconds = time.perf_counter() - started
        predicted = predict_cells(again.model, ratings.user_idx[test], ratings.item_idx[test])
        return _rmse(predicted, truth), seconds

    given = theirs & ~test
    folded, closed, method, times, cpu_times = _fold_each(run, ratings, chosen, given, test)
    retrain_rmse, retrain_seconds = retrain(given)
    progress(f"  {name}: retrained with their {FOLD_SHARE:.0%} in {retrain_seconds:.1f} s")
    ms = times * 1000
    row = {"model": name, "method": method,
           "fold_in_rmse": _rmse(folded[test], truth), "retrain_rmse": retrain_rmse,
           "cold_rmse": _rmse(cold, truth),
           "closed_form_rmse": _rmse(closed[test], truth) if name == "mf" else None,
           "ms_median": float(np.median(ms)), "ms_p95": float(np.percentile(ms, 95)),
           "ms_max": float(ms.max()), "cpu_ms_median": float(np.median(cpu_times) * 1000),
           "fit_seconds": fit_seconds, "retrain_seconds": retrain_seconds,
           "weight_decay": train.weight_decay, "epochs": train.epochs,
           "dim": getattr(model_config, "dim", None)}
    if few is not None:
        folded, closed, _, times, _ = _fold_each(run, ratings, chosen, few, test)
        few_rmse, few_seconds = retrain(few)
        progress(f"  {name}: retrained with a handful of theirs in {few_seconds:.1f} s")
        row["few"] = {"fold_in_rmse": _rmse(folded[test], truth), "retrain_rmse": few_rmse,
                      "closed_form_rmse": _rmse(closed[test], truth) if name == "mf" else None,
                      "ms_median": float(np.median(times) * 1000)}
    return row


def _closed_form_alone(run, visitor) -> np.ndarray:
    """MF's closed form without the Newton steps after it, for the same visitor."""
    import torch

    from recsys_core.models import mf
    from recsys_core.training.foldin import visitor_predictions

    items = torch.as_tensor(visitor.rated_idx)
    values = torch.as_tensor(visitor.rated_values, dtype=torch.float32)
    rows = mf.fold_in(run.model, items, values, run.train_config.weight_decay, refine=0)
    return visitor_predictions(run.model, rows, len(run.items))


def item_mean_rmse(ratings, test, left_out=None) -> float:
    """Each item's mean rating in training (all but ``test`` and ``left_out``), scored on
    ``test``."""
    train = ~test if left_out is None else ~(test | left_out)
    sums = np.bincount(ratings.item_idx[train], ratings.values[train], minlength=ratings.n_items)
    counts = np.bincount(ratings.item_idx[train], minlength=ratings.n_items)
    overall = float(ratings.values[train].mean())
    means = np.where(counts > 0, sums / np.maximum(counts, 1), overall)
    return _rmse(means[ratings.item_idx[test]], ratings.values[test])


def run(ratings, models, users: int = USERS, epochs: int | None = None,
        progress=lambda line: None, data: str = "MovieLens latest-small") -> dict:
    chosen, theirs, test = held_out(ratings, min(users, ratings.n_users))
    few = handful(ratings, chosen, test)
    rows = [run_model(ratings, name, chosen, theirs, test, few, epochs, progress)
            for name in models]
    return {"data": data, "users": int(len(chosen)), "test_ratings": int(test.sum()),
            "folded_ratings": int((theirs & ~test).sum()), "n_ratings": ratings.n_ratings,
            "n_users": ratings.n_users, "n_items": ratings.n_items, "handful": HANDFUL,
            "item_mean_rmse": item_mean_rmse(ratings, test),
            "few_item_mean_rmse": item_mean_rmse(ratings, test, theirs & ~few), "rows": rows}


def _rmse(pred, truth) -> float:
    return float(np.sqrt(np.mean((np.asarray(pred) - np.asarray(truth)) ** 2)))


# ----- BENCHMARKS.md ---------------------------------------------------------------------------
def verdicts(result: dict) -> list[str]:
    lines = []
    for row in result["rows"]:
        gap = row["fold_in_rmse"] - row["retrain_rmse"]
        ok_gap, ok_time = gap <= TARGET_GAP, row["ms_median"] < TARGET_MS
        lines.append(
            f"{row['model']}: {_met(ok_gap)} RMSE within {TARGET_GAP} of the retrain "
            f"({row['fold_in_rmse']:.4f} vs {row['retrain_rmse']:.4f}, {gap:+.4f}); "
            f"{_met(ok_time)} under {TARGET_MS:g} ms a fold-in (median {row['ms_median']:.1f} "
            f"ms, p95 {row['ms_p95']:.1f} ms).")
    return lines


def section(result: dict, machine: dict, command: str) -> str:
    lines = [
        START, "## Fold-in: a newcomer's top-N without retraining", "",
        f"{result['data']} ({result['n_ratings']:,} ratings, {result['n_users']} users x "
        f"{result['n_items']:,} movies): {result['users']} users drawn with seed {SEED} are "
        f"held out of training; each is folded in from {FOLD_SHARE:.0%} of their ratings "
        f"({result['folded_ratings']:,} in all) and scored on the other "
        f"{result['test_ratings']:,}. **Fold-in**: the run trained without them, each user "
        "folded in (`recsys_core.training.foldin.fold_in`: MF and the baseline in closed form, the "
        "networks by L-BFGS steps on their own row). **Retrain**: the same model, configs and "
        f"seed trained with their {FOLD_SHARE:.0%} in. **Cold start**: the run without them, "
        "predicting them as anyone it knows nothing about. **Item mean**: each movie's mean "
        f"training rating, {result['item_mean_rmse']:.4f} for every row. Defaults from "
        f"`suggest_configs`; torch on {machine.get('threads', THREADS)} threads. Time: one "
        "`fold_in` call (checks, rows, predictions of all movies), after one untimed call; "
        "wall time, and the CPU time it used (what it takes when it has a core to itself). "
        f"Generated by `bench/foldin.py`: `{command}`.", "",
        f"- Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores; "
        f"{machine.get('date', '')}; load average before {machine.get('load_before', '?')}, "
        f"after {machine.get('load_after', '?')}.", "",
        "| model | how | fold-in RMSE | retrain RMSE | fold-in − retrain | cold start RMSE "
        "| item mean RMSE | ms per fold-in, median / p95 | CPU ms, median "
        "| fit s (without / retrain) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in result["rows"]:
        lines.append(
            f"| {row['model']} | {row['method']} | {row['fold_in_rmse']:.4f} | "
            f"{row['retrain_rmse']:.4f} | {row['fold_in_rmse'] - row['retrain_rmse']:+.4f} | "
            f"{row['cold_rmse']:.4f} | {result['item_mean_rmse']:.4f} | "
            f"{row['ms_median']:.1f} / {row['ms_p95']:.1f} | {row['cpu_ms_median']:.1f} | "
            f"{row['fit_seconds']:.1f} / {row['retrain_seconds']:.1f} |")
        if row.get("closed_form_rmse") is not None:
            lines.append(
                f"| {row['model']} | closed form alone (no Newton steps) | "
                f"{row['closed_form_rmse']:.4f} | {row['retrain_rmse']:.4f} | "
                f"{row['closed_form_rmse'] - row['retrain_rmse']:+.4f} | – | – | – | – | – |")
    few_rows = [row for row in result["rows"] if row.get("few")]
    if few_rows:
        k = result["handful"]
        lines += ["", f"From a handful, as a visitor of the app gives: the same users and the "
                      f"same held-out ratings, each user folded in from {k} of their "
                      f"{FOLD_SHARE:.0%} (drawn with seed {SEED + 1}), and the retrain with "
                      f"those {k} each in. No goal is set for it.", "",
                  "| model | how | fold-in RMSE | retrain RMSE | fold-in − retrain "
                  "| item mean RMSE | ms per fold-in, median |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in few_rows:
            few = row["few"]
            lines.append(f"| {row['model']} | {row['method']} | {few['fold_in_rmse']:.4f} | "
                         f"{few['retrain_rmse']:.4f} | "
                         f"{few['fold_in_rmse'] - few['retrain_rmse']:+.4f} | "
                         f"{result['few_item_mean_rmse']:.4f} | {few['ms_median']:.1f} |")
            if few.get("closed_form_rmse") is not None:
                lines.append(f"| {row['model']} | closed form alone (no Newton steps) | "
                             f"{few['closed_form_rmse']:.4f} | {few['retrain_rmse']:.4f} | "
                             f"{few['closed_form_rmse'] - few['retrain_rmse']:+.4f} | – | – |")
    lines += ["", f"Targets (fold-in RMSE at most {TARGET_GAP} above the retrain's, a fold-in "
                  f"under {TARGET_MS:g} ms):", ""]
    lines += [f"- {line}" for line in verdicts(result)]
    if NOTES.exists():
        lines += ["", NOTES.read_text(encoding="utf-8").strip()]
    return "\n".join(lines + ["", END])


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def main(argv: list[str] | None = None) -> int:
    parser = load.section_parser("foldin", __doc__, "fold-in",
                                 "comma-separated, default every model in the registry",
                                 "a made-up 60 x 40 matrix, 2 epochs: proves the bench runs")
    parser.add_argument("--users", type=int, default=USERS)
    args = parser.parse_args(argv)
    if load.rendered(args, section, START, END, "fold-in"):
        return 0

    import torch

    from recsys_core.models import MODELS

    from . import machine

    torch.set_num_threads(THREADS)
    models = args.models.split(",") if args.models else list(MODELS)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        print(f"error: unknown model {unknown[0]!r}; pick from {', '.join(MODELS)}",
              file=sys.stderr)
        return 2
    if args.smoke:
        from recsys_core.data.synthetic import generate

        ratings, epochs, users = generate(60, 40, seed=0), 2, min(args.users, 10)
        data = "Smoke run, a made-up matrix, 2 epochs: the numbers mean nothing"
    else:
        from recsys_core.data.samples import load_sample

        ratings, epochs, users = load_sample("movielens"), None, args.users
        data = "MovieLens latest-small"
    info = machine.describe()
    info["threads"] = THREADS
    say = lambda line: print(line, flush=True)  # noqa: E731
    result = run(ratings, models, users, epochs, progress=say, data=data)
    info["load_after"] = machine.load_average()
    for line in verdicts(result):
        say(line.replace("**", ""))
    given = list(argv if argv is not None else sys.argv[1:])
    for option in ("--json", "--out"):  # where this copy went, not how to rerun it
        while option in given[:-1]:
            at = given.index(option)
            del given[at:at + 2]
    command = " ".join(["python -m bench.foldin", *given])
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "command": command, **result},
                                        indent=1), encoding="utf-8")
    if not args.no_write:
        load.write(args.out, section(result, info, command), START, END)
        say(f"wrote the fold-in section of {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
