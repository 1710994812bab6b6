"""The bibliography formats through the CLI: refs --bibliography, a talk's `bibliography:` list, no silence."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from lecturegen.cli import main

LIBRARY = Path(__file__).resolve().parent / "fixtures" / "bib" / "library"


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert CliRunner().invoke(main, ["new", str(root)]).exit_code == 0
    return root


def test_refs_reads_csl_json_and_ris(tmp_path: Path) -> None:
    for name in ("library.json", "library.ris"):
        result = CliRunner().invoke(main, ["refs", "--bibliography", str(LIBRARY / name)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[2].startswith("Ólafsdóttir, S., & Jónsson, P. (2021).")


def test_a_csl_json_file_saved_as_bib_fails_with_one_message(tmp_path: Path) -> None:
    target = tmp_path / "zotero.bib"
    shutil.copy(LIBRARY / "library.json", target)
    result = CliRunner().invoke(main, ["refs", "--bibliography", str(target)])
    assert result.exit_code == 1
    assert "is not BibTeX: it looks like CSL-JSON (name it 'zotero.json') [bib.format]" in result.output
    assert "unknown citation key" not in result.output and "Traceback" not in result.output


def test_a_talk_names_several_bibliographies(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "refs").mkdir()
    shutil.copy(LIBRARY / "library.ris", root / "refs" / "shared.ris")
    shutil.copy(LIBRARY / "library.yaml", root / "refs" / "extra.yaml")
    talk = root / "content" / "talks" / "example.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace(
        "style: apa\n", "style: apa\nbibliography: [bibliography.bib, refs/shared.ris, refs/extra.yaml]\n"),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "example", "--root", str(root)])
    assert result.exit_code == 1
    assert "refs/extra.yaml:" in result.output and "duplicate key 'ciezBatteryAgeingElectric2022' (the first is " \
        "at refs/shared.ris:" in result.output
    talk.write_text(talk.read_text(encoding="utf-8").replace(", refs/extra.yaml]", "]"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "example", "--root", str(root)])
    assert result.exit_code == 0, result.output
