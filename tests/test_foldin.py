"""Fold-in (issue 15): a new user's recommendations from a few ratings, without retraining.

The claims tested: MF's closed form is the minimiser of the objective its docstring states
(gradient ~0 there, every perturbation raises it); the networks' gradient steps change the
visitor's rows and nothing else (every weight bit-identical); the top-N, "because" and map
position are the Results page's; bad ratings are refused with what to do; the command line
prints its exact JSON shape and exits 2 on bad input with one line.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from recsys_core.cli import main
from recsys_core.data.synthetic import generate
from recsys_core.models import MODELS
from recsys_core.models import mf as mf_module
from recsys_core.models.base import OutputConfig, RatingOutput, fold_in_by_steps
from recsys_core.recommend import recommend_from_folder
from recsys_core.results.trained_run import BECAUSE_FEW, BECAUSE_POPULAR
from recsys_core.training import foldin
from recsys_core.training.foldin import FoldInError, compare_with_retrain, fold_in, load_run, run_of
from recsys_core.training.trainer import TrainConfig, Trainer
from tests.test_cli import SOLO, cli
from tests.tolerance import FLOAT32_ROUNDING, assert_float32_close

NAMES = list(MODELS)


def _small(name: str):
    config = MODELS[name].config_cls()
    return replace(config, dim=3) if hasattr(config, "dim") else config


def _train(ratings, name: str, epochs: int = 60, decay: float = 0.05, config=None):
    train = TrainConfig(epochs=epochs, lr=0.05, weight_decay=decay, val_frac=0.1, seed=3)
    return Trainer(ratings, name, config or _small(name), train).fit().result()


@pytest.fixture(scope="module")
def data():
    return generate(24, 12, n_groups=2, missing=0.3, seed=4)


@pytest.fixture(scope="module")
def runs(data):
    return {name: _train(data, name) for name in NAMES}


def _visitor(data) -> dict[str, float]:
    """Five ratings: high for one kind of item, low for the other."""
    return {data.items[0]: 5.0, data.items[2]: 4.5, data.items[1]: 1.0, data.items[3]: 1.5,
            data.items[4]: 4.0}


# ----- MF: the closed form is the minimiser it claims to be ----------------------------------
def _output_map(model, score):
    """g(s) and g'(s) of the output, written out from RatingOutput's docstring."""
    out = model.out
    squashed = torch.sigmoid(score + out.offset)
    return out.low + (out.high - out.low) * squashed, (out.high - out.low) * squashed * (
        1 - squashed)


def _closed_form_objective(model, items, values, decay, theta):
    """J(θ) = Σ_i w_i (p·q_i + b + b_i - s*_i)² + decay·n·|θ|², written from the docstring
    (s*_i: the score whose output is the clipped rating, w_i: the output's slope there,
    squared), not from the library's helper."""
    out = model.out
    share = ((values - out.low) / (out.high - out.low)).clamp(0.01, 0.99)
    wanted = torch.log(share / (1 - share)) - out.offset
    slope = _output_map(model, wanted)[1]
    q = model.item_factors.weight.detach().double()[items]
    b_i = model.item_bias.weight.detach().double()[items, 0]
    score = q @ theta[:-1] + theta[-1] + b_i
    return (slope**2 * (score - wanted) ** 2).sum() + decay * len(values) * (theta**2).sum()


def _training_objective(model, items, values, decay, theta):
    """F(θ) = Σ_i (g(p·q_i + b + b_i) - y_i)² + decay·n·|θ|²: the run's training objective
    with every weight but the visitor's fixed (the per-rating L2 weighs their rows n times)."""
    q = model.item_factors.weight.detach().double()[items]
    b_i = model.item_bias.weight.detach().double()[items, 0]
    predicted = _output_map(model, q @ theta[:-1] + theta[-1] + b_i)[0]
    return ((predicted - values) ** 2).sum() + decay * len(values) * (theta**2).sum()


