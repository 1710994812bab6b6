"""Render layer: the .pptx package — the template's parts plus slides, notes, media and charts, zipped once.

Deterministic by construction: fixed entry times, a fixed part order, dates from the deck's timestamp,
and document properties trimmed to PowerPoint's limits.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import field
from datetime import datetime, timezone

from lecturegen import ooxml
from lecturegen.model.deck import Deck
from lecturegen.model.text import property_text
from lecturegen.model.template import SLIDE_ID_MARK, SLIDE_RID_MARK, PackageFrame, Template
from lecturegen.ooxml import CT, RT, escape
from lecturegen.records import record
from lecturegen.render.slide_xml import NUMBER_TOKEN, SlideXml

_STORED = (".png", ".jpg", ".jpeg", ".gif", ".xlsx")
_IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


@record(frozen=False)
class ChartPart:
    xml: bytes
    workbook: bytes


@record(frozen=False)
class PackageParts:
    """What the slides bring to the package besides their own XML."""

    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # digest → (extension, bytes)
    charts: dict[str, ChartPart] = field(default_factory=dict)  # chart key → parts


def zip_time(timestamp: int) -> tuple[int, int, int, int, int, int]:
    # Zip cannot store times before 1980.
    moment = datetime.fromtimestamp(max(timestamp, 315532800), tz=timezone.utc)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def write_package(deck: Deck, template: Template, slides: list[SlideXml], extra: PackageParts) -> bytes:
    parts = dict(template.parts)
    frame = template.frame
    types = ooxml.ContentTypes(dict(frame.content_defaults), dict(frame.content_overrides))
    main = frame.main
    root_rels = list(frame.root_rels)
    pres_rels = list(frame.main_rels)
    taken = {r.id for r in pres_rels}
    counter = [0]

    def new_rid() -> str:
        while True:
            counter[0] += 1
            rid = f"rId{1000 + counter[0]}"
            if rid not in taken:
                taken.add(rid)
                return rid

    media_names = _add_media(parts, types, extra)
    chart_names = _add_charts(parts, types, extra)
    slide_entries = []
    for number, (model, rendered) in enumerate(zip(deck.slides, slides), start=1):
        slide_part = f"ppt/slides/slide{number}.xml"
        notes_part = f"ppt/notesSlides/notesSlide{number}.xml"
        layout_part = (template.layout(model.layout) or template.roles["content"]).part
        rels = [ooxml.Relationship("rId1", RT["layout"], ooxml.relative(slide_part, layout_part))]
        if rendered.notes is not None:
            rels.append(ooxml.Relationship("rId2", RT["notes"], ooxml.relative(slide_part, notes_part)))
            parts[notes_part] = rendered.notes
            parts[ooxml.rels_path(notes_part)] = ooxml.write_rels([
                ooxml.Relationship("rId1", RT["notes_master"], ooxml.relative(notes_part, template.notes_master)),
                ooxml.Relationship("rId2", RT["slide"], ooxml.relative(notes_part, slide_part)),
            ])
            types.overrides[notes_part] = CT["notes"]
        for rid, digest in rendered.images:
            rels.append(ooxml.Relationship(rid, RT["image"], ooxml.relative(slide_part, media_names[digest])))
        for rid, key in rendered.charts:
            rels.append(ooxml.Relationship(rid, RT["chart"], ooxml.relative(slide_part, chart_names[key])))
        for rid, url in rendered.links:
            rels.append(ooxml.Relationship(rid, RT["hyperlink"], url, external=True))
        parts[slide_part] = rendered.xml.replace(NUMBER_TOKEN.encode(), str(number).encode())
        parts[ooxml.rels_path(slide_part)] = ooxml.write_rels(rels)
        types.overrides[slide_part] = CT["slide"]
        rid = new_rid()
        pres_rels.append(ooxml.Relationship(rid, RT["slide"], ooxml.relative(main, slide_part)))
        slide_entries.append(rid)
    parts[ooxml.rels_path(main)] = ooxml.write_rels(pres_rels)
    parts[main] = _presentation_xml(frame, slide_entries)
    _document_properties(parts, types, deck, root_rels)
    parts["[Content_Types].xml"] = types.write()
    return _zip(parts, deck.timestamp)


def _add_media(parts: dict[str, bytes], types: ooxml.ContentTypes, extra: PackageParts) -> dict[str, str]:
    """Every picture as a media part named by its digest; the part names by digest are returned."""
    media_names: dict[str, str] = {}
    for digest, (extension, data) in sorted(extra.media.items()):
        name = f"ppt/media/image-{digest[:20]}.{extension}"
        media_names[digest] = name
        parts[name] = data
        types.defaults.setdefault(extension, _IMAGE_TYPES.get(extension, f"image/{extension}"))
    return media_names


def _add_charts(parts: dict[str, bytes], types: ooxml.ContentTypes, extra: PackageParts) -> dict[str, str]:
    """Every native chart as a chart part with its embedded workbook; the part names by chart key are returned."""
    chart_names: dict[str, str] = {}
    for index, (key, chart) in enumerate(sorted(extra.charts.items()), start=1):
        name = f"ppt/charts/chart{index}.xml"
        book = f"ppt/embeddings/Microsoft_Excel_Worksheet{index}.xlsx"
        chart_names[key] = name
        parts[name] = chart.xml
        parts[book] = chart.workbook
        parts[ooxml.rels_path(name)] = ooxml.write_rels(
            [ooxml.Relationship("rId1", RT["package"], ooxml.relative(name, book))])
        types.overrides[name] = CT["chart"]
        types.defaults.setdefault("xlsx", CT["xlsx"])
    return chart_names


def _presentation_xml(frame: PackageFrame, slide_rids: list[str]) -> bytes:
    """The presentation part with its slide list, from the frame the template reader worked out."""
    entries = "".join(frame.slide_entry.replace(SLIDE_ID_MARK, str(256 + index)).replace(SLIDE_RID_MARK, rid)
                      for index, rid in enumerate(slide_rids))
    return (frame.slide_list_head + entries + frame.slide_list_tail).encode("utf-8")


# Characters XML 1.0 forbids, and the C1 controls: a talk's file name may hold any of them.


def _document_properties(parts: dict[str, bytes], types: ooxml.ContentTypes, deck: Deck,
                         root_rels: list[ooxml.Relationship]) -> None:
    stamp = datetime.fromtimestamp(max(deck.timestamp, 0), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = f"lecturegen; {deck.talk}" + (f"; {deck.audience}" if deck.audience else "")
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(property_text(deck.title))}</dc:title><dc:subject>{escape(property_text(deck.subtitle))}</dc:subject>"
        f"<dc:creator>{escape(property_text(deck.presenter or 'lecturegen'))}</dc:creator>"
        f"<cp:keywords>{escape(property_text(keywords))}</cp:keywords><cp:lastModifiedBy>lecturegen</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><dc:language>{escape(property_text(deck.language))}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )
    notes = sum(1 for s in deck.slides if s.notes)
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>lecturegen</Application><Slides>{len(deck.slides)}</Slides><Notes>{notes}</Notes>"
        f"<HiddenSlides>{sum(1 for s in deck.slides if s.hidden)}</HiddenSlides></Properties>"
    )
    rels = [r for r in root_rels if r.type not in (RT["core"], RT["app"], _THUMBNAIL)]
    for r in root_rels:
        if r.type in (RT["core"], RT["app"], _THUMBNAIL):
            stale = ooxml.resolve("", r.target)
            parts.pop(stale, None)
            types.overrides.pop(stale, None)
    parts["docProps/core.xml"] = ooxml.XML_DECLARATION + core.encode("utf-8")
    parts["docProps/app.xml"] = ooxml.XML_DECLARATION + app.encode("utf-8")
    types.overrides["docProps/core.xml"] = CT["core"]
    types.overrides["docProps/app.xml"] = CT["app"]
    taken = {r.id for r in rels}
    for target, kind in (("docProps/core.xml", RT["core"]), ("docProps/app.xml", RT["app"])):
        n = 1
        while f"rId{n}" in taken:
            n += 1
        taken.add(f"rId{n}")
        rels.append(ooxml.Relationship(f"rId{n}", kind, target))
    parts["_rels/.rels"] = ooxml.write_rels(rels)


_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(blob: bytes, timestamp: int) -> bytes:
    """Another library's package (a workbook, a DOCX) rewritten with fixed entry times and document dates."""
    stamp = datetime.fromtimestamp(max(timestamp, 0), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(blob)) as src:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("core.xml"):
                data = _W3CDTF.sub(rb"\g<1>" + stamp + rb"\g<3>", data)
            parts[item.filename] = data
    return _zip(parts, timestamp)


def _zip(parts: dict[str, bytes], timestamp: int) -> bytes:
    when = zip_time(timestamp)
    out = io.BytesIO()
    first = [p for p in ("[Content_Types].xml", "_rels/.rels") if p in parts]
    names = first + sorted(p for p in parts if p not in first)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            # Pictures and workbooks are compressed already: storing them costs nothing in size.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(_STORED) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, parts[name])
    return out.getvalue()


__all__ = ["ChartPart", "PackageParts", "normalise_zip", "write_package", "zip_time"]
