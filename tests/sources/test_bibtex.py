"""Tests for the BibTeX reader's entry points (the detailed cases are in test_bibliography.py)."""

from __future__ import annotations

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.bibtex import parse_bibtex


def test_entries_keep_their_line_and_unicode_key() -> None:
    diags = Diagnostics()
    bib = parse_bibtex("% c\n\n@article{ólafsdóttir2021, author = {{\\'O}lafsd{\\'o}ttir, S.}, title = {T}, "
                       "year = {2021}}", "b.bib", diags)
    entry = bib.get("ólafsdóttir2021")
    assert entry is not None and entry.location.line == 3
    assert entry.csl["author"] == [{"family": "Ólafsdóttir", "given": "S."}]
    assert diags.items == []
