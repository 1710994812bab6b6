"""Store layer: icons parsed from the set's archive, kept by the set and the reader's code (a rebuild opens no zip)."""

from __future__ import annotations

import hashlib
import json

from lecturegen.model.icons import Icon, IconPath, PathStep
from lecturegen.sources.icons import icon_set_identity, load_icon
from lecturegen.store.bibliography import modules_digest
from lecturegen.store.disk import Store

# The modules whose code decides what an icon reads as.
READER_MODULES = ("sources.icons", "sources.svg_path", "model.icons")


class StoredIcons:
    """`Ctx.icons` for a build: an icon from the store when this set and reader parsed it before, else from the
    set (an unknown name raises `UnknownIcon`, as `load_icon` does, and stores nothing)."""

    def __init__(self, store: Store):
        self.store = store
        self.read: dict[str, Icon] = {}  # each icon read from the store once a build

    def __call__(self, name: str) -> Icon:
        icon = self.read.get(name)
        if icon is None:
            icon = self.read[name] = self._stored(name)
        return icon

    def _stored(self, name: str) -> Icon:
        key = hashlib.sha256("\0".join([icon_set_identity(), modules_digest(READER_MODULES), name])
                             .encode("utf-8", "surrogatepass")).hexdigest()
        raw = self.store.get("icons", key)
        if raw is not None:
            kept = _icon_from_json(raw, name)
            if kept is not None:
                return kept
        icon = load_icon(name)
        self.store.put("icons", key, _icon_to_json(icon))
        return icon


def _icon_to_json(icon: Icon) -> bytes:
    paths = [{"filled": p.filled, "steps": [[s.op, [list(point) for point in s.points]] for s in p.steps]}
             for p in icon.paths]
    return json.dumps({"name": icon.name, "size": icon.size, "stroke": icon.stroke, "paths": paths}).encode()


def _icon_from_json(raw: bytes, name: str) -> Icon | None:
    """The stored icon, or None for an entry that is not one (a damaged entry is a miss)."""
    try:
        data = json.loads(raw)
        paths = tuple(
            IconPath(tuple(PathStep(str(op), tuple((float(x), float(y)) for x, y in points))
                           for op, points in path["steps"]), bool(path["filled"]))
            for path in data["paths"])
        icon = Icon(str(data["name"]), paths, float(data["size"]), float(data["stroke"]))
    except (ValueError, KeyError, TypeError):
        return None
    return icon if icon.name == name else None
