"""Compile tests: talk → Deck as data, no pptx involved."""

from __future__ import annotations

from pathlib import Path

from lecturegen.build import prepare
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Run
from lecturegen.workspace import Workspace


def compile_mini(root: Path, **kwargs):  # type: ignore[no-untyped-def]
    return prepare(Workspace(root), "small", Diagnostics(), **kwargs).result


def text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def test_slide_sequence_and_layouts(mini: Path) -> None:
    deck = compile_mini(mini).deck
    kinds = [(s.kind, s.layout) for s in deck.slides]
    assert kinds == [
        ("title", "title"), ("agenda", "content"), ("section", "section"),
        ("bullets", "content"), ("statement", "content"), ("references", "content"),
    ]


def _mode(root: Path, mode: str) -> None:
    talk = root / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text().replace("source_lines: true", f"citations: {mode}"), encoding="utf-8")


def test_inline_citations_are_formatted_runs_never_raw_keys(mini: Path) -> None:
    _mode(mini, "inline")
    deck = compile_mini(mini).deck
    bullets = deck.slides[3]
    assert text(bullets.body[0].runs) == "Therapists described deep moments (Cooper, 2005)"
    assert bullets.body[0].runs[-1].cited
    assert bullets.sources == ()  # never a marker and a source line on one slide
    notes = " ".join(p.text for p in bullets.notes)
    assert "As Knox and Cooper (2010) found" in notes
    for slide in deck.slides:
        for para in slide.body + slide.notes:
            assert "[@" not in para.text


def test_sub_bullets_are_level_one(mini: Path) -> None:
    body = compile_mini(mini).deck.slides[3].body
    assert [p.level for p in body] == [0, 0, 1, 1]


def test_references_hold_exactly_the_cited_works(mini: Path) -> None:
    result = compile_mini(mini)
    refs = [s for s in result.deck.slides if s.kind == "references"]
    entries = [p.text for s in refs for p in s.body]
    assert len(entries) == 2
    assert entries[0].startswith("Cooper, M. (2005).")
    assert entries[1].startswith("Knox, R., & Cooper, M. (2010).")
    assert all(p.style == "reference" for s in refs for p in s.body)
    assert not any("Nobody" in e for e in entries)


def test_source_line_names_the_works_on_the_slide(mini: Path) -> None:
    slide = compile_mini(mini).deck.slides[4]
    assert text(slide.sources) == "Source: Cooper (2005)"


def test_source_line_mode_takes_markers_off_the_slide(mini: Path) -> None:
    deck = compile_mini(mini).deck  # the mini talk says source_lines: true, the old name of the mode
    bullets = deck.slides[3]
    assert text(bullets.body[0].runs) == "Therapists described deep moments"
    assert text(bullets.sources) == "Source: Cooper (2005)"
    notes = " ".join(p.text for p in bullets.notes)
    assert "As Knox and Cooper (2010) found" in notes  # narrative citations are words of the sentence


def test_source_line_mode_keeps_the_space_before_a_decimal_point(mini: Path) -> None:
    """Taking a marker off leaves "p = .010" alone: a point before a digit is a decimal, not punctuation."""
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace(
        "      - Therapists described deep moments [@cooper2005]",
        "      - Therapists described deep moments [@cooper2005]\n      - Depression fell, p = .010 [@cooper2005] ."),
        encoding="utf-8")
    body = compile_mini(mini).deck.slides[3].body
    assert text(body[1].runs) == "Depression fell, p = .010."


def test_notes_mode_moves_the_sources_into_the_notes(mini: Path) -> None:
    _mode(mini, "notes")
    bullets = compile_mini(mini).deck.slides[3]
    assert text(bullets.body[0].runs) == "Therapists described deep moments"
    assert bullets.sources == () and bullets.bottom_line() == ()
    assert any(p.style == "sources" and "Cooper (2005)" in p.text for p in bullets.notes)


def test_timing_cue_starts_the_notes(mini: Path) -> None:
    deck = compile_mini(mini, start="14:00").deck
    cue = deck.slides[3].notes[0]
    assert cue.style == "cue"
    begin = 14 * 60 + round(deck.slides[3].start_minute)
    assert cue.text.startswith(f"⏱ {begin // 60:02d}:{begin % 60:02d} → slide 4 · ")
    first = compile_mini(mini).deck.slides[0].notes[0].text
    assert first.startswith("⏱ 0:00 → slide 1 · 30 s · the opening minute: ")
    assert "by 0:00" not in first


