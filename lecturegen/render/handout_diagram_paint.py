"""Render layer: a diagram's plan (render/handout_diagram.py) painted — vector graphics and real text on a
reportlab canvas (`paint_pdf`, `DiagramDrawing` for the PDF handout) and the same drawing as a PNG through
Pillow (`diagram_png`, for the DOCX), so both formats show one drawing.
"""

from __future__ import annotations

import io
import math
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from lecturegen.render.handout_diagram import Area, DiagramPlan, Glyph, Head, Stroke, Words


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def paint_pdf(canv: Any, plan: DiagramPlan) -> None:
    """The plan on a reportlab canvas whose origin is the drawing's bottom left."""
    top = plan.height
    canv.saveState()
    if plan.panel is not None:
        canv.setFillColorRGB(*_rgb(plan.panel))
        canv.roundRect(0, 0, plan.width, plan.height, 6, stroke=0, fill=1)
    for mark in plan.marks:
        if isinstance(mark, Area):
            _pdf_area(canv, mark, top)
        elif isinstance(mark, Stroke):
            canv.setStrokeColorRGB(*_rgb(mark.colour))
            canv.setLineWidth(mark.width)
            canv.line(mark.x1, top - mark.y1, mark.x2, top - mark.y2)
        elif isinstance(mark, Head):
            canv.setFillColorRGB(*_rgb(mark.colour))
            path = canv.beginPath()
            path.moveTo(mark.points[0][0], top - mark.points[0][1])
            for px, py in mark.points[1:]:
                path.lineTo(px, top - py)
            path.close()
            canv.drawPath(path, stroke=0, fill=1)
        elif isinstance(mark, Glyph):
            _pdf_glyph(canv, mark, top)
        else:
            _pdf_words(canv, mark, top)
    canv.restoreState()


def _pdf_area(canv: Any, area: Area, top: float) -> None:
    canv.saveState()
    fill = area.fill is not None
    if area.fill is not None:
        canv.setFillColorRGB(*_rgb(area.fill))
        canv.setFillAlpha(area.alpha)
    if area.outline is not None:
        canv.setStrokeColorRGB(*_rgb(area.outline))
        canv.setLineWidth(max(0.4, area.outline_pt))
    stroke = area.outline is not None and area.outline_pt > 0
    y = top - area.y - area.h
    if area.geometry == "ellipse":
        canv.ellipse(area.x, y, area.x + area.w, y + area.h, stroke=int(stroke), fill=int(fill))
    elif area.geometry == "roundRect":
        canv.roundRect(area.x, y, area.w, area.h, 0.16667 * min(area.w, area.h), stroke=int(stroke), fill=int(fill))
    else:
        canv.rect(area.x, y, area.w, area.h, stroke=int(stroke), fill=int(fill))
    canv.restoreState()


def _pdf_glyph(canv: Any, glyph: Glyph, top: float) -> None:
    canv.saveState()
    canv.setStrokeColorRGB(*_rgb(glyph.colour))
    canv.setFillColorRGB(*_rgb(glyph.colour))
    canv.setLineWidth(glyph.width)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    for line, filled in zip(glyph.lines, glyph.filled):
        if len(line) < 2:
            continue
        path = canv.beginPath()
        path.moveTo(line[0][0], top - line[0][1])
        for px, py in line[1:]:
            path.lineTo(px, top - py)
        canv.drawPath(path, stroke=0 if filled else 1, fill=1 if filled else 0)
    canv.restoreState()


def _pdf_words(canv: Any, words: Words, top: float) -> None:
    canv.saveState()
    canv.setFillColorRGB(*_rgb(words.colour))
    canv.setFont(words.font, words.size)
    canv.translate(words.x, top - words.y)
    if words.rotated:
        canv.rotate(90)
    draw = {"ctr": canv.drawCentredString, "r": canv.drawRightString}.get(words.align, canv.drawString)
    draw(0, 0, words.text)
    canv.restoreState()


def _pil_font(font: str, size_px: float) -> Any:
    from PIL import ImageFont

    try:
        path = pdfmetrics.getFont(font).face.filename
        return ImageFont.truetype(path, max(1, round(size_px)))
    except (AttributeError, KeyError, OSError):  # a standard PDF font has no file: Pillow's own
        return ImageFont.load_default(max(1, round(size_px)))


