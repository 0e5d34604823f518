"""The peers of the ranking bench: the ``implicit`` library (ALS, BPR) and Cornac (BPR,
NeuMF), each at its documented defaults, fitted on the same leave-one-out training pairs and
scored by the same functions as ours (``recsys_core.ranking.metrics.evaluate``).

Each peer is ``fit(split) -> (score_rows, settings)``; ``score_rows(users)`` gives a users x
items array in our item order. An item a peer never saw in training (Cornac keeps only
those) scores -inf: ranked last. Peers that are not installed are left out with a note.
"""

from __future__ import annotations

import importlib.util

import numpy as np

SEED = 0


def _matrix(split):
    from scipy.sparse import csr_matrix

    users, items = split.train_pairs()
    data = split.data
    return csr_matrix((np.ones(users.size, dtype=np.float32), (users, items)),
                      shape=(data.n_users, data.n_items))


def implicit_als(split):
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    model = AlternatingLeastSquares(random_state=SEED)
    with threadpool_limits(1, "blas"):  # what implicit asks for: it runs its own threads
        model.fit(_matrix(split), show_progress=False)
    return (lambda users: model.user_factors[users] @ model.item_factors.T,
            "defaults (100 factors, regularization 0.01, alpha 1, 15 iterations), "
            "random_state=0")


def implicit_bpr(split):
    from implicit.cpu.bpr import BayesianPersonalizedRanking

    model = BayesianPersonalizedRanking(random_state=SEED)
    model.fit(_matrix(split), show_progress=False)
    return (lambda users: model.user_factors[users] @ model.item_factors.T,
            "defaults (100 factors, learning rate 0.01, regularization 0.01, 100 iterations), "
            "random_state=0")


def _cornac(split, model):
    from cornac.data import Dataset

    users, items = split.train_pairs()
    triplets = list(zip(users.astype(str), items.astype(str), np.ones(users.size)))
    dataset = Dataset.from_uir(triplets, seed=SEED)
    model.fit(dataset)
    ours = np.array([dataset.iid_map.get(str(i), -1) for i in range(split.data.n_items)])
    known = ours >= 0

    def rows(users):
        out = np.full((len(users), split.data.n_items), -np.inf)
        for row, user in enumerate(users):
            scores = np.asarray(model.score(dataset.uid_map[str(user)]), dtype=np.float64)
            out[row, known] = scores[ours[known]]
        return out

    return rows


def cornac_bpr(split):
    from cornac.models import BPR

    return (_cornac(split, BPR(seed=SEED, verbose=False)),
            "defaults (k 10, 100 iterations, learning rate 0.001, lambda_reg 0.01), seed=0")


def cornac_neumf(split):
    import torch
    from cornac.models import NeuMF

    backend = "tensorflow" if importlib.util.find_spec("tensorflow") else "pytorch"
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as ours at batches this small (recsys_core.ranking.training)
    try:
        rows = _cornac(split, NeuMF(seed=SEED, verbose=False, backend=backend))
    finally:
        torch.set_num_threads(threads)
    return (rows, f"defaults (8 factors, layers 64-32-16-8, 20 epochs, batch 256, 4 "
                  f"negatives, Adam lr 0.001), seed=0, backend={backend}, torch on 1 thread")


PEERS = {"implicit ALS": ("implicit", implicit_als), "implicit BPR": ("implicit", implicit_bpr),
         "Cornac BPR": ("cornac", cornac_bpr), "Cornac NeuMF": ("cornac", cornac_neumf)}


def available(name: str) -> bool:
    return importlib.util.find_spec(PEERS[name][0]) is not None


def pairs_from_rows(score_rows):
    """``score_pairs(users, items)`` from a ``score_rows`` (each user's row computed once)."""
    def score_pairs(users, items):
        unique, where = np.unique(users, return_inverse=True)
        return np.asarray(score_rows(unique))[where, items]
    return score_pairs


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.ranking_peers NAME FILE``: one peer on FILE's leave-one-out (seed 0),
    scored as ours, printed as one JSON object with the ranking task's metric keys: so a
    bench can measure a peer's wall time and memory in a child process, as it does our CLI."""
    import json
    import sys
    import time

    from recsys_core.ranking.loading import load_interactions
    from recsys_core.ranking.metrics import evaluate
    from recsys_core.ranking.split import leave_one_out

    name, path = (sys.argv[1:] if argv is None else argv)[:2]
    data = load_interactions(path)
    split = leave_one_out(data, SEED)
    started = time.perf_counter()
    score_rows, settings = PEERS[name][1](split)
    fit_seconds = time.perf_counter() - started
    scores = evaluate(pairs_from_rows(score_rows), score_rows, split, 10, 99, SEED)
    print(json.dumps({"model": name, "task": "ranking", "n_users": data.n_users,
                      "n_items": data.n_items, "n_interactions": data.n_interactions,
                      **scores.as_dict(), "fit_seconds": fit_seconds, "settings": settings}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
