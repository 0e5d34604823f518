import io
import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from recsys_core.models import MFConfig
from recsys_core.results.trained_run import ModelFileError, load_model, predict_matrix
from recsys_core.training.trainer import TrainConfig, fit
from tests.tolerance import assert_float32_close


@pytest.fixture
def mf_result(solo):
    return fit(solo, "mf", MFConfig(dim=2), TrainConfig(epochs=60, lr=0.1, weight_decay=0.01,
                                                         val_frac=0.15, seed=0))


def test_completed_matrix_keeps_observed_and_fills_the_rest(mf_result, solo):
    completed = mf_result.completed_matrix()
    original = solo.to_matrix()
    assert list(completed.index) == solo.users and list(completed.columns) == solo.items
    assert not completed.isna().any().any()
    observed = original.notna()
    assert np.array_equal(completed[observed].to_numpy(), original[observed].to_numpy(),
                          equal_nan=True)
    missing = ~observed.to_numpy()
    assert np.allclose(completed.to_numpy()[missing], mf_result.predicted[missing])


def test_predictions_table_is_row_major_with_empty_missing_ratings(mf_result, solo):
    table = mf_result.predictions_table()
    assert len(table) == 72
    assert table[["user", "item"]].iloc[1].tolist() == [solo.users[0], solo.items[1]]
    assert table["rating"].isna().sum() == 9
    assert set(table["split"]) == {"train", "validation", "missing"}
    assert (table["split"] == "validation").sum() == mf_result.is_val.sum()


def test_metrics_are_honest_about_held_out_ratings(mf_result, solo):
    m = mf_result.metrics()
    assert m["n_train"] + m["n_val"] == 63 and m["n_val"] > 0
    pred = mf_result.observed_predictions()[mf_result.is_val]
    actual = solo.values[mf_result.is_val]
    assert m["val_rmse"] == pytest.approx(np.sqrt(np.mean((pred - actual) ** 2)))
    assert m["val_mae"] == pytest.approx(np.mean(np.abs(pred - actual)))
    train_mean = solo.values[~mf_result.is_val].mean()
    assert m["baseline_val_rmse"] == pytest.approx(np.sqrt(np.mean((train_mean - actual) ** 2)))
    assert m["val_rmse"] < m["baseline_val_rmse"]
    assert m["truth_rmse"] is None


def test_truth_is_scored_only_on_missing_cells(structured):
    result = fit(structured, "mf", train=TrainConfig(epochs=100, lr=0.05))
    m = result.metrics()
    missing = ~structured.observed_mask()
    assert m["n_truth"] == missing.sum()
    expected = np.sqrt(np.mean((result.predicted[missing] - structured.truth[missing]) ** 2))
    assert m["truth_rmse"] == pytest.approx(expected)


def test_top_n_recommends_only_unrated_items_best_first(mf_result, solo):
    top = mf_result.top_n(n=3)
    rated = set(zip(solo.to_long()["user"], solo.to_long()["item"]))
    assert not any((u, i) in rated for u, i in zip(top["user"], top["item"]))
    # 옥순 has exactly one unrated item: 영식(IN)
    ok = top[top["user"] == "옥순(IN)"]
    assert ok["item"].tolist() == ["영식(IN)"]
    assert all(part in solo.items for part in ok["because"].iloc[0].split(", "))
    for _, group in top.groupby("user"):
        assert group["prediction"].is_monotonic_decreasing


def test_embeddings_are_the_factors_for_k2_and_pca_otherwise(mf_result, structured):
    frame = mf_result.embeddings_2d()
    assert frame.attrs["projection"] == "factors"
    assert len(frame) == 17 and frame["label"].tolist()[:1] == ["옥순(IN)"]
    factors = mf_result.model.user_factors.weight.detach().numpy()
    assert np.allclose(frame[frame.kind == "user"][["x", "y"]].to_numpy(), factors)
    wide = fit(structured, "mf", MFConfig(dim=6), TrainConfig(epochs=5)).embeddings_2d()
    assert wide.attrs["projection"] == "pca" and wide[["x", "y"]].notna().all().all()


def test_save_and_load_give_the_same_predictions(mf_result, tmp_path):
    path = tmp_path / "model.pt"
    mf_result.save(path)
    model, payload = load_model(path)
    assert payload["users"] == mf_result.ratings.users
    again = predict_matrix(model, len(payload["users"]), len(payload["items"]))
    assert np.allclose(again, mf_result.predicted, atol=1e-6)
    assert np.allclose(predict_matrix(load_model(mf_result.model_bytes())[0], 9, 8),
                       mf_result.predicted, atol=1e-6)


class _Evil:
    def __reduce__(self):
        return (print, ("this code must never run",))


def test_loading_refuses_files_that_carry_code(tmp_path, capsys):
    buffer = io.BytesIO()
    torch.save({"format": "recsys-playground-model/1", "payload": _Evil()}, buffer)
    with pytest.raises(ModelFileError, match="never loaded"):
        load_model(buffer.getvalue())
    assert "must never run" not in capsys.readouterr().out
    with pytest.raises(ModelFileError):
        load_model(pickle.dumps({"a": 1}))
    with pytest.raises(ModelFileError):
        load_model(b"\x89PNG\r\n\x1a\n not a model")


def test_summary_is_json_ready(mf_result):
    import json

    summary = json.loads(json.dumps(mf_result.summary()))
    assert summary["model"] == "mf" and summary["n_ratings"] == 63
    assert summary["epochs_run"] == 60 and summary["truth_rmse"] is None
    assert isinstance(pd.DataFrame([summary]), pd.DataFrame)


