"""Store layer: the record of what each build wrote, and the guard that never replaces an edited output.

Every deck and handout a build writes gets a record in `build/.records/` (its digest and, for a deck, the
text of every slide and shape by the ids written into it, plus where each slide came from). Before an output
is replaced, the file there is compared with its record: an output changed since lecturegen wrote it is
refused, naming what changed, unless the build was told to discard the edits — and then it is kept first.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from lecturegen.model.roundtrip import RECORD_VERSION, DeckChanges, DeckSnapshot, compare_decks
from lecturegen.store.disk import WriteError, write_atomic

MAX_RECORD = 64 * 1024 * 1024


class EditedOutputError(WriteError):
    """An output was changed since lecturegen wrote it; nothing was overwritten."""

    def __init__(self, message: str, display: str):
        super().__init__(message)
        self.display = display


def record_path(build_dir: Path, target: Path) -> Path:
    """Where the record of an output lives: by the output's real path, so `-o` anywhere is recorded too."""
    try:
        resolved = str(target.resolve())
    except (OSError, RuntimeError):
        resolved = str(target.absolute())
    key = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return build_dir / ".records" / f"{target.name}-{key}.json"


def load_record(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_RECORD:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
        return None
    return data


def deck_record(data: bytes, output: str, talk: str, audience: str | None,
                sources: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The record of a deck just written: its digest and its slides' sources. What it holds is read back from
    the copy kept beside the record, only when the deck on disk differs (a rebuild parses no XML)."""
    return {"version": RECORD_VERSION, "kind": "pptx", "digest": hashlib.sha256(data).hexdigest(), "output": output,
            "talk": talk, "audience": audience, "written": int(time.time()), "sources": sources or []}


def written_copy(path: Path) -> Path:
    """The copy of the deck as lecturegen wrote it, beside its record."""
    return path.with_suffix(".written.pptx")


def written_snapshot(path: Path, record: dict[str, Any]) -> DeckSnapshot | None:
    """What lecturegen wrote, read from the kept copy (None when the copy is gone or is not that deck)."""
    from lecturegen.sources.deck import DeckError, read_deck

    try:
        data = written_copy(path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != record.get("digest"):
        return None
    try:
        return read_deck(data)
    except DeckError:
        return None


def file_record(data: bytes, output: str, kind: str, talk: str, audience: str | None) -> dict[str, Any]:
    return {"version": RECORD_VERSION, "kind": kind, "digest": hashlib.sha256(data).hexdigest(), "output": output,
            "talk": talk, "audience": audience, "written": int(time.time())}


def save_record(path: Path, record: dict[str, Any], data: bytes | None = None) -> None:
    """The record, and for a deck (`data`) the copy that `pull` and the guard compare an edited deck with."""
    try:
        if data is not None:
            write_atomic(written_copy(path), data, durable=False)
        write_atomic(path, json.dumps(record, separators=(",", ":")).encode("ascii"),
                     durable=False)
    except WriteError:
        pass  # without its record an output is only unguarded, as every output was before records


def file_digest(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read.

    A build asks for the digest of the deck it replaces up to three times (the edit guard before the build and
    at the write, and the record of what was replaced): a file whose size, times and inode are those of one
    hashed earlier in this process is that file (every write changes its ctime), unless it was changed so
    recently that a second change could keep the same times."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            seen = (os.fspath(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            known = _DIGESTS.get(seen)
            if known is not None:
                return known
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > _SETTLED_NS:
        if len(_DIGESTS) >= 256:
            _DIGESTS.clear()  # `watch` builds for hours: what it keeps stays small
        _DIGESTS[seen] = digest
    return digest


_DIGESTS: dict[tuple[str, int, int, int, int, int], str] = {}
_SETTLED_NS = 2_000_000_000  # a file changed within this of its hashing may change again with the same times


def deck_changes(written: DeckSnapshot | None, data: bytes) -> DeckChanges:
    """How a deck's bytes differ from the deck lecturegen wrote (everything, when that is unknown)."""
    from lecturegen.sources.deck import DeckError, read_deck

    try:
        current = read_deck(data)
    except DeckError:
        return DeckChanges(added=(0,))
    if written is None:
        return DeckChanges(changed=tuple((s.number, "unknown: no copy of the deck as written") for s in current.slides))
    return compare_decks(written, current)


def edited_copy_name(target: Path, now: float | None = None) -> Path:
    """NAME.edited-<UTC time>.pptx beside the output; a second copy in the same second gets a number."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))
    candidate = target.with_name(f"{target.stem}.edited-{stamp}{target.suffix}")
    n = 2
    while os.path.lexists(candidate):
        candidate = target.with_name(f"{target.stem}.edited-{stamp}-{n}{target.suffix}")
        n += 1
    return candidate


def guard_edits(target: Path, record: dict[str, Any] | None, display: str, talk: str, discard: bool,
                record_file: Path | None = None) -> str | None:
    """Refuse (EditedOutputError) to replace an output changed since lecturegen wrote it; with `discard`, keep
    it as NAME.edited-<time>.ext first and return that copy's path. None when there is nothing to keep."""
    if record is None or not os.path.isfile(target) or os.path.islink(target):
        return None
    if file_digest(target) in (record.get("digest"), record.get("previous")):
        return None  # as written (or the file a build killed mid-write was replacing)
    what = "it"
    if record.get("kind") == "pptx":
        try:
            data = target.read_bytes()
        except OSError:
            return None  # the writer names an unreadable file
        written = written_snapshot(record_file, record) if record_file is not None else None
        changes = deck_changes(written, data)
        if not changes.any:
            return None  # saved again with nothing changed that lecturegen wrote
        what = changes.describe()
    if discard:
        copy = edited_copy_name(target)
        try:
            shutil.copy2(target, copy)
        except OSError as exc:
            raise WriteError(f"cannot keep the edited '{display}' as '{copy.name}': "
                             f"{(exc.strerror or str(exc)).lower()}; nothing was overwritten") from None
        return str(copy)
    keep = f"{target.stem}.edited-<time>{target.suffix}"
    if record.get("kind") == "pptx":
        ways = (f"bring the edits into the sources with 'lecturegen pull {talk} {display}', or build with "
                f"--discard-edits (keeps it as '{keep}')")
        message = f"'{display}' was edited since lecturegen wrote it ({what}): not overwritten; {ways}"
    else:
        message = (f"'{display}' was changed since lecturegen wrote it: not overwritten; move it away, or "
                   f"write with --discard-edits (keeps it as '{keep}')")
    raise EditedOutputError(message, display)


__all__ = ["EditedOutputError", "deck_changes", "deck_record", "edited_copy_name", "file_digest", "file_record",
           "guard_edits",
           "load_record", "record_path", "save_record", "written_copy", "written_snapshot"]
