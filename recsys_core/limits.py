"""Server-side limits, in one place, so one person cannot starve everyone else on the server.

In the library although a server is the app's concern: the library applies them itself. The
run service refuses a training past them (:mod:`recsys_core.training.run_service`, which the pages,
what-if and tuning all train through) and the suggested settings stay within them
(:mod:`recsys_core.models.defaults`), so nothing that trains can go around them.

Each limit can be set by an environment variable (e.g. ``RECSYS_MAX_EPOCHS=2000 make run``);
the upload size must match ``server.maxUploadSize`` in ``.streamlit/config.toml``, which
Streamlit enforces before a file ever reaches the app (the app uses the lower of the two, so
``RECSYS_MAX_UPLOAD_MB`` can lower the limit; raising it needs the config raised too).

Training threads. Every browser session's script runs in a thread of the one server process,
and ``torch.set_num_threads`` is process-wide: torch has no per-thread setting, so a
"threads per session" limit cannot be set for one session alone. What works is to set it once
for the process (:func:`apply_thread_limit`, called before the app's first training): each
torch operation then runs on the thread that called it plus at most ``threads_per_session - 1``
helpers, so N concurrent trainings keep about N x ``threads_per_session`` cores busy, and no
single session's large matrix product grabs every core while others wait. With the default 1,
concurrent trainings share the cores through the operating system's scheduler (and Python's
GIL, which torch releases inside each operation).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from recsys_core.data.form import FileForm, fit_command, shell_line
from recsys_core.i18n import L_, Joined, Msg


@dataclass(frozen=True)
class Limits:
    max_upload_mb: int = 50  # same as .streamlit/config.toml server.maxUploadSize
    max_ratings: int = 2_000_000  # largest data set trained in the app
    max_cells: int = 25_000_000  # users x items of a data set trained in the app
    max_epochs: int = 100_000  # epochs in one go, whatever the data (the form's maximum too)
    max_epoch_ratings: int = 50_000_000  # epochs x ratings in one go: MovieLens-small 495
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
                    limits: Limits, *, task: str = "ratings",
                    form: FileForm | None = None) -> str | None:
    """Why this training is refused on this server, in words; None when it may run.
    ``task``: "ratings", or "ranking" (``n_ratings`` then counts interactions); ``form``: how
    the data's file was read, for the command line that trains that file anyway."""
    ranking = task == "ranking"
    if n_ratings > limits.max_ratings:
        counts = dict(n=f"{n_ratings:,}", most=f"{limits.max_ratings:,}")
        too_many = (L_("This data has {n} interactions; this server trains at most {most}. Use "
                       "a sample of the data, or the command line on your own machine.",
                       **counts) if ranking else
                    L_("This data has {n} ratings; this server trains at most {most}. Use a "
                       "sample of the data, or the command line on your own machine.", **counts))
        return Joined([too_many, command_sentence(form, task)], sep=" ")
    if n_users * n_items > limits.max_cells:
        return Joined([L_("The matrix has {users} x {items} = {cells} cells; this server fills "
                          "at most {most}. Remove rarely-rated users or items, or use the command "
                          "line on your own machine.", users=f"{n_users:,}", items=f"{n_items:,}",
                          cells=f"{n_users * n_items:,}", most=f"{limits.max_cells:,}"),
                       command_sentence(form, task)], sep=" ")
    return _too_many_epochs(n_ratings, epochs, limits, ranking)


def _too_many_epochs(n_ratings: int, epochs: int, limits: Limits, ranking: bool) -> Msg | None:
    allowed = most_epochs(n_ratings, limits)
    if epochs <= allowed:
        return None
    if allowed == limits.max_epochs:
        return L_("{epochs} epochs asked; this server runs at most {most} in one go. Train "
                  "fewer epochs, then press Train again to go on with the same run.",
                  epochs=f"{epochs:,}", most=f"{allowed:,}")
    counts = dict(epochs=f"{epochs:,}", most=f"{allowed:,}", n=f"{n_ratings:,}",
                  updates=f"{limits.max_epoch_ratings:,}")
    if ranking:
        return L_("{epochs} epochs asked; this server runs at most {most} in one go on {n} "
                  "interactions (it allows {updates} interaction updates per training). Train "
                  "fewer epochs, then press Train again to go on with the same run.", **counts)
    return L_("{epochs} epochs asked; this server runs at most {most} in one go on {n} "
              "ratings (it allows {updates} rating updates per training). Train fewer "
              "epochs, then press Train again to go on with the same run.", **counts)


def command_sentence(form: FileForm | None = None, task: str = "ratings") -> Msg:
    """The sentence that names the command line training this file without a size limit:
    the Spark engine where it reads the file, else the torch engine's command line, which
    reads every form the app reads (:mod:`recsys_core.data.form`)."""
    command = shell_line(fit_command(form, task))
    if form is None or form.spark_reads:
        return L_("For data this large: {command} (Apache Spark, see the README).",
                  command=command)
    return L_("For data this large: {command} (the torch engine's command line, which reads "
              "matrices, Excel and any encoding and has no server limits; see the README).",
              command=command)


def most_epochs(n_ratings: int, limits: Limits) -> int:
    """The most epochs one training may run on ``n_ratings`` ratings: a fixed cap, and a cap on
    the work (epochs x ratings) so a large data set gets fewer."""
    return max(1, min(limits.max_epochs, limits.max_epoch_ratings // max(n_ratings, 1)))


def apply_thread_limit(limits: Limits | None = None) -> int:
    """Set torch's intra-op threads for this process to ``threads_per_session`` (see the module
    docstring for why per process, not per session); returns the number set. Cheap to call
    again: torch is only told when the number differs."""
    import torch

    wanted = max(1, (limits or LIMITS).threads_per_session)
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)
    return wanted


LIMITS = Limits.from_env()
