"""Inline markup and citation-marker parsing."""

from __future__ import annotations

from lecturegen.compile.inline import parse_inline
from lecturegen.model.deck import Citation, CitationItem, Run


def test_bold_italic_link() -> None:
    assert parse_inline("a **b** *c* [d](https://e.org)", None) == [
        Run("a "), Run("b", bold=True), Run(" "), Run("c", italic=True), Run(" "), Run("d", link="https://e.org"),
    ]


def test_parenthetical_citations_with_locators_and_suppression() -> None:
    [citation] = parse_inline("[see @a, pp. 3-4; -@b]", None)
    assert isinstance(citation, Citation)
    assert citation.items == (
        CitationItem("a", locator="3-4", label="page", prefix="see"),
        CitationItem("b", suppress_author=True),
    )


def test_narrative_citation_but_not_an_email_address() -> None:
    items = parse_inline("As @cooper2005 said; mail me@example.org.", None)
    assert isinstance(items[1], Citation) and items[1].narrative
    assert items[2] == Run(" said; mail me@example.org.")


def test_arithmetic_asterisks_stay_text() -> None:
    assert parse_inline("3*4*5 = 60", None) == [Run("3*4*5 = 60")]


def test_escapes() -> None:
    assert parse_inline(r"\*not italic\* and \@handle", None) == [Run("*not italic* and @handle")]
