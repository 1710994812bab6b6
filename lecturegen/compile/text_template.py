"""Compile layer: text templates beyond plain lookups, checked against an allow-list and rendered by Jinja.

Safety by restriction, not metering: the template is parsed with Jinja's public API (`Environment.parse`) and
its tree may hold only text, lookups with constant keys, `if`/`elif`/`else`, conditional expressions,
comparisons, `and`/`or`/`not`, `~` and the filters and tests named below with constant arguments. With no
loop, call, macro or arithmetic, what a template can build is known from its tree and the variables before
anything runs (`_Sizes`), so a template that could build too much is refused, and the rest is rendered by
Jinja's immutable sandbox with undefined names as errors (docs/security.md).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from lecturegen.compile.text_fields import MAX_EXPANDED_TEXT, Terms, lookup, variable_names
from lecturegen.diagnostics import did_you_mean
from lecturegen.records import record

if TYPE_CHECKING:
    from jinja2 import nodes

MAX_TEMPLATE_CODE = 2_000  # characters inside {{ }} and {% %} in one text
MAX_TALK_TEMPLATE_CODE = 50_000  # the same in all the texts of one deck: parsing and compiling cost ~5 µs each
MAX_TEMPLATE_CHARS = 1_000_000  # characters a template may build along the way, worked out before it runs
MAX_COMPILED_TEMPLATES = 512
MAX_ROUND_DIGITS = 100  # the precision `round` may be given, either way

Growth = Callable[[int, int], int]  # (characters in, characters of constant arguments) → at most this many out
_CASE: Growth = lambda size, _args: 3 * size  # Unicode case mapping makes at most 3 of a character
_SAME: Growth = lambda size, args: size + args
_NUMBER: Growth = lambda size, _args: max(size, 320)  # int(1e308) has 309 digits
FILTERS: dict[str, Growth] = {
    "upper": _CASE, "lower": _CASE, "title": _CASE, "capitalize": _CASE, "trim": _SAME, "first": _SAME,
    "last": _SAME, "string": _SAME, "default": _SAME, "d": _SAME, "truncate": lambda size, args: size + args + 3,
    "round": _NUMBER, "int": _NUMBER, "float": _NUMBER, "abs": _NUMBER, "length": _NUMBER, "count": _NUMBER,
    "wordcount": _NUMBER, "join": lambda size, args: size + size * args,
    "replace": lambda size, args: size + (size + 1) * args,
}
TESTS = frozenset({"defined", "undefined", "none", "number", "string"})
HINT = ("a template may look up a value ({{ event.name }}), compare, choose with {% if %}…{% else %}…{% endif %}, "
        "join with '~' and apply a filter such as upper, lower or default; docs/outline.md lists them")
_STATEMENTS = {"For": "for", "Assign": "set", "Macro": "macro", "CallBlock": "call", "Set": "set", "AssignBlock": "set",
               "Include": "include", "Extends": "extends", "Import": "import", "FromImport": "from … import",
               "Block": "block", "FilterBlock": "filter", "With": "with", "ExprStmt": "do", "Continue": "continue",
               "Break": "break", "Scope": "scope", "ScopedEvalContextModifier": "autoescape",
               "EvalContextModifier": "autoescape"}
_OPERATORS = {"Add": "+", "Sub": "-", "Mul": "*", "Div": "/", "FloorDiv": "//", "Mod": "%", "Pow": "**",
              "Neg": "-", "Pos": "+"}
_CONTAINERS = {"List": "a list ('[…]')", "Tuple": "a tuple ('a, b')", "Dict": "a dictionary ('{…}')",
               "Slice": "a slice ('[a:b]')", "NSRef": "a namespace"}


class TemplateRefused(Exception):
    """A template that is not rendered: its message, diagnostic code and hint."""

    def __init__(self, message: str, code: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


@record
class CheckedTemplate:
    """A template whose tree passed the allow-list, compiled, with the lookups it writes (`event.name`)."""

    tree: Any  # jinja2.nodes.Template (Jinja is imported only when a text needs it)
    compiled: Any  # jinja2.Template
    lookups: tuple[str, ...]


# Checked templates by their text, shared by both passes of a build and by the rebuilds of `watch`: the check
# and the compiled code depend on the text alone (the variables come at render time). Oldest out first.
_CHECKED: dict[str, CheckedTemplate] = {}


def checked_template(text: str) -> CheckedTemplate:
    """The text parsed, checked against the allow-list and compiled; TemplateRefused otherwise."""
    found = _CHECKED.get(text)
    if found is not None:
        return found
    from jinja2 import TemplateSyntaxError

    env = _environment()
    try:
        tree = env.parse(text)
        lookups = _allowed(tree)
        # Compiling writes constant output as literals, running filters on constants ('ab'|replace('', 'cc')):
        # what the constants alone could build is bounded first.
        _check_size(tree, {})
        found = CheckedTemplate(tree, env.from_string(tree), lookups)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(f"invalid template expression: {(exc.message or '').lower()}",
                              "template.syntax") from None
    except (RecursionError, MemoryError):
        raise TemplateRefused("template expression nests too deeply", "template.too-large") from None
    if len(_CHECKED) >= MAX_COMPILED_TEMPLATES:
        del _CHECKED[next(iter(_CHECKED))]
    _CHECKED[text] = found
    return found


def render(template: CheckedTemplate, variables: Mapping[str, object]) -> str:
    """The template's text with these variables; TemplateRefused for what it could build or cannot look up."""
    from jinja2 import UndefinedError

    _check_size(template.tree, variables)
    pieces: list[str] = []
    length = 0
    try:
        for piece in template.compiled.generate(**variables):
            length += len(piece)
            if length > MAX_EXPANDED_TEXT:
                raise TemplateRefused(f"template expression makes the text longer than the limit of "
                                      f"{MAX_EXPANDED_TEXT:,} characters", "template.too-large")
            pieces.append(piece)
    except UndefinedError as exc:
        raise _undefined(template.lookups, str(exc), variables) from None
    except TemplateRefused:
        raise
    except Exception as exc:  # a comparison Python refuses ("60 > 'a'"), a value a filter cannot take
        raise TemplateRefused(f"template expression failed: {exc}", "template.syntax") from None
    return "".join(pieces)