def test_agenda_times_follow_the_plan(mini: Path) -> None:
    result = compile_mini(mini, start="09:30")
    agenda = result.deck.slides[1]
    lines = [p.text for p in agenda.body]
    intro = next(s for s in result.plan.sections if s.title == "Introduction")
    begin = 9 * 60 + 30 + round(intro.start)
    end = 9 * 60 + 30 + round(intro.start + intro.minutes)
    # Each entry with its start and end time: "09:31–09:36<tab>Introduction".
    assert lines[0] == f"{begin // 60:02d}:{begin % 60:02d}–{end // 60:02d}:{end % 60:02d}\tIntroduction"
    assert lines[-1].endswith("\tQuestions")
    assert lines[-1].startswith(f"{end // 60:02d}:{end % 60:02d}–")  # the reserved block follows the session


def test_a_two_day_talk_has_one_agenda_a_day(mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + """  - kind: break
    title: End of day one
    minutes: 0
    new_day: true
  - kind: bullets
    title: Day two
    bullets: [Back again]
""", encoding="utf-8")
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text().replace("sections:", "day_start: '09:30'\nsections:"), encoding="utf-8")
    talk.write_text(talk.read_text() + "  - title: Second day\n    slides:\n      - kind: break\n"
                    "        title: Coffee\n        minutes: 5\n", encoding="utf-8")
    deck = compile_mini(mini).deck
    agendas = [s for s in deck.slides if s.kind == "agenda"]
    assert [text(s.title) for s in agendas] == ["Agenda: day 1", "Agenda: day 2"]
    first, second = ([p.text for p in s.body] for s in agendas)
    assert [line.split("\t")[1] for line in first] == ["Introduction"]
    assert [line.split("\t")[1] for line in second] == ["Second day", "Coffee", "Questions"]
    assert all("–" in line.split("\t")[0] for line in first + second)


def test_long_bullet_list_continues_on_a_second_slide(mini: Path) -> None:
    long = "\n".join(f"      - Point number {i} with a fair number of words to read out loud" for i in range(14))
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + f"""  - kind: bullets
    id: long
    title: Many points
    bullets:
{long}
    notes: Go through them.
""".replace("\n      - ", "\n      - "), encoding="utf-8")
    deck = compile_mini(mini).deck
    parts = [s for s in deck.slides if s.id and s.id.startswith("long")]
    assert len(parts) == 2
    assert text(parts[1].title) == "Many points (cont.)"
    assert sum(len(p.body) for p in parts) == 14


def test_fit_drops_optional_slides_and_reports_them(mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    words = " ".join(["word"] * 700)
    section.write_text(section.read_text() + f"""  - kind: bullets
    id: extra
    title: Extra detail
    optional: true
    priority: 1
    bullets: [More detail]
    notes: {words}
""", encoding="utf-8")
    diags = Diagnostics()
    prepared = prepare(Workspace(mini), "small", diags)
    assert any(d.code == "timing.over" for d in diags.items)
    result = prepare(Workspace(mini), "small", Diagnostics(), fit=True).result
    assert result.dropped and "Extra detail" in result.dropped[0]
    assert result.plan.total <= result.plan.slot
    assert prepared.result.plan.total > prepared.result.plan.slot


def test_changing_the_style_changes_citations_and_the_list(mini: Path) -> None:
    _mode(mini, "inline")
    talk = mini / "content" / "talks" / "small.yaml"
    apa = compile_mini(mini).deck
    talk.write_text(talk.read_text().replace("theme: calm", "theme: calm\nstyle: vancouver"), encoding="utf-8")
    numeric = compile_mini(mini).deck
    assert text(apa.slides[3].body[0].runs).endswith("(Cooper, 2005)")
    assert not text(numeric.slides[3].body[0].runs).endswith("(Cooper, 2005)")
    apa_refs = [p.text for s in apa.slides if s.kind == "references" for p in s.body]
    numeric_refs = [p.text for s in numeric.slides if s.kind == "references" for p in s.body]
    assert apa_refs != numeric_refs and len(numeric_refs) == 2
    print(text(numeric.slides[3].body[0].runs), numeric_refs[0])


def test_the_event_line_reads_as_a_phrase() -> None:
    from lecturegen.compile.deck import event_line

    assert event_line("Team learning afternoon", "the team base", "2026") == "Team learning afternoon at the team base, 2026"
    assert event_line("Annual conference", "", "12 May 2026") == "Annual conference, 12 May 2026"
    assert event_line("", "Room 4", "") == "Room 4"
    assert event_line("", "", "2026") == "2026"
    assert event_line(" ", " ", " ") == ""
