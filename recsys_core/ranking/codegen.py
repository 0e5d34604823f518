"""Show the code of a ranking run: a standalone script that repeats it (issue 14).

The script needs torch, numpy and pandas, not this library, and does what the library did,
in the library's order, so its scores are the library model's (to float32's last bits):

1. the interactions, users and items numbered as :class:`~.data.Interactions` numbers them
   (MovieLens latest-small read from the app's ``data/`` folder; other data written in);
2. leave-one-out with the same seeded tie-break (:func:`~.split.leave_one_out`);
3. the model's class, as its own file writes it (``RankingSpec.code``,
   :mod:`recsys_core.models.ranking.code`), created after ``torch.manual_seed``;
4. training: every epoch's negatives drawn from ``numpy.random.default_rng([3, seed])``
   (:func:`~.training.draw_negatives`, copied in as it is), the same shuffle, mini-batches,
   loss, L2 and optimiser; NeuMF's pretraining as :func:`~.training.pretraining_config` says;
   ALS runs its sweeps with the library's own solver functions, copied in; a closed-form
   model (popularity, item-kNN) is simply computed;
5. every user's score of every item, then HR@K and NDCG@K on the sampled negatives
   (:func:`~.split.sample_negatives`'s draws) and on the full ranking.

Why a module of its own: :mod:`recsys_core.results.codegen` writes the rating task's script (700
lines, one document); this one shares only its line writer.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from recsys_core.data.samples import SAMPLES
from recsys_core.models import RANKING_MODELS
from recsys_core.ranking.data import Interactions
from recsys_core.ranking.metrics import expected_hits
from recsys_core.ranking.training import (
    ONE_THREAD_BATCH,
    RankingTrainConfig,
    draw_negatives,
    pretraining_config,
)
from recsys_core.results.codegen import _num, _Writer

OPTIMIZER_CODE = {"adam": "torch.optim.Adam", "adamw": "torch.optim.AdamW",
                  "sgd": "torch.optim.SGD"}
MOVIELENS = "movielens"


def ranking_script(data: Interactions, model_name: str, model_config,
                   train_config: RankingTrainConfig, epochs: int, *, k: int = 10,
                   negatives: int = 99, split_seed: int | None = None) -> str:
    """A standalone script that repeats a ranking run (see the module docstring).

    ``epochs``: how many the model trained in all (Train and every Continue, which go on
    with the same generator); ``k`` and ``negatives``: the HR@K / NDCG@K it prints;
    ``split_seed``: the seed of the leave-one-out split and the sampled negatives, the
    training seed when None (as the command line and the app use one seed).
    """
    spec = RANKING_MODELS[model_name]
    model_config = model_config if model_config is not None else spec.config_cls()
    seed = int(train_config.seed if split_seed is None else split_seed)
    w = _Writer("en")
    w.comment(f"Reproduces a RecSys Playground ranking run: {spec.title} on {_title(data)}.")
    w.comment("Same interactions, held-out items, seed, starting weights, negatives and updates, so "
              "its scores match the library's (to about 4 decimals: float32 differs in the last "
              "bits between machines).")
    reads_sample = _is_movielens(data)
    if reads_sample:
        w.comment("Run it in the folder that holds the app's data/ folder.")
    w.blank()
    for module in ("numpy as np", "pandas as pd", "torch"):
        w.line(f"import {module}")
    w.blank()
    w.section("1. the interactions")
    (_movielens_code if reads_sample else _literal_code)(w, data)
    w.section("2. leave-one-out: each user's latest interaction is held out")
    _split_code(w, data, seed)
    w.section("3. the model")
    code = spec.code(model_config, _pretraining_lines(train_config))
    for source in (*code.needs, code.source):
        w.lines.extend(source.splitlines())
        w.blank(2)
    if spec.loss is None:
        _closed_code(w, code)
    elif not spec.gradient:
        w.section("4. training: alternating least squares, users then items each epoch")
        _sweep_code(w, code, int(epochs))
    else:
        w.section("4. training: fresh negatives every epoch, from the run's seeded generator")
        _train_code(w, spec.loss, train_config, code, int(epochs))
    w.section("5. HR@K and NDCG@K, on sampled negatives and on the full ranking")
    _score_code(w, by_rows=not spec.gradient)
    _metrics_code(w, int(k), int(negatives))
    return w.text()


def _title(data: Interactions) -> str:
    return (f"{data.source or 'interactions'} ({data.n_users:,} users, {data.n_items:,} items, "
            f"{data.n_interactions:,} interactions)")


# ----- 1. the interactions ---------------------------------------------------------------
def _is_movielens(data: Interactions) -> bool:
    """The bundled MovieLens latest-small, every rating an interaction, unchanged."""
    if data.source != SAMPLES[MOVIELENS].title or data.timestamps is None:
        return False
    sample = _movielens()
    return (data.items == sample.items and data.users == sample.users
            and np.array_equal(data.user_idx, sample.user_idx)
            and np.array_equal(data.item_idx, sample.item_idx)
            and np.array_equal(data.timestamps, sample.timestamps))


@functools.lru_cache(maxsize=1)
def _movielens() -> Interactions:
    """The bundled sample never changes: read once for the comparison."""
    from recsys_core.data.samples import load_sample_interactions

    return load_sample_interactions(MOVIELENS)


def _movielens_code(w: _Writer, data: Interactions) -> None:
    path = "data/" + SAMPLES[MOVIELENS].file
    w.line(f"df = pd.read_csv({path!r}, dtype={{\"userId\": str, \"movieId\": str}})")
    w.comment("every rating is an interaction; users and films numbered in order of first "
              "appearance")
    w.line('users, items = list(pd.unique(df["userId"])), list(pd.unique(df["movieId"]))')
    w.line('user_idx = pd.Index(users).get_indexer(df["userId"])')
    w.line('item_idx = pd.Index(items).get_indexer(df["movieId"])')
    w.line('timestamps = df["timestamp"].to_numpy(np.float64)')
    w.line("n_users, n_items = len(users), len(items)")


def _literal_code(w: _Writer, data: Interactions) -> None:
    w.items("users = [", [repr(u) for u in data.users], "]")
    w.items("items = [", [repr(i) for i in data.items], "]")
    w.comment("one interaction a place: which user (a place in users), which item, and when")
    w.items("user_idx = np.array([", [str(int(u)) for u in data.user_idx], "])")
    w.items("item_idx = np.array([", [str(int(i)) for i in data.item_idx], "])")
    if data.timestamps is not None:
        w.items("timestamps = np.array([", [_num(t).removesuffix(".0") for t in data.timestamps],
                "], dtype=np.float64)")
    w.line("n_users, n_items = len(users), len(items)")


# ----- 2. the split -------------------------------------------------------------------------
def _split_code(w: _Writer, data: Interactions, seed: int) -> None:
    w.line(f"seed = {seed}")
    w.line("rng = np.random.default_rng([1, seed])")
    w.line("tie_break = rng.random(len(user_idx))  # " + "among interactions at the same time: a "
           "seeded draw")
    if data.timestamps is None:
        w.line("times = np.zeros(len(user_idx))  # the data have no times: a seeded draw decides")
    else:
        w.line("times = timestamps")
    w.line("order = np.lexsort((tie_break, times, user_idx))  # by user, then time, then the draw")
    w.line("last = np.append(user_idx[order][1:] != user_idx[order][:-1], True)")
    w.line("held = order[last]  # each user's latest")
    w.comment("a user with a single interaction keeps it for training and is not scored")
    w.line("held = held[np.bincount(user_idx, minlength=n_users)[user_idx[held]] >= 2]")
    w.line("held = held[np.argsort(user_idx[held], kind=\"stable\")]")
    w.line("is_test = np.zeros(len(user_idx), dtype=bool)")
    w.line("is_test[held] = True")
    w.line("test_users, test_items = user_idx[held], item_idx[held]")
    w.line("train_users, train_items = user_idx[~is_test], item_idx[~is_test]")


# ----- 3 and 4. the model and its training ---------------------------------------------------
def _train_args(t: RankingTrainConfig, epochs: int) -> list[str]:
    return [f"epochs={epochs}", f"lr={_num(t.lr)}", f"optimizer={OPTIMIZER_CODE[t.optimizer]}",
            f"negatives={int(t.negatives)}", f"weight_decay={_num(t.weight_decay)}",
            f"batch_size={int(t.batch_size)}"]


def _pretraining_lines(run: RankingTrainConfig):
    """``fit(name, config, var)`` for a model's code writer: build and train another model as
    the library's pretraining does (its own defaults, the run's seed, negatives, batch)."""
    def fit(name: str, config, var: str) -> tuple[str, ...]:
        train = pretraining_config(name, run)
        build = RANKING_MODELS[name].code(config, None).build
        args = _train_args(train, train.epochs)
        return ("torch.manual_seed(seed)", f"{var} = {build}",
                f"train({var}, " + ", ".join(args[:3]) + ",",
                "      " + ", ".join(args[3:]) + ")")
    return fit


def _sweep_code(w: _Writer, code, epochs: int) -> None:
    w.line("torch.set_num_threads(1)  # as the app: the sweeps are many small operations")
    w.line("torch.manual_seed(seed)")
    w.line(f"net = {code.build}")
    w.line(f"for epoc in range({epochs}):")
    w.line("loss = net.sweep(train_users, train_items)", 1)
    w.line('print(f"epoch {epoc + 1}: loss {loss:.4f}")', 1)


def _closed_code(w: _Writer, code) -> None:
    w.comment("computed once from the training interactions: nothing to train")
    w.line(f"net = {code.build}")
    w.line("net.fit(train_users, train_items)")


LOG_COLUMNS = """\
users = np.concatenate([train_users, np.repeat(train_users, negatives)])
items = np.concatenate([train_items, drawn.ravel()])
labels = np.concatenate([np.ones(train_users.size), np.zeros(drawn.size)])
keep = items >= 0  # -1: a user who has every item has no negative
order = rng.permutation(int(keep.sum()))  # positives and negatives shuffled together
X1, X2 = torch.as_tensor(users[keep][order]), torch.as_tensor(items[keep][order])
y = torch.as_tensor(labels[keep][order]).float()"""
LOG_STEP = """\
# 1 yhat: a logit per pair
yhat = net(X1[batch], X2[batch])
# 2 loss: log loss (clicked 1, drawn 0), plus the L2 penalty on the rows used
loss = torch.nn.functional.binary_cross_entropy_with_logits(yhat, y[batch])
if weight_decay:
    loss = loss + weight_decay * net.l2.mean()"""
BPR_COLUMNS = """\
keep = drawn.ravel() >= 0  # -1: a user who has every item has no negative
columns = (np.repeat(train_users, negatives)[keep], np.repeat(train_items, negatives)[keep],
           drawn.ravel()[keep])
