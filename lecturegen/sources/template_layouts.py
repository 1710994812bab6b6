"""Load layer: a slide master's text styles and its layouts' placeholders, read into model Layouts.

Placeholders inherit from the master (position, list styles, body properties); content boxes get their roles
by geometry (`_body_roles`); what the master or layout draws itself becomes an obstacle text keeps clear of.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from lxml import etree

from lecturegen import ooxml
from lecturegen.model.geometry import Box
from lecturegen.model.template import Backdrop, LevelStyle, Layout, Placeholder
from lecturegen.ooxml import A, P, R, RT
from lecturegen.records import record
from lecturegen.sources.template_backdrop import draw_backdrop
from lecturegen.sources.template_package import TemplatePackage, short
from lecturegen.sources.template_roles import structure_of
from lecturegen.sources.template_styles import (box_of, levels_from, merged_body_pr, parse_int, sample_levels,
                                                xfrm_box)

_TITLE_TYPES = ("title", "ctrTitle")
_FOOTER_TYPES = {"dt": "date", "ftr": "footer", "sldNum": "number"}
_MASTER_TYPE = {"ctrTitle": "title", "title": "title", "subTitle": "body", "obj": "body", "": "body",
                "body": "body", "dt": "dt", "ftr": "ftr", "sldNum": "sldNum"}
# (placeholder kind, what was done) → the layouts whose placeholder reached off the slide.
OffSlide = dict[tuple[str, str], list[str]]


@record
class MasterInfo:
    """What a master lends its layouts: placeholders, their refined styles, colours and its own shapes."""

    placeholders: dict[str, etree._Element]
    refined: dict[str, list[LevelStyle]]
    styles: dict[str, list[LevelStyle]]
    background: str
    title_color: str
    body_color: str
    obstacles: tuple[Box, ...]


def color_map(root: etree._Element, clr_map: etree._Element | None = None) -> dict[str, str]:
    """The logical slots (bg1, tx1 …) → scheme slots, from a master's clrMap or a layout's override."""
    mapping = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
    clr_map = root.find(f"{P}clrMap") if clr_map is None else clr_map
    if clr_map is not None:
        for key in ("bg1", "tx1", "bg2", "tx2"):
            if clr_map.get(key):
                mapping[key] = clr_map.get(key, mapping[key])
    return mapping


def read_master(pkg: TemplatePackage, master: str) -> MasterInfo:
    root = pkg.xml(master)
    pres = pkg.xml(pkg.main)
    default = levels_from(pres.find(f"{P}defaultTextStyle"), [LevelStyle() for _ in range(9)], pkg)
    styles = root.find(f"{P}txStyles")
    title = levels_from(styles.find(f"{P}titleStyle") if styles is not None else None, default, pkg)
    body = levels_from(styles.find(f"{P}bodyStyle") if styles is not None else None, default, pkg)
    other = levels_from(styles.find(f"{P}otherStyle") if styles is not None else None, default, pkg)
    placeholders: dict[str, etree._Element] = {}
    for sp in root.iter(f"{P}sp"):
        ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
        if ph is None:
            continue
        kind = _MASTER_TYPE.get(ph.get("type", "body"), ph.get("type", "body"))
        placeholders.setdefault(kind, sp)
    background = _background(pkg, root) or pkg.scheme.get(pkg.color_map.get("bg1", "lt1"), "FFFFFF")
    title_color = title[0].color or pkg.scheme.get(pkg.color_map.get("tx1", "dk1"), "000000")
    body_color = body[0].color or pkg.scheme.get(pkg.color_map.get("tx1", "dk1"), "000000")
    # A master placeholder's own lstStyle refines the text style of every layout that inherits it.
    refined = {}
    for kind, sp in placeholders.items():
        base = title if kind == "title" else body if kind == "body" else other
        levels = sample_levels(sp, base, pkg)
        refined[kind] = levels_from(sp.find(f"{P}txBody/{A}lstStyle"), levels, pkg)
    obstacles = drawn_obstacles(root, pkg)
    return MasterInfo(placeholders, refined, {"title": title, "body": body, "other": other}, background,
                       title_color, body_color, obstacles)

def _background(pkg: TemplatePackage, root: etree._Element) -> str | None:
    bg = root.find(f"{P}cSld/{P}bg")
    if bg is None:
        return None
    props = bg.find(f"{P}bgPr")
    if props is not None:
        fill = props.find(f"{A}solidFill")
        if fill is not None:
            return pkg.colour(fill)
        grad = props.find(f"{A}gradFill")
        if grad is not None:
            return pkg.colour(grad.find(f".//{A}gs"))
        return None
    ref = bg.find(f"{P}bgRef")
    return pkg.colour(ref) if ref is not None else None

def read_layouts(pkg: TemplatePackage, master: str, info: MasterInfo, index: int, width: int, height: int,
                 off_slide: OffSlide) -> list[Layout]:
    root = pkg.xml(master)
    order = {}
    lst = root.find(f"{P}sldLayoutIdLst")
    if lst is not None:
        for i, el in enumerate(lst):
            order[el.get(f"{R}id")] = i
    rels = [r for r in pkg.rels(master) if r.type == RT["layout"] and not r.external]
    rels.sort(key=lambda r: order.get(r.id, 10_000))
    layouts: list[Layout] = []
    seen: set[str] = set()
    for rel in rels:
        part = ooxml.resolve(master, rel.target)
        if part not in pkg.parts or part in seen:
            continue
        seen.add(part)
        layout_root = pkg.xml(part)
        c_sld = layout_root.find(f"{P}cSld")
        name = (c_sld.get("name") if c_sld is not None else None) or posixpath.basename(part)
        layout = _layout(pkg, name, part, layout_root, info, off_slide)
        master_map = pkg.color_map
        override = layout_root.find(f"{P}clrMapOvr/{A}overrideClrMapping")
        if override is not None:
            # A layout may invert the master's colour map (white text on a dark title slide): its text
            # colours and its backdrop resolve through the layout's own map.
            pkg.color_map = color_map(layout_root, override)
            layout = _remapped_inks(layout, master_map, pkg.color_map, pkg.scheme)
        try:
            layout = replace(layout, master=index, kind=structure_of(layout, width, height),
                             backdrop=_backdrop(pkg, master, part))
        finally:
            pkg.color_map = master_map
        layouts.append(layout)
    return layouts

def _backdrop(pkg: TemplatePackage, master: str, part: str) -> Backdrop | None:
    try:
        return draw_backdrop(pkg, master, part)
    except (ValueError, OSError, TypeError, ArithmeticError, MemoryError) as exc:
        pkg.problems.append(f"the background of layout part '{part}' could not be worked out ({short(str(exc))}); "
                             "text colours there are not checked")
        return None

def _layout(pkg: TemplatePackage, name: str, part: str, root: etree._Element, info: MasterInfo,
            off_slide: OffSlide) -> Layout:
    slide_w, slide_h = pkg.slide_size()
    found: list[tuple[str, etree._Element, etree._Element]] = []
    for sp in root.iter(f"{P}sp"):
        ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
        if ph is not None:
            found.append((ph.get("type", ""), ph, sp))
    placeholders: list[Placeholder] = []
    bodies: list[Placeholder] = []
    picture_slots = 0
    clipped: set[Box] = set()
    for ph_type, ph, sp in found:
        master_kind = _MASTER_TYPE.get(ph_type)
        if master_kind is None:
            box = box_of(sp)
            if ph_type in ("pic", "media", "clipArt") and box is not None and box.area > slide_w * slide_h * 0.05:
                picture_slots += 1
            continue  # pictures, charts, tables, media: lecturegen places its own
        master_sp = info.placeholders.get(master_kind)
        box = box_of(sp) or (box_of(master_sp) if master_sp is not None else None)
        if box is None:
            continue
        on_slide = _on_slide(box, ph_type, slide_w, slide_h, name, off_slide)
        if on_slide is None:
            continue  # wholly off the slide: as if the layout did not have it
        if on_slide != box:
            clipped.add(on_slide)
            box = on_slide
        placeholder = _placeholder(pkg, info, master_kind, ph_type, ph, sp, master_sp, box)
        role = placeholder.role
        if role in ("body", "subtitle") and placeholder.autofit == "shape":
            placeholder = replace(placeholder, box=_grown(placeholder.box, slide_w, slide_h), autofit="none")
        if role == "body":
            bodies.append(placeholder)
        elif not any(p.role == role for p in placeholders):
            placeholders.append(placeholder)
    placeholders.extend(_body_roles(bodies, slide_w))
    keys = [(ph.idx if ph.idx is not None else -1, ph.type if ph.idx is None else "") for ph in placeholders]
    placeholders = [replace(ph, unique=keys.count(key) == 1 and ph.box not in clipped)
                    for ph, key in zip(placeholders, keys)]
    obstacles = list(drawn_obstacles(root, pkg))
    if root.get("showMasterSp", "1") not in ("0", "false"):
        obstacles.extend(info.obstacles)
    # Content boxes that count for what the layout is: a footnote or source box beside a content box
    # does not make it a two-content layout.
    sizes = [box.area for t, _, sp in found if _MASTER_TYPE.get(t) == "body" and t != "subTitle"
             for box in [box_of(sp)] if box is not None]
    content_slots = sum(1 for area in sizes if area >= 0.4 * max(sizes)) if sizes else 0
    return Layout(name, part, tuple(placeholders), tuple(obstacles), picture_slots=picture_slots,
                  content_slots=content_slots)


def _role_of(ph_type: str) -> str:
    return "title" if ph_type in _TITLE_TYPES else "subtitle" if ph_type == "subTitle" else \
        _FOOTER_TYPES.get(ph_type, "body")


def _on_slide(box: Box, ph_type: str, slide_w: int, slide_h: int, name: str, off_slide: OffSlide) -> Box | None:
    """The part of a placeholder on the slide (written out in `off_slide`); None when wholly off it."""
    on_slide = box.intersection(Box(0, 0, slide_w, slide_h))
    if on_slide == box:
        return box
    done = "not used" if on_slide is None else "clipped to the slide"
    if on_slide is not None and ph_type in _FOOTER_TYPES and box.cx <= slide_w and box.cy <= slide_h:
        # A footer or number cut by the edge would be too short for its line: moved inside whole.
        on_slide = Box(min(max(box.x, 0), slide_w - box.cx), min(max(box.y, 0), slide_h - box.cy), box.cx, box.cy)
        done = "moved inside the slide"
    off_slide.setdefault((_role_of(ph_type), done), []).append(name)
    return on_slide


def _placeholder(pkg: TemplatePackage, info: MasterInfo, master_kind: str, ph_type: str, ph: etree._Element,
                 sp: etree._Element, master_sp: etree._Element | None, box: Box) -> Placeholder:
    """A layout placeholder with its styles inherited from the master's and its own body properties."""
    base = info.refined.get(master_kind) or info.styles["body" if master_kind == "body" else
                                                          "title" if master_kind == "title" else "other"]
    levels = levels_from(sp.find(f"{P}txBody/{A}lstStyle"), sample_levels(sp, base, pkg), pkg)
    default_ink = info.title_color if master_kind == "title" else info.body_color
    levels = [replace(level, ink=level.color or default_ink) for level in levels]
    body_pr = merged_body_pr(master_sp, sp)
    return Placeholder(
        role=_role_of(ph_type), type=ph_type, idx=parse_int(ph.get("idx"), 0, 2**32 - 1), box=box,
        insets=body_pr.insets, anchor=body_pr.anchor, autofit=body_pr.autofit, vertical=body_pr.vertical,
        levels=tuple(levels), orient=ph.get("orient"))


