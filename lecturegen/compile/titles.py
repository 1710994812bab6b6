"""Compile layer: where a wrapping title breaks — balanced lines, phrase boundaries, never one word alone (pure)."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from typing import Sequence

from lecturegen.compile.measure import Word, words_of
from lecturegen.model.style import FontMetrics
from lecturegen.model.text import Run, runs_text

# A line should not end on a word that leads into the next: an article, a preposition, a conjunction.
WEAK_ENDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "into", "onto", "and", "or",
    "but", "nor", "as", "than", "that", "which", "who", "whose", "is", "are", "was", "be", "not", "no", "its",
    "their", "our", "your", "my", "his", "her", "this", "these", "those", "if", "when", "where", "how", "why",
    "what", "between", "about", "over", "under", "through", "without", "within", "&",
})
PHRASE_ENDS = ",;:—–-?!."
MAX_WORDS = 30  # longer titles are broken greedily: the lint already says they are too long
MAX_LINES = 4


def wrap(font: FontMetrics, words: Sequence[Word], size: float, width: float) -> list[list[str]]:
    """The lines a run of words wraps to, greedily, as PowerPoint wraps (a forced break starts a line)."""
    lines: list[list[str]] = [[]]
    current = 0.0
    space = font.width(" ", size)
    for word, bold in words:
        if word == "\n":
            lines.append([])
            current = 0.0
            continue
        w = font.width(word, size, bold)
        if lines[-1] and current + space + w > width:
            lines.append([word])
            current = w
        else:
            current = w if not lines[-1] else current + space + w
            lines[-1].append(word)
    return lines


def words_per_line(runs: tuple[Run, ...], font: FontMetrics, size: float, width: float, bold: bool) -> tuple[int, ...]:
    """How many words each line of a title holds as it wraps."""
    return tuple(len(line) for line in wrap(font, words_of([(r.text, r.bold or bold) for r in runs]), size, width))


def balance_title(runs: tuple[Run, ...], font: FontMetrics, size: float, width: float,
                  bold: bool) -> tuple[Run, ...] | None:
    """The title with line breaks where it reads best on as many lines as it wraps to (None: leave it).

    Of every way to break it into that many lines that fit, the one whose widest line is narrowest wins, with
    penalties: a last line of one word (a widow) costs most, a line ending on "of", "the", "and" … costs, and
    a line ending at a comma, colon, dash or question mark is preferred."""
    if len({(r.bold, r.italic, r.link, r.cited) for r in runs}) > 1 or "\n" in runs_text(runs):
        return None  # mixed formatting or breaks the author chose: not ours to move
    words = [w for w, _ in words_of([(runs_text(runs), bold or runs[0].bold)])] if runs else []
    if len(words) < 3 or len(words) > MAX_WORDS:
        return None
    greedy = wrap(font, [(w, bold or runs[0].bold) for w in words], size, width)
    count = len(greedy)
    if count < 2 or count > MAX_LINES:
        return None
    space = font.width(" ", size)
    widths = [font.width(w, size, bold or runs[0].bold) for w in words]

    def line_width(a: int, b: int) -> float:
        return sum(widths[a:b]) + space * (b - a - 1)

    def score(starts: list[int]) -> float:
        widest = max(line_width(a, b) for a, b in zip(starts, starts[1:]))
        penalty = 1.0
        if starts[-1] == len(words) - 1:
            penalty *= 3.0  # one word alone on the last line
        for end in starts[1:-1]:
            last = words[end - 1]
            if last.lower().strip("“”\"'()") in WEAK_ENDS:
                penalty *= 1.25
            elif last[-1:] in PHRASE_ENDS:
                penalty *= 0.85
        return widest * penalty

    best: list[int] | None = None
    best_score = float("inf")
    for breaks in combinations(range(1, len(words)), count - 1):
        starts = [0, *breaks, len(words)]
        if any(line_width(a, b) > width for a, b in zip(starts, starts[1:])):
            continue
        value = score(starts)
        if value < best_score - 0.01:
            best, best_score = starts, value
    if best is None:
        return None
    # Written as line breaks even where they fall as the text would wrap: renderers wrap a point or two
    # apart, and a forced break is the same in all of them.
    text = "\n".join(" ".join(words[a:b]) for a, b in zip(best, best[1:]))
    return (replace(runs[0], text=text),)
