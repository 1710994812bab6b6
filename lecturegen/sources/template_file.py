"""Load layer: a template file's bytes, the overrides theme.yaml makes, and the error a template reports.

Apart from `sources/template.py` (the reader, which needs lxml) so that a build served a template from the
store imports neither.
"""

from __future__ import annotations

from pathlib import Path

from lecturegen.records import record

__all__ = ["MAX_TEMPLATE_FILE", "TemplateError", "TemplateOverrides", "read_template_bytes"]

MAX_TEMPLATE_FILE = 50 * 1024 * 1024


class TemplateError(Exception):
    def __init__(self, message: str, code: str = "theme.template", hint: str | None = None,
                 theme_key: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.theme_key = theme_key  # the theme.yaml key the problem is in ("master", "layouts.content"), if one


@record
class TemplateOverrides:
    """theme.yaml values that replace the template's own, one by one (None keeps the template's)."""

    major_font: str | None = None
    minor_font: str | None = None
    scheme: tuple[tuple[str, str], ...] = ()  # (slot, hex): dk1, lt1, accent1, accent2, hlink …
    title_color: str | None = None
    master: str | None = None  # theme.yaml `master:` by name or number (None: lecturegen chooses)
    layouts: tuple[tuple[str, str], ...] = ()  # theme.yaml `layouts:` role → layout name


def read_template_bytes(path: Path, display: str) -> bytes:
    """A template file's bytes, its size checked on the open file before reading."""
    from lecturegen.workspace import InputTooLargeError, read_input

    try:
        return read_input(path, MAX_TEMPLATE_FILE)
    except InputTooLargeError as exc:
        limit = MAX_TEMPLATE_FILE // 2**20
        size = f"{exc.size / 2**20:,.0f}"
        # A file a few bytes over would read "is 50 MB; the limit is 50 MB".
        shown = f"just over {limit}" if size == f"{limit:,}" else size
        raise TemplateError(f"template '{display}' is {shown} MB; the limit is {limit} MB",
                            "theme.template-too-large") from None
    except OSError as exc:
        # The system's reason reads on in our sentence ("no such file…"); a file name in it keeps its case.
        reason = exc.strerror[:1].lower() + exc.strerror[1:] if exc.strerror else str(exc)
        raise TemplateError(f"template '{display}' cannot be read ({reason})", "file.unreadable") from None
