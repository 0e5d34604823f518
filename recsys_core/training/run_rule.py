"""The one rule of the Train page's control bar: which run a press acts on, and why.

Train and Step act on the current run while it can train on and nothing it was made from
changed: the model, its settings (:data:`LIVE_SETTINGS` aside) and the data. Otherwise they
start a new run, and :func:`differences` names what changed. Plain values, no state:
:class:`recsys_core.training.run_service.RunService` asks :func:`plan` before each press and keeps the
:class:`Outcome` of it; the app says both in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from recsys_core.data.ratings import Ratings
from recsys_core.training.session import Run, warm_start_model
from recsys_core.training.train_config import TrainConfig

LIVE_SETTINGS = ("epochs", "final_step")
"""Training settings that are not part of a run's identity: how many epochs the next press
trains, and whether a call's last epoch updates (Step turns it on for itself). Changing them
goes on with the current run; changing any other setting starts a new one."""


@dataclass(frozen=True)
class Setup:
    """What a new run is made from: the model, its settings and the data (``data_rev``: the
    caller's revision number of that data, so a later edit can be told apart). ``task``
    "ranking": the model is one of ``RANKING_MODELS``, ``train_config`` a
    ``RankingTrainConfig`` and ``ratings`` the ``Interactions`` it ranks from."""

    model_name: str
    model_config: Any
    train_config: TrainConfig
    ratings: Ratings
    data_rev: int = 0
    data_name: str = ""
    preset: str | None = None
    task: str = "ratings"


@dataclass(frozen=True)
class Change:
    """One difference between the current run and the set-up now: ``what`` is "task"
    (ratings or ranking), "model", "data", "setting" (``name``, ``before``, ``after``;
    ``part`` "model" or "train") or "loaded" (a run opened from a model file: it cannot
    train on)."""

    what: str
    name: str = ""
    before: Any = None
    after: Any = None
    part: str = ""


@dataclass(frozen=True)
class Plan:
    """What Train and Step will do. ``run``: the run they go on with, or None when they start
    a new one (``changes`` say why, empty when there is no run yet). ``current``: the current
    run. ``warm``: only the data changed and the current model fits it (a warm start can go on
    from it). ``lr_only``: only the learning rate changed and the current run can train on
    (it may go on at the new rate instead)."""

    run: Run | None
    current: Run | None
    changes: tuple[Change, ...] = ()
    warm: bool = False
    lr_only: bool = False

    @property
    def goes_on(self) -> bool:
        return self.run is not None


@dataclass(frozen=True)
class Outcome:
    """What a press of the bar did: ``did`` is "new" (a new run), "went_on", "warm" (a new
    run from the current model on new data), "new_lr" (went on at a new learning rate),
    "reset" or "step"; ``changes`` why a new run was made; ``from_epoch`` where it began."""

    did: str
    run_id: int
    changes: tuple[Change, ...] = ()
    from_epoch: int = 0
    epochs: int = 0


def plan(run: Run | None, setup: Setup) -> Plan:
    """Which run Train and Step act on: the current run, while it can train on and was
    made from this model, these settings (``LIVE_SETTINGS`` aside) and this data; else a
    new run, with the changes that make it new."""
    if run is None:
        return Plan(None, None)
    changes = tuple(differences(run, setup))
    if not changes:
        if run.trainer is not None:
            return Plan(run, run)
        changes = (Change("loaded"),)
    what = {c.what for c in changes}
    warm = what == {"data"} and warm_start_model(run, setup.ratings) is not None
    lr_only = (run.trainer is not None and len(changes) == 1
               and changes[0].what == "setting" and changes[0].name == "lr")
    return Plan(None, run, changes, warm=warm, lr_only=lr_only)


def made_with(run: Run) -> tuple[Any, TrainConfig | None]:
    """The model settings and training settings ``run`` trains with now."""
    if run.trainer is not None:
        return run.trainer.model_config, run.trainer.train
    if run.result is not None:
        return run.result.model_config, run.result.train_config
    return None, None


def differences(run: Run, setup: Setup) -> Iterator[Change]:
    """What differs between ``run`` and ``setup``: the model or the task (then nothing else
    is compared), the data, and each setting (``LIVE_SETTINGS`` aside)."""
    if run.task != setup.task:
        yield Change("task", before=run.task, after=setup.task)
        return
    if run.model_name != setup.model_name:
        yield Change("model", before=run.model_name, after=setup.model_name)
        return
    if run.data_rev != setup.data_rev:
        yield Change("data")
    model_config, train_config = made_with(run)
    for part, before, after in (("model", model_config, setup.model_config),
                                ("train", train_config, setup.train_config)):
        if before is None or after is None or type(before) is not type(after):
            continue
        for f in fields(after):
            if part == "train" and f.name in LIVE_SETTINGS:
                continue
            old, new = getattr(before, f.name), getattr(after, f.name)
            if old != new:
                yield Change("setting", f.name, old, new, part)
