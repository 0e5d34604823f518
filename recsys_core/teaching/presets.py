"""The lecture's set-ups (DL2024 11wk-1), reproduced exactly on ``solo.csv``.

The lecture seeds torch with 43052, creates its embedding tables in a fixed order, trains with
Adam (lr 0.1) on all 63 ratings at once, and prints ``yhat``. For MF it printed the ``yhat`` of
the 100th epoch's forward pass, computed *before* that epoch's ``optimizer.step()``: the model
after 99 updates. ``final_step=False`` keeps exactly that state.
"""

from __future__ import annotations

from dataclasses import dataclass

from recsys_core.i18n import N_
from recsys_core.models import MFConfig, NNConfig
from recsys_core.training.trainer import TrainConfig

LECTURE_SEED = 43052


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    model_name: str
    model_config: object
    train_config: TrainConfig
    state_note: str
    printed: dict  # what the lecture printed, to show beside the app's numbers
    sample: str = "solo"  # the course's matrix ...
    scale: tuple[float, float] = (0.0, 5.0)  # ... on its 0-5 scale


def lecture_training(epochs: int, final_step: bool = True) -> TrainConfig:
    """How the lecture trains: Adam at lr 0.1, no weight decay, all 63 ratings at once (no
    validation share), seeded with :data:`LECTURE_SEED`."""
    return TrainConfig(epochs=epochs, lr=0.1, optimizer="adam", weight_decay=0.0,
                       batch_size=None, val_frac=0.0, seed=LECTURE_SEED, final_step=final_step)


PRESETS: dict[str, Preset] = {
    "lecture-mf": Preset(
        name="lecture-mf",
        title=N_("Week 11 MF (11주차 MF)"),
        model_name="mf",
        model_config=MFConfig(dim=2, output="top", mean_offset=False, init_std=None),
        train_config=lecture_training(100, final_step=False),
        state_note=N_("Predictions are those the lecture printed: the 100th epoch's forward "
                      "pass, before its optimizer.step(), i.e. the model after 99 updates."),
        printed={
            # yhat of the 63 observed cells in row-major order, every 4th from the first
            "every_4th": [4.1083, 0.9388, 4.0483, 0.9707, 4.2264, 0.9518, 0.5124, 1.1198,
                          4.0588, 1.0596, 3.9666, 0.9472, 3.9194, 1.0346, 4.8851, 4.5387],
        },
    ),
    "lecture-nn": Preset(
        name="lecture-nn",
        title=N_("Week 11 NN, solution 2 (11주차 NN 풀이2)"),
        model_name="nn",
        model_config=NNConfig(dim=2, hidden=(15, 15), activation="relu", output="top",
                              mean_offset=False, init_std=None),
        train_config=lecture_training(1000),
        state_note=N_("Predictions of the network after all 1000 updates, as the lecture's "
                      "net(XX1,XX2)."),
        printed={
            # net(XX1, XX2) for (옥순,영식), (영자,다호), (하니,영호)
            "pairs": [("옥순(IN)", "영식(IN)", 4.0114), ("영자(IN)", "다호(ES)", 0.5262),
                      ("하니(I)", "영호(IS)", 4.9767)],
        },
    ),
}
