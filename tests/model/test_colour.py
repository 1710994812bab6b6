"""Model tests: WCAG relative luminance, contrast ratios and colour blends."""

from __future__ import annotations

import pytest

from lecturegen.model.colour import WCAG_AA, blend, contrast_ratio, relative_luminance


def test_luminance_runs_from_black_to_white() -> None:
    assert relative_luminance("000000") == 0.0
    assert relative_luminance("FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("ff0000") == pytest.approx(0.2126)  # lower-case hex reads too
    assert relative_luminance("00FF00") == pytest.approx(0.7152)


def test_black_on_white_is_21_to_1_either_way_round() -> None:
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("FFFFFF", "000000") == pytest.approx(21.0)
    assert contrast_ratio("777777", "777777") == pytest.approx(1.0)


def test_the_well_known_grey_just_passes_aa() -> None:
    assert WCAG_AA == 4.5
    assert contrast_ratio("767676", "FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("777777", "FFFFFF") < WCAG_AA


def test_blend_mixes_by_the_share_of_the_second_colour() -> None:
    assert blend("000000", "FFFFFF", 0.0) == "000000"
    assert blend("000000", "FFFFFF", 1.0) == "FFFFFF"
    assert blend("000000", "FFFFFF", 0.5) == "808080"
    assert blend("FF0000", "0000ff", 0.25) == "BF0040"
