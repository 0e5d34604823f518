"""Every model in the registry, checked for every capability the app relies on.

A model is one file in ``recsys_core/models/`` and one line in ``MODELS``; this walk is what
makes that enough: each model must build, train, be written out as a script that reproduces
it to 1e-4, break one cell's prediction into steps that add up to 1e-4, draw its figures, and
fold a new user in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import numpy as np
import pytest
import torch

from recsys_core.models import MODELS, build_model
from recsys_core.models.code import Table, exported_modules
from recsys_core.results import figures
from recsys_core.results.codegen import Stage
from recsys_core.results.explain import explain_result, forward_code
from recsys_core.training.foldin import fold_in
from recsys_core.training.trainer import TrainConfig
from tests.test_codegen import assert_reproduced, trained
from tests.test_explain import recompute

NAMES = list(MODELS)


def _small(name: str):
    config = MODELS[name].config_cls()
    return replace(config, dim=3) if hasattr(config, "dim") else config


@pytest.fixture(scope="module")
def runs():
    """Each model trained once on the course matrix as the app trains it (held-out share,
    L2, the offset), kept with the calls the exported script must repeat."""
    from recsys_core.data.samples import load_sample

    solo = load_sample("solo")
    train = TrainConfig(epochs=40, lr=0.05, weight_decay=0.03, val_frac=0.2, seed=7)
    return {name: trained(solo, name, _small(name), train) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_the_spec_describes_its_own_model(name):
    spec = MODELS[name]
    assert spec.name == name == spec.module_cls.name
    assert dataclasses.is_dataclass(spec.config_cls)
    assert spec.title and spec.description
    model = build_model(name, _small(name), 5, 4, (1.0, 5.0), 3.0)
    assert model.config == _small(name)
    # the exported Net's parts are the model's parameters, each once, with the same shapes
    parts = spec.net_parts(model.config)
    exported = exported_modules(parts, model)
    ours = {id(p) for p in model.parameters()}
    theirs = [id(p) for module in exported.values() for p in module.parameters()]
    assert sorted(theirs) == sorted(ours), "every parameter exactly once"
    for part in parts:
        if isinstance(part, Table):
            rows = 5 if part.side == "user" else 4
            assert tuple(exported[part.attr].weight.shape) == (rows, part.dim), part.attr
    # the L2 sums rows the forward pass names
    code = "\n".join(text for text, _ in spec.forward_code)
    assert all(row in code for row in spec.l2_rows), spec.l2_rows


@pytest.mark.parametrize("name", NAMES)
def test_it_trains(runs, name):
    trainer, _ = runs[name]
    losses = [r.train_loss for r in trainer.history]
    assert trainer.epochs_run == 40 and trainer.status == "completed"
    assert losses[-1] < losses[0], losses


@pytest.mark.parametrize("name", NAMES)
def test_its_exported_script_reproduces_it(runs, name, tmp_path):
    trainer, calls = runs[name]
    result = trainer.result()
    script = assert_reproduced(tmp_path, [Stage.of(result, calls)], result.predicted)
    assert "class Net(torch.nn.Module):" in script.code
    for step in ("# 1 yhat", "# 2 loss", "# 3 backward", "# 4 step, zero_grad"):
        assert step in script.code
    assert "pd.read_csv('data/solo.csv', index_col=0)" in script.code


@pytest.mark.parametrize("name", NAMES)
def test_its_breakdown_adds_up(runs, name):
    result = runs[name][0].result()
    for user, item in [(0, 0), (3, 5), (8, 7)]:
        b = explain_result(result, user, item)
        assert b.prediction == pytest.approx(result.predicted[user, item], abs=1e-4)
        assert recompute(b) == pytest.approx(b.prediction, abs=1e-4)  # by hand, from the steps
        for _, step in forward_code(name):
            assert step is None or step in b, step  # the snippet's comments show real steps


@pytest.mark.parametrize("name", NAMES)
def test_its_figures_draw(runs, name):
    result = runs[name][0].result()
    heat = figures.result_heatmap(result)
    assert heat.data and heat.layout.meta["n_predicted"] == 9
    emb = result.embeddings_2d()
    has_factors = result.model.user_vectors() is not None
    assert len(emb) == (17 if has_factors else 0)
    figures.embedding_map(emb)
    for fig in (figures.factor_heatmap(result, "user"), figures.factor_heatmap(result, "item"),
                figures.factor_product(result)):
        if has_factors:
            assert fig.data and fig.layout.title.subtitle.text
        else:
            assert "no factors" in fig.layout.annotations[0].text
    assert figures.predicted_vs_actual(result).data


@pytest.mark.parametrize("name", NAMES)
def test_it_folds_in_a_new_user(runs, name):
    """Issue 15: a new user's rows found with every weight fixed (recsys_core.training.foldin), by the
    rule in the model's own file, for exactly the tables that have a row per user."""
    result = runs[name][0].result()
    model, r = result.model, result.ratings
    assert callable(MODELS[name].fold_in)
    per_user = {n for n, m in model.named_children()
                if isinstance(m, torch.nn.Embedding) and m.num_embeddings == r.n_users}
    assert set(model.user_tables) == per_user
    visitor = fold_in(result, {r.items[0]: 4.0, r.items[3]: 1.0, r.items[5]: 3.0})
    assert set(visitor.rows) == per_user and np.isfinite(visitor.predictions).all()
    assert len(visitor.top_n(None)) == r.n_items - 3
    assert (visitor.position is None) == (model.user_vectors() is None)


def test_every_prediction_is_finite_and_on_scale(runs):
    for name, (trainer, _) in runs.items():
        predicted = trainer.result().predicted
        assert np.isfinite(predicted).all(), name
        low, high = trainer.ratings.scale
        margin = 0.5 * (high - low)
        assert ((predicted >= low - margin) & (predicted <= high + margin)).all(), name