def _assert_minimum(objective, theta, gradient_tol, sizes=(1e-3, 1e-2, 1e-1)):
    theta = theta.detach().clone().requires_grad_(True)
    best = objective(theta)
    (gradient,) = torch.autograd.grad(best, theta)
    best = float(best.detach())
    assert float(gradient.abs().max()) < gradient_tol * max(1.0, best), gradient
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for size in sizes:
            for _ in range(20):
                step = torch.randn(theta.shape, generator=generator, dtype=torch.float64) * size
                assert objective(theta + step) > best
    return best


CASES = [("scale", 0.05), ("scale", 0.5), ("top", 0.05), ("scale", 0.0)]


@pytest.fixture(scope="module")
def mf_models(data):
    return {output: _train(data, "mf", config=replace(MODELS["mf"].config_cls(), dim=3,
                                                       output=output)).model
            for output in ("scale", "top")}


def _some_ratings():
    return (torch.tensor([0, 2, 1, 3, 4, 7, 9]),
            torch.tensor([5.0, 4.5, 1.0, 1.5, 4.0, 2.0, 3.0], dtype=torch.float64))


@pytest.mark.parametrize("output, decay", CASES)
def test_mf_closed_form_is_the_minimiser_of_its_objective(mf_models, output, decay):
    model = mf_models[output]
    items, values = _some_ratings()
    theta = mf_module.solve(model, items, values.float(), decay, refine=0)
    assert theta.dtype == torch.float64
    rows = mf_module.fold_in(model, items, values.float(), decay, refine=0)
    assert torch.equal(torch.cat([rows["user_factors"][0], rows["user_bias"][0]]), theta.float())
    _assert_minimum(lambda t: _closed_form_objective(model, items, values, decay, t), theta,
                    1e-9, sizes=(1e-3, 1e-1, 1.0))


@pytest.mark.parametrize("output, decay", CASES)
def test_mf_fold_in_is_the_minimiser_of_the_training_objective(mf_models, output, decay):
    """The Gauss-Newton steps after the closed form end where the training objective's own
    gradient is zero, lower than the closed form alone."""
    model = mf_models[output]
    items, values = _some_ratings()
    objective = lambda t: _training_objective(model, items, values, decay, t)  # noqa: E731
    refined = mf_module.solve(model, items, values.float(), decay)
    closed = mf_module.solve(model, items, values.float(), decay, refine=0)
    best = _assert_minimum(objective, refined, 1e-6)
    assert best <= float(objective(closed))


def test_mf_closed_form_regularises_a_row_decay_times_its_ratings(data):
    """More ratings of the same kind weigh the data more against the same per-rating L2:
    with every rating repeated the solution is the same (λ = decay·n grows with n)."""
    model = _train(data, "mf", config=replace(MODELS["mf"].config_cls(), dim=3)).model
    items = torch.tensor([0, 2, 1, 3])
    values = torch.tensor([5.0, 4.5, 1.0, 1.5])
    once = mf_module.fold_in(model, items, values, 0.2)
    twice = mf_module.fold_in(model, items.repeat(2), values.repeat(2), 0.2)
    for name in once:
        assert_float32_close(twice[name], once[name])


def test_the_output_map_is_inverted():
    out = RatingOutput((1.0, 5.0), 3.2, OutputConfig())
    ratings = torch.tensor([1.0, 2.5, 3.2, 5.0], dtype=torch.float64)
    assert_float32_close(out(out.inverse(ratings)), ratings)
    score = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
    (numeric,) = torch.autograd.grad(out(score).sum(), score)
    assert_float32_close(out.slope(score.detach()), numeric)
    lecture = RatingOutput((0.0, 5.0), 3.0, replace(OutputConfig(), output="top"))
    assert torch.isfinite(lecture.inverse(torch.tensor([0.0, 5.0]))).all()  # clipped, finite


