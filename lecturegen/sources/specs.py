"""Load layer: what the user declared (talks, sections, slides), not yet resolved."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from lecturegen.diagnostics import Location
from lecturegen.records import record

if TYPE_CHECKING:
    from lecturegen.sources.charts import ChartSpec


class KindSpec(Protocol):
    """What a slide kind registered in `compile/kinds/` read from the outline: its own typed spec, and the
    words the author wrote in it (for spelling and other readers of the outline)."""

    @property
    def location(self) -> Location: ...

    def texts(self) -> tuple[TextSpec, ...]: ...


@record
class ImageRef:
    """A workspace image an outline names: its resolved path (None if it could not be), as written, and where."""

    path: str | None
    display: str
    location: Location


@runtime_checkable
class ShowsImage(Protocol):
    """A kind's spec that shows a picture: the load layer reads the image (and its sidecar) for it."""

    @property
    def image(self) -> ImageRef | None: ...

    @property
    def credit_required(self) -> bool:
        """Whether the slide shows the picture's credit, so that an image without a sidecar is warned of."""
        ...


@runtime_checkable
class ShowsChart(Protocol):
    """A kind's spec that may show a chart: the load layer reads its dataset."""

    @property
    def chart(self) -> ChartSpec | None: ...


@record
class TextSpec:
    """A piece of user text with the place it was written (for citation and template errors)."""

    text: str
    location: Location


@record
class BulletSpec:
    text: TextSpec
    children: tuple["BulletSpec", ...] = ()


@record
class ColumnSpec:
    heading: TextSpec | None
    bullets: tuple[BulletSpec, ...]


@record
class SlideSpec:
    kind: str
    location: Location
    title: TextSpec | None = None
    id: str | None = None
    tags: tuple[str, ...] = ()
    notes: TextSpec | None = None
    minutes: float | None = None
    optional: bool = False
    priority: int = 1
    audiences: tuple[str, ...] = ()
    except_audiences: tuple[str, ...] = ()
    layout: str | None = None
    hidden: bool = False
    split: bool = True  # long bullet lists may continue on "(cont.)" slides
    reveal: str | None = None  # none | bullets | fade; None takes the talk's default
    key: bool = False  # a key finding: the handout's summary page shows it
    # A kind from the registry (`compile/kinds/`): everything it read, in its own typed spec.
    content: KindSpec | None = None


@record
class ImageMeta:
    """An image's sidecar (content/images/NAME.yaml): who made it and under which licence."""

    credit: str = ""
    licence: str = ""
    source: str = ""


@record
class SectionSpec:
    name: str
    title: TextSpec
    location: Location
    slides: tuple[SlideSpec, ...]
    summary: TextSpec | None = None
    tags: tuple[str, ...] = ()
    header: bool = True
    optional: bool = False
    priority: int = 1
    audiences: tuple[str, ...] = ()
    except_audiences: tuple[str, ...] = ()
    # A time budget: the section takes exactly this long (its slides' estimates are scaled to it).
    minutes: float | None = None
    minutes_location: Location | None = None


@record
class WorksheetSpec:
    """A worksheet an exercise refers to, printed in the handout: prompts with writing space, tick-boxes."""

    title: TextSpec
    location: Location
    intro: TextSpec | None = None
    prompts: tuple[TextSpec, ...] = ()
    checklist: tuple[TextSpec, ...] = ()
    space: int = 4  # ruled lines under each prompt
    scale: tuple[TextSpec, ...] = ()  # a rating scale's anchors (0, 1, …): the checklist is rated, not ticked


@record
class ReservedBlock:
    title: str
    minutes: float
    location: Location


@record
class TalkSpec:
    name: str
    path: str
    location: Location
    title: TextSpec
    slot: float
    sections: tuple[SectionSpec, ...]
    subtitle: TextSpec | None = None
    presenter: str = ""
    affiliation: str = ""
    date: str = ""
    theme: str = "calm"
    theme_location: Location | None = None
    style: str = "apa"
    style_location: Location | None = None
    locale: str | None = None
    # `bibliography:` — workspace paths of the files to read (any format), each where it was written;
    # empty: the workspace's bibliography.bib, when there is one.
    bibliography: tuple[tuple[str, Location], ...] = ()
    speaking_rate: float = 130.0
    footer: TextSpec | None = None
    source_lines: bool = False
    citations: str = "inline"  # inline | source-line | notes
    agenda: bool = True
    references: bool = True
    reference_slides: str = "slides"  # slides | handout (one closing slide with a QR code)
    references_url: str = ""  # where the full list is online (the QR code of the closing slide)
    reveal: str = "none"  # the default for slides with bullets: none | bullets | fade
    learning_outcomes: tuple[TextSpec, ...] = ()
    reserved: tuple[ReservedBlock, ...] = ()
    contact: str = ""
    day_start: str | None = None
    event: dict[str, str] = field(default_factory=dict)
    language: str = "en-GB"
    # Audience profiles this talk is offered to (empty: all); --all-audiences builds these.
    audiences: tuple[str, ...] = ()
    audiences_location: Location | None = None
    design: dict[str, object] = field(default_factory=dict)  # design-lint limits this talk overrides
    design_location: Location | None = None
    design_locations: dict[str, Location] = field(default_factory=dict)
    slides_url: str = ""  # where the slides are online (a QR code in the handout)
