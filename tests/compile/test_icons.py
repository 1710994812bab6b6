"""Compile tests: where icons stand (statements, bullet lists, diagram nodes and cards) and the credit line."""

from __future__ import annotations

import textwrap

from lecturegen.compile.icons import icon_above, icon_beside, icon_colour, icon_credits, icon_shape, icons_used
from lecturegen.compile.kinds import diagram as diagram_kind
from lecturegen.compile.kinds import statement as statement_kind
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Deck, Paragraph, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.shapes import AutoShape, GroupShape, IconShape, Shape, TextLine, TextShape
from lecturegen.sources.icons import load_icon
from lecturegen.sources.outline import COMMON_KEYS
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml
from tests.compile.kinds.test_diagram import AREA, _Lent, _runs, _slide

INCH = EMU_PER_INCH


class _Placement(_Lent):
    """The diagram tests' layouter, with the centred body a statement asks for (here: one text over the area)."""

    def centred_body(self, slide: Slide, paragraphs: tuple[Paragraph, ...], what: str) -> list[Shape]:
        return [_text(AREA)]


def _text(box: Box) -> TextShape:
    return TextShape("Content", "body", box, (TextLine((Run("8 of 8"),), 60.0),))


def test_an_icons_stroke_scales_with_its_size_and_it_stays_square() -> None:
    shape = icon_shape(load_icon("heart"), Box(0, 0, 2 * INCH, INCH), "0F766E")
    assert shape.box == Box(INCH // 2, 0, INCH, INCH)
    assert shape.line_pt == 6.0  # 2 of 24 units at 72 pt
    assert shape.alt == "Icon: heart"


def test_the_colour_stands_out_from_the_ground() -> None:
    lent = _Lent()
    assert icon_colour(lent.style) == "0F766E"  # the accent on the light background
    assert icon_colour(lent.style, ground="0F766E") != "0F766E"


def test_a_statements_icon_stands_above_it_and_both_are_centred_together() -> None:
    area = Box(INCH, INCH, 10 * INCH, 5 * INCH)
    text = _text(Box(INCH, 3 * INCH, 10 * INCH, INCH))
    shapes, placed = icon_above([text], area, load_icon("heart"), "0F766E")
    assert placed
    moved, icon = shapes
    assert isinstance(moved, TextShape) and isinstance(icon, IconShape)
    assert icon.box.bottom < moved.box.y and icon.box.y >= area.y and moved.box.bottom <= area.bottom
    assert icon.box.x + icon.box.cx // 2 == moved.box.x + moved.box.cx // 2
    full = _text(Box(INCH, INCH, 10 * INCH, 5 * INCH))
    assert icon_above([full], area, load_icon("heart"), "0F766E") == ([full], False)  # no room: text untouched


def test_a_statement_reads_its_icon_and_warns_when_there_is_no_room() -> None:
    diags = Diagnostics()
    node = compose_yaml("kind: statement\nstatement: 8 of 8\nicon: heart\n", "s.yaml", diags)
    assert node is not None
    spec = statement_kind.parse(Fields(node, Ctx("s.yaml", diags), COMMON_KEYS | statement_kind.KIND.keys,
                                       "statement slide"), node)
    assert isinstance(spec, statement_kind.StatementSpec) and spec.icon is not None and diags.items == []

    lent = _Placement()
    slide = Slide(kind="statement", layout="content", title=_runs("A claim"),
                  content=statement_kind.Statement(_runs("8 of 8"), icon=spec.icon))
    shapes = statement_kind.place(slide, AREA, lent)
    assert shapes == [_text(AREA)]
    assert [d.code for d in lent.diags.items] == ["icon.room"]


def test_a_bullet_lists_icon_takes_the_right_of_its_box() -> None:
    box = Box(INCH, INCH, 11 * INCH, 5 * INCH)
    text_box, icon = icon_beside(box, load_icon("eye"), "0F766E", gap=INCH // 4)
    assert text_box.x == box.x and text_box.right == icon.box.x - INCH // 4
    assert icon.box.right == box.right and box.y <= icon.box.y and icon.box.bottom <= box.bottom


def _diagram(yaml_text: str) -> diagram_kind.DiagramSpec:
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(yaml_text), "s.yaml", diags)
    assert node is not None
    spec = diagram_kind.parse(Fields(node, Ctx("s.yaml", diags), COMMON_KEYS | diagram_kind.KIND.keys, "diagram"),
                              node)
    assert diags.items == [] and isinstance(spec, diagram_kind.DiagramSpec)
    return spec


def _placed(diagram: diagram_kind.Diagram) -> GroupShape:
    lent = _Placement()
    group = diagram_kind.place(_slide(diagram), AREA, lent)[0]
    assert lent.diags.items == [] and isinstance(group, GroupShape)
    return group


def test_a_step_icon_stands_above_its_label_inside_its_node() -> None:
    spec = _diagram("""\
        kind: diagram
        type: process
        steps:
          - {label: Readiness, detail: reached just before, icon: hourglass}
          - {label: Depth, icon: heart-handshake}
          - Change
        """)
    assert [n.icon.name if n.icon else None for n in spec.nodes] == ["hourglass", "heart-handshake", None]
    nodes = (diagram_kind.DiagramNode(_runs("Readiness"), _runs("reached just before"), icon=spec.nodes[0].icon),
             diagram_kind.DiagramNode(_runs("Depth"), icon=spec.nodes[1].icon),
             diagram_kind.DiagramNode(_runs("Change")))
    group = _placed(diagram_kind.Diagram("process", nodes))
    steps = [c for c in group.children if isinstance(c, AutoShape)]
    icons = [c for c in group.children if isinstance(c, IconShape)]
    assert [i.icon.name for i in icons] == ["hourglass", "heart-handshake"]
    for step, icon in zip(steps, icons):
        assert icon.box.inside(step.box)
        text_top = diagram_kind.text_box(step.box, step.geometry).y + step.insets.top  # the anchor is the top
        assert step.anchor == "t"
        assert step.measured_height <= step.insets.inner(diagram_kind.text_box(step.box, step.geometry)).height_pt
        assert icon.box.bottom <= text_top
        assert icon.color == steps[0].lines[0].color  # the label's colour, which reads on the fill
    assert steps[2].insets == diagram_kind.NODE_INSETS  # a step without an icon keeps its insets


def test_a_cards_icon_stands_before_its_heading_and_follows_it_when_the_cards_settle() -> None:
    nodes = (diagram_kind.DiagramNode(_runs("For services"), bullets=(_runs("Six items"),), icon=load_icon("hospital")),
             diagram_kind.DiagramNode(_runs("For training"), bullets=(_runs("Trainees"),)))
    group = _placed(diagram_kind.Diagram("cards", nodes))
    heading = next(c for c in group.children if isinstance(c, AutoShape) and c.name == "Card 1 heading")
    icon = next(c for c in group.children if isinstance(c, IconShape))
    assert icon.box.inside(heading.box)
    assert icon.box.right <= heading.box.x + heading.insets.left  # the heading's text starts after it


def test_the_credit_line_names_the_set_its_licence_and_the_icons_used() -> None:
    heart = icon_shape(load_icon("heart"), Box(0, 0, INCH, INCH), "0F766E")
    sprout = icon_shape(load_icon("sprout"), Box(0, 0, INCH, INCH), "0F766E")
    group = GroupShape("Diagram", Box(0, 0, INCH, INCH), (sprout, heart), "")
    slides = (Slide(kind="bullets", layout="content", title=_runs("A"), shapes=(heart,)),
              Slide(kind="diagram", layout="title-only", title=_runs("B"), shapes=(group,)))
    deck = Deck("t", "T", "", "", "", "", "", "calm", slides, 10.0)
    assert icons_used(deck) == ("heart", "sprout")
    assert icon_credits(deck) == ("Icons: Lucide (lucide.dev), ISC licence. Used: heart, sprout.",)
    assert icon_credits(Deck("t", "T", "", "", "", "", "", "calm", (), 10.0)) == ()


def test_a_node_too_small_for_its_icon_keeps_its_text_and_says_so() -> None:
    nodes = tuple(diagram_kind.DiagramNode(_runs(t), icon=load_icon("heart")) for t in ("A", "B", "C"))
    lent = _Placement()
    group = diagram_kind.place(_slide(diagram_kind.Diagram("cycle", nodes)), Box(0, 0, 4 * INCH, INCH), lent)[0]
    assert isinstance(group, GroupShape)
    assert not any(isinstance(c, IconShape) for c in group.children)
    assert {d.code for d in lent.diags.items} >= {"icon.room"}
    assert "no room for the icon 'heart' in step 1" in lent.diags.items[0].render()
