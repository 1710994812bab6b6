"""Compile layer: user text → runs (templates and audience terms, inline markup, citations)."""

from __future__ import annotations

import functools
import math
import operator
import re
from dataclasses import field, replace
from typing import Any, Callable, Iterator, Sequence

from lecturegen.compile.inline import parse_inline
from lecturegen.diagnostics import Diagnostics, Location, shorten
from lecturegen.model.deck import Citation, CitationItem, Paragraph, Run
from lecturegen.records import record
from lecturegen.sources.specs import BulletSpec, TextSpec

# XML 1.0 forbids these; PowerPoint refuses a file containing them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEMPLATE_MARK = re.compile(r"\{\{|\{%")
_JINJA_NEWLINE = re.compile(r"(\r\n|\r|\n)")
_SIMPLE_FIELD = re.compile(r"\{\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\}\}")
# The block tags the fast path reads: `{% if A %}`, `{% if A > B %}`, `{% elif … %}`, `{% else %}`, `{% endif %}`
# with no whitespace control (`{%-`, `-%}`, `+%}`); operands are `name.key`, integers, decimals, plain strings.
_BLOCK_WORDS = re.compile(r"\s+(if|elif|else|endif)(?:\s+(\S.*?))?\s+", re.S)
_OPERAND = r"(?:[A-Za-z_]\w*\.[A-Za-z_]\w*|-?(?:0|[1-9]\d*)(?:\.\d+)?|'[^'\\{}%\n]*'|\"[^\"\\{}%\n]*\")"
_CONDITION = re.compile(rf"({_OPERAND})(?:\s*(==|!=|<=|>=|<|>)\s*({_OPERAND}))?", re.S)
_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_NOT_SIMPLE = object()
MAX_FAST_NESTING = 16  # `if` blocks inside one another that the fast path reads; each tag costs that much
# A template's output may not grow past this many characters.
MAX_EXPANDED_TEXT = 100_000
# Jinja's sandbox stops attribute escapes, not work: every cost of a template is counted or checked before
# it is spent (see _sandbox), so no text in a talk can hang a build or exhaust memory (docs/security.md).
MAX_TEMPLATE_CODE = 2_000  # characters inside {{ }} and {% %} in one text (compiling costs ~25 µs each)
# Steps are weighted to cost about a microsecond each: a loop turn, lookup or operator is 1, a filter or call 3,
# a macro call 20, compiling a text 500 plus 25 per character of code.
MAX_TEMPLATE_STEPS = 100_000  # in one text
MAX_TALK_TEMPLATE_STEPS = 500_000  # all the texts of one deck together
MAX_TEMPLATE_CHARS = 1_000_000  # characters built along the way (the output itself is MAX_EXPANDED_TEXT)
MAX_TEMPLATE_VALUE = MAX_EXPANDED_TEXT  # characters of one string, items of one list or range
MAX_TEMPLATE_DIGITS = 1_000  # digits of any integer a template computes
_STEP_WORDS = "(loop turns, calls, filters and operators)"
_COMPILE_STEPS, _COMPILE_STEPS_PER_CHAR, _CALL_STEPS, _MACRO_STEPS = 500, 25, 3, 20
_TOO_LONG = f"template expression makes the text longer than the limit of {MAX_EXPANDED_TEXT:,} characters"


def clean_text(text: str) -> str:
    return _INVALID_XML.sub("", text)


