"""Render layer: the handout as a printable PDF (reportlab platypus).

Real text in embedded TrueType fonts (metric-compatible stand-ins for the theme's fonts), headings
as PDF bookmarks, DOIs as link annotations, a hanging-indent reference list, page numbers and a
running header. `invariant=1` keeps the bytes identical for identical input.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from lecturegen.model.deck import Paragraph as ModelParagraph
from lecturegen.model.deck import Run
from lecturegen.render.handout import (
    Activity,
    ChartBlock,
    Columns,
    Handout,
    ImageBlock,
    NoteLines,
    Points,
    Quote,
    SlideHeading,
    Sources,
    SpeakerNotes,
    Statement,
    TableBlock,
    duration,
    plain,
    typographic,
)

_minutes = duration

PAPER = {"a4": A4, "letter": LETTER}

# ── fonts ────────────────────────────────────────────────────────────────────────────────────────

_FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
              Path.home() / ".fonts", Path.home() / ".local/share/fonts")
# Theme font → a metric-compatible family that is free to embed, as (regular, bold, italic, bold italic).
_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "calibri": ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf", "Carlito-BoldItalic.ttf"),
    "carlito": ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf", "Carlito-BoldItalic.ttf"),
    "arial": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
              "LiberationSans-BoldItalic.ttf"),
    "helvetica": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
                  "LiberationSans-BoldItalic.ttf"),
    "times new roman": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                        "LiberationSerif-BoldItalic.ttf"),
    "cambria": ("Caladea-Regular.ttf", "Caladea-Bold.ttf", "Caladea-Italic.ttf", "Caladea-BoldItalic.ttf"),
}
_SUBSTITUTES["liberation sans"] = _SUBSTITUTES["arial"]
_SUBSTITUTES["liberation serif"] = _SUBSTITUTES["times new roman"]
_FALLBACK = _SUBSTITUTES["arial"]
_registered: dict[str, str] = {}


def _find_font_file(name: str) -> Path | None:
    for base in _FONT_DIRS:
        if not base.is_dir():
            continue
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


# ── styles ───────────────────────────────────────────────────────────────────────────────────────


def _hex(value: str) -> colors.Color:
    return colors.HexColor("#" + value.lstrip("#"))


def _tint(value: str, amount: float) -> colors.Color:
    """The colour mixed with white: amount 0 → white, 1 → the colour."""
    c = _hex(value)
    return colors.Color(1 - (1 - c.red) * amount, 1 - (1 - c.green) * amount, 1 - (1 - c.blue) * amount)


@dataclass
class _Styles:
    body: str
    heading: str
    palette: dict[str, str]
    s: dict[str, ParagraphStyle]

    def __getitem__(self, key: str) -> ParagraphStyle:
        return self.s[key]


def _styles(handout: Handout) -> _Styles:
    body = register_font(handout.body_font)
    heading = register_font(handout.heading_font)
    c = handout.colors
    text, title, muted, accent = _hex(c["text"]), _hex(c["title"]), _hex(c["muted"]), _hex(c["accent"])
    base = ParagraphStyle("base", fontName=body, fontSize=10.5, leading=14.5, textColor=text, alignment=TA_LEFT,
                          spaceAfter=0, splitLongWords=1, allowWidows=0, allowOrphans=0)
    s: dict[str, ParagraphStyle] = {"base": base}

    def add(name: str, parent: str = "base", **kw: Any) -> None:
        s[name] = ParagraphStyle(name, parent=s[parent], **kw)

    add("body", spaceAfter=4)
    add("h1", fontName=_bold(heading), fontSize=17, leading=21, textColor=title, spaceBefore=4, spaceAfter=2,
        keepWithNext=1)
    add("h1-meta", fontSize=9, leading=12, textColor=muted, spaceAfter=4, keepWithNext=1)
    add("summary", fontName=_italic(body), fontSize=10.5, leading=14, textColor=muted, spaceAfter=8, keepWithNext=1)
    add("h2", fontName=_bold(heading), fontSize=12, leading=15, textColor=accent, spaceBefore=9, spaceAfter=3,
        keepWithNext=1)
    add("bullet0", leftIndent=14, bulletIndent=3, spaceAfter=2.5)
    add("bullet1", leftIndent=28, bulletIndent=17, spaceAfter=2, fontSize=10, leading=13.5)
    add("bullet2", leftIndent=42, bulletIndent=31, spaceAfter=2, fontSize=10, leading=13.5)
    add("caption", fontSize=9.5, leading=12.5, textColor=text, spaceBefore=3, spaceAfter=2)
    add("source", fontSize=8.5, leading=11, textColor=muted, spaceBefore=2, spaceAfter=2)
    add("big", fontName=_bold(heading), fontSize=19, leading=23, textColor=accent, spaceBefore=2, spaceAfter=3)
    add("quote", fontName=_italic(body), fontSize=13, leading=17.5, textColor=title, spaceAfter=3)
    add("attribution", fontSize=9.5, leading=12.5, textColor=muted)
    add("col-head", fontName=_bold(body), fontSize=10.5, leading=14, textColor=title, spaceAfter=3)
    add("cell", fontSize=9.5, leading=12.5)
    add("cell-head", fontName=_bold(body), fontSize=9.5, leading=12.5, textColor=title)
    add("activity-head", fontName=_bold(heading), fontSize=12, leading=15, textColor=title, spaceAfter=1)
    add("badge", fontName=_bold(body), fontSize=9, leading=12, textColor=_hex(c["accent2"]) if _dark_enough(
        c["accent2"]) else accent, spaceAfter=4)
    add("notes-label", fontName=_bold(body), fontSize=8.5, leading=11, textColor=muted, spaceBefore=6,
        spaceAfter=1)
    add("notes", fontSize=9, leading=12.5, textColor=muted, spaceAfter=3)
    add("reference", fontSize=9.5, leading=13, leftIndent=16, firstLineIndent=-16, spaceAfter=5)
    add("outcome", leftIndent=18, bulletIndent=2, spaceAfter=4)
    add("cover-kicker", fontName=_bold(body), fontSize=10, leading=13, textColor=_hex(c["band_text"]),
        spaceAfter=10)
    add("cover-title", fontName=_bold(heading), fontSize=30, leading=35, textColor=_hex(c["band_text"]),
        spaceAfter=8)
    add("cover-subtitle", fontSize=15, leading=19, textColor=_hex(c["band_text"]))
    add("cover-line", fontSize=12, leading=17, textColor=text)
    add("cover-who", fontName=_bold(body), fontSize=13, leading=18, textColor=title)
    add("prog", fontSize=10, leading=13)
    add("prog-time", fontSize=10, leading=13, textColor=title)
    add("prog-break", fontName=_italic(body), fontSize=10, leading=13, textColor=muted)
    add("prog-min", fontSize=9, leading=13, textColor=muted, alignment=2)
    return _Styles(body, heading, dict(c), s)


def _dark_enough(value: str) -> bool:
    """Small text in this colour reads on white (luminance contrast roughly ≥ 4.5:1)."""
    c = _hex(value)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)
    return 1.05 / (lum + 0.05) >= 4.5


# ── runs → reportlab markup ──────────────────────────────────────────────────────────────────────


def markup(runs: tuple[Run, ...], link_color: str) -> str:
    parts = []
    for run in runs:
        if not run.text:
            continue
        if run.link:
            text = escape(run.text)
            # Let long URLs break after slashes and dots (a zero-width space is invisible in print).
            text = text.replace("/", "/\u200b").replace(".", ".\u200b") if len(run.text) > 30 else text
            piece = f'<a href="{escape(run.link, {chr(34): "&quot;"})}" color="#{link_color}">{text}</a>'
        else:
            piece = escape(typographic(run.text))
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        parts.append(piece)
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

    def draw(self) -> None:  # pragma: no cover - nothing to draw
        pass


class Rules(Flowable):
    """Ruled lines for the reader's own notes."""

    def __init__(self, count: int, color: colors.Color, label: str = "", label_style: ParagraphStyle | None = None,
                 gap: float = 8 * mm, height: float | None = None):
        super().__init__()
        self.count = count
        self.color = color
        self.gap = gap
        self.label = label
        self.label_style = label_style
        self.fixed_height = height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.fixed_height if self.fixed_height is not None else self.count * self.gap + 4
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
        count = self.count if self.fixed_height is None else int(self.height // self.gap)
        for i in range(count):
            y = self.height - (i + 1) * self.gap
            if y < 0:
                break
            c.line(0, y, self.width, y)
        c.restoreState()


class ChartFigure(Flowable):
    """A chart image scaled to the column, with an 'Illustrative data' stamp when the data are not real."""

    def __init__(self, png: bytes, width_in: float, height_in: float, max_width: float, stamp: str,
                 stamp_font: str, stamp_color: colors.Color, alt: str):
        super().__init__()
        self.reader = ImageReader(io.BytesIO(png))
        self.ratio = height_in / width_in
        self.max_width = max_width
        self.stamp = stamp
        self.stamp_font = stamp_font
        self.stamp_color = stamp_color
        self.alt = alt

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = min(aw, self.max_width)
        self.height = self.width * self.ratio
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.drawImage(self.reader, 0, 0, self.width, self.height)
        if self.stamp:
            c.saveState()
            size = 9
            w = c.stringWidth(self.stamp, self.stamp_font, size) + 10
            x, y = self.width - w - 4, self.height - size - 10
            c.setFillColor(colors.white)
            c.setStrokeColor(self.stamp_color)
            c.setLineWidth(1)
            c.roundRect(x, y, w, size + 6, 2, stroke=1, fill=1)
            c.setFillColor(self.stamp_color)
            c.setFont(self.stamp_font, size)
            c.drawString(x + 5, y + 4.2, self.stamp)
            c.restoreState()


# ── the document ─────────────────────────────────────────────────────────────────────────────────


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, handout: Handout, styles: _Styles, **kw: Any):
        super().__init__(buffer, **kw)
        self.handout = handout
        self.st = styles
        self.current_section = ""
        self._keys = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, SectionMark):
            self.current_section = flowable.title
        if isinstance(flowable, Heading):
            self._keys += 1
            key = f"h{self._keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, flowable.outline_level, flowable.outline_closed)


