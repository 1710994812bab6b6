"""Render layer: an `IconShape` → one native shape with custom geometry (`<a:custGeom>`), editable and recolourable.

The schema's order inside `a:custGeom` is avLst, gdLst, ahLst, cxnLst, rect, pathLst; every path is stroked
with the shape's line (round caps and joins, as Lucide draws) and has `fill="none"`, except the few filled
dots of a set, which take the shape's fill in the same colour.
"""

from __future__ import annotations

from lecturegen.model.icons import Icon, IconPath, PathStep
from lecturegen.model.shapes import IconShape
from lecturegen.ooxml import escape

SCALE = 1000  # path units per icon unit: integer coordinates lose nothing a slide can show
_TAGS = {"M": "a:moveTo", "L": "a:lnTo", "C": "a:cubicBezTo"}


def icon_xml(shape: IconShape, shape_id: int) -> str:
    box = shape.box
    icon = shape.icon
    filled = any(p.filled for p in icon.paths)
    fill = f'<a:solidFill><a:srgbClr val="{shape.color}"/></a:solidFill>' if filled else "<a:noFill/>"
    line = (f'<a:ln w="{int(round(shape.line_pt * 12700))}" cap="rnd"><a:solidFill><a:srgbClr val="{shape.color}"/>'
            '</a:solidFill><a:prstDash val="solid"/><a:round/></a:ln>')
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(shape.name)}" descr="{escape(shape.alt)}"/>'
            f'<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{box.x}" y="{box.y}"/>'
            f'<a:ext cx="{box.cx}" cy="{box.cy}"/></a:xfrm>{custom_geometry(icon)}{fill}{line}</p:spPr></p:sp>')


def custom_geometry(icon: Icon) -> str:
    """The icon's paths as DrawingML custom geometry in a `size × SCALE` square, stretched to the shape's box."""
    side = int(round(icon.size * SCALE))
    paths = "".join(_path(p, side) for p in icon.paths)
    return ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="l" t="t" r="r" b="b"/>'
            f"<a:pathLst>{paths}</a:pathLst></a:custGeom>")


def _path(path: IconPath, side: int) -> str:
    fill = "" if path.filled else ' fill="none"'
    return f'<a:path w="{side}" h="{side}"{fill}>{"".join(_step(s) for s in path.steps)}</a:path>'


def _step(step: PathStep) -> str:
    if step.op == "Z":
        return "<a:close/>"
    points = "".join(f'<a:pt x="{_unit(x)}" y="{_unit(y)}"/>' for x, y in step.points)
    tag = _TAGS[step.op]
    return f"<{tag}>{points}</{tag}>"


def _unit(value: float) -> int:
    return int(round(value * SCALE))  # ST_AdjCoordinate: a control point a hair outside the square is valid
