"""The shipped workshops run on the day: blocks and breaks on a five-minute grid, each session once in the
agenda, break slides that say when everyone is back, and the worksheets the exercises name."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from lecturegen.build import Prepared, prepare
from lecturegen.cli import main
from lecturegen.compile.timing import clock, estimate_minutes, parse_clock
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Paragraph, Slide
from lecturegen.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
WORKSHOPS = ("workshop-1day", "workshop-2day")
# The four sessions of the workshop brief, by the names it gives them.
SESSIONS = (
    "Session 1: Experiencing relational depth, in and out of therapy",
    "Session 2: The importance of relatedness to psychological wellbeing",
    "Session 3: Deepening our levels of relating with clients",
    "Session 4: Chronic strategies of disconnection",
)
DAY_MINUTES = 7 * 60  # 09:30–16:30
# Budgets share minutes to four decimals: "on the clock" is to the second.
SECOND = 1 / 60


def offered(talk: str) -> list[str | None]:
    data = yaml.safe_load((REPO / "content" / "talks" / f"{talk}.yaml").read_text(encoding="utf-8"))
    return [None, *data["audiences"]]


CASES = [(talk, audience) for talk in WORKSHOPS for audience in offered(talk)]


@lru_cache(maxsize=None)
def compiled(talk: str, audience: str | None) -> Prepared:
    return prepare(Workspace(REPO), talk, Diagnostics(), audience_name=audience)


def text(runs_or_paragraphs: tuple) -> str:  # type: ignore[type-arg]
    if runs_or_paragraphs and isinstance(runs_or_paragraphs[0], Paragraph):
        return "\n".join(p.text for p in runs_or_paragraphs)
    return "".join(r.text for r in runs_or_paragraphs)


def agenda_lines(slides: tuple[Slide, ...]) -> list[str]:
    lines: list[str] = []
    for slide in slides:
        if slide.kind == "agenda":
            lines += [p.text for p in slide.body]
            lines += [p.text for column in slide.columns for p in column.body]
    return lines


def day_start(prepared: Prepared) -> float:
    start = parse_clock(prepared.talk.day_start or "")
    assert start is not None
    return start


@pytest.mark.parametrize("talk,audience", CASES)
def test_blocks_and_breaks_start_and_end_on_a_five_minute_grid(talk: str, audience: str | None) -> None:
    prepared = compiled(talk, audience)
    plan, origin = prepared.result.plan, day_start(prepared)
    times = {f"{s.title} starts": origin + s.start + s.clock_shift for s in plan.sections}
    for item in plan.items:
        if item.kind == "break" and item.minutes > 0:
            times[f"{item.title} starts"] = origin + item.start + item.clock_shift
            times[f"{item.title} ends"] = origin + item.start + item.minutes + item.clock_shift
    off_grid = {what: clock(at, 0) for what, at in times.items() if abs(at - 5 * round(at / 5)) > SECOND}
    assert not off_grid
    # Every day runs 09:30–16:30 exactly, and the day after a 'new day' slide starts at day_start again.
    for day in {item.day for item in plan.items}:
        items = [i for i in plan.items if i.day == day]
        assert items[0].start + items[0].clock_shift == pytest.approx((day - 1) * 24 * 60, abs=SECOND)
        end = items[-1].start + items[-1].minutes + items[-1].clock_shift
        assert end == pytest.approx((day - 1) * 24 * 60 + DAY_MINUTES, abs=SECOND)


@pytest.mark.parametrize("talk,audience", CASES)
def test_the_agenda_lists_each_session_once_and_every_break_with_its_times(talk: str,
                                                                           audience: str | None) -> None:
    prepared = compiled(talk, audience)
    lines = agenda_lines(prepared.result.deck.slides)
    for session in SESSIONS:
        # The brief's session names, in the audience's own word for clients (a team says "patients").
        session = session.replace("clients", "patients") if audience == "mdt" else session
        assert sum(1 for line in lines if session in line) == 1, session
    assert sum(1 for line in lines if "Session" in line) == len(SESSIONS)
    origin = day_start(prepared)
    for item in prepared.result.plan.items:
        if item.kind == "break" and item.minutes > 0:
            when = clock(origin, item.start + item.clock_shift)
            end = clock(origin, item.start + item.minutes + item.clock_shift)
            assert f"{when}–{end}\t{item.title}" in lines  # its start and end: the duration shows
    assert all(int(m) % 5 == 0 for line in lines for m in re.findall(r"\b\d\d:(\d\d)\b", line))


@pytest.mark.parametrize("talk", ["workshop-2day"])
def test_each_day_has_its_own_agenda_slide(talk: str) -> None:
    slides = compiled(talk, None).result.deck.slides
    agendas = [s for s in slides if s.kind == "agenda"]
    assert ["".join(r.text for r in s.title) for s in agendas] == ["Agenda: day 1", "Agenda: day 2"]
    first = agenda_lines(tuple(agendas[:1]))
    assert first[0].startswith("09:") and first[-1].endswith("Reflections on day one")
    assert agenda_lines(tuple(agendas[1:]))[0].startswith("09:30–")  # day two starts at day_start


@pytest.mark.parametrize("talk,audience", CASES)
def test_each_break_slide_says_when_everyone_is_back(talk: str, audience: str | None) -> None:
    prepared = compiled(talk, audience)
    origin = day_start(prepared)
    breaks = [s for s in prepared.result.deck.slides if s.kind == "break"]
    assert len([s for s in breaks if not s.new_day]) >= 3
    shift = 0.0
    for slide in prepared.result.deck.slides:
        if slide.kind == "break" and not slide.new_day:
            back = clock(origin, slide.start_minute + slide.minutes + shift)
            assert f"Back at {back} · {slide.minutes:g} min break" in text(slide.subtitle)
        if slide.new_day:
            # The last slide of a day says when the next one starts.
            assert prepared.talk.day_start in text(slide.subtitle)
            shift = 24 * 60 - (slide.start_minute + slide.minutes)


@pytest.mark.parametrize("talk,audience", CASES)
def test_every_worksheet_an_exercise_names_exists(talk: str, audience: str | None) -> None:
    slides = compiled(talk, audience).result.deck.slides
    titles = {text(s.worksheet.title) for s in slides if s.worksheet is not None}
    for slide in slides:
        if slide.kind not in ("exercise", "discussion"):
            continue
        steps = "\n".join(p.text for p in slide.body if p.style != "badge")
        if re.search(r"\b(worksheet|checklist)\b", steps, re.IGNORECASE):
            assert slide.worksheet is not None, text(slide.title)
            assert text(slide.worksheet.title) in steps
        elif slide.worksheet is not None:
            pytest.fail(f"the steps of '{text(slide.title)}' do not name its worksheet")
        # The facilitator's words may send people to a worksheet of an earlier exercise.
        for named in re.findall(r'(?:worksheet|checklist) "([^"]+)"', text(slide.notes)):
            assert named in titles, named


@pytest.mark.parametrize("talk", WORKSHOPS)
def test_the_materials_the_exercises_use_are_worksheets(talk: str) -> None:
    sheets = [s.worksheet for s in compiled(talk, None).result.deck.slides if s.worksheet is not None]
    checklist = next(w for w in sheets if text(w.title) == "My strategies of disconnection")
    assert len(checklist.checklist) >= 10
    assert any("map" in text(w.title).lower() and w.space >= 8 for w in sheets)  # room to draw
    assert sum(1 for w in sheets if w.prompts and not w.checklist) >= 3  # reflection prompts


@pytest.mark.parametrize("talk,audience", CASES)
def test_the_workshops_fit_their_slots_exactly_as_timing_reports(talk: str, audience: str | None) -> None:
    args = ["timing", talk, "--root", str(REPO), "--format", "json"] + (["--audience", audience] if audience else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["fits"] and plan["total"] == plan["slot"] and plan["planned"] == f"{plan['slot']:g}"
    assert compiled(talk, audience).result.plan.total == plan["total"]


# Slides whose minutes are set (activities, breaks) or generated (title, agenda, references).
UNTALKED = ("exercise", "discussion", "break", "title", "agenda", "references")


@pytest.mark.parametrize("talk,audience", CASES)
def test_each_block_gives_its_talked_slides_about_the_time_their_notes_take(talk: str,
                                                                            audience: str | None) -> None:
    """A block's budget minus its activities is shared by the slides the presenter talks through; for the
    notes to be sayable in that time it should be close to their length at the speaking rate."""
    prepared = compiled(talk, audience)
    audience_spec = prepared.loaded.audience
    rate = (audience_spec.speaking_rate if audience_spec and audience_spec.speaking_rate else None) \
        or prepared.talk.speaking_rate
    planned: dict[str, float] = {}
    spoken: dict[str, float] = {}
    for slide in prepared.result.deck.slides:
        if slide.kind in UNTALKED:
            continue
        words = " ".join(p.text for p in slide.notes if p.style not in ("cue", "sources"))
        planned[slide.section] = planned.get(slide.section, 0.0) + slide.minutes
        spoken[slide.section] = spoken.get(slide.section, 0.0) + estimate_minutes(slide.kind, words, rate, None)
    ratios = {block: round(planned[block] / spoken[block], 2) for block in planned}
    assert all(0.8 <= ratio <= 1.35 for ratio in ratios.values()), ratios


def ws_slides() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    out = []
    for file in sorted((REPO / "content" / "sections").glob("ws-*.yaml")):
        for slide in yaml.safe_load(file.read_text(encoding="utf-8"))["slides"]:
            out.append((f"{file.name}: {slide.get('title')}", slide))
    return out


@pytest.mark.parametrize("where,slide", [c for c in ws_slides() if c[1]["kind"] in ("exercise", "discussion")])
def test_exercises_carry_grouping_timing_and_facilitator_notes(where: str, slide: dict) -> None:  # type: ignore[type-arg]
    assert slide.get("grouping") and slide.get("minutes"), where
    notes = slide.get("notes", "")
    assert len(notes.split()) >= 40, where
    if slide["kind"] == "exercise":
        assert "Timing calls:" in notes, where
