"""Tests for compile/handout_text.py: text as the handout prints it."""

from __future__ import annotations

from lecturegen.compile.handout_text import chunked, duration, paragraphs_printed, plain, printed, typographic
from lecturegen.model.text import Paragraph, Run


def test_quotes_become_typographic_but_links_stay_as_written() -> None:
    assert typographic("the 'felt' sense of \"depth\"") == "the \u2018felt\u2019 sense of \u201cdepth\u201d"
    assert typographic("client's") == "client\u2019s"
    link = "https://example.org/it's"
    out = printed((Run("it's "), Run(link, link=link)))
    assert out[0].text == "it\u2019s " and out[1].text == link
    assert plain(out) == "it\u2019s " + link


def test_paragraphs_are_printed_and_empty_runs_dropped() -> None:
    (paragraph,) = paragraphs_printed((Paragraph((Run(""), Run("a 'b'")), level=1),))
    assert paragraph.level == 1 and plain(paragraph.runs) == "a \u2018b\u2019"


def test_durations_read_as_the_programme_prints_them() -> None:
    assert [duration(m) for m in (6, 75, 90, 105, 120)] == ["6 min", "75 min", "90 min", "1 h 45 min", "2 h"]


def test_a_long_paragraph_is_cut_into_pieces_at_sentence_ends_keeping_every_character() -> None:
    text = "A sentence that ends here. " * 200
    pieces = chunked(Paragraph((Run(text, bold=True),)), limit=500)
    assert len(pieces) > 1 and all(len(p.text) <= 500 for p in pieces)
    assert all(p.text.rstrip().endswith(".") for p in pieces[:-1])
    assert "".join(p.text for p in pieces).replace(" ", "") == text.replace(" ", "")
    assert all(r.bold for p in pieces for r in p.runs)
