"""Model layer: the handout as frozen data — cover, key findings, programme, sections of blocks, references.

`compile/handout.py::deck_to_handout` builds it from a compiled Deck and its timing plan; the PDF and
DOCX renderers translate it. Every decision a page depends on is made before rendering and stored
here: the text as it is printed (typographic quotes, clock times and durations as strings), the
paper and its frame, the size each chart is drawn at and printed at, how many note lines a section
may end with. The renderers only lay the blocks out.

Over 400 lines because every record the two handout writers read is here, so that they import one module.
"""

from __future__ import annotations

from typing import Union

from lecturegen.model.chart import Chart
from lecturegen.model.deck import Column, Table
from lecturegen.model.shapes import GroupShape, Media
from lecturegen.model.style import DeckStyle
from lecturegen.model.text import Paragraph, Run
from lecturegen.records import record

Runs = tuple[Run, ...]

POINTS_PER_INCH = 72.0
POINTS_PER_MM = 72.0 / 25.4


# ── the page ─────────────────────────────────────────────────────────────────────────────────────


@record
class Page:
    """Paper size and margins in points; the frame is what lies inside the margins."""

    name: str  # a4 | letter
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


PAGES: dict[str, Page] = {
    "a4": Page("a4", 210 * POINTS_PER_MM, 297 * POINTS_PER_MM, 20 * POINTS_PER_MM, 20 * POINTS_PER_MM,
               22 * POINTS_PER_MM, 20 * POINTS_PER_MM),
    "letter": Page("letter", 612.0, 792.0, 0.8 * 72, 0.8 * 72, 22 * POINTS_PER_MM, 20 * POINTS_PER_MM),
}


# ── blocks: what one slide becomes on paper ──────────────────────────────────────────────────────


@record
class SlideHeading:
    """The title of one slide, introducing its key points (a level-2 heading and bookmark)."""

    runs: Runs


@record
class Points:
    """Bulleted key points; `Paragraph.level` gives the nesting, style 'caption' an unbulleted line."""

    paragraphs: tuple[Paragraph, ...]
    numbered: bool = False


@record
class Statement:
    """A big statement or number as a call-out: the number or claim large, the line that says what it counts
    under it (`context`), then its explanatory caption; printed in a tinted box, never as bullets."""

    big: Runs
    caption: Runs = ()
    context: Runs = ()


@record
class Quote:
    text: Runs
    attribution: Runs = ()


@record
class Columns:
    """Two (or more) headed lists side by side: two-column and comparison slides."""

    columns: tuple[Column, ...]


@record
class TableBlock:
    table: Table


@record
class Figure:
    """How a chart is drawn and printed: the drawing's size in inches and type size, and its printed width.

    The drawing is made larger than print and scaled down (`scale`), so that the chart's own minimum
    type size still prints legibly; `min_print_width_in` is as far as the renderer may shrink it to
    fit the space left on a page without its smallest label going below the legible minimum.
    """

    width_in: float
    height_in: float
    font_pt: float
    dpi: int
    print_width_in: float
    min_print_width_in: float

    @property
    def scale(self) -> float:
        return self.print_width_in / self.width_in

    @property
    def print_height_in(self) -> float:
        return self.print_width_in * self.height_in / self.width_in


@record
class ChartBlock:
    """A chart as the slides bind it (or its paper variant), with the size it is drawn and printed at."""

    chart: Chart
    figure: Figure
    title: Runs  # the slide's title: shown where the chart stands alone (key findings)
    caption: Runs
    source: Runs
    alt: str
    illustrative: bool


@record
class DiagramFigure:
    """A diagram as the slide draws it: its placed shapes (boxes, circles, arrows with their text, in slide EMU),
    its description for the alt text, and the caption and source printed under it, never apart from it."""

    group: GroupShape
    alt: str
    caption: Runs = ()
    source: Runs = ()
    background: str = "FFFFFF"  # the slide's background, which the diagram's colours were chosen against
    max_height_in: float = 2.6


@record
class ImageBlock:
    media: Media
    alt: str
    caption: Runs = ()
    max_height_in: float = 3.75


@record
class Activity:
    """An exercise or discussion: instructions with the grouping and minutes ('In pairs · 15 min')."""

    title: Runs
    badge: str
    kind: str  # exercise | discussion
    steps: tuple[Paragraph, ...]
    numbered: bool


@record
class TickBox:
    """A worksheet line the participant ticks."""

    runs: Runs


@record
class Prompt:
    """A worksheet question followed by ruled lines to write on."""

    runs: Runs
    lines: int = 3


@record
class Rating:
    """A worksheet line the participant rates on the worksheet's scale (one column per point)."""

    runs: Runs


@record
class ScalePoint:
    """One point of a rating scale: its value as printed ('0') and its anchor ('not at all')."""

    value: str
    anchor: Runs = ()


WorksheetItem = Union[TickBox, Prompt, Rating]


@record
class Worksheet:
    """Material an exercise refers to: a checklist, a map to fill in, reflection prompts.

    With a `scale`, its `Rating` items are printed as one grid: a row per item, a column per point with the
    point's value and anchor at its head. A worksheet is never broken across pages (unless it is longer than
    one)."""

    title: Runs
    items: tuple[WorksheetItem, ...]
    intro: tuple[Paragraph, ...] = ()
    scale: tuple[ScalePoint, ...] = ()

    def printed(self) -> list[TickBox | Prompt | tuple[Rating, ...]]:
        """The items as a renderer prints them: each run of `Rating` items together, as one grid."""
        out: list[TickBox | Prompt | tuple[Rating, ...]] = []
        for item in self.items:
            if isinstance(item, Rating):
                last = out[-1] if out else None
                out[-1:] = [(*last, item)] if isinstance(last, tuple) else [*out[-1:], (item,)]
            else:
                out.append(item)
        return out


