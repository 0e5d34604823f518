"""Show the code: a self-contained Python script, in the lecture's style, that reproduces a run.

The script is what a student pastes into a notebook: pandas reads the data, a
``class Net(torch.nn.Module)`` holds the embedding tables and layers, and the training loop is
the lecture's four steps (``# 1 yhat / # 2 loss / # 3 backward / # 4 step, zero_grad``). It
repeats the app's run exactly, not just in spirit:

- the data in the app's order (bundled samples are read from ``data/`` by relative path;
  uploaded or edited data is written into the script, or, when large, into a CSV file offered
  beside it), the users and items in the app's order (they number the embedding rows);
- the validation split, as the list of held-out positions;
- ``torch.manual_seed`` before the tables and layers are created in the library's order with
  the library's initialisation, so the starting weights are the same numbers;
- the output scaling (``sigmoid`` onto the scale, the ``mean_offset`` shift);
- the loss: MSE plus, with weight decay, the per-batch L2 penalty on the embedding rows the
  batch used (read in the forward pass, as :meth:`RatingModel.forward_with_penalty` does), and
  the optimiser's weight decay on layer weights only (:func:`training._make_optimizer`);
- mini-batches in the order of a ``torch.Generator`` seeded with the run's seed; the
  "update after the last epoch" switch; every press of Train / Continue training, and for a
  warm-started run the runs it started from; a run that diverged or stopped early ends at
  the epoch whose model the app kept.

``tests/test_codegen.py`` runs the script in a subprocess for every model type and compares
its predictions with the app's.

Why one module of about 700 lines: it writes one document from top to bottom (data, split,
network, training, filling in), and each section's lines depend on the ones before (the names
it defines, the seed's place); read in order it is the script itself. What differs by model
is not here but in each model's file (``recsys_core/models/``: its parts and forward lines).
"""

from __future__ import annotations

import functools
import math
import textwrap
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch

from recsys_core.data.ratings import Ratings
from recsys_core.data.samples import SAMPLES, load_sample
from recsys_core.i18n import _
from recsys_core.models import ACTIVATIONS, MODELS, OutputConfig
from recsys_core.models.code import ACTIVATION_CODE, Layers, Table
from recsys_core.training import trainer as training
from recsys_core.training.coldstart import cold_rows
from recsys_core.training.trainer import EpochReport, TrainConfig

WIDE_LITERAL_CELLS = 5_000
"""Data up to this many cells, stored row by row, is written into the script as a table."""
LONG_LITERAL_RATINGS = 3_000
"""Other data up to this many ratings is written into the script as (user, item, rating)
rows; larger data goes into a CSV file beside the script."""
LINE = 92

OPTIMIZER_CODE = {"adam": "torch.optim.Adam", "adamw": "torch.optim.AdamW",
                  "sgd": "torch.optim.SGD"}
assert set(ACTIVATION_CODE) == set(ACTIVATIONS)
assert set(OPTIMIZER_CODE) == set(training.OPTIMIZERS)


# =========================================================================================
# What to reproduce
# =========================================================================================
@dataclass
class Stage:
    """One trainer's life: a network trained on one data set with one set of settings.

    ``calls`` holds, for every press of Train / Continue training, the number of epochs
    already run when it began and the number asked for. A warm-started run is the stages of
    the run it started from, then its own.
    """

    ratings: Ratings
    is_val: np.ndarray
    model_name: str
    model_config: object
    train_config: TrainConfig
    history: list[EpochReport] = field(default_factory=list)
    status: str = "completed"
    calls: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, result, calls=None) -> Stage:
        """The stage of a ``FitResult`` (``calls`` as recorded by the app, if known)."""
        return cls(result.ratings, np.asarray(result.is_val, dtype=bool), result.model_name,
                   result.model_config, result.train_config, list(result.history),
                   result.status, [tuple(c) for c in (calls or [])])


