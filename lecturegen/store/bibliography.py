"""Store layer: a parsed bibliography kept by its bytes, so a rebuild neither imports nor runs bibtexparser."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from lecturegen import __version__
from lecturegen.diagnostics import Diagnostic, Diagnostics, Location
from lecturegen.sources.bibliography import MAX_BIB_BYTES, BibEntry, Bibliography, load_bibliography
from lecturegen.store.disk import Store


def _loader_digest() -> str:
    import lecturegen.sources.bibliography as loader

    return hashlib.sha256(Path(loader.__file__).read_bytes()).hexdigest()


def cached_bibliography(store: Store, path: Path, data: bytes, display: str, diags: Diagnostics) -> Bibliography:
    """The library parsed from `data` (the file's bytes), from the store when these bytes were parsed before."""
    key = hashlib.sha256(b"\0".join([__version__.encode(), _loader_digest().encode(), display.encode(),
                                     str(MAX_BIB_BYTES).encode(), data])).hexdigest()
    raw = store.get("bibliographies", key)
    if raw is not None:
        try:
            stored = json.loads(raw)
            entries = {e[0]: BibEntry(e[0], e[1], e[2], Location(*e[3]), e[4]) for e in stored["entries"]}
            found = [Diagnostic(d["severity"], d["message"], d["code"],
                                Location(d["path"], d["line"] or 0, d["col"] or 0) if d["path"] else None, d["hint"])
                     for d in stored["diagnostics"]]
            diags.extend(found)
            return Bibliography(entries, stored["path"])
        except (ValueError, KeyError, TypeError, IndexError):
            pass
    mark = len(diags.items)
    bib = load_bibliography(path, display, diags)
    if not any(d.severity == "error" for d in diags.items[mark:]):
        blob = {"path": bib.path,
                "entries": [[e.key, e.type, e.fields, [e.location.path, e.location.line, e.location.col], e.csl]
                            for e in bib.entries.values()],
                "diagnostics": [d.to_json() for d in diags.items[mark:]]}
        store.put("bibliographies", key, json.dumps(blob).encode("ascii"))
    return bib
