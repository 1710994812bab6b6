"""A layout context (template, style, sizes, measured fonts) loaded from a small workspace, for the tests of the
layouter's halves (compile/layout_text.py, compile/layout_chrome.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lecturegen.build import load, store_for
from lecturegen.compile.layout_text import Fonts, LayoutContext
from lecturegen.compile.style import resolve_style, sizes_for
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.template import Placeholder
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace


def layout_context(root: Path, theme: str = "") -> LayoutContext:
    """The calm theme's generated template and Carlito-measured fonts; `theme` text is added to its theme.yaml."""
    write_workspace(root, {"bibliography.bib": MINI_BIB, "content/talks/small.yaml": MINI_TALK,
                           "content/sections/intro.yaml": MINI_SECTION})
    if theme:
        path = root / "themes" / "calm" / "theme.yaml"
        path.write_text(path.read_text(encoding="utf-8") + theme, encoding="utf-8")
    workspace = Workspace(root)
    diags = Diagnostics()
    loaded = load(workspace, "small", diags, store_for(workspace))
    assert not diags.has_errors, [d.render() for d in diags.items]
    template = loaded.template
    style = resolve_style(loaded.theme, template, loaded.fonts[template.fonts.major].face,
                          loaded.fonts[template.fonts.minor].face)
    return LayoutContext(template, style, sizes_for(loaded.theme),
                         Fonts(dict(loaded.fonts), template.fonts.major, template.fonts.minor), footer="",
                         accent_rule=template.generated)


def body_placeholder(ctx: LayoutContext) -> Placeholder:
    ph = ctx.template.roles["content"].get("body")
    assert ph is not None
    return ph


def with_footer(ctx: LayoutContext, footer: str, extra: str = "") -> LayoutContext:
    return replace(ctx, footer=footer, footer_extra=extra)
