"""``python -m bench``: accuracy against scikit-surprise and Cornac, and growth with data size.

Writes BENCHMARKS.md (or ``--out``). ``--quick`` is a fast subset; ``--smoke`` a tiny run on
made-up data that only proves the benches still work (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import ROOT, accuracy, first_fit, machine, report, scale

THREADS = 2
REPEATS = 5  # timings per k-fold fit in the full run, the fastest counts (leave-one-out: 1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip SVD++, time each fit once, scale only to 100k ratings")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny made-up data, 1-2 epochs: checks the benches run, measures "
                             "nothing")
    parser.add_argument("--only", choices=["accuracy", "scale", "first-fit"],
                        help="run one of the three benches")
    parser.add_argument("--sizes", help="scale bench sizes, e.g. 10000,100000")
    parser.add_argument("--models", help="accuracy: only these rows, comma-separated titles or "
                                         "their first words (e.g. 'Cornac,surprise SVD,"
                                         "recsys_core MF': every Cornac row, SVD but not SVD++, "
                                         "MF and its ALS rows)")
    parser.add_argument("--datasets", help="accuracy: comma-separated from movielens, course, "
                        f"{', '.join(SYNTHETIC_SETS)} (default all)")
    parser.add_argument("--repeats", type=int,
                        help=f"timings per 5-fold fit, the fastest counts (default {REPEATS}; "
                             "--quick 1)")
    parser.add_argument("--threads", type=int, default=THREADS,
                        help=f"torch threads (default {THREADS}; 1 is fairer against the "
                             "single-threaded peers on a machine other work keeps busy)")
    parser.add_argument("--out", type=Path, default=None,
                        help="Markdown file to write (default BENCHMARKS.md; required with "
                             "--smoke)")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only rewrite the Markdown from a JSON file an earlier run wrote")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.smoke and args.out is None:
        print("error: --smoke needs --out (it must not overwrite BENCHMARKS.md)", file=sys.stderr)
        return 2
    out = args.out or ROOT / "BENCHMARKS.md"
    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        text = report.render(saved["machine"], saved.get("accuracy", {}), saved.get("scale"),
                             quick=saved.get("quick", False),
                             load_after=saved.get("load_after", "not recorded"),
                             first_fit=saved.get("first_fit"))
        _write(out, text)
        print(f"Wrote {out} from {args.render}")
        return 0

    import torch

    torch.set_num_threads(args.threads)
    _warm_up()
    info = machine.describe()
    info["threads"] = args.threads
    if argv is not None:
        info["command"] = " ".join(["python -m bench", *argv])
    say = _printer()
    started = time.perf_counter()

    results: dict = {}
    if args.only in (None, "accuracy"):
        results["accuracy"] = run_accuracy(args, say)
    scale_result = None
    if args.only in (None, "scale"):
        sizes = _sizes(args)
        say(f"Scale: {', '.join(f'{n:,}' for n in sizes)} ratings")
        models = ("mf",) if args.smoke else scale.MODELS
        scale_result = scale.run(sizes, models, epochs=scale.EPOCHS, progress=say)
        results["scale"] = scale_result

    if args.only in (None, "first-fit"):
        say("First fit in a fresh process against a later one (MF, MovieLens latest-small)")
        results["first_fit"] = first_fit.run(args.threads, epochs=1 if args.smoke else 10)
        say(f"  {results['first_fit']}")

    load_after = machine.load_average()
    text = report.render(info, results.get("accuracy", {}), scale_result,
                         quick=args.quick or args.smoke, load_after=load_after,
                         first_fit=results.get("first_fit"))
    _write(out, text)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "quick": args.quick or args.smoke,
                                         "load_after": load_after, **results}, indent=1),
                             encoding="utf-8")
    say(f"Wrote {out} in {time.perf_counter() - started:.0f} s.")
    for line in report.targets(results.get("accuracy", {}), scale_result,
                               results.get("first_fit")):
        say("  " + line.replace("**", ""))
    return 0


def run_accuracy(args, say) -> dict:
    from recsys_core.data.samples import load_sample

    have_surprise = accuracy.surprise_available()
    if not have_surprise:
        say("scikit-surprise is not installed: its rows are left out "
            "(pip install -r requirements-bench.txt)")
    have_cornac = accuracy.cornac_available()
    if not have_cornac:
        say("cornac is not installed: its rows are left out "
            "(pip install -r requirements-bench.txt)")
    repeats = args.repeats or (1 if (args.quick or args.smoke) else REPEATS)
    epochs = 2 if args.smoke else None
    algorithms = ("SVD", "BaselineOnly") if (args.quick or args.smoke) else accuracy.SURPRISE
    cornac_models = ("MF", "BaselineOnly") if (args.quick or args.smoke) else accuracy.CORNAC
    datasets = []
    if args.smoke:
        from recsys_core.data.synthetic import generate

        datasets.append(("smoke", "Smoke run (made-up 40 x 30 matrix), 3 folds",
                         "Only proves the bench runs; the numbers mean nothing.",
                         generate(40, 30, seed=0), 3))
    else:
        datasets.append(("movielens", "MovieLens latest-small, 5-fold cross-validation",
                         "100,836 ratings (610 users x 9,724 movies, 0.5 to 5 stars); folds from "
                         "`kfold_masks(ratings, 5, seed=0)`, the same for every row.",
                         load_sample("movielens"), 5))
        solo = load_sample("solo")
        datasets.append(("course", "Course matrix (solo.csv), leave-one-out",
                         "63 ratings (9 x 8, scale 0 to 5): each rating is held out once and "
                         "predicted by a model fitted to the other 62 (63 folds).",
                         solo, solo.n_ratings))
        datasets += [synthetic_set(key) for key in SYNTHETIC_SETS]
    if args.datasets:
        wanted = {part.strip() for part in args.datasets.split(",")}
        datasets = [d for d in datasets if d[0] in wanted]
    results = {}
    for key, title, how, ratings, folds in datasets:
        say(f"Accuracy: {title}")
        times = repeats if folds <= 10 else 1
        contenders = accuracy.our_contenders(ratings, repeats=times, epochs=epochs)
        contenders.append(accuracy.auto_contender(ratings, repeats=1, epochs=epochs))
        if key != "course":  # the course matrix's MF has 2 factors: nothing for ALS to show
            contenders += accuracy.als_contenders(ratings, repeats=1, epochs=epochs)
        if have_cornac:
            contenders = accuracy.cornac_contenders(ratings, cornac_models, times) + contenders
        if have_surprise:
            contenders = accuracy.surprise_contenders(ratings, algorithms, times) + contenders
        if args.models:
            wanted = [part.strip() for part in args.models.split(",") if part.strip()]
            contenders = [c for c in contenders if any(
                c.title == w or c.title.startswith((w + " ", w + ",")) for w in wanted)]
        result = accuracy.run(ratings, contenders, folds, seed=0, progress=say)
        result.update(title=title, how=how)
        for row in result["rows"]:
            say(f"  {row['model']:<24} RMSE {accuracy.fmt(row['rmse'])}  "
                f"fit {accuracy.fmt(row['fit_seconds'], 3)} s/fold  "
                f"÷SVD {accuracy.fmt(row['ratio_to_svd'], 2)}  "
                f"÷Cornac MF {accuracy.fmt(row.get('ratio_to_cornac_mf'), 2)}  {row['error']}")
        results[key] = result
    return results


# Shapes other than MovieLens, so the defaults are not tuned to one set (issue 17): the
# synthetic generator's hidden taste groups, at other densities, noise and scales.
SYNTHETIC_SETS = {  # key: (users, items, taste groups, share missing, noise, scale, seed)
    "synthetic-dense": (300, 200, 5, 0.70, 0.5, (1.0, 5.0), 1),
    "synthetic-sparse": (2000, 1000, 8, 0.98, 0.5, (1.0, 5.0), 2),
    "synthetic-10pt": (600, 400, 6, 0.90, 1.0, (1.0, 10.0), 3),
}


def synthetic_set(key: str) -> tuple:
    """One synthetic data set as ``run_accuracy`` lists them: key, title, how, ratings, folds."""
    from recsys_core.data.synthetic import generate

    users, items, groups, missing, noise, scale, seed = SYNTHETIC_SETS[key]
    ratings = generate(users, items, n_groups=groups, missing=missing, noise=noise, seed=seed,
                       scale=scale)
    title = (f"Synthetic {users:,} x {items:,}, {100 * (1 - missing):g}% observed, "
             f"scale {scale[0]:g} to {scale[1]:g}, 5-fold cross-validation")
    how = (f"{ratings.n_ratings:,} ratings from `generate({users}, {items}, n_groups={groups}, "
           f"missing={missing}, noise={noise}, seed={seed}, scale={scale})`: {groups} hidden "
           f"taste groups plus Gaussian noise of {noise} points; folds from "
           "`kfold_masks(ratings, 5, seed=0)`.")
    return key, title, how, ratings, 5


def _write(out: Path, text: str) -> None:
    """Write the report, keeping the sections other benches wrote into the old file."""
    if out.exists():
        text = report.keep_other_sections(out.read_text(encoding="utf-8"), text)
    out.write_text(text, encoding="utf-8")


def _warm_up() -> None:
    """Pay the libraries' one-time start-up costs (lazy kernels, imports) before any timing,
    so they do not land on whichever contender happens to run first."""
    from recsys_core.data.synthetic import generate
    from recsys_core.training.trainer import TrainConfig, fit

    tiny = generate(12, 10, seed=0)
    for model in accuracy.OURS:
        fit(tiny, model, train=TrainConfig(epochs=2, batch_size=16))
    if accuracy.surprise_available():
        for contender in accuracy.surprise_contenders(tiny, ("SVD", "BaselineOnly")):
            contender.fit(tiny.values < 0)  # nothing held out
    if accuracy.cornac_available():
        for contender in accuracy.cornac_contenders(tiny, ("MF", "BaselineOnly")):
            contender.fit(tiny.values < 0)


def _sizes(args) -> tuple[int, ...]:
    if args.sizes:
        return tuple(int(float(part)) for part in args.sizes.split(",") if part)
    if args.smoke:
        return (2_000,)
    return scale.QUICK_SIZES if args.quick else scale.SIZES


def _printer():
    def say(line: str) -> None:
        print(line, flush=True)
    return say


if __name__ == "__main__":
    raise SystemExit(main())