def _body_roles(bodies: list[Placeholder], slide_width: int) -> list[Placeholder]:
    """Content placeholders get roles by geometry, not by order: body, body2, and headings above or below."""
    if not bodies:
        return []
    subtitle = [b for b in bodies if b.type == "subTitle"]
    bodies = [b for b in bodies if b.type != "subTitle"]
    out: list[Placeholder] = [replace(subtitle[0], role="subtitle")] if subtitle else []
    if not bodies:
        return out
    bodies.sort(key=lambda b: -b.box.area)
    if len(bodies) == 4 and _headed_columns(bodies):
        # Comparison: two columns, each with a short heading and a tall content placeholder, in any order.
        four = sorted(bodies[:4], key=lambda b: b.box.x + b.box.cx / 2)
        left, right = sorted(four[:2], key=lambda b: b.box.cy), sorted(four[2:], key=lambda b: b.box.cy)
        out += [replace(left[0], role="heading1"), replace(left[1], role="body"),
                replace(right[0], role="heading2"), replace(right[1], role="body2")]
        return out
    largest = bodies[0]
    second = next((b for b in bodies[1:] if b.box.area > largest.box.area * 0.5), None)
    if second is None:
        return out + [replace(largest, role="body")]
    first, other = sorted((largest, second), key=lambda b: (b.box.x, b.box.y))
    return out + [replace(first, role="body"), replace(other, role="body2")]


