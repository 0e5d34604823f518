"""``python -m bench.spark``: the Spark engine (ALS, ``local[2]``) against the torch engine.

Every run is the command a user types, in a fresh child process, timed from start to exit
(wall seconds: Python and the JVM starting, reading the file, training, writing the outputs),
its peak memory the highest *sum* of the memory of the whole process tree (proportional set
sizes, sampled every 0.2 s; for Spark: the Python driver, the JVM, which holds the data and
does the work, and its Python workers; a JVM's memory is invisible to the parent's ``VmHWM``):

- **MovieLens latest-small**: ``evaluate --folds 5 --seed 0`` (the accuracy table's folds;
  the two engines use the same ones), torch MF against Spark ALS with and without the biases
  taken out first; and ``fit`` (the same 10% held out by both engines).
- **MovieLens latest-small as interactions** (``--task ranking``): leave-one-out, HR@10 and
  NDCG@10 sampled and full; Spark's implicit-preference ALS beside the torch engine's BPR
  and the ``implicit`` library's ALS (``--only ranking``).
- **Synthetic 1M and 10M ratings** (the growth bench's data: ``generate_long``, seed 0, 20
  users an item, written to a CSV): ``fit`` with each engine's defaults (MF: 10 epochs,
  64 factors; ALS: 10 iterations, rank 10), validation RMSE on the same 10% held out.
- **Synthetic 1M interactions** (``generate_clicks``, seed 0: 20,000 users of 50 clicks on
  2,000 items in 10 taste groups): ``evaluate --task ranking``, the torch engine's ALS against
  Spark's implicit-preference ALS, HR@10 and NDCG@10 sampled and full (``--only clicks``;
  its own section, so it can be rerun alone).

torch runs with 2 threads, Spark with ``--master local[2]``: the same two cores. The section it
writes in BENCHMARKS.md sits between two markers; ``python -m bench`` keeps it.

    python -m bench.spark                        # everything (about 20 minutes here)
    python -m bench.spark --sizes 1000000        # MovieLens and 1M only
    python -m bench.spark --only movielens --no-write
    python -m bench.spark --only clicks          # the interactions at scale (about 5 minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import ROOT, load, machine

MASTER = "local[2]"
THREADS = 2
SIZES = (1_000_000, 10_000_000)
TIME_LIMIT = 1200.0  # seconds for one command
START, END = load.markers("spark")
MOVIELENS = ROOT / "data" / "ml-latest-small" / "ratings.csv"
NOTES = Path(__file__).resolve().parent / "spark_notes.md"
"""What the numbers mean, written by hand after a run (put under the tables when present)."""


# ----- one measured command ------------------------------------------------------------------
def tree_memory_mib(pid: int) -> float:
    """Memory of ``pid`` and all its descendants, in MiB: the sum of their proportional set
    sizes (``Pss``: a page shared by n processes counts 1/n in each), so pyspark's Python
    workers, forked from one daemon and sharing most of their pages, are not counted once per
    worker. ``VmRSS`` where the kernel has no ``smaps_rollup``."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            total += _pss_kib(p)
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        key = "Pss:"
    except OSError:
        text = Path(f"/proc/{pid}/status").read_text()
        key = "VmRSS:"
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith(key)), 0)


