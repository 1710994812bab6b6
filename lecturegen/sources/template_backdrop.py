"""Load layer: draw what a master and layout put behind a slide (backgrounds, pictures, shapes) as a small picture.

The compiler judges every text colour against this picture, not against one "background colour": a photo, a
gradient, a dark band or a coloured triangle behind a text box is what decides whether its words can be read.
Drawn coarsely with Pillow at read time (a few milliseconds a layout) and kept with the template reading.
"""

from __future__ import annotations

import io
import math
import warnings
import zlib
from typing import TYPE_CHECKING, Iterator

from lxml import etree

from lecturegen import ooxml
from lecturegen.model.template import Backdrop
from lecturegen.ooxml import A, P, R, RT
from lecturegen.sources.template_colour import ColourScope

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from lecturegen.sources.template_package import TemplatePackage

COLUMNS = 64  # cells across the slide: about 0.2 in on a 16:9 slide, the height of a line of body text
_OVERSAMPLE = 4  # drawn at 4× and averaged down, so a thin stripe still tints its cell
_MAX_PICTURE_PIXELS = 40_000_000  # a template picture larger than this is not decoded, only marked


def draw_backdrop(reader: TemplatePackage, master: str, layout: str) -> Backdrop:
    """The layout's backdrop: its own background or the master's, the master's shapes (unless the layout hides
    them), then the layout's shapes."""
    from PIL import Image

    width, height = reader.slide_size()
    columns = COLUMNS
    rows = max(1, round(columns * height / width))
    canvas = Image.new("RGB", (columns * _OVERSAMPLE, rows * _OVERSAMPLE), "#FFFFFF")
    painter = _Painter(reader, canvas, width, height)
    master_root, layout_root = reader.xml(master), reader.xml(layout)
    background = layout_root.find(f"{P}cSld/{P}bg")
    owner = layout
    if background is None:
        background, owner = master_root.find(f"{P}cSld/{P}bg"), master
    painter.background(background, owner)
    if layout_root.get("showMasterSp", "1") not in ("0", "false"):
        painter.tree(master_root.find(f"{P}cSld/{P}spTree"), master)
    painter.tree(layout_root.find(f"{P}cSld/{P}spTree"), layout)
    small = canvas.resize((columns, rows), Image.Resampling.BOX)
    mean = small.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert isinstance(mean, tuple)
    return Backdrop(columns=columns, rows=rows, luminance=zlib.compress(small.tobytes(), 9),
                    mean="".join(f"{c:02X}" for c in mean[:3]), picture=painter.pictures > 0)


