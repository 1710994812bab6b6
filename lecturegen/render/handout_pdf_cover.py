"""Render layer: the PDF handout's cover page: the band, the title block, the panel, contents and contact."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    Paragraph,
    Spacer,
    Table,
)

from lecturegen.model.handout import (
    ChartBlock,
    Handout,
)
from lecturegen.model.links import is_safe_link, link_target
from lecturegen.render.handout_fonts import hex_colour, tint
from lecturegen.render.handout_pdf_blocks import BlockWriter
from lecturegen.render.handout_pdf_flowables import (
    draw_qr,
    flowable_height,
)

ChartPictures = Callable[[ChartBlock], bytes]


BAND = 104 * mm
CONTACT_H = 40 * mm


def cover_frame_height(handout: Handout) -> float:
    """The height of the cover's frame: below the band, above the contact box (if any)."""
    page = handout.page
    bottom = page.bottom + (CONTACT_H + 6 * mm if handout.contact is not None else 0)
    return page.height - BAND - 14 * mm - bottom


def cover_page(canv: Any, doc: Any) -> None:
    h = doc.handout
    cover = h.cover
    c = h.style.colors
    width, height = doc.pagesize
    st = doc.st
    canv.saveState()
    canv.setFillColor(hex_colour(c["band"]))
    canv.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
    _rings(canv, c["band_text"], width - 34 * mm, height - BAND / 2 + 6 * mm)
    canv.setFillColor(hex_colour(c["accent2"]))
    canv.rect(0, height - BAND - 2.2 * mm, width, 2.2 * mm, stroke=0, fill=1)
    # The title block sits at the foot of the band, however many lines the title takes.
    blocks = [Paragraph(escape(cover.kicker), st["cover-kicker"]), Paragraph(escape(cover.title), st["cover-title"])]
    if cover.subtitle:
        blocks.append(Paragraph(escape(cover.subtitle), st["cover-subtitle"]))
    frame_w = width - doc.leftMargin - doc.rightMargin
    y = height - BAND + 14 * mm
    for i in range(len(blocks) - 1, -1, -1):
        _, bh = blocks[i].wrap(frame_w, BAND)
        blocks[i].drawOn(canv, doc.leftMargin, y)
        y += bh + (blocks[i - 1].style.spaceAfter if i else 0)
    if cover.logo is not None:
        logo = ImageReader(io.BytesIO(cover.logo.data))
        iw, ih = logo.getSize()
        scale = min(45 * mm / iw, 18 * mm / ih)
        canv.drawImage(logo, width - doc.rightMargin - iw * scale, height - BAND - 2.2 * mm - 8 * mm - ih * scale,
                       iw * scale, ih * scale, mask="auto")
    if h.contact is not None:
        _contact_box(canv, doc, frame_w)
    canv.bookmarkPage("cover")
    canv.addOutlineEntry(h.metadata.title, "cover", 0, False)
    canv.setViewerPreference("DisplayDocTitle", "true")
    canv.showOutline()
    canv.restoreState()


def _rings(canv: Any, colour: str, x: float, y: float) -> None:
    """Two overlapping circles, faint in the band's text colour: the band's one ornament, behind the title."""
    canv.saveState()
    canv.setFillColor(hex_colour(colour))
    canv.setFillAlpha(0.08)
    canv.setStrokeColor(hex_colour(colour))
    canv.setStrokeAlpha(0.22)
    canv.setLineWidth(1.2)
    for dx in (-13 * mm, 13 * mm):
        canv.circle(x + dx, y, 24 * mm, stroke=1, fill=1)
    canv.restoreState()


def _contact_box(canv: Any, doc: Any, frame_w: float) -> None:
    """Contact lines and the QR code to the slides, at the foot of the cover."""
    h, st = doc.handout, doc.st
    contact = h.contact
    assert contact is not None
    link = h.style.colors.get("link", "0B5CAD").lstrip("#")
    x, y = doc.leftMargin, doc.bottomMargin
    canv.setStrokeColor(tint(h.style.colors["muted"], 0.35))
    canv.setLineWidth(0.5)
    canv.line(x, y + CONTACT_H, x + frame_w, y + CONTACT_H)
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
    top = y + CONTACT_H - 5 * mm
    for p in parts:
        _, ph = p.wrap(text_w, CONTACT_H)
        top -= ph + (p.style.spaceBefore if p is not parts[0] else 0)
        p.drawOn(canv, x, top)
        top -= p.style.spaceAfter + (3 if p.style.name == "contact" else 0)
    if contact.qr is not None:
        draw_qr(canv, contact.qr, x + frame_w - qr_size, y + CONTACT_H - 5 * mm - qr_size, qr_size)



# ── the cover's story ──


class CoverWriter(BlockWriter):
    def _cover(self) -> None:
        """Under the band: the facts of the session, the question the talk starts from, and the contents."""
        cover = self.h.cover
        parts: list[Flowable] = [self._facts()]
        if cover.question:
            parts.append(self._question(cover.question))
        contents = self._contents()
        if contents is not None:
            parts.append(contents)
        # The room left over goes between the parts (7 to 24 mm each), not all at the foot of the page.
        used = sum(flowable_height(p, self.width) for p in parts)
        gap = min(24 * mm, max(7 * mm, (self.cover_height() - used - 4 * mm) / max(1, len(parts) - 1)))
        for i, part in enumerate(parts):
            self.story += ([Spacer(1, gap)] if i else []) + [part]

    def cover_height(self) -> float:
        return cover_frame_height(self.h)

    def _facts(self) -> Table:
        """Presenter, event, date, venue and length as labelled rows, each under a hairline."""
        cover, st = self.h.cover, self.st
        who = ", ".join(p for p in (cover.presenter, cover.affiliation) if p)
        facts = [("Presenter", who), ("Event", cover.event), ("Date", cover.date), ("Venue", cover.venue),
                 ("Session", cover.length)]
        rows = [[Paragraph(label.upper(), st["cover-label"]),
                 Paragraph(escape(value), st["cover-who" if label == "Presenter" else "cover-line"])]
                for label, value in facts if value]
        table = Table(rows or [["", ""]], colWidths=[30 * mm, self.width - 30 * mm], hAlign="LEFT")
        table.setStyle(self._style([("VALIGN", (0, 0), (-1, -1), "BASELINE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.5, tint(self.colors["muted"], 0.3))]))
        return table

    def _question(self, question: str) -> Table:
        """The talk's opening question in a tinted panel with the second accent's rule at its left."""
        st = self.st
        cell = [Paragraph("A QUESTION FOR YOU", st["cover-label"]), Spacer(1, 2 * mm),
                Paragraph(escape(question), st["cover-question"])]
        panel = Table([[cell]], colWidths=[self.width], hAlign="LEFT")
        panel.setStyle(self._style([("BACKGROUND", (0, 0), (-1, -1), tint(self.colors["accent"], 0.09)),
                                   ("LINEBEFORE", (0, 0), (0, 0), 5, hex_colour(self.colors["accent2"])),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 14),
                                   ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]))
        return panel

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
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                                      ("LINEBELOW", (0, 0), (-1, -1), 0.4, tint(self.colors["muted"], 0.25))]))
            columns += [part] + ([""] if half < halves - 1 else [])
        widths = [col, gap] * (halves - 1) + [col]
        table = Table([columns], colWidths=widths, hAlign="LEFT")
        table.setStyle(self._style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        # The cover is one page whatever the number of sections: a long list is set smaller.
        return KeepInFrame(self.width, 0, [Paragraph("IN THIS HANDOUT", st["cover-label"]), Spacer(1, 1.5 * mm), table],
                           mode="shrink")
