"""Tests for model/template.py: a template as data — layout and placeholder lookups, level styles, design sizes."""

from __future__ import annotations

import dataclasses

import pytest

from lecturegen.model.geometry import Box
from lecturegen.model.template import (LAYOUT_ROLES, LevelStyle, Layout, PackageFrame, Placeholder, Template,
                                       TemplateDesign, ThemeFonts)
from lecturegen.render.theme_template import generate_template
from lecturegen.sources.template import read_template
from lecturegen.sources.themes import DEFAULT_SIZES, ThemeSpec
from lecturegen.store.templates import design_of

BOX = Box(0, 0, 100, 100)


def placeholder(role: str, idx: int | None = None, sizes: tuple[float, ...] = (18.0,)) -> Placeholder:
    return Placeholder(role, "body", idx, BOX, levels=tuple(LevelStyle(size=s) for s in sizes))


def template(layouts: dict[str, Layout], roles: dict[str, Layout]) -> Template:
    frame = PackageFrame("ppt/presentation.xml", (), (), (), (), "", "", "")
    return Template("t.pptx", "0" * 64, 12192000, 6858000, layouts, roles, ThemeFonts("Georgia", "Calibri"), {},
                    "FFFFFF", "000000", "000000", {"ppt/presentation.xml": b"<p/>" * 1000}, frame)


# -- Placeholder.level and Layout.get --------------------------------------------------------------------

def test_a_level_past_the_last_takes_the_deepest_style_and_below_zero_the_first() -> None:
    body = placeholder("body", sizes=(28.0, 24.0, 20.0))
    assert [body.level(i).size for i in (-1, -3, 0, 1, 2, 3, 8)] == [28.0, 28.0, 28.0, 24.0, 20.0, 20.0, 20.0]


def test_layout_get_finds_the_first_placeholder_of_a_role_or_none() -> None:
    first, second = placeholder("body", 1), placeholder("body", 2)
    layout = Layout("Two bodies", "ppt/slideLayouts/slideLayout9.xml", (placeholder("title"), first, second))
    assert layout.get("body") is first
    assert layout.get("title") is layout.placeholders[0]
    assert layout.get("subtitle") is None
    assert Layout("Blank", "ppt/slideLayouts/slideLayout7.xml", ()).get("title") is None


# -- Template.layout and Template.placeholder ------------------------------------------------------------

def test_a_layout_is_found_by_role_first_then_by_its_own_name() -> None:
    plain = Layout("Title and Content", "l2.xml", (placeholder("title"), placeholder("body")))
    misnamed = Layout("content", "l5.xml", (placeholder("title"),))  # a template naming a layout like a role
    t = template({"Title and Content": plain, "content": misnamed}, {"content": plain})
    assert t.layout("content") is plain
    assert t.layout("Title and Content") is plain
    assert t.layout("Comparison") is None


def test_a_placeholder_is_looked_up_through_its_layout() -> None:
    body = placeholder("body")
    plain = Layout("Title and Content", "l2.xml", (placeholder("title"), body))
    t = template({"Title and Content": plain}, {"content": plain})
    assert t.placeholder("content", "body") is body
    assert t.placeholder("Title and Content", "body") is body
    assert t.placeholder("content", "heading1") is None
    assert t.placeholder("section", "title") is None


def test_the_slide_box_is_the_whole_slide_and_the_parts_stay_out_of_the_repr() -> None:
    t = template({}, {})
    assert t.slide_box == Box(0, 0, 12192000, 6858000)
    assert "<p/>" not in repr(t) and "PackageFrame" not in repr(t)


def test_two_templates_are_the_same_only_when_they_are_one() -> None:
    a, b = template({}, {}), template({}, {})
    same = a
    assert a != b and a == same
    assert len({a, b, a}) == 2  # hashable by identity: caches can key on a template


def test_placeholders_and_layouts_are_values() -> None:
    assert placeholder("body", 1) == placeholder("body", 1)
    assert hash(placeholder("body", 1)) == hash(placeholder("body", 1))
    assert placeholder("body", 1) != placeholder("body", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        placeholder("body").role = "title"  # type: ignore[misc]


# -- a generated template, read back ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def design() -> TemplateDesign:
    return design_of(ThemeSpec("t", "T", "", sizes={"title": 40.0, "body": 30.0}))


@pytest.fixture(scope="module")
def generated(design: TemplateDesign) -> Template:
    return read_template(generate_template(design), "t", generated=True)


def test_design_sizes_are_the_themes_and_otherwise_the_defaults(design: TemplateDesign) -> None:
    assert design.size("title") == 40.0 and design.size("body") == 30.0
    assert design.size("level2") == DEFAULT_SIZES["level2"] and design.size("caption") == DEFAULT_SIZES["caption"]
    assert set(design.sizes) == set(DEFAULT_SIZES)
    with pytest.raises(KeyError):
        design.size("no-such-size")


def test_every_layout_role_is_played_in_a_generated_template(generated: Template) -> None:
    for role in LAYOUT_ROLES:
        layout = generated.layout(role)
        assert layout is not None and layout.kind == role, role
        assert generated.layout(layout.name) is generated.layouts[layout.name]


def test_a_generated_templates_placeholders_carry_the_designs_sizes(generated: Template) -> None:
    title = generated.placeholder("content", "title")
    body = generated.placeholder("content", "body")
    assert title is not None and body is not None
    assert title.level(0).size == 40.0
    assert (body.level(0).size, body.level(1).size) == (30.0, DEFAULT_SIZES["level2"])
    assert generated.placeholder("comparison", "heading2") is not None
    assert generated.placeholder("title-only", "body") is None
