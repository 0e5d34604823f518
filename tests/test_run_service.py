"""The run service (recsys_core/run_service.py): one rule for which run the control bar acts on,
and start, go on, step, reset, warm start, what-if and tuning through one lock, each with
progress and a pause."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from recsys_core import limits
from recsys_core.models import MODELS
from recsys_core.results.trained_run import predict_matrix
from recsys_core.training import run_service
from recsys_core.training.run_service import Busy, Change, Refused, RunService, Setup
from recsys_core.training.trainer import EpochReport, TrainConfig, Trainer
from recsys_core.training.whatif import NOTHING_MOVED, edit_cell, moved_most, without_the_edit
from tests.tolerance import assert_float32_close

SMALL_GRID = {"dim": (1, 4), "lr": (0.01, 0.05), "weight_decay": (0.0,)}


def setup_of(ratings, name="mf", rev=1, **train) -> Setup:
    settings = dict(epochs=6, seed=3, lr=0.05, val_frac=0.2)
    settings.update(train)
    return Setup(name, MODELS[name].config_cls(), TrainConfig(**settings), ratings, data_rev=rev,
                 data_name="structured")


def predicted(run) -> np.ndarray:
    t = run.trainer
    return predict_matrix(t.model, t.ratings.n_users, t.ratings.n_items)


class Recorder:
    """An observer that keeps every progress event."""

    def __init__(self, then=None) -> None:
        self.events = []
        self.then = then

    def __call__(self, progress) -> None:
        self.events.append(progress)
        if self.then is not None:
            self.then(progress)

    def kinds(self) -> set[str]:
        return {e.kind for e in self.events}


@pytest.fixture
def service():
    return RunService({})


@pytest.fixture
def quick_handover(monkeypatch):
    monkeypatch.setattr(run_service, "HANDOVER_SECONDS", 0.2)


def hold_lock(service: RunService):
    """Another job of the same session holds the lock until the returned event is set."""
    release, held = threading.Event(), threading.Event()

    def job():
        with service.lock:
            held.set()
            release.wait(10)

    threading.Thread(target=job, daemon=True).start()
    held.wait(5)
    return release


# ----- the rule -------------------------------------------------------------------------------
def test_train_starts_then_goes_on_with_the_same_run_when_nothing_changed(service, structured):
    setup = setup_of(structured)
    assert service.plan(setup).run is None and service.plan(setup).changes == ()
    seen = Recorder()
    first = service.press_train(setup, observer=seen)
    assert first.did == "new" and first.changes == () and first.epochs == 6
    run = service.current
    assert run.trainer.epochs_run == 6 and run.result.epochs_run == 6
    reports = [e for e in seen.events if e.report is not None]
    assert [e.report.epoch for e in reports] == list(range(1, 7))
    assert seen.events[-1].fraction == 1.0 and seen.kinds() == {"train"}

    assert service.plan(setup).run is run
    again = service.press_train(replace(setup, train_config=replace(setup.train_config,
                                                                    epochs=4)))
    assert again.did == "went_on" and again.run_id == run.id and again.from_epoch == 6
    assert len(service.runs) == 1 and run.trainer.epochs_run == 10
    assert run.calls == [(0, 6), (6, 4)]
    straight = Trainer(structured, "mf", setup.model_config, setup.train_config).fit(10)
    assert [r.train_loss for r in run.trainer.history] == \
        [r.train_loss for r in straight.history]


@pytest.mark.parametrize(("change", "expected"), [
    ({"model": "nn"}, Change("model", before="mf", after="nn")),
    ({"dim": 4}, Change("setting", "dim", 16, 4, "model")),
    ({"seed": 9}, Change("setting", "seed", 3, 9, "train")),
    ({"lr": 0.1}, Change("setting", "lr", 0.05, 0.1, "train")),
])
def test_a_changed_model_or_setting_starts_a_new_run_and_says_why(service, structured, change,
                                                                   expected):
    setup = setup_of(structured)
    service.press_train(setup)
    if "model" in change:
        changed = setup_of(structured, "nn")
    elif "dim" in change:
        changed = replace(setup, model_config=replace(setup.model_config, dim=4))
    else:
        changed = replace(setup, train_config=replace(setup.train_config, **change))
    plan = service.plan(changed)
    assert plan.run is None and plan.current.id == 1 and plan.changes == (expected,)
    assert plan.lr_only == ("lr" in change)
    outcome = service.press_train(changed)
    assert outcome.did == "new" and outcome.changes == (expected,)
    assert [r.id for r in service.runs] == [1, 2] and service.current.id == 2
    assert service.runs[0].trainer.epochs_run == 6  # the first run is left as it was


def test_epochs_and_the_last_update_switch_are_not_settings_of_a_run(service, structured):
    setup = setup_of(structured, final_step=False)
    service.press_train(setup)
    for other in (replace(setup.train_config, epochs=50),
                  replace(setup.train_config, final_step=True)):
        assert service.plan(replace(setup, train_config=other)).goes_on


def test_changed_data_starts_a_new_run_or_a_warm_start_from_the_current_model(service,
                                                                              structured):
    setup = setup_of(structured)
    service.press_train(setup)
    first = service.current
    edited = edit_cell(structured, 0, 1, 4.0)
    changed = replace(setup, ratings=edited, data_rev=2)
    plan = service.plan(changed)
    assert plan.changes == (Change("data"),) and plan.warm and not plan.lr_only
    outcome = service.press_train(changed, warm=True)
    warm = service.current
    assert outcome.did == "warm" and warm.warm_from == first.id and warm.data_rev == 2
    assert warm.trainer.ratings is edited and warm.trainer.epochs_run == 6
    assert warm.lineage  # the exported code repeats the run it started from
    fresh = service.press_train(replace(setup, ratings=edited, data_rev=3))
    assert fresh.did == "new" and service.current.warm_from is None


def test_a_new_learning_rate_can_go_on_with_the_current_run(service, structured):
    setup = setup_of(structured)
    service.press_train(setup)
    run = service.current
    weights = {k: v.clone() for k, v in run.trainer.model.state_dict().items()}
    faster = replace(setup, train_config=replace(setup.train_config, lr=0.1, epochs=1))
    assert service.plan(faster).lr_only
    outcome = service.press_step(faster, new_lr=True)
    assert outcome.did == "new_lr" and outcome.run_id == run.id and outcome.from_epoch == 6
    assert run.trainer.train.lr == 0.1 and run.changes == [(6, "lr", 0.1)]
    assert run.trainer.epochs_run == 7 and len(service.runs) == 1
    assert any(not np.array_equal(v.numpy(), weights[k].numpy())
               for k, v in run.trainer.model.state_dict().items())
    assert service.plan(faster).goes_on  # the run now trains at the new rate


def test_a_run_opened_from_a_file_cannot_train_on(service, structured):
    setup = setup_of(structured)
    service.press_train(setup)
    run = service.current
    run.trainer = None  # as a model opened from a file: a result, no trainer
    plan = service.plan(setup)
    assert plan.run is None and plan.changes == (Change("loaded"),)


# ----- reset and step -----------------------------------------------------------------------------
def test_reset_gives_the_same_start_and_does_not_pile_up_untouched_runs(service, structured):
    setup = setup_of(structured)
    first = service.reset(setup)
    start = predicted(first)
    service.press_step(setup)
    assert service.current is first and first.trainer.epochs_run == 1
    again = service.reset(setup)
    assert again.id != first.id and again.trainer.epochs_run == 0
    np.testing.assert_array_equal(predicted(again), start)
    third = service.reset(setup)
    assert [r.id for r in service.runs] == [first.id, third.id]
    assert service.last_press.did == "reset"


def test_step_turns_on_the_last_update_and_records_it(service, structured):
    setup = setup_of(structured, final_step=False)
    service.press_train(setup)
    run = service.current
    before = predicted(run)
    seen = Recorder()
    outcome = service.press_step(setup, observer=seen)
    assert outcome.did == "went_on" and run.trainer.epochs_run == 7
    assert run.trainer.train.final_step and run.changes == [(6, "final_step", 1)]
    assert not np.array_equal(before, predicted(run))
    assert [e.kind for e in seen.events] == ["step"] and seen.events[0].report.epoch == 7


# ----- limits ---------------------------------------------------------------------------------------
def test_a_refused_training_says_why_and_makes_nothing(service, structured, monkeypatch):
    monkeypatch.setattr(limits, "LIMITS", limits.Limits(max_epochs=5))
    with pytest.raises(Refused, match="at most 5"):
        service.press_train(setup_of(structured))
    assert service.runs == []


# ----- pause, interruption, the lock --------------------------------------------------------------
def test_pause_ends_a_run_and_keeps_its_model_and_history(service, structured):
    setup = setup_of(structured, epochs=10_000)
    started = threading.Event()

    def train():
        service.press_train(setup, observer=lambda p: p.done >= 3 and started.set(), pace=200)

    worker = threading.Thread(target=train)
    worker.start()
    assert started.wait(20)
    paused = service.pause()
    worker.join(10)
    assert not worker.is_alive()
    run = service.current
    assert paused is run or paused is None  # the loop may have seen the request first
    assert run.trainer.status == "stopped" and 3 <= run.trainer.epochs_run < 10_000
    assert run.result.epochs_run == run.trainer.epochs_run  # the snapshot is the partial model
    assert service.press_train(replace(setup, train_config=replace(
        setup.train_config, epochs=2))).did == "went_on"


class Cut(Exception):
    """What a click does to the script that trains: an exception at its next drawing call."""


def cut_at(done: float, store=None):
    """An observer that cuts the script off once ``done`` epochs (trials) are done; with a
    :class:`CutStore`, the session's state cannot be touched from then on either."""
    def observer(progress):
        if progress.done >= done:
            if store is not None:
                store.cut = True
            raise Cut
    return observer


