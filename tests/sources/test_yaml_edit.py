"""sources/yaml_edit.py: edits made in place; only the touched lines change, comments and styles stay."""

from __future__ import annotations

from lecturegen.model.pull import Place, SourceEdit
from lecturegen.sources.yaml_edit import YamlFile, apply_edits, overlay

TEXT = """\
# top comment
title: A section   # trailing comment
slides:
  - kind: bullets
    title: "Quoted: title"
    bullets:
      - one
      - two: [a, b]
    notes: >
      A folded block that runs
      over three lines of the
      file, as authors write them.
  - kind: bullets
    title: Second
    bullets: [x]
"""


def test_a_text_edit_changes_one_line_and_keeps_quotes() -> None:
    file = YamlFile("s.yaml", TEXT)
    assert apply_edits(file, [SourceEdit("text", Place("s.yaml", 5, 12), "t", "Quoted: title", "Quoted: heading")]) == []
    result = file.result()
    assert result == TEXT.replace('"Quoted: title"', '"Quoted: heading"')


def test_a_folded_block_keeps_its_line_breaks_around_the_edit() -> None:
    file = YamlFile("s.yaml", TEXT)
    old = "A folded block that runs over three lines of the file, as authors write them.\n"
    new = old.replace("three lines", "3 lines")
    assert apply_edits(file, [SourceEdit("text", Place("s.yaml", 9, 12), "n", old, new)]) == []
    assert file.result() == TEXT.replace("over three lines", "over 3 lines")


def test_set_delete_insert_and_order() -> None:
    file = YamlFile("s.yaml", TEXT)
    edits = [SourceEdit("set", Place("s.yaml", 4, 5), "hide", key="hidden", value=True),
             SourceEdit("delete", Place("s.yaml", 7, 9), "del", "one"),
             SourceEdit("insert", Place("s.yaml", 8, 9), "ins", "two", "three"),
             SourceEdit("order", Place("s.yaml", 2, 1), "ord",
                        order=(Place("s.yaml", 13, 5), Place("s.yaml", 4, 5)))]
    assert apply_edits(file, edits) == []
    result = file.result()
    assert result.startswith("# top comment\ntitle: A section   # trailing comment\n")
    assert result.index("title: Second") < result.index('title: "Quoted: title"')
    assert "hidden: true" in result and "- one" not in result and "- three" in result
    assert result.index("- two") < result.index("- three")


def test_a_source_changed_since_the_build_is_reported_not_guessed() -> None:
    file = YamlFile("s.yaml", TEXT)
    failed = apply_edits(file, [SourceEdit("text", Place("s.yaml", 14, 12), "t", "Second (as built)", "Deck")])
    assert len(failed) == 1 and failed[0].why == "the source changed since the deck was built"
    assert file.result() == TEXT


def test_overlay_keeps_lines_the_dumper_would_rewrite() -> None:
    original = "a: [1,   2]\nb: x\n"
    before = "a: [1, 2]\nb: x\n"
    after = "a: [1, 2]\nb: y\n"
    assert overlay(original, before, after) == "a: [1,   2]\nb: y\n"


def test_an_anchored_text_keeps_its_anchor_and_every_alias_follows() -> None:
    text = 'sections:\n  - {use: a, title: &part "Old title"}\n  - {use: b, title: *part, header: false}\n'
    file = YamlFile("t.yaml", text)
    assert apply_edits(file, [SourceEdit("text", Place("t.yaml", 2, 21), "t", "Old title", "New title")]) == []
    assert file.result() == text.replace('"Old title"', '"New title"')


def test_two_items_of_one_list_deleted_and_a_slide_dropped() -> None:
    text = "slides:\n  - kind: bullets\n    bullets:\n      - a\n      - b\n      - c\n  - kind: bullets\n    bullets: [x]\n"
    file = YamlFile("s.yaml", text)
    edits = [SourceEdit("delete", Place("s.yaml", 4, 9), "d", "a"), SourceEdit("delete", Place("s.yaml", 6, 9), "d", "c"),
             SourceEdit("drop", Place("s.yaml", 7, 5), "drop")]
    assert apply_edits(file, edits) == []
    assert file.result() == "slides:\n  - kind: bullets\n    bullets:\n      - b\n"
