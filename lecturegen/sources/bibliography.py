"""Load layer: bibliography files of any format a researcher has (BibTeX/biblatex, CSL-JSON, CSL-YAML, RIS)
→ located entries with ready-built CSL-JSON items; several files merged into one library."""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location, Replayed
from lecturegen.records import record

MAX_BIB_BYTES = 5 * 1024 * 1024
MAX_BIB_ENTRIES = 10_000  # entries in one file (a large Zotero library)

# A citation key as the inline parser reads it (compile/inline.py uses the same pattern): Unicode
# letters, digits and `_`, with `-:./+` allowed between them (so "@key." at the end of a sentence works).
KEY_PATTERN = r"[\w\u0300-\u036f]+(?:[-:./+][\w\u0300-\u036f]+)*"

# The formats read, by file extension (what pandoc's `bibliography:` reads, less EndNote and MODS, plus RIS).
FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".biblatex": "bibtex", ".json": "csl-json",
           ".yaml": "csl-yaml", ".yml": "csl-yaml", ".ris": "ris"}
FORMAT_NAMES = {"bibtex": "BibTeX", "csl-json": "CSL-JSON", "csl-yaml": "CSL-YAML", "ris": "RIS"}
_EXTENSION_OF = {"bibtex": ".bib", "csl-json": ".json", "csl-yaml": ".yaml", "ris": ".ris"}


@record
class BibEntry:
    """One bibliography entry: its fields as read plus the CSL-JSON item built from them."""

    key: str
    type: str
    # The fields as text (BibTeX: decoded; other formats: the CSL variables that are text).
    fields: dict[str, str] = field(hash=False)
    location: Location
    csl: dict[str, Any] = field(hash=False)


@record
class Bibliography:
    """The entries of one bibliography file, or of several merged, by key as written."""

    entries: dict[str, BibEntry] = field(hash=False)
    path: str

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key)

    def keys(self) -> list[str]:
        return list(self.entries)


# -------------------------------------------------------------------------------------------- formats

_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_RIS_START = re.compile(r"^(?:\ufeff)?TY  - ", re.M)


def looks_like(text: str) -> str | None:
    """The format the text itself shows: one of FORMATS' values, another format's name, or None."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if not head:
        return None
    if head[0] in "[{":
        return "csl-json"
    if head.startswith(("<?xml", "<xml", "<records", "<modsCollection", "<mods")):
        return "XML (EndNote or MODS)"
    if head.startswith("%PDF"):
        return "PDF"
    if head.startswith("%0 "):
        return "EndNote tagged text (.enw)"
    if _RIS_START.search(head):
        return "ris"
    if _BIBTEX_ENTRY.search(head):
        return "bibtex"
    if re.match(r"(?:---[ \t]*\n)?(?:\s*#[^\n]*\n)*\s*(?:references\s*:|-\s+id\s*:|-\s*\n\s+id\s*:)", head):
        return "csl-yaml"
    if _BIBTEX_ENTRY.search(text):
        return "bibtex"
    return None


def _described(kind: str) -> str:
    return FORMAT_NAMES.get(kind, kind)


def bibliography_format(name: str, text: str, display: str, diags: Diagnostics) -> str | None:
    """The format a file is read in: its extension's, confirmed by what the text looks like (else an error)."""
    suffix = Path(name).suffix.lower()
    declared = FORMATS.get(suffix)
    seen = looks_like(text)
    at = Location(display, 1, 1)
    if declared is None:
        looks = f"; it looks like {_described(seen)}" if seen else ""
        hint = (f"name it '{Path(name).stem}{_EXTENSION_OF[seen]}'" if seen in _EXTENSION_OF
                else "export BibTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml) or RIS (.ris)")
        diags.error(f"unknown bibliography format '{suffix or name}'{looks}", "bib.format", at, hint=hint)
        return None
    if seen is not None and seen != declared:
        hint = (f"name it '{Path(name).stem}{_EXTENSION_OF[seen]}'" if seen in _EXTENSION_OF
                else "export BibTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml) or RIS (.ris)")
        diags.error(f"'{display}' is not {_described(declared)}: it looks like {_described(seen)}", "bib.format",
                    at, hint=hint)
        return None
    if seen is None and text.strip() and declared != "bibtex":
        diags.error(f"'{display}' is not {_described(declared)}: no entry found", "bib.format", at,
                    hint="export BibTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml) or RIS (.ris)")
        return None
    return declared


