"""Child process of the scale bench: synthetic ratings in memory, then the training alone.

``python -m bench.scale_child --ratings N --users U --items I --model M --epochs E`` prints
one JSON object; its parent reads this process's peak memory from the operating system.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_child")
    parser.add_argument("--ratings", type=int, required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--model", default="mf")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    from recsys_core.data.synthetic import generate_long
    from recsys_core.models.defaults import suggest_configs
    from recsys_core.training.trainer import Trainer

    started = time.perf_counter()
    ratings = generate_long(args.ratings, args.users, args.items, seed=0)
    generated = time.perf_counter()
    model_config, train = suggest_configs(ratings, args.model)
    trainer = Trainer(ratings, args.model, model_config, replace(train, epochs=args.epochs))
    built = time.perf_counter()
    trainer.fit()
    print(json.dumps({
        "generate_seconds": generated - started, "build_seconds": built - generated,
        "fit_seconds": trainer.seconds, "epochs_run": trainer.epochs_run,
        "val_rmse": trainer.history[-1].val_rmse if trainer.history else None,
        "batch_size": train.batch_size,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