def test_baseline_closed_form_is_the_minimiser(runs, data):
    model = runs["baseline"].model
    items = torch.tensor([0, 1, 5])
    values = torch.tensor([4.0, 2.0, 3.5])
    decay = 0.05
    bias = MODELS["baseline"].fold_in(model, items, values, decay)["user_bias"].double()
    b_i = model.item_bias.weight.detach().double()[items, 0]

    def objective(b):
        return ((model.mean + b + b_i - values.double()) ** 2).sum() + decay * 3 * b**2

    b = bias[0, 0].clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(objective(b), b)
    b = b.detach()
    # the bias is stored in float32: off the minimiser by at most a rounding of b, where
    # the gradient is the curvature 2·n·(1 + decay) times that
    rounding = 2 * 3 * (1 + decay) * abs(float(b)) * FLOAT32_ROUNDING
    assert abs(float(gradient)) <= 2 * rounding + 1e-12
    assert objective(b + 1e-3) > objective(b) < objective(b - 1e-3)


# ----- every model: frozen weights stay frozen ------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_fold_in_changes_nothing_in_the_model(runs, data, name):
    model = runs[name].model
    model.train()  # as a model in the middle of training would be
    before = {k: v.clone() for k, v in model.state_dict().items()}
    visitor = fold_in(runs[name], _visitor(data))
    assert model.training, "the model's mode is left as it was"
    for key, tensor in model.state_dict().items():
        assert torch.equal(tensor, before[key]), key  # bit for bit
    assert all(p.grad is None for p in model.parameters())
    model.eval()
    assert set(visitor.rows) == set(model.user_tables)
    for table, row in visitor.rows.items():
        assert row.shape == (1, getattr(model, table).embedding_dim) and not row.requires_grad
    assert np.isfinite(visitor.predictions).all() and visitor.predictions.shape == (data.n_items,)


def test_gradient_steps_minimise_the_training_objective(runs, data):
    """NeuMF's rows from the steps: no small move of them lowers the restricted training
    objective (mse + decay · penalty, as Trainer computes it)."""
    model = runs["neumf"].model
    items = torch.tensor([0, 2, 1, 3, 4])
    values = torch.tensor([5.0, 4.5, 1.0, 1.5, 4.0])
    rows = fold_in_by_steps(model, items, values, 0.05, steps=200)

    @torch.no_grad()
    def objective(candidate):
        with model.visiting(candidate):
            predicted, penalty = model.forward_with_penalty(torch.zeros_like(items), items)
        return float(torch.nn.functional.mse_loss(predicted, values) + 0.05 * penalty.mean())

    best = objective(rows)
    generator = torch.Generator().manual_seed(1)
    for _ in range(20):
        moved = {k: v + 1e-2 * torch.randn(v.shape, generator=generator) for k, v in rows.items()}
        assert objective(moved) >= best - 1e-6


def test_neumfs_visitor_scores_are_its_forward_pass_for_the_visitor(runs, data):
    """The shortcut fold-in steps through (the items' side worked out once) predicts what
    the forward pass predicts for the visitor, and gives their rows a gradient."""
    model = runs["neumf"].model.eval()
    items = torch.arange(data.n_items)
    generator = torch.Generator().manual_seed(0)
    rows = {name: torch.randn(1, getattr(model, name).embedding_dim, generator=generator,
                              requires_grad=True) for name in model.user_tables}
    with model.visiting(rows):
        expected = model(torch.zeros_like(items), items)
    got = model.visitor_scores(items)(rows)
    assert torch.allclose(got, expected, atol=1e-6)
    grads = torch.autograd.grad(got.sum(), list(rows.values()))
    assert all(g.abs().sum() > 0 for g in grads)


