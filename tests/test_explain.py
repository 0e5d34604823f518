"""A cell's arithmetic: the breakdown's numbers alone give the model's prediction.

``recompute`` below redoes every model's computation in numpy from the breakdown's listed
numbers (factors, biases, layer weights, offset, scale ends), independently of the library's
torch code, and must land on ``model(user, item)`` to 1e-4, for every model type and both
output modes. The code snippet is run too, on the app's model under the exported script's
names and inside the real exported script.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from recsys_core.models import MODELS
from recsys_core.results import codegen
from recsys_core.results.explain import (
    Breakdown,
    Step,
    as_exported_net,
    breakdown_code,
    explain_cell,
    explain_result,
)
from recsys_core.training.trainer import TrainConfig, Trainer
from tests.tolerance import assert_float32_close

TOLERANCE = 1e-4
CELLS = [(0, 0), (2, 3), (8, 7), (4, 1)]

ACTIVATION = {
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "gelu": lambda x: 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0))),
    None: lambda x: x,
}


def _v(b: Breakdown, name: str) -> np.ndarray:
    return np.atleast_1d(np.asarray(b[name].values, dtype=np.float64))


def _linear(step: Step, x: np.ndarray) -> np.ndarray:
    weight = np.asarray(step.params["weight"], dtype=np.float64)
    out = weight @ x + np.asarray(step.params["bias"], dtype=np.float64)
    return np.atleast_1d(ACTIVATION[step.params["activation"]](out))


def _layers(b: Breakdown, x: np.ndarray) -> np.ndarray:
    for step in [s for s in b.steps if s.name.startswith("layer")]:
        x = _linear(step, x)
        assert len(x) == step.size
        assert_float32_close(x, step.values)  # float64 by hand vs the float32 layer
    return x


def _check(b: Breakdown, name: str, value) -> None:
    assert_float32_close(np.atleast_1d(value), _v(b, name), err_msg=name)  # by hand vs float32


def recompute(b: Breakdown) -> float:
    """The prediction from the breakdown's numbers alone (numpy, float64)."""
    if b.model_name == "baseline":
        raw = _v(b, "mean") + _v(b, "user_bias") + _v(b, "item_bias")
        _check(b, "raw", raw)
        return float(np.clip(raw, b["rating"].params["low"], b["rating"].params["high"])[0])
    if b.model_name == "mf":
        products = _v(b, "user_factors") * _v(b, "item_factors")
        _check(b, "products", products)
        _check(b, "dot", products.sum())
        score = products.sum() + _v(b, "user_bias") + _v(b, "item_bias")
    elif b.model_name == "gmf":
        products = _v(b, "user_factors") * _v(b, "item_factors")
        _check(b, "products", products)
        score = _linear(b["score"], products)
    elif b.model_name in ("nn", "mlp"):
        parts = [_v(b, "user_factors"), _v(b, "item_factors")]
        if b.model_name == "nn":
            parts += [_v(b, "user_bias"), _v(b, "item_bias")]
        z = np.concatenate(parts)
        _check(b, "input", z)
        score = _linear(b["score"], _layers(b, z))
    elif b.model_name == "neumf":
        gmf = _v(b, "gmf_user_factors") * _v(b, "gmf_item_factors")
        _check(b, "gmf_products", gmf)
        z = np.concatenate([_v(b, "mlp_user_factors"), _v(b, "mlp_item_factors")])
        _check(b, "input", z)
        fused = np.concatenate([gmf, _layers(b, z)])
        _check(b, "fused", fused)
        head = _linear(b["head"], fused)
        _check(b, "head", head)
        score = head + _v(b, "user_bias") + _v(b, "item_bias")
    else:
        raise AssertionError(b.model_name)
    _check(b, "score", score)
    shifted = score + (_v(b, "offset") if "offset" in b else 0.0)
    squashed = 1.0 / (1.0 + np.exp(-shifted))
    _check(b, "sigmoid", squashed)
    params = b["rating"].params
    if params["mode"] == "top":
        rating = squashed * params["high"]
    else:
        rating = params["low"] + (params["high"] - params["low"]) * squashed
    return float(rating[0])


