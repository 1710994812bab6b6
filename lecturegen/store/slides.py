"""Store layer: rendered slides by the hash of their model slide, template and renderer (per-slide reuse)."""

from __future__ import annotations

import json

from lecturegen.render.slide_xml import SlideXml
from lecturegen.store.disk import Store


class StoredSlides:
    """A SlideCache over the store; entries are JSON with the XML as text (never pickle: files can be edited)."""

    def __init__(self, store: Store):
        self.store = store
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> SlideXml | None:
        raw = self.store.get("slides", key)
        if raw is None:
            self.misses += 1
            return None
        try:
            data = json.loads(raw)
            value = SlideXml(data["xml"].encode("utf-8"),
                             data["notes"].encode("utf-8") if data["notes"] is not None else None,
                             [tuple(x) for x in data["images"]], [tuple(x) for x in data["charts"]],
                             [tuple(x) for x in data["links"]])
        except (ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: SlideXml) -> None:
        data = {"xml": value.xml.decode("utf-8"), "notes": value.notes.decode("utf-8") if value.notes else None,
                "images": value.images, "charts": value.charts, "links": value.links}
        self.store.put("slides", key, json.dumps(data, ensure_ascii=False).encode("utf-8"))
