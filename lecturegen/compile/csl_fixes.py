"""Compile layer: what the citeproc-py adapter changes in an item before rendering and in the HTML after it."""

from __future__ import annotations

import re
from typing import Any

from lecturegen.compile.citation_markup import escape_html
from lecturegen.compile.csl_order import year_of
from lecturegen.sources.citation_style import StyleInfo


def adapt_item(item: dict[str, Any], info: StyleInfo) -> dict[str, Any]:
    """Style-specific input tweaks for what citeproc-py renders differently from citeproc-js."""
    for name in ("issued", "accessed", "event-date"):
        parts = (item.get(name) or {}).get("date-parts")
        if parts and len(parts) > 1:
            # citeproc-py crashes on date ranges; the start date sorts, and _State prints the range.
            item[name] = {"date-parts": [parts[0]]}
    for name, value in item.items():
        if isinstance(value, str) and _NOCASE_OPEN in value:
            item[name] = whole_word_nocase(value)
    if info.apa and item.get("publisher") and [n.get("literal") for n in item.get("author", [])] == [item["publisher"]]:
        # APA 9.43: a group author that is also the publisher is not repeated.
        item.pop("publisher")
    if info.apa and item.get("type") == "thesis" and item.get("publisher"):
        # APA 7 (10.6): "[Doctoral dissertation, University]" — the institution goes inside
        # the brackets; citeproc-py prints it as a separate publisher sentence.
        genre = item.get("genre") or "Doctoral dissertation"
        item["genre"] = f"{genre}, {item.pop('publisher')}"
        item.pop("publisher-place", None)
    return item


_NOCASE_OPEN = '<span class="nocase">'
_NOCASE_SPAN = re.compile(r'<span class="nocase">(.*?)</span>', re.S)


def whole_word_nocase(markup: str) -> str:
    """Protected spans widened to the whitespace-delimited words they touch: "(<nocase>ITEC</nocase>)" →
    "<nocase>(ITEC)</nocase>".

    citeproc-py changes case word by word, and takes the words of each span apart (`MixedString.words`),
    then joins every word with a space: a protected part of a word became a word of its own, printing
    "Conference & Expo ( ITEC )", "EV s", "Depth : A". Protecting the whole word protects nothing more
    that a style would change (it title-cases only words in lower case, and the protected part is not).
    """
    chars: list[str] = []
    protected: list[bool] = []
    pos = 0
    for m in _NOCASE_SPAN.finditer(markup):
        chars.extend(markup[pos:m.start()])
        protected.extend([False] * (m.start() - pos))
        chars.extend(m.group(1))
        protected.extend([True] * len(m.group(1)))
        pos = m.end()
    chars.extend(markup[pos:])
    protected.extend([False] * (len(markup) - pos))
    start = 0
    for i in range(len(chars) + 1):
        if i == len(chars) or chars[i].isspace():
            if any(protected[start:i]):
                protected[start:i] = [True] * (i - start)
            start = i + 1
    out: list[str] = []
    for i, ch in enumerate(chars):
        if protected[i] and (i == 0 or not protected[i - 1]):
            out.append(_NOCASE_OPEN)
        out.append(ch)
        if protected[i] and (i + 1 == len(chars) or not protected[i + 1]):
            out.append("</span>")
    return "".join(out)


# ---------------------------------------------------------------------- date ranges


def date_range(start: str, end: str) -> str:
    """One entry rendered with its start date and with its end date → one entry with the range
    ("2009, May 15" and "2009, May 16" → "2009, May 15–16"; "April 30–May 2"; across years
    "2019, December 30–2020, January 2"), the shape citeproc-js gives APA's date ranges."""
    if start == end:
        return start
    head = 0
    while head < min(len(start), len(end)) and start[head] == end[head]:
        head += 1
    while head and start[head - 1].isalnum():
        head -= 1
    tail = 0
    while tail < min(len(start), len(end)) - head and start[-1 - tail] == end[-1 - tail]:
        tail += 1
    while tail and start[len(start) - tail].isalnum():
        tail -= 1
    first, last = start[head:len(start) - tail], end[head:len(end) - tail]
    # Only a difference that is a date is merged: anything else means the two renderings differ
    # for another reason, and the start date alone is the safe output.
    if not (0 < len(first) <= 40 and 0 < len(last) <= 40 and re.search(r"\d", first + last)
            and "<" not in first + last):
        return start
    return f"{start[:head]}{first}–{last}{start[len(start) - tail:]}"


