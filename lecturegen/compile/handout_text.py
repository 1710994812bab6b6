"""Compile layer: text as the handout prints it (typographic quotes, paragraphs cut for the printer, durations)."""

from __future__ import annotations

import dataclasses
import re

from lecturegen.model.text import Paragraph, Run, runs_text

Runs = tuple[Run, ...]

# ── printed text ─────────────────────────────────────────────────────────────────────────────────

_OPEN_DOUBLE = re.compile(r'(^|[\s(\[{—–-])"')
_OPEN_SINGLE = re.compile(r"(^|[\s(\[{—–-])'")


def typographic(text: str) -> str:
    """Curly quotes and apostrophes for print (British: 'single' first, “double” inside)."""
    if "'" not in text and '"' not in text:
        return text
    text = _OPEN_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    return _OPEN_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")


def printed(runs: Runs) -> Runs:
    """Runs as printed: typographic quotes everywhere except in links (a URL must stay as written)."""
    return tuple(r if r.link or ("'" not in r.text and '"' not in r.text)
                 else dataclasses.replace(r, text=typographic(r.text)) for r in runs if r.text)


def paragraphs_printed(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    return tuple(dataclasses.replace(p, runs=printed(p.runs)) for p in paragraphs)


# reportlab splits a paragraph that runs over a page by wrapping all of what is left again: one paragraph of
# 1.9 MB of notes took over 100 s. Printed paragraphs are cut into pieces of at most this many characters, at a
# sentence end where one is near, else at a space, so that each piece costs the same.
MAX_PRINTED_PARAGRAPH = 2_000
_SPACE = re.compile(r"\s+")


def chunked(paragraph: Paragraph, limit: int = MAX_PRINTED_PARAGRAPH) -> tuple[Paragraph, ...]:
    """The paragraph as pieces of at most `limit` characters (a word longer than that is cut)."""
    if len(paragraph.text) <= limit:
        return (paragraph,)
    pieces: list[tuple[Run, ...]] = []
    current: list[Run] = []
    size = 0
    for run in paragraph.runs:
        text, at = run.text, 0
        while size + len(text) - at > limit:
            cut = _cut(text, at, limit - size)
            if cut is None:  # no space in the room left: close the piece if it has anything, else cut the word
                if current:
                    pieces.append(tuple(current))
                    current, size = [], 0
                    continue
                cut = (at + limit, at + limit)
            if cut[0] > at:
                current.append(dataclasses.replace(run, text=text[at:cut[0]]))
            pieces.append(tuple(current))
            current, size, at = [], 0, cut[1]
        if at < len(text):
            current.append(dataclasses.replace(run, text=text[at:]))
            size += len(text) - at
    if current:
        pieces.append(tuple(current))
    return tuple(dataclasses.replace(paragraph, runs=runs) for runs in pieces if runs)


def _cut(text: str, at: int, room: int) -> tuple[int, int] | None:
    """Where to end a piece starting at `at` within `room` characters: (its end, where the next starts), at the
    last sentence end in the second half of the room, else at the last space; None without a space."""
    best = sentence = None
    end = at + room
    for match in _SPACE.finditer(text, at + 1, min(len(text), end + 1)):
        if match.start() > end:
            break
        best = (match.start(), match.end())
        if text[match.start() - 1] in ".!?…" and match.start() >= at + room // 2:
            sentence = best
    return sentence or best


def plain(runs: Runs) -> str:
    return runs_text(runs)


def duration(minutes: int) -> str:
    """Whole minutes as a programme shows them: '6 min', '75 min', '1 h 45 min', '2 h'."""
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes // 60} h"
    if minutes > 90:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes} min"
