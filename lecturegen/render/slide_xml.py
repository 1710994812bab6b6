"""Render layer: a laid-out model slide → slide XML and notes XML, written directly (no python-pptx objects).

Everything here is a translation of decisions in the model: boxes, sizes, colours and levels come from the
slide's shapes. Relationship targets (layout, media, charts, links) are left as local ids that the package
writer resolves, and the slide number is a token, so a slide's XML depends on that slide alone.

Over 400 lines because every kind of shape is written here against one relationship table and one run of
shape ids; the build animations live in slide_timing.py.
"""

from __future__ import annotations

from dataclasses import field
from typing import Iterator

from lecturegen.model.links import is_safe_link, link_target
from lecturegen.model.roundtrip import ANCHOR_PREFIX
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.chart import reveal_steps
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import (
    AutoShape,
    ChartShape,
    ConnectorShape,
    GroupShape,
    IconShape,
    PictureShape,
    QRShape,
    RectShape,
    Shape,
    TableShape,
    TextLine,
    TextShape,
    reveal_groups,
)
from lecturegen.records import record
from lecturegen.ooxml import NS, escape
from lecturegen.render.icon_xml import icon_xml
from lecturegen.render.slide_timing import chart_build, timing_xml

NUMBER_TOKEN = "\x00slide-number\x00"
NOTES_TOKEN = "\x00notes-number\x00"
UID_TOKEN = "\x00slide-uid\x00"  # the slide's round-trip id (model/roundtrip.py), set when the deck is assembled
_SLD_OPEN = (f'<p:sld xmlns:a="{NS["a"]}" xmlns:r="{NS["r"]}" xmlns:p="{NS["p"]}"{{show}}><p:cSld><p:spTree>'
             '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
             '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm>'
             '</p:grpSpPr>')
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # Medium Style 2 – Accent 1, PowerPoint's default


@record(frozen=False)
class SlideXml:
    """A slide as XML plus the relationships it needs, by what they point at (resolved when packaged)."""

    xml: bytes
    notes: bytes | None
    images: list[tuple[str, str]] = field(default_factory=list)  # (rId, media digest)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (rId, chart key)
    links: list[tuple[str, str]] = field(default_factory=list)  # (rId, url)


class _Rels:
    def __init__(self) -> None:
        self.next = 3  # rId1: the layout, rId2: the notes slide
        self.images: dict[str, str] = {}
        self.charts: dict[str, str] = {}
        self.links: dict[str, str] = {}

    def _new(self) -> str:
        rid = f"rId{self.next}"
        self.next += 1
        return rid

    def image(self, digest: str) -> str:
        if digest not in self.images:
            self.images[digest] = self._new()
        return self.images[digest]

    def chart(self, key: str) -> str:
        self.charts[key] = self._new()
        return self.charts[key]

    def link(self, url: str) -> str:
        if url not in self.links:
            self.links[url] = self._new()
        return self.links[url]


