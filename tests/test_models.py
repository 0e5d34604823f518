from dataclasses import fields

import pytest
import torch

from recsys_core.models import MODELS, MFConfig, NNConfig, build_model
from recsys_core.models.config import describe, from_dict, to_dict
from recsys_core.training.trainer import TrainConfig, fit


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_has_the_same_call_shape_and_stays_on_scale(name):
    config = MODELS[name].config_cls()
    model = build_model(name, config, n_users=5, n_items=4, scale=(1.0, 5.0), global_mean=3.0)
    users = torch.tensor([0, 1, 4])
    items = torch.tensor([3, 0, 2])
    out = model(users, items)
    assert out.shape == (3,)
    margin = getattr(config, "margin", 0.0) * 4
    assert bool(((out >= 1.0 - margin) & (out <= 5.0 + margin)).all())


@pytest.mark.parametrize("name", sorted(MODELS))
def test_untrained_model_starts_at_the_average(name):
    """mean_offset: an untouched model predicts close to the global mean, not mid-scale."""
    torch.manual_seed(0)
    model = build_model(name, MODELS[name].config_cls(), 6, 6, (0.0, 5.0), global_mean=4.0)
    with torch.no_grad():
        out = model(torch.arange(6), torch.arange(6))
    assert abs(float(out.mean()) - 4.0) < 0.6


def test_top_output_is_the_lectures_sigmoid_times_top():
    config = MFConfig(dim=2, output="top", mean_offset=False, init_std=None)
    model = build_model("mf", config, 3, 3, (0.0, 5.0), 2.5)
    u, i = torch.tensor([0, 1, 2]), torch.tensor([2, 1, 0])
    expected = torch.sigmoid(model.score(u, i)) * 5
    assert torch.equal(model(u, i), expected)


def test_scale_output_reaches_beyond_both_ends():
    """fastai's y_range idea: a touch beyond the scale so 1 and 5 stay reachable."""
    model = build_model("mf", MFConfig(margin=0.05), 2, 2, (1.0, 5.0), 3.0)
    assert model.out.low == pytest.approx(0.8) and model.out.high == pytest.approx(5.2)


def test_wrong_config_type_is_refused():
    with pytest.raises(TypeError, match="MFConfig"):
        build_model("mf", NNConfig(), 2, 2, (0, 5), 2.5)


def test_lecture_nn_creates_tables_in_lecture_order():
    model = build_model("nn", NNConfig(dim=2, hidden=(15, 15)), 9, 8, (0, 5), 2.5)
    names = [n for n, _ in model.named_parameters()]
    assert names[:4] == ["user_factors.weight", "item_factors.weight", "user_bias.weight",
                         "item_bias.weight"]
    sizes = [p.shape for n, p in model.named_parameters() if n.endswith("weight")][4:]
    assert sizes == [(15, 6), (15, 15), (1, 15)]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_learns_and_beats_the_mean_on_a_structured_matrix(name, structured):
    result = fit(structured, name, train=TrainConfig(epochs=150, lr=0.05, weight_decay=1e-3,
                                                     val_frac=0.0))
    losses = [r.train_loss for r in result.history]
    assert losses[-1] < losses[0] * (0.99 if name == "baseline" else 0.5)
    truth = result.metrics()
    mean_only = structured.values.mean()
    import numpy as np

    missing = ~structured.observed_mask()
    mean_rmse = float(np.sqrt(np.mean((structured.truth[missing] - mean_only) ** 2)))
    if name != "baseline":  # tastes are crossed: biases alone cannot learn them
        assert truth["truth_rmse"] < 0.5 * mean_rmse


def test_configs_describe_themselves_for_the_form():
    info = {p.name: p for p in describe(NNConfig)}
    assert info["hidden"].default == (32, 16)
    assert info["activation"].choices == ("relu", "tanh", "sigmoid", "gelu")
    assert info["dim"].label and info["dim"].min == 1
    assert [f.name for f in fields(NNConfig)] == list(info)


def test_config_round_trips_through_json_values():
    config = NNConfig(dim=3, hidden=(7, 5))
    again = from_dict(NNConfig, to_dict(config) | {"unknown": 1})
    assert again == config and isinstance(again.hidden, tuple)


def test_baseline_learns_generous_users_and_liked_items():
    import numpy as np
    import pandas as pd

    from recsys_core.data.ratings import Ratings

    rng = np.random.default_rng(0)
    user_bias, item_bias = rng.normal(0, 0.8, 15), rng.normal(0, 0.8, 12)
    truth = np.clip(3 + user_bias[:, None] + item_bias[None, :], 1, 5)
    shown = np.where(rng.random(truth.shape) < 0.3, np.nan, truth)
    ratings = Ratings.from_matrix(pd.DataFrame(shown), scale=(1, 5), truth=truth)
    result = fit(ratings, "baseline", train=TrainConfig(epochs=200, lr=0.05, weight_decay=0,
                                                        val_frac=0))
    missing = np.isnan(shown)
    mean_rmse = np.sqrt(np.mean((truth[missing] - np.nanmean(shown)) ** 2))
    assert result.metrics()["truth_rmse"] < 0.3 * mean_rmse
