"""What the deck writer gets from a template: a notes master when it has none, a show on click, the slide list."""

from __future__ import annotations

from lecturegen.model.template import SLIDE_ID_MARK, SLIDE_RID_MARK
from lecturegen.sources.template_frame import ensure_notes_master, package_frame, show_on_click
from lecturegen.sources.template_package import TemplatePackage
from tests.sources.test_template import template_parts


def test_a_template_without_a_notes_master_gets_one_wired_in() -> None:
    pkg = TemplatePackage(template_parts(), "t.pptx")
    assert not pkg.related(pkg.main, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster")
    part = ensure_notes_master(pkg)
    pkg.finish()
    assert part in pkg.parts and b"notesMasterIdLst" in pkg.parts[pkg.main]
    assert ensure_notes_master(pkg) == part  # asked again: the same one, not a second


def test_the_show_ignores_rehearsal_timings() -> None:
    pkg = TemplatePackage(template_parts(), "t.pptx")
    show_on_click(pkg)
    pkg.finish()
    assert b'useTimings="0"' in pkg.parts["ppt/presProps.xml"]


def test_the_frame_holds_one_slide_entry_with_its_marks() -> None:
    pkg = TemplatePackage(template_parts(), "t.pptx")
    frame = package_frame(pkg)
    assert frame.main == "ppt/presentation.xml"
    assert frame.slide_entry.count(SLIDE_ID_MARK) == 1 and frame.slide_entry.count(SLIDE_RID_MARK) == 1
    assert "sldIdLst" in frame.slide_list_head and frame.slide_list_tail.lstrip().startswith("</p:sldIdLst>")