def test_a_loop_cut_off_is_settled_as_a_stopped_run(service, structured):
    with pytest.raises(Cut):
        service.press_train(setup_of(structured, epochs=500), observer=cut_at(2))
    run = service.current
    assert run.trainer.status == "running" and not service.busy()  # the lock was let go
    settled = service.settle_interrupted()
    assert settled is run and run.trainer.status == "stopped"
    assert run.result.epochs_run == 2


def test_one_job_at_a_time_even_a_what_if_or_a_search(service, structured, quick_handover):
    setup = setup_of(structured)
    service.press_train(setup)
    release = hold_lock(service)
    try:
        with pytest.raises(Busy):
            service.press_train(setup)
        with pytest.raises(Busy):
            service.what_if(service.current, 0, 1, 1.0)
        with pytest.raises(Busy):
            service.train(service.current, 2, kind="whatif")
        with pytest.raises(Busy):
            service.tune(setup, max_seconds=5, grid=SMALL_GRID)
        with pytest.raises(Busy):
            service.reset(setup)
    finally:
        release.set()
    assert len(service.runs) == 1


# ----- what-if --------------------------------------------------------------------------------------
def test_a_what_if_is_a_new_run_from_the_model_with_progress(service, structured):
    setup = setup_of(structured)
    service.press_train(setup)
    source = service.current
    made = service.what_if(source, 0, 1, 0.5, data_rev=7)
    run = made.run
    assert service.current is run and run.warm_from == source.id and run.data_rev == 7
    assert made.after == 0.5 and made.cell == (0, 1)
    assert run.trainer.ratings is made.ratings and run.trainer.epochs_run == 0
    np.testing.assert_array_equal(predicted(run), predicted(source))  # from the same weights
    seen = Recorder()
    service.train(run, 5, observer=seen, kind="whatif")
    assert seen.kinds() == {"whatif"} and run.result.epochs_run == 5
    assert [e.report.epoch for e in seen.events if e.report] == [1, 2, 3, 4, 5]


