"""The text half of the layouter: paragraphs to lines at the theme's sizes, shapes measured, regions shrunk to fit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lecturegen.compile.layout_text import AGENDA_TAB, HARD_FLOOR_PT, REFERENCE_HANG, LayoutContext, TextSetter
from lecturegen.compile.placing import BOX_INSETS
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from tests.compile.layout_context import body_placeholder, layout_context

WORDS = "Clients remember the moments when their therapist was fully present with them"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> LayoutContext:
    return layout_context(tmp_path_factory.mktemp("text") / "ws")


@pytest.fixture
def setter(ctx: LayoutContext) -> TextSetter:
    return TextSetter(ctx, Diagnostics())


def para(text: str, style: str = "body", level: int = 0) -> Paragraph:
    return Paragraph((Run(text),), level=level, style=style)


def slide() -> Slide:
    return Slide(kind="bullets", layout="content", title=(Run("A slide"),))


def test_body_levels_take_the_themes_body_and_level2_sizes(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    top, sub = setter.lines((para("A point"), para("a detail", level=1)), ph)
    assert (top.size, top.level) == (ctx.sizes.get("body"), 0) == (26, 0)  # calm's theme.yaml
    assert (sub.size, sub.level) == (ctx.sizes.get("level2"), 1) == (22, 1)


def test_each_paragraph_style_has_its_look(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    colours = ctx.style.colors
    caption, quote, reference, attribution, big = setter.lines(
        (para("A caption", "caption"), para("Be there", "quote"), para("Cooper, M. (2005).", "reference"),
         para("Carl Rogers", "attribution"), para("8 of 8", "big")), ph)
    assert (caption.align, caption.color, caption.bullet) == ("ctr", colours["muted"], "none")
    assert [r.text for r in quote.runs] == ["“", "Be there", "”"] and quote.italic
    assert (reference.margin, reference.indent) == (REFERENCE_HANG, -REFERENCE_HANG)
    assert attribution.align == "r"
    assert (big.align, big.bold, big.color, big.size) == ("ctr", True, colours["accent"], ctx.sizes.get("statement"))


def test_an_agenda_tab_stands_past_its_widest_time(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    short = Paragraph((Run("1"), Run("\tOpening")), style="agenda")
    (line,) = setter.lines((short,), ph)
    assert line.tab == AGENDA_TAB and line.margin == AGENDA_TAB and line.indent == -AGENDA_TAB
    wide = Paragraph((Run("09:50–11:00 and then some more"), Run("\tSession one")), style="agenda")
    (line,) = setter.lines((short, wide), ph)[:1]
    assert line.tab is not None and line.tab > AGENDA_TAB


def test_no_scale_sets_text_below_the_hard_floor(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    for line in setter.lines((para("A point"), para("a detail", level=1), para("8", "big")), ph, scale=0.1):
        assert line.size == HARD_FLOOR_PT


def test_short_text_fits_at_full_size(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    shape, fits = setter.fit_region(slide(), ph, ph.box, (para("One point"), para("Another point")), "Body", "body")
    assert fits
    assert [line.size for line in shape.lines] == [26, 26]
    assert 0 < shape.measured_height <= setter.capacity(shape)
    assert shape.box == ph.box and shape.inherit_box


def test_long_text_shrinks_until_it_fits_but_not_below_the_minimum(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    paragraphs = tuple(para(f"{WORDS} ({i})") for i in range(7))
    shape, fits = setter.fit_region(slide(), ph, ph.box, paragraphs, "Body", "body")
    sizes = {line.size for line in shape.lines}
    assert fits and len(sizes) == 1
    (size,) = sizes
    assert ctx.sizes.get("min_body") <= size < 26
    assert shape.measured_height <= setter.capacity(shape)
    # One step larger would not have fitted: the text is as large as the box allows.
    larger = setter.placeholder_shape("Body", "body", ph, ph.box, setter.lines(paragraphs, ph, size / 26 + 0.04))
    assert larger.measured_height > setter.capacity(larger)


def test_text_too_long_even_at_the_floor_is_reported_as_not_fitting(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    paragraphs = tuple(para(f"{WORDS} ({i})") for i in range(60))
    shape, fits = setter.fit_region(slide(), ph, ph.box, paragraphs, "Body", "body")
    assert not fits
    (size,) = {line.size for line in shape.lines}
    assert HARD_FLOOR_PT <= size < HARD_FLOOR_PT + 26 * 0.04  # the last 4 % step above the floor
    assert shape.measured_height > setter.capacity(shape)


def test_display_text_that_wraps_is_balanced(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    text = "Relational depth is a gradient, not a threshold we cross once"
    shape, fits = setter.fit_region(slide(), ph, ph.box, (para(text, "big"),), "Body", "body")
    assert fits
    (line,) = shape.lines
    pieces = line.text.split("\n")
    assert len(pieces) >= 2 and " ".join(pieces) == text
    font = ctx.fonts.get(ctx.fonts.body)
    widths = [font.width(p, line.size, True) for p in pieces]
    assert max(widths) - min(widths) < max(widths) / 2  # about equally long, not one full line and a stub


def test_a_word_wider_than_its_box_is_found(setter: TextSetter, ctx: LayoutContext) -> None:
    ph = body_placeholder(ctx)
    narrow = Box(ph.box.x, ph.box.y, int(2 * EMU_PER_INCH), ph.box.cy)
    lines = setter.lines((para("Pneumonoultramicroscopicsilicovolcanoconiosis is long"),), ph)
    assert setter.breaks_a_word(setter.placeholder_shape("Body", "body", ph, narrow, lines), ph)
    ordinary = setter.lines((para("short words only here"),), ph)
    assert not setter.breaks_a_word(setter.placeholder_shape("Body", "body", ph, narrow, ordinary), ph)


def test_a_box_shape_is_measured_in_its_own_font_with_text_box_insets(setter: TextSetter, ctx: LayoutContext) -> None:
    lines = setter.lines((para(WORDS),), body_placeholder(ctx))
    box = Box(0, 0, int(4 * EMU_PER_INCH), int(3 * EMU_PER_INCH))
    body = setter.box_shape("Text", "text", box, lines)
    heading = setter.box_shape("Text", "text", box, lines, font="heading")
    assert body.insets == BOX_INSETS and body.font_family == ctx.fonts.body
    assert heading.font_family == ctx.fonts.heading
    wider = setter.box_shape("Text", "text", replace(box, cx=box.cx * 2), lines)
    assert wider.measured_height < body.measured_height  # fewer lines in a wider box


def test_an_unknown_font_family_measures_as_the_body_font(ctx: LayoutContext) -> None:
    assert ctx.fonts.get("No Such Font") is ctx.fonts.get(ctx.fonts.body)
