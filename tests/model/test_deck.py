"""The model is plain frozen data; the one rule it carries is the caption-and-sources line."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from lecturegen.model.deck import Chart, Deck, Picture, Run, Slide
from lecturegen.model.shapes import Media


def slide(**fields: Any) -> Slide:
    return Slide(kind="bullets", layout="Title and Content", title=(Run("T"),), **fields)


def test_slides_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        slide().kind = "quote"  # type: ignore[misc]


def test_bottom_line_joins_caption_and_sources() -> None:
    s = slide(caption=(Run("A caption"),), sources=(Run("Source: Cooper (2005)"),))
    assert "".join(r.text for r in s.bottom_line()) == "A caption  Source: Cooper (2005)"
    assert slide().bottom_line() == ()


def test_chart_source_and_illustrative_stamp() -> None:
    chart = Chart(type="bar", categories=("a",), series=(), alt="x", source=(Run("Source: X (2020)"),),
                  illustrative=True)
    s = slide(chart=chart)
    runs = s.bottom_line()
    assert runs[0] == Run("Illustrative data. ", bold=True)
    assert "".join(r.text for r in runs).endswith("Source: X (2020)")


def text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def test_bottom_line_with_only_a_caption_or_only_sources_has_no_gap() -> None:
    assert text(slide(caption=(Run("Just a caption"),)).bottom_line()) == "Just a caption"
    assert text(slide(sources=(Run("Source: Knox (2010)"),)).bottom_line()) == "Source: Knox (2010)"


def test_a_charts_source_stands_in_only_when_the_slide_names_none() -> None:
    chart = Chart(type="bar", categories=("a",), series=(), alt="x", source=(Run("Source: Chart (2020)"),))
    assert text(slide(chart=chart).bottom_line()) == "Source: Chart (2020)"
    assert text(slide(chart=chart, sources=(Run("Source: Slide (2021)"),)).bottom_line()) == "Source: Slide (2021)"


def test_illustrative_data_are_stamped_even_without_caption_or_source() -> None:
    chart = Chart(type="bar", categories=("a",), series=(), alt="x", source=(), illustrative=True)
    assert slide(chart=chart).bottom_line() == (Run("Illustrative data. ", bold=True),)


def deck(**fields: Any) -> Deck:
    return Deck(talk="t", title="T", subtitle="", presenter="P", affiliation="", date="", footer="", theme="calm",
                slides=(slide(),), slot_minutes=10, **fields)


def test_a_deck_is_hashable_with_its_event_and_compared_by_it() -> None:
    a, b = deck(event={"name": "BACP"}), deck(event={"name": "Other"})
    assert hash(a) == hash(b)  # the event mapping takes no part in the hash (a dict cannot) …
    assert a != b and a == deck(event={"name": "BACP"})  # … but in comparisons it does
    assert (a.width, a.height) == (12192000, 6858000)  # 16:9 unless the template says otherwise


def test_pictures_compare_by_their_media_digest_not_their_bytes() -> None:
    one = Picture("a.png", "alt", Media("d" * 64, "png", 10, 10, b"first bytes"))
    same = Picture("a.png", "alt", Media("d" * 64, "png", 10, 10, b"other bytes"))
    assert one == same and hash(one) == hash(same)
    assert "first bytes" not in repr(one)
    assert one != Picture("a.png", "alt", Media("e" * 64, "png", 10, 10, b"first bytes"))

