"""The package a template arrives in: refused before inflating when it lies, cleaned of what a deck must not carry."""

from __future__ import annotations

import zipfile

import pytest

from lecturegen.sources.template_file import TemplateError
from lecturegen.sources.template_package import TemplatePackage, short, unzip_template
from tests.sources.test_template import RT, VBA, add_relationship, package, template_parts

PRESENTATION_RELS = "ppt/_rels/presentation.xml.rels"


def test_unzip_refuses_a_part_named_twice_in_any_case() -> None:
    blob = package([("[Content_Types].xml", b"<x/>"), ("ppt/a.xml", b"<a/>"), ("PPT/A.xml", b"<b/>")])
    with pytest.raises(TemplateError, match="twice"):
        unzip_template(blob, "t.pptx")


@pytest.mark.parametrize("name", ["../evil.xml", "/abs.xml", "ppt\\back.xml"])
def test_unzip_refuses_a_part_name_that_leaves_the_package(name: str) -> None:
    with pytest.raises(TemplateError, match="invalid part name"):
        unzip_template(package([(name, b"<a/>")], zipfile.ZIP_STORED), "t.pptx")


def test_unzip_refuses_a_part_that_inflates_like_a_bomb() -> None:
    with pytest.raises(TemplateError, match="fold"):
        unzip_template(package({"ppt/big.xml": b"a" * (3 * 2**20)}), "t.pptx")


def test_unzip_reads_every_part_of_a_real_template() -> None:
    parts = unzip_template(package(template_parts()), "t.pptx")
    assert "ppt/presentation.xml" in parts and parts == template_parts()


def test_a_package_without_a_presentation_part_is_named_for_what_it_is() -> None:
    parts = template_parts()
    parts["_rels/.rels"] = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    with pytest.raises(TemplateError, match="no presentation part"):
        TemplatePackage(parts, "t.pptx")


def test_cleaning_drops_macros_and_external_links_and_says_so() -> None:
    parts = template_parts()
    parts["ppt/vbaProject.bin"] = b"\0" * 16
    add_relationship(parts, PRESENTATION_RELS, "rId90", VBA, "vbaProject.bin")
    add_relationship(parts, "ppt/slideMasters/_rels/slideMaster1.xml.rels", "rId91", RT + "hyperlink",
                     "https://tracker.example/pixel", external=True)
    pkg = TemplatePackage(parts, "t.pptx")
    pkg.clean()
    pkg.finish()
    assert "ppt/vbaProject.bin" not in pkg.parts
    assert b"tracker.example" not in pkg.parts["ppt/slideMasters/_rels/slideMaster1.xml.rels"]
    assert any("external link" in p and "https:tracker.example" in p for p in pkg.problems)


def test_slide_size_is_read_and_checked() -> None:
    pkg = TemplatePackage(template_parts(), "t.pptx")
    assert pkg.slide_size() == (9144000, 6858000)
    pkg.parts["ppt/presentation.xml"] = pkg.parts["ppt/presentation.xml"].replace(b'cx="9144000"', b'cx="12"')
    pkg = TemplatePackage(pkg.parts, "t.pptx")
    with pytest.raises(TemplateError, match="cannot show"):
        pkg.slide_size()


def test_short_keeps_the_first_line_of_a_message() -> None:
    assert short("line one\nline two") == "line one"
    assert short("") == "unknown error"
    assert len(short("x" * 500)) == 120
