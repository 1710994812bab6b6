"""Tests for finding and parsing CSL styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.sources.citation_style import StyleError, available_styles, load_style, resolve_style


def test_aliases_and_style_summaries() -> None:
    assert resolve_style("vancouver", None).endswith("elsevier-vancouver.csl")
    apa = load_style("apa")
    assert apa.info.apa and not apa.info.numeric and apa.info.year_suffix and apa.locale == "en-US"
    assert load_style("vancouver").info.numeric
    assert "apa" in available_styles()


def test_unknown_styles_and_files_outside_the_workspace(tmp_path: Path) -> None:
    with pytest.raises(StyleError) as err:
        load_style("apaa")
    assert err.value.hint == "did you mean 'apa'?"
    with pytest.raises(StyleError):
        load_style("../outside.csl", base_dir=tmp_path)
    with pytest.raises(StyleError):
        load_style("apa", locale="xx-YY")
