"""Compile tests: the deck's colours and sizes from its theme over its template."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from lecturegen.compile.style import CONTENT_LAYOUTS, Sizes, resolve_style, sizes_for, template_overrides_for
from lecturegen.model.colour import contrast_ratio
from lecturegen.model.style import FontFace
from lecturegen.sources.themes import DEFAULT_SIZES, ThemeSpec

SCHEME = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "1F3864", "lt2": "E7E6E6", "accent1": "4472C4",
          "accent2": "ED7D31", "accent3": "A5A5A5", "accent4": "FFC000", "accent5": "5B9BD5",
          "accent6": "70AD47", "hlink": "0563C1", "folHlink": "954F72"}
FACE = FontFace("Calibri", "Carlito", "metric-compatible")


@dataclass
class FakeTemplate:
    """Only what `resolve_style` reads of a template."""

    scheme: dict[str, str] = field(default_factory=lambda: dict(SCHEME))
    background: str = "FFFFFF"
    title_color: str = "1F3864"
    body_color: str = "000000"
    generated: bool = False


def _theme(**kw: object) -> ThemeSpec:
    return ThemeSpec(name="t", title="T", description="", **kw)  # type: ignore[arg-type]


def _style(theme: ThemeSpec, template: FakeTemplate | None = None):  # type: ignore[no-untyped-def]
    return resolve_style(theme, template or FakeTemplate(), FACE, FACE)  # type: ignore[arg-type]


def test_the_templates_colours_stand_where_the_theme_declares_none() -> None:
    style = _style(_theme())
    c = style.colors
    assert (c["background"], c["text"], c["title"]) == ("FFFFFF", "000000", "1F3864")
    assert c["accent"] == "4472C4" and c["link"] == "0563C1"
    assert c["band"] == "1F3864" and c["band_text"] == "FFFFFF"  # dk2 / lt1 on a user template
    assert style.heading is FACE and style.body is FACE


def test_theme_colours_win_one_by_one() -> None:
    style = _style(_theme(colors={"accent": "123456", "title": "654321"}))
    assert style.colors["accent"] == "123456" and style.colors["title"] == "654321"
    assert style.colors["text"] == "000000"


def test_a_generated_template_uses_the_title_colour_for_its_band() -> None:
    assert _style(_theme(), FakeTemplate(generated=True)).colors["band"] == "1F3864"
    assert _style(_theme(colors={"title": "AA0000"}), FakeTemplate(generated=True)).colors["band"] == "AA0000"


def test_an_unreadable_template_accent_is_moved_towards_the_text_colour() -> None:
    template = FakeTemplate(scheme={**SCHEME, "accent1": "FFFF00"})
    style = _style(_theme(), template)
    assert style.colors["accent"] != "FFFF00"
    assert contrast_ratio(style.colors["accent"], "FFFFFF") >= 4.5
    # A declared accent is the author's choice and is kept, readable or not.
    assert _style(_theme(colors={"accent": "FFFF00"}), template).colors["accent"] == "FFFF00"


def test_text_that_does_not_read_on_the_background_is_replaced_by_the_best_scheme_colour() -> None:
    style = _style(_theme(), FakeTemplate(background="000000", body_color="111111"))
    assert style.colors["text"] == "FFFFFF"


def test_muted_text_is_quieter_but_still_reads() -> None:
    muted = _style(_theme()).colors["muted"]
    assert muted != "000000"
    assert contrast_ratio(muted, "FFFFFF") >= 4.5


def test_the_palette_is_the_themes_or_six_readable_template_accents() -> None:
    assert _style(_theme(palette=("111111", "222222"))).palette == ("111111", "222222")
    palette = _style(_theme()).palette
    assert len(palette) == 6
    assert palette[0] == "4472C4"
    assert all(contrast_ratio(c, "FFFFFF") >= 3.0 for c in palette)


def test_theme_colours_map_to_the_template_scheme_slots_they_replace() -> None:
    theme = _theme(colors={"text": "111111", "background": "FAFAFA", "accent": "0F766E", "muted": "777777"})
    assert template_overrides_for(theme) == {"dk1": "111111", "lt1": "FAFAFA", "accent1": "0F766E"}


def test_sizes_are_declared_else_defaults() -> None:
    sizes = sizes_for(_theme(sizes={"body": 30.0}))
    assert sizes.get("body") == 30.0
    assert sizes.get("caption") == DEFAULT_SIZES["caption"]
    assert sizes.declared_or("body", 20.0) == 30.0
    assert sizes.declared_or("title", 40.0) == 40.0
    assert Sizes().minimum("min_body") == DEFAULT_SIZES["min_body"]
    with pytest.raises(KeyError):
        Sizes().get("no-such-size")


def test_content_layouts_are_the_ones_with_a_content_title() -> None:
    assert CONTENT_LAYOUTS == {"content", "two-content", "comparison", "title-only"}
