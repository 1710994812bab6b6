"""Compile layer: citeproc-py's objects for one set of cited works, and the memo that makes rendering them cheap."""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, Any, Sequence

from lecturegen.compile.citation_markup import escape_html
from lecturegen.compile.csl_fixes import adapt_item, date_range, fallback_entry, fix_html
from lecturegen.compile.csl_order import group_key, sort_bibliography, suffix_rank, year_suffixes
from lecturegen.model.deck import CitationItem

if TYPE_CHECKING:
    from lecturegen.compile.citations import CitationEngine

# A private-use character standing in for the author: rendering a citation with it and
# without it tells us which part of the output is "the author" (citeproc-py has no
# author-only or suppress-author mode).
SENTINEL = "\ue000"
_LIST_LABEL = re.compile(r"^(?:\[\d+\]|\d+\.)\s*")


# citeproc-py finds a macro, and a locale's term, by an XPath query over the style or locale for every
# `cs:text macro=…` or term it renders and for every group that asks whether a macro calls a variable:
# about 250 macro and 25 term queries per reference in APA, most of the "10 ms per cited key" of a long
# list. The answers depend only on the parsed XML, which nothing changes after parsing, so each is looked
# up once per style (or locale) and question.
_ANSWERS: dict[tuple[str, int], tuple[Any, dict[tuple[Any, ...], Any]]] = {}
MEMOISE_LOOKUPS = True  # off only in the test that compares the text with and without
_MAX_TREES = 64  # styles and locales whose answers are kept (a watch session re-reads a changed .csl)


def _memoised(name: str, lookup: Any, tree_of: Any) -> Any:
    def answer(element: Any, *args: Any, **kwargs: Any) -> Any:
        tree = tree_of(element)
        entry = _ANSWERS.get((name, id(tree)))
        if entry is None or entry[0] is not tree:  # an id reused by a new style after the old one went
            if len(_ANSWERS) >= _MAX_TREES:
                _ANSWERS.clear()
            entry = _ANSWERS[(name, id(tree))] = (tree, {})
        question = (args, tuple(sorted(kwargs.items())))
        found = entry[1].get(question)
        if found is None:  # a lookup that fails raises, and is asked again next time
            found = entry[1][question] = lookup(element, *args, **kwargs)
        return found

    answer.memoised = True  # type: ignore[attr-defined]
    answer.wrapped = lookup  # type: ignore[attr-defined]
    return answer


_PER_ELEMENT: dict[tuple[str, Any], Any] = {}  # (question, element) → answer; the key keeps the element's proxy
_MAX_PER_ELEMENT = 200_000  # answers kept (a style has a few thousand elements; `watch` re-reads changed styles)


def _per_element(name: str, method: Any) -> Any:
    """A question about an element whose answer depends only on the parsed style (where its layout is, whether
    it calls a variable): asked once per element. lxml hands back the same proxy object for a node while one is
    alive, and the key keeps it alive."""
    def answer(element: Any) -> Any:
        key = (name, element)
        found = _PER_ELEMENT.get(key, _PER_ELEMENT)
        if found is _PER_ELEMENT:
            if len(_PER_ELEMENT) >= _MAX_PER_ELEMENT:
                _PER_ELEMENT.clear()
            found = _PER_ELEMENT[key] = method(element)
        return found

    answer.memoised = True  # type: ignore[attr-defined]
    answer.wrapped = method  # type: ignore[attr-defined]
    return answer


def memoise_style_lookups() -> None:
    """Wrap citeproc-py's `get_macro` (per style) and `Locale.get_term` (per locale) with the memo; idempotent.
    The rendered text is the same: tests/compile/test_citeproc_state.py renders with and without it."""
    from citeproc.model import CitationStylesElement, Locale

    if not getattr(CitationStylesElement.get_macro, "memoised", False):
        CitationStylesElement.get_macro = _memoised(
            "macro", CitationStylesElement.get_macro, lambda element: element.get_root())
    if not getattr(Locale.get_term, "memoised", False):
        Locale.get_term = _memoised("term", Locale.get_term, lambda element: element)
    # Where an element's layout is (an XPath query each time) and whether a group calls a variable (a walk over
    # its macros each time): asked hundreds of times for each reference, the same answer for every one.
    from citeproc.model import Parent, Text

    if not getattr(CitationStylesElement.get_layout, "memoised", False):
        CitationStylesElement.get_layout = _per_element("layout", CitationStylesElement.get_layout)
    for owner in (Parent, Text):
        if not getattr(owner.__dict__["calls_variable"], "memoised", False):
            owner.calls_variable = _per_element(f"calls-variable-{owner.__name__}", owner.__dict__["calls_variable"])


