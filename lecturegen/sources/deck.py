"""Load layer: any .pptx (ours, edited in PowerPoint or LibreOffice, or from another tool) → DeckSnapshot."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from lecturegen import ooxml
from lecturegen.model.roundtrip import ANCHOR_PREFIX, DeckSnapshot, ShapeText, SlideSnapshot, is_cue
from lecturegen.ooxml import A, NS, P, R, RT

if TYPE_CHECKING:
    from lxml import etree

MAX_DECK_FILE = 500 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024  # one XML part, inflated
_AUTOMATIC = ("sldNum", "dt")  # filled in by PowerPoint (numbers change when slides move): not the author's text
# LibreOffice writes a title slide's centred title back as a plain title: one role, one name.
_SAME_PLACEHOLDER = {"ctrTitle": "title"}
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"


class DeckError(Exception):
    """A file that is not a readable PowerPoint deck; the message says why."""


class _Package:
    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise DeckError("it is not a PowerPoint (.pptx) file") from None
        self.names = set(self.zip.namelist())

    def read(self, part: str) -> bytes | None:
        if part not in self.names:
            return None
        info = self.zip.getinfo(part)
        if info.file_size > MAX_PART:
            raise DeckError(f"part '{part}' is larger than {MAX_PART // 2**20} MB")
        try:
            return self.zip.read(part)
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError) as exc:
            raise DeckError(f"part '{part}' cannot be read: {exc}") from None

    def xml(self, part: str) -> etree._Element | None:
        data = self.read(part)
        if data is None:
            return None
        try:
            return ooxml.parse(data)
        except Exception:  # lxml's XMLSyntaxError and friends
            raise DeckError(f"part '{part}' is not well-formed XML") from None

    def rels(self, part: str) -> list[ooxml.Relationship]:
        try:
            return ooxml.read_rels(self.read(ooxml.rels_path(part)))
        except DeckError:
            raise
        except Exception:
            raise DeckError(f"the relationships of '{part}' cannot be read") from None

    def target(self, part: str, rel_type: str) -> str | None:
        for rel in self.rels(part):
            if rel.type == rel_type and not rel.external:
                return ooxml.resolve(part, rel.target)
        return None


def main_part(package: _Package) -> str:
    for rel in package.rels(""):
        if rel.type == RT["office"]:
            return ooxml.resolve("", rel.target)
    if "ppt/presentation.xml" in package.names:
        return "ppt/presentation.xml"
    raise DeckError("it has no presentation part (is it a PowerPoint file?)")


def read_deck(data: bytes, media: dict[str, bytes] | None = None) -> DeckSnapshot:
    """Every slide in show order: its anchor id, hidden flag, text per shape, notes (cue left out), advance time,
    PowerPoint section and layout name. `media`, when given, receives the pictures' bytes by part name."""
    package = _Package(data)
    main = main_part(package)
    root = package.xml(main)
    if root is None:
        raise DeckError("its presentation part is missing")
    rels = {r.id: r for r in package.rels(main)}
    ids = root.find(f"{P}sldIdLst")
    order: list[tuple[str, str]] = []  # (slide id, part)
    for entry in ids if ids is not None else ():
        rel = rels.get(entry.get(f"{R}id") or "")
        if rel is not None and not rel.external:
            order.append((entry.get("id") or "", ooxml.resolve(main, rel.target)))
    sections = _sections(root)
    slides = []
    for number, (sld_id, part) in enumerate(order, start=1):
        slide = package.xml(part)
        if slide is None:
            continue
        slides.append(_slide(package, part, slide, number, sections.get(sld_id, ""), media))
    return DeckSnapshot(tuple(slides))


def _sections(root: etree._Element) -> dict[str, str]:
    """Slide id → the name of its PowerPoint section (p14:sectionLst in the presentation's extensions)."""
    out: dict[str, str] = {}
    for section in root.iter(f"{{{_P14}}}section"):
        name = section.get("name") or ""
        for entry in section.iter(f"{{{_P14}}}sldId"):
            out[entry.get("id") or ""] = name
    return out