def slide_xml(slide: Slide, language: str, chart_media: str | None, chart_key: str | None,
              qr_media: dict[str, str] | None = None, chart_frames: tuple[str, ...] = ()) -> SlideXml:
    """The slide's XML; `chart_media` is the digest of a picture chart's PNG, `chart_key` a native chart's,
    `qr_media` the digests of QR-code pictures by the text they encode, `chart_frames` the further pictures of
    a revealed picture chart (its first step is `chart_media`), one a click."""
    rels = _Rels()
    out = [_XML_DECL, _SLD_OPEN.replace("{show}", ' show="0"' if slide.hidden else "")]
    ids = iter(range(2, 100_000))
    reveals: list[tuple[int, list[tuple[int, int]]]] = []
    shown: list[list[tuple[int | str, bool]]] = []  # per click: the shapes (id, has text) or targets it shows
    builds: list[str] = []  # build entries beyond those of text and shapes (a chart built by series)
    for shape in slide.shapes:
        shape_id = next(ids)
        if isinstance(shape, GroupShape) and shape.reveal and slide.reveal != "none":
            xml, clicks = _revealed_group(shape, shape_id, ids, language)
            out.append(xml)
            shown.extend(clicks)
            continue
        if isinstance(shape, QRShape):
            digest = (qr_media or {}).get(shape.data)
            if digest is not None:
                out.append(_picture(shape.name, shape.box, rels.image(digest), shape.alt, shape_id, False))
            continue
        if isinstance(shape, GroupShape):
            out.append(_group(shape, shape_id, ids, language))
            continue
        out.append(_shape(shape, shape_id, rels, language, slide, chart_media, chart_key))
        if isinstance(shape, ChartShape) and slide.chart is not None and reveal_steps(slide.chart):
            if shape.native and chart_key is not None:
                shown.extend(chart_build(shape_id, slide.chart))
                builds.append(f'<p:bldGraphic spid="{shape_id}" grpId="0"><p:bldSub><a:bldChart '
                              f'bld="{"series" if slide.chart.base.reveal == "series" else "category"}" '
                              'animBg="0"/></p:bldSub></p:bldGraphic>')
            elif chart_media is not None:
                # Each step a picture over the last, shown on its own click. Every one carries the alt text: a
                # reader that meets a later step alone still hears the whole chart.
                steps = len(chart_frames) + 1
                for step, digest in enumerate(chart_frames, start=2):
                    frame_id = next(ids)
                    alt = f"{slide.chart.alt} (Step {step} of {steps}.)"
                    out.append(_picture(f"{shape.name} step {step}", shape.box, rels.image(digest), alt, frame_id,
                                        False))
                    shown.append([(frame_id, False)])
        if slide.reveal != "none":
            groups = reveal_groups(shape)
            if groups:
                reveals.append((shape_id, groups))
    out.append(_anchor(next(ids)))
    out.append("</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>")
    if slide.minutes > 0:
        # Planned time as the rehearsal timing; the show itself advances on click (useTimings="0").
        out.append(f'<p:transition advClick="1" advTm="{int(round(slide.minutes * 60_000))}"/>')
    if reveals or shown:
        out.append(timing_xml(reveals, slide.reveal == "fade", shown, builds))
    out.append("</p:sld>")
    # The notes are written apart (notes_xml): their timing cue moves whenever an earlier slide changes,
    # and that must not make this slide's own XML stale.
    notes = None
    return SlideXml("".join(out).encode("utf-8"), notes, [(r, d) for d, r in rels.images.items()],
                    [(r, k) for k, r in rels.charts.items()], [(r, u) for u, r in rels.links.items()])


def _anchor(shape_id: int) -> str:
    """A hidden, zero-length connector without a line, whose name carries the slide's id: PowerPoint and
    LibreOffice keep it when the slide is edited, moved or hidden (LibreOffice renames placeholders, not other
    shapes); a connector holds no text, so nothing counts it as a text box."""
    return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{ANCHOR_PREFIX}{UID_TOKEN}" hidden="1"/>'
            '<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
            '</a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln><a:noFill/></a:ln></p:spPr></p:cxnSp>')


def _shape(shape: Shape, shape_id: int, rels: _Rels, language: str, slide: Slide, chart_media: str | None,
           chart_key: str | None) -> str:
    if isinstance(shape, TextShape):
        return _text_shape(shape, shape_id, rels, language)
    if isinstance(shape, PictureShape):
        if shape.backdrop:
            return _backdrop(shape, rels.image(shape.media.digest), shape_id)
        return _picture(shape.name, shape.box, rels.image(shape.media.digest), shape.alt, shape_id, shape.decorative,
                        shape.crop)
    if isinstance(shape, ChartShape):
        alt = slide.chart.alt if slide.chart is not None else ""
        if shape.native and chart_key is not None:
            return _chart_frame(shape, rels.chart(chart_key), alt, shape_id)
        if chart_media is not None:
            return _picture(shape.name, shape.box, rels.image(chart_media), alt, shape_id, False)
        return ""
    if isinstance(shape, TableShape):
        return _table(shape, shape_id, rels, language)
    if isinstance(shape, RectShape):
        return _rect(shape, shape_id)
    if isinstance(shape, IconShape):
        return icon_xml(shape, shape_id)
    raise NotImplementedError(f"no XML for shape {type(shape).__name__}")


