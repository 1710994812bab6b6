"""Store layer: templates generated from a theme.yaml, kept by the theme's content and the generator's code."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from lecturegen import __version__
from lecturegen.sources.themes import ThemeSpec
from lecturegen.store.disk import Store


def _generator_digest() -> str:
    source = Path(__file__).resolve().parent.parent / "render" / "theme_template.py"
    return hashlib.sha256(source.read_bytes()).hexdigest()


def generated_template(theme: ThemeSpec, store: Store) -> bytes:
    spec = {k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(theme).items()
            if k not in ("location", "logo", "template")}
    key = hashlib.sha256(json.dumps([__version__, _generator_digest(), spec], sort_keys=True, default=str)
                         .encode()).hexdigest()
    cached = store.get("templates", key)
    if cached is not None:
        return cached
    from lecturegen.render.theme_template import generate_template

    blob = generate_template(theme)
    store.put("templates", key, blob)
    return blob