class KeyList(list[Any]):
    """citeproc-py's list of registered keys, with a dict beside it: `in` and `index` cost O(1).

    citeproc-py scans the list for every citation it registers (`item.key not in self.keys`) and for every one
    it renders (`bibliography.keys.index(item.key)`): quadratic in the cited keys, 50 million comparisons
    for 10,000 of them. It only ever appends to the list or replaces it whole."""

    def __init__(self, keys: Any = ()) -> None:
        super().__init__(keys)
        self._at: dict[Any, int] = {}
        for position, key in enumerate(self):
            self._at.setdefault(key, position)

    def append(self, key: Any) -> None:
        self._at.setdefault(key, len(self))
        super().append(key)

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def index(self, key: Any, *bounds: Any) -> int:
        if bounds or key not in self._at:
            return super().index(key, *bounds)
        return self._at[key]


def _sort_unless_single(sort: Any) -> Any:
    def sort_items(self: Any, items: Any, context: Any) -> Any:
        if len(items) <= 1:
            return list(items)  # one cite: its sort keys (two macros rendered) cannot change its order
        return sort(self, items, context)

    sort_items.patched = True  # type: ignore[attr-defined]
    sort_items.wrapped = sort  # type: ignore[attr-defined]
    return sort_items


def skip_single_sorts() -> None:
    """citeproc-py sorts every citation's cites by the style's sort keys, rendering their macros, even when the
    citation has one cite: a third of the cost of citing a key. Idempotent."""
    from citeproc.model import Sort

    if not getattr(Sort.sort, "patched", False):
        Sort.sort = _sort_unless_single(Sort.sort)


def forget_style_lookups() -> None:
    """citeproc-py's own lookups again (for the test that the memo changes nothing)."""
    from citeproc.model import CitationStylesElement, Locale, Parent, Sort, Text

    for owner, name in ((CitationStylesElement, "get_macro"), (Locale, "get_term"), (Sort, "sort"),
                        (CitationStylesElement, "get_layout"), (Parent, "calls_variable"), (Text, "calls_variable")):
        wrapped = getattr(owner.__dict__.get(name), "wrapped", None)
        if wrapped is not None:
            setattr(owner, name, wrapped)
    _ANSWERS.clear()
    _PER_ELEMENT.clear()


