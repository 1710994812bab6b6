"""Load layer: BibTeX/biblatex files → located entries with ready-built CSL-JSON items."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import field
from pathlib import Path
from typing import Any

from lecturegen.diagnostics import Diagnostics, Replayed, Location, did_you_mean
from lecturegen.records import record

# Limits, each checked before the work it bounds is done (issue 12: no input may take more than a few
# seconds or a few hundred MB before it is refused). bibtexparser's splitter costs about 2 µs per brace,
# quote, comma, '=' or line break and about 50 µs per block; pylatexenc about 10-25 µs per character.
MAX_BIB_BYTES = 5 * 1024 * 1024
MAX_BIB_ENTRIES = 10_000  # '@' blocks in one file (a large Zotero library)
MAX_BIB_MARKS = 1_000_000  # characters the splitter stops at: braces, quotes, commas, '=', line breaks
MAX_EXPANDED_VALUE = 50_000  # characters in one value built from @string macros and '#'
MAX_EXPANDED_TOTAL = 10_000_000  # characters in every field and @string value of one file together
MAX_LATEX_CHARS = 100_000  # characters handed to the full LaTeX decoder; the rest get the fast path only
MAX_SYNTAX_ERRORS = 50  # syntax errors (and undefined macros) reported one by one; the rest are counted
MAX_KEY_HINTS = 20  # did-you-mean hints worked out (difflib compares with every name: ~0.2 s for 10,000)

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

# Fields no style prints (Zotero and Better BibTeX export them in bulk): kept as written, never
# LaTeX-decoded, so that a library full of abstracts costs nothing to load.
_UNPRINTED = {"abstract", "annotation", "annote", "comment", "file", "keywords", "mendeley-tags", "note",
              "timestamp", "owner", "groups", "ranking", "readstatus", "priority", "shortauthor", "shorteditor",
              "eprinttype", "eprintclass", "library", "archiveprefix", "primaryclass", "copyright"}

# biblatex's localisation keys for `type` → the wording APA 7 uses (10.6: "[Doctoral dissertation, …]").
_TYPE_KEYS = {
    "phdthesis": "Doctoral dissertation",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
}

# babel / polyglossia language names (biblatex `langid`, Better BibTeX's export) → BCP 47 tags, which
# is what CSL's `language` holds and what citeproc-py reads (it title-cases only when a tag starts "en").
_LANGUAGE_TAGS = {
    "english": "en-US", "american": "en-US", "usenglish": "en-US", "british": "en-GB", "ukenglish": "en-GB",
    "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ", "german": "de-DE", "ngerman": "de-DE",
    "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH", "nswissgerman": "de-CH",
    "french": "fr-FR", "acadian": "fr-CA", "canadien": "fr-CA", "dutch": "nl-NL", "flemish": "nl-BE",
    "spanish": "es-ES", "mexican": "es-MX", "italian": "it-IT", "portuguese": "pt-PT", "portuges": "pt-PT",
    "brazil": "pt-BR", "brazilian": "pt-BR", "swedish": "sv-SE", "danish": "da-DK", "norwegian": "nb-NO",
    "norsk": "nb-NO", "nynorsk": "nn-NO", "finnish": "fi-FI", "icelandic": "is-IS", "polish": "pl-PL",
    "czech": "cs-CZ", "slovak": "sk-SK", "slovene": "sl-SI", "hungarian": "hu-HU", "romanian": "ro-RO",
    "greek": "el-GR", "russian": "ru-RU", "ukrainian": "uk-UA", "turkish": "tr-TR", "hebrew": "he-IL",
    "arabic": "ar", "japanese": "ja-JP", "chinese": "zh-CN", "korean": "ko-KR", "catalan": "ca-ES",
    "basque": "eu-ES", "galician": "gl-ES", "irish": "ga-IE", "welsh": "cy-GB", "scottish": "gd-GB",
    "latin": "la", "estonian": "et-EE", "latvian": "lv-LV", "lithuanian": "lt-LT", "croatian": "hr-HR",
    "serbian": "sr-RS", "bulgarian": "bg-BG", "afrikaans": "af-ZA", "hindi": "hi-IN", "thai": "th-TH",
    "vietnamese": "vi-VN", "indonesian": "id-ID", "malay": "ms-MY",
}

# A citation key as the inline parser reads it (compile/inline.py uses the same pattern): Unicode
# letters, digits and `_`, with `-:./+` allowed between them (so "@key." at the end of a sentence works).
KEY_PATTERN = r"[\w\u0300-\u036f]+(?:[-:./+][\w\u0300-\u036f]+)*"
_KEY_FULL = re.compile(KEY_PATTERN)

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


@record
class BibEntry:
    """One bibliography entry: decoded fields plus the CSL-JSON item built from them."""

    key: str
    type: str
    # Decoded text of the fields styles use; the fields no style prints (abstract, file, keywords …)
    # are kept as written.
    fields: dict[str, str] = field(hash=False)
    location: Location
    csl: dict[str, Any] = field(hash=False)


@record
class Bibliography:
    """The entries of one .bib file, by key as written."""

    entries: dict[str, BibEntry] = field(hash=False)
    path: str

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key)

    def keys(self) -> list[str]:
        return list(self.entries)


def load_bibliography(file: Path, display: str, diags: Diagnostics) -> Bibliography:
    """Read a .bib file (size-capped, UTF-8, no links out of the workspace) and parse it."""
    from lecturegen.sources.yamlload import read_text

    text = read_text(file, display, diags, max_bytes=MAX_BIB_BYTES)
    if text is None:
        return Bibliography({}, display)
    return parse_bibliography(text, display, diags)


_PARSED = Replayed(16)


def parse_bibliography(text: str, display: str, diags: Diagnostics) -> Bibliography:
    """Parse BibTeX text into a Bibliography (pure: no file access; memoised by text)."""
    # The limits are part of the key: a library refused under one limit is not served under another.
    key = (display, text, tuple(sorted((k, v) for k, v in globals().items() if k.startswith("MAX_"))))
    hit, cached = _PARSED.get(key, diags)
    if hit:
        return cached  # type: ignore[return-value]
    mark = len(diags.items)
    bib = _parse_bibliography(text, display, diags)
    _PARSED.put(key, bib, diags.items[mark:])
    return bib


def _parse_bibliography(text: str, display: str, diags: Diagnostics) -> Bibliography:
    # Imported here so that commands which never touch a .bib file stay fast to start.
    import bibtexparser
    from bibtexparser import model as bm

    if not text.strip():
        diags.warning("bibliography is empty", "bib.empty", Location(display, 1, 1))
        return Bibliography({}, display)
    if not _within_parser_limits(text, display, diags):
        return Bibliography({}, display)
    # bibtexparser logs each failed block to stderr; we report them as located diagnostics.
    import logging  # only when a bibliography is parsed, not when it comes from the store

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

    def where(block: Any) -> Location:
        return Location(display, (getattr(block, "start_line", 0) or 0) + 1, 1)

    # Every @string is known before any value is expanded, so a macro may be used above its
    # definition and a loop (`a = b`, `b = a`) is found wherever it starts.
    expander = _Expander(diags)
    for block in library.blocks:
        if isinstance(block, bm.String):
            expander.define(str(block.key), str(block.value), where(block))
    decoder = _Decoder(diags)

    entries: dict[str, BibEntry] = {}
    folded: dict[str, str] = {}
    syntax_errors = 0
    for block in library.blocks:
        loc = where(block)
        if isinstance(block, bm.String):
            expander.macro(str(block.key).strip().lower())  # reports loops and oversized values, once
        elif isinstance(block, bm.DuplicateBlockKeyBlock):
            diags.error(f"duplicate key '{block.key}'", "bib.duplicate-key", loc,
                        hint=_first_seen(entries.get(block.key)))
        elif isinstance(block, bm.ParsingFailedBlock):
            syntax_errors += 1
            if syntax_errors > MAX_SYNTAX_ERRORS:
                continue
            message = _failure_message(block)
            hint = "a '{' is not closed before the next entry" if message.startswith("unbalanced") else None
            diags.error(message, "bib.syntax", loc, hint=hint)
        elif isinstance(block, bm.Entry):
            entry = _entry(block, expander, decoder, loc, diags)
            if expander.exhausted:
                break  # this entry's own fields are incomplete: it is not kept either
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
    expander.report_undefined(display)
    if syntax_errors > MAX_SYNTAX_ERRORS:
        diags.error(f"{syntax_errors - MAX_SYNTAX_ERRORS:,} more blocks cannot be parsed (only the first "
                    f"{MAX_SYNTAX_ERRORS} are shown)", "bib.syntax", Location(display, 1, 1))
    return Bibliography(entries, display)


_BLOCK_START = re.compile(r"@\s*[A-Za-z]")
# What bibtexparser's splitter stops at (its _MARK_PATTERN and block starts): each costs it a Python step.
_SPLITTER_MARKS = '{}",=\n@#'


def _within_parser_limits(text: str, display: str, diags: Diagnostics) -> bool:
    """Refuse, before parsing, a file whose blocks or marks would keep bibtexparser busy for minutes."""
    at = Location(display, 1, 1)
    if text.count("@") > MAX_BIB_ENTRIES:
        blocks = 0
        for match in _BLOCK_START.finditer(text):
            blocks += 1
            if blocks > MAX_BIB_ENTRIES:
                line = text.count("\n", 0, match.start()) + 1
                diags.error(f"bibliography has more than {MAX_BIB_ENTRIES:,} entries", "bib.too-large",
                            Location(display, line, 1), hint="split the file or export only the collection the "
                            "talks cite")
                return False
    marks = sum(text.count(ch) for ch in _SPLITTER_MARKS)
    if marks > MAX_BIB_MARKS:
        diags.error(f"bibliography has {marks:,} structural characters (braces, quotes, commas, line breaks, "
                    f"'=', '@' and '#'; the limit is {MAX_BIB_MARKS:,})", "bib.too-large", at,
                    hint="export only the collection the talks cite")
        return False
    return True


# --------------------------------------------------------------------------- entries


def _entry(block: Any, expander: _Expander, decoder: _Decoder, loc: Location,
           diags: Diagnostics) -> BibEntry | None:
    key = unicodedata.normalize("NFC", str(block.key or "").strip())
    btype = str(block.entry_type or "").strip().lower()
    if not key:
        diags.error(f"'@{btype}' entry has no key", "bib.syntax", loc)
        return None
    if not _KEY_FULL.fullmatch(key):
        diags.warning(f"key '{key}' cannot be cited: a citation key is letters, digits and '_', with '-:./+' "
                      "between them", "bib.key", loc, hint=_citable_hint(key))
    if btype not in _CSL_TYPES:
        hint = _type_hint(btype)
        diags.warning(f"unknown entry type '@{btype}' for '{key}'", "bib.unknown-type", loc, hint=hint)

    raw: dict[str, str] = {}
    for f in block.fields:
        name = str(f.key).strip().lower()
        if name in raw:
            diags.warning(f"field '{name}' appears twice in '{key}'; the first is used", "bib.duplicate-field",
                          Location(loc.path, (getattr(f, "start_line", 0) or 0) + 1, 1))
            continue
        raw[name] = expander.value(str(f.value), loc, f"field '{name}' of '{key}'", month=(name == "month"))

    fields = {name: (value if name in _UNPRINTED else decoder.decode(name, value, loc))
              for name, value in raw.items()}
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


@functools.lru_cache(maxsize=256)
def _type_hint(btype: str) -> str:
    return did_you_mean(btype, _CSL_TYPES) or "it is formatted as a generic work"


def _citable_hint(key: str) -> str:
    suggestion = "".join(ch if re.match(r"[\w\u0300-\u036f]", ch) else "-" for ch in key).strip("-")
    suggestion = re.sub(r"-{2,}", "-", suggestion)
    return f"rename it, for example '{suggestion}'" if suggestion and _KEY_FULL.fullmatch(suggestion) else \
        "rename it"


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
    if sep not in value:
        return [value]
    parts, depth, quoted, start = [], 0, False, 0
    for m in re.finditer(r'[{}"' + re.escape(sep) + "]", value):  # only the characters that matter
        ch, i = m.group(), m.start()
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


class _Expander:
    """Expands field values: `{..}`, `".."`, numbers, @string macros, months and `a # b`.

    Sizes are added up before a string is built, so `@string{b = a # a}` repeated forty times is
    refused at the first value past MAX_EXPANDED_VALUE instead of after building 10 GB; macros are
    resolved on first use (memoised), which is where a reference loop shows up.
    """

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags
        self.definitions: dict[str, tuple[str, Location]] = {}
        self.resolved: dict[str, str] = {}
        self.resolving: list[str] = []
        self.total = 0
        self.exhausted = False
        self.undefined: dict[str, int] = {}

    def define(self, name: str, raw: str, loc: Location) -> None:
        # As in BibTeX, a later @string with the same name replaces the earlier one.
        self.definitions[name.strip().lower()] = (raw, loc)

    def macro(self, name: str) -> str | None:
        """The value of @string `name`, or None when there is no such macro."""
        if name in self.resolved:
            return self.resolved[name]
        if name not in self.definitions:
            return None
        raw, loc = self.definitions[name]
        if name in self.resolving:
            cycle = self.resolving[self.resolving.index(name):] + [name]
            self.diags.error(f"string macro '{cycle[0]}' refers to itself ("
                             + " → ".join(f"'{n}'" for n in cycle) + ")", "bib.string-loop",
                             self.definitions[cycle[0]][1],
                             hint="a macro may not use itself, directly or through other macros")
            for member in cycle:
                self.resolved[member] = ""  # reported once; every use of the loop is then empty
            return ""
        self.resolving.append(name)
        try:
            value = self.value(raw, loc, f"string macro '{name}'")
        finally:
            self.resolving.pop()
        return self.resolved.setdefault(name, value)

    def _undefined(self, name: str, loc: Location) -> None:
        # Once per name, and with a did-you-mean (difflib against every macro) for the first few only.
        self.undefined[name.lower()] = self.undefined.get(name.lower(), 0) + 1
        if self.undefined[name.lower()] > 1 or len(self.undefined) > MAX_SYNTAX_ERRORS:
            return
        hint = did_you_mean(name.lower(), self.definitions) if len(self.undefined) <= MAX_KEY_HINTS else None
        self.diags.warning(f"undefined string macro '{name}'", "bib.undefined-string", loc, hint=hint)

    def report_undefined(self, display: str) -> None:
        unreported = len(self.undefined) - MAX_SYNTAX_ERRORS
        if unreported > 0:
            self.diags.warning(f"{unreported:,} more undefined string macros (only the first {MAX_SYNTAX_ERRORS} "
                               "are shown)", "bib.undefined-string", Location(display, 1, 1))

    def value(self, raw: str, loc: Location, what: str, month: bool = False) -> str:
        parts: list[str] = []
        expanded = False
        for part in _split_top(raw.strip(), "#"):
            part = part.strip()
            if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
                parts.append(part[1:-1])
            elif part.isdigit() or not part:
                parts.append(part)
            else:
                expanded = True
                value = self.macro(part.lower())
                if value is not None:
                    parts.append(value)
                elif part.lower()[:3] in _MONTHS and (month or part.lower() in _MONTHS):
                    parts.append(str(_MONTHS[part.lower()[:3]]))
                else:
                    self._undefined(part, loc)
                    parts.append(part)
        size = sum(len(p) for p in parts)
        if (expanded or len(parts) > 1) and size > MAX_EXPANDED_VALUE:
            self.diags.error(f"{what} expands to {size:,} characters (the limit is {MAX_EXPANDED_VALUE:,})",
                             "bib.string-too-large", loc, hint="@string macros and '#' joins make it this long")
            return ""
        if self.total + size > MAX_EXPANDED_TOTAL:
            if not self.exhausted:
                self.diags.error(f"the bibliography expands to more than {MAX_EXPANDED_TOTAL:,} characters; "
                                 "the entries from here on are not read", "bib.too-large", loc)
            self.exhausted = True
            return ""
        self.total += size
        return "".join(parts)


class _Decoder:
    """LaTeX → Unicode, keeping the braces that protect case. Accents, escaped characters and dashes
    take a fast path (pylatexenc costs 10-25 µs a character); pylatexenc, through bibtexparser's
    middleware, gets the rest, up to MAX_LATEX_CHARS per file."""

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags
        self.budget = MAX_LATEX_CHARS
        self.warned = False

    def decode(self, name: str, value: str, loc: Location) -> str:
        if name in _VERBATIM:
            return _strip_url_macro(value).strip()
        # `\url{…}` keeps its URL verbatim: LaTeX decoding would eat `%`, `_` and `~` in it.
        urls = [m.group(1) for m in _URL_MACRO.finditer(value)]
        value = _URL_MACRO.sub("\x03", value)
        decoded = self._latex(value, loc)
        for url in urls:
            decoded = decoded.replace("\x03", url, 1)
        return " ".join(decoded.split())

    def _latex(self, value: str, loc: Location) -> str:
        if "\\" in value:
            value = _decode_accents(value)  # letters only: safe to do before pylatexenc too
        math = _MATH.search(value) is not None
        if not math:
            escaped = _unescape(value) if "\\" in value else value
            if "\\" not in escaped:
                return _dashes(escaped)
        if len(value) > self.budget:
            if not self.warned:
                self.diags.warning(f"more than {MAX_LATEX_CHARS:,} characters of LaTeX commands; from here on "
                                   "only accents, dashes and escaped characters are decoded", "bib.latex-limit", loc)
                self.warned = True
            # Other commands go, their arguments stay (`\\emph{x}` → "{x}"). No Python code runs per match:
            # a template substitution would cost more than the whole file.
            return _dashes(_CONTROL_WORD.sub("", _unescape(value)).replace("\\", ""))
        self.budget -= len(value)
        # A bare `%` is text in a .bib field, but a comment to pylatexenc (it would drop the rest).
        return _latex_to_text(_BARE_PERCENT.sub(r"\\%", value))


# Accent commands → combining characters, as pylatexenc decodes them.
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
            "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_SYMBOLS = {"o": "ø", "O": "Ø", "ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
# `\i` is a control word: like `\o` it takes `{}` or the spaces after it ("\'\i M" is "íM").
_LETTER = r"(?:[A-Za-z]|\\[ij](?![A-Za-z])(?:\{\}|\s*))"
_ACCENT_BODY = (r"(?:(?P<sym>[\"'`^~=.])\s*(?:\{(?P<a>" + _LETTER + r")\}|(?P<b>" + _LETTER + r"))"
                r"|(?P<word>[cvuHkrdb])(?:\{(?P<c>" + _LETTER + r")\}|\s+(?P<d>" + _LETTER + r")))")
_FAST = re.compile(
    r"\{\\" + _ACCENT_BODY.replace("?P<", "?P<g") + r"\}"    # {\"u}
    r"|\\" + _ACCENT_BODY                                       # \"u, \"{u}, \c{c}, \c c
    + r"|\{\\(?P<gsymbol>ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)\}"  # {\o}
    + r"|\\(?P<symbol>ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s*)"  # \o, \o{}
)
# Escaped specials (`\\&`, `\\%` …) are decoded only when nothing is left for pylatexenc: before it they
# would turn into a comment (`%`), math (`$`) or an alignment (`&`).
_MATH = re.compile(r"(?<!\\)\$")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_DASHES = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("~", "\xa0"))


def _decode_accents(value: str) -> str:
    """Accents (`{\\"u}`, `\\"{u}`, `\\c c`) and `\\o`-style letters → Unicode, as pylatexenc decodes them."""

    def replace(m: re.Match[str]) -> str:
        # The braced forms' groups carry a "g" prefix (a regex may not name two groups alike).
        groups = {k.lstrip("g"): v for k, v in m.groupdict().items() if v is not None}
        if "symbol" in groups:
            return _SYMBOLS[groups["symbol"]]
        accent = groups.get("sym") or groups["word"]
        letter = next(groups[k] for k in ("a", "b", "c", "d") if k in groups)
        base = {"\\i": "i", "\\j": "j"}.get(letter[:2], letter)
        return unicodedata.normalize("NFC", base + _ACCENTS[accent])

    return _FAST.sub(replace, value)


def _dashes(value: str) -> str:
    for latex, text in _DASHES:
        if latex in value:
            value = value.replace(latex, text)
    return value


_CONTROL_WORD = re.compile(r"\\[A-Za-z]+\s*")


def _unescape(value: str) -> str:
    for special in "&%$#_":
        value = value.replace("\\" + special, special)
    return value


_URL_MACRO = re.compile(r"\\(?:url|href)\{([^{}]*)\}(?:\{[^{}]*\})?")


def _strip_url_macro(value: str) -> str:
    m = _URL_MACRO.fullmatch(value.strip())
    return m.group(1) if m else value


_decoder: Any = None


def _latex_to_text(value: str) -> str:
    """pylatexenc, through bibtexparser's middleware, with every non-empty braced group kept: a
    one-letter `{A}` protects case as much as `{UK}` does (the middleware's default drops it)."""
    global _decoder
    from bibtexparser import middlewares as mw
    from bibtexparser import model as bm

    if _decoder is None:
        import pylatexenc.latex2text as l2t
        from pylatexenc.latex2text import MacroTextSpec

        context = l2t.get_default_latex_context_db()
        context.add_context_category("lecturegen", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
        _decoder = mw.LatexDecodingMiddleware(decoder=l2t.LatexNodes2Text(
            latex_context=context, keep_braced_groups=True, keep_braced_groups_minlen=1, math_mode="verbatim"))
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
    if fields.get("shorttitle"):
        csl["title-short"] = title("shorttitle")
    container = title("journaltitle") or title("journal") or title("booktitle") or title("maintitle")
    if container and fields.get("booksubtitle"):
        container = f"{container}: {title('booksubtitle')}"
    if container:
        csl["container-title"] = container
    if fields.get("shortjournal"):
        csl["container-title-short"] = title("shortjournal")
    if fields.get("series"):
        csl["collection-title"] = title("series")
    if fields.get("eventtitle"):
        csl["event"] = title("eventtitle")
        if ctype == "manuscript":
            ctype = csl["type"] = "speech"  # a talk given at an event (Zotero "presentation")
    if plain.get("venue"):
        csl["event-place"] = plain["venue"]
    if plain.get("eventdate"):
        event_date = _date(plain["eventdate"])
        if event_date:
            csl["event-date"] = event_date

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
                               ("issn", "ISSN"), ("version", "version")):
        if plain.get(bib_name):
            csl[csl_name] = plain[bib_name]
    language = _language_tag(plain.get("langid") or plain.get("language") or "")
    if language:
        csl["language"] = language
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
        # biblatex's `number` is a journal's issue, or a report's or series' own number.
        csl["issue" if ctype in ("article-journal", "periodical") else "number"] = plain["number"]
    if plain.get("issue") and "issue" not in csl:
        csl["issue"] = plain["issue"]
    if plain.get("eid") and ctype == "article-journal" and "number" not in csl:
        csl["number"] = plain["eid"]  # an article number (APA 7, 10.1: "Article e1234")
    if plain.get("pages"):
        # Hyphen between numbers: styles choose the range dash (APA: en dash).
        csl["page"] = re.sub(r"\s*[-–—]+\s*", "-", plain["pages"])
    publisher = plain.get("publisher") or plain.get("institution") or plain.get("school") or plain.get("organization")
    if publisher:
        csl["publisher"] = publisher
    place = plain.get("location") or plain.get("address")
    if place:
        csl["publisher-place"] = place
    genre = plain.get("type", "")
    if genre:
        # biblatex writes localisation keys (`type = {phdthesis}`, Better BibTeX does too); prose as written.
        csl["genre"] = _TYPE_KEYS.get(genre.lower().replace(" ", ""), genre)
    elif btype in _TYPE_KEYS:
        csl["genre"] = _TYPE_KEYS[btype]
    if plain.get("doi"):
        csl["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", plain["doi"].strip(), flags=re.I)
    _howpublished(csl, plain)
    if btype == "misc" and "URL" in csl and "container-title" not in csl:
        csl["type"] = "webpage"
    return csl


def _howpublished(csl: dict[str, Any], plain: dict[str, str]) -> None:
    """biblatex `howpublished` ("a publication notice"): its URL, if any, is the URL; its text names who
    published the work or, beside a publisher, how ("Leaflet", "Podcast")."""
    url = plain.get("url")
    notice = plain.get("howpublished", "")
    found = re.search(r"https?://\S+", notice)
    if found:
        url = url or found.group(0)
        notice = (notice[: found.start()] + notice[found.end():]).strip(" ,;:.")
    if url:
        csl["URL"] = url
    if not notice:
        return
    if "publisher" not in csl:
        csl["publisher"] = notice
    elif "genre" not in csl:
        csl["genre"] = notice


def _language_tag(value: str) -> str:
    """biblatex `langid`/`language` (babel names such as 'british', or BCP 47 tags) → a BCP 47 tag."""
    first = re.split(r"\s+and\s+|[,;]", value.strip(), maxsplit=1)[0].strip()
    if not first:
        return ""
    tag = _LANGUAGE_TAGS.get(first.lower().replace(" ", "").replace("-", ""))
    if tag:
        return tag
    # Already a tag ("en", "en-GB", "de_DE"): normalised; anything else is kept as written.
    m = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}))?", first)
    if m:
        return m.group(1).lower() + (f"-{m.group(2).upper()}" if m.group(2) else "")
    return first