def _slide(package: _Package, part: str, slide: etree._Element, number: int, section: str,
           media: dict[str, bytes] | None) -> SlideSnapshot:
    rels = {r.id: r for r in package.rels(part)}
    shapes: list[ShapeText] = []
    uid = ""
    tree = slide.find(f"{P}cSld/{P}spTree")
    for element in _shapes(tree):
        shape = _shape(element, part, rels, media, package)
        if shape is None:
            continue
        if shape.name.startswith(ANCHOR_PREFIX):
            uid = uid or shape.name[len(ANCHOR_PREFIX):].strip()
            continue
        if shape.placeholder in _AUTOMATIC:
            continue
        shapes.append(shape)
    notes: tuple[str, ...] = ()
    notes_part = next((ooxml.resolve(part, r.target) for r in rels.values() if r.type == RT["notes"]
                       and not r.external), None)
    if notes_part is not None:
        notes_root = package.xml(notes_part)
        if notes_root is not None:
            notes = _notes(notes_root)
    advance = None
    for transition in slide.iter(f"{P}transition"):
        value = transition.get("advTm")
        if value is not None and value.isdigit():
            advance = int(value)
        break
    layout = ""
    layout_part = next((ooxml.resolve(part, r.target) for r in rels.values() if r.type == RT["layout"]), None)
    if layout_part is not None:
        layout_root = package.xml(layout_part)
        c_sld = layout_root.find(f"{P}cSld") if layout_root is not None else None
        layout = (c_sld.get("name") or "") if c_sld is not None else ""
    return SlideSnapshot(uid, number, slide.get("show") in ("0", "false"), tuple(shapes), notes, advance,
                         section, layout)


def _shapes(tree: etree._Element | None) -> list[etree._Element]:
    """The shapes of a tree in z-order, groups opened (a picture and its caption grouped stay two shapes)."""
    out: list[etree._Element] = []
    if tree is None:
        return out
    for child in tree:
        name = ooxml.local_name(child)
        if name == "grpSp":
            out.extend(_shapes(child))
        elif name in ("sp", "pic", "graphicFrame", "cxnSp"):
            out.append(child)
        elif name == "AlternateContent":  # mc:AlternateContent: the fallback is what every reader knows
            fallback = next((c for c in child if ooxml.local_name(c) == "Fallback"), None)
            if fallback is not None:
                out.extend(_shapes(fallback))
    return out


def _shape(element: etree._Element, part: str, rels: dict[str, ooxml.Relationship],
           media: dict[str, bytes] | None, package: _Package | None = None) -> ShapeText | None:
    c_nv = next(element.iter(f"{P}cNvPr"), None)
    if c_nv is None:
        return None
    name = c_nv.get("name") or ""
    try:
        shape_id = int(c_nv.get("id") or 0)
    except ValueError:
        shape_id = 0
    ph = next(element.iter(f"{P}ph"), None)
    placeholder = "" if ph is None else (ph.get("type") or "body")
    placeholder = _SAME_PLACEHOLDER.get(placeholder, placeholder)
    kind = ooxml.local_name(element)
    alt = c_nv.get("descr") or ""
    box = _box(element)
    if kind == "sp":
        body = element.find(f"{P}txBody")
        paragraphs = _paragraphs(body) if body is not None else ()
        blip = element.find(f"{P}spPr/{A}blipFill/{A}blip")
        if blip is not None and not any(text.strip() for _, text in paragraphs):
            return ShapeText(name, shape_id, placeholder, (), (), _media(blip, part, rels, media), alt, "picture", box)
        return ShapeText(name, shape_id, placeholder, paragraphs, (), "", alt, "text", box)
    if kind == "cxnSp":
        return ShapeText(name, shape_id, placeholder, (), (), "", alt, "other")
    if kind == "pic":
        blip = element.find(f"{P}blipFill/{A}blip")
        target = _media(blip, part, rels, media) if blip is not None else ""
        return ShapeText(name, shape_id, placeholder, (), (), target, alt, "picture", box)
    table = element.find(f".//{A}tbl")
    if table is not None:
        rows = []
        for tr in table.iter(f"{A}tr"):
            cells = []
            for tc in tr.iter(f"{A}tc"):
                if tc.get("hMerge") in ("1", "true") or tc.get("vMerge") in ("1", "true"):
                    cells.append("")
                    continue
                body = tc.find(f"{A}txBody")
                cells.append("\n".join(text for _, text in _paragraphs(body)) if body is not None else "")
            rows.append(tuple(cells))
        return ShapeText(name, shape_id, placeholder, (), tuple(rows), "", alt, "table", box)
    chart = element.find(f".//{{{NS['c']}}}chart")
    if chart is not None:
        return ShapeText(name, shape_id, placeholder, (), (), "", alt, "chart", box,
                         _chart_data(package, part, rels, chart.get(f"{R}id") or ""))
    return ShapeText(name, shape_id, placeholder, (), (), "", alt, "other")


_CHART_TYPES = {"barChart": "bar", "bar3DChart": "bar", "lineChart": "line", "line3DChart": "line",
                "pieChart": "pie", "pie3DChart": "pie", "doughnutChart": "pie", "areaChart": "line"}


