"""Compile layer: reference slides for the works the remaining slides cite, split by measured height."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.model.links import shown_link
from lecturegen.compile.draft import Draft
from lecturegen.compile.kinds import kind_role
from lecturegen.compile.layout import Layouter
from lecturegen.compile.protocols import CitationFormatter
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.sources.specs import TalkSpec


def cited_keys(drafts: list[Draft], visible_only: bool) -> list[str]:
    """Keys cited on the slides that survived audience filtering and fitting, in first-use order."""
    keys: dict[str, None] = {}
    for d in drafts:
        for key in d.slide.visible_keys if visible_only else d.slide.cited_keys:
            keys.setdefault(key, None)
    return list(keys)


def add_references(drafts: list[Draft], talk: TalkSpec, engine: CitationFormatter, keys: list[str],
                   layouter: Layouter) -> list[Draft]:
    """Reference slides where the talk places them, else before the closing slide."""
    placed = [i for i, d in enumerate(drafts) if d.slide.kind == "references"]
    if not keys or (not talk.references and not placed):
        return [d for d in drafts if d.slide.kind != "references"]
    base = drafts[placed[0]].slide if placed else Slide(
        kind="references", layout=kind_role("references"), title=(Run("References"),), location=talk.location,
        id="references", notes=(Paragraph((Run("The full reference list is in the handout."),), style="direction"),))
    if talk.reference_slides == "handout":
        # A keynote ends on one slide: where the list is, not the list itself.
        works = "work" if len(keys) == 1 else "works"
        body = [Paragraph((Run(f"All {len(keys)} {works} cited today are listed in full in the handout."),),
                          style="plain")]
        if talk.references_url:
            body.append(Paragraph((Run("Online: "), Run(shown_link(talk.references_url), link=talk.references_url)),
                                  style="plain"))
        # Notes the presenter wrote on a placed references slide are theirs; else a direction, not a script.
        # The QR code opens references_url, whatever that page is: say so, not that it holds the list.
        where = f" The QR code opens {shown_link(talk.references_url)}." if talk.references_url else ""
        notes = base.notes if placed and base.notes else (Paragraph(
            (Run(f"The handout lists every work cited in full.{where}"),), style="direction"),)
        last = replace(base, body=tuple(body), qr=talk.references_url, notes=notes)
        pages = layouter.place(last, can_split=False)
    else:
        entries = engine.bibliography(keys)
        paragraphs = tuple(Paragraph(runs, style="reference") for runs in entries)
        pages = [p for page in layouter.split_references(replace(base, body=paragraphs))
                 for p in layouter.place(page, can_split=False)]
    new = [Draft(p, "") for p in pages]
    if placed:
        index = placed[0]
        rest = [d for i, d in enumerate(drafts) if d.slide.kind != "references" or i == index]
        at = rest.index(drafts[index])
        return rest[:at] + new + rest[at + 1:]
    # Before the closing slide if there is one, so the talk still ends on "thank you".
    closing = [i for i, d in enumerate(drafts) if d.slide.kind == "closing"]
    at = closing[-1] if closing else len(drafts)
    return drafts[:at] + new + drafts[at:]
