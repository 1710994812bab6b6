"""Load layer: YAML composed with marks, read through typed, located field accessors.

Over 400 lines because the limits checked while composing (size, depth, aliases, merge keys, numbers) and the
`Fields` accessors that read the composed nodes share their scalar rules; reading text files is textfile.py.
"""

from __future__ import annotations

import builtins
import math
import os
import re
from itertools import islice
from pathlib import Path
from dataclasses import field
from typing import Any, Callable, Iterator, Mapping, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lecturegen.model.icons import Icon
from lecturegen.diagnostics import Diagnostics, Location, choice_hint, Replayed, did_you_mean, quote_choices, shorten
from lecturegen.records import record
from lecturegen.sources.specs import KindSpec
from lecturegen.sources.textfile import INVALID_XML, read_text, strip_invalid_xml
from lecturegen.workspace import Workspace, file_name_of_text

# Anchors and aliases are allowed, but a document may not expand past this many nodes:
# an "alias bomb" of nested references would otherwise explode when walked.
MAX_EXPANDED_NODES = 200_000
# No outline needs more levels than this; readers of free-form values (`event:`) recurse.
MAX_YAML_DEPTH = 100
# Numbers read from YAML must lie within ±MAX_MAGNITUDE unless the reader sets tighter bounds: past it,
# arithmetic on minutes, sizes or axis limits overflows to infinity. Integers of more digits than
# MAX_NUMBER_DIGITS are not even parsed (Python refuses int() of over 4,300 digits).
MAX_MAGNITUDE = 1e15
MAX_NUMBER_DIGITS = 300

# libyaml's loader composes the same nodes (with marks) several times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# XML 1.0 forbids these; PowerPoint refuses a file containing them. Values are cleaned at load.
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


def loc_of(node: Node, path: str) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def _walk(node: Node, unique: bool = False) -> Iterator[Node]:
    """Every node below `node`, aliases expanded (or, with `unique`, each shared node once)."""
    seen: set[int] = set()
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if unique:
            if id(current) in seen:
                continue
            seen.add(id(current))
        yield current
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.append(key)
                stack.append(value)


def _expanded_size(node: Node, budget: int, unique: bool = False) -> int:
    """Count nodes as a reader would see them (aliases expanded, unless `unique`), stopping at the budget."""
    count = 0
    for _ in _walk(node, unique):
        count += 1
        if count > budget:
            break
    return count


def _yaml_error_location(exc: yaml.YAMLError, path: str) -> Location:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return Location(path, 1, 1)
    return Location(path, mark.line + 1, mark.column + 1)


def _yaml_error_context(exc: yaml.YAMLError) -> str | None:
    """A hint for a YAML syntax error: tabs, or where the failing construct began when that is another line."""
    problem = str(getattr(exc, "problem", None) or "")
    if "tab character" in problem or "'\\t'" in problem:
        return "indent with spaces: YAML does not allow tabs for indentation"
    context = getattr(exc, "context", None)
    start, end = getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None)
    if not context or "plain scalar" in context or start is None or (end is not None and start.line == end.line):
        return None
    return f"{context} that starts at line {start.line + 1}, column {start.column + 1}"


def load_yaml(file: Path, display: str, diags: Diagnostics) -> Node | None:
    """Compose one YAML document into nodes that keep their line and column."""
    text = read_text(file, display, diags)
    if text is None:
        return None
    return compose_yaml(text, display, diags)


_COMPOSED = Replayed()


def compose_yaml(text: str, display: str, diags: Diagnostics) -> Node | None:
    """The document's nodes with their marks (memoised by text: nodes are never changed after this)."""
    key = (display, text)
    hit, cached = _COMPOSED.get(key, diags)
    if hit:
        return cached if isinstance(cached, Node) else None
    mark = len(diags.items)
    node = _compose(text, display, diags)
    _COMPOSED.put(key, node, diags.items[mark:])
    return node


