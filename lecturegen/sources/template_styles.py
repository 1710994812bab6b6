"""Load layer: numbers and text styles as a template writes them — EMU values checked, list styles and body
properties merged the way PowerPoint inherits them (master → layout → placeholder)."""

from __future__ import annotations

import copy
import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from lxml import etree

from lecturegen.model.geometry import Box, Insets
from lecturegen.model.template import LevelStyle
from lecturegen.ooxml import A, P
from lecturegen.records import record

if TYPE_CHECKING:
    from lecturegen.sources.template_package import TemplatePackage

MIN_SLIDE_EMU, MAX_SLIDE_EMU = 914400, 51206400  # PowerPoint's limits: 1 in to 56 in
# Coordinates further than this from the slide are nonsense (PowerPoint's slides are at most 56 in wide).
_MAX_EMU = 4 * MAX_SLIDE_EMU
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def parse_int(text: str | None, low: int, high: int) -> int | None:
    """An integer attribute within [low, high]; None when absent, malformed, not finite or out of range.

    A template is untrusted: `isdigit()` accepts '²', `float()` accepts '1e400', and a font size of a
    billion points would send text fitting on a long walk."""
    if text is None:
        return None
    text = text.strip()
    if _INTEGER.fullmatch(text):
        value = int(text)
    else:
        try:
            number = float(text)  # some writers save 1.5E6
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        value = int(number)
    return value if low <= value <= high else None


def emu(element: etree._Element | None, name: str, low: int = -_MAX_EMU) -> int | None:
    return None if element is None else parse_int(element.get(name), low, _MAX_EMU)


def box_of(sp: etree._Element | None) -> Box | None:
    if sp is None:
        return None
    xfrm = sp.find(f"{P}spPr/{A}xfrm")
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    return xfrm_box(off, ext)


def xfrm_box(off: etree._Element | None, ext: etree._Element | None) -> Box | None:
    """An offset and extent as a Box; None when a value is missing, malformed, negative or absurd."""
    x, y = emu(off, "x"), emu(off, "y")
    cx, cy = emu(ext, "cx", 0), emu(ext, "cy", 0)
    if x is None or y is None or cx is None or cy is None:
        return None
    return Box(x, y, cx, cy)



@record
class BodyProps:
    insets: Insets
    anchor: str
    autofit: str
    vertical: bool


def merged_body_pr(master_sp: etree._Element | None, sp: etree._Element) -> BodyProps:
    values: dict[str, str] = {}
    autofit = "none"
    for source in (master_sp, sp):
        if source is None:
            continue
        body_pr = source.find(f"{P}txBody/{A}bodyPr")
        if body_pr is None:
            continue
        values.update({k: v for k, v in body_pr.attrib.items() if isinstance(k, str)})
        for child in body_pr:
            local = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if local == "normAutofit":
                autofit = "normal"
            elif local == "spAutoFit":
                autofit = "shape"
            elif local == "noAutofit":
                autofit = "none"

    def inset(key: str, default: int) -> int:
        value = parse_int(values.get(key), 0, MAX_SLIDE_EMU)
        return default if value is None else value

    insets = Insets(inset("lIns", 91440), inset("tIns", 45720), inset("rIns", 91440), inset("bIns", 45720))
    vertical = values.get("vert", "horz") not in ("horz", "")
    return BodyProps(insets, values.get("anchor", "t"), autofit, vertical)


def levels_from(style: etree._Element | None, base: list[LevelStyle], reader: TemplatePackage) -> list[LevelStyle]:
    """A list style (lvl1pPr … lvl9pPr) applied over inherited levels."""
    levels = list(base)
    if style is None:
        return levels
    for index in range(9):
        ppr = style.find(f"{A}lvl{index + 1}pPr")
        if ppr is None:
            continue
        levels[index] = level_style(ppr, levels[index], reader)
    return levels


