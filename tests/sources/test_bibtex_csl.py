"""Tests for biblatex fields → CSL items."""

from __future__ import annotations

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.bibtex_csl import fields_to_csl


def test_a_thesis_and_a_chapter_become_csl() -> None:
    at, diags = Location("b.bib", 1, 1), Diagnostics()
    thesis = {"author": "Šimić, Ana", "title": "Relational Depth in {Croatian} Counselling", "date": "2022",
              "institution": "University of Zagreb", "type": "phdthesis", "langid": "english"}
    csl = fields_to_csl("k", "thesis", thesis, thesis, diags, at)
    assert csl["genre"] == "Doctoral dissertation" and csl["publisher"] == "University of Zagreb"
    assert csl["title"] == 'Relational depth in <span class="nocase">Croatian</span> counselling'
    chapter = {"author": "Strauß, Bernhard", "editor": "van der Veer, Karin", "title": "T", "booktitle": "Handbook",
               "pages": "45--67", "year": "2019"}
    csl = fields_to_csl("c", "incollection", chapter, chapter, diags, at)
    assert csl["type"] == "chapter" and csl["page"] == "45-67"
    assert csl["editor"] == [{"family": "Veer", "given": "Karin", "non-dropping-particle": "van der"}]
    assert diags.items == []
