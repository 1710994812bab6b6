"""Compile layer: what every slide kind module is made of — the `Kind` entry, and what builders and placers get."""

from __future__ import annotations

from dataclasses import field
from typing import Callable, Mapping, Protocol

from yaml.nodes import Node

from lecturegen.compile.text import TextResolver
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Paragraph, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Media, Shape
from lecturegen.model.style import DeckStyle, FontMetrics
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


# The parts of a kind, typed at the boundary; each kind's functions check that they were given their own spec
# and record (the registry holds kinds of every type side by side).
Parse = Callable[[Fields, Node], KindSpec | None]
Build = Callable[[KindSpec, Slide, KindContext], Slide]
Place = Callable[[Slide, Box, Placement], list[Shape]]


@record
class Kind:
    """One slide kind: everything the pipeline needs to know about it, in one entry of `registry.py`."""

    name: str
    keys: frozenset[str]  # outline keys on top of the common ones (`sources/outline.py::COMMON_KEYS`)
    parse: Parse  # outline keys → the kind's spec, with located errors
    build: Build  # spec → the slide's typed `content` record (citations and templates resolved)
    role: str  # the layout role it is placed on (`model/template.py::LAYOUT_ROLES`)
    place: Place  # record → shapes inside the layout's free content area
    minimum_minutes: float  # however short the notes, the audience needs this long

