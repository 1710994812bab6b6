"""Store layer: templates generated from a theme.yaml, kept by the theme's content and the generator's code."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from lecturegen import __version__
from lecturegen.model.template import TemplateDesign
from lecturegen.sources.themes import DEFAULT_FONT, DEFAULT_SIZES, ThemeSpec
from lecturegen.store.disk import Store


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
