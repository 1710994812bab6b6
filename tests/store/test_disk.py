"""The one atomic writer and the output guard: every OSError is a WriteError naming the path and the reason,
the previous file survives, no temporary file is left, and nothing but a previous output is ever replaced."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from lecturegen.store import disk
from lecturegen.store.disk import Store, WriteError, guard_output, remove_stale_temps, write_atomic

OLD, NEW = b"the previous deck", b"the new deck" * 1000


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".lecturegen-"))


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    target = tmp_path / "out" / "talk.pptx"
    write_atomic(target, OLD, "out/talk.pptx")
    return target


def assert_failed_cleanly(target: Path, error: pytest.ExceptionInfo[WriteError], reason: str) -> None:
    assert str(error.value) == f"cannot write 'out/talk.pptx': {reason}"
    assert target.read_bytes() == OLD
    assert temps(target.parent) == []


def test_a_write_replaces_the_file_and_leaves_no_temporary_file(previous: Path) -> None:
    write_atomic(previous, NEW, "out/talk.pptx")
    assert previous.read_bytes() == NEW
    assert temps(previous.parent) == []
    assert previous.stat().st_mode & 0o777 == 0o644


def test_a_full_disk_keeps_the_previous_file(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    calls = []

    def write(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) > 1:  # the first chunk fits, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, bytes(data)[:100])

    monkeypatch.setattr(disk.os, "write", write)
    with pytest.raises(WriteError) as error:
        write_atomic(previous, NEW, "out/talk.pptx")
    assert len(calls) == 2
    assert_failed_cleanly(previous, error, "the disk is full")


def test_a_quota_that_stops_the_writer_is_a_full_disk(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disk.os, "write", lambda fd, data: 0)  # a write that makes no progress
    with pytest.raises(WriteError) as error:
        write_atomic(previous, NEW, "out/talk.pptx")
    assert_failed_cleanly(previous, error, "the disk is full")


def test_short_writes_are_continued(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    monkeypatch.setattr(disk.os, "write", lambda fd, data: real_write(fd, bytes(data)[:7]))
    write_atomic(previous, NEW, "out/talk.pptx")
    assert previous.read_bytes() == NEW


def test_a_failing_flush_to_disk_keeps_the_previous_file(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(disk.os, "fsync", fsync)
    with pytest.raises(WriteError) as error:
        write_atomic(previous, NEW, "out/talk.pptx")
    assert_failed_cleanly(previous, error, "input/output error")


@pytest.mark.parametrize(("code", "reason"), [(errno.EROFS, "the file system is read-only"),
                                              (errno.EACCES, "permission denied")])
def test_a_folder_that_takes_no_new_file(previous: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                                         reason: str) -> None:
    # Root ignores permissions, so the refusal is the file system's answer to creating the temporary file.
    def mkstemp(**kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(disk.tempfile, "mkstemp", mkstemp)
    with pytest.raises(WriteError) as error:
        write_atomic(previous, NEW, "out/talk.pptx")
    assert_failed_cleanly(previous, error, reason)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM])
def test_a_deck_held_open_elsewhere_says_so(previous: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Windows refuses to replace a file PowerPoint has open: the message says what to do."""
    def replace(src: str, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(disk.os, "replace", replace)
    with pytest.raises(WriteError) as error:
        write_atomic(previous, NEW, "out/talk.pptx")
    assert_failed_cleanly(previous, error, "permission denied (is it open in PowerPoint or another program? close "
                                           "it and try again)")


def test_a_parent_that_is_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    for target in (tmp_path / "notes.txt" / "talk.pptx", tmp_path / "notes.txt" / "deeper" / "talk.pptx"):
        with pytest.raises(WriteError) as error:
            write_atomic(target, NEW, "shown.pptx")
        assert str(error.value) == f"cannot create the folder for 'shown.pptx': '{tmp_path / 'notes.txt'}' is a " \
                                   "file, not a folder"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_name_longer_than_the_file_system_allows(tmp_path: Path) -> None:
    name = "n" * (os.pathconf(tmp_path, "PC_NAME_MAX") + 1) + ".pptx"
    with pytest.raises(WriteError) as error:
        write_atomic(tmp_path / name, NEW, "long.pptx")
    assert str(error.value) == "cannot write 'long.pptx': the file name is too long"
    assert list(tmp_path.iterdir()) == []


def test_a_killed_writers_temporary_file_goes_once_it_is_old(previous: Path) -> None:
    folder = previous.parent
    old, fresh = folder / ".lecturegen-dead.tmp", folder / ".lecturegen-live.tmp"
    old.write_bytes(b"half a deck")
    fresh.write_bytes(b"another build, still writing")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    write_atomic(previous, NEW, "out/talk.pptx")
    assert temps(folder) == [fresh.name]
    remove_stale_temps(folder, age=-1)
    assert temps(folder) == []


# -- the real thing: a small tmpfs that fills up, and a read-only one ----------------------------------------

def _in_mount_namespace(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("unshare") is None:
        pytest.skip("no 'unshare' here: cannot mount a private tmpfs")
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted on this machine")
    return subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", *args], capture_output=True, text=True,
                          timeout=120)


WRITE = "import sys; from pathlib import Path; from lecturegen.store.disk import write_atomic, WriteError\n" \
        "try:\n    write_atomic(Path(sys.argv[1]), bytes(int(sys.argv[2])), 'the deck')\n" \
        "except WriteError as exc:\n    print(exc)\n"


def test_a_real_full_tmpfs(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    script = f"""
set -e
mount -t tmpfs -o size=200k tmpfs "$1"
"{sys.executable}" -c "$2" "$1/talk.pptx" 40000
cp "$1/talk.pptx" "$1/../before.pptx"
dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null || true
"{sys.executable}" -c "$2" "$1/talk.pptx" 60000
cmp "$1/talk.pptx" "$1/../before.pptx" && echo intact
ls -A "$1"
mount -o remount,ro "$1"
"{sys.executable}" -c "$2" "$1/talk.pptx" 60000
"""
    result = _in_mount_namespace(script, str(mount), WRITE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["cannot write 'the deck': the disk is full", "intact", "filler",
                                          "talk.pptx", "cannot write 'the deck': the file system is read-only"]


# -- the guard: an output never replaces an input, a folder, a link, or another program's file ----------------

def _lecturegen_deck(path: Path, application: str = "lecturegen") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("docProps/app.xml", f"<Properties><Application>{application}</Application></Properties>")
    return path


def refusal(target: Path, inputs: set[Path] = frozenset(), suffix: str = ".pptx") -> str:  # type: ignore[assignment]
    with pytest.raises(WriteError) as error:
        guard_output(target, suffix, set(inputs), "shown")
    return str(error.value)


def test_a_previous_deck_may_be_replaced(tmp_path: Path) -> None:
    guard_output(_lecturegen_deck(tmp_path / "talk.pptx"), ".pptx", set(), "shown")
    guard_output(tmp_path / "new.pptx", ".pptx", set(), "shown")


def test_an_input_is_never_replaced_by_any_name(tmp_path: Path) -> None:
    template = _lecturegen_deck(tmp_path / "template.pptx")
    expected = "refusing to write over 'shown': it is one of this build's input files (choose another -o path, " \
               "ending in .pptx)"
    assert refusal(template, {template}) == expected
    assert refusal(tmp_path / "x" / ".." / "template.pptx", {template}) == expected
    os.link(template, tmp_path / "hard.pptx")
    assert refusal(tmp_path / "hard.pptx", {template}) == expected
    (tmp_path / "soft.pptx").symlink_to(template)
    assert refusal(tmp_path / "soft.pptx", {template}) == expected


def test_other_files_are_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert refusal(tmp_path / "notes.txt") == "refusing to write 'shown': the output must end in .pptx"
    (tmp_path / "text.pptx").write_text("not a deck", encoding="utf-8")
    assert refusal(tmp_path / "text.pptx") == "refusing to write over 'shown': it exists and is not a .pptx file"
    _lecturegen_deck(tmp_path / "saved.pptx", "Microsoft Office PowerPoint")
    assert refusal(tmp_path / "saved.pptx") == (
        "refusing to write over 'shown': it is a PowerPoint file lecturegen did not write (a template, or a deck "
        "saved from PowerPoint?); move it away or choose another -o path")
    (tmp_path / "folder.pptx").mkdir()
    assert refusal(tmp_path / "folder.pptx") == "cannot write 'shown': it is a folder"
    (tmp_path / "link.pptx").symlink_to(tmp_path / "elsewhere.pptx")
    assert refusal(tmp_path / "link.pptx") == "refusing to write 'shown': it is a symbolic link"
    os.mkfifo(tmp_path / "pipe.pptx")
    assert refusal(tmp_path / "pipe.pptx") == "refusing to write 'shown': it is a FIFO (named pipe), not a file"
    (tmp_path / "report.png").write_bytes(b"GIF89a")
    assert refusal(tmp_path / "report.png", suffix=".png") == "refusing to write over 'shown': it exists and is " \
                                                              "not a .png file"


def test_a_target_the_file_system_cannot_name_is_a_write_error(tmp_path: Path) -> None:
    long = tmp_path / ("n" * (os.pathconf(tmp_path, "PC_NAME_MAX") + 1) + ".pptx")
    assert refusal(long) == "cannot write 'shown': the file name is too long"
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    guard_output(tmp_path / "notes.txt" / "talk.pptx", ".pptx", set(), "shown")  # write_atomic names the file


# -- cache entries: verified before they are served -----------------------------------------------------------

def entry_path(store: Store, key: str) -> Path:
    assert store.folder is not None
    return store.folder / "ns" / key[:2] / key


@pytest.mark.parametrize("damage", ["flip-data", "flip-header", "truncate", "empty", "longer"])
def test_a_damaged_entry_is_discarded(tmp_path: Path, damage: str) -> None:
    store = Store(tmp_path)
    store.put("ns", "abc123", b"payload" * 100)
    path = entry_path(store, "abc123")
    data = bytearray(path.read_bytes())
    if damage == "flip-data":
        data[-3] ^= 0x01
    elif damage == "flip-header":
        data[6] ^= 0x40  # the length
    elif damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "empty":
        data = bytearray()
    else:
        data += b"extra"
    path.write_bytes(bytes(data))
    assert store.get("ns", "abc123") is None
    assert not path.exists()
    store.put("ns", "abc123", b"fresh")
    assert store.get("ns", "abc123") == b"fresh"


def test_a_read_only_store_neither_writes_nor_deletes(tmp_path: Path) -> None:
    Store(tmp_path).put("ns", "abc123", b"payload")
    path = entry_path(Store(tmp_path), "abc123")
    path.write_bytes(path.read_bytes()[:-1])
    reader = Store(tmp_path, writable=False)
    assert reader.get("ns", "abc123") is None
    assert path.exists()
    reader.put("ns", "def456", b"payload")
    reader.prune("ns", 0)
    assert sorted(p.name for p in (tmp_path / "ns").rglob("*") if p.is_file()) == ["abc123"]


def test_temporary_files_are_not_entries(tmp_path: Path) -> None:
    store = Store(tmp_path)
    (tmp_path / "ns" / "ab").mkdir(parents=True)
    (tmp_path / "ns" / "ab" / ".lecturegen-x.tmp").write_bytes(b"half")
    assert not store.has_any("ns")
    store.put("ns", "abc123", b"payload")
    store.prune("ns", 0)
    assert store.get("ns", "abc123") is None
    assert not store.has_any("ns")
