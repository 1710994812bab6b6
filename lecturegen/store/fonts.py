"""Store layer: which font file stands for each family here, and what each face measured, kept between builds.

Finding a face asks fontconfig up to five times and may search the font folders (30 ms a build here); the
answer only changes when fonts are installed or removed, which changes the folders' times in the key. The
widths a face gave (Pillow's, by text) are kept by the face's files, Pillow's version and the measuring code,
so that a rebuild measures only the words it has not met (`sources/fonts.py::LoadedFont`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Iterable

from lecturegen.model.style import FontFace
from lecturegen.sources.fonts import FontMeasures, LoadedFont, find_face, font_folders_fingerprint
from lecturegen.store.bibliography import modules_digest
from lecturegen.store.disk import Store
from lecturegen.store.versions import installed_version

FACE_FORMAT = 1
MEASURES_FORMAT = 1
MAX_KEPT_WIDTHS = 50_000  # per face: a workshop meets about 3,000 texts; past this, new ones are not kept


def _key(family: str) -> str:
    basis = [FACE_FORMAT, family, font_folders_fingerprint(), shutil.which("fc-match") or ""]
    return hashlib.sha256(json.dumps(basis).encode()).hexdigest()


def cached_face(store: Store, family: str) -> FontFace:
    """The face for a family: from the store when the fonts are as they were and its files still exist."""
    key = _key(family)
    kept = store.get("fonts", key)
    if kept is not None:
        try:
            fields = json.loads(kept)
            face = FontFace(str(fields["family"]), str(fields["measured"]), str(fields["quality"]),
                            fields["regular"], fields["bold"])
            files = [f for f in (face.regular, face.bold) if f is not None]
            if face.family == family and all(isinstance(f, str) and Path(f).is_file() for f in files):
                return face
        except (ValueError, KeyError, TypeError):
            pass  # a damaged entry is a miss
    face = find_face(family)
    store.put("fonts", key, json.dumps({"family": face.family, "measured": face.measured, "quality": face.quality,
                                        "regular": face.regular, "bold": face.bold}).encode())
    return face


def loaded_font(store: Store, family: str) -> LoadedFont:
    """The family's face, loaded for measuring with what it measured before (once per process for each face:
    `watch` keeps measuring with the same object)."""
    face = cached_face(store, family)
    key = _measures_key(face)
    font = _LOADED.get(key)
    if font is None:
        font = _LOADED[key] = LoadedFont(face, _read_measures(store.get("font-measures", key)))
    return font


_LOADED: dict[str, LoadedFont] = {}


def keep_measures(store: Store, fonts: Iterable[LoadedFont]) -> None:
    """Store what each face measured, when it measured something new since it was loaded (or last kept).

    Under the key it was loaded by: the widths are those of the files as they were read then."""
    wanted = {id(font) for font in fonts}
    for key, font in _LOADED.items():
        if id(font) not in wanted or not font.measured_now:
            continue
        measures = font.measures()
        widths = list(measures.widths.items())[:MAX_KEPT_WIDTHS]
        data = {"line_height": measures.line_height,
                "regular": {text: width for (text, bold), width in widths if not bold},
                "bold": {text: width for (text, bold), width in widths if bold}}
        store.put("font-measures", key, json.dumps(data).encode("ascii"))
        font.measured_now = 0


def _measures_key(face: FontFace) -> str:
    files = []
    for path in (face.regular, face.bold):
        try:
            info = os.stat(path) if path else None
        except OSError:
            info = None
        files.append([path, info.st_size if info else -1, info.st_mtime_ns if info else -1])
    basis = [MEASURES_FORMAT, face.family, face.measured, face.quality, files, installed_version("Pillow"),
             modules_digest(("sources.fonts",))]
    return hashlib.sha256(json.dumps(basis).encode()).hexdigest()


def _read_measures(raw: bytes | None) -> FontMeasures | None:
    """A stored entry, or None for none or one that is not an entry (a damaged entry is a miss)."""
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        widths = {(str(text), False): float(width) for text, width in data["regular"].items()}
        widths.update({(str(text), True): float(width) for text, width in data["bold"].items()})
        return FontMeasures(float(data["line_height"]), widths)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
