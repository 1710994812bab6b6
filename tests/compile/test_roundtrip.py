"""Tests for compile/roundtrip.py: where each slide of a compiled deck came from, each source text with its place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lecturegen.build import prepare
from lecturegen.compile.roundtrip import deck_sources, spec_texts
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.roundtrip import slide_uids
from lecturegen.model.text import Run
from lecturegen.sources.specs import BulletSpec, ColumnSpec, SectionSpec, SlideSpec, TalkSpec, TextSpec
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace

TALK_FILE = "content/talks/small.yaml"
INTRO = "content/sections/intro.yaml"


def sources_of(root: Path) -> list[dict[str, Any]]:
    prepared = prepare(Workspace(root), "small", Diagnostics())
    deck = prepared.result.deck
    return deck_sources(deck, prepared.talk, slide_uids(deck))


def texts(entry: dict[str, Any]) -> list[tuple[str, str, int, str, int, int]]:
    return [(t["field"], t["text"], t["level"], t["path"], t["line"], t["col"]) for t in entry["texts"]]


@pytest.fixture(scope="module")
def mini_sources(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    root = write_workspace(tmp_path_factory.mktemp("rt") / "ws", {
        "bibliography.bib": MINI_BIB, TALK_FILE: MINI_TALK, INTRO: MINI_SECTION})
    return sources_of(root)


# -- deck_sources on a compiled talk ---------------------------------------------------------------------

def test_every_deck_slide_has_one_entry_in_deck_order_with_its_origin(mini_sources: list[dict[str, Any]]) -> None:
    assert [(e["kind"], e["origin"]) for e in mini_sources] == [
        ("title", "title"), ("agenda", "generated"), ("section", "section"), ("bullets", "slide"),
        ("statement", "slide"), ("references", "generated")]
    assert len({e["uid"] for e in mini_sources}) == len(mini_sources)
    assert [e["section"] for e in mini_sources] == ["", "", "Introduction", "Introduction", "Introduction", ""]


def test_the_title_slide_keeps_the_talks_title_and_subtitle_with_their_places(
        mini_sources: list[dict[str, Any]]) -> None:
    title = mini_sources[0]
    assert (title["path"], title["line"], title["col"]) == (TALK_FILE, 1, 1)
    assert texts(title) == [("title", "A small talk", 0, TALK_FILE, 1, 8),
                            ("subtitle", "For tests", 0, TALK_FILE, 2, 11)]


def test_a_section_header_keeps_the_sections_title_and_summary(mini_sources: list[dict[str, Any]]) -> None:
    header = mini_sources[2]
    assert texts(header) == [("title", "Introduction", 0, INTRO, 1, 8), ("summary", "Where we start.", 0, INTRO, 2, 10)]


def test_an_outline_slide_keeps_each_text_with_its_field_level_and_line(mini_sources: list[dict[str, Any]]) -> None:
    bullets = mini_sources[3]
    assert (bullets["path"], bullets["line"], bullets["col"], bullets["part"]) == (INTRO, 4, 5, 0)
    assert bullets["minutes_set"] is False
    assert bullets["section_at"] == {"path": INTRO, "line": 1, "col": 1}
    assert texts(bullets) == [
        ("title", "First findings", 0, INTRO, 6, 12),
        ("notes", "As @knox2010 found, clients noticed the difference.\n", 0, INTRO, 12, 12),
        ("bullets", "Therapists described deep moments [@cooper2005]", 0, INTRO, 8, 9),
        ("bullets", "Clients saw their therapists as real", 0, INTRO, 9, 9),
        ("bullets", "trustworthy", 1, INTRO, 10, 13),
        ("bullets", "genuinely caring", 1, INTRO, 11, 13)]


def test_generated_slides_have_no_texts_to_pull_into(mini_sources: list[dict[str, Any]]) -> None:
    for entry in (mini_sources[1], mini_sources[5]):
        assert entry["texts"] == [] and "minutes_set" not in entry


def test_minutes_are_the_slides_planned_minutes_rounded(mini_sources: list[dict[str, Any]]) -> None:
    assert [e["minutes"] for e in mini_sources] == [0.5, 0.75, 0.25, 1.0, 0.75, 0.1]


def test_a_registered_kinds_own_texts_are_recorded(mini_sources: list[dict[str, Any]]) -> None:
    statement = mini_sources[4]
    recorded = {(t["text"], t["line"]) for t in statement["texts"]}
    assert ("8 of 8", 17) in recorded
    assert ("Every therapist interviewed had experienced it [@cooper2005].", 18) in recorded


def test_a_split_slide_numbers_its_parts_and_a_set_time_is_recorded(tmp_path: Path) -> None:
    long = ("title: Long\nslides:\n  - kind: bullets\n    title: Many points\n    minutes: 3\n    bullets:\n"
            + "".join(f"      - Point number {i} says something a little longer than a few words\n"
                      for i in range(16)))
    talk = MINI_TALK.replace("  - use: intro\n", "  - use: long\n") + "agenda: false\nreferences: false\n"
    root = write_workspace(tmp_path / "ws", {"bibliography.bib": MINI_BIB, TALK_FILE: talk,
                                             "content/sections/long.yaml": long})
    entries = [e for e in sources_of(root) if e["origin"] == "slide"]
    assert [e["part"] for e in entries] == [0, 1]
    assert all(e["minutes_set"] for e in entries)
    assert entries[0]["texts"] == entries[1]["texts"]  # each part can find every word of the slide
    assert sum(e["minutes"] for e in entries) == pytest.approx(3.0)


# -- deck_sources on a deck built here -------------------------------------------------------------------

AT_TALK = Location("talk.yaml", 1, 1)
AT_SECTION = Location("s.yaml", 1, 1)
AT_SLIDE = Location("s.yaml", 3, 5)


def tiny_talk() -> TalkSpec:
    slide = SlideSpec("bullets", AT_SLIDE, title=TextSpec("Hello", Location("s.yaml", 4, 12)), minutes=2.0)
    section = SectionSpec("s", TextSpec("Part", Location("s.yaml", 1, 8)), AT_SECTION, (slide,))
    return TalkSpec("t", "talk.yaml", AT_TALK, TextSpec("Talk", Location("talk.yaml", 1, 8)), 10, (section,))


def deck_of(*slides: Slide) -> Deck:
    return Deck("t", "Talk", "", "", "", "", "", "calm", slides, 10)


def slide(kind: str, at: Location | None, slide_id: str | None = None) -> Slide:
    return Slide(kind=kind, layout="content", title=(Run("x"),), location=at, id=slide_id, minutes=1.23456)


def test_a_slide_is_matched_to_its_spec_by_place_and_kind() -> None:
    deck = deck_of(slide("bullets", AT_SLIDE), slide("quote", AT_SLIDE), slide("bullets", AT_SLIDE))
    entries = deck_sources(deck, tiny_talk(), ["a", "b", "c"])
    assert [(e["uid"], e["origin"], e["part"]) for e in entries] == [("a", "slide", 0), ("b", "generated", 0),
                                                                     ("c", "slide", 1)]
    assert entries[0]["minutes"] == 1.235 and entries[0]["minutes_set"] is True
    assert [t["text"] for t in entries[0]["texts"]] == ["Hello"]


def test_a_section_slide_made_at_a_slides_place_is_not_that_slide() -> None:
    deck = deck_of(slide("section", AT_SLIDE, "section-s"), slide("section", AT_SECTION, "section-s"))
    entries = deck_sources(deck, tiny_talk(), ["a", "b"])
    assert [e["origin"] for e in entries] == ["generated", "section"]
    assert [t["text"] for t in entries[1]["texts"]] == ["Part"]  # no summary: nothing more


def test_only_the_generated_title_slide_at_the_talks_place_is_the_title() -> None:
    deck = deck_of(slide("title", AT_TALK, "title"), slide("title", AT_TALK, "other"), slide("title", None, "title"))
    entries = deck_sources(deck, tiny_talk(), ["a", "b", "c"])
    assert [e["origin"] for e in entries] == ["title", "generated", "generated"]
    assert [t["field"] for t in entries[0]["texts"]] == ["title"]  # no subtitle written
    assert (entries[2]["path"], entries[2]["line"], entries[2]["col"]) == ("", 0, 0)


def test_one_entry_per_uid_given() -> None:
    deck = deck_of(slide("bullets", AT_SLIDE), slide("bullets", AT_SLIDE))
    assert [e["uid"] for e in deck_sources(deck, tiny_talk(), ["only"])] == ["only"]


# -- spec_texts ------------------------------------------------------------------------------------------

def at(line: int) -> Location:
    return Location("s.yaml", line, 9)


def test_spec_texts_walks_columns_rows_and_nested_bullets_in_order() -> None:
    from lecturegen.compile.kinds.columns import ColumnsSpec
    from lecturegen.compile.kinds.table import TableSpec

    columns = SlideSpec(
        "comparison", at(1), title=TextSpec("Compare", at(2)),
        content=ColumnsSpec(at(1), left=ColumnSpec(TextSpec("Before", at(3)), (
            BulletSpec(TextSpec("slow", at(4)), (BulletSpec(TextSpec("very", at(5))),)),)),
            right=ColumnSpec(None, (BulletSpec(TextSpec("fast", at(6))),))))
    assert [(t["field"], t["text"], t["level"], t["line"]) for t in spec_texts(columns)] == [
        ("title", "Compare", 0, 2),
        ("left.heading", "Before", 0, 3), ("left.bullets", "slow", 0, 4), ("left.bullets", "very", 1, 5),
        ("right.bullets", "fast", 0, 6)]
    table = SlideSpec("table", at(1), content=TableSpec(at(1), None, (TextSpec("A", at(7)), TextSpec("B", at(7))),
                                                        ((TextSpec("1", at(8)), TextSpec("2", at(8))),)))
    assert [(t["field"], t["text"], t["line"]) for t in spec_texts(table)] == [
        ("columns", "A", 7), ("columns", "B", 7), ("rows", "1", 8), ("rows", "2", 8)]


def test_spec_texts_leaves_out_tags_audiences_and_the_slides_own_place() -> None:
    spec = SlideSpec("bullets", at(1), tags=("core",), audiences=("mdt",), except_audiences=("trainees",),
                     notes=TextSpec("Say it", at(9)))
    assert [(t["field"], t["text"]) for t in spec_texts(spec)] == [("notes", "Say it")]


def test_spec_texts_of_a_plain_text_or_nothing() -> None:
    assert spec_texts(TextSpec("Hi", at(2)), "caption", 2) == [
        {"field": "caption", "text": "Hi", "level": 2, "path": "s.yaml", "line": 2, "col": 9}]
    assert spec_texts(None) == [] and spec_texts("plain string") == []
