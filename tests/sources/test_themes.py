"""Source tests: themes/<name>/theme.yaml read into a ThemeSpec holding only what it declares."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.themes import DEFAULT_COLORS, DEFAULT_PALETTE, DEFAULT_SIZES, ThemeSpec, load_theme
from lecturegen.workspace import Workspace
from tests.conftest import write_workspace


def _load(tmp_path: Path, yaml: str, extra: dict[str, str] | None = None) -> tuple[ThemeSpec | None, list[str]]:
    root = write_workspace(tmp_path / "ws", {"themes/mine/theme.yaml": textwrap.dedent(yaml), **(extra or {})})
    diags = Diagnostics()
    theme = load_theme(Workspace(root), "mine", diags, None)
    return theme, [d.render() for d in diags.items]


def test_a_full_theme_reads_every_key(tmp_path: Path) -> None:
    theme, problems = _load(tmp_path, """\
        title: Mine
        description: A test theme
        colors: {accent: "#aa0000", text: 111111}
        palette: ["0072B2", "#e69f00"]
        fonts: {heading: Georgia, body: Arial}
        sizes: {body: 28, caption: 15.5}
        logo_place: bottom-left
        logo_height: 0.8
        layouts: {content: "Title and Content"}
        master: 2
        """)
    assert problems == []
    assert theme is not None
    assert (theme.name, theme.title, theme.description) == ("mine", "Mine", "A test theme")
    assert theme.colors == {"accent": "AA0000", "text": "111111"}
    assert theme.palette == ("0072B2", "E69F00")
    assert (theme.heading_font, theme.body_font) == ("Georgia", "Arial")
    assert theme.sizes == {"body": 28.0, "caption": 15.5}
    assert (theme.logo_place, theme.logo_height, theme.logo_alt) == ("bottom-left", 0.8, "Mine logo")
    assert theme.layouts == (("content", "Title and Content"),)
    assert theme.master == "2"
    assert theme.template is None and theme.logo is None
    assert theme.locations["layouts.content"].line == 9


def test_an_empty_theme_declares_nothing_and_generates_from_defaults(tmp_path: Path) -> None:
    theme, problems = _load(tmp_path, "description: bare\n")
    assert problems == [] and theme is not None
    assert theme.title == "mine" and theme.colors == {} and theme.sizes == {} and theme.palette == ()
    assert theme.generator_colors() == DEFAULT_COLORS
    assert theme.generator_palette() == DEFAULT_PALETTE
    assert theme.generator_size("body") == DEFAULT_SIZES["body"]


def test_declared_values_override_the_generator_defaults(tmp_path: Path) -> None:
    theme, _ = _load(tmp_path, 'colors: {accent: "123456"}\npalette: ["000000"]\nsizes: {title: 40}\n')
    assert theme is not None
    assert theme.generator_colors() == {**DEFAULT_COLORS, "accent": "123456"}
    assert theme.generator_palette() == ("000000",)
    assert theme.generator_size("title") == 40.0


def test_bad_values_are_located_errors(tmp_path: Path) -> None:
    theme, problems = _load(tmp_path, """\
        colors: {acent: "000000", text: blue}
        logo_place: middle
        logo_height: 9
        layouts: {contnet: X}
        template: theme.txt
        """, {"themes/mine/theme.txt": "not a template"})
    assert theme is not None
    codes = sorted(p.rsplit("[", 1)[1] for p in problems)
    assert codes == ["theme.color]", "theme.color]", "theme.layout-role]", "theme.logo]", "theme.logo]",
                     "theme.template]"]
    assert any("themes/mine/theme.yaml:1:10: error: unknown colour 'acent'" in p for p in problems)
    assert any("colour must be six hex digits like '1F4E79', got 'blue'" in p for p in problems)
    assert any("template 'theme.txt' must be a .pptx or .potx file" in p for p in problems)
    assert theme.colors == {} and theme.template is None and theme.logo_place == "top-right" and theme.logo_height == 0.5


def test_an_unknown_theme_is_an_error_naming_it(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", {})
    diags = Diagnostics()
    assert load_theme(Workspace(root), "clam", diags, None) is None
    assert [d.code for d in diags.items] == ["theme.unknown"]
    assert "calm" in diags.items[0].render()
