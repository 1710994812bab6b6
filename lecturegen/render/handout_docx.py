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
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

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
    QrCode,
    Quote,
    SlideHeading,
    Sources,
    SpeakerNotes,
    Statement,
    TableBlock,
    Rating,
    ScalePoint,
    TickBox,
    Worksheet,
)
from lecturegen.model.text import Paragraph as ModelParagraph
from lecturegen.model.text import Run
from lecturegen.model.text import property_text

ChartPictures = Callable[[ChartBlock], bytes]
EMU_PER_POINT = 12700


def _rgb(value: str) -> RGBColor:
    return RGBColor.from_string(value.lstrip("#").upper())


def _tint_hex(value: str, amount: float) -> str:
    v = value.lstrip("#")
    channels = [int(v[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * amount):02X}" for c in channels)


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _cell_borders(cell: Any, **edges: tuple[int, str]) -> None:
    """edges: left/top/bottom/right=(size in eighths of a point, hex colour); others set to none."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        if edge in edges:
            size, colour = edges[edge]
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:color"), colour)
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    tc_pr.append(borders)


def _no_table_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _rule_below(paragraph: Any, colour: str) -> None:
    """A bottom border and a 'between' border, so consecutive ruled paragraphs each show a line."""
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    for edge in ("bottom", "between"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), colour)
        border.append(el)
    p_pr.append(border)


def _keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _cell_margins(cell: Any, **edges: int) -> None:
    """Inner margins of a cell, in twentieths of a point (left=240 is 12 pt)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for edge, value in edges.items():
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tc_pr.append(margins)


# A worksheet with fewer items than this is kept on one page; a longer one (rare) flows.
WORKSHEET_KEPT_ITEMS = 30


def _row_flag(row: Any, tag: str) -> None:
    """Set a table row property: `w:tblHeader` (repeated at the top of every page the table runs over) or
    `w:cantSplit` (never broken across a page)."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _follows_closely(block: Block) -> bool:
    """A caption or source line belongs with what it captions: never alone at the top of a page."""
    if isinstance(block, Sources):
        return True
    return isinstance(block, Points) and bool(block.paragraphs) and all(p.style == "caption"
                                                                         for p in block.paragraphs)


def _fld_char(kind: str) -> Any:
    r = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    r.append(char)
    return r


def _complex_field(paragraphs: list[Any], instruction: str, shown: list[str]) -> None:
    """A field whose result spans `paragraphs` (one shown line each), as Word writes a table of contents."""
    first, last = paragraphs[0], paragraphs[-1]
    first._p.append(_fld_char("begin"))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r.append(instr)
    first._p.append(r)
    first._p.append(_fld_char("separate"))
    for paragraph, text in zip(paragraphs, shown):
        paragraph.add_run(text)
    last._p.append(_fld_char("end"))


def _field(paragraph: Any, instruction: str) -> None:
    """A simple field such as PAGE: Word fills it in when it lays out the page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def qr_png(qr: QrCode, module_px: int = 8) -> bytes:
    """The QR code as a black-and-white PNG with its four-module quiet zone (no metadata: bytes repeat)."""
    from PIL import Image

    count = len(qr.modules) + 8
    image = Image.new("1", (count, count), 1)
    for r, row in enumerate(qr.modules):
        for c, dark in enumerate(row):
            if dark:
                image.putpixel((c + 4, r + 4), 0)
    image = image.resize((count * module_px, count * module_px), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class _Writer:
    def __init__(self, handout: Handout, chart_png: ChartPictures):
        self.h = handout
        self.chart_png = chart_png
        self.doc = Document()
        self.c = handout.style.colors
        self.blocks: dict[type, Callable[[Any, Any], None]] = {
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
            NotesSpace: self._notes_space,
        }

    @property
    def text_width(self) -> int:
        page = self.h.page
        return int(page.frame_width * EMU_PER_POINT)

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
        normal.font.color.rgb = _rgb(self.c["text"])
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
            style.font.color.rgb = _rgb(self.c[colour])
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
        header.runs[0].font.color.rgb = _rgb(self.c["muted"])
        footer = section.footer.paragraphs[0]
        run = footer.add_run(h.footer + "\tPage ")
        run.font.size = Pt(8.5)
        run.font.color.rgb = _rgb(self.c["muted"])
        _field(footer, "PAGE")
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

    # ── runs ──

    def runs(self, paragraph: Any, runs: tuple[Run, ...], size: float | None = None, colour: str | None = None,
             italic: bool | None = None, bold: bool | None = None) -> None:
        for r in runs:
            if not r.text:
                continue
            if is_safe_link(r.link):
                self._hyperlink(paragraph, r, size)
                continue
            run = paragraph.add_run(r.text)
            run.bold = True if (r.bold or bold) else None
            run.italic = True if (r.italic or italic) else None
            if size:
                run.font.size = Pt(size)
            if colour:
                run.font.color.rgb = _rgb(self.c[colour])

    def _hyperlink(self, paragraph: Any, r: Run, size: float | None) -> None:
        assert r.link is not None
        rel = paragraph.part.relate_to(link_target(r.link), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        run = OxmlElement("w:r")
        r_pr = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), self.c.get("link", "0B5CAD").lstrip("#"))
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        for el in (style, colour, underline):
            r_pr.append(el)
        if r.italic:
            r_pr.append(OxmlElement("w:i"))
        if size:
            sz = OxmlElement("w:sz")
            sz.set(qn("w:val"), str(int(size * 2)))
            r_pr.append(sz)
        run.append(r_pr)
        text = OxmlElement("w:t")
        text.text = r.text
        text.set(qn("xml:space"), "preserve")
        run.append(text)
        link.append(run)
        paragraph._p.append(link)

    def para(self, container: Any, runs: tuple[Run, ...] = (), style: str | None = None, text: str = "",
             size: float | None = None, colour: str | None = None, italic: bool | None = None,
             bold: bool | None = None, after: float | None = None) -> Any:
        p = container.add_paragraph(style=style)
        if text:
            self.runs(p, (Run(text),), size, colour, italic, bold)
        self.runs(p, runs, size, colour, italic, bold)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        return p

    def picture(self, container: Any, png: bytes, width_emu: int, height_emu: int, alt: str) -> Any:
        paragraph = container.add_paragraph() if hasattr(container, "add_paragraph") else container
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(width_emu), height=Emu(height_emu))
        shape._inline.docPr.set("descr", alt)
        return paragraph

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

    def _page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _cover(self) -> None:
        cover, doc = self.h.cover, self.doc
        self.para(doc, text=cover.kicker, size=10, colour="accent", bold=True)
        doc.add_paragraph(cover.title, style="Title")
        if cover.subtitle:
            doc.add_paragraph(cover.subtitle, style="Subtitle")
        who = ", ".join(p for p in (cover.presenter, cover.affiliation) if p)
        if who:
            self.para(doc, text=who, size=13, colour="title", bold=True)
        for line in (cover.event, cover.place):
            if line:
                self.para(doc, text=line, size=11.5)
        if cover.logo is not None:
            self.picture(doc, cover.logo.data, int(cover.logo.width_px / cover.logo.height_px * Cm(1.8)), Cm(1.8),
                         cover.logo_alt)
        self._contents()
        contact = self.h.contact
        if contact is not None:
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
        self._page_break()

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
            run.font.color.rgb = _rgb(self.c["title"])
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
        _complex_field(paragraphs, 'TOC \\o "1-1" \\h \\z \\u', entries)
        settings = doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)

    def _key_findings(self) -> None:
        findings, doc = self.h.key_findings, self.doc
        if findings is None:
            return
        doc.add_heading("Key findings", level=1)
        if findings.take_home:
            doc.add_heading(findings.take_home_title, level=2)
            for p in findings.take_home:
                self.para(doc, p.runs, style="List Bullet", size=11)
        if findings.charts:
            table = doc.add_table(rows=0, cols=2)
            _no_table_borders(table)
            for i in range(0, len(findings.charts), 2):
                cells = table.add_row().cells
                for cell, block in zip(cells, findings.charts[i:i + 2]):
                    first = cell.paragraphs[0]
                    self.runs(first, block.title, size=9.5, colour="title", bold=True)
                    self._chart_picture(cell, block)
                    if block.source:
                        self.para(cell, block.source, size=8.5, colour="muted")
        if findings.outcomes:
            doc.add_heading("Learning outcomes", level=2)
            self.para(doc, text="By the end of the session, participants will be able to:", colour="muted", size=9.5)
            for outcome in findings.outcomes:
                self.para(doc, outcome, style="List Bullet")
        self._page_break()

    def _programme(self) -> None:
        programme, doc = self.h.programme, self.doc
        if programme is None:
            return
        doc.add_heading("Programme", level=1)
        self.para(doc, text=programme.summary, size=9.5, colour="muted")
        table = doc.add_table(rows=0, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _no_table_borders(table)
        widths = (Cm(3.2), Emu(self.text_width - Cm(3.2) - Cm(2.4)), Cm(2.4))
        for column, width in zip(table.columns, widths):
            column.width = width
        rule = _tint_hex(self.c["muted"], 0.35)
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
                run.font.color.rgb = _rgb(self.c["accent"])
            cells = table.add_row().cells
            quiet = entry.kind != "section"
            time = entry.start if entry.kind == "day-end" else f"{entry.start}–{entry.end}"
            for i, (cell, value) in enumerate(zip(cells, (time, entry.title, entry.duration))):
                cell.width = widths[i]
                p = cell.paragraphs[0]
                run = p.add_run(value)
                if i == 0:
                    run.font.color.rgb = _rgb(self.c["title"])
                if quiet and i == 1:
                    run.italic = True
                if i == 2:
                    p.alignment = 2
                    run.font.color.rgb = _rgb(self.c["muted"])
                p.paragraph_format.space_after = Pt(2)
                _cell_borders(cell, bottom=(4, rule))
                if entry.kind in ("break", "reserved"):
                    _shade(cell, _tint_hex(self.c["accent"], 0.08))

    def _section(self, section: HandoutSection) -> None:
        doc = self.doc
        doc.add_heading(section.title, level=1)
        meta = self.para(doc, text=f"{section.when} · {section.duration}", size=9, colour="muted", after=6)
        _keep_with_next(meta)
        if section.summary:
            _keep_with_next(self.para(doc, section.summary, italic=True, colour="muted"))
        for block in section.blocks:
            if _follows_closely(block):
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
        _no_table_borders(table)
        rule = _tint_hex(self.c["muted"], 0.45)
        for index, png in enumerate(h.thumbnails):
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(8.5), Cm(8.5)
            run = cells[0].paragraphs[0].add_run()
            shape = run.add_picture(io.BytesIO(png), width=Cm(8))
            shape._inline.docPr.set("descr", f"Slide {index + 1}")
            self.para(cells[0], text=f"Slide {index + 1}", size=8, colour="muted")
            first = cells[1].paragraphs[0]
            _rule_below(first, rule)
            first.paragraph_format.space_after = Pt(0)
            first.paragraph_format.line_spacing = Pt(22)
            for _ in range(8):
                p = cells[1].add_paragraph()
                p.paragraph_format.line_spacing = Pt(22)
                p.paragraph_format.space_after = Pt(0)
                _rule_below(p, rule)

    def _references(self) -> None:
        doc = self.doc
        doc.add_heading("References", level=1)
        for runs in self.h.references:
            p = self.para(doc, runs, size=10)
            fmt = p.paragraph_format
            fmt.left_indent = Cm(1.0)
            fmt.first_line_indent = Cm(-1.0)
            fmt.space_after = Pt(5)

    # ── blocks ──

    def _slide_heading(self, container: Any, block: SlideHeading) -> None:
        p = container.add_paragraph(style="Heading 2")
        self.runs(p, block.runs)

    def _bullets(self, container: Any, paragraphs: tuple[ModelParagraph, ...], numbered: bool = False) -> None:
        number = 0
        for p in paragraphs:
            if p.style == "caption":
                self.para(container, p.runs, size=9.5)
                continue
            level = min(p.level, 2)
            if numbered and level == 0:
                number += 1
                para = self.para(container, (Run(f"{number}.\t"),) + p.runs)
                para.paragraph_format.left_indent = Cm(0.7)
                para.paragraph_format.first_line_indent = Cm(-0.7)
                para.paragraph_format.tab_stops.add_tab_stop(Cm(0.7))
                continue
            style = "List Bullet" if level == 0 else f"List Bullet {level + 1}"
            self.para(container, p.runs, style=style, after=2)

    def _points(self, container: Any, block: Points) -> None:
        self._bullets(container, block.paragraphs, block.numbered)

    def _statement(self, container: Any, block: Statement) -> None:
        """A call-out: a one-cell table, tinted, with the accent rule at its left; the number large, its context
        line under it, then the caption; its rows never split over a page."""
        table = container.add_table(rows=1, cols=1)
        _no_table_borders(table)
        cell = table.rows[0].cells[0]
        _shade(cell, _tint_hex(self.c["accent"], 0.09))
        _cell_borders(cell, left=(32, self.c["accent"].lstrip("#")))
        _cell_margins(cell, left=280, right=240, top=100, bottom=100)
        _row_flag(table.rows[0], "w:cantSplit")
        short = len("".join(r.text for r in block.big)) <= 24
        first = cell.paragraphs[0]
        self.runs(first, block.big, size=26 if short else 15, colour="accent", bold=True)
        paragraphs = [first]
        first.paragraph_format.space_before = Pt(4)
        first.paragraph_format.space_after = Pt(2)
        if block.context:
            paragraphs.append(self.para(cell, block.context, size=12, colour="title", after=2))
        if block.caption:
            paragraphs.append(self.para(cell, block.caption, size=9.5, after=4))
        for p in paragraphs[:-1]:
            _keep_with_next(p)
        paragraphs[-1].paragraph_format.space_after = Pt(6)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _quote(self, container: Any, block: Quote) -> None:
        p = self.para(container, (Run("\u2018"),) + block.text + (Run("\u2019"),), style="Quote")
        p.paragraph_format.space_after = Pt(2)
        if block.attribution:
            self.para(container, block.attribution, size=9.5, colour="muted")

    def _columns(self, container: Any, block: Columns) -> None:
        n = max(1, len(block.columns))
        table = container.add_table(rows=1, cols=n)
        _no_table_borders(table)
        for cell, column in zip(table.rows[0].cells, block.columns):
            _cell_borders(cell, top=(12, self.c["accent"].lstrip("#")))
            self.runs(cell.paragraphs[0], column.heading, colour="title", bold=True)
            self._bullets(cell, column.body)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _table(self, container: Any, block: TableBlock) -> None:
        t = block.table
        n = max([len(t.header)] + [len(r) for r in t.rows]) if (t.header or t.rows) else 0
        if not n:
            return
        # Light rules, as in the PDF: a tinted header over an accent rule, a hairline under each row, no grid.
        table = container.add_table(rows=0, cols=n)
        _no_table_borders(table)
        rule = _tint_hex(self.c["muted"], 0.35)
        if t.header:
            cells = table.add_row().cells
            for cell, value in zip(cells, t.header):
                self.runs(cell.paragraphs[0], value, colour="title", bold=True)
                _shade(cell, _tint_hex(self.c["accent"], 0.12))
                _cell_borders(cell, bottom=(8, self.c["accent"].lstrip("#")))
            _row_flag(table.rows[0], "w:tblHeader")  # repeated on every page the table spans
        for row in t.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                self.runs(cell.paragraphs[0], value, size=9.5)
                _cell_borders(cell, bottom=(4, rule))
        for row in table.rows:
            _row_flag(row, "w:cantSplit")
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.space_before = Pt(2)
                    p.paragraph_format.space_after = Pt(2)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _chart_picture(self, container: Any, block: ChartBlock) -> Any:
        width = int(block.figure.print_width_in * 914400)
        return self.picture(container, self.chart_png(block), width,
                            int(width * block.figure.height_in / block.figure.width_in), block.alt)

    def _chart(self, container: Any, block: ChartBlock) -> None:
        # A figure keeps with its caption and source line: Word never leaves a caption alone on the next page.
        kept = [self._chart_picture(container, block)]
        if block.caption:
            kept.append(self.para(container, block.caption, size=9.5))
        if block.source:
            kept.append(self.para(container, block.source, size=8.5, colour="muted"))
        for paragraph in kept[:-1]:
            _keep_with_next(paragraph)

    def _image(self, container: Any, block: ImageBlock) -> None:
        media = block.media
        scale = min(self.text_width / media.width_px, block.max_height_in * 914400 / media.height_px)
        picture = self.picture(container, media.data, int(media.width_px * scale), int(media.height_px * scale),
                               block.alt)
        if block.caption:
            _keep_with_next(picture)
            self.para(container, block.caption, size=9.5)

    def _activity(self, container: Any, block: Activity) -> None:
        label = "Exercise" if block.kind == "exercise" else "Discussion"
        table = container.add_table(rows=1, cols=1)
        cell = table.rows[0].cells[0]
        _shade(cell, _tint_hex(self.c["accent"], 0.07))
        _cell_borders(cell, left=(24, self.c["accent"].lstrip("#")))
        first = cell.paragraphs[0]
        first.style = self.doc.styles["Heading 2"]
        first.add_run(f"{label}: ")
        self.runs(first, block.title)
        if block.badge:
            self.para(cell, text=block.badge, size=9.5, colour="title", bold=True)
        self._bullets(cell, block.steps, numbered=block.numbered)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _worksheet(self, container: Any, block: Worksheet) -> None:
        """The worksheet as one piece: every paragraph but the last keeps with the next (a grid's rows never
        split and keep with the next row), so Word moves it to a fresh page rather than break it."""
        first = len(container.paragraphs)
        _keep_with_next(self.para(container, text="Worksheet", size=8.5, colour="accent", bold=True, after=0))
        head = container.add_paragraph(style="Heading 3")
        self.runs(head, block.title)
        for p in block.intro:
            self.para(container, p.runs)
        rule = _tint_hex(self.c["muted"], 0.5)
        for item in block.printed():
            if isinstance(item, tuple):
                self._rating_grid(container, list(item), block.scale)
            elif isinstance(item, TickBox):
                line = self.para(container, (Run("\u2610\t"),) + item.runs, after=3)
                line.paragraph_format.left_indent = Cm(0.7)
                line.paragraph_format.first_line_indent = Cm(-0.7)
                line.paragraph_format.tab_stops.add_tab_stop(Cm(0.7))
            elif isinstance(item, Prompt):
                question = self.para(container, item.runs, after=0)
                question.paragraph_format.space_before = Pt(6)
                _keep_with_next(question)
                self._lines(container, item.lines, rule)
        if block.items and len(block.items) < WORKSHEET_KEPT_ITEMS:
            for paragraph in container.paragraphs[first:-1]:
                _keep_with_next(paragraph)

    def _rating_grid(self, container: Any, ratings: list[Rating], scale: tuple[ScalePoint, ...]) -> None:
        """Rated items as a grid: a row per item, a column per point headed by its value and anchor, a circle
        in each cell to mark; light rules between rows; no row splits, each keeps with the next."""
        n = max(1, len(scale))
        table = container.add_table(rows=0, cols=n + 1)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _no_table_borders(table)
        col = min(Cm(2.0), int(self.text_width * 0.5 / n))
        widths = [Emu(self.text_width - col * n)] + [Emu(col)] * n
        for column, width in zip(table.columns, widths):
            column.width = width
        rule = _tint_hex(self.c["muted"], 0.3)
        accent = self.c["accent"].lstrip("#")
        cells = table.add_row().cells
        for i, point in enumerate(scale, start=1):
            p = cells[i].paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.runs(p, (Run(point.value),), size=9, colour="title", bold=True)
            if point.anchor:
                anchor = self.para(cells[i], point.anchor, size=7.5, colour="muted", after=0)
                anchor.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for cell in cells:
            _cell_borders(cell, bottom=(6, accent))
        _row_flag(table.rows[0], "w:tblHeader")
        for item in ratings:
            cells = table.add_row().cells
            self.runs(cells[0].paragraphs[0], item.runs)
            for cell in cells[1:]:
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.runs(p, (Run("\u25cb"),), size=12, colour="title")
            for cell in cells:
                _cell_borders(cell, bottom=(4, rule))
        for row in table.rows:
            _row_flag(row, "w:cantSplit")
            for cell, w in zip(row.cells, widths):
                cell.width = w
                for p in cell.paragraphs:
                    p.paragraph_format.space_after = Pt(2)
                    p.paragraph_format.space_before = Pt(2)
        for row in table.rows[:-1]:
            for cell in row.cells:
                for p in cell.paragraphs:
                    _keep_with_next(p)

    def _lines(self, container: Any, count: int, rule: str) -> None:
        for i in range(count):
            line = container.add_paragraph()
            line.paragraph_format.line_spacing = Pt(22)
            line.paragraph_format.space_after = Pt(0)
            if i < count - 1:
                _keep_with_next(line)
            _rule_below(line, rule)

    def _break(self, container: Any, block: BreakMark) -> None:
        p = self.para(container, text=f"{block.title} · {block.when} · {block.duration}", size=9.5, colour="muted",
                      italic=True)
        p_pr = p._p.get_or_add_pPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), _tint_hex(self.c["accent"], 0.08))
        p_pr.append(shd)

    def _sources(self, container: Any, block: Sources) -> None:
        self.para(container, block.runs, size=8.5, colour="muted")

    def _notes(self, container: Any, block: SpeakerNotes) -> None:
        self.para(container, text="Speaker notes", size=8.5, colour="muted", bold=True)
        for paragraph in block.paragraphs:
            self.para(container, paragraph.runs, size=9, colour="muted")

    def _notes_space(self, container: Any, block: NotesSpace) -> None:
        # Word lays out its own pages: the fewest lines the model allows, kept together with their label.
        label = self.para(container, text="Your notes", size=8.5, colour="muted", bold=True)
        label.paragraph_format.space_before = Pt(8)
        _keep_with_next(label)
        self._lines(container, block.min_lines, _tint_hex(self.c["muted"], 0.45))


def render_docx(handout: Handout, chart_png: ChartPictures) -> bytes:
    """The handout as DOCX bytes (zip entry times and dates as python-docx writes them: normalise them)."""
    return _Writer(handout, chart_png).build()
