"""Bookkeeping of training runs for one user's session (the app keeps a list of ``Run``).

Plain Python, no user interface: a ``Run`` pairs a :class:`~recsys_core.training.trainer.Trainer`
(kept so a run can be continued) with the latest :class:`~recsys_core.results.trained_run.FitResult`
snapshot of it (what every page reads). The app stores the list in its per-session state.
In the library, not beside the pages: the run service (:mod:`recsys_core.training.run_service`), the
one plain-Python way every training goes through, keeps its runs as these.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import pandas as pd

from recsys_core.data.ratings import Ratings
from recsys_core.models import MODELS, TASKS
from recsys_core.models.config import to_dict
from recsys_core.results.codegen import Stage
from recsys_core.results.trained_run import STATUS_WORDS, FitResult
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.trainer import Trainer

# The model config fields worth a column in a comparison table, in this order.
KEY_FIELDS = ("dim", "mlp_dim", "hidden", "activation")
KEY_TRAIN_FIELDS = ("lr", "weight_decay", "batch_size", "val_frac", "negatives", "seed")


@dataclass
class Run:
    """One training run: how it was set up, the trainer (to continue it) and its last snapshot."""

    id: int
    model_name: str
    data_name: str
    trainer: Trainer | None = None
    result: FitResult | None = None
    preset: str | None = None
    data_rev: int = 0
    warm_from: int | None = None
    created: float = field(default_factory=time.time)
    calls: list[tuple[int, int]] = field(default_factory=list)
    """Each press of Train / Continue: (epochs already run, epochs asked). The exported code
    (:mod:`recsys_core.results.codegen`) repeats them one by one."""
    lineage: list | None = field(default_factory=list)
    """For a warm start: the ``codegen.Stage`` list of the runs it continues from; None when
    that cannot be written down (it continues a model opened from a file)."""
    changes: list[tuple[int, str, float]] = field(default_factory=list)
    """Settings changed in the middle of the run, as (epoch, "lr", new rate) or
    (epoch, "final_step", 1): the exported code writes one set of settings, so from that
    epoch on it no longer repeats the run exactly."""
    task: str = "ratings"
    """"ratings" (a ``Trainer`` and ``FitResult``) or "ranking" (a
    :class:`~recsys_core.ranking.training.RankingTrainer` and
    :class:`~recsys_core.ranking.results.RankingResult`): a model name alone does not say
    which (``gmf`` is in both registries)."""

    def record_call(self, epochs: int) -> None:
        """Call before ``trainer.run(epochs)``."""
        if self.trainer is not None:
            self.calls.append((self.trainer.epochs_run, int(epochs)))

    def stages(self) -> list:
        """Everything that made this run's model, oldest first (``codegen.Stage`` list);
        empty for a run that holds no training (a model opened from a file)."""
        result = self.result
        if result is None or not result.history or self.lineage is None or \
                self.task != "ratings":  # the ranking task's code is not written yet
            return []
        return [*self.lineage, Stage.of(result, self.calls)]

    @property
    def name(self) -> str:
        spec = TASKS[self.task][self.model_name]
        short = spec.title.split(" (")[0]
        name = f"#{self.id} {short}"
        if self.preset:
            name += f" · {PRESETS[self.preset].title}"
        if self.warm_from is not None:
            name += f" · warm from #{self.warm_from}"
        return name

    @property
    def status(self) -> str:
        if self.trainer is not None and self.trainer.status == "running":
            return "running"
        if self.result is not None:
            return self.result.status
        return self.trainer.status if self.trainer is not None else "ready"

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status)

    @property
    def ratings(self) -> Ratings | None:
        """The ratings a rating run is trained on (None for a ranking run: see :attr:`data`)."""
        if self.task != "ratings":
            return None
        if self.result is not None:
            return self.result.ratings
        return self.trainer.ratings if self.trainer is not None else None

    @property
    def data(self):
        """What the run is trained on: its ``Ratings``, or a ranking run's ``Interactions``."""
        if self.task == "ratings":
            return self.ratings
        source = self.result if self.result is not None else self.trainer
        return source.data if source is not None else None

    def snapshot(self) -> FitResult | None:
        """Store the trainer's current state as this run's result (cheap for small models)."""
        if self.trainer is not None:
            self.result = self.trainer.result()
        return self.result

    def settle_interrupted(self) -> bool:
        """A run whose loop was cut off (Stop, page switch) still says "running": stop it and keep
        what was trained. Returns True if it had to."""
        if self.trainer is None or self.trainer.status != "running":
            return False
        self.trainer.stop()
        self.snapshot()
        return True