def _nv_props(shape_id: int, name: str, alt: str | None = None) -> str:
    """A shape's id and name, and the description a screen reader speaks (none for a shape that has none)."""
    descr = "" if alt is None else f' descr="{escape(alt)}"'
    return f'<p:cNvPr id="{shape_id}" name="{escape(name)}"{descr}/>'


def _frame_head(shape: ChartShape | TableShape, shape_id: int, alt: str | None) -> str:
    """A graphic frame (a chart or a table) up to its graphic: its properties and its place."""
    return (f'<p:graphicFrame><p:nvGraphicFramePr>{_nv_props(shape_id, shape.name, alt)}<p:cNvGraphicFramePr>'
            f'<a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'{_xfrm(shape.box, "p:xfrm")}')


def _xfrm(box: Box, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.cx}" cy="{box.cy}"/></{tag}>'


def _text_shape(shape: TextShape, shape_id: int, rels: _Rels, language: str) -> str:
    name = escape(shape.name)
    if shape.placeholder is not None:
        ph = shape.placeholder
        attrs = (f' type="{ph.type}"' if ph.type else "") + (f' orient="{ph.orient}"' if ph.orient else "") + \
            (f' idx="{ph.idx}"' if ph.idx is not None and ph.type not in ("title", "ctrTitle") else "")
        head = (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
                f'</p:cNvSpPr><p:nvPr><p:ph{attrs}/></p:nvPr></p:nvSpPr>')
        sp_pr = "<p:spPr/>" if shape.inherit_box else f"<p:spPr>{_xfrm(shape.box)}</p:spPr>"
        anchor = f' anchor="{shape.anchor}"' if shape.anchor else ""
        if shape.inherit_box:
            body_pr = f"<a:bodyPr{anchor}/>"
        else:
            # A box of its own: its insets too, so nothing depends on which layout placeholder it maps to.
            i = shape.insets
            body_pr = f'<a:bodyPr lIns="{i.left}" tIns="{i.top}" rIns="{i.right}" bIns="{i.bottom}"{anchor}/>'
        font = None
    else:
        head = (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
                f'</p:nvSpPr>')
        fill = f'<a:solidFill><a:srgbClr val="{shape.fill}"/></a:solidFill>' if shape.fill else "<a:noFill/>"
        sp_pr = f'<p:spPr>{_xfrm(shape.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}</p:spPr>'
        i = shape.insets
        body_pr = (f'<a:bodyPr wrap="square" lIns="{i.left}" tIns="{i.top}" rIns="{i.right}" bIns="{i.bottom}" '
                   f'anchor="{shape.anchor or "t"}" rtlCol="0"><a:noAutofit/></a:bodyPr>')
        font = "+mj-lt" if shape.font == "heading" else "+mn-lt"
    paragraphs = "".join(_paragraph(line, rels, language, font, shape.field) for line in shape.lines) \
        or f'<a:p><a:endParaRPr lang="{language}"/></a:p>'
    return f"{head}{sp_pr}<p:txBody>{body_pr}<a:lstStyle/>{paragraphs}</p:txBody></p:sp>"


def _paragraph(line: TextLine, rels: _Rels | None, language: str, font: str | None, field: str | None = None,
               size: bool = True) -> str:
    attrs = f' marL="{line.margin}" indent="{line.indent}"'
    if line.level:
        attrs += f' lvl="{min(line.level, 8)}"'
    if line.align:
        attrs += f' algn="{line.align}"'
    children = f'<a:lnSpc><a:spcPct val="{int(round(line.line_spacing * 100_000))}"/></a:lnSpc>' \
        if abs(line.line_spacing - 1.0) > 1e-6 else ""
    children += f'<a:spcBef><a:spcPts val="{int(round(line.space_before * 100))}"/></a:spcBef>'
    # A template's space after a paragraph is carried as space before the next one (compile/layout.py): none is
    # left under the last line, which PowerPoint would count against the box.
    children += '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
    if line.bullet == "none":
        children += "<a:buNone/>"
    elif line.bullet == "number":
        children += '<a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"/>'
    if line.tab is not None:
        children += f'<a:tabLst><a:tab pos="{line.tab}" algn="l"/></a:tabLst>'
    runs = []
    if field == "slidenum":
        rpr = _rpr(Run(""), line, language, font, None, size)
        runs.append(f'<a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">{rpr}'
                    f"<a:t>{NUMBER_TOKEN}</a:t></a:fld>")
    else:
        for run in line.runs:
            if not run.text:
                continue
            # The policy again at the last step: a link from anywhere (a citation's URL too) is written only
            # when it is http(s) or mailto, without credentials or hidden characters.
            rid = rels.link(link_target(run.link or "")) if (rels is not None and is_safe_link(run.link)) else None
            for index, piece in enumerate(run.text.split("\n")):
                if index:
                    runs.append(f"<a:br>{_rpr(run, line, language, font, None, size)}</a:br>")
                if piece:
                    runs.append(f"<a:r>{_rpr(run, line, language, font, rid, size)}<a:t>{escape(piece)}</a:t></a:r>")
    end = f'<a:endParaRPr lang="{language}"' + (f' sz="{int(round(line.size * 100))}"' if size else "") + "/>"
    return f"<a:p><a:pPr{attrs}>{children}</a:pPr>{''.join(runs)}{end}</a:p>"


def _rpr(run: Run, line: TextLine, language: str, font: str | None, link_rid: str | None, size: bool) -> str:
    attrs = f' lang="{language}"'
    if size:
        attrs += f' sz="{int(round(line.size * 100))}"'
    if run.bold or line.bold:
        attrs += ' b="1"'
    if run.italic or line.italic:
        attrs += ' i="1"'
    attrs += ' dirty="0"'
    children = ""
    if line.color and not link_rid:
        children += f'<a:solidFill><a:srgbClr val="{line.color}"/></a:solidFill>'
    if font or line.typeface:
        children += f'<a:latin typeface="{escape(line.typeface or font or "")}"/>'
    if link_rid:
        children += f'<a:hlinkClick r:id="{link_rid}"/>'
    return f"<a:rPr{attrs}>{children}</a:rPr>" if children else f"<a:rPr{attrs}/>"


def _picture(name: str, box: Box, rid: str, alt: str, shape_id: int, decorative: bool,
             crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)) -> str:
    src = ""
    if any(crop):
        left, top, right, bottom = (int(round(v * 100_000)) for v in crop)
        src = f'<a:srcRect l="{left}" t="{top}" r="{right}" b="{bottom}"/>'
    return (f'<p:pic><p:nvPicPr>{_nv_props(shape_id, name, alt)}<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/>'
            f'</p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/>{src}<a:stretch><a:fillRect/></a:stretch>'
            f'</p:blipFill><p:spPr>{_xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


def _backdrop(shape: PictureShape, rid: str, shape_id: int) -> str:
    """A rectangle filled with the picture, behind the text that stands on it; the alt text stays."""
    left, top, right, bottom = (int(round(v * 100_000)) for v in shape.crop)
    return (f'<p:sp><p:nvSpPr>{_nv_props(shape_id, shape.name, shape.alt)}<p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr>{_xfrm(shape.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:blipFill><a:blip r:embed="{rid}"/><a:srcRect l="{left}" t="{top}" r="{right}" '
            f'b="{bottom}"/><a:stretch><a:fillRect/></a:stretch></a:blipFill><a:ln><a:noFill/></a:ln></p:spPr>'
            f'</p:sp>')


def _chart_frame(shape: ChartShape, rid: str, alt: str, shape_id: int) -> str:
    return (f'{_frame_head(shape, shape_id, alt)}<a:graphic><a:graphicData uri="{NS["c"]}"><c:chart xmlns:c="{NS["c"]}" r:id="{rid}"/></a:graphicData>'
            f"</a:graphic></p:graphicFrame>")


def _table(shape: TableShape, shape_id: int, rels: _Rels, language: str) -> str:
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in shape.column_widths)
    i = shape.cell_insets
    rows = []
    for r, (height, row) in enumerate(zip(shape.row_heights, shape.rows)):
        cells = []
        for cell in row:
            text = "".join(_paragraph(line, rels, language, None) for line in cell.lines) \
                or f'<a:p><a:endParaRPr lang="{language}"/></a:p>'
            body_row = r - 1 if shape.header else r
            colour = shape.header_fill if r == 0 and shape.header else \
                shape.band_fill if body_row % 2 == 1 and shape.band_fill else shape.body_fill
            fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else ""
            cells.append(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{text}</a:txBody><a:tcPr marL="{i.left}" '
                         f'marR="{i.right}" marT="{i.top}" marB="{i.bottom}">{fill}</a:tcPr></a:tc>')
        rows.append(f'<a:tr h="{height}">{"".join(cells)}</a:tr>')
    first = ' firstRow="1"' if shape.header else ""
    return (f'{_frame_head(shape, shape_id, None)}<a:graphic><a:graphicData '
            f'uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr{first} bandRow="1">'
            f"<a:tableStyleId>{TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
            f'{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')