@record(frozen=False)
class TextResolver:
    """Turns TextSpecs into runs. In the collecting pass it only records citations."""

    diags: Diagnostics
    variables: dict[str, Any]
    cite: Callable[[Citation], tuple[Run, ...]] | None = None  # None → collecting pass
    collected: list[Citation] = field(default_factory=list)
    # (year, short author label) of each cited work, for timelines built from the bibliography.
    bibliography_years: dict[str, tuple[int, str]] | None = None
    # Parenthetical citations in slide text are collected but not shown (citations: source-line | notes).
    silence: bool = False
    _templates: dict[str, Any] = field(default_factory=dict)  # the texts this resolver was charged compiling
    _steps_left: int = MAX_TALK_TEMPLATE_STEPS
    _reported: set[tuple[Location, str]] = field(default_factory=set)
    _keys_seen: dict[str, Location | None] = field(default_factory=dict)
    _keys_upto: int = 0


    # -- templates ------------------------------------------------------------------------------------
    def expand(self, spec: TextSpec) -> str:
        text = clean_text(spec.text)
        if not _TEMPLATE_MARK.search(text):
            return text
        simple = self._simple_fields(text)
        if simple is not None:
            return clean_text(simple)
        from jinja2 import TemplateError, UndefinedError

        env = _sandbox()
        if self._steps_left <= 0:
            return text  # the talk's templates have used up their budget; that has been reported once
        code = _code_length(text)
        if code > MAX_TEMPLATE_CODE:
            self._report(spec.location, f"template code in this text is {code:,} characters long (the limit is "
                         f"{MAX_TEMPLATE_CODE:,})", "template.too-large", None)
            return text
        budget = _Budget(min(MAX_TEMPLATE_STEPS, self._steps_left), self._steps_left < MAX_TEMPLATE_STEPS)
        env.budget = budget
        try:
            template = self._templates.get(text)
            if template is None:
                # Charged once per text and resolver whether or not another pass compiled it already, so
                # that a warm process (watch) reports exactly what a fresh one does.
                budget.step(_COMPILE_STEPS + _COMPILE_STEPS_PER_CHAR * code)
                template = self._templates[text] = _compiled(env, text)
            return clean_text(_render_bounded(template, self.variables))
        except TemplateLimitError as exc:
            self._report(spec.location, str(exc), "template.too-large", None)
        except UndefinedError as exc:
            self._report(spec.location, f"undefined template variable {_undefined_name(text, str(exc))}",
                         "template.undefined", "variables available: " + ", ".join(sorted(_names(self.variables))))
        except TemplateError as exc:
            self._report(spec.location, f"invalid template expression: {str(exc).lower()}", "template.syntax", None)
        except RecursionError:
            self._report(spec.location, "template expression nests too deeply (macros or brackets within "
                         "themselves)", "template.too-large", None)
        except MemoryError:
            self._report(spec.location, "template expression needs too much memory", "template.too-large", None)
        except Exception as exc:  # the sandbox raises SecurityError and others for hostile input
            self._report(spec.location, f"template expression failed: {type(exc).__name__}", "template.syntax", None)
        finally:
            self._steps_left -= budget.used
        return text

    def _simple_fields(self, text: str) -> str | None:
        """Text whose only template code is `{{ name.key }}` lookups and `{% if %}` blocks over such lookups,
        expanded as Jinja would expand it.

        Nearly every marked text is such a lookup (`{{ term.client }}`, `{{ talk.title }}`) or a choice by the
        slot (`{% if talk.slot > 60 %}…{% else %}…{% endif %}`), and loading Jinja and compiling a template
        costs 30 ms a build; anything else, or a lookup Jinja would answer differently (a missing key, an
        attribute, a value that is not text or a number, a comparison Python refuses), is None and goes to
        the sandbox, which reports it.
        """
        if "{#" in text:
            return None
        # As Jinja's lexer reads a template: lines split at \r\n, \r or \n, a last empty one dropped, "\n" joined.
        lines = _JINJA_NEWLINE.split(text)[::2]
        if lines[-1] == "":
            del lines[-1]
        text = "\n".join(lines)
        if "{%" not in text:
            out = self._fields_in(text)
        else:
            out = self._blocks_in(text)
        return out if out is not None and len(out) <= MAX_EXPANDED_TEXT else None

    def _blocks_in(self, text: str) -> str | None:
        """`{% if %}`/`{% elif %}`/`{% else %}`/`{% endif %}` over plain lookups and literals, nested or not."""
        pieces: list[str] = []
        # One frame per open `if`: (the branch being read is shown, a branch was taken, an else was seen).
        frames: list[tuple[bool, bool, bool]] = []
        position = 0
        for opened, inner, closed in _block_tags(text):
            if inner is None:
                return None  # a tag that is never closed: the sandbox reports it
            before = text[position:opened]
            position = closed
            if before.endswith("{"):
                return None  # "{{%": Jinja's lexer opens a "{{" there
            # A branch not taken is read too: what the fast path cannot read goes to the sandbox, shown or not.
            data = self._fields_in(before)
            if data is None:
                return None
            if all(shown for shown, _, _ in frames):
                pieces.append(data)
            tag = _BLOCK_WORDS.fullmatch(inner)
            if tag is None:
                return None
            word, condition = tag.group(1), tag.group(2)
            if word == "if":
                if len(frames) >= MAX_FAST_NESTING:
                    return None  # deeper nesting is the sandbox's to judge (and to bound)
                value = self._condition(condition)
                if value is None:
                    return None
                frames.append((value, value, False))
            elif word == "elif":
                if not frames or frames[-1][2]:
                    return None
                value = self._condition(condition)
                if value is None:
                    return None
                _, taken, _ = frames[-1]
                frames[-1] = (value and not taken, taken or value, False)
            elif word == "else":
                if not frames or frames[-1][2] or condition:
                    return None
                _, taken, _ = frames[-1]
                frames[-1] = (not taken, True, True)
            else:  # endif
                if not frames or condition:
                    return None
                frames.pop()
        if frames:
            return None
        rest = self._fields_in(text[position:])
        return None if rest is None else "".join(pieces) + rest

    def _condition(self, condition: str | None) -> bool | None:
        """A condition of one operand, or two and a comparison, as Python (and so Jinja) decides it."""
        if condition is None:
            return None  # "{% if %}": the sandbox reports it
        found = _CONDITION.fullmatch(condition)
        if found is None:
            return None
        left = self._operand(found.group(1))
        if left is _NOT_SIMPLE:
            return None
        if found.group(2) is None:
            return bool(left)
        right = self._operand(found.group(3))
        if right is _NOT_SIMPLE:
            return None
        try:
            return bool(_COMPARISONS[found.group(2)](left, right))
        except TypeError:
            return None  # "60 > 'a'": Jinja fails too, and says so

    def _operand(self, text: str) -> object:
        if text[0] in "'\"":
            return text[1:-1]
        if text[0].isdigit() or text[0] == "-":
            return float(text) if "." in text else int(text)
        name, key = text.split(".")
        return self._lookup(name, key, allow_none=True)

    def _lookup(self, name: str, key: str, allow_none: bool = False) -> object:
        """`name.key` as Jinja reads it, or _NOT_SIMPLE when Jinja would read something else (or fail)."""
        root = self.variables.get(name)
        if not isinstance(root, dict) or hasattr(root, key):
            return _NOT_SIMPLE
        if not isinstance(root, Terms) and key not in root:
            return _NOT_SIMPLE
        value = root[key]
        if value is None and allow_none:
            return None
        if isinstance(value, bool):
            return value if allow_none else _NOT_SIMPLE  # shown, a bool reads "True"; tested, it is a bool
        if not isinstance(value, (str, int, float)):
            return _NOT_SIMPLE
        return value

    def _fields_in(self, text: str) -> str | None:
        """Data with `{{ name.key }}` lookups and no other template code, expanded."""
        pieces: list[str] = []
        position = 0
        for found in _SIMPLE_FIELD.finditer(text):
            if found.start() > 0 and text[found.start() - 1] == "{":
                return None  # "{{{": Jinja's lexer opens the tag one brace earlier
            pieces.append(text[position:found.start()])
            value = self._lookup(found.group(1), found.group(2))
            if value is _NOT_SIMPLE:
                return None
            pieces.append(str(value))
            position = found.end()
        pieces.append(text[position:])
        if any("{{" in piece or "{%" in piece for piece in pieces[::2]):
            return None  # an expression that is not a plain lookup
        return "".join(pieces)

    def _report(self, loc: Location, message: str, code: str, hint: str | None) -> None:
        if (loc, message) in self._reported:
            return
        self._reported.add((loc, message))
        self.diags.error(message, code, loc, hint)

    # -- runs -----------------------------------------------------------------------------------------
    def runs(self, spec: TextSpec | None, silence: bool | None = None) -> tuple[Run, ...]:
        """The text as runs. With `silence` (the source-line and notes modes), a parenthetical citation is
        collected but not shown: its work goes to the slide's source line or notes instead."""
        if spec is None:
            return ()
        quiet = self.silence if silence is None else silence
        out: list[Run] = []
        for item in parse_inline(self.expand(spec), spec.location, self.diags):
            if isinstance(item, Citation):
                self.collected.append(item)
                if quiet and not item.narrative:
                    if out and not out[-1].cited:
                        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
                    continue
                if self.cite is None:
                    out.append(Run("(citation)", cited=True))
                else:
                    out.extend(self.cite(item))
            else:
                out.append(self.substitute(item))
        return _tidy(tuple(out)) if quiet else tuple(out)

    def plain(self, text: str, location: Location) -> tuple[Run, ...]:
        return self.runs(TextSpec(text, location))

    def substitute(self, run: Run) -> Run:
        # Audience vocabulary changes only the terms the content marks ({{ term.client }}, see Terms):
        # quotations, study samples and everything unmarked stay as written.
        return run

    def paragraphs(self, spec: TextSpec | None, style: str = "body") -> tuple[Paragraph, ...]:
        """Text with blank lines between paragraphs (speaker notes, messages)."""
        if spec is None:
            return ()
        out = []
        # Strip control characters first: str.splitlines() would treat \v, \f and \x1c-\x1e as line breaks.
        for chunk in re.split(r"\n\s*\n", clean_text(spec.text).strip()):
            chunk = " ".join(line.strip() for line in chunk.splitlines())
            if chunk:
                out.append(Paragraph(self.runs(TextSpec(chunk, spec.location)), style=style))
        return tuple(out)

    def bullets(self, items: Sequence[BulletSpec], level: int = 0) -> tuple[Paragraph, ...]:
        out: list[Paragraph] = []
        for item in items:
            out.append(Paragraph(self.runs(item.text), level=level))
            out.extend(self.bullets(item.children, level + 1))
        return tuple(out)

    def _first_cited_at(self) -> dict[str, Location | None]:
        """Where each key collected so far was first cited (kept incrementally: decks cite hundreds of times)."""
        for citation in self.collected[self._keys_upto:]:
            for item in citation.items:
                self._keys_seen.setdefault(item.key, citation.location)
        self._keys_upto = len(self.collected)
        return self._keys_seen

    def source_line(self, keys: Sequence[str], location: Location | None, label: str = "Sources") -> tuple[Run, ...]:
        """'Sources: Cooper (2005); Knox and Cooper (2010)' built with the citation engine."""
        if not keys:
            return ()
        runs: list[Run] = [Run(f"{label if len(keys) > 1 else label.rstrip('s')}: ")]
        for index, key in enumerate(keys):
            if index:
                runs.append(Run("; "))
            # A slide's source line repeats keys its text already cites: it takes the location where the
            # author first wrote the key, so an unknown key is reported once, where it was written, and
            # not again at the slide. Keys new to the deck (a chart's data source) keep `location`.
            citation = Citation((CitationItem(key),), narrative=True,
                                location=self._first_cited_at().get(key, location))
            self.collected.append(citation)
            if self.cite is None:
                runs.append(Run(key, cited=True))
            else:
                runs.extend(self.cite(citation))
        return tuple(runs)


