"""Tests for what the adapter changes before and after citeproc-py renders."""

from __future__ import annotations

from lecturegen.compile.csl_fixes import date_range, whole_word_nocase

NC = '<span class="nocase">'


def test_protection_covers_whole_words() -> None:
    assert whole_word_nocase(f"Conference & Expo ({NC}ITEC</span>)") == f"Conference & Expo {NC}(ITEC)</span>"
    assert whole_word_nocase(f"{NC}EV</span>s and {NC}UK</span>- and US") == f"{NC}EVs</span> and {NC}UK-</span> and US"
    assert whole_word_nocase("plain words") == "plain words"


def test_date_ranges() -> None:
    assert date_range("2009, May 15", "2009, May 16") == "2009, May 15–16"
