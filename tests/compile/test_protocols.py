"""Tests for compile/protocols.py: the citation engines compile is given really are CitationFormatters."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Callable

import pytest

from lecturegen.compile.citations import CitationEngine
from lecturegen.compile.protocols import CitationFormatter
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.text import Citation, CitationItem
from lecturegen.sources.bibliography import Bibliography, parse_bibliography
from lecturegen.sources.citation_style import load_style
from lecturegen.store.citations import CachedCitations
from lecturegen.store.disk import Store
from tests.conftest import MINI_BIB

IMPLEMENTATIONS = (CitationEngine, CachedCitations)


def protocol_methods() -> dict[str, inspect.Signature]:
    """The methods the protocol declares, with their signatures (annotations resolved)."""
    return {name: inspect.signature(member, eval_str=True)
            for name, member in vars(CitationFormatter).items()
            if inspect.isfunction(member) and not name.startswith("_")}


def test_the_protocol_declares_what_compile_calls() -> None:
    assert set(protocol_methods()) == {"check_keys", "register", "cite", "bibliography", "reference_text"}
    assert "bib" in CitationFormatter.__annotations__


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", sorted(protocol_methods()))
def test_each_engine_has_each_method_with_the_protocols_signature(implementation: type, name: str) -> None:
    method = getattr(implementation, name, None)
    assert callable(method), f"{implementation.__name__} has no {name}"
    assert inspect.signature(method, eval_str=True) == protocol_methods()[name]


def bibliography() -> Bibliography:
    diags = Diagnostics()
    bib = parse_bibliography(MINI_BIB, "bibliography.bib", diags)
    assert not diags.has_errors
    return bib


def real_engine(bib: Bibliography, tmp_path: Path) -> CitationEngine:
    return CitationEngine(bib, load_style("apa", None, None))


def cached_engine(bib: Bibliography, tmp_path: Path) -> CachedCitations:
    return CachedCitations(bib, MINI_BIB.encode(), "apa", None, None, Store(tmp_path / "store"))


Maker = Callable[[Bibliography, Path], CitationFormatter]
MAKERS: list[Maker] = [real_engine, cached_engine]  # mypy checks that both engines satisfy the protocol


@pytest.mark.parametrize("make", MAKERS, ids=["CitationEngine", "CachedCitations"])
def test_an_engine_used_through_the_protocol_formats_and_checks(make: Maker, tmp_path: Path) -> None:
    bib = bibliography()
    formatter: CitationFormatter = make(bib, tmp_path)
    assert formatter.bib is bib
    cooper = Citation((CitationItem("cooper2005"),), location=Location("s.yaml", 3, 5))
    unknown = Citation((CitationItem("coper2005"),), location=Location("s.yaml", 9, 5))
    diags = Diagnostics()
    formatter.check_keys([cooper, unknown], diags)
    assert [d.render() for d in diags.errors] == [
        "s.yaml:9:5: error: unknown citation key 'coper2005' (did you mean 'cooper2005'?) [cite.unknown]"]
    formatter.register([cooper])
    assert "".join(r.text for r in formatter.cite(cooper)) == "(Cooper, 2005)"
    entries = formatter.bibliography()
    assert len(entries) == 1 and "".join(r.text for r in entries[0]).startswith("Cooper, M. (2005).")
    assert formatter.reference_text(["cooper2005"]).startswith("Cooper, M. (2005).")
