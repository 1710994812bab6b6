"""Compile tests: the timing plan, the timing cues in the notes, breaks and the agenda."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lecturegen.build import Prepared, prepare
from lecturegen.compile.schedule import AGENDA_ONE_COLUMN, start_minutes
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Slide
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace

BREAK = """\
  - kind: break
    id: coffee
    title: Coffee
    minutes: 5
    notes: Stretch.
  - kind: bullets
    id: after
    title: After the break
    bullets: [Back again]
    notes: Welcome back.
"""


def _prepare(root: Path, start: str | None = None, section: str = MINI_SECTION, talk: str = MINI_TALK) -> Prepared:
    write_workspace(root, {"bibliography.bib": MINI_BIB, "content/talks/small.yaml": talk,
                           "content/sections/intro.yaml": section})
    return prepare(Workspace(root), "small", Diagnostics(), start=start)


def _cue(slide: Slide) -> str:
    assert slide.notes[0].style == "cue"
    return slide.notes[0].text


def test_every_slide_starts_where_the_one_before_ends(tmp_path: Path) -> None:
    slides = _prepare(tmp_path / "ws").result.deck.slides
    assert slides[0].start_minute == 0.0
    for before, after in zip(slides, slides[1:]):
        assert after.start_minute == pytest.approx(before.start_minute + before.minutes, abs=0.01)


def test_the_plan_adds_slides_and_reserved_blocks(tmp_path: Path) -> None:
    result = _prepare(tmp_path / "ws").result
    plan, slides = result.plan, result.deck.slides
    assert plan.slot == 10.0 and plan.reserved == 2.0
    assert plan.total == pytest.approx(sum(s.minutes for s in slides) + 2.0, abs=0.01)
    assert [i.number for i in plan.items] == list(range(1, len(slides) + 1)) + [None]
    last = plan.items[-1]
    assert (last.title, last.kind, last.minutes) == ("Questions", "reserved", 2.0)
    titles = [s.title for s in plan.sections]
    assert titles == ["Opening", "Introduction", "Questions"]
    intro = plan.sections[1]
    assert intro.slides == 3
    assert intro.minutes == pytest.approx(sum(s.minutes for s in slides if s.section == "Introduction"), abs=0.01)
    assert plan.fits


def test_cues_give_the_clock_time_slide_number_and_duration(tmp_path: Path) -> None:
    slides = _prepare(tmp_path / "ws", start="09:30").result.deck.slides
    first = _cue(slides[0])
    assert first.startswith("⏱ 09:30 → slide 1 · ")
    assert "the opening minute" in first
    for number, slide in enumerate(slides[1:], start=2):
        assert f"→ slide {number} · " in _cue(slide)
        assert "opening minute" not in _cue(slide)
    bullets = next(s for s in slides if s.id == "first")
    assert _cue(bullets) == f"⏱ 09:{30 + round(bullets.start_minute):02d} → slide 4 · 1 min"


def test_without_a_start_time_cues_give_elapsed_time(tmp_path: Path) -> None:
    slides = _prepare(tmp_path / "ws").result.deck.slides
    assert _cue(slides[0]).startswith("⏱ 0:00 → slide 1 · ")


def test_a_break_says_when_everyone_is_back(tmp_path: Path) -> None:
    slides = _prepare(tmp_path / "ws", start="10:00", section=MINI_SECTION + BREAK).result.deck.slides
    coffee = next(s for s in slides if s.id == "coffee")
    assert coffee.minutes == 5
    back = 10 * 60 + round(coffee.start_minute + 5)
    texts = [p.text for p in coffee.subtitle]
    assert f"Back at {back // 60:02d}:{back % 60:02d} · 5 min break" in texts
    after = next(s for s in slides if s.id == "after")
    assert after.start_minute == pytest.approx(coffee.start_minute + 5, abs=0.01)


def test_a_break_without_a_clock_says_how_long(tmp_path: Path) -> None:
    slides = _prepare(tmp_path / "ws", section=MINI_SECTION + BREAK).result.deck.slides
    coffee = next(s for s in slides if s.id == "coffee")
    assert "Back in 5 min" in [p.text for p in coffee.subtitle]


def test_the_agenda_lists_sessions_and_reserved_blocks_with_times(tmp_path: Path) -> None:
    slides = _prepare(tmp_path / "ws", start="09:30").result.deck.slides
    agenda = next(s for s in slides if s.kind == "agenda")
    lines = [p.text for p in agenda.body]
    assert [line.split("\t")[1] for line in lines] == ["Introduction", "Questions"]
    assert lines[0].startswith("09:31–") and lines[1].endswith("\tQuestions")
    assert len(lines) <= AGENDA_ONE_COLUMN and agenda.layout == "content"


def test_start_minutes_from_the_command_line_or_the_talks_day_start(tmp_path: Path) -> None:
    talk = _prepare(tmp_path / "ws").talk
    assert start_minutes(talk, "09:30") == 570
    assert start_minutes(talk, None) is None
    day = replace(talk, day_start="08:15")
    assert start_minutes(day, None) == 495
    assert start_minutes(day, "13:00") == 780
