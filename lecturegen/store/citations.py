"""Store layer: the citation engine behind a cache, so a rebuild neither parses the style nor runs citeproc-py."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from lecturegen import __version__
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Citation, Run
from lecturegen.sources.bibliography import Bibliography
from lecturegen.store.bibliography import READER_MODULES, modules_digest
from lecturegen.store.disk import Store

# The modules whose code decides how a citation or reference reads.
ADAPTER_MODULES = ("compile.citations", "compile.citeproc_state", "compile.csl_fixes", "compile.csl_order",
                   "compile.citation_markup", "sources.citation_style")

# citeproc-py re-walks the style's XML for every citation (about 3 ms each) and parses the style on
# start-up: on a rebuild with the same bibliography, style and citations nothing needs formatting again.
CACHE_FORMAT = 3  # 2: the entry lists the registered citations no slide showed; 3: APA collation


def _signature(citation: Citation) -> str:
    items = [[i.key, i.locator, i.label, i.suppress_author, i.prefix, i.suffix] for i in citation.items]
    return json.dumps([items, citation.narrative], ensure_ascii=False)


def _runs_to_json(runs: Iterable[Run]) -> list[list[Any]]:
    return [[r.text, r.bold, r.italic, r.link] for r in runs]


def _runs_from_json(data: list[list[Any]]) -> tuple[Run, ...]:
    return tuple(Run(text, bold, italic, link, cited=True) for text, bold, italic, link in data)


class CachedCitations:
    """Same interface as CitationEngine; the real engine is built only when something is not cached."""

    def __init__(self, bib: Bibliography, bib_bytes: bytes, style: str, locale: str | None,
                 base_dir: Path | None, store: Store):
        from lecturegen.sources.citation_style import resolve_style

        self.bib = bib
        self.style = style
        self.locale = locale
        self.base_dir = base_dir
        style_path = Path(resolve_style(style, base_dir))  # unknown styles fail here, cache or not
        style_hash = hashlib.sha256(style_path.read_bytes()).hexdigest() if style_path.is_file() else style
        # The adapter's source is part of the key, so a fix in the formatting never serves stale text.
        adapter_hash = modules_digest(ADAPTER_MODULES + READER_MODULES)
        self._base_key = hashlib.sha256(
            json.dumps([CACHE_FORMAT, __version__, adapter_hash, hashlib.sha256(bib_bytes).hexdigest(),
                        style_hash, locale]).encode()
        ).hexdigest()
        self.store = store
        self._engine: Any = None
        self._registered: list[Citation] = []
        self._cites: dict[str, list[list[Any]]] = {}
        self._bibs: dict[str, list[list[list[Any]]]] = {}
        self._dirty = False
        self._key: str | None = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from lecturegen.compile.citations import CitationEngine
            from lecturegen.sources.citation_style import load_style

            self._engine = CitationEngine(self.bib, load_style(self.style, self.locale, self.base_dir))
            if self._registered:
                self._engine.register(self._registered)
        return self._engine

    def check_keys(self, citations: Sequence[Citation], diags: Diagnostics) -> None:
        from lecturegen.compile.citations import check_citation_keys

        check_citation_keys(self.bib, citations, diags)

    def register(self, citations: Sequence[Citation]) -> None:
        self._registered.extend(citations)
        if self._engine is not None:
            self._engine.register(citations)
        # Disambiguation (2012a/b) and numbering depend on every registered citation: part of the key.
        signature = hashlib.sha256("\n".join(_signature(c) for c in self._registered).encode()).hexdigest()
        self._key = hashlib.sha256(f"{self._base_key}:{signature}".encode()).hexdigest()[:40]
        raw = self.store.get("citations", self._key)
        try:
            data = json.loads(raw) if raw is not None else {}
            self._cites, self._bibs = dict(data.get("cites", {})), dict(data.get("bibliography", {}))
            silent = {str(s) for s in data.get("silent", [])}
        except (ValueError, TypeError, AttributeError):
            self._cites, self._bibs, silent = {}, {}, set()
        # A citation the last build with these same citations registered but never showed (a source line
        # gathers it instead) needs no formatting either; should this build show it after all, the engine
        # is built then (the text is the same: a citation's form depends only on what is registered).
        if citations and not all(_signature(c) in self._cites or _signature(c) in silent for c in citations):
            # Something is not cached: parse the style now (registering happens before compiling, so the
            # compile itself never reads a file).
            _ = self.engine

    def cite(self, citation: Citation) -> tuple[Run, ...]:
        signature = _signature(citation)
        cached = self._cites.get(signature)
        if cached is not None:
            return _runs_from_json(cached)
        runs = self.engine.cite(citation)
        self._cites[signature] = _runs_to_json(runs)
        self._dirty = True
        return runs

    def bibliography(self, keys: Iterable[str] | None = None) -> list[tuple[Run, ...]]:
        key_list = None if keys is None else list(keys)
        signature = json.dumps(key_list)
        cached = self._bibs.get(signature)
        if cached is not None:
            return [_runs_from_json(entry) for entry in cached]
        entries = self.engine.bibliography(key_list)
        self._bibs[signature] = [_runs_to_json(e) for e in entries]
        self._dirty = True
        return entries

    def reference_text(self, keys: Iterable[str] | None = None, fmt: str = "text") -> str:
        return str(self.engine.reference_text(keys, fmt))

    def save(self) -> None:
        """Keep what was formatted this time (parallel builds may race harmlessly: entries are whole)."""
        if not self._dirty or self._key is None:
            return
        silent = sorted({_signature(c) for c in self._registered} - set(self._cites))
        blob = json.dumps({"cites": self._cites, "bibliography": self._bibs, "silent": silent},
                          ensure_ascii=False).encode("utf-8")
        self.store.put("citations", self._key, blob)
        self._dirty = False
