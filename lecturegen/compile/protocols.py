"""Compile layer: the interfaces compile needs from other layers, as Protocols (no Any between layers)."""

from __future__ import annotations

from typing import Iterable, Protocol, Sequence

from lecturegen.diagnostics import Diagnostics
from lecturegen.model.text import Citation, Run
from lecturegen.sources.bibliography import Bibliography


class CitationFormatter(Protocol):
    """Formats citations and reference lists in one style (citeproc-py behind a cache, or directly)."""

    bib: Bibliography

    def check_keys(self, citations: Sequence[Citation], diags: Diagnostics) -> None: ...

    def register(self, citations: Sequence[Citation]) -> None: ...

    def cite(self, citation: Citation) -> tuple[Run, ...]: ...

    def bibliography(self, keys: Iterable[str] | None = None) -> list[tuple[Run, ...]]: ...

    def reference_text(self, keys: Iterable[str] | None = None, fmt: str = "text") -> str: ...
