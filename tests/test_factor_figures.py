"""Factor heatmaps: U (users x k), V (items x k), and U x Vᵀ beside the completed matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recsys_core.data.ratings import Ratings
from recsys_core.models import MODELS
from recsys_core.results import figures
from recsys_core.training.trainer import TrainConfig, fit
from tests.tolerance import assert_float32_close


def _mf(ratings, dim=2, epochs=30):
    return fit(ratings, "mf", MODELS["mf"].config_cls(dim=dim), TrainConfig(epochs=epochs))


def _weights(result, side):
    vectors = result.model.user_vectors() if side == "user" else result.model.item_vectors()
    return vectors.detach().double().numpy()


@pytest.mark.parametrize("side", ["user", "item"])
def test_factor_heatmap_shows_the_factor_matrix(solo, side):
    result = _mf(solo, dim=3)
    fig = figures.factor_heatmap(result, side=side)
    (panel,) = fig.data
    n = solo.n_users if side == "user" else solo.n_items
    assert np.shape(panel.z) == (n, 3)
    np.testing.assert_array_equal(panel.z, _weights(result, side))  # the weights, copied
    assert list(fig.layout.xaxis.ticktext) == ["factor 1", "factor 2", "factor 3"]
    labels = solo.users if side == "user" else solo.items
    assert list(fig.layout.yaxis.ticktext) == [figures.escape(x) for x in labels]
    assert fig.layout.meta["k"] == 3 and fig.layout.meta["n_rows"] == n


def test_for_k_2_the_factor_axes_are_the_embedding_maps(solo):
    result = _mf(solo, dim=2)
    frame = result.embeddings_2d()
    emb = figures.embedding_map(frame)
    for side in ("user", "item"):
        fig = figures.factor_heatmap(result, side=side)
        part = frame[frame["kind"] == side]
        # the same float32 weights, read twice (no arithmetic): equal to the bit
        np.testing.assert_array_equal(np.asarray(fig.data[0].z)[:, 0], part["x"])
        np.testing.assert_array_equal(np.asarray(fig.data[0].z)[:, 1], part["y"])
        assert list(fig.layout.xaxis.ticktext) == [emb.layout.xaxis.title.text,
                                                   emb.layout.yaxis.title.text]


def test_factor_product_is_u_times_v_transposed_beside_the_completed_matrix(solo):
    result = _mf(solo, dim=3)
    fig = figures.factor_product(result)
    panels = {trace.name: np.asarray(trace.z, dtype=float) for trace in fig.data}
    assert list(panels) == ["Vᵀ", "U", "U x Vᵀ", "completed"]
    u, v = _weights(result, "user"), _weights(result, "item")
    assert panels["U"].shape == (solo.n_users, 3)
    assert panels["Vᵀ"].shape == (3, solo.n_items)
    np.testing.assert_array_equal(panels["U"], u)  # the weights themselves
    np.testing.assert_array_equal(panels["Vᵀ"], v.T)
    # float64 products of the same float64 copies (the order of 3 terms may differ with the
    # memory layout: 1e-7 relative is 1e9 float64 roundings)
    np.testing.assert_allclose(panels["U x Vᵀ"], u @ v.T, rtol=1e-7)
    # the panel predicts this block cell by cell, completed_matrix() as one matrix product:
    # two float32 paths, which differ in the last bits between CPUs (issue 11)
    assert_float32_close(panels["completed"], result.completed_matrix().to_numpy())
    # the product plus the biases, squashed, is the model's prediction (MF)
    model = result.model
    score = (u @ v.T + model.user_bias.weight.detach().double().numpy()
             + model.item_bias.weight.detach().double().numpy().T + model.out.offset)
    squashed = model.out.low + (model.out.high - model.out.low) / (1 + np.exp(-score))
    assert_float32_close(squashed, result.predicted)  # float64 by hand vs the float32 model
    assert "bias" in fig.layout.title.subtitle.text


def test_factor_product_marks_the_predicted_cells(solo):
    fig = figures.factor_product(_mf(solo))
    text = np.asarray(fig.data[-1].text)
    rated = solo.observed_mask()
    assert all(t.startswith("(") for t in text[~rated])
    assert not any(t.startswith("(") for t in text[rated])


def test_factor_product_shows_at_most_the_asked_block(structured):
    result = _mf(structured, dim=4, epochs=5)
    fig = figures.factor_product(result, max_rows=5, max_cols=3)
    shapes = {trace.name: np.shape(trace.z) for trace in fig.data}
    assert shapes == {"Vᵀ": (4, 3), "U": (5, 4), "U x Vᵀ": (5, 3), "completed": (5, 3)}
    assert_float32_close(np.asarray(fig.data[-1].z, dtype=float),  # per cell vs one product
                         result.completed_matrix().to_numpy()[:5, :3])
    short = figures.factor_heatmap(result, "user", max_rows=4)
    assert np.shape(short.data[0].z) == (4, 4) and "first 4" in short.layout.title.subtitle.text


def test_labels_are_escaped_everywhere(solo):
    frame = pd.DataFrame([[5, 1], [np.nan, 4]], index=["<b>bold</b>", "a&b"],
                         columns=["<img src=x onerror=alert(1)>", "ok"])
    result = _mf(Ratings.from_matrix(frame, scale=(0, 5)), dim=2, epochs=3)
    for fig in (figures.factor_heatmap(result, "user"), figures.factor_heatmap(result, "item"),
                figures.factor_product(result)):
        dumped = fig.to_json()
        assert "<b>bold" not in dumped and "<img" not in dumped
        assert "&lt;b&gt;bold" in dumped or "&lt;img" in dumped


@pytest.mark.parametrize("name", ["baseline"])
def test_a_model_without_factors_gets_a_note(solo, name):
    result = fit(solo, name, train=TrainConfig(epochs=2))
    for fig in (figures.factor_heatmap(result), figures.factor_product(result)):
        assert len(fig.data) == 0
        assert "no factors" in fig.layout.annotations[0].text


@pytest.mark.parametrize("name", ["nn", "gmf", "mlp", "neumf"])
def test_other_models_show_their_factors_and_say_what_the_product_is(solo, name):
    result = fit(solo, name, train=TrainConfig(epochs=2))
    fig = figures.factor_product(result)
    u = _weights(result, "user")
    # float64 on both sides, the same copies of the weights
    np.testing.assert_allclose(np.asarray(fig.data[2].z, dtype=float), u @ _weights(result, "item").T,
                               rtol=1e-7)
    assert "U x Vᵀ" in fig.layout.title.subtitle.text


def test_side_must_be_user_or_item(solo):
    with pytest.raises(ValueError, match="side"):
        figures.factor_heatmap(_mf(solo, epochs=1), side="both")
