"""Render layer: the DOCX handout's cover: title block, the facts of the session, the question, contents."""

from __future__ import annotations

from collections.abc import Callable

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from lecturegen.model.handout import (
    ChartBlock,
)
from lecturegen.model.text import Run
from lecturegen.render.handout_docx_blocks import BlockWriter
from lecturegen.render.handout_docx_xml import (
    cell_borders,
    cell_margins,
    complex_field,
    no_table_borders,
    qr_png,
    rgb,
    shade,
    tint_hex,
)

ChartPictures = Callable[[ChartBlock], bytes]
EMU_PER_POINT = 12700


class CoverWriter(BlockWriter):
    """The cover and its contents list."""

    def _cover(self) -> None:
        """A band in the theme's colour with the title block, the facts of the session, the opening question,
        the contents and the contact."""
        cover, doc = self.h.cover, self.doc
        self._band()
        if cover.logo is not None:
            self.picture(doc, cover.logo.data, int(cover.logo.width_px / cover.logo.height_px * Cm(1.8)), Cm(1.8),
                         cover.logo_alt)
        self._facts()
        if cover.question:
            self._question(cover.question)
        self._contents()
        self._contact()
        self._page_break()

    def _band(self) -> None:
        """Kicker, title and subtitle on a block of the theme's band colour, the second accent as a stripe under
        it (a table of a tall and a thin row: Word and LibreOffice both shade a cell edge to edge)."""
        cover, doc = self.h.cover, self.doc
        table = doc.add_table(rows=2, cols=1)
        no_table_borders(table)
        cell, stripe = table.rows[0].cells[0], table.rows[1]
        shade(cell, self.c["band"].lstrip("#"))
        shade(stripe.cells[0], self.c["accent2"].lstrip("#"))
        stripe.height, stripe.height_rule = Pt(6), WD_ROW_HEIGHT_RULE.EXACTLY
        self.runs(stripe.cells[0].paragraphs[0], (Run(" "),), size=2)
        cell_margins(cell, left=340, right=340, top=1100, bottom=420)
        kicker = cell.paragraphs[0]
        self.runs(kicker, (Run(cover.kicker),), size=10, bold=True)
        lines = [kicker, cell.add_paragraph(cover.title, style="Title")]
        if cover.subtitle:
            lines.append(cell.add_paragraph(cover.subtitle, style="Subtitle"))
        for line in lines:
            for run in line.runs:
                run.font.color.rgb = rgb(self.c["band_text"])
        lines[1].paragraph_format.space_before = Pt(6)
        doc.add_paragraph().paragraph_format.space_after = Pt(10)

    def _facts(self) -> None:
        """Presenter, event, date, venue and length as labelled rows, each under a hairline."""
        cover = self.h.cover
        who = ", ".join(p for p in (cover.presenter, cover.affiliation) if p)
        facts = [(label, value) for label, value in (("Presenter", who), ("Event", cover.event), ("Date", cover.date),
                                                      ("Venue", cover.venue), ("Session", cover.length)) if value]
        if not facts:
            return
        table = self.doc.add_table(rows=0, cols=2)
        table.autofit = False
        no_table_borders(table)
        widths = (Cm(3), Emu(self.text_width - int(Cm(3))))
        for column, width in zip(table.columns, widths):
            column.width = width
        rule = tint_hex(self.c["muted"], 0.3)
        for label, value in facts:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = widths
            self.runs(cells[0].paragraphs[0], (Run(label.upper()),), size=8, colour="accent", bold=True)
            self.runs(cells[1].paragraphs[0], (Run(value),), size=12 if label == "Presenter" else 11.5,
                      colour="title" if label == "Presenter" else None, bold=label == "Presenter" or None)
            for cell in cells:
                cell_borders(cell, bottom=(4, rule))
                cell.paragraphs[0].paragraph_format.space_before = Pt(3)
                cell.paragraphs[0].paragraph_format.space_after = Pt(3)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(4)

    def _question(self, question: str) -> None:
        """The opening question in a tinted panel with the second accent's rule at its left."""
        _, cell = self.panel(self.doc, "accent2", 40, top=160, bottom=200)
        self.runs(cell.paragraphs[0], (Run("A QUESTION FOR YOU"),), size=8, colour="accent", bold=True)
        self.para(cell, (Run(question),), size=16, colour="title", italic=True, after=2)

    def _contact(self) -> None:
        doc, contact = self.doc, self.h.contact
        if contact is None:
            return
        if contact.lines:
            self.para(doc, text="Contact", size=10, colour="title", bold=True).paragraph_format.space_before = Pt(18)
            for line in contact.lines:
                self.para(doc, text=line, after=2)
        if contact.slides_url:
            self.para(doc, text="The slides", size=10, colour="title", bold=True).paragraph_format.space_before = \
                Pt(10)
            self.para(doc, (Run(contact.slides_url, link=contact.slides_url),))
        if contact.qr is not None:
            self.picture(doc, qr_png(contact.qr), Cm(3), Cm(3), f"QR code: {contact.qr.url}")

    def parts(self) -> list[str]:
        """The level-1 headings in document order: what the contents list shows before Word updates it."""
        h = self.h
        out = ["Key findings"] if h.key_findings is not None else []
        out += ["Programme"] if h.programme is not None else []
        out += [s.title for s in h.sections]
        out += ["Slides and notes"] if h.thumbnails else []
        out += ["References"] if h.references else []
        return out

    def _contents(self) -> None:
        """A contents list: a TOC field over the level-1 headings (parts and sections) with their pages, which
        Word fills in on opening (`updateFields`); until then it lists the parts without page numbers."""
        doc = self.doc
        head = doc.add_paragraph(style="TOC Heading")
        head.add_run("Contents")
        head.paragraph_format.space_before = Pt(22)
        head.paragraph_format.space_after = Pt(4)
        for run in head.runs:
            run.font.size = Pt(13)
            run.font.color.rgb = rgb(self.c["title"])
        entries = self.parts()
        if not entries:
            return
        right = Emu(self.text_width)
        paragraphs = []
        for entry in entries:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(1.5)
            p.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            paragraphs.append(p)
        complex_field(paragraphs, 'TOC \\o "1-1" \\h \\z \\u', entries)
        settings = doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)
