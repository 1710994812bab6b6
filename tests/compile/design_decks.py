"""Laid-out decks built in code for the design lint's tests (test_design*.py): slides with a title, body,
caption, source line and chrome as the layout places them."""

from __future__ import annotations

from lecturegen.diagnostics import Location
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Shape, TextLine, TextShape
from lecturegen.model.text import Run

WIDE = 12192000  # 13.33 in, 16:9
NARROW = 9144000  # 10 in, 4:3
BOX = Box(457200, 1600200, 10972800, 4525963)
TALK_AT = Location("content/talks/t.yaml", 1, 1)


def at(line: int) -> Location:
    return Location("content/sections/s.yaml", line, 5)


def runs(*parts: str | tuple[str, bool]) -> tuple[Run, ...]:
    """Plain strings are text; ('(Cooper, 2005)', True) is a cited run."""
    return tuple(Run(p) if isinstance(p, str) else Run(p[0], cited=p[1]) for p in parts)


def line(*parts: str | tuple[str, bool], size: float = 28.0, bullet: str = "inherit", level: int = 0) -> TextLine:
    return TextLine(runs(*parts), size, level=level, bullet=bullet)


def shape(role: str, *lines: TextLine, measured: float = 0.0) -> TextShape:
    return TextShape(name=role.title(), role=role, box=BOX, lines=lines, measured_height=measured)


def title_shape(text: str, lines: int = 1, size: float = 36.0) -> TextShape:
    # The layout's measurement: Carlito's line pitch is 1.22 times the size.
    return shape("title", line(text, size=size), measured=lines * size * 1.22)


def chrome() -> tuple[TextShape, TextShape]:
    return (shape("footer", line("A talk", size=14.0)), shape("number", line("#", size=14.0)))


def slide(kind: str = "bullets", title: str = "Three points", body: tuple[TextLine, ...] = (),
          extra: tuple[Shape, ...] = (), caption: tuple[Run, ...] = (), sources: tuple[Run, ...] = (),
          number_at: int = 1, title_lines: int = 1, hidden: bool = False) -> Slide:
    shapes: list[Shape] = [title_shape(title, title_lines)]
    if body:
        shapes.append(shape("body", *body))
    shapes.extend(extra)
    if caption or sources:
        bottom = caption + ((Run("  "),) if caption and sources else ()) + sources
        shapes.append(shape("caption", TextLine(bottom, 14.0, bullet="none")))
    shapes.extend(chrome())
    return Slide(kind=kind, layout="Title and Content", title=(Run(title),), location=at(number_at),
                 caption=caption, sources=sources, shapes=tuple(shapes), hidden=hidden)


def deck(*slides: Slide, width: int = WIDE, minutes: float = 20.0) -> Deck:
    return Deck(talk="t", title="A talk", subtitle="", presenter="", affiliation="", date="", footer="",
                theme="calm", slides=slides, slot_minutes=minutes, width=width, height=6858000)


def title_slide() -> Slide:
    return Slide(kind="title", layout="Title Slide", title=(Run("A talk"),), location=TALK_AT,
                 shapes=(title_shape("A talk", size=44.0),
                         shape("subtitle", line("What we found", size=24.0, bullet="none"))))


def clean_deck() -> Deck:
    """Slides a keynote designer would sign off: short, few bullets, one marker, a readable source line."""
    return deck(
        title_slide(),
        slide("section", "Where we start", (line("A short promise", size=24.0, bullet="none"),), number_at=2),
        slide(body=(line("Therapists felt more alive ", ("(Cooper, 2005)", True)),
                    line("Clients felt deeply met"),
                    line("Both remember it for years")), number_at=3),
        slide("statement", "Eight of eight", (line("8 of 8", size=80.0, bullet="none"),
                                              line("therapists interviewed", size=22.0, bullet="none")),
              sources=runs("Source: ", ("Cooper (2005)", True)), number_at=4),
        slide("references", "References", (line(("Cooper, M. (2005). Therapists' experiences. ", True),
                                                size=16.0, bullet="none"),), number_at=5),
    )
