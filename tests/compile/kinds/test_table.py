"""Compile tests: the table kind — rows checked against the header with located errors; the table built,
placed inside the free area, and continued when too tall."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.table import TableSpec
from lecturegen.model.shapes import TableShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_rows_are_checked_and_located() -> None:
    _, problems = parse("table", "kind: table\ncolumns: [A, B]\nrows:\n  - [1, 2]\n  - [3]\n  - x\n")
    assert problems == ["s.yaml:5:5: error: row has 1 cells but the table has 2 columns [outline.table]",
                        "s.yaml:6:5: error: each table row must be a list, got a string [yaml.type]"]
    _, problems = parse("table", "kind: table\ncolumns: [A]\n")
    assert problems == ["s.yaml:1:1: error: table slide is missing the required key 'rows' [yaml.missing-key]"]


def test_the_spec_reads_caption_header_and_cells() -> None:
    spec, problems = parse("table", "kind: table\ncaption: C\ncolumns: [A, B]\nrows: [[1, 2]]\n")
    assert problems == [] and isinstance(spec, TableSpec)
    assert [t.text for t in spec.texts()] == ["C", "A", "B", "1", "2"]
    assert kind_role("table") == "title-only" and KINDS["table"].minimum_minutes == 1.0


def test_built_placed_and_continued(tmp_path: Path) -> None:
    rows = "\n".join(f'            - ["Study number {i}", "A finding that takes a few words to say"]' for i in range(40))
    built, messages = deck(tmp_path, f"""\
        - kind: table
          id: short
          title: A table
          columns: [Study, Year]
          rows:
            - [Alpha, "2005"]
        - kind: table
          id: tall
          title: A tall table
          columns: [Study, Finding]
          rows:
{rows}
        """)
    short, *tall = slides_of(built, "table")
    assert short.table is not None and [r.text for r in short.table.header[0]] == ["Study"]
    table = next(s for s in short.shapes if isinstance(s, TableShape))
    assert inside(table, built) and table.header
    assert len(tall) >= 2 and tall[1].title[-1].text == " (cont.)"
    assert all(sum(t.row_heights) <= built.height for s in tall for t in s.shapes if isinstance(t, TableShape))
    assert any("[fit.table]" in m and "continues on" in m for m in messages)