def _rect(shape: RectShape, shape_id: int) -> str:
    alpha = f'<a:alpha val="{int(round(shape.alpha * 100_000))}"/>' if shape.alpha < 1 else ""
    return (f'<p:sp><p:nvSpPr>{_nv_props(shape_id, shape.name, "")}'
            f'<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(shape.box)}<a:prstGeom prst="rect"><a:avLst/>'
            f'</a:prstGeom><a:solidFill><a:srgbClr val="{shape.fill}">{alpha}</a:srgbClr></a:solidFill>'
            f'<a:ln><a:noFill/></a:ln></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr '
            f'lang="en-GB"/></a:p></p:txBody></p:sp>')


def _revealed_group(shape: GroupShape, shape_id: int, ids: Iterator[int],
                    language: str) -> tuple[str, list[list[tuple[int | str, bool]]]]:
    """A diagram revealed click by click: its shapes written ungrouped (PowerPoint animates a group only as a
    whole), and the ids each click shows. The first shape carries the diagram's alt text."""
    child_ids = [shape_id] + [next(ids) for _ in shape.children[1:]]
    parts = []
    for index, (child, child_id) in enumerate(zip(shape.children, child_ids)):
        if isinstance(child, AutoShape):
            xml = _auto_shape(child, child_id, language)
            if index == 0:
                xml = xml.replace(f'name="{escape(child.name)}"/>', f'name="{escape(child.name)}" '
                                  f'descr="{escape(shape.alt)}"/>', 1)
            parts.append(xml)
        elif isinstance(child, IconShape):
            parts.append(icon_xml(child, child_id))
        else:
            parts.append(_connector(child, child_id, child_ids))
    texts = [isinstance(child, AutoShape) and bool(child.lines) for child in shape.children]
    clicks: list[list[tuple[int | str, bool]]] = [[(child_ids[i], texts[i]) for i in step] for step in shape.reveal]
    return "".join(parts), clicks


