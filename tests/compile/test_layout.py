"""Compile tests: the layouter places every shape of a slide inside the template's boxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.build import prepare
from lecturegen.compile.kinds import KIND_NAMES, KINDS
from lecturegen.compile.layout import Layouter
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import RectShape, TableShape, TextShape
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_TALK, write_workspace

SECTION = """\
title: Layout
summary: Shapes in their places.
slides:
  - kind: bullets
    id: short
    title: Few words
    bullets:
      - One point
      - Another point
    notes: Short.
  - kind: table
    id: table
    title: A table
    columns: [Study, Year]
    rows:
      - [Alpha, "2005"]
      - [Beta, "2010"]
    notes: A table.
  - kind: table
    id: tall
    title: A tall table
    columns: [Study, Finding]
    rows:
{rows}
    notes: Many rows.
  - kind: bullets
    id: long
    title: {long_title}
    bullets:
{bullets}
    notes: Many points.
"""

LONG_TITLE = "A very long title about relational depth in counselling that goes on and on and on and on and on"


def _workspace(root: Path) -> Path:
    rows = "\n".join(f'      - ["Study number {i}", "A finding that takes a few words to say"]' for i in range(40))
    bullets = "\n".join(f"      - Point number {i} says something about relational depth in therapy"
                        for i in range(30))
    return write_workspace(root, {
        "bibliography.bib": MINI_BIB,
        "content/talks/small.yaml": MINI_TALK.replace("use: intro", "use: layout"),
        "content/sections/layout.yaml": SECTION.format(rows=rows, bullets=bullets, long_title=LONG_TITLE),
    })


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Slide], Box, list[str]]:
    root = _workspace(tmp_path_factory.mktemp("layout") / "ws")
    diags = Diagnostics()
    result = prepare(Workspace(root), "small", diags)
    template = result.template
    return list(result.result.deck.slides), Box(0, 0, template.width, template.height), \
        [d.render() for d in diags.items]


def _by_id(slides: list[Slide], prefix: str) -> list[Slide]:
    return [s for s in slides if (s.id or "").startswith(prefix)]


def _text(shape: TextShape) -> list[str]:
    return [line.text for line in shape.lines]


def test_every_shape_stands_inside_the_slide(prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, page, _ = prepared
    assert slides
    for slide in slides:
        for shape in slide.shapes:
            box = shape.box
            assert box.x >= 0 and box.y >= 0 and box.right <= page.right and box.bottom <= page.bottom, \
                (slide.id, shape)


def test_body_text_stays_clear_of_the_title_and_the_footer(prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, _, _ = prepared
    for slide in _by_id(slides, "short") + _by_id(slides, "long"):
        shapes = {s.role: s for s in slide.shapes if isinstance(s, TextShape)}
        title, body, footer = shapes["title"], shapes["body"], shapes["footer"]
        assert body.box.y >= title.box.bottom
        assert body.box.bottom <= footer.box.y


def test_a_short_list_is_set_larger_than_the_body_size(prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, _, _ = prepared
    (slide,) = _by_id(slides, "short")
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert _text(body) == ["One point", "Another point"]
    assert all(line.size > 24 for line in body.lines)
    assert all(line.size <= 36 for line in body.lines)


def test_a_long_list_continues_on_cont_slides_without_losing_a_point(
        prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, _, _ = prepared
    parts = _by_id(slides, "long")
    assert len(parts) >= 2
    assert all("(cont.)" in "".join(r.text for r in p.title) for p in parts[1:])
    points = [t for p in parts for s in p.shapes if isinstance(s, TextShape) and s.role == "body" for t in _text(s)]
    assert points == [f"Point number {i} says something about relational depth in therapy" for i in range(30)]


def test_a_small_table_gets_its_header_filled_and_columns_spanning_its_box(
        prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, _, _ = prepared
    (slide,) = _by_id(slides, "table")
    (table,) = [s for s in slide.shapes if isinstance(s, TableShape)]
    assert table.header is True
    assert sum(table.column_widths) == table.box.cx
    assert sum(table.row_heights) == table.box.cy
    assert len(table.rows) == 3 and all(len(row) == 2 for row in table.rows)
    assert [line.text for line in table.rows[0][0].lines] == ["Study"]
    assert table.rows[0][0].lines[0].runs[0].bold
    assert table.header_fill != table.body_fill


def test_a_tall_table_continues_with_a_warning_and_keeps_every_row(
        prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, page, problems = prepared
    parts = _by_id(slides, "tall")
    assert len(parts) >= 2
    tables = [s for p in parts for s in p.shapes if isinstance(s, TableShape)]
    assert len(tables) == len(parts)
    body_rows = [row for t in tables for row in t.rows[1:]]
    assert [row[0].lines[0].text for row in body_rows] == [f"Study number {i}" for i in range(40)]
    assert all(t.rows[0][0].lines[0].text == "Study" for t in tables)  # each part repeats the header
    assert any("[fit.table]" in p and "continues on" in p for p in problems)


def test_a_long_title_is_broken_into_balanced_lines_without_losing_a_word(
        prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, _, _ = prepared
    first = _by_id(slides, "long")[0]
    title = next(s for s in first.shapes if isinstance(s, TextShape) and s.role == "title")
    text = title.lines[0].text
    assert text.split() == LONG_TITLE.split()
    lines = text.split("\n")
    assert len(lines) >= 2
    assert all(len(line.split()) >= 2 for line in lines)  # no word left alone on a line
    widths = [len(line) for line in lines]
    assert max(widths) - min(widths) < max(widths) * 0.5  # about equally long


def test_content_slides_carry_the_generated_templates_accent_rule(
        prepared: tuple[list[Slide], Box, list[str]]) -> None:
    slides, _, _ = prepared
    (slide,) = _by_id(slides, "short")
    rules = [s for s in slide.shapes if isinstance(s, RectShape)]
    title = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "title")
    assert len(rules) == 1
    assert rules[0].box.y >= title.box.bottom - rules[0].box.cy and rules[0].box.cx < title.box.cx


def test_every_slide_kind_has_a_placer() -> None:
    for name in KIND_NAMES:
        kind = KINDS.get(name)
        assert kind is not None and (kind.lay or kind.place), name
