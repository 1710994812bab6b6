"""Outline field readers: text, two-level bullets, columns, choices with did-you-mean, and safe links."""

from __future__ import annotations

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.outline_fields import field_text, link_field, parse_bullets, parse_choice, parse_column
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml


def _fields(text: str, allowed: set[str]) -> tuple[Fields, Diagnostics]:
    diags = Diagnostics()
    node = compose_yaml(text, "t.yaml", diags)
    assert node is not None
    return Fields(node, Ctx("t.yaml", diags), allowed, "test"), diags


def test_bullets_nest_two_levels_and_no_deeper() -> None:
    fields, diags = _fields("b:\n  - one\n  - two: [a, b]\n  - three: [{deep: [x]}]\n", {"b"})
    bullets = parse_bullets(fields.get_node("b"), fields.ctx, "b")
    assert [b.text.text for b in bullets] == ["one", "two", "three"]
    assert [c.text.text for c in bullets[1].children] == ["a", "b"]
    assert bullets[2].children == ()
    assert [d.code for d in diags.items] == ["outline.nesting"]


def test_a_mapping_where_text_is_wanted_is_a_type_error_at_its_line() -> None:
    fields, diags = _fields("title: ok\nnote:\n  x: 1\n", {"title", "note"})
    assert field_text(fields, "note") is None
    assert [d.render() for d in diags.items] == ["t.yaml:3:3: error: 'note' must be text, got a mapping [yaml.type]"]


def test_a_column_is_a_list_or_a_heading_with_bullets() -> None:
    fields, diags = _fields("left: [a]\nright: {heading: Why, bullets: [b, c]}\n", {"left", "right"})
    left = parse_column(fields.get_node("left"), fields.ctx, "left")
    right = parse_column(fields.get_node("right"), fields.ctx, "right")
    assert left is not None and left.heading is None and [b.text.text for b in left.bullets] == ["a"]
    assert right is not None and right.heading is not None and right.heading.text == "Why"
    assert [b.text.text for b in right.bullets] == ["b", "c"]
    assert not diags.items


def test_an_unknown_choice_falls_back_with_a_suggestion() -> None:
    fields, diags = _fields("reveal: fdae\n", {"reveal"})
    assert parse_choice(fields, "reveal", ("none", "bullets", "fade"), "none", "outline.reveal") == "none"
    assert [d.code for d in diags.items] == ["outline.reveal"]
    assert "fade" in (diags.items[0].hint or "")


def test_an_unsafe_link_is_refused_and_a_safe_one_kept() -> None:
    fields, diags = _fields("a: javascript:alert(1)\nb: https://example.org/x\n", {"a", "b"})
    assert link_field(fields, "a") == ""
    assert link_field(fields, "b") == "https://example.org/x"
    assert [d.code for d in diags.items] == ["link.unsafe"]