def fix_html(text: str, item: dict[str, Any] | None, info: StyleInfo) -> str:
    # A title ending in "?" or "!" takes no extra full stop after it.
    text = re.sub(r"([?!])((?:</[a-z]+>)*[”’\"]?(?:</[a-z]+>)*)\.", r"\1\2", text)
    # A list label ("[1]", "1.") glued to the entry: second-field-align has no column here.
    text = re.sub(r"^(\[\d+\]|\d+\.)(?=\S)", r"\1 ", text)
    if item is not None and item.get("page"):
        text = _fix_page_range(text, str(item["page"]))
    if info.apa:
        # APA capitalises the editor label; citeproc-py ignores text-case on this label.
        text = re.sub(r"\((ed|eds)\.\)", lambda m: f"({m.group(1).capitalize()}.)", text)
        text = re.sub(r", (ed|eds)\.\)", lambda m: f", {m.group(1).capitalize()}.)", text)
        # A term-only group ("Publication") that CSL suppresses when its variables are empty.
        if item is None or not item.get("number"):
            text = text.replace(" (Publication)", "")
        if item is not None and item.get("issue") and not item.get("volume"):
            # An issue whose volume the record lacks prints as a bare ", (9)," that reads as a
            # missing number: name it instead.
            text = re.sub(r", \((\w+)\)(?=[,.])", r", issue \1", text, count=1)
    if item is not None:
        if "accessed" not in item:
            # "Retrieved … from" needs an access date; without one only the URL is printed.
            text = re.sub(r"\bRetrieved (?=https?://)", "", text)
        if item.get("editor") and not item.get("author"):
            # Editors standing in for the author are printed again after the title by
            # citeproc-py (CSL says substituted names are suppressed): drop the repeat.
            text = re.sub(r" \((?:[^()<>]+?),? (?:[Ee]ds?|[Ee]ditors?|[Ee]dited by)\.?\)", "", text, count=1)
    return text


def fallback_entry(item: dict[str, Any]) -> str:
    names = short_names(item)
    year = year_of(item) or "n.d."
    title = re.sub(r"<[^>]+>", "", str(item.get("title", "")))
    return escape_html(f"{names} ({year}). {title}.")


def _fix_page_range(text: str, page: str) -> str:
    """Undo citeproc-py's wrong abbreviated ranges ("1–10" shown as "1–0")."""
    m = re.fullmatch(r"(\d+)-(\d+)", page)
    if not m:
        return text
    first, last = m.groups()

    def check(shown: re.Match[str]) -> str:
        tail = shown.group(1)
        whole = first[: max(0, len(first) - len(tail))] + tail
        return shown.group(0) if whole == last else f"{first}–{last}"

    return re.sub(rf"(?<!\d){first}–(\d+)", check, text)


def short_names(csl: dict[str, Any]) -> str:
    """Author names as prose for numeric styles' narrative citations ("Knox and Cooper")."""
    names = csl.get("author") or csl.get("editor") or []
    fam = [n.get("literal") or " ".join(p for p in (n.get("non-dropping-particle"), n.get("family")) if p)
           for n in names]
    fam = [f for f in fam if f]
    if not fam:
        return re.sub(r"<[^>]+>", "", str(csl.get("title", "")))
    if len(fam) == 1:
        return fam[0]
    if len(fam) == 2:
        return f"{fam[0]} and {fam[1]}"
    return f"{fam[0]} et al."
