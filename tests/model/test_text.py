"""Model tests: runs, paragraphs, citation markers and document-property text."""

from __future__ import annotations

from lecturegen.model.text import MAX_PROPERTY, Citation, CitationItem, Paragraph, Run, property_text


def test_a_paragraphs_text_joins_its_runs() -> None:
    paragraph = Paragraph((Run("Deep "), Run("moments", bold=True), Run(" matter")))
    assert paragraph.text == "Deep moments matter"
    assert paragraph.level == 0 and paragraph.style == "body"
    assert Paragraph(()).text == ""


def test_runs_and_citations_compare_by_value() -> None:
    assert Run("a", bold=True) == Run("a", bold=True)
    assert Run("a") != Run("a", cited=True)
    item = CitationItem("cooper2005", locator="12")
    assert item.label == "page" and not item.suppress_author
    assert Citation((item,), narrative=True) == Citation((CitationItem("cooper2005", "12"),), narrative=True)
    assert Citation((item,)) != Citation((item,), narrative=True)


def test_property_text_keeps_ordinary_text() -> None:
    assert property_text("Relational depth — a talk") == "Relational depth — a talk"
    assert property_text("tab\tand\nnewline") == "tab\tand\nnewline"


def test_property_text_drops_control_characters_and_lone_surrogates() -> None:
    assert property_text("a\x00b\x07c\x7fd\x85e\ufffff") == "abcdef"
    assert property_text("x\ud800y") == "x?y"


def test_property_text_is_cut_to_office_limit_with_an_ellipsis() -> None:
    assert len(property_text("a" * MAX_PROPERTY)) == MAX_PROPERTY
    cut = property_text("a" * (MAX_PROPERTY + 10))
    assert len(cut) == MAX_PROPERTY and cut.endswith("…") and cut[:-1] == "a" * (MAX_PROPERTY - 1)