def _tidy(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Text left behind by a silenced citation: no space before punctuation, no doubled spaces."""
    out: list[Run] = []
    for run in runs:
        text = run.text
        # A point before a digit is a decimal (".010"), not punctuation left by a citation.
        if out and text[:1] in ".,;:!?)" and not text[1:2].isdigit() and out[-1].text.endswith(" "):
            out[-1] = replace(out[-1], text=out[-1].text.rstrip())
        text = re.sub(r" {2,}", " ", text)
        text = re.sub(r" +([.,;:!?)])(?!\d)", r"\1", text)
        text = re.sub(r"\(\s*\)", "", text)
        if text or run.link:
            out.append(replace(run, text=text))
    if out:
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(r for r in out if r.text)


# -- the template sandbox ------------------------------------------------------------------------------------


class TemplateLimitError(Exception):
    """A template expression would pass a limit; raised before the work is done."""


class _Budget:
    """What one text's template may still spend."""

    def __init__(self, steps: int, talk_bound: bool) -> None:
        self.allowed = steps
        self.steps = steps
        self.chars = MAX_TEMPLATE_CHARS
        self.talk_bound = talk_bound  # the talk's total budget, not the per-text one, is the tighter

    @property
    def used(self) -> int:
        return self.allowed - max(self.steps, 0)

    def step(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            if self.talk_bound:
                raise TemplateLimitError(f"template expressions in this talk take more than "
                                         f"{MAX_TALK_TEMPLATE_STEPS:,} steps in all {_STEP_WORDS}")
            raise TemplateLimitError(f"template expression takes more than {MAX_TEMPLATE_STEPS:,} steps {_STEP_WORDS}")

    def spend(self, chars: int) -> None:
        self.chars -= chars
        if self.chars < 0:
            raise TemplateLimitError(f"template expression builds more than {MAX_TEMPLATE_CHARS:,} characters "
                                     "along the way")

    def make(self, size: int, how: str, unit: str = "characters") -> None:
        """Refuse a value of `size` before it is built; charge for it otherwise."""
        if size > MAX_TEMPLATE_VALUE:
            raise TemplateLimitError(f"template expression would make a value {size:,} {unit} long with {how} "
                                     f"(the limit is {MAX_TEMPLATE_VALUE:,})")
        if unit == "characters":
            self.spend(size)

    def digits(self, log10: float, how: str) -> None:
        """Refuse an integer of about 10**log10 before it is computed."""
        digits = int(log10) + 1
        if digits > MAX_TEMPLATE_DIGITS:
            raise TemplateLimitError(f"template expression would make a number of {digits:,} digits with {how} "
                                     f"(the limit is {MAX_TEMPLATE_DIGITS:,})")


def _log10(number: int) -> float:
    return math.log10(abs(number)) if number else 0.0


def _code_length(text: str) -> int:
    """Characters of template code in a text: everything inside {{ }} and {% %} (an unclosed tag runs to the end)."""
    total = 0
    position = 0
    while (found := _TEMPLATE_MARK.search(text, position)) is not None:
        end = text.find("}}" if found.group() == "{{" else "%}", found.end())
        if end < 0:
            return total + len(text) - found.start()
        total += end + 2 - found.start()
        position = end + 2
    return total


def _size_of(value: object, indent: int = 0, limit: int = MAX_TEMPLATE_CHARS) -> int:
    """About how many characters str(value) has, counted without building it (stops once past `limit`).

    Containers count their items' reprs; `indent` adds the per-level indentation of pprint and tojson.
    """
    total = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack and total <= limit:
        item, depth = stack.pop()
        total += indent * depth + (1 if indent else 0)
        if isinstance(item, (str, bytes)):
            total += len(item) + (3 if depth else 0)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() * 30103 // 100000 + 2
        elif isinstance(item, float):
            total += 24
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)  # braces, ': ' and ', ' (so a huge container stops the count at once)
            if total <= limit:
                for key, val in item.items():
                    stack.append((key, depth + 1))
                    stack.append((val, depth + 1))
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend((entry, depth + 1) for entry in item)
        else:  # namespaces, macros, loop helpers, undefined values: a short repr (or an error of their own)
            total += 64
    return total


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def _number(digits: str | None) -> int:
    """A width written in a format string; absurdly long ones count as absurdly large."""
    if not digits:
        return 0
    return int(digits) if len(digits) <= 9 else 10**9


_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0 +-]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d*))?[hlL]?(?P<type>.)",
                      re.S)


