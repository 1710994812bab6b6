"""Load layer: CSL-JSON (Zotero's "Export → CSL JSON") and CSL-YAML (pandoc's `references:`) → located entries."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location, did_you_mean
from lecturegen.sources.bibliography import KEY_PATTERN, MAX_BIB_ENTRIES, BibEntry, Bibliography, unique_entry

# The item types of CSL 1.0.2 (what citeproc-py and the styles branch on).
CSL_TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
    "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
    "figure", "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map",
    "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review", "review-book", "software",
    "song", "speech", "standard", "thesis", "treaty", "webpage"})
NAME_VARIABLES = frozenset({"author", "editor", "translator", "container-author", "collection-editor", "composer",
                            "director", "interviewer", "recipient", "reviewed-author", "editorial-director",
                            "illustrator", "original-author", "chair", "compiler", "contributor", "curator",
                            "executive-producer", "guest", "host", "narrator", "organizer", "performer", "producer",
                            "script-writer", "series-creator"})
DATE_VARIABLES = frozenset({"issued", "accessed", "event-date", "original-date", "submitted", "available-date"})
_NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix")
_KEY_FULL = re.compile(KEY_PATTERN)
_EDTF = re.compile(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def parse_csl_json(text: str, display: str, diags: Diagnostics) -> Bibliography:
    """A CSL-JSON array of items (or one item, or `{"items": [...]}`) → a Bibliography (pure)."""
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    try:
        if text[start] == "[":
            items = _array_items(text, start, decoder)
        else:
            value, _end = decoder.raw_decode(text, start)
            listed = value.get("items") if isinstance(value, dict) else None
            items = [(item, start) for item in listed] if isinstance(listed, list) else [(value, start)]
    except json.JSONDecodeError as exc:
        diags.error(f"not valid JSON: {exc.msg.lower()}", "bib.syntax", Location(display, exc.lineno, exc.colno))
        return Bibliography({}, display)
    located = [(item, Location(display, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)))
               for item, at in items]
    return csl_bibliography(located, display, diags)


def _array_items(text: str, start: int, decoder: json.JSONDecoder) -> list[tuple[Any, int]]:
    """Each element of a JSON array with the offset it starts at (json itself keeps no positions)."""
    out: list[tuple[Any, int]] = []
    pos = start + 1
    whitespace = re.compile(r"[\s,]*")
    while True:
        pos = whitespace.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            raise json.JSONDecodeError("unterminated array", text, pos)
        if text[pos] == "]":
            if text[pos + 1:].strip():
                raise json.JSONDecodeError("extra data", text, pos + 1)
            return out
        value, end = decoder.raw_decode(text, pos)
        out.append((value, pos))
        if len(out) > MAX_BIB_ENTRIES:
            raise json.JSONDecodeError(f"more than {MAX_BIB_ENTRIES:,} entries", text, pos)
        pos = end


def parse_csl_yaml(text: str, display: str, diags: Diagnostics) -> Bibliography:
    """CSL-YAML — a list of items, or a mapping (pandoc metadata, `---` fences allowed) whose `references:`
    is that list — → a Bibliography (pure; YAML read with the workspace's safe, capped loader)."""
    from yaml.nodes import MappingNode, SequenceNode

    from lecturegen.sources.yamlload import compose_yaml, loc_of, mapping_items, plain

    body = re.sub(r"^---[ \t]*\n", "", text, count=1)
    body = re.split(r"^(?:---|\.\.\.)[ \t]*$", body, maxsplit=1, flags=re.M)[0]
    root = compose_yaml(body, display, diags)
    if root is None:
        return Bibliography({}, display)
    if isinstance(root, MappingNode):
        listed = next((value for key, _node, value in mapping_items(root) if key == "references"), None)
        root = listed if listed is not None else root
    if not isinstance(root, SequenceNode):
        diags.error("CSL-YAML is a list of items or a mapping with 'references:'", "bib.syntax",
                    loc_of(root, display))
        return Bibliography({}, display)
    if len(root.value) > MAX_BIB_ENTRIES:
        diags.error(f"bibliography has more than {MAX_BIB_ENTRIES:,} entries", "bib.too-large", loc_of(root, display))
        return Bibliography({}, display)
    return csl_bibliography([(plain(node), loc_of(node, display)) for node in root.value], display, diags)


def csl_bibliography(items: list[tuple[Any, Location]], display: str, diags: Diagnostics) -> Bibliography:
    """Located CSL items (as JSON or YAML give them) → checked, normalised entries."""
    entries: dict[str, BibEntry] = {}
    folded: dict[str, str] = {}
    for item, loc in items:
        entry = csl_entry(item, loc, diags)
        if entry is not None and unique_entry(entry.key, entries, folded, loc, diags):
            entries[entry.key] = entry
    return Bibliography(entries, display)


def csl_entry(item: Any, loc: Location, diags: Diagnostics) -> BibEntry | None:
    """One CSL item, normalised as the adapter expects it (string id in NFC, known type, name lists, dates
    as `date-parts` of numbers, numbers as text); problems are located diagnostics."""
    if not isinstance(item, dict):
        diags.error("a CSL item is a mapping of variables", "bib.syntax", loc)
        return None
    raw_id = item.get("id", item.get("citation-key"))
    if raw_id is None or str(raw_id).strip() == "":
        diags.error("CSL item has no 'id'", "bib.syntax", loc, hint="export with citation keys (Better BibTeX)")
        return None
    key = unicodedata.normalize("NFC", str(raw_id).strip())
    if not _KEY_FULL.fullmatch(key):
        diags.warning(f"key '{key}' cannot be cited: a citation key is letters, digits and '_', with '-:./+' "
                      "between them", "bib.key", loc)
    csl: dict[str, Any] = {}
    for name, value in item.items():
        name = str(name)
        if name in ("id", "citation-key") or value is None or value == "":
            continue
        if name in NAME_VARIABLES:
            names = _names(value)
            if names:
                csl[name] = names
        elif name in DATE_VARIABLES:
            date = csl_date(value)
            if date:
                csl[name] = date
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            csl[name] = unicodedata.normalize("NFC", str(value).strip())
    kind = csl.get("type", "")
    if kind not in CSL_TYPES:
        hint = did_you_mean(kind, CSL_TYPES) or "it is formatted as a generic work"
        diags.warning(f"unknown item type '{kind}' for '{key}'", "bib.unknown-type", loc, hint=hint)
        kind = "article"
    csl = {"id": key, "type": kind, **{k: v for k, v in csl.items() if k != "type"}}
    for variable, what in (("author", "author"), ("title", "title"), ("issued", "issued")):
        if variable == "author" and (csl.get("author") or csl.get("editor")):
            continue
        if variable == "issued" and kind in ("webpage", "post-weblog", "post"):
            continue  # undated web pages are normal (APA prints "n.d.")
        if not csl.get(variable):
            diags.warning(f"entry '{key}' has no '{what}' field", "bib.missing-field", loc)
    text = {k: v for k, v in csl.items() if isinstance(v, str)}
    return BibEntry(key=key, type=kind, fields=text, location=loc, csl=csl)


def _names(value: Any) -> list[dict[str, str]]:
    people = value if isinstance(value, list) else [value]
    out: list[dict[str, str]] = []
    for person in people:
        if isinstance(person, str) and person.strip():
            out.append({"literal": unicodedata.normalize("NFC", person.strip())})
        elif isinstance(person, dict):
            name = {part: unicodedata.normalize("NFC", str(person[part]).strip())
                    for part in _NAME_PARTS if person.get(part) not in (None, "")}
            if name:
                out.append(split_particle(name))
    return out


def split_particle(name: dict[str, str]) -> dict[str, str]:
    """"van der Veer" as one family name (Zotero's CSL-JSON and RIS write it so) → particle "van der" and
    family "Veer", as BibTeX's name parser and citeproc-js split it (citeproc-py does not: it would sort
    and print the name differently from the same library read from a .bib file)."""
    family = name.get("family", "")
    words = family.split(" ")
    lead = 0
    while lead < len(words) - 1 and words[lead][:1].islower():
        lead += 1
    if lead == 0 or "non-dropping-particle" in name:
        return name
    out = dict(name, family=" ".join(words[lead:]))
    out["non-dropping-particle"] = " ".join(words[:lead])
    return out


def csl_date(value: Any) -> dict[str, Any] | None:
    """A CSL date in any of its spellings — `{"date-parts": [[2019, 5]]}` (numbers or digit strings),
    `{"raw": "2019-05"}`, `{"literal": "in press"}`, or pandoc's EDTF string `2019-05-15` / `2019/2020`."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts:
            clean = [[int(p) for p in part if str(p).strip().lstrip("-").isdigit()]
                     for part in parts[:2] if isinstance(part, list)]
            clean = [part[:3] for part in clean if part]
            if clean:
                return {"date-parts": clean}
        for spelling in ("raw", "literal"):
            if isinstance(value.get(spelling), (str, int)):
                return csl_date(str(value[spelling])) if spelling == "raw" else {"literal": str(value[spelling])}
        return None
    text = str(value).strip()
    ranges = []
    for piece in text.split("/")[:2]:
        m = _EDTF.fullmatch(piece.strip())
        if not m:
            return {"literal": text} if text else None
        ranges.append([int(g) for g in m.groups() if g])
    return {"date-parts": ranges}
