"""Render layer: a 16:9 PowerPoint template generated from a theme's design (for themes without a template file)."""

from __future__ import annotations

import io

from lxml import etree

from lecturegen.ooxml import A, NS, P
from lecturegen.model.template import TemplateDesign

EMU_PER_INCH = 914400
SLIDE_WIDTH = 12192000  # 13.333 in: 16:9
SLIDE_HEIGHT = 6858000  # 7.5 in


def _inch(value: float) -> int:
    return int(round(value * EMU_PER_INCH))


def generate_template(theme: TemplateDesign) -> bytes:
    """The template as .pptx bytes (deterministic: the package is normalised when the deck is written)."""
    prs = _generated_presentation(theme)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- the generated template -------------------------------------------------------------------------

# Placeholder geometry in inches for a 13.333 × 7.5 slide: (layout, placeholder idx) → box.
_GEOMETRY: dict[tuple[str, int], tuple[float, float, float, float]] = {
    ("Title Slide", 0): (0.8, 1.0, 11.7, 2.9),
    ("Title Slide", 1): (0.8, 4.75, 11.7, 2.0),
    ("Section Header", 0): (0.8, 1.9, 11.7, 1.9),
    ("Section Header", 1): (0.8, 4.05, 11.7, 1.6),
    ("Two Content", 1): (0.6, 1.75, 5.9, 4.85),
    ("Two Content", 2): (6.83, 1.75, 5.9, 4.85),
    ("Comparison", 1): (0.6, 1.75, 5.9, 0.65),
    ("Comparison", 2): (0.6, 2.5, 5.9, 4.1),
    ("Comparison", 3): (6.83, 1.75, 5.9, 0.65),
    ("Comparison", 4): (6.83, 2.5, 5.9, 4.1),
}
_MASTER_GEOMETRY: dict[str, tuple[float, float, float, float]] = {
    "title": (0.6, 0.3, 12.13, 1.2),
    "body": (0.6, 1.75, 12.13, 4.85),
    "dt": (8.9, 6.9, 1.6, 0.4),
    "ftr": (0.6, 6.9, 8.2, 0.4),
    "sldNum": (11.13, 6.9, 1.6, 0.4),
}
_STANDARD_TITLE_LAYOUTS = frozenset({"Title and Content", "Two Content", "Comparison", "Title Only",
                                     "Title and Vertical Text"})
BODY_SPACE_BEFORE_PT = 10.0
LEVEL2_SPACE_BEFORE_PT = 4.0
LEVEL1_MARGIN_IN = 0.35
LEVEL2_MARGIN_IN = 0.75


def _generated_presentation(theme: TemplateDesign):  # type: ignore[no-untyped-def]
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    scale = SLIDE_WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    master = prs.slide_master
    _scale_x(master._element, scale)
    for layout in prs.slide_layouts:
        _scale_x(layout._element, scale)
    _style_theme_part(master, theme)
    _style_master(master, theme)
    for layout in prs.slide_layouts:
        _style_layout(layout, theme)
    return prs


def _scale_x(root: etree._Element, scale: float) -> None:
    """The built-in template is 4:3; stretch every shape horizontally to 16:9."""
    for off in root.iter(f"{A}off"):
        off.set("x", str(int(int(off.get("x")) * scale)))
    for ext in root.iter(f"{A}ext"):
        if ext.get("cx") is not None:
            ext.set("cx", str(int(int(ext.get("cx")) * scale)))


def _set_box(shape, box: tuple[float, float, float, float]) -> None:  # type: ignore[no-untyped-def]
    shape.left, shape.top, shape.width, shape.height = (_inch(v) for v in box)


def _solid(color: str) -> etree._Element:
    fill = etree.Element(f"{A}solidFill")
    etree.SubElement(fill, f"{A}srgbClr", val=color)
    return fill


def _replace_child(parent: etree._Element, tag: str, new: etree._Element, before: tuple[str, ...] = ()) -> None:
    for old in parent.findall(tag):
        parent.remove(old)
    for name in before:
        anchor = parent.find(name)
        if anchor is not None:
            anchor.addprevious(new)
            return
    parent.append(new)


def _def_rpr(ppr: etree._Element) -> etree._Element:
    rpr = ppr.find(f"{A}defRPr")
    if rpr is None:
        rpr = etree.SubElement(ppr, f"{A}defRPr")
    return rpr


