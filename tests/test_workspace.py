"""The one resolver for files the build reads: real symbolic links, pipes and folders in a tmp workspace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.workspace import InputPathError, InputTooLargeError, Workspace, check_input_path, read_input

AT = Location("content/sections/intro.yaml", 22, 12)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "content" / "images").mkdir(parents=True)
    (root / "content" / "images" / "photo.png").write_bytes(b"png")
    (root / "shared").mkdir()
    (root / "shared" / "logo.png").write_bytes(b"logo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("password", encoding="utf-8")
    return root


def refused(root: Path, relative: str, base: str = "content/images") -> str:
    diags = Diagnostics()
    assert Workspace(root).resolve_input(relative, root / base, diags, AT, "image") is None
    [line] = [d.render() for d in diags.items]
    return line


def test_plain_and_linked_files_inside_resolve_to_their_real_path(ws: Path) -> None:
    images = ws / "content" / "images"
    (images / "logo.png").symlink_to(ws / "shared" / "logo.png")  # absolute target, inside
    (images / "rel.png").symlink_to(Path("..") / ".." / "shared" / "logo.png")  # relative target, inside
    (ws / "content" / "linked").symlink_to(ws / "shared", target_is_directory=True)
    root = Workspace(ws)
    for name, real in (("photo.png", images / "photo.png"), ("logo.png", ws / "shared" / "logo.png"),
                       ("rel.png", ws / "shared" / "logo.png"), ("../linked/logo.png", ws / "shared" / "logo.png")):
        assert root.resolve_input(name, images, Diagnostics(), AT, "image") == real.resolve(), name


def test_dot_dot_and_absolute_paths_that_leave_are_refused(ws: Path) -> None:
    prefix = "content/sections/intro.yaml:22:12: error: image path"
    assert refused(ws, "../../../outside/secret.txt") == (
        f"{prefix} '../../../outside/secret.txt' points outside the workspace [path.escape]")
    assert refused(ws, str(ws.parent / "outside" / "secret.txt")).endswith("points outside the workspace [path.escape]")
    # leaving and coming back in is still leaving
    assert refused(ws, "../../../ws/content/images/photo.png").endswith("points outside the workspace [path.escape]")


def test_a_link_out_of_the_workspace_is_refused_at_any_depth(ws: Path) -> None:
    images = ws / "content" / "images"
    (images / "secret.png").symlink_to(ws.parent / "outside" / "secret.txt")
    assert refused(ws, "secret.png") == (
        "content/sections/intro.yaml:22:12: error: image path 'secret.png' points outside the workspace through the "
        "symbolic link 'content/images/secret.png' [path.escape]")
    (images / "door").symlink_to(ws.parent / "outside", target_is_directory=True)
    assert refused(ws, "door/secret.txt").endswith("through the symbolic link 'content/images/door' [path.escape]")
    # A link out of the workspace that links back in still leaves it on the way.
    (ws.parent / "outside" / "back.png").symlink_to(images / "photo.png")
    (images / "detour.png").symlink_to(ws.parent / "outside" / "back.png")
    assert refused(ws, "detour.png").endswith("through the symbolic link 'content/images/detour.png' [path.escape]")


def test_links_above_the_workspace_are_not_its_business(tmp_path: Path, ws: Path) -> None:
    (tmp_path / "alias").symlink_to(ws, target_is_directory=True)
    alias = tmp_path / "alias"
    assert Workspace(alias).resolve_input("photo.png", alias / "content" / "images", Diagnostics(), AT,
                                          "image") == (ws / "content" / "images" / "photo.png").resolve()


def test_folders_pipes_missing_files_and_loops_are_named(ws: Path) -> None:
    images = ws / "content" / "images"
    (images / "album.png").mkdir()
    os.mkfifo(images / "pipe.png")
    (images / "a.png").symlink_to(images / "b.png")
    (images / "b.png").symlink_to(images / "a.png")
    prefix = "content/sections/intro.yaml:22:12: error: image"
    assert refused(ws, "album.png") == f"{prefix} 'album.png' is a folder, not a file [path.not-a-file]"
    assert refused(ws, "pipe.png") == (f"{prefix} 'pipe.png' is a FIFO (named pipe), not a regular file "
                                       "[path.not-a-file]")
    assert refused(ws, "gone.png") == f"{prefix} 'gone.png' does not exist [path.missing]"
    assert refused(ws, "a.png") == f"{prefix} path 'a.png' has a loop of symbolic links [path.invalid]"
    assert refused(ws, "") == "content/sections/intro.yaml:22:12: error: empty or invalid image path [path.invalid]"


def test_check_input_path_raises_for_callers_outside_the_load_layer(ws: Path) -> None:
    """compile/citations.py resolves `.csl` styles with it and turns the error into its own."""
    with pytest.raises(InputPathError) as caught:
        check_input_path(ws, "../outside/secret.txt", ws, "citation style")
    assert (caught.value.message, caught.value.code) == (
        "citation style path '../outside/secret.txt' points outside the workspace", "path.escape")


def test_read_input_never_follows_a_swapped_link_and_caps_the_size(ws: Path) -> None:
    photo = ws / "content" / "images" / "photo.png"
    assert read_input(photo, 10) == b"png"
    with pytest.raises(InputTooLargeError) as caught:
        read_input(photo, 2)
    assert caught.value.size == 3
    photo.unlink()
    photo.symlink_to(ws.parent / "outside" / "secret.txt")  # swapped after the check
    with pytest.raises(OSError):
        read_input(photo, 100)


def test_a_pipe_does_not_block_the_reader(ws: Path) -> None:
    pipe = ws / "content" / "images" / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OSError):
        read_input(pipe, 100)  # opened non-blocking, refused as not a regular file


def test_names_that_are_folders_are_not_listed(ws: Path) -> None:
    talks = ws / "content" / "talks"
    (talks / "keynote-1h.yaml").mkdir(parents=True)
    (talks / "real.yaml").write_text("title: x\n", encoding="utf-8")
    assert Workspace(ws).talk_names() == ["real"]


def test_display_names_a_link_as_the_user_wrote_it(ws: Path) -> None:
    link = ws / "content" / "images" / "logo.png"
    link.symlink_to(ws / "shared" / "logo.png")
    assert Workspace(ws).display(link) == "content/images/logo.png"