def next_id(runs: list[Run]) -> int:
    return max((r.id for r in runs), default=0) + 1


def find(runs: list[Run], run_id: int | None) -> Run | None:
    return next((r for r in runs if r.id == run_id), None)


def delete(runs: list[Run], run_id: int) -> list[Run]:
    return [r for r in runs if r.id != run_id]


def same_labels(a: Ratings, b: Ratings) -> bool:
    """Warm starts need the same users and items in the same order (the embedding rows)."""
    return a.users == b.users and a.items == b.items


def warm_start_model(run: Run, ratings: Ratings):
    """A copy of ``run``'s model to continue from on ``ratings``, or None if shapes differ."""
    if run.task != "ratings":
        return None
    source = run.trainer.model if run.trainer is not None else (
        run.result.model if run.result is not None else None)
    if source is None or run.ratings is None or not same_labels(run.ratings, ratings):
        return None
    if run.ratings.scale != ratings.scale:
        return None
    return copy.deepcopy(source)


def hyperparameters(run: Run) -> str:
    """The settings that tell runs apart, in one short line."""
    config = run.result.model_config if run.result else (run.trainer.model_config
                                                         if run.trainer else None)
    train = run.result.train_config if run.result else (run.trainer.train if run.trainer
                                                        else None)
    parts = []
    if config is not None:
        values = to_dict(config)
        parts += [f"{k}={_short(values[k])}" for k in KEY_FIELDS if k in values]
    if train is not None:
        values = to_dict(train)
        parts += [f"{k}={_short(values[k])}" for k in KEY_TRAIN_FIELDS if k in values]
    return ", ".join(parts)


def _short(value) -> str:
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return "-" if value is None else str(value)


RUNS_TABLE_COLUMNS = [
    "run", "model", "off by", "average off by", "better than average", "validation RMSE",
    "train RMSE", "baseline RMSE", "epochs", "seconds", "status", "data", "hyperparameters"]
"""The key numbers first, in the words of the Results page's summary: how far off the model is
on held-out ratings on average (MAE, in stars) against the always-average guess, and by what
share that is better; then the RMSE figures, and the long hyperparameter text last, so it
never pushes the errors out of sight."""


def runs_table(runs: list[Run]) -> pd.DataFrame:
    """One row per run for the comparison table (columns: ``RUNS_TABLE_COLUMNS``)."""
    rows = []
    for run in runs:
        result = run.result
        metrics = result.metrics() if result is not None and result.history else {}
        mae, base = metrics.get("val_mae"), metrics.get("baseline_val_mae")
        rows.append({
            "run": run.name,
            "model": MODELS[run.model_name].title,
            "off by": mae,
            "average off by": base,
            "better than average": (1 - mae / base) if mae is not None and base else None,
            "validation RMSE": metrics.get("val_rmse"),
            "train RMSE": metrics.get("train_rmse"),
            "baseline RMSE": metrics.get("baseline_val_rmse"),
            "epochs": result.epochs_run if result is not None else 0,
            "seconds": round(result.seconds, 2) if result is not None else None,
            "status": run.status_words,
            "data": run.data_name,
            "hyperparameters": hyperparameters(run),
        })
    return pd.DataFrame(rows, columns=RUNS_TABLE_COLUMNS)
