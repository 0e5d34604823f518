"""Training a ranking model: negative sampling, log loss or BPR, a report after every epoch.

Every epoch draws fresh negatives: for each training interaction (u, i), ``negatives`` items
u has no training interaction with, uniformly at random from the run's seeded generator
(``numpy.random.default_rng([3, seed])``; the same seed gives the same negatives, so a run
repeats exactly). The held-out item is not known to training and may be drawn as a negative,
as in the paper's code.

- log loss (GMF, MLP, NeuMF): positives labelled 1 and their negatives 0, all shuffled
  together, binary cross-entropy on the logits;
- BPR (MF-BPR): for each positive and each of its negatives, ``-log sigmoid(s_ui - s_uj)``;
- alternating least squares (ALS): the model solves its own sweep each epoch, no negatives;
- closed form (popularity, item-kNN): computed once from the training pairs, one "epoch".

L2 (``weight_decay``) pulls the embedding rows a batch uses toward zero, per example, as the
rating models' training does; the layers are left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import torch

from recsys_core.i18n import L_, N_
from recsys_core.models import RANKING_MODELS
from recsys_core.models.config import param
from recsys_core.ranking.split import LeaveOneOut
from recsys_core.training.trainer import _threads_for

OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
ONE_THREAD_BATCH = 4096
"""Batches up to this size train on one thread (``recsys_core.training.trainer._threads_for``): a
batch of a thousand pairs is too small to split, and on a busy machine a second thread's
every wake-up can wait a time slice (measured on 150 users' clicks with 12 other processes
on 2 cores: the MLP's 15 epochs took 90 s on two threads, 3 s on one)."""


@dataclass
class RankingTrainConfig:
    """How a ranking model trains. The defaults are chosen on MovieLens latest-small with a
    validation split (each user's second-latest rating, the latest being the test), see
    BENCHMARKS.md: the paper's Adam with 4 negatives, in batches of 4,096 instead of 256 (a
    CPU epoch about 2.5 times faster than at 1,024, the same HR@10 within the noise at a
    higher learning rate)."""

    epochs: int = param(12, N_("Epochs to train"), N_("passes over the training interactions"),
                        min=1, max=10_000, step=1)
    lr: float = param(0.005, N_("Learning rate"), N_("step size of the optimiser"), min=1e-6,
                      max=10.0, step=0.0005)
    optimizer: str = param("adam", N_("Optimiser"),
                           N_("adam suits most cases; sgd is the plain one"),
                           choices=tuple(OPTIMIZERS))
    batch_size: int = param(4096, N_("Batch size"), N_("training examples per update"),
                            min=1, max=1_000_000, step=1)
    negatives: int = param(4, N_("Negatives per positive"),
                           N_("unclicked items drawn for every click in each epoch (the NCF "
                              "paper: 4)"), min=1, max=100, step=1)
    weight_decay: float = param(0.0, N_("Weight decay (L2)"),
                                N_("pulls the embeddings each batch uses toward zero"),
                                min=0.0, max=10.0, step=1e-5)
    seed: int = param(0, N_("Seed"), N_("same seed, same numbers"), min=0, max=2**31 - 1,
                      step=1)


_STOPPED = object()
"""What an epoch cut off by :meth:`RankingTrainer.stop` returns instead of its loss."""


@dataclass(frozen=True)
class RankingEpoch:
    """One epoch: mean training loss (None for a closed-form model), and HR@K / NDCG@K on
    the held-out items when the trainer has a ``monitor``."""

    epoch: int
    loss: float | None
    hr: float | None
    ndcg: float | None
    seconds: float


def draw_negatives(rng: np.random.Generator, users: np.ndarray, positives: np.ndarray,
                   n_items: int, per_positive: int) -> np.ndarray:
    """``(len(users), per_positive)`` items drawn uniformly, each one the user has no pair
    with in ``positives`` (sorted ``user * n_items + item`` keys). Users who have every
    item get -1 (nothing to draw)."""
    out = rng.integers(0, n_items, size=(users.size, per_positive))
    full = np.bincount(positives // n_items, minlength=int(users.max(initial=0)) + 1)
    hopeless = full[users] >= n_items
    while True:
        keys = users[:, None] * n_items + out
        where = np.searchsorted(positives, keys).clip(max=positives.size - 1)
        clash = (positives[where] == keys) & ~hopeless[:, None]
        if not clash.any():
            break
        out[clash] = rng.integers(0, n_items, size=int(clash.sum()))
    out[hopeless] = -1
    return out


def pretraining_config(name: str, run: RankingTrainConfig) -> RankingTrainConfig:
    """How a model trained as another's starting point trains: at its own training
    defaults, with the run's seed, negatives per positive and batch size (the exported
    script writes the same)."""
    train = replace(RankingTrainConfig(), **RANKING_MODELS[name].train_defaults)
    return replace(train, seed=run.seed, negatives=run.negatives, batch_size=run.batch_size)


class RankingTrainer:
    """Fits one ranking model on the training part of a leave-one-out split.

    ``monitor(model) -> (hr, ndcg)``, if given, is called after every epoch (the live chart's
    HR@10); it only reads the model, so it changes nothing about the training.
    """

    def __init__(self, split: LeaveOneOut, model_name: str, model_config=None,
                 train: RankingTrainConfig | None = None,
                 monitor: Callable | None = None) -> None:
        if model_name not in RANKING_MODELS:
            raise ValueError(L_("'{name}' is not a ranking model; choose one of {names}",
                                name=model_name, names=", ".join(RANKING_MODELS)))
        self.spec = RANKING_MODELS[model_name]
        self.split = split
        self.model_name = model_name
        self.model_config = model_config if model_config is not None else self.spec.config_cls()
        self.train = train or RankingTrainConfig()
        self.monitor = monitor
        data = split.data
        self.users, self.items = split.train_pairs()
        self.positives = np.sort(self.users * data.n_items + self.items)
        self.rng = np.random.default_rng([3, int(self.train.seed)])
        torch.manual_seed(self.train.seed)
        self.model = self.spec.module_cls(data.n_users, data.n_items, self.model_config)
        self.optimizer = None
        if self.spec.gradient:
            self.optimizer = OPTIMIZERS[self.train.optimizer](self.model.parameters(),
                                                              lr=self.train.lr)
        self.history: list[RankingEpoch] = []
        self.seconds = 0.0
        self.status = "ready"  # ready | running | completed | stopped
        self._prepared = False
        self._stop_requested = False

    @classmethod
    def on_data(cls, data, model_name: str, model_config=None,
                train: RankingTrainConfig | None = None, k: int = 10,
                negatives: int = 99) -> RankingTrainer:
        """Leave-one-out with the training seed, and a trainer that reports the sampled
        HR@K and NDCG@K after every epoch (the app's live chart), as the final evaluation
        scores them (:func:`~.metrics.sampled_monitor`, the same negatives)."""
        from recsys_core.ranking.metrics import sampled_monitor
        from recsys_core.ranking.split import leave_one_out

        train = train or RankingTrainConfig()
        split = leave_one_out(data, train.seed)
        return cls(split, model_name, model_config, train,
                   monitor=sampled_monitor(split, k, negatives, train.seed))

    @property
    def data(self):
        return self.split.data

    def stop(self) -> None:
        """Ask a running loop to end after the current batch; the model keeps its progress
        (the run service's Pause)."""
        self._stop_requested = True
        if self.status == "running":
            self.status = "stopped"

    def set_lr(self, lr: float) -> None:
        """Go on at learning rate ``lr`` from the next batch (weights and the optimiser's
        state stay)."""
        if self.optimizer is None:
            return
        for group in self.optimizer.param_groups:
            group["lr"] = float(lr)
        self.train = replace(self.train, lr=float(lr))

    def result(self):
        """A snapshot of the run for reading and exporting (:mod:`.results`)."""
        from recsys_core.ranking.results import RankingResult

        return RankingResult.of(self)

    @property
    def epochs_run(self) -> int:
        return len(self.history)

    def run(self, epochs: int | None = None) -> Iterator[RankingEpoch]:
        epochs = self.train.epochs if epochs is None else int(epochs)
        self.status = "running"
        self._stop_requested = False
        if self.spec.loss is None:
            epochs = 1 if not self.history else 0  # closed form: computed once
        for _ in range(epochs):
            started = time.perf_counter()
            if not self._prepared:
                self._prepared = True
                if self.spec.prepare is not None:
                    self.spec.prepare(self.model, self.train, self._fit_other)
            with _threads_for(self.spec.gradient and self.train.batch_size > ONE_THREAD_BATCH):
                loss = self._one_epoch()
            self.seconds += time.perf_counter() - started
            if loss is _STOPPED:  # paused inside the epoch: the part-epoch is not counted
                break
            hr = ndcg = None
            if self.monitor is not None:
                self.model.eval()
                hr, ndcg = self.monitor(self.model)
                self.model.train()
            report = RankingEpoch(self.epochs_run + 1, loss, hr, ndcg, self.seconds)
            self.history.append(report)
            yield report
            if self._stop_requested:
                break
        self.status = "stopped" if self._stop_requested else "completed"

    def fit(self, epochs: int | None = None) -> RankingTrainer:
        for _ in self.run(epochs):
            pass
        self.model.eval()
        return self

    def _fit_other(self, name: str, config):
        """Another registry model trained on the same split (pretraining)."""
        return RankingTrainer(self.split, name, config,
                              pretraining_config(name, self.train)).fit().model

    def _one_epoch(self) -> float | None:
        if self.spec.loss is None:
            self.model.fit_closed(self.users, self.items)
            return None
        if not self.spec.gradient:  # ALS: one sweep, users then items
            return _STOPPED if self._stop_requested else self.model.sweep(self.users, self.items)
        n_items, per = self.split.data.n_items, self.train.negatives
        negatives = draw_negatives(self.rng, self.users, self.positives, n_items, per)
        if self.spec.loss == "log":
            users = np.concatenate([self.users, np.repeat(self.users, per)])
            items = np.concatenate([self.items, negatives.ravel()])
            labels = np.concatenate([np.ones(self.users.size), np.zeros(negatives.size)])
            keep = items >= 0
            columns = (users[keep], items[keep], labels[keep])
        else:
            keep = (negatives >= 0).ravel()
            columns = (np.repeat(self.users, per)[keep], np.repeat(self.items, per)[keep],
                       negatives.ravel()[keep])
        order = self.rng.permutation(columns[0].size)
        tensors = [torch.as_tensor(c[order]) for c in columns]
        tensors[2] = tensors[2].float() if self.spec.loss == "log" else tensors[2]
        self.model.train()
        total, count = 0.0, 0
        for start in range(0, order.size, self.train.batch_size):
            if self._stop_requested:
                return _STOPPED
            batch = [t[start:start + self.train.batch_size] for t in tensors]
            loss = self._loss(*batch)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            total += loss.item() * batch[0].numel()
            count += batch[0].numel()
        return total / max(count, 1)

    def _loss(self, users, items, third) -> torch.Tensor:
        decay = self.train.weight_decay
        if self.spec.loss == "log":
            scores, penalty = self.model.forward_with_penalty(users, items)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(scores, third)
        else:
            positive, pen_i = self.model.forward_with_penalty(users, items)
            negative, pen_j = self.model.forward_with_penalty(users, third)
            loss = -torch.nn.functional.logsigmoid(positive - negative).mean()
            penalty = pen_i + pen_j
        return loss + decay * penalty.mean() if decay else loss

    # ----- scoring ---------------------------------------------------------------------
    @torch.no_grad()
    def score_pairs(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        return score_pairs(self.model, users, items)

    @torch.no_grad()
    def score_rows(self, users: np.ndarray) -> np.ndarray:
        return score_rows(self.model, users)


PAIR_BATCH = 200_000


@torch.no_grad()
def score_pairs(model, users: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Scores of equal-length arrays of (user, item) pairs, in evaluation mode."""
    model.eval()
    users, items = torch.as_tensor(users), torch.as_tensor(items)
    out = [model(users[s:s + PAIR_BATCH], items[s:s + PAIR_BATCH])
           for s in range(0, users.numel(), PAIR_BATCH)]
    return torch.cat(out).double().numpy() if out else np.empty(0)


@torch.no_grad()
def score_rows(model, users: np.ndarray) -> np.ndarray:
    model.eval()
    return model.score_rows(torch.as_tensor(users)).double().numpy()


SMALL_DATA = 20_000
"""Interactions below which :func:`suggested_train` trains in small batches."""
SMALL_BATCH = 256


def suggested_train(data, model_name: str) -> RankingTrainConfig:
    """The model's training defaults (the registry's, chosen on MovieLens), with batches of
    ``SMALL_BATCH`` (the NCF paper's size) on data of fewer than ``SMALL_DATA`` interactions:
    there a batch of 4,096 would be the whole data, one update an epoch, and nothing learnt
    in the epochs offered. A model computed in closed form gets one epoch, all it runs."""
    spec = RANKING_MODELS[model_name]
    train = replace(RankingTrainConfig(), **spec.train_defaults)
    if spec.loss is None:  # computed once (popularity, item-kNN): one "epoch", said so
        train = replace(train, epochs=1)
    if data is not None and data.n_interactions < SMALL_DATA:
        train = replace(train, batch_size=SMALL_BATCH)
    return train
