"""Load layer: a .pptx/.potx template → model Template (package checked and cleaned, geometry and styles read).

Any template works: its own slide size, placeholders, text styles, fonts and colours are read here and
become the boxes and sizes the compiler places everything in. Nothing here imports python-pptx.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import io
import math
import posixpath
import re
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from lxml import etree

if TYPE_CHECKING:
    from PIL import Image as PILImage

from lecturegen import ooxml
from lecturegen.model.geometry import Box, Insets
from lecturegen.model.backdrop import contrast_share, mean_under
from lecturegen.model.template import (SLIDE_ID_MARK, SLIDE_RID_MARK, Backdrop, LevelStyle, Layout, PackageFrame,
                                       Placeholder,
                                       Template, ThemeFonts)
from lecturegen.ooxml import A, CT, P, R, RT
from lecturegen.records import record
from lecturegen.sources.template_backdrop import draw_backdrop
from lecturegen.sources.template_colour import ColourScope, is_hex
from lecturegen.sources.template_repair import repair_part
from lecturegen.sources.template_roles import choose_roles, normalise_name, structure_of
from lecturegen.sources.template_file import MAX_TEMPLATE_FILE, TemplateError, TemplateOverrides, read_template_bytes

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
# Layouts lecturegen places slides on, by the names PowerPoint gives them.
REQUIRED_LAYOUTS = ("Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only")
_OFF_SLIDE_TOLERANCE = 45720  # 0.05 in
_SLIDE_LIST_MARK = "lecturegen: the slides go here"
_DEFAULT_SIZE = 18.0
_TITLE_TYPES = ("title", "ctrTitle")
_BODY_TYPES = ("body", "obj", "", "subTitle")
_FOOTER_TYPES = {"dt": "date", "ftr": "footer", "sldNum": "number"}
_MASTER_TYPE = {"ctrTitle": "title", "title": "title", "subTitle": "body", "obj": "body", "": "body",
                "body": "body", "dt": "dt", "ftr": "ftr", "sldNum": "sldNum"}


def read_template_file(path: Path, display: str, overrides: TemplateOverrides = TemplateOverrides()) -> Template:
    """A template file the workspace resolver returned, its size checked on the open file before reading."""
    return read_template(read_template_bytes(path, display), display, overrides)


_READ: dict[tuple[str, str, TemplateOverrides, bool], Template] = {}


def read_template(blob: bytes, name: str, overrides: TemplateOverrides = TemplateOverrides(),
                  generated: bool = False) -> Template:
    """Check, clean and read a template package; every failure is a TemplateError with a clear message.

    Memoised in the process by the package's hash: `watch` reads a template again only when it changed."""
    key = (hashlib.sha256(blob).hexdigest(), name, overrides, generated)
    found = _READ.get(key)
    if found is not None:
        return found
    template = _read_template(blob, name, overrides, generated)
    if len(_READ) >= 8:
        _READ.pop(next(iter(_READ)))
    _READ[key] = template
    return template


def _read_template(blob: bytes, name: str, overrides: TemplateOverrides, generated: bool) -> Template:
    parts = _unzip(blob, name)
    try:
        return _Reader(parts, name, overrides, generated).read()
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"template '{name}' has a malformed XML part ({_short(str(exc))})",
                            "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice") from None


def _short(text: str) -> str:
    return text.splitlines()[0][:120] if text else "unknown error"


def _unzip(blob: bytes, name: str) -> dict[str, bytes]:
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
            raise TemplateError(f"template '{name}' is damaged ({_short(str(exc))})", "theme.template-corrupt",
                                hint="save it again from PowerPoint or LibreOffice") from None
    return parts


