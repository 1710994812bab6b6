"""Compile tests: `_subtitle` reads, builds and lays the subtitle of title, section, break and closing slides; the
tests check which placeholder it takes, how lines that do not fit grow into the free room or give way (named in a
warning), and that a slide without one gets no subtitle box."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds._subtitle import SubtitleSpec
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of

EMU_PER_PT = 12700


def _closing(tmp_path: Path, lines: int) -> tuple[Deck, Slide, list[str]]:
    """A deck whose closing slide's message is `lines` paragraphs, each a subtitle line."""
    message = "\n\n".join(f"Line {i} of the message" for i in range(1, lines + 1))
    indented = "\n".join(f"    {line}" if line else "" for line in message.splitlines())
    built, messages = deck(tmp_path, f"- kind: closing\n  title: Thank you\n  message: |\n{indented}\n")
    return built, slides_of(built, "closing")[0], [m for m in messages if "[timing." not in m]


def _shape(slide: Slide, name: str) -> TextShape:
    return next(s for s in slide.shapes if isinstance(s, TextShape) and s.name == name)


def test_a_slide_without_a_subtitle_is_read_and_laid_with_no_subtitle_box(tmp_path: Path) -> None:
    spec, problems = parse("section", "kind: section\ntitle: Bare\n")
    assert problems == [] and isinstance(spec, SubtitleSpec) and spec.subtitle is None and spec.texts() == ()
    built, _ = deck(tmp_path, "- kind: section\n  title: Bare\n")
    bare = next(s for s in slides_of(built, "section") if "".join(r.text for r in s.title) == "Bare")
    assert bare.subtitle == ()
    assert [s.role for s in bare.shapes if isinstance(s, TextShape) and s.role in ("subtitle", "body")] == []


def test_the_subtitle_takes_the_subtitle_placeholder_or_else_the_body_placeholder(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: title
          title: Part two
          subtitle: After the break
        - kind: section
          title: A new part
          subtitle: Where we turn
        """)
    titled = slides_of(built, "title")[1]
    sectioned = next(s for s in slides_of(built, "section") if "".join(r.text for r in s.title) == "A new part")
    on_title, on_section = _shape(titled, "Subtitle"), _shape(sectioned, "Subtitle")
    assert (on_title.role, on_title.placeholder and on_title.placeholder.type) == ("subtitle", "subTitle")
    assert (on_section.role, on_section.placeholder and on_section.placeholder.type) == ("body", "body")
    for slide, shape in ((titled, on_title), (sectioned, on_section)):
        assert shape.inherit_box and shape.box.y >= _shape(slide, "Title").box.bottom


def test_lines_too_many_for_the_box_grow_into_the_free_room_between_title_and_footers(tmp_path: Path) -> None:
    _, short, _ = _closing(tmp_path / "short", 1)
    built, long, problems = _closing(tmp_path / "long", 5)
    own, grown = _shape(short, "Subtitle").box, _shape(long, "Subtitle")
    assert problems == []
    assert len(grown.lines) == 5 and not grown.inherit_box
    assert grown.box.y < own.y and grown.box.bottom > own.bottom  # taller than the placeholder both ways …
    assert grown.box.y > _shape(long, "Title").box.bottom  # … yet below the title
    assert grown.box.bottom < _shape(long, "Footer").box.y and inside(grown, built)
    assert grown.measured_height * EMU_PER_PT <= grown.insets.inner(grown.box).cy + 0.5 * EMU_PER_PT


def test_lines_that_fit_nowhere_give_way_from_the_last_named_in_a_warning(tmp_path: Path) -> None:
    _, slide, problems = _closing(tmp_path, 15)
    shape = _shape(slide, "Subtitle")
    kept = len(shape.lines)
    assert 1 < kept < 15
    assert [line.text for line in shape.lines] == [f"Line {i} of the message" for i in range(1, kept + 1)]
    assert shape.measured_height * EMU_PER_PT <= shape.insets.inner(shape.box).cy + 0.5 * EMU_PER_PT
    assert len(problems) == 1 and problems[0].endswith("[fit.subtitle]"), problems
    assert f"holds {kept} of its 15 lines; left out: Line {kept + 1} of the message; " in problems[0]
    assert len(slide.subtitle) == 15  # the slide's record keeps every line; only the box leaves them out
