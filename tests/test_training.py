import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from recsys_core.data.split import kfold_masks, train_val_split
from recsys_core.models.defaults import suggest_configs
from recsys_core.training.trainer import EpochReport, Tick, TrainConfig, Trainer, fit
from tests.tolerance import FLOAT32_RTOL


def test_same_seed_gives_identical_numbers(structured):
    a = fit(structured, "nn", train=TrainConfig(epochs=20, seed=7))
    b = fit(structured, "nn", train=TrainConfig(epochs=20, seed=7))
    c = fit(structured, "nn", train=TrainConfig(epochs=20, seed=8))
    assert np.array_equal(a.predicted, b.predicted)
    assert [r.train_loss for r in a.history] == [r.train_loss for r in b.history]
    assert not np.array_equal(a.predicted, c.predicted)


def test_minibatch_training_is_deterministic_and_learns(structured):
    config = TrainConfig(epochs=30, batch_size=16, seed=3, lr=0.05)
    a = fit(structured, "mf", train=config)
    b = fit(structured, "mf", train=config)
    assert np.array_equal(a.predicted, b.predicted)
    assert a.history[-1].train_loss < a.history[0].train_loss


def test_reports_every_epoch_with_all_fields(structured):
    trainer = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                      TrainConfig(epochs=5, val_frac=0.2))
    reports = [e for e in trainer.run() if isinstance(e, EpochReport)]
    assert [r.epoch for r in reports] == [1, 2, 3, 4, 5]
    for r in reports:
        assert r.train_rmse == pytest.approx(math.sqrt(r.train_loss))
        assert r.val_rmse is not None and r.seconds >= 0
    assert trainer.status == "completed"


def test_stop_keeps_the_model_trained_so_far(structured):
    trainer = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                      TrainConfig(epochs=1000, val_frac=0.0))
    for event in trainer.run():
        if isinstance(event, EpochReport) and event.epoch == 3:
            trainer.stop()
    assert trainer.status == "stopped" and trainer.epochs_run == 3
    assert "3 epoch" in trainer.message
    result = trainer.result()
    assert result.status == "stopped" and result.epochs_run == 3
    # the partial model is the trained one, not a fresh one
    fresh = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                    TrainConfig(epochs=1, val_frac=0.0))
    assert not np.array_equal(result.predicted, fresh.result().predicted)


def test_abandoning_the_generator_keeps_progress(structured):
    """What the app sees when a click interrupts its script mid-loop."""
    trainer = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                      TrainConfig(epochs=50, val_frac=0.0))
    loop = trainer.run()
    for _ in range(4):
        next(loop)
    loop.close()
    assert trainer.epochs_run == 4
    trainer.stop()
    assert trainer.status == "stopped"


def test_long_epochs_send_ticks(structured, monkeypatch):
    import recsys_core.training.trainer as training

    monkeypatch.setattr(training, "TICK_SECONDS", 0.0)
    trainer = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                      TrainConfig(epochs=1, batch_size=4, val_frac=0.0))
    events = list(trainer.run())
    ticks = [e for e in events if isinstance(e, Tick)]
    assert ticks and ticks[-1].batches_total == math.ceil(structured.n_ratings / 4)
    assert isinstance(events[-1], EpochReport)


def test_divergence_stops_with_words_and_restores_the_last_good_model(structured):
    trainer = Trainer(structured, "nn", suggest_configs(structured, "nn")[0],
                      TrainConfig(epochs=200, lr=100, optimizer="adam", weight_decay=0))
    events = list(trainer.run())
    assert trainer.status == "diverged"
    assert "learning rate" in trainer.message and "too large" in trainer.message
    assert all(math.isfinite(e.train_loss) for e in events if isinstance(e, EpochReport))
    assert np.isfinite(trainer.result().predicted).all()


@pytest.mark.parametrize("lr", [5.0, 100.0])
def test_a_diverged_run_goes_back_to_the_weights_its_lowest_loss_was_measured_on(solo, lr):
    """Full batch: an epoch's loss is exactly the loss of the weights before its update, so
    the model put back must have exactly the lowest loss the history shows (not the weights
    after that epoch's update, which a too-large step may already have thrown to the scale's
    ends)."""
    from recsys_core.models import MFConfig

    trainer = Trainer(solo, "mf", MFConfig(dim=2),
                      TrainConfig(epochs=200, lr=lr, weight_decay=0.03, val_frac=0.0, seed=0))
    trainer.fit()
    assert trainer.status == "diverged"
    users, items, values = trainer._train_data
    with torch.no_grad():
        kept_loss = float(((trainer.model(users, items) - values) ** 2).mean())
    lowest = min(r.train_loss for r in trainer.history)
    # the loss recomputed here against the one training measured: two float32 paths
    assert kept_loss == pytest.approx(lowest, rel=FLOAT32_RTOL)
    epochs_kept = int(np.argmin([r.train_loss for r in trainer.history]))
    assert ("started from" in trainer.message) == (epochs_kept == 0)


