"""Worksheets: prompts or a checklist, a rating scale of 2 to 7 anchors over a checklist, space within a page."""

from __future__ import annotations

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.specs import WorksheetSpec
from lecturegen.sources.worksheet import parse_worksheet
from lecturegen.sources.yamlload import Ctx, compose_yaml


def _parse(text: str) -> tuple[WorksheetSpec | None, Diagnostics]:
    diags = Diagnostics()
    node = compose_yaml(text, "w.yaml", diags)
    assert node is not None
    return parse_worksheet(node, Ctx("w.yaml", diags)), diags


def test_a_checklist_with_a_scale_is_read_whole() -> None:
    sheet, diags = _parse("title: Check\nchecklist: [a, b]\nscale: [no, some, yes]\nspace: 2\n")
    assert not diags.items
    assert sheet is not None
    assert [t.text for t in sheet.checklist] == ["a", "b"]
    assert [t.text for t in sheet.scale] == ["no", "some", "yes"]
    assert sheet.space == 2


def test_a_scale_of_one_anchor_is_dropped_with_an_error() -> None:
    sheet, diags = _parse("title: Check\nchecklist: [a]\nscale: [only]\n")
    assert sheet is not None and sheet.scale == ()
    assert [d.code for d in diags.items] == ["outline.worksheet"]
    assert "2 to 7 anchors" in diags.items[0].message


def test_a_worksheet_without_prompts_or_checklist_is_an_error() -> None:
    sheet, diags = _parse("title: Empty\n")
    assert [d.code for d in diags.items] == ["outline.worksheet"]


def test_space_of_more_than_a_page_falls_back_to_four_lines() -> None:
    sheet, diags = _parse("title: Think\nprompts: [Why?]\nspace: 40\n")
    assert sheet is not None and sheet.space == 4
    assert [d.code for d in diags.items] == ["outline.worksheet"]
