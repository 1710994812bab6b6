"""Tests for compile/handout_summary.py: the cover and the one-page summary."""

from __future__ import annotations

import dataclasses

from lecturegen.compile.handout_summary import central_question, chart_values, cover_for, finding, key_findings
from lecturegen.model.handout import PAGES
from lecturegen.model.text import Run
from tests.handout_samples import sample_deck, sample_slides


def text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def test_every_key_slide_is_a_finding_with_its_citation() -> None:
    deck, _ = sample_deck()
    findings = key_findings(deck, PAGES["a4"])
    assert findings is not None
    assert [text(f.headline) for f in findings.findings] == ["Every therapist had met a client at depth",
                                                             "The scale is reliable"]
    number, chart = findings.findings
    assert text(number.detail) == "8 of 8 therapists" and text(number.citation) == "Source: Cooper (2005)"
    # A chart slide without a caption: its values in its own number format, and its chart's source.
    assert text(chart.detail) == "Therapists .85 · Clients .93"
    assert text(chart.citation) == "Source: Di Malta et al. (2019)"


def test_the_take_home_messages_keep_their_sources() -> None:
    deck, _ = sample_deck()
    findings = key_findings(deck, PAGES["a4"])
    assert findings is not None
    assert [p.text for p in findings.take_home] == ["Depth is shared", "It can be measured"]
    assert text(findings.take_home_sources) == "Sources: Cooper (2005); Di Malta et al. (2019)"


def test_a_finding_without_a_source_has_no_citation_rather_than_an_invented_one() -> None:
    slide = dataclasses.replace(sample_slides()[3], sources=())
    assert finding(slide).citation == ()


def test_chart_values_only_for_one_short_series() -> None:
    chart = sample_slides()[4].chart
    assert chart is not None
    assert chart_values(chart, most=1) == ()


def test_the_cover_carries_the_opening_question_the_length_date_and_venue() -> None:
    deck, _ = sample_deck()
    cover = cover_for(deck, None, "")
    assert cover.question == central_question(deck) == "When did you last feel truly met?"
    assert (cover.length, cover.date, cover.venue) == ("1 h", "2026", "Room 1")
    assert cover.event == "Test Day" and cover.place == "Room 1 · 2026"


def test_no_question_slide_no_question() -> None:
    deck, _ = sample_deck([s for s in sample_slides() if s.kind != "question"])
    assert cover_for(deck, None, "").question == ""


def test_a_question_asked_after_the_first_section_is_not_the_covers() -> None:
    slides = [dataclasses.replace(s, section="Practice") if s.kind == "question" else s for s in sample_slides()]
    deck, _ = sample_deck(slides)
    assert central_question(deck) == ""