def test_because_names_only_items_the_user_liked_and_says_when_it_cannot(solo):
    """Issue 13: a user whose only rating was 2 stars got films "because" of that film."""
    from recsys_core.data.ratings import Ratings
    from recsys_core.results.trained_run import BECAUSE_FEW, BECAUSE_FLAT, because_text

    frame = solo.to_matrix()
    frame.loc["one-rating"] = np.nan
    frame.loc["one-rating", frame.columns[0]] = 2.0
    frame.loc["all-threes"] = 3.0
    frame.loc["all-threes", frame.columns[-1]] = np.nan
    ratings = Ratings.from_matrix(frame, scale=(0.0, 5.0))
    result = fit(ratings, "mf", MFConfig(dim=2), TrainConfig(epochs=40, lr=0.1, val_frac=0.0))
    top = result.top_n(n=3, because=2)
    assert set(top.loc[top.user == "one-rating", "because"]) == {BECAUSE_FEW}
    assert set(top.loc[top.user == "all-threes", "because"]) == {BECAUSE_FLAT}
    matrix = ratings.to_matrix()
    for user in solo.users:  # everyone else: named items, each above the user's own average
        row = matrix.loc[user]
        for because in top.loc[top.user == user, "because"]:
            names = because.split(", ")
            assert names and all(row[name] > row.mean() for name in names), (user, because)
    assert because_text(BECAUSE_FEW, "ko") == "설명할 평점이 너무 적음 (3개 미만)"
    assert because_text(BECAUSE_FLAT, "ko").startswith("이 사용자의 평균보다")


def test_best_of_rows_picks_what_best_of_picks_row_by_row_ties_nan_and_inf_included():
    from recsys_core.results.trained_run import best_of, best_of_rows

    rng = np.random.default_rng(0)
    for _ in range(100):
        costs = rng.integers(0, 4, size=(6, 10)).astype(float)  # many ties
        costs[rng.random(costs.shape) < 0.2] = np.inf
        costs[rng.random(costs.shape) < 0.05] = np.nan
        costs[rng.random(costs.shape) < 0.05] = -np.inf
        for count in (0, 1, 3, 10, 12):
            expected = np.array([best_of(row, min(count, 10)) for row in costs]).reshape(6, -1)
            before = costs.copy()
            assert np.array_equal(best_of_rows(costs, count), expected)
            assert np.array_equal(costs, before, equal_nan=True)  # marks taken are put back


def test_best_unrated_matches_a_sort_of_each_users_unrated_items_across_blocks(monkeypatch):
    """Top-N reads the predictions a block of users at a time (no 48 MB copy on MovieLens):
    with blocks of 2 users, ties, a user who rated everything and one who rated all but one,
    each user's picks are the sort of their own unrated items."""
    from recsys_core.data.ratings import Ratings
    from recsys_core.results import trained_run

    rng = np.random.default_rng(1)
    predicted = rng.integers(1, 6, size=(7, 9)).astype(float)  # many ties
    rated = rng.random(predicted.shape) < 0.4
    rated[0] = True
    rated[1] = True
    rated[1, 4] = False
    frame = pd.DataFrame(np.where(rated, 3.0, np.nan), index=[f"u{k}" for k in range(7)],
                         columns=[f"i{k}" for k in range(9)])
    ratings = Ratings.from_matrix(frame, scale=(1.0, 5.0))
    monkeypatch.setattr(trained_run, "TOP_N_BLOCK_BYTES", 2 * 8 * 9)
    before = predicted.copy()
    best, counts = trained_run.best_unrated(predicted, ratings, 4)
    assert np.array_equal(predicted, before)  # read, never written
    for u in range(7):
        open_items = np.flatnonzero(~rated[u])
        expected = open_items[np.argsort(-predicted[u, open_items], kind="stable")][:4]
        assert counts[u] == len(expected)
        assert best[u, :counts[u]].tolist() == expected.tolist(), u
    assert counts[0] == 0 and counts[1] == 1 and best[1, 0] == 4


def test_prepare_in_background_gives_the_page_the_same_results_once(mf_result, monkeypatch):
    """A finished run's Results are computed in a background thread; the page, asking at the
    same moment, waits for that one computation and reads the same figures."""
    from recsys_core.results import trained_run
    from recsys_core.results.trained_run import FitResult
    from recsys_core.training.run_service import prepare_in_background

    fresh = FitResult(**{name: getattr(mf_result, name) for name in (
        "model_name", "model_config", "train_config", "model", "ratings", "is_val")})
    calls = []
    real = trained_run.predict_matrix
    monkeypatch.setattr(trained_run, "predict_matrix", lambda *a: calls.append(1) or real(*a))
    thread = prepare_in_background(fresh)
    table = fresh.top_n(trained_run.RESULTS_TOP_N)  # the page, while the thread works
    thread.join(timeout=60)
    assert not thread.is_alive() and calls == [1]
    # the thread sets torch's thread count: sums may differ in the last float32 bits
    expected = mf_result.top_n(trained_run.RESULTS_TOP_N)
    assert table[["user", "rank", "item", "because"]].equals(
        expected[["user", "rank", "item", "because"]])
    assert_float32_close(table["prediction"].to_numpy(), expected["prediction"].to_numpy())
    assert_float32_close(fresh.predicted, mf_result.predicted)
    assert {"_predicted", "_observed", "_top_n_3_2"} <= set(fresh.__dict__)
