"""Load layer: BibTeX/biblatex files → located entries with ready-built CSL-JSON items."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location, did_you_mean

MAX_BIB_BYTES = 5 * 1024 * 1024

# BibTeX and biblatex entry types (as Zotero / Better BibTeX export them) → CSL types.
_CSL_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "unpublished": "manuscript",
    "misc": "article",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "periodical": "periodical",
    "inreference": "entry-encyclopedia",
    "reference": "book",
}

# Undated web pages are normal (APA prints "n.d."), so a missing date there is not reported.
_UNDATED_OK = {"online", "www", "electronic"}

# Fields whose text is an identifier: LaTeX decoding would eat `%`, `_` and `~` in them.
_VERBATIM = {"url", "doi", "eprint", "file", "urldate", "isbn", "issn", "pmid", "pmcid"}

# Title-like fields keep `{Protected}` spans as CSL nocase markup; elsewhere braces just go.
_TITLE_FIELDS = {"title", "subtitle", "booktitle", "booksubtitle", "journal", "journaltitle", "series",
                 "maintitle", "eventtitle", "shorttitle"}

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

_NOCASE_OPEN = '<span class="nocase">'
_NOCASE_CLOSE = "</span>"


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry: decoded fields plus the CSL-JSON item built from them."""

    key: str
    type: str
    fields: dict[str, str] = field(hash=False)
    location: Location
    csl: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class Bibliography:
    """The entries of one .bib file, by key as written."""

    entries: dict[str, BibEntry] = field(hash=False)
    path: str

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key)

    def keys(self) -> list[str]:
        return list(self.entries)


