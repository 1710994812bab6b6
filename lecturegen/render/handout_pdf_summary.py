"""Render layer: the PDF handout's one-page summary: take-home messages, key findings as cards, outcomes."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Paragraph, Spacer, Table

from lecturegen.model.handout import ChartBlock, Finding, KeyFindings
from lecturegen.render.handout_fonts import hex_colour, tint
from lecturegen.render.handout_pdf_blocks import BlockWriter
from lecturegen.render.handout_pdf_flowables import CALLOUT_NUMBER_CHARS, ChartPicture, Heading, SectionMark
from lecturegen.model.text import runs_text

CARD_GAP = 18.0  # points between the two columns of cards (the key charts are drawn for this gap)


class SummaryWriter(BlockWriter):
    """The summary page, kept to one page: what follows shrinks uniformly rather than spill over."""

    def _key_findings(self) -> None:
        findings = self.h.key_findings
        if findings is None:
            return
        st = self.st
        self.story.append(SectionMark("Key findings"))
        content: list[Flowable] = [Paragraph("SUMMARY", st["cover-label"]),
                                   Heading("Key findings", st["h1"], "Key findings", 0)]
        if findings.take_home:
            content += [Spacer(1, 2 * mm), self._take_home(findings)]
        outcomes = self._outcomes(findings)
        cells = [self._card(i + 1, finding, chart) for i, (finding, chart) in enumerate(findings.cards())]
        if cells:
            if len(cells) % 2 == 1 and outcomes:
                cells.append(outcomes)  # the outcomes fill the grid's last cell
                outcomes = []
            content += [Spacer(1, 5 * mm), self._grid(cells)]
        content += outcomes
        self.story.append(KeepInFrame(self.width, self.height, content, mode="shrink"))
        self.story.append(PageBreak())

    def _take_home(self, findings: KeyFindings) -> Table:
        """The take-home messages in a tinted panel, their sources under them."""
        st = self.st
        cell: list[Flowable] = [Paragraph(escape(findings.take_home_title), st["h2"])]
        cell += [Paragraph(self.m(p.runs), st["key-message"], bulletText="•") for p in findings.take_home]
        if findings.take_home_sources:
            cell.append(Paragraph(self.m(findings.take_home_sources), st["source"]))
        panel = Table([[cell]], colWidths=[self.width], hAlign="LEFT")
        panel.setStyle(self._style([("BACKGROUND", (0, 0), (-1, -1), tint(self.colors["accent"], 0.09)),
                                   ("LINEBEFORE", (0, 0), (0, 0), 4, hex_colour(self.colors["accent"])),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 9)]))
        return panel

    def _outcomes(self, findings: KeyFindings) -> list[Flowable]:
        st = self.st
        if not findings.outcomes:
            return []
        out: list[Flowable] = [Paragraph("Learning outcomes", st["h2"]),
                               Paragraph("By the end of the session, participants will be able to:", st["h1-meta"])]
        return out + [Paragraph(self.m(o), st["outcome"], bulletText="•") for o in findings.outcomes]

    def _card(self, number: int, finding: Finding | None, chart: ChartBlock | None) -> list[Flowable]:
        """One finding: its number and headline, its chart or its number large, what it counts, its citation."""
        st = self.st
        headline = finding.headline if finding is not None else chart.title if chart is not None else ()
        cell: list[Flowable] = [Paragraph(f"FINDING {number}" if finding is not None else "ALSO SHOWN",
                                          st["cover-label"]),
                                Paragraph(self.m(headline), st["key-chart-title"])]
        detail = finding.detail if finding is not None else ()
        if chart is not None:
            cell.append(ChartPicture(self.chart_png(chart), chart))
            if detail:
                cell.append(Paragraph(self.m(detail), st["source"]))
        elif detail:
            short = len(runs_text(detail)) <= CALLOUT_NUMBER_CHARS
            cell.append(Paragraph(self.m(detail), st["callout-claim" if short else "caption"]))
        citation = finding.citation if finding is not None and finding.citation else chart.source if chart else ()
        if citation:
            cell.append(Paragraph(self.m(citation), st["source"]))
        return cell

    def _grid(self, cells: list[list[Flowable]]) -> Table:
        """Cards two to a row, each under an accent rule."""
        col = (self.width - CARD_GAP) / 2
        rows: list[list[Any]] = []
        for i in range(0, len(cells), 2):
            pair = cells[i:i + 2] + ([[]] if len(cells[i:i + 2]) == 1 else [])
            rows.append([pair[0], "", pair[1]])
        grid = Table(rows, colWidths=[col, CARD_GAP, col], hAlign="LEFT")
        commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                           ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]
        for r, row in enumerate(rows):
            for c in (0, 2):
                if row[c]:
                    commands.append(("LINEABOVE", (c, r), (c, r), 1.6, hex_colour(self.colors["accent"])))
        grid.setStyle(self._style(commands))
        return grid
