"""Model layer: text as runs and paragraphs, and citation markers before they are formatted."""

from __future__ import annotations

from collections.abc import Iterable

import re

from lecturegen.diagnostics import Location
from lecturegen.records import record


@record
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    # True for text produced by the citation engine: audience vocabulary never touches it.
    cited: bool = False


@record
class CitationItem:
    """One work inside a citation marker, e.g. `@cooper2005, p. 12`."""

    key: str
    locator: str | None = None
    label: str = "page"
    suppress_author: bool = False
    prefix: str = ""
    suffix: str = ""


@record
class Citation:
    """A citation marker as written: `[@a; @b]` (parenthetical) or `@a` (narrative)."""

    items: tuple[CitationItem, ...]
    narrative: bool = False
    location: Location | None = None


Inline = Run | Citation


@record
class Paragraph:
    """A paragraph of runs; `level` 0 is a top-level bullet, 1 a sub-bullet."""

    runs: tuple[Run, ...]
    level: int = 0
    # Reference-list entries get a hanging indent; quotes and captions are aligned differently.
    style: str = "body"  # body | reference | quote | attribution | heading | caption | big | cue | direction

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


MAX_PROPERTY = 255  # PowerPoint and Word refuse longer core properties
_NOT_PROPERTY_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def property_text(text: str) -> str:
    """A document property's text: within Office's 255 characters, valid XML and valid UTF-8 (surrogates go)."""
    text = _NOT_PROPERTY_TEXT.sub("", text.encode("utf-8", "replace").decode("utf-8"))
    return text if len(text) <= MAX_PROPERTY else text[:MAX_PROPERTY - 1] + "…"


def runs_text(runs: Iterable[Run]) -> str:
    """The runs' text, one after the other (no formatting)."""
    return "".join(r.text for r in runs)
