"""Load layer: a .pptx/.potx template → model Template (package checked and cleaned, geometry and styles read).

Any template works: its own slide size, placeholders, text styles, fonts and colours are read here and
become the boxes and sizes the compiler places everything in. Nothing here imports python-pptx.
The reading is split along what changes together: the package and its cleaning (`template_package.py`),
numbers and text styles (`template_styles.py`), a master's layouts (`template_layouts.py`), layout roles
(`template_roles.py`), backdrops (`template_backdrop.py`) and the parts the writer extends (`template_frame.py`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from lecturegen.model.backdrop import contrast_share, mean_under
from lecturegen.model.geometry import Box
from lecturegen.model.template import Layout, Template, ThemeFonts
from lecturegen.ooxml import A, P, R, RT
from lecturegen import ooxml
from lecturegen.sources.template_colour import is_hex
from lecturegen.sources.template_file import MAX_TEMPLATE_FILE, TemplateError, TemplateOverrides, read_template_bytes
from lecturegen.sources.template_frame import ensure_notes_master, package_frame, show_on_click
from lecturegen.sources.template_layouts import MasterInfo, OffSlide, color_map, read_layouts, read_master
from lecturegen.sources.template_package import TemplatePackage, short, unzip_template
from lecturegen.sources.template_roles import choose_roles, normalise_name

__all__ = ["MAX_TEMPLATE_FILE", "TemplateError", "TemplateOverrides", "backdrop_busyness", "read_template",
           "read_template_file"]

_OFF_SLIDE_TOLERANCE = 45720  # 0.05 in


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
    try:
        return _Reader(unzip_template(blob, name), name, overrides, generated).read()
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"template '{name}' has a malformed XML part ({short(str(exc))})",
                            "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice") from None


class _Reader(TemplatePackage):
    """One pass over a package: clean it, apply overrides, read every master's theme and layouts."""

    def __init__(self, parts: dict[str, bytes], name: str, overrides: TemplateOverrides, generated: bool):
        super().__init__(parts, name)
        self.overrides = overrides
        self.generated = generated
        self._off_slide: OffSlide = {}

    def read(self) -> Template:
        self.clean()
        masters = self._masters()
        width, height = self.slide_size()
        layouts: list[Layout] = []
        per_master: list[tuple[ThemeFonts, dict[str, str], MasterInfo]] = []
        master_names: list[str] = []
        for index, master in enumerate(masters):
            self._enter_master(master)
            info = read_master(self, master)
            per_master.append((self.fonts, self.scheme, info))
            c_sld = self.xml(master).find(f"{P}cSld")
            master_names.append((c_sld.get("name") if c_sld is not None else None) or "")
            layouts.extend(read_layouts(self, master, info, index, width, height, self._off_slide))
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
        notes_master = ensure_notes_master(self)
        show_on_click(self)
        self.finish()
        frame = package_frame(self)
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
        self.color_map = color_map(self.xml(master))

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
