"""Model layer: a deck as read back (text per slide and shape) and the record of what a build wrote; pure compare.

A build writes a hidden, empty anchor shape named `lecturegen:<uid>` on every slide: PowerPoint and LibreOffice
both keep a shape's name (LibreOffice renames placeholders, not other shapes), so a slide is found again after
it is moved, hidden or edited. Shapes within a slide are found by name, then by placeholder type and order.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from lecturegen.records import record

if TYPE_CHECKING:
    from lecturegen.model.deck import Deck

ANCHOR_PREFIX = "lecturegen:"
RECORD_VERSION = 1


@record
class ShapeText:
    """One shape's text as the deck holds it: paragraphs with their outline levels, or a table's cells."""

    name: str
    shape_id: int
    placeholder: str  # the placeholder type ("title", "body", "subTitle" …), "" for a shape of its own
    paragraphs: tuple[tuple[int, str], ...] = ()  # (level, text)
    cells: tuple[tuple[str, ...], ...] = ()  # a table, row by row
    picture: str = ""  # a picture's media part (import), with its alt text in `alt`
    alt: str = ""
    kind: str = "text"  # text | table | picture | chart | other
    # x, y, width, height in EMU; -1 each when the shape takes its layout placeholder's place
    box: tuple[int, int, int, int] = (-1, -1, -1, -1)
    # a native chart's data (import): (chart type, categories, ((series name, values), …)); values may be None
    chart: tuple[str, tuple[str, ...], tuple[tuple[str, tuple[float | None, ...]], ...]] | None = None

    @property
    def top(self) -> int:
        return self.box[1]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.paragraphs)


@record
class SlideSnapshot:
    uid: str  # from the anchor shape; "" for a slide lecturegen did not write
    number: int  # 1-based position in the deck
    hidden: bool
    shapes: tuple[ShapeText, ...]
    notes: tuple[str, ...] = ()  # notes paragraphs, the timing cue left out
    advance_ms: int | None = None  # the transition's advance time (a rehearsed timing, or what a build wrote)
    section: str = ""  # the PowerPoint section the slide is in
    layout: str = ""  # the layout's name

    def title(self) -> str:
        for shape in self.shapes:
            if shape.placeholder in ("title", "ctrTitle"):
                return shape.text
        return ""


@record
class DeckSnapshot:
    slides: tuple[SlideSnapshot, ...]

    def by_uid(self) -> dict[str, SlideSnapshot]:
        return {s.uid: s for s in self.slides if s.uid}


def is_cue(paragraph: str) -> bool:
    """The timing cue every build writes first in the notes ("⏱ 12:30 → slide 14 · 1 min")."""
    return paragraph.lstrip().startswith("\u23f1")


def slide_uids(deck: Deck) -> list[str]:
    """Each slide's id: from what it was made of (its source's place, kind, and which of the slides made from
    that place it is), so a rebuild of the same outline gives the same ids; unique within the deck."""
    seen: dict[str, int] = {}
    out = []
    for slide in deck.slides:
        at = slide.location
        origin = f"{deck.talk}\0{at.path}:{at.line}:{at.col}" if at is not None else f"{deck.talk}\0-"
        origin += f"\0{slide.kind}"
        count = seen.get(origin, 0)
        seen[origin] = count + 1
        uid = hashlib.sha256(f"{origin}\0{count}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
        while uid in out:  # a collision of 48 bits: practically never, but ids must be unique
            uid = hashlib.sha256(uid.encode()).hexdigest()[:12]
        out.append(uid)
    return out


# -- comparing a deck with the record of what was written ----------------------------------------------------

def _shape_key(shapes: tuple[ShapeText, ...]) -> dict[str, ShapeText]:
    """Shapes by a key that survives PowerPoint (name) and LibreOffice (placeholder type and order)."""
    out: dict[str, ShapeText] = {}
    counts: dict[str, int] = {}
    for shape in shapes:
        if shape.kind not in ("text", "table"):
            continue
        base = shape.placeholder or shape.kind
        counts[base] = counts.get(base, 0) + 1
        out[f"{base}#{counts[base]}"] = shape
    return out


def match_shapes(written: tuple[ShapeText, ...], current: tuple[ShapeText, ...]
                 ) -> tuple[list[tuple[ShapeText, ShapeText | None]], list[ShapeText]]:
    """Pairs (written shape, the same shape now or None when removed) and the text shapes that are new.

    A shape is the same by its name when that name is unique on both sides; otherwise by placeholder type
    and order (LibreOffice renames placeholders "PlaceHolder 1" …)."""
    pairs: list[tuple[ShapeText, ShapeText | None]] = []
    used: set[int] = set()
    names_now: dict[str, list[int]] = {}
    for index, shape in enumerate(current):
        names_now.setdefault(shape.name, []).append(index)
    written_names = [s.name for s in written]
    pending: list[ShapeText] = []
    for shape in written:
        if shape.kind not in ("text", "table"):
            continue
        found = names_now.get(shape.name, [])
        if len(found) == 1 and written_names.count(shape.name) == 1 \
                and current[found[0]].kind == shape.kind and current[found[0]].placeholder == shape.placeholder:
            used.add(found[0])
            pairs.append((shape, current[found[0]]))
        else:
            pending.append(shape)
    if pending:
        rest = tuple(s for i, s in enumerate(current) if i not in used)
        keyed_now = _shape_key(rest)
        keyed_then = _shape_key(tuple(pending))
        by_identity = {id(s): k for k, s in keyed_then.items()}
        for shape in pending:
            key = by_identity.get(id(shape))
            now = keyed_now.pop(key, None) if key else None
            if now is not None:
                used.add(next(i for i, s in enumerate(current) if s is now))
            pairs.append((shape, now))
    added = [s for i, s in enumerate(current) if i not in used and s.kind in ("text", "table")
             and (s.text.strip() or s.cells)]
    # Pictures and charts: new ones are those beyond what was written, by name (LibreOffice keeps their names).
    for kind in ("picture", "chart"):
        names = [s.name for s in written if s.kind == kind]
        shown = [s for s in current if s.kind == kind]
        if len(shown) > len(names):
            unknown = [s for s in shown if s.name not in names] or shown[len(names):]
            added.extend(unknown[:len(shown) - len(names)])
    return pairs, added


def slide_differences(written: SlideSnapshot, current: SlideSnapshot) -> list[str]:
    """What changed on one slide, in words ("title", "text", "notes", "hidden" …); empty when nothing did."""
    out: list[str] = []
    pairs, added = match_shapes(written.shapes, current.shapes)
    for then, now in pairs:
        if now is None:
            if then.text.strip() or then.cells:
                out.append(f"{_role(then)} removed")
        elif then.paragraphs != now.paragraphs or then.cells != now.cells:
            out.append(_role(then))
    if added:
        out.append("shape added")
    if any(now is not None and _moved(then.box, now.box) for then, now in pairs) or _pictures_moved(written, current):
        out.append("moved or resized")
    if written.notes != current.notes:
        out.append("notes")
    if written.hidden != current.hidden:
        out.append("hidden" if current.hidden else "shown")
    if current.advance_ms is not None and written.advance_ms != current.advance_ms:
        out.append("timing")  # a timing dropped (LibreOffice does not keep them) is not an edit
    return sorted(set(out), key=out.index)


_TOLERANCE = 50_000  # EMU, about 1.4 mm: LibreOffice stores positions in 1/100 mm


def _moved(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """A shape moved or resized by its presenter (an unknown box, on either side, is the layout's: not moved)."""
    if -1 in a or -1 in b:
        return False
    return any(abs(x - y) > _TOLERANCE for x, y in zip(a, b))


def _pictures_moved(written: SlideSnapshot, current: SlideSnapshot) -> bool:
    now = {s.name: s for s in current.shapes if s.kind in ("picture", "chart")}
    return any(s.name in now and _moved(s.box, now[s.name].box) for s in written.shapes
               if s.kind in ("picture", "chart"))


def _role(shape: ShapeText) -> str:
    if shape.placeholder in ("title", "ctrTitle"):
        return "title"
    if shape.kind == "table":
        return "table"
    return "text"


@record
class DeckChanges:
    """How a deck differs from what lecturegen wrote."""

    changed: tuple[tuple[int, str], ...] = ()  # (slide number now, what changed)
    deleted: tuple[int, ...] = ()  # slide numbers as written
    added: tuple[int, ...] = ()  # slide numbers now
    moved: bool = False

    @property
    def any(self) -> bool:
        return bool(self.changed or self.deleted or self.added or self.moved)

    def describe(self) -> str:
        parts = []
        if self.changed:
            parts.append("changed " + ", ".join(f"{n} ({what})" for n, what in self.changed))
        if self.deleted:
            parts.append("deleted " + ", ".join(str(n) for n in self.deleted))
        if self.added:
            parts.append("added " + ", ".join(str(n) for n in self.added))
        if self.moved:
            parts.append("slides moved")
        return "slides " + "; ".join(parts) if parts else "no slide changed"


def compare_decks(written: DeckSnapshot, current: DeckSnapshot) -> DeckChanges:
    """Every difference a presenter can make that `pull` knows of: text, notes, hidden, timings, order, slides."""
    now = current.by_uid()
    changed: list[tuple[int, str]] = []
    deleted: list[int] = []
    for slide in written.slides:
        match = now.get(slide.uid) if slide.uid else None
        if match is None:
            deleted.append(slide.number)
            continue
        what = slide_differences(slide, match)
        if what:
            changed.append((match.number, ", ".join(what)))
    known = {s.uid for s in written.slides}
    added = [s.number for s in current.slides if not s.uid or s.uid not in known]
    order_then = [s.uid for s in written.slides if s.uid in now]
    order_now = [s.uid for s in current.slides if s.uid in known]
    return DeckChanges(tuple(sorted(changed)), tuple(deleted), tuple(added), order_then != order_now)


# -- JSON --------------------------------------------------------------------------------------------------------

def snapshot_to_json(deck: DeckSnapshot) -> list[dict[str, Any]]:
    return [{"uid": s.uid, "number": s.number, "hidden": s.hidden, "notes": list(s.notes),
             "advance_ms": s.advance_ms, "section": s.section, "layout": s.layout,
             "shapes": [{"name": h.name, "id": h.shape_id, "ph": h.placeholder, "kind": h.kind,
                         "paragraphs": [list(p) for p in h.paragraphs], "cells": [list(r) for r in h.cells],
                         "picture": h.picture, "alt": h.alt, "box": list(h.box)} for h in s.shapes]}
            for s in deck.slides]


def _box(value: Any) -> tuple[int, int, int, int]:
    if isinstance(value, list) and len(value) == 4:
        return (int(value[0]), int(value[1]), int(value[2]), int(value[3]))
    return (-1, -1, -1, -1)


def snapshot_from_json(data: list[dict[str, Any]]) -> DeckSnapshot:
    slides = []
    for s in data:
        shapes = tuple(ShapeText(str(h["name"]), int(h["id"]), str(h["ph"]),
                                 tuple((int(level), str(text)) for level, text in h["paragraphs"]),
                                 tuple(tuple(str(c) for c in row) for row in h["cells"]),
                                 str(h.get("picture", "")), str(h.get("alt", "")), str(h["kind"]),
                                 _box(h.get("box")))
                       for h in s["shapes"])
        slides.append(SlideSnapshot(str(s["uid"]), int(s["number"]), bool(s["hidden"]), shapes,
                                    tuple(str(n) for n in s["notes"]),
                                    None if s["advance_ms"] is None else int(s["advance_ms"]),
                                    str(s.get("section", "")), str(s.get("layout", ""))))
    return DeckSnapshot(tuple(slides))


__all__ = ["ANCHOR_PREFIX", "DeckChanges", "DeckSnapshot", "RECORD_VERSION", "ShapeText", "SlideSnapshot",
           "compare_decks", "is_cue", "slide_uids", "match_shapes", "slide_differences", "snapshot_from_json",
           "snapshot_to_json"]
