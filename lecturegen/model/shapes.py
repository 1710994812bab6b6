"""Model layer: the shapes of a laid-out slide — final boxes, sizes and colours; renderers only translate them."""

from __future__ import annotations

import math

from dataclasses import field

from lecturegen.model.text import Run, runs_text
from lecturegen.model.geometry import Box, Insets
from lecturegen.model.icons import Icon
from lecturegen.records import record


@record
class TextLine:
    """A paragraph as placed: its runs and every property it is measured and drawn with."""

    runs: tuple[Run, ...]
    size: float  # points, written on every run
    level: int = 0  # outline level (0-based) in a placeholder
    margin: int = 0  # marL, EMU
    indent: int = 0  # first-line indent, EMU
    space_before: float = 0.0  # points
    line_spacing: float = 1.0
    bullet: str = "inherit"  # inherit (the template's) | none | number
    align: str | None = None  # l | ctr | r; None keeps the placeholder's
    color: str | None = None  # hex; None keeps the inherited colour
    bold: bool = False  # every run bold (statements, headings)
    italic: bool = False
    tab: int | None = None  # one left tab stop, EMU (agenda times)
    typeface: str | None = None  # an explicit font family (only where the template gives one on its prompt text)

    @property
    def text(self) -> str:
        return runs_text(self.runs)


@record
class PlaceholderRef:
    """Which placeholder of the layout a text shape fills (as the slide XML refers to it)."""

    type: str
    idx: int | None
    orient: str | None = None


@record
class TextShape:
    name: str
    role: str  # title | subtitle | body | body2 | heading1 | heading2 | footer | number | caption | label
    box: Box
    lines: tuple[TextLine, ...]
    placeholder: PlaceholderRef | None = None  # None: a text box lecturegen adds
    inherit_box: bool = False  # the box is the layout placeholder's own: written without a transform
    insets: Insets = Insets()
    anchor: str | None = None  # t | ctr | b; None keeps the placeholder's
    font: str = "body"  # body | heading: the theme font a text box uses (placeholders inherit theirs)
    fill: str | None = None  # background colour of a text box (stat cards)
    field: str | None = None  # "slidenum": the text is the slide's number
    # Height the text needs, in points, as measured: `check` compares it with the box.
    measured_height: float = 0.0
    font_family: str = ""  # the family it was measured with (for reports)
    # A title's words on each line as laid out (its breaks chosen by compile/titles.py): the design lint reads it.
    words_per_line: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@record
class Media:
    """Image bytes by content hash; the bytes take no part in comparisons or reprs."""

    digest: str
    extension: str  # png | jpeg | gif
    width_px: int
    height_px: int
    data: bytes = field(repr=False, compare=False, hash=False)


@record
class PictureShape:
    name: str
    box: Box
    media: Media
    alt: str
    decorative: bool = False
    # Cropped to fill its box (a full-bleed photo): fractions cut from the left, top, right and bottom.
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    # A backdrop that text is meant to stand on (a photo slide): written as a picture-filled rectangle
    # with the same alt text, which checkers do not count as a picture the text overlaps.
    backdrop: bool = False

    @property
    def dpi(self) -> float:
        """Pixels per inch at the placed size (the lower of the two directions), after cropping; infinite for
        a picture given no room at all (its resolution is not what is wrong: see `compile/geometry.py`)."""
        if self.box.cx <= 0 or self.box.cy <= 0:
            return float("inf")
        left, top, right, bottom = self.crop
        width = self.media.width_px * (1 - left - right)
        height = self.media.height_px * (1 - top - bottom)
        return min(width / (self.box.cx / 914400), height / (self.box.cy / 914400))


def dpi_text(dpi: float) -> str:
    """A resolution as a message says it: '96 dpi', or 'under 1 dpi' (never '0 dpi')."""
    return "under 1 dpi" if dpi < 1 else f"{dpi:.0f} dpi"


@record
class ChartShape:
    """A chart drawn at exactly its box: a picture (matplotlib) or a native, editable chart."""

    name: str
    box: Box  # the slide's chart (Slide.chart) is drawn here
    native: bool = False
    dpi: int = 200


@record
class TableCell:
    lines: tuple[TextLine, ...]


