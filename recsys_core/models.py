"""Recommender networks: every model is ``model(user_idx, item_idx) -> predicted rating``.

Models differ only in how they turn a (user, item) pair into a *score*; all of them then map
the score onto the rating scale the same way (:class:`RatingOutput`). Each model is built from
a dataclass config (see :mod:`recsys_core.config`), so the app's form, the CLI and saved files
all speak the same language.

- ``mf``: the lecture's matrix factorisation, dot product of embeddings plus two biases.
- ``nn``: the lecture's neural network on the concatenated embeddings and biases.
- ``gmf``, ``mlp``, ``neumf``: the NCF family (He et al., 2017) used for explicit ratings.
- ``baseline``: global mean plus a user bias and an item bias, the yardstick.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .config import param

OUTPUT_CHOICES = ("scale", "top")
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}


# ----- configs ---------------------------------------------------------------------------
@dataclass
class OutputConfig:
    """How a score becomes a rating (shared by the squashing models)."""

    output: str = param("scale", "Output range",
                        "scale: sigmoid mapped onto the rating scale, a touch beyond both ends; "
                        "top: sigmoid(score) x highest rating, as in the lecture",
                        choices=OUTPUT_CHOICES, advanced=True)
    margin: float = param(0.05, "Range margin",
                          "how far beyond the scale the output may reach, as a share of its width, "
                          "so the top and bottom ratings stay reachable",
                          min=0.0, max=0.5, step=0.01, advanced=True)
    mean_offset: bool = param(True, "Start at the average",
                              "shift the score so an untrained model predicts the average rating",
                              advanced=True)
    init_std: float | None = param(0.1, "Initial spread",
                                   "standard deviation of the starting embeddings; empty = "
                                   "PyTorch's default N(0,1), as in the lecture",
                                   min=0.0, max=2.0, step=0.01, advanced=True)


@dataclass
class MFConfig(OutputConfig):
    dim: int = param(16, "Embedding size k", "number of hidden taste factors per user and item",
                     min=1, max=256, step=1)


@dataclass
class NNConfig(OutputConfig):
    dim: int = param(8, "Embedding size k", "factors per user and item fed to the network",
                     min=1, max=256, step=1)
    hidden: tuple = param((32, 16), "Hidden layers", "sizes of the hidden layers, e.g. 15,15")
    activation: str = param("relu", "Activation", "non-linearity between layers",
                            choices=tuple(ACTIVATIONS))
    dropout: float = param(0.0, "Dropout", "share of hidden units dropped while training",
                           min=0.0, max=0.9, step=0.05, advanced=True)


@dataclass
class GMFConfig(OutputConfig):
    dim: int = param(16, "Embedding size k", "factors per user and item", min=1, max=256, step=1)


@dataclass
class MLPConfig(OutputConfig):
    dim: int = param(16, "Embedding size k", "factors per user and item", min=1, max=256, step=1)
    hidden: tuple = param((32, 16, 8), "Hidden layers", "tower of hidden layer sizes")
    activation: str = param("relu", "Activation", "non-linearity between layers",
                            choices=tuple(ACTIVATIONS))
    dropout: float = param(0.0, "Dropout", "share of hidden units dropped while training",
                           min=0.0, max=0.9, step=0.05, advanced=True)


@dataclass
class NeuMFConfig(OutputConfig):
    dim: int = param(8, "GMF embedding size", "factors of the GMF part", min=1, max=256, step=1)
    mlp_dim: int = param(8, "MLP embedding size", "factors of the MLP part", min=1, max=256,
                         step=1)
    hidden: tuple = param((16, 8), "Hidden layers", "tower of hidden layer sizes of the MLP part")
    activation: str = param("relu", "Activation", "non-linearity between layers",
                            choices=tuple(ACTIVATIONS))
    dropout: float = param(0.0, "Dropout", "share of hidden units dropped while training",
                           min=0.0, max=0.9, step=0.05, advanced=True)


@dataclass
class BaselineConfig:
    """Average + user bias + item bias; regularised through the training's weight decay."""


