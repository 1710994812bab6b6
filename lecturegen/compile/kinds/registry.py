"""Compile layer: the one table of registered slide kinds — adding a kind is its module and one line here."""

from __future__ import annotations

from lecturegen.compile.kinds.base import Kind
from lecturegen.compile.kinds.diagram import KIND as DIAGRAM
from lecturegen.compile.kinds.statement import KIND as STATEMENT


def registry(*kinds: Kind) -> dict[str, Kind]:
    """Kinds by name; a name registered twice is a bug in lecturegen, not in the outline."""
    table: dict[str, Kind] = {}
    for kind in kinds:
        if kind.name in table:
            raise ValueError(f"slide kind {kind.name!r} is registered twice")
        table[kind.name] = kind
    return table


KINDS: dict[str, Kind] = registry(
    DIAGRAM,
    STATEMENT,
)
