"""Compile layer: the diagram slide kind — an idea drawn as native, editable shapes (one registered kind).

`kind: diagram` with `type:` continuum, process, cycle, funnel, overlap, matrix, timeline or cards. The outline
part (keys and their checks) reads a `DiagramSpec`; the builder resolves its text into a `Diagram` record; the
placer draws it as one group of preset shapes and connectors inside the layout's free content area, in the
deck's colours and theme fonts, every text measured to fit, with alt text generated from what it says.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lecturegen.compile.icons import icon_colour, icon_in_node, icon_shape, insets_for_icon, node_room, text_height
from lecturegen.compile.kinds.base import Kind, KindContext, Placement
from lecturegen.compile.measure import TextBlock, block_height, words_of
from lecturegen.diagnostics import Location, did_you_mean, quote_choices
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box, Insets, pt
from lecturegen.model.icons import Icon
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape, IconShape, Shape, TextLine
from lecturegen.records import record
from lecturegen.sources.icons import field_icon
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields, type_name
from lecturegen.model.text import runs_text

INCH = EMU_PER_INCH
HARD_FLOOR_PT = 14.0  # as compile/layout.py: no text below what the back of a room can read
LARGEST_PT = 28.0  # labels of a diagram with few words grow to this, never past the theme's statement size
WRAP_SAFETY = 0.985  # as compile/layout.py: a line that just fits must fit in every renderer
NODE_INSETS = Insets(int(0.12 * INCH), int(0.08 * INCH), int(0.12 * INCH), int(0.08 * INCH))
LABEL_INSETS = Insets(int(0.05 * INCH), int(0.03 * INCH), int(0.05 * INCH), int(0.03 * INCH))


@record
class _Type:
    """What one diagram type reads: the key of its list and how many items it takes, its item keys, the one
    each item must have, and its other keys."""

    items: str | None
    least: int
    most: int
    item_keys: frozenset[str]
    required: str
    extra: frozenset[str] = frozenset()
    noun: str = "item"


TYPES: dict[str, _Type] = {
    "continuum": _Type(None, 0, 0, frozenset(), "", frozenset({"from", "to", "marker", "at"})),
    "process": _Type("steps", 2, 6, frozenset({"label", "detail", "icon"}), "label", noun="step"),
    "cycle": _Type("steps", 3, 6, frozenset({"label", "detail", "icon"}), "label", frozenset({"centre"}),
                   noun="step"),
    "funnel": _Type("stages", 2, 5, frozenset({"label", "value", "detail"}), "label", noun="stage"),
    "overlap": _Type("sets", 2, 3, frozenset({"label", "detail"}), "label", frozenset({"centre"}), noun="set"),
    "matrix": _Type("cells", 4, 4, frozenset({"label", "detail", "icon"}), "label", frozenset({"x_axis", "y_axis"}),
                    noun="cell"),
    "timeline": _Type("events", 2, 6, frozenset({"when", "label", "detail", "icon"}), "when", noun="event"),
    "cards": _Type("cards", 2, 3, frozenset({"heading", "bullets", "text", "icon"}), "heading", noun="card"),
}
_OWN = frozenset({"type", "caption"})
KEYS = _OWN | frozenset(t.items for t in TYPES.values() if t.items) | frozenset().union(
    *(t.extra for t in TYPES.values()))
MAX_CARD_BULLETS = 5


# -- what the outline declares --------------------------------------------------------------------------------

@record
class NodeSpec:
    """One item of a diagram as written: a step, stage, set, cell, event or card."""

    location: Location
    label: TextSpec | None = None  # a card's heading
    detail: TextSpec | None = None
    value: TextSpec | None = None  # a stage's value, an event's time
    bullets: tuple[TextSpec, ...] = ()  # a card's points
    icon: Icon | None = None  # looked up as the outline is read (`sources/icons.py`)


@record
class DiagramSpec:
    location: Location
    type: str
    nodes: tuple[NodeSpec, ...] = ()
    start: TextSpec | None = None  # a continuum's `from`
    end: TextSpec | None = None  # … and `to`
    marker: TextSpec | None = None
    at: float = 0.5  # where the marker stands, 0 (from) to 1 (to)
    centre: TextSpec | None = None
    x_axis: TextSpec | None = None
    y_axis: TextSpec | None = None
    caption: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        words = [self.start, self.end, self.marker, self.centre, self.x_axis, self.y_axis, self.caption]
        for node in self.nodes:
            words.extend((node.value, node.label, node.detail, *node.bullets))
        return tuple(w for w in words if w is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    """A diagram slide's own keys → DiagramSpec; every problem a located error with a hint."""
    ctx = fields.ctx
    type_node = fields.get_node("type")
    name = fields.str("type")
    if name is None:
        ctx.error(node, "a diagram slide needs a 'type'", "diagram.type",
                  hint=f"one of: {quote_choices(tuple(TYPES))}")
        return None
    rule = TYPES.get(name)
    if rule is None:
        ctx.error(type_node or node, f"unknown diagram type '{name}'", "diagram.type",
                  hint=did_you_mean(name, tuple(TYPES)) or f"expected one of: {quote_choices(tuple(TYPES))}")
        return None
    takes = ({rule.items} if rule.items else set()) | set(rule.extra) | set(_OWN)
    for key in sorted(KEYS - takes):
        if fields.has(key):
            ctx.error(fields.keys[key], f"'{key}' does not apply to a {name} diagram", "diagram.key",
                      hint=f"a {name} diagram takes: {quote_choices(tuple(sorted(takes - {'type'})))}")
    spec = DiagramSpec(fields.loc(), name, caption=_text(fields, "caption"), centre=_text(fields, "centre"),
                       x_axis=_text(fields, "x_axis"), y_axis=_text(fields, "y_axis"))
    if name == "continuum":
        for key in ("from", "to"):
            if not fields.has(key):
                ctx.error(node, f"a continuum diagram needs '{key}'", "diagram.missing",
                          hint="write 'from:' and 'to:' (the two ends) and, if you like, 'marker:' and 'at:' (0–1)")
        at = fields.number("at", default=0.5, minimum=0, maximum=1)
        return replace(spec, start=_text(fields, "from"), end=_text(fields, "to"), marker=_text(fields, "marker"),
                       at=float(at if at is not None else 0.5))
    assert rule.items is not None
    items = fields.get_node(rule.items)
    if items is None:
        ctx.error(node, f"a {name} diagram needs '{rule.items}'", "diagram.missing",
                  hint=f"list {_count(rule)} {rule.noun}s under '{rule.items}:'")
        return None
    if not isinstance(items, SequenceNode):
        ctx.error(items, f"'{rule.items}' must be a list, got {type_name(items)}", "yaml.type",
                  hint=f"write each {rule.noun} on its own line starting with '- '")
        return None
    count = len(items.value)
    if count < rule.least or count > rule.most:
        few = count < rule.least
        ctx.error(items, f"a {name} diagram takes {'at least' if few else 'at most'} "
                  f"{rule.least if few else rule.most} {rule.noun}s, got {count}", "diagram.count",
                  hint=f"add {rule.noun}s" if few else "split it over two slides, or merge some "
                  f"{rule.noun}s" if rule.most > 1 else None)
        if not few:
            return None
    nodes = tuple(n for n in (_node(item, fields, rule) for item in items.value) if n is not None)
    return replace(spec, nodes=nodes)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _count(rule: _Type) -> str:
    return f"{rule.least}" if rule.least == rule.most else f"{rule.least}–{rule.most}"


