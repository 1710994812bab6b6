"""Tests for the BibTeX load layer: decoding, CSL-JSON building and located diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.bibliography import Bibliography, load_bibliography, parse_bibliography
from lecturegen.sources.bibtex import MAX_EXPANDED_TOTAL

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bib"


def _parse(text: str) -> tuple[Bibliography, list[str]]:
    """Parse text as b.bib: the bibliography and every diagnostic as rendered."""
    diags = Diagnostics()
    bib = parse_bibliography(text, "b.bib", diags)
    return bib, [d.render() for d in diags.items]


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


# --------------------------------------------------------------------------- Better BibTeX exports


def test_better_bibtex_export_maps_biblatex_fields_into_csl() -> None:
    bib, diags = _load("better-bibtex.bib")
    assert [d.render() for d in diags.items] == []
    alliance = bib.get("flückigerAllianceAdultPsychotherapy2018")  # Zotero's key, with its ü
    assert alliance is not None
    assert alliance.csl["container-title"] == "Psychotherapy"  # journaltitle
    assert alliance.csl["container-title-short"] == "Psychotherapy"  # shortjournal
    # In sentence case, as pandoc's BibTeX reader gives CSL its titles; the braced "A" is kept.
    assert alliance.csl["title"] == ('The alliance in adult psychotherapy: <span class="nocase">A</span> '
                                     "meta-analytic synthesis")
    assert alliance.csl["title-short"] == "The alliance in adult psychotherapy"
    assert alliance.csl["issued"] == {"date-parts": [[2018]]}  # `date`, not `year`
    assert alliance.csl["accessed"] == {"date-parts": [[2024, 2, 12]]}  # urldate
    assert alliance.csl["language"] == "en-US"  # langid = {english}
    assert alliance.csl["issue"] == "4" and alliance.csl["DOI"] == "10.1037/pst0000172"
    for never_printed in ("keywords", "file", "abstract"):
        assert never_printed not in alliance.csl
    assert alliance.fields["file"].startswith("/Users/presenter/Zotero/storage/")  # kept as written

    thesis = bib.get("dimaltaDevelopmentValidationRelational2017")
    assert (thesis.csl["type"], thesis.csl["genre"], thesis.csl["publisher"]) == \
        ("thesis", "Doctoral dissertation", "University of Roehampton")  # type = {phdthesis} is a key, not prose
    assert bib.get("bartleyTouchstonesConnectionConcept2015").csl["genre"] == "Doctoral dissertation"
    assert bib.get("bartleyTouchstonesConnectionConcept2015").csl["language"] == "en-US"  # american

    report = bib.get("nationalinstituteforhealthandcareexcellenceDepressionAdultsTreatment2022").csl
    assert (report["type"], report["number"], report["genre"]) == ("report", "NG222", "NICE Guideline")
    assert report["publisher"] == "National Institute for Health and Care Excellence"  # institution
    assert report["language"] == "en-GB"  # british

    page = bib.get("nhsenglandNHSTalkingTherapies").csl
    assert page["type"] == "webpage" and "issued" not in page
    assert page["publisher"] == "NHS England"  # organization

    talk = bib.get("cooperWorkingRelationalDepth2009").csl
    assert talk["type"] == "speech"
    assert talk["issued"] == {"date-parts": [[2009, 5, 15], [2009, 5, 16]]}  # a date range
    assert (talk["event"], talk["event-place"]) == ("<span class=\"nocase\">BACP</span> 15th Annual Research "
                                                     "Conference", "Portsmouth, UK")
    paper = bib.get("exampleListeningWorkshopsCounselling2019").csl
    assert paper["type"] == "paper-conference" and paper["editor"] == [{"family": "Editor", "given": "Erin"}]
    assert paper["event-date"] == {"date-parts": [[2019, 5, 1], [2019, 5, 3]]}
    chapter = bib.get("cooperExperiencingRelationalDepth2013").csl
    assert chapter["type"] == "chapter" and len(chapter["editor"]) == 4
    assert len(bib.get("alphaLargeCollaborationTherapy2020").csl["author"]) == 22
    assert bib.get("grawePsychotherapieWandelKonfession1994").csl["language"] == "de-DE"


@pytest.mark.parametrize(("fields", "expected"), [
    # The text names who published it; a URL in it is the URL.
    ("howpublished = {Leaflet}", {"publisher": "Leaflet"}),
    ("howpublished = {\\url{https://example.org/a_b}}", {"URL": "https://example.org/a_b"}),
    ("howpublished = {Podcast}, publisher = {Example Radio}", {"publisher": "Example Radio", "genre": "Podcast"}),
    ("howpublished = {Podcast. https://example.org/p}, organization = {Example Radio}",
     {"publisher": "Example Radio", "genre": "Podcast", "URL": "https://example.org/p"}),
    ("url = {https://example.org/u}, howpublished = {Blog}", {"URL": "https://example.org/u", "publisher": "Blog"}),
])
def test_howpublished_is_never_dropped(fields: str, expected: dict[str, str]) -> None:
    diags = Diagnostics()
    bib = parse_bibliography(f"@misc{{m, author = {{A, B}}, title = {{T}}, year = {{2020}}, {fields}}}", "b.bib", diags)
    csl = bib.get("m").csl
    assert {k: csl[k] for k in expected if k in csl} == expected


@pytest.mark.parametrize(("entry", "genre"), [
    ("@thesis{t, type = {mathesis}, institution = {U}", "Master's thesis"),
    ("@mastersthesis{t, school = {U}", "Master's thesis"),
    ("@phdthesis{t, school = {U}", "Doctoral dissertation"),
    ("@thesis{t, type = {PhDThesis}, institution = {U}", "Doctoral dissertation"),
    ("@thesis{t, type = {PsychD thesis}, institution = {U}", "PsychD thesis"),  # prose is kept as written
    ("@report{t, type = {techreport}, institution = {U}", "Technical report"),
])
def test_thesis_and_report_types(entry: str, genre: str) -> None:
    bib = parse_bibliography(entry + ", author = {A, B}, title = {T}, year = {2020}}", "b.bib", Diagnostics())
    assert bib.get("t").csl["genre"] == genre


@pytest.mark.parametrize(("langid", "tag"), [
    ("english", "en-US"), ("british", "en-GB"), ("UKenglish", "en-GB"), ("american", "en-US"),
    ("australian", "en-AU"), ("en-GB", "en-GB"), ("en", "en"), ("de_de", "de-DE"), ("ngerman", "de-DE"),
    ("french", "fr-FR"), ("english and german", "en-US"), ("klingon", "klingon"),
])
def test_langid_becomes_a_bcp47_tag(langid: str, tag: str) -> None:
    bib = parse_bibliography(f"@book{{b, author = {{A, B}}, title = {{T}}, year = {{2020}}, langid = {{{langid}}}}}",
                             "b.bib", Diagnostics())
    assert bib.get("b").csl["language"] == tag


def test_language_field_is_used_when_langid_is_absent() -> None:
    bib = parse_bibliography("@book{b, author = {A, B}, title = {T}, year = {2020}, language = {german}}",
                             "b.bib", Diagnostics())
    assert bib.get("b").csl["language"] == "de-DE"


def test_article_number_from_eid() -> None:
    bib = parse_bibliography("@article{a, author = {A, B}, title = {T}, date = {2020}, journaltitle = {J}, "
                             "volume = {3}, eid = {e1234}}", "b.bib", Diagnostics())
    assert bib.get("a").csl["number"] == "e1234"


def test_unicode_keys_and_keys_that_cannot_be_cited() -> None:
    bib, lines = _parse("@misc{flückigerAlliance2018, author = {A, B}, title = {T}, year = {2000}}\n"
                        "@misc{doi:10.1000/x+y_z, author = {A, B}, title = {T}, year = {2000}}\n"
                        "@misc{a#b, author = {A, B}, title = {T}, year = {2000}}\n"
                        "@misc{flu\u0308ckiger2019, author = {A, B}, title = {T}, year = {2000}}\n")
    assert bib.keys() == ["flückigerAlliance2018", "doi:10.1000/x+y_z", "a#b", "flückiger2019"]  # NFC
    assert lines == [
        "b.bib:3:1: warning: key 'a#b' cannot be cited: a citation key is letters, digits and '_', with "
        "'-:./+' between them (rename it, for example 'a-b') [bib.key]",
    ]


# --------------------------------------------------------------------------- @string expansion and limits


def test_string_macros_may_be_used_before_their_definition() -> None:
    bib, lines = _parse('@misc{m, author = {A, B}, title = pre # " and more", year = {2000}}\n'
                        '@string{pre = "Defined" # " later"}\n')
    assert lines == []
    assert bib.get("m").fields["title"] == "Defined later and more"


def test_string_reference_loops_are_located_errors() -> None:
    bib, lines = _parse('@string{a = b}\n@string{b = "x" # a}\n@string{self = self}\n'
                        "@misc{m, author = {A, B}, title = a # self, year = {2000}}\n")
    assert lines == [
        "b.bib:1:1: error: string macro 'a' refers to itself ('a' → 'b' → 'a') (a macro may not use itself, "
        "directly or through other macros) [bib.string-loop]",
        "b.bib:3:1: error: string macro 'self' refers to itself ('self' → 'self') (a macro may not use itself, "
        "directly or through other macros) [bib.string-loop]",
        "b.bib:4:1: warning: entry 'm' has no 'title' field [bib.missing-field]",
    ]
    assert bib.get("m").fields["title"] == ""


def test_string_expansion_is_refused_before_it_is_built() -> None:
    # Each macro doubles the last: a40 would be 10 × 2**40 characters (11 TB).
    text = '@string{a0 = "xxxxxxxxxx"}\n' + "".join(f"@string{{a{i + 1} = a{i} # a{i}}}\n" for i in range(40))
    text += "@misc{m, author = {A, B}, title = a40 # a3, year = {2000}}\n"
    diags = Diagnostics()
    bib = parse_bibliography(text, "b.bib", diags)
    assert [d.render() for d in diags.errors] == [
        "b.bib:14:1: error: string macro 'a13' expands to 81,920 characters (the limit is 50,000) (@string "
        "macros and '#' joins make it this long) [bib.string-too-large]",
    ]
    assert bib.get("m").fields["title"] == "x" * 80  # a14 … a40 are built from the refused (empty) a13


def test_total_expansion_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from lecturegen.sources import bibtex

    monkeypatch.setattr(bibtex, "MAX_EXPANDED_TOTAL", 300)
    text = '@string{long = "' + "y" * 90 + '"}\n' + "".join(
        f"@misc{{m{i}, author = {{A, B}}, title = long, year = {{2000}}}}\n" for i in range(5))
    diags = Diagnostics()
    bib = parse_bibliography(text, "b.bib", diags)
    assert [d.render() for d in diags.errors] == [
        "b.bib:4:1: error: the bibliography expands to more than 300 characters; the entries from here on "
        "are not read [bib.too-large]",
    ]
    assert bib.keys() == ["m0", "m1"]


@pytest.mark.parametrize(("limit", "text", "expected"), [
    ("MAX_BIB_ENTRIES", "@misc{a, title={t}}\n" * 4,
     "b.bib:4:1: error: bibliography has more than 3 entries (split the file or export only the collection the "
     "talks cite) [bib.too-large]"),
    ("MAX_BIB_MARKS", "@misc{a, title={t}}\n" * 4,
     "b.bib:1:1: error: bibliography has 32 structural characters (braces, quotes, commas, line breaks, '=', '@' "
     "and '#'; the limit is 3) (export only the collection the talks cite) [bib.too-large]"),
])
def test_parser_limits_are_checked_before_parsing(monkeypatch: pytest.MonkeyPatch, limit: str, text: str,
                                                  expected: str) -> None:
    from lecturegen.sources import bibtex

    monkeypatch.setattr(bibtex, limit, 3)
    diags = Diagnostics()
    assert parse_bibliography(text, "b.bib", diags).keys() == []
    assert [d.render() for d in diags.items] == [expected]


def test_syntax_errors_beyond_the_first_fifty_are_counted_in_one_line() -> None:
    diags = Diagnostics()
    parse_bibliography("@misc{x, title = {\n" * 60, "b.bib", diags)
    lines = [d.render() for d in diags.items]
    assert len(lines) == 51
    assert lines[-1] == "b.bib:1:1: error: 10 more blocks cannot be parsed (only the first 50 are shown) [bib.syntax]"


def test_latex_beyond_the_decoding_budget_is_removed_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    from lecturegen.sources import bibtex

    monkeypatch.setattr(bibtex, "MAX_LATEX_CHARS", 10)
    bib, lines = _parse("@misc{a, author = {M{\\\"u}ller, J.}, title = {\\emph{Caf\\'e} \\LaTeX\\ and "
                        "\\textbf{more}}, year = {2000}}")
    assert lines == [
        "b.bib:1:1: warning: more than 10 characters of LaTeX commands; from here on commands are removed, "
        "not decoded [bib.latex-limit]",
    ]
    assert bib.get("a").fields["author"] == "Muller, J."  # the letters stay, readable if unaccented
    assert bib.get("a").fields["title"] == "Cafe and more"


LATEX_PIECES = [r'M{\"u}ller', r'M\"{u}ller', r"Caf\'e", r"\'{E}cole", r"\c{c}", r"\c c", r"\v{S}koda", r"\o",
                r"{\O}st", r"\ss{}", r"\aa", r"{\AA}", r"\l", r"\i", r"\'\i", r"\"{\i}", r"\`a", r"\^o", r"\~n",
                r"\=a", r"\.z", r"\u{a}", r"\H{o}", r"\k{a}", r"\r{a}", r"\d{a}", r"\&", r"50\%", r"a\_b", r"\#1",
                r"\$5", "--", "---", "~", "``", "''", "word", "Title", "{Protected Words}", "{UK}", ":", ",", "\\emph{x}",
                r"\textit{Natrix cetti}", r"\oe uvre"]


@given(st.lists(st.sampled_from(LATEX_PIECES), min_size=1, max_size=8))
@settings(max_examples=300, deadline=None)
def test_latex_decoding_matches_pylatexenc(pieces: list[str]) -> None:
    """The fast path and the full decoder agree with bibtexparser's own LaTeX middleware."""
    from bibtexparser import middlewares, model

    value = " ".join(pieces)
    reference = middlewares.LatexDecodingMiddleware(keep_braced_groups=True).transform_entry(
        model.Entry("x", "k", [model.Field("title", value)]), None).fields[0].value
    bib = parse_bibliography(f"@misc{{k, title = {{{value}}}, author = {{A, B}}, year = {{2000}}}}", "b.bib",
                             Diagnostics())
    assert bib.get("k").fields["title"] == _strip_braces_and_spaces(reference)


