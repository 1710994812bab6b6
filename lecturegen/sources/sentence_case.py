"""Load layer: English BibTeX titles in sentence case, as pandoc converts them before citeproc sees them."""

from __future__ import annotations

import re


# The container of these types is a book (sentence case, APA 6.17); for every other type it is a
# journal, magazine, newspaper or website, whose name keeps its capitals. Event (conference) names
# and series names are proper names too and are never converted (pandoc converts event titles:
# APA 10.5 prints "2019 Annual Convention of the American Psychological Association").
BOOK_CONTAINERS = frozenset({"chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary", "entry"})
TITLE_VARIABLES = ("title", "title-short")
_MARKUP_TOKEN = re.compile(r"<[^<>]*>|[^<]+|<")
_TEXT_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:['’][\w\u0300-\u036f]+)*|\s+|.", re.DOTALL)
_START, _SUBTITLE, _SENTENCE, _MIDDLE = "start", "subtitle", "sentence", "middle"


def is_english(language: object) -> bool:
    """CSL `language` absent, "en" or "en-…" (pandoc: an entry without `langid` is English)."""
    if not isinstance(language, str) or not language.strip():
        return True
    tag = language.strip().lower()
    return tag == "en" or tag.startswith(("en-", "en_"))


def to_sentence_case(markup: str) -> str:
    """A CSL-JSON title ("Therapist Empathy and Client Outcome: An Updated Meta-Analysis") in sentence
    case ("Therapist empathy and client outcome: An updated meta-analysis"), as pandoc converts
    BibTeX titles: words in `<span class="nocase">` (BibTeX braces) are kept, and so are acronyms (all
    capitals), words with inner capitals ("iPhone", "McLeod", "O'Brien"), the pronoun "I" and initials
    ("R."); the first word of the title and of a subtitle (after ": ", "? ", "! ") is capitalised.
    Already sentence-case titles come back unchanged."""
    out: list[str] = []
    spans: list[bool] = []  # open <span>s, True for nocase
    state = _START
    for token in _MARKUP_TOKEN.findall(markup):
        if len(token) > 1 and token[0] == "<" and token[-1] == ">":
            if token.startswith("</span"):
                if spans:
                    spans.pop()
            elif token.startswith("<span"):
                spans.append('class="nocase"' in token)
            out.append(token)
            continue
        if any(spans):
            out.append(token)
            # A protected word still takes the place of the first word after a colon.
            if re.search(r"[\w\u0300-\u036f]", token):
                state = _MIDDLE
            continue
        text, state = _sentence_case_text(token, state)
        out.append(text)
    return "".join(out)


def _sentence_case_text(text: str, state: str) -> tuple[str, str]:
    out: list[str] = []
    pending: str | None = None
    tokens = _TEXT_TOKEN.findall(text)
    for index, token in enumerate(tokens):
        if token[0].isspace():
            if pending:
                state, pending = pending, None
            out.append(token)
            continue
        if not (token[0].isalnum() or token[0] == "_" or "\u0300" <= token[0] <= "\u036f"):
            pending = {":": _SUBTITLE, "?": _SUBTITLE, "!": _SUBTITLE, ".": _SENTENCE}.get(token, pending)
            out.append(token)
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        out.append(_case_word(token, state, following))
        state, pending = _MIDDLE, None
    return "".join(out), state


def _case_word(word: str, state: str, following: str) -> str:
    capitalised = word[0].isupper() and (len(word) == 1 or word[1:].islower())
    if state in (_START, _SUBTITLE):
        return word[0].upper() + word[1:] if capitalised or word.islower() else word
    if state == _SENTENCE or not capitalised:
        return word  # after "e.g. " or "Dr. " a full stop does not prove a new sentence: keep the word as is
    if word == "I" or word.startswith(("I'", "I’")) or (len(word) == 1 and following == "."):
        return word  # the pronoun, and initials ("Carl R. Rogers")
    return word.lower()


def sentence_case_item(item: dict[str, object]) -> None:
    """Titles of an English item (and the book title around a chapter or paper) in sentence case, in place.

    CSL stores titles in sentence case and leaves it to each style to title-case them. BibTeX exports
    (Zotero's, Better BibTeX's) write Title Case, protecting in braces what must keep its capitals; so a
    BibTeX title is converted, as pandoc converts it. CSL-JSON, CSL-YAML and RIS carry titles as the
    library stores them, and are left alone (pandoc too leaves them alone)."""
    if not is_english(item.get("language")) or item.get("type") == "periodical":
        return
    names = TITLE_VARIABLES + (("container-title",) if item.get("type") in BOOK_CONTAINERS else ())
    for name in names:
        value = item.get(name)
        if isinstance(value, str):
            item[name] = to_sentence_case(value)
