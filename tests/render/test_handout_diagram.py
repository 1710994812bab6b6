"""Tests for render/handout_diagram.py: a diagram's shapes laid out for paper."""

from __future__ import annotations



from lecturegen.model.geometry import Box
from lecturegen.model.shapes import AutoShape, GroupShape, TextLine
from lecturegen.model.text import Run
from lecturegen.render.handout_diagram import (
    LARGEST_PRINTED_PT,
    Area,
    Head,
    Stroke,
    Words,
    plan_diagram,
)
from lecturegen.render.handout_fonts import register_font
from tests.handout_samples import INCH, process_group


def fonts() -> tuple[str, str]:
    family = register_font("Calibri")
    return family, family


def test_the_plan_fits_the_width_and_caps_the_type_size() -> None:
    plan = plan_diagram(process_group(), 480.0, 400.0, fonts())
    assert plan.width <= 480.0 and plan.panel is None
    words = [m for m in plan.marks if isinstance(m, Words)]
    assert {w.text for w in words} >= {"Safety", "Depth"}
    assert max(w.size for w in words) <= LARGEST_PRINTED_PT + 0.01
    # Every word sits inside its shape: the boxes are drawn, and their text within them.
    boxes = [m for m in plan.marks if isinstance(m, Area)]
    assert len(boxes) == 2
    for w in words:
        assert any(b.x <= w.x <= b.x + b.w and b.y <= w.y <= b.y + b.h for b in boxes), w


def test_an_arrow_ends_in_a_head_and_its_line_stops_short_of_the_tip() -> None:
    plan = plan_diagram(process_group(), 480.0, 400.0, fonts())
    (stroke,) = [m for m in plan.marks if isinstance(m, Stroke)]
    (head,) = [m for m in plan.marks if isinstance(m, Head)]
    tip_x = head.points[0][0]
    assert stroke.x2 < tip_x and len(head.points) == 3


def test_a_long_label_wraps_inside_its_box_and_a_dark_background_gets_its_panel() -> None:
    long = AutoShape("Step", Box(0, 0, 2 * INCH, INCH), "rect", "0F766E",
                     (TextLine((Run("a label long enough to need three or four lines"),), 28.0, align="l"),))
    group = GroupShape("Diagram", Box(0, 0, 2 * INCH, INCH), (long,), "A box")
    plan = plan_diagram(group, 200.0, 300.0, fonts(), background="102030")
    words = [m for m in plan.marks if isinstance(m, Words)]
    assert len(words) > 1 and len({w.y for w in words}) == len(words)
    assert plan.panel == "102030"
