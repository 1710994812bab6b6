"""Tests for the citeproc-py state: the lookup memo changes no text, and lists follow APA's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.compile.citations import CitationEngine
from lecturegen.compile import citeproc_state
from lecturegen.compile.citeproc_state import forget_style_lookups
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Citation, CitationItem
from lecturegen.sources.bibliography import load_bibliography
from lecturegen.sources.citation_style import load_style

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bib"


def _texts(style: str) -> list[str]:
    bib = load_bibliography(FIXTURES / "awkward.bib", "awkward.bib", Diagnostics())
    engine = CitationEngine(bib, load_style(style))
    citations = [Citation((CitationItem(k),), narrative=n) for k in bib.keys() for n in (False, True)]
    engine.register(citations)
    return ["".join(r.text for r in engine.cite(c)) for c in citations] + engine.reference_text(None).splitlines()


def test_the_lookup_memo_changes_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from citeproc.model import CitationStylesElement

    for style in ("apa", "chicago-author-date", "vancouver"):
        monkeypatch.setattr(citeproc_state, "MEMOISE_LOOKUPS", False)
        forget_style_lookups()
        plain = _texts(style)
        assert not getattr(CitationStylesElement.get_macro, "memoised", False)
        monkeypatch.setattr(citeproc_state, "MEMOISE_LOOKUPS", True)
        assert _texts(style) == plain, style
        assert getattr(CitationStylesElement.get_macro, "memoised", False)
