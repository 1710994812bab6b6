"""Compile tests: the references kind — no keys; the works cited fill it from the top of the body."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_it_takes_no_keys_of_its_own() -> None:
    spec, problems = parse("references", "kind: references\n")
    assert problems == [] and spec is not None and spec.texts() == ()
    assert kind_role("references") == "content" and KINDS["references"].minimum_minutes == 0.1


def test_the_works_cited_are_listed_in_the_body(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: bullets
          title: Cited
          bullets:
            - Deep moments [@cooper2005]
        - kind: references
        """)
    slide = slides_of(built, "references")[0]
    assert any("Cooper" in "".join(r.text for r in p.runs) for p in slide.body)
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert inside(body, built) and body.anchor != "ctr"
