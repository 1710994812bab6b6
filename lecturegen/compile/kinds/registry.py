"""Compile layer: the one table of slide kinds, read from this package — adding a kind is one module here.

Every module of `lecturegen/compile/kinds/` that defines `KIND` (one `Kind`) or `KINDS` (a tuple of them, for
modules that hold related kinds such as `columns.py`) is registered, in the order of the module names. The
package's machinery (`MACHINERY`) and helpers shared by several kinds (a name starting with `_`) are not read.
"""

from __future__ import annotations

import importlib
import pkgutil

from lecturegen.compile import kinds as package
from lecturegen.compile.kinds.base import Kind

MACHINERY = frozenset({"base", "registry"})


def registry(*kinds: Kind) -> dict[str, Kind]:
    """Kinds by name; a name registered twice is a bug in lecturegen, not in the outline."""
    table: dict[str, Kind] = {}
    for kind in kinds:
        if kind.name in table:
            raise ValueError(f"slide kind {kind.name!r} is registered twice")
        table[kind.name] = kind
    return table


def discovered() -> tuple[Kind, ...]:
    """The kinds the package's modules define, module by module in name order."""
    found: list[Kind] = []
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    for module in (n for n in names if n not in MACHINERY and not n.startswith("_")):
        loaded = importlib.import_module(f"{package.__name__}.{module}")
        one = getattr(loaded, "KIND", None)
        several = getattr(loaded, "KINDS", ())
        if one is None and not several:
            # A kind module that registers nothing is a mistake (a name without `_` is read as a kind).
            raise TypeError(f"{loaded.__name__} defines neither KIND nor KINDS (a shared helper's name starts with _)")
        for kind in ((one,) if one is not None else ()) + tuple(several):
            if not isinstance(kind, Kind):
                raise TypeError(f"{loaded.__name__}: KIND/KINDS must hold Kind entries, not {type(kind).__name__}")
            found.append(kind)
    return tuple(found)


KINDS: dict[str, Kind] = registry(*discovered())
