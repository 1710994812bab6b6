"""Compile tests: the statement kind, the first of the older kinds moved into the registry."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lecturegen.build import prepare
from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.statement import KIND, Statement, StatementSpec, parse, place
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Shape, TextShape
from lecturegen.sources.outline import COMMON_KEYS
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml
from lecturegen.workspace import Workspace


def _parse(text: str) -> tuple[StatementSpec | None, list[str]]:
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(text), "s.yaml", diags)
    assert node is not None
    spec = parse(Fields(node, Ctx("s.yaml", diags), COMMON_KEYS | KIND.keys, "statement slide"), node)
    assert spec is None or isinstance(spec, StatementSpec)
    return spec, [d.render() for d in diags.items]


def test_it_lives_in_the_registry_only() -> None:
    assert KINDS["statement"] is KIND
    assert kind_role("statement") == "content"


def test_the_statement_is_required_and_located() -> None:
    spec, problems = _parse("kind: statement\ncaption: Why\n")
    assert spec is None
    assert problems == ["s.yaml:1:1: error: statement slide is missing the required key 'statement' "
                        "[yaml.missing-key]"]
    spec, problems = _parse("kind: statement\nstatement: 8 of 8\ncaption: Every one\n")
    assert problems == [] and spec is not None
    assert [t.text for t in spec.texts()] == ["8 of 8", "Every one"]


def test_the_record_reads_and_describes_itself() -> None:
    record = Statement((Run("8\u00a0of\u00a08"),), (Run("Every therapist"),))
    assert record.describe() == "8\u00a0of\u00a08 Every therapist"
    assert [p.style for p in record.paragraphs()] == ["big", "caption"]


class _Lent:
    def __init__(self) -> None:
        self.asked: list[tuple[tuple[Paragraph, ...], str]] = []

    def centred_body(self, slide: Slide, paragraphs: tuple[Paragraph, ...], what: str) -> list[Shape]:
        self.asked.append((paragraphs, what))
        return []


def test_it_is_placed_as_centred_body_text() -> None:
    lent = _Lent()
    slide = Slide(kind="statement", layout="content", title=(Run("T"),), content=Statement((Run("Yes"),)))
    place(slide, Box(0, 0, 1, 1), lent)  # type: ignore[arg-type]  # only what the placer uses
    assert [(tuple(p.text for p in paragraphs), what) for paragraphs, what in lent.asked] == [(("Yes",), "statement")]


def test_through_the_pipeline_the_number_keeps_its_unit_and_stands_in_the_body(mini: Path) -> None:
    deck = prepare(Workspace(mini), "small", Diagnostics()).result.deck
    slide = next(s for s in deck.slides if s.kind == "statement")
    assert isinstance(slide.content, Statement)
    assert "".join(r.text for r in slide.content.text) == "8\u00a0of\u00a08"
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert body.placeholder is not None and body.lines[0].text == "8\u00a0of\u00a08"
    assert body.lines[0].size >= 40 and body.lines[0].align == "ctr"