def _compose(text: str, display: str, diags: Diagnostics) -> Node | None:
    too_deep = _flow_too_deep(text)
    if too_deep is not None:
        _too_deep(diags, Location(display, text.count("\n", 0, too_deep) + 1,
                                  too_deep - text.rfind("\n", 0, too_deep)))
        return None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        if problem.startswith("but ") and context:  # "expected a single document …, but found another document"
            diags.error(f"invalid YAML: {context}, {problem}", "yaml.syntax", _yaml_error_location(exc, display))
            return None
        diags.error(f"invalid YAML: {problem}", "yaml.syntax", _yaml_error_location(exc, display),
                    _yaml_error_context(exc))
        return None
    if node is None:
        diags.error("file is empty", "yaml.empty", Location(display, 1, 1))
        return None
    for key in _merge_keys(node):
        # safe_load would merge `<<: *base`, but lecturegen reads nodes: the keys would silently vanish.
        diags.error("YAML merge keys ('<<') are not supported", "yaml.merge", loc_of(key, display),
                    hint="write the keys out, or reuse a whole value with an alias ('key: *anchor')")
        return None
    if _expanded_size(node, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        if _expanded_size(node, MAX_EXPANDED_NODES, unique=True) > MAX_EXPANDED_NODES:
            diags.error(f"document has more than {MAX_EXPANDED_NODES:,} values", "yaml.too-large",
                        loc_of(node, display), hint="split it into several files")
            return None
        diags.error(
            f"document expands to more than {MAX_EXPANDED_NODES:,} values through aliases",
            "yaml.too-large",
            loc_of(node, display),
            hint="remove the nested anchors (*alias) that multiply the document",
        )
        return None
    deepest = _too_deep_node(node)
    if deepest is not None:
        _too_deep(diags, loc_of(deepest, display))
        return None
    if "\\" in text:  # only double-quoted escapes ("\x01", "\uFFFE") can put such characters in a value
        _strip_invalid_xml(node)
    return node


def _flow_too_deep(text: str) -> int | None:
    """Where brackets first nest past MAX_YAML_DEPTH, counted before parsing (libyaml composes a deep flow
    collection in quadratic time: 100,000 levels take minutes). Brackets inside quotes count too: a real
    document never has a hundred unclosed ones."""
    if text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return None
    brackets = re.sub(r"[^\[\]{}]+", "", text)
    depth = 0
    for index, bracket in enumerate(brackets):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_YAML_DEPTH:
            return next(islice(re.finditer(r"[\[\]{}]", text), index, None)).start()
    return None


def _too_deep_node(root: Node) -> Node | None:
    """A node nested past MAX_YAML_DEPTH (in block style, or through aliases), else None."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_YAML_DEPTH:
            return node
        if isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            stack.extend((value, depth + 1) for _, value in node.value)
    return None


def _too_deep(diags: Diagnostics, at: Location) -> None:
    diags.error(f"YAML nests more than {MAX_YAML_DEPTH} levels deep", "yaml.too-large", at,
                hint="an outline needs a few levels; look for unclosed brackets")


def _merge_keys(root: Node) -> Iterator[ScalarNode]:
    for node in _walk(root, unique=True):
        if isinstance(node, MappingNode):
            for key, _ in node.value:
                if isinstance(key, ScalarNode) and key.tag == _MERGE:
                    yield key


def _strip_invalid_xml(root: Node) -> None:
    """Clean every scalar in place: a deck, a chart or a handout can then never carry them."""
    for node in _walk(root, unique=True):
        if isinstance(node, ScalarNode) and isinstance(node.value, str) and INVALID_XML.search(node.value):
            node.value = strip_invalid_xml(node.value)


def scalar_value(node: ScalarNode) -> Any:
    """The Python value of a plain scalar, as safe_load would construct it; its raw text when that fails.

    Explicit tags reach here unchecked (`!!float abc`, `!!bool maybe`, `!!python/object:...`), and the
    constructor raises ValueError, KeyError or ConstructorError for them: callers check the type they get.
    """
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except Exception:  # noqa: BLE001 - any constructor failure means "not a value of that type"
        return str(node.value)


def number_value(node: ScalarNode) -> float | int | None:
    """A finite int or float scalar, else None (text, booleans, `.inf`, `.nan`, a bad `!!float`)."""
    value = _numeric(node)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _numeric(node: ScalarNode) -> float | int | None:
    """An int or float scalar as Python sees it (infinities included), else None."""
    if node.tag not in (_INT, _FLOAT):
        return None
    digits = str(node.value).replace("_", "").lstrip("+-")
    if node.tag == _INT and len(digits) > MAX_NUMBER_DIGITS and digits.isdigit():
        # int() refuses over 4,300 digits, and any bound refuses far fewer: stand in a number that big.
        return (-1 if str(node.value).startswith("-") else 1) * 10**MAX_NUMBER_DIGITS
    value = scalar_value(node)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def read_number(node: ScalarNode, key: str, ctx: Ctx, minimum: float | None = None,
                maximum: float | None = None) -> float | None:
    """A number within its bounds (±MAX_MAGNITUDE when none is given), or None after a located error."""
    value = _numeric(node)
    shown = shorten(str(node.value))
    if value is None:
        ctx.error(node, f"'{key}' must be a number, got '{shown}'", "yaml.type")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        ctx.error(node, f"'{key}' must be a finite number, got '{shown}'", "yaml.type")
        return None
    low = -MAX_MAGNITUDE if minimum is None else minimum
    high = MAX_MAGNITUDE if maximum is None else maximum
    if value < low:
        ctx.error(node, f"'{key}' must be at least {low:,g}, got {_number_text(value, shown)}", "yaml.range")
        return None
    if value > high:
        ctx.error(node, f"'{key}' must be at most {high:,g}, got {_number_text(value, shown)}", "yaml.range")
        return None
    return float(value)


def _number_text(value: float | int, shown: str) -> str:
    return f"{value:g}" if abs(value) < MAX_MAGNITUDE else shown


def type_name(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag
    return {
        _BOOL: "a boolean",
        _INT: "a number",
        _FLOAT: "a number",
        _NULL: "nothing (null)",
    }.get(tag, "a string")


class OutlineKind(Protocol):
    """A slide kind's outline part, as the kind registry hands it to the reader: the keys it accepts on top of
    the common ones, and how it reads them into its spec (located errors through the Fields)."""

    @property
    def keys(self) -> frozenset[str]: ...

    def parse(self, fields: Fields, node: Node) -> KindSpec | None: ...


@record(frozen=False)
class Ctx:
    """What a reader needs to report: the file's display path and the diagnostics bag; and the slide kinds
    registered above the load layer (`compile/kinds/`), whose outline keys the reader checks through them."""

    path: str
    diags: Diagnostics
    kinds: Mapping[str, OutlineKind] = field(default_factory=dict)
    workspace: Workspace | None = None  # set where slides are read: a kind's keys may name workspace files
    # How an `icon:` name becomes an Icon (`sources/icons.py::load_icon` when None); a build passes one that
    # keeps parsed icons in the store, so that it need not open the icon set's archive.
    icons: Callable[[str], Icon] | None = None

    def loc(self, node: Node) -> Location:
        return loc_of(node, self.path)

    def error(self, node: Node, message: str, code: str, hint: str | None = None) -> None:
        self.diags.error(message, code, self.loc(node), hint)

    def warning(self, node: Node, message: str, code: str, hint: str | None = None) -> None:
        self.diags.warning(message, code, self.loc(node), hint)


class Fields:
    """A YAML mapping read key by key; unknown keys are reported once, with did-you-mean."""

    def __init__(self, node: Node, ctx: Ctx, allowed: set[str] | frozenset[str], what: str):
        self.ctx = ctx
        self.node = node
        self.what = what
        self.values: dict[str, Node] = {}
        self.keys: dict[str, Node] = {}
        self.ok = isinstance(node, MappingNode)
        if not self.ok:
            ctx.error(node, f"{what} must be a mapping of keys to values, got {type_name(node)}", "yaml.type")
            return
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                ctx.error(key_node, f"keys in {what} must be plain words", "yaml.key")
                continue
            key = str(key_node.value)
            if key in self.values:
                ctx.error(key_node, f"duplicate key '{key}' in {what}", "yaml.duplicate-key")
                continue
            if key not in allowed:
                ctx.error(key_node, f"unknown key '{key}' in {what}", "yaml.unknown-key",
                          hint=choice_hint(key, allowed))
                continue
            self.values[key] = value_node
            self.keys[key] = key_node

    def has(self, key: str) -> bool:
        return key in self.values

    def get_node(self, key: str) -> Node | None:
        return self.values.get(key)

    def loc(self, key: str | None = None) -> Location:
        if key and key in self.values:
            return self.ctx.loc(self.values[key])
        return self.ctx.loc(self.node)

    def require(self, key: str) -> Node | None:
        if key not in self.values:
            if self.ok:
                self.ctx.error(self.node, f"{self.what} is missing the required key '{key}'", "yaml.missing-key")
            return None
        return self.values[key]

    def _scalar(self, key: str, required: bool) -> ScalarNode | None:
        node = self.require(key) if required else self.values.get(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self.ctx.error(node, f"'{key}' must be a single value, got {type_name(node)}", "yaml.type")
            return None
        return node

    def str(self, key: str, default: str | None = None, required: bool = False) -> str | None:
        node = self._scalar(key, required)
        if node is None:
            return default
        if node.tag == _NULL:
            return default
        # Numbers and dates are accepted as text where text is expected ("2026", "v2").
        return str(node.value)

    def number(
        self,
        key: builtins.str,
        default: float | None = None,
        required: builtins.bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        """A finite number within [minimum, maximum] (±MAX_MAGNITUDE by default), else `default` and an error."""
        node = self._scalar(key, required)
        if node is None:
            return default
        value = read_number(node, key, self.ctx, minimum, maximum)
        return default if value is None else value

    def bool(self, key: builtins.str, default: builtins.bool = False) -> builtins.bool:
        node = self._scalar(key, False)
        if node is None:
            return default
        value = scalar_value(node) if node.tag == _BOOL else None
        if not isinstance(value, bool):
            self.ctx.error(node, f"'{key}' must be true or false, got '{node.value}'", "yaml.type")
            return default
        return value

    def str_list(self, key: builtins.str) -> list[tuple[builtins.str, Node]]:
        """A list of strings (a single string is accepted as a one-item list)."""
        node = self.values.get(key)
        if node is None:
            return []
        if isinstance(node, ScalarNode):
            return [(str(node.value), node)] if node.tag != _NULL else []
        if not isinstance(node, SequenceNode):
            self.ctx.error(node, f"'{key}' must be a list, got {type_name(node)}", "yaml.type")
            return []
        out: list[tuple[builtins.str, Node]] = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or item.tag == _NULL:
                self.ctx.error(item, f"items of '{key}' must be text, got {type_name(item)}", "yaml.type")
                continue
            out.append((str(item.value), item))
        return out

    def seq(self, key: builtins.str, required: builtins.bool = False) -> list[Node]:
        node = self.require(key) if required else self.values.get(key)
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.ctx.error(node, f"'{key}' must be a list, got {type_name(node)}", "yaml.type")
            return []
        return list(node.value)

    def mapping(self, key: builtins.str) -> MappingNode | None:
        node = self.values.get(key)
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.ctx.error(node, f"'{key}' must be a mapping, got {type_name(node)}", "yaml.type")
            return None
        return node


def load_named(file: Path, name: str, known: list[str], noun: str, code: str, display: str,
               allowed: set[str] | frozenset[str], diags: Diagnostics,
               at: Location | None = None, workspace: Workspace | None = None) -> tuple[Node, Ctx, Fields] | None:
    """Open the YAML mapping behind a name the user gave (a talk, theme, audience …), or say it is unknown."""
    file = Path(file_name_of_text(str(file)))
    if "/" in name or "\\" in name or name.startswith(".") or not os.path.lexists(file):
        diags.error(f"unknown {noun} '{name}'", code, at,
                    hint=did_you_mean(name, known) or f"{noun}s here: {quote_choices(known) or 'none'}")
        return None
    workspace = workspace or _workspace_of(file)
    resolved = workspace.resolve_input(display, workspace.root, diags, at or Location(display), noun)
    if resolved is None:
        return None
    node = load_yaml(resolved, display, diags)
    if node is None:
        return None
    ctx = Ctx(display, diags)
    fields = Fields(node, ctx, allowed, noun)
    return (node, ctx, fields) if fields.ok else None


def _workspace_of(file: Path) -> Workspace:
    """The workspace a named file belongs to: the nearest folder above it with content/talks/ (not resolved,
    so that a linked-in folder is still judged from the workspace it appears in)."""
    for folder in file.absolute().parents:
        if (folder / "content" / "talks").is_dir():
            return Workspace(folder)
    return Workspace(file.absolute().parent)


def mapping_items(node: MappingNode) -> Iterator[tuple[str, Node, Node]]:
    for key_node, value_node in node.value:
        yield str(key_node.value), key_node, value_node


def plain(node: Node) -> Any:
    """A node as plain Python data (for free-form blocks such as `event:`)."""
    if isinstance(node, ScalarNode):
        return scalar_value(node)
    if isinstance(node, SequenceNode):
        return [plain(n) for n in node.value]
    if isinstance(node, MappingNode):
        return {str(k.value): plain(v) for k, v in node.value}
    return None
