"""Load layer: themes/<name>/theme.yaml → ThemeSpec (colours, fonts, sizes, optional template)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lecturegen.diagnostics import Diagnostics, Location, did_you_mean, quote_choices
from lecturegen.sources.yamlload import Ctx, Fields, load_named, mapping_items
from lecturegen.workspace import Workspace

HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")

DEFAULT_COLORS = {
    "background": "FFFFFF",
    "text": "1F2933",
    "title": "0F4C5C",
    "accent": "0F766E",
    "accent2": "B45309",
    "muted": "5B6470",
    "band": "0F4C5C",  # section/title slide band
    "band_text": "FFFFFF",
    "link": "0B5CAD",
}
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
DEFAULT_PALETTE = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442", "000000")
DEFAULT_SIZES = {
    "title": 36.0,
    "body": 26.0,
    "level2": 22.0,
    "caption": 14.0,
    "source": 14.0,
    "statement": 80.0,
    "quote": 30.0,
    "references": 16.0,
    "min_body": 18.0,
    "min_caption": 14.0,
    "footer": 14.0,
}
SIZE_KEYS = frozenset(DEFAULT_SIZES)
COLOR_KEYS = frozenset(DEFAULT_COLORS)


@dataclass(frozen=True)
class ThemeSpec:
    name: str
    title: str
    description: str
    colors: dict[str, str]
    palette: tuple[str, ...]
    heading_font: str
    body_font: str
    sizes: dict[str, float]
    template: Path | None = None  # a user .pptx/.potx; None → generated from this spec
    logo: Path | None = None
    location: Location | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def size(self, key: str) -> float:
        return self.sizes.get(key, DEFAULT_SIZES[key])

    def paragraph_size(self, style: str, level: int = 0) -> float:
        """Font size in points for a paragraph style, shared by the fitter and the renderers."""
        fixed = {
            "big": "statement", "caption": "level2", "quote": "quote", "attribution": "level2",
            "reference": "references", "agenda": "level2", "badge": "body", "heading": "body",
        }
        if style in fixed:
            return self.size(fixed[style])
        if style == "subtitle":
            return 24.0
        return self.size("body") if level == 0 else self.size("level2")


def load_theme(workspace: Workspace, name: str, diags: Diagnostics, at: Location | None) -> ThemeSpec | None:
    folder = workspace.themes_dir / name
    file = folder / "theme.yaml"
    opened = load_named(file, name, workspace.theme_names(), "theme", "theme.unknown", workspace.display(file),
                        {"name", "title", "description", "colors", "palette", "fonts", "sizes", "template", "logo"},
                        diags, at)
    if opened is None:
        return None
    node, ctx, fields = opened
    colors = dict(DEFAULT_COLORS)
    colors_node = fields.mapping("colors")
    if colors_node is not None:
        for key, key_node, value in mapping_items(colors_node):
            if key not in COLOR_KEYS:
                ctx.error(key_node, f"unknown colour '{key}'", "theme.color",
                          hint=did_you_mean(key, COLOR_KEYS) or f"expected one of: {quote_choices(COLOR_KEYS)}")
                continue
            colors[key] = _hex(str(getattr(value, "value", "")), ctx, value) or colors[key]
    palette = tuple(
        h for h in (_hex(v, ctx, n) for v, n in fields.str_list("palette")) if h
    ) or DEFAULT_PALETTE
    heading_font, body_font = "Calibri", "Calibri"
    fonts_node = fields.mapping("fonts")
    if fonts_node is not None:
        font_fields = Fields(fonts_node, ctx, {"heading", "body"}, "fonts")
        heading_font = font_fields.str("heading", heading_font) or heading_font
        body_font = font_fields.str("body", body_font) or body_font
    sizes = dict(DEFAULT_SIZES)
    sizes_node = fields.mapping("sizes")
    if sizes_node is not None:
        size_fields = Fields(sizes_node, ctx, SIZE_KEYS, "sizes")
        for key in size_fields.values:
            value = size_fields.number(key, minimum=6)
            if value is not None:
                sizes[key] = value
    template = None
    template_name = fields.str("template")
    if template_name:
        template = workspace.resolve_inside(template_name, folder, diags, fields.loc("template"), "template")
        if template is not None and template.suffix.lower() not in (".pptx", ".potx"):
            ctx.error(fields.get_node("template"), f"template '{template_name}' must be a .pptx or .potx file",
                      "theme.template")
            template = None
    logo = None
    logo_name = fields.str("logo")
    if logo_name:
        logo = workspace.resolve_inside(logo_name, folder, diags, fields.loc("logo"), "logo")
    return ThemeSpec(
        name=name,
        title=fields.str("title", name) or name,
        description=fields.str("description", "") or "",
        colors=colors,
        palette=palette,
        heading_font=heading_font,
        body_font=body_font,
        sizes=sizes,
        template=template,
        logo=logo,
        location=ctx.loc(node),
    )


def _hex(value: str, ctx: Ctx, node: object) -> str | None:
    if not HEX.match(value):
        ctx.error(node, f"colour must be six hex digits like '1F4E79', got '{value}'", "theme.color")
        return None
    return value.lstrip("#").upper()
