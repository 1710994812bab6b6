"""A small workspace written in code for the round-trip tests, and edits made as a presenter makes them."""

from __future__ import annotations

import textwrap
from pathlib import Path

BIB = """\
@article{cooper2005,
  author  = {Cooper, Mick},
  title   = {Therapists' experiences of relational depth},
  journal = {Counselling and Psychotherapy Research},
  year    = {2005},
  volume  = {5},
  pages   = {87--95}
}
"""

TALK = """\
# The talk: one section
title: Round trips
presenter: Test Presenter
slot: 10
theme: calm
sections:
  - use: main
"""

SECTION = """\
# Section comment: must survive a pull
title: Main part
slides:
  - kind: bullets
    title: First findings   # a comment after the title
    bullets:
      - Clients remember moments of depth
      - Depth is mutual [@cooper2005]
      - "Levels:":
          - one level
          - another level
    notes: |
      Say what the findings mean.
      Keep it short.
  - kind: bullets
    title: Second slide
    bullets:
      - A point to hide later
    notes: Notes of the second slide.
  - kind: bullets
    title: "{{ term.Client }} words"
    bullets:
      - A third slide
    notes: Third notes.
  - kind: table
    title: A table
    columns: [Study, Year]
    rows:
      - [Alpha, "2005"]
      - [Beta, "2010"]
  - kind: bullets
    title: Fifth slide
    bullets:
      - To be deleted
"""

REPO = Path(__file__).resolve().parents[1]


def make_workspace(root: Path) -> Path:
    (root / "content" / "talks").mkdir(parents=True)
    (root / "content" / "sections").mkdir(parents=True)
    (root / "content" / "talks" / "rt.yaml").write_text(TALK, encoding="utf-8")
    (root / "content" / "sections" / "main.yaml").write_text(SECTION, encoding="utf-8")
    (root / "bibliography.bib").write_text(BIB, encoding="utf-8")
    (root / "themes" / "calm").mkdir(parents=True)
    (root / "themes" / "calm" / "theme.yaml").write_bytes((REPO / "themes" / "calm" / "theme.yaml").read_bytes())
    return root


def slide_with_title(prs, title: str):  # type: ignore[no-untyped-def]
    for slide in prs.slides:
        if slide.shapes.title is not None and slide.shapes.title.text_frame.text == title:
            return slide
    raise AssertionError(f"no slide titled {title!r}")


def delete_slide(prs, slide) -> None:  # type: ignore[no-untyped-def]
    """As PowerPoint does: the slide leaves the slide list and its relationship is dropped."""
    ids = prs.slides._sldIdLst
    for entry in list(ids):
        if prs.part.related_part(entry.rId) is slide.part:
            prs.part.drop_rel(entry.rId)
            ids.remove(entry)


def presenter_edits(deck: Path) -> None:
    """Retitle, retype a bullet, change notes, hide one slide, delete one, fix a table cell."""
    from pptx import Presentation

    prs = Presentation(str(deck))
    first = slide_with_title(prs, "First findings")
    first.shapes.title.text_frame.text = "First results"
    body = [s for s in first.placeholders if s.placeholder_format.idx != 0 and s.has_text_frame
            and "Clients" in s.text_frame.text][0]
    body.text_frame.paragraphs[0].runs[0].text = "Clients recall moments of depth"
    notes = first.notes_slide.notes_text_frame
    for paragraph in notes.paragraphs:
        if paragraph.text.startswith("Say what"):
            paragraph.runs[0].text = "Say what the results mean."
    second = slide_with_title(prs, "Second slide")
    second.element.set("show", "0")
    table_slide = slide_with_title(prs, "A table")
    table = next(s for s in table_slide.shapes if s.has_table).table
    table.cell(2, 0).text_frame.paragraphs[0].runs[0].text = "Gamma"
    delete_slide(prs, slide_with_title(prs, "Fifth slide"))
    prs.save(str(deck))


__all__ = ["make_workspace", "presenter_edits", "slide_with_title", "delete_slide", "textwrap"]
