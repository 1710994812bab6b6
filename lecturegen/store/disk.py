"""Store layer: verified cache entries on disk, and the one atomic writer every output goes through."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import struct
import tempfile
import zlib
from pathlib import Path
from typing import BinaryIO

from lecturegen.workspace import file_kind, not_a_file

_MAGIC = b"LGC1"
_HEADER = struct.Struct(">4sQ32s")  # magic, length, sha256 of the data
MAX_ENTRY = 512 * 1024 * 1024


class WriteError(Exception):
    """An output could not be written; the message names the path and the reason."""


TEMP_PREFIX, TEMP_SUFFIX = ".lecturegen-", ".tmp"
_STALE_TEMP_SECONDS = 3600  # a temporary file untouched this long belongs to a build that was killed


def write_atomic(path: Path, data: bytes, display: str | None = None, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and os.replace: readers see the old file or the new one.

    Every failure (full disk, read-only folder, a parent that is a file, a name too long, a file held open by
    another program) is a WriteError naming the path and the reason; the previous file is untouched and no
    temporary file is left behind. A build killed while writing leaves at most a `.lecturegen-*.tmp` file,
    which the next durable write into that folder removes once it is an hour old.
    """
    shown = display or str(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the folder for '{shown}': {_folder_reason(exc, folder)}") from None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)
    except OSError as exc:
        _unlink(tmp)
        raise WriteError(f"cannot write '{shown}': {_reason(exc)}") from None
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        hint = ""
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EBUSY) and not os.path.isdir(path):
            # Windows refuses to replace a file another program holds open, PowerPoint above all.
            hint = " (is it open in PowerPoint or another program? close it and try again)"
        raise WriteError(f"cannot write '{shown}': {_reason(exc)}{hint}") from None
    if durable:
        _sync_folder(folder)
        remove_stale_temps(folder)


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is out: a write may be short on a nearly full disk or a pipe-like target."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "no space left on device")
        view = view[written:]


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk too (POSIX); a file system that cannot sync folders only loses durability."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path, age: float = _STALE_TEMP_SECONDS) -> None:
    """Temporary files of killed builds, once old enough that no live writer can own them."""
    import time

    limit = time.time() - age
    try:
        with os.scandir(folder) as entries:
            stale = [e.path for e in entries if e.name.startswith(TEMP_PREFIX) and e.name.endswith(TEMP_SUFFIX)
                     and e.is_file(follow_symlinks=False) and e.stat(follow_symlinks=False).st_mtime < limit]
    except OSError:
        return
    for name in stale:
        _unlink(name)


def _unlink(path: str | None) -> None:
    if path is None:
        return
    try:
        os.unlink(path)
    except OSError:
        pass


def _folder_reason(exc: OSError, folder: Path) -> str:
    """Why a folder cannot be made; the part of the path that is a file is named."""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        for parent in (folder, *folder.parents):
            try:
                if parent.exists() and not parent.is_dir():
                    return f"'{parent}' is a file, not a folder"
            except OSError:
                break
        return "a part of the path is a file, not a folder"
    return _reason(exc)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return "it is a folder"
    if exc.errno == errno.ELOOP:
        return "too many symbolic links"
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
            return any(p.is_file() and not p.name.startswith(".") for p in (self.folder / namespace).glob("*/*"))
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
            # Entries only: a name starting with '.' is another writer's temporary file (or a killed one's).
            entries = sorted((p for p in folder.glob("*/*") if p.is_file() and not p.name.startswith(".")),
                             key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for sub in folder.iterdir():
                remove_stale_temps(sub)
        except OSError:
            return
        for old in entries[keep:]:
            try:
                old.unlink()
            except OSError:
                pass


_MAGIC_BY_SUFFIX = {".pptx": (b"PK\x03\x04", b"PK\x05\x06"), ".docx": (b"PK\x03\x04", b"PK\x05\x06"),
                    ".pdf": (b"%PDF",), ".png": (b"\x89PNG",)}
_APPLICATION = b"<Application>lecturegen</Application>"


def guard_output(target: Path, suffix: str, inputs: set[Path], display: str, recorded: bool = False) -> None:
    """Refuse to write over anything that is not a previous output of the same kind.

    An output path may not be one of the build's inputs (an outline, the bibliography, a template, an
    image …, by its real path or as the same file under another name), must end in `suffix`, and an
    existing file there must already be a `suffix` file by its first bytes — and a deck must be one
    lecturegen wrote, so a mistyped `-o` never destroys a template or a deck someone saved from PowerPoint.
    `recorded`: lecturegen has a record of writing this path (store/outputs.py compares the file with it, so a
    deck of ours saved again by PowerPoint is judged by its edits, not by the program that saved it).
    """
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        raise WriteError(f"cannot write '{display}': the path cannot be resolved") from None
    kind = not_a_file(target)
    if kind is not None and kind != "a folder":  # a device or a pipe is named before anything else is said
        raise WriteError(f"refusing to write '{display}': it is {kind}, not a file")
    if resolved in inputs or _same_file_as_any(target, inputs):
        raise WriteError(f"refusing to write over '{display}': it is one of this build's input files "
                         f"(choose another -o path, ending in {suffix})")
    if target.suffix.lower() != suffix:
        raise WriteError(f"refusing to write '{display}': the output must end in {suffix}")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            return  # a parent is a file: write_atomic names it
        raise WriteError(f"cannot write '{display}': {_reason(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise WriteError(f"refusing to write '{display}': it is a symbolic link")
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(f"cannot write '{display}': it is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"refusing to write '{display}': it is {file_kind(info.st_mode)}, not a file")
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(target, flags)
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(8)
            if head and not head.startswith(_MAGIC_BY_SUFFIX.get(suffix, (b"",))):
                raise WriteError(f"refusing to write over '{display}': it exists and is not a {suffix} file")
            if head and suffix == ".pptx" and not recorded and not _written_by_lecturegen(handle):
                raise WriteError(f"refusing to write over '{display}': it is a PowerPoint file lecturegen did "
                                 "not write (a template, or a deck saved from PowerPoint?); move it away or choose "
                                 "another -o path")
    except OSError as exc:
        raise WriteError(f"cannot write '{display}': {_reason(exc)}") from None


def _same_file_as_any(target: Path, inputs: set[Path]) -> bool:
    """The target is an input under another name: a hard link, or another spelling on a case-blind disk."""
    try:
        mine = os.stat(target)
    except OSError:
        return False
    for path in inputs:
        try:
            other = os.stat(path)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (mine.st_dev, mine.st_ino):
            return True
    return False


def _written_by_lecturegen(handle: BinaryIO) -> bool:
    """Whether a deck's docProps/app.xml names lecturegen as its application (read from the zip directory)."""
    import zipfile

    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo("docProps/app.xml")
            if info.file_size > 65536:
                return False
            with archive.open(info) as part:
                return _APPLICATION in part.read(65537)
    except (KeyError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return False