def _group(shape: GroupShape, shape_id: int, ids: Iterator[int], language: str) -> str:
    """A diagram: its nodes and connectors in one group (child space = slide space), alt text on the group."""
    box = shape.box
    child_ids = [next(ids) for _ in shape.children]
    children = []
    for child, child_id in zip(shape.children, child_ids):
        if isinstance(child, AutoShape):
            children.append(_auto_shape(child, child_id, language))
        elif isinstance(child, IconShape):
            children.append(icon_xml(child, child_id))
        else:
            children.append(_connector(child, child_id, child_ids))
    return (f'<p:grpSp><p:nvGrpSpPr>{_nv_props(shape_id, shape.name, shape.alt)}<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
            f'<a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.cx}" cy="{box.cy}"/><a:chOff x="{box.x}" y="{box.y}"/>'
            f'<a:chExt cx="{box.cx}" cy="{box.cy}"/></a:xfrm></p:grpSpPr>{"".join(children)}</p:grpSp>')


def _auto_shape(shape: AutoShape, shape_id: int, language: str) -> str:
    if shape.fill is None:
        fill = "<a:noFill/>"
    else:
        alpha = f'<a:alpha val="{int(round(shape.alpha * 100_000))}"/>' if shape.alpha < 1 else ""
        fill = f'<a:solidFill><a:srgbClr val="{shape.fill}">{alpha}</a:srgbClr></a:solidFill>'
    line = (f'<a:ln w="{int(round(shape.outline_pt * 12700))}"><a:solidFill><a:srgbClr val="{shape.outline}"/>'
            f'</a:solidFill></a:ln>') if shape.outline else "<a:ln><a:noFill/></a:ln>"
    i = shape.insets
    vert = ' vert="vert270"' if shape.vertical else ""
    body_pr = (f'<a:bodyPr{vert} wrap="square" lIns="{i.left}" tIns="{i.top}" rIns="{i.right}" bIns="{i.bottom}" '
               f'anchor="{shape.anchor}" rtlCol="0"><a:noAutofit/></a:bodyPr>')
    font = "+mj-lt" if shape.font == "heading" else "+mn-lt"
    paragraphs = "".join(_paragraph(line_, None, language, font) for line_ in shape.lines) \
        or f'<a:p><a:endParaRPr lang="{language}"/></a:p>'
    return (f'<p:sp><p:nvSpPr>{_nv_props(shape_id, shape.name)}<p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{_xfrm(shape.box)}<a:prstGeom prst="{shape.geometry}"><a:avLst/></a:prstGeom>'
            f'{fill}{line}</p:spPr><p:txBody>{body_pr}<a:lstStyle/>{paragraphs}</p:txBody></p:sp>')


