"""Compile tests: `_units.keep_units` glues a number to its unit with no-break spaces in big text; the tests check
which spaces it glues, which it leaves, that citations and formatting are kept, and that only big text is glued."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.compile.kinds._units import keep_units
from lecturegen.compile.kinds.statement import Statement
from lecturegen.model.deck import Run
from tests.compile.kinds.kit import deck, slides_of

NBSP = "\u00a0"


def _glued(text: str) -> str:
    return "".join(r.text for r in keep_units((Run(text),)))


@pytest.mark.parametrize(("written", "glued"), [
    ("1,086 clients", f"1,086{NBSP}clients"),
    ("−2.5 points", f"−2.5{NBSP}points"),
    ("-3 sessions", f"-3{NBSP}sessions"),
    ("72.7 %", f"72.7{NBSP}%"),
    ("40% of clients", f"40%{NBSP}of clients"),
    ("3 of 12", f"3{NBSP}of{NBSP}12"),
    ("met 3 of 12 criteria", f"met 3{NBSP}of{NBSP}12{NBSP}criteria"),
])
def test_a_number_and_its_unit_are_joined_by_a_no_break_space(written: str, glued: str) -> None:
    assert _glued(written) == glued


@pytest.mark.parametrize("written", [
    "Eight of eight agreed",  # no digits: nothing to keep together
    "v2 items",  # a digit inside a word is not a number
    "3 - 4",  # a number followed by a sign, not a unit
    "12 34",  # two numbers
    "Depth, 5",  # the number ends the text
])
def test_spaces_that_do_not_follow_a_number_before_its_unit_stay_ordinary(written: str) -> None:
    assert _glued(written) == written


def test_cited_runs_are_left_as_the_citation_engine_wrote_them_and_formatting_is_kept() -> None:
    runs = (Run("5 of 7", bold=True, link="https://example.org"), Run(" (Cooper, 2005 p. 3)", cited=True),
            Run("and 8 therapists", italic=True))
    kept = keep_units(runs)
    assert [r.text for r in kept] == [f"5{NBSP}of{NBSP}7", " (Cooper, 2005 p. 3)", f"and 8{NBSP}therapists"]
    assert kept[1] is runs[1]
    assert [(r.bold, r.italic, r.link, r.cited) for r in kept] == [(r.bold, r.italic, r.link, r.cited) for r in runs]


def test_only_the_big_text_is_glued_not_the_title_of_the_same_slide(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: statement
          title: In 2005 therapists spoke
          statement: 168 therapists in 5 of 7 studies
        """)
    slide = slides_of(built, "statement")[0]
    assert isinstance(slide.content, Statement)
    assert "".join(r.text for r in slide.content.text) == f"168{NBSP}therapists in 5{NBSP}of{NBSP}7{NBSP}studies"
    assert "".join(r.text for r in slide.title) == "In 2005 therapists spoke"
