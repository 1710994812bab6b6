"""Compile tests: the quote kind — its keys, its spec, the body it builds and where it stands."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.quote import QuoteSpec
from lecturegen.compile.timing import estimate_minutes
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_the_quote_is_required_and_located() -> None:
    spec, problems = parse("quote", "kind: quote\nattribution: Someone\n")
    assert spec is None
    assert problems == ["s.yaml:1:1: error: quote slide is missing the required key 'quote' [yaml.missing-key]"]
    spec, problems = parse("quote", "kind: quote\nquote: Be real.\nattributon: Carl\n")
    assert any(p.startswith("s.yaml:3:1: error: unknown key 'attributon'") for p in problems), problems


def test_the_spec_knows_when_its_attribution_cites() -> None:
    spec, _ = parse("quote", "kind: quote\nquote: Be real.\nattribution: '@cooper2005'\n")
    assert isinstance(spec, QuoteSpec) and spec.cites_in_attribution()
    assert [t.text for t in spec.texts()] == ["Be real.", "@cooper2005"]
    plain, _ = parse("quote", "kind: quote\nquote: Be real.\nattribution: Carl Rogers\n")
    assert isinstance(plain, QuoteSpec) and not plain.cites_in_attribution()


def test_entry_role_and_time() -> None:
    assert kind_role("quote") == "content" and KINDS["quote"].lay is not None
    assert estimate_minutes("quote", "", 130, None) == 0.75


def test_built_and_placed_in_the_middle_of_the_body(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: quote
          title: In their words
          quote: It felt like we were really meeting.
          attribution: A client [@knox2010]
        """)
    slide = slides_of(built, "quote")[0]
    assert [p.style for p in slide.body] == ["quote", "attribution"]
    assert slide.body[1].runs[0].text == "— "
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert inside(body, built) and body.lines[0].text == "“It felt like we were really meeting.”"
    assert body.anchor == "ctr"
    assert not slide.sources  # an attribution that cites is the source line
