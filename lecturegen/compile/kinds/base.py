"""Compile layer: what every slide kind module is made of — the `Kind` entry, and what builders and placers get."""

from __future__ import annotations

from dataclasses import field
from typing import Callable, Mapping, Protocol

from yaml.nodes import Node

from lecturegen.compile.text import TextResolver
from lecturegen.diagnostics import Diagnostics
from lecturegen.compile.style import Sizes
from lecturegen.model.deck import Paragraph, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Media, Shape, TextLine, TextShape
from lecturegen.model.style import DeckStyle, FontMetrics
from lecturegen.model.template import Layout, Placeholder, Template
from lecturegen.records import record
from lecturegen.sources.data import Dataset
from lecturegen.sources.specs import KindSpec
from lecturegen.sources.yamlload import Fields


@record
class KindContext:
    """What builders read besides the slide's own spec: loaded datasets and images, and where to report."""

    text: TextResolver
    diags: Diagnostics
    datasets: Mapping[str, Dataset]
    images: Mapping[str, Media]
    final: bool  # False in the pass that only collects citations
    credits: Mapping[str, str] = field(default_factory=dict)  # image path → "Photo: … · licence" (sidecars)


class Placement(Protocol):
    """What the layouter lends a kind's placer: the deck's colours, measured fonts, sizes, and where to report.
    The placer returns shapes inside the area it is given; the layouter adds title, caption line and chrome."""

    @property
    def style(self) -> DeckStyle: ...

    @property
    def diags(self) -> Diagnostics: ...

    def font(self, heading: bool = False) -> FontMetrics: ...

    def family(self, heading: bool = False) -> str: ...

    def size(self, key: str) -> float:
        """A theme size by name: body, min_body, min_caption, statement … (`sources/themes.py::DEFAULT_SIZES`)."""
        ...

    def centred_body(self, slide: Slide, paragraphs: tuple[Paragraph, ...], what: str) -> list[Shape]:
        """Paragraphs in the layout's body placeholder, shrunk (not split) to fit and optically centred; `what`
        names the text in a message when it cannot fit ("statement")."""
        ...


@record(frozen=False)
class Frame:
    """What every slide on a layout shares: title area, chrome (footer, number, logo), free content area."""

    key: str  # the role or layout name slides ask for
    layout: Layout
    obstacles: list[Box]
    content: Box  # where charts, tables and pictures may go (before the caption line is taken off)
    floor: int  # the caption line stands on this (EMU from the top)


@record
class TextRules:
    """How a kind's text in the body placeholder behaves (`SlideLayouter.text_slide`)."""

    balanced: bool = True  # a list that leaves its area largely empty stands optically centred in it
    continues: bool = False  # a long list continues on "(cont.)" slides; a short one is set larger
    authored: bool = True  # text the author wrote: overflowing it is an error (generated text degrades)


class SlideLayouter(Protocol):
    """The layouter's shared mechanics, lent to a kind that places the whole slide itself (`Kind.lay`): its
    frame, regions clear of logos and the caption line, text fitted to a placeholder, overflow reports, and the
    finished slide with title and chrome. Implemented by `compile/layout.py::Layouter`."""

    template: Template
    style: DeckStyle
    sizes: Sizes
    diags: Diagnostics

    def body_font(self) -> FontMetrics: ...

    def frame(self, layout_name: str) -> Frame: ...

    def caption_line(self, slide: Slide, frame: Frame) -> TextShape | None: ...

    def free_area(self, frame: Frame, line: TextShape | None) -> Box: ...

    def region(self, frame: Frame, ph: Placeholder, slide: Slide, line: TextShape | None = None) -> Box: ...

    def fit_region(self, slide: Slide, ph: Placeholder, box: Box, paragraphs: tuple[Paragraph, ...],
                   name: str, role: str, anchor: str | None = None,
                   subtitle_size: float | None = None) -> tuple[TextShape, bool]: ...

    def lines(self, paragraphs: tuple[Paragraph, ...], ph: Placeholder, scale: float = 1.0,
              subtitle_size: float | None = None) -> tuple[TextLine, ...]: ...

    def placeholder_shape(self, name: str, role: str, ph: Placeholder, box: Box, lines: tuple[TextLine, ...],
                          anchor: str | None = None) -> TextShape: ...

    def box_shape(self, name: str, role: str, box: Box, lines: tuple[TextLine, ...], anchor: str = "t",
                  font: str = "body", fill: str | None = None) -> TextShape: ...

    def capacity(self, shape: TextShape) -> float: ...

    def breaks_a_word(self, shape: TextShape, ph: Placeholder | None) -> bool: ...

    def fits(self, lines: tuple[TextLine, ...], ph: Placeholder, box: Box) -> bool: ...

    def overflow(self, slide: Slide, what: str, hint: str, shapes: tuple[Shape, ...] = (),
                 fatal: bool = True) -> None: ...

    def finish(self, slide: Slide, frame: Frame, body: list[Shape], line: TextShape | None,
               chrome: bool = True, title: TextShape | None = None) -> Slide: ...

    def room_below(self, box: Box, frame: Frame) -> Box: ...

    def text_slide(self, slide: Slide, can_split: bool, rules: TextRules) -> list[Slide]:
        """The body in the layout's body placeholder (two columns if the slide has them), continued or shrunk."""
        ...

    def chart_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """The slide's chart in the free content area, at that box's size (checked to be legible there)."""
        ...

    def centred_slide(self, slide: Slide, what: str) -> list[Slide]:
        """The body in the middle of the body placeholder, shrunk (not split) to fit; `what` names it."""
        ...


# The parts of a kind, typed at the boundary; each kind's functions check that they were given their own spec
# and record (the registry holds kinds of every type side by side).
Parse = Callable[[Fields, Node], KindSpec | None]
Build = Callable[[KindSpec, Slide, KindContext], Slide]
Place = Callable[[Slide, Box, Placement], list[Shape]]
Lay = Callable[[Slide, bool, SlideLayouter], list[Slide]]  # the whole slide; may continue on "(cont.)" slides


@record
class Kind:
    """One slide kind: everything the pipeline needs to know about it, defined in its module as `KIND`."""

    name: str
    keys: frozenset[str]  # outline keys on top of the common ones (`sources/outline.py::COMMON_KEYS`)
    parse: Parse  # outline keys → the kind's spec, with located errors
    build: Build  # spec → the slide: its fields, or its own typed `content` record (citations resolved)
    role: str  # the layout role it is placed on (`model/template.py::LAYOUT_ROLES`)
    place: Place | None  # record → shapes inside the layout's free content area (None: `lay` places it)
    minimum_minutes: float  # however short the notes, the audience needs this long
    # Or the whole slide, for a kind whose text fills the layout's placeholders (and may continue on "(cont.)"
    # slides): the layouter lends its mechanics (`SlideLayouter`).
    lay: Lay | None = None
    reveal: bool = False  # the talk's `reveal:` default applies to it (a list revealed one item per click)

