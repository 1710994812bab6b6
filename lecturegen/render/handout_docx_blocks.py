"""Render layer: each handout block as Word paragraphs, tables and pictures (python-docx).

Over 400 lines because the blocks share the runs, paragraph and picture helpers at its top; worksheets are the
largest part.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from lecturegen.model.handout import (
    BLOCK_NAMES,
    Activity,
    BreakMark,
    ChartBlock,
    Columns,
    DiagramFigure,
    Handout,
    ImageBlock,
    NotesSpace,
    Points,
    Prompt,
    Quote,
    Rating,
    ScalePoint,
    SlideHeading,
    Sources,
    SpeakerNotes,
    Statement,
    TableBlock,
    TickBox,
    Worksheet,
)
from lecturegen.model.links import is_safe_link, link_target
from lecturegen.model.text import Paragraph as ModelParagraph, runs_text
from lecturegen.model.text import Run
from lecturegen.render.handout_diagram import plan_diagram
from lecturegen.render.handout_diagram_paint import diagram_png
from lecturegen.render.handout_docx_xml import (
    cell_borders,
    cell_margins,
    keep_with_next,
    no_table_borders,
    rgb,
    row_flag,
    rule_below,
    shade,
    tint_hex,
)
from lecturegen.render.handout_fonts import register_font

ChartPictures = Callable[[ChartBlock], bytes]
EMU_PER_POINT = 12700
DIAGRAM_DPI = 200
# A worksheet with fewer items than this is kept on one page; a longer one (rare) flows.
WORKSHEET_KEPT_ITEMS = 30


class BlockWriter:
    """The document, its runs and pictures, and each block of a section; the parts build on it."""

    def __init__(self, handout: Handout, chart_png: ChartPictures):
        self.h = handout
        self.chart_png = chart_png
        self.doc = Document()
        self.c = handout.style.colors
        self.blocks: dict[type, Callable[[Any, Any], None]] = {
            kind: getattr(self, f"_{name}") for kind, name in BLOCK_NAMES.items()}

    @property
    def text_width(self) -> int:
        page = self.h.page
        return int(page.frame_width * EMU_PER_POINT)

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
                run.font.color.rgb = rgb(self.c[colour])

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

    def _page_break(self) -> None:
        """A break at the end of the last paragraph: a paragraph of its own holding only the break would, on a
        page the text fills exactly, be pushed onto a page of its own and leave that page blank."""
        body = self.doc.element.body
        last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
        if last is not None and last.tag == qn("w:p"):
            self.doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        else:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def picture(self, container: Any, png: bytes, width_emu: int, height_emu: int, alt: str) -> Any:
        paragraph = container.add_paragraph() if hasattr(container, "add_paragraph") else container
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(width_emu), height=Emu(height_emu))
        shape._inline.docPr.set("descr", alt)
        return paragraph

    def panel(self, container: Any, rule_colour: str, rule_width: int, top: int, bottom: int) -> tuple[Any, Any]:
        """A one-cell table without borders, tinted with the accent, with a rule of `rule_colour` at its left
        (call-outs, the opening question, the take-home box): the table and its cell."""
        table = container.add_table(rows=1, cols=1)
        no_table_borders(table)
        cell = table.rows[0].cells[0]
        shade(cell, tint_hex(self.c["accent"], 0.09))
        cell_borders(cell, left=(rule_width, self.c[rule_colour].lstrip("#")))
        cell_margins(cell, left=280, right=240, top=top, bottom=bottom)
        return table, cell

    def _with_caption(self, container: Any, picture: Any, caption: tuple[Run, ...], source: tuple[Run, ...]) -> None:
        """A figure's caption and source line after it, all kept together: Word never leaves a caption alone on
        the next page."""
        kept = [picture]
        if caption:
            kept.append(self.para(container, caption, size=9.5))
        if source:
            kept.append(self.para(container, source, size=8.5, colour="muted"))
        for paragraph in kept[:-1]:
            keep_with_next(paragraph)

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
        table, cell = self.panel(container, "accent", 32, top=100, bottom=100)
        row_flag(table.rows[0], "w:cantSplit")
        short = len(runs_text(block.big)) <= 24
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
            keep_with_next(p)
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
        no_table_borders(table)
        for cell, column in zip(table.rows[0].cells, block.columns):
            cell_borders(cell, top=(12, self.c["accent"].lstrip("#")))
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
        no_table_borders(table)
        rule = tint_hex(self.c["muted"], 0.35)
        if t.header:
            cells = table.add_row().cells
            for cell, value in zip(cells, t.header):
                self.runs(cell.paragraphs[0], value, colour="title", bold=True)
                shade(cell, tint_hex(self.c["accent"], 0.12))
                cell_borders(cell, bottom=(8, self.c["accent"].lstrip("#")))
            row_flag(table.rows[0], "w:tblHeader")  # repeated on every page the table spans
        for row in t.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                self.runs(cell.paragraphs[0], value, size=9.5)
                cell_borders(cell, bottom=(4, rule))
        for row in table.rows:
            row_flag(row, "w:cantSplit")
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
        self._with_caption(container, self._chart_picture(container, block), block.caption, block.source)

    def _diagram(self, container: Any, block: DiagramFigure) -> None:
        """The slide's diagram as a picture drawn from its shapes (the PDF's drawing, at DIAGRAM_DPI), with the
        diagram's description as alt text; kept with its caption and source."""
        fonts = (register_font(self.h.style.body.family), register_font(self.h.style.heading.family))
        plan = plan_diagram(block.group, self.text_width / EMU_PER_POINT, block.max_height_in * 72, fonts,
                            block.background)
        picture = self.picture(container, diagram_png(plan, DIAGRAM_DPI), int(plan.width * EMU_PER_POINT),
                               int(plan.height * EMU_PER_POINT), block.alt)
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._with_caption(container, picture, block.caption, block.source)

    def _image(self, container: Any, block: ImageBlock) -> None:
        media = block.media
        scale = min(self.text_width / media.width_px, block.max_height_in * 914400 / media.height_px)
        picture = self.picture(container, media.data, int(media.width_px * scale), int(media.height_px * scale),
                               block.alt)
        if block.caption:
            keep_with_next(picture)
            self.para(container, block.caption, size=9.5)

    def _activity(self, container: Any, block: Activity) -> None:
        label = "Exercise" if block.kind == "exercise" else "Discussion"
        table = container.add_table(rows=1, cols=1)
        cell = table.rows[0].cells[0]
        shade(cell, tint_hex(self.c["accent"], 0.07))
        cell_borders(cell, left=(24, self.c["accent"].lstrip("#")))
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
        keep_with_next(self.para(container, text="Worksheet", size=8.5, colour="accent", bold=True, after=0))
        head = container.add_paragraph(style="Heading 3")
        self.runs(head, block.title)
        for p in block.intro:
            self.para(container, p.runs)
        rule = tint_hex(self.c["muted"], 0.5)
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
                keep_with_next(question)
                self._lines(container, item.lines, rule)
        if block.items and len(block.items) < WORKSHEET_KEPT_ITEMS:
            for paragraph in container.paragraphs[first:-1]:
                keep_with_next(paragraph)

    def _rating_grid(self, container: Any, ratings: list[Rating], scale: tuple[ScalePoint, ...]) -> None:
        """Rated items as a grid: a row per item, a column per point headed by its value and anchor, a circle
        in each cell to mark; light rules between rows; no row splits, each keeps with the next."""
        n = max(1, len(scale))
        table = container.add_table(rows=0, cols=n + 1)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        no_table_borders(table)
        col = min(Cm(2.0), int(self.text_width * 0.5 / n))
        widths = [Emu(self.text_width - col * n)] + [Emu(col)] * n
        for column, width in zip(table.columns, widths):
            column.width = width
        rule = tint_hex(self.c["muted"], 0.3)
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
            cell_borders(cell, bottom=(6, accent))
        row_flag(table.rows[0], "w:tblHeader")
        for item in ratings:
            cells = table.add_row().cells
            self.runs(cells[0].paragraphs[0], item.runs)
            for cell in cells[1:]:
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.runs(p, (Run("\u25cb"),), size=12, colour="title")
            for cell in cells:
                cell_borders(cell, bottom=(4, rule))
        for row in table.rows:
            row_flag(row, "w:cantSplit")
            for cell, w in zip(row.cells, widths):
                cell.width = w
                for p in cell.paragraphs:
                    p.paragraph_format.space_after = Pt(2)
                    p.paragraph_format.space_before = Pt(2)
        for row in table.rows[:-1]:
            for cell in row.cells:
                for p in cell.paragraphs:
                    keep_with_next(p)

    def _lines(self, container: Any, count: int, rule: str) -> None:
        for i in range(count):
            line = container.add_paragraph()
            line.paragraph_format.line_spacing = Pt(22)
            line.paragraph_format.space_after = Pt(0)
            if i < count - 1:
                keep_with_next(line)
            rule_below(line, rule)

    def _break(self, container: Any, block: BreakMark) -> None:
        p = self.para(container, text=f"{block.title} · {block.when} · {block.duration}", size=9.5, colour="muted",
                      italic=True)
        p_pr = p._p.get_or_add_pPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), tint_hex(self.c["accent"], 0.08))
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
        keep_with_next(label)
        self._lines(container, block.min_lines, tint_hex(self.c["muted"], 0.45))
