"""The training loop: the lecture's four steps, reporting after every epoch, stoppable.

``Trainer.run()`` is a generator. Each epoch it yields an :class:`EpochReport`; during long
epochs it also yields a :class:`Tick` a few times a second, so a caller (the app's live chart,
the CLI, a test) can redraw, or simply stop iterating. Whatever the caller does, the model in
``trainer.model`` is always the one trained so far: stopping never loses work.
"""

from __future__ import annotations

import contextlib
import copy
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from recsys_core.data.ratings import Ratings
from recsys_core.data.split import train_val_split
from recsys_core.i18n import L_
from recsys_core.models import MODELS, build_model
from recsys_core.results.trained_run import FitResult
from recsys_core.training import fast_adam
from recsys_core.training.coldstart import cold_rows, neutralise
from recsys_core.training.train_config import OPTIMIZER_NAMES, EpochReport, TrainConfig

OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
assert tuple(OPTIMIZERS) == OPTIMIZER_NAMES
TICK_SECONDS = 0.2
DIVERGE_FACTOR = 2.0
DIVERGE_PATIENCE = 5
DIVERGE_FLOOR_SHARE = 0.05
"""A loss is never called diverged while it stays below the loss of always predicting the
training average, nor below an error of this share of the rating scale (0.25 stars on 0-5),
squared: a loss that "rose" from 0.000001 to 0.0008 (one rating, learnt almost exactly) has
not diverged, whatever the factor."""
FUSED_MIN_PARAMETERS = 50_000
BLOCK_SHUFFLE_MIN = 2_000_000
SHUFFLE_BLOCK = 1024
"""From ``BLOCK_SHUFFLE_MIN`` training ratings on, an epoch shuffles blocks of
``SHUFFLE_BLOCK`` ratings instead of single ratings (the ratings themselves are shuffled once,
when the trainer is made): every batch is still a random draw of the ratings, but reordering
10 million single ratings jumps through memory for each (measured: 0.6 s an epoch at 10M
ratings, 23 times the 1M epoch's 0.026 s), where blocks are read in order. Smaller data keep
the per-rating shuffle, so their numbers (MovieLens, the lecture) are as before."""
"""Models at least this large train on the fast path: the optimiser's fused kernel (one kernel
a step instead of about ten a tensor; 10 times faster for MF's tables on MovieLens) and
``RatingModel.forward_regularised`` (index_select lookups, the penalty's gradient applied
directly). Together with the per-epoch shuffle, 4-5 times less time a step than before.
Smaller models, the lecture's among them, keep the reference path, whose numbers the lecture
and the exported script (``recsys_core.results.codegen``) repeat to the last digit; the fast path
agrees with it to float rounding."""


@dataclass(frozen=True)
class Tick:
    """Mid-epoch heartbeat: how far the current epoch has come."""

    epoch: int
    batches_done: int
    batches_total: int
    seconds: float


