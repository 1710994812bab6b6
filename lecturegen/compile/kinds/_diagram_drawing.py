"""Compile layer: the diagram kind's drawing machinery — colours, text setters, shapes with text fitted at one size.

A helper of kinds/diagram.py (the leading underscore keeps the registry from taking it for a kind); the
per-type placers are in _diagram_types.py. Tested through tests/compile/kinds/test_diagram.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from lecturegen.compile.icons import icon_colour, icon_in_node, icon_shape, insets_for_icon, node_room, text_height
from lecturegen.compile.kinds.base import Placement
from lecturegen.compile.measure import TextBlock, block_height, words_of
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box, Insets, pt
from lecturegen.model.icons import Icon
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape, IconShape, Shape, TextLine, text_box
from lecturegen.model.text import runs_text
from lecturegen.records import record

if TYPE_CHECKING:  # the record is defined with the kind, which imports this module to draw it
    from lecturegen.compile.kinds.diagram import Diagram, Runs

INCH = EMU_PER_INCH
HARD_FLOOR_PT = 14.0  # as compile/layout.py: no text below what the back of a room can read
LARGEST_PT = 28.0  # labels of a diagram with few words grow to this, never past the theme's statement size
WRAP_SAFETY = 0.985  # as compile/layout.py: a line that just fits must fit in every renderer
NODE_INSETS = Insets(int(0.12 * INCH), int(0.08 * INCH), int(0.12 * INCH), int(0.08 * INCH))
LABEL_INSETS = Insets(int(0.05 * INCH), int(0.03 * INCH), int(0.05 * INCH), int(0.03 * INCH))


@record
class _Colours:
    text: str
    background: str
    accent: str
    accent2: str
    muted: str

    def on(self, fill: str) -> str:
        """A text colour that reads on a fill (WCAG AA where any can)."""
        return max((self.text, self.background, "FFFFFF", "000000"), key=lambda c: contrast_ratio(c, fill))

    def on_all(self, fills: list[str]) -> str:
        """One text colour for a row of fills (steps of one hue): the one whose worst contrast is best."""
        return max((self.text, self.background, "FFFFFF", "000000"),
                   key=lambda c: min(contrast_ratio(c, f) for f in fills))

    def tint(self, colour: str, share: float = 0.16) -> str:
        return blend(self.background, colour, share)

    def shade(self, colour: str, share: float) -> str:
        """The colour darkened (toward black): steps of one hue, never a muddy mix of two."""
        return blend(colour, "000000", share)

    def ink(self, preferred: str) -> str:
        """A colour for text on the slide's background: the preferred one if it reads, else the text colour."""
        return preferred if contrast_ratio(preferred, self.background) >= 4.5 else self.text


# A text to set: the box it goes in, and its lines at a given size.
Setter = Callable[[float], tuple[TextLine, ...]]


