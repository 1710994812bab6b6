"""Compile layer (pure): a presenter's edits to a deck → edits to the outline sources, conflicts and leftovers.

Input: the deck as lecturegen wrote it and as it is now (model/roundtrip.py snapshots), and the record of each
slide's sources (compile/roundtrip.py). An edited piece of text is found again in the source text it was made
from: the changed words, with enough of their neighbours to be unique, must stand there literally and outside
any `{{ … }}` mark or citation. Text made by a template, a term or a citation formatter is a conflict, shown
with its source; an edit that has no place in the sources (a slide added in PowerPoint) is listed. Nothing is
dropped silently.
"""

from __future__ import annotations

from typing import Any

from lecturegen.compile.pull_text import EditCollector, SlidePlanner, map_text_edit, slide_place
from lecturegen.model.pull import Conflict, Place, PullPlan, SourceEdit, Timing
from lecturegen.model.roundtrip import DeckSnapshot, SlideSnapshot, match_shapes, slide_differences

# -- the whole deck ----------------------------------------------------------------------------------------------

def plan_pull(written: DeckSnapshot, edited: DeckSnapshot, sources: list[dict[str, Any]],
              timings_to_minutes: bool = False, available: frozenset[str] = frozenset(),
              images: frozenset[str] = frozenset(), drop_deleted: bool = False) -> PullPlan:
    """Every edit of `edited` against `written`, mapped to the sources recorded for the written deck.

    `available`: the picture parts the edited deck holds; `images`: the names (without extension) already taken
    in content/images/, for pictures of added slides; `drop_deleted`: a deleted slide leaves its file instead of
    being marked `skip: true`."""
    out = EditCollector()
    entries = {str(e["uid"]): e for e in sources}
    now = edited.by_uid()
    # slides made from one outline slide (a split list's parts), in written order
    groups: dict[Place, list[SlideSnapshot]] = {}
    for slide in written.slides:
        origin = entries.get(slide.uid, {})
        if origin.get("origin") == "slide":
            groups.setdefault(slide_place(origin), []).append(slide)
    for slide in written.slides:
        entry = entries.get(slide.uid)
        current = now.get(slide.uid)
        title = slide.title()
        if entry is None:
            continue
        planner = SlidePlanner(entry, current.number if current else slide.number, title, out)
        if current is None:
            _deleted(slide, entry, groups, now, planner, out, drop_deleted)
            continue
        _shape_edits(slide, current, planner, out)
        planner.notes(slide.notes, current.notes)
        if current.hidden != slide.hidden:
            if entry.get("origin") == "slide":
                out.edit(SourceEdit("set", slide_place(entry), planner.label("hidden" if current.hidden else
                                                                              "shown again"),
                                    key="hidden", value=True if current.hidden else None))
            else:
                out.unplaced.append(planner.label("was hidden; lecturegen makes this slide, so it cannot stay "
                                                  "hidden in the sources"))
        if current.advance_ms is not None and current.advance_ms != slide.advance_ms:
            out.timings.append(Timing(current.number, title, slide.advance_ms, current.advance_ms))
            if timings_to_minutes and entry.get("origin") == "slide":
                parts = groups.get(slide_place(entry), [slide])
                total = sum((now[p.uid].advance_ms or 0) if p.uid in now else 0 for p in parts)
                out.edit(SourceEdit("set", slide_place(entry), planner.label("rehearsed minutes"), key="minutes",
                                    value=round(total / 60000, 2)))
    _order(written, edited, entries, out)
    pictures = _added(edited, entries, out, available, images)
    return PullPlan(tuple(out.edits), tuple(out.conflicts), tuple(out.unplaced), tuple(out.timings),
                    tuple(sorted(pictures.items())))


def _shape_edits(slide: SlideSnapshot, current: SlideSnapshot, planner: SlidePlanner, out: EditCollector) -> None:
    """One slide's shapes compared, written against edited: texts and tables edited, what cannot come back
    (removed, added, moved or resized shapes; the footer) reported."""
    pairs, added = match_shapes(slide.shapes, current.shapes)
    for then, shape_now in pairs:
        if shape_now is None:
            if then.text.strip() or then.cells:
                out.unplaced.append(planner.label(f"a shape ({then.name}) was removed: its text stays "
                                                  "in the source"))
            continue
        what = "title" if then.placeholder in ("title", "ctrTitle") else "text"
        if then.kind == "table":
            planner.table(then, shape_now)
        elif then.paragraphs != shape_now.paragraphs:
            if then.placeholder in ("ftr",):
                out.conflict(Conflict(planner.label("footer"), then.text, shape_now.text,
                                      why="the footer comes from the talk's 'footer:'"))
                continue
            planner.paragraphs(then, shape_now, what)
    if "moved or resized" in slide_differences(slide, current):
        out.unplaced.append(planner.label("has shapes moved or resized: the layout is lecturegen's and does "
                                          "not come back (--discard-edits keeps this deck as a copy)"))
    for shape in added:
        out.unplaced.append(planner.label(f"a {shape.kind} was added ({shape.name}"
                                          + (f": {shape.text[:60]!r}" if shape.text else "") + ")"))