@dataclass(frozen=True)
class Segment:
    """Epochs of one call, and whether its last epoch skips the update (final_step off)."""

    epochs: int
    skip_last_update: bool


def kept_epoch(stage: Stage) -> int:
    """How many epochs of updates the kept model has: all of them; for a diverged run those
    before the epoch with the lowest training loss (its loss was measured on the weights
    before its updates: 0 = the starting weights); for an early-stopped run up to the epoch
    with the best validation RMSE (first of equals, as the trainer keeps them)."""
    history = stage.history
    if stage.status == "diverged":
        if not history:
            return 0  # diverged in the very first epoch: back to the starting weights
        losses = [r.train_loss for r in history]
        return int(np.argmin(losses))
    if stage.status == "early_stopped" and any(r.val_rmse is not None for r in history):
        scores = [np.inf if r.val_rmse is None else r.val_rmse for r in history]
        return int(np.argmin(scores)) + 1
    return len(history)


def plan(stage: Stage) -> list[Segment]:
    """The epochs to run, call by call, to end at the model the stage kept."""
    done = len(stage.history)
    calls = stage.calls or [(0, max(done, stage.train_config.epochs))]
    stop_at = kept_epoch(stage)
    segments = []
    for k, (start, asked) in enumerate(calls):
        end = calls[k + 1][0] if k + 1 < len(calls) else done
        actual = max(0, end - start)
        run = min(actual, stop_at - start)
        if run <= 0:
            break
        skip = (not stage.train_config.final_step) and actual == asked and run == actual
        segments.append(Segment(int(run), bool(skip)))
    return segments


@dataclass
class Script:
    """The code, and any data files it reads that the app must offer beside it."""

    code: str
    files: dict[str, bytes] = field(default_factory=dict)


# =========================================================================================
# The script
# =========================================================================================
def generate(stages: list[Stage] | Stage, *, title: str = "", lang: str = "en",
             file_stem: str = "ratings") -> Script:
    """A self-contained script reproducing ``stages`` (see the module docstring).

    ``title`` names the run in the first comment line; ``file_stem`` names data files written
    beside the script (large uploaded or edited data).
    """
    if isinstance(stages, Stage):
        stages = [stages]
    if not stages:
        raise ValueError("nothing to reproduce: no stages")
    first = stages[0]
    spec = MODELS[first.model_name]
    w = _Writer(lang)
    files: dict[str, bytes] = {}
    sources = [_source_of(s.ratings, f"{file_stem}.csv" if len(stages) == 1 else
                          f"{file_stem}_{k + 1}.csv") for k, s in enumerate(stages)]
    # --- header
    data_title = sources[0].title
    w.comment(_("Reproduces the RecSys Playground run {run}: {model} on {data}.", lang, run=title or "",
                model=_(spec.title, lang), data=data_title)
              .replace("  ", " "))
    w.comment(_("Same data and order, same validation split, seed, starting weights and updates,\n"
                "so its predictions match the app's (to about 4 decimals; the app trains on a GPU\n"
                "when the server has one, which changes the last digits).", lang))
    if any(s.status == "stopped" for s in stages):
        w.comment(_("This run was stopped by hand. An epoch it had only partly done (mini-batches) is\n"
                    "not repeated here, so the numbers may differ slightly.", lang))
    if any(getattr(s.model_config, "solver", "gradient") == "als" for s in stages):
        w.comment(_("The app trained this run with alternating least squares (solver als); this\n"
                    "script trains with the optimiser instead, so its numbers differ from the app's.",
                    lang))
    if any(getattr(s.model_config, "dropout", 0) for s in stages):
        w.comment(_("Dropout draws random numbers while training: the numbers repeat exactly only if\n"
                    "nothing else used torch's random generator during the app's training.", lang))
    if any(src.kind == "sample" for src in sources):
        w.comment(_("Run it in the folder that holds the app's data/ folder.", lang))
    for src in sources:
        if src.kind == "file":
            w.comment(_("Put {file} (downloaded beside this script) in the same folder.", lang,
                        file=src.file_name))
            files[src.file_name] = src.file_bytes
    w.blank()
    w.line("import math")
    w.blank()
    w.line("import numpy as np")
    w.line("import pandas as pd")
    w.line("import torch")
    w.blank()
    section = 1
    w.section(_("1. the data", lang))
    _data_code(w, sources[0], first.ratings, lang)
    w.section(_("2. ratings held out for validation (the app's split)", lang))
    _split_code(w, first, lang)
    w.section(_("3. the network", lang))
    _net_code(w, first, lang, decay=any(s.train_config.weight_decay > 0 for s in stages))
    w.section(_("4. training: the lecture's four steps", lang))
    _train_code(w, first, lang, first_stage=True)
    section = 4
    for k, stage in enumerate(stages[1:], start=1):
        section += 1
        w.section(_("{n}. warm start: keep training the same network on edited data", lang, n=section))
        if same_ratings(stage.ratings, stages[k - 1].ratings):
            w.comment(_("the same data as before", lang))
        else:
            _data_code(w, sources[k], stage.ratings, lang)
        _split_code(w, stage, lang)
        _train_code(w, stage, lang, first_stage=False)
    w.section(_("{n}. fill every cell of the matrix", lang, n=section + 1))
    _fill_code(w, lang)
    return Script(w.text(), files)