class _Reader:
    """One pass over a package: clean it, apply overrides, read geometry. Works on a dict of parts."""

    def __init__(self, parts: dict[str, bytes], name: str, overrides: TemplateOverrides, generated: bool):
        self.parts = parts
        self.name = name
        self.overrides = overrides
        self.generated = generated
        self.problems: list[str] = []
        # (placeholder kind, what was done) → the layouts whose placeholder reached off the slide.
        self._off_slide: dict[tuple[str, str], list[str]] = {}
        self._xml: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()
        self.decoded_pictures: dict[str, PILImage.Image | None] = {}  # backdrops: each picture decoded once

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

    # -- the pass ------------------------------------------------------------------------------------
    def read(self) -> Template:
        if "[Content_Types].xml" not in self.parts:
            raise TemplateError(f"template '{self.name}' is not a PowerPoint file (no [Content_Types].xml)",
                                "theme.template-corrupt")
        self.types = ooxml.ContentTypes.read(self.parts["[Content_Types].xml"])
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
        self.main = main
        self._drop_slides_and_macros()
        self._drop_external_relationships()
        self._drop_embedded_objects()
        self._collect_garbage()
        self._drop_dangling_relationships()
        self._drop_macro_types()
        self._repair()
        masters = self._masters()
        width, height = self._slide_size()
        layouts: list[Layout] = []
        per_master: list[tuple[ThemeFonts, dict[str, str], _MasterInfo]] = []
        master_names: list[str] = []
        for index, master in enumerate(masters):
            self._enter_master(master)
            info = self._read_master(master)
            per_master.append((self.fonts, self.scheme, info))
            c_sld = self.xml(master).find(f"{P}cSld")
            master_names.append((c_sld.get("name") if c_sld is not None else None) or "")
            layouts.extend(self._layouts(master, info, index, width, height))
        for (kind, done), names in self._off_slide.items():
            which = f"layout '{names[0]}'" if len(names) == 1 else \
                f"{len(names)} layouts ({', '.join(repr(n) for n in names[:3])}{', …' if len(names) > 3 else ''})"
            # Moving a footer inside loses nothing: a repair. Clipping or dropping may: a warning.
            self.problems.append(f"{'repaired: ' if done.startswith('moved') else ''}the {kind} placeholder of {which} "
                                 f"reaches beyond the slide's edge; {done}, so that text stays inside the slide")
        if not layouts:
            raise TemplateError(f"template '{self.name}' has no slide layouts", "theme.template-corrupt",
                                hint="save it again from PowerPoint or LibreOffice")
        busy = {layout.part: backdrop_busyness(layout, width, height) for layout in layouts}
        master_index = self._chosen_master(master_names)
        auto = choose_roles(layouts, width, height, busy, {}, master_index)
        roles = choose_roles(layouts, width, height, busy, self._chosen_layouts(layouts, master_index, auto),
                             master_index) if self.overrides.layouts else auto
        chosen = roles["content"].master
        fonts, scheme, master_info = per_master[chosen]
        self._check_layouts(roles, width, height)
        notes_master = self._ensure_notes_master()
        self._show_on_click()
        self._finish()
        frame = self._package_frame()
        digest = hashlib.sha256()
        for part in sorted(self.parts):
            digest.update(part.encode() + b"\0" + hashlib.sha256(self.parts[part]).digest())
        by_name: dict[str, Layout] = {}
        for layout in layouts:
            key = layout.name
            if key in by_name:
                key = f"{layout.name} (master {layout.master + 1})"
            by_name.setdefault(key, layout)
        return Template(
            name=self.name, digest=digest.hexdigest(), width=width, height=height, layouts=by_name, roles=roles,
            fonts=fonts, scheme=scheme, background=_content_background(roles["content"], master_info.background, width, height),
            title_color=_ink(roles["content"], "title", master_info.title_color),
            body_color=_ink(roles["content"], "body", master_info.body_color), parts=dict(self.parts),
            frame=frame, notes_master=notes_master, masters=tuple(master_names), generated=self.generated,
            problems=tuple(self.problems),
        )

    def _chosen_master(self, names: list[str]) -> int | None:
        """theme.yaml `master:` as an index: a number counts from 1, a name matches the master's name."""
        wanted = self.overrides.master
        if wanted is None:
            return None
        if wanted.isdigit() and 1 <= int(wanted) <= len(names):
            return int(wanted) - 1
        plain = [normalise_name(n) for n in names]
        if normalise_name(wanted) in plain:
            return plain.index(normalise_name(wanted))
        listing = ", ".join(f"{i + 1} '{n or '(unnamed)'}'" for i, n in enumerate(names))
        raise TemplateError(f"template '{self.name}' has no slide master '{wanted}'", "theme.master",
                            hint=f"its masters are: {listing}", theme_key="master")

    def _chosen_layouts(self, layouts: list[Layout], master: int | None,
                        auto: dict[str, Layout]) -> dict[str, Layout]:
        """theme.yaml `layouts:` — each named layout, found by its name (on the chosen master first)."""
        chosen: dict[str, Layout] = {}
        ordered = sorted(layouts, key=lambda l: (l.master != master, l.master))
        for role, name in self.overrides.layouts:
            found = next((l for l in ordered if l.name == name), None) or next(
                (l for l in ordered if normalise_name(l.name) == normalise_name(name)), None)
            if found is None:
                played = {l.part: r for r, l in auto.items() if not l.derived}
                listing = "; ".join(f"'{l.name}' ({l.kind}" + (f", plays {played[l.part]}" if l.part in played else "")
                                    + ")" for l in ordered)
                raise TemplateError(f"template '{self.name}' has no layout named '{name}' for the {role} role",
                                    "theme.layout-missing", hint=f"its layouts are: {listing}",
                                    theme_key=f"layouts.{role}")
            chosen[role] = found
        return chosen

    def _enter_master(self, master: str) -> None:
        """Colours and fonts resolve through the master's own theme and colour map."""
        theme_part = next(iter(self.related(master, RT["theme"])), None)
        if theme_part is None:
            raise TemplateError(f"template '{self.name}' has a slide master without a theme",
                                "theme.template-corrupt")
        self._apply_overrides(theme_part, master)
        self.fonts, self.scheme = self._theme(theme_part)
        self.theme_part = theme_part
        self.color_map = self._color_map(self.xml(master))

    def _show_on_click(self) -> None:
        """Rehearsal timings are stored for the slide sorter; `useTimings="0"` keeps the show on click."""
        props = next((ooxml.resolve(self.main, r.target) for r in self.rels(self.main)
                      if r.type == RT["pres_props"] and not r.external), None)
        if props is None or props not in self.parts:
            return
        root = self.xml(props)
        show = root.find(f"{P}showPr")
        if show is None:
            show = etree.Element(f"{P}showPr", showNarration="1")
            root.insert(0, show)
        show.set("useTimings", "0")
        self.touch(props)

    def _package_frame(self) -> PackageFrame:
        """The parts the package writer extends, read now so that a build never parses them."""
        comment = f"<!--{_SLIDE_LIST_MARK}-->"
        empty = self._with_slide_list(entry=False)
        one = self._with_slide_list(entry=True)
        head, _, tail = empty.partition(comment)
        entry = one[len(head):len(one) - len(comment) - len(tail)]
        if (empty.count(comment) != 1 or not one.startswith(head) or not one.endswith(comment + tail)
                or entry.count(SLIDE_ID_MARK) != 1 or entry.count(SLIDE_RID_MARK) != 1):
            raise TemplateError(f"template '{self.name}': its presentation part does not take a slide list",
                                "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice")
        return PackageFrame(
            main=self.main,
            root_rels=tuple(ooxml.read_rels(self.parts.get("_rels/.rels"))),
            main_rels=tuple(self.rels(self.main)),
            content_defaults=tuple(self.types.defaults.items()),
            content_overrides=tuple(self.types.overrides.items()),
            slide_list_head=head, slide_list_tail=tail, slide_entry=entry)

    def _with_slide_list(self, entry: bool) -> str:
        """The presentation part with a new slide list (a mark where its entries go, and one entry or none)."""
        root = ooxml.parse(self.parts[self.main])
        for old in root.findall(f"{P}sldIdLst"):
            root.remove(old)
        lst = etree.Element(f"{P}sldIdLst")
        if entry:
            etree.SubElement(lst, f"{P}sldId", id=SLIDE_ID_MARK).set(f"{R}id", SLIDE_RID_MARK)
        lst.append(etree.Comment(_SLIDE_LIST_MARK))
        # CT_Presentation: sldMasterIdLst, notesMasterIdLst, handoutMasterIdLst, sldIdLst, sldSz …
        anchor = None
        for tag in ("handoutMasterIdLst", "notesMasterIdLst", "sldMasterIdLst"):
            anchor = root.find(f"{P}{tag}")
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addnext(lst)
        else:
            root.insert(0, lst)
        return ooxml.serialise(root).decode("utf-8")

    def _finish(self) -> None:
        for part in self._dirty:
            self.parts[part] = ooxml.serialise(self._xml[part])
        self.parts["[Content_Types].xml"] = self.types.write()

    # -- cleaning ------------------------------------------------------------------------------------
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
        stack = ["_rels/.rels"]
        roots = [ooxml.resolve("", r.target) for r in ooxml.read_rels(self.parts.get("_rels/.rels"))
                 if not r.external]
        stack = roots
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

    # -- theme ---------------------------------------------------------------------------------------
    def _masters(self) -> list[str]:
        """Every slide master, in the order the presentation lists them."""
        rels = {r.id: ooxml.resolve(self.main, r.target) for r in self.rels(self.main)
                if r.type == RT["master"] and not r.external}
        listed = [rels.get(el.get(f"{R}id", "")) for el in self.xml(self.main).iterfind(f"{P}sldMasterIdLst/{P}sldMasterId")]
        masters = [m for m in dict.fromkeys(listed) if m is not None and m in self.parts]
        masters += [m for m in rels.values() if m not in masters and m in self.parts]
        if not masters:
            raise TemplateError(f"template '{self.name}' has no slide master", "theme.template-corrupt")
        return masters

    def _apply_overrides(self, theme_part: str, master: str) -> None:
        o = self.overrides
        theme = self.xml(theme_part)
        changed = False
        for tag, family in (("majorFont", o.major_font), ("minorFont", o.minor_font)):
            if family is None:
                continue
            latin = theme.find(f".//{A}fontScheme/{A}{tag}/{A}latin")
            if latin is not None:
                latin.set("typeface", family)
                changed = True
        scheme = theme.find(f".//{A}clrScheme")
        if scheme is not None:
            for slot, value in o.scheme:
                el = scheme.find(f"{A}{slot}")
                if el is None:
                    continue
                for child in list(el):
                    el.remove(child)
                etree.SubElement(el, f"{A}srgbClr", val=value)
                changed = True
        if changed:
            self.touch(theme_part)
        if o.title_color is not None:
            root = self.xml(master)
            ppr = root.find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr")
            if ppr is not None:
                rpr = ppr.find(f"{A}defRPr")
                if rpr is None:
                    rpr = etree.SubElement(ppr, f"{A}defRPr")
                for fill in rpr.findall(f"{A}solidFill"):
                    rpr.remove(fill)
                fill = etree.Element(f"{A}solidFill")
                etree.SubElement(fill, f"{A}srgbClr", val=o.title_color)
                _insert_fill(rpr, fill)
                self.touch(master)

    def _theme(self, theme_part: str) -> tuple[ThemeFonts, dict[str, str]]:
        theme = self.xml(theme_part)
        major = theme.find(f".//{A}fontScheme/{A}majorFont/{A}latin")
        minor = theme.find(f".//{A}fontScheme/{A}minorFont/{A}latin")
        fonts = ThemeFonts((major.get("typeface") if major is not None else "") or "Calibri",
                           (minor.get("typeface") if minor is not None else "") or "Calibri")
        scheme: dict[str, str] = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "1F497D", "lt2": "EEECE1",
                                  "accent1": "4F81BD", "accent2": "C0504D", "accent3": "9BBB59",
                                  "accent4": "8064A2", "accent5": "4BACC6", "accent6": "F79646",
                                  "hlink": "0000FF", "folHlink": "800080"}
        clr = theme.find(f".//{A}clrScheme")
        if clr is not None:
            for slot in list(scheme):
                el = clr.find(f"{A}{slot}")
                if el is None:
                    continue
                for child in el:
                    local = etree.QName(child).localname
                    # A value that is not a colour keeps the default slot colour (PowerPoint shows black).
                    if local == "srgbClr" and is_hex(child.get("val", "").upper()):
                        scheme[slot] = child.get("val", "").upper()
                    elif local == "sysClr" and is_hex((child.get("lastClr") or "000000").upper()):
                        scheme[slot] = (child.get("lastClr") or ("000000" if "dk" in slot else "FFFFFF")).upper()
        return fonts, scheme

    def _color_map(self, root: etree._Element, clr_map: etree._Element | None = None) -> dict[str, str]:
        mapping = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
        clr_map = root.find(f"{P}clrMap") if clr_map is None else clr_map
        if clr_map is not None:
            for key in ("bg1", "tx1", "bg2", "tx2"):
                if clr_map.get(key):
                    mapping[key] = clr_map.get(key, mapping[key])
        return mapping

    def colour(self, el: etree._Element | None) -> str | None:
        """The hex colour of a solidFill (or a colour element), scheme references and modifiers resolved."""
        return ColourScope(self.scheme, self.color_map).hex(el)

    def _slide_size(self) -> tuple[int, int]:
        size = self.xml(self.main).find(f"{P}sldSz")
        if size is None or size.get("cx") is None or size.get("cy") is None:
            raise TemplateError(f"template '{self.name}' does not say its slide size (no <p:sldSz>)",
                                "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice")
        width, height = _emu(size, "cx"), _emu(size, "cy")
        if width is None or height is None or not (MIN_SLIDE_EMU <= width <= MAX_SLIDE_EMU
                                                   and MIN_SLIDE_EMU <= height <= MAX_SLIDE_EMU):
            shown = " × ".join(f"{v / 914400:.2f} in" if v is not None else f"'{size.get(k, '')[:20]}'"
                               for v, k in ((width, "cx"), (height, "cy")))
            raise TemplateError(f"template '{self.name}' has a slide size PowerPoint cannot show ({shown}; "
                                "it allows 1 to 56 in)", "theme.template-corrupt")
        return width, height

    # -- text styles ---------------------------------------------------------------------------------
    def _read_master(self, master: str) -> _MasterInfo:
        root = self.xml(master)
        pres = self.xml(self.main)
        default = _levels_from(pres.find(f"{P}defaultTextStyle"), [LevelStyle() for _ in range(9)], self)
        styles = root.find(f"{P}txStyles")
        title = _levels_from(styles.find(f"{P}titleStyle") if styles is not None else None, default, self)
        body = _levels_from(styles.find(f"{P}bodyStyle") if styles is not None else None, default, self)
        other = _levels_from(styles.find(f"{P}otherStyle") if styles is not None else None, default, self)
        placeholders: dict[str, etree._Element] = {}
        for sp in root.iter(f"{P}sp"):
            ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
            if ph is None:
                continue
            kind = _MASTER_TYPE.get(ph.get("type", "body"), ph.get("type", "body"))
            placeholders.setdefault(kind, sp)
        background = self._background(root) or self.scheme.get(self.color_map.get("bg1", "lt1"), "FFFFFF")
        title_color = title[0].color or self.scheme.get(self.color_map.get("tx1", "dk1"), "000000")
        body_color = body[0].color or self.scheme.get(self.color_map.get("tx1", "dk1"), "000000")
        # A master placeholder's own lstStyle refines the text style of every layout that inherits it.
        refined = {}
        for kind, sp in placeholders.items():
            base = title if kind == "title" else body if kind == "body" else other
            levels = _sample_levels(sp, base, self)
            refined[kind] = _levels_from(sp.find(f"{P}txBody/{A}lstStyle"), levels, self)
        obstacles = _obstacles(root, self)
        return _MasterInfo(placeholders, refined, {"title": title, "body": body, "other": other}, background,
                           title_color, body_color, obstacles)

    def _background(self, root: etree._Element) -> str | None:
        bg = root.find(f"{P}cSld/{P}bg")
        if bg is None:
            return None
        props = bg.find(f"{P}bgPr")
        if props is not None:
            fill = props.find(f"{A}solidFill")
            if fill is not None:
                return self.colour(fill)
            grad = props.find(f"{A}gradFill")
            if grad is not None:
                return self.colour(grad.find(f".//{A}gs"))
            return None
        ref = bg.find(f"{P}bgRef")
        return self.colour(ref) if ref is not None else None

    def _layouts(self, master: str, info: _MasterInfo, index: int, width: int, height: int) -> list[Layout]:
        root = self.xml(master)
        order = {}
        lst = root.find(f"{P}sldLayoutIdLst")
        if lst is not None:
            for i, el in enumerate(lst):
                order[el.get(f"{R}id")] = i
        rels = [r for r in self.rels(master) if r.type == RT["layout"] and not r.external]
        rels.sort(key=lambda r: order.get(r.id, 10_000))
        layouts: list[Layout] = []
        seen: set[str] = set()
        for rel in rels:
            part = ooxml.resolve(master, rel.target)
            if part not in self.parts or part in seen:
                continue
            seen.add(part)
            layout_root = self.xml(part)
            c_sld = layout_root.find(f"{P}cSld")
            name = (c_sld.get("name") if c_sld is not None else None) or posixpath.basename(part)
            layout = self._layout(name, part, layout_root, info)
            master_map = self.color_map
            override = layout_root.find(f"{P}clrMapOvr/{A}overrideClrMapping")
            if override is not None:
                # A layout may invert the master's colour map (white text on a dark title slide): its text
                # colours and its backdrop resolve through the layout's own map.
                self.color_map = self._color_map(layout_root, override)
                layout = _remapped_inks(layout, master_map, self.color_map, self.scheme)
            try:
                layout = replace(layout, master=index, kind=structure_of(layout, width, height),
                                 backdrop=self._backdrop(master, part))
            finally:
                self.color_map = master_map
            layouts.append(layout)
        return layouts

    def _backdrop(self, master: str, part: str) -> Backdrop | None:
        try:
            return draw_backdrop(self, master, part)
        except (ValueError, OSError, TypeError, ArithmeticError, MemoryError) as exc:
            self.problems.append(f"the background of layout part '{part}' could not be worked out ({_short(str(exc))}); "
                                 "text colours there are not checked")
            return None

    def _layout(self, name: str, part: str, root: etree._Element, info: _MasterInfo) -> Layout:
        slide_w, slide_h = self._slide_size()
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
                box = _box(sp)
                if ph_type in ("pic", "media", "clipArt") and box is not None and box.area > slide_w * slide_h * 0.05:
                    picture_slots += 1
                continue  # pictures, charts, tables, media: lecturegen places its own
            master_sp = info.placeholders.get(master_kind)
            box = _box(sp) or (_box(master_sp) if master_sp is not None else None)
            if box is None:
                continue
            # A placeholder that reaches off the slide is used for the part of it on the slide (written out).
            on_slide = box.intersection(Box(0, 0, slide_w, slide_h))
            if on_slide != box:
                kind = "title" if ph_type in _TITLE_TYPES else "subtitle" if ph_type == "subTitle" else \
                    _FOOTER_TYPES.get(ph_type, "body")
                done = "not used" if on_slide is None else "clipped to the slide"
                if on_slide is not None and ph_type in _FOOTER_TYPES and box.cx <= slide_w and box.cy <= slide_h:
                    # A footer or number cut by the edge would be too short for its line: moved inside whole.
                    on_slide = Box(min(max(box.x, 0), slide_w - box.cx), min(max(box.y, 0), slide_h - box.cy),
                                   box.cx, box.cy)
                    done = "moved inside the slide"
                self._off_slide.setdefault((kind, done), []).append(name)
                if on_slide is None:
                    continue  # wholly off the slide: as if the layout did not have it
                clipped.add(on_slide)
                box = on_slide
            base = info.refined.get(master_kind) or info.styles["body" if master_kind == "body" else
                                                                  "title" if master_kind == "title" else "other"]
            levels = _levels_from(sp.find(f"{P}txBody/{A}lstStyle"), _sample_levels(sp, base, self), self)
            default_ink = info.title_color if master_kind == "title" else info.body_color
            levels = [replace(level, ink=level.color or default_ink) for level in levels]
            body_pr = _merged_body_pr(master_sp, sp)
            idx_text = ph.get("idx")
            idx = _int(idx_text, 0, 2**32 - 1)
            role = "title" if ph_type in _TITLE_TYPES else "subtitle" if ph_type == "subTitle" else \
                _FOOTER_TYPES.get(ph_type, "body")
            placeholder = Placeholder(
                role=role, type=ph_type, idx=idx, box=box, insets=body_pr.insets, anchor=body_pr.anchor,
                autofit=body_pr.autofit, vertical=body_pr.vertical, levels=tuple(levels), orient=ph.get("orient"),
            )
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
        obstacles = list(_obstacles(root, self))
        if root.get("showMasterSp", "1") not in ("0", "false"):
            obstacles.extend(info.obstacles)
        # Content boxes that count for what the layout is: a footnote or source box beside a content box
        # does not make it a two-content layout.
        sizes = [box.area for t, _, sp in found if _MASTER_TYPE.get(t) == "body" and t != "subTitle"
                 for box in [_box(sp)] if box is not None]
        content_slots = sum(1 for area in sizes if area >= 0.4 * max(sizes)) if sizes else 0
        return Layout(name, part, tuple(placeholders), tuple(obstacles), picture_slots=picture_slots,
                      content_slots=content_slots)

    def _check_layouts(self, roles: dict[str, Layout], width: int, height: int) -> None:
        """Placeholders a deck would use that reach off the slide, and roles derived from another layout."""
        slide = Box(0, 0, width, height)
        warned: set[tuple[str, str]] = set()
        for role, layout in roles.items():
            for ph in layout.placeholders:
                if ph.role in ("date",) or (layout.name, ph.role) in warned:
                    continue
                if not ph.box.inside(slide, _OFF_SLIDE_TOLERANCE):
                    warned.add((layout.name, ph.role))
                    self.problems.append(f"the {ph.role} placeholder of layout '{layout.name}' reaches beyond the "
                                         "slide's edge; lecturegen keeps text inside the slide")
            if layout.derived:
                self.problems.append(f"derived: {layout.derived}")

    def _ensure_notes_master(self) -> str:
        """Speaker notes need a notes master; a template without one gets python-pptx's default."""
        existing = self.related(self.main, RT["notes_master"])
        if existing:
            return existing[0]
        templates = _pptx_templates_folder()
        part = "ppt/notesMasters/notesMaster1.xml"
        theme = _free_name(self.parts, "ppt/theme/theme{}.xml")
        self.parts[part] = (templates / "notesMaster.xml").read_bytes()
        self.parts[theme] = (templates / "theme.xml").read_bytes()
        self.parts[ooxml.rels_path(part)] = ooxml.write_rels(
            [ooxml.Relationship("rId1", RT["theme"], ooxml.relative(part, theme))])
        self.types.overrides[part] = CT["notes_master"]
        self.types.overrides[theme] = CT["theme"]
        rels = self.rels(self.main)
        rid = _free_rid(rels)
        rels.append(ooxml.Relationship(rid, RT["notes_master"], ooxml.relative(self.main, part)))
        self.set_rels(self.main, rels)
        pres = self.xml(self.main)
        lst = etree.Element(f"{P}notesMasterIdLst")
        etree.SubElement(lst, f"{P}notesMasterId").set(f"{R}id", rid)
        anchor = pres.find(f"{P}sldMasterIdLst")
        if anchor is not None:
            anchor.addnext(lst)
        else:
            pres.insert(0, lst)
        self.touch(self.main)
        return part


