"""Compile tests: finding terminology variants in text through the token trie."""

from __future__ import annotations

from lecturegen.compile.terms import TermIndex, tokens
from lecturegen.diagnostics import Location
from lecturegen.sources.dictionary import MAX_TERM_TOKENS, TermSpec

AT = Location("dictionary.yaml", 1, 1)


def _index(*terms: tuple[str, ...]) -> TermIndex:
    return TermIndex([TermSpec(variants[0], variants[1:], AT) for variants in terms])


def _found(index: TermIndex, text: str) -> list[tuple[int, str]]:
    return [(term, text[start:end]) for term, start, end in index.find(text)]


def test_tokens_are_lowercased_with_one_apostrophe_and_note_spaces() -> None:
    assert tokens("Client’s  view-point") == [(False, "client"), (False, "'"), (False, "s"), (True, "view"),
                                               (False, "-"), (False, "point")]
    assert tokens("") == []


def test_variants_are_found_in_any_case_with_their_places() -> None:
    index = _index(("counselling", "counseling", "Counsellor-led"))
    text = "Counseling and COUNSELLOR-LED work; counseling again."
    assert list(index.find(text)) == [(0, 0, 10), (0, 15, 29), (0, 36, 46)]


def test_a_variant_is_not_found_inside_a_longer_word() -> None:
    index = _index(("therapist", "therapist"), ("etc.", "etc"))
    assert _found(index, "psychotherapists and the therapist") == [(0, "therapist")]


def test_several_words_match_across_any_amount_of_space_but_not_none() -> None:
    index = _index(("person-centred", "person centered"))
    assert _found(index, "a person   centered approach") == [(0, "person   centered")]
    assert _found(index, "a personcentered approach") == []


def test_the_longest_variant_at_a_place_wins_and_matches_do_not_overlap() -> None:
    index = _index(("CBT", "cognitive behavioural", "cognitive behavioural therapy"))
    assert _found(index, "cognitive behavioural therapy works") == [(0, "cognitive behavioural therapy")]


def test_each_term_is_reported_separately() -> None:
    index = _index(("client", "patient"), ("counselling", "therapy"))
    assert _found(index, "patient in therapy, patient again") == [(0, "patient"), (1, "therapy"), (0, "patient")]


def test_a_variant_starting_with_punctuation_does_not_follow_a_word() -> None:
    index = _index(("dotnet", ".net"))
    assert _found(index, "use .net here") == [(0, ".net")]
    assert _found(index, "x.net") == []


def test_a_variant_ending_with_punctuation_does_not_run_on_into_a_word() -> None:
    index = _index(("and so on", "etc."))
    assert _found(index, "tea, etc. then") == [(0, "etc.")]
    assert _found(index, "etc.x") == []


def test_an_empty_or_over_long_variant_is_never_indexed() -> None:
    long = " ".join(["word"] * (MAX_TERM_TOKENS + 1))
    index = _index(("x", "", long))
    assert index.root.children == {}
    assert list(index.find(long)) == []
