"""Render layer: each handout block as reportlab flowables (points, call-outs, tables, charts, worksheets)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

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
from lecturegen.model.text import Paragraph as ModelParagraph, runs_text
from lecturegen.model.text import Run
from lecturegen.render.handout_diagram import plan_diagram
from lecturegen.render.handout_diagram_paint import DiagramDrawing
from lecturegen.render.handout_fonts import hex_colour, tint
from lecturegen.render.handout_pdf_flowables import (
    CALLOUT_NUMBER_CHARS,
    DRAWING_LEAST,
    DRAWING_LINES,
    ChartPicture,
    DrawingEntry,
    DrawingSpace,
    Heading,
    OutlineOnly,
    RatingCircle,
    Rules,
    Sheet,
    Stack,
    TickSquare,
    stack_height,
)
from lecturegen.render.handout_pdf_markup import markup
from lecturegen.render.handout_pdf_styles import Styles

ChartPictures = Callable[[ChartBlock], bytes]


class BlockWriter:
    """Each block of a section as flowables, in the handout's styles; the parts of the page build on it."""

    def __init__(self, handout: Handout, st: Styles, width: float, height: float, chart_png: ChartPictures) -> None:
        self.h = handout
        self.part_pages: list[int] | None = None
        self.st = st
        self.width = width
        self.height = height
        self.chart_png = chart_png
        self.colors = handout.style.colors
        self.link = self.colors.get("link", "0B5CAD").lstrip("#")
        self.story: list[Flowable] = []
        # A section's notes space is laid out by the page (handout_pdf.py), knowing what follows it.
        self.blocks: dict[type, Callable[[Any], list[Flowable]]] = {
            kind: getattr(self, f"_{name}") for kind, name in BLOCK_NAMES.items() if kind is not NotesSpace}

    def _style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """A table style whose string cells (even empty ones) use the body font, not reportlab's Helvetica."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.st.body)] + commands)

    def m(self, runs: tuple[Run, ...]) -> str:
        return markup(runs, self.link)

    # ── blocks ──

    def _slide_heading(self, block: SlideHeading) -> list[Flowable]:
        return [Heading(self.m(block.runs), self.st["h2"], runs_text(block.runs), 1)]

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
        short = len(runs_text(block.big)) <= CALLOUT_NUMBER_CHARS
        cell: list[Flowable] = [Paragraph(self.m(block.big), st["callout-number" if short else "callout-claim"])]
        if block.context:
            cell.append(Paragraph(self.m(block.context), st["callout-context"]))
        if block.caption:
            cell.append(Paragraph(self.m(block.caption), st["callout-caption"]))
        table = Table([[cell]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(self._style([
            ("BACKGROUND", (0, 0), (-1, -1), tint(self.colors["accent"], 0.09)),
            ("LINEBEFORE", (0, 0), (0, 0), 4, hex_colour(self.colors["accent"])),
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
            ("LINEBEFORE", (0, 0), (0, 0), 2.5, hex_colour(self.colors["accent"])),
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
            commands.append(("LINEABOVE", (i, 0), (i, 0), 1.2, hex_colour(self.colors["accent"])))
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
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, tint(self.colors["muted"], 0.35)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), tint(self.colors["accent"], 0.12)),
                         ("LINEBELOW", (0, 0), (-1, 0), 1, hex_colour(self.colors["accent"]))]
        table.setStyle(self._style(commands))
        return [table, Spacer(1, 3)]

    def _chart(self, block: ChartBlock) -> list[Flowable]:
        items: list[Flowable] = [ChartPicture(self.chart_png(block), block)]
        if block.caption:
            items.append(Paragraph(self.m(block.caption), self.st["caption"]))
        if block.source:
            items.append(Paragraph(self.m(block.source), self.st["source"]))
        return [Stack(items)]

    def _diagram(self, block: DiagramFigure) -> list[Flowable]:
        """The slide's diagram drawn at the frame's width (vector shapes, real text), its caption and source
        under it; never split from them."""
        plan = plan_diagram(block.group, self.width, block.max_height_in * 72, (self.st.body, self.st.heading),
                            block.background)
        items: list[Flowable] = [Spacer(1, 3), DiagramDrawing(plan)]
        if block.caption:
            items.append(Paragraph(self.m(block.caption), self.st["caption"]))
        if block.source:
            items.append(Paragraph(self.m(block.source), self.st["source"]))
        return [KeepTogether(items), Spacer(1, 4)]

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
            ("BACKGROUND", (0, 0), (-1, -1), tint(self.colors["accent"], 0.07)),
            ("LINEBEFORE", (0, 0), (0, 0), 3, hex_colour(self.colors["accent"])),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]))
        title = runs_text(block.title)
        return [Spacer(1, 6), KeepTogether([OutlineOnly(title), table]), Spacer(1, 4)]

    def _worksheet(self, block: Worksheet) -> list[Flowable]:
        st = self.st
        rule = tint(self.colors["muted"], 0.5)
        head: list[Flowable] = [Paragraph("Worksheet", st["worksheet-label"]),
                                Heading(self.m(block.title), st["worksheet-head"],
                                        "Worksheet: " + runs_text(block.title), 2)]
        head += [Paragraph(self.m(p.runs), st["body"]) for p in block.intro]
        items: list[Flowable | DrawingEntry] = []
        for item in block.printed():
            if isinstance(item, tuple):
                items.append(self._rating_grid(list(item), block.scale))
            elif isinstance(item, TickBox):
                row = Table([[TickSquare(9, hex_colour(self.colors["title"])), Paragraph(self.m(item.runs),
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
                    items.append(DrawingEntry(question, DrawingSpace(height, height * DRAWING_LEAST, rule)))
                else:
                    items.append(KeepTogether([question, Rules(item.lines, rule, 22.0)]))
        # The worksheet is one piece: its head and everything up to a drawing space stay on one page (a drawing
        # space shrinks to fit instead, so the page before it is not left half empty).
        out: list[Flowable] = [Spacer(1, 4)]
        together: list[Flowable] = list(head)
        for entry in items:
            if isinstance(entry, DrawingEntry):
                lead = [Sheet(together, self.height)] if together else []
                need = stack_height(together + [entry.question], self.width) + entry.space.least
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
                                      leading=9, textColor=hex_colour(self.colors["muted"]))
        header: list[Any] = [Paragraph("", st["cell"])]
        for point in scale:
            cell: list[Flowable] = [Paragraph(escape(point.value), head_style)]
            if point.anchor:
                cell.append(Paragraph(self.m(point.anchor), anchor_style))
            header.append(cell)
        rows: list[list[Any]] = [header]
        mark = hex_colour(self.colors["title"])
        for item in ratings:
            rows.append([Paragraph(self.m(item.runs), st["worksheet-item"])] +
                        [RatingCircle(9, mark) for _ in range(n)])
        table = Table(rows, colWidths=[self.width - col * n] + [col] * n, hAlign="LEFT", repeatRows=1)
        rule = tint(self.colors["muted"], 0.3)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 1), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, hex_colour(self.colors["accent"])),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, rule),
        ]
        for i in range(1, len(rows), 2):
            commands.append(("BACKGROUND", (1, i), (-1, i), tint(self.colors["accent"], 0.05)))
        table.setStyle(self._style(commands))
        return table

    def _break(self, block: BreakMark) -> list[Flowable]:
        text = f"{escape(block.title)} · {block.when} · {block.duration}"
        table = Table([[Paragraph(text, self.st["break"])]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(self._style([
            ("BACKGROUND", (0, 0), (-1, -1), tint(self.colors["accent"], 0.08)),
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
