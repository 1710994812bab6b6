"""Build layer: a citation-engine facade that reuses formatted citations from build/.cache/ across builds."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Sequence

from lecturegen import __version__
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Citation, Run
from lecturegen.sources.bibliography import Bibliography

# citeproc-py re-walks the style's XML for every citation (about 3 ms each) and parses the style on
# start-up: on a rebuild with the same bibliography, style and citations nothing needs formatting again.
CACHE_FORMAT = 1


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
                 base_dir: Path | None, cache_dir: Path | None):
        from lecturegen.compile.citations import _resolve_style

        self.bib = bib
        self.style = style
        self.locale = locale
        self.base_dir = base_dir
        style_path = Path(_resolve_style(style, base_dir))  # unknown styles fail here, cache or not
        style_hash = hashlib.sha256(style_path.read_bytes()).hexdigest() if style_path.is_file() else style
        # The adapter's source is part of the key, so a fix in the formatting never serves stale text.
        import lecturegen.compile.citations as adapter

        adapter_hash = hashlib.sha256(Path(adapter.__file__).read_bytes()).hexdigest()
        self._base_key = hashlib.sha256(
            json.dumps([CACHE_FORMAT, __version__, adapter_hash, hashlib.sha256(bib_bytes).hexdigest(),
                        style_hash, locale]).encode()
        ).hexdigest()
        self.cache_dir = cache_dir
        self._engine: Any = None
        self._registered: list[Citation] = []
        self._cites: dict[str, list[list[Any]]] = {}
        self._bibs: dict[str, list[list[list[Any]]]] = {}
        self._dirty = False
        self._file: Path | None = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from lecturegen.compile.citations import CitationEngine

            self._engine = CitationEngine(self.bib, style=self.style, locale=self.locale, base_dir=self.base_dir)
            if self._registered:
                self._engine.register(self._registered)
        return self._engine

    def check_keys(self, citations: Sequence[Citation], diags: Diagnostics) -> None:
        from lecturegen.compile.citations import CitationEngine

        CitationEngine.check_keys(self, citations, diags)  # type: ignore[arg-type]  # it only reads .bib

    def register(self, citations: Sequence[Citation]) -> None:
        self._registered.extend(citations)
        if self._engine is not None:
            self._engine.register(citations)
        if self.cache_dir is None:
            return
        # Disambiguation (2012a/b) and numbering depend on every registered citation: part of the key.
        signature = hashlib.sha256("\n".join(_signature(c) for c in self._registered).encode()).hexdigest()
        key = hashlib.sha256(f"{self._base_key}:{signature}".encode()).hexdigest()[:32]
        self._file = self.cache_dir / f"{key}.json"
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
            self._cites, self._bibs = data["cites"], data["bibliography"]
        except (OSError, ValueError, KeyError, TypeError):
            self._cites, self._bibs = {}, {}

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
        """Write what was formatted this time (atomically; parallel builds may race harmlessly)."""
        if not self._dirty or self._file is None:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._file.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"cites": self._cites, "bibliography": self._bibs}, handle, ensure_ascii=False)
            os.replace(tmp, self._file)
        except OSError:
            pass  # a read-only build folder only costs speed
        self._dirty = False
