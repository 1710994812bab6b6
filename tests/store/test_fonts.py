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


def _fresh_font(store: Store, family: str = "Carlito") -> sources_fonts.LoadedFont:
    """The face as a new process would load it (no face measured in this process yet)."""
    fonts._LOADED.clear()
    return fonts.loaded_font(store, family)


def test_widths_measured_once_are_kept_and_a_rebuild_loads_no_face(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "cache")
    first = _fresh_font(store)
    if not first.exact_metrics:
        pytest.skip("Carlito is not installed here")
    widths = {word: first.width(word, 24.0, bold) for word in ("relational", "depth", "2,021") for bold in (False, True)}
    pitch = first.line_height
    fonts.keep_measures(store, [first])

    def no_face(path: str) -> None:
        raise AssertionError("Pillow loaded a face for a width it had measured before")

    monkeypatch.setattr(sources_fonts, "_pil_font", no_face)
    again = _fresh_font(store)
    assert again is not first and again.line_height == pitch
    assert {word: again.width(word, 24.0, bold) for word in ("relational", "depth", "2,021")
            for bold in (False, True)} == widths
    monkeypatch.undo()
    assert _fresh_font(store).width("unmeasured", 24.0) > 0  # a new text is measured by Pillow, as before
    fonts._LOADED.clear()


def test_what_is_kept_is_exactly_what_pillow_measured(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    font = _fresh_font(store)
    texts = ["Cooper (2005)", "ÆØÅ café", "a\u00a0b", ""]
    measured = [font.width(text, 10.0) for text in texts]
    fonts.keep_measures(store, [font])
    assert [_fresh_font(store).width(text, 10.0) for text in texts] == measured
    fonts._LOADED.clear()


def test_a_damaged_measures_entry_is_measured_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    font = _fresh_font(store)
    width = font.width("depth", 12.0)
    fonts.keep_measures(store, [font])
    key = fonts._measures_key(font.face)
    store.put("font-measures", key, b'{"line_height": "tall", "regular": []}')
    assert _fresh_font(store).width("depth", 12.0) == width
    fonts._LOADED.clear()


def test_nothing_is_stored_when_nothing_new_was_measured(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    font = _fresh_font(store)
    font.width("depth", 12.0)
    fonts.keep_measures(store, [font])
    key = fonts._measures_key(font.face)
    before = store.get("font-measures", key)
    store.put("font-measures", key, before + b" ")  # what is there now is not rewritten by a build measuring nothing
    again = _fresh_font(store)
    again.width("depth", 12.0)
    fonts.keep_measures(store, [again])
    assert store.get("font-measures", key) == before + b" "
    fonts._LOADED.clear()
