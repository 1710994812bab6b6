"""Render layer: the handout model as an editable Word document (python-docx).

The same parts as the PDF, in Word's own styles: Title and Subtitle on the cover, Heading 1 per
part and section and Heading 2 per slide (the navigation pane and a table of contents work),
List Bullet paragraphs, real tables, charts as pictures with alt text, a hanging-indent reference
list with live hyperlinks, core properties and the document language. The zip is normalised by
the caller (`render/handout.py`) so that the bytes repeat.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timezone

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from lecturegen.model.handout import (
    ChartBlock,
    Handout,
    HandoutSection,
)
from lecturegen.model.text import property_text
from lecturegen.render.handout_docx_cover import CoverWriter
from lecturegen.render.handout_docx_summary import SummaryWriter
from lecturegen.render.handout_docx_xml import (
    cell_borders,
    field,
    follows_closely,
    keep_with_next,
    no_table_borders,
    rgb,
    rule_below,
    shade,
    tint_hex,
)

ChartPictures = Callable[[ChartBlock], bytes]


class _Writer(CoverWriter, SummaryWriter):
    """The whole document: Word's styles set up, then cover, summary, programme, sections and references."""

    # ── set-up ──

    def _setup(self) -> None:
        doc, h = self.doc, self.h
        page = h.page
        section = doc.sections[0]
        section.page_width, section.page_height = Pt(page.width), Pt(page.height)
        section.left_margin, section.right_margin = Pt(page.left), Pt(page.right)
        section.top_margin, section.bottom_margin = Pt(page.top), Pt(page.bottom)
        section.header_distance = section.footer_distance = Cm(1)
        styles = doc.styles
        body_font, heading_font = h.style.body.family, h.style.heading.family
        normal = styles["Normal"]
        normal.font.name = body_font
        normal.font.size = Pt(10.5)
        normal.font.color.rgb = rgb(self.c["text"])
        r_pr = normal.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), body_font)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), h.metadata.language)
        lang.set(qn("w:eastAsia"), h.metadata.language)
        r_pr.append(lang)
        normal.paragraph_format.space_after = Pt(4)
        for name, size, colour in (("Title", 28, "title"), ("Subtitle", 14, "muted"), ("Heading 1", 17, "title"),
                                   ("Heading 2", 12.5, "accent"), ("Heading 3", 11, "title")):
            style = styles[name]
            style.font.name = heading_font
            style.font.size = Pt(size)
            style.font.color.rgb = rgb(self.c[colour])
            rf = style.element.get_or_add_rPr().find(qn("w:rFonts"))
            if rf is not None:
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    if rf.get(qn(attr)) is not None:
                        del rf.attrib[qn(attr)]
                for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                    rf.set(qn(attr), heading_font)
        styles["Heading 1"].paragraph_format.space_before = Pt(14)
        styles["Heading 2"].paragraph_format.space_before = Pt(10)
        styles["Title"].font.bold = True
        # Header: the talk title; footer: presenter and page number (not on the cover).
        header = section.header.paragraphs[0]
        header.text = h.running_title
        header.runs[0].font.size = Pt(8.5)
        header.runs[0].font.color.rgb = rgb(self.c["muted"])
        footer = section.footer.paragraphs[0]
        run = footer.add_run(h.footer + "\tPage ")
        run.font.size = Pt(8.5)
        run.font.color.rgb = rgb(self.c["muted"])
        field(footer, "PAGE")
        tabs = footer.paragraph_format.tab_stops
        # The Footer style's own stops (centre 3.25 in, right 6.5 in) would catch the tab first.
        for inches in (3.25, 6.5):
            tabs.add_tab_stop(Emu(int(inches * 914400)), WD_TAB_ALIGNMENT.CLEAR)
        tabs.add_tab_stop(Pt(page.frame_width), WD_TAB_ALIGNMENT.RIGHT)
        section.different_first_page_header_footer = True

    def _core(self) -> None:
        meta = self.h.metadata
        props = self.doc.core_properties
        moment = datetime.fromtimestamp(meta.timestamp, tz=timezone.utc)
        # Word's core properties hold 255 characters of valid XML text, as a deck's do.
        props.title = property_text(meta.title)
        props.subject = property_text(meta.subject)
        props.author = property_text(meta.author)
        props.last_modified_by = property_text(meta.author)
        props.keywords = property_text("; ".join(meta.keywords))
        props.language = property_text(meta.language)
        props.category = "Handout"
        props.comments = "Generated by lecturegen"
        props.created = props.modified = props.last_printed = moment
        props.revision = 1

    # ── parts ──

    def build(self) -> bytes:
        self._setup()
        self._core()
        self._cover()
        self._key_findings()
        self._programme()
        for section in self.h.sections:
            self._section(section)
        if self.h.thumbnails:
            self._thumbnails()
        if self.h.references:
            self._references()
        for index, line in enumerate(self.h.credits):
            # Last, small and without a heading of its own: the licences of what the slides draw on.
            p = self.doc.add_paragraph()
            if index == 0:
                label = p.add_run("Credits. ")
                label.bold = True
                label.font.size = Pt(9.5)
            p.add_run(line).font.size = Pt(9.5)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


    def _programme(self) -> None:
        programme, doc = self.h.programme, self.doc
        if programme is None:
            return
        doc.add_heading("Programme", level=1)
        self.para(doc, text=programme.summary, size=9.5, colour="muted")
        table = doc.add_table(rows=0, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        no_table_borders(table)
        widths = (Cm(3.2), Emu(self.text_width - Cm(3.2) - Cm(2.4)), Cm(2.4))
        for column, width in zip(table.columns, widths):
            column.width = width
        rule = tint_hex(self.c["muted"], 0.35)
        day = 0
        for entry in programme.rows:
            if programme.days > 1 and entry.day != day:
                day = entry.day
                cells = table.add_row().cells
                for cell, width in zip(cells, widths):
                    cell.width = width
                merged = cells[0].merge(cells[2])
                run = merged.paragraphs[0].add_run(f"Day {day}")
                run.bold = True
                run.font.color.rgb = rgb(self.c["accent"])
            cells = table.add_row().cells
            quiet = entry.kind != "section"
            time = entry.start if entry.kind == "day-end" else f"{entry.start}–{entry.end}"
            for i, (cell, value) in enumerate(zip(cells, (time, entry.title, entry.duration))):
                cell.width = widths[i]
                p = cell.paragraphs[0]
                run = p.add_run(value)
                if i == 0:
                    run.font.color.rgb = rgb(self.c["title"])
                if quiet and i == 1:
                    run.italic = True
                if i == 2:
                    p.alignment = 2
                    run.font.color.rgb = rgb(self.c["muted"])
                p.paragraph_format.space_after = Pt(2)
                cell_borders(cell, bottom=(4, rule))
                if entry.kind in ("break", "reserved"):
                    shade(cell, tint_hex(self.c["accent"], 0.08))

    def _section(self, section: HandoutSection) -> None:
        doc = self.doc
        doc.add_heading(section.title, level=1)
        meta = self.para(doc, text=f"{section.when} · {section.duration}", size=9, colour="muted", after=6)
        keep_with_next(meta)
        if section.summary:
            keep_with_next(self.para(doc, section.summary, italic=True, colour="muted"))
        for block in section.blocks:
            if follows_closely(block):
                self._keep_last_with_next()
            self.blocks[type(block)](doc, block)

    def _keep_last_with_next(self) -> None:
        """What was written last keeps with what comes next (a caption or source line): a paragraph, or a
        table's last row and the spacing paragraph after it."""
        body = self.doc.element.body
        children = [c for c in body.iterchildren() if c.tag in (qn("w:p"), qn("w:tbl"))]
        for child in reversed(children[-2:]):
            if child.tag == qn("w:p"):
                child.get_or_add_pPr().keepNext_val = True
                if "".join(t.text or "" for t in child.iter(qn("w:t"))):
                    return
                continue
            rows = child.findall(qn("w:tr"))
            if rows:
                for p in rows[-1].iter(qn("w:p")):
                    p.get_or_add_pPr().keepNext_val = True
            return

    def _thumbnails(self) -> None:
        h, doc = self.h, self.doc
        assert h.thumbnails is not None
        self._page_break()
        doc.add_heading("Slides and notes", level=1)
        table = doc.add_table(rows=0, cols=2)
        no_table_borders(table)
        rule = tint_hex(self.c["muted"], 0.45)
        for index, png in enumerate(h.thumbnails):
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(8.5), Cm(8.5)
            run = cells[0].paragraphs[0].add_run()
            shape = run.add_picture(io.BytesIO(png), width=Cm(8))
            shape._inline.docPr.set("descr", f"Slide {index + 1}")
            self.para(cells[0], text=f"Slide {index + 1}", size=8, colour="muted")
            first = cells[1].paragraphs[0]
            rule_below(first, rule)
            first.paragraph_format.space_after = Pt(0)
            first.paragraph_format.line_spacing = Pt(22)
            for _ in range(8):
                p = cells[1].add_paragraph()
                p.paragraph_format.line_spacing = Pt(22)
                p.paragraph_format.space_after = Pt(0)
                rule_below(p, rule)

    def _references(self) -> None:
        doc = self.doc
        doc.add_heading("References", level=1)
        for runs in self.h.references:
            p = self.para(doc, runs, size=10)
            fmt = p.paragraph_format
            fmt.left_indent = Cm(1.0)
            fmt.first_line_indent = Cm(-1.0)
            fmt.space_after = Pt(5)


def render_docx(handout: Handout, chart_png: ChartPictures) -> bytes:
    """The handout as DOCX bytes (zip entry times and dates as python-docx writes them: normalise them)."""
    return _Writer(handout, chart_png).build()