def _cover_page(canv: Any, doc: _Doc) -> None:
    h = doc.handout
    width, height = doc.pagesize
    canv.saveState()
    canv.setFillColor(_hex(h.colors["band"]))
    canv.rect(0, height - _BAND, width, _BAND, stroke=0, fill=1)
    canv.setFillColor(_hex(h.colors["accent2"]))
    canv.rect(0, height - _BAND - 2.2 * mm, width, 2.2 * mm, stroke=0, fill=1)
    if h.logo is not None:
        try:
            logo = ImageReader(str(h.logo))
            iw, ih = logo.getSize()
            scale = min(45 * mm / iw, 20 * mm / ih)
            canv.drawImage(logo, doc.leftMargin, doc.bottomMargin, iw * scale, ih * scale, mask="auto")
        except Exception:  # noqa: BLE001 - a broken logo must not cost the handout
            pass
    # The title block sits at the foot of the band, however many lines the title takes.
    st = doc.st
    blocks = [Paragraph("Handout", st["cover-kicker"]), Paragraph(escape(typographic(h.title)), st["cover-title"])]
    if h.subtitle:
        blocks.append(Paragraph(escape(typographic(h.subtitle)), st["cover-subtitle"]))
    frame_w = width - doc.leftMargin - doc.rightMargin
    y = height - _BAND + 14 * mm
    for i in range(len(blocks) - 1, -1, -1):
        _, bh = blocks[i].wrap(frame_w, _BAND)
        blocks[i].drawOn(canv, doc.leftMargin, y)
        y += bh + (blocks[i - 1].style.spaceAfter if i else 0)
    canv.bookmarkPage("cover")
    canv.addOutlineEntry(h.title, "cover", 0, False)
    canv.setViewerPreference("DisplayDocTitle", "true")
    canv.showOutline()
    canv.restoreState()


