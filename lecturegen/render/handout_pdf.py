"""Render layer: the handout model as a printable PDF (reportlab platypus).

Real text in embedded TrueType fonts (metric-compatible stand-ins for the theme's fonts), headings
as PDF bookmarks, DOIs and URLs as link annotations whose text is exactly the address (long ones
break at '/' with nothing inserted), charts at the size the model gives them, a running header and
page numbers. `invariant=1` keeps the bytes identical for identical input.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from lecturegen.model.links import is_safe_link, link_target
from lecturegen.model.handout import (
    Activity,
    Block,
    BreakMark,
    ChartBlock,
    Columns,
    Handout,
    HandoutSection,
    ImageBlock,
    NotesSpace,
    Points,
    Prompt,
    Rating,
    ScalePoint,
    QrCode,
    Quote,
    SlideHeading,
    Sources,
    SpeakerNotes,
    Statement,
    TableBlock,
    TickBox,
    Worksheet,
)
from lecturegen.records import record
from lecturegen.model.text import Paragraph as ModelParagraph
from lecturegen.model.text import Run

ChartPictures = Callable[[ChartBlock], bytes]

# ── fonts ────────────────────────────────────────────────────────────────────────────────────────

_FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
              Path.home() / ".fonts", Path.home() / ".local/share/fonts")


def _faces(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic"))


# Theme font → a metric-compatible family that is free to embed, as (regular, bold, italic, bold italic).
_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "calibri": _faces("Carlito"),
    "carlito": _faces("Carlito"),
    "arial": _faces("LiberationSans"),
    "helvetica": _faces("LiberationSans"),
    "liberation sans": _faces("LiberationSans"),
    "times new roman": _faces("LiberationSerif"),
    "liberation serif": _faces("LiberationSerif"),
    "cambria": _faces("Caladea"),
}
_FALLBACK = _SUBSTITUTES["arial"]
_registered: dict[str, str] = {}


def _find_font_file(name: str) -> Path | None:
    for base in _FONT_DIRS:
        if base.is_dir():
            for path in sorted(base.rglob(name)):
                return path
    return None


def register_font(theme_font: str) -> str:
    """Register the TTF family for a theme font; the name to use in styles (Helvetica if no TTF exists)."""
    key = theme_font.strip().lower()
    if key in _registered:
        return _registered[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "Helvetica"
    for files in (_SUBSTITUTES.get(key), _FALLBACK):
        if not files:
            continue
        found = [_find_font_file(f) for f in files]
        regular = found[0]
        if regular is None:
            continue
        # A missing style falls back to the regular face rather than to a font that is not embedded.
        paths = [p or regular for p in found]
        family = "LG-" + regular.stem.split("-")[0]
        faces = [family, family + "-Bold", family + "-Italic", family + "-BoldItalic"]
        for face, path in zip(faces, paths):
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(face, str(path)))
        pdfmetrics.registerFontFamily(family, normal=faces[0], bold=faces[1], italic=faces[2], boldItalic=faces[3])
        name = family
        break
    _registered[key] = name
    return name


def _bold(font: str) -> str:
    return "Helvetica-Bold" if font == "Helvetica" else font + "-Bold"


def _italic(font: str) -> str:
    return "Helvetica-Oblique" if font == "Helvetica" else font + "-Italic"


# ── colours and styles ───────────────────────────────────────────────────────────────────────────


def _hex(value: str) -> colors.Color:
    return colors.HexColor("#" + value.lstrip("#"))


def _tint(value: str, amount: float) -> colors.Color:
    """The colour mixed with white: amount 0 → white, 1 → the colour."""
    c = _hex(value)
    return colors.Color(1 - (1 - c.red) * amount, 1 - (1 - c.green) * amount, 1 - (1 - c.blue) * amount)


def _dark_enough(value: str) -> bool:
    """Small text in this colour reads on white (luminance contrast roughly ≥ 4.5:1)."""
    c = _hex(value)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)
    return 1.05 / (lum + 0.05) >= 4.5


@record(frozen=False)
class _Styles:
    body: str
    heading: str
    s: dict[str, ParagraphStyle]

    def __getitem__(self, key: str) -> ParagraphStyle:
        return self.s[key]


def _styles(handout: Handout) -> _Styles:
    style = handout.style
    body = register_font(style.body.family)
    heading = register_font(style.heading.family)
    c = style.colors
    text, title, muted, accent = _hex(c["text"]), _hex(c["title"]), _hex(c["muted"]), _hex(c["accent"])
    # Long URLs split only where they cannot fit on a line of their own, and then at a '/', with
    # nothing inserted: the 0.999 makes reportlab try a URI split only at the start of a line.
    base = ParagraphStyle("base", fontName=body, bulletFontName=body, fontSize=10.5, leading=14.5, textColor=text,
                          alignment=TA_LEFT,
                          spaceAfter=0, splitLongWords=1, uriWasteReduce=0.999, allowWidows=0, allowOrphans=0)
    s: dict[str, ParagraphStyle] = {"base": base}

    def add(name: str, parent: str = "base", **kw: Any) -> None:
        s[name] = ParagraphStyle(name, parent=s[parent], **kw)

    add("body", spaceAfter=4)
    add("h1", fontName=_bold(heading), fontSize=17, leading=21, textColor=title, spaceBefore=4, spaceAfter=2,
        keepWithNext=1)
    add("h1-meta", fontSize=9, leading=12, textColor=muted, spaceAfter=4, keepWithNext=1)
    add("summary", fontName=_italic(body), fontSize=10.5, leading=14, textColor=muted, spaceAfter=6, keepWithNext=1)
    add("h2", fontName=_bold(heading), fontSize=12, leading=15, textColor=accent, spaceBefore=9, spaceAfter=3,
        keepWithNext=1)
    add("h3", fontName=_bold(heading), fontSize=10.5, leading=13.5, textColor=title, spaceBefore=2, spaceAfter=2,
        keepWithNext=1)
    add("bullet0", leftIndent=14, bulletIndent=3, spaceAfter=2.5)
    add("bullet1", leftIndent=28, bulletIndent=17, spaceAfter=2, fontSize=10, leading=13.5)
    add("bullet2", leftIndent=42, bulletIndent=31, spaceAfter=2, fontSize=10, leading=13.5)
    add("caption", fontSize=9.5, leading=12.5, textColor=text, spaceBefore=3, spaceAfter=2)
    add("source", fontSize=8.5, leading=11, textColor=muted, spaceBefore=1, spaceAfter=2)
    add("big", fontName=_bold(heading), fontSize=19, leading=23, textColor=accent, spaceBefore=2, spaceAfter=3)
    add("callout-number", fontName=_bold(heading), fontSize=30, leading=34, textColor=accent, spaceAfter=2)
    add("callout-claim", fontName=_bold(heading), fontSize=15, leading=19.5, textColor=accent, spaceAfter=3)
    add("callout-context", fontSize=12, leading=16, textColor=title, spaceAfter=2)
    add("callout-caption", fontSize=9.5, leading=12.5, textColor=text, spaceBefore=3)
    add("quote", fontName=_italic(body), fontSize=13, leading=17.5, textColor=title, spaceAfter=3)
    add("attribution", fontSize=9.5, leading=12.5, textColor=muted)
    add("col-head", fontName=_bold(body), fontSize=10.5, leading=14, textColor=title, spaceAfter=3)
    add("cell", fontSize=9.5, leading=12.5)
    add("cell-head", fontName=_bold(body), fontSize=9.5, leading=12.5, textColor=title)
    add("activity-head", fontName=_bold(heading), fontSize=12, leading=15, textColor=title, spaceAfter=1)
    add("badge", fontName=_bold(body), fontSize=9, leading=12,
        textColor=_hex(c["accent2"]) if _dark_enough(c["accent2"]) else accent, spaceAfter=4)
    add("notes-label", fontName=_bold(body), fontSize=8.5, leading=11, textColor=muted, spaceBefore=6, spaceAfter=1)
    add("notes", fontSize=9, leading=12.5, textColor=muted, spaceAfter=3)
    add("reference", fontSize=9.5, leading=13, leftIndent=16, firstLineIndent=-16, spaceAfter=5)
    add("outcome", leftIndent=14, bulletIndent=3, spaceAfter=3)
    add("key-message", leftIndent=14, bulletIndent=3, spaceAfter=3.5, fontSize=11, leading=15)
    add("key-chart-title", fontName=_bold(body), fontSize=9.5, leading=12, textColor=title, spaceAfter=2)
    add("cover-kicker", fontName=_bold(body), fontSize=10, leading=13, textColor=_hex(c["band_text"]),
        spaceAfter=10)
    add("cover-title", fontName=_bold(heading), fontSize=30, leading=35, textColor=_hex(c["band_text"]),
        spaceAfter=8)
    add("cover-subtitle", fontSize=15, leading=19, textColor=_hex(c["band_text"]))
    add("cover-line", fontSize=12, leading=17, textColor=text)
    add("cover-who", fontName=_bold(body), fontSize=13, leading=18, textColor=title)
    add("contact-head", fontName=_bold(body), fontSize=10, leading=13, textColor=title, spaceAfter=2)
    add("contact", fontSize=10, leading=13.5)
    add("contents", fontSize=10, leading=13, textColor=text)
    add("contents-page", fontSize=10, leading=13, textColor=muted, alignment=TA_RIGHT)
    add("prog", fontSize=10, leading=13)
    add("prog-time", fontSize=10, leading=13, textColor=title)
    add("prog-break", fontName=_italic(body), fontSize=10, leading=13, textColor=muted)
    add("prog-min", fontSize=9, leading=13, textColor=muted, alignment=TA_RIGHT)
    add("prog-day", fontName=_bold(heading), fontSize=11, leading=14, textColor=accent)
    add("break", fontName=_italic(body), fontSize=9.5, leading=12, textColor=muted)
    add("worksheet-label", fontName=_bold(body), fontSize=8.5, leading=11, textColor=accent, spaceAfter=1)
    add("worksheet-head", fontName=_bold(heading), fontSize=12, leading=15, textColor=title, spaceAfter=4)
    add("worksheet-item", fontSize=10.5, leading=14, spaceAfter=0)
    return _Styles(body, heading, s)


# ── runs → reportlab markup ──────────────────────────────────────────────────────────────────────


def markup(runs: tuple[Run, ...], link_color: str) -> str:
    """Runs as reportlab paragraph markup; a link's text is its address exactly (nothing inserted)."""
    parts = []
    for run in runs:
        if not run.text:
            continue
        piece = escape(run.text)
        if is_safe_link(run.link):
            href = escape(link_target(run.link or ""), {chr(34): "&quot;"})
            piece = f'<a href="{href}" color="#{link_color}">{piece}</a>'
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        parts.append(piece)
    return "".join(parts)