class _Painter:
    """Paints DrawingML fills and shapes onto the canvas, in slide coordinates (EMU)."""

    def __init__(self, reader: TemplatePackage, canvas: PILImage.Image, width: int, height: int):
        self.reader = reader
        self.canvas = canvas
        self.scale_x = canvas.width / width
        self.scale_y = canvas.height / height
        self.scope = ColourScope(reader.scheme, reader.color_map)
        self.pictures = 0

    # -- backgrounds ------------------------------------------------------------------------------------
    def background(self, bg: etree._Element | None, part: str) -> None:
        if bg is None:
            self._fill_rect(None, part, (0, 0, self.canvas.width, self.canvas.height),
                            solid=self.scope.hex(_element("<a:schemeClr val='bg1'/>")) or "FFFFFF")
            return
        props = bg.find(f"{P}bgPr")
        if props is not None:
            fill = next((c for c in props if isinstance(c.tag, str) and etree.QName(c).localname.endswith("Fill")),
                        None)
            self._fill_rect(fill, part, (0, 0, self.canvas.width, self.canvas.height))
            return
        ref = bg.find(f"{P}bgRef")
        if ref is not None:
            colour = self.scope.hex(ref)
            index = _int(ref.get("idx"), 0)
            style = self._theme_style("bgFillStyleLst", index - 1000) if index > 1000 else \
                self._theme_style("fillStyleLst", index)
            scope, self.scope = self.scope, self.scope.with_placeholder(colour)
            try:
                self._fill_rect(style, self.reader.theme_part, (0, 0, self.canvas.width, self.canvas.height),
                                solid=None if style is not None else colour)
            finally:
                self.scope = scope

    def _theme_style(self, listing: str, index: int) -> etree._Element | None:
        if index < 1:
            return None
        styles = self.reader.xml(self.reader.theme_part).find(f".//{A}fmtScheme/{A}{listing}")
        children = [c for c in styles if isinstance(c.tag, str)] if styles is not None else []
        return children[index - 1] if index - 1 < len(children) else None

    # -- shapes ------------------------------------------------------------------------------------------
    def tree(self, tree: etree._Element | None, part: str) -> None:
        if tree is None:
            return
        for shape, transform in _shapes(tree, _identity):
            self.shape(shape, transform, part)

    def shape(self, shape: etree._Element, transform: _Transform, part: str) -> None:
        local = etree.QName(shape).localname
        if shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None or shape.find(f"{P}nvPicPr/{P}nvPr/{P}ph") is not None:
            return  # placeholders on masters and layouts are never drawn on a slide
        props = shape.find(f"{P}spPr")
        if props is None:
            return
        xfrm = props.find(f"{A}xfrm")
        if xfrm is None:
            return
        box = _box(xfrm, transform)
        if box is None:
            return
        x, y, cx, cy = box
        pixels = (x * self.scale_x, y * self.scale_y, (x + cx) * self.scale_x, (y + cy) * self.scale_y)
        if local == "pic":
            self._picture(shape.find(f"{P}blipFill"), part, pixels)
            return
        fill = next((c for c in props if isinstance(c.tag, str) and etree.QName(c).localname in
                     ("solidFill", "gradFill", "blipFill", "pattFill", "noFill", "grpFill")), None)
        solid = None
        if fill is None:
            ref = shape.find(f"{P}style/{A}fillRef")
            if ref is None or _int(ref.get("idx"), 0) == 0:
                return
            solid = self.scope.hex(ref)
        outline = _outline(props, pixels, _int(xfrm.get("rot"), 0) / 60000, xfrm.get("flipH") == "1",
                           xfrm.get("flipV") == "1")
        if outline:
            self._fill_polygon(fill, part, outline, pixels, solid)

    # -- fills --------------------------------------------------------------------------------------------
    def _fill_rect(self, fill: etree._Element | None, part: str, pixels: tuple[float, float, float, float],
                   solid: str | None = None) -> None:
        x0, y0, x1, y1 = pixels
        self._fill_polygon(fill, part, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], pixels, solid)

    def _fill_polygon(self, fill: etree._Element | None, part: str, outline: list[tuple[float, float]],
                      pixels: tuple[float, float, float, float], solid: str | None) -> None:
        from PIL import Image, ImageDraw

        if fill is not None and etree.QName(fill).localname == "blipFill":
            mask = Image.new("L", self.canvas.size, 0)
            ImageDraw.Draw(mask).polygon(outline, fill=255)
            self._picture(fill, part, pixels, mask)
            return
        colour, alpha = (solid, 1.0) if solid is not None else self._flat(fill)
        if colour is None or alpha <= 0.02:
            return
        if alpha >= 0.98:
            ImageDraw.Draw(self.canvas).polygon(outline, fill="#" + colour)
            return
        mask = Image.new("L", self.canvas.size, 0)
        ImageDraw.Draw(mask).polygon(outline, fill=round(255 * alpha))
        self.canvas.paste(Image.new("RGB", self.canvas.size, "#" + colour), (0, 0), mask)

    def _flat(self, fill: etree._Element | None) -> tuple[str | None, float]:
        """A fill as one colour: a gradient or pattern by the average of its colours."""
        if fill is None:
            return None, 0.0
        local = etree.QName(fill).localname
        if local == "solidFill":
            found = self.scope.resolve(fill)
            return found if found else (None, 0.0)
        if local in ("gradFill", "pattFill"):
            stops = [self.scope.resolve(c) for c in fill.iter() if isinstance(c.tag, str)
                     and etree.QName(c).localname in ("gs", "fgClr", "bgClr")]
            colours = [stop for stop in stops if stop is not None]
            if not colours:
                return None, 0.0
            channels = [sum(int(c[0][i:i + 2], 16) for c in colours) / len(colours) for i in (0, 2, 4)]
            alpha = sum(c[1] for c in colours) / len(colours)
            return "".join(f"{round(v):02X}" for v in channels), alpha
        return None, 0.0

    def _picture(self, blip_fill: etree._Element | None, part: str, pixels: tuple[float, float, float, float],
                 mask: PILImage.Image | None = None) -> None:
        from PIL import Image

        blip = blip_fill.find(f"{A}blip") if blip_fill is not None else None
        rid = blip.get(f"{R}embed") if blip is not None else None
        if not rid:
            return
        target = next((ooxml.resolve(part, r.target) for r in self.reader.rels(part)
                       if r.id == rid and not r.external and r.type == RT["image"]), None)
        data = self.reader.parts.get(target) if target else None
        if data is None or target is None:
            return
        self.pictures += 1
        cache = self.reader.decoded_pictures
        if target not in cache:  # a master's photo is drawn under every layout: decoded once
            cache[target] = _decode(data)
        picture = cache[target]
        x0, y0, x1, y1 = (round(v) for v in pixels)
        size = (max(1, x1 - x0), max(1, y1 - y0))
        if picture is None:  # a format Pillow cannot draw (EMF, WMF): neither light nor dark is safe to assume
            picture = Image.new("RGBA", size, (128, 128, 128, 255))
        picture = _crop(picture, blip_fill)
        amount = blip.find(f"{A}alphaModFix") if blip is not None else None
        picture = picture.resize(size, Image.Resampling.BILINEAR)
        alpha = picture.getchannel("A")
        if amount is not None:
            factor = _int(amount.get("amt"), 100_000) / 100_000
            alpha = alpha.point(lambda v: round(v * factor))
        if mask is not None:
            from PIL import ImageChops

            alpha = ImageChops.multiply(alpha, mask.crop((x0, y0, x0 + size[0], y0 + size[1])))
        self.canvas.paste(picture.convert("RGB"), (x0, y0), alpha)


