"""Before and after: MF's fit on MovieLens latest-small with an older recsys_core and this one.

``python -m bench.before_after [--ref 831e96a]`` takes ``recsys_core/`` as it was at the git
revision REF (``git archive``), and times one fit (fold 1 of the bench's 5 folds, fastest of
``--repeats``) with each code and each set of defaults: the old defaults (k=32, 20 epochs,
batch 1024, lr 0.01) and the new ones (k=64, 10 epochs, batch 8192, lr 0.04). Every fit runs
in its own child process, the four alternating, so load from elsewhere hits them alike. It
writes ``bench/before_after.md``, which ``python -m bench`` puts into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from . import ROOT
from .scale import THREADS, child_env

OUTPUT = Path(__file__).resolve().parent / "before_after.md"
DEFAULT_REF = "831e96a"  # recsys_core before issue 4 (per-batch L2, size-aware defaults)

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, torch
torch.set_num_threads(int(sys.argv[4]))
from recsys_core.data.loading import load_ratings
from recsys_core.models import MFConfig
from recsys_core.data.split import kfold_masks
from recsys_core.training.trainer import TrainConfig, Trainer
r = load_ratings(sys.argv[2], rating_range=(0.5, 5.0))
test = kfold_masks(r, 5, 0)[0]
old = sys.argv[3] == "old"
mc = MFConfig(dim=32 if old else 64)
tc = TrainConfig(epochs=20 if old else 10, lr=0.01 if old else 0.04, weight_decay=0.1,
                 batch_size=1024 if old else 8192, val_frac=0.0)
best = float("inf")
for _ in range(int(sys.argv[5])):
    started = time.perf_counter()
    trainer = Trainer(r, "mf", mc, tc, is_val=test)
    trainer.fit()
    best = min(best, time.perf_counter() - started)
trainer.model.eval()
with torch.no_grad():
    p = trainer.model(torch.as_tensor(r.user_idx[test]), torch.as_tensor(r.item_idx[test]))
rmse = float(np.sqrt(np.mean((p.double().numpy() - r.values[test]) ** 2)))
steps = tc.epochs * -(-int((~test).sum()) // tc.batch_size)
print(json.dumps({"seconds": best, "steps": steps, "rmse": rmse}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.before_after")
    parser.add_argument("--ref", default=DEFAULT_REF, help="git revision of the 'before' code")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    import torch  # noqa: F401  (only to fail early without it)

    data = ROOT / "data" / "ml-latest-small" / "ratings.csv"
    with tempfile.TemporaryDirectory(prefix="bench-before-") as tmp:
        archive = subprocess.run(["git", "archive", args.ref, "recsys_core"], cwd=ROOT,
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        codes = {"before": tmp, "after": str(ROOT)}
        best: dict[tuple[str, str], dict] = {}
        for _ in range(args.rounds):
            for code, path in codes.items():
                for defaults in ("old", "new"):
                    out = subprocess.run([sys.executable, "-c", CHILD, path, str(data), defaults,
                                          str(THREADS), str(args.repeats)], cwd=tmp,
                                         env=child_env(), check=True, capture_output=True,
                                         text=True).stdout
                    result = json.loads(out.strip().splitlines()[-1])
                    key = (code, defaults)
                    if key not in best or result["seconds"] < best[key]["seconds"]:
                        best[key] = result
                    print(code, defaults, result, f"load {os.getloadavg()[0]:.2f}", flush=True)
    OUTPUT.write_text(render(best, args.ref), encoding="utf-8")
    print(f"Wrote {OUTPUT}")
    return 0


def render(best: dict, ref: str) -> str:
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    lines = ["## Before and after: MF's training path and defaults", "",
             f"One MF fit on fold 1 of MovieLens latest-small (80,669 training ratings), fastest "
             f"of several, torch at {THREADS} threads; `python -m bench.before_after --ref {ref}` "
             f"({date}). *Before* is `recsys_core/` at {ref}.", "",
             "| code | defaults | fit s | steps | ms / step | RMSE (fold 1) |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    names = {"old": "old: k=32, 20 epochs, batch 1024, lr 0.01",
             "new": "new: k=64, 10 epochs, batch 8192, lr 0.04"}
    for code in ("before", "after"):
        for defaults in ("old", "new"):
            r = best[(code, defaults)]
            lines.append(f"| {code} | {names[defaults]} | {r['seconds']:.3f} | {r['steps']} | "
                         f"{r['seconds'] / r['steps'] * 1000:.2f} | {r['rmse']:.4f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
