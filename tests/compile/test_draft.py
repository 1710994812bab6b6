"""Tests for compile/draft.py: a slide before it is timed — planned minutes against spoken minutes."""

from __future__ import annotations

import pytest

from lecturegen.compile.draft import Draft, title_text
from lecturegen.model.deck import Slide
from lecturegen.model.text import Run


def draft(kind: str = "bullets", notes: str = "", explicit: float | None = None) -> Draft:
    slide = Slide(kind=kind, layout="content", title=(Run("Relational "), Run("depth", bold=True)))
    return Draft(slide, "intro", notes, explicit)


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def test_notes_words_count_whitespace_separated_words() -> None:
    assert draft(notes="").notes_words() == 0
    assert draft(notes="  Let the\tnumber\nland.  ").notes_words() == 4
    assert draft(notes="well-being, i.e. (roughly) 8/8").notes_words() == 4
    assert draft(notes=words(260)).notes_words() == 260


def test_minutes_are_the_notes_at_the_speaking_rate_rounded_to_hundredths() -> None:
    assert draft(notes=words(260)).minutes(130) == 2.0
    assert draft(notes=words(200)).minutes(130) == 1.54  # 1.538…
    assert draft(notes=words(200)).minutes(100) == 2.0


def test_minutes_never_fall_below_the_kinds_minimum() -> None:
    assert draft("bullets", words(13)).minutes(130) == 1.0  # 0.1 min spoken; a bullet slide needs a minute
    assert draft("chart", "").minutes(130) == 1.25
    assert draft("exercise", words(10)).minutes(130) == 5.0
    assert draft("break", "").minutes(130) == 0.0
    assert draft("statement", "").minutes(130) == 0.75  # a kind from the registry carries its own minimum
    assert draft("no-such-kind", "").minutes(130) == 0.5


def test_explicit_minutes_win_over_notes_and_minimum() -> None:
    assert draft("bullets", words(1000), 0.25).minutes(130) == 0.25
    assert draft("exercise", "", 12.0).minutes(130) == 12.0


def test_speaking_minutes_are_the_notes_alone_whatever_the_slide_is_given() -> None:
    assert draft("exercise", words(13), 12.0).speaking_minutes(130) == pytest.approx(0.1)
    assert draft("bullets", words(200)).speaking_minutes(130) == pytest.approx(200 / 130)  # not rounded
    assert draft("chart", "").speaking_minutes(130) == 0.0  # no minimum either


def test_a_rate_of_zero_speaks_nothing_rather_than_dividing_by_it() -> None:
    assert draft(notes=words(50)).speaking_minutes(0) == 0.0
    assert draft("bullets", words(50)).minutes(0) == 1.0


def test_a_draft_starts_required_at_priority_one_with_minutes_of_its_own() -> None:
    plain = draft()
    assert (plain.optional, plain.priority, plain.section_optional, plain.section_priority) == (False, 1, False, 1)
    assert plain.explicit_minutes is None and plain.budget_share is False
    plain.explicit_minutes = 3.0  # fitting to the slot rewrites a draft in place
    assert plain.minutes(130) == 3.0


def test_title_text_joins_the_runs_without_their_formatting() -> None:
    assert title_text(draft()) == "Relational depth"
    untitled = Draft(Slide(kind="bullets", layout="content", title=()), "intro")
    assert title_text(untitled) == ""
