"""What a training run is set up with (:class:`TrainConfig`) and what it records each epoch
(:class:`EpochReport`).

Apart from the loop (:mod:`recsys_core.training.trainer`) because its snapshot
(:mod:`recsys_core.results.trained_run`) holds both too: the loop imports the snapshot, the snapshot
imports these, and neither imports the other in a circle. ``recsys_core.training.trainer`` still
exports both names.
"""

from __future__ import annotations

from dataclasses import dataclass

from recsys_core.i18n import N_
from recsys_core.models.config import param

OPTIMIZER_NAMES = ("adam", "adamw", "sgd")  # torch's classes: ``recsys_core.training.trainer.OPTIMIZERS``


@dataclass
class TrainConfig:
    epochs: int = param(100, N_("Epochs to train"), N_("passes over the training ratings"), min=1,
                        max=100_000, step=1)
    lr: float = param(0.05, N_("Learning rate"), N_("step size of the optimiser"), min=1e-5,
                      max=100.0, step=0.001)
    optimizer: str = param("adam", N_("Optimiser"),
                           N_("adam suits most cases; sgd is the plain one"),
                           choices=OPTIMIZER_NAMES)
    weight_decay: float = param(1e-3, N_("Weight decay (L2)"),
                                N_("pulls the embeddings each batch uses, and the layer weights, "
                                   "toward zero to fight overfitting (layer biases are left "
                                   "alone)"),
                                min=0.0, max=10.0, step=1e-4)
    batch_size: int | None = param(None, N_("Batch size"),
                                   N_("ratings per update; empty = all at once (full batch)"),
                                   min=1, max=1_000_000, step=1, advanced=True)
    val_frac: float = param(0.1, N_("Validation share"),
                            N_("share of known ratings hidden from training to measure "
                               "accuracy"),
                            min=0.0, max=0.5, step=0.05)
    seed: int = param(0, N_("Seed"), N_("same seed, same numbers"), min=0, max=2**31 - 1,
                      step=1)
    patience: int | None = param(None, N_("Early-stopping patience"),
                                 N_("stop after this many epochs without a better validation "
                                    "RMSE and keep the best model; empty = never"), min=1,
                                 max=10_000, step=1, advanced=True)
    min_epochs: int = param(0, N_("Least epochs before early stopping"),
                            N_("early stopping never ends training before this epoch (the "
                               "validation error of a fresh model can rise for a few epochs "
                               "before it falls); the best model of every epoch is still kept"),
                            min=0, max=100_000, step=1, advanced=True)
    final_step: bool = param(True, N_("Update after the last epoch"),
                             N_("off = the last epoch computes its loss but does not update, "
                                "which is the state the lecture printed"), advanced=True)


@dataclass(frozen=True)
class EpochReport:
    epoch: int
    train_loss: float
    train_rmse: float
    val_rmse: float | None
    seconds: float