@pytest.mark.parametrize("name", NAMES)
def test_an_existing_users_ratings_give_back_their_predictions(name):
    """Folded in from their own training ratings, a user of a well-trained run gets back
    about the predictions the run has for them: the fold-in solves the same problem the
    training solved for that user's rows (MF's closed form to first order)."""
    data = generate(16, 10, n_groups=2, missing=0.2, seed=2)
    # Adam's weight decay on the layers pins MLP to a constant at 0.02: a smaller one there
    result = _train(data, name, epochs=200, decay=0.001 if name == "mlp" else 0.02)
    for user in (0, 7):
        assert result.predicted[user].std() > 0.3, "the run learnt something to give back"
        mine = (data.user_idx == user) & ~result.is_val
        rated = list(zip((data.items[i] for i in data.item_idx[mine]), data.values[mine]))
        visitor = fold_in(result, rated)
        off = np.abs(visitor.predictions - result.predicted[user]).mean()
        assert off < 0.05, (name, user, off)


# ----- what the visitor sees ------------------------------------------------------------------
def test_top_n_lists_the_unrated_items_best_first_with_because(runs, data):
    visitor = fold_in(runs["mf"], _visitor(data))
    top = visitor.top_n(4)
    assert list(top.columns) == ["rank", "item", "score", "because"]
    assert list(top["rank"]) == [1, 2, 3, 4]
    assert not set(top["item"]) & set(_visitor(data))
    assert (np.diff(top["score"]) <= 0).all()
    every = visitor.top_n(None)
    assert len(every) == data.n_items - 5 and list(every["item"][:4]) == list(top["item"])
    scores = dict(zip(every["item"], every["score"]))
    for item, score in scores.items():
        assert score == visitor.predictions[data.items.index(item)]
    liked = {data.items[0], data.items[2], data.items[4]}  # above their own average (3.2)
    for reason in top["because"]:
        named = set(reason.split(", "))
        assert len(named) == 2 and named <= liked, reason
    few = fold_in(runs["mf"], {data.items[0]: 5.0})
    assert set(few.top_n(3)["because"]) == {BECAUSE_FEW} and few.n_ratings == 1
    base = fold_in(runs["baseline"], _visitor(data))
    assert set(base.top_n(3)["because"]) == {BECAUSE_POPULAR} and base.position is None
    assert visitor.top_n(3, because_items=0).columns.tolist() == ["rank", "item", "score"]


def test_items_json_is_the_command_lines(runs, data):
    visitor = fold_in(runs["mf"], _visitor(data))
    shown = visitor.items_json(3)
    assert [set(row) for row in shown] == [{"item", "score"}] * 3
    assert [row["item"] for row in shown] == list(visitor.top_n(3)["item"])
    assert len(visitor.items_json(None)) == data.n_items - 5


@pytest.mark.parametrize("name", ["mf", "neumf"])
def test_the_position_is_on_the_runs_own_map(runs, data, name):
    """A visitor with an existing user's rows sits where the map draws that user."""
    result = runs[name]
    model = result.model
    user = 5
    rows = {table: getattr(model, table).weight[user:user + 1].detach()
            for table in model.user_tables}
    visitor = foldin.FoldIn(run_of(result), np.array([0]), np.array([4.0]), rows,
                            np.zeros(data.n_items), 0.0)
    frame = result.embeddings_2d()
    drawn = frame[(frame["kind"] == "user") & (frame["label"] == data.users[user])]
    assert_float32_close(visitor.position, drawn[["x", "y"]].to_numpy()[0])


def test_visiting_with_an_existing_users_rows_predicts_like_that_user(runs, data):
    for name, result in runs.items():
        model = result.model
        rows = {t: getattr(model, t).weight[3:4].detach() for t in model.user_tables}
        again = foldin.visitor_predictions(model, rows, data.n_items)
        assert_float32_close(again, result.predicted[3], err_msg=name)
        vector = model.visitor_vector(rows)
        own = model.user_vectors()
        assert (vector is None) == (own is None), name
        if own is not None:
            assert torch.equal(vector[0], own[3]), name


