"""Compile layer: the citeproc-py adapter — citations and reference lists as runs, and unknown keys reported."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from lecturegen.compile.citation_markup import (affix, escape_html, markup_to_runs, runs_to_html,
                                                runs_to_markdown)
from lecturegen.compile.citeproc_state import SENTINEL, CiteprocState
from lecturegen.compile.csl_fixes import short_names
from lecturegen.compile.key_hints import suggest_keys
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Citation, CitationItem, Run
from lecturegen.sources.bibliography import Bibliography
from lecturegen.sources.citation_style import CitationStyle
from lecturegen.model.text import runs_text


# citeproc-py interprets the style's macros for every reference it formats: about 8 ms a cited work (its
# citation, its narrative form for the slide's source line, its place in the sorted list and its entry). A
# talk citing more works than this is refused; the works past it are not formatted at all.
MAX_CITED_KEYS = 1_000


def check_citation_keys(bib: Bibliography, citations: Sequence[Citation], diags: Diagnostics) -> None:
    """Every cited key must be in the bibliography; a near miss gets a did-you-mean. At most MAX_CITED_KEYS
    different works, reported at the citation of the first one past the limit."""
    seen: set[str] = set()
    for citation in citations:
        for item in citation.items:
            if item.key in seen or bib.get(item.key) is None:
                continue
            seen.add(item.key)
            if len(seen) > MAX_CITED_KEYS:
                diags.error(f"'{item.key}' is the work number {len(seen):,} this talk cites; a talk cites at most "
                            f"{MAX_CITED_KEYS:,} different works", "cite.too-many", citation.location,
                            hint="cite the works the slides need; the full list can live behind references_url")
                break
        if len(seen) > MAX_CITED_KEYS:
            break
    unknown = [item.key for citation in citations for item in citation.items if bib.get(item.key) is None]
    if not unknown:
        return
    hints = suggest_keys(unknown, bib.keys())
    for citation in citations:
        for item in citation.items:
            if bib.get(item.key) is None:
                diags.error(f"unknown citation key '{item.key}'", "cite.unknown", citation.location,
                            hint=hints.get(item.key))


class CitationEngine:
    """Formats citations and reference lists for one bibliography in one CSL style."""

    def __init__(self, bibliography: Bibliography, style: CitationStyle):
        self.bib = bibliography
        self.style = style
        self.info = style.info
        # citeproc-py lower-cases keys; our own ids keep keys that differ in case apart.
        self.ids = {key: f"r{i}" for i, key in enumerate(bibliography.keys())}
        self.keys_by_id = {v: k for k, v in self.ids.items()}
        self.registered: list[tuple[Citation, tuple[str, ...]]] = []
        # A dict as an ordered set: 10,000 cited keys must not cost 10,000² comparisons.
        self.registered_keys: dict[str, None] = {}
        self._state: CiteprocState | None = None
        self._cite_memo: dict[tuple[object, ...], tuple[Run, ...]] = {}

    # ------------------------------------------------------------------ public

    def check_keys(self, citations: Sequence[Citation], diags: Diagnostics) -> None:
        check_citation_keys(self.bib, citations, diags)

    def register(self, citations: Sequence[Citation]) -> None:
        for citation in citations:
            # Past MAX_CITED_KEYS (an error check_keys reports) further works are neither registered nor formatted.
            keys = tuple(i.key for i in citation.items if i.key in self.ids
                         and (i.key in self.registered_keys or len(self.registered_keys) < MAX_CITED_KEYS))
            self.registered.append((citation, keys))
            self.registered_keys.update(dict.fromkeys(keys))
        self._state = None

    def cite(self, citation: Citation) -> tuple[Run, ...]:
        items = [i for i in citation.items if self._formatted(i.key)]
        missing = [i.key for i in citation.items if not self._formatted(i.key)]
        if not items:
            return (Run("(" + "; ".join(f"{k}?" for k in missing) + ")", cited=True),)
        state = self._prepare(extra=[i.key for i in items])
        # The same marker recurs on many slides; citeproc-py takes ~3 ms per render, so memoise per state.
        memo_key = (id(state), tuple(items), citation.narrative)
        cached = self._cite_memo.get(memo_key)
        if cached is not None:
            return cached
        result = self._cite_uncached(state, items, citation)
        self._cite_memo[memo_key] = result
        return result

    def _cite_uncached(self, state: CiteprocState, items: list[CitationItem], citation: Citation) -> tuple[Run, ...]:
        if self.info.numeric:
            text = self._cite_numeric(state, items, citation.narrative)
        elif citation.narrative:
            text = ", ".join(self._narrative(state, item) for item in items)
        elif any(i.suppress_author or i.prefix or i.suffix for i in items):
            text = self._assembled(state, items)
        else:
            text = state.cite(items)
        return markup_to_runs(text)

    def bibliography(self, keys: Iterable[str] | None = None) -> list[tuple[Run, ...]]:
        return [markup_to_runs(entry) for entry in self._entries(keys)]

    def reference_text(self, keys: Iterable[str] | None = None, fmt: str = "text") -> str:
        entries = [markup_to_runs(e) for e in self._entries(keys)]
        if fmt == "text":
            return "\n".join(runs_text(runs) for runs in entries) + ("\n" if entries else "")
        if fmt == "markdown":
            return "\n\n".join(runs_to_markdown(runs) for runs in entries) + ("\n" if entries else "")
        if fmt == "html":
            body = "\n".join(f'  <div class="csl-entry">{runs_to_html(runs)}</div>' for runs in entries)
            return f'<div class="csl-bib-body">\n{body}\n</div>\n'
        raise ValueError(f"unknown reference format '{fmt}' (expected 'text', 'markdown' or 'html')")

    # ------------------------------------------------------------------ internals

    def _formatted(self, key: str) -> bool:
        return key in self.ids and (len(self.registered_keys) < MAX_CITED_KEYS or key in self.registered_keys)

    def _entries(self, keys: Iterable[str] | None) -> list[str]:
        if keys is None:
            wanted = list(self.registered_keys) or self.bib.keys()
        else:
            wanted = [k for k in dict.fromkeys(keys) if self._formatted(k)]
        state = self._prepare(extra=wanted)
        chosen = set(wanted)
        return [text for key, text in state.bibliography() if key in chosen]

    def _prepare(self, extra: Sequence[str] = ()) -> CiteprocState:
        if self._state is not None and all(k in self._state.active for k in extra):
            return self._state
        active = list(self.registered_keys) + [k for k in extra if k not in self.registered_keys]
        if self._state is not None:
            # Keys first seen now join the set that year suffixes are computed over.
            active = list(dict.fromkeys(list(self._state.order) + active))
        self._state = CiteprocState(self, active)
        return self._state

    def _cite_numeric(self, state: CiteprocState, items: list[CitationItem], narrative: bool) -> str:
        if not narrative:
            return state.cite(items)
        parts = []
        for item in items:
            names = short_names(self.bib.get(item.key).csl if self.bib.get(item.key) else {})  # type: ignore[union-attr]
            number = state.cite([item])
            parts.append(f"{escape_html(names)} {number}" if names else number)
        return ", ".join(parts)

    def _split(self, state: CiteprocState, item: CitationItem) -> tuple[str, str]:
        """(author part, rest) of a one-item citation, both without the layout's affixes."""
        full = self._strip_affixes(state.cite([item]))
        variant = self._strip_affixes(state.cite([item], sentinel=True))
        at = variant.find(SENTINEL)
        if at < 0:
            return full, ""
        tail = variant[at + 1:]
        # Formatting tags wrapped around the sentinel belong to the author part.
        closing = re.match(r"(?:</[a-z]+>)*", tail)
        tail = tail[closing.end():] if closing else tail
        if tail and full.endswith(tail):
            author = full[: len(full) - len(tail)]
        else:
            author = escape_html(short_names(state.items[item.key]))
        rest = re.sub(r"^[\s,;:]+", "", tail)
        return author.strip(), rest.strip()

    def _strip_affixes(self, text: str) -> str:
        pre, suf = escape_html(self.info.prefix), escape_html(self.info.suffix)
        if pre and text.startswith(pre):
            text = text[len(pre):]
        if suf and text.endswith(suf):
            text = text[: -len(suf)]
        return text

    def _narrative(self, state: CiteprocState, item: CitationItem) -> str:
        author, rest = self._split(state, item)
        if item.suppress_author:
            return f"({rest})" if rest else ""
        # Narrative citations spell out "and" (APA 8.17; Harvard and Chicago agree).
        author = author.replace(" &amp; ", " and ").replace(" & ", " and ")
        rest = affix(item, rest)
        return f"{author} ({rest})" if rest else author

    def _assembled(self, state: CiteprocState, items: list[CitationItem]) -> str:
        parts = []
        for item in items:
            if item.suppress_author:
                _, body = self._split(state, item)
            else:
                body = self._strip_affixes(state.cite([item]))
            parts.append(affix(item, body))
        delimiter = escape_html(self.info.delimiter)
        return (escape_html(self.info.prefix) + delimiter.join(parts)
                + escape_html(self.info.suffix))
