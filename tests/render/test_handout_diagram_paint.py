"""Tests for render/handout_diagram_paint.py: one diagram plan painted as vector PDF and as a PNG."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from lecturegen.model.geometry import Box
from lecturegen.model.shapes import AutoShape, GroupShape, TextLine
from lecturegen.model.text import Run
from lecturegen.render.handout_diagram import Area, Words, plan_diagram
from lecturegen.render.handout_diagram_paint import DiagramDrawing, diagram_png, paint_pdf
from lecturegen.render.handout_fonts import register_font
from tests.handout_samples import INCH, process_group


def fonts() -> tuple[str, str]:
    family = register_font("Calibri")
    return family, family


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


def test_the_drawing_flowable_takes_the_plans_size_and_paints_it() -> None:
    plan = plan_diagram(process_group(), 300.0, 400.0, fonts())
    drawing = DiagramDrawing(plan)
    assert drawing.wrap(500.0, 800.0) == (plan.width, plan.height)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(plan.width, plan.height))
    drawing.drawOn(page, 0, 0)
    page.save()
    assert "Safety" in PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
