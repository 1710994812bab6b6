"""Render layer: the PDF handout's own flowables (headings with bookmarks, rules, worksheets, charts, stacks).

Over 400 lines because these flowables measure one another (a stack or a sheet asks its pieces their least
heights), so they change together.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    Paragraph,
)

from lecturegen.model.handout import (
    ChartBlock,
    NotesSpace,
    QrCode,
)
from lecturegen.model.links import is_safe_link, link_target
from lecturegen.records import record

ChartPictures = Callable[[ChartBlock], bytes]


# ── flowables ────────────────────────────────────────────────────────────────────────────────────


class Heading(Paragraph):
    """A paragraph that is also a bookmark in the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, outline: str, level: int, closed: bool = False):
        super().__init__(text, style)
        self.outline_text = outline
        self.outline_level = level
        self.outline_closed = closed


class SectionMark(Flowable):
    """Zero-size marker: the running header names the section the page is in."""

    def __init__(self, title: str):
        super().__init__()
        self.title = title
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:  # pragma: no cover - nothing to draw
        pass


class OutlineOnly(Heading):
    """An outline entry with no visible text (exercises show their title inside their box)."""

    def __init__(self, text: str):
        super().__init__("", ParagraphStyle("outline-only", fontSize=1, leading=0.1), text, 1)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return aw, 0

    def draw(self) -> None:
        pass


class Rules(Flowable):
    """Ruled lines for writing on, with an optional label above the first."""

    def __init__(self, count: int, color: colors.Color, gap: float, label: str = "",
                 label_style: ParagraphStyle | None = None):
        super().__init__()
        self.count = count
        self.color = color
        self.gap = gap
        self.label = label
        self.label_style = label_style

    def label_height(self) -> float:
        return self.label_style.leading + 2 if self.label and self.label_style is not None else 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.label_height() + self.count * self.gap + (2 if self.count else 0)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        if self.label and self.label_style is not None:
            c.setFont(self.label_style.fontName, self.label_style.fontSize)
            c.setFillColor(self.label_style.textColor)
            c.drawString(0, self.height - self.label_style.fontSize, self.label)
        c.setStrokeColor(self.color)
        c.setLineWidth(0.5)
        top = self.height - self.label_height()
        for i in range(self.count):
            y = top - (i + 1) * self.gap
            c.line(0, y, self.width, y)
        c.restoreState()


class DrawingSpace(Flowable):
    """A framed, unruled area to draw in (a map, a lifeline): it may shrink to `least` of its height to fit a page."""

    def __init__(self, height: float, least: float, color: colors.Color):
        super().__init__()
        self.preferred = height
        self.least = least
        self.color = color
        self.height = height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        # Shrinking a drawing area a little reads better than a page left half empty before it.
        if ah >= self.least:
            return [DrawingSpace(ah - 1, self.least, self.color)]
        return []

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(0.6)
        c.roundRect(0, 0, self.width, self.height, 4, stroke=1, fill=0)
        c.restoreState()


@record
class DrawingEntry:
    """A worksheet prompt and the drawing space under it, before the story is assembled."""

    question: Flowable
    space: DrawingSpace



class _Block(Flowable):
    """Flowables stacked as one block that is drawn whole: no space before the first or after the last."""

    def __init__(self, items: list[Flowable]):
        super().__init__()
        self.items = items
        self._sizes: list[tuple[float, float]] = []  # each item's (space before, height) at the last layout

    def _stack(self, aw: float) -> float:
        """Lay the items out at width `aw`; the block's height."""
        self._sizes = []
        total = 0.0
        for i, f in enumerate(self.items):
            _, h = f.wrap(aw, 10 ** 6)
            before = f.getSpaceBefore() if i else 0.0
            after = f.getSpaceAfter() if i < len(self.items) - 1 else 0.0
            self._sizes.append((before, h))
            total += before + h + after
        return total

    def getSpaceBefore(self) -> float:
        return self.items[0].getSpaceBefore() if self.items else 0.0

    def getSpaceAfter(self) -> float:
        return self.items[-1].getSpaceAfter() if self.items else 0.0

    def draw(self) -> None:
        y = self.height
        for i, (f, (before, h)) in enumerate(zip(self.items, self._sizes)):
            y -= before + h
            f.drawOn(self.canv, 0, y)
            if i < len(self.items) - 1:
                y -= f.getSpaceAfter()