def test_warm_start_continues_where_it_left(structured):
    mf_config, _ = suggest_configs(structured, "mf")
    config = TrainConfig(epochs=10, val_frac=0.0, seed=1)
    trainer = Trainer(structured, "mf", mf_config, config).fit()
    loss_before = trainer.history[-1].train_loss
    trainer.fit(epochs=10)
    assert trainer.epochs_run == 20 and trainer.history[-1].train_loss < loss_before
    # after an edited rating: a new trainer starting from the old model
    edited = structured.to_matrix()
    edited.iloc[0, 0] = 0.5
    from recsys_core.data.ratings import Ratings

    changed = Ratings.from_matrix(edited, scale=structured.scale)
    warm = Trainer(changed, "mf", mf_config, config, model=trainer.result().model)
    first = next(e for e in warm.run(1) if isinstance(e, EpochReport))
    cold = Trainer(changed, "mf", mf_config, config)
    first_cold = next(e for e in cold.run(1) if isinstance(e, EpochReport))
    assert first.train_loss < first_cold.train_loss


def test_early_stopping_keeps_the_best_epoch(structured):
    trainer = Trainer(structured, "nn", suggest_configs(structured, "nn")[0],
                      TrainConfig(epochs=2000, lr=0.1, weight_decay=0, val_frac=0.3, patience=5))
    trainer.fit()
    assert trainer.status == "early_stopped" and trainer.epochs_run < 2000
    best = min(r.val_rmse for r in trainer.history)
    # validation_rmse() on the kept weights: the function and weights that measured ``best``
    assert trainer.validation_rmse() == pytest.approx(best, abs=1e-6)
    assert "Kept the best model" in trainer.message


def test_early_stopping_waits_for_the_least_epochs(structured):
    """``min_epochs``: patience may not end a run before it; the best epoch is still kept."""
    model_config = suggest_configs(structured, "mf")[0]
    config = TrainConfig(epochs=300, lr=0.5, weight_decay=0, val_frac=0.3, patience=1)
    hasty = Trainer(structured, "mf", model_config, config).fit()
    assert hasty.status == "early_stopped"
    least = hasty.epochs_run + 5
    waited = Trainer(structured, "mf", model_config, replace(config, min_epochs=least)).fit()
    assert waited.epochs_run >= least
    assert [r.val_rmse for r in waited.history[:hasty.epochs_run]] == \
        pytest.approx([r.val_rmse for r in hasty.history])  # the same run, only longer
    best = min(r.val_rmse for r in waited.history)
    assert waited.validation_rmse() == pytest.approx(best, abs=1e-6)


def test_large_data_defaults_wait_out_a_rise_in_validation_error():
    """The bench's sparse synthetic set (issue 17): MF's validation error rises for its first
    epochs, then falls far below where it started; patience alone stopped it at epoch 3."""
    from recsys_core.data.synthetic import generate

    sparse = generate(2000, 1000, n_groups=8, missing=0.98, noise=0.5, seed=2)
    model_config, train = suggest_configs(sparse, "mf")
    assert train.min_epochs == 10 and train.patience is not None
    trainer = Trainer(sparse, "mf", model_config, train).fit()
    vals = [r.val_rmse for r in trainer.history]
    assert max(vals[1:4]) > vals[0]  # the rise
    assert trainer.validation_rmse() < vals[0] - 0.05  # waited out


def test_weight_decay_skips_layer_biases(structured):
    trainer = Trainer(structured, "nn", suggest_configs(structured, "nn")[0],
                      TrainConfig(weight_decay=0.5))
    groups = trainer.optimizer.param_groups
    decayed = {id(p) for p in groups[0]["params"]}
    named = dict(trainer.model.named_parameters())
    assert id(named["hidden.0.weight"]) in decayed and id(named["user_factors.weight"]) not in decayed
    assert id(named["head.bias"]) not in decayed and groups[1]["weight_decay"] == 0