def _percent_size(fmt: str, args: object) -> int:
    """An upper bound for the length of `fmt % args`: each field is its width or its value, whichever is longer."""
    from collections.abc import Mapping

    positional = list(args) if isinstance(args, tuple) else [args]
    mapping = args if isinstance(args, Mapping) else None
    index = 0

    def take() -> object:
        nonlocal index
        index += 1
        return positional[index - 1] if index <= len(positional) else None

    total = len(fmt)
    for match in _PERCENT.finditer(fmt):
        if match.group("type") == "%":
            continue
        width = abs(_int(take())) if match.group("width") == "*" else _number(match.group("width"))
        precision = abs(_int(take())) if match.group("prec") == "*" else _number(match.group("prec"))
        key = match.group("key")
        value = mapping.get(key) if mapping is not None and key is not None else take()
        total += max(width, _size_of(value) + precision)
    return total


def _format_size(fmt: str, args: Sequence[object], kwargs: dict[str, object]) -> int:
    """An upper bound for the length of `fmt.format(*args, **kwargs)`."""
    from string import Formatter

    total = 0
    auto = 0
    for literal, name, spec, _conversion in Formatter().parse(fmt):
        total += len(literal)
        if name is None:
            continue
        if spec and "{" in spec:
            raise TemplateLimitError("template expression uses a nested field in a format specification, "
                                     "which templates do not allow")
        head = re.split(r"[.\[]", name, maxsplit=1)[0]
        if not head:
            value = args[auto] if auto < len(args) else None
            auto += 1
        elif head.isdigit():
            value = args[int(head)] if len(head) < 6 and int(head) < len(args) else None
        else:
            value = kwargs.get(head)
        total += max(sum(_number(d) for d in re.findall(r"\d+", spec or "")), 0) + _size_of(value)
    return total


