"""Render layer: the theme's PowerPoint template — a user .pptx/.potx, or one generated in 16:9."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from lecturegen.model.geometry import Box, LayoutInfo, TemplateInfo
from lecturegen.sources.themes import ThemeSpec

EMU_PER_INCH = 914400
SLIDE_WIDTH = 12192000  # 13.333 in: 16:9
SLIDE_HEIGHT = 6858000  # 7.5 in
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
A = "{%s}" % NS["a"]
P = "{%s}" % NS["p"]
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
# Layouts the renderer uses, by the names PowerPoint gives them; any template carrying these works.
REQUIRED_LAYOUTS = ("Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only")


class TemplateError(Exception):
    def __init__(self, message: str, code: str = "theme.template", hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


def _inch(value: float) -> int:
    return int(round(value * EMU_PER_INCH))


def load_template(theme: ThemeSpec, workspace_display: str | None = None,
                  cache_dir: Path | None = None) -> TemplateInfo:
    """The theme's template with sample slides removed, plus layout geometry (cached by content)."""
    key = _template_key(theme) if cache_dir is not None else None
    if key is not None and cache_dir is not None:
        cached = _read_cached(cache_dir, key)
        if cached is not None:
            return cached
    info = _load_template(theme, workspace_display)
    if key is not None and cache_dir is not None:
        _write_cached(cache_dir, key, info)
    return info


def _template_key(theme: ThemeSpec) -> str:
    import hashlib
    import json

    from lecturegen import __version__

    template_hash = hashlib.sha256(theme.template.read_bytes()).hexdigest() if theme.template else None
    # The generator's own source is part of the key: a changed generator never serves a stale template.
    generator = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    spec = {"v": __version__, "generator": generator, "colors": theme.colors, "palette": theme.palette, "fonts": [theme.heading_font,
            theme.body_font], "sizes": theme.sizes, "template": template_hash, "name": theme.name}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:32]


def _read_cached(cache_dir: Path, key: str) -> TemplateInfo | None:
    import json

    try:
        meta = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        blob = (cache_dir / f"{key}.pptx").read_bytes()
        layouts = {name: LayoutInfo(name, {role: Box(*box) for role, box in boxes.items()})
                   for name, boxes in meta["layouts"].items()}
        return TemplateInfo(blob, meta["name"], meta["width"], meta["height"], layouts, tuple(meta["problems"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cached(cache_dir: Path, key: str, info: TemplateInfo) -> None:
    import json
    import os
    import tempfile

    meta = {"name": info.name, "width": info.slide_width, "height": info.slide_height, "problems": info.problems,
            "layouts": {n: {r: [b.x, b.y, b.cx, b.cy] for r, b in l.boxes.items()} for n, l in info.layouts.items()}}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".pptx", info.blob), (".json", json.dumps(meta).encode())):
            fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, cache_dir / f"{key}{suffix}")
    except OSError:
        pass  # a read-only build folder only costs speed


def _load_template(theme: ThemeSpec, workspace_display: str | None = None) -> TemplateInfo:
    from pptx import Presentation

    if theme.template is not None:
        try:
            raw = theme.template.read_bytes()
            blob = _as_presentation(raw)
            prs = Presentation(io.BytesIO(blob))
        except TemplateError:
            raise
        except Exception as exc:  # python-pptx raises many kinds for a corrupt file
            raise TemplateError(f"template '{workspace_display or theme.template.name}' is not a readable "
                                f"PowerPoint file ({type(exc).__name__})", "theme.template-corrupt") from None
        _drop_sample_slides(prs)
        name = workspace_display or theme.template.name
    else:
        prs = _generated_presentation(theme)
        name = f"generated from themes/{theme.name}/theme.yaml"
    layouts = {layout.name: _layout_info(layout) for layout in prs.slide_layouts}
    missing = [n for n in REQUIRED_LAYOUTS if n not in layouts]
    if missing:
        raise TemplateError(
            f"template '{name}' has no layout named '{missing[0]}'"
            + (f" (nor {', '.join(repr(m) for m in missing[1:])})" if len(missing) > 1 else ""),
            "theme.layout-missing",
            hint="its layouts are: " + ", ".join(f"'{n}'" for n in layouts),
        )
    out = io.BytesIO()
    prs.save(out)
    if prs.slide_width is None or prs.slide_height is None:
        raise TemplateError(f"template '{name}' does not say its slide size (no <p:sldSz>)",
                            "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice")
    width, height = int(prs.slide_width), int(prs.slide_height)
    return TemplateInfo(out.getvalue(), name, width, height, layouts, _off_slide(layouts, width, height))


