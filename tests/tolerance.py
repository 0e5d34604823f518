"""How close two floats must be, and why: one place for every comparison the suite makes.

Machines of this project's kind differ in CPU (Intel and AMD seen). Their BLAS kernels and
vector widths add float32 numbers in different orders, so two code paths that reach the same
number (a matrix product against per-cell predictions, an exported script against the app, a
hand-written breakdown against the model's forward pass) agree to a few units in the last
place, not exactly, and by different amounts on different machines.

The rules the suite follows:

- **One code path on both sides** (the same function on the same weights twice, a value
  written and read back, training paused and resumed through the same loop): compare exactly.
  Same inputs, same operations in the same order give the same bits on one machine.
- **Two code paths to one float32 number**: compare with :data:`FLOAT32_ATOL` (absolute) and
  :data:`FLOAT32_RTOL` (relative), via :func:`assert_float32_close`.
- **A stored number** (the lecture's printed predictions): compare with
  :func:`assert_rounds_to`, and show in the test that the number is stable across CPUs
  (:func:`jitter_gradients` imitates another CPU's summation order).
"""

from __future__ import annotations

import numpy as np
import torch

FLOAT32_ROUNDING = 2.0 ** -24
"""The largest relative error of one float32 rounding (half the gap between 1.0 and the next
float32): the size of one "last-bit" difference below."""

FLOAT32_RTOL = 1e-5
"""Relative tolerance for two float32 code paths: about 170 roundings (a sum of a few dozen
products may round each term differently; that leaves room and is still far below any
difference a test is there to catch)."""

FLOAT32_ATOL = 1e-5
"""Absolute tolerance for two float32 code paths to numbers on a rating scale (|x| <= ~10):
about 30 roundings at 5.0. The product promises 1e-4 (exported code, cell arithmetic), so
a path 1e-5 off still keeps the promise tenfold. Measured: 1.8e-7 between an Intel and an AMD
machine for one heatmap cell (issue 11)."""


def assert_float32_close(actual, expected, err_msg: str = "") -> None:
    """Two code paths reached the same float32 numbers, up to their summation order."""
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL, err_msg=err_msg)


def assert_rounds_to(ours, printed, decimals: int) -> None:
    """``ours`` shows as ``printed`` when rounded to ``decimals`` places: the promise "the
    lecture's numbers to 4 decimals", said as a distance so the failure message shows by how
    much (|ours - printed| at most half a unit of the last printed place)."""
    ours, printed = np.asarray(ours, dtype=float), np.asarray(printed, dtype=float)
    half_unit = 0.5 * 10.0 ** -decimals
    off = np.abs(ours - printed)
    worst = int(np.argmax(off))
    assert (off <= half_unit).all(), (
        f"position {worst}: {ours[worst]!r} does not round to {printed[worst]} "
        f"({off[worst]:.3g} away; at most {half_unit:g} allowed)")


def jitter_gradients(model: torch.nn.Module, seed: int, units: float = 2.0) -> None:
    """Multiply every gradient, at every step, by a random factor within ``units`` roundings
    (:data:`FLOAT32_ROUNDING`) of 1: what another CPU's summation order does to a float32
    gradient.

    A stored number that still comes out the same under several such jitters does not hang on
    the last bits of this machine's arithmetic."""
    generator = torch.Generator().manual_seed(seed)

    def jitter(grad: torch.Tensor) -> torch.Tensor:
        noise = (torch.rand(grad.shape, generator=generator) * 2 - 1) * units * FLOAT32_ROUNDING
        return grad * (1 + noise)

    for parameter in model.parameters():
        parameter.register_hook(jitter)