def test_split_keeps_every_user_and_item_in_training(solo):
    for seed in range(20):
        is_val = train_val_split(solo, 0.3, seed)
        assert abs(is_val.sum() - round(0.3 * solo.n_ratings)) <= 6
        assert (np.bincount(solo.user_idx[~is_val], minlength=solo.n_users) > 0).all()
        assert (np.bincount(solo.item_idx[~is_val], minlength=solo.n_items) > 0).all()
    assert np.array_equal(train_val_split(solo, 0.3, 4), train_val_split(solo, 0.3, 4))


def test_kfold_partitions_the_ratings(solo):
    masks = kfold_masks(solo, 5, seed=0)
    assert np.array_equal(np.sum(masks, axis=0), np.ones(solo.n_ratings))
    assert all(np.array_equal(a, b) for a, b in zip(masks, kfold_masks(solo, 5, seed=0)))


def test_defaults_do_not_hang_on_the_luck_of_the_seed(solo):
    """The lecture's own MF (N(0,1) init, lr 0.1, k=2) lands in a poor fit for some seeds;
    the suggested defaults must beat predicting the average on held-out ratings every time."""
    worst_ratio = 0.0
    for seed in range(10):
        model_config, train = suggest_configs(solo, "mf")
        result = Trainer(solo, "mf", model_config,
                         TrainConfig(**{**train.__dict__, "seed": seed, "val_frac": 0.15})).fit().result()
        m = result.metrics()
        worst_ratio = max(worst_ratio, m["val_rmse"] / m["baseline_val_rmse"])
    assert worst_ratio < 0.5


def test_sparser_small_data_and_wider_scales_get_more_weight_decay(solo):
    """The lecture's matrix keeps 0.03; a sparse 1-to-5 set gets 0.1, the same on 1 to 10
    about (9/4)^2 times that; and on such a set the suggestion beats the old fixed 0.03 on
    held-out ratings (it lost to Cornac MF by 0.12 RMSE with it, issue 17)."""
    from dataclasses import replace

    from recsys_core.data.synthetic import generate
    from recsys_core.models import MODELS

    assert suggest_configs(solo, "mf")[1].weight_decay == 0.03
    five = generate(200, 150, n_groups=4, missing=0.85, noise=0.5, seed=7)
    ten = generate(200, 150, n_groups=4, missing=0.85, noise=1.0, seed=7, scale=(1.0, 10.0))
    assert suggest_configs(five, "mf")[1].weight_decay == 0.1
    assert suggest_configs(ten, "mf")[1].weight_decay == pytest.approx(0.1 * (9 / 4) ** 2, abs=1e-3)
    large_ten = generate(600, 400, n_groups=4, missing=0.9, seed=7, scale=(1.0, 10.0))
    recipe = MODELS["mf"].large_data.weight_decay  # chosen on MovieLens' 4.5-point scale
    assert suggest_configs(large_ten, "mf")[1].weight_decay == pytest.approx(recipe * 4, abs=1e-4)
    model_config, train = suggest_configs(ten, "mf")
    train = replace(train, epochs=100)
    suggested = Trainer(ten, "mf", model_config, train).fit().result().metrics()["val_rmse"]
    old = Trainer(ten, "mf", model_config, replace(train, weight_decay=0.03)).fit()
    assert suggested < old.result().metrics()["val_rmse"] - 0.05


def test_runs_on_the_device_it_is_given(structured):
    trainer = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                      TrainConfig(epochs=2), device="cpu")
    assert next(trainer.model.parameters()).device == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                   TrainConfig(epochs=1)).device.type == expected


def test_the_batch_grows_with_tables_larger_than_it_and_the_learning_rate_with_it():
    """Each Adam step passes over the whole tables: with a fixed batch, an epoch on 10 times
    the ratings (and ~3 times the rows) would cost ~30 times as much."""
    from types import SimpleNamespace

    from recsys_core.models.defaults import LARGE_BATCH, LARGEST_BATCH, suggest_batch

    assert suggest_batch(100_836, 610 + 9_724) == LARGE_BATCH  # MovieLens latest-small
    assert suggest_batch(1_000_000, 6_636) == LARGE_BATCH
    assert suggest_batch(10_000_000, 21_000) == 32_768
    assert suggest_batch(10_000_000, 500_000) == LARGEST_BATCH
    assert suggest_batch(30_000, 40_000) == 4_096  # about a tenth: no growth beyond it
    assert suggest_batch(15_000, 40_000) is None
    big = SimpleNamespace(n_ratings=10_000_000, n_users=20_000, n_items=1_000, scale=(1.0, 5.0))
    small = SimpleNamespace(n_ratings=1_000_000, n_users=6_320, n_items=316, scale=(1.0, 5.0))
    for model in ("mf", "neumf"):
        big_train, small_train = suggest_configs(big, model)[1], suggest_configs(small, model)[1]
        assert big_train.batch_size == 4 * small_train.batch_size
        assert big_train.lr == pytest.approx(2 * small_train.lr)