order = rng.permutation(columns[0].size)
X1, X2, X3 = (torch.as_tensor(column[order]) for column in columns)"""
BPR_STEP = """\
# 1 yhat: the clicked item's score and the drawn one's
positive = net(X1[batch], X2[batch])
l2 = net.l2
negative = net(X1[batch], X3[batch])
l2 = l2 + net.l2
# 2 loss: BPR, the clicked item should score above the drawn one; plus the L2 penalty
loss = -torch.nn.functional.logsigmoid(positive - negative).mean()
if weight_decay:
    loss = loss + weight_decay * l2.mean()"""
STEPS = {"log": (LOG_COLUMNS, LOG_STEP), "bpr": (BPR_COLUMNS, BPR_STEP)}


def _block(w: _Writer, text: str, indent: int) -> None:
    for line in text.splitlines():
        w.line(line, indent)


def _train_code(w: _Writer, loss: str, t: RankingTrainConfig, code, epochs: int) -> None:
    if t.batch_size <= ONE_THREAD_BATCH:
        w.line("torch.set_num_threads(1)  # batches this small train faster on one thread (as the "
               "app)")
        w.blank(2)
    w.lines.extend(inspect.getsource(draw_negatives).splitlines())
    w.blank(2)
    w.line("def train(net, epochs, lr, optimizer, negatives, weight_decay, batch_size):")
    w.line('"""The library\'s training: fresh negatives every epoch from the run\'s seeded '
           'generator,', 1)
    w.line('shuffled, in mini-batches, with the lecture\'s four steps."""', 1)
    w.line("rng = np.random.default_rng([3, seed])  # negatives and shuffles, in this order", 1)
    w.line("positives = np.sort(train_users * n_items + train_items)  # one number a pair", 1)
    w.line("optimizr = optimizer(net.parameters(), lr=lr)", 1)
    w.line("net.train()", 1)
    w.line("for epoc in range(epochs):", 1)
    w.line("drawn = draw_negatives(rng, train_users, positives, n_items, negatives)", 2)
    columns, step = STEPS[loss]
    _block(w, columns, 2)
    w.line("total = 0.0", 2)
    w.line("for start in range(0, len(order), batch_size):", 2)
    w.line("batch = slice(start, start + batch_size)", 3)
    _block(w, step, 3)
    _block(w, "# 3 backward\nloss.backward()\n# 4 step, zero_grad\noptimizr.step()\n"
              "optimizr.zero_grad()\ntotal += loss.item() * len(X1[batch])", 3)
    w.line('print(f"epoch {epoc + 1}: loss {total / max(len(order), 1):.4f}")', 2)
    w.line("return net", 1)
    w.blank(2)
    w.line("torch.manual_seed(seed)")
    w.line(f"net = {code.build}")
    for line in code.prepare:
        w.line(line)
    args = _train_args(t, epochs)
    w.line("train(net, " + ", ".join(args[:3]) + ",")
    w.line("      " + ", ".join(args[3:]) + ")")


