"""Load layer: an outline file opened for editing in place (ruamel.yaml round trip), edits made, text returned.

Comments, key order, anchors, block styles, quotes and `{{ … }}` marks are kept: ruamel.yaml round-trips
them, and the file's text changes only on the lines an edit touches (the dump of the edited document is laid
over the original line by line), so a `pull` diff shows the presenter's edits and nothing else.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Callable
from typing import Any

from lecturegen.model.pull import Conflict, Place, SourceEdit

_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4))


class YamlEditError(Exception):
    """A file that cannot be edited in place (not YAML ruamel can read); the message says why."""


def _yaml(mapping: int, sequence: int, offset: int) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, doc: Any) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


class YamlFile:
    """One source file: its text, its round-trip document and where each node of it starts."""

    def __init__(self, display: str, text: str):
        self.display = display
        self.text = text
        best: tuple[int, Any, Any, str] | None = None
        for indent in _INDENTS:
            yaml = _yaml(*indent)
            try:
                doc = yaml.load(text)
            except Exception as exc:  # ruamel's many error classes
                raise YamlEditError(f"cannot be edited in place: {str(exc).splitlines()[0] if str(exc) else exc}") \
                    from None
            dumped = _dump(yaml, doc)
            noise = sum(1 for line in difflib.ndiff(text.splitlines(), dumped.splitlines()) if line[:1] in "+-")
            if best is None or noise < best[0]:
                best = (noise, yaml, doc, dumped)
            if noise == 0:
                break
        assert best is not None
        _, self.yaml, self.doc, self.dumped = best
        self.scalars: dict[tuple[int, int], tuple[str, Any, Any]] = {}
        self.maps: dict[tuple[int, int], Any] = {}
        self.parents: dict[int, tuple[Any, Any]] = {}
        self._index(self.doc)

    def _index(self, node: Any) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if isinstance(node, CommentedMap):
            self.maps.setdefault((node.lc.line, node.lc.col), node)
            for key in node:
                self.scalars.setdefault(tuple(node.lc.key(key)), ("key", node, key))
                value = node[key]
                if isinstance(value, (CommentedMap, CommentedSeq)):
                    self.parents[id(value)] = (node, key)
                    self._index(value)
                else:
                    self.scalars.setdefault(tuple(node.lc.value(key)), ("value", node, key))
        elif isinstance(node, CommentedSeq):
            for index, value in enumerate(node):
                if isinstance(value, (CommentedMap, CommentedSeq)):
                    self.parents[id(value)] = (node, index)
                    self._index(value)
                else:
                    self.scalars.setdefault(tuple(node.lc.item(index)), ("item", node, index))

    def scalar(self, at: Place, expected: str) -> tuple[str, Any, Any] | None:
        """The scalar written at `at` holding `expected`; else the one scalar anywhere that holds it."""
        found = self.scalars.get((at.line - 1, at.col - 1))
        if found is not None and _value(found) == expected:
            return found
        same = [s for s in self.scalars.values() if _value(s) == expected]
        return same[0] if len(same) == 1 else None

    def mapping(self, at: Place) -> Any:
        return self.maps.get((at.line - 1, at.col - 1))

    def result(self) -> str:
        """The file's new text: the original, with only the lines the edits changed replaced."""
        return overlay(self.text, self.dumped, _dump(self.yaml, self.doc))


def _value(found: tuple[str, Any, Any]) -> str:
    kind, container, key = found
    value = key if kind == "key" else container[key]
    return "" if value is None else str(value)


def _styled(new: str, old: Any) -> Any:
    """The new text in the old scalar's style (literal or folded block, single or double quotes)."""
    from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
                                          SingleQuotedScalarString)

    if isinstance(old, FoldedScalarString):
        folded = FoldedScalarString(new)
        folded.fold_pos = _moved_folds(str(old), new, list(getattr(old, "fold_pos", [])))
        return folded
    for kind in (LiteralScalarString, SingleQuotedScalarString, DoubleQuotedScalarString):
        if isinstance(old, kind):
            return kind(new)
    if "\n" in new.rstrip("\n"):
        return LiteralScalarString(new if new.endswith("\n") else new + "\n")
    return new


def _moved_folds(old: str, new: str, folds: list[int]) -> list[int]:
    """A folded block's line breaks (the spaces it folds at) kept where the text around them is unchanged."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    shift = len(new) - len(old)
    out = [f for f in folds if f < prefix] + [f + shift for f in folds if f >= len(old) - suffix]
    return [f for f in out if 0 <= f < len(new) and new[f] == " "]


def _anchored(value: Any, anchor: str) -> Any:
    from ruamel.yaml.scalarstring import PlainScalarString, ScalarString

    scalar = value if isinstance(value, ScalarString) else PlainScalarString(value)
    scalar.yaml_set_anchor(anchor, always_dump=True)
    return scalar


def _replace_everywhere(node: Any, old: Any, new: Any) -> None:
    """Every reference to the object `old` (an anchor and its aliases) made a reference to `new`."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for key in list(node.keys()):
            if node[key] is old:
                node[key] = new
            else:
                _replace_everywhere(node[key], old, new)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            if item is old:
                node[index] = new
            else:
                _replace_everywhere(item, old, new)