@record
class _MasterInfo:
    placeholders: dict[str, etree._Element]
    refined: dict[str, list[LevelStyle]]
    styles: dict[str, list[LevelStyle]]
    background: str
    title_color: str
    body_color: str
    obstacles: tuple[Box, ...]


@record
class _BodyProps:
    insets: Insets
    anchor: str
    autofit: str
    vertical: bool


def _merged_body_pr(master_sp: etree._Element | None, sp: etree._Element) -> _BodyProps:
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
        value = _int(values.get(key), 0, MAX_SLIDE_EMU)
        return default if value is None else value

    insets = Insets(inset("lIns", 91440), inset("tIns", 45720), inset("rIns", 91440), inset("bIns", 45720))
    vertical = values.get("vert", "horz") not in ("horz", "")
    return _BodyProps(insets, values.get("anchor", "t"), autofit, vertical)


def _box(sp: etree._Element | None) -> Box | None:
    if sp is None:
        return None
    xfrm = sp.find(f"{P}spPr/{A}xfrm")
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    return _xfrm_box(off, ext)


def _xfrm_box(off: etree._Element | None, ext: etree._Element | None) -> Box | None:
    """An offset and extent as a Box; None when a value is missing, malformed, negative or absurd."""
    x, y = _emu(off, "x"), _emu(off, "y")
    cx, cy = _emu(ext, "cx", 0), _emu(ext, "cy", 0)
    if x is None or y is None or cx is None or cy is None:
        return None
    return Box(x, y, cx, cy)