_Transform = tuple[float, float, float, float]  # x' = a + x·b, y' = c + y·d


_identity: _Transform = (0.0, 1.0, 0.0, 1.0)


def _shapes(tree: etree._Element, transform: _Transform) -> Iterator[tuple[etree._Element, _Transform]]:
    """Every drawn shape of a shape tree in painting order, with the transform its groups apply."""
    for child in tree:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local in ("sp", "pic", "cxnSp"):
            yield child, transform
        elif local == "grpSp":
            xfrm = child.find(f"{P}grpSpPr/{A}xfrm")
            inner = transform
            if xfrm is not None:
                off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
                ch_off, ch_ext = xfrm.find(f"{A}chOff"), xfrm.find(f"{A}chExt")
                if off is not None and ext is not None and ch_off is not None and ch_ext is not None:
                    sx = _int(ext.get("cx"), 0) / max(1, _int(ch_ext.get("cx"), 1))
                    sy = _int(ext.get("cy"), 0) / max(1, _int(ch_ext.get("cy"), 1))
                    ax = _int(off.get("x"), 0) - _int(ch_off.get("x"), 0) * sx
                    ay = _int(off.get("y"), 0) - _int(ch_off.get("y"), 0) * sy
                    a, b, c, d = transform
                    inner = (a + ax * b, b * sx, c + ay * d, d * sy)
            yield from _shapes(child, inner)
        elif local == "AlternateContent":
            fallback = child.find("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")
            if fallback is not None:
                yield from _shapes(fallback, transform)


def _box(xfrm: etree._Element, transform: _Transform) -> tuple[float, float, float, float] | None:
    off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    if off is None or ext is None:
        return None
    a, b, c, d = transform
    x, y = a + _int(off.get("x"), 0) * b, c + _int(off.get("y"), 0) * d
    cx, cy = _int(ext.get("cx"), 0) * b, _int(ext.get("cy"), 0) * d
    if cx <= 0 and cy <= 0:
        return None
    return x, y, cx, cy


def _outline(props: etree._Element, pixels: tuple[float, float, float, float], rotation: float, flip_h: bool,
             flip_v: bool) -> list[tuple[float, float]]:
    """The shape's outline as a polygon in canvas pixels (common presets exactly, custom paths traced)."""
    x0, y0, x1, y1 = pixels
    w, h = x1 - x0, y1 - y0
    preset = props.find(f"{A}prstGeom")
    custom = props.find(f"{A}custGeom")
    unit: list[tuple[float, float]]
    if custom is not None:
        unit = _custom_path(custom)
    else:
        name = preset.get("prst", "rect") if preset is not None else "rect"
        if name in ("line", "straightConnector1", "bentConnector2", "bentConnector3", "curvedConnector3", "arc"):
            return []
        unit = _PRESETS.get(name) or (_ellipse() if name in ("ellipse", "donut", "pie", "chord", "blockArc")
                                      else [(0, 0), (1, 0), (1, 1), (0, 1)])
    points = [((1 - u) if flip_h else u, (1 - v) if flip_v else v) for u, v in unit]
    points = [(x0 + u * w, y0 + v * h) for u, v in points]
    if rotation:
        cx, cy, angle = (x0 + x1) / 2, (y0 + y1) / 2, math.radians(rotation)
        cos, sin = math.cos(angle), math.sin(angle)
        points = [(cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos)
                  for px, py in points]
    return points