def pick_device(device: str | None = None) -> torch.device:
    if device in (None, "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


class Trainer:
    """Fits one model to one ``Ratings`` and keeps everything needed to continue.

    Parameters
    ----------
    ratings : the observed ratings.
    model_name, model_config : which network, and its hyperparameters.
    train : how to train (epochs, optimiser, split, seed ...).
    model : an already trained model to continue from (warm start); its shapes must match.
    is_val : a fixed validation mask (for warm starts and cross-validation); default: a seeded
        split of ``train.val_frac``.
    """

    def __init__(self, ratings: Ratings, model_name: str, model_config, train: TrainConfig,
                 *, model=None, is_val: np.ndarray | None = None, device: str | None = None):
        self.ratings = ratings
        self.model_name = model_name
        self.model_config = model_config
        self.train = train
        self.device = pick_device(device)
        if is_val is None:
            is_val = train_val_split(ratings, train.val_frac, train.seed)
        self.is_val = np.asarray(is_val, dtype=bool)
        torch.manual_seed(train.seed)
        if model is None:
            model = build_model(model_name, model_config, ratings.n_users, ratings.n_items,
                                ratings.scale, float(ratings.values[~self.is_val].mean())
                                if (~self.is_val).any() else ratings.global_mean)
        self.model = model.to(self.device)
        neutralise(self.model, *cold_rows(ratings, self.is_val))  # see coldstart.py
        self.optimizer = _make_optimizer(self.model, train)
        self._fast = _is_large(self.model)
        self._shuffle = torch.Generator().manual_seed(train.seed)
        self._train_data = self._tensors(~self.is_val)
        self._blocks = self._fast and self.n_train >= BLOCK_SHUFFLE_MIN
        if self._blocks:  # shuffled once here; each epoch then shuffles blocks of it
            once = torch.randperm(self.n_train, generator=self._shuffle).to(self.device)
            self._train_data = tuple(t[once] for t in self._train_data)
        self._val_data = self._tensors(self.is_val)
        self._als = None  # MF's other solver (recsys_core/als.py): its sweeps, set up once
        if getattr(model_config, "solver", "gradient") == "als":
            from recsys_core.training.als import ALS

            self._als = ALS(self.model, *self._train_data, ratings.n_users, ratings.n_items)
        self.history: list[EpochReport] = []
        self.status = "ready"  # ready | running | completed | stopped | early_stopped | diverged
        self.message = ""
        self.seconds = 0.0
        self._stop_requested = False
        self._best: tuple[float, dict] | None = None  # lowest validation RMSE, for early stopping
        self._since_best = 0
        # lowest training loss: (loss, epochs of updates in the weights, the weights it was
        # measured on, i.e. those at the start of its epoch)
        self._lowest: tuple[float, int, dict] | None = None
        self._rising = 0  # epochs in a row far above the first epoch's loss
        self._floor: float | None = None  # see _diverge_floor

    # ----- public ------------------------------------------------------------------------
    @property
    def epochs_run(self) -> int:
        return len(self.history)

    @property
    def n_train(self) -> int:
        return int((~self.is_val).sum())

    @property
    def n_val(self) -> int:
        return int(self.is_val.sum())

    def stop(self) -> None:
        """Ask a running loop to end after the current batch; the model keeps its progress."""
        self._stop_requested = True
        if self.status == "running":
            self.status = "stopped"
            self.message = L_("Stopped by request after {epochs} epoch(s).",
                              epochs=self.epochs_run)

    def set_lr(self, lr: float) -> None:
        """Change the learning rate from the next batch on, keeping everything else (the
        weights, the optimiser's running averages, the epoch count): training continues
        from where it was, only with a different step size."""
        lr = float(lr)
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(L_("The learning rate must be a number above 0; got {lr}",
                                lr=repr(lr)))
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.train = copy.copy(self.train)  # a copy: the caller's config object stays as it was
        self.train.lr = lr

    def run(self, epochs: int | None = None) -> Iterator[EpochReport | Tick]:
        """Train ``epochs`` more epochs (default: the config's), yielding as it goes."""
        epochs = self.train.epochs if epochs is None else int(epochs)
        self._stop_requested = False
        self.status, self.message = "running", ""
        for step in range(epochs):
            last = step == epochs - 1
            started = time.perf_counter()
            # an epoch's loss is measured on the weights before its updates: these are the
            # weights to go back to if that loss turns out the lowest of a diverging run
            weights_before = _snapshot(self.model)
            with _threads_for(self._fast):
                loss = yield from self._one_epoch(update=self.train.final_step or not last)
            self.seconds += time.perf_counter() - started
            if self._stop_requested and loss is None:
                break
            if self._diverging(loss):
                self._diverged(loss, weights_before)
                return
            report = EpochReport(self.epochs_run + 1, loss, math.sqrt(loss),
                                 self.validation_rmse(), self.seconds)
            self.history.append(report)
            self._remember_if_best(report, weights_before)
            yield report
            if self._stop_requested:
                break
            if self._early_stop(report):
                return
        if self._stop_requested:
            self.status = "stopped"
            self.message = L_("Stopped by request after {epochs} epoch(s).",
                              epochs=self.epochs_run)
        else:
            self.status = "completed"
            self.message = L_("Finished {epochs} epoch(s).", epochs=self.epochs_run)

    def fit(self, epochs: int | None = None) -> Trainer:
        """Run to the end without a caller in between."""
        for _ in self.run(epochs):
            pass
        return self

    @torch.no_grad()
    def validation_rmse(self) -> float | None:
        users, items, values = self._val_data
        if values.numel() == 0:
            return None
        self.model.eval()
        err = self.model(users, items) - values
        self.model.train()
        return float(torch.sqrt((err * err).mean()))

    def result(self):
        """A snapshot of this run for reading and exporting (see :mod:`recsys_core.results.trained_run`)."""
        return FitResult(
            model_name=self.model_name, model_config=copy.deepcopy(self.model_config),
            train_config=copy.deepcopy(self.train), model=copy.deepcopy(self.model).cpu().eval(),
            ratings=self.ratings, is_val=self.is_val.copy(), history=list(self.history),
            status=self.status, message=self.message, seconds=self.seconds)

    # ----- steps -------------------------------------------------------------------------
    def _tensors(self, mask: np.ndarray):
        r = self.ratings
        as_long = lambda a: torch.as_tensor(a[mask], dtype=torch.long, device=self.device)  # noqa: E731
        return (as_long(r.user_idx), as_long(r.item_idx),
                torch.as_tensor(r.values[mask], dtype=torch.float32, device=self.device))

    def _one_epoch(self, update: bool):
        """One pass; returns the mean training MSE *before* each batch's update, as the
        lecture's loop computes it. Returns None if stopped before any batch finished.

        The shuffled order is applied once per epoch (three gathers), so each batch is a
        plain slice. The embedding rows a batch used are regularised with the gradient of
        ``weight_decay * penalty.mean()`` added to the loss: computed as written
        (``forward_with_penalty``, the lecture's way) for small models, applied straight to
        the rows' gradients (``forward_regularised``) for large ones.
        """
        users, items, values = self._train_data
        n = values.numel()
        if n == 0:
            return float("nan")
        if self._als is not None:  # one sweep: every user's rows, then every item's
            return self._als.sweep(self.train.weight_decay, update)
        size = self.train.batch_size or n
        if size < n:
            order = self._epoch_order(n)
            users, items, values = users[order], items[order], values[order]
        decay = self.train.weight_decay if update else 0.0
        total, seen, n_batches = 0.0, 0, math.ceil(n / size)
        tick_at = time.perf_counter() + TICK_SECONDS
        for b in range(n_batches):
            part = slice(b * size, (b + 1) * size)
            u, i, y = users[part], items[part], values[part]
            penalty = None
            if self._fast:
                predicted = self.model.forward_regularised(u, i, decay)
            elif decay:
                predicted, penalty = self.model.forward_with_penalty(u, i)
            else:
                predicted = self.model(u, i)
            loss = torch.nn.functional.mse_loss(predicted, y)
            if update:
                objective = loss if penalty is None else loss + decay * penalty.mean()
                objective.backward()
                self.optimizer.step()
                self.optimizer.zero_grad()
            total += float(loss.detach()) * y.numel()
            seen += y.numel()
            if self._stop_requested:
                break
            if n_batches > 1 and time.perf_counter() >= tick_at:
                yield Tick(self.epochs_run + 1, b + 1, n_batches, self.seconds)
                tick_at = time.perf_counter() + TICK_SECONDS
        return total / seen if seen else None

    def _epoch_order(self, n: int) -> torch.Tensor:
        """This epoch's order of the ``n`` training ratings: a permutation of them, or of
        blocks of them (see ``BLOCK_SHUFFLE_MIN``)."""
        if not self._blocks:
            return torch.randperm(n, generator=self._shuffle).to(self.device)
        starts = torch.randperm(math.ceil(n / SHUFFLE_BLOCK), generator=self._shuffle)
        order = (starts[:, None] * SHUFFLE_BLOCK + torch.arange(SHUFFLE_BLOCK)).reshape(-1)
        return order[order < n].to(self.device)

    def _remember_if_best(self, report: EpochReport, weights_before: dict) -> None:
        if self._lowest is None or report.train_loss < self._lowest[0]:
            self._lowest = (report.train_loss, report.epoch - 1, weights_before)
        self._rising = self._rising + 1 if self._far_above_start(report.train_loss) else 0

    def _diverging(self, loss: float) -> bool:
        """NaN/inf, or a loss stuck far above where training began. Models squashed by a
        sigmoid rarely reach NaN: a too-large step saturates them at the scale's ends and
        the loss stays high instead."""
        return not math.isfinite(loss) or (
            self._rising + 1 >= DIVERGE_PATIENCE and self._far_above_start(loss))

    def _far_above_start(self, loss: float) -> bool:
        """Over ``DIVERGE_FACTOR`` times the first epoch's loss, and worse than a model that
        has learnt nothing (see ``DIVERGE_FLOOR_SHARE``)."""
        return loss > max(DIVERGE_FACTOR * self.history[0].train_loss, self._diverge_floor())

    def _diverge_floor(self) -> float:
        if self._floor is None:
            values = self._train_data[2].double()
            average_loss = float(((values - values.mean()) ** 2).mean()) if values.numel() else 0.0
            low, high = self.ratings.scale
            self._floor = max(average_loss, (DIVERGE_FLOOR_SHARE * (high - low)) ** 2)
        return self._floor

    def _diverged(self, loss: float, weights_before: dict) -> None:
        """Stop, and put the model back to the weights with the lowest training loss (those
        at the start of that epoch, on which the loss was measured); diverging in the very
        first epoch, back to the weights it started from."""
        self.status = "diverged"
        problem = (L_("the loss became {loss}", loss=str(loss)) if not math.isfinite(loss) else
                   L_("the loss rose to {loss}, over {factor} times where it began ({first}) and "
                      "above the {floor} of a model that has learnt nothing, for {patience} "
                      "epochs", loss=f"{loss:.3g}", factor=f"{DIVERGE_FACTOR:g}",
                      first=f"{self.history[0].train_loss:.3g}",
                      floor=f"{self._diverge_floor():.3g}", patience=DIVERGE_PATIENCE))
        if self._lowest is None:
            self.model.load_state_dict(weights_before)
            kept = L_("The model was put back to the weights it started from.")
        else:
            loss_at, epochs_at, state = self._lowest
            self.model.load_state_dict(state)
            kept = (L_("The model was put back to its lowest training loss ({loss}), the "
                       "weights it started from.", loss=f"{loss_at:.3g}") if epochs_at == 0 else
                    L_("The model was put back to its lowest training loss ({loss}), after "
                       "epoch {epoch}.", loss=f"{loss_at:.3g}", epoch=epochs_at))
        self.message = L_(
            "Training diverged at epoch {epoch}: {problem}. {kept} The learning rate ({lr}) is "
            "probably too large: try {smaller}, or a smaller embedding size.",
            epoch=self.epochs_run + 1, problem=problem, kept=kept, lr=f"{self.train.lr:g}",
            smaller=f"{self.train.lr / 10:g}")

    def _early_stop(self, report: EpochReport) -> bool:
        if self.train.patience is None or report.val_rmse is None:
            return False
        if self._best is None or report.val_rmse < self._best[0]:
            self._best = (report.val_rmse, _snapshot(self.model))
            self._since_best = 0
            return False
        self._since_best += 1
        if self._since_best < self.train.patience or self.epochs_run < self.train.min_epochs:
            return False
        best_rmse, best_state = self._best
        self.model.load_state_dict(best_state)
        best_epoch = self.epochs_run - self._since_best
        self.status = "early_stopped"
        self.message = L_("Stopped early at epoch {epochs}: validation RMSE had not improved "
                          "for {patience} epochs. Kept the best model, from epoch {best} "
                          "(validation RMSE {rmse}).", epochs=self.epochs_run,
                          patience=self.train.patience, best=best_epoch, rmse=f"{best_rmse:.4f}")
        return True


@contextlib.contextmanager
def _threads_for(large: bool):
    """Small models train on one thread: their tensors are too small to split, and on a busy
    machine each wake-up of a second thread can wait a time slice (measured: the course
    matrix's NN, 200 epochs, 0.4 s on one thread, 14 s on two while other work ran)."""
    threads = torch.get_num_threads()
    if large or threads == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _is_large(model: torch.nn.Module) -> bool:
    """Large enough for the fast path (see ``FUSED_MIN_PARAMETERS``), and able to take it."""
    return (sum(t.numel() for t in model.parameters()) >= FUSED_MIN_PARAMETERS
            and hasattr(model, "forward_regularised"))


def _snapshot(model: torch.nn.Module) -> dict:
    """A detached copy of the weights (cheaper than ``copy.deepcopy`` of the state dict)."""
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def _make_optimizer(model: torch.nn.Module, train: TrainConfig):
    """Layer weights get the optimiser's weight decay; embeddings are regularised in the loss
    (only the rows a batch uses; see ``Trainer._one_epoch``); layer biases are not
    regularised. Large models with Adam or AdamW get :class:`~.fast_adam.FusedAdam` (the
    fused kernel, without ``torch.optim``'s one-time import of the compiler)."""
    embeddings = {id(p) for m in model.modules() if isinstance(m, torch.nn.Embedding)
                  for p in m.parameters()}
    decay, no_decay = [], []
    for name, tensor in model.named_parameters():
        is_layer_bias = name.endswith(".bias") and tensor.dim() == 1
        (no_decay if is_layer_bias or id(tensor) in embeddings else decay).append(tensor)
    groups = [{"params": decay, "weight_decay": train.weight_decay}]
    if no_decay:
        groups.append({"params": no_decay, "weight_decay": 0.0})
    if _is_large(model) and train.optimizer in ("adam", "adamw"):
        device = next(model.parameters()).device
        if fast_adam.supported(device):  # torch.optim's kernel, without its start-up cost
            return fast_adam.FusedAdam(groups, lr=train.lr,
                                       decoupled=train.optimizer == "adamw")
    make = OPTIMIZERS[train.optimizer]
    if _is_large(model):
        try:  # one kernel per step instead of about ten per tensor
            return make(groups, lr=train.lr, fused=True)
        except (RuntimeError, TypeError, ValueError):  # a device or dtype without the kernel
            pass
    return make(groups, lr=train.lr)


def default_model_config(model_name: str):
    return MODELS[model_name].config_cls()


def fit(ratings: Ratings, model_name: str = "mf", model_config=None,
        train: TrainConfig | None = None, **kwargs):
    """Train to the end and return the :class:`~recsys_core.results.trained_run.FitResult`."""
    model_config = model_config or default_model_config(model_name)
    return Trainer(ratings, model_name, model_config, train or TrainConfig(), **kwargs).fit().result()
