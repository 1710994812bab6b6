"""Compile layer: how much room text needs — greedy wrapping with real font widths, as PowerPoint wraps.

Pure: widths come from font objects the load layer has read into memory (`sources/fonts.py`).
"""

from __future__ import annotations

import math

import re
from typing import Sequence

from lecturegen.model.style import FontMetrics
from lecturegen.records import record

# Where lines may break: any white space but the no-break spaces (which keep "168 therapists" together).
_BREAKS = re.compile(r"[^\S\u00a0\u202f\u2007]+")



Word = tuple[str, bool]  # text, bold; "\n" is a line break


def words_of(runs: Sequence[tuple[str, bool]]) -> tuple[Word, ...]:
    out: list[Word] = []
    for text, bold in runs:
        for line_no, line in enumerate(text.split("\n")):
            if line_no:
                out.append(("\n", False))
            # A no-break space keeps a number and its unit together: it is part of the word.
            out.extend((w, bold) for w in _BREAKS.split(line.replace("\t", "    ")) if w)
    return tuple(out)


def count_lines(font: FontMetrics, words: Sequence[Word], size_pt: float, width_pt: float) -> int:
    """Lines a run of words wraps to in a width (PowerPoint's greedy wrap; over-long words break)."""
    if width_pt <= 0:
        return 10_000
    lines = 1
    current = 0.0
    space = font.width(" ", size_pt)
    for word, bold in words:
        if not word:
            continue
        if word == "\n":
            lines += 1
            current = 0.0
            continue
        w = font.width(word, size_pt, bold)
        needed = w if current == 0 else current + space + w
        if needed <= width_pt:
            current = needed
            continue
        if current > 0:
            lines += 1
        if w <= width_pt:
            current = w
        else:
            # A word broken over lines: as many full lines as it needs, the rest on a line of its own (a word
            # exactly n frames wide fills n lines and leaves none empty).
            pieces = math.ceil(w / width_pt)
            lines += pieces - 1
            current = w - (pieces - 1) * width_pt
    return lines


def widest_line(font: FontMetrics, words: Sequence[Word], size_pt: float) -> float:
    """Width of the longest line when nothing wraps (for one-line texts such as footers and labels)."""
    best = current = 0.0
    space = font.width(" ", size_pt)
    for word, bold in words:
        if word == "\n":
            best, current = max(best, current), 0.0
            continue
        current = font.width(word, size_pt, bold) if current == 0 else current + space + font.width(word, size_pt, bold)
    return max(best, current)


@record
class TextBlock:
    """A paragraph to measure: its words, size, left margin and spacing, and the font it is set in."""

    words: tuple[Word, ...]
    size_pt: float
    font: FontMetrics
    margin_pt: float = 0.0
    space_before_pt: float = 0.0
    line_spacing: float = 1.0


def block_lines(block: TextBlock, width_pt: float) -> int:
    return count_lines(block.font, block.words, block.size_pt, width_pt - block.margin_pt) if block.words else 1


def block_height(blocks: Sequence[TextBlock], width_pt: float) -> float:
    """Height in points the paragraphs need in a frame of this inner width (no space before the first)."""
    total = 0.0
    for index, block in enumerate(blocks):
        if index:
            total += block.space_before_pt
        total += block_lines(block, width_pt) * block.size_pt * block.font.line_height * block.line_spacing
    return total