# ----- shared pieces ---------------------------------------------------------------------
class RatingOutput(nn.Module):
    """Maps an unbounded score to a rating.

    ``top`` is the lecture's ``sigmoid(score) * 5``. ``scale`` stretches the sigmoid over the
    rating scale widened by ``margin`` at both ends (fastai's ``y_range`` idea: a sigmoid never
    reaches its ends, so without the margin the top rating would be unreachable).
    ``mean_offset`` adds the logit of the average rating, so a model whose score starts near
    zero starts by predicting the average instead of the middle of the scale.
    """

    def __init__(self, scale: tuple[float, float], global_mean: float, cfg: OutputConfig):
        super().__init__()
        lo, hi = scale
        if cfg.output == "top":
            self.low, self.high = 0.0, float(hi)
        else:
            pad = cfg.margin * (hi - lo)
            self.low, self.high = float(lo - pad), float(hi + pad)
        self.top_only = cfg.output == "top"
        share = (global_mean - self.low) / (self.high - self.low)
        share = min(max(share, 1e-3), 1 - 1e-3)
        self.offset = math.log(share / (1 - share)) if cfg.mean_offset else 0.0

    def forward(self, score: torch.Tensor) -> torch.Tensor:
        if self.offset:
            score = score + self.offset
        if self.top_only:  # literally the lecture's expression, so its numbers reproduce
            return torch.sigmoid(score) * self.high
        return self.low + (self.high - self.low) * torch.sigmoid(score)


def _embedding(n: int, dim: int, init_std: float | None) -> nn.Embedding:
    table = nn.Embedding(n, dim)
    if init_std is not None:
        nn.init.normal_(table.weight, std=init_std)
    return table