def _check_size(tree: nodes.Template, variables: Mapping[str, object]) -> None:
    try:
        built = _Sizes(variables).built(tree)
    except RecursionError:
        raise TemplateRefused("template expression nests too deeply", "template.too-large") from None
    if built > MAX_TEMPLATE_CHARS:
        raise TemplateRefused(f"template expression could build {built:,} characters along the way (the limit is "
                              f"{MAX_TEMPLATE_CHARS:,})", "template.too-large")


def _undefined(lookups: tuple[str, ...], message: str, variables: Mapping[str, object]) -> TemplateRefused:
    """Name the lookup the user wrote ('event.nmae'), not Jinja's internal wording."""
    names = sorted(variable_names(variables))
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    if found is None:
        name = "in the template"
    else:
        name = f"'{found.group(1)}'"
        for written in lookups:
            parts = written.split(".")
            if found.group(1) in (parts[0], parts[-1]):
                name = f"'{written}'"
                break
    hint = "variables available: " + ", ".join(names)
    close = did_you_mean(name.strip("'"), names)
    return TemplateRefused(f"undefined template variable {name}", "template.undefined",
                           f"{hint}; {close}" if close else hint)


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    """Jinja's immutable sandbox with nothing but the variables, the allowed filters and tests, and undefined
    names as errors. One per process."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.tests = {name: env.tests[name] for name in TESTS}
    return env


# -- the allow-list ---------------------------------------------------------------------------------------------

def _allowed(tree: nodes.Template) -> tuple[str, ...]:
    """The lookups the template writes, in order; TemplateRefused naming the first construct not allowed."""
    from jinja2 import nodes

    plain = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.CondExpr, nodes.Compare,
             nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Const, nodes.Concat)
    # An attribute such as '__class__' is named first: whatever else the template does, that is the escape. In
    # a chain the innermost is the one written first.
    private = [node for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")]
    for attribute in private:
        inside = [attribute.node, *attribute.node.find_all(nodes.Getattr)]
        if not any(isinstance(inner, nodes.Getattr) and inner.attr.startswith("_") for inner in inside):
            raise _refused(attribute)
    lookups: list[str] = []
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        children = list(node.iter_child_nodes())
        if isinstance(node, (nodes.Filter, nodes.Test)):
            _check_arguments(node)
            children = [node.node] if node.node is not None else []
        elif isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            path = _lookup_path(node)
            if path is None:
                raise _refused(node)
            lookups.append(".".join(str(key) for key in path))
        elif isinstance(node, (nodes.Neg, nodes.Pos)) and _constants([node]) is not None:
            children = []  # a negative number
        elif not isinstance(node, plain):
            raise _refused(node)
        stack.extend(reversed(children))
    return tuple(dict.fromkeys(lookups))


def _check_arguments(node: nodes.Filter | nodes.Test) -> None:
    from jinja2 import nodes

    kind = "filter" if isinstance(node, nodes.Filter) else "test"
    allowed = FILTERS if kind == "filter" else TESTS
    if node.name not in allowed:
        raise TemplateRefused(f"template uses the {kind} '{node.name}', which templates do not allow",
                              "template.not-allowed", did_you_mean(node.name, allowed) or HINT)
    arguments = [*node.args, *(keyword.value for keyword in node.kwargs)]
    values = _constants(arguments)
    if any(keyword.key == "attribute" for keyword in node.kwargs):
        raise TemplateRefused(f"template gives the {kind} '{node.name}' an attribute to look up in each item, "
                              "which templates do not allow", "template.not-allowed", HINT)
    if node.dyn_args is not None or node.dyn_kwargs is not None or values is None:
        raise TemplateRefused(f"template gives the {kind} '{node.name}' an argument that is not a constant, "
                              "which templates do not allow", "template.not-allowed",
                              f"write the argument as text or a number: {{{{ x | {node.name}('…') }}}}")
    # round(10, -10**9) computes 10**(10**9): a number argument is kept to what a text could need.
    limit = MAX_ROUND_DIGITS if node.name == "round" else MAX_EXPANDED_TEXT
    for value in values:
        if isinstance(value, int) and abs(value) > limit:
            raise TemplateRefused(f"template gives the {kind} '{node.name}' the number {value:,} (the limit is "
                                  f"{limit:,})", "template.too-large")


def _constants(arguments: list[nodes.Expr]) -> list[object] | None:
    """The arguments' values when every one is a constant (a negative number included), else None."""
    from jinja2 import nodes

    values: list[object] = []
    for argument in arguments:
        sign = 1
        if isinstance(argument, (nodes.Neg, nodes.Pos)) and isinstance(argument.node, nodes.Const):
            if not isinstance(argument.node.value, (int, float)) or isinstance(argument.node.value, bool):
                return None
            sign = -1 if isinstance(argument, nodes.Neg) else 1
            argument = argument.node
        if not isinstance(argument, nodes.Const):
            return None
        values.append(argument.value if sign == 1 else -argument.value)
    return values


