"""Store layer: parsed bibliography files kept by their bytes, so a rebuild neither imports nor runs a parser."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from pathlib import Path

from lecturegen import __version__
from lecturegen.diagnostics import Diagnostic, Diagnostics, Location
from lecturegen.sources.bibliography import MAX_BIB_BYTES, BibEntry, Bibliography, load_bibliography
from lecturegen.store.disk import Store

# The modules whose code decides what a bibliography file reads as.
READER_MODULES = ("sources.bibliography", "sources.bibtex", "sources.bibtex_csl", "sources.bibtex_latex",
                  "sources.csl_json", "sources.ris", "sources.sentence_case")


@functools.lru_cache(maxsize=8)
def modules_digest(modules: tuple[str, ...]) -> str:
    """SHA-256 over the source of lecturegen modules, found without importing them."""
    digest = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(f"lecturegen.{name}")
        if spec is not None and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def cached_bibliography(store: Store, path: Path, data: bytes, display: str, diags: Diagnostics) -> Bibliography:
    """The library parsed from `data` (the file's bytes), from the store when these bytes were parsed before."""
    key = hashlib.sha256(b"\0".join([__version__.encode(), modules_digest(READER_MODULES).encode(), display.encode(),
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
