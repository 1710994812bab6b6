"""Load layer: text files read with a size cap and decoded as UTF-8, each failure a located diagnostic."""

from __future__ import annotations

import re
from pathlib import Path

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.workspace import InputTooLargeError, read_input

MAX_YAML_BYTES = 2_000_000
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_text(file: Path, display: str, diags: Diagnostics, max_bytes: int = MAX_YAML_BYTES) -> str | None:
    """Read a UTF-8 text file (a BOM is allowed) with a size cap; every failure becomes a diagnostic.

    `file` is a path from `Workspace.resolve_input`: it is opened without following symbolic links.
    """
    try:
        raw = read_input(file, max_bytes)
    except InputTooLargeError as exc:
        diags.error(f"file is too large ({exc.size:,} bytes; the limit is {max_bytes:,})", "file.too-large",
                    Location(display))
        return None
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        diags.error(f"cannot read file: {reason}", "file.unreadable", Location(display))
        return None
    return decode_text(raw, display, diags)


def decode_text(raw: bytes, display: str, diags: Diagnostics) -> str | None:
    """UTF-8 text from a file's bytes; other encodings and binary data are told apart in the diagnostic."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(raw)
        if guess is None and b"\x00" in raw:
            diags.error("file is binary, not text", "file.binary", Location(display, 1, 1))
            return None
        line = 1 if guess and guess.startswith("UTF-") else raw[: exc.start].count(b"\n") + 1
        looks = f" (it looks like {guess})" if guess else ""
        diags.error(f"file is not UTF-8 text{looks}; save it as UTF-8", "file.encoding", Location(display, line, 1))
        return None
    if "\x00" in text:
        guess = _guess_encoding(raw)
        if guess is not None:  # UTF-16 of ASCII text is valid UTF-8, NULs and all
            diags.error(f"file is not UTF-8 text (it looks like {guess}); save it as UTF-8", "file.encoding",
                        Location(display, 1, 1))
        else:
            diags.error("file is binary, not text", "file.binary", Location(display, 1, 1))
        return None
    return text


def _guess_encoding(raw: bytes) -> str | None:
    """The encoding a text file that is not UTF-8 most likely has (a byte-order mark, or NULs of UTF-16)."""
    for mark, name in ((b"\xff\xfe\x00\x00", "UTF-32 little-endian"), (b"\x00\x00\xfe\xff", "UTF-32 big-endian"),
                       (b"\xff\xfe", "UTF-16 little-endian"), (b"\xfe\xff", "UTF-16 big-endian")):
        if raw.startswith(mark):
            return name
    sample = raw[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        # Mostly-ASCII text in UTF-16 has a NUL in every other byte and hardly any elsewhere.
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "UTF-16 little-endian"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "UTF-16 big-endian"
    if b"\x00" in raw:
        return None
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "Windows-1252 or Latin-1"


def strip_invalid_xml(text: str) -> str:
    """Text without the characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE, U+FFFF)."""
    return INVALID_XML.sub("", text)
