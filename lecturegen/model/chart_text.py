"""Model layer: how chart text is written and laid out — number style, wrapping, timeline plans.

Pure functions shared by compile (alt text, whether a timeline fits its box) and render (what is drawn),
so both say the same thing and render imports nothing from compile.
"""

from __future__ import annotations

import math
from typing import Sequence

from lecturegen.model.style import FontMetrics
from lecturegen.records import record

LENGTH_KINDS = frozenset({"bar", "grouped-bar", "stacked"})  # charts whose bars start at zero
NOT_REPORTED = "not reported"
MINUS = "\u2212"


def format_value(value: float, fmt: str | None) -> str:
    """A number as it appears on a slide: 'int' → 1,086; 'r' → .85; 'r3' → −.060; else a Python spec."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_REPORTED
    if fmt in (None, ""):
        fmt = "g"
    try:
        if value == 0 and fmt in ("r", "r2", "r3"):
            return "0"
        if fmt == "int":
            text = f"{round(value):,}"
        elif fmt in ("r", "r2", "r3"):
            digits = 3 if fmt == "r3" else 2
            text = f"{value:.{digits}f}"
            # APA: no leading zero for statistics that cannot exceed 1 (r, α, p).
            text = text.replace("0.", ".", 1) if abs(value) < 1 else text
        elif fmt.endswith("d"):
            text = format(int(round(value)), fmt)
        else:
            text = format(value, fmt)
    except (ValueError, TypeError):
        text = f"{value:g}"
    return text.replace("-", MINUS) if text.startswith("-") else text


# ---------------------------------------------------------------------------------------------
# timelines: how the events fit the chart's box (shared by the size check here and the renderer)

TIMELINE_MAX_COLUMNS = 3


@record
class TimelineRow:
    year: str
    lines: tuple[str, ...]
    column: int
    top_pt: float  # from the top of the chart


@record
class TimelinePlan:
    """Years down a line, events beside them, in one to three columns, at one size for every text."""

    size_pt: float
    columns: int
    column_width_pt: float
    year_width_pt: float  # the bold year, right-aligned in this width
    line_pt: float  # line pitch
    margin_pt: float
    rows: tuple[TimelineRow, ...]
    fits: bool  # False: even the smallest size in the most columns overflows the box


def wrap_text(font: FontMetrics, text: str, size_pt: float, width_pt: float) -> tuple[str, ...] | None:
    """Greedy wrap at spaces; None when a single word is wider than the line (it would have to be cut)."""
    lines: list[str] = []
    current = ""
    for word in _glued_words(text):
        candidate = f"{current} {word}" if current else word
        if font.width(candidate, size_pt) <= width_pt:
            current = candidate
            continue
        if font.width(word, size_pt) > width_pt:
            return None
        lines.append(current)
        current = word
    lines.append(current)
    return tuple(line for line in lines if line) or ("",)


_GLUE = frozenset({"=", "<", ">", "≤", "≥", "±", "≈", "–", "—", "&"})


def _glued_words(text: str) -> list[str]:
    """Words to wrap between; "n = 342" and "p < .05" stay whole (a line never starts or ends with '=')."""
    words: list[str] = []
    for word in text.split():
        if words and (word in _GLUE or words[-1].split()[-1] in _GLUE):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _split_columns(heights: Sequence[float], columns: int) -> list[int] | None:
    """Start index of each column for the contiguous split with the lowest tallest column."""
    n = len(heights)
    if columns == 1 or n <= 1:
        return [0]
    best: tuple[float, list[int]] | None = None
    starts_options: list[list[int]] = [[0, a] for a in range(1, n)] if columns == 2 else [
        [0, a, b] for a in range(1, n - 1) for b in range(a + 1, n)]
    for starts in starts_options:
        bounds = starts + [n]
        tallest = max(sum(heights[bounds[i]:bounds[i + 1]]) for i in range(len(starts)))
        if best is None or tallest < best[0] - 1e-9:
            best = (tallest, starts)
    return best[1] if best else None


def plan_timeline(years: Sequence[str], texts: Sequence[str], width_pt: float, height_pt: float,
                  font: FontMetrics, base_pt: float, min_pt: float) -> TimelinePlan:
    """The largest size (then the fewest columns) at which every event fits, wrapped at spaces."""
    fallback: TimelinePlan | None = None
    size = base_pt
    while size >= min_pt - 1e-9:
        for columns in range(1, TIMELINE_MAX_COLUMNS + 1):
            plan = _try_timeline(years, texts, width_pt, height_pt, font, size, columns)
            if plan is not None and plan.fits:
                return plan
            if plan is not None and (fallback is None or plan.size_pt <= fallback.size_pt):
                fallback = plan
        size -= 1
    if fallback is None:  # not even one word per line fits: one line per event, clipped by the renderer
        line = min_pt * font.line_height
        rows = tuple(TimelineRow(y, (t,), 0, min_pt * 0.6 + i * line * 1.4) for i, (y, t) in enumerate(zip(years, texts)))
        return TimelinePlan(min_pt, 1, width_pt, min_pt * 2.6, line, min_pt * 0.6, rows, False)
    return fallback


def _try_timeline(years: Sequence[str], texts: Sequence[str], width_pt: float, height_pt: float, font: FontMetrics,
                  size: float, columns: int) -> TimelinePlan | None:
    margin = size * 0.6
    gap = size * 0.45  # between events
    line = size * font.line_height
    year_w = max((font.width(y, size, True) for y in years), default=0.0) + size * 0.3
    col_w = (width_pt - margin * 2) / columns
    # Year, a dot on the line, the event text; a column gap keeps one column's text off the next one's year.
    text_w = col_w - year_w - size * 1.6 - (size * 0.8 if columns > 1 else 0.0)
    if text_w < size * 4:
        return None
    wrapped = []
    for text in texts:
        lines = wrap_text(font, text, size, text_w)
        if lines is None:
            return None
        wrapped.append(lines)
    heights = [len(lines) * line + gap for lines in wrapped]
    starts = _split_columns(heights, min(columns, len(texts)))
    if starts is None:
        return None
    bounds = starts + [len(texts)]
    rows = []
    tallest = 0.0
    for c in range(len(starts)):
        top = margin
        for i in range(bounds[c], bounds[c + 1]):
            rows.append(TimelineRow(years[i], wrapped[i], c, top))
            top += heights[i]
        tallest = max(tallest, top - gap)
    fits = tallest <= height_pt - margin
    return TimelinePlan(size, len(starts), col_w, year_w, line, margin, tuple(rows), fits)
