"""Compile layer: plain `{{ name.key }}` lookups in user text, resolved without Jinja, and the audience's terms."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

# A template's output may not grow past this many characters (the restricted Jinja path counts the same).
MAX_EXPANDED_TEXT = 100_000
TEMPLATE_MARK = re.compile(r"\{\{|\{%")
_JINJA_NEWLINE = re.compile(r"(\r\n|\r|\n)")
_PLAIN_LOOKUP = re.compile(r"\{\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\}\}")
NOT_PLAIN = object()  # a lookup Jinja would read otherwise than as `variables[name][key]`


class Terms(dict[str, str]):
    """`{{ term.client }}` in content: the audience's word for a term, else the term as written.

    Only marked terms change, so an audience's vocabulary never rewrites a quotation, a citation, a study's
    sample ("342 accounts from clients") or a pair such as "therapists and clients". Plurals and capitals
    follow the marker: `term.clients`, `term.Client`, `term.CLIENTS`.
    """

    def __init__(self, vocabulary: Sequence[tuple[str, str]] = ()):
        super().__init__()
        self.words = {source.lower(): target for source, target in vocabulary}

    def __missing__(self, key: str) -> str:
        lowered = key.lower()
        if lowered in self.words:
            target = self.words[lowered]
        elif lowered.endswith("s") and lowered[:-1] in self.words:
            target = self.words[lowered[:-1]] + "s"
        else:
            return key
        return _match_case(key, target)


def _match_case(found: str, target: str) -> str:
    if found.isupper() and len(found) > 1:
        return target.upper()
    if found[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def plain_lookups(text: str, variables: Mapping[str, object]) -> str | None:
    """Text whose only template code is `{{ name.key }}` lookups, expanded exactly as Jinja would expand it.

    Nearly every marked text is such a lookup (`{{ term.client }}`, `{{ talk.title }}`), and loading Jinja and
    compiling a template costs 30 ms a build; anything else (another expression, a block, a comment, a missing
    key, an attribute, a value that is not text or a number) is None and goes to the restricted Jinja path.
    """
    if "{%" in text or "{#" in text:
        return None
    # As Jinja's lexer reads a template: lines split at \r\n, \r or \n, a last empty one dropped, "\n" joined.
    lines = _JINJA_NEWLINE.split(text)[::2]
    if lines[-1] == "":
        del lines[-1]
    text = "\n".join(lines)
    pieces: list[str] = []
    position = 0
    for found in _PLAIN_LOOKUP.finditer(text):
        if found.start() > 0 and text[found.start() - 1] == "{":
            return None  # "{{{": Jinja's lexer opens the tag one brace earlier
        pieces.append(text[position:found.start()])
        value = lookup(variables, found.group(1), found.group(2))
        if value is NOT_PLAIN or isinstance(value, bool) or value is None:
            return None  # shown, a bool reads "True" and None "None": Jinja's to say
        pieces.append(str(value))
        position = found.end()
    pieces.append(text[position:])
    if any("{{" in piece for piece in pieces[::2]):
        return None  # an expression that is not a plain lookup
    out = "".join(pieces)
    return out if len(out) <= MAX_EXPANDED_TEXT else None


def lookup(variables: Mapping[str, object], name: str, key: str) -> object:
    """`name.key` as Jinja reads it, or NOT_PLAIN when Jinja would read something else (or fail)."""
    root = variables.get(name)
    if not isinstance(root, dict) or hasattr(root, key):
        return NOT_PLAIN
    if not isinstance(root, Terms) and key not in root:
        return NOT_PLAIN
    value = root[key]
    if value is None or isinstance(value, (str, int, float)):
        return value
    return NOT_PLAIN


def code_length(text: str) -> int:
    """Characters of template code in a text: everything inside {{ }} and {% %} (an unclosed tag runs to the end)."""
    total = 0
    position = 0
    while (found := TEMPLATE_MARK.search(text, position)) is not None:
        end = text.find("}}" if found.group() == "{{" else "%}", found.end())
        if end < 0:
            return total + len(text) - found.start()
        total += end + 2 - found.start()
        position = end + 2
    return total


def variable_names(variables: Mapping[str, object], prefix: str = "") -> list[str]:
    """Every `name.key` a template may look up (an audience's terms are open-ended and not listed)."""
    out = []
    for key, value in variables.items():
        if isinstance(value, Terms):
            continue
        if isinstance(value, dict):
            out.extend(variable_names(value, f"{prefix}{key}."))
        else:
            out.append(f"{prefix}{key}")
    return out
