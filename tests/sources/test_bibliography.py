"""Tests for the BibTeX load layer: decoding, CSL-JSON building and located diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.bibliography import load_bibliography, parse_bibliography

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bib"


def _load(name: str) -> tuple[object, Diagnostics]:
    diags = Diagnostics()
    bib = load_bibliography(FIXTURES / name, f"bib/{name}", diags)
    return bib, diags


def test_awkward_fixture_decodes_accents_strings_and_corporate_authors() -> None:
    bib, diags = _load("awkward.bib")
    assert diags.items == []
    muller = bib.get("muller2019")
    assert muller is not None
    assert muller.type == "article"
    assert muller.fields["author"] == "Müller, Jörg and Cooper, Mick"
    assert muller.fields["journal"] == "Psychotherapy Research"  # from @string
    assert muller.fields["pages"] == "410–422"
    assert muller.location.line == 4
    assert muller.csl["author"][0] == {"family": "Müller", "given": "Jörg"}
    assert muller.csl["title"] == 'Relational depth in <span class="nocase">Germany</span>: <span class="nocase">A</span> survey'
    assert muller.csl["page"] == "410-422"
    assert muller.csl["DOI"] == "10.1000/example.2019.1"

    who = bib.get("who2022")
    assert who.csl["author"] == [{"literal": "World Health Organization"}]
    assert who.csl["issued"] == {"date-parts": [[2022, 6, 16]]}
    assert who.csl["type"] == "report"
    assert who.csl["publisher-place"] == "Geneva"

    online = bib.get("bacp2023")
    assert online.csl["type"] == "webpage"
    assert online.csl["URL"] == "https://www.bacp.co.uk/about-therapy/what-is-counselling/"
    assert online.csl["accessed"] == {"date-parts": [[2024, 3, 5]]}
    assert bib.get("mearns2018").csl["edition"] == "2"
    assert bib.get("price2012").csl["genre"] == "Doctoral dissertation"
    assert bib.get("MULLER2019") is None  # get() is exact


def test_months_concatenation_particles_and_urls() -> None:
    text = r"""@string{jhp = {Journal of Humanistic Psychology}}