def test_how_sure_and_how(runs, data):
    visitor = fold_in(runs["mf"], _visitor(data))
    assert visitor.n_ratings == 5 and visitor.method == "closed form" and visitor.seconds > 0
    assert fold_in(runs["nn"], _visitor(data)).method == "gradient steps"
    train = ~runs["mf"].is_val
    per_user = np.bincount(data.user_idx[train], minlength=data.n_users)
    assert run_of(runs["mf"]).typical_ratings == float(np.median(per_user))


# ----- bad ratings ----------------------------------------------------------------------------
@pytest.mark.parametrize("rated, code, words", [
    ({}, "no_ratings", "at least one"),
    ({"nope": 3.0}, "unknown_item", "nope"),
    ({"item 1 ": 3.0}, "unknown_item", "did you mean 'item 1'"),  # matched exactly
    ({"ITEM 12": 3.0}, "unknown_item", "did you mean 'item 12'"),
    ({"tem 1": 3.0}, "unknown_item", "did you mean 'item 1'"),
    ({"zzz": 3.0}, "unknown_item", "no item of exactly that name (12 items)"),
    ({"item 1": 7.0}, "off_scale", "1 to 5"),
    ({"item 1": math.nan}, "off_scale", "1 to 5"),
    ({"item 1": "4점"}, "off_scale", "4점"),
    ([("item 1", 3.0), ("item 1", 4.0)], "rated_twice", "item 1"),
])
def test_bad_ratings_are_refused_with_what_to_do(runs, rated, code, words):
    with pytest.raises(FoldInError) as caught:
        fold_in(runs["mf"], rated)
    assert caught.value.code == code and words in caught.value.message
    assert "What to do:" in caught.value.message
    korean = caught.value.render("ko")  # the app says it wholly in Korean, labels as given
    assert "해결 방법:" in korean and "What to do" not in korean and "Unknown" not in korean


def test_a_run_folder_folds_in_as_the_result_does(runs, data, tmp_path):
    runs["mf"].save(tmp_path / "model.pt")
    from_folder = fold_in(tmp_path, _visitor(data))
    from_result = fold_in(runs["mf"], _visitor(data))
    assert np.array_equal(from_folder.predictions, from_result.predictions)
    assert load_run(tmp_path).train_config == runs["mf"].train_config
    with pytest.raises(FoldInError, match="fit --out"):
        load_run(tmp_path / "nothing")
    with pytest.raises(FoldInError) as caught:
        compare_with_retrain(from_folder.run, from_folder)
    assert caught.value.code == "no_data"


# ----- honest: against a retrain ----------------------------------------------------------------
def test_compare_with_retrain(runs, data):
    result = runs["mf"]
    visitor = fold_in(result, _visitor(data))
    compared = compare_with_retrain(result, visitor, n=3)
    again = compared.retrained
    assert again.ratings.n_users == data.n_users + 1 and again.ratings.users[-1] == "visitor"
    assert again.model_config == result.model_config and again.train_config == result.train_config
    assert again.is_val.sum() == result.is_val.sum() and not again.is_val[-5:].any()
    assert compared.n == 3 and len(compared.fold_in_top) == len(compared.retrained_top) == 3
    assert compared.shared == len(set(compared.fold_in_top) & set(compared.retrained_top))
    assert compared.overlap == compared.shared / 3
    assert compared.fold_in_top == list(visitor.top_n(3)["item"])
    unrated = [k for k in range(data.n_items) if data.items[k] not in _visitor(data)]
    diff = np.abs(visitor.predictions[unrated] - again.predicted[-1, unrated])
    assert compared.mean_abs_diff == pytest.approx(diff.mean())
    assert compared.retrain_seconds > 0


# ----- the command line -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def solo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("solo_run")
    assert main(["fit", str(SOLO), "--model", "mf", "--epochs", "60", "--seed", "1",
                 "--rating-range", "0,5", "--out", str(out)]) == 0
    return out


