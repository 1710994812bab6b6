"""Compile tests: applying an audience profile — kept sections and slides, insertions, template variables."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lecturegen.build import load, store_for
from lecturegen.compile.audience import apply_audience, keeps, template_variables
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.audiences import AudienceSpec, Insertion
from lecturegen.sources.specs import SectionSpec, TalkSpec
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace

AT = Location("content/audiences/a.yaml", 1, 1)


def _audience(name: str = "nurses", **kw: object) -> AudienceSpec:
    return AudienceSpec(name=name, title=name.title(), description="", location=AT, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> TalkSpec:
    root = write_workspace(tmp_path_factory.mktemp("aud") / "ws", {
        "bibliography.bib": MINI_BIB,
        "content/talks/small.yaml": MINI_TALK.replace("theme: calm", "theme: calm\nevent: {name: Spring School}"),
        "content/sections/intro.yaml": MINI_SECTION})
    workspace = Workspace(root)
    return load(workspace, "small", Diagnostics(), store_for(workspace, writable=False)).talk


def _ids(sections: list[SectionSpec]) -> list[list[str | None]]:
    return [[s.id for s in section.slides] for section in sections]


def test_without_limits_everything_is_kept() -> None:
    assert keeps((), (), (), None)
    assert keeps((), (), ("clinical",), _audience())


def test_a_named_audience_list_keeps_only_those_audiences() -> None:
    assert keeps(("nurses",), (), (), _audience("nurses"))
    assert not keeps(("nurses",), (), (), _audience("students"))
    assert not keeps(("nurses",), (), (), None)


def test_an_excepted_audience_is_left_out() -> None:
    assert not keeps((), ("nurses",), (), _audience("nurses"))
    assert keeps((), ("nurses",), (), _audience("students"))


def test_an_excluded_tag_drops_unless_also_included() -> None:
    assert not keeps((), (), ("stats", "core"), _audience(exclude_tags=("stats",)))
    assert keeps((), (), ("stats",), _audience(exclude_tags=("stats",), include_tags=("stats",)))


def test_no_audience_keeps_the_talk_as_written(talk: TalkSpec) -> None:
    assert _ids(apply_audience(talk, None, Diagnostics())) == [["first", "number"]]


def test_slides_with_excluded_tags_are_filtered_out(talk: TalkSpec) -> None:
    section = talk.sections[0]
    tagged = replace(talk, sections=(replace(section, slides=(
        replace(section.slides[0], tags=("stats",)), section.slides[1])),))
    assert _ids(apply_audience(tagged, _audience(exclude_tags=("stats",)), Diagnostics())) == [["number"]]
    # A section with an excluded tag is dropped whole.
    whole = replace(talk, sections=(replace(section, tags=("stats",)),))
    assert _ids(apply_audience(whole, _audience(exclude_tags=("stats",)), Diagnostics())) == []


@pytest.mark.parametrize(("position", "expected"), [
    ("after", ["first", "extra", "number"]),
    ("before", ["extra", "first", "number"]),
    ("replace", ["extra", "number"]),
])
def test_insertions_go_after_before_or_in_place_of_their_anchor(talk: TalkSpec, position: str,
                                                                 expected: list[str]) -> None:
    extra = replace(talk.sections[0].slides[0], id="extra")
    audience = _audience(insertions=(Insertion("first", position, (extra,), AT),))
    diags = Diagnostics()
    assert _ids(apply_audience(talk, audience, diags)) == [expected]
    assert diags.items == []


def test_an_unknown_anchor_is_an_error_and_a_filtered_one_a_warning(talk: TalkSpec) -> None:
    extra = replace(talk.sections[0].slides[0], id="extra")
    diags = Diagnostics()
    apply_audience(talk, _audience(insertions=(Insertion("frist", "after", (extra,), AT),)), diags)
    assert [(d.severity, d.code) for d in diags.items] == [("error", "audience.anchor")]
    assert "no slide with id 'frist' in talk 'small'" in diags.items[0].message
    section = talk.sections[0]
    tagged = replace(talk, sections=(replace(section, slides=(
        replace(section.slides[0], tags=("stats",)), section.slides[1])),))
    diags = Diagnostics()
    audience = _audience(exclude_tags=("stats",), insertions=(Insertion("first", "after", (extra,), AT),))
    assert _ids(apply_audience(tagged, audience, diags)) == [["number"]]
    assert [(d.severity, d.code) for d in diags.items] == [("warning", "audience.anchor-filtered")]


def test_template_variables_name_the_talk_event_and_audience(talk: TalkSpec) -> None:
    plain = template_variables(talk, None)
    assert plain["talk"]["title"] == "A small talk" and plain["talk"]["slot"] == 10
    assert plain["talk"]["presenter"] == "Test Presenter"
    assert plain["event"]["name"] == "Spring School" and plain["event"]["venue"] == ""
    assert plain["audience"] == {"name": "", "title": ""}
    audience = _audience(event={"venue": "Ward 5", "name": "Ward day"})
    seen = template_variables(talk, audience)
    assert seen["event"]["name"] == "Ward day" and seen["event"]["venue"] == "Ward 5"
    assert seen["audience"] == {"name": "nurses", "title": "Nurses"}
