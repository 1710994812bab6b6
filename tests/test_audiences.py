"""Tailoring: one source, one deck per audience — filters, vocabulary, event details, insertions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from lecturegen.build import prepare
from lecturegen.diagnostics import Diagnostics, LecturegenError
from lecturegen.model.deck import Deck
from lecturegen.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]


def compiled(talk: str, audience: str | None):  # type: ignore[no-untyped-def]
    return prepare(Workspace(REPO), talk, Diagnostics(), audience_name=audience).result


def all_text(deck) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    visible, notes = [], []
    for s in deck.slides:
        visible.append("".join(r.text for r in s.title))
        for p in s.body + s.subtitle + tuple(p for c in s.columns for p in c.body):
            visible.append(p.text)
        notes.extend(p.text for p in s.notes)
    return "\n".join(visible), "\n".join(notes)


@pytest.fixture(scope="module")
def decks():  # type: ignore[no-untyped-def]
    return {a: compiled("keynote-1h", a) for a in (None, "researchers", "trainees", "practitioners", "mdt")}


def test_researchers_get_statistics_and_methods(decks) -> None:  # type: ignore[no-untyped-def]
    tags = lambda result: {t for s in result.deck.slides for t in s.tags}  # noqa: E731
    assert "statistics" in tags(decks["researchers"])
    assert "statistics" not in tags(decks["trainees"])
    assert "statistics" not in tags(decks["mdt"])


def test_vocabulary_changes_marked_terms_only(mini: Path) -> None:
    """`{{ term.clients }}` becomes the audience's word; a study's sample, a quotation and a pair such as
    "therapists and clients" are never rewritten (no "patients, and patients")."""
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace(
        "      - Therapists described deep moments [@cooper2005]",
        "      - Therapists described deep moments with {{ term.clients }} [@cooper2005]\n"
        "      - Judges read 342 accounts from clients and therapists"), encoding="utf-8")
    audience = mini / "content" / "audiences" / "team.yaml"
    audience.parent.mkdir(parents=True, exist_ok=True)
    audience.write_text("title: A team\nvocabulary: {client: patient}\n", encoding="utf-8")
    plain = prepare(Workspace(mini), "small", Diagnostics()).result.deck
    team = prepare(Workspace(mini), "small", Diagnostics(), audience_name="team").result.deck
    body = lambda deck: [p.text for p in deck.slides[3].body]  # noqa: E731
    assert body(plain)[0] == "Therapists described deep moments with clients"
    assert body(team)[0] == "Therapists described deep moments with patients"
    assert body(team)[1] == "Judges read 342 accounts from clients and therapists"


def test_event_details_on_title_slide_and_footer(repo_root: Path, tmp_path: Path) -> None:
    from lecturegen.cli import main

    out = tmp_path / "mdt.pptx"
    result = CliRunner().invoke(main, ["build", "keynote-1h", "-a", "mdt", "--root", str(repo_root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(out))
    title_slide = "\n".join(s.text_frame.text for s in prs.slides[0].placeholders)
    # One phrase, not three labels between dots.
    assert "Team learning afternoon at the team base, 2026" in title_slide
    assert "afternoon · the team base" not in title_slide
    footer = [ph.text_frame.text for ph in prs.slides[3].placeholders if ph.placeholder_format.idx == 11]
    assert footer == ["Meeting at relational depth · Team learning afternoon"]


def test_profile_inserts_its_own_slide_after_an_id(decks) -> None:  # type: ignore[no-untyped-def]
    ids = [s.id for s in decks["mdt"].deck.slides]
    at = ids.index("implications-services")
    assert ids[at + 1] == "mdt-team-discussion"
    slide = decks["mdt"].deck.slides[at + 1]
    assert "".join(r.text for r in slide.title) == "What would this look like in our community mental health team?"
    assert "mdt-team-discussion" not in [s.id for s in decks["trainees"].deck.slides]


def test_every_profile_fills_the_slot(decks) -> None:  # type: ignore[no-untyped-def]
    for name, result in decks.items():
        assert result.plan.fits and result.plan.planned == "60", (name, result.plan.total)


def test_the_team_hears_patient_only_where_the_talk_speaks_of_clients_in_general(decks) -> None:  # type: ignore[no-untyped-def]
    visible, notes = all_text(decks["mdt"].deck)
    text = (visible + "\n" + notes).replace("\u00a0", " ")
    assert "patients" in notes and "help patients test" in visible.lower()
    # Study samples, pairs and what the studies' clients said keep the studies' own word.
    assert not re.search(r"\b\d[\d,]* patients\b", text)
    assert "patients, and patients" not in text and "accounts from patients" not in text
    assert "therapists and clients describe it" in notes
    assert "fourteen clients" in notes
    assert "patient" not in all_text(decks["trainees"].deck)[0] + all_text(decks["trainees"].deck)[1]


def test_trainees_practise_and_hear_plain_language_while_researchers_get_the_statistics(decks) -> None:  # type: ignore[no-untyped-def]
    kinds = {name: [s.kind for s in result.deck.slides] for name, result in decks.items()}
    ids = {name: {s.id for s in result.deck.slides} for name, result in decks.items()}
    assert "exercise" in kinds["trainees"] and "exercise" not in kinds[None]
    assert "outcomes-statistics" in ids["researchers"] and "outcomes-plain-message" not in ids["researchers"]
    for name in ("trainees", "practitioners", "mdt"):
        assert "outcomes-plain-message" in ids[name] and "outcomes-statistics" not in ids[name]


def test_key_references_keep_the_handout_list_whole_and_only_trim_listing_slides(mini: Path) -> None:
    """A work named only in the notes is still in the handout (the presenter says it aloud); `key` keeps the
    reference slides that list works to those on slides."""
    (mini / "content" / "audiences").mkdir()
    (mini / "content" / "audiences" / "brief.yaml").write_text("title: Brief\nreferences: key\n", encoding="utf-8")
    full = prepare(Workspace(mini), "small", Diagnostics()).result.deck
    key = prepare(Workspace(mini), "small", Diagnostics(), audience_name="brief").result.deck
    assert [e[0].text[:6] for e in full.references] == ["Cooper", "Knox, "]  # knox2010 is cited in notes only
    assert [e[0].text[:6] for e in key.references] == ["Cooper", "Knox, "]

    def listed(deck: Deck) -> list[str]:
        return [p.text[:6] for s in deck.slides if s.kind == "references" for p in s.body]

    assert listed(full) == ["Cooper", "Knox, "]
    assert listed(key) == ["Cooper"]


def test_one_closing_references_slide_counts_every_work_the_tailored_deck_cites(decks) -> None:  # type: ignore[no-untyped-def]
    """Slides and notes: the count on the closing slide is the handout's list, for every audience."""
    for name, result in decks.items():
        deck = result.deck
        everywhere = {k for s in deck.slides for k in s.cited_keys}
        assert len(deck.references) == len(everywhere), name
        closing = [s for s in deck.slides if s.kind == "references"]
        assert len(closing) == 1 and closing[0].qr
        assert closing[0].body[0].text == f"All {len(everywhere)} works cited today are listed in full in the handout."
    assert len(decks["mdt"].deck.references) < len(decks[None].deck.references)


