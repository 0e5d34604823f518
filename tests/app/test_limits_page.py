"""The server's limits on the Train page (AppTest): a training over a limit is refused in words,
under the chart, and nothing is trained or lost."""

from __future__ import annotations

from recsys_core.limits import Limits
from tests.app.helpers import fresh, go
from ui.paths import TRAIN


def test_too_many_epochs_are_refused_in_words(monkeypatch):
    monkeypatch.setattr("recsys_core.limits.LIMITS", Limits(max_epochs=50))
    at = go(fresh(), TRAIN)
    at.number_input(key="tc-mf-epochs").set_value(60)
    at.button(key="train").click().run()
    assert not at.exception
    assert at.session_state["runs"] == []
    shown = " ".join(e.value for e in at.error)
    assert "60 epochs" in shown and "at most 50" in shown
    at.number_input(key="tc-mf-epochs").set_value(40)
    at.button(key="train").click().run()
    assert len(at.session_state["runs"]) == 1
    at.number_input(key="tc-mf-epochs").set_value(70)  # going on with the run: refused too
    at.button(key="train").click().run()
    assert "70 epochs" in " ".join(e.value for e in at.error)
    assert at.session_state["runs"][0].result.epochs_run == 40


def test_too_large_data_is_refused_in_words(monkeypatch):
    monkeypatch.setattr("recsys_core.limits.LIMITS", Limits(max_ratings=50))
    at = go(fresh(), TRAIN)
    at.button(key="train").click().run()
    assert not at.exception and at.session_state["runs"] == []
    shown = " ".join(e.value for e in at.error)
    assert "63 ratings" in shown and "at most 50" in shown
    said = shown.replace("\\", "")  # markdown-escaped on the page
    assert "python -m recsys_core fit" in said and "--engine spark" in said  # the way on
