"""compile/pull.py: an edited word is found again in its source text, or reported — never guessed, never dropped."""

from __future__ import annotations

from lecturegen.compile.pull import plan_pull
from lecturegen.model.roundtrip import DeckSnapshot, ShapeText, SlideSnapshot


def _slide(uid: str, number: int, title: str, body: tuple[str, ...], hidden: bool = False) -> SlideSnapshot:
    shapes = (ShapeText("Title", 2, "title", ((0, title),)),
              ShapeText("Content", 3, "body", tuple((0, b) for b in body)))
    return SlideSnapshot(uid, number, hidden, shapes)


def _entry(uid: str, line: int, title: str, bullets: tuple[str, ...]) -> dict:
    texts = [{"field": "title", "text": title, "level": 0, "path": "s.yaml", "line": line + 1, "col": 12}]
    texts += [{"field": "bullets", "text": b, "level": 0, "path": "s.yaml", "line": line + 3 + i, "col": 9}
              for i, b in enumerate(bullets)]
    return {"uid": uid, "origin": "slide", "kind": "bullets", "path": "s.yaml", "line": line, "col": 5,
            "texts": texts, "section_at": {"path": "s.yaml", "line": 1, "col": 1}}


def test_plan_names_every_kind_of_edit() -> None:
    written = DeckSnapshot((_slide("a", 1, "One", ("x", "y")), _slide("b", 2, "Two", ("z",)),
                            _slide("c", 3, "Three", ("w",))))
    edited = DeckSnapshot((_slide("c", 1, "Three", ("w",)), _slide("a", 2, "Uno", ("x", "y", "new")),
                           _slide("", 3, "Added", ("q",))))
    sources = [_entry("a", 3, "One", ("x", "y")), _entry("b", 8, "Two", ("z",)), _entry("c", 12, "Three", ("w",))]
    plan = plan_pull(written, edited, sources)
    ops = sorted((e.op, e.key or e.new) for e in plan.edits)
    assert ops == [("add-slide", ""), ("insert", "new"), ("order", ""), ("set", "skip"), ("text", "Uno")]
    added = next(e for e in plan.edits if e.op == "add-slide")
    assert added.value == [{"kind": "bullets", "title": "Added", "bullets": ["q"]}]
    assert added.at.line == 3  # after slide "a", the outline slide before it in the deck


def test_a_new_title_on_a_slide_without_one_is_set_and_an_indent_is_reported() -> None:
    written = DeckSnapshot((_slide("a", 1, "Main part", ("x", "y")),))
    shapes = (ShapeText("Title", 2, "title", ((0, "Now titled"),)),
              ShapeText("Content", 3, "body", ((0, "x"), (1, "y"))))
    edited = DeckSnapshot((SlideSnapshot("a", 1, False, shapes),))
    entry = _entry("a", 3, "unused", ("x", "y"))
    entry["texts"] = [t for t in entry["texts"] if t["field"] != "title"]
    plan = plan_pull(written, edited, [entry])
    assert [(e.op, e.key, e.value) for e in plan.edits] == [("set", "title", "Now titled")]
    assert any("moved from level 1 to 2" in u for u in plan.unplaced)