def _text(fields: Fields, key: str) -> TextSpec | None:
    node = fields.get_node(key)
    if node is None:
        return None
    if not isinstance(node, ScalarNode):
        fields.ctx.error(node, f"'{key}' must be text, got {type_name(node)}", "yaml.type")
        return None
    value = str(node.value).strip()
    return TextSpec(value, fields.ctx.loc(node)) if value and node.tag != "tag:yaml.org,2002:null" else None


def _node(item: Node, fields: Fields, rule: _Type) -> NodeSpec | None:
    ctx = fields.ctx
    at = ctx.loc(item)
    if isinstance(item, ScalarNode):
        if rule.required != "label" and rule.required != "heading":
            ctx.error(item, f"each {rule.noun} needs '{rule.required}' and 'label'", "diagram.item",
                      hint=f"write '- {{{rule.required}: …, label: …}}'")
            return None
        written = str(item.value).strip()
        if not written:
            ctx.error(item, f"{_a(rule.noun)} may not be empty", "diagram.item")
            return None
        return NodeSpec(at, label=TextSpec(written, at))
    if not isinstance(item, MappingNode):
        ctx.error(item, f"each {rule.noun} must be text or a mapping, got {type_name(item)}", "diagram.item")
        return None
    own = Fields(item, ctx, rule.item_keys, rule.noun)
    if not own.ok:
        return None
    if not own.has(rule.required):
        ctx.error(item, f"{_a(rule.noun)} needs '{rule.required}'", "diagram.item",
                  hint=f"its keys: {quote_choices(tuple(sorted(rule.item_keys)))}")
        return None
    bullets = tuple(TextSpec(v, ctx.loc(n)) for v, n in own.str_list("bullets"))
    if len(bullets) > MAX_CARD_BULLETS:
        ctx.error(own.get_node("bullets") or item, f"a card takes at most {MAX_CARD_BULLETS} points, got "
                  f"{len(bullets)}", "diagram.count", hint="keep cards to a few words each; the detail goes in the notes")
    label = _text(own, "heading") or _text(own, "label")
    value = _text(own, "value") or _text(own, "when")
    detail = _text(own, "detail") or _text(own, "text")
    if rule.required == "when" and label is None:
        ctx.error(item, "an event needs a 'label' as well as 'when'", "diagram.item")
    return NodeSpec(at, label=label, detail=detail, value=value, bullets=bullets[:MAX_CARD_BULLETS],
                    icon=field_icon(own))


