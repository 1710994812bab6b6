"""Compile tests: title line breaks — balanced, at phrase boundaries, never one word alone on the last line."""

from __future__ import annotations

from lecturegen.compile.titles import balance_title, words_per_line, wrap
from lecturegen.compile.measure import words_of
from lecturegen.model.text import Run


class _Widths:
    """Half an em per character, a space included."""

    line_height = 1.2

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return len(text) * size_pt * 0.5


FONT = _Widths()


def _lines(runs: tuple[Run, ...] | None) -> list[str]:
    assert runs is not None
    return "".join(r.text for r in runs).split("\n")


def test_greedy_wrap_matches_what_powerpoint_would_draw() -> None:
    words = words_of([("Clients choose to step in, so depth is not ours alone to create", False)])
    # 20 characters a line at 10 pt in 100 pt
    assert wrap(FONT, words, 10, 100) == [["Clients", "choose", "to"], ["step", "in,", "so", "depth", "is"],
                                         ["not", "ours", "alone", "to"], ["create"]]


def test_a_one_word_last_line_is_avoided() -> None:
    title = (Run("Clients choose to step in, so depth is not ours alone to create"),)
    lines = _lines(balance_title(title, FONT, 10, 200, bold=True))
    assert len(lines) == 2
    assert len(lines[-1].split()) > 1
    assert lines == ["Clients choose to step in,", "so depth is not ours alone to create"]  # at the comma


def test_lines_do_not_end_on_a_word_that_leads_into_the_next() -> None:
    lines = _lines(balance_title((Run("Relational depth is a profound meeting between two people"),), FONT, 10, 180,
                                 bold=True))
    assert all(line.split()[-1].lower() not in ("a", "is", "between", "the") for line in lines[:-1]), lines


def test_a_title_on_one_line_is_left_alone() -> None:
    assert balance_title((Run("Depth can happen online"),), FONT, 10, 400, bold=True) is None


def test_mixed_formatting_and_authors_breaks_are_left_alone() -> None:
    mixed = (Run("Clients felt closer "), Run("when", italic=True), Run(" their therapist seemed less anxious"))
    assert balance_title(mixed, FONT, 10, 150, bold=True) is None
    assert balance_title((Run("Clients felt closer\nwhen their therapist seemed less anxious"),), FONT, 10, 150,
                         bold=True) is None


def test_words_per_line_counts_what_the_lint_reads() -> None:
    assert words_per_line((Run("One two three\nfour"),), FONT, 10, 400, bold=False) == (3, 1)
