"""No warm-up tax: the first fit in a fresh process against a later fit of the same size.

``python -m bench.first_fit [--threads N] [--epochs E]`` fits MF with MovieLens latest-small's
defaults (E epochs, no early stop, so every fit does the same work) three times in one fresh
process and prints ``{"first", "later", "ratio"}`` as JSON: the first fit's seconds, the
fastest later fit's, and first ÷ later. ``python -m bench`` runs it in a child process (a
process of its own is the point: the bench's own process is warm).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from bench import ROOT

GOAL = 1.2  # the first fit may take at most this times a later one (issue 17)


def measure(threads: int, epochs: int, fits: int = 3, data: str | None = None) -> dict:
    import torch

    torch.set_num_threads(threads)
    from dataclasses import replace

    from recsys_core.data.loading import load_ratings
    from recsys_core.models.defaults import suggest_configs
    from recsys_core.training.trainer import Trainer

    ratings = load_ratings(data or str(ROOT / "data" / "ml-latest-small" / "ratings.csv"))
    model_config, train = suggest_configs(ratings, "mf")
    train = replace(train, epochs=epochs, patience=None)
    seconds = []
    for _ in range(fits):
        started = time.perf_counter()
        Trainer(ratings, "mf", model_config, train).fit()
        seconds.append(time.perf_counter() - started)
    later = min(seconds[1:])
    return {"first": seconds[0], "later": later, "ratio": seconds[0] / later,
            "threads": threads, "epochs": epochs, "n_ratings": ratings.n_ratings}


def run(threads: int = 2, epochs: int = 10, data: str | None = None) -> dict:
    """:func:`measure` in a fresh child process; ``{"error": ...}`` if it fails."""
    command = [sys.executable, "-m", "bench.first_fit", "--threads", str(threads),
               "--epochs", str(epochs)] + (["--data", data] if data else [])
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=900)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_fit",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--data", help="a rating file (default MovieLens latest-small)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.threads, args.epochs, data=args.data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