def test_large_data_shuffles_blocks_every_rating_once_and_small_data_as_before(monkeypatch):
    """From BLOCK_SHUFFLE_MIN ratings on an epoch reorders blocks of a once-shuffled copy: each
    rating is still used exactly once an epoch, in an order that changes every epoch."""
    import recsys_core.training.trainer as training
    from recsys_core.data.synthetic import generate_long

    ratings = generate_long(30_000, 1_000, 60, seed=0)
    model_config, train = suggest_configs(ratings, "mf")
    plain = Trainer(ratings, "mf", model_config, train)
    monkeypatch.setattr(training, "BLOCK_SHUFFLE_MIN", 10_000)
    monkeypatch.setattr(training, "SHUFFLE_BLOCK", 100)
    blocked = Trainer(ratings, "mf", model_config, train)
    assert blocked._blocks and not plain._blocks
    n = blocked.n_train
    first, second = blocked._epoch_order(n), blocked._epoch_order(n)
    for order in (first, second):
        assert torch.equal(torch.sort(order).values, torch.arange(n))
    assert not torch.equal(first, second)
    assert (first[1:100] - first[:99] == 1).all()  # a block is read in order
    # the once-shuffled copy holds the same ratings
    as_set = lambda t: sorted(zip(*(x.tolist() for x in t)))  # noqa: E731
    assert as_set(blocked._train_data) == as_set(plain._train_data)
    blocked.fit(2)
    assert blocked.history[-1].val_rmse < blocked.history[0].val_rmse + 0.05


def test_a_loss_near_zero_is_not_called_diverged():
    """One rating, learnt almost exactly: the loss wobbling from 1e-6 up to 1e-3 is hundreds of
    times "where it began" but still far better than knowing nothing; not a divergence."""
    import pandas as pd

    from recsys_core.data.ratings import Ratings
    from recsys_core.models import MFConfig

    one = Ratings.from_long(pd.DataFrame({"user": ["a"], "item": ["x"], "rating": [4.0]}),
                            scale=(0.0, 5.0))
    trainer = Trainer(one, "mf", MFConfig(dim=2),
                      TrainConfig(epochs=300, lr=0.1, weight_decay=0.0, val_frac=0.0, seed=0))
    trainer.fit()
    losses = [r.train_loss for r in trainer.history]
    assert max(losses[1:]) < 0.0625  # never worse than 0.25 stars
    assert trainer.status == "completed", trainer.message
    assert "diverged" not in trainer.message


def test_a_loss_far_above_knowing_nothing_is_still_diverged(structured):
    trainer = Trainer(structured, "mf", suggest_configs(structured, "mf")[0],
                      TrainConfig(epochs=200, lr=50.0, weight_decay=0.0, val_frac=0.0, seed=0))
    trainer.fit()
    assert trainer.status == "diverged"
    assert trainer.history[-1].train_loss > trainer._diverge_floor()


def test_large_data_defaults_stop_when_validation_stops_improving():
    """Issue 13: NeuMF's fixed 10 epochs stopped while its validation error still fell."""
    from recsys_core.data.synthetic import generate
    from recsys_core.models import defaults

    big = generate(300, 200, missing=0.6, seed=3)  # 24,000 ratings: the large-data recipes
    assert big.n_ratings > defaults.FULL_BATCH_LIMIT
    model_config, train = suggest_configs(big, "neumf")
    assert train.patience == defaults.PATIENCE and train.val_frac > 0
    assert train.epochs == defaults.EPOCHS_CAP * 10
    trainer = Trainer(big, "neumf", model_config, train).fit()
    vals = [r.val_rmse for r in trainer.history]
    best = int(np.argmin(vals))
    if trainer.status == "early_stopped":  # PATIENCE epochs without a better one, not before
        assert len(vals) == max(best + 1 + defaults.PATIENCE, train.min_epochs)  # min_epochs
        assert trainer.validation_rmse() == pytest.approx(vals[best], abs=1e-6)
    else:
        assert trainer.epochs_run == train.epochs
    assert len(vals) > 10 or best < 10 - defaults.PATIENCE  # not cut at 10 while still falling


