"""The lecture's first lesson (11wk-1, section 3A), computed live with torch.

Three names, 옥순, 영숙 and 하니, are numbered 0, 1, 2; ``x = [0, 1, 2, 0, 1]``. A one-hot
encoding ``E`` followed by a linear layer without bias, ``linr(E)``, gives one number per
position; an embedding layer whose table is ``linr.weight.T`` gives exactly the same numbers
from ``x`` directly, ``ebdd(x)``: an embedding layer *is* one-hot + linear, without building
the one-hot matrix. With the lecture's seed 43052 the numbers are the lecture's
(-0.2002, -0.4890, 0.2081, -0.2002, -0.4890).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch

LECTURE_SEED = 43052
NAMES = ("옥순", "영숙", "하니")
X = (0, 1, 2, 0, 1)
PRINTED = (-0.2002, -0.4890, 0.2081, -0.2002, -0.4890)


@dataclass(frozen=True)
class Lesson:
    table: pd.DataFrame  # name, x, one_hot, linear, embedding: one row per position of x
    weight: list[float]  # linr.weight, the embedding table's column
    largest_difference: float

    @property
    def equal(self) -> bool:
        return self.largest_difference == 0.0


def embedding_lesson(seed: int = LECTURE_SEED) -> Lesson:
    """The lecture's code, run now: ``torch.manual_seed(seed)``, one-hot + ``Linear(3, 1,
    bias=False)``, then ``Embedding(3, 1)`` with ``weight.data = linr.weight.data.T``. The
    global random state is restored afterwards, so nothing else in the app is disturbed."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(int(seed))
        x = torch.tensor(X)
        E = torch.nn.functional.one_hot(x).float()
        linr = torch.nn.Linear(3, 1, bias=False)
        by_linear = linr(E)
        ebdd = torch.nn.Embedding(3, 1)
        ebdd.weight.data = linr.weight.data.T
        by_embedding = ebdd(x)
    table = pd.DataFrame({
        "name": [NAMES[k] for k in X],
        "x": list(X),
        "one_hot": [str(row) for row in E.int().tolist()],
        "linear": by_linear.squeeze(1).tolist(),
        "embedding": by_embedding.squeeze(1).tolist(),
    })
    difference = float((by_linear - by_embedding).abs().max())
    return Lesson(table, linr.weight.squeeze(0).tolist(), difference)


def lesson_code(seed: int = LECTURE_SEED) -> str:
    """The lecture's lines that :func:`embedding_lesson` runs, to show beside the numbers."""
    return (f"torch.manual_seed({int(seed)})\n"
            "x = torch.tensor([0,1,2,0,1])  # 옥순, 영숙, 하니, 옥순, 영숙\n"
            "E = torch.nn.functional.one_hot(x).float()\n"
            "linr = torch.nn.Linear(3,1,bias=False)\n"
            "ebdd = torch.nn.Embedding(3,1)\n"
            "ebdd.weight.data = linr.weight.data.T\n"
            "linr(E), ebdd(x)")