@article{veer2020,
  author  = {Di Malta, Gina S. and van der Veer, Kees and {\O}stergaard, P.},
  title   = {Caf\'e \& na\"ive: {Rogers's} ``conditions''},
  journal = jhp # { (online)},
  year    = 2020,
  month   = oct,
  howpublished = {\url{https://example.org/a_b%20c}},
}
"""
    diags = Diagnostics()
    bib = parse_bibliography(text, "refs.bib", diags)
    entry = bib.get("veer2020")
    assert diags.items == []
    assert entry.fields["journal"] == "Journal of Humanistic Psychology (online)"
    assert entry.csl["issued"] == {"date-parts": [[2020, 10]]}
    assert entry.csl["author"][1] == {"family": "Veer", "given": "Kees", "non-dropping-particle": "van der"}
    assert entry.csl["author"][2]["family"] == "Østergaard"
    assert entry.fields["title"] == "Café & naïve: Rogers's “conditions”"
    assert entry.csl["URL"] == "https://example.org/a_b%20c"


def test_errors_are_located_and_rendered_exactly() -> None:
    diags = Diagnostics()
    text = (FIXTURES / "errors.bib").read_text(encoding="utf-8")
    bib = parse_bibliography(text, "bibliography.bib", diags)
    assert [d.render() for d in diags.sorted()] == [
        "bibliography.bib:13:1: error: duplicate key 'cooper2005' (the first 'cooper2005' is at line 2) "
        "[bib.duplicate-key]",
        "bibliography.bib:18:1: warning: unknown entry type '@artcle' for 'typo2001' (did you mean 'article'?) "
        "[bib.unknown-type]",
        "bibliography.bib:23:1: error: key 'cooper2005B' differs from 'Cooper2005b' only in letter case "
        "(rename one of them; 'Cooper2005b' is at line 8) [bib.case-duplicate]",
        "bibliography.bib:28:1: warning: entry 'notitle2010' has no 'title' field [bib.missing-field]",
        "bibliography.bib:32:1: error: unbalanced braces in '@article{broken2011' "
        "(a '{' is not closed before the next entry) [bib.syntax]",
    ]
    # The first of a duplicate wins, and parsing resumes after a broken block.
    assert bib.keys() == ["cooper2005", "Cooper2005b", "typo2001", "notitle2010", "after2012"]
    assert bib.get("cooper2005").fields["title"] == "First"


def test_missing_author_and_year_are_reported() -> None:
    diags = Diagnostics()
    parse_bibliography("\n@book{anon,\n  title = {No one}\n}\n", "b.bib", diags)
    assert [d.render() for d in diags.items] == [
        "b.bib:2:1: warning: entry 'anon' has no 'author' field [bib.missing-field]",
        "b.bib:2:1: warning: entry 'anon' has no 'year' field [bib.missing-field]",
    ]


def test_undated_online_entries_need_no_year() -> None:
    diags = Diagnostics()
    parse_bibliography("@online{site, author = {A, B}, title = {T}, url = {https://x.org}}", "b.bib", diags)
    assert diags.items == []


def test_empty_file_gives_an_empty_bibliography(tmp_path: Path) -> None:
    file = tmp_path / "empty.bib"
    file.write_text("", encoding="utf-8")
    diags = Diagnostics()
    bib = load_bibliography(file, "empty.bib", diags)
    assert bib.keys() == []
    assert [d.code for d in diags.items] == ["bib.empty"]
    assert not diags.has_errors


def test_binary_garbage_never_raises(tmp_path: Path) -> None:
    file = tmp_path / "garbage.bib"
    file.write_bytes(bytes(range(256)) * 20)
    diags = Diagnostics()
    bib = load_bibliography(file, "garbage.bib", diags)
    assert bib.keys() == []
    assert diags.has_errors


@pytest.mark.parametrize(
    "text",
    ["@", "@article{", "@article{x,", "@{}", "@article{x, title = }", "}}}{{{", "@string{a = b # c}",
     "@article{x, author = { and and }, title={t}, year={2000}}", "@comment{", "@preamble{\"x\"}",
     "@article{x, author = {{, title = {t}}", "@misc{x, year = {n.d.}, title = {t}, author = {A}}",
     "\u00e9@@@\u2603{}", "@article{x, date = {2020-13-45/}, title={t}, author={A}}"],
)
def test_malformed_input_never_raises(text: str) -> None:
    diags = Diagnostics()
    bib = parse_bibliography(text, "x.bib", diags)
    assert isinstance(bib.keys(), list)
    for d in diags.items:
        assert d.render().startswith("x.bib")


def test_file_too_large(tmp_path: Path) -> None:
    file = tmp_path / "huge.bib"
    file.write_bytes(b"%" * (5 * 1024 * 1024 + 1))
    diags = Diagnostics()
    load_bibliography(file, "huge.bib", diags)
    assert [d.code for d in diags.errors] == ["file.too-large"]


def test_workspace_bibliography_is_clean_and_keeps_the_research_keys() -> None:
    diags = Diagnostics()
    bib = load_bibliography(ROOT / "bibliography.bib", "bibliography.bib", diags)
    assert [d.render() for d in diags.items] == []
    expected = {
        "mearns2005", "mearns2018", "cooper2005", "mcmillan2006", "knox2008", "cooper2009", "knox2010",
        "knox2011", "wiggins2012", "cooper2012", "cooperikemi2012", "cooperchak2013", "knox2013", "cooper2013",
        "cooper2013exercises", "cooperknox2018", "dimalta2017", "dimalta2019", "dimalta2020", "dimalta2023",
        "dimalta2025", "price2012", "treanor2017", "gurvitz2018", "bartley2015", "murphy2014", "amos2023",
        "cooper2009bacp", "cooperfaq", "cooperslides", "wigginsslides",
    }
    assert set(bib.keys()) == expected
    assert bib.get("dimalta2019").csl["DOI"] == "10.1080/10503307.2019.1585590"
    assert bib.get("cooperknox2018").csl["DOI"] == "10.1080/03069885.2017.1343457"