def test_recommend_prints_the_exact_json(solo_run):
    done = cli("recommend", solo_run, "--rate", "영수(EN)=5", "--rate", "광수(IS)=1",
               "--rate", "영식(IN)=4.5")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"items", "seconds"} and out["seconds"] >= 0
    assert all(set(row) == {"item", "score"} for row in out["items"])
    solo_items = load_run(solo_run).items
    assert len(out["items"]) == len(solo_items) - 3  # 5 unrated, fewer than the default 10
    assert not {row["item"] for row in out["items"]} & {"영수(EN)", "광수(IS)", "영식(IN)"}
    scores = [row["score"] for row in out["items"]]
    assert scores == sorted(scores, reverse=True)
    expected = fold_in(solo_run, {"영수(EN)": 5, "광수(IS)": 1, "영식(IN)": 4.5}).items_json(None)
    assert out["items"] == expected
    library = recommend_from_folder(solo_run, {"영수(EN)": 5, "광수(IS)": 1, "영식(IN)": 4.5}, None)
    assert library["items"] == expected and set(library) == {"items", "seconds"}


def test_recommend_n(solo_run, capsys):
    assert main(["recommend", str(solo_run), "--rate", "영수(EN)=5", "--n", "2"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 2
    assert main(["recommend", str(solo_run), "--rate", "영수(EN)=5", "--n", "all"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 7


@pytest.mark.parametrize("args, words", [
    ([], "no --rate"),
    ([], "e.g. --rate 'ITEM=5'"),  # a rating on the run's scale (0 to 5)
    (["--rate", "영수(EN)=많이"], "e.g. --rate 'ITEM=5'"),
    (["--rate", "없는사람=3"], "없는사람"),
    (["--rate", "영수=3"], "did you mean '영수(EN)'"),
    (["--rate", "영수(EN)=9"], "off the run's scale"),
    (["--rate", "영수(EN)=많이"], "not a number"),
    (["--rate", "영수(EN)"], "ITEM=VALUE"),
    (["--rate", "영수(EN)=3", "--rate", "영수(EN)=4"], "twice"),
    (["--rate", "영수(EN)=3", "--n", "0"], "--n"),
])
def test_recommend_bad_input_exits_2_with_one_line(solo_run, capsys, args, words):
    assert main(["recommend", str(solo_run), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and lines[0].startswith("error: ")


def test_recommend_from_a_folder_without_a_run(tmp_path, capsys):
    assert main(["recommend", str(tmp_path), "--rate", "a=3"]) == 2
    err = capsys.readouterr().err
    assert "model.pt" in err and "fit --out" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "model.pt").write_bytes(b"not a model")
    assert main(["recommend", str(tmp_path), "--rate", "a=3"]) == 2
    assert "not a model saved" in capsys.readouterr().err


# ----- the benchmark --------------------------------------------------------------------------
def test_the_benchmark_runs_and_writes_only_its_section(tmp_path):
    from bench import foldin as bench_foldin
    from bench import report

    out = tmp_path / "BENCH.md"
    out.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    assert bench_foldin.main(["--smoke", "--models", "mf,baseline", "--users", "4", "--out",
                              str(out), "--json", str(tmp_path / "f.json")]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept as it is\n")
    section = text.split(bench_foldin.START, 1)[1].split(bench_foldin.END, 1)[0]
    for part in ("## Fold-in", "Smoke run", "| mf | closed form |", "closed form alone",
                 "| baseline | closed form |", "Targets"):
        assert part in section, part
    again = tmp_path / "AGAIN.md"
    again.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    assert bench_foldin.main(["--render", str(tmp_path / "f.json"), "--out", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == text
    # python -m bench rewrites the file around it and keeps it
    kept = report.keep_other_sections(text, "# Benchmarks\n\nnew\n")
    assert section in kept and "new" in kept
