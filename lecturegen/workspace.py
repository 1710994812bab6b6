"""Workspace layer: find the workspace root and resolve the paths it reads, which may not escape it."""

from __future__ import annotations

import hashlib
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.records import record

# More symbolic links than this in one path is a loop (Linux gives up at 40 too).
_MAX_LINKS = 40


class InputPathError(Exception):
    """Why a path may not be read, as the message and code of a diagnostic."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def check_input_path(root: Path, relative: str, base: Path, what: str = "file") -> Path:
    """The real path of a file the build reads, or InputPathError.

    `relative` is resolved against `base` (absolute paths are taken as they are). Refused: a path outside the
    workspace, `..` that leaves it, any symbolic link inside the workspace whose target leaves it (every
    component is checked, links followed one hop at a time), a folder, and anything that is not a regular
    file (a pipe or a device would block or never end). The result has no symbolic links left in it, so it
    can be opened with O_NOFOLLOW (see `read_input`).
    """
    if not relative or "\x00" in relative:
        raise InputPathError(f"empty or invalid {what} path", "path.invalid")
    real_root = os.path.realpath(root)
    spelled = file_name_of_text(relative)
    start = Path(spelled) if Path(spelled).is_absolute() else Path(base).absolute() / spelled
    resolved = os.sep
    pending = list(reversed(start.parts[1:]))
    links = 0
    entered = _inside(resolved, real_root)
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        step = os.path.dirname(resolved) if part == ".." else os.path.join(resolved, part)
        if part != ".." and os.path.islink(step):
            links += 1
            if links > _MAX_LINKS:
                raise InputPathError(f"{what} path '{relative}' has a loop of symbolic links", "path.invalid")
            target = os.readlink(step)
            if entered:
                landing = os.path.realpath(os.path.join(resolved, target))
                if not _inside(landing, real_root) or not _inside(
                        os.path.normpath(os.path.join(resolved, target)), real_root):
                    link = os.path.relpath(step, real_root)
                    raise InputPathError(f"{what} path '{relative}' points outside the workspace through the "
                                         f"symbolic link '{link}'", "path.escape")
            pending.extend(reversed(Path(target).parts))
            if os.path.isabs(target):
                pending.pop()  # the anchor: walk down again from the top (its landing was checked above)
                resolved, entered = os.sep, False
            continue
        resolved = step
        if _inside(resolved, real_root):
            entered = True
        elif entered:
            raise InputPathError(f"{what} path '{relative}' points outside the workspace", "path.escape")
    if not _inside(resolved, real_root):
        raise InputPathError(f"{what} path '{relative}' points outside the workspace", "path.escape")
    try:
        mode = os.stat(resolved).st_mode
    except FileNotFoundError:
        raise InputPathError(f"{what} '{relative}' does not exist", "path.missing") from None
    except OSError as exc:
        raise InputPathError(f"cannot read {what} '{relative}': {_reason(exc)}", "file.unreadable") from None
    if stat.S_ISDIR(mode):
        raise InputPathError(f"{what} '{relative}' is a folder, not a file", "path.not-a-file")
    if not stat.S_ISREG(mode):
        raise InputPathError(f"{what} '{relative}' is {file_kind(mode)}, not a regular file", "path.not-a-file")
    return Path(resolved)


_FILE_KINDS = ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISLNK, "a symbolic link"))


def file_kind(mode: int) -> str:
    """What a file is, as messages name it ("a FIFO (named pipe)", "a character device" …)."""
    return next((name for is_kind, name in _FILE_KINDS if is_kind(mode)), "not a regular file")


def not_a_file(path: Path) -> str | None:
    """The kind of what is at `path` when it exists and is not a regular file (links followed), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else file_kind(mode)


