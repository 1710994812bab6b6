"""Compile layer: terminology variants found in text through one token trie, linear in the text (pure)."""

from __future__ import annotations

import re
from dataclasses import field
from typing import Iterator, Sequence

from lecturegen.records import record
from lecturegen.sources.dictionary import MAX_TERM_TOKENS, TermSpec

# A token: a run of word characters, or one character that is neither a word character nor a space. A variant
# matches where its tokens are the text's tokens (in any case, either apostrophe), with a space or more between
# its words and nothing between the tokens of one word, and no word character running on at either end.
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _norm(token: str) -> str:
    return token.replace("’", "'").lower()


@record(frozen=False)
class _Node:
    children: dict[tuple[bool, str], _Node] = field(default_factory=dict)  # (space before?, token) → node
    ends: list[int] = field(default_factory=list)  # the terms one of whose variants ends here


def tokens(text: str) -> list[tuple[bool, str]]:
    """A variant as the trie reads it: (a space before it?, its normalised token) for each token."""
    out: list[tuple[bool, str]] = []
    end = 0
    for match in _TOKEN.finditer(text):
        out.append((bool(out) and match.start() > end, _norm(match.group())))
        end = match.end()
    return out


@record(frozen=False)
class TermIndex:
    """Every variant of every term in one trie of tokens: finding them costs at most MAX_TERM_TOKENS steps a token
    of the text, however many terms there are (one regular expression a term cost 0.25 ms a term a text)."""

    terms: Sequence[TermSpec]
    root: _Node = field(default_factory=_Node)

    def __post_init__(self) -> None:
        for index, term in enumerate(self.terms):
            for variant in term.variants:
                steps = tokens(variant)
                if not steps or len(steps) > MAX_TERM_TOKENS:
                    continue  # the loader refuses these; never a walk longer than the limit
                node = self.root
                for step in steps:
                    node = node.children.setdefault(step, _Node())
                node.ends.append(index)

    def find(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(term index, start, end) of each variant in the text: per term the longest at a place, left to right,
        never overlapping another match of the same term (as a regular expression's `finditer` would)."""
        if not self.root.children:
            return
        found = [(m.start(), m.end(), _norm(m.group()), _is_word(m.group())) for m in _TOKEN.finditer(text)]
        free_from: dict[int, int] = {}  # term → where its last match ended
        for first, (start, _, _, word) in enumerate(found):
            # A variant starting with punctuation must not follow a word character ("x.net" holds no ".net").
            if not word and first and found[first - 1][1] == start and found[first - 1][3]:
                continue
            node: _Node | None = self.root
            longest: dict[int, int] = {}  # term → end of its longest variant here
            previous_end = start
            for index in range(first, len(found)):
                t_start, t_end, t_token, _ = found[index]
                assert node is not None
                node = node.children.get((index > first and t_start > previous_end, t_token))
                if node is None:
                    break
                previous_end = t_end
                if node.ends and _ends_cleanly(found, index):
                    for term in node.ends:
                        longest[term] = t_end
            for term, end in longest.items():
                if start >= free_from.get(term, 0):
                    free_from[term] = end
                    yield term, start, end


def _ends_cleanly(found: list[tuple[int, int, str, bool]], index: int) -> bool:
    """A variant ending with punctuation must not run on into a word ("etc.x")."""
    if found[index][3] or index + 1 == len(found):
        return True
    following = found[index + 1]
    return following[0] > found[index][1] or not following[3]


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"
