"""Store layer: templates generated from a theme.yaml, and templates as read (geometry and cleaned parts)."""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lecturegen import __version__
from lecturegen.model.geometry import Box, Insets
from lecturegen.model.template import (Backdrop, LevelStyle, Layout, PackageFrame, Placeholder, Template, TemplateDesign,
                                       ThemeFonts)
from lecturegen.ooxml import Relationship
from lecturegen.sources.themes import DEFAULT_FONT, DEFAULT_SIZES, ThemeSpec
from lecturegen.store.disk import Store
from lecturegen.store.versions import installed_version

if TYPE_CHECKING:  # the reader imports lxml (7 ms): a rebuild served from the store never needs it
    from lecturegen.sources.template_file import TemplateOverrides


def _generator_digest() -> str:
    source = Path(__file__).resolve().parent.parent / "render" / "theme_template.py"
    return hashlib.sha256(source.read_bytes()).hexdigest()


def design_of(theme: ThemeSpec) -> TemplateDesign:
    """The theme's keys with the generator's defaults filled in."""
    return TemplateDesign(
        title=theme.title, colors=theme.generator_colors(), palette=theme.generator_palette(),
        heading_font=theme.heading_font or DEFAULT_FONT, body_font=theme.body_font or DEFAULT_FONT,
        sizes={key: theme.generator_size(key) for key in DEFAULT_SIZES},
    )


def generated_template(theme: ThemeSpec, store: Store) -> bytes:
    spec = {k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(theme).items()
            if k not in ("location", "logo", "template")}
    key = hashlib.sha256(json.dumps([__version__, _generator_digest(), spec], sort_keys=True, default=str)
                         .encode()).hexdigest()
    cached = store.get("templates", key)
    if cached is not None:
        return cached
    from lecturegen.render.theme_template import generate_template

    blob = generate_template(design_of(theme))
    store.put("templates", key, blob)
    return blob


# -- templates as read: their geometry and cleaned parts, so a rebuild neither parses nor cleans the package --
# Reading a template (unzip, parse every master and layout with lxml, resolve styles, drop what may not reach
# the deck) costs 25-30 ms a build. The result is kept as a stored zip: `template.json` for the geometry and
# styles, the prepared parts beside it. JSON, not pickle: an entry is data, whatever wrote it.
READ_FORMAT = 2


@functools.lru_cache(maxsize=1)
def _reader_digest() -> str:
    """The reader's code and the model it fills: a change to either never serves an old reading."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in ("sources/template.py", "sources/template_file.py", "sources/template_roles.py",
                 "sources/template_backdrop.py", "sources/template_colour.py", "sources/template_repair.py", "model/template.py",
                 "model/geometry.py", "ooxml.py"):
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def read_template_cached(store: Store, blob: bytes, name: str, overrides: TemplateOverrides,
                         generated: bool = False) -> Template:
    """`sources.template.read_template`, answered from the store when this package was read before."""
    key = hashlib.sha256(json.dumps([READ_FORMAT, __version__, _reader_digest(), installed_version("lxml"),
                                     hashlib.sha256(blob).hexdigest(),
                                     name, dataclasses.asdict(overrides), generated]).encode()).hexdigest()
    kept = store.get("template-reads", key)
    if kept is not None:
        try:
            return _decode(kept)
        except (ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile):
            pass  # a damaged entry is a miss
    from lecturegen.sources.template import read_template

    template = read_template(blob, name, overrides, generated)
    store.put("template-reads", key, _encode(template))
    return template


def _encode(template: Template) -> bytes:
    fields = {f.name: getattr(template, f.name) for f in dataclasses.fields(template) if f.name != "parts"}
    fields["layouts"] = {name: _layout_data(layout) for name, layout in template.layouts.items()}
    # A role usually is one of the named layouts: kept by its name (decoding it twice was a third of a read).
    fields["roles"] = {role: {"same_as": layout.name} if template.layouts.get(layout.name) == layout
                       else _layout_data(layout) for role, layout in template.roles.items()}
    fields["fonts"] = dataclasses.asdict(template.fonts)
    fields["frame"] = dataclasses.asdict(template.frame)
    fields["part_names"] = list(template.parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("template.json", json.dumps(fields, ensure_ascii=False))
        for index, data in enumerate(template.parts.values()):
            archive.writestr(f"parts/{index}", data)
    return out.getvalue()


def _decode(blob: bytes) -> Template:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        fields = json.loads(archive.read("template.json"))
        parts = {str(name): archive.read(f"parts/{index}") for index, name in enumerate(fields.pop("part_names"))}
    fields["layouts"] = {str(name): _layout(data) for name, data in fields["layouts"].items()}
    fields["roles"] = {str(role): fields["layouts"][str(data["same_as"])] if "same_as" in data else _layout(data)
                       for role, data in fields["roles"].items()}
    fields["fonts"] = ThemeFonts(**fields["fonts"])
    fields["problems"] = tuple(fields["problems"])
    fields["masters"] = tuple(fields["masters"])
    fields["frame"] = _frame(fields["frame"])
    return Template(parts=parts, **fields)


def _frame(data: dict[str, Any]) -> PackageFrame:
    return PackageFrame(**{
        **data,
        "root_rels": tuple(Relationship(**r) for r in data["root_rels"]),
        "main_rels": tuple(Relationship(**r) for r in data["main_rels"]),
        "content_defaults": tuple((str(k), str(v)) for k, v in data["content_defaults"]),
        "content_overrides": tuple((str(k), str(v)) for k, v in data["content_overrides"]),
    })


def _layout_data(layout: Layout) -> dict[str, Any]:
    data = dataclasses.asdict(layout)
    if layout.backdrop is not None:
        data["backdrop"]["luminance"] = base64.b64encode(layout.backdrop.luminance).decode("ascii")
    return data


def _layout(data: dict[str, Any]) -> Layout:
    backdrop = data["backdrop"]
    return Layout(**{**data, "placeholders": tuple(_placeholder(p) for p in data["placeholders"]),
                     "obstacles": tuple(Box(**b) for b in data["obstacles"]),
                     "backdrop": Backdrop(**{**backdrop, "luminance": base64.b64decode(backdrop["luminance"])})
                     if backdrop is not None else None})


def _placeholder(data: dict[str, Any]) -> Placeholder:
    return Placeholder(**{**data, "box": Box(**data["box"]), "insets": Insets(**data["insets"]),
                          "levels": tuple(LevelStyle(**level) for level in data["levels"])})
