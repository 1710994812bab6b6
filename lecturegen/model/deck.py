"""Model layer: the compiled deck as frozen data; renderers translate it mechanically."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lecturegen.diagnostics import Location


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    # True for text produced by the citation engine: audience vocabulary never touches it.
    cited: bool = False


@dataclass(frozen=True)
class CitationItem:
    """One work inside a citation marker, e.g. `@cooper2005, p. 12`."""

    key: str
    locator: str | None = None
    label: str = "page"
    suppress_author: bool = False
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Citation:
    """A citation marker as written: `[@a; @b]` (parenthetical) or `@a` (narrative)."""

    items: tuple[CitationItem, ...]
    narrative: bool = False
    location: Location | None = None


Inline = Run | Citation


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs; `level` 0 is a top-level bullet, 1 a sub-bullet."""

    runs: tuple[Run, ...]
    level: int = 0
    # Reference-list entries get a hanging indent; quotes and captions are aligned differently.
    style: str = "body"  # body | reference | quote | attribution | heading | caption | big

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Column:
    """One side of a two-column or comparison slide."""

    heading: tuple[Run, ...] = ()
    body: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]


@dataclass(frozen=True)
class Picture:
    """An image file from the workspace with its alt text."""

    path: str  # absolute path on disk, resolved and checked by the loader
    alt: str


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float, ...]
    errors_low: tuple[float, ...] | None = None  # interval ends (absolute), for dot plots
    errors_high: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Chart:
    """A chart bound to its data: everything a renderer needs, nothing it must look up."""

    type: str  # bar | grouped-bar | dot | line | stacked | timeline | waffle | pie
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    alt: str
    source: tuple[Run, ...]  # "Source: Di Malta et al. (2023)"
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    native: bool = False
    illustrative: bool = False
    # Text labels per category (e.g. timeline events); optional.
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
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
    # Small "Sources: …" line for slides that cite (optional per talk).
    sources: tuple[Run, ...] = ()
    # Exercise slides: grouping ("pairs") and a badge such as "Pairs · 15 min".
    badge: str = ""
    notes: tuple[Paragraph, ...] = ()
    minutes: float = 0.0
    start_minute: float = 0.0  # planned start, minutes from the talk's start
    hidden: bool = False
    # Sizes chosen by fitting (points); None leaves the template's own size.
    body_size: float | None = None
    title_size: float | None = None
    optional: bool = False
    priority: int = 1
    # Works cited on the slide: `visible_keys` on the slide itself, `cited_keys` including the notes.
    new_day: bool = False  # the next slide starts a new day at the talk's day_start
    visible_keys: tuple[str, ...] = ()
    cited_keys: tuple[str, ...] = ()

    def bottom_line(self) -> tuple[Run, ...]:
        """The one small text line above the footer: caption, then sources; stamped if data are illustrative."""
        sources = self.chart.source if self.chart is not None else self.sources
        line = self.caption + ((Run("  "),) if self.caption and sources else ()) + sources
        if self.chart is not None and self.chart.illustrative:
            line = (Run("Illustrative data. ", bold=True),) + line
        return line


@dataclass(frozen=True)
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
