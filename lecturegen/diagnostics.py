"""Located diagnostics shared by every layer: `path:line:col: error: message [code]`."""

from __future__ import annotations

from dataclasses import field
from typing import Iterable, Literal, Sequence

from lecturegen.records import record

Severity = Literal["error", "warning", "info"]


@record(order=True)
class Location:
    """Where something was declared: a workspace-relative path, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@record
class Diagnostic:
    """One problem found in the user's input (or a note about it)."""

    severity: Severity
    message: str
    code: str
    location: Location | None = None
    hint: str | None = None

    def render(self) -> str:
        where = f"{self.location}: " if self.location else ""
        hint = f" ({self.hint})" if self.hint else ""
        # One finding, one line, and truthful: file names and user values quoted in a message may carry line
        # breaks, terminal escapes or invisible characters; each is shown as its escape (\n, \x1b, \u202e).
        return escape_unprintable(f"{where}{self.severity}: {self.message}{hint} [{self.code}]")

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity,
            "code": self.code,
            "message": text_of_file_name(self.message),
            "path": text_of_file_name(loc.path) if loc else None,
            "line": loc.line if loc else None,
            "col": loc.col if loc else None,
            "hint": text_of_file_name(self.hint) if self.hint else None,
        }


@record(frozen=False)
class Diagnostics:
    """A collector: every stage appends, the CLI prints them all at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, code: str, location: Location | None = None, hint: str | None = None) -> None:
        self.items.append(Diagnostic("error", message, code, location, hint))

    def warning(self, message: str, code: str, location: Location | None = None, hint: str | None = None) -> None:
        self.items.append(Diagnostic("warning", message, code, location, hint))

    def info(self, message: str, code: str, location: Location | None = None, hint: str | None = None) -> None:
        self.items.append(Diagnostic("info", message, code, location, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Stable order for output: by file and position, errors before warnings at a tie."""
        rank = {"error": 0, "warning": 1, "info": 2}

        def key(d: Diagnostic) -> tuple[str, int, int, int]:
            loc = d.location or Location("")
            return (loc.path, loc.line, loc.col, rank[d.severity])

        seen: set[Diagnostic] = set()
        unique: list[Diagnostic] = []
        for d in self.items:
            if d not in seen:
                seen.add(d)
                unique.append(d)
        return sorted(unique, key=key)


class LecturegenError(Exception):
    """Raised to stop a command after problems have been collected as diagnostics."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = list(diagnostics)


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_unprintable(text: str) -> str:
    """Text with every control, format or separator character written as its Python escape."""
    if text.isprintable():
        return text
    text = text_of_file_name(text)
    return "".join(ch if ch.isprintable() else _NAMED_ESCAPES.get(ch) or _escape(ch) for ch in text)


def text_of_file_name(name: str) -> str:
    """A file name as the user wrote it, when Python decoded it without UTF-8 (`LC_ALL=C PYTHONUTF8=0` leaves
    'caf\\udcc3\\udca9'): the bytes read again as UTF-8, any that are not UTF-8 as escapes ('\\xe9')."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates that were never bytes of a file name
        return name


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shorten(value: str, limit: int = 40) -> str:
    """A user value short enough to quote in a one-line message."""
    if len(value) <= limit:
        return value
    return f"{value[:limit - 16]}… ({len(value):,} characters)"


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, or None when nothing is close."""
    import difflib  # only when a hint is worked out: most builds have none

    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


def quote_choices(choices: Iterable[str]) -> str:
    return ", ".join(f"'{c}'" for c in sorted(choices))


def choice_hint(value: str, choices: Iterable[str]) -> str:
    """The hint for a value that is not one of `choices`: the closest choice, or else all of them."""
    return did_you_mean(value, choices) or f"expected one of: {quote_choices(choices)}"


class Replayed:
    """A small in-process memo for pure load steps (parse this text): the result and the diagnostics it
    gave, replayed on a hit, so a long-running `watch` re-parses only the files that changed."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: dict[object, tuple[object, tuple[Diagnostic, ...]]] = {}

    def get(self, key: object, diags: Diagnostics) -> tuple[bool, object]:
        hit = self._items.get(key)
        if hit is None:
            return False, None
        result, found = hit
        diags.extend(found)
        return True, result

    def put(self, key: object, result: object, found: Sequence[Diagnostic]) -> None:
        if len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))
        self._items[key] = (result, tuple(found))