def _tower(sizes: list[int], activation: str, dropout: float) -> nn.Sequential:
    layers: list[nn.Module] = []
    for size_in, size_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(size_in, size_out), ACTIVATIONS[activation]()]
        if dropout:
            layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class RatingModel(nn.Module):
    """Common surface: ``forward`` gives ratings; ``user_vectors``/``item_vectors`` expose the
    learned embeddings for maps and "because" explanations.

    Every embedding lookup goes through :meth:`rows`, so that training can regularise exactly
    the rows the forward pass used without looking them up again, two ways with the same
    gradient: :meth:`forward_with_penalty` computes the penalty (the reference, which the
    lecture's code and the exported script spell out), :meth:`forward_regularised` adds its
    gradient straight to the rows' gradients (faster; for large models).
    """

    name = "model"

    def __init__(self) -> None:
        super().__init__()
        self._decay_scale = 0.0
        self._fast = False
        self._used: list[torch.Tensor] | None = None

    def rows(self, table: nn.Embedding, idx: torch.Tensor) -> torch.Tensor:
        """``table(idx)``: remembered inside :meth:`forward_with_penalty`; inside
        :meth:`forward_regularised` looked up with ``index_select`` (the same numbers, and a
        backward pass 2-3 times faster than the embedding's on a CPU) and given the pull
        toward zero in its gradient."""
        if not self._fast:
            looked_up = table(idx)
            if self._used is not None:
                self._used.append(looked_up)
            return looked_up
        looked_up = table.weight.index_select(0, idx)
        if self._decay_scale and looked_up.requires_grad:
            kept, scale = looked_up.detach(), self._decay_scale
            looked_up.register_hook(lambda grad: grad.add(kept, alpha=scale))
        return looked_up

    def forward_with_penalty(self, users: torch.Tensor, items: torch.Tensor):
        """Predictions and, per example, the squared size of the embedding rows they used.

        Training adds ``weight_decay * penalty.mean()`` to the loss. Regularising only the rows
        a batch touches (as SVD's SGD does) keeps the pull toward zero proportional to how
        often a user or item is seen; a plain weight decay on whole tables would shrink
        rarely-seen rows at every step and erase what they learned.
        """
        self._used = []
        try:
            predicted = self(users, items)
            used = self._used
        finally:
            self._used = None
        penalty = torch.zeros_like(predicted)
        for looked_up in used:
            penalty = penalty + looked_up.pow(2).sum(dim=1)
        return predicted, penalty

    def penalty(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        """Squared size of the embedding rows ``forward(users, items)`` uses, per example."""
        return self.forward_with_penalty(users, items)[1]

    def forward_regularised(self, users: torch.Tensor, items: torch.Tensor,
                            decay: float = 0.0) -> torch.Tensor:
        """Predictions whose backward pass also pulls the embedding rows they used toward zero
        with the gradient of ``decay * penalty(users, items).mean()``, added straight to each
        row's gradient (``2 * decay / batch * row``), so the penalty is never computed.

        The same gradient as :meth:`forward_with_penalty`'s, with fewer operations: about
        twice as fast a training step for MF on MovieLens. Floating-point sums run in
        another order, so the numbers agree to about 1e-7, not to the last bit.
        """
        self._fast, self._decay_scale = True, 2.0 * float(decay) / max(1, users.shape[0])
        try:
            return self(users, items)
        finally:
            self._fast, self._decay_scale = False, 0.0

    def user_vectors(self) -> torch.Tensor | None:
        return None

    def item_vectors(self) -> torch.Tensor | None:
        return None


# ----- models ----------------------------------------------------------------------------
class MF(RatingModel):
    """score = <p_u, q_i> + b_u + b_i (lecture 11wk-1, section 3B).

    The four tables are created in the lecture's order (user factors, user bias, item factors,
    item bias) so that ``torch.manual_seed`` gives the lecture's starting numbers.
    """

    name = "mf"

    def __init__(self, n_users, n_items, scale, global_mean, cfg: MFConfig):
        super().__init__()
        self.user_factors = _embedding(n_users, cfg.dim, cfg.init_std)
        self.user_bias = _embedding(n_users, 1, None if cfg.init_std is None else 0.0)
        self.item_factors = _embedding(n_items, cfg.dim, cfg.init_std)
        self.item_bias = _embedding(n_items, 1, None if cfg.init_std is None else 0.0)
        self.out = RatingOutput(scale, global_mean, cfg)

    def score(self, users, items):
        dot = (self.rows(self.user_factors, users) * self.rows(self.item_factors, items)).sum(dim=1)
        return (dot + self.rows(self.user_bias, users).squeeze(1)
                + self.rows(self.item_bias, items).squeeze(1))

    def forward(self, users, items):
        return self.out(self.score(users, items))

    def user_vectors(self):
        return self.user_factors.weight

    def item_vectors(self):
        return self.item_factors.weight


class NN(RatingModel):
    """The lecture's NN (section 5A): [p_u, q_i, b_u, b_i] -> MLP -> sigmoid-scaled rating.

    Tables are created in the lecture's order (user factors, item factors, user bias, item
    bias, then the layers), so the lecture's seed gives the lecture's starting network.
    """

    name = "nn"

    def __init__(self, n_users, n_items, scale, global_mean, cfg: NNConfig):
        super().__init__()
        self.user_factors = _embedding(n_users, cfg.dim, cfg.init_std)
        self.item_factors = _embedding(n_items, cfg.dim, cfg.init_std)
        self.user_bias = _embedding(n_users, 1, cfg.init_std)
        self.item_bias = _embedding(n_items, 1, cfg.init_std)
        sizes = [2 * cfg.dim + 2, *[int(h) for h in cfg.hidden]]
        self.hidden = _tower(sizes, cfg.activation, cfg.dropout)
        self.head = nn.Linear(sizes[-1], 1)
        self.out = RatingOutput(scale, global_mean, cfg)

    def features(self, users, items):
        return torch.cat([self.rows(self.user_factors, users), self.rows(self.item_factors, items),
                          self.rows(self.user_bias, users), self.rows(self.item_bias, items)], dim=1)

    def forward(self, users, items):
        return self.out(self.head(self.hidden(self.features(users, items))).squeeze(1))

    def user_vectors(self):
        return self.user_factors.weight

    def item_vectors(self):
        return self.item_factors.weight


class GMF(RatingModel):
    """Generalised MF: a learned weighting h of the element-wise product p_u * q_i."""

    name = "gmf"

    def __init__(self, n_users, n_items, scale, global_mean, cfg: GMFConfig):
        super().__init__()
        self.user_factors = _embedding(n_users, cfg.dim, cfg.init_std)
        self.item_factors = _embedding(n_items, cfg.dim, cfg.init_std)
        self.head = nn.Linear(cfg.dim, 1)
        self.out = RatingOutput(scale, global_mean, cfg)

    def forward(self, users, items):
        product = self.rows(self.user_factors, users) * self.rows(self.item_factors, items)
        return self.out(self.head(product).squeeze(1))

    def user_vectors(self):
        return self.user_factors.weight

    def item_vectors(self):
        return self.item_factors.weight


class MLP(RatingModel):
    """NCF's MLP tower on the concatenated user and item embeddings."""

    name = "mlp"

    def __init__(self, n_users, n_items, scale, global_mean, cfg: MLPConfig):
        super().__init__()
        self.user_factors = _embedding(n_users, cfg.dim, cfg.init_std)
        self.item_factors = _embedding(n_items, cfg.dim, cfg.init_std)
        sizes = [2 * cfg.dim, *[int(h) for h in cfg.hidden]]
        self.hidden = _tower(sizes, cfg.activation, cfg.dropout)
        self.head = nn.Linear(sizes[-1], 1)
        self.out = RatingOutput(scale, global_mean, cfg)

    def forward(self, users, items):
        joint = torch.cat([self.rows(self.user_factors, users),
                           self.rows(self.item_factors, items)], dim=1)
        return self.out(self.head(self.hidden(joint)).squeeze(1))

    def user_vectors(self):
        return self.user_factors.weight

    def item_vectors(self):
        return self.item_factors.weight


class NeuMF(RatingModel):
    """NeuMF: GMF and MLP with separate embeddings, fused by one output layer."""

    name = "neumf"

    def __init__(self, n_users, n_items, scale, global_mean, cfg: NeuMFConfig):
        super().__init__()
        self.gmf_users = _embedding(n_users, cfg.dim, cfg.init_std)
        self.gmf_items = _embedding(n_items, cfg.dim, cfg.init_std)
        self.mlp_users = _embedding(n_users, cfg.mlp_dim, cfg.init_std)
        self.mlp_items = _embedding(n_items, cfg.mlp_dim, cfg.init_std)
        sizes = [2 * cfg.mlp_dim, *[int(h) for h in cfg.hidden]]
        self.hidden = _tower(sizes, cfg.activation, cfg.dropout)
        self.user_bias = _embedding(n_users, 1, 0.0 if cfg.init_std is not None else None)
        self.item_bias = _embedding(n_items, 1, 0.0 if cfg.init_std is not None else None)
        self.head = nn.Linear(cfg.dim + sizes[-1], 1)
        self.out = RatingOutput(scale, global_mean, cfg)

    def forward(self, users, items):
        gmf = self.rows(self.gmf_users, users) * self.rows(self.gmf_items, items)
        mlp = self.hidden(torch.cat([self.rows(self.mlp_users, users),
                                     self.rows(self.mlp_items, items)], dim=1))
        score = self.head(torch.cat([gmf, mlp], dim=1)).squeeze(1)
        return self.out(score + self.rows(self.user_bias, users).squeeze(1)
                        + self.rows(self.item_bias, items).squeeze(1))

    def user_vectors(self):
        return torch.cat([self.gmf_users.weight, self.mlp_users.weight], dim=1)

    def item_vectors(self):
        return torch.cat([self.gmf_items.weight, self.mlp_items.weight], dim=1)


class Baseline(RatingModel):
    """prediction = global mean + b_u + b_i, kept inside the rating scale."""

    name = "baseline"

    def __init__(self, n_users, n_items, scale, global_mean, cfg: BaselineConfig):
        super().__init__()
        self.user_bias = _embedding(n_users, 1, 0.0)
        self.item_bias = _embedding(n_items, 1, 0.0)
        self.mean = float(global_mean)
        self.low, self.high = float(scale[0]), float(scale[1])

    def forward(self, users, items):
        raw = (self.mean + self.rows(self.user_bias, users).squeeze(1)
               + self.rows(self.item_bias, items).squeeze(1))
        return raw.clamp(self.low, self.high)


# ----- registry --------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelSpec:
    name: str
    title: str
    description: str
    config_cls: type
    module_cls: type


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec("mf", "MF (matrix factorisation)",
                  "Each user and item gets k hidden numbers; a rating is their dot product plus "
                  "two biases. Small, fast, easy to look inside.", MFConfig, MF),
        ModelSpec("nn", "NN (lecture network)",
                  "Embeddings and biases of the pair go through a small neural network, as in "
                  "the lecture's 풀이2.", NNConfig, NN),
        ModelSpec("gmf", "GMF (NCF)",
                  "Generalised MF from He et al. 2017: the factors' products, weighted by a "
                  "learned layer.", GMFConfig, GMF),
        ModelSpec("mlp", "MLP (NCF)",
                  "He et al.'s MLP tower on the user and item embeddings side by side.",
                  MLPConfig, MLP),
        ModelSpec("neumf", "NeuMF (NCF)",
                  "He et al.'s fusion of GMF and MLP, each with its own embeddings.",
                  NeuMFConfig, NeuMF),
        ModelSpec("baseline", "Baseline (average + biases)",
                  "The average rating, shifted by how generous each user and how liked each "
                  "item is. Every model should beat it.", BaselineConfig, Baseline),
    )
}


def build_model(name: str, config, n_users: int, n_items: int, scale: tuple[float, float],
                global_mean: float) -> RatingModel:
    """Create a fresh model; the caller seeds torch first when numbers must repeat."""
    spec = MODELS[name]
    if not isinstance(config, spec.config_cls):
        raise TypeError(f"model '{name}' needs a {spec.config_cls.__name__}, got "
                        f"{type(config).__name__}")
    return spec.module_cls(n_users, n_items, scale, global_mean, config)
