"""Classroom mode: which controls a link hides, in and out of the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest

from recsys_core.models import MODELS
from recsys_core.models.config import describe
from recsys_core.training.trainer import TrainConfig
from ui.classroom import (
    APP_CONTROLS,
    HIDE_PARAM,
    MAX_NAMES,
    controls,
    decode_hidden,
    encode_hidden,
    hidden_params,
    hyperparameters,
)


def test_every_hyperparameter_and_app_control_can_be_hidden():
    names = controls()
    for cls in [TrainConfig, *(spec.config_cls for spec in MODELS.values())]:
        for info in describe(cls):
            assert info.name in names
    assert set(APP_CONTROLS) <= set(names)
    assert {"lr", "seed", "model", "dim", "hidden", "epochs", "play", "step", "reset"} <= set(names)
    assert hyperparameters()["lr"] == "Learning rate"


def test_round_trip_through_a_url():
    value = encode_hidden(["seed", "lr", "model"])
    assert value == "model,lr,seed"  # a fixed order: the same choice, the same link
    query = urlencode(hidden_params(["seed", "lr", "model"]))
    assert query == "hide=model%2Clr%2Cseed"
    back = decode_hidden(parse_qs(query)[HIDE_PARAM][0])
    assert back.names == ("model", "lr", "seed") and back.message == ""
    assert "lr" in back and "epochs" not in back


def test_reading_is_forgiving_about_spacing_case_and_repeats():
    hidden = decode_hidden(" LR ; seed  seed,,Model ")
    assert hidden.names == ("model", "lr", "seed") and not hidden.unknown


def test_unknown_names_are_refused_with_a_message_and_the_rest_still_apply():
    hidden = decode_hidden("lr,learning_rate,seed")
    assert hidden.names == ("lr", "seed")
    assert hidden.unknown == ("learning_rate",)
    assert "'learning_rate'" in hidden.message and "Known names" in hidden.message
    with pytest.raises(ValueError, match="learning_rate"):
        encode_hidden(["lr", "learning_rate"])


def test_odd_text_in_a_link_is_not_echoed():
    hidden = decode_hidden("lr,<script>alert(1)</script>,**bold**")
    assert hidden.names == ("lr",)
    assert "<script>" not in hidden.message and "**" not in hidden.message
    assert "a name with other characters" in hidden.message


def test_nothing_to_hide():
    for empty in (None, "", " , "):
        hidden = decode_hidden(empty)
        assert hidden.names == () and hidden.message == ""
    assert hidden_params([]) == {}


def test_a_list_of_values_as_query_params_give_them():
    assert decode_hidden(["lr", "seed,model"]).names == ("model", "lr", "seed")


def test_absurdly_long_lists_are_refused():
    hidden = decode_hidden(",".join(["lr"] * (MAX_NAMES + 1)))
    assert hidden.names == () and "at most" in hidden.message
