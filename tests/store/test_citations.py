"""Store tests: the citation engine behind a cache — formatted once, served from the store after."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Citation, CitationItem, Run
from lecturegen.sources.bibliography import load_bibliography
from lecturegen.store.citations import CachedCitations
from lecturegen.store.disk import Store
from tests.conftest import MINI_BIB

COOPER = Citation((CitationItem("cooper2005"),))
KNOX = Citation((CitationItem("knox2010"),), narrative=True)


def _engine(tmp_path: Path, store: Store, bib_text: str = MINI_BIB) -> CachedCitations:
    path = tmp_path / "bibliography.bib"
    path.write_text(bib_text, encoding="utf-8")
    bib = load_bibliography(path, "bibliography.bib", Diagnostics())
    return CachedCitations(bib, bib_text.encode(), "apa", None, None, store)


def _text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def test_citations_and_references_are_formatted(tmp_path: Path) -> None:
    engine = _engine(tmp_path, Store(tmp_path / "store"))
    engine.register([COOPER, KNOX])
    assert _text(engine.cite(COOPER)) == "(Cooper, 2005)"
    assert _text(engine.cite(KNOX)) == "Knox and Cooper (2010)"
    assert all(r.cited for r in engine.cite(COOPER))
    entries = [_text(e) for e in engine.bibliography(["cooper2005"])]
    assert len(entries) == 1 and entries[0].startswith("Cooper, M. (2005).")


def test_a_second_engine_with_the_same_inputs_needs_no_citeproc(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    first = _engine(tmp_path, store)
    first.register([COOPER, KNOX])
    cites = [first.cite(COOPER), first.cite(KNOX)]
    refs = first.bibliography(["cooper2005", "knox2010"])
    first.save()

    second = _engine(tmp_path, store)

    def no_engine(self: CachedCitations) -> None:
        raise AssertionError("the citation engine was built")

    monkeypatch.setattr(CachedCitations, "engine", property(no_engine))
    second.register([COOPER, KNOX])
    assert [second.cite(COOPER), second.cite(KNOX)] == cites
    assert second.bibliography(["cooper2005", "knox2010"]) == refs


def test_nothing_is_stored_until_saved_and_a_clean_engine_writes_nothing(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    engine = _engine(tmp_path, Store(store_dir))
    engine.save()  # nothing registered: nothing to keep
    engine.register([COOPER])
    engine.cite(COOPER)
    assert not [f for f in store_dir.rglob("*") if f.is_file()]
    engine.save()
    assert len([f for f in store_dir.rglob("*") if f.is_file()]) == 1


def test_other_registered_citations_or_bibliography_bytes_miss_the_cache(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    first = _engine(tmp_path, store)
    first.register([COOPER])
    first.cite(COOPER)
    first.save()
    built: list[bool] = []
    real = CachedCitations.engine

    def counting(self: CachedCitations) -> object:
        built.append(True)
        return real.fget(self)  # type: ignore[attr-defined]

    monkeypatch.setattr(CachedCitations, "engine", property(counting))
    _engine(tmp_path, store).register([COOPER])
    assert built == []  # the same citations: served from the store
    _engine(tmp_path, store).register([COOPER, KNOX])
    assert built  # a different set of citations: a different key, so the engine is built
    monkeypatch.undo()
    changed = _engine(tmp_path, store, MINI_BIB.replace("year    = {2005}", "year    = {2006}"))
    changed.register([COOPER])
    assert _text(changed.cite(COOPER)) == "(Cooper, 2006)"


def test_unknown_keys_are_reported(tmp_path: Path) -> None:
    engine = _engine(tmp_path, Store(tmp_path / "store"))
    diags = Diagnostics()
    engine.check_keys([Citation((CitationItem("coper2005"),))], diags)
    assert len(diags.items) == 1 and "coper2005" in diags.items[0].message
