"""model/roundtrip.py: slide ids, shapes found again after LibreOffice renames them, and what changed."""

from __future__ import annotations

from lecturegen.model.roundtrip import (DeckSnapshot, ShapeText, SlideSnapshot, compare_decks, match_shapes,
                                        snapshot_from_json, snapshot_to_json)


def _slide(uid: str, number: int, title: str, body: str, names: tuple[str, str] = ("Title", "Content"),
           hidden: bool = False, advance: int | None = 60000) -> SlideSnapshot:
    return SlideSnapshot(uid, number, hidden, (ShapeText(names[0], 2, "title", ((0, title),)),
                                                ShapeText(names[1], 3, "body", ((0, body),), box=(10, 20, 30, 40))),
                         ("notes",), advance)


def test_shapes_renamed_by_libreoffice_are_found_by_placeholder_and_order() -> None:
    then = _slide("a", 1, "T", "B").shapes
    now = _slide("a", 1, "T", "B", ("PlaceHolder 1", "PlaceHolder 2")).shapes
    pairs, added = match_shapes(then, now)
    assert [(a.name, b.name if b else None) for a, b in pairs] == [("Title", "PlaceHolder 1"),
                                                                   ("Content", "PlaceHolder 2")]
    assert added == []


def test_compare_names_changed_deleted_added_moved_and_ignores_a_dropped_timing() -> None:
    written = DeckSnapshot((_slide("a", 1, "A", "x"), _slide("b", 2, "B", "y"), _slide("c", 3, "C", "z")))
    current = DeckSnapshot((_slide("c", 1, "C", "z", advance=None), _slide("a", 2, "A2", "x", hidden=True),
                            _slide("", 3, "New", "n")))
    changes = compare_decks(written, current)
    assert changes.changed == ((2, "title, hidden"),)
    assert changes.deleted == (2,) and changes.added == (3,) and changes.moved
    assert changes.describe() == "slides changed 2 (title, hidden); deleted 2; added 3; slides moved"
    assert not compare_decks(written, written).any


def test_a_snapshot_survives_json() -> None:
    deck = DeckSnapshot((_slide("a", 1, "A", "x"),))
    assert snapshot_from_json(snapshot_to_json(deck)) == deck
