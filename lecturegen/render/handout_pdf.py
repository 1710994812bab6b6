"""Render layer: the handout model as a printable PDF (reportlab platypus).

Real text in embedded TrueType fonts (metric-compatible stand-ins for the theme's fonts), headings
as PDF bookmarks, DOIs and URLs as link annotations whose text is exactly the address (long ones
break at '/' with nothing inserted), charts at the size the model gives them, a running header and
page numbers. `invariant=1` keeps the bytes identical for identical input.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from lecturegen.model.handout import (
    Block,
    ChartBlock,
    Handout,
    HandoutSection,
    NotesSpace,
    SlideHeading,
)
from lecturegen.render.handout_fonts import hex_colour, register_font, tint
from lecturegen.render.handout_pdf_cover import BAND, CoverWriter, cover_frame_height, cover_page
from lecturegen.render.handout_pdf_flowables import (
    Heading,
    NotesFill,
    OutlineOnly,
    Rules,
    SectionMark,
    Stack,
    flowable_height,
    keep_together,
)
from lecturegen.render.handout_pdf_markup import markup, reference_markup
from lecturegen.render.handout_pdf_styles import Styles, pdf_styles
from lecturegen.render.handout_pdf_summary import SummaryWriter

ChartPictures = Callable[[ChartBlock], bytes]


# ── the document ─────────────────────────────────────────────────────────────────────────────────


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, handout: Handout, styles: Styles, **kw: Any):
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
        if not isinstance(flowable, (OutlineOnly, ActionFlowable, Spacer)):
            self._page_fresh = False

    def afterFlowable(self, flowable: Flowable) -> None:
        # Groups that draw their content themselves report it here, so that its headings are bookmarks.
        inner = flowable.items if isinstance(flowable, Stack) else getattr(flowable, "_content", None)
        for item in inner if isinstance(flowable, (Stack, KeepInFrame)) and inner else [flowable]:
            self._mark(item)


def _page_furniture(canv: Any, doc: _Doc) -> None:
    """Running header (talk title, current section) and footer (presenter, page number)."""
    h = doc.handout
    st = doc.st
    width, height = doc.pagesize
    left, right = doc.leftMargin, width - doc.rightMargin
    muted = hex_colour(h.style.colors["muted"])
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
    canv.setStrokeColor(tint(h.style.colors["muted"], 0.35))
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
    st = pdf_styles(handout)
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
    cover_h = cover_frame_height(handout)
    below = Frame(page.left, page.height - BAND - 14 * mm - cover_h, frame_w, cover_h, id="below",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body = Frame(page.left, page.bottom, frame_w, frame_h, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[below], onPage=cover_page),
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


class _Story(CoverWriter, SummaryWriter):
    """The whole story: cover, summary, programme, sections, slides and notes, references."""

    def __init__(self, handout: Handout, st: Styles, width: float, height: float, chart_png: ChartPictures,
                 part_pages: list[int] | None):
        super().__init__(handout, st, width, height, chart_png)
        self.part_pages = part_pages

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
            return sum(flowable_height(f, aw) for f in following) + 12 if following else 0.0

        return NotesFill(block, tint(self.colors["muted"], 0.5), self.st["notes-label"], self.height, need)

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
            commands.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.4, tint(c["muted"], 0.3)))
            if entry.kind in ("break", "reserved"):
                commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), tint(c["accent"], 0.08)))
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
            framed.setStyle(self._style([("BOX", (0, 0), (-1, -1), 0.5, tint(self.colors["muted"], 0.5)),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            label = Paragraph(f"Slide {index + 1}", st["source"])
            lines = Rules(int((row_h - 6) // (8 * mm)), tint(self.colors["muted"], 0.45), 8 * mm)
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


__all__ = ["Block", "markup", "register_font", "render_pdf"]
