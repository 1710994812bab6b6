"""Load layer: one BibTeX/biblatex entry's decoded fields → a CSL-JSON item (types, names, dates, languages)."""

from __future__ import annotations

import re
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.bibtex_latex import nocase, strip_braces
from lecturegen.sources.csl_json import csl_date
from lecturegen.sources.sentence_case import sentence_case_item

# BibTeX and biblatex entry types (as Zotero / Better BibTeX export them) → CSL types.
CSL_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "unpublished": "manuscript",
    "misc": "article",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "periodical": "periodical",
    "inreference": "entry-encyclopedia",
    "reference": "book",
}


# biblatex's localisation keys for `type` → the wording APA 7 uses (10.6: "[Doctoral dissertation, …]").
_TYPE_KEYS = {
    "phdthesis": "Doctoral dissertation",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
}

# babel / polyglossia language names (biblatex `langid`, Better BibTeX's export) → BCP 47 tags, which
# is what CSL's `language` holds and what citeproc-py reads (it title-cases only when a tag starts "en").
_LANGUAGE_TAGS = {
    "english": "en-US", "american": "en-US", "usenglish": "en-US", "british": "en-GB", "ukenglish": "en-GB",
    "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ", "german": "de-DE", "ngerman": "de-DE",
    "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH", "nswissgerman": "de-CH",
    "french": "fr-FR", "acadian": "fr-CA", "canadien": "fr-CA", "dutch": "nl-NL", "flemish": "nl-BE",
    "spanish": "es-ES", "mexican": "es-MX", "italian": "it-IT", "portuguese": "pt-PT", "portuges": "pt-PT",
    "brazil": "pt-BR", "brazilian": "pt-BR", "swedish": "sv-SE", "danish": "da-DK", "norwegian": "nb-NO",
    "norsk": "nb-NO", "nynorsk": "nn-NO", "finnish": "fi-FI", "icelandic": "is-IS", "polish": "pl-PL",
    "czech": "cs-CZ", "slovak": "sk-SK", "slovene": "sl-SI", "hungarian": "hu-HU", "romanian": "ro-RO",
    "greek": "el-GR", "russian": "ru-RU", "ukrainian": "uk-UA", "turkish": "tr-TR", "hebrew": "he-IL",
    "arabic": "ar", "japanese": "ja-JP", "chinese": "zh-CN", "korean": "ko-KR", "catalan": "ca-ES",
    "basque": "eu-ES", "galician": "gl-ES", "irish": "ga-IE", "welsh": "cy-GB", "scottish": "gd-GB",
    "latin": "la", "estonian": "et-EE", "latvian": "lv-LV", "lithuanian": "lt-LT", "croatian": "hr-HR",
    "serbian": "sr-RS", "bulgarian": "bg-BG", "afrikaans": "af-ZA", "hindi": "hi-IN", "thai": "th-TH",
    "vietnamese": "vi-VN", "indonesian": "id-ID", "malay": "ms-MY",
}

# A citation key as the inline parser reads it (compile/inline.py uses the same pattern): Unicode

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}


def _names(value: str, diags: Diagnostics, loc: Location, key: str) -> list[dict[str, str]]:
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    names: list[dict[str, str]] = []
    for person in split_multiple_persons_names(value):
        person = person.strip()
        if not person:
            continue
        if person.lower() == "others":
            names.append({"literal": "others"})
            continue
        # `{{World Health Organization}}` (or `{World Health Organization}`): a corporate name.
        if person.startswith("{") and person.endswith("}") and _balanced_outer(person):
            names.append({"literal": strip_braces(person)})
            continue
        try:
            parts = parse_single_name_into_parts(person, strict=False)
        except Exception:  # noqa: BLE001 - an odd name is printed as written
            diags.warning(f"cannot split the name '{strip_braces(person)}' in '{key}'", "bib.name", loc)
            names.append({"literal": strip_braces(person)})
            continue
        name: dict[str, str] = {}
        family = strip_braces(" ".join(parts.last))
        if family:
            name["family"] = family
        if parts.first:
            name["given"] = strip_braces(" ".join(parts.first))
        if parts.von:
            name["non-dropping-particle"] = strip_braces(" ".join(parts.von))
        if parts.jr:
            name["suffix"] = strip_braces(" ".join(parts.jr))
        names.append(name or {"literal": strip_braces(person)})
    return names