def sample_levels(sp: etree._Element, base: list[LevelStyle], reader: TemplatePackage) -> list[LevelStyle]:
    """Formatting written on a placeholder's prompt text, the way LibreOffice saves its masters.

    PowerPoint keeps a master's text styles in list styles; LibreOffice writes them on the sample
    paragraphs ("Click to edit Master title style") instead. Read both: the levels found here are marked
    `from_sample`, and the compiler writes their look onto the runs, so every viewer shows it.
    """
    body = sp.find(f"{P}txBody")
    if body is None:
        return base
    levels = list(base)
    seen: set[int] = set()
    for para in body.findall(f"{A}p"):
        ppr = para.find(f"{A}pPr")
        level = (parse_int(ppr.get("lvl"), 0, 8) if ppr is not None else None) or 0
        if level in seen:
            continue
        # The prompt's own run, not its end-of-paragraph mark: LibreOffice writes an 18 pt default
        # there on every layout, which is not the designer's choice.
        run = para.find(f"{A}r/{A}rPr")
        if run is None or not any(run.get(k) for k in ("sz", "b")):
            continue
        seen.add(level)
        synthetic = etree.Element(f"{A}lvl{level + 1}pPr")
        if ppr is not None:
            for key, value in ppr.attrib.items():
                synthetic.set(key, value)
            for child in ppr:
                synthetic.append(copy.deepcopy(child))
        rpr = copy.deepcopy(run)
        rpr.tag = f"{A}defRPr"
        synthetic.append(rpr)
        levels[level] = replace(level_style(synthetic, levels[level], reader), from_sample=True)
    return levels


def level_style(ppr: etree._Element, base: LevelStyle, reader: TemplatePackage) -> LevelStyle:
    changes: dict[str, object] = {}
    if ppr.get("marL") is not None:
        changes["margin"] = parse_int(ppr.get("marL"), 0, MAX_SLIDE_EMU) or 0
    if ppr.get("indent") is not None:
        changes["indent"] = parse_int(ppr.get("indent"), -MAX_SLIDE_EMU, MAX_SLIDE_EMU) or 0
    if ppr.get("algn"):
        changes["align"] = ppr.get("algn", "l")
    rpr = ppr.find(f"{A}defRPr")
    size = base.size
    if rpr is not None:
        hundredths = parse_int(rpr.get("sz"), 100, 400_000)  # ST_TextFontSize: 1 to 4,000 pt
        if hundredths is not None:
            size = hundredths / 100
            changes["size"] = size
        if rpr.get("b") is not None:
            changes["bold"] = rpr.get("b") in ("1", "true")
        if rpr.get("i") is not None:
            changes["italic"] = rpr.get("i") in ("1", "true")
        latin = rpr.find(f"{A}latin")
        if latin is not None and latin.get("typeface"):
            changes["font"] = _font_name(latin.get("typeface", ""), reader)
        fill = rpr.find(f"{A}solidFill")
        if fill is not None:
            changes["color"] = reader.colour(fill)
    for tag, key in (("spcBef", "space_before"), ("spcAft", "space_after")):
        el = ppr.find(f"{A}{tag}")
        if el is not None:
            pts, pct = el.find(f"{A}spcPts"), el.find(f"{A}spcPct")
            points = parse_int(pts.get("val"), 0, 158_400) if pts is not None else None  # ST_TextSpacingPoint
            percent = parse_int(pct.get("val"), 0, 13_200_000) if pct is not None else None
            if points is not None:
                changes[key] = points / 100
            elif percent is not None:
                changes[key] = percent / 100_000 * size
    line = ppr.find(f"{A}lnSpc")
    if line is not None:
        pct, pts = line.find(f"{A}spcPct"), line.find(f"{A}spcPts")
        percent = parse_int(pct.get("val"), 1, 13_200_000) if pct is not None else None
        points = parse_int(pts.get("val"), 1, 158_400) if pts is not None else None
        if percent is not None:
            changes["line_spacing"] = percent / 100_000
        elif points is not None:
            changes["line_spacing"] = (points / 100) / (size * 1.2)
    if ppr.find(f"{A}buNone") is not None:
        changes["bullet"] = False
    elif ppr.find(f"{A}buChar") is not None or ppr.find(f"{A}buAutoNum") is not None \
            or ppr.find(f"{A}buBlip") is not None:
        changes["bullet"] = True
    return replace(base, **changes) if changes else base  # type: ignore[arg-type]


def _font_name(typeface: str, reader: TemplatePackage) -> str:
    if typeface.startswith("+mj"):
        return reader.fonts.major
    if typeface.startswith("+mn"):
        return reader.fonts.minor
    return typeface