class CiteprocState:
    """citeproc-py objects for one set of active keys (year suffixes depend on that set)."""

    def __init__(self, engine: CitationEngine, active: list[str]):
        self.engine = engine
        self.order = tuple(active)
        self.active = set(active)
        bib = engine.bib
        suffixes = year_suffixes([bib.entries[k].csl for k in active]) if engine.info.year_suffix else {}
        self.items: dict[str, dict[str, Any]] = {}
        self._group: dict[str, tuple[Any, ...]] = {}
        csl_items, variants, ranged = self._csl_items(suffixes)
        from citeproc import Citation as _CpCitation
        from citeproc import CitationItem as _CpItem
        from citeproc import CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        if MEMOISE_LOOKUPS:
            memoise_style_lookups()
            skip_single_sorts()

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.main = CitationStylesBibliography(engine.style.csl, CiteProcJSON(csl_items), formatter.html)
            self.shadow = CitationStylesBibliography(engine.style.csl, CiteProcJSON(variants), formatter.html)
            self.range_end = (CitationStylesBibliography(engine.style.csl, CiteProcJSON(ranged), formatter.html)
                              if ranged else None)
        for bibliography in (self.main, self.shadow, self.range_end):
            if bibliography is not None:
                bibliography.keys = KeyList(bibliography.keys)
        for item in ranged:
            self.range_end.register(_CpCitation([_CpItem(item["id"])]))  # type: ignore[union-attr]
        self._citations: list[Any] = []
        for citation, keys in engine.registered:
            self._register([i for i in citation.items if i.key in engine.ids])
        for key in active:
            if key not in engine.registered_keys:
                self._register([CitationItem(key)])
        for key in active:
            shadow = _CpCitation([_CpItem(engine.ids[key] + "s")])
            self.shadow.register(shadow)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            authorless = {engine.ids[k] for k, item in self.items.items() if not (item.get("author") or item.get("editor"))}
            sort_bibliography(self.main, authorless)
        self._reorder_suffixed(suffixes)
        self._bib_cache: list[tuple[str, str]] | None = None
        self._cite_memo: dict[tuple[tuple[CitationItem, ...], bool], str] = {}

    def _csl_items(self, suffixes: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                            list[dict[str, Any]]]:
        """The active works as citeproc items (self.items and their groups kept by key), their authorless
        variants (the shadow bibliography) and, for works dated with a range, the range's end."""
        csl_items: list[dict[str, Any]] = []
        variants: list[dict[str, Any]] = []
        ranged: list[dict[str, Any]] = []
        for key, entry in self.engine.bib.entries.items():
            if key not in self.active:
                continue  # citeproc-py parses every item it is given: a 5,000-entry library costs seconds
            item = adapt_item(dict(entry.csl), self.engine.info)
            if key in suffixes:
                item["year-suffix"] = suffixes[key]
            self.items[key] = item
            self._group[key] = group_key(entry.csl)
            item = dict(item, id=self.engine.ids[key])
            csl_items.append(item)
            variant = dict(item, id=self.engine.ids[key] + "s", author=[{"literal": SENTINEL}])
            variant.pop("editor", None)
            variants.append(variant)
            parts = (entry.csl.get("issued") or {}).get("date-parts")
            if parts and len(parts) == 2 and parts[1]:
                # Dated with a range (a conference, 2009-05-15/2009-05-16): also rendered with the end
                # date, and bibliography() merges the two (citeproc-py cannot render a range itself).
                ranged.append(dict(item, id=self.engine.ids[key] + "e", issued={"date-parts": [parts[1]]}))
        return csl_items, variants, ranged

    def _register(self, items: list[CitationItem]) -> None:
        from citeproc import Citation as _CpCitation

        citation = _CpCitation([self._cp_item(i, self.engine.ids[i.key]) for i in items])
        self.main.register(citation)

    @staticmethod
    def _cp_item(item: CitationItem, ident: str) -> Any:
        from citeproc import CitationItem as _CpItem
        from citeproc.source import Locator

        if item.locator:
            return _CpItem(ident, locator=Locator(item.label or "page", item.locator))
        return _CpItem(ident)

    def _reorder_suffixed(self, suffixes: dict[str, str]) -> None:
        # citeproc-py keeps same-author, same-year works in registration order; the
        # letters must run a, b, c down the list.
        if not suffixes:
            return
        keys = [self._key_of(i.key) for i in self.main.items]
        items = list(self.main.items)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for pos, key in enumerate(keys):
            if key in suffixes:
                groups.setdefault(self._group[key], []).append(pos)
        for positions in groups.values():
            ordered = sorted(positions, key=lambda p: suffix_rank(suffixes[keys[p]]))
            originals = [items[p] for p in ordered]
            for slot, item in zip(sorted(positions), originals):
                self.main.items[slot] = item
        self.main.keys = KeyList(i.key for i in self.main.items)

    def _key_of(self, ident: str) -> str:
        return self.engine.keys_by_id.get(ident, ident)

    def cite(self, items: Sequence[CitationItem], sentinel: bool = False) -> str:
        # A key cited in the text and named in the slide's source line ("Sources: Cooper (2005)") is rendered
        # once: a narrative citation starts from the same one-item citation (the engine memoises per marker).
        question = (tuple(items), sentinel)
        text = self._cite_memo.get(question)
        if text is None:
            text = self._cite_memo[question] = self._cite(items, sentinel)
        return text

    def _cite(self, items: Sequence[CitationItem], sentinel: bool) -> str:
        target = self.shadow if sentinel else self.main
        suffix = "s" if sentinel else ""
        from citeproc import Citation as _CpCitation

        citation = _CpCitation([self._cp_item(i, self.engine.ids[i.key] + suffix) for i in items])
        target.register(citation)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = str(target.cite(citation, lambda _item: None))
        except Exception:  # noqa: BLE001 - show the keys rather than crash the build
            text = escape_html("(" + "; ".join(i.key for i in items) + ")")
        return fix_html(text, None, self.engine.info)

    def _with_date_range(self, ident: str, text: str) -> str:
        if self.range_end is None:
            return text
        for cp_item in self.range_end.items:
            if cp_item.key == ident + "e":
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        end = str(self.range_end.style.render_bibliography([cp_item])[0])
                except Exception:  # noqa: BLE001 - the start date alone is still a good entry
                    return text
                # A numeric style's label ("[28]", "28.") counts within its own list: the main one's stays.
                label = _LIST_LABEL.match(text)
                prefix = label.group(0) if label else ""
                return prefix + date_range(text[len(prefix):], _LIST_LABEL.sub("", end, count=1))
        return text

    def bibliography(self) -> list[tuple[str, str]]:
        if self._bib_cache is None:
            out = []
            for cp_item in self.main.items:
                key = self._key_of(cp_item.key)
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        text = str(self.main.style.render_bibliography([cp_item])[0])
                except Exception:  # noqa: BLE001 - one entry citeproc-py cannot render must not sink the list
                    text = fallback_entry(self.items[key])
                else:
                    text = self._with_date_range(cp_item.key, text)
                out.append((key, fix_html(text, self.items.get(key), self.engine.info)))
            self._bib_cache = out
        return self._bib_cache