def _chart_data(package: _Package | None, part: str, rels: dict[str, ooxml.Relationship], rid: str
                ) -> tuple[str, tuple[str, ...], tuple[tuple[str, tuple[float | None, ...]], ...]] | None:
    """A native chart's type, categories and series, from the values cached in its part (what it shows)."""
    rel = rels.get(rid)
    if package is None or rel is None or rel.external:
        return None
    try:
        root = package.xml(ooxml.resolve(part, rel.target))
    except DeckError:
        return None
    c = f"{{{NS['c']}}}"
    plot = root.find(f".//{c}plotArea") if root is not None else None
    if plot is None:
        return None
    kind = next((_CHART_TYPES[ooxml.local_name(x)] for x in plot if ooxml.local_name(x) in _CHART_TYPES), None)
    if kind is None:
        return None
    categories: tuple[str, ...] = ()
    series = []
    for ser in plot.iter(f"{c}ser"):
        name = "".join(v.text or "" for v in ser.iterfind(f"{c}tx//{c}v"))
        cat = ser.find(f"{c}cat")
        if cat is not None and not categories:
            categories = _points(cat, text=True)  # type: ignore[assignment]
        val = ser.find(f"{c}val")
        values = _points(val, text=False) if val is not None else ()
        series.append((name, tuple(v if isinstance(v, float) or v is None else None for v in values)))
    if not series:
        return None
    return kind, categories, tuple(series)


def _points(node: etree._Element, text: bool) -> tuple[str | float | None, ...]:
    c = f"{{{NS['c']}}}"
    count = node.find(f".//{c}ptCount")
    points: dict[int, str] = {}
    for pt in node.iter(f"{c}pt"):
        v = pt.find(f"{c}v")
        try:
            points[int(pt.get("idx") or 0)] = (v.text or "") if v is not None else ""
        except ValueError:
            continue
    try:
        size = int(count.get("val") or 0) if count is not None else (max(points) + 1 if points else 0)
    except ValueError:
        size = max(points) + 1 if points else 0
    size = min(size, 10_000)
    out: list[str | float | None] = []
    for i in range(size):
        raw = points.get(i)
        if text:
            out.append(raw or "")
            continue
        try:
            out.append(float(raw) if raw not in (None, "") else None)
        except ValueError:
            out.append(None)
    return tuple(out)


def _box(element: etree._Element) -> tuple[int, int, int, int]:
    """The shape's own position and size (-1 each when it takes its layout placeholder's)."""
    xfrm = next((x for x in element.iter(f"{A}xfrm", f"{P}xfrm")), None)
    if xfrm is None:
        return (-1, -1, -1, -1)
    off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    try:
        return (int(off.get("x") or 0) if off is not None else -1, int(off.get("y") or 0) if off is not None else -1,
                int(ext.get("cx") or 0) if ext is not None else -1, int(ext.get("cy") or 0) if ext is not None else -1)
    except ValueError:
        return (-1, -1, -1, -1)


def _media(blip: etree._Element, part: str, rels: dict[str, ooxml.Relationship],
           media: dict[str, bytes] | None) -> str:
    rel = rels.get(blip.get(f"{R}embed") or "")
    if rel is None or rel.external:
        return ""
    return ooxml.resolve(part, rel.target)


def _paragraphs(body: etree._Element) -> tuple[tuple[int, str], ...]:
    out = []
    for p in body.iter(f"{A}p"):
        pieces = []
        for child in p:
            tag = ooxml.local_name(child)
            if tag in ("r", "fld"):
                t = child.find(f"{A}t")
                pieces.append(t.text or "" if t is not None else "")
            elif tag == "br":
                pieces.append("\n")
        ppr = p.find(f"{A}pPr")
        try:
            level = int(ppr.get("lvl") or 0) if ppr is not None else 0
        except ValueError:
            level = 0
        out.append((level, "".join(pieces)))
    # Empty paragraphs at the end (PowerPoint leaves one after Enter) are not text.
    while out and not out[-1][1].strip():
        out.pop()
    return tuple(out)


def _notes(root: etree._Element) -> tuple[str, ...]:
    """The notes placeholder's paragraphs, without the timing cue and trailing blank lines."""
    for sp in root.iter(f"{P}sp"):
        ph = next(sp.iter(f"{P}ph"), None)
        if ph is None or ph.get("type") != "body":
            continue
        body = sp.find(f"{P}txBody")
        if body is None:
            return ()
        return tuple(text for _, text in _paragraphs(body) if not is_cue(text))
    return ()


def read_media(data: bytes, parts: list[str]) -> dict[str, bytes]:
    """The bytes of the named parts (pictures), for import."""
    package = _Package(data)
    out = {}
    for name in parts:
        blob = package.read(name)
        if blob is not None:
            out[name] = blob
    return out


__all__ = ["DeckError", "MAX_DECK_FILE", "read_deck", "read_media"]
