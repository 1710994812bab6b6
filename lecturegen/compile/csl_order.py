"""Compile layer: the order of a reference list — APA's collation of citeproc-py's sort keys, and year suffixes."""

from __future__ import annotations

import re
import unicodedata
from functools import cmp_to_key
from typing import Any

_SKIP_ARTICLES = re.compile(r"^(?:a|an|the)\s+", re.I)
# Letters that Unicode does not decompose into a base letter and a mark, spelt as APA's letter-by-letter
# order (and pandoc's collation) treats them; ß comes from casefold().
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
                          "ħ": "h", "ŋ": "n", "ŧ": "t"})


def collation_key(text: str, title: bool = False) -> tuple[str, str]:
    """A sort key that files a letter with its accents where the bare letter goes ("Ólafsdóttir" among the O,
    "Šimić" among the S, "ß" as "ss"; APA 9.44: letter by letter) and, for a title standing in for the
    author, skips a leading "The", "A" or "An" (APA 9.47); the text itself breaks ties."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch)).translate(_LETTERS).strip()
    return (_SKIP_ARTICLES.sub("", bare) if title else bare, text)


def _compare(left: Any, right: Any, titles: tuple[bool, bool]) -> int:
    """citeproc-py's comparison of two sort keys (None last, numbers as numbers), with strings collated."""
    if left is None or right is None:
        return (left is None) - (right is None)
    try:
        left, right = int(str(left)), int(str(right))
    except ValueError:
        left, right = collation_key(str(left), titles[0]), collation_key(str(right), titles[1])
    return (left > right) - (left < right)


def sort_bibliography(bibliography: Any, authorless: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Sort a citeproc-py `CitationStylesBibliography` by its style's `cs:sort` keys, as its own sort() does
    but with strings collated: citeproc-py compares lower-cased code points, which files every name that
    starts outside ASCII after "Z". The keys are citeproc-py's own, rendered by the style's macros; the first
    key of an item in `authorless` (citeproc ids of works without author or editor) is its title."""
    items = list(bibliography.items)
    layout = bibliography.style.root.bibliography.layout if bibliography.style.has_bibliography() else None
    sort = layout.getparent().find("cs:sort", layout.nsmap) if layout is not None else None
    if sort is None or not items:
        return
    columns = [(key.get("sort", "ascending").lower() == "descending", key.sort_keys(items, layout))
               for key in sort.findall("cs:key", sort.nsmap)]

    titled = [item.key in authorless for item in items]

    def compare(a: int, b: int) -> int:
        for column, (descending, values) in enumerate(columns):
            titles = (titled[a], titled[b]) if column == 0 else (False, False)
            result = _compare(values[a], values[b], titles)
            if result:
                return -result if descending and values[a] is not None and values[b] is not None else result
        return 0

    order = sorted(range(len(items)), key=cmp_to_key(compare))
    bibliography.items = [items[i] for i in order]
    bibliography.keys = type(bibliography.keys)(item.key for item in bibliography.items)  # a KeyList stays one




def _name_sig(names: list[dict[str, str]]) -> tuple[tuple[str, str], ...]:
    sig = []
    for n in names:
        if "literal" in n:
            sig.append((n["literal"].lower(), ""))
        else:
            family = " ".join(p for p in (n.get("non-dropping-particle", ""), n.get("family", "")) if p)
            initials = "".join(w[0] for w in re.split(r"[\s.\-]+", n.get("given", "")) if w)
            sig.append((family.lower(), initials.lower()))
    return tuple(sig)


def _plain_title(csl: dict[str, Any]) -> str:
    title = re.sub(r"<[^>]+>", "", str(csl.get("title", "")))
    return _SKIP_ARTICLES.sub("", title).lower()


def year_of(csl: dict[str, Any]) -> str:
    issued = csl.get("issued") or {}
    parts = issued.get("date-parts")
    if parts and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal", "")).lower()


def group_key(csl: dict[str, Any]) -> tuple[Any, ...]:
    names = csl.get("author") or csl.get("editor")
    who: Any = _name_sig(names) if names else ("title", _plain_title(csl))
    return (who, year_of(csl))


def year_suffixes(items: list[dict[str, Any]]) -> dict[str, str]:
    """APA 8.19 / CSL: same author list and year → a, b, c … in title order."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(group_key(item), []).append(item)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (collation_key(_plain_title(i)), str(i["id"])))
        for n, item in enumerate(members):
            out[str(item["id"])] = _letters(n)
    return out


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def suffix_rank(suffix: str) -> tuple[int, str]:
    return (len(suffix), suffix)