def _page_furniture(canv: Any, doc: _Doc) -> None:
    """Running header (talk title, current section) and footer (presenter, page number)."""
    h = doc.handout
    st = doc.st
    width, height = doc.pagesize
    left, right = doc.leftMargin, width - doc.rightMargin
    muted = _hex(h.colors["muted"])
    canv.saveState()
    canv.setFont(st.body, 8.5)
    canv.setFillColor(muted)
    top = height - 12 * mm
    title = typographic(h.title)
    canv.drawString(left, top, title)
    section = typographic(doc.current_section)
    room = right - left - canv.stringWidth(title, st.body, 8.5) - 12 * mm
    while section and canv.stringWidth(section, st.body, 8.5) > room:
        section = section[:-2].rstrip() + "…" if len(section) > 2 else ""
    if section:
        canv.drawRightString(right, top, section)
    canv.setStrokeColor(_tint(h.colors["muted"], 0.35))
    canv.setLineWidth(0.5)
    canv.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
    bottom = 10 * mm
    canv.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
    footer = " · ".join(p for p in (h.presenter, h.event_name or h.date) if p)
    canv.drawString(left, bottom, typographic(footer))
    canv.drawRightString(right, bottom, f"Page {canv.getPageNumber()}")
    canv.restoreState()


_BAND = 92 * mm


