"""The models, one file each, and the registry that lists them.

Every model is ``model(user_idx, item_idx) -> predicted rating`` (:mod:`.base` holds what they
share). A model's file holds its config dataclass, its ``torch.nn.Module``, how one cell's
prediction breaks down into steps, how the exported script writes it, and its large-data
recipe, gathered in one :class:`~.base.ModelSpec` named ``SPEC``. The rest of the library
(training, results, figures, the exported code, the breakdown) asks the spec, never the
model's name. Adding a model is one new file and one line in ``MODELS`` below;
``tests/test_registry.py`` then checks it for every capability.

- ``mf``: the lecture's matrix factorisation, dot product of embeddings plus two biases.
- ``nn``: the lecture's neural network on the concatenated embeddings and biases.
- ``gmf``, ``mlp``, ``neumf``: the NCF family (He et al., 2017) used for explicit ratings.
- ``baseline``: global mean plus a user bias and an item bias, the yardstick.

Two tasks, two tables. ``MODELS`` holds the rating models (``ModelSpec.task == "ratings"``):
everything above, and everything that walks ``MODELS`` (the app's model picker, the CLI's
rating commands, ``tests/test_registry.py``) may count on a rating model's capabilities.
``RANKING_MODELS`` holds the models that rank unseen items from implicit feedback
(:mod:`.ranking`, ``RankingSpec.task == "ranking"``): GMF, MLP and NeuMF with log loss, MF
with BPR, popularity and item-kNN. A name may appear in both (``gmf`` rates in one and ranks
in the other), so a model is always looked up by task and name: ``TASKS[task][name]``, or
:func:`models_for`.
"""

from __future__ import annotations

from recsys_core.models import baseline, gmf, mf, mlp, neumf, ranking
from recsys_core.models import nn as lecture_nn
from recsys_core.models.base import (
    ACTIVATIONS,
    OUTPUT_CHOICES,
    ModelSpec,
    OutputConfig,
    RatingModel,
    RatingOutput,
    Recipe,
)
from recsys_core.models.baseline import Baseline, BaselineConfig
from recsys_core.models.gmf import GMF, GMFConfig
from recsys_core.models.mf import MF, MFConfig
from recsys_core.models.mlp import MLP, MLPConfig
from recsys_core.models.neumf import NeuMF, NeuMFConfig
from recsys_core.models.nn import NN, NNConfig

MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        mf.SPEC,
        lecture_nn.SPEC,
        gmf.SPEC,
        mlp.SPEC,
        neumf.SPEC,
        baseline.SPEC,
    )
}


RANKING_MODELS: dict[str, ranking.RankingSpec] = {spec.name: spec for spec in ranking.SPECS}
TASKS: dict[str, dict] = {"ratings": MODELS, "ranking": RANKING_MODELS}


def models_for(task: str) -> dict:
    """The registry's table of models for ``task`` ("ratings" or "ranking")."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, not {task!r}")
    return TASKS[task]


def build_model(name: str, config, n_users: int, n_items: int, scale: tuple[float, float],
                global_mean: float) -> RatingModel:
    """Create a fresh model; the caller seeds torch first when numbers must repeat."""
    spec = MODELS[name]
    if not isinstance(config, spec.config_cls):
        raise TypeError(f"model '{name}' needs a {spec.config_cls.__name__}, got "
                        f"{type(config).__name__}")
    return spec.module_cls(n_users, n_items, scale, global_mean, config)


__all__ = ["MODELS", "RANKING_MODELS", "TASKS", "models_for", "build_model", "ModelSpec", "Recipe",
           "RatingModel", "RatingOutput",
           "OutputConfig", "ACTIVATIONS", "OUTPUT_CHOICES", "MF", "MFConfig", "NN", "NNConfig",
           "GMF", "GMFConfig", "MLP", "MLPConfig", "NeuMF", "NeuMFConfig", "Baseline",
           "BaselineConfig"]
