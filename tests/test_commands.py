"""Tests for the commands layer's helpers that the CLI tests reach only through their messages."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lecturegen.commands import _stands_as_word

KEYS = ["ab", "a1", "ab:b", "a.b", "b", "é1", "a+b", "ab-", "-ab", "flückiger2018"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1_ :./+-@[];é\nflückiger2018", max_size=40), st.sampled_from(KEYS))
def test_a_key_is_cited_exactly_when_it_is_one_of_the_words(text: str, key: str) -> None:
    """The uncited-entry note finds keys without splitting the whole workspace into words: same answer."""
    words = set(re.findall(r"\w[\w:./+-]*\w|\w", text))
    assert _stands_as_word(text, key) == (key in words)
    assert _stands_as_word(text, key, tries=1) in (key in words, None)  # gives up rather than guesses