def _cases():
    for name, spec in MODELS.items():
        if name == "baseline":
            yield pytest.param(name, spec.config_cls(), id=name)
            continue
        for output in ("top", "scale"):
            yield pytest.param(name, replace(spec.config_cls(), output=output),
                               id=f"{name}-{output}")
    nn_cfg = MODELS["nn"].config_cls
    yield pytest.param("nn", nn_cfg(activation="tanh", hidden=(5,), mean_offset=False),
                       id="nn-tanh-no-offset")
    yield pytest.param("nn", nn_cfg(activation="gelu", dropout=0.3), id="nn-gelu-dropout")
    yield pytest.param("mlp", MODELS["mlp"].config_cls(activation="sigmoid", hidden=()),
                       id="mlp-no-hidden-layers")
    yield pytest.param("mf", MODELS["mf"].config_cls(dim=2, output="top", init_std=None),
                       id="mf-lecture")


def _trained(ratings, name, config, epochs=15):
    """A model moved away from its start, so biases and layers hold real numbers (on the
    CPU, like the exported script and the tensors of the snippet)."""
    return Trainer(ratings, name, config, TrainConfig(epochs=epochs, seed=3, lr=0.05),
                   device="cpu").fit()


@torch.no_grad()
def _model_says(model, user, item) -> float:
    model.eval()
    return float(model(torch.tensor([user]), torch.tensor([item]))[0])


@pytest.mark.parametrize(("name", "config"), list(_cases()))
def test_the_steps_add_up_to_the_prediction(solo, name, config):
    model = _trained(solo, name, config).model
    for user, item in CELLS:
        b = explain_cell(model, user, item)
        truth = _model_says(model, user, item)
        assert b.prediction == truth  # both are model(user, item): one code path
        assert recompute(b) == pytest.approx(truth, abs=TOLERANCE)  # the promise: 1e-4
        assert_float32_close(b["rating"].values, truth)  # the last step, computed step by step


@pytest.mark.parametrize(("name", "config"), list(_cases()))
def test_the_code_computes_the_same_prediction(solo, name, config):
    model = _trained(solo, name, config).model
    for user, item in CELLS:
        code = breakdown_code(model, user, item)
        space = {"torch": torch, "net": as_exported_net(model)}
        with torch.no_grad():
            exec(code, space)  # noqa: S102 - our own generated code
        # the snippet's own torch lines against the model's forward: two float32 paths
        assert_float32_close(float(space["yhat"][0]), _model_says(model, user, item))


def test_the_breakdown_is_of_the_current_model(solo):
    """Change one weight: the breakdown and its prediction follow."""
    model = _trained(solo, "mf", MODELS["mf"].config_cls(dim=4)).model
    before = explain_cell(model, 1, 2)
    with torch.no_grad():
        model.user_bias.weight[1] += 0.5
    after = explain_cell(model, 1, 2)
    # float32 sums in the model against float64 sums here
    assert_float32_close(after["user_bias"].values, before["user_bias"].values + 0.5)
    assert_float32_close(after["score"].values, before["score"].values + 0.5)
    assert after.prediction > before.prediction
    assert recompute(after) == pytest.approx(_model_says(model, 1, 2), abs=TOLERANCE)


def test_mf_breakdown_lists_factors_products_biases_and_squash(solo):
    result = _trained(solo, "mf", MODELS["mf"].config_cls(dim=3, output="top")).result()
    b = explain_result(result, 2, 3)
    assert b.names() == ["user_factors", "item_factors", "products", "dot", "user_bias",
                         "item_bias", "score", "offset", "sigmoid", "rating"]
    assert b["user_factors"].size == b["item_factors"].size == b["products"].size == 3
    assert b.user_label == solo.users[2] and b.item_label == solo.items[3]
    assert "× 5" in b["rating"].formula
    table = b.table()
    assert list(table.columns) == ["step", "formula", "size", "value"]
    assert len(table) == len(b.steps)


