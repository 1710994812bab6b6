"""Store layer: which font file stands for each family here, kept while the installed fonts stay the same.

Finding a face asks fontconfig up to five times and may search the font folders (30 ms a build here); the
answer only changes when fonts are installed or removed, which changes the folders' times in the key.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from lecturegen.model.style import FontFace
from lecturegen.sources.fonts import LoadedFont, find_face, font_folders_fingerprint, load_font
from lecturegen.store.disk import Store

FACE_FORMAT = 1


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
    """The family's face, loaded for measuring (once per process for each face)."""
    return load_font(family, cached_face(store, family))
