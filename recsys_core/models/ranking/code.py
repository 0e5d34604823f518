"""A ranking model as the exported script writes it (:mod:`recsys_core.ranking.codegen`).

Each model's file has a ``script_code(cfg, fit) -> ModelCode``: the source of one class in
the script, whose ``__init__`` creates the tables and layers in the library's order with the
library's initialisation (so ``torch.manual_seed`` gives the script the library's starting
numbers), and whose ``forward`` scores pairs and keeps, in ``self.l2``, the squared size of
the embedding rows it looked up (the L2 penalty the library adds per example). A model
computed in closed form has ``fit(users, items)`` and ``score_rows(users)`` instead.

``fit(name, config, var)`` is the document's: the lines that build and train another model
of the registry as the library's pretraining does (NeuMF starts from a GMF and an MLP).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelCode:
    """``source``: the class's code; ``build``: the expression that makes a fresh one;
    ``prepare``: lines run after ``net`` is built and before it trains (pretraining);
    ``needs``: sources of other classes those lines use, written before this one."""

    source: str
    build: str
    prepare: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def embedding(attr: str, side: str, dim: int, std: float) -> list[str]:
    """``base.embedding`` as code: PyTorch's table, then N(0, std) drawn over it."""
    n = "n_users" if side == "user" else "n_items"
    return [f"self.{attr} = torch.nn.Embedding({n}, {int(dim)})",
            f"torch.nn.init.normal_(self.{attr}.weight, std={float(std)!r})"]


def factor_tables(cfg) -> list[str]:
    """:class:`~.base.FactorModel`'s two tables as code, in its order."""
    return [*embedding("user_factors", "user", cfg.dim, cfg.init_std),
            *embedding("item_factors", "item", cfg.dim, cfg.init_std)]


def l2_lines(names: list[str]) -> list[str]:
    """``self.l2``: per pair, the squared size of the rows looked up, in the library's order."""
    return ["# per pair, the squared size of the rows it used (the L2 penalty)",
            "self.l2 = " + " + ".join(f"({n} ** 2).sum(1)" for n in names)]


def factor_forward(*body: str, **more: str) -> dict[str, list[str]]:
    """``forward`` of a model on the two factor tables: look up ``p`` and ``q`` (and each of
    ``more``, a name and its lookup), keep their L2 penalty as the library does, then ``body``."""
    names = ["p", "q", *more]
    lookups = ["self.user_factors(users)", "self.item_factors(items)", *more.values()]
    return {"forward(self, users, items)": [f"{', '.join(names)} = {', '.join(lookups)}",
                                            *l2_lines(names), *body]}


def class_source(name: str, doc: str, init: list[str], methods: dict[str, list[str]]) -> str:
    """``class <name>(torch.nn.Module)`` with ``__init__(self, n_users, n_items)`` running
    ``init`` and each ``methods`` entry (``"forward(self, users, items)"``: its lines)."""
    lines = [f"class {name}(torch.nn.Module):", f'    """{doc}"""', "",
             "    def __init__(self, n_users, n_items):", "        super().__init__()"]
    lines += ["        " + line for line in init]
    for signature, body in methods.items():
        lines += ["", f"    def {signature}:"] + ["        " + line for line in body]
    return "\n".join(lines)


def class_code(name: str, doc: str, init: list[str], methods: dict[str, list[str]],
               **extra) -> ModelCode:
    """:func:`class_source` as the :class:`ModelCode` that builds it as
    ``<name>(n_users, n_items)``; ``extra``: its ``prepare`` and ``needs``."""
    return ModelCode(class_source(name, doc, init, methods), f"{name}(n_users, n_items)", **extra)


def sequential(attr: str, parts: tuple[str, ...]) -> list[str]:
    """``self.<attr> = torch.nn.Sequential(...)``, one part a line."""
    return [f"self.{attr} = torch.nn.Sequential(", *(f"    {part}," for part in parts), ")"]
