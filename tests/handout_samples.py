"""Handout inputs built in code for the handout's test modules: a small deck with a diagram, key findings, a
question and a take-home slide, its timing plan, and the handout made from them."""

from __future__ import annotations

import dataclasses
import io

from lecturegen.compile.handout import HandoutOptions, deck_to_handout
from lecturegen.compile.timing import SectionTiming, TimedItem, TimingPlan
from lecturegen.model.chart import Chart, ChartSeries, options_for
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.handout import ChartBlock, Handout
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape, TextLine
from lecturegen.model.style import DeckStyle, FontFace
from lecturegen.model.text import Paragraph, Run

INCH = EMU_PER_INCH
STYLE = DeckStyle(
    colors={"background": "FFFFFF", "text": "1F2933", "title": "0F4C5C", "accent": "0F766E", "accent2": "D97706",
            "muted": "5B6470", "link": "0B5CAD", "band": "0F4C5C", "band_text": "FFFFFF"},
    palette=("0F766E", "D97706", "5B6470"),
    heading=FontFace("Calibri", "Carlito", "metric-compatible"),
    body=FontFace("Calibri", "Carlito", "metric-compatible"),
)


def runs(text: str, **kw: object) -> tuple[Run, ...]:
    return (Run(text, **kw),)  # type: ignore[arg-type]


def step(name: str, x: float, label: str, detail: str = "") -> AutoShape:
    """A rounded box one inch high at x inches, its label bold and its detail smaller, at slide sizes."""
    lines = [TextLine(runs(label), 28.0, bullet="none", align="ctr", color="FFFFFF", bold=True)]
    if detail:
        lines.append(TextLine(runs(detail), 20.0, bullet="none", align="ctr", color="FFFFFF", space_before=5.6))
    return AutoShape(name, Box(int(x * INCH), INCH, int(2.4 * INCH), int(1.2 * INCH)), "roundRect", "0F766E",
                     tuple(lines))


def process_group() -> GroupShape:
    """A two-step process as the diagram kind places it: two boxes and the arrow between them."""
    first, second = step("Step 1", 1.0, "Safety", "both people willing"), step("Step 2", 4.4, "Depth")
    arrow = ConnectorShape("Arrow 1", (int(3.4 * INCH), int(1.6 * INCH)), (int(4.4 * INCH), int(1.6 * INCH)),
                           "5B6470", 2.0, start_on=(0, 3), end_on=(1, 1))
    return GroupShape("Diagram: process", Box(INCH, INCH, int(5.8 * INCH), int(1.2 * INCH)),
                      (first, arrow, second), "A process in two steps: 1. Safety; 2. Depth.")


def sample_slides(group: GroupShape | None = None) -> list[Slide]:
    """Two sections: a question, a key number, a key chart, a diagram, and a take-home slide with a source."""
    from lecturegen.compile.kinds.diagram import Diagram, DiagramNode

    diagram = Diagram("process", (DiagramNode(label=runs("Safety"), detail=runs("both people willing")),
                                  DiagramNode(label=runs("Depth"))))
    chart = Chart("bar", ("Therapists", "Clients"), (ChartSeries("alpha", (0.85, 0.93)),), "A bar chart",
                  runs("Source: Di Malta et al. (2019)"), options=options_for("bar", format="r"))
    return [
        Slide("title", "Title Slide", runs("Depth on paper")),
        Slide("section", "Section Header", runs("Beginnings"), section="Beginnings"),
        Slide("question", "Title Only", runs("When did you last feel truly met?"), section="Beginnings"),
        Slide("big-number", "Title Only", runs("Every therapist had met a client at depth"), section="Beginnings",
              key=True, sources=runs("Source: Cooper (2005)"),
              body=(Paragraph(runs("8 of 8"), style="big"), Paragraph(runs("therapists"), style="context"))),
        Slide("chart", "Title Only", runs("The scale is reliable"), section="Beginnings", chart=chart, key=True),
        Slide("section", "Section Header", runs("Practice"), section="Practice"),
        Slide("diagram", "Title Only", runs("Readiness comes before depth"), section="Practice", content=diagram,
              shapes=(group or process_group(),), caption=runs("After Knox and Cooper (2010)."),
              sources=runs("Source: Knox and Cooper (2010)")),
        Slide("bullets", "Title and Content", runs("Take-home messages"), section="Practice",
              body=(Paragraph(runs("Depth is shared")), Paragraph(runs("It can be measured"))),
              sources=runs("Sources: Cooper (2005); Di Malta et al. (2019)")),
    ]


def sample_deck(slides: list[Slide] | None = None, style: DeckStyle = STYLE) -> tuple[Deck, TimingPlan]:
    placed, items, start = [], [], 0.0
    for number, slide in enumerate(slides or sample_slides(), start=1):
        placed.append(dataclasses.replace(slide, minutes=2.0, start_minute=start))
        items.append(TimedItem(number, "".join(r.text for r in slide.title), slide.kind, slide.section, 2.0, start))
        start += 2.0
    plan = TimingPlan(tuple(items), (SectionTiming("Opening", 0.0, 2.0, 1),), slot=60.0, reserved=0.0, total=start)
    deck = Deck(talk="paper", title="Depth on paper", subtitle="A handout test", presenter="Test Presenter",
                affiliation="Test University", date="2026", footer="", theme="calm", slides=tuple(placed),
                slot_minutes=60.0, learning_outcomes=(runs("Name what depth is"),), style=style,
                event={"name": "Test Day", "venue": "Room 1"}, timestamp=1767225600)
    return deck, plan


def sample_handout(slides: list[Slide] | None = None, **options: object) -> Handout:
    deck, plan = sample_deck(slides)
    return deck_to_handout(deck, plan, HandoutOptions(**options))  # type: ignore[arg-type]


def white_png(block: ChartBlock) -> bytes:
    """Stands in for the chart drawer: a white picture of the block's aspect."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (200, max(1, int(200 * block.figure.height_in / block.figure.width_in))), "white").save(
        out, format="PNG")
    return out.getvalue()
