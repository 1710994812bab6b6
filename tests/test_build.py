"""Tests for the build pipeline's entry points: timestamps, loading, preparing, rendering, output names."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from lecturegen.build import (
    DEFAULT_TIMESTAMP,
    MAX_TIMESTAMP,
    build_timestamp,
    default_output,
    load,
    pictures_to_draw,
    prepare,
    render_deck,
    store_for,
)
from lecturegen.diagnostics import Diagnostics, LecturegenError
from lecturegen.store.disk import Store
from lecturegen.workspace import Workspace


@pytest.mark.parametrize(("value", "expected", "warned"), [
    (None, DEFAULT_TIMESTAMP, False),
    ("  ", DEFAULT_TIMESTAMP, False),
    ("1700000000", 1700000000, False),
    (" 1700000000 ", 1700000000, False),
    ("315532800", 315532800, False),
    ("315532799", DEFAULT_TIMESTAMP, True),
    (str(MAX_TIMESTAMP + 1), DEFAULT_TIMESTAMP, True),
    ("17e8", DEFAULT_TIMESTAMP, True),
    ("١٧٠٠٠٠٠٠٠٠", DEFAULT_TIMESTAMP, True),  # Arabic-Indic digits are not ASCII
    ("²", DEFAULT_TIMESTAMP, True),
])
def test_build_timestamp_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int,
                                                warned: bool) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    diags = Diagnostics()
    assert build_timestamp(diags) == expected
    assert [d.code for d in diags.items] == (["env.source-date-epoch"] if warned else [])
    assert build_timestamp(None) == expected


def test_default_output_names_the_talk_and_audience(mini: Path) -> None:
    workspace = Workspace(mini)
    assert default_output(workspace, "small", None) == workspace.build_dir / "small.pptx"
    assert default_output(workspace, "small", "nurses", ".pdf") == workspace.build_dir / "small--nurses.pdf"


def test_load_reads_talk_theme_template_and_bibliography(mini: Path) -> None:
    workspace = Workspace(mini)
    loaded = load(workspace, "small", Diagnostics(), store_for(workspace, writable=False))
    assert loaded.talk.name == "small" and loaded.theme.name == "calm"
    assert loaded.audience is None
    assert sorted(loaded.bibliography.entries) == ["cooper2005", "knox2010", "unused2001"]
    assert loaded.template.width == 12192000 and loaded.template.generated
    assert pictures_to_draw(loaded) == 0


def test_prepare_raises_every_problem_for_an_unknown_talk(mini: Path) -> None:
    with pytest.raises(LecturegenError) as info:
        prepare(Workspace(mini), "smal", Diagnostics())
    rendered = [d.render() for d in info.value.diagnostics]
    assert len(rendered) == 1 and "small" in rendered[0]


def test_prepare_compiles_the_deck(mini: Path) -> None:
    prepared = prepare(Workspace(mini), "small", Diagnostics())
    deck = prepared.result.deck
    assert prepared.talk.name == "small" and prepared.theme.name == "calm"
    assert [s.kind for s in deck.slides] == ["title", "agenda", "section", "bullets", "statement", "references"]
    assert list(prepared.result.cited_keys) == ["cooper2005", "knox2010"]


def test_render_deck_writes_a_pptx_with_every_slide(mini: Path, tmp_path: Path) -> None:
    prepared = prepare(Workspace(mini), "small", Diagnostics())
    data = render_deck(prepared, Store(tmp_path / "store"), parallel_charts=False)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        slides = sorted(n for n in names if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
        assert len(slides) == len(prepared.result.deck.slides)
        assert "[Content_Types].xml" in names
        assert b"First findings" in b"".join(package.read(n) for n in slides)
    again = render_deck(prepared, Store(tmp_path / "store"), parallel_charts=False)
    assert again == data  # reproducible