def _off_slide(layouts: dict[str, LayoutInfo], width: int, height: int) -> tuple[str, ...]:
    """Placeholders of the layouts lecturegen uses that reach beyond the slide's edges."""
    tolerance = 45720  # 0.05 in
    problems = []
    for name in REQUIRED_LAYOUTS:
        for role, box in layouts[name].boxes.items():
            if box.x < -tolerance or box.y < -tolerance or box.x + box.cx > width + tolerance \
                    or box.y + box.cy > height + tolerance:
                problems.append(f"the {role} placeholder of layout '{name}' reaches beyond the slide's edge")
    return tuple(problems)


def _as_presentation(raw: bytes) -> bytes:
    """A .potx differs from a .pptx only in its main part's content type; rewrite it."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as src:
            names = src.namelist()
            if "[Content_Types].xml" not in names:
                raise TemplateError("template is not a PowerPoint file (no [Content_Types].xml)",
                                    "theme.template-corrupt")
            types = src.read("[Content_Types].xml")
            if TEMPLATE_MAIN.encode() not in types:
                return raw
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for item in src.infolist():
                    data = src.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        data = data.replace(TEMPLATE_MAIN.encode(), PRESENTATION_MAIN.encode())
                    dst.writestr(item, data)
            return out.getvalue()
    except zipfile.BadZipFile:
        raise TemplateError("template is not a PowerPoint file (not a zip archive)", "theme.template-corrupt") from None


def _drop_sample_slides(prs) -> None:  # type: ignore[no-untyped-def]
    """Sample slides inside a template must never leak into a deck."""
    sld_id_lst = prs.slides._sldIdLst
    for sld_id in list(sld_id_lst):
        rel_id = sld_id.get("{%s}id" % NS["r"])
        prs.part.drop_rel(rel_id)
        sld_id_lst.remove(sld_id)


def _layout_info(layout) -> LayoutInfo:  # type: ignore[no-untyped-def]
    from pptx.enum.shapes import PP_PLACEHOLDER

    boxes: dict[str, Box] = {}
    bodies: list[tuple[int, Box, int]] = []
    for ph in layout.placeholders:
        fmt = ph.placeholder_format
        try:
            box = Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
        except (TypeError, ValueError):
            continue
        if fmt.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE):
            boxes["title"] = box
        elif fmt.type == PP_PLACEHOLDER.SUBTITLE:
            boxes["subtitle"] = box
        elif fmt.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.VERTICAL_BODY):
            bodies.append((fmt.idx, box, int(fmt.type)))
        elif fmt.type == PP_PLACEHOLDER.FOOTER:
            boxes["footer"] = box
        elif fmt.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            boxes["number"] = box
    bodies.sort(key=lambda item: item[0])
    if layout.name == "Comparison" and len(bodies) >= 4:
        # Comparison: heading, content, heading, content — in idx order.
        boxes["heading1"], boxes["body"], boxes["heading2"], boxes["body2"] = (b for _, b, _ in bodies[:4])
    else:
        for role, (_, box, _) in zip(("body", "body2"), bodies):
            boxes[role] = box
    return LayoutInfo(layout.name, boxes)


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


def _generated_presentation(theme: ThemeSpec):  # type: ignore[no-untyped-def]
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


def _style_theme_part(master, theme: ThemeSpec) -> None:  # type: ignore[no-untyped-def]
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


def _style_master(master, theme: ThemeSpec) -> None:  # type: ignore[no-untyped-def]
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
    # A short accent rule under every title: the calm signature of the theme.
    _add_rect(root, "Accent Rule", (0.6, 1.52, 1.1, 0.06), colors["accent"], 90)


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


def _style_layout(layout, theme: ThemeSpec) -> None:  # type: ignore[no-untyped-def]
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