@record
class TableShape:
    name: str
    box: Box
    column_widths: tuple[int, ...]
    row_heights: tuple[int, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    header: bool = True
    header_fill: str = "0F4C5C"
    header_text: str = "FFFFFF"
    band_fill: str | None = None  # every other body row
    body_fill: str | None = None  # the other body rows
    cell_insets: Insets = Insets(91440, 45720, 91440, 45720)


@record
class RectShape:
    """A plain filled rectangle: a scrim under text on a photo, a card behind a number."""

    name: str
    box: Box
    fill: str
    alpha: float = 1.0  # opacity 0–1


@record
class QRShape:
    """A QR code for a URL, drawn square at its box."""

    name: str
    box: Box
    data: str
    alt: str


@record
class AutoShape:
    """A preset shape (rounded box, ellipse …) with text of its own: a node of a diagram, drawn in a group."""

    name: str
    box: Box
    geometry: str  # DrawingML preset: rect | roundRect | ellipse …
    fill: str | None  # hex; None: no fill
    lines: tuple[TextLine, ...] = ()
    outline: str | None = None  # hex; None: no line
    outline_pt: float = 0.0
    alpha: float = 1.0  # fill opacity 0–1
    insets: Insets = Insets()
    anchor: str = "ctr"  # t | ctr | b
    font: str = "body"  # body | heading: the theme font its text is set in
    vertical: bool = False  # text read bottom to top (an axis label beside a matrix)
    measured_height: float = 0.0  # points the text needs, as measured
    font_family: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@record
class ConnectorShape:
    """A straight line between two points, with arrowheads where it points; `start_on`/`end_on` name the
    sibling (index in its group) and connection site it is glued to, so the line follows when a node moves."""

    name: str
    start: tuple[int, int]  # EMU
    end: tuple[int, int]
    color: str
    width_pt: float = 2.0
    head: bool = False  # an arrowhead at the start
    tail: bool = True  # an arrowhead at the end
    start_on: tuple[int, int] | None = None  # (sibling index, connection site)
    end_on: tuple[int, int] | None = None

    @property
    def box(self) -> Box:
        (x1, y1), (x2, y2) = self.start, self.end
        return Box(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))


@record
class IconShape:
    """An icon drawn as one native shape (custom geometry), its strokes in `color`, `line_pt` wide; square."""

    name: str
    box: Box
    icon: Icon
    color: str  # hex, a colour of the deck's theme
    line_pt: float  # the stroke width as drawn at this size

    @property
    def alt(self) -> str:
        return self.icon.describe()


@record
class GroupShape:
    """Shapes that move together — a diagram — with one alt text generated from what they say."""

    name: str
    box: Box
    children: tuple[AutoShape | ConnectorShape | IconShape, ...]
    alt: str
    # Revealed on click: the children (by index) each click shows; empty: drawn as one group from the start.
    # PowerPoint animates a group only as a whole, so a revealed diagram is written as its shapes, ungrouped.
    reveal: tuple[tuple[int, ...], ...] = ()

    def texts(self) -> tuple[AutoShape, ...]:
        return tuple(c for c in self.children if isinstance(c, AutoShape) and c.lines)


Shape = TextShape | PictureShape | ChartShape | TableShape | RectShape | QRShape | GroupShape | IconShape


def reveal_groups(shape: Shape) -> list[tuple[int, int]]:
    """The paragraph ranges (first, last) a reveal shows one per click: each top-level bullet of a body with
    its sub-bullets. Lines without a bullet (a badge, a heading) are there from the start."""
    if not isinstance(shape, TextShape) or shape.role not in ("body", "body2"):
        return []
    groups: list[tuple[int, int]] = []
    for index, line in enumerate(shape.lines):
        if line.level == 0 and line.bullet != "none":
            groups.append((index, index))
        elif line.level > 0 and groups and groups[-1][1] == index - 1:
            groups[-1] = (groups[-1][0], index)
    return groups


def text_box(box: Box, geometry: str) -> Box:
    """Where a preset shape sets its text (its text rectangle in DrawingML's preset definitions): an ellipse
    within its inscribed rectangle, a rounded rectangle inside its corners (the default 16.667 % radius)."""
    if geometry == "ellipse":
        dx, dy = int(box.cx * (1 - math.sqrt(0.5)) / 2), int(box.cy * (1 - math.sqrt(0.5)) / 2)
    elif geometry == "roundRect":
        dx = dy = int(0.29289 * 0.16667 * min(box.cx, box.cy))
    else:
        return box
    return Box(box.x + dx, box.y + dy, box.cx - 2 * dx, box.cy - 2 * dy)