def _balanced_outer(value: str) -> bool:
    depth = 0
    for i, ch in enumerate(value):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(value) - 1:
            return False
    return depth == 0


def _month(value: str) -> int | None:
    v = value.strip().lower().rstrip(".")
    if v.isdigit() and 1 <= int(v) <= 12:
        return int(v)
    return _MONTH_NAMES.get(v) or MONTHS.get(v[:3])


def fields_to_csl(key: str, btype: str, fields: dict[str, str], plain: dict[str, str], diags: Diagnostics,
                  loc: Location) -> dict[str, Any]:
    csl: dict[str, Any] = {"id": key, "type": CSL_TYPES.get(btype, "article")}
    for bib_name, csl_name in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if plain.get(bib_name):
            names = _names(fields[bib_name], diags, loc, key)
            if names:
                csl[csl_name] = names
    _add_titles(csl, fields, plain)
    _add_dates(csl, plain)
    _add_numbers(csl, plain)
    _add_publication(csl, btype, plain)
    _howpublished(csl, plain)
    if btype == "misc" and "URL" in csl and "container-title" not in csl:
        csl["type"] = "webpage"
    sentence_case_item(csl)
    return csl


def _add_titles(csl: dict[str, Any], fields: dict[str, str], plain: dict[str, str]) -> None:
    """The title, the container's and series' titles and the event (a talk at an event becomes a speech)."""
    def title(name: str) -> str | None:
        return nocase(fields[name]) if fields.get(name) else None

    def with_subtitle(main: str | None, subtitle: str) -> str | None:
        return (f"{main}: {title(subtitle)}" if main and fields.get(subtitle) else main) or None

    container = title("journaltitle") or title("journal") or title("booktitle") or title("maintitle")
    for key, value in (("title", with_subtitle(title("title"), "subtitle")), ("title-short", title("shorttitle")),
                       ("container-title", with_subtitle(container, "booksubtitle")),
                       ("container-title-short", title("shortjournal")), ("collection-title", title("series")),
                       ("event", title("eventtitle"))):
        if value is not None:
            csl[key] = value
    if fields.get("eventtitle") and csl["type"] == "manuscript":
        csl["type"] = "speech"  # a talk given at an event (Zotero "presentation")
    if plain.get("venue"):
        csl["event-place"] = plain["venue"]


def _add_dates(csl: dict[str, Any], plain: dict[str, str]) -> None:
    """The event's date, the date issued (a date, or year, month and day; "in press" as written) and accessed."""
    if plain.get("eventdate"):
        event_date = csl_date(plain["eventdate"])
        if event_date:
            csl["event-date"] = event_date
    issued = None
    if plain.get("date"):
        issued = csl_date(plain["date"])
    elif plain.get("year"):
        year = plain["year"]
        if year.isdigit():
            parts = [int(year)]
            month = _month(plain.get("month", ""))
            if month:
                parts.append(month)
                day = plain.get("day", "")
                if day.isdigit():
                    parts.append(int(day))
            issued = {"date-parts": [parts]}
        else:
            issued = {"literal": year}  # "in press", "forthcoming", ...
    if issued:
        csl["issued"] = issued
    if plain.get("urldate"):
        accessed = csl_date(plain["urldate"])
        if accessed and "date-parts" in accessed:
            csl["accessed"] = accessed


_EDITION_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


