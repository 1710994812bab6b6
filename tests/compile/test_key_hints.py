"""Tests for the did-you-mean of unknown citation keys."""

from __future__ import annotations

from lecturegen.compile.key_hints import rank_keys, suggest_keys


def test_author_and_year_outrank_edit_distance() -> None:
    known = ["iea2021", "ciezExamining2019", "cooper2005"]
    assert rank_keys("ciez2019", known)[0] == "ciezExamining2019"
    assert suggest_keys(["ciez2019"], known) == {"ciez2019": "did you mean 'ciezExamining2019'?"}


def test_a_typo_and_a_letter_case_still_find_their_key() -> None:
    assert rank_keys("coper2005", ["cooper2005", "knox2010"])[0] == "cooper2005"
    assert rank_keys("Cooper2005", ["cooper2005", "cooper2005a"]) == ["cooper2005"]
    assert rank_keys("zzz", ["cooper2005"]) == []
