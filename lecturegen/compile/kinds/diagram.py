"""Compile layer: the diagram slide kind — an idea drawn as native, editable shapes (one registered kind).

`kind: diagram` with `type:` continuum, process, cycle, funnel, overlap, matrix, timeline or cards. The outline
part (keys and their checks) reads a `DiagramSpec`; the builder resolves its text into a `Diagram` record; the
placer draws it as one group of preset shapes and connectors inside the layout's free content area, in the
deck's colours and theme fonts, every text measured to fit, with alt text generated from what it says.
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# The drawing lives in helper modules; text_box and NODE_INSETS are imported from here by the tests and icons.
from lecturegen.compile.kinds._diagram_drawing import LARGEST_PT, NODE_INSETS, Drawing, text_box  # noqa: F401
from lecturegen.compile.kinds._diagram_types import PLACERS
from lecturegen.compile.kinds.base import Kind, KindContext, Placement
from lecturegen.diagnostics import Location, did_you_mean, quote_choices
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.icons import Icon
from lecturegen.model.shapes import Shape
from lecturegen.model.text import runs_text
from lecturegen.records import record
from lecturegen.sources.icons import field_icon
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields, type_name


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


# -- placing it (the drawing is in _diagram_drawing.py and _diagram_types.py) ---------------------------

def place(slide: Slide, area: Box, lent: Placement) -> list[Shape]:
    diagram = slide.content
    assert isinstance(diagram, Diagram)
    drawing = Drawing(lent, slide, diagram)
    largest = min(LARGEST_PT, lent.size("statement"))
    PLACERS[diagram.type](drawing, diagram, area)
    return drawing.fit(largest)


KIND = Kind(name="diagram", keys=KEYS, parse=parse, build=build, role="title-only", place=place,
            minimum_minutes=1.0)
