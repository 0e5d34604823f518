"""The run service: every training of one session goes through here.

Start a run, go on with it, step one epoch, reset it to epoch 0, warm-start it on changed data,
retrain it after a what-if edit, search settings (tuning), and retrain a run with a fold-in
visitor added to see how close fold-in came: one entry each, and for each

- **one lock per session**: one job at a time; a second one waits for the first to hand over
  (``HANDOVER_SECONDS``) and is refused with :class:`Busy` if it does not;
- **progress**: an ``observer(Progress)`` is called at every epoch, every mid-epoch tick and
  every tuning trial, so a caller can redraw (the app) or print (a script);
- **pause**: :meth:`RunService.pause` ends the running job after its current batch and keeps
  what it made (the partial model and its history; the trials a search finished).

The service keeps nothing of its own: the runs, the current run, the lock and the running job
live in the ``store`` it is given (the app's ``st.session_state``; a plain dict in tests), so a
``RunService(store)`` can be made wherever it is needed. No streamlit here.

The one rule for the app's control bar is :meth:`RunService.plan` (written out in
:mod:`recsys_core.training.run_rule`, with the values it passes out): Train and Step act on the current
run while it can train on and nothing it was made from changed (the model, its settings, the
data); otherwise they start a new run. The epochs to train and the speed are not settings of a
run, only how far and how fast to go.

Over 500 lines because it is the one class every way to train goes through (the point of it);
the bar's rule already lives apart, in :mod:`recsys_core.training.run_rule`.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from recsys_core import limits
from recsys_core.data.ratings import Ratings
from recsys_core.ranking.data import Interactions
from recsys_core.ranking.training import RankingEpoch, RankingTrainer
from recsys_core.training.auto import search as auto_search
from recsys_core.training.live import step_epoch
from recsys_core.training.run_rule import (
    LIVE_SETTINGS,
    Change,
    Outcome,
    Plan,
    Setup,
    differences,
    made_with,
    plan,
)
from recsys_core.training.session import Run, find, next_id, warm_start_model
from recsys_core.training.trainer import EpochReport, Tick, Trainer
from recsys_core.training.tuning import TuningResult, summarise, tune
from recsys_core.training.whatif import carry_split, control_trainer, edit_cell, exactly

# ----- what the service keeps in its store -----------------------------------------------------
RUNS = "runs"  # list[Run], oldest first
CURRENT = "current_run"  # id of the run trained or made last: the one the control bar acts on
TRAINING = "training_run"  # id of the run whose loop runs now, else None
LOCK = "training_loop_lock"  # threading.Lock: one job of a session at a time
JOB = "run_job"  # the Job running now, else None
PRESSED = "run_pressed"  # the last Outcome of Train / Step / Reset (what it did, and why)
TUNED = "tune_result"  # the last search: {"model", "rev", "result"}

HANDOVER_SECONDS = 10.0
"""How long a job waits for the session's previous one to end. A click in the app starts a
new script run at once and stops the old one only at its next drawing call, so for a moment
both run: the new one waits for the old loop to finish its batch and let go of the lock."""
SAVE_EVERY = 0.3
"""Seconds between snapshots of a training run kept in the store: a script cut off mid-run
(a click, a page switch) loses at most this much."""
_LOCK_MAKER = threading.Lock()


class Busy(RuntimeError):
    """Another job of this session is still running and did not hand over in time."""


class Refused(ValueError):
    """This server refuses the training (``recsys_core.limits``); the message says why."""


# ----- values passed out -----------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """One progress event. ``done`` of ``total``: epochs (fractional inside an epoch), or
    trials when tuning. ``report``: the epoch just finished; ``row``: the trial just finished."""

    kind: str  # "train" | "step" | "whatif" | "whatif-control" | "tune" | "foldin"
    done: float
    total: int
    elapsed: float
    run: Run | None = None
    report: EpochReport | None = None
    row: dict | None = None
    paced: bool = False

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 1.0


@dataclass
class Job:
    """The job running now; :meth:`stop` asks it to end after its current batch."""

    kind: str
    run_id: int | None = None
    trainer: Trainer | None = None
    rows: list = field(default_factory=list)  # tuning: the trials finished so far
    planned: int = 0  # tuning: the trials planned
    setup: Setup | None = None  # tuning: what it searches around
    kept: bool = False  # tuning: its result is in the store
    _stopped: threading.Event = field(default_factory=threading.Event, repr=False)

    def stop(self) -> None:
        self._stopped.set()
        if self.trainer is not None:
            self.trainer.stop()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def wait(self, seconds: float) -> None:
        """Sleep (pacing) but wake at once when stopped."""
        if seconds > 0:
            self._stopped.wait(seconds)


@dataclass(frozen=True)
class WhatIf:
    """A what-if made ready: ``run`` continues ``source`` on ``ratings`` (the source's data
    with one cell changed)."""

    run: Run
    source: Run
    ratings: Ratings
    cell: tuple[int, int]
    before: float | None
    after: float | None


Observer = Callable[[Progress], None]


# ----- the service -------------------------------------------------------------------------------
class RunService:
    """One session's runs and the one way to train them (see the module's notes)."""

    def __init__(self, store: MutableMapping) -> None:
        self.store = store

    # ----- runs ------------------------------------------------------------------------------
    @property
    def runs(self) -> list[Run]:
        found = self.store.get(RUNS)
        if found is None:
            found = self.store[RUNS] = []
        return found

    @property
    def current(self) -> Run | None:
        """The run trained or made last (or picked); the newest when that one is gone."""
        runs = self.runs
        return find(runs, self.store.get(CURRENT)) or (runs[-1] if runs else None)

    def make_current(self, run: Run) -> None:
        self.store[CURRENT] = run.id

    @property
    def lock(self) -> threading.Lock:
        lock = self.store.get(LOCK)
        if lock is None:
            with _LOCK_MAKER:
                lock = self.store.get(LOCK)
                if lock is None:
                    lock = self.store[LOCK] = threading.Lock()
        return lock

    @property
    def job(self) -> Job | None:
        return self.store.get(JOB)

    @property
    def last_press(self) -> Outcome | None:
        return self.store.get(PRESSED)

    def busy(self) -> bool:
        return self.lock.locked()

    # ----- the rule ----------------------------------------------------------------------------
    def plan(self, setup: Setup) -> Plan:
        """Which run Train and Step act on (:func:`recsys_core.training.run_rule.plan`)."""
        return plan(self.current, setup)

    # ----- making runs -------------------------------------------------------------------------
    def new_run(self, setup: Setup, *, warm_from: Run | None = None) -> Run:
        """A run at epoch 0 from ``setup`` (from ``warm_from``'s model when given), made the
        current run. Raises what the model or the data refuse (ValueError, RatingsError ...)."""
        model = warm_start_model(warm_from, setup.ratings) if warm_from is not None else None
        if warm_from is not None and model is None:
            raise ValueError(f"Run #{warm_from.id}'s model does not fit this data (other users, "
                             "items or scale): it cannot be continued on it.")
        if setup.task == "ranking":  # leave-one-out, HR@10 and NDCG@10 after every epoch
            trainer = RankingTrainer.on_data(setup.ratings, setup.model_name,
                                             setup.model_config, setup.train_config)
        else:
            trainer = Trainer(setup.ratings, setup.model_name, setup.model_config,
                              setup.train_config, model=model)
        runs = self.runs
        run = Run(id=next_id(runs), model_name=setup.model_name, data_name=setup.data_name,
                  trainer=trainer, preset=None if warm_from is not None else setup.preset,
                  data_rev=setup.data_rev,
                  warm_from=warm_from.id if warm_from is not None else None, task=setup.task)
        if warm_from is not None:
            run.lineage = warm_from.stages() or None
        runs.append(run)
        self.make_current(run)
        return run

    def reset(self, setup: Setup) -> Run:
        """A new run at epoch 0 from ``setup``: the same seed gives the same starting weights.
        An untouched run at epoch 0 left by the previous Reset is replaced, not kept."""
        with self._job("reset"):
            current = self.current
            if current is not None and current.trainer is not None and \
                    current.trainer.epochs_run == 0 and current.result is None:
                self.runs[:] = [r for r in self.runs if r.id != current.id]
            run = self.new_run(setup)
            self.store[PRESSED] = Outcome("reset", run.id)
            return run

    # ----- the control bar ---------------------------------------------------------------------
    def press_train(self, setup: Setup, epochs: int | None = None, *, warm: bool = False,
                    new_lr: bool = False, observer: Observer | None = None,
                    pace: float | None = None) -> Outcome:
        """Train: go on with the current run when nothing changed, else start a new run
        (``warm``: from the current model, when only the data changed; ``new_lr``: go on with
        the current run at the new learning rate, when only that changed). Trains ``epochs``
        (default: the set-up's) at most ``pace`` epochs a second. Returns what it did."""
        epochs = setup.train_config.epochs if epochs is None else int(epochs)
        self.check(setup.ratings, epochs)
        with self._job("train") as job:
            run, outcome = self._target(setup, warm=warm, new_lr=new_lr)
            outcome = self.store[PRESSED] = replace(outcome, epochs=epochs)
            job.run_id = run.id
            self._loop(job, run, epochs, observer, pace)
        return outcome

    def press_step(self, setup: Setup, *, new_lr: bool = False,
                   observer: Observer | None = None) -> Outcome:
        """Step: one epoch of the run Train would act on (a new run when Train would make
        one)."""
        self.check(setup.ratings, 1)
        with self._job("step") as job:
            run, outcome = self._target(setup, warm=False, new_lr=new_lr)
            outcome = self.store[PRESSED] = replace(outcome, epochs=1)
            job.run_id = run.id
            self._step(job, run, observer)
        return outcome

    def _target(self, setup: Setup, *, warm: bool, new_lr: bool) -> tuple[Run, Outcome]:
        """The run a press acts on, made when needed (the caller holds the lock)."""
        plan = self.plan(setup)
        if plan.goes_on:
            run = plan.run
            run.preset = None  # no longer the lecture's exact set-up
            return run, Outcome("went_on", run.id, from_epoch=run.trainer.epochs_run)
        current = plan.current
        if new_lr and plan.lr_only:
            self._set_lr(current, setup.train_config.lr)
            self.make_current(current)
            return current, Outcome("new_lr", current.id, plan.changes,
                                    from_epoch=current.trainer.epochs_run)
        if warm and plan.warm:
            run = self.new_run(setup, warm_from=current)
            return run, Outcome("warm", run.id, plan.changes)
        run = self.new_run(setup)
        return run, Outcome("new", run.id, plan.changes)

    # ----- training ----------------------------------------------------------------------------
    def check(self, data: Ratings | Interactions | None, epochs: int) -> None:
        """Raise :class:`Refused` when this server does not train ``epochs`` on ``data``
        (ratings, or interactions: each counts as a rating)."""
        if data is None:
            return
        ranking = isinstance(data, Interactions)
        size = data.n_interactions if ranking else data.n_ratings
        problem = limits.check_trainable(data.n_users, data.n_items, size, int(epochs),
                                         limits.LIMITS, task="ranking" if ranking else "ratings",
                                         form=data.file_form)
        if problem:
            raise Refused(problem)

    def train(self, run: Run, epochs: int, *, observer: Observer | None = None,
              pace: float | None = None, kind: str = "train") -> Run:
        """Train ``run`` for ``epochs`` more epochs (at most ``pace`` a second), reporting to
        ``observer``. Pausing ends it after the current batch; the model is kept either way."""
        self.check(run.data, epochs)
        with self._job(kind, run) as job:
            self._loop(job, run, epochs, observer, pace)
        return run

    def step(self, run: Run, *, observer: Observer | None = None) -> Run:
        """Exactly one more epoch of ``run``."""
        with self._job("step", run) as job:
            self._step(job, run, observer)
        return run

    def set_lr(self, run: Run, lr: float) -> None:
        """Go on with ``run`` at learning rate ``lr`` from its next batch (its weights and the
        optimiser's running averages stay): recorded in ``run.changes``, since the exported
        code writes a run with one learning rate."""
        with self._job("lr", run):
            self._set_lr(run, lr)

    def _set_lr(self, run: Run, lr: float) -> None:
        trainer = run.trainer
        if float(lr) == float(trainer.train.lr):
            return
        trainer.set_lr(float(lr))
        run.changes.append((trainer.epochs_run, "lr", float(lr)))
        run.preset = None
        if run.result is not None:
            run.snapshot()

    def _step(self, job: Job, run: Run, observer: Observer | None) -> None:
        """One epoch. A run whose last epoch does not update (the lecture's setting) would not
        move: stepping turns the update on, and the run records it."""
        limits.apply_thread_limit()
        trainer = run.trainer
        job.trainer = trainer
        if run.task == "ranking":
            self._step_ranking(run, observer)
            return
        if not trainer.train.final_step:
            trainer.train = replace(trainer.train, final_step=True)
            run.changes.append((trainer.epochs_run, "final_step", 1))
        run.preset = None
        run.record_call(1)
        self.make_current(run)
        started = time.perf_counter()
        report = step_epoch(trainer)
        run.snapshot()
        if observer is not None:
            observer(Progress("step", 1, 1, time.perf_counter() - started, run, report))

    def _step_ranking(self, run: Run, observer: Observer | None) -> None:
        """One epoch of a ranking run (every epoch of it updates: nothing to turn on)."""
        run.record_call(1)
        self.make_current(run)
        started = time.perf_counter()
        reports = list(run.trainer.run(1))
        run.snapshot()
        if observer is not None:
            observer(Progress("step", 1, 1, time.perf_counter() - started, run,
                              reports[-1] if reports else None))

    def _loop(self, job: Job, run: Run, epochs: int, observer: Observer | None,
              pace: float | None) -> None:
        limits.apply_thread_limit()
        trainer = run.trainer
        job.trainer = trainer
        run.record_call(epochs)  # the exported code repeats every press
        self.store[TRAINING] = run.id
        self.make_current(run)
        started = time.perf_counter()
        last_save, done = 0.0, 0.0
        if observer is not None:
            observer(Progress(job.kind, 0.0, epochs, 0.0, run, paced=bool(pace)))
        for event in trainer.run(epochs):
            done = epochs_done(event, done)
            report = None if isinstance(event, Tick) else event
            if report is not None:
                if pace:  # wait for the epoch's turn
                    job.wait(started + done / pace - time.perf_counter())
                if time.perf_counter() - last_save >= SAVE_EVERY:
                    run.snapshot()
                    last_save = time.perf_counter()
            if job.stopped:
                trainer.stop()
            if observer is not None:
                observer(Progress(job.kind, done, epochs, time.perf_counter() - started, run,
                                  report, paced=bool(pace)))
        run.snapshot()
        self.store[TRAINING] = None
        if run.task != "ranking":
            prepare_in_background(run.result)

    # ----- warm start, what-if, tuning ------------------------------------------------------
    def warm_start(self, source: Run, setup: Setup, epochs: int | None = None, *,
                   observer: Observer | None = None) -> Run:
        """A new run that goes on from ``source``'s model on ``setup``'s (changed) data."""
        epochs = setup.train_config.epochs if epochs is None else int(epochs)
        self.check(setup.ratings, epochs)
        with self._job("warm") as job:
            run = self.new_run(setup, warm_from=source)
            self.store[PRESSED] = Outcome("warm", run.id, epochs=epochs)
            job.run_id = run.id
            self._loop(job, run, epochs, observer, None)
        return run

    def what_if(self, source: Run, user: int, item: int, value: float | None, *,
                data_rev: int = 0) -> WhatIf:
        """Make ready a what-if: a new run (the current one) that goes on from ``source``'s
        model on its data with the cell (user, item) set to ``value`` (cleared when None),
        the validation split carried over cell by cell. Train it with :meth:`train`
        (``kind="whatif"``). Raises RatingsError when the cell or value does not fit."""
        result = source.result
        if result is None:
            raise ValueError(f"Run #{source.id} has no model yet.")
        ratings = result.ratings
        edited = edit_cell(ratings, user, item, value)
        model = source.trainer.model if source.trainer is not None else result.model
        train_config = exactly(source.trainer.train if source.trainer is not None else
                               result.train_config)
        with self._job("whatif"):
            trainer = Trainer(edited, source.model_name, result.model_config, train_config,
                              model=copy.deepcopy(model),
                              is_val=carry_split(ratings, result.is_val, edited, (user, item)))
            runs = self.runs
            run = Run(id=next_id(runs), model_name=source.model_name,
                      data_name=source.data_name.removesuffix(" (edited)") + " (edited)",
                      trainer=trainer, data_rev=data_rev, warm_from=source.id)
            run.lineage = source.stages() or None
            runs.append(run)
            self.make_current(run)
        before = _rating_at(ratings, user, item)
        return WhatIf(run, source, edited, (user, item), before, value)

    def what_if_control(self, before, epochs: int, cell: tuple[int, int], *,
                        observer: Observer | None = None) -> np.ndarray | None:
        """Train the what-if's control (:func:`recsys_core.training.whatif.control_trainer`: the same
        ``epochs`` from the same weights, without the edit) as a job of this session, with
        progress and Pause. Returns every cell's prediction, or None when it was paused or
        stopped before the end (then there is nothing fair to compare with)."""
        trainer = control_trainer(before, cell)
        if not self._train_aside("whatif-control", trainer, epochs, observer) or \
                trainer.epochs_run < epochs:  # paused, or diverged: nothing fair to compare
            return None
        return trainer.result().predicted

    def retrain_visitor(self, result, visitor, *, n: int = 10, epochs: int | None = None,
                        observer: Observer | None = None):
        """Train the run ``result`` again from scratch with the fold-in ``visitor`` among its
        users, ``epochs`` epochs (default: as many as ``result`` ran; a run opened from a
        file: its configured epochs), and say how close the fold-in came, top ``n``. A ratings
        run takes a :class:`~recsys_core.training.foldin.FoldIn` and gives a
        :class:`~recsys_core.training.foldin.Comparison`; a ranking run a
        :class:`~recsys_core.ranking.foldin.RankingVisitor` and a
        :class:`~recsys_core.ranking.foldin.RankingComparison`. The retrained run is not kept
        among the runs: it exists to be compared with. Paused, it returns None (a
        half-trained model says nothing about fold-in). Raises FoldInError (a run without
        data), :class:`Refused` and :class:`Busy` as training does."""
        if getattr(result, "task", "ratings") == "ranking":
            from recsys_core.ranking.foldin import compare, retrainer

            trainer, user = retrainer(result, visitor)
            data = trainer.data
        else:
            from recsys_core.training.foldin import compare, retrainer

            trainer, user = retrainer(result, visitor.rated_pairs())
            data = trainer.ratings
        if epochs is None:
            epochs = int(result.epochs_run) or int(result.train_config.epochs)
        epochs = max(int(epochs), 1)
        self.check(data, epochs)
        started = time.perf_counter()
        if not self._train_aside("foldin", trainer, epochs, observer):
            return None
        return compare(visitor, trainer.result(), user, n, time.perf_counter() - started)

    def _train_aside(self, kind: str, trainer: Trainer, epochs: int,
                     observer: Observer | None) -> bool:
        """Train ``trainer`` (no run of the session: a comparison's other side) ``epochs``
        epochs as a job of this session, with progress and Pause. False when it was paused."""
        with self._job(kind) as job:
            limits.apply_thread_limit()
            job.trainer = trainer
            started, done = time.perf_counter(), 0.0
            if observer is not None:
                observer(Progress(kind, 0.0, epochs, 0.0))
            for event in trainer.run(epochs):
                done = epochs_done(event, done)
                if job.stopped:
                    trainer.stop()
                if observer is not None:
                    observer(Progress(kind, done, epochs, time.perf_counter() - started))
            return not job.stopped and trainer.status != "stopped"

    def tune(self, setup: Setup, *, max_seconds: float, observer: Observer | None = None,
             how: str = "grid", **options) -> TuningResult:
        """Search settings around ``setup``, keeping the result in the store (``TUNED``).
        ``how``: "grid" (:func:`recsys_core.training.tuning.tune`) or "auto" (the embedding
        size, then the weight decay, around the setup's: :func:`recsys_core.training.auto.search`).
        Paused, it keeps the trials finished so far."""
        self.check(setup.ratings, setup.train_config.epochs)
        with self._job("tune") as job:
            job.setup = setup
            limits.apply_thread_limit()
            started = time.perf_counter()

            def progress(done: int, planned: int, row: dict) -> None:
                job.rows.append(row)
                job.planned = planned
                if observer is not None:
                    observer(Progress("tune", done, planned, time.perf_counter() - started,
                                      row=row))

            searcher = auto_search if how == "auto" else tune
            try:
                found = searcher(setup.ratings, setup.model_name, setup.model_config,
                                 setup.train_config, max_seconds=max_seconds, progress=progress,
                                 stop=lambda: job.stopped, **options)
            except BaseException:  # cut off (a click ended the script): keep what was tried
                self._keep_tried(job)  # (in the app, the next script's settle does it)
                raise
            self._keep_tuned(job, found)
            return found

    def _keep_tuned(self, job: Job, found: TuningResult) -> None:
        setup = job.setup
        self.store[TUNED] = {"model": setup.model_name, "rev": setup.data_rev, "result": found}
        job.kept = True

    def _keep_tried(self, job: Job) -> None:
        """A search that ended before its result was kept: keep the trials it finished."""
        if job.kind == "tune" and job.rows and not job.kept:
            setup = job.setup
            self._keep_tuned(job, summarise(setup.ratings, setup.model_config,
                                            setup.train_config, job.rows, job.planned))

    def tuned(self, model_name: str, data_rev: int) -> TuningResult | None:
        """The last search, if it was made for this model and data."""
        kept = self.store.get(TUNED)
        if not kept or kept["model"] != model_name or kept["rev"] != data_rev:
            return None
        return kept["result"]

    # ----- stopping ----------------------------------------------------------------------------
    def pause(self) -> Run | None:
        """Pause whatever this session runs: the job ends after its current batch (or trial)
        and keeps what it made. Returns the training run paused, if one was."""
        return self._settle()

    def settle_interrupted(self) -> Run | None:
        """For a job cut off without being paused (the script that ran it was stopped by a
        click or a page switch): stop it and keep what it made. Returns the training run it
        settled, if one was still running. The same as :meth:`pause`; the caller tells the
        person (a pause was asked for, an interruption was not)."""
        return self._settle()

    def _settle(self) -> Run | None:
        job = self.job
        settled = [run for run in self.runs
                   if run.trainer is not None and run.trainer.status == "running"]
        if job is not None:
            job.stop()
        for run in settled:
            run.trainer.stop()  # the cut-off loop ends after its current batch ...
        if job is not None or settled:
            self.wait()  # ... in the old script thread, which may still be running
        for run in settled:
            run.snapshot()
        if job is not None:
            self._keep_tried(job)
            if self.store.get(JOB) is job:  # the cut-off script could not say it ended
                self.store[JOB] = None
        self.store[TRAINING] = None
        return settled[-1] if settled else None

    def wait(self, timeout: float = HANDOVER_SECONDS) -> bool:
        """Wait until no job of this session runs (True), or ``timeout`` passed."""
        if self.lock.acquire(timeout=timeout):
            self.lock.release()
            return True
        return False

    @contextmanager
    def _job(self, kind: str, run: Run | None = None) -> Iterator[Job]:
        """Hold the session's lock for one job (waiting ``HANDOVER_SECONDS`` for it)."""
        lock = self.lock
        if not lock.acquire(timeout=HANDOVER_SECONDS):
            raise Busy("The previous training of this session is still finishing; try again "
                       "in a moment.")
        job = Job(kind, run.id if run is not None else None)
        self.store[JOB] = job
        try:
            yield job
        finally:
            # the lock is let go whatever happens here: in the app, a script cut off by a
            # click raises again at its next touch of the session's state
            try:
                if self.store.get(JOB) is job:
                    self.store[JOB] = None
            finally:
                lock.release()


# ----- helpers ------------------------------------------------------------------------------------
PREPARE_MAX_CELLS = 10_000_000
"""Larger matrices are not prepared ahead: their predictions alone are 80 MB or more a run,
kept with the run, which a run nobody opens on Results should not cost (their Results page
computes them when first opened, as before)."""


def prepare_in_background(result) -> threading.Thread | None:
    """Start computing a finished run's Results (``FitResult.prepare``) in a daemon thread:
    the person reads the finished message and clicks, and the page finds them ready (or
    waits for the rest of this one computation). Nothing is shown from here: if it fails,
    the page computes again when opened and reports the error there."""
    if result is None or result.ratings.n_users * result.ratings.n_items > PREPARE_MAX_CELLS:
        return None

    def work() -> None:
        limits.apply_thread_limit()
        with contextlib.suppress(Exception):  # the page repeats it and says what went wrong
            result.prepare()

    thread = threading.Thread(target=work, name="prepare-results", daemon=True)
    thread.start()
    return thread


def epochs_done(event: EpochReport | RankingEpoch | Tick, done: float) -> float:
    """Epochs done after ``event`` (fractional inside an epoch), from ``done`` before it."""
    if not isinstance(event, Tick):
        return int(done) + 1
    return int(done) + event.batches_done / max(event.batches_total, 1)


def _rating_at(ratings: Ratings, user: int, item: int) -> float | None:
    k = np.flatnonzero((ratings.user_idx == user) & (ratings.item_idx == item))
    return float(ratings.values[k[0]]) if k.size else None


__all__ = ["RUNS", "CURRENT", "TRAINING", "LOCK", "JOB", "PRESSED", "TUNED",
           "HANDOVER_SECONDS", "SAVE_EVERY", "LIVE_SETTINGS", "Busy", "Refused", "Setup",
           "Change", "Plan", "Outcome", "Progress", "Job", "WhatIf", "RunService", "differences",
           "made_with"]