def run_measured(cli_args: list[str], time_limit: float = TIME_LIMIT,
                 module: str = "recsys_core") -> dict:
    """``python -m MODULE ARGS`` in a child: its JSON report, wall seconds, peak MiB."""
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = str(THREADS)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", module, *cli_args], cwd=ROOT,
                                env=env, stdout=out, stderr=err)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_memory_mib(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            status = proc.wait(timeout=time_limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            status = None
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    row = {"wall_seconds": wall, "peak_mib": peak[0] or None}
    if status is None:
        return {**row, "error": f"stopped after {time_limit:.0f} s"}
    if status != 0:
        return {**row, "error": (stderr.strip().splitlines() or [f"exit {status}"])[-1][:300]}
    try:
        return {**row, "report": json.loads(stdout.strip().splitlines()[-1])}
    except (json.JSONDecodeError, IndexError):
        return {**row, "error": "no JSON report on stdout"}


def _torch(command: str, data: Path, *extra: str) -> list[str]:
    return [command, str(data), "--model", "mf", "--seed", "0", *extra]


def _spark(command: str, data: Path, *extra: str) -> list[str]:
    return [command, str(data), "--engine", "spark", "--master", MASTER, "--seed", "0", *extra]


# ----- the benches ---------------------------------------------------------------------------
def bench_movielens(say, workdir: Path) -> dict:
    rows = {}
    runs = [("torch MF", _torch("evaluate", MOVIELENS, "--folds", "5")),
            ("Spark ALS, biases out first (--bias on)",
             _spark("evaluate", MOVIELENS, "--folds", "5", "--bias", "on")),
            ("Spark ALS, plain (--bias off)",
             _spark("evaluate", MOVIELENS, "--folds", "5", "--bias", "off"))]
    for name, cli_args in runs:
        rows[name] = run_measured(cli_args)
        say(f"  evaluate {name}: {_brief(rows[name], 'rmse')}")
    fits = {}
    for name, cli_args in (("torch MF", _torch("fit", MOVIELENS, "--out", str(workdir / "t"))),
                           ("Spark ALS", _spark("fit", MOVIELENS, "--out", str(workdir / "s")))):
        fits[name] = run_measured(cli_args)
        say(f"  fit {name}: {_brief(fits[name], 'val_rmse')}")
    return {"evaluate": rows, "fit": fits}


def bench_ranking(say) -> dict:
    """MovieLens latest-small as interactions (every rating one), leave-one-out by time, HR@10
    and NDCG@10 on 99 sampled movies and on the full ranking: Spark's implicit-preference ALS
    beside the torch engine's MF-BPR and the ``implicit`` library's ALS (its defaults, in
    a child process as well: ``python -m bench.ranking_peers``)."""
    ranking = ["--task", "ranking", "--k", "10", "--negatives", "99"]
    runs = [("torch MF-BPR (bpr)", ["evaluate", str(MOVIELENS), "--model", "bpr", "--seed", "0",
                                    *ranking], "recsys_core"),
            ("Spark implicit ALS", _spark("evaluate", MOVIELENS, "--model", "als", *ranking),
             "recsys_core"),
            ("implicit ALS (library)", ["implicit ALS", str(MOVIELENS)], "bench.ranking_peers")]
    rows = {"load_before": machine.load_average()}
    for name, cli_args, module in runs:
        rows[name] = run_measured(cli_args, module=module)
        say(f"  evaluate {name}: {_brief(rows[name], 'hr')}")
    rows["load_after"] = machine.load_average()
    return rows


def bench_scale(sizes, say, workdir: Path) -> list[dict]:
    from recsys_core.data.synthetic import generate_long

    from .scale import grid_for, write_csv

    rows = []
    for n in sizes:
        users, items = grid_for(n)
        csv = workdir / f"synthetic_{n}.csv"
        write_csv(generate_long(n, users, items, seed=0), csv)
        say(f"  {n:,} ratings ({users:,} x {items:,}), CSV {csv.stat().st_size / 2**20:.0f} MiB")
        for engine, cli_args in (("torch MF", _torch("fit", csv, "--out", str(workdir / "t"))),
                                 ("Spark ALS", _spark("fit", csv, "--out", str(workdir / "s")))):
            result = run_measured(cli_args)
            rows.append({"n_ratings": n, "n_users": users, "n_items": items, "engine": engine,
                         **result})
            say(f"    {engine}: {_brief(result, 'val_rmse')}")
        csv.unlink()
    return rows


CLICKS_START = "<!-- bench:spark-clicks:start -->"
CLICKS_END = "<!-- bench:spark-clicks:end -->"
CLICK_SIZES = (1_000_000,)
CLICKS_PER_USER = 50
CLICK_ITEMS = 2_000
CLICK_GROUPS = 10
RANKING_ARGS = ("--task", "ranking", "--model", "als", "--k", "10", "--negatives", "99")


def bench_clicks(sizes, say, workdir: Path) -> list[dict]:
    """Interactions at scale: ``evaluate --task ranking`` with ALS on each engine (leave-one-
    out by time, HR@10 and NDCG@10 among 99 sampled items and among all of them)."""
    from recsys_core.data.synthetic import generate_clicks

    rows = []
    for n in sizes:
        users = n // CLICKS_PER_USER
        csv = workdir / f"clicks_{n}.csv"
        clicks = generate_clicks(n_users=users, n_items=CLICK_ITEMS, n_groups=CLICK_GROUPS,
                                 clicks_per_user=CLICKS_PER_USER, seed=0)[0]
        clicks.to_long().to_csv(csv, index=False)
        say(f"  {n:,} interactions ({users:,} x {CLICK_ITEMS:,}), CSV "
            f"{csv.stat().st_size / 2**20:.0f} MiB")
        for engine, cli_args in (
                ("torch ALS", ["evaluate", str(csv), "--seed", "0", *RANKING_ARGS]),
                ("Spark implicit ALS", _spark("evaluate", csv, *RANKING_ARGS))):
            result = run_measured(cli_args)
            rows.append({"n_interactions": n, "n_users": users, "n_items": CLICK_ITEMS,
                         "engine": engine, **result})
            say(f"    {engine}: {_brief(result, 'hr')}")
        csv.unlink()
    return rows


def clicks_section(rows: list[dict], info: dict, command: str) -> str:
    """The interactions-at-scale table, between its own markers."""
    lines = [CLICKS_START, "## Spark engine on interactions at scale", "",
             f"Generated by `bench/spark.py`: `{command}`. Synthetic clicks (`generate_clicks`, "
             f"seed 0: {CLICKS_PER_USER} clicks a user on {CLICK_ITEMS:,} items in "
             f"{CLICK_GROUPS} taste groups, each user's latest held out), `evaluate "
             f"{' '.join(RANKING_ARGS)} --seed 0` on each engine: the torch engine's ALS at the "
             "registry's defaults (32 factors, λ 5, α 10, 15 sweeps), Spark's implicit ALS at "
             "Spark's (rank 10, 10 iterations, regParam 0.1, alpha 1). Wall seconds and peak "
             f"memory of the whole process tree, as above; torch with {THREADS} threads, Spark "
             f"with `--master {MASTER}`.", "",
             f"- Machine: {info['cpu']}, {info['cores']} cores; {info['date']}; load average "
             f"before: {info['load_before']}, after: {info.get('load_after', '?')}.", "",
             "| interactions | users x items | engine | HR@10 | NDCG@10 | HR@10 full | "
             "NDCG@10 full | fit s | wall s | peak MiB |",
             "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['n_interactions']:,} | {r['n_users']:,} x {r['n_items']:,} | "
                     f"{r['engine']} | " + _ranking_cells(r))
    big = 10_000_000 // CLICKS_PER_USER
    lines += ["", f"10M interactions were not run: the full ranking alone scores every item for "
              f"every user ({big:,} x {CLICK_ITEMS:,}, {big * CLICK_ITEMS:,} scores) on each "
              "engine, on 2 cores.", "", CLICKS_END]
    return "\n".join(lines)


def tune(say, grid=None) -> list[dict]:
    """How the ALS defaults were chosen: validation RMSE on a 90/10 split (seed 123) of the
    training part of fold 1 of MovieLens's 5 folds (seed 0), never on a scored fold; the same
    rule as the torch engine's defaults (recsys_core/defaults.py). One Spark session."""
    import numpy as np

    from recsys_core.spark.als import AlsConfig, errors, fit_als, predict
    from recsys_core.spark.reading import read_ratings
    from recsys_core.spark.session import spark_session
    from recsys_core.spark.split import attach, fold_ids

    grid = grid or [(bias, reg, rank) for bias in (True, False)
                    for reg in (0.05, 0.1, 0.2, 0.3, 0.5) for rank in (10, 20)]
    rows = []
    with spark_session(MASTER) as spark:
        ratings = read_ratings(spark, str(MOVIELENS))
        role = np.zeros(ratings.n_ratings, dtype=np.int8)  # 0: fold 1's test part, unused
        train_part = np.flatnonzero(fold_ids(ratings.n_ratings, 5, 0) != 0)
        order = np.random.default_rng(123).permutation(train_part.size)
        role[train_part] = 1
        role[train_part[order[:round(0.1 * train_part.size)]]] = 2
        framed = attach(ratings.frame, role, "role").persist()
        train, val = framed.filter("role = 1"), framed.filter("role = 2")
        for bias, reg, rank in grid:
            fitted = fit_als(train, AlsConfig(rank=rank, reg=reg, bias=bias), ratings.scale)
            rmse = errors(predict(fitted, val))[0]
            rows.append({"bias": bias, "reg": reg, "rank": rank, "val_rmse": rmse,
                         "fit_seconds": fitted.seconds})
            say(f"  bias {'on ' if bias else 'off'} reg {reg:<5} rank {rank:<3} "
                f"val RMSE {rmse:.4f}  ({fitted.seconds:.1f} s)")
            fitted.release()
    return rows


def _brief(result: dict, metric: str) -> str:
    if "error" in result:
        return f"error: {result['error']} after {result['wall_seconds']:.0f} s"
    report = result["report"]
    return (f"{metric} {report.get(metric) or 0:.4f}, wall {result['wall_seconds']:.1f} s, "
            f"peak {result['peak_mib']:.0f} MiB")


# ----- the section ---------------------------------------------------------------------------
def _fmt(value, digits: int = 4) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _train_seconds(report: dict) -> float | None:
    return report.get("fit_seconds", report.get("seconds"))


def section(results: dict, info: dict, command: str) -> str:
    lines = [START, "## Spark engine (ALS, local mode) against the torch engine", "",
             f"Generated by `bench/spark.py`: `{command}` (its docstring says what each figure "
             "is). Every figure is one run of the command a user types, in a fresh process: wall "
             "seconds from start to exit (for Spark that includes starting the JVM), peak "
             "memory summed over the process tree (Python, the JVM, its workers). "
             f"torch with {THREADS} threads, Spark with `--master {MASTER}`: "
             "the same two cores.", "",
             f"- Machine: {info['cpu']}, {info['cores']} cores, RAM {info['ram_gib']} GiB; "
             f"Python {info['python']}; pyspark {info['versions'].get('pyspark', '?')}, "
             f"torch {info['versions'].get('torch', '?')}; {info['date']}.",
             f"- Load average (1, 5, 15 min) before: {info['load_before']}; after: "
             f"{info.get('load_after', '?')}. The machine is shared: other people's test runs "
             "slow every figure here, Spark's many small tasks most.", ""]
    ml = results.get("movielens")
    if ml:
        lines += ["### MovieLens latest-small (100,836 ratings, 610 x 9,724)", "",
                  "`evaluate --folds 5 --seed 0`: both engines hold out the same ratings in "
                  "each fold (the accuracy table's folds).", "",
                  "| engine | RMSE | MAE | train s (5 folds) | wall s | peak MiB | epochs |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, r in ml["evaluate"].items():
            rep = r.get("report") or {}
            lines.append(f"| {name} | {_fmt(rep.get('rmse'))} | {_fmt(rep.get('mae'))} | "
                         f"{_fmt(rep.get('fit_seconds'), 1)} | {_fmt(r['wall_seconds'], 1)} | "
                         f"{_fmt(r.get('peak_mib'), 0)} | {_epochs(rep)} |"
                         + (f" {r['error']}" if 'error' in r else ""))
        lines += ["", "`fit` (10% held out, the same ratings for both engines; torch writes the "
                  "filled 610 x 9,724 matrix and every cell's prediction, Spark the top 10 per "
                  "user, the held-out predictions and its model):", ""]
        lines += [*_fit_table(ml["fit"].items()), ""]
    if results.get("ranking"):
        lines += [*_ranking_table(results["ranking"]), ""]
    scale = results.get("scale")
    if scale:
        lines += ["### Synthetic ratings, `fit` with each engine's defaults", "",
                  "The growth bench's data (`generate_long`, seed 0, 20 users an item). Validation "
                  "RMSE on the same 10% held out. The synthetic ratings are taste groups with "
                  "almost no biases (the held-out ratings' spread around the training mean, "
                  "the baseline's RMSE: " + _baselines(scale) + ").", "",
                  "| ratings | users x items | engine | val RMSE | train s | wall s | peak MiB | "
                  "epochs |", "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        for r in scale:
            rep = r.get("report") or {}
            lines.append(f"| {r['n_ratings']:,} | {r['n_users']:,} x {r['n_items']:,} | "
                         f"{r['engine']} | {_fmt(rep.get('val_rmse'))} | "
                         f"{_fmt(_train_seconds(rep), 1)} | {_fmt(r['wall_seconds'], 1)} | "
                         f"{_fmt(r.get('peak_mib'), 0)} | {_epochs(rep)} |"
                         + (f" {r['error']}" if 'error' in r else ""))
        missing = [n for n in SIZES if n not in {r["n_ratings"] for r in scale}]
        if missing:
            lines += ["", "Not measured in this run: " + ", ".join(f"{n:,}" for n in missing)
                      + " ratings."]
    if NOTES.exists():
        lines += ["", NOTES.read_text(encoding="utf-8").rstrip()]
    lines += ["", END]
    return "\n".join(lines)


def _ranking_table(rows: dict) -> list[str]:
    lines = ["### MovieLens latest-small as interactions (ranking)", "",
             "`evaluate --task ranking --k 10 --negatives 99 --seed 0`: every rating an "
             "interaction, each user's latest held out (Spark holds out the same movie where a "
             "user's latest second has one rating; ties are drawn by each engine's own seeded "
             "generator), HR@10 and NDCG@10 among 99 sampled unrated movies and among every "
             "movie the user has not rated in training. Spark ALS at Spark's defaults (rank 10, "
             "10 iterations, regParam 0.1, alpha 1), torch BPR at the registry's, `implicit`'s "
             "ALS at its own (100 factors, regularization 0.01, alpha 1, 15 iterations). "
             f"Load average (1, 5, 15 min) before: {rows.get('load_before', '?')}; after: "
             f"{rows.get('load_after', '?')}.", "",
             "| model | HR@10 | NDCG@10 | HR@10 full | NDCG@10 full | fit s | wall s | peak MiB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in rows.items():
        if not isinstance(r, dict):
            continue
        lines.append(f"| {name} | " + _ranking_cells(r))
    return lines


def _ranking_cells(r: dict) -> str:
    """A ranking row's figures: HR@10 and NDCG@10 sampled and full, fit s, wall s, peak MiB."""
    rep = r.get("report") or {}
    return (f"{_fmt(rep.get('hr'))} | {_fmt(rep.get('ndcg'))} | {_fmt(rep.get('hr_full'))} | "
            f"{_fmt(rep.get('ndcg_full'))} | {_fmt(rep.get('fit_seconds'), 1)} | "
            f"{_fmt(r['wall_seconds'], 1)} | {_fmt(r.get('peak_mib'), 0)} |"
            + (f" {r['error']}" if 'error' in r else ""))


def _fit_table(items) -> list[str]:
    lines = ["| engine | val RMSE | train s | wall s | peak MiB | epochs |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in items:
        rep = r.get("report") or {}
        lines.append(f"| {name} | {_fmt(rep.get('val_rmse'))} | {_fmt(_train_seconds(rep), 1)} "
                     f"| {_fmt(r['wall_seconds'], 1)} | {_fmt(r.get('peak_mib'), 0)} | "
                     f"{_epochs(rep)} |" + (f" {r['error']}" if 'error' in r else ""))
    return lines


def _baselines(scale: list[dict]) -> str:
    found = {r["n_ratings"]: r["report"]["baseline_val_rmse"] for r in scale
             if (r.get("report") or {}).get("baseline_val_rmse") is not None}
    return ", ".join(f"{v:.2f} at {n:,}" for n, v in sorted(found.items())) or "–"


def _epochs(report: dict) -> str:
    """Epochs trained (ALS: iterations): a fit's, with an early stop said; a fold's when
    every fold ran as many, else each fold's."""
    folds = report.get("folds")
    if folds:
        runs = [f.get("epochs_run") for f in folds]
        return f"{runs[0]} a fold" if len(set(runs)) == 1 else " / ".join(map(str, runs))
    if report.get("epochs_run") is None:
        return "–"
    stopped = " (early stop)" if report.get("status") == "early_stopped" else ""
    return f"{report['epochs_run']}{stopped}"


def write(path: Path, block: str) -> None:
    load.write(path, block, START, END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["movielens", "ranking", "scale", "clicks"])
    parser.add_argument("--sizes", help="synthetic sizes, e.g. 1000000 (default 1M and 10M)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only rewrite the section from a JSON file an earlier run wrote")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--tune", nargs="?", const="all", metavar="GRID",
                        help="only print how the ALS defaults were chosen (a small grid on a "
                             "validation split of MovieLens's training part); GRID: "
                             "bias:reg:rank,... to try only those (e.g. on:0.3:10)")
    args = parser.parse_args(argv)
    if args.tune:
        grid = None if args.tune == "all" else [
            (b == "on", float(reg), int(rank)) for b, reg, rank in
            (part.split(":") for part in args.tune.split(","))]
        rows = tune(lambda line: print(line, flush=True), grid)
        print(json.dumps(rows, indent=1))
        return 0
    command = " ".join(["python -m bench.spark", *(argv if argv is not None else sys.argv[1:])])
    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        results, info, command = saved["results"], saved["machine"], saved["command"]
    else:
        info = machine.describe()
        info["versions"]["pyspark"] = machine._version("pyspark")
        results = {}

        def say(line: str) -> None:
            print(line, flush=True)

        with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
            if args.only in (None, "movielens"):
                say("MovieLens latest-small")
                results["movielens"] = bench_movielens(say, Path(tmp))
            if args.only in (None, "ranking"):
                say("MovieLens latest-small as interactions")
                results["ranking"] = bench_ranking(say)
            if args.only in (None, "scale"):
                sizes = ([int(float(s)) for s in args.sizes.split(",")] if args.sizes
                         else list(SIZES))
                say("Synthetic")
                results["scale"] = bench_scale(sizes, say, Path(tmp))
            if args.only in (None, "clicks"):
                say("Synthetic interactions")
                results["clicks"] = bench_clicks(CLICK_SIZES, say, Path(tmp))
        info["load_after"] = machine.load_average()
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "command": command,
                                             "results": results}, indent=1), encoding="utf-8")
    if results.get("clicks"):
        clicks = clicks_section(results["clicks"], info, command)
        print(clicks)
        if not args.no_write:
            load.write(args.out, clicks, CLICKS_START, CLICKS_END)
            print(f"wrote the Spark interactions section of {args.out}")
    if any(results.get(part) for part in ("movielens", "ranking", "scale")):
        block = section(results, info, command)
        print(block)
        if not args.no_write:
            write(args.out, block)
            print(f"wrote the Spark section of {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