def _grown(box: Box, width: int, height: int) -> Box:
    """A box that grows with its text (spAutoFit) as the room it can grow into: down to near the slide's foot."""
    bottom = max(box.bottom, height - height // 10)
    return Box(box.x, box.y, box.cx, bottom - box.y)


def _headed_columns(bodies: list[Placeholder]) -> bool:
    """Four content boxes that are two columns of a short heading over a tall body (not a 2×2 grid)."""
    four = sorted(bodies, key=lambda b: b.box.x + b.box.cx / 2)
    for column in (four[:2], four[2:]):
        short, tall = sorted(column, key=lambda b: b.box.cy)
        if short.box.cy > tall.box.cy * 0.5 or abs(short.box.x - tall.box.x) > tall.box.cx // 4:
            return False
    return True


def drawn_obstacles(root: etree._Element, reader: TemplatePackage) -> tuple[Box, ...]:
    """Pictures and text the master or layout draws itself (a logo, a 'confidential' mark)."""
    width, height = reader.slide_size()
    slide_area = width * height
    out: list[Box] = []
    tree = root.find(f"{P}cSld/{P}spTree")
    if tree is None:
        return ()
    for shape in tree:
        if not isinstance(shape.tag, str):
            continue
        local = etree.QName(shape).localname
        if shape.find(f".//{P}nvPr/{P}ph") is not None:
            continue
        box = None
        if local == "pic":
            box = box_of(shape)
        elif local == "sp":
            text = "".join(t.text or "" for t in shape.iter(f"{A}t")).strip()
            # Text it draws, or a picture it is filled with (a logo set as a shape's fill).
            if text or shape.find(f"{P}spPr/{A}blipFill") is not None:
                box = box_of(shape)
        elif local == "grpSp":
            xfrm = shape.find(f"{P}grpSpPr/{A}xfrm")
            if xfrm is not None and shape.find(f".//{P}pic") is not None:
                box = xfrm_box(xfrm.find(f"{A}off"), xfrm.find(f"{A}ext"))
        # Full-slide pictures are backgrounds, meant to be written over.
        if box is not None and box.area < slide_area * 0.3:
            out.append(box)
    return tuple(out)


def _remapped_inks(layout: Layout, before: dict[str, str], after: dict[str, str], scheme: dict[str, str]) -> Layout:
    """Text colours that came from a logical slot (tx1, bg1 …) under the master's map, as the layout's map has
    them."""
    moved = {scheme.get(before[slot]): scheme.get(after[slot]) for slot in before
             if scheme.get(before[slot]) and scheme.get(after.get(slot, before[slot]))}
    placeholders = tuple(replace(ph, levels=tuple(replace(level, ink=moved.get(level.ink) or level.ink)
                                                  for level in ph.levels)) for ph in layout.placeholders)
    return replace(layout, placeholders=placeholders)
