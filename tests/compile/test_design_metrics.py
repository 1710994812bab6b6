"""compile/design_metrics.py: what the audience sees, measured on laid-out slides and for the whole talk."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.design_metrics import bullet_runs, slide_metrics, talk_metrics
from lecturegen.model.shapes import TableCell, TableShape
from tests.compile.design_decks import BOX, deck, line, runs, slide, title_slide


def test_words_leave_out_the_title_caption_source_line_chrome_and_citation_markers() -> None:
    s = slide(body=(line("Deep moments — rare · memorable ", ("(Cooper, 2005)", True)),
                    line("Remembered for 20 years")),
              caption=runs("A caption of six words here"), sources=runs("Source: ", ("Cooper (2005)", True)))
    (m,) = slide_metrics(deck(s))
    assert m.words == 8  # '—' and '·' are not words; "20" is
    assert m.bullets == 2
    assert m.citations == 1


def test_tables_count_as_words_and_body_text() -> None:
    cell = TableCell((line("Eight therapists", size=16.0, bullet="none"),))
    table = TableShape("Table", BOX, (BOX.cx,), (BOX.cy,), ((cell, cell),))
    (m,) = slide_metrics(deck(slide("table", extra=(table,))))
    assert m.words == 4
    assert m.smallest_body_pt == 16.0


def test_talk_metrics_count_the_slides_talked_through_and_the_longest_bullet_run() -> None:
    slides = (title_slide(), slide(number_at=2), slide(number_at=3), slide("statement", number_at=4),
              slide("references", number_at=5), replace(slide(number_at=6), hidden=True))
    talk = talk_metrics(deck(*slides, minutes=10.0))
    assert (talk.slides, talk.counted_slides, talk.reference_slides) == (6, 3, 1)
    assert talk.slides_per_minute == 0.3
    assert talk.longest_bullet_run == 2


def test_bullet_runs_skip_hidden_slides_and_keep_runs_longer_than_asked() -> None:
    slides = (slide(), slide(), replace(slide(), hidden=True), slide(), slide("statement"), slide())
    assert bullet_runs(deck(*slides), 2) == [(0, 1, 3)]
    assert bullet_runs(deck(*slides), 0) == [(0, 1, 3), (5,)]