def _replace_size(text: str, old: object, new: object, count: object) -> int:
    if not isinstance(text, str) or not isinstance(old, str) or not isinstance(new, str):
        return 0
    found = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _check_binop(budget: _Budget, operator: str, left: Any, right: Any) -> None:
    """Refuse an operator whose result would pass a limit, before Python builds it."""
    sequences = (str, bytes, list, tuple)
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, sequences) and isinstance(count, int):
                unit = "characters" if isinstance(seq, (str, bytes)) else "items"
                budget.make(len(seq) * max(count, 0), "'*'", unit)
        if isinstance(left, int) and isinstance(right, int):
            budget.digits(_log10(left) + _log10(right), "'*'")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if right > 10**15:  # past float precision: say so without a number of digits
                raise TemplateLimitError(f"template expression would raise a number to the power "
                                         f"{shorten(str(right))} with '**' (the limit is {MAX_TEMPLATE_DIGITS:,} "
                                         "digits)")
            budget.digits(_log10(left) * right, "'**'")
    elif operator == "+":
        if isinstance(left, sequences) and isinstance(right, sequences):
            unit = "characters" if isinstance(left, (str, bytes)) else "items"
            budget.make(len(left) + len(right), "'+'", unit)
        elif isinstance(left, int) and isinstance(right, int):
            budget.digits(max(_log10(left), _log10(right)) + 0.302, "'+'")
    elif operator == "%" and isinstance(left, str):
        budget.make(_percent_size(left, right), "'%' formatting")


