"""Layout roles found by structure, on every master, in any language; theme.yaml choices; derived roles."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation
from pptx.util import Inches

from lecturegen.cli import main
from lecturegen.sources.template import read_template
from lecturegen.sources.template_file import TemplateError, TemplateOverrides
from lecturegen.sources.template_roles import name_role, normalise_name

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
GERMAN = {"Title Slide": "Titelfolie", "Title and Content": "Titel und Inhalt", "Section Header":
          "Abschnittsüberschrift", "Two Content": "Zwei Inhalte", "Comparison": "Vergleich", "Title Only": "Nur Titel",
          "Blank": "Leer", "Content with Caption": "Inhalt mit Überschrift", "Picture with Caption": "Bild mit Überschrift"}


def _save(prs: Presentation) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _renamed(names: dict[str, str], shuffle: bool = False) -> bytes:
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = names.get(layout.name, layout.name)
    if shuffle:  # a template's own order: content first, title slide last
        lst = prs.slide_master._element.find(f"{P}sldLayoutIdLst")
        entries = list(lst)
        for entry in entries:
            lst.remove(entry)
        for entry in entries[1:] + entries[:1]:
            lst.append(entry)
    return _save(prs)


def test_german_layout_names_play_their_roles() -> None:
    template = read_template(_renamed(GERMAN, shuffle=True), "deutsch.pptx")
    assert {role: layout.name for role, layout in template.roles.items()} == {
        "title": "Titelfolie", "content": "Titel und Inhalt", "two-content": "Zwei Inhalte",
        "comparison": "Vergleich", "section": "Abschnittsüberschrift", "title-only": "Nur Titel"}
    assert not any(layout.derived for layout in template.roles.values())


def test_names_are_only_hints_structure_decides() -> None:
    # Every layout renamed to something meaningless: the roles still come out right.
    names = {name: f"Layout {index}" for index, name in enumerate(GERMAN)}
    template = read_template(_renamed(names), "anonymous.pptx")
    kinds = {role: layout.kind for role, layout in template.roles.items()}
    assert kinds == {"title": "title", "content": "content", "two-content": "two-content",
                     "comparison": "comparison", "section": "section", "title-only": "title-only"}


def test_missing_roles_are_derived_and_say_how() -> None:
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name in ("Comparison", "Section Header", "Two Content"):
            prs.slide_layouts.remove(layout)
    template = read_template(_save(prs), "three.pptx")
    comparison = template.roles["comparison"]
    assert comparison.derived.startswith("comparison from layout 'Title and Content'")
    assert {p.role for p in comparison.placeholders} >= {"title", "body", "body2"}
    two = template.roles["two-content"]
    left, right = two.get("body"), two.get("body2")
    assert left is not None and right is not None and left.box.right <= right.box.x
    assert template.roles["section"].derived  # from the title slide
    assert any(problem.startswith("derived: comparison") for problem in template.problems)


def test_first_master_with_title_artwork_is_not_used_for_content() -> None:
    """Two masters: the first carries only a title slide design, the second the content layouts."""
    prs = Presentation()
    blob = _save(prs)
    template = read_template(_two_masters(blob), "two-masters.pptx")
    assert len(template.masters) == 2
    assert template.roles["content"].master == 1
    assert template.roles["title"].master in (0, 1)


def _two_masters(blob: bytes) -> bytes:
    """python-pptx's default with a second master: a copy of the first whose only layout is the title slide
    (placed first in the presentation's master list)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(blob))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["ppt/slideMasters/slideMaster2.xml"] = parts["ppt/slideMasters/slideMaster1.xml"]
    parts["ppt/slideLayouts/slideLayout99.xml"] = parts["ppt/slideLayouts/slideLayout1.xml"].replace(
        b'name="Title Slide"', b'name="Cover"')
    parts["ppt/slideLayouts/_rels/slideLayout99.xml.rels"] = parts[
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels"].replace(b"slideMaster1.xml", b"slideMaster2.xml")
    master = etree.fromstring(parts["ppt/slideMasters/slideMaster2.xml"])
    lst = master.find(f"{P}sldLayoutIdLst")
    for entry in list(lst)[1:]:
        lst.remove(entry)
    rid = list(lst)[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    parts["ppt/slideMasters/slideMaster2.xml"] = etree.tostring(master, xml_declaration=True, encoding="UTF-8",
                                                                standalone=True)
    parts["ppt/slideMasters/_rels/slideMaster2.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="' + rid.encode() + b'" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout" Target="../slideLayouts/'
        b'slideLayout99.xml"/><Relationship Id="rIdTheme" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/theme" Target="../theme/theme1.xml"/></Relationships>')
    pres = etree.fromstring(parts["ppt/presentation.xml"])
    masters = pres.find(f"{P}sldMasterIdLst")
    new = copy.deepcopy(masters[0])
    new.set("id", "2147483700")
    new.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", "rIdMaster2")
    masters.insert(0, new)
    parts["ppt/presentation.xml"] = etree.tostring(pres, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["ppt/_rels/presentation.xml.rels"] = parts["ppt/_rels/presentation.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdMaster2" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/slideMaster" Target="slideMasters/slideMaster2.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/ppt/slideMasters/slideMaster2.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.presentationml.slideMaster+xml"/><Override PartName="/ppt/slideLayouts/'
        b'slideLayout99.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.'
        b'slideLayout+xml"/></Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_theme_chooses_a_layout_and_a_master_by_name() -> None:
    blob = _renamed(GERMAN)
    chosen = read_template(blob, "t.pptx", TemplateOverrides(layouts=(("content", "Inhalt mit Überschrift"),)))
    assert chosen.roles["content"].name == "Inhalt mit Überschrift"
    with pytest.raises(TemplateError) as caught:
        read_template(blob, "t.pptx", TemplateOverrides(layouts=(("section", "Kapitel"),)))
    assert caught.value.theme_key == "layouts.section"
    assert "'Abschnittsüberschrift' (section, plays section)" in (caught.value.hint or "")
    with pytest.raises(TemplateError) as caught:
        read_template(blob, "t.pptx", TemplateOverrides(master="Corporate"))
    assert caught.value.theme_key == "master"
    assert read_template(blob, "t.pptx", TemplateOverrides(master="1")).roles["content"].master == 0


@pytest.mark.parametrize("name, role", [
    ("Titelfolie", "title"), ("1_Title and Content", "content"), ("Title, 2 Content", "two-content"),
    ("TITLE_ONLY", "title-only"), ("Diapositive de titre", "title"), ("タイトルのみ", "title-only"),
    ("标题和内容", "content"), ("Заглавен слайд", "title"), ("Título y objetos", "content"),
    ("Abschnitts-\nüberschrift", None), ("Conteúdo", "content"), ("Something else", None)])
def test_name_hints_in_many_languages(name: str, role: str | None) -> None:
    assert name_role(name) == role


def test_normalised_names_drop_copies_accents_and_breaks() -> None:
    assert normalise_name(" 2_Título\n da  Apresentação ") == "titulo da apresentacao"


def test_list_theme_prints_the_role_map(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    result = CliRunner().invoke(main, ["new", str(workspace)])
    assert result.exit_code == 0, result.output
    theme = workspace / "themes" / "ours"
    theme.mkdir(parents=True)
    (theme / "ours.pptx").write_bytes(_renamed(GERMAN))
    (theme / "theme.yaml").write_text("template: ours.pptx\nlayouts:\n  section: Nur Titel\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["list", "--root", str(workspace), "--theme", "ours"])
    assert result.exit_code == 0, result.output
    assert "'Titel und Inhalt'" in result.output and "content  → content" in result.output
    assert "'Nur Titel'" in result.output and "section" in result.output.split("'Nur Titel'")[1].splitlines()[0]
    (theme / "theme.yaml").write_text("template: ours.pptx\nlayouts:\n  section: Kapitel\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["list", "--root", str(workspace), "--theme", "ours"])
    assert result.exit_code == 1
    assert "themes/ours/theme.yaml:3:12: error: template 'themes/ours/ours.pptx' has no layout named 'Kapitel' " \
           "for the section role" in result.stderr


def test_a_blank_only_template_still_gives_every_role() -> None:
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name != "Blank":
            prs.slide_layouts.remove(layout)
    template = read_template(_save(prs), "blank.pptx")
    for role, layout in template.roles.items():
        assert layout.get("title") is not None, role
        assert layout.derived
    assert template.roles["content"].get("body") is not None
    assert Inches(0) < template.roles["content"].get("body").box.cy  # type: ignore[union-attr]
