"""Store tests: parsed bibliographies kept by their bytes, so a rebuild does not parse again."""

from __future__ import annotations

from pathlib import Path

from lecturegen.diagnostics import Diagnostics
from lecturegen.store.bibliography import READER_MODULES, cached_bibliography, modules_digest
from lecturegen.store.disk import Store
from tests.conftest import MINI_BIB

BROKEN = MINI_BIB + "\n@article{broken,\n  title = {No closing brace}\n"


def _read(store: Store, path: Path, data: bytes) -> tuple[list[str], list[str]]:
    diags = Diagnostics()
    bib = cached_bibliography(store, path, data, "bibliography.bib", diags)
    return sorted(bib.entries), [d.render() for d in diags.items]


def test_a_second_read_of_the_same_bytes_comes_from_the_store(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(MINI_BIB, encoding="utf-8")
    store = Store(tmp_path / "store")
    first = _read(store, path, MINI_BIB.encode())
    assert first[0] == ["cooper2005", "knox2010", "unused2001"]
    path.unlink()  # a cache hit never opens the file
    assert _read(store, path, MINI_BIB.encode()) == first


def test_the_entries_come_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(MINI_BIB, encoding="utf-8")
    store = Store(tmp_path / "store")
    diags = Diagnostics()
    fresh = cached_bibliography(store, path, MINI_BIB.encode(), "bibliography.bib", diags)
    cached = cached_bibliography(store, path, MINI_BIB.encode(), "bibliography.bib", Diagnostics())
    assert cached == fresh
    entry = cached.entries["knox2010"]
    assert entry.type == "article" and entry.fields["year"] == "2010"
    assert entry.location.path == "bibliography.bib" and entry.location.line > 1
    assert entry.csl["issued"] == fresh.entries["knox2010"].csl["issued"]


def test_other_bytes_are_parsed_afresh(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    store = Store(tmp_path / "store")
    path.write_text(MINI_BIB, encoding="utf-8")
    _read(store, path, MINI_BIB.encode())
    smaller = MINI_BIB.split("@book")[0]
    path.write_text(smaller, encoding="utf-8")
    assert _read(store, path, smaller.encode())[0] == ["cooper2005", "knox2010"]


def test_a_file_with_errors_is_not_kept_and_reports_them_every_time(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(BROKEN, encoding="utf-8")
    store = Store(tmp_path / "store")
    _, problems = _read(store, path, BROKEN.encode())
    assert any(": error: " in p for p in problems)
    assert [f for f in (tmp_path / "store").rglob("*") if f.is_file()] == []
    assert _read(store, path, BROKEN.encode())[1] == problems


def test_a_corrupt_store_entry_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(MINI_BIB, encoding="utf-8")
    store = Store(tmp_path / "store")
    expected = _read(store, path, MINI_BIB.encode())
    assert len([f for f in (tmp_path / "store").rglob("*") if f.is_file()]) == 1
    for entry in (tmp_path / "store").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"{not json")
    assert _read(store, path, MINI_BIB.encode()) == expected


def test_the_modules_digest_is_stable_and_depends_on_the_modules() -> None:
    assert modules_digest(READER_MODULES) == modules_digest(READER_MODULES)
    assert modules_digest(("sources.bibtex",)) != modules_digest(("sources.ris",))
    assert modules_digest(("no_such_module",)) == modules_digest(())
    assert len(modules_digest(READER_MODULES)) == 64
