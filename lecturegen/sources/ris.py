"""Load layer: RIS (Zotero's, EndNote's, Mendeley's, databases' exports), parsed by rispy → CSL items → entries."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.bibliography import MAX_BIB_ENTRIES, Bibliography
from lecturegen.sources.csl_json import csl_bibliography, csl_date, split_particle

# RIS reference types → CSL types (RIS 2011 specification plus Zotero's and EndNote's usage).
RIS_TYPES = {
    "JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal", "ABST": "article-journal",
    "INPR": "article-journal", "MGZN": "article-magazine", "NEWS": "article-newspaper", "BOOK": "book",
    "EBOOK": "book", "EDBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter", "THES": "thesis", "RPRT": "report",
    "CONF": "paper-conference", "CPAPER": "paper-conference", "ELEC": "webpage", "WEB": "webpage",
    "BLOG": "post-weblog", "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset", "COMP": "software",
    "SLIDE": "speech", "GEN": "article", "STD": "standard", "PAT": "patent", "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary", "MANSCPT": "manuscript", "UNPB": "manuscript", "PAMP": "pamphlet",
    "MAP": "map", "ART": "graphic", "ADVS": "motion_picture", "MPCT": "motion_picture", "VIDEO": "motion_picture",
    "SOUND": "song", "MUSIC": "musical_score", "PCOMM": "personal_communication", "ICOMM": "personal_communication",
    "CASE": "legal_case", "STAT": "legislation", "BILL": "bill", "HEAR": "hearing", "GOVDOC": "report",
    "SER": "book", "CTLG": "book", "CLSWK": "classic",
}
# The container title (T2/JO/JF/BT) of these types is a book or proceedings, a site, a journal …
_SHORT_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "nor",
                          "with", "from", "by", "as", "into", "about", "over", "after", "under"})


def parse_ris(text: str, display: str, diags: Diagnostics) -> Bibliography:
    """RIS text → a Bibliography (pure). A record's key is its `ID` tag when it has one, else the key Better
    BibTeX would give it (first author's family name in lower case, three title words, year)."""
    import rispy

    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"^\ufeff?TY  - ", text, re.M)]
    if len(starts) > MAX_BIB_ENTRIES:
        diags.error(f"bibliography has more than {MAX_BIB_ENTRIES:,} entries", "bib.too-large",
                    Location(display, starts[MAX_BIB_ENTRIES], 1))
        return Bibliography({}, display)
    try:
        records = rispy.loads(text.replace("\r\n", "\n").lstrip("\ufeff"), skip_unknown_tags=False)
    except Exception as exc:  # noqa: BLE001 - rispy must never turn bad input into a traceback
        diags.error(f"cannot parse RIS: {str(exc)[:200]}", "bib.syntax", Location(display, 1, 1))
        return Bibliography({}, display)
    items = []
    for index, record in enumerate(records):
        line = starts[index] if index < len(starts) else 1
        items.append((ris_to_csl(record), Location(display, line, 1)))
    return csl_bibliography(items, display, diags)


def _text(record: dict[str, Any], *names: str) -> str:
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if v)
        if value:
            return unicodedata.normalize("NFC", str(value).strip())
    return ""


def _unknown(record: dict[str, Any], tag: str) -> list[str]:
    return list((record.get("unknown_tag") or {}).get(tag, []))