def generate_for_result(result, calls=None, **options) -> Script:
    return generate([Stage.of(result, calls)], **options)


# ----- writer ----------------------------------------------------------------------------
class _Writer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []

    def line(self, text: str = "", indent: int = 0) -> None:
        self.lines.append(("    " * indent + text).rstrip())

    def blank(self, n: int = 1) -> None:
        """End with ``n`` empty lines (never more in a row)."""
        trailing = len(self.lines) - len(list(_strip_blank(self.lines)))
        self.lines.extend([""] * max(0, n - trailing))

    def comment(self, text: str, indent: int = 0) -> None:
        width = LINE - 2 - 4 * indent
        for part in str(text).splitlines():
            for piece in textwrap.wrap(part, width) or [""]:
                self.line(_comment(piece), indent)

    def section(self, title: str) -> None:
        self.blank()
        head = _comment(f"----- {title} ")
        self.line(head + "-" * max(3, LINE - _width(head)))

    def items(self, opener: str, values: list[str], closer: str, indent: int = 0) -> None:
        """``opener`` then the values, wrapped at LINE characters, then ``closer``."""
        pad = "    " * (indent + 1)
        flat = "    " * indent + opener + ", ".join(values) + closer
        if len(flat) <= LINE:
            self.lines.append(flat)
            return
        row = ""
        self.line(opener, indent)
        for value in values:
            piece = value + ", "
            if row and len(pad) + len(row) + len(piece) > LINE:
                self.lines.append(pad + row.rstrip())
                row = ""
            row += piece
        if row:
            self.lines.append(pad + row.rstrip())
        self.line(closer, indent)

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (Korean letters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _strip_blank(lines: list[str]) -> list[str]:
    out = list(lines)
    while out and out[-1] == "":
        out.pop()
    return out


def _comment(text: str) -> str:
    """A one-line comment; any line break in it becomes a space (no code can follow)."""
    flat = " ".join(str(text).replace("\r", " ").split("\n"))
    return "# " + flat if flat else "#"


def _num(value: float) -> str:
    """A float literal that reads back as exactly the same number."""
    value = float(value)
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "math.inf" if value > 0 else "-math.inf"
    return repr(value)


# ----- data ------------------------------------------------------------------------------
@dataclass
class _Source:
    kind: str  # sample | wide | long | file
    title: str
    sample: str = ""
    file_name: str = ""
    file_bytes: bytes = b""


SAMPLE_READERS = {
    # name: how pandas reads the bundled file into exactly the app's users, items and order
    "solo": "wide_indexed", "solo6": "wide_indexed", "coffee": "wide_numbered",
    "movielens": "movielens",
}


@functools.lru_cache(maxsize=8)
def _sample(name: str) -> Ratings:
    """Bundled samples are public and never change: cached for the comparison below."""
    return load_sample(name)


def same_ratings(a: Ratings, b: Ratings) -> bool:
    """The same users, items, ratings in the same order, and scale."""
    return (a is b) or (a.users == b.users and a.items == b.items and a.scale == b.scale
                        and np.array_equal(a.user_idx, b.user_idx)
                        and np.array_equal(a.item_idx, b.item_idx)
                        and np.array_equal(a.values, b.values))


def matching_sample(ratings: Ratings) -> str | None:
    """The bundled sample these ratings are, unchanged, or None."""
    for name, sample in SAMPLES.items():
        if name not in SAMPLE_READERS or ratings.source != sample.title:
            continue
        if same_ratings(ratings, _sample(name)):
            return name
    return None


def _row_major(r: Ratings) -> bool:
    flat = r.user_idx * r.n_items + r.item_idx
    return bool(np.all(np.diff(flat) > 0))


def _source_of(ratings: Ratings, file_name: str) -> _Source:
    name = matching_sample(ratings)
    if name is not None:
        return _Source("sample", SAMPLES[name].title, sample=name)
    title = f"{ratings.n_users:,} x {ratings.n_items:,}, {ratings.n_ratings:,} ratings"
    if _row_major(ratings) and ratings.n_users * ratings.n_items <= WIDE_LITERAL_CELLS:
        return _Source("wide", title)
    if ratings.n_ratings <= LONG_LITERAL_RATINGS:
        return _Source("long", title)
    return _Source("file", title, file_name=file_name, file_bytes=ratings_file(ratings))


def ratings_file(ratings: Ratings) -> bytes:
    """``user,item,rating`` rows in the app's order, as UTF-8 CSV (labels exactly as they
    are: the script needs them unchanged; this file is data for the script)."""
    text = ratings.to_long().to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def _data_code(w: _Writer, src: _Source, r: Ratings, lang: str) -> None:
    if src.kind == "sample":
        _sample_code(w, src.sample, lang)
    elif src.kind == "wide":
        w.comment(_("the data as it was in the app (uploaded or edited)", lang))
        rows = r.to_matrix().to_numpy()
        w.line("df_view = pd.DataFrame(")
        w.line("[", 1)
        for row in rows:
            w.items("[", [_num(v) for v in row], "],", indent=1)
        w.line("],", 1)
        w.items("index=[", [repr(u) for u in r.users], "],", indent=1)
        w.items("columns=[", [repr(i) for i in r.items], "],", indent=1)
        w.line(")")
        _stack_code(w, lang)
    elif src.kind == "long":
        w.comment(_("the data as it was in the app (uploaded or edited)", lang))
        _label_lists(w, r)
        w.line("df_train = pd.DataFrame([")
        users = np.asarray(r.users, dtype=object)[r.user_idx]
        items = np.asarray(r.items, dtype=object)[r.item_idx]
        for u, i, v in zip(users, items, r.values):
            w.line(f"({u!r}, {i!r}, {_num(v)}),", 1)
        w.line('], columns=["user", "item", "rating"])')
    else:
        w.line(f"df_train = pd.read_csv({src.file_name!r}, dtype={{\"user\": str, \"item\": str}},")
        w.line("keep_default_na=False)", 6)
        if (list(pd.unique(np.asarray(r.users, dtype=object)[r.user_idx])) == r.users
                and list(pd.unique(np.asarray(r.items, dtype=object)[r.item_idx])) == r.items):
            w.line('users = list(pd.unique(df_train["user"]))')
            w.line('items = list(pd.unique(df_train["item"]))')
        else:
            _label_lists(w, r)
    w.line(f"scale = ({_num(r.scale[0])}, {_num(r.scale[1])})  # " + _("lowest and highest rating", lang))
    _tensor_code(w, lang)


def _label_lists(w: _Writer, r: Ratings) -> None:
    w.items("users = [", [repr(u) for u in r.users], "]")
    w.items("items = [", [repr(i) for i in r.items], "]")


def _sample_code(w: _Writer, name: str, lang: str) -> None:
    path = "data/" + SAMPLES[name].file
    kind = SAMPLE_READERS[name]
    if kind == "wide_indexed":
        w.line(f"df_view = pd.read_csv({path!r}, index_col=0)  # " + _("users x items, empty = no "
                                                                       "rating", lang))
        _stack_code(w, lang)
    elif kind == "wide_numbered":
        w.line(f"df_view = pd.read_csv({path!r})  # " + _("users x items, empty = no rating", lang))
        w.line("df_view.index = [str(k + 1) for k in range(len(df_view))]  # "
               + _("users 1, 2, 3 ...", lang))
        _stack_code(w, lang)
    else:  # movielens: ratings.csv by userId, movieId; movies named by title as in the app
        folder = "data/" + SAMPLES[name].file.rsplit("/", 1)[0]
        w.line(f"df = pd.read_csv({path!r}, dtype={{\"userId\": str, \"movieId\": str}})")
        w.line(f"movies = pd.read_csv({folder + '/movies.csv'!r}, dtype=str)")
        w.line('title = dict(zip(movies["movieId"], movies["title"]))')
        w.line('ids = list(pd.unique(df["movieId"]))')
        w.line("titles = [title.get(i, i) for i in ids]")
        w.line("twice = pd.Series(titles).value_counts()")
        w.line('name = {i: (t if twice[t] == 1 else f"{t} #{i}") for t, i in zip(titles, ids)}')
        w.line('users, items = list(pd.unique(df["userId"])), [name[i] for i in ids]')
        w.line('df_train = pd.DataFrame({"user": df["userId"], "item": df["movieId"].map(name),')
        w.line('"rating": df["rating"]})', 7)


def _stack_code(w: _Writer, lang: str) -> None:
    w.line("users, items = list(df_view.index), list(df_view.columns)")
    w.line("# " + _("one row per rating, row by row (the empty cells dropped)", lang))
    w.line("df_train = df_view.stack().dropna().reset_index().set_axis("
           "[\"user\", \"item\", \"rating\"], axis=1)")


def _tensor_code(w: _Writer, lang: str) -> None:
    w.line("w = {name: k for k, name in enumerate(users)}")
    w.line("m = {name: k for k, name in enumerate(items)}")
    w.line("X1 = torch.tensor(df_train[\"user\"].map(w).to_numpy())  # " + _("which user (row of the user "
                                                                              "tables)", lang))
    w.line("X2 = torch.tensor(df_train[\"item\"].map(m).to_numpy())  # " + _("which item (row of the item "
                                                                              "tables)", lang))
    w.line('y = torch.tensor(df_train["rating"].to_numpy(), dtype=torch.float32)')


def _split_code(w: _Writer, stage: Stage, lang: str) -> None:
    held = np.flatnonzero(stage.is_val)
    if held.size:
        w.items("val_idx = [", [str(int(k)) for k in held], "]")
    else:
        w.line("val_idx = []  # " + _("no rating held out", lang))
    w.line("is_val = torch.zeros(len(y), dtype=torch.bool)")
    w.line("is_val[val_idx] = True")
    w.line("X1_train, X2_train, y_train = X1[~is_val], X2[~is_val], y[~is_val]")
    w.line("X1_val, X2_val, y_val = X1[is_val], X2[is_val], y[is_val]")


# ----- network ---------------------------------------------------------------------------
def _global_mean_code(stage: Stage) -> str:
    """The mean the library hands the model: of the training ratings (float64, numpy)."""
    if (~stage.is_val).any():
        return 'mean = float(df_train["rating"].to_numpy()[~is_val.numpy()].mean())'
    return 'mean = float(df_train["rating"].to_numpy().mean())'


def _output_lines(w: _Writer, cfg, lang: str) -> None:
    """RatingOutput's constants, computed in the script as the library computes them."""
    if cfg.output == "top":
        w.line("low, high = 0.0, float(scale[1])")
    else:
        w.line(f"margin = {_num(cfg.margin)}")
        w.line("pad = margin * (scale[1] - scale[0])")
        w.line("low, high = float(scale[0] - pad), float(scale[1] + pad)")
    if cfg.mean_offset:
        w.line("share = min(max((mean - low) / (high - low), 1e-3), 1 - 1e-3)")
        w.line("offset = math.log(share / (1 - share))  # " + _("shifts the score so the untrained network "
                                                                 "predicts the average rating", lang))
    else:
        w.line("offset = 0.0")


def _init(w: _Writer, attr: str, n: str, dim: int, std, note: str) -> None:
    w.line(f"self.{attr} = torch.nn.Embedding({n}, {dim})  # {note}", 2)
    if std is not None:
        w.line(f"torch.nn.init.normal_(self.{attr}.weight, std={_num(std)})", 2)


def _layers(w: _Writer, part: Layers) -> None:
    if not part.sequential:
        note = "  # " + _(part.note, w.lang) if part.note else ""
        w.line(f"self.{part.attr} = {part.parts[0]}{note}", 2)
        return
    w.line(f"self.{part.attr} = torch.nn.Sequential(", 2)
    for code in part.parts:
        w.line(code + ",", 3)
    w.line(")", 2)


def _net_code(w: _Writer, stage: Stage, lang: str, decay: bool) -> None:
    """``class Net``: the model's parts (its file's ``net_parts``, in the library's order of
    creation), its forward pass, the L2 rows and the output onto the scale."""
    name, cfg = stage.model_name, stage.model_config
    spec = MODELS[name]
    clamped = not isinstance(cfg, OutputConfig)  # the baseline: kept on the scale by clamping
    if clamped or cfg.mean_offset:
        w.line(_global_mean_code(stage))
    if not clamped:
        _output_lines(w, cfg, lang)
    w.line("n_users, n_items = len(users), len(items)")
    w.blank(2)
    w.line("class Net(torch.nn.Module):")
    w.line("def __init__(self):", 1)
    w.line("super().__init__()", 2)
    if clamped:
        w.line("self.mean, self.low, self.high = mean, scale[0], scale[1]", 2)
    else:
        w.line("self.low, self.high, self.offset = low, high, offset", 2)
    for part in spec.net_parts(cfg):
        if isinstance(part, Table):
            n = "n_users" if part.side == "user" else "n_items"
            _init(w, part.attr, n, part.dim, part.std(cfg), _(part.note, w.lang))
        else:
            _layers(w, part)
    if not clamped:
        w.line("self.sig = torch.nn.Sigmoid()", 2)
    w.blank()
    w.line("def forward(self, X1, X2):", 1)
    for text, _shape in spec.forward_code:
        w.line(text, 2)
    if decay:
        w.line("# " + _("squared size of the embedding rows this batch used (the L2 penalty)", lang), 2)
        w.line("self.l2 = " + " + ".join(f"({v} ** 2).sum(axis=1)" for v in spec.l2_rows), 2)
    if clamped:
        w.line("yhat = (self.mean + W_bias.squeeze(1) + M_bias.squeeze(1)).clamp(self.low, "
               "self.high)", 2)
    else:
        w.line("if self.offset:", 2)
        w.line("score = score + self.offset", 3)
        if cfg.output == "top":
            w.line("yhat = self.sig(score) * self.high", 2)
        else:
            w.line("yhat = self.low + (self.high - self.low) * self.sig(score)", 2)
    w.line("return yhat", 2)
    w.blank(2)


# ----- training --------------------------------------------------------------------------
def _tables(stage: Stage, side: str) -> list[str]:
    """The exported names of the model's user (or item) tables, factors and biases."""
    return [part.attr for part in MODELS[stage.model_name].net_parts(stage.model_config)
            if isinstance(part, Table) and part.side == side]


def _cold_code(w: _Writer, stage: Stage, lang: str) -> None:
    """Users and items without a training rating: the trainer zeroes their embedding rows
    (``coldstart.neutralise``), so they are predicted from the averages, not from noise."""
    users, items = cold_rows(stage.ratings, stage.is_val)
    if not len(users) and not len(items):
        return
    w.comment(_("users and items without a training rating: their rows start at zero, so they are "
                "predicted from the averages", lang))
    w.line("with torch.no_grad():")
    for rows, tables in ((users, _tables(stage, "user")), (items, _tables(stage, "item"))):
        if len(rows):
            picked = "[" + ", ".join(str(int(k)) for k in rows) + "]"
            for table in tables:
                w.line(f"net.{table}.weight[{picked}] = 0", 1)


def _uses_fused(stage: Stage) -> bool:
    threshold = getattr(training, "FUSED_MIN_PARAMETERS", None)
    if threshold is None:
        return False
    spec = MODELS[stage.model_name]
    r = stage.ratings
    with torch.random.fork_rng(devices=[]):  # counting must not move the app's random numbers
        model = spec.module_cls(r.n_users, r.n_items, r.scale, r.global_mean,
                                stage.model_config)
    return sum(t.numel() for t in model.parameters()) >= threshold


def _optimizer_code(w: _Writer, stage: Stage, lang: str) -> None:
    t = stage.train_config
    make = OPTIMIZER_CODE[t.optimizer]
    fused = ", fused=True" if _uses_fused(stage) else ""
    has_layers = any(isinstance(part, Layers)
                     for part in MODELS[stage.model_name].net_parts(stage.model_config))
    if t.weight_decay and has_layers:
        w.line("# " + _("L2 through the optimiser on layer weights only; embeddings get it in the "
                         "loss", lang))
        w.line("embeddings = [p for mod in net.modules() if isinstance(mod, torch.nn.Embedding)")
        w.line("for p in mod.parameters()]", 4)
        w.line("weights = [mod.weight for mod in net.modules() if isinstance(mod, torch.nn.Linear)]")
        w.line("biases = [mod.bias for mod in net.modules() if isinstance(mod, torch.nn.Linear)]")
        w.line(f"optimizr = {make}([{{\"params\": weights, \"weight_decay\": {_num(t.weight_decay)}}},")
        w.line("{\"params\": embeddings + biases, \"weight_decay\": 0.0}],", 5)
        w.line(f"lr={_num(t.lr)}{fused})", 5)
    else:
        w.line(f"optimizr = {make}(net.parameters(), lr={_num(t.lr)}{fused})")


def _train_code(w: _Writer, stage: Stage, lang: str, first_stage: bool) -> None:
    t = stage.train_config
    if first_stage:
        w.line(f"torch.manual_seed({int(t.seed)})")
        w.line("net = Net()")
    else:
        w.line(f"torch.manual_seed({int(t.seed)})  # " + _("the app seeds torch again whenever training "
                                                           "starts", lang))
    _cold_code(w, stage, lang)
    w.line("loss_fn = torch.nn.MSELoss()")
    _optimizer_code(w, stage, lang)
    segments = plan(stage)
    n = int((~stage.is_val).sum())
    batch = t.batch_size if t.batch_size and t.batch_size < n else None
    if batch:
        w.line(f"gen = torch.Generator().manual_seed({int(t.seed)})  # " + _("a new order of the training "
                                                                             "ratings every epoch "
                                                                             "(seeded)", lang))
        w.line(f"bs = {int(batch)}")
    w.line("#--#")
    if not segments:
        return
    loop = _Loop(w, lang, batch, t.weight_decay)
    if len(segments) == 1:
        seg = segments[0]
        loop.write(0, f"range({seg.epochs})",
                   f"epoc == {seg.epochs - 1}" if seg.skip_last_update else None)
    else:
        w.line(f"calls = {[s.epochs for s in segments]}  # " + _("epochs of each press of Train / Step",
                                                                 lang))
        skips = [s.skip_last_update for s in segments]
        if any(skips):
            w.line(f"no_last_step = {skips}")
            w.line("for epochs, skip in zip(calls, no_last_step):")
            loop.write(1, "range(epochs)", "skip and epoc == epochs - 1")
        else:
            w.line("for epochs in calls:")
            loop.write(1, "range(epochs)", None)


@dataclass
class _Loop:
    """The lecture's loop: full batch, or seeded mini-batches; optionally the L2 penalty and
    an epoch that computes but does not update."""

    w: _Writer
    lang: str
    batch: int | None
    weight_decay: float

    def write(self, d: int, epochs: str, no_step: str | None) -> None:
        w = self.w
        w.line(f"for epoc in {epochs}:", d)
        d += 1
        if self.batch:
            w.line("order = torch.randperm(len(y_train), generator=gen)", d)
            w.line("X1s, X2s, ys = X1_train[order], X2_train[order], y_train[order]", d)
            w.line("for start in range(0, len(ys), bs):", d)
            self.steps(d + 1, ("X1s[start:start + bs]", "X2s[start:start + bs]",
                               "ys[start:start + bs]"), no_step, "continue")
        else:
            self.steps(d, ("X1_train", "X2_train", "y_train"), no_step, "break")

    def steps(self, d: int, xs, no_step: str | None, leave: str) -> None:
        w, lang = self.w, self.lang
        x1, x2, yy = xs
        w.line("# " + _("1 yhat", lang), d)
        w.line(f"yhat = net({x1}, {x2})", d)
        w.line("# " + (_("2 loss (+ L2 penalty)", lang) if self.weight_decay else
                       _("2 loss", lang)), d)
        w.line(f"loss = loss_fn(yhat, {yy})", d)
        if no_step is not None:
            w.line(f"if {no_step}:", d)
            w.comment(_("the last epoch computes yhat and the loss but does not update (the state the "
                        "lecture printed)", lang), d + 1)
            w.line(leave, d + 1)
        if self.weight_decay:
            w.line(f"loss = loss + {_num(self.weight_decay)} * net.l2.mean()", d)
        w.line("# " + _("3 backward", lang), d)
        w.line("loss.backward()", d)
        w.line("# " + _("4 step, zero_grad", lang), d)
        w.line("optimizr.step()", d)
        w.line("optimizr.zero_grad()", d)


def _fill_code(w: _Writer, lang: str) -> None:
    w.line("net.eval()")
    w.line("with torch.no_grad():")
    w.line("cells = torch.arange(n_users * n_items)", 1)
    w.line("yhat_all = net(cells // n_items, cells % n_items).reshape(n_users, n_items)", 1)
    w.line("yhat_val = net(X1_val, X2_val)", 1)
    w.line("df_pred = pd.DataFrame(yhat_all.double().numpy(), index=users, columns=items)")
    w.line("df_completed = df_pred.copy()  # " + _("observed ratings kept, empty cells filled by the "
                                                    "network", lang))
    w.line("observed = df_train.pivot(index=\"user\", columns=\"item\", values=\"rating\")")
    w.line("df_completed.update(observed)")
    w.line("if len(y_val):")
    w.line("print(" + repr(_("validation RMSE", lang)) + ", "
           "float(torch.sqrt(((yhat_val - y_val) ** 2).mean())))", 1)
    w.line("print(df_completed.round(2))")


def __getattr__(name: str):
    """``ranking_script`` lives in :mod:`recsys_core.ranking.codegen` (which uses this
    module's writer), imported on first use so neither import has to come first."""
    if name == "ranking_script":
        from recsys_core.ranking.codegen import ranking_script

        return ranking_script
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Stage", "Segment", "Script", "generate", "generate_for_result", "plan",
           "kept_epoch", "matching_sample", "ratings_file", "same_ratings"]
