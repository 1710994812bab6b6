"""The store keeps which file stands for a font family, and never serves an answer that no longer holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lecturegen.model.style import FontFace
from lecturegen.sources import fonts as sources_fonts
from lecturegen.store import fonts
from lecturegen.store.disk import Store


def _counting(monkeypatch: pytest.MonkeyPatch, face: FontFace) -> list[str]:
    calls: list[str] = []

    def find(family: str) -> FontFace:
        calls.append(family)
        return face

    monkeypatch.setattr(fonts, "find_face", find)
    return calls


def test_a_second_build_asks_fontconfig_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = sources_fonts.find_face("Carlito")
    calls = _counting(monkeypatch, real)
    store = Store(tmp_path / "cache")
    assert fonts.cached_face(store, "Carlito") == real
    assert fonts.cached_face(store, "Carlito") == real
    assert calls == ["Carlito"]


def test_a_face_whose_file_is_gone_or_a_damaged_entry_is_found_again(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    font_file = tmp_path / "Gone-Regular.ttf"
    font_file.write_bytes(b"not really a font")
    calls = _counting(monkeypatch, FontFace("Gone", "Gone", "exact", str(font_file), str(font_file)))
    store = Store(tmp_path / "cache")
    fonts.cached_face(store, "Gone")
    font_file.unlink()
    fonts.cached_face(store, "Gone")
    assert calls == ["Gone", "Gone"]
    store.put("fonts", fonts._key("Gone"), b"{not json")
    fonts.cached_face(store, "Gone")
    store.put("fonts", fonts._key("Gone"), json.dumps({"family": "Other"}).encode())
    fonts.cached_face(store, "Gone")
    assert len(calls) == 4


def test_installing_fonts_changes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fonts._key("Calibri")
    monkeypatch.setattr(fonts, "font_folders_fingerprint", lambda: ["/usr/share/fonts:1"])
    assert fonts._key("Calibri") != before
