"""Load layer: a template's package — unzipped within limits, its parts read and cleaned before anything is used.

Cleaning removes what must never reach a deck: sample slides, macros, external links, embedded programs,
unreachable parts and dangling relationships; schema defects are repaired (`template_repair.py`), each named
in `problems`. The reader (`template.py`) adds the theme in force while it reads a master's layouts.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from typing import TYPE_CHECKING, Callable

from lxml import etree

if TYPE_CHECKING:
    from PIL import Image as PILImage

from lecturegen import ooxml
from lecturegen.model.template import ThemeFonts
from lecturegen.ooxml import CT, P, R, RT
from lecturegen.sources.template_colour import ColourScope
from lecturegen.sources.template_file import TemplateError
from lecturegen.sources.template_repair import repair_part
from lecturegen.sources.template_styles import emu

# Limits checked on the zip directory before a single part is inflated: a zip bomb is refused at once.
# Measured: a template inflating to 100 MiB costs a build about 2 s and 350 MB; 400 MiB cost 7 s and 1.2 GB.
MAX_PARTS = 5_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # inflated ÷ compressed, for parts over 1 MB (XML compresses about 10:1)
# A target with a scheme (http:, file:, ftp:, a drive letter C:) or a UNC path reaches outside the package,
# whatever its TargetMode says: such relationships are removed as external ones are.
_OUTSIDE_TARGET = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|\\\\|//)")
# Macro projects travel by relationship and by content type; a deck carries neither.
_MACRO_TYPES = ("application/vnd.ms-office.vbaproject", "application/vnd.ms-office.vbaprojectsignature",
                "application/vnd.ms-office.vbadata+xml")
# Relationship types (their last path segment) of objects that run code or carry other documents.
_EMBEDDED_RELATIONSHIPS = frozenset({"control", "activeXControlBinary", "oleObject", "package"})
MIN_SLIDE_EMU, MAX_SLIDE_EMU = 914400, 51206400  # PowerPoint's limits: 1 in to 56 in


def short(text: str) -> str:
    """The first line of an error message, short enough to quote."""
    return text.splitlines()[0][:120] if text else "unknown error"


def unzip_template(blob: bytes, name: str) -> dict[str, bytes]:
    """The package's parts, refused before inflating when the zip directory announces a bomb or a trick."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, UnicodeDecodeError):
        raise TemplateError(f"template '{name}' is not a PowerPoint file (not a zip archive)",
                            "theme.template-corrupt") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise TemplateError(f"template '{name}' has {len(infos):,} parts; the limit is {MAX_PARTS:,}",
                                "theme.template-too-large")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise TemplateError(f"template '{name}' inflates to {total / 2**20:,.0f} MB; the limit is "
                                f"{MAX_UNCOMPRESSED // 2**20} MB", "theme.template-too-large")
        seen: set[str] = set()
        for info in infos:
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > 2**20 and ratio > MAX_RATIO:
                raise TemplateError(f"template '{name}': part '{info.filename}' inflates {ratio:,.0f}-fold "
                                    "(a zip bomb?)", "theme.template-too-large")
            lowered = info.filename.lower()
            if lowered in seen:
                raise TemplateError(f"template '{name}' holds the part '{info.filename}' twice",
                                    "theme.template-corrupt")
            seen.add(lowered)
            if info.filename.startswith("/") or ".." in info.filename.split("/") or "\\" in info.filename:
                raise TemplateError(f"template '{name}' has an invalid part name '{info.filename}'",
                                    "theme.template-corrupt")
        parts: dict[str, bytes] = {}
        try:
            for info in infos:
                if info.is_dir():
                    continue
                # Never more than the directory declares: `archive.read` would inflate a part whose header
                # lies about its size to gigabytes before noticing (one call to zlib, capped at 2 GiB).
                with archive.open(info) as handle:
                    data = handle.read(info.file_size + 1)
                if len(data) != info.file_size:
                    raise zipfile.BadZipFile(f"part '{info.filename}' is not the size its header declares")
                parts[info.filename] = data
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError) as exc:  # RuntimeError: an encrypted part
            raise TemplateError(f"template '{name}' is damaged ({short(str(exc))})", "theme.template-corrupt",
                                hint="save it again from PowerPoint or LibreOffice") from None
    return parts


