"""A workspace whose bibliography is a Better BibTeX export, built through the CLI: Unicode keys,
sentence-case references, and no raw citation marker in the deck, its notes or the handout."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from lecturegen.cli import main
from tests.conftest import write_workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bib"

TALK = """\
title: Alliance and empathy
presenter: Test Presenter
slot: 10
theme: calm
sections:
  - use: evidence
"""

SECTION = """\
title: Evidence
slides:
  - kind: bullets
    title: What predicts outcome
    bullets:
      - The alliance [@flückigerAllianceAdultPsychotherapy2018; @elliottTherapistEmpathyClient2018]
      - "Empathy, as @elliottTherapistEmpathyClient2018 show"
    notes: |
      Rogers said it first [@rogersNecessarySufficientConditions1957, p. 95].
  - kind: statement
    title: Guidance
    statement: Talking therapies first
    caption: "NICE guidance [@nationalinstituteforhealthandcareexcellenceDepressionAdultsTreatment2022]"
  - kind: references
    title: References
"""


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def zotero_workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", {
        "bibliography.bib": (FIXTURES / "better-bibtex.bib").read_text(encoding="utf-8"),
        "content/talks/alliance.yaml": TALK,
        "content/sections/evidence.yaml": SECTION,
    })


def _deck_text(path: Path) -> str:
    prs = Presentation(str(path))
    parts = []
    for slide in prs.slides:
        parts.extend(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def test_a_zotero_export_builds_with_unicode_keys_and_apa_references(zotero_workspace: Path) -> None:
    result = run("build", "alliance", "--root", str(zotero_workspace))
    assert result.exit_code == 0, result.output
    text = _deck_text(zotero_workspace / "build" / "alliance.pptx")
    assert "The alliance (Elliott et al., 2018; Flückiger et al., 2018)" in text
    assert "Empathy, as Elliott et al. (2018) show" in text
    assert "Rogers said it first (Rogers, 1957, p. 95)." in text  # speaker notes
    assert "NICE guidance (National Institute for Health and Care Excellence, 2022)" in text
    assert "Therapist empathy and client outcome: An updated meta-analysis." in text  # sentence case
    assert "Depression in adults: Treatment and management (NICE Guideline No. NG222)." in text
    assert "[@" not in text


@pytest.mark.parametrize(("written", "instead", "expected"), [
    # A bracket with one good and one bad key: an error where it was written, never a raw marker.
    ("@elliottTherapistEmpathyClient2018]", "@elliott!Therapist]",
     "content/sections/evidence.yaml:6:9: error: cannot read '@elliott!Therapist' in citation "
     "'[@flückigerAllianceAdultPsychotherapy2018; @elliott!Therapist]' (write '[@key]', '[@key, p. 12]' or "
     "'[see @key; @other]'; a key is letters, digits and '_', with '-:./+' between them) [cite.syntax]"),
    # An unknown key that differs from a Unicode one by its accent.
    ("@flückigerAllianceAdultPsychotherapy2018;", "@fluckigerAllianceAdultPsychotherapy2018;",
     "content/sections/evidence.yaml:6:9: error: unknown citation key 'fluckigerAllianceAdultPsychotherapy2018' "
     "(did you mean 'flückigerAllianceAdultPsychotherapy2018'?) [cite.unknown]"),
])
def test_citation_problems_are_located(zotero_workspace: Path, written: str, instead: str, expected: str) -> None:
    section = zotero_workspace / "content" / "sections" / "evidence.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace(written, instead, 1), encoding="utf-8")
    result = run("check", "alliance", "--root", str(zotero_workspace))
    assert result.exit_code == 1
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.output


def test_the_handout_has_the_references_and_no_raw_marker(zotero_workspace: Path, tmp_path: Path) -> None:
    target = tmp_path / "handout.docx"
    result = run("handout", "alliance", "--root", str(zotero_workspace), "--format", "docx", "--notes",
                 "-o", str(target))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "Flückiger, C., Del Re, A. C., Wampold, B. E., &amp; Horvath, A. O. (2018)." in xml
    assert "[@" not in xml
