"""Template texts Jinja expanded are kept per set of variables: reused while nothing they read changes."""

from __future__ import annotations

from pathlib import Path

from lecturegen.store.disk import Store
from lecturegen.store.template_memo import TemplateMemo

VARIABLES = {"talk": {"title": "Meeting", "slot": 60}, "term": {"client": "client"}}
TEXT = "{% if talk.slot > 60 %}long{% else %}short{% endif %}"


def test_what_a_compile_expanded_is_known_to_the_next_build(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = TemplateMemo(store, VARIABLES)
    assert first.known == {}
    first.save({TEXT: "short"})
    assert TemplateMemo(store, VARIABLES).known == {TEXT: "short"}


def test_other_variables_are_another_entry(tmp_path: Path) -> None:
    store = Store(tmp_path)
    TemplateMemo(store, VARIABLES).save({TEXT: "short"})
    longer = {**VARIABLES, "talk": {"title": "Meeting", "slot": 120}}
    assert TemplateMemo(store, longer).known == {}


def test_entries_accumulate_and_an_unchanged_compile_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    TemplateMemo(store, VARIABLES).save({TEXT: "short"})
    memo = TemplateMemo(store, VARIABLES)
    memo.save({"{{ talk.title | upper }}": "MEETING"})
    assert TemplateMemo(store, VARIABLES).known == {TEXT: "short", "{{ talk.title | upper }}": "MEETING"}
    files = sorted(p.stat().st_mtime_ns for p in (tmp_path / "templates").rglob("*") if p.is_file())
    TemplateMemo(store, VARIABLES).save({TEXT: "short"})
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "templates").rglob("*") if p.is_file()) == files


def test_an_entry_that_is_not_a_map_of_texts_is_ignored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    memo = TemplateMemo(store, VARIABLES)
    store.put("templates", memo.key, b'{"{{ x }}": 3}')
    assert TemplateMemo(store, VARIABLES).known == {}
    store.put("templates", memo.key, b"not json")
    assert TemplateMemo(store, VARIABLES).known == {}


def test_a_store_without_a_folder_remembers_nothing(tmp_path: Path) -> None:
    memo = TemplateMemo(Store(None), VARIABLES)
    memo.save({TEXT: "short"})
    assert TemplateMemo(Store(None), VARIABLES).known == {}