def test_a_what_if_can_be_paused(service, structured):
    service.press_train(setup_of(structured))
    run = service.what_if(service.current, 0, 1, 0.5).run
    service.train(run, 10_000, kind="whatif",
                  observer=lambda p: p.done >= 2 and service.job.stop())
    assert run.trainer.status == "stopped" and 2 <= run.result.epochs_run < 10_000


def test_a_what_if_and_its_control_train_exactly_the_epochs_asked(service, structured):
    service.press_train(setup_of(structured, patience=1, epochs=4))
    source = service.current
    run = service.what_if(source, 0, 1, 0.5).run
    assert run.trainer.train.patience is None  # no early stop: the control trains as many
    assert source.trainer.train.patience == 1  # the source run keeps its own settings


def test_the_what_if_control_is_a_job_with_progress_equal_to_the_library_one(service, structured):
    service.press_train(setup_of(structured))
    source = service.current
    seen = Recorder()
    control = service.what_if_control(source.result, 5, (0, 1), observer=seen)
    assert seen.kinds() == {"whatif-control"} and seen.events[-1].done == 5
    assert [e.done for e in seen.events if e.done == int(e.done) and e.done] == [1, 2, 3, 4, 5]
    assert not service.busy()
    assert_float32_close(control, without_the_edit(source.result, 5, (0, 1)))