# Coordinates further than this from the slide are nonsense (PowerPoint's slides are at most 56 in wide).
_MAX_EMU = 4 * MAX_SLIDE_EMU
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def _int(text: str | None, low: int, high: int) -> int | None:
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


def _emu(element: etree._Element | None, name: str, low: int = -_MAX_EMU) -> int | None:
    return None if element is None else _int(element.get(name), low, _MAX_EMU)


def _levels_from(style: etree._Element | None, base: list[LevelStyle], reader: _Reader) -> list[LevelStyle]:
    """A list style (lvl1pPr … lvl9pPr) applied over inherited levels."""
    levels = list(base)
    if style is None:
        return levels
    for index in range(9):
        ppr = style.find(f"{A}lvl{index + 1}pPr")
        if ppr is None:
            continue
        levels[index] = _level(ppr, levels[index], reader)
    return levels


def _sample_levels(sp: etree._Element, base: list[LevelStyle], reader: _Reader) -> list[LevelStyle]:
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
        level = (_int(ppr.get("lvl"), 0, 8) if ppr is not None else None) or 0
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
        levels[level] = replace(_level(synthetic, levels[level], reader), from_sample=True)
    return levels


def _level(ppr: etree._Element, base: LevelStyle, reader: _Reader) -> LevelStyle:
    changes: dict[str, object] = {}
    if ppr.get("marL") is not None:
        changes["margin"] = _int(ppr.get("marL"), 0, MAX_SLIDE_EMU) or 0
    if ppr.get("indent") is not None:
        changes["indent"] = _int(ppr.get("indent"), -MAX_SLIDE_EMU, MAX_SLIDE_EMU) or 0
    if ppr.get("algn"):
        changes["align"] = ppr.get("algn", "l")
    rpr = ppr.find(f"{A}defRPr")
    size = base.size
    if rpr is not None:
        hundredths = _int(rpr.get("sz"), 100, 400_000)  # ST_TextFontSize: 1 to 4,000 pt
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
            points = _int(pts.get("val"), 0, 158_400) if pts is not None else None  # ST_TextSpacingPoint
            percent = _int(pct.get("val"), 0, 13_200_000) if pct is not None else None
            if points is not None:
                changes[key] = points / 100
            elif percent is not None:
                changes[key] = percent / 100_000 * size
    line = ppr.find(f"{A}lnSpc")
    if line is not None:
        pct, pts = line.find(f"{A}spcPct"), line.find(f"{A}spcPts")
        percent = _int(pct.get("val"), 1, 13_200_000) if pct is not None else None
        points = _int(pts.get("val"), 1, 158_400) if pts is not None else None
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