# ----- no warm-up tax: the fast path's Adam without torch.optim (issue 17) ----------------
@pytest.mark.parametrize("name,optimizer", [("mf", "adam"), ("nn", "adam"), ("mf", "adamw")])
def test_fast_path_adam_is_torch_fused_adam_to_the_last_bit(name, optimizer):
    """The fast path's own Adam runs torch.optim's fused kernel with torch.optim's state:
    the same weights after every step, exactly (NN: layer weights decayed by the optimiser,
    biases not)."""
    from recsys_core.models import MODELS, build_model
    from recsys_core.training import fast_adam
    from recsys_core.training.trainer import _make_optimizer

    train = TrainConfig(lr=0.03, weight_decay=0.2, optimizer=optimizer)
    models = []
    for _ in range(2):
        torch.manual_seed(0)
        models.append(build_model(name, MODELS[name].config_cls(dim=64), 700, 300, (1.0, 5.0),
                                  3.0))
    ours = _make_optimizer(models[0], train)
    assert isinstance(ours, fast_adam.FusedAdam)
    names = {id(p): n for n, p in models[0].named_parameters()}
    twin = dict(models[1].named_parameters())
    theirs = (torch.optim.AdamW if optimizer == "adamw" else torch.optim.Adam)(
        [{"params": [twin[names[id(p)]] for p in g["params"]], "weight_decay": g["weight_decay"]}
         for g in ours.param_groups], lr=train.lr, fused=True)
    generator = torch.Generator().manual_seed(1)
    for _ in range(4):
        users = torch.randint(0, 700, (256,), generator=generator)
        items = torch.randint(0, 300, (256,), generator=generator)
        target = torch.rand(256, generator=generator) * 4 + 1
        for model, opt in zip(models, (ours, theirs)):
            torch.nn.functional.mse_loss(model.forward_regularised(users, items, 0.1),
                                         target).backward()
            opt.step()
            opt.zero_grad()
    for (key, a), b in zip(models[0].state_dict().items(), models[1].state_dict().values()):
        assert torch.equal(a, b), key
    assert int(next(iter(ours.state.values()))["step"]) == 4


def test_a_fresh_process_fits_large_data_without_importing_the_compiler():
    """torch.optim's first optimiser imports torch._dynamo (0.8 s, most of the first fit's
    warm-up); the fast path must not."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from recsys_core.data.synthetic import generate_long\n"
            "from recsys_core.training.trainer import TrainConfig, fit\n"
            "from recsys_core.models.mf import MFConfig\n"
            "ratings = generate_long(30_000, 2000, 100, seed=0)\n"
            "fit(ratings, 'mf', MFConfig(dim=64), TrainConfig(epochs=1, batch_size=4096))\n"
            "print('torch._dynamo' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, cwd=__file__.rsplit("/tests/", 1)[0])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"



# ----- MF's alternating-least-squares solver ------------------------------------------------
def _objective(trainer):
    """The gradient path's objective summed over an epoch: squared errors plus weight decay
    times each rating's rows, squared (``forward_with_penalty``)."""
    users, items, values = trainer._train_data
    predicted, penalty = trainer.model.forward_with_penalty(users, items)
    return ((predicted - values) ** 2).sum() + trainer.train.weight_decay * penalty.sum()


def test_als_minimises_the_objective_the_gradient_path_minimises(structured):
    """At ALS's fixed point the gradient of the gradient path's own objective is zero: both
    solvers aim at one optimum, ALS by batched Gauss-Newton steps per user and per item."""
    from recsys_core.models.mf import MFConfig

    train = TrainConfig(epochs=40, weight_decay=0.05, val_frac=0.2, seed=2)
    trainer = Trainer(structured, "mf", MFConfig(dim=3, solver="als"), train)
    start = torch.autograd.grad(_objective(trainer), list(trainer.model.parameters()))
    trainer.fit()
    end = torch.autograd.grad(_objective(trainer), list(trainer.model.parameters()))
    size = lambda grads: float(sum((g * g).sum() for g in grads).sqrt())  # noqa: E731
    assert size(end) < 1e-2 * size(start)
    losses = [r.train_loss for r in trainer.history]
    assert losses[-1] < 0.2 * losses[0] and trainer.status == "completed"
    again = Trainer(structured, "mf", MFConfig(dim=3, solver="als"), train).fit()
    assert [r.train_loss for r in again.history] == losses  # seeded: the same numbers


def test_als_leaves_cold_rows_alone_and_stops_like_any_run(structured):
    from recsys_core.models.mf import MFConfig

    trainer = Trainer(structured, "mf", MFConfig(dim=2, solver="als"),
                      TrainConfig(epochs=5, val_frac=0.0))
    for event in trainer.run():
        if isinstance(event, EpochReport) and event.epoch == 2:
            trainer.stop()
    assert trainer.epochs_run == 2 and trainer.status == "stopped"
