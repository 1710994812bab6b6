"""Store layer: template texts Jinja expanded before, per set of template variables, so a rebuild need not run it.

Keyed by the variables (talk, event, audience, terms), the code that expands templates and Jinja's own version;
an entry maps each text to its expansion. Only texts that expanded without error are kept: a refused template
is refused again, with its message, on every build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Mapping

from lecturegen import __version__
from lecturegen.store.bibliography import modules_digest
from lecturegen.store.disk import Store

MEMO_MODULES = ("compile.text_template", "compile.text_fields")
CACHE_FORMAT = 1


def _jinja_fingerprint() -> str:
    """Jinja's version as its package states it, read without importing Jinja (that is what the memo saves)."""
    spec = importlib.util.find_spec("jinja2")
    if spec is None or not spec.origin:
        return ""
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()


class TemplateMemo:
    """The expansions stored for one set of variables; `save` keeps what a compile expanded."""

    def __init__(self, store: Store, variables: Mapping[str, object]):
        self.store = store
        context = json.dumps(variables, sort_keys=True, default=repr, ensure_ascii=False)
        self.key = hashlib.sha256(json.dumps([CACHE_FORMAT, __version__, modules_digest(MEMO_MODULES),
                                              _jinja_fingerprint(), context]).encode("utf-8")).hexdigest()
        self.known: dict[str, str] = _read(store.get("templates", self.key))

    def save(self, expanded: Mapping[str, str]) -> None:
        """Keep this compile's expansions (with the stored ones) when it expanded something new."""
        if all(self.known.get(text) == value for text, value in expanded.items()):
            return
        merged = {**self.known, **expanded}
        self.store.put("templates", self.key, json.dumps(merged, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        self.known = merged


def _read(blob: bytes | None) -> dict[str, str]:
    """A stored entry, or nothing when it is missing or not a map of texts (never trusted further than that)."""
    if blob is None:
        return {}
    try:
        data = json.loads(blob)
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return {}
    return data