def _font_name(typeface: str, reader: _Reader) -> str:
    if typeface.startswith("+mj"):
        return reader.fonts.major
    if typeface.startswith("+mn"):
        return reader.fonts.minor
    return typeface


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


def _obstacles(root: etree._Element, reader: _Reader) -> tuple[Box, ...]:
    """Pictures and text the master or layout draws itself (a logo, a 'confidential' mark)."""
    width, height = reader._slide_size()
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
            box = _box(shape)
        elif local == "sp":
            text = "".join(t.text or "" for t in shape.iter(f"{A}t")).strip()
            # Text it draws, or a picture it is filled with (a logo set as a shape's fill).
            if text or shape.find(f"{P}spPr/{A}blipFill") is not None:
                box = _box(shape)
        elif local == "grpSp":
            xfrm = shape.find(f"{P}grpSpPr/{A}xfrm")
            if xfrm is not None and shape.find(f".//{P}pic") is not None:
                box = _xfrm_box(xfrm.find(f"{A}off"), xfrm.find(f"{A}ext"))
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


def backdrop_busyness(layout: Layout, width: int, height: int) -> float:
    """How much of the layout's main text box its own text colour cannot be read on (0 to 1)."""
    ph = layout.get("body") or layout.get("title")
    if layout.backdrop is None or ph is None:
        return 0.0
    return contrast_share(ph.level(0).ink, layout.backdrop, ph.box, width, height, 3.0)


