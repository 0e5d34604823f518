"""Show the code: the exported script, run in a subprocess, predicts what the app predicted.

Each case trains with the library (as the app does), exports the script, runs it with a fresh
Python in a folder where ``data/`` is the app's data folder, and compares every cell's
prediction with the app's to 1e-4.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recsys_core.data.ratings import Ratings
from recsys_core.data.samples import SAMPLES, load_sample
from recsys_core.models import MODELS, MFConfig, NeuMFConfig, NNConfig
from recsys_core.results import codegen
from recsys_core.results.codegen import Segment, Stage, plan
from recsys_core.teaching.presets import PRESETS
from recsys_core.training.trainer import EpochReport, TrainConfig, Trainer
from tests.tolerance import assert_rounds_to

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-4


def run_script(script: codegen.Script, folder: Path) -> np.ndarray:
    """Run the exported code as a student would, and read back its filled-in matrix."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "data").exists():
        (folder / "data").symlink_to(ROOT / "data")
    for name, data in script.files.items():
        (folder / name).write_bytes(data)
    out = folder / "predicted.npy"
    code = script.code + f"\nnp.save({str(out)!r}, yhat_all.double().numpy())\n"
    (folder / "exported.py").write_text(code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # no library import
    done = subprocess.run([sys.executable, "exported.py"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return np.load(out)


def trained(ratings, model, config, train, calls=(None,)):
    """Train as the app does (Train, then Continue for each further entry of ``calls``)."""
    trainer = Trainer(ratings, model, config, train)
    recorded = []
    for epochs in calls:
        recorded.append((trainer.epochs_run, train.epochs if epochs is None else epochs))
        trainer.fit(epochs)
    return trainer, recorded


def assert_reproduced(tmp_path, stages, predicted):
    script = codegen.generate(stages, title="#1")
    ast.parse(script.code)
    ours = run_script(script, tmp_path)
    assert ours.shape == predicted.shape
    assert np.nanmax(np.abs(ours - predicted)) < TOLERANCE, np.nanmax(np.abs(ours - predicted))
    script.predicted = ours
    return script


def small(seed=0, missing=0.3, n_users=10, n_items=7) -> Ratings:
    rng = np.random.default_rng(seed)
    grid = rng.uniform(1, 5, (n_users, n_items)).round(1)
    grid[rng.random(grid.shape) < missing] = np.nan
    grid[np.arange(n_users), np.arange(n_users) % n_items] = 3.0
    frame = pd.DataFrame(grid, index=[f"u{k}" for k in range(n_users)],
                         columns=[f"i{k}" for k in range(n_items)])
    return Ratings.from_matrix(frame, scale=(1.0, 5.0))


def test_the_lecture_mf_preset_prints_the_lecture_numbers(tmp_path, solo):
    preset = PRESETS["lecture-mf"]
    ratings = solo.with_scale(preset.scale)
    trainer, calls = trained(ratings, "mf", preset.model_config, preset.train_config)
    result = trainer.result()
    script = assert_reproduced(tmp_path, [Stage.of(result, calls)], result.predicted)
    assert "torch.manual_seed(43052)" in script.code and "if epoc == 99:" in script.code
    got = script.predicted
    every_4th = got[ratings.user_idx, ratings.item_idx][::4]
    assert_rounds_to(every_4th, preset.printed["every_4th"], 4)  # stable: see test_presets


def test_mini_batches_dropout_adamw_and_no_final_step(tmp_path, solo):
    config = NNConfig(dim=3, hidden=(8, 4), activation="tanh", dropout=0.2, output="top",
                      mean_offset=False, init_std=None)
    train = TrainConfig(epochs=6, lr=0.02, optimizer="adamw", weight_decay=0.01,
                        batch_size=10, val_frac=0.1, seed=3, final_step=False)
    trainer, calls = trained(solo, "nn", config, train)
    result = trainer.result()
    script = assert_reproduced(tmp_path, [Stage.of(result, calls)], result.predicted)
    assert "generator=gen" in script.code and "torch.nn.Dropout(0.2)" in script.code


def test_sgd_neumf_with_continue_training_twice(tmp_path, solo):
    config = NeuMFConfig(dim=2, mlp_dim=3, hidden=(4,), output="scale", margin=0.1)
    train = TrainConfig(epochs=5, lr=0.1, optimizer="sgd", weight_decay=0.02, batch_size=16,
                        val_frac=0.15, seed=11, final_step=False)
    trainer, calls = trained(solo, "neumf", config, train, calls=(None, 3, 4))
    result = trainer.result()
    assert calls == [(0, 5), (5, 3), (8, 4)]
    assert plan(Stage.of(result, calls)) == [Segment(5, True), Segment(3, True), Segment(4, True)]
    assert_reproduced(tmp_path, [Stage.of(result, calls)], result.predicted)


def test_early_stopping_ends_at_the_kept_epoch(tmp_path):
    ratings = small()
    train = TrainConfig(epochs=300, lr=0.3, weight_decay=0.0, val_frac=0.3, seed=1,
                        patience=3)
    trainer, calls = trained(ratings, "mf", MFConfig(dim=4), train)
    result = trainer.result()
    assert result.status == "early_stopped"
    stage = Stage.of(result, calls)
    assert sum(s.epochs for s in plan(stage)) < result.epochs_run
    assert_reproduced(tmp_path, [stage], result.predicted)


def test_a_diverged_run_ends_at_its_lowest_loss(tmp_path, solo):
    train = TrainConfig(epochs=200, lr=5.0, weight_decay=0.03, val_frac=0.1, seed=0)
    trainer, calls = trained(solo, "mf", MFConfig(dim=2), train)
    result = trainer.result()
    assert result.status == "diverged"
    assert_reproduced(tmp_path, [Stage.of(result, calls)], result.predicted)


# ----- data the app holds: samples, edited and uploaded data, large data -----------------------
@pytest.mark.parametrize("name", [n for n in SAMPLES if n != "movielens"])
def test_samples_are_read_by_path(tmp_path, name):
    ratings = load_sample(name)
    assert codegen.matching_sample(ratings) == name
    train = TrainConfig(epochs=3, lr=0.05, val_frac=0.1, seed=0)
    trainer, calls = trained(ratings, "mf", MFConfig(dim=2), train)
    script = assert_reproduced(tmp_path, [Stage.of(trainer.result(), calls)],
                               trainer.result().predicted)
    assert f"data/{SAMPLES[name].file}" in script.code


def test_the_movielens_reader_gives_the_apps_users_items_and_order(tmp_path):
    """Training on 100,836 ratings in a test is slow: check the data part of the script."""
    ratings = load_sample("movielens")
    assert codegen.matching_sample(ratings) == "movielens"
    stage = Stage(ratings, np.zeros(ratings.n_ratings, bool), "baseline",
                  MODELS["baseline"].config_cls(), TrainConfig(epochs=1, seed=0))
    code = codegen.generate([stage]).code
    data_part = code.split("# ----- 2.")[0]
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(data_part, "exported", "exec"), namespace)  # noqa: S102 - our own code
    finally:
        os.chdir(cwd)
    assert namespace["users"] == ratings.users and namespace["items"] == ratings.items
    assert np.array_equal(namespace["X1"].numpy(), ratings.user_idx)
    assert np.array_equal(namespace["X2"].numpy(), ratings.item_idx)
    assert np.array_equal(namespace["y"].numpy(), ratings.values.astype(np.float32))


def test_edited_sample_is_written_into_the_script_as_a_table(tmp_path, solo):
    from ui.editing import editor_frame, frame_to_ratings

    frame = editor_frame(solo)
    frame.iat[0, 1] = 4.5  # fill 옥순's empty cell
    frame.iat[2, 3] = None  # clear one
    edited = frame_to_ratings(frame, solo)
    assert codegen.matching_sample(edited) is None
    train = TrainConfig(epochs=20, lr=0.1, weight_decay=0.03, val_frac=0.1, seed=5)
    trainer, calls = trained(edited, "mf", MFConfig(dim=2), train)
    script = assert_reproduced(tmp_path, [Stage.of(trainer.result(), calls)],
                               trainer.result().predicted)
    assert "df_view = pd.DataFrame(" in script.code and "read_csv" not in script.code


AWKWARD = ['"quoted", with comma', "=HYPERLINK(\"x\")", "line\nbreak", "NA", "", "''' \"\"\"",
           "한글 이름", "\\back\\slash", "# not a comment", "tab\there"]


def test_uploaded_long_data_with_awkward_labels_is_written_row_by_row(tmp_path):
    rng = np.random.default_rng(0)
    rows = [(u, i, float(rng.integers(1, 6))) for u in AWKWARD for i in AWKWARD[::-1]
            if rng.random() < 0.7]
    rng.shuffle(rows)  # file order, not row by row
    frame = pd.DataFrame(rows, columns=["user", "item", "rating"])
    ratings = Ratings.from_long(frame, scale=(1.0, 5.0))
    train = TrainConfig(epochs=15, lr=0.05, weight_decay=0.01, val_frac=0.2, seed=2)
    trainer, calls = trained(ratings, "mlp", replace(MODELS["mlp"].config_cls(), dim=3), train)
    script = assert_reproduced(tmp_path, [Stage.of(trainer.result(), calls)],
                               trainer.result().predicted)
    tree = ast.parse(script.code)  # labels are literals, never code
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                and getattr(n.func, "id", "") in ("eval", "exec", "HYPERLINK")]
    assert 'columns=["user", "item", "rating"]' in script.code


def test_large_uploaded_data_goes_into_a_csv_file_beside_the_script(tmp_path, monkeypatch):
    monkeypatch.setattr(codegen, "LONG_LITERAL_RATINGS", 20)
    rows = [(f"user {u}", f"film,{i}", float((u * i) % 5 + 1)) for u in range(12)
            for i in range(9) if (u + i) % 3]
    ratings = Ratings.from_long(pd.DataFrame(rows, columns=["user", "item", "rating"]),
                                scale=(1.0, 5.0))
    train = TrainConfig(epochs=10, lr=0.05, weight_decay=0.0, val_frac=0.2, seed=4,
                        batch_size=16)
    trainer, calls = trained(ratings, "gmf", replace(MODELS["gmf"].config_cls(), dim=3), train)
    script = codegen.generate([Stage.of(trainer.result(), calls)], file_stem="run1_ratings")
    assert list(script.files) == ["run1_ratings.csv"]
    ours = run_script(script, tmp_path)
    assert np.abs(ours - trainer.result().predicted).max() < TOLERANCE


def test_users_and_items_without_ratings_start_at_zero(tmp_path):
    grid = small(missing=0.2).to_matrix()
    grid.iloc[3, :] = np.nan  # a user with no rating at all
    grid.iloc[:, 5] = np.nan  # an item nobody rated
    ratings = Ratings.from_matrix(grid, scale=(1.0, 5.0))
    for model in ("mf", "neumf"):
        config = MODELS[model].config_cls()
        train = TrainConfig(epochs=8, lr=0.05, weight_decay=0.01, val_frac=0.2, seed=1)
        trainer, calls = trained(ratings, model, config, train)
        script = assert_reproduced(tmp_path / model, [Stage.of(trainer.result(), calls)],
                                   trainer.result().predicted)
        assert ".weight[[3]] = 0" in script.code


# ----- warm starts: what-if and retrain after an edit -----------------------------------------
def test_warm_start_on_edited_data_is_reproduced_stage_by_stage(tmp_path, solo):
    from recsys_core.training.whatif import carry_split, edit_cell

    train = TrainConfig(epochs=30, lr=0.1, weight_decay=0.03, val_frac=0.1, seed=9)
    first, calls = trained(solo, "mf", MFConfig(dim=2), train)
    edited = edit_cell(solo, solo.users.index("하니(I)"), solo.items.index("영호(IS)"), 0.5)
    is_val = carry_split(solo, first.is_val, edited)
    second = Trainer(edited, "mf", MFConfig(dim=2), replace(train, epochs=12),
                     model=__import__("copy").deepcopy(first.model), is_val=is_val)
    second.fit()
    stages = [Stage.of(first.result(), calls), Stage.of(second.result(), [(0, 12)])]
    script = assert_reproduced(tmp_path, stages, second.result().predicted)
    assert "warm start" in script.code


# ----- the script itself -----------------------------------------------------------------------
def test_plan_of_a_stopped_and_continued_run():
    reports = [EpochReport(k + 1, 1.0, 1.0, None, 0.0) for k in range(7)]
    stage = Stage(small(), np.zeros(small().n_ratings, bool), "mf", MFConfig(),
                  TrainConfig(epochs=5, final_step=False), reports, "completed",
                  [(0, 5), (2, 5)])  # stopped after 2 of 5, then continued for 5
    assert plan(stage) == [Segment(2, False), Segment(5, True)]


def test_korean_comments_and_no_label_in_a_comment(solo):
    frame = pd.DataFrame([("x\nimport os", "i", 1.0), ("y", "i", 2.0)],
                         columns=["user", "item", "rating"])
    ratings = Ratings.from_long(frame, scale=(0.0, 5.0))
    trainer, calls = trained(ratings, "baseline", MODELS["baseline"].config_cls(),
                             TrainConfig(epochs=2, val_frac=0.0))
    code = codegen.generate([Stage.of(trainer.result(), calls)], lang="ko").code
    assert "# 1 yhat" in code and "데이터" in code
    assert "\nimport os" not in code  # a label's line break never starts a line of code
    ast.parse(code)


def test_an_als_run_says_the_script_trains_with_the_optimiser(solo):
    """The exported script has no ALS: it says so instead of claiming the app's numbers."""
    trainer, calls = trained(solo, "mf", MFConfig(dim=2, solver="als"),
                             TrainConfig(epochs=3, val_frac=0.0))
    for lang in ("en", "ko"):
        code = codegen.generate([Stage.of(trainer.result(), calls)], lang=lang).code
        assert "solver als" in code
        ast.parse(code)