def _add_numbers(csl: dict[str, Any], plain: dict[str, str]) -> None:
    """Volume, edition (as a bare number), ISBN/ISSN, version, language, issue or number, and pages."""
    for bib_name, csl_name in (("volume", "volume"), ("edition", "edition"), ("isbn", "ISBN"),
                               ("issn", "ISSN"), ("version", "version")):
        if plain.get(bib_name):
            csl[csl_name] = plain[bib_name]
    language = _language_tag(plain.get("langid") or plain.get("language") or "")
    if language:
        csl["language"] = language
    if csl.get("edition"):
        # "2nd" / "Second" → "2": styles print the ordinal themselves ("2nd ed.").
        ed = csl["edition"].strip().lower().rstrip(".")
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?(?: ed(?:ition)?)?", ed)
        if m:
            csl["edition"] = m.group(1)
        elif ed.split(" ")[0] in _EDITION_WORDS:
            csl["edition"] = str(_EDITION_WORDS[ed.split(" ")[0]])
    ctype = csl["type"]
    if plain.get("number"):
        # biblatex's `number` is a journal's issue, or a report's or series' own number.
        csl["issue" if ctype in ("article-journal", "periodical") else "number"] = plain["number"]
    if plain.get("issue") and "issue" not in csl:
        csl["issue"] = plain["issue"]
    if plain.get("eid") and ctype == "article-journal" and "number" not in csl:
        csl["number"] = plain["eid"]  # an article number (APA 7, 10.1: "Article e1234")
    if plain.get("pages"):
        # Hyphen between numbers: styles choose the range dash (APA: en dash).
        csl["page"] = re.sub(r"\s*[-–—]+\s*", "-", plain["pages"])


def _add_publication(csl: dict[str, Any], btype: str, plain: dict[str, str]) -> None:
    """Publisher and its place, the genre (biblatex's type keys in words) and the DOI without its prefix."""
    publisher = plain.get("publisher") or plain.get("institution") or plain.get("school") or plain.get("organization")
    if publisher:
        csl["publisher"] = publisher
    place = plain.get("location") or plain.get("address")
    if place:
        csl["publisher-place"] = place
    genre = plain.get("type", "")
    if genre:
        # biblatex writes localisation keys (`type = {phdthesis}`, Better BibTeX does too); prose as written.
        csl["genre"] = _TYPE_KEYS.get(genre.lower().replace(" ", ""), genre)
    elif btype in _TYPE_KEYS:
        csl["genre"] = _TYPE_KEYS[btype]
    if plain.get("doi"):
        csl["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", plain["doi"].strip(), flags=re.I)


def _howpublished(csl: dict[str, Any], plain: dict[str, str]) -> None:
    """biblatex `howpublished` ("a publication notice"): its URL, if any, is the URL; its text names who
    published the work or, beside a publisher, how ("Leaflet", "Podcast")."""
    url = plain.get("url")
    notice = plain.get("howpublished", "")
    found = re.search(r"https?://\S+", notice)
    if found:
        url = url or found.group(0)
        notice = (notice[: found.start()] + notice[found.end():]).strip(" ,;:.")
    if url:
        csl["URL"] = url
    if not notice:
        return
    if "publisher" not in csl:
        csl["publisher"] = notice
    elif "genre" not in csl:
        csl["genre"] = notice


def _language_tag(value: str) -> str:
    """biblatex `langid`/`language` (babel names such as 'british', or BCP 47 tags) → a BCP 47 tag."""
    first = re.split(r"\s+and\s+|[,;]", value.strip(), maxsplit=1)[0].strip()
    if not first:
        return ""
    tag = _LANGUAGE_TAGS.get(first.lower().replace(" ", "").replace("-", ""))
    if tag:
        return tag
    # Already a tag ("en", "en-GB", "de_DE"): normalised; anything else is kept as written.
    m = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}))?", first)
    if m:
        return m.group(1).lower() + (f"-{m.group(2).upper()}" if m.group(2) else "")
    return first
