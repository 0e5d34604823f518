"""Advice measured before it is given.

The plain-words summary (:mod:`recsys_core.results.report`) used to suggest changes from rules of thumb
("try stronger regularisation") that could make a run worse. Here each suggested change is
tried first: the run is trained again from its own seed on the same training ratings, once
with its own settings and once per idea with that one setting changed, and each is scored on
the same held-out ratings. Only what measurably helped is then offered, with the measured
effect; the rest is reported as tried and not helping.

Retraining with the run's own settings (rather than reading the run's own score) keeps each
comparison to one change: a run that was paused, continued or warm-started is retrained the
way the candidate is, for the same number of epochs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from recsys_core.i18n import L_
from recsys_core.training.trainer import Trainer

HELP_MARGIN = 0.01
"""An idea counts as helping when it lowers the held-out error by at least this share (1 %):
smaller differences are within what another seed would move."""


@dataclass(frozen=True)
class Idea:
    """One change to try: ``key`` names its sentence (``report.IDEAS[key]``), ``words`` fills
    it; ``model`` and ``train`` hold the changed fields of the two configs (empty for an idea
    that no setting can test, like collecting more ratings)."""

    key: str
    words: dict = field(default_factory=dict)
    model: dict = field(default_factory=dict)
    train: dict = field(default_factory=dict)

    @property
    def measurable(self) -> bool:
        return bool(self.model or self.train)


@dataclass(frozen=True)
class Measured:
    """An idea with the held-out error (mean absolute, in stars) without and with it."""

    idea: Idea
    before: float
    after: float
    seconds: float

    @property
    def helped(self) -> bool:
        return self.after < self.before * (1 - HELP_MARGIN)


def _retrain(result, model_changes: dict, train_changes: dict) -> float:
    """Validation MAE of the run's model trained again from its seed, with these changes."""
    epochs = result.epochs_run if result.epochs_run else result.train_config.epochs
    train = replace(result.train_config, **{"epochs": epochs, **train_changes})
    config = replace(result.model_config, **model_changes) if model_changes else result.model_config
    trainer = Trainer(result.ratings, result.model_name, config, train, is_val=result.is_val,
                      device="cpu").fit()
    return trainer.result().metrics()["val_mae"]


def measure(result, ideas: list[Idea], *,
            progress: Callable[[int, int], None] | None = None) -> list[Measured]:
    """Try each measurable idea on the run's held-out ratings (see the module docstring).

    ``progress(done, total)`` is called after each training; the first is the run's own
    settings, retrained as the baseline of every comparison."""
    if not result.is_val.any():
        raise ValueError(L_("this run held no ratings out: there is nothing to measure advice on"))
    ideas = [idea for idea in ideas if idea.measurable]
    total = len(ideas) + 1
    before = _retrain(result, {}, {})
    if progress:
        progress(1, total)
    measured = []
    for done, idea in enumerate(ideas, start=2):
        at = time.perf_counter()
        after = _retrain(result, idea.model, idea.train)
        measured.append(Measured(idea, before, after, time.perf_counter() - at))
        if progress:
            progress(done, total)
    return measured


def candidates(result) -> list[Idea]:
    """The changes worth measuring for this run, one setting each and both directions where
    either could help: weight decay x3 and /3, embedding size /2 and x2, twice the epochs, a
    third of the learning rate."""
    cfg, train = result.model_config, result.train_config
    wd = train.weight_decay
    out = [Idea("regularise", {"wd": f"{wd:g}", "stronger": f"{(wd * 3 if wd else 0.01):g}"},
                train={"weight_decay": wd * 3 if wd else 0.01})]
    if wd:
        out.append(Idea("weaker", {"wd": f"{wd:g}", "weaker": f"{wd / 3:g}"},
                        train={"weight_decay": wd / 3}))
    dim = getattr(cfg, "dim", None)
    if dim and dim > 1:
        out.append(Idea("smaller", {"dim": dim, "smaller": max(1, dim // 2)},
                        model={"dim": max(1, dim // 2)}))
    if dim:
        out.append(Idea("bigger", {"dim": dim, "bigger": dim * 2}, model={"dim": dim * 2}))
    epochs = result.epochs_run or train.epochs
    out.append(Idea("more_epochs_n", {"epochs": epochs, "more": epochs * 2},
                    train={"epochs": epochs * 2}))
    out.append(Idea("lower_lr", {"lr": f"{train.lr:g}", "smaller": f"{train.lr / 3:g}"},
                    train={"lr": train.lr / 3}))
    return out
