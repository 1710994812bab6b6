"""Render layer: Deck → .pptx bytes through python-pptx, one builder per slide kind, placeholders first."""

from __future__ import annotations

import copy
import io
from typing import Callable

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from lecturegen.model.deck import Chart, Deck, Paragraph, Run, Slide
from lecturegen.model.geometry import TemplateInfo
from lecturegen.render.determinism import normalise_package
from lecturegen.render.template import A, NS, P
from lecturegen.sources.themes import ThemeSpec

ChartPng = Callable[..., bytes]

# Free area under the title on "Title Only" slides: pictures, charts and tables go here.
from lecturegen.model.geometry import CAPTION_BOTTOM, CAPTION_GAP, CONTENT_TOP, CONTENT_WIDTH, CONTENT_X
CHART_DPI = 200
AGENDA_TAB_IN = 1.2
_NO_BULLET_STYLES = {"big", "caption", "quote", "attribution", "reference", "agenda", "subtitle", "badge",
                     "heading"}


class _Renderer:
    def __init__(self, deck: Deck, template: TemplateInfo, theme: ThemeSpec, chart_png: ChartPng | None,
                 chart_style: object | None, add_native_chart: Callable[..., object] | None):
        self.deck = deck
        self.theme = theme
        self.prs = Presentation(io.BytesIO(template.blob))
        self.layouts = {layout.name: layout for layout in self.prs.slide_layouts}
        self.chart_png = chart_png
        self.chart_style = chart_style
        self.add_native_chart = add_native_chart
        self._roles: dict[int, dict[str, object]] = {}
        _fast_partnames(self.prs.part.package)

    # -- text --------------------------------------------------------------------------------------------
    def _runs(self, paragraph, runs: tuple[Run, ...], size: float | None = None,  # type: ignore[no-untyped-def]
              color: str | None = None) -> None:
        from pptx.dml.color import RGBColor

        for run in runs:
            if not run.text:
                continue
            r = paragraph.add_run()
            r.text = run.text
            if run.bold:
                r.font.bold = True
            if run.italic:
                r.font.italic = True
            if size is not None:
                r.font.size = Pt(size)
            if color is not None and not run.link:
                r.font.color.rgb = RGBColor.from_string(color)
            if run.link:
                r.hyperlink.address = run.link

    def _fill(self, frame, paragraphs: tuple[Paragraph, ...], scale: float = 1.0) -> None:  # type: ignore[no-untyped-def]
        frame.clear()
        colors = self.theme.colors
        for index, para in enumerate(paragraphs):
            p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            size = round(self.theme.paragraph_size(para.style, para.level) * scale, 1)
            color = None
            if para.style in ("body", "step"):
                p.level = min(para.level, 4)
            if para.style in _NO_BULLET_STYLES:
                self._no_bullet(p)
            if para.style == "big":
                p.alignment = PP_ALIGN.CENTER
                color = colors["accent"]
            elif para.style == "caption":
                p.alignment = PP_ALIGN.CENTER
                color = colors["muted"]
            elif para.style == "attribution":
                p.alignment = PP_ALIGN.RIGHT
                color = colors["muted"]
            elif para.style in ("heading", "badge"):
                color = colors["accent"]
            elif para.style == "reference":
                ppr = p._p.get_or_add_pPr()
                ppr.set("marL", str(Inches(0.5)))
                ppr.set("indent", str(-Inches(0.5)))
            elif para.style == "step" and para.level == 0:
                self._numbered(p)
            elif para.style == "agenda":
                # Hanging indent at the tab: a wrapped section title lines up with its first line.
                ppr = p._p.get_or_add_pPr()
                ppr.set("marL", str(Inches(AGENDA_TAB_IN)))
                ppr.set("indent", str(-Inches(AGENDA_TAB_IN)))
                self._tab_stop(p, Inches(AGENDA_TAB_IN))
            if para.style in ("caption", "attribution", "reference", "badge"):
                p.space_before = Pt(12 if para.style != "reference" else 6)
            if para.style == "big":
                self._runs(p, para.runs, size, color)
                for r in p.runs:
                    r.font.bold = True
                continue
            runs = para.runs
            if para.style == "quote":
                runs = (Run("“"),) + runs + (Run("”"),)
                self._runs(p, tuple(Run(r.text, r.bold, True, r.link, r.cited) for r in runs), size, color)
                continue
            self._runs(p, runs, size, color)

    @staticmethod
    def _no_bullet(p) -> None:  # type: ignore[no-untyped-def]
        ppr = p._p.get_or_add_pPr()
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        for tag in ("buNone", "buAutoNum", "buChar"):
            for el in ppr.findall(f"{A}{tag}"):
                ppr.remove(el)
        _insert_pPr_child(ppr, etree.Element(f"{A}buNone"))

    @staticmethod
    def _numbered(p) -> None:  # type: ignore[no-untyped-def]
        ppr = p._p.get_or_add_pPr()
        ppr.set("marL", str(Inches(0.5)))
        ppr.set("indent", str(-Inches(0.45)))
        _insert_pPr_child(ppr, etree.Element(f"{A}buAutoNum", type="arabicPeriod"))

    @staticmethod
    def _tab_stop(p, position: int) -> None:  # type: ignore[no-untyped-def]
        ppr = p._p.get_or_add_pPr()
        tabs = etree.Element(f"{A}tabLst")
        etree.SubElement(tabs, f"{A}tab", pos=str(int(position)), algn="l")
        _insert_pPr_child(ppr, tabs)

    def caption_box(self, runs: tuple[Run, ...], size: float) -> tuple[int, int, int, int]:
        """A caption box sized to its measured text, standing on the footer line."""
        height = caption_height_emu(self.theme, runs, size)
        return (CONTENT_X, CAPTION_BOTTOM - height, CONTENT_WIDTH, height)

    def content_box(self, model: Slide, captions: tuple[Run, ...]) -> tuple[int, int, int, int]:
        return content_box(self.theme, captions)

    def _text_box(self, slide, box: tuple[int, int, int, int], runs: tuple[Run, ...], size: float,  # type: ignore[no-untyped-def]
                  name: str, color: str | None = None, align=None) -> None:
        shape = slide.shapes.add_textbox(*box)
        shape.name = name
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        p = frame.paragraphs[0]
        if align is not None:
            p.alignment = align
        self._runs(p, runs, size, color or self.theme.colors["muted"])

    # -- slides ------------------------------------------------------------------------------------------
    def render(self) -> bytes:
        for index, slide in enumerate(self.deck.slides, start=1):
            self._slide(slide, index)
        _disable_auto_advance(self.prs)
        out = io.BytesIO()
        self._core_properties()
        self.prs.save(out)
        return normalise_package(out.getvalue(), self.deck.timestamp)

    def _placeholder(self, slide, role: str):  # type: ignore[no-untyped-def]
        """The slide's placeholder for a role, matched by type then idx order, as the layout defines."""
        roles = self._roles.get(id(slide))
        if roles is None:
            roles = self._roles[id(slide)] = _placeholder_roles(slide)
        return roles.get(role)

    def _slide(self, model: Slide, number: int) -> None:
        layout = self.layouts.get(model.layout) or self.layouts["Title and Content"]
        slide = self.prs.slides.add_slide(layout)
        title = self._placeholder(slide, "title")
        if title is not None:
            frame = title.text_frame
            frame.clear()
            self._runs(frame.paragraphs[0], model.title, model.title_size)
        BUILDERS.get(model.kind, _bullets)(self, slide, model)
        self._remove_empty_placeholders(slide)
        line = model.bottom_line()
        if line:
            size = self.theme.size("source")
            self._text_box(slide, self.caption_box(line, size), line, size, "Caption")
        self._footer(slide, layout, number)
        self._notes(slide, model)
        if model.hidden:
            slide._element.set("show", "0")
        _set_advance_time(slide, model.minutes)

    def _remove_empty_placeholders(self, slide) -> None:  # type: ignore[no-untyped-def]
        # An empty placeholder shows "Click to add text" in PowerPoint's editor: drop unused ones.
        for ph in list(slide.placeholders):
            if ph.has_text_frame and not ph.text_frame.text.strip():
                ph._element.getparent().remove(ph._element)

    def _footer(self, slide, layout, number: int) -> None:  # type: ignore[no-untyped-def]
        """Copy the layout's footer and slide-number placeholders onto the slide, filled in."""
        footer_text = self.deck.footer
        event = self.deck.event.get("name")
        if event and event not in footer_text:
            footer_text = f"{footer_text} · {event}"
        tree = slide.shapes._spTree
        for ph in layout.placeholders:
            kind = ph.placeholder_format.type
            if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
                continue
            el = copy.deepcopy(ph._element)
            # Keep position inheritance from the layout: drop the copied geometry.
            sp_pr = el.find(f"{P}spPr")
            for child in list(sp_pr):
                sp_pr.remove(child)
            body = el.find(f"{P}txBody")
            for p in body.findall(f"{A}p"):
                body.remove(p)
            p = etree.SubElement(body, f"{A}p")
            if kind == PP_PLACEHOLDER.FOOTER:
                r = etree.SubElement(p, f"{A}r")
                self._footer_rpr(etree.SubElement(r, f"{A}rPr", lang=self.deck.language))
                etree.SubElement(r, f"{A}t").text = footer_text
            else:
                fld = etree.SubElement(p, f"{A}fld", id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
                self._footer_rpr(etree.SubElement(fld, f"{A}rPr", lang=self.deck.language))
                etree.SubElement(fld, f"{A}t").text = str(number)
            tree.append(el)
        _renumber_shapes(slide)

    def _footer_rpr(self, rpr: etree._Element) -> None:
        # Explicit font: LibreOffice does not resolve a copied footer's inherited typeface.
        rpr.set("sz", str(int(self.theme.size("footer") * 100)))
        etree.SubElement(rpr, f"{A}latin", typeface=self.theme.body_font)

    def _notes(self, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
        if not model.notes:
            return
        frame = slide.notes_slide.notes_text_frame
        frame.clear()
        for index, para in enumerate(model.notes):
            p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            self._runs(p, para.runs)
            if para.style == "cue":
                for r in p.runs:
                    r.font.bold = True

    def _core_properties(self) -> None:
        from datetime import datetime, timezone

        core = self.prs.core_properties
        core.title = self.deck.title
        core.subject = self.deck.subtitle
        core.author = self.deck.presenter or "lecturegen"
        core.last_modified_by = "lecturegen"
        core.keywords = f"lecturegen; {self.deck.talk}" + (f"; {self.deck.audience}" if self.deck.audience else "")
        core.language = self.deck.language
        core.revision = 1
        stamp = datetime.fromtimestamp(self.deck.timestamp, tz=timezone.utc).replace(tzinfo=None)
        core.created = stamp
        core.modified = stamp
        core.last_printed = stamp

    # -- kind builders -----------------------------------------------------------------------------------
    def body_scale(self, model: Slide) -> float:
        return (model.body_size / self.theme.size("body")) if model.body_size else 1.0

    def picture(self, slide, blob: bytes, alt: str, box: tuple[int, int, int, int], name: str):  # type: ignore[no-untyped-def]
        from PIL import Image

        with Image.open(io.BytesIO(blob)) as image:
            width, height = image.size
        x, y, cx, cy = box
        ratio = min(cx / width, cy / height)
        w, h = int(width * ratio), int(height * ratio)
        pic = slide.shapes.add_picture(io.BytesIO(blob), x + (cx - w) // 2, y + (cy - h) // 2, w, h)
        pic.name = name
        pic._element.nvPicPr.cNvPr.set("descr", alt)
        return pic


_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.VERTICAL_BODY)
_BODY_ORDER = {"body": 0, "body2": 1, "heading1": 0, "body_c1": 1, "heading2": 2, "body_c2": 3}


def _placeholder_roles(slide) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Each role's placeholder, read once per slide (python-pptx answers every query with an XPath)."""
    typed = []
    for ph in slide.placeholders:
        fmt = ph.placeholder_format
        typed.append((fmt.idx, fmt.type, ph))
    typed.sort(key=lambda item: item[0])
    roles: dict[str, object] = {}
    title = next((ph for _, kind, ph in typed if kind in _TITLE_TYPES), None)
    if title is not None:
        roles["title"] = title
    bodies = [ph for _, kind, ph in typed if kind in _BODY_TYPES]
    for role, index in _BODY_ORDER.items():
        if index < len(bodies):
            roles[role] = bodies[index]
    return roles


def _fast_partnames(package) -> None:  # type: ignore[no-untyped-def]
    """python-pptx names each new part by scanning every part (quadratic in slides); remember instead."""
    from pptx.opc.packuri import PackURI

    taken: set[str] = set()
    original = package.next_partname

    def next_partname(template: str) -> PackURI:
        if not taken:
            taken.update(str(part.partname) for part in package.iter_parts())
        n = 1
        while template % n in taken:
            n += 1
        taken.add(template % n)
        return PackURI(template % n)

    package.next_partname = next_partname
    del original


def _insert_pPr_child(ppr: etree._Element, child: etree._Element) -> None:
    """Insert a pPr child in schema order (lnSpc, spcBef, spcAft, bu*, tabLst, defRPr)."""
    order = ["lnSpc", "spcBef", "spcAft", "buClrTx", "buClr", "buSzTx", "buSzPct", "buSzPts", "buFontTx", "buFont",
             "buNone", "buAutoNum", "buChar", "buBlip", "tabLst", "defRPr", "extLst"]
    name = etree.QName(child).localname
    rank = order.index(name)
    for index, existing in enumerate(ppr):
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            ppr.insert(index, child)
            return
    ppr.append(child)


def _renumber_shapes(slide) -> None:  # type: ignore[no-untyped-def]
    """Shape ids must be unique within a slide; copied placeholders bring the layout's ids."""
    for index, c_nv_pr in enumerate(slide.shapes._spTree.iter(f"{P}cNvPr"), start=2):
        c_nv_pr.set("id", str(index))


def _set_advance_time(slide, minutes: float) -> None:  # type: ignore[no-untyped-def]
    """Planned time as the slide's rehearsal timing; the show itself still advances on click."""
    if minutes <= 0:
        return
    root = slide._element
    for old in root.findall(f"{P}transition"):
        root.remove(old)
    transition = etree.Element(f"{P}transition", advClick="1", advTm=str(int(round(minutes * 60_000))))
    anchor = root.find(f"{P}clrMapOvr")
    if anchor is None:
        anchor = root.find(f"{P}cSld")
    anchor.addnext(transition)


def _disable_auto_advance(prs) -> None:  # type: ignore[no-untyped-def]
    """Timings are stored for the slide sorter; `useTimings="0"` keeps the show manual."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = prs.part.part_related_by(RT.PRES_PROPS)
    except KeyError:
        return
    root = etree.fromstring(part.blob)
    show = root.find(f"{P}showPr")
    if show is None:
        show = etree.Element(f"{P}showPr", showNarration="1")
        root.insert(0, show)
    show.set("useTimings", "0")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- builders per kind -----------------------------------------------------------------------------------------

def _bullets(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    if model.columns:
        _columns(r, slide, model)
        return
    body = r._placeholder(slide, "body")
    if body is not None and model.body:
        r._fill(body.text_frame, model.body, r.body_scale(model))


def _centred(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    """A quote or a big statement stands in the middle of the free area, not at its top."""
    _bullets(r, slide, model)
    body = r._placeholder(slide, "body")
    if body is not None:
        body.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _subtitle(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    body = r._placeholder(slide, "body")
    if body is None or not model.subtitle:
        return
    frame = body.text_frame
    frame.clear()
    for index, para in enumerate(model.subtitle):
        p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        r._no_bullet(p)
        r._runs(p, para.runs, r.body_scale(model) * 22 if model.body_size else None)


def _columns(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    scale = r.body_scale(model)
    if model.kind == "comparison":
        roles = (("heading1", "body_c1"), ("heading2", "body_c2"))
        for (heading_role, body_role), column in zip(roles, model.columns):
            heading = r._placeholder(slide, heading_role)
            if heading is not None and column.heading:
                frame = heading.text_frame
                frame.clear()
                r._runs(frame.paragraphs[0], column.heading)
            body = r._placeholder(slide, body_role)
            if body is not None:
                r._fill(body.text_frame, column.body, scale)
        return
    for role, column in zip(("body", "body2"), model.columns):
        body = r._placeholder(slide, role)
        if body is None:
            continue
        paragraphs = column.body
        if column.heading:
            paragraphs = (Paragraph(column.heading, style="heading"),) + paragraphs
        r._fill(body.text_frame, paragraphs, scale)


def _table(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor

    table = model.table
    if table is None:
        return
    columns = max([len(table.header)] + [len(row) for row in table.rows])
    rows = len(table.rows) + (1 if table.header else 0)
    x, y, cx, _ = r.content_box(model, model.bottom_line())
    row_height = Inches(0.55)
    frame = slide.shapes.add_table(rows, columns, x, y, cx, Emu(row_height * rows))
    frame.name = "Table"
    shape = frame.table
    size = max(r.theme.size("min_body"), 20.0)
    all_rows = ([table.header] if table.header else []) + list(table.rows)
    for i, row in enumerate(all_rows):
        for j in range(columns):
            cell = shape.cell(i, j)
            text_frame = cell.text_frame
            text_frame.clear()
            runs = row[j] if j < len(row) else ()
            runs = tuple(Run(x.text, x.bold or (i == 0 and bool(table.header)), x.italic, x.link, x.cited)
                         for x in runs)
            r._runs(text_frame.paragraphs[0], runs, size,
                    "FFFFFF" if i == 0 and table.header else r.theme.colors["text"])
            if i == 0 and table.header:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(r.theme.colors["title"])


def _image(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    if model.picture is None:
        return
    with open(model.picture.path, "rb") as handle:
        blob = handle.read()
    r.picture(slide, blob, model.picture.alt, r.content_box(model, model.bottom_line()), "Picture")


def _chart(r: _Renderer, slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    chart = model.chart
    if chart is None:
        return
    box = r.content_box(model, model.bottom_line())
    x, y, cx, cy = box
    if chart.native and r.add_native_chart is not None:
        r.add_native_chart(slide.shapes, chart, x, y, cx, cy, r.chart_style)
    elif r.chart_png is not None:
        blob = r.chart_png(chart, r.chart_style, round(cx / 914400, 2), round(cy / 914400, 2), CHART_DPI)
        r.picture(slide, blob, chart.alt, box, "Chart")


def content_box(theme: ThemeSpec, captions: tuple[Run, ...]) -> tuple[int, int, int, int]:
    """The free area under the title, above any caption."""
    bottom = CAPTION_BOTTOM - (caption_height_emu(theme, captions, theme.size("source"))
                               if captions else Inches(0.3)) - CAPTION_GAP
    return (CONTENT_X, CONTENT_TOP, CONTENT_WIDTH, bottom - CONTENT_TOP)


def chart_picture_size(slide: Slide, theme: ThemeSpec) -> tuple[Chart, float, float] | None:
    """(chart, width in, height in) of a chart drawn as a picture, as the renderer will size it."""
    chart = slide.chart
    if chart is None or chart.native:
        return None
    _, _, cx, cy = content_box(theme, slide.bottom_line())
    return chart, round(cx / 914400, 2), round(cy / 914400, 2)


def chart_picture_sizes(deck: Deck, theme: ThemeSpec) -> list[tuple[Chart, float, float]]:
    return [size for slide in deck.slides if (size := chart_picture_size(slide, theme)) is not None]


def caption_height_emu(theme: ThemeSpec, runs: tuple[Run, ...], size: float) -> int:
    from lecturegen.compile.measure import TextMeasurer, caption_height_pt

    measurer = TextMeasurer(theme.body_font)
    return int(caption_height_pt(measurer, [(r.text, r.bold) for r in runs], size, CONTENT_WIDTH / 12700) * 12700)
BUILDERS: dict[str, Callable[[_Renderer, object, Slide], None]] = {
    "title": _subtitle,
    "section": _subtitle,
    "break": _subtitle,
    "closing": _subtitle,
    "bullets": _bullets,
    "agenda": _bullets,
    "references": _bullets,
    "quote": _centred,
    "statement": _centred,
    "exercise": _bullets,
    "discussion": _bullets,
    "two-column": _columns,
    "comparison": _columns,
    "table": _table,
    "image": _image,
    "chart": _chart,
}


def render_pptx(deck: Deck, template: TemplateInfo, theme: ThemeSpec, chart_png: ChartPng | None = None,
                chart_style: object | None = None,
                add_native_chart: Callable[..., object] | None = None) -> bytes:
    """The deck as .pptx bytes: deterministic for the same deck and template."""
    return _Renderer(deck, template, theme, chart_png, chart_style, add_native_chart).render()


__all__ = ["render_pptx", "NS"]