def test_network_breakdown_gives_each_layers_size(solo):
    config = MODELS["nn"].config_cls(dim=3, hidden=(7, 5))
    b = explain_cell(_trained(solo, "nn", config).model, 0, 0)
    assert b["input"].size == 2 * 3 + 2
    assert [b[f"layer{k}"].size for k in (1, 2)] == [7, 5]
    assert "7 → 5" in b["layer2"].label and "relu" in b["layer2"].label


def test_long_vectors_are_shortened_only_for_display():
    step = Step("x", "x", "", [float(k) for k in range(20)])
    assert len(step.values) == 20
    assert step.shown(limit=3) == "[0.0000, 1.0000, 2.0000, … (20 numbers)]"
    assert Step("y", "y", "", [1.0, 2.0]).shown(digits=1) == "[1.0, 2.0]"


def test_a_cell_outside_the_matrix_is_refused(solo):
    model = _trained(solo, "mf", MODELS["mf"].config_cls(), epochs=1).model
    with pytest.raises(ValueError, match="no cell"):
        explain_cell(model, solo.n_users, 0)
    with pytest.raises(ValueError, match="no cell"):
        explain_cell(model, 0, -1)


def test_the_model_keeps_its_training_mode(solo):
    model = _trained(solo, "nn", MODELS["nn"].config_cls(dropout=0.5), epochs=1).model
    model.train()
    explain_cell(model, 0, 0)
    assert model.training


def test_code_uses_the_lectures_names_and_keeps_labels_in_comments(solo):
    result = _trained(solo, "mf", MODELS["mf"].config_cls(output="top", mean_offset=False)).result()
    code = breakdown_code(explain_result(result, 0, 0))
    for name in ("W_feature", "M_feature", "W_bias", "M_bias", "score = ", "yhat = sig(score) * 5"):
        assert name in code
    b = explain_cell(result.model, 0, 0, user_label="x\nimport os; os._exit(3)",
                     item_label="<b>y</b>")
    code = breakdown_code(b)
    assert not any(line.startswith("import os") for line in code.splitlines())
    space = {"torch": torch, "net": as_exported_net(result.model)}
    with torch.no_grad():
        exec(code, space)  # noqa: S102
    assert_float32_close(float(space["yhat"][0]), b.prediction)  # snippet vs forward pass


def test_the_snippets_forward_lines_are_the_exported_nets(solo):
    """The snippet speaks the exported script's language: each of its lines is a line of
    the exported ``Net.forward`` with ``self`` read as ``net``."""
    from recsys_core.results.explain import forward_code

    for name, spec in MODELS.items():
        result = _trained(solo, name, spec.config_cls(), epochs=1).result()
        script = codegen.generate_for_result(result).code
        for line, _ in forward_code(name):
            assert line.replace("net.", "self.") in script, (name, line)


@pytest.mark.parametrize("name", list(MODELS))
def test_the_snippet_runs_after_the_real_exported_script(solo, tmp_path, name):
    """Run the exported script in a fresh Python, then the snippet: the same prediction."""
    from pathlib import Path

    config = MODELS[name].config_cls()
    if name != "baseline":
        config = replace(config, output="top" if name in ("mf", "nn") else "scale")
    result = _trained(solo, name, config, epochs=5).result()
    b = explain_result(result, 3, 5)
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "data").symlink_to(root / "data")
    code = (codegen.generate_for_result(result).code + "\n" + breakdown_code(b)
            + "print('YHAT', repr(float(yhat[0])))\n")
    (tmp_path / "exported.py").write_text(code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "exported.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = [line for line in done.stdout.splitlines() if line.startswith("YHAT")]
    assert float(printed[-1].split()[1]) == pytest.approx(b.prediction, abs=TOLERANCE)
