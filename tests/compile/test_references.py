"""Compile tests: reference slides for the works the remaining slides cite."""

from __future__ import annotations

from pathlib import Path

from lecturegen.build import prepare
from lecturegen.compile.draft import Draft
from lecturegen.compile.references import cited_keys
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Run, Slide
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace

CLOSING = """\
  - kind: closing
    id: thanks
    title: Thank you
    notes: Thank them.
"""


def _slides(root: Path, talk: str = MINI_TALK, section: str = MINI_SECTION) -> list[Slide]:
    write_workspace(root, {"bibliography.bib": MINI_BIB, "content/talks/small.yaml": talk,
                           "content/sections/intro.yaml": section})
    return list(prepare(Workspace(root), "small", Diagnostics()).result.deck.slides)


def _draft(visible: tuple[str, ...], cited: tuple[str, ...]) -> Draft:
    return Draft(Slide(kind="bullets", layout="content", title=(Run("T"),), visible_keys=visible,
                       cited_keys=cited), "S")


def test_cited_keys_in_first_use_order_without_repeats() -> None:
    drafts = [_draft(("b",), ("b", "n1")), _draft(("a", "b"), ("a", "b", "n2"))]
    assert cited_keys(drafts, visible_only=True) == ["b", "a"]
    assert cited_keys(drafts, visible_only=False) == ["b", "n1", "a", "n2"]
    assert cited_keys([], visible_only=False) == []


def test_the_reference_list_holds_every_cited_work_and_no_other(tmp_path: Path) -> None:
    slides = _slides(tmp_path / "ws")
    refs = [s for s in slides if s.kind == "references"]
    assert len(refs) == 1 and refs[0] is slides[-1]
    entries = [p.text for p in refs[0].body]
    assert len(entries) == 2
    assert entries[0].startswith("Cooper, M. (2005).") and entries[1].startswith("Knox, R., & Cooper, M. (2010).")
    assert not any("Nobody" in e for e in entries)
    assert all(p.style == "reference" for p in refs[0].body)


def test_references_stand_before_the_closing_slide(tmp_path: Path) -> None:
    slides = _slides(tmp_path / "ws", section=MINI_SECTION + CLOSING)
    assert [s.kind for s in slides[-2:]] == ["references", "closing"]


def test_references_false_leaves_them_out(tmp_path: Path) -> None:
    slides = _slides(tmp_path / "ws", talk=MINI_TALK.replace("slot: 10", "slot: 10\nreferences: false"))
    assert not any(s.kind == "references" for s in slides)


def test_handout_mode_ends_on_one_slide_pointing_to_the_list(tmp_path: Path) -> None:
    talk = MINI_TALK.replace("slot: 10", "slot: 10\nreferences: handout\nreferences_url: https://example.org/refs")
    slides = _slides(tmp_path / "ws", talk=talk)
    (refs,) = [s for s in slides if s.kind == "references"]
    texts = [p.text for p in refs.body]
    assert texts[0] == "All 2 works cited today are listed in full in the handout."
    assert texts[1].startswith("Online: ") and "example.org/refs" in texts[1]
    assert refs.qr == "https://example.org/refs"
    assert "The QR code opens" in " ".join(p.text for p in refs.notes)


def test_a_long_list_splits_by_height_into_numbered_slides(tmp_path: Path) -> None:
    bib = MINI_BIB + "".join(
        f"@article{{work{i},\n  author = {{Author{i}, Ann and Other, Bob}},\n  title = {{A rather long title for "
        f"work number {i} about relational depth in practice}},\n  journal = {{Journal of Tests}},\n"
        f"  year = {{20{i:02d}}},\n  volume = {{{i}}},\n  pages = {{1--20}}\n}}\n" for i in range(1, 25))
    cites = "; ".join(f"@work{i}" for i in range(1, 25))
    section = MINI_SECTION.replace("Let the number land.", f"Let the number land [{cites}].")
    root = tmp_path / "ws"
    write_workspace(root, {"bibliography.bib": bib, "content/talks/small.yaml": MINI_TALK,
                           "content/sections/intro.yaml": section})
    slides = prepare(Workspace(root), "small", Diagnostics()).result.deck.slides
    refs = [s for s in slides if s.kind == "references"]
    assert len(refs) >= 2
    total = len(refs)
    assert ["".join(r.text for r in s.title) for s in refs] == [f"References ({i}/{total})" for i in
                                                                range(1, total + 1)]
    assert sum(len(s.body) for s in refs) == 26