class Sheet(_Block):
    """A worksheet (or its part before a drawing space) as one piece that never breaks across pages.

    When the space left on a page is only a little short, its writing lines close up (not below
    RULE_LEAST_GAP apart) rather than move the whole sheet on and leave the page half empty. A sheet that
    would not fit on a page even so flows as its pieces.
    """

    def __init__(self, items: list[Flowable], frame_height: float, gap: float = 22.0,
                 least_gap: float = 0.0):
        flat: list[Flowable] = []
        for f in items:
            inner = getattr(f, "_content", None)
            flat.extend(inner if isinstance(f, KeepTogether) and inner is not None else [f])
        super().__init__(flat)
        self.rules = [f for f in self.items if isinstance(f, Rules)]
        self.frame_height = frame_height
        self.gap = gap
        self.least_gap = least_gap or RULE_LEAST_GAP

    def _layout(self, aw: float, gap: float) -> float:
        for rules in self.rules:
            rules.gap = gap
        return self._stack(aw)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self._layout(aw, self.gap)
        lines = sum(r.count for r in self.rules)
        if self.height > ah and lines:
            gap = self.gap - (self.height - ah + 0.5) / lines
            if gap >= self.least_gap:
                self.height = self._layout(aw, gap)
        return aw, self.height

    def minimum_height(self, aw: float) -> float:
        height = self._layout(aw, self.least_gap if self.rules else self.gap)
        self._layout(aw, self.gap)
        return height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if self.minimum_height(aw) > self.frame_height:
            return list(self.items)  # longer than a page: it has to flow
        return []  # all or nothing: the frame moves it to the next page


RULE_LEAST_GAP = 17.0  # writing lines close up to 6 mm apart, no closer, to keep a worksheet on a page
DRAWING_LINES = 8      # a prompt with this much space (in writing lines) is drawn in, not written on
DRAWING_LEAST = 0.6    # how far a drawing space may shrink to fit the rest of a page


def stack_height(flowables: list[Flowable], width: float) -> float:
    """The height a run of flowables takes at `width`, spacing included (for a conditional page break)."""
    return sum(f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


class NotesFill(Rules):
    """The notes space at a section's end (model: NotesSpace): as many lines as fill the page, within bounds."""

    def __init__(self, block: NotesSpace, color: colors.Color, label_style: ParagraphStyle, frame_height: float,
                 next_need: Callable[[float], float]):
        super().__init__(0, color, block.gap_pt, "Your notes", label_style)
        self.block = block
        self.frame_height = frame_height
        self.next_need = next_need

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        lead = 10.0  # space above the label
        room = ah - lead - self.label_height() - 2
        fits = int(room // self.gap)
        if fits < self.block.min_lines or ah >= self.frame_height - 1:
            # Too little room (the page is full), or the section ended exactly at a page's foot.
            self.count = 0
            self.height = 0.0
            return aw, 0.0
        count = min(fits, self.block.max_lines)
        left_after = room - count * self.gap
        if left_after < self.next_need(aw):
            count = fits  # the next section cannot start here: let the lines fill the page
        self.count = count
        self.height = lead + self.label_height() + count * self.gap + 2
        return aw, self.height

    def draw(self) -> None:
        if self.count:
            super().draw()


class ChartPicture(Flowable):
    """A chart PNG at the model's printed size; `fit` lets the stack shrink it towards its minimum."""

    def __init__(self, png: bytes, block: ChartBlock):
        super().__init__()
        self.reader = ImageReader(io.BytesIO(png))
        self.block = block
        self.ratio = block.figure.height_in / block.figure.width_in
        self.print_width = block.figure.print_width_in * 72
        self.min_width = block.figure.min_print_width_in * 72
        self.scale_to: float | None = None

    def natural(self, aw: float) -> tuple[float, float]:
        w = min(aw, self.print_width)
        return w, w * self.ratio

    def minimum_height(self, aw: float) -> float:
        return min(aw, self.min_width) * self.ratio

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        w, h = self.natural(aw)
        if self.scale_to is not None:
            w, h = self.scale_to, self.scale_to * self.ratio
        self.width, self.height = w, h
        return w, h

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height)


class RatingCircle(Flowable):
    """An empty circle to mark one point of a rating."""

    def __init__(self, size: float, color: colors.Color):
        super().__init__()
        self.size, self.color = size, color

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.8)
        r = self.size / 2
        self.canv.circle(r, r, r - 0.4, stroke=1, fill=0)