def _lookup_path(node: nodes.Node) -> list[str | int] | None:
    """`event.name`, `talk['title']`, `term.client` as the keys from the variable down; None when a key is not
    a constant, starts with '_' or the chain does not start at a name."""
    from jinja2 import nodes

    keys: list[str | int] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            key: object = node.attr
        else:
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        if not isinstance(key, (str, int)) or isinstance(key, bool) or str(key).startswith("_"):
            return None
        keys.append(key)
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        return None
    return [node.name, *reversed(keys)]


def _refused(node: nodes.Node) -> TemplateRefused:
    return TemplateRefused(f"template uses {_construct(node)}, which templates do not allow",
                           "template.not-allowed", HINT)


def _construct(node: nodes.Node) -> str:
    """The construct a node stands for, as the user wrote it."""
    from jinja2 import nodes

    kind = type(node).__name__
    if kind in _STATEMENTS:
        return f"'{{% {_STATEMENTS[kind]} %}}'"
    if kind in _OPERATORS:
        return f"arithmetic ('{_OPERATORS[kind]}')"
    if kind in _CONTAINERS:
        return _CONTAINERS[kind]
    if isinstance(node, nodes.Call):
        return f"a call ('{_written(node.node)}()')"
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            return f"the attribute '{node.attr}'"
        key = node.arg if isinstance(node, nodes.Getitem) else None
        if isinstance(key, nodes.Slice):
            return _CONTAINERS["Slice"]
        if key is not None and not isinstance(key, nodes.Const):
            return f"an index that is not a constant ('{_written(node)}')"
        if isinstance(key, nodes.Const) and str(key.value).startswith("_"):
            return f"the key '{key.value}'"
        return f"a lookup on something other than a variable ('{_written(node)}')"
    return f"'{kind}'"


