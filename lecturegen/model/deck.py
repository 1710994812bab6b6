"""Model layer: the compiled deck as frozen data; renderers translate it mechanically."""

from __future__ import annotations

from dataclasses import field
from typing import Protocol

from lecturegen.diagnostics import Location
from lecturegen.model.chart import Chart, ChartSeries
from lecturegen.model.icons import Icon
from lecturegen.model.shapes import Media, Shape
from lecturegen.model.style import DeckStyle
from lecturegen.model.text import Citation, CitationItem, Inline, Paragraph, Run
from lecturegen.records import record

__all__ = ["Chart", "ChartSeries", "Citation", "CitationItem", "Column", "Deck", "Inline", "KindContent", "Paragraph", "Picture",
           "Run", "Slide", "Table", "Worksheet"]


@record
class Column:
    """One side of a two-column or comparison slide."""

    heading: tuple[Run, ...] = ()
    body: tuple[Paragraph, ...] = ()


@record
class Table:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]


@record
class Picture:
    """An image from the workspace with its alt text and, from its sidecar, credit and licence."""

    path: str  # as the outline names it, for messages
    alt: str
    media: Media | None = None
    credit: str = ""


@record
class Worksheet:
    """A worksheet for an exercise: printed in the handout (prompts with writing space, tick-boxes)."""

    title: tuple[Run, ...]
    intro: tuple[Run, ...] = ()
    prompts: tuple[tuple[Run, ...], ...] = ()
    checklist: tuple[tuple[Run, ...], ...] = ()
    space: int = 4  # ruled lines under each prompt
    scale: tuple[tuple[Run, ...], ...] = ()  # a rating scale's anchors, numbered from 0: the checklist is rated


class KindContent(Protocol):
    """The typed content of a slide kind from the registry (`compile/kinds/`), such as a diagram: its own
    record, not more optional fields on `Slide`. Readers that are not the kind's own (handout, design lint)
    see its words through `texts`, in reading order, or `describe`."""

    def texts(self) -> tuple[tuple[Run, ...], ...]: ...

    def describe(self) -> str:
        """The content in words for someone who does not see the slide (alt text, the handout)."""
        ...


@record
class Slide:
    """One slide: a semantic kind plus the content fields that kind uses."""

    kind: str
    layout: str
    title: tuple[Run, ...]
    location: Location | None = None
    id: str | None = None
    section: str = ""
    tags: tuple[str, ...] = ()
    subtitle: tuple[Paragraph, ...] = ()
    body: tuple[Paragraph, ...] = ()
    columns: tuple[Column, ...] = ()
    table: Table | None = None
    picture: Picture | None = None
    chart: Chart | None = None
    caption: tuple[Run, ...] = ()
    # Small "Sources: …" line for slides that cite (citations: source-line), and shorter forms of it
    # ("… and 3 more in the notes") that the layout falls back on so that it stays one line.
    sources: tuple[Run, ...] = ()
    source_variants: tuple[tuple[Run, ...], ...] = ()
    # Exercise slides: grouping ("pairs") and a badge such as "Pairs · 15 min".
    badge: str = ""
    notes: tuple[Paragraph, ...] = ()
    minutes: float = 0.0
    start_minute: float = 0.0  # planned start, minutes from the talk's start
    hidden: bool = False
    # The slide as placed on its layout: every shape with its final box and sizes (set by compile's layout).
    shapes: tuple[Shape, ...] = ()
    optional: bool = False
    priority: int = 1
    # Works cited on the slide: `visible_keys` on the slide itself, `cited_keys` including the notes.
    new_day: bool = False  # the next slide starts a new day at the talk's day_start
    reveal: str = "none"  # none | bullets | fade: the body's paragraphs appear one per click
    clicks: int = 0  # clicks the reveal takes (set by the layout)
    qr: str = ""  # a URL shown as a QR code (the closing references slide)
    worksheet: Worksheet | None = None
    key: bool = False  # a key finding (the handout's summary page)
    visible_keys: tuple[str, ...] = ()
    cited_keys: tuple[str, ...] = ()
    content: KindContent | None = None  # a registered kind's own record (compile/kinds/)
    icon: Icon | None = None  # a bullet list's icon, drawn beside it

    def bottom_line(self) -> tuple[Run, ...]:
        """The one small text line above the footer: caption, then sources; stamped if data are illustrative."""
        sources = self.sources or (self.chart.source if self.chart is not None else ())
        line = self.caption + ((Run("  "),) if self.caption and sources else ()) + sources
        if self.chart is not None and self.chart.illustrative:
            line = (Run("Illustrative data. ", bold=True),) + line
        return line


@record
class Deck:
    """A whole compiled talk, ready for any renderer."""

    talk: str
    title: str
    subtitle: str
    presenter: str
    affiliation: str
    date: str
    footer: str
    theme: str
    slides: tuple[Slide, ...]
    slot_minutes: float
    audience: str | None = None
    event: dict[str, str] = field(default_factory=dict, hash=False, compare=True)
    learning_outcomes: tuple[tuple[Run, ...], ...] = ()
    references: tuple[tuple[Run, ...], ...] = ()  # formatted list of everything cited
    language: str = "en-GB"
    timestamp: int = 0  # build time, seconds since the epoch (SOURCE_DATE_EPOCH)
    style: DeckStyle | None = None
    width: int = 12192000  # slide size, EMU (the template's)
    height: int = 6858000
