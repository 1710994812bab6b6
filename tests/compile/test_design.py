"""The design lint: metrics read from laid-out slides, keynote rules, located warnings, report data."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from lecturegen.build import prepare, store_for
from lecturegen.compile.design import (
    DesignRules,
    design_findings,
    design_report_data,
    design_summary,
)
from lecturegen.compile.design_metrics import slide_metrics
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Media, PictureShape, TextLine, TextShape
from lecturegen.model.text import Run
from lecturegen.workspace import Workspace
from tests.compile.design_decks import (
    NARROW,
    at,
    chrome,
    clean_deck,
    deck,
    line,
    runs,
    shape,
    slide,
    title_shape,
    title_slide,
)

REPO = Path(__file__).resolve().parents[2]


def findings(d: Deck, rules: DesignRules | None = None) -> list[str]:
    diags = Diagnostics()
    design_findings(d, rules or DesignRules(), diags)
    return [x.render() for x in diags.sorted()]


def codes(d: Deck, rules: DesignRules | None = None) -> list[str]:
    diags = Diagnostics()
    design_findings(d, rules or DesignRules(), diags)
    return [x.code for x in diags.sorted()]


# -- a clean deck, and what is counted ----------------------------------------------------------------------

def test_a_deck_of_clean_slides_passes() -> None:
    assert findings(clean_deck()) == []


def test_more_than_thirty_words_is_a_located_warning_naming_the_slide_and_the_limit() -> None:
    body = tuple(line(" ".join(["word"] * 8)) for _ in range(4))  # 32 words on four bullets
    assert findings(deck(slide(body=body, number_at=7))) == [
        "content/sections/s.yaml:7:5: warning: slide 1 ('Three points') has 32 words, more than 30 "
        "(say the rest: move detail into the speaker notes, or split the slide) [design.words]"]


@pytest.mark.parametrize("kind", ["quote", "references", "agenda"])
def test_quote_reference_and_agenda_slides_may_have_more_words(kind: str) -> None:
    body = (line(" ".join(["word"] * 60), bullet="none"),)
    assert "design.words" not in codes(deck(slide(kind, body=body)))


def test_words_exempt_kinds_are_the_talks_choice() -> None:
    body = (line(" ".join(["word"] * 60), bullet="none"),)
    rules = DesignRules(words_exempt=("statement",))
    assert "design.words" not in codes(deck(slide("statement", body=body)), rules)
    assert "design.words" in codes(deck(slide("quote", body=body)), rules)


def test_bullets_count_every_level_and_numbered_steps_but_not_unbulleted_lines() -> None:
    body = (line("One"), line("Two"), line("sub a", level=1, size=22.0), line("sub b", level=1, size=22.0),
            line("Three"), line("a heading", bullet="none"))
    (m,) = slide_metrics(deck(slide(body=body)))
    assert m.bullets == 5
    steps = tuple(line(f"Step {n}", bullet="number") for n in range(3))
    assert slide_metrics(deck(slide("exercise", body=steps)))[0].bullets == 3
    assert findings(deck(slide(body=body)))[0].endswith(
        "slide 1 ('Three points') has 5 bullets, more than 4 (keep the strongest points on the slide and the "
        "others in the notes) [design.bullets]")


def test_citation_markers_in_the_text_and_caption_count_but_not_the_source_line() -> None:
    body = (line("A ", ("(Cooper, 2005)", True)), line("B ", ("(Knox & Cooper, 2010; ", True), ("Knox, 2008)", True)))
    s = slide(body=body, caption=runs("Seen again ", ("(Wiggins et al., 2012)", True)),
              sources=runs("Sources: ", ("Cooper (2005)", True), "; ", ("Price (2012)", True)))
    (m,) = slide_metrics(deck(s))
    assert m.citations == 3  # consecutive cited runs are one marker
    assert "design.citations" in codes(deck(s))
    assert "design.citations" not in codes(deck(s), DesignRules(max_citations=3))


def test_a_work_cited_in_the_text_and_again_in_the_source_line_is_duplicate_information() -> None:
    body = (line("Depth ", ("(Knox & Cooper, 2010, p. 4)", True)),
            line("Readiness ", ("(Cooper, 2009a)", True)),
            line("Numbered ", ("[3]", True)))
    sources = runs("Sources: ", ("Knox and Cooper (2010)", True), "; ", ("Cooper (2009b)", True), "; ",
                   ("Cooper (2005)", True), "; ", ("[3]", True))
    (m,) = slide_metrics(deck(slide(body=body, sources=sources)))
    # The same work by its name and year (a locator after it is allowed); 2009a is not 2009b.
    assert m.duplicate_sources == ("Knox and Cooper (2010)", "[3]")
    line_ = findings(deck(slide(body=body, sources=sources)), DesignRules(max_citations=None))[0]
    assert "cites 'Knox and Cooper (2010)', '[3]' in its text and again in its source line" in line_
    assert line_.endswith("[design.duplicate-sources]")


def test_a_source_line_that_is_not_laid_out_is_not_on_the_slide() -> None:
    s = slide(body=(line("Depth ", ("(Cooper, 2005)", True)),))
    s = replace(s, sources=runs("Source: ", ("Cooper (2005)", True)))  # no caption shape
    assert slide_metrics(deck(s))[0].duplicate_sources == ()


# -- sizes at projection ------------------------------------------------------------------------------------

def test_small_body_text_is_flagged_on_a_wide_slide() -> None:
    s = slide(body=(line("Small", size=16.0),))
    assert findings(deck(s)) == [
        "content/sections/s.yaml:1:5: warning: slide 1 ('Three points') has body text at 16 pt, below 18 pt "
        "(shorten the text so that it fits at a readable size) [design.body-size]"]


def test_size_limits_scale_with_the_slide_width() -> None:
    # A 10 in slide fills the same screen: its 14 pt is drawn as large as 18.7 pt on a 13.33 in slide.
    fine = slide(body=(line("Readable", size=14.0),))
    assert "design.body-size" not in codes(deck(fine, width=NARROW))
    small = slide(body=(line("Small", size=13.0),))
    assert findings(deck(small, width=NARROW)) == [
        "content/sections/s.yaml:1:5: warning: slide 1 ('Three points') has body text at 13 pt, below 13.5 pt "
        "(18 pt on a 13.33 in slide, scaled to its 10.00 in width) (shorten the text so that it fits at a "
        "readable size) [design.body-size]"]


def test_captions_and_reference_entries_are_held_to_the_caption_size() -> None:
    s = slide(body=(line("Fine"),), caption=runs("A small caption"))
    s = replace(s, shapes=tuple(replace(x, lines=tuple(replace(ln, size=12.0) for ln in x.lines))
                                if isinstance(x, TextShape) and x.role == "caption" else x for x in s.shapes))
    assert codes(deck(s)) == ["design.caption-size"]
    references = slide("references", "References", (line(("Cooper, M. (2005).", True), size=16.0, bullet="none"),))
    (m,) = slide_metrics(deck(references))
    assert (m.smallest_body_pt, m.smallest_caption_pt) == (None, 14.0)
    assert codes(deck(references)) == []


# -- titles, pictures, the whole talk -----------------------------------------------------------------------

def test_a_long_title_passes_while_it_fits_in_two_lines() -> None:
    headline = "Relational depth predicted less depression a session later, not the other way"
    assert len(headline) > 60
    assert codes(deck(slide(title=headline, title_lines=2))) == []
    assert findings(deck(slide(title=headline, title_lines=3))) == [
        "content/sections/s.yaml:1:5: warning: slide 1 ('Relational depth predicted less depression a sessi') "
        f"has a title of {len(headline)} characters on 3 lines as laid out, more than 60 characters and 2 lines "
        "(a title says the slide's one point: shorten it) [design.title-length]"]
    assert codes(deck(slide(title=headline, title_lines=2)), DesignRules(max_title_lines=None)) == [
        "design.title-length"]


def test_pictures_below_150_dpi_at_their_placed_size() -> None:
    media = Media("abc", "png", 600, 400, b"")
    picture = PictureShape("Picture", Box(0, 0, 914400 * 6, 914400 * 4), media, "A photo")  # 100 dpi
    s = slide("image", extra=(picture,))
    assert slide_metrics(deck(s))[0].lowest_dpi == 100.0
    assert codes(deck(s)) == ["design.image-dpi"]
    # Geometry reported it already: not again.
    diags = Diagnostics()
    diags.warning("picture is 100 dpi", "geometry.low-dpi", s.location)
    design_findings(deck(s), DesignRules(), diags)
    assert [d.code for d in diags.items] == ["geometry.low-dpi"]


def test_more_than_one_reference_slide_is_flagged_once_at_the_first() -> None:
    refs = [slide("references", f"References ({n}/3)", (line(("Entry.", True), size=16.0, bullet="none"),),
                  number_at=10 + n) for n in range(1, 4)]
    assert findings(deck(slide(), *refs)) == [
        "content/sections/s.yaml:11:5: warning: the talk has 3 reference slides, more than 1 (keep one closing "
        "references slide and give the full list in the handout) [design.reference-slides]"]
    assert codes(deck(slide(), refs[0])) == []


def test_slides_per_minute_count_the_slides_talked_through() -> None:
    talked = [slide(number_at=n) for n in range(12)]
    sections = [slide("section", "Part", number_at=50 + n) for n in range(8)]
    pace_only = DesignRules(max_bullet_run=None)  # twelve bullet slides in a row are a run of their own
    assert codes(deck(*talked, minutes=12.0), pace_only) == []
    assert codes(deck(*talked, *sections, minutes=12.0), pace_only) == []  # section headers are not counted
    assert findings(deck(title_slide(), *talked, minutes=10.0), pace_only) == [
        "content/talks/t.yaml:1:1: warning: 12 slides in the 10-minute slot are 1.20 a minute, more than 1 "
        "(merge slides or drop optional ones; title, section, break, reference and closing slides are not "
        "counted) [design.slides-per-minute]"]


def test_hidden_slides_are_not_held_to_the_rules() -> None:
    crowded = slide(body=tuple(line(f"Point {n}") for n in range(9)), hidden=True)
    assert findings(deck(crowded)) == []
    assert slide_metrics(deck(crowded))[0].bullets == 9


def test_a_rule_turned_off_is_not_checked() -> None:
    crowded = slide(body=tuple(line(f"Point {n}") for n in range(9)))
    assert codes(deck(crowded), DesignRules(max_bullets=None)) == []


# -- report data ---------------------------------------------------------------------------------------------

def test_report_data_is_json_with_every_slides_metrics_and_the_rules_it_breaks() -> None:
    crowded = slide(body=tuple(line(f"Point {n}") for n in range(6)), number_at=9)
    data = design_report_data(deck(clean_deck().slides[0], crowded), DesignRules())
    decoded = json.loads(json.dumps(data))
    assert decoded["rules"]["max_bullets"] == 4
    assert decoded["slide_width_in"] == 13.333
    second = decoded["slides"][1]
    assert (second["number"], second["bullets"], second["over"]) == (2, 6, ["bullets"])
    assert (second["path"], second["line"], second["col"]) == ("content/sections/s.yaml", 9, 5)
    rows = {row["rule"]: row for row in decoded["summary"]}
    assert (rows["bullets"]["over"], rows["bullets"]["worst_slide"], rows["bullets"]["limit"]) == (1, 2, "≤ 4")
    assert rows["body-size"]["limit"] == "≥ 18 pt"


def test_the_summary_counts_what_the_findings_report() -> None:
    crowded = slide(body=tuple(line(" ".join(["word"] * 7)) for n in range(6)), number_at=9)
    d = deck(*clean_deck().slides, crowded, crowded)
    summary = design_summary(d, DesignRules())
    per_rule = Counter(code.removeprefix("design.") for code in codes(d))
    assert {row.rule: row.over for row in summary.rows if row.over} == dict(per_rule)
    assert summary.words[-1] == (7, 42)
    assert summary.slides_over == 2
    narrow = design_summary(replace(d, width=NARROW), DesignRules())
    assert {row.rule: row.limit for row in narrow.rows}["body-size"] == "≥ 18 pt (13.5 pt here)"


# -- the shipped keynote ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keynote(tmp_path_factory: pytest.TempPathFactory) -> Deck:
    """keynote-1h as the first release shipped it (tests/fixtures/keynote-before/), inline citations."""
    import shutil

    root = tmp_path_factory.mktemp("before") / "ws"
    shutil.copytree(REPO / "tests" / "fixtures" / "keynote-before", root)
    shutil.copytree(REPO / "themes", root / "themes")
    workspace = Workspace(root)
    return prepare(workspace, "keynote-1h", Diagnostics(), store=store_for(workspace, writable=False)).result.deck


def test_the_first_release_keynote_is_flagged_as_dense(keynote: Deck) -> None:
    found = Counter(codes(keynote))
    assert found["design.words"] >= 5  # many slides over 30 words
    assert found["design.bullets"] >= 10  # and over 4 bullets
    assert found["design.reference-slides"] == 1  # five reference slides
    assert found["design.citations"] >= 5  # a citation after almost every bullet
    metrics = slide_metrics(keynote)
    assert sum(1 for m in metrics if m.kind == "references") == 5
    definition = next(m for m in metrics if m.title == "A working definition")
    assert (definition.words, definition.bullets, definition.citations) == (41, 7, 2)


def test_the_keynotes_report_data_is_json(keynote: Deck) -> None:
    data = json.loads(json.dumps(design_report_data(keynote, DesignRules())))
    assert len(data["slides"]) == len(keynote.slides)
    assert data["talk"]["reference_slides"] == 5


def test_a_title_with_one_word_alone_on_its_last_line_is_a_widow() -> None:
    widow = slide(title="Clients choose to step in, so depth is not ours alone to create", title_lines=2)
    title = next(s for s in widow.shapes if isinstance(s, TextShape) and s.role == "title")
    widow = replace(widow, shapes=tuple(replace(s, words_per_line=(12, 1)) if s is title else s
                                        for s in widow.shapes))
    balanced = replace(widow, location=at(2), shapes=tuple(replace(s, words_per_line=(6, 7)) if s.name == "Title"
                                                           else s for s in widow.shapes))
    diags = Diagnostics()
    design_findings(deck(widow, balanced), DesignRules(), diags)
    found = [d.render() for d in diags.items if d.code == "design.title-widow"]
    assert found == ["content/sections/s.yaml:1:5: warning: slide 1 ('Clients choose to step in, so depth is not "
                     "ours al') has a title that wraps with one word alone on its last line ('create') (reword the "
                     "title, or break it yourself with a line break where the phrase turns) [design.title-widow]"]
    diags = Diagnostics()
    design_findings(deck(widow), replace(DesignRules(), min_title_last_line_words=None), diags)
    assert not [d for d in diags.items if d.code == "design.title-widow"]


def test_three_bullet_slides_in_a_row_are_a_run() -> None:
    slides = (title_slide(), slide(number_at=2), slide(number_at=3), slide("statement", number_at=4),
              slide(number_at=5), slide(number_at=6), replace(slide(number_at=7), hidden=True), slide(number_at=8))
    diags = Diagnostics()
    design_findings(deck(*slides), DesignRules(), diags)
    found = [d.render() for d in diags.items if d.code == "design.bullet-run"]
    assert found == ["content/sections/s.yaml:8:5: warning: slides 5–8 are 3 bullet slides in a row, more than 2 "
                     "(turn one into a picture of the idea (a diagram, a big number, a quote) or merge them) "
                     "[design.bullet-run]"]
    diags = Diagnostics()
    design_findings(deck(*slides), replace(DesignRules(), max_bullet_run=None), diags)
    assert not [d for d in diags.items if d.code == "design.bullet-run"]


def test_content_high_in_its_area_is_off_centre() -> None:
    # Title box ends at BOX.y (1600200); the caption line stands at 6 in: the area is 1600200–5486400.
    title = replace(title_shape("High up"), box=Box(457200, 457200, 10972800, 1143000))
    high = TextShape(name="Content", role="body", box=Box(457200, 1600200, 10972800, 3886200),
                     lines=(line("One short point"),), measured_height=40.0)
    caption = replace(shape("caption", TextLine(runs("Source"), 14.0, bullet="none")),
                      box=Box(457200, 5486400, 10972800, 300000))
    low = replace(high, box=Box(457200, 2900000, 10972800, 700000))
    top_heavy = Slide(kind="bullets", layout="Title and Content", title=(Run("High up"),), location=at(1),
                      shapes=(title, high, caption, *chrome()))
    centred = replace(top_heavy, location=at(2), shapes=(title, low, caption, *chrome()))
    metrics = slide_metrics(deck(top_heavy, centred))
    assert metrics[0].content_offset is not None and metrics[0].content_offset < -1 / 6
    assert metrics[1].content_offset is not None and abs(metrics[1].content_offset) <= 1 / 6
    found = [f for f in findings(deck(top_heavy, centred)) if "design.off-centre" in f]
    assert len(found) == 1 and found[0].startswith("content/sections/s.yaml:1:5: warning: slide 1 ('High up') has "
                                                   "its content centred ") and "above the middle" in found[0]
