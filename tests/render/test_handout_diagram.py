"""Tests for render/handout_diagram.py: a diagram's shapes laid out for paper, painted as PDF and PNG."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from lecturegen.model.geometry import Box
from lecturegen.model.shapes import AutoShape, GroupShape, TextLine
from lecturegen.model.text import Run
from lecturegen.render.handout_diagram import (
    LARGEST_PRINTED_PT,
    Area,
    Head,
    Stroke,
    Words,
    diagram_png,
    paint_pdf,
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


def test_the_same_plan_paints_as_vector_pdf_and_as_a_png_at_its_dpi() -> None:
    plan = plan_diagram(process_group(), 480.0, 400.0, fonts())
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(plan.width, plan.height))
    paint_pdf(page, plan)
    page.save()
    pdf = PdfReader(io.BytesIO(out.getvalue()))
    text = pdf.pages[0].extract_text()
    assert "Safety" in text and "Depth" in text
    assert not pdf.pages[0].images  # shapes, not a picture
    png = Image.open(io.BytesIO(diagram_png(plan, 144)))
    assert png.size == (round(plan.width * 2), round(plan.height * 2))
    # The boxes are painted in the accent colour: a pixel in the middle of the first box.
    first = next(m for m in plan.marks if isinstance(m, Area))
    assert png.convert("RGB").getpixel((int((first.x + 4) * 2), int((first.y + 4) * 2))) == (0x0F, 0x76, 0x6E)


def test_upward_text_is_rotated_in_both_paintings() -> None:
    label = AutoShape("Axis", Box(0, 0, INCH // 2, 2 * INCH), "rect", None,
                      (TextLine((Run("up the side"),), 20.0, align="ctr", color="000000"),), vertical=True)
    plan = plan_diagram(GroupShape("Diagram", Box(0, 0, INCH // 2, 2 * INCH), (label,), "An axis"), 100.0, 300.0,
                        fonts())
    (words,) = [m for m in plan.marks if isinstance(m, Words)]
    assert words.rotated
    png = Image.open(io.BytesIO(diagram_png(plan, 144))).convert("L")
    grey = list(png.get_flattened_data())
    dark = [(i % png.width, i // png.width) for i, value in enumerate(grey) if isinstance(value, int) and value < 128]
    xs, ys = {x for x, _ in dark}, {y for _, y in dark}
    assert max(ys) - min(ys) > 2 * (max(xs) - min(xs))  # taller than wide: the text runs up the page