class TemplatePackage:
    """A template's parts being cleaned and read: parsed XML kept per part, written back once at the end."""

    def __init__(self, parts: dict[str, bytes], name: str):
        self.parts = parts
        self.name = name
        self.problems: list[str] = []
        self._xml: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()
        self.decoded_pictures: dict[str, PILImage.Image | None] = {}  # backdrops: each picture decoded once
        # The theme in force while a master and its layouts are read (set by the reader per master).
        self.fonts = ThemeFonts("Calibri", "Calibri")
        self.scheme: dict[str, str] = {}
        self.color_map: dict[str, str] = {}
        self.theme_part = ""
        self.types = self._content_types()
        self.main = self._main_part()

    # -- part access ---------------------------------------------------------------------------------
    def xml(self, part: str) -> etree._Element:
        if part not in self._xml:
            data = self.parts.get(part)
            if data is None:
                raise TemplateError(f"template '{self.name}' lacks the part '{part}'", "theme.template-corrupt",
                                    hint="save it again from PowerPoint or LibreOffice")
            self._xml[part] = ooxml.parse(data)
        return self._xml[part]

    def touch(self, part: str) -> None:
        self._dirty.add(part)

    def rels(self, part: str) -> list[ooxml.Relationship]:
        return ooxml.read_rels(self.parts.get(ooxml.rels_path(part)))

    def set_rels(self, part: str, rels: list[ooxml.Relationship]) -> None:
        self.parts[ooxml.rels_path(part)] = ooxml.write_rels(rels)
        self._xml.pop(ooxml.rels_path(part), None)

    def related(self, part: str, rel_type: str) -> list[str]:
        return [ooxml.resolve(part, r.target) for r in self.rels(part) if r.type == rel_type and not r.external]

    def colour(self, el: etree._Element | None) -> str | None:
        """The hex colour of a solidFill (or a colour element), scheme references and modifiers resolved."""
        return ColourScope(self.scheme, self.color_map).hex(el)

    def slide_size(self) -> tuple[int, int]:
        size = self.xml(self.main).find(f"{P}sldSz")
        if size is None or size.get("cx") is None or size.get("cy") is None:
            raise TemplateError(f"template '{self.name}' does not say its slide size (no <p:sldSz>)",
                                "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice")
        width, height = emu(size, "cx"), emu(size, "cy")
        if width is None or height is None or not (MIN_SLIDE_EMU <= width <= MAX_SLIDE_EMU
                                                   and MIN_SLIDE_EMU <= height <= MAX_SLIDE_EMU):
            shown = " × ".join(f"{v / 914400:.2f} in" if v is not None else f"'{size.get(k, '')[:20]}'"
                               for v, k in ((width, "cx"), (height, "cy")))
            raise TemplateError(f"template '{self.name}' has a slide size PowerPoint cannot show ({shown}; "
                                "it allows 1 to 56 in)", "theme.template-corrupt")
        return width, height

    def finish(self) -> None:
        """Write every changed part back, and the content types."""
        for part in self._dirty:
            self.parts[part] = ooxml.serialise(self._xml[part])
        self.parts["[Content_Types].xml"] = self.types.write()

    def _content_types(self) -> ooxml.ContentTypes:
        if "[Content_Types].xml" not in self.parts:
            raise TemplateError(f"template '{self.name}' is not a PowerPoint file (no [Content_Types].xml)",
                                "theme.template-corrupt")
        return ooxml.ContentTypes.read(self.parts["[Content_Types].xml"])

    def _main_part(self) -> str:
        main = next((ooxml.resolve("", r.target) for r in ooxml.read_rels(self.parts.get("_rels/.rels"))
                     if r.type == RT["office"]), None)
        if main is None or main not in self.parts:
            raise TemplateError(f"template '{self.name}' is not a PowerPoint file (no presentation part)",
                                "theme.template-corrupt")
        main_type = self.types.type_of(main)
        if main_type not in (CT["presentation"], CT["template"], CT["macro"], CT["macro_template"],
                             CT["slideshow"]):
            raise TemplateError(f"template '{self.name}' is not a PowerPoint presentation ({main_type})",
                                "theme.template-corrupt")
        # .potx, .pptm and .ppsx differ from a .pptx only in the main part's type; macros are dropped below.
        self.types.overrides[main] = CT["presentation"]
        return main

    # -- cleaning ------------------------------------------------------------------------------------
    def clean(self) -> None:
        """Everything a deck must not carry goes; what a checker would refuse is repaired."""
        self._drop_slides_and_macros()
        self._drop_external_relationships()
        self._drop_embedded_objects()
        self._collect_garbage()
        self._drop_dangling_relationships()
        self._drop_macro_types()
        self._repair()

    def _drop_slides_and_macros(self) -> None:
        """Sample slides in a template must never leak into a deck; macros never travel with one."""
        pres = self.xml(self.main)
        rels = self.rels(self.main)
        dropped = {r.id for r in rels if r.type in (RT["slide"], RT["vba"])}
        if not dropped:
            return
        self.set_rels(self.main, [r for r in rels if r.id not in dropped])
        lst = pres.find(f"{P}sldIdLst")
        if lst is not None:
            pres.remove(lst)
        for custom in pres.findall(f"{P}custShowLst"):
            pres.remove(custom)
        # Sections (p14:sectionLst) list slide ids that no longer exist.
        ext_lst = pres.find(f"{P}extLst")
        if ext_lst is not None:
            for ext in list(ext_lst):
                if ext.get("uri") == "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}":
                    ext_lst.remove(ext)
            if not len(ext_lst):
                pres.remove(ext_lst)
        self.touch(self.main)

    def _drop_external_relationships(self) -> None:
        """A template may not make the deck fetch anything: external targets go, with what refers to them."""
        for source, external in self._drop_relationships(lambda _, rel: _reaches_outside(rel)):
            self.problems.append(f"external link(s) removed from part '{source}' "
                                 f"({', '.join(sorted({_host(r.target) for r in external}))})")
            if source in self.parts and source.endswith(".xml"):
                self._unreference(source, {r.id for r in external})

    def _drop_embedded_objects(self) -> None:
        """ActiveX controls and OLE objects on a master or layout are programs, not design: they go, named."""
        def embedded(_: str, rel: ooxml.Relationship) -> bool:
            return rel.type.rsplit("/", 1)[-1] in _EMBEDDED_RELATIONSHIPS

        for source, removed in self._drop_relationships(embedded):
            self.problems.append(f"embedded object(s) removed from part '{source}' "
                                 f"({', '.join(sorted({r.type.rsplit('/', 1)[-1] for r in removed}))})")
            if source in self.parts and source.endswith(".xml"):
                self._remove_object_shapes(source)
                self._unreference(source, {r.id for r in removed})

    def _drop_relationships(self, unwanted: Callable[[str, ooxml.Relationship], bool],
                            ) -> list[tuple[str, list[ooxml.Relationship]]]:
        """Remove the relationships `unwanted` picks (given their source part) from every .rels part;
        (the part they belonged to, them)."""
        dropped = []
        for rels_part in [p for p in self.parts if p.endswith(".rels")]:
            folder = posixpath.dirname(posixpath.dirname(rels_part))
            source = posixpath.join(folder, posixpath.basename(rels_part)[:-len(".rels")])
            rels = ooxml.read_rels(self.parts[rels_part])
            removed = [r for r in rels if unwanted(source, r)]
            if not removed:
                continue
            self.parts[rels_part] = ooxml.write_rels([r for r in rels if r not in removed])
            dropped.append((source, removed))
        return dropped

    def _remove_object_shapes(self, part: str) -> None:
        """The shapes that showed the objects: a control list, and an OLE frame with its fallback picture."""
        root = self.xml(part)
        for el in [e for e in root.iter() if isinstance(e.tag, str)
                   and etree.QName(e).localname in ("controls", "oleObj", "control")]:
            if el.getparent() is None:
                continue  # already gone with an ancestor
            target = el
            if etree.QName(el).localname == "oleObj":
                ancestors = list(el.iterancestors())
                frame = next((a for a in ancestors if etree.QName(a).localname == "graphicFrame"), el)
                # PowerPoint wraps an OLE frame in mc:AlternateContent (the object, and a picture as fallback).
                target = next((a for a in ancestors if etree.QName(a).localname == "AlternateContent"), frame)
            parent = target.getparent()
            if parent is not None:
                parent.remove(target)
        self.touch(part)

    def _repair(self) -> None:
        """Schema defects of the template's own parts (see `template_repair.py`), each named in a note."""
        for part in sorted(p for p in self.parts if p.endswith(".xml") and p.startswith("ppt/")):
            done = repair_part(self.parts[part], lambda: self.xml(part))
            if done:
                self.touch(part)
                self.problems.append(f"repaired in part '{part}': {'; '.join(done)}")

    def _drop_macro_types(self) -> None:
        """A .pptm's macro content types go with its macros: a .pptx that declares them is not one."""
        for table in (self.types.defaults, self.types.overrides):
            for key in [k for k, v in table.items() if v.lower() in _MACRO_TYPES]:
                del table[key]

    def _unreference(self, part: str, ids: set[str]) -> None:
        root = self.xml(part)
        for el in list(root.iter()):
            if not isinstance(el.tag, str):
                continue
            hits = [k for k, v in el.attrib.items() if k.startswith(R) and v in ids]
            if not hits:
                continue
            local = etree.QName(el).localname
            parent = el.getparent()
            if local in ("hlinkClick", "hlinkHover", "hlinkMouseOver") and parent is not None:
                parent.remove(el)
                continue
            for key in hits:
                del el.attrib[key]
            if local == "blip" and el.get(f"{R}embed") is None:
                # A picture with only a linked image: drop the picture itself.
                pic = next((a for a in el.iterancestors() if etree.QName(a).localname == "pic"), None)
                if pic is not None and pic.getparent() is not None:
                    pic.getparent().remove(pic)
        self.touch(part)

    def _collect_garbage(self) -> None:
        """Drop every part no relationship reaches any more (the sample slides' notes, media, charts)."""
        reachable: set[str] = set()
        stack = [ooxml.resolve("", r.target) for r in ooxml.read_rels(self.parts.get("_rels/.rels"))
                 if not r.external]
        while stack:
            part = stack.pop()
            if part in reachable or part not in self.parts:
                continue
            reachable.add(part)
            for rel in self.rels(part):
                if not rel.external:
                    stack.append(ooxml.resolve(part, rel.target))
        keep = {"[Content_Types].xml", "_rels/.rels"} | reachable
        keep |= {ooxml.rels_path(p) for p in reachable}
        for part in [p for p in self.parts if p not in keep]:
            del self.parts[part]
            self._xml.pop(part, None)
            self._dirty.discard(part)
            self.types.overrides.pop(part, None)
        for part in [p for p in self.types.overrides if p not in self.parts]:
            del self.types.overrides[part]

    def _drop_dangling_relationships(self) -> None:
        """Relationships to parts the template does not hold (comment authors, custom XML that a tool left
        out) go: PowerPoint tolerates them, a package checker and some readers do not."""
        def dangling(source: str, rel: ooxml.Relationship) -> bool:
            return not rel.external and ooxml.resolve(source, rel.target) not in self.parts

        for source, removed in self._drop_relationships(dangling):
            self.problems.append(f"repaired: relationship(s) to missing part(s) removed from "
                                 f"'{source or 'the package'}' ({', '.join(sorted({r.target for r in removed}))})")
            if source in self.parts and source.endswith(".xml"):
                self._unreference(source, {r.id for r in removed})


def _reaches_outside(rel: ooxml.Relationship) -> bool:
    return rel.external or _OUTSIDE_TARGET.match(rel.target.strip()) is not None


def _host(target: str) -> str:
    scheme, _, rest = target.partition(":")
    if not rest:
        return "a file"
    host = rest.lstrip("/").split("/", 1)[0]
    return f"{scheme}:{host}" if host else scheme