def diagram_png(plan: DiagramPlan, dpi: int = 200) -> bytes:
    """The plan as a PNG on white at `dpi`, for a document format that takes pictures (DOCX)."""
    from PIL import Image, ImageDraw

    k = dpi / 72
    size = (max(1, round(plan.width * k)), max(1, round(plan.height * k)))
    image = Image.new("RGBA", size, (255, 255, 255, 255))
    if plan.panel is not None:
        ImageDraw.Draw(image).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=round(6 * k),
                                                fill=_pil_rgb(plan.panel))
    for mark in plan.marks:
        if isinstance(mark, Area):
            image = _pil_area(image, mark, k)
        elif isinstance(mark, Stroke):
            ImageDraw.Draw(image).line((mark.x1 * k, mark.y1 * k, mark.x2 * k, mark.y2 * k),
                                       fill=_pil_rgb(mark.colour), width=max(1, round(mark.width * k)))
        elif isinstance(mark, Head):
            ImageDraw.Draw(image).polygon([(px * k, py * k) for px, py in mark.points], fill=_pil_rgb(mark.colour))
        elif isinstance(mark, Glyph):
            for line, filled in zip(mark.lines, mark.filled):
                scaled = [(px * k, py * k) for px, py in line]
                if filled and len(scaled) > 2:
                    ImageDraw.Draw(image).polygon(scaled, fill=_pil_rgb(mark.colour))
                elif len(scaled) > 1:
                    ImageDraw.Draw(image).line(scaled, fill=_pil_rgb(mark.colour),
                                               width=max(1, round(mark.width * k)), joint="curve")
        else:
            _pil_words(image, mark, k)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _pil_rgb(colour: str, alpha: float = 1.0) -> tuple[int, int, int, int]:
    r, g, b = _rgb(colour)
    return round(r * 255), round(g * 255), round(b * 255), round(alpha * 255)


def _pil_area(image: Any, area: Area, k: float) -> Any:
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", image.size, (0, 0, 0, 0)) if area.alpha < 1 else image
    draw = ImageDraw.Draw(layer)
    bounds = (area.x * k, area.y * k, (area.x + area.w) * k, (area.y + area.h) * k)
    fill = _pil_rgb(area.fill, area.alpha) if area.fill is not None else None
    outline = _pil_rgb(area.outline) if area.outline is not None and area.outline_pt > 0 else None
    width = max(1, round(area.outline_pt * k)) if outline is not None else 0
    if area.geometry == "ellipse":
        draw.ellipse(bounds, fill=fill, outline=outline, width=width)
    elif area.geometry == "roundRect":
        draw.rounded_rectangle(bounds, radius=0.16667 * min(area.w, area.h) * k, fill=fill, outline=outline,
                               width=width)
    else:
        draw.rectangle(bounds, fill=fill, outline=outline, width=width)
    return Image.alpha_composite(image, layer) if layer is not image else image


def _pil_words(image: Any, words: Words, k: float) -> None:
    from PIL import Image, ImageDraw

    font = _pil_font(words.font, words.size * k)
    fill = _pil_rgb(words.colour)
    anchor = {"ctr": "ms", "r": "rs"}.get(words.align, "ls")
    if not words.rotated:
        ImageDraw.Draw(image).text((words.x * k, words.y * k), words.text, font=font, fill=fill, anchor=anchor)
        return
    # Upright on a layer of its own, turned a quarter anticlockwise, pasted so that its anchor lands in place.
    text_w = max(1, math.ceil(font.getlength(words.text)))
    ascent = math.ceil(words.size * k * 1.2)
    layer = Image.new("RGBA", (text_w, ascent + math.ceil(words.size * k * 0.5)), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((0, ascent), words.text, font=font, fill=fill, anchor="ls")
    along = {"ctr": text_w / 2, "r": float(text_w)}.get(words.align, 0.0)
    turned = layer.rotate(90, expand=True)
    image.paste(turned, (round(words.x * k - ascent), round(words.y * k - (text_w - along))), turned)


class DiagramDrawing(Flowable):
    """The plan as a flowable: vector shapes and real text in the PDF, centred in the frame."""

    def __init__(self, plan: DiagramPlan):
        super().__init__()
        self.plan = plan
        self.hAlign = "CENTER"

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = self.plan.width, self.plan.height
        return self.width, self.height

    def draw(self) -> None:
        paint_pdf(self.canv, self.plan)
