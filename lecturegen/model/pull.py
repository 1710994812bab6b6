"""Model layer: what `pull` makes of a presenter's edits — edits to source files, conflicts, timings."""

from __future__ import annotations

from typing import Any

from lecturegen.records import record


@record
class Place:
    """A place in a source file, 1-based, as diagnostics have it."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@record
class SourceEdit:
    """One change to make in a source file.

    op: "text" (the scalar at `at` from `old` to `new`), "set" (key `key` of the mapping at `at` to `value`,
    None removes it), "delete" (the list item at `at`), "insert" (`new` as a list item next to the one at `at`:
    after it, or before it when `before`; `level` 1 under a bullet), "order" (the slides of the list that holds
    the slides at `order`, in that order), "drop" (the slide at `at` taken out of its list), "add-slide" (the outline slides in `value` after the slide at `at`, or
    before it with `before`, or first in the section at `at` with `key` "first")."""

    op: str
    at: Place
    what: str  # "slide 4 title" …: for the report
    old: str = ""
    new: str = ""
    key: str = ""
    value: Any = None
    before: bool = False
    level: int = 0
    order: tuple[Place, ...] = ()


@record
class Conflict:
    """An edit pull cannot map back on its own: both versions, and the source, are shown."""

    what: str
    written: str
    edited: str
    source: str = ""
    at: Place | None = None
    why: str = ""


@record
class Timing:
    number: int
    title: str
    planned_ms: int | None
    rehearsed_ms: int


@record
class PullPlan:
    edits: tuple[SourceEdit, ...]
    conflicts: tuple[Conflict, ...]
    unplaced: tuple[str, ...]
    timings: tuple[Timing, ...]
    pictures: tuple[tuple[str, str], ...] = ()  # (deck part, workspace path) of pictures on added slides


__all__ = ["Conflict", "Place", "PullPlan", "SourceEdit", "Timing"]