def _written(node: nodes.Node) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_written(node.node)}[…]"
    if isinstance(node, nodes.Const) and len(repr(node.value)) <= 20:
        return repr(node.value)
    return "…"


# -- what a template can build ----------------------------------------------------------------------------------

class _Sizes:
    """At most how many characters each node of an allowed tree makes with these variables, and how many the
    filters, '~' and the output build in all (every branch counted)."""

    def __init__(self, variables: Mapping[str, object]) -> None:
        self.variables = variables
        self.total = 0
        self._unknown: int | None = None

    def built(self, tree: nodes.Template) -> int:
        self.total = 0
        self.block(tree.body)
        return self.total

    def block(self, body: Sequence[nodes.Node]) -> int:
        return sum(self.size(node) for node in body)

    def size(self, node: nodes.Node) -> int:
        from jinja2 import nodes

        made = self._made(node)
        if isinstance(node, (nodes.Filter, nodes.Concat, nodes.Output)):
            self.total += made  # a new string; lookups, constants and choices hand on one that exists
        return made

    def _made(self, node: nodes.Node) -> int:
        from jinja2 import nodes

        if isinstance(node, nodes.TemplateData):
            return len(node.data)
        if isinstance(node, nodes.Const):
            return len(str(node.value))
        if isinstance(node, (nodes.Neg, nodes.Pos)):
            return self.size(node.node) + 1
        if isinstance(node, (nodes.Output, nodes.Concat)):
            return self.block(node.nodes)
        if isinstance(node, nodes.If):
            branches = [node.body, *(branch.body for branch in node.elif_), node.else_]
            tests = [node.test, *(branch.test for branch in node.elif_)]
            for test in tests:
                self.size(test)
            return max(self.block(body) for body in branches)
        if isinstance(node, nodes.CondExpr):
            self.size(node.test)
            return max(self.size(node.expr1), self.size(node.expr2) if node.expr2 is not None else 0)
        if isinstance(node, (nodes.And, nodes.Or)):
            return max(self.size(node.left), self.size(node.right))
        if isinstance(node, nodes.Not):
            self.size(node.node)
            return 5
        if isinstance(node, nodes.Compare):
            self.size(node.expr)
            for operand in node.ops:
                self.size(operand.expr)
            return 5
        if isinstance(node, (nodes.Filter, nodes.Test)):
            given = self.size(node.node) if node.node is not None else 0
            if isinstance(node, nodes.Test):
                return 5
            arguments = sum(len(str(value)) for value in _constants(
                [*node.args, *(keyword.value for keyword in node.kwargs)]) or ())
            return FILTERS[node.name](given, arguments)
        return self._looked_up(node)

    def _looked_up(self, node: nodes.Node) -> int:
        path = _lookup_path(node) or []
        value: object = self.variables.get(str(path[0])) if path else None
        if len(path) == 2 and isinstance(path[1], str):
            value = lookup(self.variables, str(path[0]), path[1])
        elif len(path) != 1:
            return self._unknown_size()
        if value is None or isinstance(value, (str, int, float)):
            return len(str(value))  # an undefined name makes nothing: it fails, or a filter gives its default
        return self._unknown_size()

    def _unknown_size(self) -> int:
        """A bound for a lookup not worked out here (a whole dict, a method, an index): the variables' repr."""
        if self._unknown is None:
            words = sum(len(repr(value.words)) for value in self.variables.values() if isinstance(value, Terms))
            self._unknown = len(repr(dict(self.variables))) + words + 200
        return self._unknown
