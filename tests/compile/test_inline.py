"""Inline markup and citation-marker parsing."""

from __future__ import annotations

import pytest

from lecturegen.compile.inline import citation_keys_in, parse_inline
from lecturegen.diagnostics import Diagnostics, Location
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


WHERE = Location("content/sections/intro.yaml", 8, 9)
HINT = ("(write '[@key]', '[@key, p. 12]' or '[see @key; @other]'; a key is letters, digits and '_', with '-:./+' "
        "between them)")


def _parse(text: str) -> tuple[list[object], list[str]]:
    diags = Diagnostics()
    items = parse_inline(text, WHERE, diags)
    return items, [d.render() for d in diags.items]


def test_keys_with_unicode_letters_and_internal_punctuation() -> None:
    items, errors = _parse("[@flückigerAlliance2018; @doi:10.1037/pst0000172, p. 3] and @del_re-2018+a.")
    assert errors == []
    assert items[0] == Citation((CitationItem("flückigerAlliance2018"),
                                 CitationItem("doi:10.1037/pst0000172", locator="3")), location=WHERE)
    assert items[2] == Citation((CitationItem("del_re-2018+a"),), narrative=True, location=WHERE)
    assert items[3] == Run(".")  # the full stop ends the sentence, not the key


def test_decomposed_letters_are_the_same_key() -> None:
    items, _ = _parse("[@flu\u0308ckiger2018]")  # "ü" typed as u + combining diaeresis
    assert items[0].items[0].key == "flückiger2018"  # type: ignore[attr-defined]


def test_a_bracket_with_one_good_and_one_bad_key_keeps_the_good_one_and_is_an_error() -> None:
    items, errors = _parse("Alliance matters [@flückigerAlliance2018; @bäd!key].")
    assert items == [Run("Alliance matters "), Citation((CitationItem("flückigerAlliance2018"),), location=WHERE),
                     Run(".")]
    assert errors == [f"content/sections/intro.yaml:8:9: error: cannot read '@bäd!key' in citation "
                      f"'[@flückigerAlliance2018; @bäd!key]' {HINT} [cite.syntax]"]


@pytest.mark.parametrize(("text", "error"), [
    ("[@]", "cannot read '@' in citation '[@]'"),
    ("[@a; and more]", "cannot read 'and more' in citation '[@a; and more]'"),
    ("moments [@cooper2005 as he said", "citation '[@cooper2005 as he said' has no closing ']'"),
    ("[@cooper2005 [see below]]", "citation '[@cooper2005 [see below]]' cannot hold another '['"),
])
def test_markers_that_cannot_be_read_are_located_errors_and_leave_no_raw_marker(text: str, error: str) -> None:
    items, errors = _parse(text)
    assert errors == [f"content/sections/intro.yaml:8:9: error: {error} {HINT} [cite.syntax]"]
    shown = "".join(i.text for i in items if isinstance(i, Run))
    assert "[@" not in shown


@pytest.mark.parametrize("text", ["write to [me@example.org]", "see https://medium.com/@author/post",
                                  "mail me@example.org.", r"\[@not a citation\]", "a @ sign"])
def test_e_mail_addresses_urls_and_escapes_are_not_citations(text: str) -> None:
    items, errors = _parse(text)
    assert errors == []
    assert not any(isinstance(i, Citation) for i in items)


def test_citation_keys_in_follows_the_same_rules() -> None:
    text = ("Deep moments [@cooper2005; see @knox2010, p. 3] and **@flückigerAlliance2018** found; "
            "[in a link @linked](https://example.org) \\@escaped, me@example.org, [@good; @bad!] [@]")
    assert citation_keys_in(text) == {"cooper2005", "knox2010", "flückigerAlliance2018", "linked", "good"}
    assert citation_keys_in("no citations here") == set()


def test_a_text_parsed_again_reports_its_problems_again() -> None:
    """Parsed texts are memoised (both passes of a build, and watch, parse the same texts): each caller
    still hears every problem, and gets the same runs and citations."""
    loc = Location("content/sections/a.yaml", 3, 5)
    text = "As shown [@ok; not a key!] and **bold**"
    first, second = Diagnostics(), Diagnostics()
    one = parse_inline(text, loc, first)
    two = parse_inline(text, loc, second)
    assert one == two and one is not two
    assert [d.code for d in first.items] == [d.code for d in second.items] == ["cite.syntax"]
    assert parse_inline(text, loc) == one  # without a collector: the same items, nothing raised
    assert parse_inline(text, Location("content/sections/b.yaml", 1, 1))[1].location != loc  # type: ignore[union-attr]
