"""Tests for sources/template_file.py: a template file's bytes read under a size limit, its errors, its overrides."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from lecturegen.sources.template_file import MAX_TEMPLATE_FILE, TemplateError, TemplateOverrides, read_template_bytes


def refusal(path: Path, display: str) -> TemplateError:
    with pytest.raises(TemplateError) as error:
        read_template_bytes(path, display)
    return error.value


def test_a_template_file_is_read_whole(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 40
    (tmp_path / "deck.pptx").write_bytes(blob)
    assert read_template_bytes(tmp_path / "deck.pptx", "themes/x/deck.pptx") == blob


def test_a_file_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "edge.pptx"
    with path.open("wb") as handle:
        handle.truncate(MAX_TEMPLATE_FILE)  # sparse: costs no disk
    assert len(read_template_bytes(path, "edge.pptx")) == MAX_TEMPLATE_FILE


def test_a_file_over_the_limit_is_refused_naming_its_size_and_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.pptx"
    with path.open("wb") as handle:
        handle.truncate(60 * 2**20)
    error = refusal(path, "themes/big/huge.pptx")
    assert error.message == "template 'themes/big/huge.pptx' is 60 MB; the limit is 50 MB"
    assert str(error) == error.message
    assert error.code == "theme.template-too-large"
    assert MAX_TEMPLATE_FILE == 50 * 2**20


def test_the_limit_is_read_when_the_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lecturegen.sources.template_file as template_file

    (tmp_path / "small.pptx").write_bytes(b"x" * (3 * 2**20))
    monkeypatch.setattr(template_file, "MAX_TEMPLATE_FILE", 2 * 2**20)
    error = refusal(tmp_path / "small.pptx", "small.pptx")
    assert error.message == "template 'small.pptx' is 3 MB; the limit is 2 MB"


def test_a_missing_file_is_unreadable_with_the_reason(tmp_path: Path) -> None:
    error = refusal(tmp_path / "gone.pptx", "themes/t/gone.pptx")
    assert error.message == "template 'themes/t/gone.pptx' cannot be read (no such file or directory)"
    assert error.code == "file.unreadable"
    assert error.hint is None


def test_a_folder_is_not_read_as_a_template(tmp_path: Path) -> None:
    (tmp_path / "folder.pptx").mkdir()
    error = refusal(tmp_path / "folder.pptx", "folder.pptx")
    assert error.code == "file.unreadable"
    assert error.message == "template 'folder.pptx' cannot be read (is a directory)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pptx")
    error = refusal(tmp_path / "pipe.pptx", "pipe.pptx")
    assert error.code == "file.unreadable"
    assert error.message.startswith("template 'pipe.pptx' cannot be read ('pipe.pptx' is a FIFO (named pipe)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_the_reason_keeps_the_file_name_as_it_is_spelled(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Corporate.pptx")
    error = refusal(tmp_path / "Corporate.pptx", "Corporate.pptx")
    assert "('Corporate.pptx' is a FIFO (named pipe), not a regular file)" in error.message


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real.pptx").write_bytes(b"PK")
    (tmp_path / "link.pptx").symlink_to(tmp_path / "real.pptx")
    assert refusal(tmp_path / "link.pptx", "link.pptx").code == "file.unreadable"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.pptx"
    path.write_bytes(b"PK")
    path.chmod(0)
    try:
        error = refusal(path, "locked.pptx")
    finally:
        path.chmod(0o600)
    assert error.message == "template 'locked.pptx' cannot be read (permission denied)"


def test_a_template_error_defaults_to_the_template_code_and_no_hint_or_key() -> None:
    error = TemplateError("no layouts")
    assert (error.message, error.code, error.hint, error.theme_key) == ("no layouts", "theme.template", None, None)
    keyed = TemplateError("no master 'X'", "theme.master", hint="name one of: A, B", theme_key="master")
    assert (keyed.code, keyed.hint, keyed.theme_key) == ("theme.master", "name one of: A, B", "master")


def test_overrides_keep_everything_of_the_template_by_default() -> None:
    none = TemplateOverrides()
    assert (none.major_font, none.minor_font, none.title_color, none.master) == (None, None, None, None)
    assert none.scheme == () and none.layouts == ()


def test_overrides_are_values_a_cache_can_key_on() -> None:
    a = TemplateOverrides(major_font="Georgia", scheme=(("accent1", "112233"),), layouts=(("content", "Inhalt"),))
    b = TemplateOverrides(major_font="Georgia", scheme=(("accent1", "112233"),), layouts=(("content", "Inhalt"),))
    assert a == b and hash(a) == hash(b)
    assert a != dataclasses.replace(a, scheme=(("accent1", "445566"),))
    assert a != dataclasses.replace(a, master="1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.master = "Corporate"  # type: ignore[misc]