class Drawing:
    """Shapes of one diagram as they are made: text fitted at one size for all its nodes."""

    def __init__(self, lent: Placement, slide: Slide, diagram: Diagram):
        self.lent = lent
        self.slide = slide
        self.diagram = diagram
        c = lent.style.colors
        self.colours = _Colours(c["text"], c["background"], c["accent"], c["accent2"], c["muted"])
        self.children: list[AutoShape | ConnectorShape | IconShape] = []
        # The click on which each child appears when the slide is revealed (0: there from the start); the
        # placers set `step` before drawing an element.
        self.steps: list[int] = []
        self.step = 0
        self.texts: list[tuple[int, Box, Insets, Setter, bool]] = []  # child index, box, insets, setter, heading
        # Run once the text is set: a diagram whose boxes may shrink to their text (cards) does it here.
        self.settle: Callable[[Drawing], None] | None = None
        # Icons in nodes: (node index, icon index, side, where, the node's insets before the icon's room).
        self.icons: list[tuple[int, int, int, str, Insets]] = []

    def shape(self, name: str, box: Box, geometry: str, fill: str | None, setter: Setter | None = None,
              insets: Insets = NODE_INSETS, anchor: str = "ctr", outline: str | None = None, outline_pt: float = 0.0,
              alpha: float = 1.0, heading: bool = False, vertical: bool = False, icon: Icon | None = None,
              icon_at: str = "top", icon_ink: str | None = None) -> int:
        """A node; its icon, if any, in it (above its text, or before it with `icon_at="left"`), in `icon_ink`."""
        side = node_room(insets.inner(text_box(box, geometry)), icon_at) if icon is not None else 0
        own = insets
        if side:
            insets = insets_for_icon(insets, side, icon_at)
        elif icon is not None:
            self.lent.diags.warning(f"no room for the icon '{icon.name}' in {name.lower()}", "icon.room",
                                    self.slide.location, hint="use fewer items, or leave the icon out")
        self.children.append(AutoShape(name, box, geometry, fill, outline=outline, outline_pt=outline_pt, alpha=alpha,
                                       insets=insets, anchor=anchor, font="heading" if heading else "body",
                                       vertical=vertical))
        self.steps.append(self.step)
        index = len(self.children) - 1
        if setter is not None:
            self.texts.append((index, box, insets, setter, heading))
        if icon is not None and side:
            colour = icon_ink or icon_colour(self.lent.style, fill)
            self.children.append(icon_shape(icon, Box(box.x, box.y, side, side), colour, f"{name} icon"))
            self.steps.append(self.step)
            self.icons.append((index, index + 1, side, icon_at, own))
        return index

    def _place_icons(self) -> None:
        """Each node's icon where its text, now set, leaves it (after `settle` has moved the nodes)."""
        for node_index, icon_index, side, where, own in self.icons:
            node, icon = self.children[node_index], self.children[icon_index]
            assert isinstance(node, AutoShape) and isinstance(icon, IconShape)
            placed, insets, anchor = icon_in_node(icon, text_box(node.box, node.geometry), own, side, where,
                                                  node.anchor, text_height(node.measured_height))
            self.children[icon_index] = placed
            self.children[node_index] = replace(node, insets=insets, anchor=anchor)

    def line(self, name: str, start: tuple[int, int], end: tuple[int, int], colour: str, width: float = 2.0,
             head: bool = False, tail: bool = True, start_on: tuple[int, int] | None = None,
             end_on: tuple[int, int] | None = None) -> None:
        self.children.append(ConnectorShape(name, start, end, colour, width, head, tail, start_on, end_on))
        self.steps.append(self.step)

    # -- text -------------------------------------------------------------------------------------------------
    def _height(self, lines: tuple[TextLine, ...], width_pt: float, heading: bool) -> float:
        font = self.lent.font(heading)
        blocks = [TextBlock(words_of([(r.text, r.bold or line.bold) for r in line.runs]), line.size, font,
                            pt(max(line.margin, line.margin + line.indent)), line.space_before, line.line_spacing)
                  for line in lines]
        return block_height(blocks, width_pt)

    def _fits(self, lines: tuple[TextLine, ...], box: Box, insets: Insets, heading: bool, vertical: bool,
              geometry: str = "rect") -> bool:
        inner = insets.inner(text_box(box, geometry))
        width, height = (inner.height_pt, inner.width_pt) if vertical else (inner.width_pt, inner.height_pt)
        width *= WRAP_SAFETY
        font = self.lent.font(heading)
        for line in lines:
            room = width - pt(max(line.margin, line.margin + line.indent))
            for word, bold in words_of([(r.text, r.bold or line.bold) for r in line.runs]):
                if word != "\n" and font.width(word, line.size, bold) > room:
                    return False
        return self._height(lines, width, heading) <= height

    def _geometry(self, index: int) -> str:
        child = self.children[index]
        return child.geometry if isinstance(child, AutoShape) else "rect"

    def _vertical(self, index: int) -> bool:
        child = self.children[index]
        return isinstance(child, AutoShape) and child.vertical

    def _largest_fitting(self, largest: float) -> tuple[float, bool]:
        """The largest size (≤ `largest`, not below the hard floor) at which every text fits its shape."""
        size = largest
        while True:
            fits = all(self._fits(setter(size), box, insets, heading, self._vertical(i), self._geometry(i))
                       for i, box, insets, setter, heading in self.texts)
            if fits or size - 1 < HARD_FLOOR_PT - 1e-9:
                return size, fits
            size -= 1

    def _drop_icons(self) -> None:
        """Every node's icon left out and its room given back to the text: the diagram's words come first."""
        own = {node: insets for node, _, _, _, insets in self.icons}
        gone = {icon for _, icon, _, _, _ in self.icons}
        moved: dict[int, int] = {}
        children: list[AutoShape | ConnectorShape | IconShape] = []
        steps: list[int] = []
        for index, (child, step) in enumerate(zip(self.children, self.steps)):
            if index in gone:
                continue
            moved[index] = len(children)
            if isinstance(child, AutoShape) and index in own:
                child = replace(child, insets=own[index])
            children.append(child)
            steps.append(step)
        # Connectors name the siblings they are glued to by index.
        self.children = [replace(c, start_on=(moved[c.start_on[0]], c.start_on[1]) if c.start_on else None,
                                 end_on=(moved[c.end_on[0]], c.end_on[1]) if c.end_on else None)
                         if isinstance(c, ConnectorShape) else c for c in children]
        self.steps = steps
        self.texts = [(moved[i], box, own.get(i, insets), setter, heading) for i, box, insets, setter, heading in self.texts]
        self.icons = []

    def fit(self, largest: float) -> list[Shape]:
        """Every text at the largest size (≤ `largest`) at which all of them fit their shapes; the group. When the
        text cannot fit beside the nodes' icons, the icons are left out (with a warning) rather than the slide."""
        floor = min(self.lent.size("min_body"), largest)
        size, fits = self._largest_fitting(largest)
        title = runs_text(self.slide.title)[:60]
        if not fits and self.icons:
            self._drop_icons()
            size, fits = self._largest_fitting(largest)
            if fits:
                self.lent.diags.warning(f"diagram on slide '{title}' fits only without its icons; they are left out",
                                        "icon.room", self.slide.location, hint="use fewer items or shorter labels")
        if not fits:
            self.lent.diags.error(f"diagram on slide '{title}' does not fit its area even at {size:g} pt",
                                  "fit.overflow", self.slide.location,
                                  hint="shorten its labels (detail belongs in the notes) or use fewer items")
        elif size < floor - 1e-9:
            self.lent.diags.warning(f"diagram on slide '{title}' is set at {size:g} pt to fit, below the theme's "
                                    f"{floor:g} pt", "fit.overflow", self.slide.location,
                                    hint="shorten its labels or use fewer items")
        for index, box, insets, setter, heading in self.texts:
            lines = setter(size)
            child = self.children[index]
            assert isinstance(child, AutoShape)
            inner = insets.inner(text_box(box, child.geometry))
            width = (inner.height_pt if child.vertical else inner.width_pt) * WRAP_SAFETY
            self.children[index] = replace(child, lines=lines, measured_height=round(self._height(lines, width, heading), 2),
                                           font_family=self.lent.family(heading))
        if self.settle is not None:
            self.settle(self)
        self._place_icons()
        boxes = [c.box for c in self.children]
        left, top = min(b.x for b in boxes), min(b.y for b in boxes)
        right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
        diagram = self.diagram
        reveal: tuple[tuple[int, ...], ...] = ()
        if self.slide.reveal != "none":
            reveal = tuple(tuple(i for i, step in enumerate(self.steps) if step == click)
                           for click in range(1, max(self.steps, default=0) + 1))
        group = GroupShape(f"Diagram: {diagram.type}", Box(left, top, right - left, bottom - top),
                           tuple(self.children), diagram.alt(), tuple(r for r in reveal if r))
        return [group]


