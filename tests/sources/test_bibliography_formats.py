"""Tests for choosing a bibliography's format and merging several files (sources/bibliography.py)."""

from __future__ import annotations

import pytest

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.bibliography import looks_like, merge_bibliographies, parse_bibliography

CSL_JSON = '[{"id": "a", "type": "book", "title": "T", "author": [{"family": "A"}], "issued": {"date-parts": [[2020]]}}]'


@pytest.mark.parametrize(("text", "kind"), [
    (CSL_JSON, "csl-json"), ("@book{a, title={T}}", "bibtex"), ("% c\n@article{a,", "bibtex"),
    ("TY  - JOUR\nER  - \n", "ris"), ("---\nreferences:\n- id: a\n", "csl-yaml"), ("- id: a\n", "csl-yaml"),
    ("<?xml version='1.0'?><xml><records>", "XML (EndNote or MODS)"), ("%PDF-1.7", "PDF"), ("hello", None)])
def test_what_a_file_looks_like(text: str, kind: str | None) -> None:
    assert looks_like(text) == kind


def test_csl_json_saved_as_bib_is_one_located_error_not_unknown_keys() -> None:
    diags = Diagnostics()
    assert parse_bibliography(CSL_JSON, "bibliography.bib", diags).keys() == []
    assert [d.render() for d in diags.items] == [
        "bibliography.bib:1:1: error: 'bibliography.bib' is not BibTeX: it looks like CSL-JSON (name it "
        "'bibliography.json') [bib.format]"]


def test_an_unknown_extension_names_what_the_file_looks_like() -> None:
    diags = Diagnostics()
    parse_bibliography("TY  - JOUR\nER  - \n", "export.txt", diags)
    assert [d.render() for d in diags.items] == [
        "export.txt:1:1: error: unknown bibliography format '.txt'; it looks like RIS (name it 'export.ris') "
        "[bib.format]"]


def test_a_key_in_two_files_is_an_error_naming_both() -> None:
    diags = Diagnostics()
    shared = parse_bibliography("\n@book{a, author={A, B}, title={T}, year={2020}}", "shared.bib", diags)
    extra = parse_bibliography(CSL_JSON, "talk.json", diags)
    merged = merge_bibliographies([shared, extra], diags)
    assert merged.keys() == ["a"] and merged.get("a").location.path == "shared.bib"
    assert [d.render() for d in diags.items] == [
        "talk.json:1:2: error: duplicate key 'a' (the first is at shared.bib:2) [bib.duplicate-key]"]