def apply_edits(file: YamlFile, edits: list[SourceEdit]) -> list[Conflict]:
    """Make the edits in the document; what cannot be made (the source changed since the build) is returned."""
    failed: list[Conflict] = []
    # Texts and keys first; then what adds or removes list items, from the end of the file backwards, so that
    # the place of every item still to be edited is the place it was read at; reordering last.
    structural = ("delete", "insert", "add-slide", "drop")
    edits = ([e for e in edits if e.op not in structural and e.op != "order"]
             + sorted((e for e in edits if e.op in structural), key=lambda e: (e.at.line, e.at.col), reverse=True)
             + [e for e in edits if e.op == "order"])
    for edit in edits:
        problem = _apply(file, edit)
        if problem:
            failed.append(Conflict(edit.what, edit.old, edit.new or str(edit.value or ""), source=problem,
                                   at=edit.at, why="the source changed since the deck was built"))
    return failed


def _apply(file: YamlFile, edit: SourceEdit) -> str:
    """One edit made in the document: "" when made, else why it could not be."""
    op = _EDIT_OPS.get(edit.op)
    return op(file, edit) if op is not None else f"unknown edit {edit.op!r}"


def _edit_text(file: YamlFile, edit: SourceEdit) -> str:
    """A text or a key renamed in place, in its old style; an anchored text changed wherever it is aliased."""
    found = file.scalar(edit.at, edit.old)
    if found is None:
        there = file.scalars.get((edit.at.line - 1, edit.at.col - 1))
        return f"now {_value(there)!r}" if there is not None else f"no text {edit.old!r} at {edit.at} any more"
    kind, container, key = found
    if kind == "key":
        position = list(container.keys()).index(key)
        value = container.pop(key)
        container.insert(position, edit.new, value)
        comment = container.ca.items.pop(key, None)
        if comment is not None:
            container.ca.items[edit.new] = comment
        return ""
    old = container[key]
    new = _styled(edit.new, old)
    anchor = getattr(getattr(old, "anchor", None), "value", None)
    if anchor:
        # An anchored text (`&part3 "…"`) is one value in every place an alias (`*part3`) names it:
        # the new text keeps the anchor and takes all those places.
        new = _anchored(new, anchor)
        _replace_everywhere(file.doc, old, new)
    else:
        container[key] = new
    return ""


def _edit_setting(file: YamlFile, edit: SourceEdit) -> str:
    """A slide's key set (added after its title), changed or, with no value, removed."""
    from ruamel.yaml.comments import CommentedMap

    target = file.mapping(edit.at)
    if not isinstance(target, CommentedMap):
        return f"no slide at {edit.at}"
    if edit.value is None:
        target.pop(edit.key, None)
    elif edit.key in target:
        target[edit.key] = edit.value
    else:
        keys = list(target.keys())
        position = keys.index("title") + 1 if "title" in keys else len(keys)
        value = _styled(edit.value, "") if isinstance(edit.value, str) else edit.value
        target.insert(position, edit.key, value)
    return ""


def _edit_bullet(file: YamlFile, edit: SourceEdit) -> str:
    """A bullet deleted, or a new one inserted beside it (or, one level down, as its first sub-bullet)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    found = file.scalar(edit.at, edit.old)
    if found is None:
        return f"no line {edit.old!r} at {edit.at}"
    kind, container, key = found
    # the list and index of the bullet: a plain item, or a one-key mapping `text: [sub-bullets]`
    if kind == "item":
        seq, index = container, key
    elif kind == "key" and id(container) in file.parents:
        seq, index = file.parents[id(container)]
        if not isinstance(seq, CommentedSeq):
            return f"{edit.old!r} is not a list item"
    else:
        return f"{edit.old!r} is not a list item"
    if edit.op == "delete":
        del seq[index]
        return ""
    if edit.level <= 0:
        seq.insert(index if edit.before else index + 1, edit.new)
    elif kind == "key":
        children = container[key]
        if isinstance(children, CommentedSeq):
            children.insert(0, edit.new)
        else:
            container[key] = CommentedSeq([edit.new])
    else:
        seq[index] = CommentedMap([(seq[index], CommentedSeq([edit.new]))])
    return ""


def _drop_slide(file: YamlFile, edit: SourceEdit) -> str:
    """A slide deleted in the deck, taken out of its list."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    target = file.mapping(edit.at)
    if not isinstance(target, CommentedMap) or id(target) not in file.parents:
        return f"no slide at {edit.at}"
    seq, position = file.parents[id(target)]
    if not isinstance(seq, CommentedSeq) or seq[position] is not target:
        return f"no slide at {edit.at}"
    del seq[position]
    return ""