def load_bibliography(file: Path, display: str, diags: Diagnostics) -> Bibliography:
    """Read a .bib file (size-capped, UTF-8) and parse it; problems become diagnostics."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        diags.error(f"cannot read file: {reason}", "file.unreadable", Location(display))
        return Bibliography({}, display)
    if size > MAX_BIB_BYTES:
        diags.error(
            f"file is too large ({size:,} bytes; the limit is {MAX_BIB_BYTES:,})", "file.too-large", Location(display)
        )
        return Bibliography({}, display)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        diags.error(f"cannot read file: {exc}", "file.unreadable", Location(display))
        return Bibliography({}, display)
    if b"\x00" in raw:
        diags.error("file is binary, not text", "file.binary", Location(display, 1, 1))
        return Bibliography({}, display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.error("file is not valid UTF-8 text", "file.encoding", Location(display, line, 1),
                    hint="save the file as UTF-8")
        return Bibliography({}, display)
    return parse_bibliography(text, display, diags)


def parse_bibliography(text: str, display: str, diags: Diagnostics) -> Bibliography:
    """Parse BibTeX text into a Bibliography (pure: no file access)."""
    # Imported here so that commands which never touch a .bib file stay fast to start.
    import bibtexparser
    from bibtexparser import model as bm

    if not text.strip():
        diags.warning("bibliography is empty", "bib.empty", Location(display, 1, 1))
        return Bibliography({}, display)
    # bibtexparser logs each failed block to stderr; we report them as located diagnostics.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        # An empty parse stack: string macros, `#` concatenation and months are resolved
        # here because bibtexparser's middleware leaves `pr # " X"` as literal text.
        library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as exc:  # noqa: BLE001 - the parser must never turn bad input into a traceback
        diags.error(f"cannot parse the bibliography: {_clean(str(exc))}", "bib.syntax", Location(display, 1, 1))
        return Bibliography({}, display)
    finally:
        logger.setLevel(level)

    strings: dict[str, str] = {}
    entries: dict[str, BibEntry] = {}
    folded: dict[str, str] = {}
    for block in library.blocks:
        line = (getattr(block, "start_line", 0) or 0) + 1
        loc = Location(display, line, 1)
        if isinstance(block, bm.String):
            strings[block.key.lower()] = _resolve(str(block.value), strings, diags, loc)
        elif isinstance(block, bm.DuplicateBlockKeyBlock):
            diags.error(f"duplicate key '{block.key}'", "bib.duplicate-key", loc,
                        hint=_first_seen(entries.get(block.key)))
        elif isinstance(block, bm.ParsingFailedBlock):
            message = _failure_message(block)
            hint = "a '{' is not closed before the next entry" if message.startswith("unbalanced") else None
            diags.error(message, "bib.syntax", loc, hint=hint)
        elif isinstance(block, bm.Entry):
            entry = _entry(block, strings, loc, diags)
            if entry is None:
                continue
            if entry.key in entries:  # bibtexparser reports these itself; belt and braces
                diags.error(f"duplicate key '{entry.key}'", "bib.duplicate-key", loc)
                continue
            other = folded.get(entry.key.lower())
            if other is not None:
                # citeproc-py lower-cases keys, so these two would silently become one.
                diags.error(
                    f"key '{entry.key}' differs from '{other}' only in letter case", "bib.case-duplicate", loc,
                    hint=f"rename one of them; '{other}' is at line {entries[other].location.line}",
                )
                continue
            folded[entry.key.lower()] = entry.key
            entries[entry.key] = entry
    return Bibliography(entries, display)


# --------------------------------------------------------------------------- entries


def _entry(block: Any, strings: dict[str, str], loc: Location, diags: Diagnostics) -> BibEntry | None:
    key = str(block.key or "").strip()
    btype = str(block.entry_type or "").strip().lower()
    if not key:
        diags.error(f"'@{btype}' entry has no key", "bib.syntax", loc)
        return None
    if btype not in _CSL_TYPES:
        hint = did_you_mean(btype, _CSL_TYPES) or "it is formatted as a generic work"
        diags.warning(f"unknown entry type '@{btype}' for '{key}'", "bib.unknown-type", loc, hint=hint)

    raw: dict[str, str] = {}
    for f in block.fields:
        name = str(f.key).strip().lower()
        if name in raw:
            diags.warning(f"field '{name}' appears twice in '{key}'; the first is used", "bib.duplicate-field",
                          Location(loc.path, (getattr(f, "start_line", 0) or 0) + 1, 1))
            continue
        raw[name] = _resolve(str(f.value), strings, diags, loc, month=(name == "month"))

    fields = {name: _decode(name, value) for name, value in raw.items()}
    plain = {name: _strip_braces(value) for name, value in fields.items()}

    missing = []
    if not (plain.get("author") or plain.get("editor")):
        missing.append("author")
    if not plain.get("title"):
        missing.append("title")
    if not (plain.get("year") or plain.get("date")) and btype not in _UNDATED_OK:
        missing.append("year")
    for name in missing:
        diags.warning(f"entry '{key}' has no '{name}' field", "bib.missing-field", loc)

    csl = _to_csl(key, btype, fields, plain, diags, loc)
    return BibEntry(key=key, type=btype, fields=plain, location=loc, csl=csl)


def _first_seen(entry: BibEntry | None) -> str | None:
    return f"the first '{entry.key}' is at line {entry.location.line}" if entry else None


def _failure_message(block: Any) -> str:
    raw = str(getattr(block, "raw", "") or "")
    head = re.match(r"\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", raw)
    what = f"'@{head.group(1).lower()}{{{head.group(2)}'" if head else "block"
    error = str(getattr(block, "error", "") or "")
    reason = error.split("syntactical error in bibtex:", 1)[-1].strip() if error else ""
    if "closing `}`" in reason or raw.count("{") != raw.count("}"):
        return f"unbalanced braces in {what}"
    return f"cannot parse {what}: {_clean(reason)}" if reason else f"cannot parse {what}"


def _clean(message: str) -> str:
    message = " ".join(message.split()).replace("`", "'")
    return message[:1].lower() + message[1:200]


# --------------------------------------------------------------------------- values


def _split_top(value: str, sep: str) -> list[str]:
    """Split at `sep` outside braces and quotes (for `#` concatenation)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0 and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif ch == sep and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def _resolve(value: str, strings: dict[str, str], diags: Diagnostics, loc: Location, month: bool = False) -> str:
    """A raw field value (`{..}`, `".."`, number, macro, `a # b`) → LaTeX text without outer delimiters."""
    out = []
    for part in _split_top(value.strip(), "#"):
        part = part.strip()
        if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
            out.append(part[1:-1])
        elif part.isdigit() or not part:
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower()[:3] in _MONTHS and (month or part.lower() in _MONTHS):
            out.append(str(_MONTHS[part.lower()[:3]]))
        else:
            diags.warning(f"undefined string macro '{part}'", "bib.undefined-string", loc,
                          hint=did_you_mean(part.lower(), strings))
            out.append(part)
    return "".join(out)


