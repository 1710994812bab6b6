"""Compile layer: inline markup (**bold**, *italic*, [text](url), [@key] citations) → runs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from lecturegen.diagnostics import Diagnostic, Diagnostics, Location
from lecturegen.model.links import link_problem
from lecturegen.model.deck import Citation, CitationItem, Inline, Run
from lecturegen.sources.bibliography import KEY_PATTERN

# The loader's rule for keys (any Unicode letter, digits and `_`, with `-:./+` between them), so that
# "@key." at the end of a sentence is the key without its full stop.
_KEY = KEY_PATTERN
_TOKEN = re.compile(
    r"(?P<escape>\\[\\*@\[\]_])"
    r"|(?P<link>\[(?P<link_text>[^\]\[]+)\]\((?P<url>[^)\s]+)\))"
    r"|(?P<cite>\[(?P<cite_body>[^\]\[]*-?@[^\]\[]*)\])"
    r"|(?P<unclosed>\[(?=[^\]\[]*(?<![^\s\[;])-?@))"
    r"|(?P<bold>\*\*(?P<bold_text>.+?)\*\*)"
    r"|(?P<italic>(?<![\w*])\*(?P<italic_text>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*]))"
    # Not after a word, "/" or ":", so that e-mail addresses and URLs ("medium.com/@name") are not
    # citations, nor after an escaped "\[" (the way to write a literal "[@").
    rf"|(?P<narrative>(?<![\w@.\\/:])(?<!\\\[)@(?P<narrative_key>{_KEY})(?![\w\u0300-\u036f]))",
    re.DOTALL,
)
# An `@` that starts a citation rather than sitting inside an e-mail address: at the start of the
# bracket or of a `;` part, after a space, or as `-@` (suppress author).
_CITATION_AT = re.compile(r"(?<![^\s;])-?@")
_CITE_ITEM = re.compile(rf"^(?P<prefix>(?:.*?\s)?)(?P<minus>-?)@(?P<key>{_KEY})(?P<rest>(?:[,\s].*)?)$", re.DOTALL)
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
_CITATION_HINT = ("write '[@key]', '[@key, p. 12]' or '[see @key; @other]'; a key is letters, digits and '_', "
                  "with '-:./+' between them")


# Parsed texts by (text, location), with what parsing them reported: the collecting pass and the final
# pass of a build parse the same texts, and `watch` parses them again on every save. Runs and citations
# are frozen, so the memo hands out the same objects. Bounded in entries and in the length of a text.
_PARSED: dict[tuple[str, Location | None], tuple[tuple[Inline, ...], tuple[Diagnostic, ...]]] = {}
MAX_PARSED_TEXTS = 4096
MAX_PARSED_LENGTH = 2000


def parse_inline(text: str, location: Location | None, diags: Diagnostics | None = None) -> list[Inline]:
    """Split text into formatted runs and citation markers, merging adjacent plain runs."""
    key = (text, location)
    parsed = _PARSED.get(key)
    if parsed is None:
        found = Diagnostics()
        out: list[Inline] = []
        _parse(text, location, found, Run(""), out)
        parsed = (tuple(_merge(out)), tuple(found.items))
        if len(text) <= MAX_PARSED_LENGTH:
            if len(_PARSED) >= MAX_PARSED_TEXTS:
                del _PARSED[next(iter(_PARSED))]
            _PARSED[key] = parsed
    if diags is not None:
        diags.extend(parsed[1])
    return list(parsed[0])


def citation_keys_in(text: str) -> set[str]:
    """Every key the text cites, read by the same rules as slide text: the keys of `[@…]` markers (of
    the parts that can be read) and of narrative `@key`s; `\\@`, e-mail addresses and URLs are not
    citations. Keys are NFC-normalised, as the loader's are."""
    keys: set[str] = set()
    for item in parse_inline(text, None):
        if isinstance(item, Citation):
            keys.update(i.key for i in item.items)
    return keys


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
            problem = link_problem(url)
            if problem is not None:
                if diags is not None:
                    diags.warning(f"link '{url}' {problem}; shown as text", "markup.link", location)
                out.append(replace(style, text=match.group("link_text")))
            else:
                _parse(match.group("link_text"), location, diags, replace(style, link=url), out)
        elif kind == "cite":
            out.extend(_bracket(match.group(), match.group("cite_body"), location, diags, style))
        elif kind == "unclosed":
            if diags is not None:
                rest = text[match.start():]
                problem = "cannot hold another '['" if "]" in rest[1:] else "has no closing ']'"
                diags.error(f"citation '{_excerpt(rest)}' {problem}", "cite.syntax", location, hint=_CITATION_HINT)
            # The narrative citation that follows still resolves, so no raw "[@" is left in the text.
            out.append(replace(style, text="("))
        elif kind == "bold":
            _parse(match.group("bold_text"), location, diags, replace(style, bold=True), out)
        elif kind == "italic":
            _parse(match.group("italic_text"), location, diags, replace(style, italic=True), out)
        elif kind == "narrative":
            key = unicodedata.normalize("NFC", match.group("narrative_key"))
            out.append(Citation((CitationItem(key),), narrative=True, location=location))
    if pos < len(text):
        out.append(replace(style, text=text[pos:]))


def _bracket(marker: str, body: str, location: Location | None, diags: Diagnostics | None,
             style: Run) -> list[Inline]:
    """`[...]` holding an `@`: a citation, or text when the `@` is only part of an e-mail address."""
    if not _CITATION_AT.search(body):
        return [replace(style, text=marker)]
    items, bad = _citation_items(body)
    if diags is not None:
        for part in bad:
            diags.error(f"cannot read '{_excerpt(part)}' in citation '{_excerpt(marker)}'", "cite.syntax",
                        location, hint=_CITATION_HINT)
    if items:
        # The parts that could be read are still cited (and their keys checked); the error above stops the build.
        return [Citation(tuple(items), narrative=False, location=location)]
    return [replace(style, text=f"({body.strip()})")]


def _citation_items(body: str) -> tuple[list[CitationItem], list[str]]:
    items: list[CitationItem] = []
    bad: list[str] = []
    for part in body.split(";"):
        match = _CITE_ITEM.match(part.strip())
        if match is None:
            bad.append(part.strip())
            continue
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
                key=unicodedata.normalize("NFC", match.group("key")),
                locator=locator,
                label=label,
                suppress_author=bool(match.group("minus")),
                prefix=prefix,
                suffix=suffix,
            )
        )
    return items, bad


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