def node_text(label: Runs, detail: Runs, colour: str, align: str = "ctr", bold: bool = True,
           value: Runs = ()) -> Setter:
    """A node's text: its value and label (bold), its detail smaller under them."""
    def make(size: float) -> tuple[TextLine, ...]:
        out = []
        if value:
            out.append(TextLine(value, size, bullet="none", align=align, color=colour, bold=True))
        if label:
            out.append(TextLine(label, size, bullet="none", align=align, color=colour, bold=bold))
        if detail:
            small = max(HARD_FLOOR_PT, round(size * 0.72))
            out.append(TextLine(detail, small, bullet="none", align=align, color=colour, space_before=size * 0.2))
        return tuple(out)
    return make


def stage_text(value: Runs, label: Runs, detail: Runs, colour: str) -> Setter:
    """A funnel stage: its value and label on one line (the value bold), its detail under them."""
    def make(size: float) -> tuple[TextLine, ...]:
        runs = tuple(replace(r, bold=True) for r in value) + label
        out = [TextLine(runs, size, bullet="none", align="ctr", color=colour)]
        if detail:
            out.append(TextLine(detail, max(HARD_FLOOR_PT, round(size * 0.72)), bullet="none", align="ctr",
                                color=colour))
        return tuple(out)
    return make


def card_text(bullets: tuple[Runs, ...], text: Runs, colour: str) -> Setter:
    def make(size: float) -> tuple[TextLine, ...]:
        small = max(HARD_FLOOR_PT, round(size * 0.85))
        if not bullets:
            return (TextLine(text, small, bullet="none", color=colour),) if text else ()
        hang = int(small / 72 * INCH * 0.9)
        # The bullet is a character of the text and a tab to the hanging indent, not a list bullet: it is then
        # text like any other (blanked, recoloured and measured with it) in every renderer and checker.
        return tuple(TextLine((Run("•\t"),) + b, small, bullet="none", margin=hang, indent=-hang, tab=hang, color=colour,
                              space_before=small * 0.5 if i else 0) for i, b in enumerate(bullets))
    return make
