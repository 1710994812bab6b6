"""Tests for the template store: a template read once is served as it was read, never stale or damaged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import lecturegen.sources.template as reader
from lecturegen.sources.template import TemplateOverrides, read_template
from lecturegen.store.disk import Store
from lecturegen.store.templates import read_template_cached

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"


@pytest.mark.parametrize("name", ["corporate-43", "wide-1610", "left-title", "a4-landscape"])
def test_a_template_from_the_store_equals_the_one_read(tmp_path: Path, name: str) -> None:
    blob = (FOREIGN / f"{name}.pptx").read_bytes()
    overrides = TemplateOverrides(major_font="Georgia", scheme=(("accent1", "112233"),))
    fresh = read_template(blob, name, overrides)
    store = Store(tmp_path)
    first = read_template_cached(store, blob, name, overrides)
    reader._READ.clear()  # the process memo would answer otherwise
    second = read_template_cached(store, blob, name, overrides)
    for template in (first, second):
        for field in dataclasses.fields(fresh):
            assert getattr(template, field.name) == getattr(fresh, field.name), field.name


def test_a_stored_reading_is_used_and_a_damaged_one_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = (FOREIGN / "corporate-43.pptx").read_bytes()
    store = Store(tmp_path)
    expected = read_template_cached(store, blob, "t", TemplateOverrides())

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("read again although the store holds it")

    monkeypatch.setattr(reader, "read_template", refuse)
    assert read_template_cached(store, blob, "t", TemplateOverrides()).layouts == expected.layouts
    monkeypatch.undo()

    entry = next(p for p in (tmp_path / "template-reads").rglob("*") if p.is_file())
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    reader._READ.clear()
    again = read_template_cached(store, blob, "t", TemplateOverrides())
    assert again.parts == expected.parts and again.layouts == expected.layouts


def test_other_overrides_or_bytes_are_another_entry(tmp_path: Path) -> None:
    blob = (FOREIGN / "left-title.pptx").read_bytes()
    store = Store(tmp_path)
    plain = read_template_cached(store, blob, "t", TemplateOverrides())
    recoloured = read_template_cached(store, blob, "t", TemplateOverrides(scheme=(("accent1", "FF0000"),)))
    assert plain.scheme["accent1"] != recoloured.scheme["accent1"] == "FF0000"
    assert len([p for p in (tmp_path / "template-reads").rglob("*") if p.is_file()]) == 2
