"""Load layer: what a template package gets for the deck writer — a notes master, a show on click, and the
parts the writer extends (read once here so that a build never parses them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lxml import etree

from lecturegen import ooxml
from lecturegen.model.template import SLIDE_ID_MARK, SLIDE_RID_MARK, PackageFrame
from lecturegen.ooxml import CT, P, R, RT
from lecturegen.sources.template_file import TemplateError
from lecturegen.sources.template_package import TemplatePackage

_SLIDE_LIST_MARK = "lecturegen: the slides go here"


def show_on_click(pkg: TemplatePackage) -> None:
    """Rehearsal timings are stored for the slide sorter; `useTimings="0"` keeps the show on click."""
    props = next((ooxml.resolve(pkg.main, r.target) for r in pkg.rels(pkg.main)
                  if r.type == RT["pres_props"] and not r.external), None)
    if props is None or props not in pkg.parts:
        return
    root = pkg.xml(props)
    show = root.find(f"{P}showPr")
    if show is None:
        show = etree.Element(f"{P}showPr", showNarration="1")
        root.insert(0, show)
    show.set("useTimings", "0")
    pkg.touch(props)


def package_frame(pkg: TemplatePackage) -> PackageFrame:
    """The parts the package writer extends, read now so that a build never parses them."""
    comment = f"<!--{_SLIDE_LIST_MARK}-->"
    empty = _with_slide_list(pkg, entry=False)
    one = _with_slide_list(pkg, entry=True)
    head, _, tail = empty.partition(comment)
    entry = one[len(head):len(one) - len(comment) - len(tail)]
    if (empty.count(comment) != 1 or not one.startswith(head) or not one.endswith(comment + tail)
            or entry.count(SLIDE_ID_MARK) != 1 or entry.count(SLIDE_RID_MARK) != 1):
        raise TemplateError(f"template '{pkg.name}': its presentation part does not take a slide list",
                            "theme.template-corrupt", hint="save it again from PowerPoint or LibreOffice")
    return PackageFrame(
        main=pkg.main,
        root_rels=tuple(ooxml.read_rels(pkg.parts.get("_rels/.rels"))),
        main_rels=tuple(pkg.rels(pkg.main)),
        content_defaults=tuple(pkg.types.defaults.items()),
        content_overrides=tuple(pkg.types.overrides.items()),
        slide_list_head=head, slide_list_tail=tail, slide_entry=entry)


def _with_slide_list(pkg: TemplatePackage, entry: bool) -> str:
    """The presentation part with a new slide list (a mark where its entries go, and one entry or none)."""
    root = ooxml.parse(pkg.parts[pkg.main])
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


def ensure_notes_master(pkg: TemplatePackage) -> str:
    """Speaker notes need a notes master; a template without one gets python-pptx's default."""
    existing = pkg.related(pkg.main, RT["notes_master"])
    if existing:
        return existing[0]
    templates = _pptx_templates_folder()
    part = "ppt/notesMasters/notesMaster1.xml"
    theme = _free_name(pkg.parts, "ppt/theme/theme{}.xml")
    pkg.parts[part] = (templates / "notesMaster.xml").read_bytes()
    pkg.parts[theme] = (templates / "theme.xml").read_bytes()
    pkg.parts[ooxml.rels_path(part)] = ooxml.write_rels(
        [ooxml.Relationship("rId1", RT["theme"], ooxml.relative(part, theme))])
    pkg.types.overrides[part] = CT["notes_master"]
    pkg.types.overrides[theme] = CT["theme"]
    rels = pkg.rels(pkg.main)
    rid = _free_rid(rels)
    rels.append(ooxml.Relationship(rid, RT["notes_master"], ooxml.relative(pkg.main, part)))
    pkg.set_rels(pkg.main, rels)
    pres = pkg.xml(pkg.main)
    lst = etree.Element(f"{P}notesMasterIdLst")
    etree.SubElement(lst, f"{P}notesMasterId").set(f"{R}id", rid)
    anchor = pres.find(f"{P}sldMasterIdLst")
    if anchor is not None:
        anchor.addnext(lst)
    else:
        pres.insert(0, lst)
    pkg.touch(pkg.main)
    return part



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
