"""Load layer: BibTeX field text → Unicode by pylatexenc, keeping the braces that protect case."""

from __future__ import annotations

import re
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location

MAX_LATEX_CHARS = 100_000  # characters handed to pylatexenc per file (10-25 µs each); past it commands are dropped

# Fields whose text is an identifier: LaTeX decoding would eat `%`, `_` and `~` in them.
VERBATIM = {"url", "doi", "eprint", "file", "urldate", "isbn", "issn", "pmid", "pmcid"}

_MATH = re.compile(r"(?<!\\)\$")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_DASHES = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("~", "\xa0"))
_CONTROL_WORD = re.compile(r"\\[A-Za-z]+\s*")
_CONTROL_SYMBOL = re.compile(r"\\[^A-Za-z\s]")
_URL_MACRO = re.compile(r"\\(?:url|href)\{([^{}]*)\}(?:\{[^{}]*\})?")
# Case-protecting braces travel through pylatexenc as these private-use characters: pylatexenc keeps them
# as text, and its own braces (accent and command arguments, `{\"u}`) are then its to decode.
_OPEN, _CLOSE = "\ue001", "\ue002"
_ARGUMENT = re.compile(r"\\(?:[A-Za-z]+\*?|[^A-Za-z\s])\s*$")

NOCASE_OPEN = '<span class="nocase">'
NOCASE_CLOSE = "</span>"


class LatexDecoder:
    """LaTeX → Unicode for one file, through pylatexenc up to MAX_LATEX_CHARS; text without a backslash or
    a `$` needs no LaTeX parser (dashes and escaped characters only)."""

    def __init__(self, diags: Diagnostics, budget: int = MAX_LATEX_CHARS) -> None:
        self.diags = diags
        self.budget = budget
        self.limit = budget
        self.warned = False

    def decode(self, name: str, value: str, loc: Location) -> str:
        if name in VERBATIM:
            return strip_url_macro(value).strip()
        # `\url{…}` keeps its URL verbatim: LaTeX decoding would eat `%`, `_` and `~` in it.
        urls = [m.group(1) for m in _URL_MACRO.finditer(value)]
        value = _URL_MACRO.sub("\x03", value)
        decoded = self._latex(value, loc)
        for url in urls:
            decoded = decoded.replace("\x03", url, 1)
        return " ".join(decoded.split())

    def _latex(self, value: str, loc: Location) -> str:
        if "\\" not in value and _MATH.search(value) is None:
            return _dashes(value)
        if len(value) > self.budget:
            if not self.warned:
                self.diags.warning(f"more than {self.limit:,} characters of LaTeX commands; from here on "
                                   "commands are removed, not decoded", "bib.latex-limit", loc)
                self.warned = True
            # Commands go, their arguments stay (`\\emph{x}` → "{x}"). No Python code runs per match:
            # a template substitution would cost more than the whole file.
            return _dashes(_CONTROL_SYMBOL.sub("", _CONTROL_WORD.sub("", _unescape(value))).replace("\\", ""))
        self.budget -= len(value)
        # A bare `%` is text in a .bib field, but a comment to pylatexenc (it would drop the rest).
        protected = _mark_protecting_braces(_BARE_PERCENT.sub(r"\\%", value))
        return latex_to_text(protected).replace(_OPEN, "{").replace(_CLOSE, "}")


def _mark_protecting_braces(value: str) -> str:
    """BibTeX's case-protecting braces (`{UK}`, `{{An}}`) → private-use marks; the braces of a command's
    argument (`\\"{u}`, `\\emph{x}`) and of a special character (`{\\"u}`, `{\\ss}`) stay for pylatexenc."""
    out: list[str] = []
    stack: list[bool] = []  # for each open brace: does it protect case?
    for i, ch in enumerate(value):
        if ch == "{" and (i == 0 or value[i - 1] != "\\"):
            protects = not _ARGUMENT.search(value[max(0, i - 40):i]) and value[i + 1:i + 2] != "\\"
            stack.append(protects)
            out.append(_OPEN if protects else ch)
        elif ch == "}" and stack and (i == 0 or value[i - 1] != "\\"):
            out.append(_CLOSE if stack.pop() else ch)
        else:
            out.append(ch)
    return "".join(out)


def _dashes(value: str) -> str:
    for latex, text in _DASHES:
        if latex in value:
            value = value.replace(latex, text)
    return value


def _unescape(value: str) -> str:
    for special in "&%$#_":
        value = value.replace("\\" + special, special)
    return value


def strip_url_macro(value: str) -> str:
    m = _URL_MACRO.fullmatch(value.strip())
    return m.group(1) if m else value


_decoder: Any = None


def latex_to_text(value: str) -> str:
    """pylatexenc, through bibtexparser's middleware (math kept as written, `\\url` as its argument)."""
    global _decoder
    from bibtexparser import middlewares as mw
    from bibtexparser import model as bm

    if _decoder is None:
        import pylatexenc.latex2text as l2t
        from pylatexenc.latex2text import MacroTextSpec

        context = l2t.get_default_latex_context_db()
        context.add_context_category("lecturegen", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
        _decoder = mw.LatexDecodingMiddleware(decoder=l2t.LatexNodes2Text(latex_context=context, math_mode="verbatim"))
    entry = bm.Entry("x", "x", [bm.Field("v", value)])
    try:
        decoded = _decoder.transform_entry(entry, None)
        return str(decoded.fields[0].value)
    except Exception:  # noqa: BLE001 - undecodable LaTeX is shown as written rather than crashing
        return value


def strip_braces(value: str) -> str:
    return value.replace("{", "").replace("}", "").strip()


def nocase(value: str) -> str:
    """`{UK}` spans → CSL-JSON nocase markup, so styles that change case leave them alone."""
    out, depth = [], 0
    for ch in value:
        if ch == "{":
            if depth == 0:
                out.append(NOCASE_OPEN)
            depth += 1
        elif ch == "}":
            if depth == 0:
                continue
            depth -= 1
            if depth == 0:
                out.append(NOCASE_CLOSE)
        else:
            out.append(ch)
    if depth > 0:
        out.append(NOCASE_CLOSE)
    text = "".join(out)
    return text.replace(NOCASE_OPEN + NOCASE_CLOSE, "")