# -- the record on the slide --------------------------------------------------------------------------------

Runs = tuple[Run, ...]
_NUMBERS = dict(enumerate(("no", "one", "two", "three", "four", "five", "six", "seven")))


@record
class DiagramNode:
    label: Runs = ()
    detail: Runs = ()
    value: Runs = ()
    bullets: tuple[Runs, ...] = ()
    icon: Icon | None = None


@record
class Diagram:
    """A diagram with its text resolved (citations, templates): what the placer draws."""

    type: str
    nodes: tuple[DiagramNode, ...] = ()
    start: Runs = ()
    end: Runs = ()
    marker: Runs = ()
    at: float = 0.5
    centre: Runs = ()
    x_axis: Runs = ()
    y_axis: Runs = ()

    def texts(self) -> tuple[Runs, ...]:
        out: list[Runs] = [r for r in (self.start, self.end, self.marker, self.y_axis, self.x_axis) if r]
        for node in self.nodes:
            out.extend(r for r in (node.value, node.label, node.detail, *node.bullets) if r)
        if self.centre:
            out.append(self.centre)
        return tuple(out)

    def describe(self) -> str:
        return self.alt()

    def alt(self) -> str:
        """Alt text from what the diagram says, as one would describe it to someone who cannot see it."""
        def say(runs: Runs) -> str:
            return runs_text(runs).replace("\n", " ").strip()

        def item(node: DiagramNode) -> str:
            text = " ".join(p for p in (say(node.value), say(node.label)) if p)
            extra = "; ".join(say(b) for b in node.bullets) or say(node.detail)
            return f"{text} ({extra})" if extra else text

        items = [item(n) for n in self.nodes]
        count = len(items)
        if self.type == "continuum":
            text = f"A continuum from {say(self.start)} to {say(self.end)}"
            if self.marker:
                text += f", marked about {round(self.at * 100)} % of the way along: {say(self.marker)}"
            return text + "."
        if self.type == "process":
            return f"A process in {_NUMBERS[count]} steps: " + "; ".join(f"{i}. {t}" for i, t in enumerate(items, 1)) + "."
        if self.type == "cycle":
            text = f"A cycle of {_NUMBERS[count]} steps: " + " → ".join(items) + f" → back to {items[0] if items else ''}"
            return text + (f"; at its centre: {say(self.centre)}." if self.centre else ".")
        if self.type == "funnel":
            return "A funnel narrowing from " + " to ".join(items) + "."
        if self.type == "overlap":
            text = f"{_NUMBERS[count].capitalize()} overlapping circles: " + "; ".join(items)
            return text + (f"; where they overlap: {say(self.centre)}." if self.centre else ".")
        if self.type == "matrix":
            places = ("top left", "top right", "bottom left", "bottom right")
            axes = "".join(f", {what} {say(r)}" for what, r in (("across:", self.x_axis), ("up:", self.y_axis)) if r)
            return f"A two-by-two matrix{axes}: " + "; ".join(f"{p}, {t}" for p, t in zip(places, items)) + "."
        if self.type == "timeline":
            return "A timeline: " + "; ".join(items) + "."
        return f"{_NUMBERS[count].capitalize()} cards side by side: " + "; ".join(items) + "."


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, DiagramSpec)
    text = ctx.text

    def runs(value: TextSpec | None) -> Runs:
        return text.runs(value) if value is not None else ()

    nodes = tuple(DiagramNode(label=runs(n.label), detail=runs(n.detail), value=runs(n.value),
                              bullets=tuple(runs(b) for b in n.bullets), icon=n.icon) for n in spec.nodes)
    diagram = Diagram(spec.type, nodes, runs(spec.start), runs(spec.end), runs(spec.marker), spec.at,
                      runs(spec.centre), runs(spec.x_axis), runs(spec.y_axis))
    return replace(slide, content=diagram, caption=runs(spec.caption))