def _ink(layout: Layout, role: str, fallback: str) -> str:
    """The colour the content layout really shows titles or body text in (its own styles, the colour map)."""
    ph = layout.get(role)
    return ph.level(0).ink if ph is not None else fallback


def _content_background(layout: Layout, fallback: str, width: int, height: int) -> str:
    """The colour behind the content layout's body: what derived colours (muted text, table rules) sit on."""
    body = layout.get("body")
    if layout.backdrop is None or body is None:
        return fallback
    return mean_under(layout.backdrop, body.box, width, height)


def _insert_fill(rpr: etree._Element, fill: etree._Element) -> None:
    """solidFill comes after ln and before effects and fonts in a:defRPr."""
    ln = rpr.find(f"{A}ln")
    if ln is not None:
        ln.addnext(fill)
    else:
        rpr.insert(0, fill)


def _reaches_outside(rel: ooxml.Relationship) -> bool:
    return rel.external or _OUTSIDE_TARGET.match(rel.target.strip()) is not None


def _host(target: str) -> str:
    scheme, _, rest = target.partition(":")
    if not rest:
        return "a file"
    host = rest.lstrip("/").split("/", 1)[0]
    return f"{scheme}:{host}" if host else scheme


def _free_name(parts: dict[str, bytes], pattern: str) -> str:
    n = 1
    while pattern.format(n) in parts:
        n += 1
    return pattern.format(n)


def _free_rid(rels: list[ooxml.Relationship]) -> str:
    taken = {r.id for r in rels}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"


def _pptx_templates_folder() -> Path:
    """python-pptx's bundled default parts, found without importing python-pptx."""
    spec = importlib.util.find_spec("pptx")
    if spec is None or not spec.submodule_search_locations:
        raise TemplateError("python-pptx is not installed", "theme.template")
    return Path(list(spec.submodule_search_locations)[0]) / "templates"
