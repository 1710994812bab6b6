"""Compile layer (pure): one slide's edits found again in its source texts — an edited piece of text placed in
the text it was made from (map_text_edit), bullets and notes compared — and collected as source edits,
conflicts and leftovers for compile/pull.py."""

from __future__ import annotations

import difflib
import re
from typing import Any

from lecturegen.model.pull import Conflict, Place, SourceEdit, Timing
from lecturegen.model.roundtrip import ShapeText

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

class SlidePlanner:
    def __init__(self, entry: dict[str, Any], number: int, title: str, out: EditCollector):
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
            self.out.edit(SourceEdit("set", slide_place(self.entry), self.label(what), key="title",
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
            self.out.edit(SourceEdit("set", slide_place(self.entry), self.label("notes added"), key="notes",
                                     value="\n".join(added)))


def _place(text: dict[str, Any]) -> Place:
    return Place(str(text["path"]), int(text["line"]), int(text["col"]))


def slide_place(entry: dict[str, Any]) -> Place:
    return Place(str(entry["path"]), int(entry["line"]), int(entry["col"]))


class EditCollector:
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