def _strip_braces_and_spaces(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


# --------------------------------------------------------------------------- fuzzing

BIB_PIECES = ["@string{", "@article{", "@misc{k,", "@comment{", "@preamble{", "@", "{", "}", '"', "#", ",", "=",
              "a", "b", "k", "title", "author", " = ", " # ", "\n", "\\", "\\'", "{\\\"u}", "--", "jan", "2020",
              "and", "others", "ü", "@string{a = b}", "@string{b = a # a}", "date = {2020-13/}"]


@given(st.one_of(st.text(max_size=300),
                 st.lists(st.sampled_from(BIB_PIECES), max_size=60).map("".join)))
@settings(max_examples=400, deadline=None)
def test_fuzzed_text_never_raises_and_stays_bounded(text: str) -> None:
    diags = Diagnostics()
    bib = parse_bibliography(text, "x.bib", diags)
    for entry in bib.entries.values():
        assert entry.key and entry.csl["id"] == entry.key
        # Work is bounded by what was read: nothing grows past the expansion limit.
        assert sum(len(v) for v in entry.fields.values()) <= MAX_EXPANDED_TOTAL
    for d in diags.items:
        assert d.render().startswith("x.bib")


@given(st.binary(max_size=400))
@settings(max_examples=200, deadline=None)
def test_fuzzed_bytes_never_raise(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "refs.bib"
        path.write_bytes(data)
        diags = Diagnostics()
        bib = load_bibliography(path, "refs.bib", diags)
    assert isinstance(bib.keys(), list)
    assert bib.keys() or diags.items or not data.strip() or data.decode("utf-8", "replace").strip()


def test_undefined_macros_are_reported_once_each_and_counted_past_fifty() -> None:
    text = "".join(f"@misc{{k{i}, author = {{A, B}}, title = nomacro{i % 60} # nomacro0, year = {{2000}}}}\n"
                   for i in range(120))
    diags = Diagnostics()
    parse_bibliography(text, "b.bib", diags)
    lines = [d.render() for d in diags.items]
    assert lines[0] == "b.bib:1:1: warning: undefined string macro 'nomacro0' [bib.undefined-string]"
    assert len(lines) == 51
    assert lines[-1] == ("b.bib:1:1: warning: 10 more undefined string macros (only the first 50 are shown) "
                         "[bib.undefined-string]")