# ----- 5. scores and metrics ---------------------------------------------------------------
def _score_code(w: _Writer, by_rows: bool) -> None:
    w.line("net.eval()")
    w.line("with torch.no_grad():  # every user's score of every item: n_users x n_items")
    if by_rows:
        w.line("scores = net.score_rows(torch.arange(n_users))", 1)
    else:
        w.line("all_items = torch.arange(n_items)", 1)
        w.line("scores = torch.stack([net(torch.full((n_items,), u), all_items) for u in range(n_users)])", 1)


SAMPLER = """\
rng = np.random.default_rng([2, seed])
sampled = np.full((len(test_users), n_sampled), -1)  # -1: fewer unseen items than that
for row, user in enumerate(test_users):
    seen = item_idx[user_idx == user]
    if n_items - seen.size <= n_sampled:
        unseen = np.setdiff1d(np.arange(n_items), seen)
        sampled[row, :unseen.size] = unseen
        continue
    drawn = rng.choice(n_items, size=min(n_items, n_sampled + seen.size), replace=False)
    sampled[row] = drawn[~np.isin(drawn, seen)][:n_sampled]"""
RANKS = """\
S = scores.double().numpy()
positive = S[test_users, test_items]
candidates = np.where(sampled >= 0, S[test_users[:, None], sampled.clip(0)], np.nan)
hr, ndcg = expected_hits((candidates > positive[:, None]).sum(1),
                         (candidates == positive[:, None]).sum(1), k)
full = S.copy()
full[train_users, train_items] = np.nan  # an item the user already has is not ranked
full[test_users, test_items] = np.nan  # nor the held-out item against itself
full = full[test_users]
hr_full, ndcg_full = expected_hits((full > positive[:, None]).sum(1),
                                   (full == positive[:, None]).sum(1), k)
print(pd.DataFrame({f"{n_sampled} sampled": [hr.mean(), ndcg.mean()],
                    "full ranking": [hr_full.mean(), ndcg_full.mean()]},
                   index=[f"HR@{k}", f"NDCG@{k}"]).round(4))"""


def _metrics_code(w: _Writer, k: int, negatives: int) -> None:
    w.blank(2)
    w.lines.extend(inspect.getsource(expected_hits).splitlines())
    w.blank(2)
    w.line(f"k, n_sampled = {k}, {negatives}")
    w.comment("for each scored user, n_sampled items they never interacted with, drawn with the "
              "seed (the NCF paper's protocol)")
    _block(w, SAMPLER, 0)
    w.comment("a candidate that scores the same as the held-out item is placed above or below it "
              "at random: expected_hits averages over that draw")
    _block(w, RANKS, 0)


__all__ = ["ranking_script"]
