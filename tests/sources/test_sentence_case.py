"""Tests for the BibTeX titles' sentence case."""

from __future__ import annotations

from lecturegen.sources.sentence_case import sentence_case_item, to_sentence_case


def test_title_case_to_sentence_case_keeping_protected_words() -> None:
    assert to_sentence_case('Therapy in <span class="nocase">Iceland</span>: A National Survey') == \
        'Therapy in <span class="nocase">Iceland</span>: A national survey'


def test_only_english_items_and_book_containers_change() -> None:
    item: dict[str, object] = {"type": "chapter", "title": "Change Processes", "container-title": "Group Handbook"}
    sentence_case_item(item)
    assert item == {"type": "chapter", "title": "Change processes", "container-title": "Group handbook"}
    german: dict[str, object] = {"type": "book", "title": "Psychotherapie im Wandel", "language": "de-DE"}
    sentence_case_item(german)
    assert german["title"] == "Psychotherapie im Wandel"