def _check_method(budget: _Budget, method: Any, owner: Any, args: tuple[Any, ...],
                  kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Check a call of a str, bytes or number method; returns the arguments to call it with."""
    name = method.__name__
    first = args[0] if args else None
    if isinstance(owner, (str, bytes)):
        if name in ("center", "ljust", "rjust", "zfill"):
            budget.make(max(len(owner), _int(first)), f"'{name}()'")
            return args
        if name == "expandtabs":
            tab = _int(first if args else kwargs.get("tabsize", 8), 8)
            tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
            budget.make(len(owner) + tabs * max(tab, 0),
                        "'expandtabs()'")
            return args
        if name == "join" and args:
            items = _materialise(budget, first, "'join()'")
            budget.make(sum(_size_of(i) for i in items) + len(owner) * max(len(items) - 1, 0), "'join()'")
            return (items, *args[1:])
        if name == "replace" and len(args) >= 2 and isinstance(owner, str):
            budget.make(_replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1), "'replace()'")
            return args
        if name == "translate" and isinstance(first, dict):
            longest = max((_size_of(v) for v in first.values()), default=1)
            budget.make(len(owner) * max(longest, 1), "'translate()'")
            return args
    # Any other size-like argument (to_bytes(10**9), …) is refused before the method runs.
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_VALUE:
            raise TemplateLimitError(f"template expression passes {value:,} to '{name}()' "
                                     f"(the limit is {MAX_TEMPLATE_VALUE:,})")
    return args


def _materialise(budget: _Budget, iterable: Any, how: str) -> list[Any]:
    """The items of an iterable, refusing more than a list may hold."""
    from itertools import islice

    items = list(islice(iter(iterable), MAX_TEMPLATE_VALUE + 1))
    budget.step(len(items) // 100)
    if len(items) > MAX_TEMPLATE_VALUE:
        raise TemplateLimitError(f"template expression would make a value of more than {MAX_TEMPLATE_VALUE:,} "
                                 f"items with {how} (the limit is {MAX_TEMPLATE_VALUE:,})")
    return items


# How much longer than its input a filter's text can be (escaping, case mapping, URL quoting).
_FILTER_GROWTH = {"upper": 3, "lower": 3, "title": 3, "capitalize": 3, "e": 6, "escape": 6, "forceescape": 6,
                  "urlencode": 12, "string": 1, "safe": 1, "reverse": 1, "trim": 1, "striptags": 1}


def _check_filter(budget: _Budget, name: str, arguments: dict[str, Any]) -> None:
    """Refuse a filter call whose result would pass a limit; `arguments` are bound by name (values may change)."""
    values = list(arguments.values())
    value = values[0] if values else None
    how = f"the '{name}' filter"
    if name in _FILTER_GROWTH:
        budget.make(_size_of(value) * _FILTER_GROWTH[name], how)
    elif name == "center":
        budget.make(max(_size_of(value), _int(arguments.get("width"), 80)), how)
    elif name == "indent":
        width = arguments.get("width", 4)
        pad = len(width) if isinstance(width, str) else _int(width, 4)
        lines = value.count("\n") + 1 if isinstance(value, str) else 1
        budget.make(_size_of(value) + lines * max(pad, 0), how)
    elif name == "wordwrap":
        text, width = str(value) if isinstance(value, str) else "", max(_int(arguments.get("width"), 79), 1)
        wrap = arguments.get("wrapstring") or "\n"
        breaks = len(text) // width + len(text.split()) + 1
        budget.make(len(text) + breaks * (len(wrap) if isinstance(wrap, str) else 1), how)
    elif name == "join":
        items = _materialise(budget, value, how)
        arguments["value"] = items
        sep = arguments.get("d", "")
        budget.make(sum(_size_of(i) for i in items) + _size_of(sep) * max(len(items) - 1, 0), how)
    elif name == "replace":
        budget.make(_replace_size(str(value), arguments.get("old"), arguments.get("new"), arguments.get("count")), how)
    elif name == "format":
        args, kwargs = arguments.get("args", ()), arguments.get("kwargs", {})
        if isinstance(value, str):
            budget.make(_percent_size(value, kwargs or tuple(args)), how)
    elif name in ("batch", "slice"):
        size = arguments.get("linecount" if name == "batch" else "slices")
        if isinstance(size, int) and size > MAX_TEMPLATE_VALUE:
            budget.make(size, how, "items")
    elif name in ("tojson", "pprint"):
        indent = arguments.get("indent") if name == "tojson" else 1
        width = len(indent) if isinstance(indent, str) else max(_int(indent), 0)
        budget.make(_size_of(value, indent=width) * (6 if name == "tojson" else 1), how)
    elif name == "urlize":
        text = value if isinstance(value, str) else ""
        extra = sum(len(v) for v in (arguments.get("target"), arguments.get("rel")) if isinstance(v, str))
        budget.make(len(text) * 7 + (len(text.split()) + 1) * (extra + 64), how)
    elif name == "xmlattr":
        budget.make(_size_of(value) * 6, how)
    elif name == "sum":
        start = arguments.get("start", 0)
        if not isinstance(start, (int, float)):  # sums of lists copy quadratically
            raise TemplateLimitError("template expression uses the 'sum' filter on something other than numbers, "
                                     "which templates do not allow")


def _block_tags(text: str) -> Iterator[tuple[int, str | None, int]]:
    """Each `{% … %}` as (where it opens, what it holds, where it ends), found in linear time (a regular
    expression would rescan the rest of the text from every unclosed '{%'); None: it is never closed."""
    start = text.find("{%")
    while start != -1:
        end = text.find("%}", start + 2)
        if end == -1:
            yield start, None, len(text)
            return
        yield start, text[start + 2:end], end + 2
        start = text.find("{%", end + 2)


# Compiled templates by their text, shared by both passes of a build and by the rebuilds of `watch`: a
# template is a pure function of its text (the variables come at render time), and compiling one costs a
# millisecond or more. Bounded; the oldest entry goes first.
_COMPILED: dict[str, Any] = {}
MAX_COMPILED_TEMPLATES = 512


def _compiled(env: Any, text: str) -> Any:
    template = _COMPILED.get(text)
    if template is None:
        template = env.from_string(text)
        if len(_COMPILED) >= MAX_COMPILED_TEMPLATES:
            del _COMPILED[next(iter(_COMPILED))]
        _COMPILED[text] = template
    return template


@functools.lru_cache(maxsize=1)
def _sandbox() -> Any:
    """Jinja's immutable sandbox with a work budget; an undefined name inside a list is still an error.

    One per process (building its classes costs 5 ms); each text sets its own budget on it."""
    import functools
    import inspect
    import types

    from jinja2 import StrictUndefined, nodes
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.runtime import LoopContext, Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.utils import generate_lorem_ipsum

    class Strict(StrictUndefined):
        # StrictUndefined raises on str() but not on repr(), which is what `{{ [a, b] }}` or `{{ a, b }}` use.
        __repr__ = StrictUndefined._fail_with_undefined_error

    class Generator(CodeGenerator):
        """Jinja's code generator, with every loop turn and every '~' charged to the budget."""

        def visit_For(self, node: nodes.For, frame: Frame) -> None:
            wrapped = node.iter
            if not (isinstance(wrapped, nodes.Call) and isinstance(wrapped.node, nodes.EnvironmentAttribute)):
                # Each turn costs a step plus the loop body's literal text (an upper bound of what it writes).
                body = sum(len(data.data) for child in node.body for data in child.find_all(nodes.TemplateData))
                node.iter = nodes.Call(nodes.EnvironmentAttribute("metered"), [wrapped, nodes.Const(body)], [],
                                       None, None, lineno=wrapped.lineno)
            super().visit_For(node, frame)

        def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
            self.write("environment.joined((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    class Sandbox(ImmutableSandboxedEnvironment):
        code_generator_class = Generator
        intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

        def __init__(self) -> None:
            super().__init__(undefined=Strict, autoescape=False, finalize=self.charge_output)
            self.budget = _Budget(MAX_TEMPLATE_STEPS, talk_bound=False)
            self.globals["range"] = self.checked_range
            self.globals["lipsum"] = self.checked_lipsum
            for name, func in list(self.filters.items()):
                self.filters[name] = self.metered_filter(name, func)

        # -- what the generated code calls ---------------------------------------------------------
        def metered(self, iterable: Any, body_chars: int) -> Any:
            budget = self.budget
            for item in iterable:
                budget.step()
                budget.spend(body_chars)
                yield item

        def joined(self, parts: tuple[Any, ...]) -> str:
            self.budget.step()
            self.budget.make(sum(_size_of(p) for p in parts), "'~'")
            return "".join(map(str, parts))

        def charge_output(self, value: Any) -> Any:
            size = _size_of(value)
            if size > MAX_EXPANDED_TEXT:
                raise TemplateLimitError(_TOO_LONG)
            self.budget.spend(size)
            return value

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            self.budget.step()
            try:
                _check_binop(self.budget, operator, left, right)
                return super().call_binop(context, operator, left, right)
            except OverflowError:
                raise TemplateLimitError(f"template expression makes a number too large with '{operator}'") from None

        def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
            self.budget.step(_MACRO_STEPS if isinstance(obj, (Macro, LoopContext)) else _CALL_STEPS)
            owner = getattr(obj, "__self__", None)
            if isinstance(obj, types.BuiltinMethodType) and isinstance(owner, (str, bytes, int, float)):
                args = _check_method(self.budget, obj, owner, args, kwargs)
            result = super().call(context, obj, *args, **kwargs)
            if isinstance(result, str):
                self.budget.spend(len(result))
            return result

        def getattr(self, obj: Any, attribute: str) -> Any:
            self.budget.step()
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            self.budget.step()
            return super().getitem(obj, argument)

        def wrap_str_format(self, value: Any) -> Any:
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None
            fmt, as_map = value.__self__, value.__name__ == "format_map"

            def checked(*args: Any, **kwargs: Any) -> str:
                mapping = args[0] if as_map and args and isinstance(args[0], dict) else kwargs
                self.budget.make(_format_size(fmt, () if as_map else args, mapping), f"'{value.__name__}()'")
                return str(wrapped(*args, **kwargs))

            return checked

        # -- globals and filters ---------------------------------------------------------------------
        def checked_range(self, *args: Any) -> range:
            numbers = range(*args)
            try:
                count = len(numbers)
            except OverflowError:
                count = 10**18
            if count > MAX_TEMPLATE_VALUE:
                raise TemplateLimitError(f"template expression would make a range of {count:,} numbers "
                                         f"(the limit is {MAX_TEMPLATE_VALUE:,})")
            return numbers

        def checked_lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
            words = _int(n) * (_int(max) if _int(max) > _int(min) else _int(min))
            self.budget.make(words * 12, "lipsum()")
            return generate_lorem_ipsum(n, html, min, max)

        def metered_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
            signature = inspect.signature(func)
            params = list(signature.parameters.values())
            passes = getattr(func, "jinja_pass_arg", None) is not None
            if passes and params and params[0].name in ("environment", "env", "eval_ctx", "context"):
                signature = signature.replace(parameters=params[1:])
            skip = 1 if passes else 0

            @functools.wraps(func)
            def metered_call(*args: Any, **kwargs: Any) -> Any:
                self.budget.step(_CALL_STEPS)
                try:
                    bound = signature.bind(*args[skip:], **kwargs)
                except TypeError:
                    bound = None  # the filter itself reports the wrong arguments
                if bound is not None:
                    bound.apply_defaults()
                    _check_filter(self.budget, name, bound.arguments)
                    args, kwargs = (*args[:skip], *bound.args), bound.kwargs
                result = func(*args, **kwargs)
                if isinstance(result, str):
                    self.budget.spend(len(result))
                elif isinstance(result, types.GeneratorType):
                    result = self.metered(result, 0)
                return result

            return metered_call

    return Sandbox()


def _render_bounded(template: Any, variables: dict[str, Any]) -> str:
    """Render piece by piece, stopping as soon as the text passes its limit."""
    pieces: list[str] = []
    length = 0
    for piece in template.generate(**variables):
        length += len(piece)
        if length > MAX_EXPANDED_TEXT:
            raise TemplateLimitError(_TOO_LONG)
        pieces.append(piece)
    return "".join(pieces)



def _match_case(found: str, target: str) -> str:
    if found.isupper() and len(found) > 1:
        return target.upper()
    if found[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


class Terms(dict[str, str]):
    """`{{ term.client }}` in content: the audience's word for a term, else the term as written.

    Only marked terms change, so an audience's vocabulary never rewrites a quotation, a citation, a study's
    sample ("342 accounts from clients") or a pair such as "therapists and clients". Plurals and capitals
    follow the marker: `term.clients`, `term.Client`, `term.CLIENTS`.
    """

    def __init__(self, vocabulary: Sequence[tuple[str, str]] = ()):
        super().__init__()
        self.words = {source.lower(): target for source, target in vocabulary}

    def __missing__(self, key: str) -> str:
        lowered = key.lower()
        if lowered in self.words:
            target = self.words[lowered]
        elif lowered.endswith("s") and lowered[:-1] in self.words:
            target = self.words[lowered[:-1]] + "s"
        else:
            return key
        return _match_case(key, target)

def _names(variables: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in variables.items():
        if isinstance(value, dict):
            out.extend(_names(value, f"{prefix}{key}."))
        else:
            out.append(f"{prefix}{key}")
    return out


def _undefined_name(text: str, message: str) -> str:
    """Name the expression the user wrote ('event.nmae'), not Jinja's internal wording."""
    attr = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    if attr:
        name = attr.group(1)
        for expr in re.findall(r"\{\{\s*([\w.]+)", text):
            if expr.split(".")[-1] == name or expr.split(".")[0] == name:
                return f"'{expr}'"
        return f"'{name}'"
    return "in '" + text[:40] + "'"


def keys_of(citations: Sequence[Citation]) -> tuple[str, ...]:
    """Cited keys in order of first use."""
    keys: dict[str, None] = {}
    for citation in citations:
        for item in citation.items:
            keys.setdefault(item.key, None)
    return tuple(keys)