# -------------------------------------------------------------------------------------------- reading


def load_bibliography(file: Path, display: str, diags: Diagnostics, name: str | None = None) -> Bibliography:
    """Read one bibliography file (size-capped, UTF-8, no links out of the workspace) in the format its name
    says (`name`, default the display name) and its text confirms."""
    from lecturegen.sources.yamlload import read_text

    text = read_text(file, display, diags, max_bytes=MAX_BIB_BYTES)
    if text is None:
        return Bibliography({}, display)
    return parse_bibliography(text, display, diags, name=name)


_PARSED = Replayed(16)


def parse_bibliography(text: str, display: str, diags: Diagnostics, name: str | None = None) -> Bibliography:
    """Parse bibliography text (pure: no file access; memoised by text). The format comes from `name`'s
    extension (default: `display`'s), confirmed by the text."""
    from lecturegen.sources import bibtex

    # The limits are part of the key: a library refused under one limit is not served under another.
    limits = tuple(sorted((k, v) for module in (globals(), vars(bibtex)) for k, v in module.items()
                          if k.startswith("MAX_")))
    key = (display, name, text, limits)
    hit, cached = _PARSED.get(key, diags)
    if hit:
        return cached  # type: ignore[return-value]
    mark = len(diags.items)
    bib = _parse(text, display, diags, name or display)
    _PARSED.put(key, bib, diags.items[mark:])
    return bib


def _parse(text: str, display: str, diags: Diagnostics, name: str) -> Bibliography:
    if not text.strip():
        diags.warning("bibliography is empty", "bib.empty", Location(display, 1, 1))
        return Bibliography({}, display)
    kind = bibliography_format(name, text, display, diags)
    if kind == "bibtex":
        from lecturegen.sources.bibtex import parse_bibtex

        return parse_bibtex(text, display, diags)
    if kind == "csl-json":
        from lecturegen.sources.csl_json import parse_csl_json

        return parse_csl_json(text, display, diags)
    if kind == "csl-yaml":
        from lecturegen.sources.csl_json import parse_csl_yaml

        return parse_csl_yaml(text, display, diags)
    if kind == "ris":
        from lecturegen.sources.ris import parse_ris

        return parse_ris(text, display, diags)
    return Bibliography({}, display)


def merge_bibliographies(parts: list[Bibliography], diags: Diagnostics) -> Bibliography:
    """One library from several files; a key in two files (or in two letter cases) is an error naming both."""
    if len(parts) == 1:
        return parts[0]
    entries: dict[str, BibEntry] = {}
    folded: dict[str, str] = {}
    for part in parts:
        for key, entry in part.entries.items():
            first = entries.get(folded.get(key.casefold(), ""))
            if first is not None:
                same = first.key == key
                what = f"duplicate key '{key}'" if same else f"key '{key}' differs from '{first.key}' only in letter case"
                diags.error(what, "bib.duplicate-key", entry.location,
                            hint=f"the first is at {first.location.path}:{first.location.line}")
                continue
            folded[key.casefold()] = key
            entries[key] = entry
    return Bibliography(entries, parts[0].path if parts else "bibliography.bib")


def unique_entry(key: str, entries: dict[str, BibEntry], folded: dict[str, str], loc: Location,
                 diags: Diagnostics) -> bool:
    """Whether a key read from a file may join `entries` (not there already, in any letter case); else an error.
    Every reader calls it, so a case-duplicate is caught before citeproc-py (which lower-cases keys) merges two."""
    if key in entries:
        diags.error(f"duplicate key '{key}'", "bib.duplicate-key", loc,
                    hint=f"the first '{key}' is at line {entries[key].location.line}")
        return False
    other = folded.get(key.casefold())
    if other is not None:
        diags.error(f"key '{key}' differs from '{other}' only in letter case", "bib.case-duplicate", loc,
                    hint=f"rename one of them; '{other}' is at line {entries[other].location.line}")
        return False
    folded[key.casefold()] = key
    return True
