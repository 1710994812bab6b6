"""Load layer: themes/<name>/theme.yaml → ThemeSpec, holding only what the theme declares.

A theme is a template plus overrides. Without `template:` a 16:9 template is generated from the theme's
keys (and the defaults below); with one, every key the theme leaves out comes from the template itself.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from lecturegen.diagnostics import Diagnostics, Location, choice_hint
from lecturegen.records import record
from lecturegen.sources.yamlload import Ctx, Fields, load_named, mapping_items
from lecturegen.workspace import Workspace

HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")

# What a generated template uses for keys the theme leaves out.
DEFAULT_COLORS = {
    "background": "FFFFFF",
    "text": "1F2933",
    "title": "0F4C5C",
    "accent": "0F766E",
    "accent2": "B45309",
    "muted": "5B6470",
    "band": "0F4C5C",  # title and section slide band
    "band_text": "FFFFFF",
    "link": "0B5CAD",
}
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
DEFAULT_PALETTE = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442", "000000")
DEFAULT_FONT = "Calibri"
# Sizes in points. title/body/level2/footer default to the template's own; the rest have no template
# equivalent and use these values unless the theme sets them.
DEFAULT_SIZES = {
    "title": 36.0,
    "body": 26.0,
    "level2": 22.0,
    "subtitle": 24.0,
    "caption": 14.0,
    "source": 14.0,
    "statement": 80.0,
    "context": 28.0,  # the line under a big number
    "question": 44.0,
    "quote": 30.0,
    "references": 16.0,
    "table": 20.0,
    "min_body": 18.0,
    "min_caption": 14.0,
    "min_title": 24.0,
    "footer": 14.0,
}
TEMPLATE_SIZES = frozenset({"title", "body", "level2", "footer"})
SIZE_KEYS = frozenset(DEFAULT_SIZES)
COLOR_KEYS = frozenset(DEFAULT_COLORS)
LOGO_PLACES = ("top-right", "top-left", "bottom-right", "bottom-left")
THEME_KEYS = {"name", "title", "description", "colors", "palette", "fonts", "sizes", "template", "logo",
              "logo_place", "logo_height", "logo_alt", "layouts", "master"}
MAX_SIZE_PT = 400.0


@record
class ThemeSpec:
    name: str
    title: str
    description: str
    colors: dict[str, str] = field(default_factory=dict)  # declared colours only
    palette: tuple[str, ...] = ()
    heading_font: str | None = None
    body_font: str | None = None
    sizes: dict[str, float] = field(default_factory=dict)  # declared sizes only
    template: Path | None = None  # a user .pptx/.potx; None → generated from this spec
    logo: Path | None = None
    logo_place: str = "top-right"
    logo_height: float = 0.5  # inches
    logo_alt: str = ""
    location: Location | None = None
    # `layouts: {content: "Conteúdo", …}`: the template layout that plays each role, by the template's name.
    layouts: tuple[tuple[str, str], ...] = ()
    master: str | None = None  # a slide master by name or by number (1 = the first)
    # Where each of those keys stands: "master", "layouts.content" … → its location in theme.yaml.
    locations: dict[str, Location] = field(default_factory=dict, hash=False, compare=False)

    def generator_colors(self) -> dict[str, str]:
        return {**DEFAULT_COLORS, **self.colors}

    def generator_palette(self) -> tuple[str, ...]:
        return self.palette or DEFAULT_PALETTE

    def generator_size(self, key: str) -> float:
        return self.sizes.get(key, DEFAULT_SIZES[key])


def load_theme(workspace: Workspace, name: str, diags: Diagnostics, at: Location | None) -> ThemeSpec | None:
    folder = workspace.themes_dir / name
    file = folder / "theme.yaml"
    opened = load_named(file, name, workspace.theme_names(), "theme", "theme.unknown", workspace.display(file),
                        THEME_KEYS, diags, at)
    if opened is None:
        return None
    node, ctx, fields = opened
    colors = _colors(fields, ctx)
    palette = tuple(h for h in (_hex(v, ctx, n) for v, n in fields.str_list("palette")) if h)
    heading_font, body_font = _fonts(fields, ctx)
    sizes = _sizes(fields, ctx)
    template = _template(workspace, folder, fields, ctx, node, diags)
    logo = None
    logo_name = fields.str("logo")
    if logo_name:
        logo = workspace.resolve_inside(logo_name, folder, diags, fields.loc("logo"), "logo")
    place, height = _logo_place_and_height(fields, ctx, node)
    title = fields.str("title", name) or name
    choices, locations = _layout_choices(fields, ctx)
    master = None
    master_node = fields.get_node("master")
    if master_node is not None:
        master = str(getattr(master_node, "value", "")).strip() or None
        locations["master"] = ctx.loc(master_node)
    return ThemeSpec(
        name=name,
        title=title,
        description=fields.str("description", "") or "",
        colors=colors,
        palette=palette,
        heading_font=heading_font,
        body_font=body_font,
        sizes=sizes,
        template=template,
        logo=logo,
        logo_place=place,
        logo_height=height,
        logo_alt=fields.str("logo_alt", "") or f"{title} logo",
        location=ctx.loc(node),
        layouts=choices,
        master=master,
        locations=locations,
    )


def _colors(fields: Fields, ctx: Ctx) -> dict[str, str]:
    """The declared `colors:`, each a known key with a six-digit hex value."""
    colors: dict[str, str] = {}
    colors_node = fields.mapping("colors")
    if colors_node is None:
        return colors
    for key, key_node, value in mapping_items(colors_node):
        if key not in COLOR_KEYS:
            ctx.error(key_node, f"unknown colour '{key}'", "theme.color",
                      hint=choice_hint(key, COLOR_KEYS))
            continue
        value_hex = _hex(str(getattr(value, "value", "")), ctx, value)
        if value_hex:
            colors[key] = value_hex
    return colors


def _fonts(fields: Fields, ctx: Ctx) -> tuple[str | None, str | None]:
    """The declared heading and body fonts (None where the theme leaves one out)."""
    fonts_node = fields.mapping("fonts")
    if fonts_node is None:
        return None, None
    font_fields = Fields(fonts_node, ctx, {"heading", "body"}, "fonts")
    return font_fields.str("heading") or None, font_fields.str("body") or None


def _sizes(fields: Fields, ctx: Ctx) -> dict[str, float]:
    """The declared `sizes:` in points, each between 6 and MAX_SIZE_PT."""
    sizes: dict[str, float] = {}
    sizes_node = fields.mapping("sizes")
    if sizes_node is None:
        return sizes
    size_fields = Fields(sizes_node, ctx, SIZE_KEYS, "sizes")
    for key in size_fields.values:
        value = size_fields.number(key, minimum=6, maximum=MAX_SIZE_PT)
        if value is not None:
            sizes[key] = float(value)
    return sizes


def _template(workspace: Workspace, folder: Path, fields: Fields, ctx: Ctx, node: object,
              diags: Diagnostics) -> Path | None:
    """The theme's own PowerPoint template, inside its folder and a .pptx/.potx (or macro-enabled) file."""
    template_name = fields.str("template")
    if not template_name:
        return None
    template = workspace.resolve_inside(template_name, folder, diags, fields.loc("template"), "template")
    if template is not None and template.suffix.lower() not in (".pptx", ".potx", ".pptm", ".potm"):
        ctx.error(fields.get_node("template") or node, f"template '{template_name}' must be a .pptx or .potx file",
                  "theme.template")
        return None
    return template