def _decode(name: str, value: str) -> str:
    """LaTeX → Unicode through bibtexparser's middleware; braces that protect case are kept."""
    if name in _VERBATIM:
        return _strip_url_macro(value).strip()
    value = _URL_MACRO.sub(lambda m: "\x01" + m.group(1) + "\x02", value)
    urls = re.findall("\x01(.*?)\x02", value)
    value = re.sub("\x01.*?\x02", "\x03", value)
    decoded = _latex_to_text(value)
    for url in urls:
        decoded = decoded.replace("\x03", url, 1)
    return " ".join(decoded.split())


_URL_MACRO = re.compile(r"\\(?:url|href)\{([^{}]*)\}(?:\{[^{}]*\})?")


def _strip_url_macro(value: str) -> str:
    m = _URL_MACRO.fullmatch(value.strip())
    return m.group(1) if m else value


_decoder: Any = None


def _latex_to_text(value: str) -> str:
    global _decoder
    from bibtexparser import middlewares as mw
    from bibtexparser import model as bm

    if "\\" not in value and "$" not in value and "~" not in value and "-" not in value and "`" not in value:
        return value
    if _decoder is None:
        _decoder = mw.LatexDecodingMiddleware(keep_braced_groups=True)
    entry = bm.Entry("x", "x", [bm.Field("v", value)])
    try:
        decoded = _decoder.transform_entry(entry, None)
        return str(decoded.fields[0].value)
    except Exception:  # noqa: BLE001 - undecodable LaTeX is shown as written rather than crashing
        return value


def _strip_braces(value: str) -> str:
    return value.replace("{", "").replace("}", "").strip()


def _nocase(value: str) -> str:
    """`{UK}` spans → CSL-JSON nocase markup, so styles that change case leave them alone."""
    out, depth = [], 0
    for ch in value:
        if ch == "{":
            if depth == 0:
                out.append(_NOCASE_OPEN)
            depth += 1
        elif ch == "}":
            if depth == 0:
                continue
            depth -= 1
            if depth == 0:
                out.append(_NOCASE_CLOSE)
        else:
            out.append(ch)
    if depth > 0:
        out.append(_NOCASE_CLOSE)
    text = "".join(out)
    return text.replace(_NOCASE_OPEN + _NOCASE_CLOSE, "")


# --------------------------------------------------------------------------- CSL-JSON


def _names(value: str, diags: Diagnostics, loc: Location, key: str) -> list[dict[str, str]]:
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    names: list[dict[str, str]] = []
    for person in split_multiple_persons_names(value):
        person = person.strip()
        if not person:
            continue
        if person.lower() == "others":
            names.append({"literal": "others"})
            continue
        # `{{World Health Organization}}` (or `{World Health Organization}`): a corporate name.
        if person.startswith("{") and person.endswith("}") and _balanced_outer(person):
            names.append({"literal": _strip_braces(person)})
            continue
        try:
            parts = parse_single_name_into_parts(person, strict=False)
        except Exception:  # noqa: BLE001 - an odd name is printed as written
            diags.warning(f"cannot split the name '{_strip_braces(person)}' in '{key}'", "bib.name", loc)
            names.append({"literal": _strip_braces(person)})
            continue
        name: dict[str, str] = {}
        family = _strip_braces(" ".join(parts.last))
        if family:
            name["family"] = family
        if parts.first:
            name["given"] = _strip_braces(" ".join(parts.first))
        if parts.von:
            name["non-dropping-particle"] = _strip_braces(" ".join(parts.von))
        if parts.jr:
            name["suffix"] = _strip_braces(" ".join(parts.jr))
        names.append(name or {"literal": _strip_braces(person)})
    return names


def _balanced_outer(value: str) -> bool:
    depth = 0
    for i, ch in enumerate(value):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(value) - 1:
            return False
    return depth == 0


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def _date(value: str) -> dict[str, Any] | None:
    """biblatex `date` (2017, 2017-06, 2017-06-28, ranges with `/`) → CSL date-parts."""
    parts = []
    for piece in value.split("/")[:2]:
        m = _ISO_DATE.fullmatch(piece.strip())
        if not m:
            return {"literal": value} if value else None
        parts.append([int(g) for g in m.groups() if g])
    return {"date-parts": parts}


