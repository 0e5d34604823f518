"""``python -m bench.ranking``: the ranking task on MovieLens latest-small (issue 14).

MovieLens latest-small as interactions (every rating is one, as the NCF paper does with
MovieLens 1M), leave-one-out by timestamp (each user's latest rating held out; ties in the
same second drawn with seed 0), every ranking model of the registry at its defaults
(``RankingSpec.train_defaults`` over ``RankingTrainConfig``) trained on the rest, and scored
the paper's way (HR@10 and NDCG@10 among 99 sampled unrated movies) and on the full ranking
(among every movie the user has not rated in training). ``fit s`` is building and training
the model, the same span the CLI reports as ``fit_seconds``.

Writes the section between ``START`` and ``END`` of BENCHMARKS.md and nothing else
(``python -m bench`` keeps it).

    python -m bench.ranking                         # every ranking model, writes BENCHMARKS.md
    python -m bench.ranking --models bpr,popularity --no-write
    python -m bench.ranking --smoke --out /tmp/x.md # seconds: made-up clicks, proves it runs
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from . import ROOT, load

START, END = load.markers("ranking")
SEED = 0
K = 10
NEGATIVES = 99
THREADS = 2
VARIANTS = {"neumf+pretrain": ("neumf", {"pretrain": True}, {"lr": 0.001, "epochs": 4})}
"""Rows beside the defaults: NeuMF started from a trained GMF and MLP, as in the paper, then
trained at a small learning rate so it keeps what they learned."""
NOTES = Path(__file__).resolve().parent / "ranking.md"
"""What the numbers mean, written by hand after a run, put under the table."""


def run(models: list[str], data, epochs: int | None = None, peers: list[str] = ()) -> dict:
    import dataclasses

    from recsys_core.models import RANKING_MODELS
    from recsys_core.ranking.commands import fit_and_score
    from recsys_core.ranking.split import leave_one_out
    from recsys_core.ranking.training import RankingTrainConfig

    split = leave_one_out(data, SEED)  # the split fit_and_score makes, for the peers and notes
    rows = []
    for label in models:
        name, config_changes, train_changes = VARIANTS.get(label, (label, {}, {}))
        spec = RANKING_MODELS[name]
        train = dataclasses.replace(RankingTrainConfig(),
                                    **{**spec.train_defaults, **train_changes})
        if epochs is not None:
            train = dataclasses.replace(train, epochs=epochs)
        config = dataclasses.replace(spec.config_cls(), **config_changes)
        started = time.perf_counter()
        summary, _, _ = fit_and_score(data, name, config, train, K, NEGATIVES, SEED)
        rows.append({**summary, "model": label, "total_seconds": time.perf_counter() - started,
                     "settings": _settings(spec, config, train)})
        print(json.dumps(rows[-1]), flush=True)
    if peers:
        rows += run_peers(split, peers)
    return {"data": data.source, "n_users": data.n_users, "n_items": data.n_items,
            "n_interactions": data.n_interactions, "held_out": str(split.note()),
            "scored_users": int(split.test_users.size), "rows": rows}


def run_peers(split, names: list[str]) -> list[dict]:
    """Each installed peer at its documented defaults on the same split (see
    ``bench/ranking_peers.py``); one not installed gets a row that says so."""
    from recsys_core.ranking.metrics import evaluate

    from . import ranking_peers

    rows = []
    for name in names:
        if not ranking_peers.available(name):
            rows.append({"model": name, "missing": True,
                         "settings": f"not installed ({ranking_peers.PEERS[name][0]})"})
            continue
        started = time.perf_counter()
        score_rows, settings = ranking_peers.PEERS[name][1](split)
        fit_seconds = time.perf_counter() - started
        scores = evaluate(ranking_peers.pairs_from_rows(score_rows), score_rows, split, K,
                          NEGATIVES, SEED)
        rows.append({"model": name, **scores.as_dict(), "fit_seconds": fit_seconds,
                     "settings": settings})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def _settings(spec, config, train) -> str:
    from dataclasses import asdict

    model = ", ".join(f"{k}={v}" for k, v in asdict(config).items())
    if spec.loss is None:
        return model or "no settings"
    if not spec.gradient:  # ALS: its epochs are sweeps, nothing sampled, no optimiser
        return f"{model}; {train.epochs} sweeps"
    return (f"{model}; {train.epochs} epochs, {train.optimizer} lr {train.lr:g}, batch "
            f"{train.batch_size}, {train.negatives} negatives per positive, L2 "
            f"{train.weight_decay:g}")


def section(result: dict, machine: dict, command: str) -> str:
    popularity = next((r for r in result["rows"] if r["model"] == "popularity"), None)
    lines = [
        START, "## Ranking: the NCF paper's task (implicit feedback)", "",
        f"{result['data']} as interactions: {result['n_interactions']:,} ratings, each one "
        f"an interaction whatever its value ({result['n_users']} users x "
        f"{result['n_items']:,} movies). {result['held_out']} {result['scored_users']} users "
        "scored; `fit s` of a pretrained NeuMF includes training its GMF and MLP. "
        f"**Sampled**: HR@{K} and NDCG@{K} of the held-out movie among {NEGATIVES} "
        "movies the user never rated, drawn with seed 0 (the paper's protocol). **Full**: "
        "among every movie the user has not rated in training (9,000-odd). Ties count at "
        "their expected value. Each model at its defaults; `fit s` is building and training "
        f"it (what the CLI reports as `fit_seconds`), torch on {THREADS} threads (batches up "
        "to 4,096 train on one). "
        f"Generated by `bench/ranking.py`: `{command}`.", "",
        f"- Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores; "
        f"{machine.get('date', '')}; load average before {machine.get('load_before', '?')}, "
        f"after {machine.get('load_after', '?')} (other work shared the machine: the fit "
        "times are slower than on a quiet one, and from one run).",
        f"- torch {machine.get('versions', {}).get('torch', '?')}; peers: " + ", ".join(
            f"{k} {v}" for k, v in machine.get("peer_versions", {}).items()) + ".", "",
        f"| model | HR@{K} sampled | NDCG@{K} sampled | HR@{K} full | NDCG@{K} full "
        "| HR@10 full ÷ popularity | fit s | settings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in result["rows"]:
        if row.get("missing"):
            lines.append(f"| {row['model']} | – | – | – | – | – | – | {row['settings']} |")
            continue
        ratio = (f"{row['hr_full'] / popularity['hr_full']:.2f}" if popularity
                 and popularity["hr_full"] else "–")
        lines.append(f"| {row['model']} | {row['hr']:.4f} | {row['ndcg']:.4f} | "
                     f"{row['hr_full']:.4f} | {row['ndcg_full']:.4f} | {ratio} | "
                     f"{row['fit_seconds']:.1f} | {row['settings']} |")
    verdicts = target_verdicts(result["rows"])
    if verdicts:
        lines += ["", "Goal (issue 14): our best model at or above the best peer on both HR@10 "
                      "figures, in no more fit time than that peer.", ""]
        lines += [f"- {line}" for line in verdicts]
    if NOTES.exists():
        lines += ["", NOTES.read_text(encoding="utf-8").strip()]
    return "\n".join(lines + ["", END])


def target_verdicts(rows: list[dict]) -> list[str]:
    """The goal, figure by figure: ours (rows with a ``task``) against the measured peers."""
    ours = [r for r in rows if r.get("task")]
    peers = [r for r in rows if not r.get("task") and not r.get("missing")]
    if not ours or not peers:
        return []
    lines = []
    for key, words in (("hr", f"sampled HR@{K}"), ("hr_full", f"full HR@{K}")):
        mine, theirs = max(ours, key=lambda r: r[key]), max(peers, key=lambda r: r[key])
        met = mine[key] >= theirs[key]
        faster = mine["fit_seconds"] <= theirs["fit_seconds"]
        lines.append(
            f"{words}: {'**met**' if met else '**not met**'}, ours best {mine['model']} "
            f"{mine[key]:.4f} against {theirs['model']} {theirs[key]:.4f}; fit time "
            f"{'**met**' if faster else '**not met**'}, {mine['fit_seconds']:.1f} s against "
            f"{theirs['fit_seconds']:.1f} s.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = load.section_parser("ranking", __doc__, "ranking",
                                 "comma-separated, default every ranking model",
                                 "made-up clicks of 80 users, 2 epochs: proves the bench runs")
    parser.add_argument("--peers", default="all",
                        help="peers to run beside ours, comma-separated, 'all' (default; those "
                             "not installed get a row that says so) or 'none'")
    args = parser.parse_args(argv)
    if load.rendered(args, section, START, END, "ranking"):
        return 0
    if args.smoke and args.out == ROOT / "BENCHMARKS.md" and not args.no_write:
        print("error: --smoke needs --out (it must not overwrite BENCHMARKS.md)", file=sys.stderr)
        return 2

    import torch

    from recsys_core.models import RANKING_MODELS

    from . import machine

    torch.set_num_threads(THREADS)
    models = args.models.split(",") if args.models else [*RANKING_MODELS, *VARIANTS]
    unknown = [m for m in models if m not in RANKING_MODELS and m not in VARIANTS]
    if unknown:
        print(f"error: unknown ranking model {unknown[0]!r}; pick from "
              f"{', '.join(RANKING_MODELS)}", file=sys.stderr)
        return 2
    if args.smoke:
        from recsys_core.data.synthetic import generate_clicks

        data, epochs = generate_clicks(n_users=80, n_items=150, clicks_per_user=8)[0], 2
    else:
        from recsys_core.ranking.loading import load_interactions

        data = load_interactions(ROOT / "data" / "ml-latest-small" / "ratings.csv")
        data.source, epochs = "MovieLens latest-small", None
    info = machine.describe()
    info["threads"] = THREADS
    info["peer_versions"] = {name: machine._version(name) for name in ("implicit", "cornac")}
    from . import ranking_peers

    peers = ([] if args.peers == "none" else list(ranking_peers.PEERS) if args.peers == "all"
             else args.peers.split(","))
    if any(p not in ranking_peers.PEERS for p in peers):
        print(f"error: --peers picks from {', '.join(ranking_peers.PEERS)}", file=sys.stderr)
        return 2
    result = run(models, data, epochs, peers)
    info["load_after"] = machine.load_average()
    command = " ".join(["python -m bench.ranking", *(argv if argv is not None else
                                                      sys.argv[1:])]).strip()
    result.update(machine=info, command=command)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    block = section(result, info, command)
    if args.no_write:
        print(block)
    else:
        load.write(args.out, block, START, END)
        print(f"wrote the ranking section of {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