class Stack(_Block):
    """Flowables that must stay on one page, one of which is a chart that may shrink a little to fit.

    A chart with its slide heading (and, at a section's start, the section heading) and caption: if
    the space left on the page is only a little short, the chart is drawn smaller (never below the
    size at which its smallest label is still legible) rather than leaving the space empty.
    """

    def __init__(self, items: list[Flowable]):
        super().__init__(items)
        self.picture = next((f for f in items if isinstance(f, ChartPicture)), None)

    def _layout(self, aw: float, picture_width: float | None) -> float:
        if self.picture is not None:
            self.picture.scale_to = picture_width
        return self._stack(aw)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self._layout(aw, None)
        if self.height > ah and self.picture is not None:
            _, h = self.picture.natural(aw)
            short = self.height - ah
            if h - short >= self.picture.minimum_height(aw):
                self.height = self._layout(aw, (h - short - 0.5) / self.picture.ratio)
        return aw, self.height

    def natural_height(self, aw: float) -> float:
        return self._layout(aw, None)

    def minimum_height(self, aw: float) -> float:
        full = self._layout(aw, None)
        if self.picture is None:
            return full
        _, h = self.picture.natural(aw)
        return full - h + self.picture.minimum_height(aw)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []  # all or nothing: the frame moves it to the next page


# A call-out's text this short (a number with its unit, "More than a third") is printed at the number size;
# a longer claim at a size that still reads as a call-out without filling the box with large type.
CALLOUT_NUMBER_CHARS = 24


def keep_together(flowables: list[Flowable]) -> KeepTogether:
    """One keep-together group; groups inside it are opened up (a nested group reports itself as
    infinitely tall, which would push the whole group onto a new page every time)."""
    flat: list[Flowable] = []
    for f in flowables:
        inner = getattr(f, "_content", None)
        flat.extend(inner if isinstance(f, KeepTogether) and inner is not None else [f])
    return KeepTogether(flat)


def flowable_height(flowable: Flowable, aw: float) -> float:
    """The height a flowable (or a keep-together group) takes on an empty page."""
    if isinstance(flowable, Stack):
        return flowable.minimum_height(aw)
    content = getattr(flowable, "_content", None)
    if isinstance(flowable, (KeepTogether, KeepInFrame)) and content is not None:
        return sum(flowable_height(f, aw) + f.getSpaceBefore() + f.getSpaceAfter() for f in content)
    return flowable.wrap(aw, 10 ** 6)[1]


class TickSquare(Flowable):
    def __init__(self, size: float, color: colors.Color):
        super().__init__()
        self.size = size
        self.color = color

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.9)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        self.canv.restoreState()


def draw_qr(canv: Any, qr: QrCode, x: float, y: float, size: float) -> None:
    """The QR code as filled squares (vector, crisp at any zoom), with its four-module quiet zone."""
    count = len(qr.modules)
    module = size / (count + 8)
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    for r, row in enumerate(qr.modules):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            canv.rect(x + (start + 4) * module, y + size - (r + 5) * module, (c - start) * module, module,
                      stroke=0, fill=1)
    canv.restoreState()
    if is_safe_link(qr.url):
        canv.linkURL(link_target(qr.url), (x, y, x + size, y + size), relative=0)
