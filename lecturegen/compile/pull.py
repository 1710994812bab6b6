"""Compile layer (pure): a presenter's edits to a deck → edits to the outline sources, conflicts and leftovers.

Input: the deck as lecturegen wrote it and as it is now (model/roundtrip.py snapshots), and the record of each
slide's sources (compile/roundtrip.py). An edited piece of text is found again in the source text it was made
from: the changed words, with enough of their neighbours to be unique, must stand there literally and outside
any `{{ … }}` mark or citation. Text made by a template, a term or a citation formatter is a conflict, shown
with its source; an edit that has no place in the sources (a slide added in PowerPoint) is listed. Nothing is
dropped silently.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from lecturegen.model.pull import Conflict, Place, PullPlan, SourceEdit, Timing
from lecturegen.model.roundtrip import DeckSnapshot, ShapeText, SlideSnapshot, match_shapes, slide_differences

_MARKUP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\[[^\[\]]*@[^\[\]]*\]|(?<![\w\\])@[\w][\w:./+-]*")
_CONTEXTS = (0, 2, 4, 8, 12, 20, 32, 60)
_BULLET_FIELDS = ("bullets", "instructions", "left.bullets", "right.bullets")


# -- finding an edit in its source text ----------------------------------------------------------------------

def map_text_edit(source: str, written: str, edited: str) -> str | None:
    """The source text with the edit that turned `written` into `edited` made in it; None when the changed words
    do not stand literally (and uniquely) in the source, outside marks and citations."""
    if written == edited:
        return source
    if source == written:
        return edited
    n, m = len(written), len(edited)
    prefix = 0
    while prefix < min(n, m) and written[prefix] == edited[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(n, m) - prefix and written[n - 1 - suffix] == edited[m - 1 - suffix]:
        suffix += 1
    new = edited[prefix:m - suffix]
    protected = [(x.start(), x.end()) for x in _MARKUP.finditer(source)]
    for context in _CONTEXTS:
        a = max(0, prefix - context)
        b = min(n, n - suffix + context)
        snippet = written[a:b]
        if not snippet.strip():
            continue
        found = [(x.start(), x.end()) for x in re.finditer(_loose(snippet), source)]
        if not found:
            return None
        if len(found) == 1:
            start, end = found[0]
            if any(s < end and start < e for s, e in protected):
                return None
            replacement = written[a:prefix] + new + written[n - suffix:b]
            return source[:start] + replacement + source[end:]
    return None


def _loose(snippet: str) -> str:
    """A pattern for the snippet in which any run of white space matches any other: a deck joins the lines of
    a YAML block with spaces."""
    return r"\s+".join(re.escape(part) for part in re.split(r"\s+", snippet)) if snippet.strip() else re.escape(snippet)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _plain(a), _plain(b), autojunk=False).ratio()


def _plain(text: str) -> str:
    """Source text without its inline markup, to compare with what the deck shows."""
    text = _MARKUP.sub("", text)
    return re.sub(r"\*\*|\*|\\(?=[*@\\])", "", text).strip()


# -- one slide -------------------------------------------------------------------------------------------------

class _SlidePlanner:
    def __init__(self, entry: dict[str, Any], number: int, title: str, out: _Collector):
        self.entry = entry
        self.number = number
        self.title = title
        self.out = out
        self.texts: list[dict[str, Any]] = list(entry.get("texts") or [])

    def label(self, what: str) -> str:
        return f"slide {self.number} ({self.title[:40]}) {what}" if self.title else f"slide {self.number} {what}"

    def text_edit(self, written: str, edited: str, what: str, fields: tuple[str, ...] | None = None,
                  exclude: tuple[str, ...] = ("notes",)) -> None:
        candidates = [t for t in self.texts if (fields is None or t["field"] in fields) and t["field"] not in exclude]
        found: list[tuple[float, dict[str, Any], str]] = []
        for text in candidates:
            mapped = map_text_edit(text["text"], written, edited)
            if mapped is not None and mapped != text["text"]:
                found.append((_similar(text["text"], written), text, mapped))
        if what == "title" and self.entry.get("origin") == "slide" \
                and not any(t["field"] == "title" for t in self.texts):
            # a slide without a title of its own showed a default one (its section's name): now it has one
            self.out.edit(SourceEdit("set", _slide_place(self.entry), self.label(what), key="title",
                                     value=edited.removesuffix(" (cont.)")))
            return
        if self.entry.get("origin") == "generated" or not candidates:
            self.out.conflict(Conflict(self.label(what), written, edited, why="the slide is made by lecturegen "
                                       "(agenda, references …): change what it is made from instead"))
            return
        if not found:
            best = max(candidates, key=lambda t: _similar(t["text"], written))
            self.out.conflict(Conflict(self.label(what), written, edited, best["text"], _place(best),
                                       "the changed words come from a template mark, a term or a citation"))
            return
        found.sort(key=lambda f: -f[0])
        _, text, mapped = found[0]
        self.out.edit(SourceEdit("text", _place(text), self.label(what), text["text"], mapped))

    def bullet_for(self, written: str, level: int) -> dict[str, Any] | None:
        candidates = [t for t in self.texts if t["field"] in _BULLET_FIELDS]
        scored = sorted(((_similar(t["text"], written) + (0.05 if t["level"] == level else 0), t)
                         for t in candidates), key=lambda s: -s[0])
        return scored[0][1] if scored and scored[0][0] >= 0.55 else None

    def paragraphs(self, then: ShapeText, now: ShapeText, what: str) -> None:
        old = [text for _, text in then.paragraphs]
        new = [text for _, text in now.paragraphs]
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    if then.paragraphs[i1 + k][0] != now.paragraphs[j1 + k][0]:
                        self.out.unplaced.append(f"{self.label(what)}: the line {old[i1 + k]!r} moved from level "
                                                 f"{then.paragraphs[i1 + k][0] + 1} to {now.paragraphs[j1 + k][0] + 1}"
                                                 "; change its nesting in the source")
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(pairs):
                self.text_edit(old[i1 + k], new[j1 + k], what)
            for k in range(i1 + pairs, i2):
                self.delete_paragraph(then.paragraphs[k], what)
            for k in range(j1 + pairs, j2):
                anchor = then.paragraphs[i1 + pairs - 1] if i1 + pairs > 0 else None
                following = then.paragraphs[i2] if i2 < len(then.paragraphs) else None
                self.insert_paragraph(now.paragraphs[k], anchor, following, what)

    def delete_paragraph(self, paragraph: tuple[int, str], what: str) -> None:
        level, text = paragraph
        bullet = self.bullet_for(text, level)
        if bullet is None:
            self.out.unplaced.append(f"{self.label(what)}: the line {text!r} was deleted; it has no bullet of its "
                                     "own in the source")
            return
        self.out.edit(SourceEdit("delete", _place(bullet), self.label(what + " line deleted"), bullet["text"]))

    def insert_paragraph(self, paragraph: tuple[int, str], anchor: tuple[int, str] | None,
                         following: tuple[int, str] | None, what: str) -> None:
        level, text = paragraph
        near = anchor or following
        bullet = self.bullet_for(near[1], near[0]) if near is not None else None
        if bullet is None or near is None or level > near[0] + 1 or (level > near[0] and anchor is None):
            self.out.unplaced.append(f"{self.label(what)}: the new line {text!r} has no place in the source")
            return
        deeper = level - bullet["level"]
        self.out.edit(SourceEdit("insert", _place(bullet), self.label(what + " line added"), bullet["text"], text,
                                 before=anchor is None, level=max(0, deeper)))

    def table(self, then: ShapeText, now: ShapeText) -> None:
        if len(then.cells) != len(now.cells) or any(len(a) != len(b) for a, b in zip(then.cells, now.cells)):
            self.out.unplaced.append(f"{self.label('table')}: rows or columns were added or removed; "
                                     "change the table's rows in the source")
        for r, (row_then, row_now) in enumerate(zip(then.cells, now.cells)):
            for c, (a, b) in enumerate(zip(row_then, row_now)):
                if a != b:
                    self.text_edit(a, b, f"table cell {r + 1},{c + 1}", ("columns", "rows"))

    def notes(self, written: tuple[str, ...], edited: tuple[str, ...]) -> None:
        if written == edited:
            return
        source = next((t for t in self.texts if t["field"] == "notes"), None)
        if source is not None:
            # Paragraphs of notes are blank-line separated in the source: a paragraph added is one there too.
            mapped = map_text_edit(source["text"], "\n\n".join(written), "\n\n".join(edited))
            if mapped is None:
                # paragraph by paragraph: each changed one on its own
                mapped = source["text"]
                matcher = difflib.SequenceMatcher(None, written, edited, autojunk=False)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                    if tag == "equal":
                        continue
                    step = map_text_edit(mapped, "\n\n".join(written[i1:i2]), "\n\n".join(edited[j1:j2])) \
                        if i2 > i1 else None
                    if step is None:
                        self.out.conflict(Conflict(self.label("notes"), "\n".join(written[i1:i2]),
                                                   "\n".join(edited[j1:j2]), source["text"], _place(source),
                                                   "the notes were made from this text and more"))
                        mapped = None
                        break
                    mapped = step
            if mapped is not None and mapped != source["text"]:
                self.out.edit(SourceEdit("text", _place(source), self.label("notes"), source["text"], mapped))
            return
        added = [p for p in edited if p not in written]
        removed = [p for p in written if p not in edited]
        if self.entry.get("origin") != "slide":
            self.out.conflict(Conflict(self.label("notes"), "\n".join(written), "\n".join(edited),
                                       why="the slide's notes are made by lecturegen"))
            return
        if removed:
            self.out.conflict(Conflict(self.label("notes"), "\n".join(removed), "", why="made by lecturegen "
                                       "(a source list or a direction); it comes back on the next build"))
        if added:
            self.out.edit(SourceEdit("set", _slide_place(self.entry), self.label("notes added"), key="notes",
                                     value="\n".join(added)))


def _place(text: dict[str, Any]) -> Place:
    return Place(str(text["path"]), int(text["line"]), int(text["col"]))


def _slide_place(entry: dict[str, Any]) -> Place:
    return Place(str(entry["path"]), int(entry["line"]), int(entry["col"]))


class _Collector:
    def __init__(self) -> None:
        self.edits: list[SourceEdit] = []
        self.conflicts: list[Conflict] = []
        self.unplaced: list[str] = []
        self.timings: list[Timing] = []

    def edit(self, edit: SourceEdit) -> None:
        # Two edits of one text (a split slide, a repeated line): applied one after the other.
        for index, other in enumerate(self.edits):
            if other.op == "text" and edit.op == "text" and other.at == edit.at:
                if other.new == edit.new:
                    return  # the same edit on two parts of a split slide
                merged = map_text_edit(other.new, edit.old, edit.new)
                if merged is None:
                    self.conflict(Conflict(edit.what, edit.old, edit.new, other.new, edit.at,
                                           "edited twice in the deck"))
                    return
                self.edits[index] = SourceEdit("text", other.at, other.what, other.old, merged)
                return
            if other == edit:
                return
        self.edits.append(edit)

    def conflict(self, conflict: Conflict) -> None:
        self.conflicts.append(conflict)


# -- the whole deck ----------------------------------------------------------------------------------------------

def plan_pull(written: DeckSnapshot, edited: DeckSnapshot, sources: list[dict[str, Any]],
              timings_to_minutes: bool = False, available: frozenset[str] = frozenset(),
              images: frozenset[str] = frozenset(), drop_deleted: bool = False) -> PullPlan:
    """Every edit of `edited` against `written`, mapped to the sources recorded for the written deck.

    `available`: the picture parts the edited deck holds; `images`: the names (without extension) already taken
    in content/images/, for pictures of added slides; `drop_deleted`: a deleted slide leaves its file instead of
    being marked `skip: true`."""
    out = _Collector()
    entries = {str(e["uid"]): e for e in sources}
    now = edited.by_uid()
    # slides made from one outline slide (a split list's parts), in written order
    groups: dict[Place, list[SlideSnapshot]] = {}
    for slide in written.slides:
        origin = entries.get(slide.uid, {})
        if origin.get("origin") == "slide":
            groups.setdefault(_slide_place(origin), []).append(slide)
    for slide in written.slides:
        entry = entries.get(slide.uid)
        current = now.get(slide.uid)
        title = slide.title()
        if entry is None:
            continue
        planner = _SlidePlanner(entry, current.number if current else slide.number, title, out)
        if current is None:
            _deleted(slide, entry, groups, now, planner, out, drop_deleted)
            continue
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
        planner.notes(slide.notes, current.notes)
        if current.hidden != slide.hidden:
            if entry.get("origin") == "slide":
                out.edit(SourceEdit("set", _slide_place(entry), planner.label("hidden" if current.hidden else
                                                                              "shown again"),
                                    key="hidden", value=True if current.hidden else None))
            else:
                out.unplaced.append(planner.label("was hidden; lecturegen makes this slide, so it cannot stay "
                                                  "hidden in the sources"))
        if current.advance_ms is not None and current.advance_ms != slide.advance_ms:
            out.timings.append(Timing(current.number, title, slide.advance_ms, current.advance_ms))
            if timings_to_minutes and entry.get("origin") == "slide":
                parts = groups.get(_slide_place(entry), [slide])
                total = sum((now[p.uid].advance_ms or 0) if p.uid in now else 0 for p in parts)
                out.edit(SourceEdit("set", _slide_place(entry), planner.label("rehearsed minutes"), key="minutes",
                                    value=round(total / 60000, 2)))
    _order(written, edited, entries, out)
    pictures = _added(edited, entries, out, available, images)
    return PullPlan(tuple(out.edits), tuple(out.conflicts), tuple(out.unplaced), tuple(out.timings),
                    tuple(sorted(pictures.items())))


def _added(edited: DeckSnapshot, entries: dict[str, dict[str, Any]], out: _Collector,
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
            out.edit(SourceEdit("add-slide", _slide_place(before), what, value=outlines))
        elif before is not None and before.get("origin") == "section":
            out.edit(SourceEdit("add-slide", _slide_place(before), what, key="first", value=outlines))
        elif after is not None and after.get("origin") == "slide":
            out.edit(SourceEdit("add-slide", _slide_place(after), what, before=True, value=outlines))
        else:
            out.unplaced.append(f"{what}: no outline slide stands next to it (write it into a section file)")
            index = end
            continue
        out.unplaced.extend(f"{what}: {item}" for item in report)
        index = end
    return pictures


def _deleted(slide: SlideSnapshot, entry: dict[str, Any], groups: dict[Place, list[SlideSnapshot]],
             now: dict[str, SlideSnapshot], planner: _SlidePlanner, out: _Collector, drop_deleted: bool) -> None:
    origin = entry.get("origin")
    if origin != "slide":
        hint = {"title": "the title slide is made from the talk", "section": "set 'header: false' on the section",
                "generated": "it is made by lecturegen (agenda: false, references: false …)"}.get(str(origin), "")
        out.unplaced.append(planner.label(f"was deleted: {hint}"))
        return
    parts = groups.get(_slide_place(entry), [slide])
    if all(p.uid not in now for p in parts):
        if parts[0] is slide:
            if drop_deleted:
                out.edit(SourceEdit("drop", _slide_place(entry), planner.label("deleted")))
            else:
                out.edit(SourceEdit("set", _slide_place(entry), planner.label("deleted"), key="skip", value=True))
    else:
        out.unplaced.append(planner.label("(a continued part of a split slide) was deleted: delete its bullets "
                                          "in the source"))


def _order(written: DeckSnapshot, edited: DeckSnapshot, entries: dict[str, dict[str, Any]], out: _Collector) -> None:
    """Slides moved within a section: the section's slide list in the deck's new order."""
    by_section: dict[tuple[str, int, int], list[Place]] = {}
    for slide in written.slides:
        entry = entries.get(slide.uid, {})
        if entry.get("origin") != "slide":
            continue
        at = entry.get("section_at") or {}
        key = (str(at.get("path", "")), int(at.get("line", 0)), int(at.get("col", 0)))
        place = _slide_place(entry)
        if place not in by_section.setdefault(key, []):
            by_section[key].append(place)
    present = {s.uid for s in edited.slides}
    for key, places in by_section.items():
        then = [p for p in places if any(_slide_place(entries[s.uid]) == p and s.uid in present
                                         for s in written.slides if s.uid in entries)]
        order: list[Place] = []
        for slide in edited.slides:
            entry = entries.get(slide.uid, {})
            if entry.get("origin") != "slide":
                continue
            place = _slide_place(entry)
            if place in then and place not in order:
                order.append(place)
        if order != then and sorted(order, key=str) == sorted(then, key=str):
            section_place = Place(*key)
            out.edit(SourceEdit("order", section_place, f"slides of the section at {section_place} reordered",
                                order=tuple(order)))


__all__ = ["Conflict", "Place", "PullPlan", "SourceEdit", "Timing", "map_text_edit", "plan_pull"]