def test_unknown_audience_suggests(repo_root: Path) -> None:
    with pytest.raises(LecturegenError) as info:
        prepare(Workspace(repo_root), "keynote-1h", Diagnostics(), audience_name="trainee")
    assert [d.render() for d in info.value.diagnostics] == [
        "error: unknown audience 'trainee' (did you mean 'trainees'?) [audience.unknown]"]


def test_workshop_is_not_offered_to_researchers(repo_root: Path) -> None:
    with pytest.raises(LecturegenError) as info:
        prepare(Workspace(repo_root), "workshop-1day", Diagnostics(), audience_name="researchers")
    assert info.value.diagnostics[0].code == "audience.not-offered"


def test_undefined_template_variable_and_unplaced_insertion(mini: Path) -> None:
    (mini / "content" / "audiences").mkdir()
    (mini / "content" / "audiences" / "team.yaml").write_text(
        "title: Team\nevent: {name: Ward day}\ninsert:\n  - after: nowhere\n    slides:\n"
        "      - {kind: bullets, title: Extra, bullets: [x]}\n", encoding="utf-8")
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace("title: First findings", "title: First at {{ event.nmae }}"),
                       encoding="utf-8")
    with pytest.raises(LecturegenError) as info:
        prepare(Workspace(mini), "small", Diagnostics(), audience_name="team")
    lines = [d.render() for d in info.value.diagnostics]
    assert "content/audiences/team.yaml:4:12: error: no slide with id 'nowhere' in talk 'small' [audience.anchor]" \
        in lines
    assert any(line.startswith("content/sections/intro.yaml:6:12: error: undefined template variable "
                               "'event.nmae' (variables available: ") for line in lines), lines


def test_parallel_build_of_all_audiences(repo_root: Path, tmp_path: Path) -> None:
    import shutil

    from lecturegen.cli import main

    workspace = tmp_path / "ws"
    for name in ("content", "themes"):
        shutil.copytree(repo_root / name, workspace / name)
    shutil.copy(repo_root / "bibliography.bib", workspace)
    result = CliRunner().invoke(main, ["build", "keynote-1h", "--all-audiences", "--root", str(workspace)])
    assert result.exit_code == 0, result.output
    for name in ("mdt", "practitioners", "researchers", "trainees"):
        assert (workspace / "build" / f"keynote-1h--{name}.pptx").is_file()
    # planned minutes as every command prints them: "60", not "60.0"
    assert re.search(r"^mdt\s+\d+\s+60\s+60\s+0\s+build/keynote-1h--mdt.pptx$", result.stdout, re.M)


def test_trainees_get_plain_language_framing_and_a_worksheet_for_their_exercise(decks) -> None:  # type: ignore[no-untyped-def]
    slides = {s.id: s for s in decks["trainees"].deck.slides}
    assert "opening-outcomes" not in slides and "trainees-outcomes" in slides
    framing = " ".join(p.text for p in slides["trainees-outcomes"].notes)
    assert "not the same as one causing the other" in framing and "statistics" in framing
    exercise = slides["disconnection-trainee-exercise"]
    assert exercise.worksheet is not None and len(exercise.worksheet.checklist) == 4
    assert "0 (not at all)" in "".join(r.text for r in exercise.worksheet.intro)
    others = {s.id for s in decks[None].deck.slides}
    assert "trainees-outcomes" not in others and "opening-outcomes" in others