def test_a_what_if_of_no_change_moves_nothing_against_its_control(service, structured):
    service.press_train(setup_of(structured))
    source = service.current
    value = float(structured.values[0])  # the first rating, set to what it already is
    cell = (int(structured.user_idx[0]), int(structured.item_idx[0]))
    run = service.what_if(source, *cell, value).run
    service.train(run, 5, kind="whatif")
    control = service.what_if_control(source.result, 5, cell)
    moved = moved_most(structured, control, run.result.predicted, 3)
    assert float(np.abs(moved["change"]).max()) <= NOTHING_MOVED
    # while against the source's own predictions the extra epochs alone move cells
    assert float(np.abs(run.result.predicted - source.result.predicted).max()) > 0.01


def test_a_paused_control_gives_nothing_to_compare_with(service, structured):
    service.press_train(setup_of(structured))
    source = service.current
    control = service.what_if_control(source.result, 10_000, (0, 1),
                                      observer=lambda p: p.done >= 2 and service.job.stop())
    assert control is None and not service.busy()


def test_the_control_waits_its_turn(service, structured, quick_handover):
    service.press_train(setup_of(structured))
    source = service.current
    with service.lock, pytest.raises(Busy):
        service.what_if_control(source.result, 2, (0, 1))


# ----- fold-in against retraining ------------------------------------------------------------------
def test_retraining_with_a_visitor_reports_progress_compares_and_keeps_no_run(service, structured):
    from recsys_core.training.foldin import fold_in

    service.press_train(setup_of(structured))
    result = service.current.result
    items = structured.items
    visitor = fold_in(result, {items[0]: 5.0, items[1]: 4.5, items[-1]: 1.0})
    seen = Recorder()
    compared = service.retrain_visitor(result, visitor, n=3, observer=seen)
    assert seen.kinds() == {"foldin"} and seen.events[-1].done == result.epochs_run == 6
    assert compared.n == 3 and compared.fold_in_top == list(visitor.top_n(3)["item"])
    assert compared.retrained.ratings.n_users == structured.n_users + 1
    assert compared.retrained.epochs_run == 6
    assert len(service.runs) == 1 and not service.busy() and service.job is None


def test_retraining_with_a_visitor_can_be_paused_and_then_compares_nothing(service, structured):
    from recsys_core.training.foldin import fold_in

    service.press_train(setup_of(structured))
    result = service.current.result
    visitor = fold_in(result, {structured.items[0]: 5.0})
    stopped = service.retrain_visitor(result, visitor, epochs=10_000,
                                      observer=lambda p: p.done >= 2 and service.job.stop())
    assert stopped is None and not service.busy()


# ----- tuning ---------------------------------------------------------------------------------------
def test_tuning_reports_each_trial_and_keeps_its_result(service, structured):
    setup = setup_of(structured, epochs=20)
    seen = Recorder()
    found = service.tune(setup, max_seconds=30, grid=SMALL_GRID, observer=seen)
    assert [e.done for e in seen.events] == [1, 2, 3, 4] and seen.kinds() == {"tune"}
    assert all(e.total == 4 and e.row is not None for e in seen.events)
    assert found.tried == 4 and service.tuned("mf", 1) is found
    assert service.tuned("nn", 1) is None and service.tuned("mf", 2) is None
    assert service.runs == []  # a search makes no runs


