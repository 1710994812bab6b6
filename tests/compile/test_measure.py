"""Compile tests: measuring text — splitting into words, greedy wrapping and block heights."""

from __future__ import annotations

import pytest

from lecturegen.compile.measure import (
    TextBlock,
    block_height,
    block_lines,
    count_lines,
    widest_line,
    words_of,
)


class Mono:
    """A fixed-width font: every character is half the size wide, bold ones a full size wide."""

    line_height = 1.2

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return len(text) * size_pt * (1.0 if bold else 0.5)


FONT = Mono()


def test_words_split_on_white_space_but_keep_no_break_spaces() -> None:
    assert words_of([("168\u00a0therapists  were\tasked", False)]) == (
        ("168\u00a0therapists", False), ("were", False), ("asked", False))


def test_line_breaks_become_their_own_word_and_boldness_is_kept() -> None:
    assert words_of([("one\ntwo", True), (" three", False)]) == (
        ("one", True), ("\n", False), ("two", True), ("three", False))


def test_empty_text_has_no_words() -> None:
    assert words_of([("   ", False), ("", True)]) == ()


def test_words_wrap_greedily() -> None:
    # At 10 pt each character is 5 pt wide and a space 5 pt: "aaaa bbbb" is 45 pt.
    words = words_of([("aaaa bbbb cccc", False)])
    assert count_lines(FONT, words, 10, 45) == 2
    assert count_lines(FONT, words, 10, 70) == 1
    assert count_lines(FONT, words, 10, 44) == 3


def test_an_over_long_word_breaks_across_lines() -> None:
    assert count_lines(FONT, words_of([("x" * 28, False)]), 10, 50) == 3  # 140 pt in 50 pt frames
    assert count_lines(FONT, words_of([("x" * 28 + " y", False)]), 10, 50) == 3  # "y" joins the 40 pt rest


def test_a_word_exactly_three_frames_wide_takes_three_lines() -> None:
    assert count_lines(FONT, words_of([("x" * 30, False)]), 10, 50) == 3


def test_explicit_breaks_and_bold_words_count() -> None:
    assert count_lines(FONT, words_of([("a\nb\nc", False)]), 10, 1000) == 3
    assert count_lines(FONT, words_of([("abcd", True)]), 10, 39) == 2  # bold: 40 pt


def test_no_room_means_an_impossible_number_of_lines() -> None:
    assert count_lines(FONT, words_of([("a", False)]), 10, 0) == 10_000


def test_widest_line_ignores_wrapping() -> None:
    words = words_of([("ab cd\nabcdefgh", False)])
    assert widest_line(FONT, words, 10) == pytest.approx(40.0)
    assert widest_line(FONT, words_of([("ab cd", False)]), 10) == pytest.approx(25.0)


def test_block_lines_take_off_the_margin_and_an_empty_block_is_one_line() -> None:
    block = TextBlock(words_of([("aaaa bbbb", False)]), 10, FONT, margin_pt=11)
    assert block_lines(block, 55) == 2
    assert block_lines(TextBlock(words_of([("aaaa bbbb", False)]), 10, FONT), 55) == 1
    assert block_lines(TextBlock((), 10, FONT), 1) == 1


def test_block_height_adds_lines_spacing_and_space_before_all_but_the_first() -> None:
    first = TextBlock(words_of([("aaaa bbbb", False)]), 10, FONT, space_before_pt=100)
    second = TextBlock(words_of([("cc", False)]), 20, FONT, space_before_pt=6, line_spacing=1.5)
    # first: 2 lines × 10 × 1.2 = 24; second: 6 + 1 × 20 × 1.2 × 1.5 = 42
    assert block_height([first, second], 40) == pytest.approx(66.0)
    assert block_height([], 40) == 0.0
