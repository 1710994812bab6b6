"""Compile tests: the diagram kind — outline checks, the record it builds, and shapes placed inside their area."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from lecturegen.compile.kinds.diagram import (
    KIND,
    TYPES,
    Diagram,
    DiagramNode,
    DiagramSpec,
    parse,
    place,
    text_box,
)
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape
from lecturegen.model.style import DeckStyle, FontFace, FontMetrics
from lecturegen.sources.outline import COMMON_KEYS
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml

AREA = Box(int(0.6 * EMU_PER_INCH), int(1.6 * EMU_PER_INCH), int(12.1 * EMU_PER_INCH), int(5.0 * EMU_PER_INCH))
COLOURS = {"background": "FAF8F5", "text": "1F2A30", "title": "0F4C5C", "accent": "0F766E", "accent2": "D97706",
           "muted": "5B6770", "link": "0F4C5C", "band": "0F4C5C", "band_text": "FFFFFF"}


class _Widths:
    """Half an em per character: a sans font, roughly."""

    line_height = 1.2

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return len(text) * size_pt * (0.55 if bold else 0.5)


class _Lent:
    """The layouter as a placer sees it, built in code."""

    def __init__(self) -> None:
        face = FontFace("Carlito", "Carlito", "exact")
        self.style = DeckStyle(COLOURS, ("0F766E",), face, face)
        self.diags = Diagnostics()

    def font(self, heading: bool = False) -> FontMetrics:
        return _Widths()

    def family(self, heading: bool = False) -> str:
        return "Carlito"

    def size(self, key: str) -> float:
        return {"min_body": 18.0, "statement": 80.0, "body": 26.0}[key]


def _spec(yaml_text: str) -> tuple[DiagramSpec | None, list[str]]:
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(yaml_text), "s.yaml", diags)
    assert node is not None
    fields = Fields(node, Ctx("s.yaml", diags), COMMON_KEYS | KIND.keys, "diagram slide")
    spec = parse(fields, node)
    assert spec is None or isinstance(spec, DiagramSpec)
    return spec, [d.render() for d in diags.items]


def _runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def _slide(diagram: Diagram) -> Slide:
    return Slide(kind="diagram", layout="title-only", title=_runs("A diagram"), content=diagram)


SAMPLES = {
    "continuum": Diagram("continuum", start=_runs("Surface"), end=_runs("Depth"), marker=_runs("Here"), at=0.8),
    "process": Diagram("process", tuple(DiagramNode(_runs(t)) for t in ("Safety", "Readiness", "Meeting", "Depth"))),
    "cycle": Diagram("cycle", tuple(DiagramNode(_runs(t)) for t in ("Trust", "Openness", "Change")),
                     centre=_runs("Us")),
    "funnel": Diagram("funnel", tuple(DiagramNode(_runs(t), value=_runs(v)) for v, t in
                                      (("36", "items"), ("16", "items"), ("6", "items")))),
    "overlap": Diagram("overlap", tuple(DiagramNode(_runs(t)) for t in ("Presence", "Openness", "Time")),
                       centre=_runs("Depth")),
    "matrix": Diagram("matrix", tuple(DiagramNode(_runs(t), detail=_runs("why")) for t in "ABCD"),
                      x_axis=_runs("Openness"), y_axis=_runs("Presence")),
    "timeline": Diagram("timeline", tuple(DiagramNode(_runs(t), value=_runs(y)) for y, t in
                                          (("1996", "Named"), ("2005", "Studied"), ("2018", "Measured")))),
    "cards": Diagram("cards", (DiagramNode(_runs("Alliance"), bullets=(_runs("Goals"), _runs("Tasks"))),
                               DiagramNode(_runs("Depth"), detail=_runs("Moments of meeting")))),
}


def test_every_type_has_a_sample() -> None:
    assert set(SAMPLES) == set(TYPES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_type_is_one_group_of_native_shapes_inside_the_area(name: str) -> None:
    lent = _Lent()
    diagram = SAMPLES[name]
    shapes = place(_slide(diagram), AREA, lent)
    assert lent.diags.items == []
    assert len(shapes) == 1 and isinstance(shapes[0], GroupShape)
    group = shapes[0]
    assert group.box.inside(AREA, tolerance=int(0.02 * EMU_PER_INCH)), (group.box, AREA)
    for child in group.children:
        assert child.box.inside(AREA, tolerance=int(0.02 * EMU_PER_INCH)), child
    words = " ".join(c.text for c in group.texts())
    for runs in diagram.texts():
        assert "".join(r.text for r in runs) in words
    sizes = {line.size for c in group.texts() for line in c.lines}
    assert min(sizes) >= 14
    for child in group.texts():
        inner = child.insets.inner(text_box(child.box, child.geometry))
        room = inner.width_pt if child.vertical else inner.height_pt
        assert child.measured_height <= room + 0.5, child.name
    assert group.alt and group.alt == diagram.alt()


def test_process_arrows_are_glued_to_the_steps_they_join() -> None:
    group = place(_slide(SAMPLES["process"]), AREA, _Lent())[0]
    assert isinstance(group, GroupShape)
    arrows = [c for c in group.children if isinstance(c, ConnectorShape)]
    steps = [i for i, c in enumerate(group.children) if isinstance(c, AutoShape)]
    assert len(arrows) == 3
    assert [(a.start_on, a.end_on) for a in arrows] == [((steps[i], 3), (steps[i + 1], 1)) for i in range(3)]


def test_few_words_are_set_large() -> None:
    group = place(_slide(SAMPLES["process"]), AREA, _Lent())[0]
    assert isinstance(group, GroupShape)
    assert {line.size for c in group.texts() for line in c.lines} == {28.0}


def test_text_that_cannot_fit_is_a_located_error() -> None:
    long = "word " * 80
    lent = _Lent()
    place(_slide(Diagram("process", tuple(DiagramNode(_runs(long)) for _ in range(6)))), AREA, lent)
    assert [d.code for d in lent.diags.errors] == ["fit.overflow"]


def test_alt_text_says_what_the_diagram_says() -> None:
    assert SAMPLES["process"].alt() == "A process in four steps: 1. Safety; 2. Readiness; 3. Meeting; 4. Depth."
    assert SAMPLES["continuum"].alt() == "A continuum from Surface to Depth, marked about 80 % of the way along: Here."
    assert SAMPLES["funnel"].alt() == "A funnel narrowing from 36 items to 16 items to 6 items."


def test_a_process_reads_steps_with_optional_detail() -> None:
    spec, problems = _spec("""\
        kind: diagram
        type: process
        steps:
          - Safety
          - {label: Readiness, detail: both willing}
        caption: After a study.
        """)
    assert problems == []
    assert spec is not None and [n.label.text for n in spec.nodes if n.label] == ["Safety", "Readiness"]
    assert spec.nodes[1].detail is not None and spec.nodes[1].detail.text == "both willing"
    assert spec.caption is not None


def test_unknown_type_is_located_with_a_suggestion() -> None:
    spec, problems = _spec("kind: diagram\ntype: proces\nsteps: [a, b]\n")
    assert spec is None
    assert problems == ["s.yaml:2:7: error: unknown diagram type 'proces' (did you mean 'process'?) [diagram.type]"]


def test_missing_steps_say_what_to_write() -> None:
    spec, problems = _spec("kind: diagram\ntype: cycle\n")
    assert spec is None
    assert problems == ["s.yaml:1:1: error: a cycle diagram needs 'steps' (list 3–6 steps under 'steps:') "
                        "[diagram.missing]"]


def test_too_many_items_are_located_at_the_list() -> None:
    spec, problems = _spec("kind: diagram\ntype: cards\ncards:\n" + "".join(f"  - heading: c{i}\n" for i in range(4)))
    assert spec is None
    assert problems == ["s.yaml:4:3: error: a cards diagram takes at most 3 cards, got 4 (split it over two slides, "
                        "or merge some cards) [diagram.count]"]


def test_a_key_of_another_type_is_refused() -> None:
    _, problems = _spec("kind: diagram\ntype: process\nsteps: [a, b]\nstages: [c, d]\n")
    assert problems == ["s.yaml:4:1: error: 'stages' does not apply to a process diagram (a process diagram takes: "
                        "'caption', 'steps') [diagram.key]"]


def test_a_continuum_needs_both_ends_and_a_marker_between_them() -> None:
    _, problems = _spec("kind: diagram\ntype: continuum\nfrom: a\nat: 1.5\n")
    assert any("a continuum diagram needs 'to'" in p for p in problems)
    assert any("'at'" in p and "1.5" in p for p in problems), problems


def test_an_event_needs_its_time() -> None:
    _, problems = _spec("kind: diagram\ntype: timeline\nevents:\n  - {label: a}\n  - {when: 2005, label: b}\n")
    assert problems == ["s.yaml:4:5: error: an event needs 'when' (its keys: 'detail', 'icon', 'label', 'when') "
                        "[diagram.item]"]


def test_text_is_measured_inside_the_text_rectangle_of_its_shape() -> None:
    box = Box(0, 0, 1000, 1000)
    assert text_box(box, "rect") == box
    assert text_box(box, "ellipse") == Box(146, 146, 708, 708)
    assert text_box(box, "roundRect") == Box(48, 48, 904, 904)


def test_a_revealed_diagram_shows_one_element_a_click() -> None:
    slide = replace(_slide(SAMPLES["process"]), reveal="fade")
    group = place(slide, AREA, _Lent())[0]
    assert isinstance(group, GroupShape)
    names = [[group.children[i].name for i in step] for step in group.reveal]
    assert names == [["Step 1"], ["Step 2", "Arrow 1"], ["Step 3", "Arrow 2"], ["Step 4", "Arrow 3"]]
    still = place(_slide(SAMPLES["process"]), AREA, _Lent())[0]
    assert isinstance(still, GroupShape) and still.reveal == ()


def test_what_frames_a_diagram_is_there_from_the_start() -> None:
    slide = replace(_slide(SAMPLES["matrix"]), reveal="bullets")
    group = place(slide, AREA, _Lent())[0]
    assert isinstance(group, GroupShape) and len(group.reveal) == 4
    shown = {i for step in group.reveal for i in step}
    assert {group.children[i].name for i in range(len(group.children)) if i not in shown} == {
        "Axis across", "Axis label across", "Axis up", "Axis label up"}


def test_steps_that_fit_only_without_their_icons_lose_the_icons_not_the_slide() -> None:
    from lecturegen.model.shapes import IconShape
    from lecturegen.sources.icons import load_icon

    short = Box(AREA.x, AREA.y, AREA.cx, int(2.0 * EMU_PER_INCH))  # an area the steps fill only without icons
    steps = tuple(DiagramNode(_runs("Step"), detail=_runs("word " * 6), icon=load_icon("sprout")) for _ in range(4))
    diagram = Diagram("process", steps)
    lent = _Lent()
    group = place(_slide(diagram), short, lent)[0]
    assert isinstance(group, GroupShape)
    assert [d.code for d in lent.diags.items] == ["icon.room"] and not lent.diags.errors
    assert not any(isinstance(c, IconShape) for c in group.children)
    steps = [i for i, c in enumerate(group.children) if isinstance(c, AutoShape)]
    arrows = [c for c in group.children if isinstance(c, ConnectorShape)]
    assert [(a.start_on, a.end_on) for a in arrows] == [((steps[i], 3), (steps[i + 1], 1)) for i in range(3)]
    for child in group.texts():
        inner = child.insets.inner(text_box(child.box, child.geometry))
        assert child.measured_height <= inner.height_pt + 0.5, child.name