def _connector(shape: ConnectorShape, shape_id: int, sibling_ids: list[int]) -> str:
    (x1, y1), (x2, y2) = shape.start, shape.end
    flips = (' flipH="1"' if x2 < x1 else "") + (' flipV="1"' if y2 < y1 else "")
    box = shape.box
    glue = ""
    if shape.start_on is not None:
        glue += f'<a:stCxn id="{sibling_ids[shape.start_on[0]]}" idx="{shape.start_on[1]}"/>'
    if shape.end_on is not None:
        glue += f'<a:endCxn id="{sibling_ids[shape.end_on[0]]}" idx="{shape.end_on[1]}"/>'
    head = '<a:headEnd type="triangle" w="med" len="med"/>' if shape.head else ""
    tail = '<a:tailEnd type="triangle" w="med" len="med"/>' if shape.tail else ""
    return (f'<p:cxnSp><p:nvCxnSpPr>{_nv_props(shape_id, shape.name)}<p:cNvCxnSpPr>{glue}'
            f'</p:cNvCxnSpPr><p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flips}><a:off x="{box.x}" y="{box.y}"/>'
            f'<a:ext cx="{box.cx}" cy="{box.cy}"/></a:xfrm><a:prstGeom prst="straightConnector1"><a:avLst/>'
            f'</a:prstGeom><a:ln w="{int(round(shape.width_pt * 12700))}"><a:solidFill><a:srgbClr val="{shape.color}"/>'
            f'</a:solidFill>{head}{tail}</a:ln></p:spPr></p:cxnSp>')


def notes_xml(slide: Slide, language: str) -> bytes | None:
    """The slide's notes page, or None when it has no notes."""
    return _notes_xml(slide.notes, language) if slide.notes else None


def _notes_xml(notes: tuple[Paragraph, ...], language: str) -> bytes:
    paragraphs = []
    for para in notes:
        bold = para.style == "cue"
        aside = para.style == "direction"  # a direction to the presenter, not words to say: set apart in italics
        pieces = []
        for r in para.runs:
            if not r.text:
                continue
            flags = (' b="1"' if (bold or r.bold) else "") + (' i="1"' if (r.italic or aside) else "")
            pieces.append(f'<a:r><a:rPr lang="{language}"{flags} dirty="0"/><a:t>{escape(r.text)}</a:t></a:r>')
        runs = "".join(pieces)
        paragraphs.append(f"<a:p>{runs}</a:p>")
    return (f'{_XML_DECL}<p:notes xmlns:a="{NS["a"]}" xmlns:r="{NS["r"]}" xmlns:p="{NS["p"]}"><p:cSld><p:spTree>'
            '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
            '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm>'
            '</p:grpSpPr><p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
            '<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/>'
            '</p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/>'
            '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr>'
            f'</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{"".join(paragraphs)}</p:txBody></p:sp>'
            '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>').encode("utf-8")