def test_tuning_paused_keeps_the_trials_finished(service, structured):
    setup = setup_of(structured, epochs=20)
    found = service.tune(setup, max_seconds=30, grid=SMALL_GRID,
                         observer=lambda p: p.done >= 2 and service.job.stop())
    assert found.tried == 2 and found.planned == 4
    assert "2 of the 4" in found.note


def test_tuning_cut_off_keeps_the_trials_finished(service, structured):
    with pytest.raises(Cut):
        service.tune(setup_of(structured, epochs=20), max_seconds=30, grid=SMALL_GRID,
                     observer=cut_at(3))
    kept = service.tuned("mf", 1)
    assert kept is not None and kept.tried == 3 and kept.planned == 4
    assert not service.busy()


def test_pace_limits_the_epochs_a_second(service, structured):
    started = time.perf_counter()
    service.press_train(setup_of(structured, epochs=5), pace=25)
    assert time.perf_counter() - started >= 5 / 25 * 0.9
    events = Recorder()
    service.press_train(setup_of(structured, epochs=3), observer=events, pace=50)
    assert all(e.paced for e in events.events)


def test_progress_has_a_report_at_every_epoch(service, structured):
    seen = Recorder()
    service.press_train(setup_of(structured, epochs=3), observer=seen)
    reports = [e.report for e in seen.events if e.report is not None]
    assert all(isinstance(r, EpochReport) for r in reports) and len(reports) == 3


class CutStore(dict):
    """A session's state as a cut-off Streamlit script sees it: once ``cut`` is set, every
    touch raises (Streamlit stops the old script at its next call into Streamlit, reads of
    ``st.session_state`` included), until the next script clears it."""

    cut = False

    def _check(self):
        if self.cut:
            raise Cut

    def get(self, key, default=None):
        self._check()
        return super().get(key, default)

    def __getitem__(self, key):
        self._check()
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        self._check()
        super().__setitem__(key, value)


def test_a_script_cut_off_lets_go_of_the_lock_even_when_it_cannot_touch_the_state(structured):
    store = CutStore()
    service = RunService(store)
    with pytest.raises(Cut):
        service.press_train(setup_of(structured, epochs=500), observer=cut_at(2, store))
    store.cut = False  # the next script
    assert not service.lock.locked()  # else every later press would say "busy"
    run = service.settle_interrupted()
    assert run.trainer.status == "stopped" and service.job is None
    assert service.press_train(setup_of(structured, epochs=2)).did == "went_on"


def test_a_search_cut_off_where_it_cannot_keep_its_trials_has_them_kept_by_the_next_script(
        structured):
    store = CutStore()
    service = RunService(store)
    with pytest.raises(Cut):
        service.tune(setup_of(structured, epochs=20), max_seconds=30, grid=SMALL_GRID,
                     observer=cut_at(2, store))
    store.cut = False
    assert service.tuned("mf", 1) is None
    service.settle_interrupted()
    kept = service.tuned("mf", 1)
    assert kept is not None and kept.tried == 2 and service.job is None


def test_a_finished_run_prepares_its_results_page_in_the_background(service, structured,
                                                                     monkeypatch):
    """Train -> finished -> the Results page's first figures are being computed at once, so
    opening Results finds them ready."""
    started = []
    real = run_service.prepare_in_background
    monkeypatch.setattr(run_service, "prepare_in_background",
                        lambda result: started.append(real(result)) or started[-1])
    service.press_train(setup_of(structured))
    run = service.current
    assert len(started) == 1 and started[0] is not None
    started[0].join(timeout=60)
    kept = run.result.__dict__
    assert {"_predicted", "_observed", "_top_n_3_2"} <= set(kept)
    assert_float32_close(kept["_predicted"], predicted(run))


def test_a_matrix_too_large_to_keep_ahead_is_not_prepared(service, structured, monkeypatch):
    """Past ``PREPARE_MAX_CELLS`` the predictions are made when Results is opened, as before."""
    monkeypatch.setattr(run_service, "PREPARE_MAX_CELLS", structured.n_users * structured.n_items - 1)
    started = []
    real = run_service.prepare_in_background
    monkeypatch.setattr(run_service, "prepare_in_background",
                        lambda result: started.append(real(result)) or started[-1])
    service.press_train(setup_of(structured))
    assert started == [None] and not service.current.result.has_predictions()
