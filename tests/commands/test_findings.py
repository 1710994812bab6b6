"""What a build and `check` both report beyond compiling: uncited bibliography entries, geometry and contrast."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lecturegen.build import prepare
from lecturegen.commands.findings import _geometry, _stands_as_word, _uncited_entries
from lecturegen.diagnostics import Diagnostics
from lecturegen.workspace import Workspace

KEYS = ["ab", "a1", "ab:b", "a.b", "b", "é1", "a+b", "ab-", "-ab", "flückiger2018"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1_ :./+-@[];é\nflückiger2018", max_size=40), st.sampled_from(KEYS))
def test_a_key_is_cited_exactly_when_it_is_one_of_the_words(text: str, key: str) -> None:
    """The uncited-entry note finds keys without splitting the whole workspace into words: same answer."""
    words = set(re.findall(r"\w[\w:./+-]*\w|\w", text))
    assert _stands_as_word(text, key) == (key in words)
    assert _stands_as_word(text, key, tries=1) in (key in words, None)  # gives up rather than guesses


def uncited(root: Path) -> list[str]:
    workspace = Workspace(root)
    prepared = prepare(workspace, "small", Diagnostics())
    diags = Diagnostics()
    _uncited_entries(workspace, prepared, diags)
    assert all(d.severity == "info" and d.code == "bib.uncited" for d in diags.items)
    return [d.message for d in diags.items]


def test_only_the_entry_no_file_cites_is_noted_at_its_entry(mini: Path) -> None:
    assert uncited(mini) == ["bibliography entry 'unused2001' is cited by no talk"]
    workspace = Workspace(mini)
    diags = Diagnostics()
    _uncited_entries(workspace, prepare(workspace, "small", Diagnostics()), diags)
    (note,) = diags.items
    assert note.location is not None and note.location.path == "bibliography.bib"


def test_a_key_named_in_a_data_sidecar_counts_as_cited(mini: Path) -> None:
    (mini / "content" / "data").mkdir()
    (mini / "content" / "data" / "figures.yaml").write_text("source: [unused2001]\n", encoding="utf-8")
    assert uncited(mini) == []


def test_a_key_inside_a_longer_word_is_not_a_citation(mini: Path) -> None:
    (mini / "content" / "data").mkdir()
    (mini / "content" / "data" / "figures.yaml").write_text("source: [unused2001b]\n", encoding="utf-8")
    assert uncited(mini) == ["bibliography entry 'unused2001' is cited by no talk"]


def test_the_geometry_of_a_clean_deck_has_no_findings(mini: Path) -> None:
    diags = Diagnostics()
    _geometry(prepare(Workspace(mini), "small", Diagnostics()), diags)
    assert diags.items == []


def test_a_shape_beyond_the_slide_is_an_error_at_its_slide(mini: Path) -> None:
    """What the shared checker would find, found in the model: here a shape moved off the slide by hand."""
    import dataclasses

    prepared = prepare(Workspace(mini), "small", Diagnostics())
    deck = prepared.result.deck
    second = deck.slides[1]
    moved = dataclasses.replace(second.shapes[0], box=dataclasses.replace(second.shapes[0].box, x=deck.width))
    slides = (deck.slides[0], dataclasses.replace(second, shapes=(moved, *second.shapes[1:])), *deck.slides[2:])
    prepared.result = dataclasses.replace(prepared.result, deck=dataclasses.replace(deck, slides=slides))
    diags = Diagnostics()
    _geometry(prepared, diags)
    (finding,) = diags.items
    assert finding.severity == "error" and finding.code == "geometry.off-slide"
    assert finding.location == second.location and second.location is not None