def _added(edited: DeckSnapshot, entries: dict[str, dict[str, Any]], out: EditCollector,
           available: frozenset[str], images: frozenset[str]) -> dict[str, str]:
    """Slides added in PowerPoint, as outline slides (kind inferred, pictures kept) where they stand: after the
    outline slide before them, first in the section whose header is before them, or before the next one."""
    from lecturegen.compile.importer import slide_outline

    pictures: dict[str, str] = {}
    taken = set(images)
    slides = list(edited.slides)
    known = [bool(s.uid) and s.uid in entries for s in slides]
    index = 0
    while index < len(slides):
        if known[index]:
            index += 1
            continue
        end = index
        while end < len(slides) and not known[end]:
            end += 1
        run = slides[index:end]
        report: list[str] = []
        outlines = [slide_outline(s, pictures, taken, available, report) for s in run]
        titles = ", ".join(f"{s.number} ({(s.title() or 'no title')[:30]})" for s in run)
        before = entries[slides[index - 1].uid] if index > 0 else None
        after = entries[slides[end].uid] if end < len(slides) else None
        what = f"slide{'s' if len(run) > 1 else ''} {titles} added in PowerPoint"
        if before is not None and before.get("origin") == "slide":
            out.edit(SourceEdit("add-slide", slide_place(before), what, value=outlines))
        elif before is not None and before.get("origin") == "section":
            out.edit(SourceEdit("add-slide", slide_place(before), what, key="first", value=outlines))
        elif after is not None and after.get("origin") == "slide":
            out.edit(SourceEdit("add-slide", slide_place(after), what, before=True, value=outlines))
        else:
            out.unplaced.append(f"{what}: no outline slide stands next to it (write it into a section file)")
            index = end
            continue
        out.unplaced.extend(f"{what}: {item}" for item in report)
        index = end
    return pictures


def _deleted(slide: SlideSnapshot, entry: dict[str, Any], groups: dict[Place, list[SlideSnapshot]],
             now: dict[str, SlideSnapshot], planner: SlidePlanner, out: EditCollector, drop_deleted: bool) -> None:
    origin = entry.get("origin")
    if origin != "slide":
        hint = {"title": "the title slide is made from the talk", "section": "set 'header: false' on the section",
                "generated": "it is made by lecturegen (agenda: false, references: false …)"}.get(str(origin), "")
        out.unplaced.append(planner.label(f"was deleted: {hint}"))
        return
    parts = groups.get(slide_place(entry), [slide])
    if all(p.uid not in now for p in parts):
        if parts[0] is slide:
            if drop_deleted:
                out.edit(SourceEdit("drop", slide_place(entry), planner.label("deleted")))
            else:
                out.edit(SourceEdit("set", slide_place(entry), planner.label("deleted"), key="skip", value=True))
    else:
        out.unplaced.append(planner.label("(a continued part of a split slide) was deleted: delete its bullets "
                                          "in the source"))


def _order(written: DeckSnapshot, edited: DeckSnapshot, entries: dict[str, dict[str, Any]], out: EditCollector) -> None:
    """Slides moved within a section: the section's slide list in the deck's new order."""
    by_section: dict[tuple[str, int, int], list[Place]] = {}
    for slide in written.slides:
        entry = entries.get(slide.uid, {})
        if entry.get("origin") != "slide":
            continue
        at = entry.get("section_at") or {}
        key = (str(at.get("path", "")), int(at.get("line", 0)), int(at.get("col", 0)))
        place = slide_place(entry)
        if place not in by_section.setdefault(key, []):
            by_section[key].append(place)
    present = {s.uid for s in edited.slides}
    for key, places in by_section.items():
        then = [p for p in places if any(slide_place(entries[s.uid]) == p and s.uid in present
                                         for s in written.slides if s.uid in entries)]
        order: list[Place] = []
        for slide in edited.slides:
            entry = entries.get(slide.uid, {})
            if entry.get("origin") != "slide":
                continue
            place = slide_place(entry)
            if place in then and place not in order:
                order.append(place)
        if order != then and sorted(order, key=str) == sorted(then, key=str):
            section_place = Place(*key)
            out.edit(SourceEdit("order", section_place, f"slides of the section at {section_place} reordered",
                                order=tuple(order)))


__all__ = ["Conflict", "Place", "PullPlan", "SourceEdit", "Timing", "map_text_edit", "plan_pull"]
