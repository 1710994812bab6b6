"""Load layer: BibTeX/biblatex text → located entries (bibtexparser 2 splits; macros, limits and errors here)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location, did_you_mean
from lecturegen.sources.bibliography import KEY_PATTERN, MAX_BIB_ENTRIES, BibEntry, Bibliography
from lecturegen.sources.bibtex_csl import CSL_TYPES, MONTHS, fields_to_csl
from lecturegen.sources.bibtex_latex import LatexDecoder, strip_braces

# Limits, each checked before the work it bounds is done (issue 12: no input may take more than a few
# seconds or a few hundred MB before it is refused). bibtexparser's splitter costs about 2 µs per brace,
# quote, comma, '=' or line break and about 50 µs per block; pylatexenc about 10-25 µs per character.
MAX_BIB_MARKS = 1_000_000  # characters the splitter stops at: braces, quotes, commas, '=', line breaks
MAX_EXPANDED_VALUE = 50_000  # characters in one value built from @string macros and '#'
MAX_EXPANDED_TOTAL = 10_000_000  # characters in every field and @string value of one file together
MAX_LATEX_CHARS = 100_000  # characters handed to pylatexenc (10-25 µs each); past it commands are dropped
MAX_SYNTAX_ERRORS = 50  # syntax errors (and undefined macros) reported one by one; the rest are counted
MAX_MACRO_HINTS = 20  # did-you-mean hints for undefined macros (difflib compares with every name)

# Undated web pages are normal (APA prints "n.d."), so a missing date there is not reported.
_UNDATED_OK = {"online", "www", "electronic"}

# Fields no style prints (Zotero and Better BibTeX export them in bulk): kept as written, never
# LaTeX-decoded, so that a library full of abstracts costs nothing to load.
_UNPRINTED = {"abstract", "annotation", "annote", "comment", "file", "keywords", "mendeley-tags", "note",
              "timestamp", "owner", "groups", "ranking", "readstatus", "priority", "shortauthor", "shorteditor",
              "eprinttype", "eprintclass", "library", "archiveprefix", "primaryclass", "copyright"}

_KEY_FULL = re.compile(KEY_PATTERN)


def parse_bibtex(text: str, display: str, diags: Diagnostics) -> Bibliography:
    """BibTeX or biblatex text → a Bibliography (pure: no file access)."""
    from bibtexparser import model as bm

    if not text.strip():
        diags.warning("bibliography is empty", "bib.empty", Location(display, 1, 1))
        return Bibliography({}, display)
    if not _within_parser_limits(text, display, diags):
        return Bibliography({}, display)
    library = _split_blocks(text, display, diags)
    if library is None:
        return Bibliography({}, display)

    def where(block: Any) -> Location:
        return Location(display, (getattr(block, "start_line", 0) or 0) + 1, 1)

    # Every @string is known before any value is expanded, so a macro may be used above its
    # definition and a loop (`a = b`, `b = a`) is found wherever it starts.
    expander = _Expander(diags)
    for block in library.blocks:
        if isinstance(block, bm.String):
            expander.define(str(block.key), str(block.value), where(block))
    decoder = LatexDecoder(diags, MAX_LATEX_CHARS)

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
            _add_entry(entry, entries, folded, loc, diags)
    expander.report_undefined(display)
    if syntax_errors > MAX_SYNTAX_ERRORS:
        diags.error(f"{syntax_errors - MAX_SYNTAX_ERRORS:,} more blocks cannot be parsed (only the first "
                    f"{MAX_SYNTAX_ERRORS} are shown)", "bib.syntax", Location(display, 1, 1))
    return Bibliography(entries, display)


def _split_blocks(text: str, display: str, diags: Diagnostics) -> Any:
    """bibtexparser's library of blocks, macros left unexpanded; None (reported) when it cannot split the text."""
    # Imported here so that commands which never touch a .bib file stay fast to start.
    import logging

    import bibtexparser

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
        return None
    finally:
        logger.setLevel(level)
    return library


def _add_entry(entry: BibEntry, entries: dict[str, BibEntry], folded: dict[str, str], loc: Location,
               diags: Diagnostics) -> None:
    """The entry kept unless its key is taken already, exactly or in another letter case (reported)."""
    if entry.key in entries:  # bibtexparser reports these itself; belt and braces
        diags.error(f"duplicate key '{entry.key}'", "bib.duplicate-key", loc)
        return
    other = folded.get(entry.key.lower())
    if other is not None:
        # citeproc-py lower-cases keys, so these two would silently become one.
        diags.error(
            f"key '{entry.key}' differs from '{other}' only in letter case", "bib.case-duplicate", loc,
            hint=f"rename one of them; '{other}' is at line {entries[other].location.line}",
        )
        return
    folded[entry.key.lower()] = entry.key
    entries[entry.key] = entry


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


def _entry(block: Any, expander: _Expander, decoder: LatexDecoder, loc: Location,
           diags: Diagnostics) -> BibEntry | None:
    key = unicodedata.normalize("NFC", str(block.key or "").strip())
    btype = str(block.entry_type or "").strip().lower()
    if not key:
        diags.error(f"'@{btype}' entry has no key", "bib.syntax", loc)
        return None
    if not _KEY_FULL.fullmatch(key):
        diags.warning(f"key '{key}' cannot be cited: a citation key is letters, digits and '_', with '-:./+' "
                      "between them", "bib.key", loc, hint=_citable_hint(key))
    if btype not in CSL_TYPES:
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
    plain = {name: strip_braces(value) for name, value in fields.items()}

    missing = []
    if not (plain.get("author") or plain.get("editor")):
        missing.append("author")
    if not plain.get("title"):
        missing.append("title")
    if not (plain.get("year") or plain.get("date")) and btype not in _UNDATED_OK:
        missing.append("year")
    for name in missing:
        diags.warning(f"entry '{key}' has no '{name}' field", "bib.missing-field", loc)

    csl = fields_to_csl(key, btype, fields, plain, diags, loc)
    return BibEntry(key=key, type=btype, fields=plain, location=loc, csl=csl)


@functools.lru_cache(maxsize=256)
def _type_hint(btype: str) -> str:
    return did_you_mean(btype, CSL_TYPES) or "it is formatted as a generic work"


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
        hint = did_you_mean(name.lower(), self.definitions) if len(self.undefined) <= MAX_MACRO_HINTS else None
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
                elif part.lower()[:3] in MONTHS and (month or part.lower() in MONTHS):
                    parts.append(str(MONTHS[part.lower()[:3]]))
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