@record
class BreakMark:
    """A break in the running order, shown where it falls: 'Coffee break · 11:00–11:15 · 15 min'."""

    title: str
    when: str
    duration: str


@record
class Sources:
    """The slide's "Sources: …" line."""

    runs: Runs


@record
class SpeakerNotes:
    paragraphs: tuple[Paragraph, ...]


@record
class NotesSpace:
    """Ruled lines for the reader's notes where a section ends: as many as fill the page, within bounds.

    At least `min_lines` (else none: the page is already full); at most `max_lines`, unless what is
    left below them would be too little for the next section to start in, in which case the lines
    fill the page and the next section starts on a fresh one.
    """

    min_lines: int = 3
    max_lines: int = 8
    gap_pt: float = 22.0


Block = Union[SlideHeading, Points, Statement, Quote, Columns, TableBlock, ChartBlock, DiagramFigure, ImageBlock,
              Activity, Worksheet, BreakMark, Sources, SpeakerNotes, NotesSpace]

# Each kind of block by a short name: both writers (render/handout_pdf_blocks.py, handout_docx_blocks.py) draw
# a block with their method `_<name>`, so a new kind is added here once.
BLOCK_NAMES: dict[type, str] = {
    SlideHeading: "slide_heading", Points: "points", Statement: "statement", Quote: "quote", Columns: "columns",
    TableBlock: "table", ChartBlock: "chart", DiagramFigure: "diagram", ImageBlock: "image", Activity: "activity",
    Worksheet: "worksheet", BreakMark: "break", Sources: "sources", SpeakerNotes: "notes", NotesSpace: "notes_space",
}


# ── the parts of the handout ─────────────────────────────────────────────────────────────────────


@record
class QrCode:
    """A QR code as its modules (rows of dark/light), with the URL it encodes; drawn, not looked up."""

    url: str
    modules: tuple[tuple[bool, ...], ...]


@record
class Contact:
    """How to reach the presenter, and where the slides are."""

    lines: tuple[str, ...]
    slides_url: str = ""
    qr: QrCode | None = None


@record
class Cover:
    kicker: str  # "Handout" or "Workshop handout"
    title: str
    subtitle: str
    presenter: str
    affiliation: str
    event: str  # event name · organiser
    place: str  # venue · date
    logo: Media | None = None
    logo_alt: str = ""
    question: str = ""  # the question the talk opens with (its first question slide), shown on the cover
    length: str = ""  # "60 min": the session's slot
    date: str = ""
    venue: str = ""


@record
class Finding:
    """One key finding on the summary page: the slide's headline, what it counts, and its citation."""

    headline: Runs
    detail: Runs = ()
    citation: Runs = ()


@record
class KeyFindings:
    """The one-page summary: the key findings (slides marked `key`) with their citations, the take-home
    messages, learning outcomes and the charts that carry the findings."""

    take_home_title: str
    take_home: tuple[Paragraph, ...]
    outcomes: tuple[Runs, ...]
    charts: tuple[ChartBlock, ...]
    chart_rule: str  # how the charts were chosen, for the reader of the code and the docs
    findings: tuple[Finding, ...] = ()
    take_home_sources: Runs = ()

    def cards(self) -> list[tuple[Finding | None, ChartBlock | None]]:
        """The page's cards in order: each key finding with its chart (the chart of the same slide, by its
        title), then the charts no finding names."""
        charts = list(self.charts)
        out: list[tuple[Finding | None, ChartBlock | None]] = []
        for finding in self.findings:
            chart = next((c for c in charts if c.title == finding.headline), None)
            if chart is not None:
                charts.remove(chart)
            out.append((finding, chart))
        return out + [(None, chart) for chart in charts]


@record
class ProgrammeRow:
    """One row of the programme; start, end and minutes come from the same whole clock minutes."""

    start: str  # "09:30" or elapsed "0:05"
    end: str
    minutes: int  # end − start, in whole minutes
    duration: str  # "45 min", "1 h 15 min"
    title: str
    kind: str  # section | break | reserved | day-end
    day: int = 1


@record
class Programme:
    rows: tuple[ProgrammeRow, ...]
    clock_times: bool  # True: wall-clock times; False: elapsed from the start
    summary: str  # "09:30–16:30" or "58 min in all · times from the start of the session"
    days: int = 1


@record
class HandoutSection:
    title: str
    when: str  # "10:01–10:07"
    duration: str  # "6 min"
    summary: Runs
    blocks: tuple[Block, ...]
    day: int = 1


@record
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    timestamp: int  # seconds since the epoch (the build's)


@record
class Handout:
    metadata: Metadata
    page: Page
    style: DeckStyle
    cover: Cover
    contact: Contact | None
    key_findings: KeyFindings | None
    programme: Programme | None
    sections: tuple[HandoutSection, ...]
    references: tuple[Runs, ...]
    running_title: str
    footer: str  # presenter · event or date
    thumbnails: tuple[bytes, ...] | None = None
    credits: tuple[str, ...] = ()  # lines at the end: what the deck draws from others (its icons' set and licence)

    @property
    def worksheets(self) -> tuple[Worksheet, ...]:
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Worksheet))

    @property
    def chart_blocks(self) -> tuple[ChartBlock, ...]:
        """Every chart picture the handout prints (the key-findings charts first)."""
        found = list(self.key_findings.charts) if self.key_findings else []
        found += [b for s in self.sections for b in s.blocks if isinstance(b, ChartBlock)]
        return tuple(found)
