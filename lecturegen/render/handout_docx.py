"""Render layer: the handout as an editable Word document (python-docx).

Real Heading 1/2 styles (the navigation pane and a table of contents work), a hanging-indent
reference list with live hyperlinks, charts as pictures with alt text, real tables, a cover block,
and fixed core properties plus normalised zip entries so the bytes repeat.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import Any, Callable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor

from lecturegen.model.deck import Paragraph as ModelParagraph
from lecturegen.model.deck import Run
from lecturegen.render.package import normalise_zip
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
    typographic,
)

_minutes = duration

PAPER_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}


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


def _rule_below(paragraph: Any, colour: str, between: bool = True) -> None:
    """A bottom border (and a 'between' border, so consecutive ruled paragraphs each show a line)."""
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    for edge in ("bottom", "between") if between else ("bottom",):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), colour)
        border.append(el)
    p_pr.append(border)


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


class _Writer:
    def __init__(self, handout: Handout, paper: str):
        self.h = handout
        self.doc = Document()
        self.paper = paper
        self.c = handout.colors
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
            Sources: self._sources,
            SpeakerNotes: self._notes,
            NoteLines: self._note_lines,
        }

    # ── set-up ──

    def _setup(self) -> None:
        doc, h = self.doc, self.h
        section = doc.sections[0]
        w, hgt = PAPER_MM.get(self.paper, PAPER_MM["a4"])
        section.page_width, section.page_height = Mm(w), Mm(hgt)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
        styles = doc.styles
        normal = styles["Normal"]
        normal.font.name = h.body_font
        normal.font.size = Pt(10.5)
        normal.font.color.rgb = _rgb(self.c["text"])
        r_pr = normal.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), h.body_font)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), h.language)
        lang.set(qn("w:eastAsia"), h.language)
        r_pr.append(lang)
        normal.paragraph_format.space_after = Pt(4)
        for name, size, colour in (("Title", 28, "title"), ("Subtitle", 14, "muted"), ("Heading 1", 17, "title"),
                                   ("Heading 2", 12.5, "accent")):
            style = styles[name]
            style.font.name = h.heading_font
            style.font.size = Pt(size)
            style.font.color.rgb = _rgb(self.c[colour])
            rf = style.element.get_or_add_rPr().find(qn("w:rFonts"))
            if rf is not None:
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    if rf.get(qn(attr)) is not None:
                        del rf.attrib[qn(attr)]
                for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                    rf.set(qn(attr), h.heading_font)
        styles["Heading 1"].paragraph_format.space_before = Pt(14)
        styles["Heading 2"].paragraph_format.space_before = Pt(10)
        styles["Title"].font.bold = True
        # Header: the talk title; footer: presenter and page number.
        header = section.header.paragraphs[0]
        header.text = typographic(h.title)
        header.runs[0].font.size = Pt(8.5)
        header.runs[0].font.color.rgb = _rgb(self.c["muted"])
        footer = section.footer.paragraphs[0]
        run = footer.add_run(typographic(" · ".join(p for p in (h.presenter, h.event_name or h.date) if p)) +
                             "\tPage ")
        run.font.size = Pt(8.5)
        run.font.color.rgb = _rgb(self.c["muted"])
        _field(footer, "PAGE")
        footer.paragraph_format.tab_stops.add_tab_stop(section.page_width - section.left_margin -
                                                       section.right_margin, alignment=2)
        section.different_first_page_header_footer = True

    def _core(self) -> None:
        h = self.h
        props = self.doc.core_properties
        moment = datetime.fromtimestamp(h.timestamp, tz=timezone.utc)
        props.title = h.title
        props.subject = h.subject
        props.author = h.author
        props.last_modified_by = h.author
        props.keywords = "handout; programme; references"
        props.language = h.language
        props.category = "Handout"
        props.comments = "Generated by lecturegen"
        props.created = props.modified = props.last_printed = moment
        props.revision = 1

    # ── runs ──

    def runs(self, paragraph: Any, runs: tuple[Run, ...], size: float | None = None, colour: str | None = None,
             italic: bool | None = None) -> None:
        for r in runs:
            if not r.text:
                continue
            if r.link:
                self._hyperlink(paragraph, r, size)
                continue
            run = paragraph.add_run(typographic(r.text))
            run.bold = r.bold or None
            run.italic = True if (r.italic or italic) else None
            if size:
                run.font.size = Pt(size)
            if colour:
                run.font.color.rgb = _rgb(self.c[colour])

    def _hyperlink(self, paragraph: Any, r: Run, size: float | None) -> None:
        assert r.link is not None
        rel = paragraph.part.relate_to(r.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
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
             after: float | None = None) -> Any:
        p = container.add_paragraph(style=style)
        if text:
            run = p.add_run(typographic(text))
            if size:
                run.font.size = Pt(size)
            if colour:
                run.font.color.rgb = _rgb(self.c[colour])
            if italic:
                run.italic = True
        self.runs(p, runs, size, colour, italic)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        return p

    # ── parts ──

    def build(self) -> bytes:
        self._setup()
        self._core()
        self._cover()
        self._programme()
        for section in self.h.sections:
            self._section(section)
        if self.h.thumbnails:
            self._thumbnails()
        if self.h.references:
            self._references()
        out = io.BytesIO()
        self.doc.save(out)
        return normalise_zip(out.getvalue(), self.h.timestamp)

    def _cover(self) -> None:
        h, doc = self.h, self.doc
        self.para(doc, text="Handout", size=10, colour="accent").runs[0].bold = True
        doc.add_paragraph(typographic(h.title), style="Title")
        if h.subtitle:
            doc.add_paragraph(typographic(h.subtitle), style="Subtitle")
        lines = h.cover_lines
        for i, line in enumerate(lines):
            p = self.para(doc, text=line, size=13 if i == 0 else 11.5, colour="title" if i == 0 else "text")
            if i == 0:
                p.runs[0].bold = True
        if h.logo is not None:
            try:
                doc.add_picture(str(h.logo), height=Mm(18))
                doc.inline_shapes[-1]._inline.docPr.set("descr", "Logo")
            except Exception:  # noqa: BLE001 - a broken logo must not cost the handout
                pass
        if h.outcomes:
            doc.add_heading("Learning outcomes", level=1)
            self.para(doc, text="By the end of the session, participants will be able to:", colour="muted",
                      size=9.5)
            for outcome in h.outcomes:
                self.para(doc, outcome, style="List Bullet")
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _programme(self) -> None:
        h, doc = self.h, self.doc
        if not h.programme:
            return
        doc.add_heading("Programme", level=1)
        if not h.clock_times:
            self.para(doc, text="Times from the start of the session.", size=9.5, colour="muted")
        table = doc.add_table(rows=0, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _no_table_borders(table)
        widths = (Cm(3.2), Cm(11.3), Cm(2.5))
        rule = _tint_hex(self.c["muted"], 0.35)
        for entry in h.programme:
            cells = table.add_row().cells
            is_break = entry.kind in ("break", "reserved")
            values = (f"{entry.start}–{entry.end}", entry.title, _minutes(entry.minutes))
            for i, (cell, value) in enumerate(zip(cells, values)):
                cell.width = widths[i]
                p = cell.paragraphs[0]
                run = p.add_run(typographic(value))
                if i == 0:
                    run.font.color.rgb = _rgb(self.c["title"])
                if is_break and i == 1:
                    run.italic = True
                if i == 2:
                    p.alignment = 2
                    run.font.color.rgb = _rgb(self.c["muted"])
                p.paragraph_format.space_after = Pt(2)
                _cell_borders(cell, bottom=(4, rule))
                if is_break:
                    _shade(cell, _tint_hex(self.c["accent"], 0.08))

    def _section(self, section: Any) -> None:
        doc = self.doc
        doc.add_heading(typographic(section.title), level=1)
        self.para(doc, text=f"{section.when} · {_minutes(section.minutes)}", size=9, colour="muted", after=6)
        if section.summary:
            self.para(doc, section.summary, italic=True, colour="muted")
        for block in section.blocks:
            self.blocks[type(block)](doc, block)

    def _thumbnails(self) -> None:
        h, doc = self.h, self.doc
        assert h.thumbnails is not None
        doc.add_page_break()
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
                para = self.para(container, p.runs)
                para.paragraph_format.left_indent = Cm(0.7)
                para.paragraph_format.first_line_indent = Cm(-0.7)
                para.runs[0].text = f"{number}.\t" + para.runs[0].text if para.runs else f"{number}."
                para.paragraph_format.tab_stops.add_tab_stop(Cm(0.7))
                continue
            style = "List Bullet" if level == 0 else f"List Bullet {level + 1}"
            self.para(container, p.runs, style=style, after=2)

    def _points(self, container: Any, block: Points) -> None:
        self._bullets(container, block.paragraphs)

    def _statement(self, container: Any, block: Statement) -> None:
        p = self.para(container, block.big, size=18, colour="accent", after=2)
        for run in p.runs:
            run.bold = True
        if block.caption:
            self.para(container, block.caption, size=9.5)

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
            first = cell.paragraphs[0]
            self.runs(first, column.heading, colour="title")
            for run in first.runs:
                run.bold = True
            self._bullets(cell, column.body)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _table(self, container: Any, block: TableBlock) -> None:
        t = block.table
        n = max([len(t.header)] + [len(r) for r in t.rows]) if (t.header or t.rows) else 0
        if not n:
            return
        table = container.add_table(rows=0, cols=n)
        table.style = "Table Grid"
        if t.header:
            cells = table.add_row().cells
            for cell, value in zip(cells, t.header):
                self.runs(cell.paragraphs[0], value, colour="title")
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                _shade(cell, _tint_hex(self.c["accent"], 0.12))
            # Repeat the header row on every page the table spans.
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
        for row in t.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                self.runs(cell.paragraphs[0], value, size=9.5)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _chart(self, container: Any, block: ChartBlock) -> None:
        width = Mm(150)
        container.add_picture(io.BytesIO(block.png), width=width,
                              height=Emu(int(width * block.height_in / block.width_in)))
        self.doc.inline_shapes[-1]._inline.docPr.set("descr", block.alt)
        caption = block.caption
        if block.illustrative:
            caption = (Run("Illustrative data, not from a study. ", bold=True),) + caption
        if caption:
            self.para(container, caption, style="Caption" if _has_style(self.doc, "Caption") else None, size=9.5,
                      colour="text", italic=False)
        if block.source:
            self.para(container, block.source, size=8.5, colour="muted")

    def _image(self, container: Any, block: ImageBlock) -> None:
        try:
            container.add_picture(block.path, width=Mm(150))
        except Exception:  # noqa: BLE001 - the loader checked the file; a vanished file must not crash
            self.para(container, text=f"[{block.alt}]", size=9, colour="muted")
            return
        self.doc.inline_shapes[-1]._inline.docPr.set("descr", block.alt)
        if block.caption:
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
            p = self.para(cell, text=block.badge, size=9.5, colour="title")
            p.runs[0].bold = True
        self._bullets(cell, block.steps, numbered=block.numbered)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _sources(self, container: Any, block: Sources) -> None:
        self.para(container, block.runs, size=8.5, colour="muted")

    def _notes(self, container: Any, block: SpeakerNotes) -> None:
        p = self.para(container, text="Speaker notes", size=8.5, colour="muted")
        p.runs[0].bold = True
        for paragraph in block.paragraphs:
            self.para(container, paragraph.runs, size=9, colour="muted")

    def _note_lines(self, container: Any, block: NoteLines) -> None:
        p = self.para(container, text="Your notes", size=8.5, colour="muted")
        p.runs[0].bold = True
        p.paragraph_format.space_before = Pt(8)
        rule = _tint_hex(self.c["muted"], 0.45)
        for _ in range(block.count):
            line = container.add_paragraph()
            line.paragraph_format.line_spacing = Pt(22)
            line.paragraph_format.space_after = Pt(0)
            _rule_below(line, rule)


def _has_style(doc: Any, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def render_docx(handout: Handout, paper: str = "a4") -> bytes:
    return _Writer(handout, paper).build()