def _ellipse(steps: int = 32) -> list[tuple[float, float]]:
    return [(0.5 + 0.5 * math.cos(2 * math.pi * i / steps), 0.5 + 0.5 * math.sin(2 * math.pi * i / steps))
            for i in range(steps)]


_PRESETS: dict[str, list[tuple[float, float]]] = {
    "triangle": [(0.5, 0), (1, 1), (0, 1)],
    "rtTriangle": [(0, 0), (1, 1), (0, 1)],
    "diamond": [(0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5)],
    "parallelogram": [(0.25, 0), (1, 0), (0.75, 1), (0, 1)],
    "trapezoid": [(0.25, 0), (0.75, 0), (1, 1), (0, 1)],
    "pentagon": [(0.5, 0), (1, 0.38), (0.81, 1), (0.19, 1), (0, 0.38)],
    "homePlate": [(0, 0), (0.8, 0), (1, 0.5), (0.8, 1), (0, 1)],
    "chevron": [(0, 0), (0.8, 0), (1, 0.5), (0.8, 1), (0, 1), (0.2, 0.5)],
    "hexagon": [(0.25, 0), (0.75, 0), (1, 0.5), (0.75, 1), (0.25, 1), (0, 0.5)],
    "octagon": [(0.29, 0), (0.71, 0), (1, 0.29), (1, 0.71), (0.71, 1), (0.29, 1), (0, 0.71), (0, 0.29)],
}


def _custom_path(custom: etree._Element) -> list[tuple[float, float]]:
    """A custom geometry's first filled path, traced into unit coordinates (arcs and curves as short lines)."""
    points: list[tuple[float, float]] = []
    for path in custom.iterfind(f"{A}pathLst/{A}path"):
        if path.get("fill") == "none":
            continue
        w = max(1, _int(path.get("w"), 1))
        h = max(1, _int(path.get("h"), 1))
        current = (0.0, 0.0)
        for step in path:
            if not isinstance(step.tag, str):
                continue
            local = etree.QName(step).localname
            pts = [(_int(pt.get("x"), 0) / w, _int(pt.get("y"), 0) / h) for pt in step.iterfind(f"{A}pt")]
            if local in ("moveTo", "lnTo") and pts:
                current = pts[0]
                points.append(current)
            elif local in ("cubicBezTo", "quadBezTo") and pts:
                start = current
                for t in (0.25, 0.5, 0.75, 1.0):
                    points.append(_bezier([start, *pts], t))
                current = pts[-1]
            elif local == "arcTo":
                wr, hr = _int(step.get("wR"), 0) / w, _int(step.get("hR"), 0) / h
                start_angle = math.radians(_int(step.get("stAng"), 0) / 60000)
                sweep = math.radians(_int(step.get("swAng"), 0) / 60000)
                centre = (current[0] - wr * math.cos(start_angle), current[1] - hr * math.sin(start_angle))
                for i in range(1, 9):
                    angle = start_angle + sweep * i / 8
                    current = (centre[0] + wr * math.cos(angle), centre[1] + hr * math.sin(angle))
                    points.append(current)
        if points:
            break
    return points


def _bezier(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    while len(points) > 1:
        points = [((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]) for a, b in zip(points, points[1:])]
    return points[0]


def _decode(data: bytes) -> PILImage.Image | None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > _MAX_PICTURE_PIXELS:
                return None
            image.draft("RGB", (512, 512))
            image.thumbnail((512, 512))
            return image.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None


def _crop(picture: PILImage.Image, blip_fill: etree._Element | None) -> PILImage.Image:
    rect = blip_fill.find(f"{A}srcRect") if blip_fill is not None else None
    if rect is None:
        return picture
    left, top, right, bottom = (_int(rect.get(k), 0) / 100_000 for k in ("l", "t", "r", "b"))
    box = (picture.width * left, picture.height * top, picture.width * (1 - right), picture.height * (1 - bottom))
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return picture
    return picture.crop((round(box[0]), round(box[1]), round(box[2]), round(box[3])))


def _element(xml: str) -> etree._Element:
    return etree.fromstring(f'<wrap xmlns:a="{A[1:-1]}">{xml}</wrap>')[0]


def _int(text: str | None, default: int) -> int:
    try:
        value = int(float(text)) if text is not None else default
    except (ValueError, OverflowError):
        return default
    return value if abs(value) < 10**12 else default
