"""Fold-in on ranking runs (issue 15, interactions half): a newcomer ticks items they like and
gets a top-N without retraining, in the library and through ``recommend DIR``."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import torch

from recsys_core.cli import main
from recsys_core.data.synthetic import generate_clicks
from recsys_core.models import RANKING_MODELS
from recsys_core.models.ranking.base import RankingModel
from recsys_core.ranking.foldin import check_liked, fold_in_liked
from recsys_core.ranking.split import leave_one_out
from recsys_core.ranking.training import RankingTrainConfig, RankingTrainer
from recsys_core.recommend import recommend_from_folder
from recsys_core.training.foldin import FoldInError, fold_in
from tests.tolerance import assert_float32_close


@pytest.fixture(scope="module")
def clicks():
    return generate_clicks(n_users=120, n_items=60, n_groups=3, clicks_per_user=10, seed=1)


@pytest.fixture(scope="module")
def trained(clicks):
    data = clicks[0]
    split = leave_one_out(data, 0)
    return {name: RankingTrainer(split, name, None,
                                 RankingTrainConfig(epochs=15, batch_size=256)).fit().model
            for name in RANKING_MODELS}


def _liked(data, positions):
    return [(data.items[j], 1) for j in positions]


def _watch_visitor_rows(monkeypatch) -> dict:
    """Keep the fresh user rows of the copy ``fold_in_visitor`` trains (by their table's name),
    as they are after the fold-in."""
    found: dict[str, torch.Tensor] = {}
    made = RankingModel._visitor_copy

    def watched(self, seed):
        visitor, rows = made(self, seed)
        found.update((name, table.weight) for name, table in visitor.named_children()
                     if any(getattr(table, "weight", None) is row for row in rows))
        return visitor, rows

    monkeypatch.setattr(RankingModel, "_visitor_copy", watched)
    return found


def _scores_with_rows(model, rows: dict) -> np.ndarray:
    """Every item's score from ``model``'s own weights (the trained run's, untouched) with
    the user tables replaced by ``rows``: what a fold-in that moved nothing else returns."""
    probe = copy.deepcopy(model)
    for name, row in rows.items():
        setattr(probe, name, torch.nn.Embedding.from_pretrained(row.detach().clone()))
    probe.n_users = 1
    return probe.score_rows(torch.zeros(1, dtype=torch.int64))[0].numpy()


@pytest.mark.parametrize("name", list(RANKING_MODELS))
def test_every_model_scores_a_visitor_and_leaves_the_model_unchanged(clicks, trained, name,
                                                                     monkeypatch):
    """Frozen means frozen in the copy too: the visitor's scores are the trained model's item
    side with the found row, so training any other weight of the copy fails here."""
    data = clicks[0]
    model = trained[name]
    before = {k: v.clone() for k, v in model.state_dict().items()}
    grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
    rows = _watch_visitor_rows(monkeypatch)
    visitor = fold_in_liked(model, name, data.items, _liked(data, [0, 3, 7]))
    if type(model).fold_in_visitor is RankingModel.fold_in_visitor:  # gradient steps on a copy
        assert rows, "the visitor's row was not trained on a copy"
        assert_float32_close(visitor.scores, _scores_with_rows(model, rows),
                             err_msg="a weight other than the visitor's row moved")
    else:  # exact rules on the model's own weights (item-kNN's, popularity's: tested below)
        assert not rows
    if name == "als":  # its scores are the trained item factors times one row
        items = model.item_factors.weight.double().numpy()
        row = np.linalg.lstsq(items, visitor.scores.astype(np.float64), rcond=None)[0]
        assert_float32_close(items @ row, visitor.scores)
    assert visitor.scores.shape == (data.n_items,) and np.isfinite(visitor.scores).all()
    ranked = visitor.ranked()
    assert len(ranked) == data.n_items - 3  # every item but the liked, best first
    assert not {item for item, _ in ranked} & {data.items[j] for j in (0, 3, 7)}
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before), "frozen weights moved"
    assert all((g is None and p.grad is None) or torch.equal(g, p.grad)
               for g, p in zip(grads, model.parameters())), "the model's gradients were touched"


def test_a_visitor_who_likes_one_groups_items_is_recommended_that_group(clicks, trained):
    """The generator's hidden tastes: ticking five of a group's items brings that group to the
    top for the embedding models, about as well as a trained user of the group gets it, and
    far better than the popularity list everyone gets."""
    data, user_groups, item_groups = clicks

    def share_of_group(name, group):
        liked = np.flatnonzero(item_groups == group)[:5]
        top = [data.items.index(item) for item, _ in
               fold_in_liked(trained[name], name, data.items, _liked(data, liked)).ranked(10)]
        return np.mean(item_groups[top] == group)

    for name in ("bpr", "gmf", "neumf", "als", "itemknn"):
        assert np.mean([share_of_group(name, g) for g in range(3)]) >= 0.7, name
    assert np.mean([share_of_group("popularity", g) for g in range(3)]) < 0.5


def test_item_knn_and_popularity_score_a_visitor_exactly_as_a_user_with_that_history(clicks, trained):
    data = clicks[0]
    split = leave_one_out(data, 0)
    users, items = split.train_pairs()
    history = np.sort(items[users == 5])
    visitor = fold_in_liked(trained["itemknn"], "itemknn", data.items, _liked(data, history))
    assert_float32_close(visitor.scores, trained["itemknn"].score_rows(torch.tensor([5]))[0].numpy())
    popular = fold_in_liked(trained["popularity"], "popularity", data.items, _liked(data, [1]))
    assert np.array_equal(popular.scores, np.bincount(items, minlength=data.n_items))


def test_the_same_seed_gives_the_same_scores(clicks, trained):
    data = clicks[0]
    once = fold_in_liked(trained["gmf"], "gmf", data.items, _liked(data, [2, 4]), seed=3)
    again = fold_in_liked(trained["gmf"], "gmf", data.items, _liked(data, [2, 4]), seed=3)
    assert np.array_equal(once.scores, again.scores)


@pytest.mark.parametrize("rated, words", [
    ([], "No items"),
    ([("item 999", 1)], "Unknown item 'item 999'"),
    ([("Item 1", 1)], "did you mean 'item 1'"),
    ([("item 1", 4)], "takes 1"),
    ([("item 1", 1), ("item 1", 1)], "twice"),
])
def test_bad_ticks_are_refused_with_what_and_what_to_do(clicks, rated, words):
    with pytest.raises(FoldInError) as caught:
        check_liked(clicks[0].items, rated)
    assert words in str(caught.value)


# ----- recommend DIR on a folder `fit --task ranking --out` wrote ------------------------------
@pytest.fixture(scope="module")
def ranking_run(tmp_path_factory, clicks):
    data = clicks[0]
    folder = tmp_path_factory.mktemp("ranking_run")
    rows = ["user,item,timestamp"] + [f"{data.users[u]},{data.items[i]},{t}" for u, i, t in
                                      zip(data.user_idx, data.item_idx, data.timestamps)]
    (folder / "clicks.csv").write_text("\n".join(rows), encoding="utf-8")
    assert main(["fit", str(folder / "clicks.csv"), "--task", "ranking", "--model", "gmf",
                 "--epochs", "5", "--out", str(folder / "run")]) == 0
    return folder / "run"


def test_recommend_on_a_ranking_run_prints_the_unliked_items_best_first(ranking_run, capsys):
    capsys.readouterr()
    assert main(["recommend", str(ranking_run), "--rate", "item 1=1", "--rate", "item 2=1",
                 "--n", "all"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"items", "seconds"} and out["seconds"] >= 0
    names = [row["item"] for row in out["items"]]
    assert len(names) == 58 and not {"item 1", "item 2"} & set(names)
    scores = [row["score"] for row in out["items"]]
    assert scores == sorted(scores, reverse=True)
    assert main(["recommend", str(ranking_run), "--rate", "item 1=1"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 10


@pytest.mark.parametrize("args, words", [
    (["--rate", "item 1=4"], "takes 1"),
    (["--rate", "nothing=1"], "Unknown item 'nothing'"),
    ([], "no --rate"),
    ([], "e.g. --rate 'ITEM=1'"),  # the value an interactions run takes, not a rating
    (["--rate", "item 1=abc"], "e.g. --rate 'ITEM=1'"),
    (["--rate", "item 1"], "e.g. --rate 'ITEM=1'"),
])
def test_recommend_on_a_ranking_run_refuses_bad_input_in_one_line(ranking_run, capsys, args, words):
    capsys.readouterr()
    assert main(["recommend", str(ranking_run), *args]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and words in lines[0]


def test_the_library_recommends_from_a_ranking_folder_as_the_command_line(ranking_run, capsys):
    capsys.readouterr()
    assert main(["recommend", str(ranking_run), "--rate", "item 1=1", "--rate", "item 5=1"]) == 0
    printed = json.loads(capsys.readouterr().out)
    library = recommend_from_folder(ranking_run, {"item 1": 1, "item 5": 1})
    assert library["items"] == printed["items"] and len(library["items"]) == 10


def test_fold_in_on_a_ranking_folder_says_what_it_is_and_what_to_call(ranking_run):
    with pytest.raises(FoldInError) as caught:
        fold_in(ranking_run, {"item 1": 1})
    said = str(caught.value)
    assert "interactions run (fit --task ranking)" in said and "recommend_from_folder" in said
    assert "not a model saved" not in said
