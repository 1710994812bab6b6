"""Shared by the load and render layers: OOXML namespaces, relationship and content-type parts, part paths."""

from __future__ import annotations

import functools
import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported where XML is parsed: a build whose template comes from the store parses none
    from lxml import etree

from lecturegen.records import record

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
A = "{%s}" % NS["a"]
P = "{%s}" % NS["p"]
R = "{%s}" % NS["r"]
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT = {
    "office": RT_BASE + "officeDocument",
    "slide": RT_BASE + "slide",
    "layout": RT_BASE + "slideLayout",
    "master": RT_BASE + "slideMaster",
    "theme": RT_BASE + "theme",
    "notes": RT_BASE + "notesSlide",
    "notes_master": RT_BASE + "notesMaster",
    "image": RT_BASE + "image",
    "chart": RT_BASE + "chart",
    "package": RT_BASE + "package",
    "hyperlink": RT_BASE + "hyperlink",
    "core": "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "app": RT_BASE + "extended-properties",
    "pres_props": RT_BASE + "presProps",
    "vba": "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
}
CT = {
    "presentation": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "template": "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
    "macro": "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "macro_template": "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
    "slideshow": "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    "slide": "application/vnd.openxmlformats-officedocument.presentationml.slide+xml",
    "notes": "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml",
    "notes_master": "application/vnd.openxmlformats-officedocument.presentationml.notesMaster+xml",
    "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "chart": "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "core": "application/vnd.openxmlformats-package.core-properties+xml",
    "app": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@functools.cache
def _parser() -> etree.XMLParser:
    from lxml import etree

    # No entity expansion, no network, no DTDs: a template is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_blank_text=False)


def parse(data: bytes) -> etree._Element:
    from lxml import etree

    return etree.fromstring(data, _parser())


def serialise(root: etree._Element) -> bytes:
    from lxml import etree

    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def local_name(element: etree._Element) -> str:
    """The tag without its namespace ("" for comments and processing instructions)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@record
class Relationship:
    id: str
    type: str
    target: str  # as written (relative to the source part's folder) or an external URL
    external: bool = False


def rels_path(part: str) -> str:
    """The relationships part of a part: ppt/slides/slide1.xml → ppt/slides/_rels/slide1.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship target as a part name (no leading slash)."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def read_rels(data: bytes | None) -> list[Relationship]:
    if not data:
        return []
    root = parse(data)
    out = []
    for rel in root:
        if local_name(rel) != "Relationship":
            continue
        out.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", ""),
                                rel.get("TargetMode") == "External"))
    return out


def write_rels(rels: list[Relationship]) -> bytes:
    parts = [f'<Relationships xmlns="{REL_NS}">']
    for rel in rels:
        mode = ' TargetMode="External"' if rel.external else ""
        parts.append(f'<Relationship Id="{escape(rel.id)}" Type="{escape(rel.type)}" '
                     f'Target="{escape(rel.target)}"{mode}/>')
    parts.append("</Relationships>")
    return XML_DECLARATION + "".join(parts).encode("utf-8")


@record(frozen=False)
class ContentTypes:
    defaults: dict[str, str]  # extension (lower case) → type
    overrides: dict[str, str]  # part name (no leading slash) → type

    @classmethod
    def read(cls, data: bytes) -> ContentTypes:
        root = parse(data)
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        for el in root:
            name = local_name(el)
            if name == "Default":
                defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif name == "Override":
                overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
        return cls(defaults, overrides)

    def type_of(self, part: str) -> str | None:
        if part in self.overrides:
            return self.overrides[part]
        return self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())

    def write(self) -> bytes:
        parts = [f'<Types xmlns="{CT_NS}">']
        for ext in sorted(self.defaults):
            parts.append(f'<Default Extension="{escape(ext)}" ContentType="{escape(self.defaults[ext])}"/>')
        for name in sorted(self.overrides):
            parts.append(f'<Override PartName="/{escape(name)}" ContentType="{escape(self.overrides[name])}"/>')
        parts.append("</Types>")
        return XML_DECLARATION + "".join(parts).encode("utf-8")


def escape(text: str) -> str:
    """Text for an XML attribute or element (quotes included)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def emu_attr(element: etree._Element | None, name: str) -> int | None:
    if element is None:
        return None
    value = element.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            return int(float(value))
        except ValueError:
            return None
