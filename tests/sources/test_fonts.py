"""Font files found and measured in memory: a family's own file, its metric twin, fontconfig's choice, or widths
estimated — and the line pitch FreeType reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.model.style import FontFace
from lecturegen.sources.fonts import (FALLBACK_EM, MIN_LINE_HEIGHT, LoadedFont, find_face, font_folders,
                                      load_font)

CARLITO = next((p for d in font_folders() if d.is_dir() for p in d.rglob("Carlito-Regular.ttf")), None)
needs_carlito = pytest.mark.skipif(CARLITO is None, reason="fonts-crosextra-carlito is not installed")


@needs_carlito
def test_calibri_is_measured_with_its_metric_twin() -> None:
    face = find_face("Calibri")
    assert face.quality in ("exact", "metric-compatible")
    assert Path(face.regular).name.startswith(("Carlito", "calibri", "Calibri"))


@needs_carlito
def test_line_pitch_is_the_fonts_own_ascender_descender_and_gap() -> None:
    font = LoadedFont(FontFace("Carlito", "Carlito", "exact", str(CARLITO), str(CARLITO)))
    assert font.line_height == pytest.approx(2500 / 2048)  # Carlito: (1536 + 512 + 452) / 2048


@needs_carlito
def test_widths_scale_with_size_and_bold_is_wider() -> None:
    font = load_font("Carlito")
    assert font.width("relational depth", 20) == pytest.approx(2 * font.width("relational depth", 10))
    assert font.width("relational depth", 20, bold=True) > font.width("relational depth", 20)


def test_a_face_without_files_is_estimated() -> None:
    font = LoadedFont(FontFace("Nowhere Sans", "Nowhere Sans", "estimated"))
    assert not font.exact_metrics and font.line_height == MIN_LINE_HEIGHT
    assert font.em_width("abcd") == pytest.approx(4 * FALLBACK_EM)


def test_a_file_that_is_not_a_font_is_estimated_not_fatal(tmp_path: Path) -> None:
    bogus = tmp_path / "Broken-Regular.ttf"
    bogus.write_bytes(b"not a font")
    font = LoadedFont(FontFace("Broken", "Broken", "exact", str(bogus), str(bogus)))
    assert font.line_height == MIN_LINE_HEIGHT and font.em_width("ab") == pytest.approx(2 * FALLBACK_EM)


def test_font_folders_do_not_need_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOME", raising=False)
    assert Path("/usr/share/fonts") in font_folders()


@needs_carlito
def test_a_printed_handout_embeds_calibris_free_twin_in_four_styles() -> None:
    from lecturegen.sources.fonts import print_faces

    faces = print_faces("Calibri")
    assert faces is not None
    assert [Path(f).name for f in faces.files] == ["Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf",
                                                   "Carlito-BoldItalic.ttf"]
