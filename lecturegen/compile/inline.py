"""Compile layer: inline markup (**bold**, *italic*, [text](url), [@key] citations) → runs."""

from __future__ import annotations

import re
from dataclasses import replace

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Citation, CitationItem, Inline, Run

_KEY = r"[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*?"
_TOKEN = re.compile(
    r"(?P<escape>\\[\\*@\[\]_])"
    r"|(?P<link>\[(?P<link_text>[^\]\[]+)\]\((?P<url>[^)\s]+)\))"
    r"|(?P<cite>\[(?P<cite_body>[^\]\[]*-?@[^\]\[]*)\])"
    r"|(?P<bold>\*\*(?P<bold_text>.+?)\*\*)"
    r"|(?P<italic>(?<![\w*])\*(?P<italic_text>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*]))"
    rf"|(?P<narrative>(?<![\w@.\\])@(?P<narrative_key>{_KEY})(?=[\s,;:!?)\]'’\"]|\.(?:\s|$)|$))",
    re.DOTALL,
)
_CITE_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<minus>-?)@(?P<key>{_KEY})(?P<rest>(?:[,\s].*)?)$", re.DOTALL)
_LOCATOR = re.compile(
    r"^(?P<label>pages|page|pp|p|chapter|chap|ch|section|sec|paragraph|para|figure|fig|table|volume|vol)(?:\.\s*|\s+)"
    r"(?P<value>.+)$",
    re.IGNORECASE,
)
_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "chap": "chapter", "chapter": "chapter", "ch": "chapter",
    "sec": "section", "section": "section",
    "para": "paragraph", "paragraph": "paragraph",
    "fig": "figure", "figure": "figure", "table": "table",
    "vol": "volume", "volume": "volume",
}
_URL_SCHEMES = ("http://", "https://", "mailto:")


def parse_inline(text: str, location: Location | None, diags: Diagnostics | None = None) -> list[Inline]:
    """Split text into formatted runs and citation markers, merging adjacent plain runs."""
    out: list[Inline] = []
    _parse(text, location, diags, Run(""), out)
    return _merge(out)


def _parse(text: str, location: Location | None, diags: Diagnostics | None, style: Run, out: list[Inline]) -> None:
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            out.append(replace(style, text=text[pos:match.start()]))
        pos = match.end()
        kind = match.lastgroup
        if kind == "escape":
            out.append(replace(style, text=match.group()[1]))
        elif kind == "link":
            url = match.group("url")
            if not url.startswith(_URL_SCHEMES):
                if diags is not None:
                    diags.warning(f"link '{url}' is not an http(s) or mailto address; shown as text",
                                  "markup.link", location)
                out.append(replace(style, text=match.group("link_text")))
            else:
                _parse(match.group("link_text"), location, diags, replace(style, link=url), out)
        elif kind == "cite":
            citation = parse_citation(match.group("cite_body"), location)
            if citation is None:
                out.append(replace(style, text=match.group()))
            else:
                out.append(citation)
        elif kind == "bold":
            _parse(match.group("bold_text"), location, diags, replace(style, bold=True), out)
        elif kind == "italic":
            _parse(match.group("italic_text"), location, diags, replace(style, italic=True), out)
        elif kind == "narrative":
            out.append(Citation((CitationItem(match.group("narrative_key")),), narrative=True, location=location))
    if pos < len(text):
        out.append(replace(style, text=text[pos:]))


def parse_citation(body: str, location: Location | None) -> Citation | None:
    """The inside of `[...]`: `@a; @b, p. 12; see -@c`."""
    items: list[CitationItem] = []
    for part in body.split(";"):
        match = _CITE_ITEM.match(part.strip())
        if match is None:
            return None
        prefix = match.group("prefix").strip()
        rest = match.group("rest").strip().lstrip(",").strip()
        locator, label, suffix = None, "page", ""
        if rest:
            loc_match = _LOCATOR.match(rest)
            if loc_match:
                label = _LABELS[loc_match.group("label").lower()]
                locator = loc_match.group("value").strip()
            else:
                suffix = rest
        items.append(
            CitationItem(
                key=match.group("key"),
                locator=locator,
                label=label,
                suppress_author=bool(match.group("minus")),
                prefix=prefix,
                suffix=suffix,
            )
        )
    return Citation(tuple(items), narrative=False, location=location) if items else None


def _merge(items: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for item in items:
        if isinstance(item, Run) and not item.text:
            continue
        previous = merged[-1] if merged else None
        if (
            isinstance(item, Run)
            and isinstance(previous, Run)
            and (previous.bold, previous.italic, previous.link, previous.cited)
            == (item.bold, item.italic, item.link, item.cited)
        ):
            merged[-1] = replace(previous, text=previous.text + item.text)
        else:
            merged.append(item)
    return merged
