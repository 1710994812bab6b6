"""The store keeps icons parsed from the set's archive: a rebuild does not open the archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.sources import icons as source_icons
from lecturegen.sources.icons import UnknownIcon, load_icon
from lecturegen.store.disk import Store
from lecturegen.store.icons import StoredIcons


def test_a_stored_icon_is_the_parsed_one_and_a_later_build_opens_no_archive(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "cache")
    assert StoredIcons(store)("heart") == load_icon("heart")

    def no_archive() -> None:
        raise AssertionError("the archive was opened")

    monkeypatch.setattr(source_icons, "_archive", no_archive)
    monkeypatch.setattr(source_icons, "load_icon", no_archive)
    again = StoredIcons(store)
    assert again("heart") == load_icon("heart")
    assert again("heart") is again("heart")  # read from the store once a build


def test_an_unknown_icon_raises_as_the_set_does_and_stores_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    with pytest.raises(UnknownIcon) as raised:
        StoredIcons(store)("hart")
    assert raised.value.hint is not None and "heart" in raised.value.hint
    assert not store.has_any("icons")


def test_a_damaged_entry_is_read_from_the_set_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    StoredIcons(store)("users")
    folder = tmp_path / "cache" / "icons"
    entries = [p for p in folder.rglob("*") if p.is_file()]
    assert entries
    key = entries[0].name
    store.put("icons", key, b'{"name": "users", "paths": [{"steps": 3}]}')
    assert store.get("icons", key) == b'{"name": "users", "paths": [{"steps": 3}]}'
    assert StoredIcons(store)("users") == load_icon("users")
