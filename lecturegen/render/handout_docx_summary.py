"""Render layer: the DOCX handout's one-page summary: take-home messages, key findings as cards, outcomes."""

from __future__ import annotations

from typing import Any

from docx.shared import Pt

from lecturegen.model.handout import ChartBlock, Finding, KeyFindings
from lecturegen.model.text import Run, runs_text
from lecturegen.render.handout_docx_blocks import BlockWriter
from lecturegen.render.handout_docx_xml import cell_borders, cell_margins, no_table_borders

CALLOUT_NUMBER_CHARS = 24  # a detail this short is set large, as a number


class SummaryWriter(BlockWriter):
    """The summary page, in the PDF's order: take-home panel, finding cards two to a row, outcomes."""

    def _key_findings(self) -> None:
        findings, doc = self.h.key_findings, self.doc
        if findings is None:
            return
        self.para(doc, text="SUMMARY", size=8, colour="accent", bold=True, after=0)
        doc.add_heading("Key findings", level=1)
        if findings.take_home:
            self._take_home(findings)
        cards = findings.cards()
        if cards:
            table = doc.add_table(rows=0, cols=2)
            no_table_borders(table)
            for i in range(0, len(cards), 2):
                cells = table.add_row().cells
                for j, (cell, (finding, chart)) in enumerate(zip(cells, cards[i:i + 2])):
                    self._card(cell, i + j + 1, finding, chart)
        if findings.outcomes:
            doc.add_heading("Learning outcomes", level=2)
            self.para(doc, text="By the end of the session, participants will be able to:", colour="muted", size=9.5)
            for outcome in findings.outcomes:
                self.para(doc, outcome, style="List Bullet")
        self._page_break()

    def _take_home(self, findings: KeyFindings) -> None:
        _, cell = self.panel(self.doc, "accent", 32, top=60, bottom=140)
        head = cell.paragraphs[0]
        head.style = self.doc.styles["Heading 2"]
        self.runs(head, (Run(findings.take_home_title),))
        for p in findings.take_home:
            self.para(cell, p.runs, style="List Bullet", size=11)
        if findings.take_home_sources:
            self.para(cell, findings.take_home_sources, size=8.5, colour="muted")
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _card(self, cell: Any, number: int, finding: Finding | None, chart: ChartBlock | None) -> None:
        """One finding under an accent rule: number and headline, its chart or its number large, its citation."""
        cell_borders(cell, top=(12, self.c["accent"].lstrip("#")))
        cell_margins(cell, left=0, right=200, top=80, bottom=200)
        label = f"FINDING {number}" if finding is not None else "ALSO SHOWN"
        self.runs(cell.paragraphs[0], (Run(label),), size=8, colour="accent", bold=True)
        headline = finding.headline if finding is not None else chart.title if chart is not None else ()
        self.para(cell, headline, size=9.5, colour="title", bold=True, after=2)
        detail = finding.detail if finding is not None else ()
        if chart is not None:
            self._chart_picture(cell, chart)
            if detail:
                self.para(cell, detail, size=8.5, after=2)
        elif detail:
            short = len(runs_text(detail)) <= CALLOUT_NUMBER_CHARS
            self.para(cell, detail, size=15 if short else 9.5, colour="accent" if short else None, bold=short or None,
                      after=2)
        citation = finding.citation if finding is not None and finding.citation else chart.source if chart else ()
        if citation:
            self.para(cell, citation, size=8.5, colour="muted")