def render_pdf(handout: Handout, paper: str = "a4") -> bytes:
    pagesize = PAPER.get(paper.lower(), A4)
    st = _styles(handout)
    buffer = io.BytesIO()
    margin_x = 20 * mm if pagesize == A4 else 0.8 * 72
    doc = _Doc(buffer, handout, st, pagesize=pagesize, leftMargin=margin_x, rightMargin=margin_x,
               topMargin=22 * mm, bottomMargin=20 * mm, title=handout.title, author=handout.author,
               subject=handout.subject, creator="lecturegen", producer="lecturegen (ReportLab)",
               keywords=["handout", "programme", "references"], lang=handout.language, invariant=1,
               displayDocTitle=1)
    width, height = pagesize
    frame_w = width - 2 * margin_x
    below = Frame(margin_x, doc.bottomMargin, frame_w, height - _BAND - doc.bottomMargin - 14 * mm, id="below",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body = Frame(margin_x, doc.bottomMargin, frame_w, height - doc.topMargin - doc.bottomMargin, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[below], onPage=_cover_page),
        PageTemplate(id="content", frames=[body], onPageEnd=_page_furniture),
    ])
    story = _Story(handout, st, frame_w, body.height).build()
    doc.build(story)
    return buffer.getvalue()


class _Story:
    def __init__(self, handout: Handout, st: _Styles, width: float, height: float):
        self.h = handout
        self.st = st
        self.width = width
        self.height = height
        self.link = handout.colors.get("link", "0B5CAD").lstrip("#")
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
            Sources: self._sources,
            SpeakerNotes: self._notes,
            NoteLines: self._note_lines,
        }

    def m(self, runs: tuple[Run, ...]) -> str:
        return markup(runs, self.link)

    def t(self, text: str) -> str:
        return escape(typographic(text))

    # ── page-level parts ──

    def build(self) -> list[Flowable]:
        self._cover()
        self._programme()
        for section in self.h.sections:
            self._section(section)
        if self.h.thumbnails:
            self._thumbnails()
        if self.h.references:
            self._references()
        return self.story

    def _cover(self) -> None:
        h, st, s = self.h, self.st, self.story
        lines = h.cover_lines
        if lines:
            s.append(Paragraph(self.t(lines[0]), st["cover-who"]))
            for line in lines[1:]:
                s.append(Paragraph(self.t(line), st["cover-line"]))
            s.append(Spacer(1, 10 * mm))
        if h.outcomes:
            s.append(Heading("Learning outcomes", st["h1"], "Learning outcomes", 0))
            s.append(Paragraph("By the end of the session, participants will be able to:", st["h1-meta"]))
            for i, outcome in enumerate(h.outcomes, 1):
                s.append(Paragraph(self.m(outcome), st["outcome"], bulletText="•"))
        s.append(NextPageTemplate("content"))
        s.append(PageBreak())

    def _programme(self) -> None:
        h, st = self.h, self.st
        if not h.programme:
            return
        self.story.append(Heading("Programme", st["h1"], "Programme", 0))
        first, last = h.programme[0], h.programme[-1]
        span = f"{first.start}–{last.end}" if h.clock_times else f"{_minutes(_to_minutes(last.end))} in all"
        meta = span + ("" if h.clock_times else " · times from the start of the session")
        self.story.append(Paragraph(self.t(meta), st["h1-meta"]))
        rows = []
        shade = []
        for i, entry in enumerate(h.programme):
            is_break = entry.kind in ("break", "reserved")
            style = st["prog-break"] if is_break else st["prog"]
            rows.append([Paragraph(f"{entry.start}–{entry.end}", st["prog-time"]),
                         Paragraph(self.t(entry.title), style),
                         Paragraph(_minutes(entry.minutes), st["prog-min"])])
            if is_break:
                shade.append(("BACKGROUND", (0, i), (-1, i), _tint(h.colors["accent"], 0.08)))
        table = Table(rows, colWidths=[30 * mm, self.width - 50 * mm, 20 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _tint(h.colors["muted"], 0.3)),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ] + shade))
        self.story.append(table)
        self.story.append(Spacer(1, 8 * mm))

    def _section(self, section: Any) -> None:
        st = self.st
        # The section's heading, timing and summary travel with the start of its first slide.
        pending: list[Flowable] = [SectionMark(section.title),
                                   Heading(self.t(section.title), st["h1"], section.title, 0, closed=True),
                                   Paragraph(self.t(f"{section.when} · {_minutes(section.minutes)}"), st["h1-meta"])]
        if section.summary:
            pending.append(Paragraph(self.m(section.summary), st["summary"]))
        for block in section.blocks:
            flowables = self.blocks[type(block)](block)
            if isinstance(block, SlideHeading):
                pending.extend(flowables)
                continue
            if pending:
                # A title never ends a page alone: keep it with the first real piece of its content.
                cut = next((i + 1 for i, f in enumerate(flowables) if not isinstance(f, Spacer)), len(flowables))
                self.story.append(KeepTogether(pending + flowables[:cut]))
                self.story.extend(flowables[cut:])
                pending = []
            else:
                self.story.extend(flowables)
        self.story.extend(pending)
        self.story.append(Spacer(1, 8 * mm))

    def _thumbnails(self) -> None:
        st, h = self.st, self.h
        assert h.thumbnails is not None
        self.story.append(NextPageTemplate("content"))
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
            framed.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, _tint(h.colors["muted"], 0.5)),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            label = Paragraph(f"Slide {index + 1}", st["source"])
            lines = Rules(0, _tint(h.colors["muted"], 0.45), height=row_h - 6, gap=8 * mm)
            table = Table([[[framed, label], lines]], colWidths=[thumb_w + 6 * mm, self.width - thumb_w - 6 * mm],
                          rowHeights=[row_h])
            table.setStyle(TableStyle([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("BOX", (0, 0), (0, 0), 0, colors.white),
            ]))
            self.story.append(table)
            if index % 3 != 2:
                self.story.append(Spacer(1, gap))

    def _references(self) -> None:
        st = self.st
        self.story.append(CondPageBreak(60 * mm))
        self.story.append(SectionMark("References"))
        self.story.append(Heading("References", st["h1"], "References", 0))
        self.story.append(Spacer(1, 2 * mm))
        for runs in self.h.references:
            self.story.append(Paragraph(self.m(runs), st["reference"]))

    # ── blocks ──

    def _slide_heading(self, block: SlideHeading) -> list[Flowable]:
        return [Heading(self.m(block.runs), self.st["h2"], plain(block.runs), 1)]

    def _bullet_paragraphs(self, paragraphs: tuple[ModelParagraph, ...], numbered: bool = False) -> list[Flowable]:
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
            out.append(Paragraph(self.m(p.runs), self.st[f"bullet{level}"], bulletText=bullet))
        return out

    def _points(self, block: Points) -> list[Flowable]:
        return self._bullet_paragraphs(block.paragraphs)

    def _statement(self, block: Statement) -> list[Flowable]:
        out: list[Flowable] = [Paragraph(self.m(block.big), self.st["big"])]
        if block.caption:
            out.append(Paragraph(self.m(block.caption), self.st["caption"]))
        return out

    def _quote(self, block: Quote) -> list[Flowable]:
        text = "\u2018" + self.m(block.text).strip() + "\u2019"
        cell: list[Flowable] = [Paragraph(text, self.st["quote"])]
        if block.attribution:
            cell.append(Paragraph(self.m(block.attribution), self.st["attribution"]))
        table = Table([[cell]], colWidths=[self.width - 6 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("LINEBEFORE", (0, 0), (0, 0), 2.5, _hex(self.h.colors["accent"])),
            ("LEFTPADDING", (0, 0), (0, 0), 10),
            ("TOPPADDING", (0, 0), (0, 0), 2),
            ("BOTTOMPADDING", (0, 0), (0, 0), 3),
        ]))
        return [Spacer(1, 2), table]

    def _columns(self, block: Columns) -> list[Flowable]:
        n = max(1, len(block.columns))
        gap = 6 * mm
        col_w = (self.width - gap * (n - 1)) / n
        cells = []
        for column in block.columns:
            cell: list[Flowable] = []
            if column.heading:
                cell.append(Paragraph(self.m(column.heading), self.st["col-head"]))
            cell.extend(self._bullet_paragraphs(column.body))
            cells.append(cell)
        widths = []
        row: list[Any] = []
        for i, cell in enumerate(cells):
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
            commands.append(("LINEABOVE", (i, 0), (i, 0), 1.2, _hex(self.h.colors["accent"])))
            commands.append(("TOPPADDING", (i, 0), (i, 0), 5))
        table.setStyle(TableStyle(commands))
        return [Spacer(1, 2), table, Spacer(1, 2)]

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
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, _tint(self.h.colors["muted"], 0.35)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), _tint(self.h.colors["accent"], 0.12)),
                         ("LINEBELOW", (0, 0), (-1, 0), 1, _hex(self.h.colors["accent"]))]
        table.setStyle(TableStyle(commands))
        return [Spacer(1, 2), table, Spacer(1, 3)]

    def _chart(self, block: ChartBlock) -> list[Flowable]:
        stamp_color = _hex(self.h.colors["accent2"]) if _dark_enough(self.h.colors["accent2"]) else _hex(
            self.h.colors["title"])
        figure = ChartFigure(block.png, block.width_in, block.height_in, min(self.width, 145 * mm),
                             "Illustrative data" if block.illustrative else "", _bold(self.st.body), stamp_color,
                             block.alt)
        out: list[Flowable] = [Spacer(1, 2), figure]
        caption = block.caption
        if block.illustrative:
            caption = (Run("Illustrative data, not from a study. ", bold=True),) + caption
        if caption:
            out.append(Paragraph(self.m(caption), self.st["caption"]))
        if block.source:
            out.append(Paragraph(self.m(block.source), self.st["source"]))
        return [KeepTogether(out)]

    def _image(self, block: ImageBlock) -> list[Flowable]:
        try:
            reader = ImageReader(block.path)
            iw, ih = reader.getSize()
        except Exception:  # noqa: BLE001 - the loader checked the file; a vanished file must not crash
            return [Paragraph(self.t(f"[{block.alt}]"), self.st["source"])]
        scale = min(self.width / iw, (95 * mm) / ih)
        out: list[Flowable] = [Image(block.path, iw * scale, ih * scale, hAlign="LEFT")]
        if block.caption:
            out.append(Paragraph(self.m(block.caption), self.st["caption"]))
        return [KeepTogether(out)]

    def _activity(self, block: Activity) -> list[Flowable]:
        label = "Exercise" if block.kind == "exercise" else "Discussion"
        cell: list[Flowable] = [Paragraph(f"{label}: " + self.m(block.title), self.st["activity-head"])]
        if block.badge:
            cell.append(Paragraph(self.t(block.badge), self.st["badge"]))
        cell.extend(self._bullet_paragraphs(block.steps, numbered=block.numbered))
        table = Table([[cell]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), _tint(self.h.colors["accent"], 0.07)),
            ("LINEBEFORE", (0, 0), (0, 0), 3, _hex(self.h.colors["accent"])),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]))
        return [Spacer(1, 8), KeepTogether([_OutlineOnly(plain(block.title)), table]), Spacer(1, 4)]

    def _sources(self, block: Sources) -> list[Flowable]:
        return [Paragraph(self.m(block.runs), self.st["source"])]

    def _notes(self, block: SpeakerNotes) -> list[Flowable]:
        out: list[Flowable] = [Paragraph("Speaker notes", self.st["notes-label"])]
        out.extend(Paragraph(self.m(p.runs), self.st["notes"]) for p in block.paragraphs)
        return out

    def _note_lines(self, block: NoteLines) -> list[Flowable]:
        return [Spacer(1, 4 * mm),
                KeepTogether([Rules(block.count, _tint(self.h.colors["muted"], 0.45), "Your notes",
                                    self.st["notes-label"], gap=8 * mm)])]


class _OutlineOnly(Heading):
    """An outline entry with no visible text (exercises show their title inside their box)."""

    def __init__(self, text: str):
        super().__init__("", ParagraphStyle("outline-only", fontSize=1, leading=0.1), text, 1)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return aw, 0

    def draw(self) -> None:
        pass


def _to_minutes(value: str) -> float:
    hours, _, minutes = value.partition(":")
    return int(hours) * 60 + int(minutes) if minutes else 0.0