def _logo_place_and_height(fields: Fields, ctx: Ctx, node: object) -> tuple[str, float]:
    """Where the logo goes (a corner) and its height in inches (0.1 to 5; 0.5 when out of range)."""
    place = fields.str("logo_place", "top-right") or "top-right"
    if place not in LOGO_PLACES:
        ctx.error(fields.get_node("logo_place") or node, f"unknown logo place '{place}'", "theme.logo",
                  hint=choice_hint(place, LOGO_PLACES))
        place = "top-right"
    height = fields.number("logo_height", default=0.5, minimum=0.1)
    if height is not None and height > 5:
        ctx.error(fields.get_node("logo_height") or node, f"logo height {height:g} in is larger than 5 in",
                  "theme.logo")
        height = 0.5
    return place, float(height or 0.5)


def _layout_choices(fields: Fields, ctx: Ctx) -> tuple[tuple[tuple[str, str], ...], dict[str, Location]]:
    """`layouts:` — role → the template's layout name; unknown roles are located errors."""
    from lecturegen.model.template import LAYOUT_ROLES

    node = fields.mapping("layouts")
    choices: list[tuple[str, str]] = []
    locations: dict[str, Location] = {}
    if node is None:
        return (), locations
    for role, key_node, value in mapping_items(node):
        if role not in LAYOUT_ROLES:
            ctx.error(key_node, f"unknown layout role '{role}'", "theme.layout-role",
                      hint=choice_hint(role, LAYOUT_ROLES))
            continue
        name = str(getattr(value, "value", "")).strip()
        if not name or not isinstance(getattr(value, "value", None), (str, int)):
            ctx.error(value, f"layout role '{role}' needs the name of one of the template's layouts",
                      "theme.layout-role")
            continue
        choices.append((role, name))
        locations[f"layouts.{role}"] = ctx.loc(value)
    return tuple(choices), locations


def _hex(value: str, ctx: Ctx, node: object) -> str | None:
    if not HEX.match(value):
        ctx.error(node, f"colour must be six hex digits like '1F4E79', got '{value}'", "theme.color")
        return None
    return value.lstrip("#").upper()
