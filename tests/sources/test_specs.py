"""Tests for sources/specs.py: what the user declared, as the outline loader hands it on — places kept, defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lecturegen.compile.kinds import OUTLINE_KINDS
from lecturegen.compile.kinds.statement import StatementSpec
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.outline import load_talk
from lecturegen.sources.specs import (BulletSpec, ImageMeta, KindSpec, SectionSpec, SlideSpec, TalkSpec, TextSpec,
                                      WorksheetSpec)
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace

TALK = "content/talks/small.yaml"
INTRO = "content/sections/intro.yaml"


def at(line: int, col: int, path: str = INTRO) -> Location:
    return Location(path, line, col)


def loaded(root: Path) -> TalkSpec:
    diags = Diagnostics()
    talk = load_talk(Workspace(root), "small", diags, kinds=OUTLINE_KINDS)
    assert talk is not None, [d.render() for d in diags.errors]
    return talk


@pytest.fixture
def talk(mini: Path) -> TalkSpec:
    return loaded(mini)


def test_the_talk_keeps_what_was_written_and_where(talk: TalkSpec) -> None:
    assert (talk.name, talk.path, talk.location) == ("small", TALK, at(1, 1, TALK))
    assert talk.title == TextSpec("A small talk", at(1, 8, TALK))
    assert talk.subtitle == TextSpec("For tests", at(2, 11, TALK))
    assert (talk.presenter, talk.affiliation, talk.slot, talk.theme) == (
        "Test Presenter", "Test University", 10.0, "calm")
    assert talk.theme_location == at(6, 8, TALK)
    assert [(r.title, r.minutes, r.location) for r in talk.reserved] == [("Questions", 2.0, at(9, 5, TALK))]


def test_what_the_talk_leaves_out_takes_the_documented_defaults(talk: TalkSpec) -> None:
    assert (talk.style, talk.locale, talk.speaking_rate, talk.language) == ("apa", None, 130.0, "en-GB")
    assert (talk.agenda, talk.references, talk.reference_slides, talk.reveal) == (True, True, "slides", "none")
    assert (talk.bibliography, talk.audiences, talk.learning_outcomes, talk.event, talk.design) == ((), (), (), {}, {})


def test_a_section_and_its_slides_keep_their_places(talk: TalkSpec) -> None:
    (section,) = talk.sections
    assert (section.name, section.title, section.location) == ("intro", TextSpec("Introduction", at(1, 8)), at(1, 1))
    assert section.summary == TextSpec("Where we start.", at(2, 10))
    assert (section.header, section.optional, section.priority, section.minutes) == (True, False, 1, None)
    first, number = section.slides
    assert (first.kind, first.id, first.location, first.title) == (
        "bullets", "first", at(4, 5), TextSpec("First findings", at(6, 12)))
    assert (number.kind, number.id, number.location) == ("statement", "number", at(14, 5))


def test_bullets_nest_as_written(talk: TalkSpec) -> None:
    first = talk.sections[0].slides[0]
    assert first.content is not None and first.content.bullets == (  # type: ignore[attr-defined]
        BulletSpec(TextSpec("Therapists described deep moments [@cooper2005]", at(8, 9))),
        BulletSpec(TextSpec("Clients saw their therapists as real", at(9, 9)),
                   (BulletSpec(TextSpec("trustworthy", at(10, 13))),
                    BulletSpec(TextSpec("genuinely caring", at(11, 13))))))


def test_a_registered_kind_reads_into_its_own_spec_with_its_texts(talk: TalkSpec) -> None:
    number = talk.sections[0].slides[1]
    content = number.content
    assert isinstance(content, StatementSpec)
    assert content.location == number.location
    assert content.texts() == (TextSpec("8 of 8", at(17, 16)),
                               TextSpec("Every therapist interviewed had experienced it [@cooper2005].", at(18, 14)))
    # Its words live in its own spec only.
    assert number.title is not None and number.kind == "statement"
    as_protocol: KindSpec = content  # mypy checks the registered spec against the protocol
    assert as_protocol.texts()[0].text == "8 of 8"


def test_the_same_outline_reads_into_equal_specs(mini: Path) -> None:
    assert loaded(mini) == loaded(mini)
    changed = MINI_SECTION.replace("First findings", "First results")
    other = write_workspace(mini.parent / "other", {"bibliography.bib": MINI_BIB, TALK: MINI_TALK, INTRO: changed})
    assert loaded(other).sections != loaded(mini).sections


def test_specs_are_frozen(talk: TalkSpec) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        talk.slot = 20  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        talk.sections[0].slides[0].title = None  # type: ignore[misc]


def test_a_slide_spec_defaults_to_a_required_splittable_slide() -> None:
    slide = SlideSpec("bullets", at(3, 5))
    assert (slide.optional, slide.priority, slide.hidden, slide.split, slide.key) == (False, 1, False, True, False)
    assert (slide.reveal, slide.content) == (None, None)
    assert hash(slide) == hash(SlideSpec("bullets", at(3, 5)))


def test_mutable_defaults_are_not_shared_between_talks() -> None:
    title = TextSpec("T", at(1, 8, TALK))
    a = TalkSpec("a", TALK, at(1, 1, TALK), title, 10, ())
    b = TalkSpec("b", TALK, at(1, 1, TALK), title, 10, ())
    a.event["name"] = "Ward day"
    a.design["max_words"] = 40
    assert b.event == {} and b.design == {}


def test_sidecars_worksheets_and_sections_have_plain_defaults() -> None:
    assert ImageMeta() == ImageMeta("", "", "")
    sheet = WorksheetSpec(TextSpec("Reflect", at(1, 1)), at(1, 1))
    assert (sheet.intro, sheet.prompts, sheet.checklist, sheet.space, sheet.scale) == (None, (), (), 4, ())
    section = SectionSpec("s", TextSpec("S", at(1, 8)), at(1, 1), ())
    assert (section.summary, section.header, section.audiences, section.minutes_location) == (None, True, (), None)
