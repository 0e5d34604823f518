"""Server-side limits, in one place, so one person cannot starve everyone else on the server.

Each limit can be set by an environment variable (e.g. ``RECSYS_MAX_EPOCHS=2000 make run``);
the upload size must match ``server.maxUploadSize`` in ``.streamlit/config.toml``, which
Streamlit enforces before a file ever reaches the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_upload_mb: int = 50  # same as .streamlit/config.toml server.maxUploadSize
    max_ratings: int = 2_000_000  # largest data set trained in the app
    max_cells: int = 25_000_000  # users x items of a data set trained in the app
    max_epochs: int = 5_000
    max_editor_cells: int = 10_000  # 100 x 100: larger data is shown read-only, paged
    threads_per_session: int = 1  # torch threads one training may use

    @classmethod
    def from_env(cls, environ=os.environ) -> Limits:
        values = {}
        for f in fields(cls):
            raw = environ.get(f"RECSYS_{f.name.upper()}")
            if raw is not None:
                try:
                    values[f.name] = int(raw)
                except ValueError:
                    raise ValueError(f"RECSYS_{f.name.upper()} must be a whole number, "
                                     f"got '{raw}'") from None
        return cls(**values)


def check_trainable(n_users: int, n_items: int, n_ratings: int, epochs: int,
                    limits: Limits) -> str | None:
    """Why this training is refused on this server, in words; None when it may run."""
    if n_ratings > limits.max_ratings:
        return (f"This data has {n_ratings:,} ratings; this server trains at most "
                f"{limits.max_ratings:,}. Use a sample of the data, or run the command line "
                "(python -m recsys_core fit) on your own machine.")
    if n_users * n_items > limits.max_cells:
        return (f"The matrix has {n_users:,} x {n_items:,} = {n_users * n_items:,} cells; this "
                f"server fills at most {limits.max_cells:,}. Remove rarely-rated users or items, "
                "or use the command line on your own machine.")
    if epochs > limits.max_epochs:
        return (f"{epochs:,} epochs asked; this server runs at most {limits.max_epochs:,} in one "
                "go. Train fewer epochs, then press Continue.")
    return None


LIMITS = Limits.from_env()