def _add_slides(file: YamlFile, edit: SourceEdit) -> str:
    """Slides added in the deck, put beside the slide they follow (or at the start of a section's slides)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    target = file.mapping(edit.at)
    added = [outline_value(item) for item in (edit.value or [])]
    if edit.key == "first":  # at the start of a section's slides
        seq = target.get("slides") if isinstance(target, CommentedMap) else None
        if not isinstance(seq, CommentedSeq):
            return f"no section with slides at {edit.at}"
        index = 0
    else:
        if not isinstance(target, CommentedMap) or id(target) not in file.parents:
            return f"no slide at {edit.at}"
        seq, position = file.parents[id(target)]
        if not isinstance(seq, CommentedSeq):
            return f"no slide list at {edit.at}"
        index = position if edit.before else position + 1
    for offset, item in enumerate(added):
        seq.insert(index + offset, item)
    return ""


def _reorder_slides(file: YamlFile, edit: SourceEdit) -> str:
    """A section's slides put in the deck's order, each keeping the comment that was on it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    section = file.mapping(edit.at)
    slides = section.get("slides") if isinstance(section, CommentedMap) else None
    if not isinstance(slides, CommentedSeq):
        return f"no section with slides at {edit.at}"
    at_index = {(item.lc.line + 1, item.lc.col + 1): i for i, item in enumerate(slides)
                if isinstance(item, CommentedMap)}
    indices = [at_index.get((p.line, p.col)) for p in edit.order]
    if any(i is None for i in indices):
        return "the section's slides moved since the build"
    slots = sorted(i for i in indices if i is not None)
    items = [slides[i] for i in indices if i is not None]
    comments = {i: slides.ca.items.get(i) for i in slots}
    moved = {}
    for slot, source_index, item in zip(slots, indices, items):
        slides[slot] = item
        moved[slot] = comments.get(source_index)  # type: ignore[arg-type]
    for slot, comment in moved.items():
        if comment is None:
            slides.ca.items.pop(slot, None)
        else:
            slides.ca.items[slot] = comment
    return ""


_EDIT_OPS: dict[str, Callable[[YamlFile, SourceEdit], str]] = {
    "text": _edit_text, "set": _edit_setting, "delete": _edit_bullet, "insert": _edit_bullet,
    "drop": _drop_slide, "add-slide": _add_slides, "order": _reorder_slides,
}


def overlay(original: str, before: str, after: str) -> str:
    """`original` with the line changes that turn `before` into `after` (before ≈ original as ruamel dumps it);
    `after` itself when a change falls on a line that ruamel writes differently from the original."""
    orig, old, new = original.splitlines(keepends=True), before.splitlines(keepends=True), after.splitlines(keepends=True)
    same: dict[int, int] = {}
    for tag, i1, i2, j1, _j2 in difflib.SequenceMatcher(None, old, orig, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                same[i1 + k] = j1 + k
    changes: list[tuple[int, int, list[str]]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:
            if not all(k in same for k in range(i1, i2)) or same[i2 - 1] - same[i1] != i2 - 1 - i1:
                return after
            start, end = same[i1], same[i2 - 1] + 1
        elif i1 in same:
            start = end = same[i1]
        elif i1 - 1 in same:
            start = end = same[i1 - 1] + 1
        elif i1 == 0:
            start = end = 0
        else:
            return after
        changes.append((start, end, new[j1:j2]))
    for start, end, lines in reversed(changes):
        orig[start:end] = lines
    return "".join(orig)


def outline_value(value: Any, key: str = "") -> Any:
    """Plain data as an outline author writes it: text of several lines as a `|` block, a table's columns and
    each of its rows on one line in brackets, everything else in block style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    if isinstance(value, dict):
        return CommentedMap((k, outline_value(v, str(k))) for k, v in value.items())
    if isinstance(value, list):
        items = CommentedSeq(outline_value(v, "row" if key == "rows" else "") for v in value)
        if key in ("columns", "row") and sum(len(str(v)) for v in value) < 120 \
                and not any("\n" in str(v) for v in value):
            items.fa.set_flow_style()
        return items
    return value


def dump_outline(data: dict[str, Any]) -> str:
    """A new outline file's text (import)."""
    yaml = _yaml(2, 4, 2)
    return _dump(yaml, outline_value(data))


__all__ = ["YamlEditError", "YamlFile", "apply_edits", "dump_outline", "outline_value", "overlay"]
