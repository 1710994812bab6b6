"""Store tests: installed library versions read from the names of their metadata folders."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from lecturegen.store import versions
from lecturegen.store.versions import installed_version


def test_a_real_installed_library_reports_its_version() -> None:
    assert installed_version("lxml") == importlib.metadata.version("lxml")
    assert installed_version("PyYAML") == installed_version("pyyaml")


def test_a_missing_project_is_a_dash() -> None:
    assert installed_version("no-such-project-here-xyz") == "-"


def test_names_are_normalised_and_the_first_on_the_path_wins(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    (first / "My_Lib-1.2.3.dist-info").mkdir(parents=True)
    (second / "my.lib-9.9.egg-info").mkdir(parents=True)
    (second / "other-0.1.egg-info").mkdir()
    monkeypatch.setattr("sys.path", [str(first), str(tmp_path / "missing"), str(second)])
    versions._installed.cache_clear()
    try:
        assert installed_version("my-lib") == "1.2.3"
        assert installed_version("MY.LIB") == "1.2.3"
        assert installed_version("other") == "0.1"
    finally:
        monkeypatch.undo()
        versions._installed.cache_clear()


def test_a_metadata_folder_without_a_version_is_not_a_version(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nodash.dist-info").mkdir()
    monkeypatch.setattr("sys.path", [str(tmp_path)])
    versions._installed.cache_clear()
    try:
        assert installed_version("nodash") == "-"
    finally:
        monkeypatch.undo()
        versions._installed.cache_clear()
