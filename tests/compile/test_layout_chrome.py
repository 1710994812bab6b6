"""The chrome half of the layouter: title, footer, slide number, logo, caption line and accent rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lecturegen.compile.layout import Layouter
from lecturegen.compile.layout_chrome import ACCENT_RULE
from lecturegen.compile.layout_text import LayoutContext, Logo
from lecturegen.compile.measure import widest_line, words_of
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.shapes import Media, PictureShape, RectShape, Shape, TextShape
from tests.compile.layout_context import layout_context, with_footer

AT = Location("content/sections/intro.yaml", 4, 5)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> LayoutContext:
    return layout_context(tmp_path_factory.mktemp("chrome") / "ws")


def slide(title: str = "A slide", **fields: object) -> Slide:
    return Slide(kind="bullets", layout="content", title=(Run(title),), location=AT, **fields)  # type: ignore[arg-type]


def chrome(ctx: LayoutContext, s: Slide, diags: Diagnostics | None = None) -> dict[str, Shape]:
    """The slide finished on its layout with nothing in its content area: its shapes by role or name."""
    layouter = Layouter(ctx, diags if diags is not None else Diagnostics())
    frame = layouter.frame(s.layout)
    finished = layouter.finish(s, frame, [], layouter.caption_line(s, frame))
    return {(shape.role if isinstance(shape, TextShape) else shape.name): shape for shape in finished.shapes}


def text(shape: Shape) -> str:
    assert isinstance(shape, TextShape)
    return "".join(line.text for line in shape.lines)


def test_a_footer_that_fits_is_written_whole_with_the_event(ctx: LayoutContext) -> None:
    diags = Diagnostics()
    shapes = chrome(with_footer(ctx, "Relational depth", " · BACP 2026"), slide(), diags)
    assert text(shapes["footer"]) == "Relational depth · BACP 2026"
    assert diags.items == []


def test_a_long_footer_drops_the_event_first_and_warns_once(ctx: LayoutContext) -> None:
    footer = "Relational depth in counselling and psychotherapy: what clients and therapists say"
    extra = " · The annual research conference of the British Association for Counselling and Psychotherapy"
    diags = Diagnostics()
    layouter = Layouter(with_footer(ctx, footer, extra), diags)
    frame = layouter.frame("content")
    footers = [next(s for s in layouter.finish(slide(f"Slide {n}"), frame, [], None).shapes
                    if isinstance(s, TextShape) and s.role == "footer") for n in range(3)]
    assert {text(f) for f in footers} == {footer}
    (warning,) = diags.items
    assert warning.code == "fit.footer" and "shortened to" in warning.message


def test_a_footer_too_long_on_its_own_is_cut_at_a_word_on_one_line(ctx: LayoutContext) -> None:
    footer = " ".join(["relational"] * 40)
    diags = Diagnostics()
    shape = chrome(with_footer(ctx, footer), slide(), diags)["footer"]
    shown = text(shape)
    assert shown.endswith("…") and shown[:-1].split() == ["relational"] * len(shown[:-1].split())
    assert isinstance(shape, TextShape)
    (line,) = shape.lines
    font = ctx.fonts.get(ctx.fonts.body)
    assert widest_line(font, words_of([(shown, False)]), line.size) <= shape.insets.inner(shape.box).width_pt
    assert [d.code for d in diags.items] == ["fit.footer"]


def test_no_footer_text_means_no_footer_shape(ctx: LayoutContext) -> None:
    assert "footer" not in chrome(ctx, slide())


def test_the_slide_number_is_a_field_never_below_the_minimum_caption_size(ctx: LayoutContext) -> None:
    number = chrome(ctx, slide())["number"]
    assert isinstance(number, TextShape) and number.field == "slidenum"
    assert number.lines[0].size >= ctx.sizes.get("min_caption")
    assert number.measured_height <= number.insets.inner(number.box).height_pt + 0.5


def test_a_short_title_fits_at_the_titles_size_with_no_warning(ctx: LayoutContext) -> None:
    diags = Diagnostics()
    title = chrome(ctx, slide("First findings"), diags)["title"]
    assert isinstance(title, TextShape)
    assert title.lines[0].size == ctx.sizes.get("title") == 36
    assert title.words_per_line == (2,)
    assert diags.items == []


def test_a_long_title_is_set_smaller_in_title_steps_without_a_warning(ctx: LayoutContext) -> None:
    long = " ".join(["Clients and therapists describe moments of relational depth"] * 3)
    diags = Diagnostics()
    title = chrome(ctx, slide(long), diags)["title"]
    assert isinstance(title, TextShape)
    size = title.lines[0].size
    assert ctx.sizes.get("min_title") <= size < 36 and (36 - size) % 2 == 0  # 2 pt at a time
    assert title.lines[0].text.replace("\n", " ") == long  # every word kept
    assert title.measured_height <= title.insets.inner(title.box).height_pt + 0.5
    assert diags.items == []


def test_a_title_too_long_at_the_smallest_size_is_a_warning_at_the_slide(ctx: LayoutContext) -> None:
    long = " ".join(["Clients and therapists describe moments of relational depth"] * 10)
    diags = Diagnostics()
    title = chrome(ctx, slide(long), diags)["title"]
    assert isinstance(title, TextShape) and title.lines[0].text.replace("\n", " ") == long
    (warning,) = diags.items
    assert warning.code == "fit.title" and warning.location == AT


def test_content_titles_carry_the_accent_rule_only_on_a_generated_template(ctx: LayoutContext) -> None:
    shapes = chrome(ctx, slide())
    rule = shapes["Accent Rule"]
    title = shapes["title"]
    assert isinstance(rule, RectShape)
    assert rule.box.y > title.box.bottom - 1 and rule.box.cx <= ACCENT_RULE[0] and rule.box.cy == ACCENT_RULE[1]
    assert "Accent Rule" not in chrome(replace(ctx, accent_rule=False), slide())


def logo_context(ctx: LayoutContext, width_px: int, height_px: int, place: str) -> LayoutContext:
    media = Media("0" * 64, "png", width_px, height_px, b"")
    return replace(ctx, logo=Logo(media, place, 0.5, "University logo", Location("themes/calm/theme.yaml")))


def test_the_logo_stands_in_its_corner_at_its_height(ctx: LayoutContext) -> None:
    diags = Diagnostics()
    logo = chrome(logo_context(ctx, 600, 200, "top-right"), slide(), diags)["Logo"]
    assert isinstance(logo, PictureShape) and logo.alt == "University logo"
    margin = int(0.25 * EMU_PER_INCH)
    assert logo.box == Box(ctx.template.width - margin - int(1.5 * EMU_PER_INCH), margin,
                           int(1.5 * EMU_PER_INCH), int(0.5 * EMU_PER_INCH))
    assert diags.items == []
    corner = chrome(logo_context(ctx, 600, 200, "bottom-left"), slide())["Logo"]
    assert corner.box.x == margin and corner.box.bottom == ctx.template.height - margin


def test_a_small_logo_is_never_blown_up_past_150_dpi(ctx: LayoutContext) -> None:
    diags = Diagnostics()
    logo = chrome(logo_context(ctx, 60, 20, "top-right"), slide(), diags)["Logo"]
    assert logo.box.cx == int(60 / 150 * EMU_PER_INCH)
    (warning,) = diags.items
    assert warning.code == "image.low-dpi" and warning.location == Location("themes/calm/theme.yaml")


def test_the_source_line_falls_back_to_a_shorter_form_that_fits_one_line(ctx: LayoutContext) -> None:
    many = tuple(Run(f"Author{i} et al. (20{i:02d}); ") for i in range(30))
    short = (Run("Sources: Author0 et al. (2000) and 29 more in the notes"),)
    line = chrome(ctx, slide(sources=many, source_variants=(short,)))["caption"]
    assert text(line) == short[0].text
    layouter = Layouter(ctx, Diagnostics())
    frame = layouter.frame("content")
    assert line.box.bottom == frame.floor and line.box.x == frame.content.x


def test_a_slide_without_caption_or_sources_has_no_caption_line(ctx: LayoutContext) -> None:
    layouter = Layouter(ctx, Diagnostics())
    assert layouter.caption_line(slide(), layouter.frame("content")) is None


def test_room_below_stretches_a_box_down_to_the_footers(ctx: LayoutContext) -> None:
    layouter = Layouter(ctx, Diagnostics())
    frame = layouter.frame("content")
    box = Box(frame.content.x, frame.content.y, frame.content.cx, int(1 * EMU_PER_INCH))
    grown = layouter.room_below(box, frame)
    assert (grown.x, grown.y, grown.cx) == (box.x, box.y, box.cx) and grown.cy > box.cy
    footers = [p.box for p in frame.layout.placeholders if p.role in ("footer", "number", "date")]
    assert footers and all(grown.bottom <= f.y for f in footers if f.x < grown.right and f.right > grown.x)
    assert grown.bottom <= ctx.template.height - int(0.3 * EMU_PER_INCH)
    assert layouter.room_below(grown, frame) == grown
