"""Spelling and terminology findings over a talk's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecturegen.compile.kinds import OUTLINE_KINDS
from lecturegen.compile.kinds.chart import ChartSlideSpec
from lecturegen.compile.kinds.bullets import BulletsSpec
from lecturegen.compile.kinds.columns import ColumnsSpec
from lecturegen.compile.kinds.table import TableSpec
from lecturegen.compile.spelling import MAX_SUGGESTED_WORDS, check_text, talk_texts
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.charts import ChartSpec
from lecturegen.sources.dictionary import (
    SYSTEM_DICTIONARY_DIRS,
    TermSpec,
    find_dictionary,
    load_dictionary,
    load_terminology,
)
from lecturegen.sources.outline import load_talk
from lecturegen.sources.specs import BulletSpec, ColumnSpec, SectionSpec, SlideSpec, TalkSpec, TextSpec
from lecturegen.workspace import Workspace

needs_en_gb = pytest.mark.skipif(find_dictionary("en_GB", SYSTEM_DICTIONARY_DIRS) is None,
                                 reason="Debian's hunspell-en-gb is not installed (.ci/setup installs it)")

AT = Location("content/sections/s.yaml", 4, 12)
COUNSELLING = TermSpec("counselling", ("counseling",), Location("content/terminology.yaml", 1, 1))
PERSON_CENTRED = TermSpec("person-centred", ("person centered", "person-centered"),
                          Location("content/terminology.yaml", 2, 1))


class SetLexicon:
    """A dictionary as a set of words, counting lookups (the checker must ask once per unique word)."""

    def __init__(self, words: str, suggestions: dict[str, str] | None = None):
        self.words = set(words.split())
        self.suggestions = suggestions or {}
        self.lookups: list[str] = []

    def knows(self, word: str) -> bool:
        self.lookups.append(word)
        return word in self.words or word.lower() in self.words

    def suggest(self, word: str, limit: int = 3) -> tuple[str, ...]:
        return (self.suggestions[word],) if word in self.suggestions else ()


def findings(items: list[tuple[str, Location | None]], lexicon: SetLexicon | None,
             terms: tuple[TermSpec, ...] = ()) -> list[str]:
    diags = Diagnostics()
    check_text(items, lexicon, terms, diags)
    assert all(d.severity == "warning" for d in diags.items)
    return [d.render() for d in diags.items]


def test_a_misspelt_word_is_reported_where_it_was_written_with_a_suggestion() -> None:
    lexicon = SetLexicon("clients the feeling", {"recieve": "receive"})
    assert findings([("Clients recieve the feeling", AT)], lexicon) == [
        "content/sections/s.yaml:4:12: warning: 'recieve' may be misspelt (did you mean 'receive'?) [spelling]"
    ]


def test_each_word_is_reported_once_per_file_at_its_first_place_with_a_count() -> None:
    later, first = Location("content/sections/s.yaml", 30, 5), Location("content/sections/s.yaml", 9, 5)
    other = Location("content/sections/t.yaml", 2, 3)
    lexicon = SetLexicon("met and spoke mother")
    items: list[tuple[str, Location | None]] = [
        ("Priya met Priya and Priya's mother", later), ("Priya spoke", first), ("Priya", other),
    ]
    assert findings(items, lexicon) == [
        "content/sections/s.yaml:9:5: warning: 'Priya' may be misspelt, here and 3 more times in this file "
        "[spelling]",
        "content/sections/t.yaml:2:3: warning: 'Priya' may be misspelt [spelling]",
    ]
    assert lexicon.lookups.count("Priya") == 1, "one lookup per unique word"


def test_one_more_time_is_singular() -> None:
    assert findings([("Priya and Priya", AT)], SetLexicon("and")) == [
        "content/sections/s.yaml:4:12: warning: 'Priya' may be misspelt, here and 1 more time in this file "
        "[spelling]"
    ]


def test_what_is_not_prose_is_skipped() -> None:
    text = (
        "See https://example.org/some-pagee or www.exmple.org, write to mick.coopr@roehampton.ac.uk, "
        "as @mearns2005 put it [@cooper2005, p. xii; @knox2010], in {{ talk.titl }} and {% if dayy %}, "
        "**NHS** and RDFS-2 scores of 1950s-era RCTs, 3rd wave, es = .85 and p < .001"
    )
    lexicon = SetLexicon("see or write to as put it in and scores of era wave")
    assert findings([(text, AT)], lexicon) == []


def test_inline_markup_and_link_targets_are_not_words() -> None:
    lexicon = SetLexicon("a deep and moment read more", {"momnet": "moment"})
    assert findings([("**a deep** and *momnet*, [read more](notes/extra.html)", AT)], lexicon) == [
        "content/sections/s.yaml:4:12: warning: 'momnet' may be misspelt (did you mean 'moment'?) [spelling]"
    ]


def test_apostrophes_and_possessives() -> None:
    lexicon = SetLexicon("don't therapist clients view the real self")
    text = "Don’t the therapist’s view, the clients' view, the ‘real’ self, 'real' self"
    assert findings([(text, AT)], lexicon) == []


def test_hyphenated_compounds_are_checked_part_by_part() -> None:
    lexicon = SetLexicon("person centred relationship oriented an")
    assert findings([("a person-centred, relationship-oriented, an in-dpeth look", AT)], lexicon) == [
        "content/sections/s.yaml:4:12: warning: 'dpeth' may be misspelt [spelling]",
        "content/sections/s.yaml:4:12: warning: 'in' may be misspelt [spelling]",
        "content/sections/s.yaml:4:12: warning: 'look' may be misspelt [spelling]",
    ]


def test_an_abbreviation_is_looked_up_with_its_full_stop() -> None:
    lexicon = SetLexicon("and so on etc.")
    assert findings([("and so on, etc. and so on", AT)], lexicon) == []
    assert findings([("and so on etc", AT)], lexicon) == [
        "content/sections/s.yaml:4:12: warning: 'etc' may be misspelt [spelling]"
    ]


def test_terminology_variants_are_flagged_once_and_not_as_spelling() -> None:
    lexicon = SetLexicon("in the approach and person centered", {"counseling": "counselling"})
    items: list[tuple[str, Location | None]] = [
        ("Counseling in the person\n centered approach", AT),
        ("counseling and counseling", Location("content/sections/s.yaml", 9, 1)),
    ]
    assert findings(items, lexicon, (COUNSELLING, PERSON_CENTRED)) == [
        "content/sections/s.yaml:4:12: warning: 'Counseling': this talk writes 'counselling', here and 2 more "
        "times in this file [terminology]",
        "content/sections/s.yaml:4:12: warning: 'person centered': this talk writes 'person-centred' "
        "[terminology]",
    ]


def test_terminology_matches_whole_words_only() -> None:
    lexicon = SetLexicon("counselings recounseling")
    assert findings([("counselings recounseling", AT)], lexicon, (COUNSELLING,)) == []


def test_preferred_forms_are_accepted_by_the_spelling_check() -> None:
    term = TermSpec("metaperception", ("meta-perception",), Location("content/terminology.yaml", 1, 1))
    assert findings([("Metaperception matters", AT)], SetLexicon("matters"), (term,)) == []


def test_without_a_dictionary_only_terminology_is_checked() -> None:
    assert findings([("counseling recieve", AT)], None, (COUNSELLING,)) == [
        "content/sections/s.yaml:4:12: warning: 'counseling': this talk writes 'counselling' [terminology]"
    ]


def _text(value: str, line: int) -> TextSpec:
    return TextSpec(value, Location("content/talks/t.yaml", line, 3))


def test_talk_texts_gathers_every_field_of_prose() -> None:
    chart = ChartSpec(type="bar", location=Location("content/talks/t.yaml", 40, 5), x_title="Year",
                      key_locations=(("x_title", Location("content/talks/t.yaml", 41, 14)),))
    at = Location("content/talks/t.yaml", 10, 5)
    slides = (
        SlideSpec(kind="bullets", location=at, title=_text("Title", 11), notes=_text("Notes", 12),
                  content=BulletsSpec(at, (BulletSpec(_text("Top", 13), (BulletSpec(_text("Sub", 14)),)),),
                                      _text("Caption", 15))),
        SlideSpec(kind="two-column", location=at,
                  content=ColumnsSpec(at, ColumnSpec(_text("Heading", 21), (BulletSpec(_text("Left", 22)),)),
                                      ColumnSpec(None, (BulletSpec(_text("Right", 23)),)))),
        SlideSpec(kind="table", location=at, content=TableSpec(at, None, (_text("Column", 31),),
                                                               ((_text("Cell", 32),),))),
        SlideSpec(kind="chart", location=Location("content/talks/t.yaml", 40, 5),
                  content=ChartSlideSpec(Location("content/talks/t.yaml", 40, 5), chart=chart)),
    )
    section = SectionSpec(name="s", title=_text("Section", 5), location=Location("content/talks/t.yaml", 4, 3),
                          slides=slides, summary=_text("Summary", 6))
    talk = TalkSpec(name="t", path="content/talks/t.yaml", location=Location("content/talks/t.yaml", 1, 1),
                    title=_text("Talk", 1), slot=60, sections=(section,), learning_outcomes=(_text("Outcome", 2),))
    texts = talk_texts(talk)
    assert [text for text, _ in texts] == [
        "Talk", "Outcome", "Section", "Summary", "Title", "Notes", "Caption", "Top", "Sub",
        "Heading", "Left", "Right", "Column", "Cell", "Year",
    ]
    assert texts[-1] == ("Year", Location("content/talks/t.yaml", 41, 14))


def test_talk_texts_of_a_shipped_talk_locate_every_text(repo_root: Path) -> None:
    talk = load_talk(Workspace(repo_root), "keynote-1h", Diagnostics(), kinds=OUTLINE_KINDS)
    assert talk is not None
    texts = talk_texts(talk)
    assert len(texts) > 100
    assert all(loc.path and loc.line for _, loc in texts)
    assert any(loc.path.startswith("content/sections/") for _, loc in texts)


@needs_en_gb
def test_british_english_by_default_with_real_suggestions(tmp_path: Path) -> None:
    (tmp_path / "content" / "talks").mkdir(parents=True)
    diags = Diagnostics()
    dictionary = load_dictionary("en-GB", tmp_path, diags)
    check_text([("Clients recieve colour, not color; counselling, not counseling", AT)], dictionary, (), diags)
    assert [d.render() for d in diags.items] == [
        "content/sections/s.yaml:4:12: warning: 'recieve' may be misspelt (did you mean 'receive'?) [spelling]",
        "content/sections/s.yaml:4:12: warning: 'color' may be misspelt (did you mean 'colour'?) [spelling]",
        "content/sections/s.yaml:4:12: warning: 'counseling' may be misspelt (did you mean 'counselling'?) "
        "[spelling]",
    ]


@needs_en_gb
def test_the_shipped_talks_have_no_spelling_or_terminology_warnings(repo_root: Path) -> None:
    workspace = Workspace(repo_root)
    diags = Diagnostics()
    dictionary = load_dictionary("en-GB", repo_root, diags)
    terms = load_terminology(repo_root, diags)
    for name in workspace.talk_names():
        talk = load_talk(workspace, name, Diagnostics(), kinds=OUTLINE_KINDS)
        assert talk is not None
        check_text(talk_texts(talk), dictionary, terms, diags)
    assert [d.render() for d in diags.items] == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_gives_only_warnings_about_words_it_contains(text: str) -> None:
    diags = Diagnostics()
    check_text([(text, AT)], SetLexicon("the a and"), (COUNSELLING,), diags)
    for diagnostic in diags.items:
        assert diagnostic.severity == "warning" and diagnostic.location == AT
        word = diagnostic.message.split("'")[1]
        assert word.casefold() in text.replace("’", "'").casefold() or word.casefold() in text.casefold()


def test_suggestions_are_asked_for_the_first_findings_only_and_short_words_only() -> None:
    asked: list[str] = []

    class CountingLexicon(SetLexicon):
        def suggest(self, word: str, limit: int = 3) -> tuple[str, ...]:
            asked.append(word)
            return ()

    long_word = "y" * 31
    words = [f"wrd{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(60)]
    diags = Diagnostics()
    check_text([(" ".join([long_word, *words]), AT)], CountingLexicon(""), (), diags)
    assert len(diags.items) == 61
    assert asked == words[:MAX_SUGGESTED_WORDS - 1], "the long word counts as a finding but is not suggested for"