class InputTooLargeError(Exception):
    """A file is larger than its reader's limit (checked before it is read)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def file_name_of_text(text: str) -> str:
    """A name written in content (UTF-8 text) as the file system spells it in this process.

    Under `LC_ALL=C PYTHONUTF8=0` Python decodes file names as ASCII, so 'intrö.yaml' on disk is listed as
    'intr\\udcc3\\udcb6.yaml'; the name from a YAML file must be spelled the same way to be found.
    """
    try:
        return os.fsdecode(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return text


def read_input(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file `check_input_path` returned: OSError, or InputTooLargeError past `max_bytes`.

    Opened without following a symbolic link swapped in since the check and without blocking on a pipe; the
    size is taken from the open file, so a file that grows meanwhile is still cut off at the limit.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"'{path.name}' is {file_kind(info.st_mode)}, not a regular file")
        if info.st_size > max_bytes:
            raise InputTooLargeError(info.st_size)
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLargeError(len(data))
    for log in _READ_LOGS:
        log.saw(str(path), data)
    return data


class ReadLog:
    """The SHA-256 of every input's bytes exactly as a build read them (through `read_input`).

    The build cache stores a deck only when these are the bytes its key was computed from: a save between
    hashing and reading (or a save and its undo during the build) must not file a deck under the wrong key.
    """

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}
        self.inconsistent = False  # one file read twice with different bytes

    def saw(self, path: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        if self.digests.setdefault(path, digest) != digest:
            self.inconsistent = True


_READ_LOGS: list[ReadLog] = []


@contextmanager
def logging_reads() -> Iterator[ReadLog]:
    """Every `read_input` inside the block is logged (see ReadLog)."""
    log = ReadLog()
    _READ_LOGS.append(log)
    try:
        yield log
    finally:
        _READ_LOGS.remove(log)


def _inside(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


@record
class Workspace:
    root: Path

    @property
    def talks_dir(self) -> Path:
        return self.root / "content" / "talks"

    @property
    def sections_dir(self) -> Path:
        return self.root / "content" / "sections"

    @property
    def audiences_dir(self) -> Path:
        return self.root / "content" / "audiences"

    @property
    def data_dir(self) -> Path:
        return self.root / "content" / "data"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def bibliography(self) -> Path:
        return self.root / "bibliography.bib"

    def display(self, path: Path) -> str:
        """A path as diagnostics show it: relative to the workspace when inside it, named as the user named it
        (a symbolic link is not followed: the message is about the file the user wrote)."""
        for candidate, root in ((Path(os.path.abspath(path)), Path(os.path.abspath(self.root))),
                                (path.resolve(), self.root.resolve())):
            if candidate.is_relative_to(root):
                return candidate.relative_to(root).as_posix()
        return str(path)

    def talk_names(self) -> list[str]:
        return _stems(self.talks_dir.glob("*.yaml")) if self.talks_dir.is_dir() else []

    def audience_names(self) -> list[str]:
        return _stems(self.audiences_dir.glob("*.yaml")) if self.audiences_dir.is_dir() else []

    def theme_names(self) -> list[str]:
        if not self.themes_dir.is_dir():
            return []
        return sorted(p.parent.name for p in self.themes_dir.glob("*/theme.yaml") if p.is_file())

    def resolve_input(
        self, relative: str, base: Path, diags: Diagnostics, at: Location | None, what: str = "file"
    ) -> Path | None:
        """The one resolver for every file the build reads (see `check_input_path`); None after a diagnostic."""
        try:
            return check_input_path(self.root, relative, base, what)
        except InputPathError as exc:
            diags.error(exc.message, exc.code, at)
            return None

    # The name the theme loader uses.
    resolve_inside = resolve_input

    def resolve_named(self, folder: Path, name: str, suffix: str, diags: Diagnostics, at: Location | None,
                      what: str) -> Path | None:
        """`folder/NAME.suffix` for a name the user gave (a talk, section, dataset …), located at its file."""
        file = folder / f"{file_name_of_text(name)}{suffix}"
        display = file.relative_to(self.root).as_posix() if file.is_relative_to(self.root) else str(file)
        return self.resolve_input(display, self.root, diags, at or Location(display), what)


def _stems(paths: object) -> list[str]:
    """Names of the files among `paths` (a folder named like a talk is not a talk)."""
    return sorted(p.stem for p in paths if p.is_file())  # type: ignore[attr-defined]


def find_workspace(start: Path) -> Workspace | None:
    """Walk up from `start` to the first folder that has content/talks/."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / "content" / "talks").is_dir():
            return Workspace(folder)
    return None