def _month(value: str) -> int | None:
    v = value.strip().lower().rstrip(".")
    if v.isdigit() and 1 <= int(v) <= 12:
        return int(v)
    return _MONTH_NAMES.get(v) or _MONTHS.get(v[:3])


def _to_csl(key: str, btype: str, fields: dict[str, str], plain: dict[str, str], diags: Diagnostics,
            loc: Location) -> dict[str, Any]:
    ctype = _CSL_TYPES.get(btype, "article")
    csl: dict[str, Any] = {"id": key, "type": ctype}

    def title(name: str) -> str | None:
        return _nocase(fields[name]) if fields.get(name) else None

    for bib_name, csl_name in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if plain.get(bib_name):
            names = _names(fields[bib_name], diags, loc, key)
            if names:
                csl[csl_name] = names

    main = title("title")
    if main and fields.get("subtitle"):
        main = f"{main}: {title('subtitle')}"
    if main:
        csl["title"] = main
    container = title("journaltitle") or title("journal") or title("booktitle") or title("maintitle")
    if container and fields.get("booksubtitle"):
        container = f"{container}: {title('booksubtitle')}"
    if container:
        csl["container-title"] = container
    if fields.get("series"):
        csl["collection-title"] = title("series")
    if fields.get("eventtitle"):
        csl["event"] = title("eventtitle")
        if ctype == "manuscript":
            ctype = csl["type"] = "speech"  # a talk given at an event (Zotero "presentation")
    if plain.get("venue"):
        csl["event-place"] = plain["venue"]

    issued = None
    if plain.get("date"):
        issued = _date(plain["date"])
    elif plain.get("year"):
        year = plain["year"]
        if year.isdigit():
            parts = [int(year)]
            month = _month(plain.get("month", ""))
            if month:
                parts.append(month)
                day = plain.get("day", "")
                if day.isdigit():
                    parts.append(int(day))
            issued = {"date-parts": [parts]}
        else:
            issued = {"literal": year}  # "in press", "forthcoming", ...
    if issued:
        csl["issued"] = issued
    if plain.get("urldate"):
        accessed = _date(plain["urldate"])
        if accessed and "date-parts" in accessed:
            csl["accessed"] = accessed

    for bib_name, csl_name in (("volume", "volume"), ("edition", "edition"), ("isbn", "ISBN"),
                               ("issn", "ISSN"), ("version", "version"), ("language", "language")):
        if plain.get(bib_name):
            csl[csl_name] = plain[bib_name]
    if csl.get("edition"):
        # "2nd" / "Second" → "2": styles print the ordinal themselves ("2nd ed.").
        ed = csl["edition"].strip().lower().rstrip(".")
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?(?: ed(?:ition)?)?", ed)
        words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
        if m:
            csl["edition"] = m.group(1)
        elif ed.split(" ")[0] in words:
            csl["edition"] = str(words[ed.split(" ")[0]])
    if plain.get("number"):
        csl["issue" if ctype in ("article-journal", "periodical") else "number"] = plain["number"]
    if plain.get("issue") and "issue" not in csl:
        csl["issue"] = plain["issue"]
    if plain.get("pages"):
        # Hyphen between numbers: styles choose the range dash (APA: en dash).
        csl["page"] = re.sub(r"\s*[-–—]+\s*", "-", plain["pages"])
    publisher = plain.get("publisher") or plain.get("institution") or plain.get("school") or plain.get("organization")
    if publisher:
        csl["publisher"] = publisher
    place = plain.get("location") or plain.get("address")
    if place:
        csl["publisher-place"] = place
    if plain.get("type"):
        csl["genre"] = plain["type"]
    elif btype == "phdthesis":
        csl["genre"] = "Doctoral dissertation"
    elif btype == "mastersthesis":
        csl["genre"] = "Master's thesis"
    if plain.get("doi"):
        csl["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", plain["doi"].strip(), flags=re.I)
    url = plain.get("url")
    if not url:
        m = re.search(r"https?://\S+", plain.get("howpublished", ""))
        url = m.group(0) if m else None
    if url:
        csl["URL"] = url
    elif plain.get("howpublished") and "publisher" not in csl:
        csl["publisher"] = plain["howpublished"]
    if btype == "misc" and "URL" in csl and "container-title" not in csl:
        csl["type"] = "webpage"
    return csl