def _set_run_defaults(rpr: etree._Element, size: float | None, color: str | None, bold: bool | None = None,
                      font: str | None = None) -> None:
    if size is not None:
        rpr.set("sz", str(int(round(size * 100))))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    if color is not None:
        for old in rpr.findall(f"{A}solidFill"):
            rpr.remove(old)
        rpr.insert(0, _solid(color))
    if font is not None:
        latin = rpr.find(f"{A}latin")
        if latin is None:
            latin = etree.SubElement(rpr, f"{A}latin")
        latin.set("typeface", font)


def _spacing(tag: str, points: float) -> etree._Element:
    el = etree.Element(f"{A}{tag}")
    etree.SubElement(el, f"{A}spcPts", val=str(int(points * 100)))
    return el


def _style_theme_part(master, theme: TemplateDesign) -> None:  # type: ignore[no-untyped-def]
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    colors = theme.colors
    scheme = {
        "dk1": colors["text"], "lt1": colors["background"], "dk2": colors["title"], "lt2": "F2F2F2",
        "accent1": colors["accent"], "accent2": colors["accent2"],
        "accent3": theme.palette[2 % len(theme.palette)], "accent4": theme.palette[3 % len(theme.palette)],
        "accent5": theme.palette[4 % len(theme.palette)], "accent6": theme.palette[5 % len(theme.palette)],
        "hlink": colors["link"], "folHlink": colors["link"],
    }
    clr = root.find(f".//{A}clrScheme")
    if clr is not None:
        clr.set("name", theme.title)
        for name, value in scheme.items():
            slot = clr.find(f"{A}{name}")
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{A}srgbClr", val=value)
    for tag, font in (("majorFont", theme.heading_font), ("minorFont", theme.body_font)):
        latin = root.find(f".//{A}{tag}/{A}latin")
        if latin is not None:
            latin.set("typeface", font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style_master(master, theme: TemplateDesign) -> None:  # type: ignore[no-untyped-def]
    colors = theme.colors
    root = master._element
    for ph in master.placeholders:
        kind = ph._element.ph_type
        key = {1: "title", 2: "body", 16: "dt", 15: "ftr", 13: "sldNum"}.get(int(kind) if kind else 0)
        if key:
            _set_box(ph, _MASTER_GEOMETRY[key])
        if key == "title":
            ph._element.find(f".//{A}bodyPr").set("anchor", "b")
        if key in ("ftr", "sldNum", "dt"):
            for rpr in ph._element.iter(f"{A}defRPr"):
                _set_run_defaults(rpr, theme.size("footer"), colors["muted"], font=theme.body_font)
            for ppr in ph._element.iter(f"{A}lvl1pPr"):
                ppr.set("algn", "r" if key == "sldNum" else "l")
    # normAutofit makes LibreOffice shrink overflowing text silently (PowerPoint only when edited): text is
    # fitted by measurement instead, so an overflow is visible everywhere rather than hidden in one viewer.
    for autofit in list(root.iter(f"{A}normAutofit")):
        autofit.getparent().remove(autofit)
    styles = root.find(f"{P}txStyles")
    title_ppr = styles.find(f"{P}titleStyle/{A}lvl1pPr")
    title_ppr.set("algn", "l")
    _replace_child(title_ppr, f"{A}lnSpc", _line_spacing(90), before=(f"{A}spcBef",))
    _set_run_defaults(_def_rpr(title_ppr), theme.size("title"), colors["title"], bold=True)
    body = styles.find(f"{P}bodyStyle")
    for level in range(1, 10):
        ppr = body.find(f"{A}lvl{level}pPr")
        if ppr is None:
            continue
        size = theme.size("body") if level == 1 else theme.size("level2")
        margin = LEVEL1_MARGIN_IN if level == 1 else LEVEL2_MARGIN_IN + 0.35 * (level - 2)
        ppr.set("marL", str(_inch(margin)))
        ppr.set("indent", str(-_inch(0.3 if level == 1 else 0.28)))
        _replace_child(ppr, f"{A}lnSpc", _line_spacing(100), before=(f"{A}spcBef",))
        _replace_child(ppr, f"{A}spcBef",
                       _spacing("spcBef", BODY_SPACE_BEFORE_PT if level == 1 else LEVEL2_SPACE_BEFORE_PT),
                       before=(f"{A}buFont", f"{A}buChar", f"{A}defRPr"))
        bu_clr = etree.Element(f"{A}buClr")
        etree.SubElement(bu_clr, f"{A}srgbClr", val=colors["accent"])
        _replace_child(ppr, f"{A}buClr", bu_clr, before=(f"{A}buFont", f"{A}buChar", f"{A}defRPr"))
        _set_run_defaults(_def_rpr(ppr), size, colors["text"])
    # The theme's short accent rule under content titles is placed per slide (compile/layout.py::_accent_rule),
    # measured from each title's text: a rule on the master started left of the text and underlined whatever
    # word a wrapped title left on its last line.


def _line_spacing(percent: int) -> etree._Element:
    el = etree.Element(f"{A}lnSpc")
    etree.SubElement(el, f"{A}spcPct", val=str(percent * 1000))
    return el


def _add_rect(root: etree._Element, name: str, box: tuple[float, float, float, float], color: str,
              shape_id: int) -> None:
    """A decorative rectangle behind the placeholders (userDrawn, so PowerPoint keeps it)."""
    sp = etree.fromstring(
        f'<p:sp xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
        f'<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{_inch(box[0])}" '
        f'y="{_inch(box[1])}"/><a:ext cx="{_inch(box[2])}" cy="{_inch(box[3])}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
        f'<a:ln><a:noFill/></a:ln></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-GB"/>'
        f'</a:p></p:txBody></p:sp>'
    )
    # Decorative: screen readers skip it.
    sp.find(f".//{P}cNvPr").set("descr", "")
    tree = root.find(f"{P}cSld/{P}spTree")
    tree.insert(2, sp)  # after nvGrpSpPr and grpSpPr: drawn first, behind the text


def _list_style(shape, size: float | None, color: str | None, bold: bool | None = None,  # type: ignore[no-untyped-def]
                bullets: bool = True, align: str | None = None, anchor: str | None = None,
                space_before: float | None = None) -> None:
    """Override the master's text style for one layout placeholder."""
    el = shape._element
    body_pr = el.find(f".//{A}bodyPr")
    if anchor and body_pr is not None:
        body_pr.set("anchor", anchor)
    lst = el.find(f".//{A}lstStyle")
    if lst is None:
        return
    for child in list(lst):
        lst.remove(child)
    ppr = etree.SubElement(lst, f"{A}lvl1pPr")
    if not bullets:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
    if align:
        ppr.set("algn", align)
    if space_before is not None:
        ppr.append(_spacing("spcBef", space_before))
    if not bullets:
        etree.SubElement(ppr, f"{A}buNone")
    _set_run_defaults(_def_rpr(ppr), size, color, bold)


def _style_layout(layout, theme: TemplateDesign) -> None:  # type: ignore[no-untyped-def]
    colors = theme.colors
    name = layout.name
    root = layout._element
    for ph in layout.placeholders:
        idx = ph.placeholder_format.idx
        if (name, idx) in _GEOMETRY:
            _set_box(ph, _GEOMETRY[(name, idx)])
        elif idx == 0 and name in _STANDARD_TITLE_LAYOUTS:
            _set_box(ph, _MASTER_GEOMETRY["title"])
        elif idx in (10, 11, 12):
            _set_box(ph, _MASTER_GEOMETRY[{10: "dt", 11: "ftr", 12: "sldNum"}[idx]])
    if name in ("Title Slide", "Section Header"):
        root.set("showMasterSp", "0")
        band_text = colors["band_text"]
        if name == "Title Slide":
            _add_rect(root, "Title Band", (0, 0, 13.333, 4.35), colors["band"], 90)
            _add_rect(root, "Title Rule", (0.8, 4.05, 1.4, 0.07), colors["accent2"], 91)
        else:
            _add_rect(root, "Section Band", (0, 0, 13.333, 7.5), colors["band"], 90)
            _add_rect(root, "Section Rule", (0.8, 3.88, 1.4, 0.07), colors["accent2"], 91)
        for ph in layout.placeholders:
            idx = ph.placeholder_format.idx
            if idx == 0:
                _list_style(ph, 44 if name == "Title Slide" else 42, band_text, bold=True, bullets=False,
                            align="l", anchor="b")
            elif idx == 1 and name == "Title Slide":
                _list_style(ph, 22, colors["text"], bullets=False, align="l", anchor="t", space_before=4)
            elif idx == 1:
                _list_style(ph, 24, band_text, bullets=False, align="l", anchor="t", space_before=4)
            elif idx in (11, 12) and name == "Section Header":
                _list_style(ph, theme.size("footer"), band_text, bullets=False)
    if name == "Comparison":
        for ph in layout.placeholders:
            if ph.placeholder_format.idx in (1, 3):
                _list_style(ph, theme.size("body"), colors["accent"], bold=True, bullets=False, anchor="b",
                            space_before=0)