def _link_lines(url: str, font: str, size: float, width: float) -> list[str]:
    """A URL too long for a line, cut into lines that fit: after a '/' or '.' where possible."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    rest = url
    while stringWidth(rest, font, size) > width:
        fits = 1
        while fits < len(rest) and stringWidth(rest[:fits + 1], font, size) <= width:
            fits += 1
        cut = max(rest.rfind("/", 0, fits), rest.rfind(".", 0, fits))
        cut = cut + 1 if cut > len("https://") else fits  # never inside the scheme; else where the line ends
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + [rest]


def reference_markup(runs: tuple[Run, ...], link_color: str, style: ParagraphStyle, width: float) -> str:
    """A reference entry; a link wider than a whole line starts a line of its own and is cut into lines
    that fit, each still a link, with nothing inserted between its characters.

    (reportlab splits a URL only once, at a '/', and lets the rest run off the page.)
    """
    parts = []
    continuation = width - style.leftIndent
    for run in runs:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        font = _bold(style.fontName) if run.bold else style.fontName
        if not run.link or stringWidth(run.text, font, style.fontSize) <= continuation:
            parts.append(markup((run,), link_color))
            continue
        pieces = _link_lines(run.text, font, style.fontSize, continuation)
        parts.append("<br/>" + "<br/>".join(markup((dataclasses.replace(run, text=piece),), link_color)
                                            for piece in pieces))
    return "".join(parts)


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


class _OutlineOnly(Heading):
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
class _Drawing:
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


def _height(flowables: list[Flowable], width: float) -> float:
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


def _flowable_height(flowable: Flowable, aw: float) -> float:
    """The height a flowable (or a keep-together group) takes on an empty page."""
    if isinstance(flowable, Stack):
        return flowable.minimum_height(aw)
    content = getattr(flowable, "_content", None)
    if isinstance(flowable, KeepTogether) and content is not None:
        return sum(_flowable_height(f, aw) + f.getSpaceBefore() + f.getSpaceAfter() for f in content)
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


# ── the document ─────────────────────────────────────────────────────────────────────────────────


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, handout: Handout, styles: _Styles, **kw: Any):
        super().__init__(buffer, **kw)
        self.handout = handout
        self.st = styles
        self.current_section = ""  # the section the latest flowable belongs to
        self.header_section = ""  # the one the running header names: the section the page starts in
        self._page_fresh = True
        self._keys = 0
        self.part_pages: list[int] = []  # the page each top-level part (bookmark level 0) starts on

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self.header_section = self.current_section
        self._page_fresh = True

    def _mark(self, flowable: Flowable) -> None:
        if isinstance(flowable, SectionMark):
            self.current_section = flowable.title
            if self._page_fresh:
                self.header_section = flowable.title
            return
        if isinstance(flowable, Heading):
            self._keys += 1
            key = f"h{self._keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, flowable.outline_level, flowable.outline_closed)
            if flowable.outline_level == 0:
                self.part_pages.append(self.canv.getPageNumber())
        if not isinstance(flowable, (_OutlineOnly, ActionFlowable, Spacer)):
            self._page_fresh = False

    def afterFlowable(self, flowable: Flowable) -> None:
        # Groups that draw their content themselves report it here, so that its headings are bookmarks.
        inner = flowable.items if isinstance(flowable, Stack) else getattr(flowable, "_content", None)
        for item in inner if isinstance(flowable, (Stack, KeepInFrame)) and inner else [flowable]:
            self._mark(item)


_BAND = 92 * mm
_CONTACT_H = 40 * mm


def _cover_page(canv: Any, doc: _Doc) -> None:
    h = doc.handout
    cover = h.cover
    c = h.style.colors
    width, height = doc.pagesize
    st = doc.st
    canv.saveState()
    canv.setFillColor(_hex(c["band"]))
    canv.rect(0, height - _BAND, width, _BAND, stroke=0, fill=1)
    canv.setFillColor(_hex(c["accent2"]))
    canv.rect(0, height - _BAND - 2.2 * mm, width, 2.2 * mm, stroke=0, fill=1)
    # The title block sits at the foot of the band, however many lines the title takes.
    blocks = [Paragraph(escape(cover.kicker), st["cover-kicker"]), Paragraph(escape(cover.title), st["cover-title"])]
    if cover.subtitle:
        blocks.append(Paragraph(escape(cover.subtitle), st["cover-subtitle"]))
    frame_w = width - doc.leftMargin - doc.rightMargin
    y = height - _BAND + 14 * mm
    for i in range(len(blocks) - 1, -1, -1):
        _, bh = blocks[i].wrap(frame_w, _BAND)
        blocks[i].drawOn(canv, doc.leftMargin, y)
        y += bh + (blocks[i - 1].style.spaceAfter if i else 0)
    if cover.logo is not None:
        logo = ImageReader(io.BytesIO(cover.logo.data))
        iw, ih = logo.getSize()
        scale = min(45 * mm / iw, 18 * mm / ih)
        canv.drawImage(logo, width - doc.rightMargin - iw * scale, height - _BAND - 2.2 * mm - 8 * mm - ih * scale,
                       iw * scale, ih * scale, mask="auto")
    if h.contact is not None:
        _contact_box(canv, doc, frame_w)
    canv.bookmarkPage("cover")
    canv.addOutlineEntry(h.metadata.title, "cover", 0, False)
    canv.setViewerPreference("DisplayDocTitle", "true")
    canv.showOutline()
    canv.restoreState()


def _contact_box(canv: Any, doc: _Doc, frame_w: float) -> None:
    """Contact lines and the QR code to the slides, at the foot of the cover."""
    h, st = doc.handout, doc.st
    contact = h.contact
    assert contact is not None
    link = h.style.colors.get("link", "0B5CAD").lstrip("#")
    x, y = doc.leftMargin, doc.bottomMargin
    canv.setStrokeColor(_tint(h.style.colors["muted"], 0.35))
    canv.setLineWidth(0.5)
    canv.line(x, y + _CONTACT_H, x + frame_w, y + _CONTACT_H)
    qr_size = 30 * mm if contact.qr is not None else 0.0
    text_w = frame_w - qr_size - (6 * mm if qr_size else 0)
    parts: list[Paragraph] = []
    if contact.lines:
        parts.append(Paragraph("Contact", st["contact-head"]))
        parts += [Paragraph(escape(line), st["contact"]) for line in contact.lines]
    if contact.slides_url:
        parts.append(Paragraph("The slides", st["contact-head"]))
        url = escape(contact.slides_url)
        href = escape(link_target(contact.slides_url), {chr(34): "&quot;"})
        parts.append(Paragraph(f'<a href="{href}" color="#{link}">{url}</a>' if is_safe_link(contact.slides_url)
                               else url, st["contact"]))
    top = y + _CONTACT_H - 5 * mm
    for p in parts:
        _, ph = p.wrap(text_w, _CONTACT_H)
        top -= ph + (p.style.spaceBefore if p is not parts[0] else 0)
        p.drawOn(canv, x, top)
        top -= p.style.spaceAfter + (3 if p.style.name == "contact" else 0)
    if contact.qr is not None:
        draw_qr(canv, contact.qr, x + frame_w - qr_size, y + _CONTACT_H - 5 * mm - qr_size, qr_size)


def _page_furniture(canv: Any, doc: _Doc) -> None:
    """Running header (talk title, current section) and footer (presenter, page number)."""
    h = doc.handout
    st = doc.st
    width, height = doc.pagesize
    left, right = doc.leftMargin, width - doc.rightMargin
    muted = _hex(h.style.colors["muted"])
    canv.saveState()
    canv.setFont(st.body, 8.5)
    canv.setFillColor(muted)
    top = height - 12 * mm
    title = h.running_title
    canv.drawString(left, top, title)
    section = doc.header_section
    room = right - left - canv.stringWidth(title, st.body, 8.5) - 12 * mm
    while section and canv.stringWidth(section, st.body, 8.5) > room:
        section = section[:-2].rstrip() + "…" if len(section) > 2 else ""
    if section:
        canv.drawRightString(right, top, section)
    canv.setStrokeColor(_tint(h.style.colors["muted"], 0.35))
    canv.setLineWidth(0.5)
    canv.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
    bottom = 10 * mm
    canv.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
    canv.drawString(left, bottom, h.footer)
    canv.drawRightString(right, bottom, f"Page {canv.getPageNumber()}")
    canv.restoreState()


def render_pdf(handout: Handout, chart_png: ChartPictures) -> bytes:
    """The handout as PDF bytes; chart pictures come from `chart_png` (the same block gives the same PNG)."""
    page = handout.page
    st = _styles(handout)
    buffer = io.BytesIO()
    meta = handout.metadata
    doc = _Doc(buffer, handout, st, pagesize=(page.width, page.height), leftMargin=page.left,
               rightMargin=page.right, topMargin=page.top, bottomMargin=page.bottom, title=meta.title,
               author=meta.author, subject=meta.subject, creator="lecturegen", producer="lecturegen (ReportLab)",
               keywords=list(meta.keywords), lang=meta.language, invariant=1, displayDocTitle=1,
               # Every page starts in the body font: the default (Helvetica) would be a font the PDF names
               # without embedding it.
               initialFontName=st.body, initialFontSize=10.5)
    frame_w, frame_h = page.frame_width, page.frame_height
    cover_bottom = page.bottom + (_CONTACT_H + 6 * mm if handout.contact is not None else 0)
    below = Frame(page.left, cover_bottom, frame_w, page.height - _BAND - 14 * mm - cover_bottom, id="below",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body = Frame(page.left, page.bottom, frame_w, frame_h, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[below], onPage=_cover_page),
        PageTemplate(id="content", frames=[body], onPageEnd=_page_furniture),
    ])
    # Two passes: the first finds the page each part starts on, for the contents on the cover (which
    # takes the same room in both passes, so no page moves).
    doc.build(_Story(handout, st, frame_w, frame_h, chart_png, None).build())
    pages = list(doc.part_pages)
    buffer.seek(0)
    buffer.truncate()
    doc.part_pages = []
    doc.current_section = doc.header_section = ""
    doc._keys = 0
    doc.build(_Story(handout, st, frame_w, frame_h, chart_png, pages).build())
    return buffer.getvalue()


class _Story:
    def __init__(self, handout: Handout, st: _Styles, width: float, height: float, chart_png: ChartPictures,
                 part_pages: list[int] | None):
        self.h = handout
        self.part_pages = part_pages
        self.st = st
        self.width = width
        self.height = height
        self.chart_png = chart_png
        self.colors = handout.style.colors
        self.link = self.colors.get("link", "0B5CAD").lstrip("#")
        self.story: list[Flowable] = []
        self.blocks: dict[type, Callable[[Any], list[Flowable]]] = {
            SlideHeading: self._slide_heading,
            Points: self._points,
            Statement: self._statement,
            Quote: self._quote,
            Columns: self._columns,
            TableBlock: self._table,
            ChartBlock: self._chart,
            ImageBlock: self._image,
            Activity: self._activity,
            Worksheet: self._worksheet,
            BreakMark: self._break,
            Sources: self._sources,
            SpeakerNotes: self._notes,
        }

    def _style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """A table style whose string cells (even empty ones) use the body font, not reportlab's Helvetica."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.st.body)] + commands)

    def m(self, runs: tuple[Run, ...]) -> str:
        return markup(runs, self.link)

    # ── page-level parts ──

    def build(self) -> list[Flowable]:
        self._cover()
        self.story.append(NextPageTemplate("content"))
        self.story.append(PageBreak())
        self._key_findings()
        self._programme()
        sections = [self._section(s) for s in self.h.sections]
        tail = self._references_head()
        for i, (flowables, notes) in enumerate(sections):
            if notes is None:
                self.story.extend(flowables)
                continue
            block, at = notes
            following = flowables[at:] + ([sections[i + 1][0][0]] if i + 1 < len(sections) else tail[:1])
            self.story.extend(flowables[:at])
            self.story.append(self._notes_fill(block, following))
            self.story.extend(flowables[at:])
        if self.h.thumbnails:
            self._thumbnails()
        self.story.extend(tail)
        if self.h.credits:
            # Last, small and without a heading of its own: the licences of what the slides draw on.
            self.story.append(Spacer(1, 4 * mm))
            self.story.extend(Paragraph(f"<b>Credits.</b> {escape(line)}" if i == 0 else escape(line),
                                        self.st["caption"]) for i, line in enumerate(self.h.credits))
        return self.story

    def _notes_fill(self, block: NotesSpace, following: list[Flowable]) -> NotesFill:
        def need(aw: float) -> float:
            # Room what follows needs to start on this page: a closing break, the next heading and its first piece.
            return sum(_flowable_height(f, aw) for f in following) + 12 if following else 0.0

        return NotesFill(block, _tint(self.colors["muted"], 0.5), self.st["notes-label"], self.height, need)

    def _cover(self) -> None:
        cover, st, s = self.h.cover, self.st, self.story
        who = ", ".join(p for p in (cover.presenter, cover.affiliation) if p)
        if who:
            s.append(Paragraph(escape(who), st["cover-who"]))
        for line in (cover.event, cover.place):
            if line:
                s.append(Paragraph(escape(line), st["cover-line"]))
        contents = self._contents()
        if contents is not None:
            s.append(Spacer(1, 9 * mm))
            s.append(contents)

    def parts(self) -> list[str]:
        """The top-level parts in order, as their level-0 bookmarks name them."""
        h = self.h
        names = (["Key findings"] if h.key_findings else []) + (["Programme"] if h.programme else [])
        names += [section.title for section in h.sections]
        names += (["Slides and notes"] if h.thumbnails else []) + (["References"] if h.references else [])
        return names

    def _contents(self) -> Flowable | None:
        names = self.parts()
        if len(names) < 3:
            return None
        st = self.st
        pages = self.part_pages if self.part_pages and len(self.part_pages) == len(names) else None
        entries = [[Paragraph(escape(name), st["contents"]),
                    Paragraph(str(pages[i]) if pages else "", st["contents-page"])] for i, name in enumerate(names)]
        halves = 2 if len(entries) > 12 else 1
        per = -(-len(entries) // halves)
        gap = 10 * mm
        col = (self.width - gap * (halves - 1)) / halves
        columns: list[Any] = []
        for half in range(halves):
            # Each half is a table of its own, so that a wrapped title on one side spaces only its own side.
            part = Table(entries[half * per:(half + 1) * per], colWidths=[col - 10 * mm, 10 * mm], hAlign="LEFT")
            part.setStyle(self._style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
            columns += [part] + ([""] if half < halves - 1 else [])
        widths = [col, gap] * (halves - 1) + [col]
        table = Table([columns], colWidths=widths, hAlign="LEFT")
        table.setStyle(self._style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        # The cover is one page whatever the number of sections: a long list is set smaller.
        return KeepInFrame(self.width, 0, [Paragraph("In this handout", st["contact-head"]), table],
                           mode="shrink")

    def _key_findings(self) -> None:
        findings = self.h.key_findings
        if findings is None:
            return
        st = self.st
        self.story.append(SectionMark("Key findings"))
        content: list[Flowable] = [Heading("Key findings", st["h1"], "Key findings", 0)]
        if findings.take_home:
            content.append(Paragraph(escape(findings.take_home_title), st["h2"]))
            content += [Paragraph(self.m(p.runs), st["key-message"], bulletText="•") for p in findings.take_home]
        outcomes: list[Flowable] = []
        if findings.outcomes:
            outcomes.append(Paragraph("Learning outcomes", st["h2"]))
            outcomes.append(Paragraph("By the end of the session, participants will be able to:", st["h1-meta"]))
            outcomes += [Paragraph(self.m(o), st["outcome"], bulletText="•") for o in findings.outcomes]
        cells: list[list[Flowable]] = [self._key_chart(block) for block in findings.charts]
        if cells:
            content.append(Spacer(1, 4 * mm))
            if len(cells) % 2 == 1 and outcomes:
                cells.append(outcomes)  # the outcomes fill the grid's last cell
                outcomes = []
            gap = 18.0
            col = (self.width - gap) / 2
            rows = []
            for i in range(0, len(cells), 2):
                pair = cells[i:i + 2] + ([[]] if len(cells[i:i + 2]) == 1 else [])
                rows.append([pair[0], "", pair[1]])
            grid = Table(rows, colWidths=[col, gap, col], hAlign="LEFT")
            grid.setStyle(self._style([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]))
            content.append(grid)
        content += outcomes
        # One page, whatever the content: the summary shrinks (uniformly) rather than spill over.
        self.story.append(KeepInFrame(self.width, self.height, content, mode="shrink"))
        self.story.append(PageBreak())

    def _key_chart(self, block: ChartBlock) -> list[Flowable]:
        cell: list[Flowable] = [Paragraph(self.m(block.title), self.st["key-chart-title"]),
                                ChartPicture(self.chart_png(block), block)]
        if block.source:
            cell.append(Paragraph(self.m(block.source), self.st["source"]))
        return cell

    def _programme(self) -> None:
        programme = self.h.programme
        if programme is None:
            return
        st, c = self.st, self.colors
        head: list[Flowable] = [SectionMark("Programme"), Heading("Programme", st["h1"], "Programme", 0),
                                Paragraph(escape(programme.summary), st["h1-meta"])]
        rows: list[list[Any]] = []
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ]
        day = 0
        for entry in programme.rows:
            if programme.days > 1 and entry.day != day:
                day = entry.day
                commands += [("SPAN", (0, len(rows)), (-1, len(rows))),
                             ("TOPPADDING", (0, len(rows)), (-1, len(rows)), 9 if rows else 2)]
                rows.append([Paragraph(f"Day {day}", st["prog-day"]), "", ""])
            quiet = entry.kind != "section"
            time = entry.start if entry.kind == "day-end" else f"{entry.start}–{entry.end}"
            rows.append([Paragraph(time, st["prog-time"]),
                         Paragraph(escape(entry.title), st["prog-break"] if quiet else st["prog"]),
                         Paragraph(entry.duration, st["prog-min"])])
            commands.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.4, _tint(c["muted"], 0.3)))
            if entry.kind in ("break", "reserved"):
                commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), _tint(c["accent"], 0.08)))
        table = Table(rows, colWidths=[30 * mm, self.width - 52 * mm, 22 * mm], hAlign="LEFT", repeatRows=0)
        table.setStyle(self._style(commands))
        self.story.append(keep_together(head + [Spacer(1, 2 * mm), table]))
        self.story.append(Spacer(1, 8 * mm))

    def _section(self, section: HandoutSection) -> tuple[list[Flowable], tuple[NotesSpace, int] | None]:
        """The section's flowables, and where its notes space goes (it is sized when the page is known)."""
        st = self.st
        out: list[Flowable] = []
        notes: tuple[NotesSpace, int] | None = None
        # The section's heading, timing and summary travel with the start of its first slide.
        pending: list[Flowable] = [SectionMark(section.title),
                                   Heading(escape(section.title), st["h1"], section.title, 0, closed=True),
                                   Paragraph(escape(f"{section.when} · {section.duration}"), st["h1-meta"])]
        if section.summary:
            pending.append(Paragraph(self.m(section.summary), st["summary"]))
        for block in section.blocks:
            if isinstance(block, NotesSpace):
                out.extend(pending)
                pending = []
                notes = (block, len(out))
                continue
            flowables = self.blocks[type(block)](block)
            if isinstance(block, SlideHeading):
                pending.extend(flowables)
                continue
            if pending:
                # A title never ends a page alone: keep it with the first real piece of its content.
                first = flowables[0] if flowables else None
                if isinstance(first, Stack):
                    out.append(Stack(pending + first.items))
                    out.extend(flowables[1:])
                else:
                    cut = next((i + 1 for i, f in enumerate(flowables) if not isinstance(f, Spacer)), len(flowables))
                    out.append(keep_together(pending + flowables[:cut]))
                    out.extend(flowables[cut:])
                pending = []
            else:
                out.extend(flowables)
        out.extend(pending)
        out.append(Spacer(1, 4 * mm))
        return out, notes

    def _thumbnails(self) -> None:
        st, h = self.st, self.h
        assert h.thumbnails is not None
        self.story.append(PageBreak())
        self.story.append(SectionMark("Slides and notes"))
        self.story.append(Heading("Slides and notes", st["h1"], "Slides and notes", 0))
        heading_h = 30
        gap = 6 * mm
        row_h = (self.height - heading_h - 2 * gap) / 3 - 1
        thumb_w = self.width * 0.5
        for index, png in enumerate(h.thumbnails):
            if index and index % 3 == 0:
                self.story.append(PageBreak())
            reader = ImageReader(io.BytesIO(png))
            iw, ih = reader.getSize()
            scale = min(thumb_w / iw, (row_h - 14) / ih)
            image = Image(io.BytesIO(png), iw * scale, ih * scale)
            framed = Table([[image]], colWidths=[iw * scale], rowHeights=[ih * scale], hAlign="LEFT")
            framed.setStyle(self._style([("BOX", (0, 0), (-1, -1), 0.5, _tint(self.colors["muted"], 0.5)),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            label = Paragraph(f"Slide {index + 1}", st["source"])
            lines = Rules(int((row_h - 6) // (8 * mm)), _tint(self.colors["muted"], 0.45), 8 * mm)
            table = Table([[[framed, label], lines]], colWidths=[thumb_w + 6 * mm, self.width - thumb_w - 6 * mm],
                          rowHeights=[row_h])
            table.setStyle(self._style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
            self.story.append(table)
            if index % 3 != 2:
                self.story.append(Spacer(1, gap))
        self.story.append(PageBreak())

    def _references_head(self) -> list[Flowable]:
        if not self.h.references:
            return []
        st = self.st
        entries = [Paragraph(reference_markup(runs, self.link, st["reference"], self.width), st["reference"])
                   for runs in self.h.references]
        head = keep_together([SectionMark("References"), Heading("References", st["h1"], "References", 0),
                             Spacer(1, 2 * mm)] + entries[:3])
        return [head] + entries[3:]

    # ── blocks ──

    def _slide_heading(self, block: SlideHeading) -> list[Flowable]:
        return [Heading(self.m(block.runs), self.st["h2"], "".join(r.text for r in block.runs), 1)]

    def _bullet_paragraphs(self, paragraphs: tuple[ModelParagraph, ...], numbered: bool = False,
                           style_prefix: str = "bullet") -> list[Flowable]:
        out: list[Flowable] = []
        number = 0
        for p in paragraphs:
            level = min(p.level, 2)
            if p.style == "caption":
                out.append(Paragraph(self.m(p.runs), self.st["caption"]))
                continue
            if numbered and level == 0:
                number += 1
                bullet = f"{number}."
            else:
                bullet = "•" if level == 0 else "–"
            out.append(Paragraph(self.m(p.runs), self.st[f"{style_prefix}{level}"], bulletText=bullet))
        return out

    def _points(self, block: Points) -> list[Flowable]:
        return self._bullet_paragraphs(block.paragraphs, block.numbered)

    def _statement(self, block: Statement) -> list[Flowable]:
        """A call-out: the number (or the claim) large, its context line under it, the caption below, in a
        tinted box with the accent rule at its left; never split across a page."""
        st = self.st
        short = len("".join(r.text for r in block.big)) <= CALLOUT_NUMBER_CHARS
        cell: list[Flowable] = [Paragraph(self.m(block.big), st["callout-number" if short else "callout-claim"])]
        if block.context:
            cell.append(Paragraph(self.m(block.context), st["callout-context"]))
        if block.caption:
            cell.append(Paragraph(self.m(block.caption), st["callout-caption"]))
        table = Table([[cell]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(self._style([
            ("BACKGROUND", (0, 0), (-1, -1), _tint(self.colors["accent"], 0.09)),
            ("LINEBEFORE", (0, 0), (0, 0), 4, _hex(self.colors["accent"])),
            ("LEFTPADDING", (0, 0), (-1, -1), 14),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 9),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ]))
        return [Spacer(1, 3), KeepTogether([table]), Spacer(1, 4)]

    def _quote(self, block: Quote) -> list[Flowable]:
        text = "\u2018" + self.m(block.text).strip() + "\u2019"
        cell: list[Flowable] = [Paragraph(text, self.st["quote"])]
        if block.attribution:
            cell.append(Paragraph(self.m(block.attribution), self.st["attribution"]))
        table = Table([[cell]], colWidths=[self.width - 6 * mm], hAlign="LEFT")
        table.setStyle(self._style([
            ("LINEBEFORE", (0, 0), (0, 0), 2.5, _hex(self.colors["accent"])),
            ("LEFTPADDING", (0, 0), (0, 0), 10),
            ("TOPPADDING", (0, 0), (0, 0), 2),
            ("BOTTOMPADDING", (0, 0), (0, 0), 3),
        ]))
        return [table]

    def _columns(self, block: Columns) -> list[Flowable]:
        n = max(1, len(block.columns))
        gap = 6 * mm
        col_w = (self.width - gap * (n - 1)) / n
        widths: list[float] = []
        row: list[Any] = []
        for i, column in enumerate(block.columns):
            cell: list[Flowable] = []
            if column.heading:
                cell.append(Paragraph(self.m(column.heading), self.st["col-head"]))
            cell.extend(self._bullet_paragraphs(column.body))
            if i:
                row.append("")
                widths.append(gap)
            row.append(cell)
            widths.append(col_w)
        table = Table([row], colWidths=widths, hAlign="LEFT")
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        for i in range(0, len(row), 2):
            commands.append(("LINEABOVE", (i, 0), (i, 0), 1.2, _hex(self.colors["accent"])))
            commands.append(("TOPPADDING", (i, 0), (i, 0), 5))
        table.setStyle(self._style(commands))
        return [table, Spacer(1, 2)]

    def _table(self, block: TableBlock) -> list[Flowable]:
        t = block.table
        header = [Paragraph(self.m(cell), self.st["cell-head"]) for cell in t.header]
        rows = [[Paragraph(self.m(cell), self.st["cell"]) for cell in row] for row in t.rows]
        data = ([header] if header else []) + rows
        if not data:
            return []
        n = max(len(r) for r in data)
        table = Table(data, colWidths=[self.width / n] * n, repeatRows=1 if header else 0, hAlign="LEFT")
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _tint(self.colors["muted"], 0.35)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), _tint(self.colors["accent"], 0.12)),
                         ("LINEBELOW", (0, 0), (-1, 0), 1, _hex(self.colors["accent"]))]
        table.setStyle(self._style(commands))
        return [table, Spacer(1, 3)]

    def _chart(self, block: ChartBlock) -> list[Flowable]:
        items: list[Flowable] = [ChartPicture(self.chart_png(block), block)]
        if block.caption:
            items.append(Paragraph(self.m(block.caption), self.st["caption"]))
        if block.source:
            items.append(Paragraph(self.m(block.source), self.st["source"]))
        return [Stack(items)]

    def _image(self, block: ImageBlock) -> list[Flowable]:
        media = block.media
        scale = min(self.width / media.width_px, block.max_height_in * 72 / media.height_px)
        out: list[Flowable] = [Image(io.BytesIO(media.data), media.width_px * scale, media.height_px * scale,
                                     hAlign="LEFT")]
        if block.caption:
            out.append(Paragraph(self.m(block.caption), self.st["caption"]))
        return [KeepTogether(out)]

    def _activity(self, block: Activity) -> list[Flowable]:
        label = "Exercise" if block.kind == "exercise" else "Discussion"
        cell: list[Flowable] = [Paragraph(f"{label}: " + self.m(block.title), self.st["activity-head"])]
        if block.badge:
            cell.append(Paragraph(escape(block.badge), self.st["badge"]))
        cell.extend(self._bullet_paragraphs(block.steps, numbered=block.numbered))
        table = Table([[cell]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(self._style([
            ("BACKGROUND", (0, 0), (-1, -1), _tint(self.colors["accent"], 0.07)),
            ("LINEBEFORE", (0, 0), (0, 0), 3, _hex(self.colors["accent"])),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]))
        title = "".join(r.text for r in block.title)
        return [Spacer(1, 6), KeepTogether([_OutlineOnly(title), table]), Spacer(1, 4)]

    def _worksheet(self, block: Worksheet) -> list[Flowable]:
        st = self.st
        rule = _tint(self.colors["muted"], 0.5)
        head: list[Flowable] = [Paragraph("Worksheet", st["worksheet-label"]),
                                Heading(self.m(block.title), st["worksheet-head"],
                                        "Worksheet: " + "".join(r.text for r in block.title), 2)]
        head += [Paragraph(self.m(p.runs), st["body"]) for p in block.intro]
        items: list[Flowable | _Drawing] = []
        for item in block.printed():
            if isinstance(item, tuple):
                items.append(self._rating_grid(list(item), block.scale))
            elif isinstance(item, TickBox):
                row = Table([[TickSquare(9, _hex(self.colors["title"])), Paragraph(self.m(item.runs),
                                                                                    st["worksheet-item"])]],
                            colWidths=[16, self.width - 16], hAlign="LEFT")
                row.setStyle(self._style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("TOPPADDING", (0, 0), (0, 0), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
                items.append(row)
            elif isinstance(item, Prompt):
                question = Paragraph(self.m(item.runs), ParagraphStyle("prompt", parent=st["worksheet-item"],
                                                                       spaceBefore=6))
                if item.lines >= DRAWING_LINES:
                    # A space this big is for drawing: framed, unruled, and it shrinks (not below
                    # DRAWING_LEAST of itself) rather than leave the page before it half empty.
                    height = item.lines * 22.0
                    items.append(_Drawing(question, DrawingSpace(height, height * DRAWING_LEAST, rule)))
                else:
                    items.append(KeepTogether([question, Rules(item.lines, rule, 22.0)]))
        # The worksheet is one piece: its head and everything up to a drawing space stay on one page (a drawing
        # space shrinks to fit instead, so the page before it is not left half empty).
        out: list[Flowable] = [Spacer(1, 4)]
        together: list[Flowable] = list(head)
        for entry in items:
            if isinstance(entry, _Drawing):
                lead = [Sheet(together, self.height)] if together else []
                need = _height(together + [entry.question], self.width) + entry.space.least
                out += [CondPageBreak(need), *lead, entry.question, entry.space]
                together = []
            else:
                together.append(entry)
        if together:
            out.append(Sheet(together, self.height))
        out.append(Spacer(1, 6))
        return out

    def _rating_grid(self, ratings: list[Rating], scale: tuple[ScalePoint, ...]) -> Table:
        """Rated items as a grid: a row per item, a column per point headed by its value and anchor, an empty
        circle in each cell to mark."""
        st = self.st
        n = max(1, len(scale))
        col = min(20 * mm, (self.width * 0.5) / n)
        head_style = ParagraphStyle("scale-head", parent=st["cell-head"], alignment=TA_CENTER, fontSize=8.5,
                                    leading=10.5)
        anchor_style = ParagraphStyle("scale-anchor", parent=st["cell"], alignment=TA_CENTER, fontSize=7.5,
                                      leading=9, textColor=_hex(self.colors["muted"]))
        header: list[Any] = [Paragraph("", st["cell"])]
        for point in scale:
            cell: list[Flowable] = [Paragraph(escape(point.value), head_style)]
            if point.anchor:
                cell.append(Paragraph(self.m(point.anchor), anchor_style))
            header.append(cell)
        rows: list[list[Any]] = [header]
        mark = _hex(self.colors["title"])
        for item in ratings:
            rows.append([Paragraph(self.m(item.runs), st["worksheet-item"])] +
                        [RatingCircle(9, mark) for _ in range(n)])
        table = Table(rows, colWidths=[self.width - col * n] + [col] * n, hAlign="LEFT", repeatRows=1)
        rule = _tint(self.colors["muted"], 0.3)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 1), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, _hex(self.colors["accent"])),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, rule),
        ]
        for i in range(1, len(rows), 2):
            commands.append(("BACKGROUND", (1, i), (-1, i), _tint(self.colors["accent"], 0.05)))
        table.setStyle(self._style(commands))
        return table

    def _break(self, block: BreakMark) -> list[Flowable]:
        text = f"{escape(block.title)} · {block.when} · {block.duration}"
        table = Table([[Paragraph(text, self.st["break"])]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(self._style([
            ("BACKGROUND", (0, 0), (-1, -1), _tint(self.colors["accent"], 0.08)),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ]))
        return [Spacer(1, 6), table, Spacer(1, 2)]

    def _sources(self, block: Sources) -> list[Flowable]:
        return [Paragraph(self.m(block.runs), self.st["source"])]

    def _notes(self, block: SpeakerNotes) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Speaker notes", self.st["notes-label"])]
        out.extend(Paragraph(self.m(p.runs), self.st["notes"]) for p in block.paragraphs)
        return out


__all__ = ["Block", "markup", "register_font", "render_pdf"]
