"""Compile layer: the did-you-mean for an unknown citation key, ranked as people misremember keys."""

from __future__ import annotations

import re
from typing import Iterable

MAX_KEY_HINTS = 20  # unknown keys given a hint (each is compared with every key of the library)

# A key as reference managers build it: an author part, then often title words, then a year
# (`ciez2019`, `ciezExamining2019`, `flückigerAllianceAdultPsychotherapy2018`, `Cooper_2005a`).
_AUTHOR = re.compile(r"[^\W\d_][^\W\d_A-Z]*")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def _parts(key: str) -> tuple[str, str]:
    """(author part, year) of a key, casefolded; either may be empty."""
    author = _AUTHOR.match(key)
    year = _YEAR.search(key)
    return (author.group(0).casefold() if author else "", year.group(1) if year else "")


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def rank_keys(unknown: str, known: Iterable[str]) -> list[str]:
    """Known keys that `unknown` may have meant, best first.

    Edit distance alone suggests `iea2021` for `ciez2019` while `ciezExamining2019` exists: a key
    written from memory keeps its author and year and drops the title words (or the other way round).
    So a candidate scores for the author part and the year it shares, for the prefix it shares, and for
    its similarity (difflib's ratio); one sharing nothing but similarity needs difflib's usual 0.6.
    """
    from difflib import SequenceMatcher

    folded = unknown.casefold()
    author, year = _parts(unknown)
    matcher = SequenceMatcher(b=folded, autojunk=False)
    scored: list[tuple[float, str]] = []
    for key in known:
        other = key.casefold()
        if other == folded:
            return [key]  # the same key in another letter case: citeproc would confuse the two
        other_author, other_year = _parts(key)
        same_author = bool(author) and author == other_author
        same_year = bool(year) and year == other_year
        prefix = _shared_prefix(folded, other)
        if not (same_author or prefix >= 3):
            # Cheap bounds first: difflib's ratio cannot reach 0.6 when the lengths differ this much.
            if 2 * min(len(folded), len(other)) < 0.6 * (len(folded) + len(other)):
                continue
        matcher.set_seq1(other)
        ratio = matcher.ratio()
        if not (same_author or prefix >= 3) and ratio < 0.6:
            continue
        score = ratio + 1.0 * same_author + 0.5 * same_year + 0.5 * min(prefix, 8) / 8
        scored.append((score, key))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for _score, key in scored]


def suggest_keys(unknown: Iterable[str], known: list[str]) -> dict[str, str]:
    """A did-you-mean hint for each unknown key that has a plausible match (the first MAX_KEY_HINTS only)."""
    hints: dict[str, str] = {}
    tried = 0
    for key in dict.fromkeys(unknown):
        if tried >= MAX_KEY_HINTS:
            break
        tried += 1
        ranked = rank_keys(key, known)
        if ranked:
            hints[key] = f"did you mean '{ranked[0]}'?"
    return hints
