"""Store layer: verified cache entries on disk, and the one atomic writer every output goes through."""

from __future__ import annotations

import errno
import hashlib
import os
import struct
import tempfile
from pathlib import Path

_MAGIC = b"LGC1"
_HEADER = struct.Struct(">4sQ32s")  # magic, length, sha256 of the data
MAX_ENTRY = 512 * 1024 * 1024


class WriteError(Exception):
    """An output could not be written; the message names the path and the reason."""


def write_atomic(path: Path, data: bytes, display: str | None = None, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and os.replace: readers see the old file or the new one.

    Every failure (full disk, read-only folder, a parent that is a file, a name too long) is a WriteError
    naming the path; the previous file is untouched and no temporary file is left behind.
    """
    shown = display or str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the folder for '{shown}': {_reason(exc)}") from None
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".lecturegen-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise WriteError(f"cannot write '{shown}': {_reason(exc)}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EROFS,):
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return "it is a folder"
    return (exc.strerror or str(exc)).lower()


class Store:
    """Content-addressed entries under one folder. An entry is checked (length and hash) before it is served;
    a bad one is deleted and reported as missing. A read-only store (`check`) never writes."""

    def __init__(self, folder: Path | None, writable: bool = True):
        self.folder = folder
        self.writable = writable and folder is not None

    def _path(self, namespace: str, key: str) -> Path | None:
        if self.folder is None or not key.isalnum():
            return None
        return self.folder / namespace / key[:2] / key

    def get(self, namespace: str, key: str) -> bytes | None:
        path = self._path(namespace, key)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                head = handle.read(_HEADER.size)
                if len(head) != _HEADER.size:
                    raise ValueError("short")
                magic, length, digest = _HEADER.unpack(head)
                if magic != _MAGIC or length > MAX_ENTRY:
                    raise ValueError("bad header")
                data = handle.read(length + 1)
            if len(data) != length or hashlib.sha256(data).digest() != digest:
                raise ValueError("bad data")
            return data
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            self._discard(path)
            return None

    def put(self, namespace: str, key: str, data: bytes) -> None:
        path = self._path(namespace, key)
        if path is None or not self.writable:
            return
        blob = _HEADER.pack(_MAGIC, len(data), hashlib.sha256(data).digest()) + data
        try:
            write_atomic(path, blob, durable=False)
        except WriteError:
            pass  # a cache that cannot be written only costs speed

    def has_any(self, namespace: str) -> bool:
        if self.folder is None:
            return False
        try:
            return any(p.is_file() for p in (self.folder / namespace).glob("*/*"))
        except OSError:
            return False

    def _discard(self, path: Path) -> None:
        if not self.writable:
            return
        try:
            path.unlink()
        except OSError:
            pass

    def prune(self, namespace: str, keep: int) -> None:
        """Keep the newest entries of a namespace only."""
        if self.folder is None or not self.writable:
            return
        folder = self.folder / namespace
        try:
            entries = sorted((p for p in folder.glob("*/*") if p.is_file()), key=lambda p: p.stat().st_mtime_ns,
                             reverse=True)
        except OSError:
            return
        for old in entries[keep:]:
            try:
                old.unlink()
            except OSError:
                pass


_MAGIC_BY_SUFFIX = {".pptx": (b"PK\x03\x04", b"PK\x05\x06"), ".docx": (b"PK\x03\x04", b"PK\x05\x06"),
                    ".pdf": (b"%PDF",), ".png": (b"\x89PNG",)}


def guard_output(target: Path, suffix: str, inputs: set[Path], display: str) -> None:
    """Refuse to write over anything that is not a previous output of the same kind.

    An output path may not be one of the build's inputs (an outline, the bibliography, a template, an
    image …), and an existing file there must already be a `suffix` file (a .pptx, .pdf or .docx by its
    first bytes), so a mistyped `-o` never destroys the user's work.
    """
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        raise WriteError(f"cannot write '{display}': the path cannot be resolved") from None
    if resolved in inputs:
        raise WriteError(f"refusing to write over '{display}': it is one of this build's input files "
                         f"(choose another -o path, ending in {suffix})")
    if target.suffix.lower() != suffix:
        raise WriteError(f"refusing to write '{display}': the output must end in {suffix}")
    if target.is_dir():
        raise WriteError(f"cannot write '{display}': it is a folder")
    if target.is_symlink():
        raise WriteError(f"refusing to write '{display}': it is a symbolic link")
    if target.exists():
        try:
            with open(target, "rb") as handle:
                head = handle.read(8)
        except OSError as exc:
            raise WriteError(f"cannot write '{display}': {_reason(exc)}") from None
        if head and not head.startswith(_MAGIC_BY_SUFFIX.get(suffix, (b"",))):
            raise WriteError(f"refusing to write over '{display}': it exists and is not a {suffix} file")