def ris_to_csl(record: dict[str, Any]) -> dict[str, Any]:
    """One rispy record → a CSL item (not yet normalised: csl_entry does that)."""
    kind = RIS_TYPES.get(str(record.get("type_of_reference", "")).upper(), "article")
    item: dict[str, Any] = {"type": kind}
    authors = record.get("authors") or record.get("first_authors") or []
    editors = (record.get("secondary_authors") or []) + _unknown(record, "ED")
    if authors:
        item["author"] = [ris_name(a) for a in authors]
    if editors and kind in ("chapter", "paper-conference", "book", "entry-encyclopedia", "entry-dictionary"):
        item["editor"] = [ris_name(e) for e in editors]
    if record.get("tertiary_authors") and kind != "thesis":
        item["collection-editor"] = [ris_name(e) for e in record["tertiary_authors"]]
    if record.get("subsidiary_authors"):
        item["translator"] = [ris_name(e) for e in record["subsidiary_authors"]]
    title = _text(record, "title", "primary_title")
    if title:
        item["title"] = title
    container = _text(record, "secondary_title", "journal_name", "alternate_title3") or "; ".join(_unknown(record, "BT"))
    if container:
        item["event-title" if kind == "speech" else "container-title"] = container
    for name, variable in (("tertiary_title", "collection-title"), ("short_title", "title-short"),
                           ("alternate_title1", "container-title-short"), ("volume", "volume"),
                           ("edition", "edition"), ("publisher", "publisher"), ("place_published", "publisher-place"),
                           ("language", "language"), ("type_of_work", "genre"), ("abstract", "abstract")):
        value = _text(record, name)
        if value:
            item[variable] = value
    number = _text(record, "number")
    if number:
        item["issue" if kind in ("article-journal", "article-magazine", "article-newspaper") else "number"] = number
    pages = "-".join(p for p in (_text(record, "start_page"), _text(record, "end_page")) if p)
    if pages:
        item["page"] = re.sub(r"\s*[-–—]+\s*", "-", pages)
    doi = _text(record, "doi")
    if doi:
        item["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    urls = record.get("urls") or []
    if urls:
        item["URL"] = str(urls[0]).strip()
    isbn = _text(record, "issn")
    if isbn:
        item["ISBN" if kind in ("book", "chapter", "report", "thesis") else "ISSN"] = isbn
    issued = ris_date(_text(record, "date", "publication_year", "year"))
    year = _text(record, "year", "publication_year")
    if issued is None and year:
        issued = ris_date(year)
    if issued:
        item["issued"] = issued
    accessed = ris_date(_text(record, "access_date"))
    if accessed:
        item["accessed"] = accessed
    item["id"] = _text(record, "id") or _citation_key_note(record) or generated_key(item)
    return item


def ris_name(value: str) -> dict[str, str]:
    """"Family, Given" (or "Family, Given, Suffix") → a CSL name; a name without a comma is a group's."""
    parts = [p.strip() for p in str(value).split(",")]
    if len(parts) == 1 or not parts[1]:
        return {"literal": parts[0]}
    name = {"family": parts[0], "given": parts[1]}
    if len(parts) > 2 and parts[2]:
        name["suffix"] = parts[2]
    return split_particle(name)


def ris_date(value: str) -> dict[str, Any] | None:
    """RIS dates: `2019`, `2019/05/15/`, `2019/05//`, `2019///other`, ISO `2019-05-15`."""
    value = value.strip()
    if not value:
        return None
    pieces = [p for p in re.split(r"[/-]", value)[:3]]
    numbers = []
    for piece in pieces:
        if not piece.strip().isdigit():
            break
        numbers.append(int(piece))
    if not numbers:
        return csl_date(value)
    return {"date-parts": [numbers]}


def _citation_key_note(record: dict[str, Any]) -> str:
    """Zotero puts the Extra field's `Citation Key: …` line (Better BibTeX's pinned key) into a note."""
    for note in (record.get("notes") or []) + [_text(record, "note")]:
        m = re.search(r"(?:^|\n)\s*Citation Key:\s*(\S+)", str(note))
        if m:
            return m.group(1)
    return ""


def generated_key(item: dict[str, Any]) -> str:
    """Better BibTeX's default key, `auth.lower + shorttitle(3,3) + year`: the first author's (or group's)
    name in lower case without spaces, the title's first three words that are not function words, the year."""
    names = item.get("author") or item.get("editor") or []
    first = names[0] if names else {}
    author = first.get("literal") or " ".join(p for p in (first.get("non-dropping-particle"), first.get("family")) if p)
    author = re.sub(r"[\W\d_]+", "", author.lower())
    words = [w for w in re.findall(r"[^\W\d_]+", item.get("title", "")) if w.lower() not in _SHORT_WORDS][:3]
    title = "".join(w[:1].upper() + w[1:] for w in words)
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    year = str(parts[0][0]) if parts[0] else ""
    return f"{author}{title}{year}" or "untitled"