# -- placing it -----------------------------------------------------------------------------------------------

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


# A text to set: the box it goes in, and its lines at a given size.
_Setter = Callable[[float], tuple[TextLine, ...]]


class _Drawing:
    """Shapes of one diagram as they are made: text fitted at one size for all its nodes."""

    def __init__(self, lent: Placement, slide: Slide):
        self.lent = lent
        self.slide = slide
        c = lent.style.colors
        self.colours = _Colours(c["text"], c["background"], c["accent"], c["accent2"], c["muted"])
        self.children: list[AutoShape | ConnectorShape | IconShape] = []
        # The click on which each child appears when the slide is revealed (0: there from the start); the
        # placers set `step` before drawing an element.
        self.steps: list[int] = []
        self.step = 0
        self.texts: list[tuple[int, Box, Insets, _Setter, bool]] = []  # child index, box, insets, setter, heading
        # Run once the text is set: a diagram whose boxes may shrink to their text (cards) does it here.
        self.settle: Callable[[_Drawing], None] | None = None
        # Icons in nodes: (node index, icon index, side, where, the node's insets before the icon's room).
        self.icons: list[tuple[int, int, int, str, Insets]] = []

    def shape(self, name: str, box: Box, geometry: str, fill: str | None, setter: _Setter | None = None,
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

    def fit(self, largest: float) -> list[Shape]:
        """Every text at the largest size (≤ `largest`) at which all of them fit their shapes; the group."""
        floor = min(self.lent.size("min_body"), largest)
        size = largest
        while True:
            fits = all(self._fits(setter(size), box, insets, heading, self._vertical(i), self._geometry(i))
                       for i, box, insets, setter, heading in self.texts)
            if fits or size - 1 < HARD_FLOOR_PT - 1e-9:
                break
            size -= 1
        title = runs_text(self.slide.title)[:60]
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
        diagram = self.slide.content
        assert isinstance(diagram, Diagram)
        reveal: tuple[tuple[int, ...], ...] = ()
        if self.slide.reveal != "none":
            reveal = tuple(tuple(i for i, step in enumerate(self.steps) if step == click)
                           for click in range(1, max(self.steps, default=0) + 1))
        group = GroupShape(f"Diagram: {diagram.type}", Box(left, top, right - left, bottom - top),
                           tuple(self.children), diagram.alt(), tuple(r for r in reveal if r))
        return [group]


def _lines(label: Runs, detail: Runs, colour: str, align: str = "ctr", bold: bool = True,
           value: Runs = ()) -> _Setter:
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


def place(slide: Slide, area: Box, lent: Placement) -> list[Shape]:
    diagram = slide.content
    assert isinstance(diagram, Diagram)
    drawing = _Drawing(lent, slide)
    largest = min(LARGEST_PT, lent.size("statement"))
    PLACERS[diagram.type](drawing, diagram, area)
    return drawing.fit(largest)


def _optical(area: Box, height: int) -> int:
    """The top of something `height` tall set optically centred in the area: a little above the middle."""
    return area.y + max(0, int((area.cy - height) * 0.42))


def _process(d: _Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    # Room for an arrow that reads from the back of a room: the direction is often the slide's point.
    gap = max(int(0.75 * INCH), area.cx // 16)
    width = (area.cx - (n - 1) * gap) // n
    height = min(int(area.cy * 0.62), max(int(width * 0.8), int(1.6 * INCH)), area.cy)
    top = _optical(area, height)
    c = d.colours
    fills = [c.shade(c.accent, 0.3 * i / max(1, n - 1)) for i in range(n)]
    ink = c.on_all(fills)
    indices = []
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        box = Box(area.x + i * (width + gap), top, width, height)
        indices.append(d.shape(f"Step {i + 1}", box, "roundRect", fills[i], _lines(node.label, node.detail, ink),
                               icon=node.icon, icon_ink=ink))
    mid = top + height // 2
    pad = int(0.06 * INCH)
    for i in range(n - 1):
        d.step = i + 2  # with the step it leads to
        x1 = area.x + i * (width + gap) + width
        d.line(f"Arrow {i + 1}", (x1 + pad, mid), (x1 + gap - pad, mid), c.muted, 4.0,
               start_on=(indices[i], 3), end_on=(indices[i + 1], 1))


def _edge(centre: tuple[float, float], half: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where a line from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    scale = min(half[0] / abs(dx) if dx else math.inf, half[1] / abs(dy) if dy else math.inf)
    return centre[0] + dx * scale, centre[1] + dy * scale


def _cycle(d: _Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    width = min(int(area.cx * 0.27), int(3.0 * INCH))
    height = min(int(area.cy * (0.26 if n <= 4 else 0.22)), int(width * 0.6))
    ry = (area.cy - height) / 2
    rx = min((area.cx - width) / 2, ry * 1.9)
    cx0, cy0 = area.x + area.cx / 2, area.y + area.cy / 2
    centres = [(cx0 + rx * math.cos(math.radians(-90 + 360 * i / n)),
                cy0 + ry * math.sin(math.radians(-90 + 360 * i / n))) for i in range(n)]
    fills = [c.accent if i % 2 == 0 else c.shade(c.accent, 0.25) for i in range(n)]
    ink = c.on_all(fills)
    for i, (node, (x, y)) in enumerate(zip(diagram.nodes, centres)):
        d.step = i + 1
        box = Box(int(x - width / 2), int(y - height / 2), width, height)
        d.shape(f"Step {i + 1}", box, "roundRect", fills[i], _lines(node.label, node.detail, ink), icon=node.icon,
                icon_ink=ink)
    half = (width / 2 + 0.08 * INCH, height / 2 + 0.08 * INCH)
    for i in range(n):
        d.step = min(i + 2, n)  # with the step it leads to; the arrow closing the cycle with the last
        a, b = centres[i], centres[(i + 1) % n]
        start, end = _edge(a, half, b), _edge(b, half, a)
        d.line(f"Arrow {i + 1}", (int(start[0]), int(start[1])), (int(end[0]), int(end[1])), c.muted, 2.5)
    d.step = 0
    if diagram.centre:
        cw = int(min(2 * rx - width * 1.1, 3.2 * INCH))
        ch = int(min(2 * ry - height * 1.2, 1.5 * INCH))
        if cw > INCH // 2 and ch > INCH // 3:
            box = Box(int(cx0 - cw / 2), int(cy0 - ch / 2), cw, ch)
            d.shape("Centre", box, "ellipse", c.tint(c.accent, 0.12),
                    _lines(diagram.centre, (), c.ink(c.text)), insets=LABEL_INSETS)


def _funnel(d: _Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    gap = int(0.1 * INCH)
    height = min((area.cy - (n - 1) * gap) // n, int(1.3 * INCH))
    total = n * height + (n - 1) * gap
    top = _optical(area, total)
    widest = min(area.cx, int(10 * INCH))
    narrowest = 0.5
    fills = [c.shade(c.accent, 0.35 * i / max(1, n - 1)) for i in range(n)]
    ink = c.on_all(fills)
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        share = 1 - (1 - narrowest) * i / max(1, n - 1)
        width = int(widest * share)
        fill = fills[i]
        box = Box(area.x + (area.cx - width) // 2, top + i * (height + gap), width, height)
        value = node.value + ((Run("\u2002"),) if node.value and node.label else ())
        d.shape(f"Stage {i + 1}", box, "roundRect", fill, _single(value, node.label, node.detail, ink))


def _single(value: Runs, label: Runs, detail: Runs, colour: str) -> _Setter:
    """A funnel stage: its value and label on one line (the value bold), its detail under them."""
    def make(size: float) -> tuple[TextLine, ...]:
        runs = tuple(replace(r, bold=True) for r in value) + label
        out = [TextLine(runs, size, bullet="none", align="ctr", color=colour)]
        if detail:
            out.append(TextLine(detail, max(HARD_FLOOR_PT, round(size * 0.72)), bullet="none", align="ctr",
                                color=colour))
        return tuple(out)
    return make


def _overlap(d: _Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    fills = (c.accent, c.accent2, c.shade(c.accent, 0.4))
    step = 0.62  # distance between centres, in diameters
    if n == 2:
        diameter = min(area.cy * 0.95, area.cx / (1 + step))
        top = _optical(area, int(diameter))
        cy0 = top + diameter / 2
        mid = area.x + area.cx / 2
        centres = [(mid - step * diameter / 2, cy0), (mid + step * diameter / 2, cy0)]
        outward = [(-1.0, 0.0), (1.0, 0.0)]
    else:
        diameter = min(area.cy / (1 + step * 0.866), area.cx / (1 + step))
        height = diameter * (1 + step * 0.866)
        top = _optical(area, int(height))
        mid = area.x + area.cx / 2
        row = top + diameter / 2
        side = step * diameter
        centres = [(mid - side / 2, row), (mid + side / 2, row), (mid, row + side * 0.866)]
        centroid = (mid, row + side * 0.866 / 3)
        outward = []
        for x, y in centres:
            length = math.hypot(x - centroid[0], y - centroid[1])
            outward.append(((x - centroid[0]) / length, (y - centroid[1]) / length))
    ground = [blend(c.background, f, 0.28) for f in fills]
    for i, (x, y) in enumerate(centres):
        d.step = i + 1
        box = Box(int(x - diameter / 2), int(y - diameter / 2), int(diameter), int(diameter))
        d.shape(f"Circle {i + 1}", box, "ellipse", fills[i], alpha=0.28, outline=fills[i], outline_pt=2.0)
    for i, (node, (x, y), (ox, oy)) in enumerate(zip(diagram.nodes, centres, outward)):
        d.step = i + 1
        width = diameter * (0.46 if n == 2 else 0.5)
        height = diameter * (0.5 if n == 2 else 0.3)
        shift = diameter * (0.2 if n == 2 else 0.2)
        lx, ly = x + ox * shift, y + oy * shift
        box = Box(int(lx - width / 2), int(ly - height / 2), int(width), int(height))
        colour = c.text if contrast_ratio(c.text, ground[i]) >= 4.5 else c.on(ground[i])
        d.shape(f"Label {i + 1}", box, "rect", None, _lines(node.label, node.detail, colour), insets=LABEL_INSETS)
    d.step = len(centres)  # what they share, once they all stand
    if diagram.centre:
        if n == 2:
            width, height = diameter * 0.3, diameter * 0.4
            cx0, cy0 = area.x + area.cx / 2, centres[0][1]
        else:
            width, height = diameter * 0.26, diameter * 0.18
            cx0, cy0 = centroid
        box = Box(int(cx0 - width / 2), int(cy0 - height / 2), int(width), int(height))
        d.shape("Overlap", box, "rect", None, _lines(diagram.centre, (), c.text), insets=LABEL_INSETS)


def _matrix(d: _Drawing, diagram: Diagram, area: Box) -> None:
    c = d.colours
    axis = int(0.8 * INCH)
    left = area.x + (axis if diagram.y_axis else 0)
    bottom = area.bottom - (axis if diagram.x_axis else 0)
    gap = int(0.12 * INCH)
    grid = Box(left, area.y, area.right - left, bottom - area.y - (gap if diagram.x_axis else 0))
    width, height = (grid.cx - gap) // 2, (grid.cy - gap) // 2
    fills = (c.tint(c.accent, 0.14), c.accent, c.tint(c.accent2, 0.14), c.tint(c.accent, 0.14))
    for i, node in enumerate(diagram.nodes[:4]):
        d.step = i + 1
        row, col = divmod(i, 2)
        box = Box(grid.x + col * (width + gap), grid.y + row * (height + gap), width, height)
        d.shape(f"Cell {i + 1}", box, "roundRect", fills[i], _lines(node.label, node.detail, c.on(fills[i])),
                icon=node.icon, icon_ink=c.on(fills[i]))
    d.step = 0
    if diagram.x_axis:
        y = grid.bottom + gap + int(0.06 * INCH)
        d.line("Axis across", (grid.x, y), (grid.right, y), c.muted, 2.0)
        d.shape("Axis label across", Box(grid.x, y + int(0.04 * INCH), grid.cx, area.bottom - y - int(0.04 * INCH)),
                "rect", None, _lines(diagram.x_axis, (), c.ink(c.muted), bold=False), insets=LABEL_INSETS,
                anchor="t")
    if diagram.y_axis:
        x = grid.x - gap - int(0.06 * INCH)
        d.line("Axis up", (x, grid.bottom), (x, grid.y), c.muted, 2.0)
        d.shape("Axis label up", Box(area.x, grid.y, x - area.x - int(0.04 * INCH), grid.cy), "rect", None,
                _lines(diagram.y_axis, (), c.ink(c.muted), bold=False), insets=LABEL_INSETS, anchor="ctr",
                vertical=True)


def _timeline(d: _Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    slot = area.cx // n
    gap = int(0.12 * INCH)
    when_h = int(min(area.cy * 0.22, 1.0 * INCH))
    label_h = int(min(area.cy * 0.5, 2.4 * INCH))
    dot = int(0.26 * INCH)
    total = when_h + dot + label_h + 2 * gap
    top = _optical(area, total)
    axis_y = top + when_h + gap + dot // 2
    d.line("Time", (area.x, axis_y), (area.right, axis_y), c.muted, 3.0)
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        x = area.x + i * slot + slot // 2
        d.shape(f"Event {i + 1}", Box(x - dot // 2, axis_y - dot // 2, dot, dot), "ellipse", c.accent,
                outline=c.background, outline_pt=2.0)
        d.shape(f"When {i + 1}", Box(x - (slot - gap) // 2, top, slot - gap, when_h), "rect", None,
                _lines(node.value, (), c.ink(c.accent)), insets=LABEL_INSETS, anchor="b")
        d.shape(f"What {i + 1}", Box(x - (slot - gap) // 2, axis_y + dot // 2 + gap, slot - gap, label_h), "rect",
                None, _lines(node.label, node.detail, c.text, bold=False), insets=LABEL_INSETS, anchor="t", icon=node.icon)


def _cards(d: _Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    gap = int(0.3 * INCH)
    width = (area.cx - (n - 1) * gap) // n
    head_h = int(min(area.cy * 0.22, 1.1 * INCH))
    body_h = int(min(area.cy - head_h, max(area.cy * 0.6, 2.5 * INCH)))
    top = _optical(area, head_h + body_h)
    heads = (c.accent, c.accent2, c.shade(c.accent, 0.35))
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        x = area.x + i * (width + gap)
        fill = heads[i % 3]
        d.shape(f"Card {i + 1} heading", Box(x, top, width, head_h), "rect", fill,
                _lines(node.label, (), c.on(fill)), heading=True, icon=node.icon, icon_at="left", icon_ink=c.on(fill))
        body = c.tint(fill, 0.1)
        d.shape(f"Card {i + 1}", Box(x, top + head_h, width, body_h), "rect", body,
                _points(node.bullets, node.detail, c.on(body) if contrast_ratio(c.text, body) < 4.5 else c.text),
                anchor="t", outline=c.tint(fill, 0.35), outline_pt=1.0)

    def settle(drawing: _Drawing) -> None:
        """Cards as tall as their longest text needs (at least half the area), optically centred again."""
        bodies = [ch for ch in drawing.children if isinstance(ch, AutoShape) and not ch.name.endswith("heading")]
        needed = max(int(b.measured_height * 12700) + NODE_INSETS.top + NODE_INSETS.bottom for b in bodies)
        # A line's worth of room to spare: a viewer that wraps one word differently must not overflow the card.
        spare = int(max((line.size for b in bodies for line in b.lines), default=0.0) * 1.2 * 12700)
        height = min(body_h, max(int(needed * 1.15), needed + spare, area.cy // 2 - head_h))
        new_top = _optical(area, head_h + height)
        for index, child in enumerate(drawing.children):
            if isinstance(child, AutoShape):
                box = child.box
                cy = height if child in bodies else box.cy
                y = new_top + (head_h if child in bodies else 0)
                drawing.children[index] = replace(child, box=Box(box.x, y, box.cx, cy))

    d.settle = settle


def _points(bullets: tuple[Runs, ...], text: Runs, colour: str) -> _Setter:
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


def _continuum(d: _Drawing, diagram: Diagram, area: Box) -> None:
    c = d.colours
    inset = int(0.15 * INCH)
    label_h = int(min(area.cy * 0.28, 1.3 * INCH))
    marker_h = int(min(area.cy * 0.3, 1.4 * INCH)) if diagram.marker else 0
    dot = int(0.4 * INCH)
    total = marker_h + dot + label_h + int(0.3 * INCH)
    top = _optical(area, total)
    bar_y = top + marker_h + dot // 2 + int(0.1 * INCH)
    x0, x1 = area.x + inset, area.right - inset
    d.line("Continuum", (x0, bar_y), (x1, bar_y), c.accent, 6.0, head=True, tail=True)
    end_w = int(area.cx * 0.42)
    d.shape("From", Box(area.x, bar_y + dot // 2 + int(0.08 * INCH), end_w, label_h), "rect", None,
            _lines(diagram.start, (), c.ink(c.text), align="l"), insets=LABEL_INSETS, anchor="t")
    d.shape("To", Box(area.right - end_w, bar_y + dot // 2 + int(0.08 * INCH), end_w, label_h), "rect", None,
            _lines(diagram.end, (), c.ink(c.text), align="r"), insets=LABEL_INSETS, anchor="t")
    if diagram.marker:
        d.step = 1
        x = int(x0 + (x1 - x0) * diagram.at)
        d.shape("Marker", Box(x - dot // 2, bar_y - dot // 2, dot, dot), "ellipse", c.accent2, outline=c.background,
                outline_pt=2.5)
        width = int(area.cx * 0.5)
        left = min(max(area.x, x - width // 2), area.right - width)
        align = "ctr" if left == x - width // 2 else ("l" if left == area.x else "r")
        d.shape("Marker label", Box(left, top, width, marker_h), "rect", None,
                _lines(diagram.marker, (), c.ink(c.accent2), align=align), insets=LABEL_INSETS, anchor="b")


PLACERS: dict[str, Callable[[_Drawing, Diagram, Box], None]] = {
    "continuum": _continuum,
    "process": _process,
    "cycle": _cycle,
    "funnel": _funnel,
    "overlap": _overlap,
    "matrix": _matrix,
    "timeline": _timeline,
    "cards": _cards,
}

KIND = Kind(name="diagram", keys=KEYS, parse=parse, build=build, role="title-only", place=place,
            minimum_minutes=1.0)
