"""cli_options.py: the workspace and audience options every command shares, and content errors as exit 1."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from lecturegen.cli_options import (ROOT_OPTION, InterruptibleGroup, audience_options, chosen_audiences,
                                    open_workspace, print_diagnostics, run_command)
from lecturegen.diagnostics import Diagnostic, Diagnostics, LecturegenError, Location


@click.group(cls=InterruptibleGroup)
def cli() -> None:
    """A group of test commands made of the shared options."""


@cli.command()
@audience_options
@click.option("-o", "--output", type=click.Path(path_type=Path))
@click.option("--start", default=None)
@ROOT_OPTION
def audiences(audience: tuple[str, ...], all_audiences: bool, output: Path | None, start: str | None,
              root: Path | None) -> None:
    names = chosen_audiences(open_workspace(root), audience, all_audiences, None, output, start)
    click.echo(" ".join(str(n) for n in names))


@cli.command()
@click.option("--fail", is_flag=True)
def stop(fail: bool) -> None:
    def action() -> int:
        if fail:
            diags = Diagnostics()
            diags.error("no such slide kind 'bulets'", "outline.kind", Location("content/talks/t.yaml", 3, 7))
            raise LecturegenError(diags.sorted())
        return 0

    run_command(action)


def _workspace(tmp_path: Path, *audiences: str) -> Path:
    (tmp_path / "content" / "talks").mkdir(parents=True)
    (tmp_path / "content" / "audiences").mkdir()
    for name in audiences:
        (tmp_path / "content" / "audiences" / f"{name}.yaml").write_text("name: x\n", encoding="utf-8")
    return tmp_path


def test_the_audiences_asked_for_or_every_profile(tmp_path: Path) -> None:
    root = str(_workspace(tmp_path, "mdt", "trainees"))
    runner = CliRunner()
    assert runner.invoke(cli, ["audiences", "--root", root]).output == "None\n"
    assert runner.invoke(cli, ["audiences", "--root", root, "-a", "mdt"]).output == "mdt\n"
    assert runner.invoke(cli, ["audiences", "--root", root, "--all-audiences"]).output == "mdt trainees\n"


def test_one_output_file_for_several_audiences_and_a_bad_start_are_usage_errors(tmp_path: Path) -> None:
    root = str(_workspace(tmp_path, "mdt", "trainees"))
    runner = CliRunner()
    several = runner.invoke(cli, ["audiences", "--root", root, "--all-audiences", "-o", "x.pptx"])
    assert several.exit_code == 2
    assert "-o/--output names one file; it cannot be used with several audiences" in several.output
    late = runner.invoke(cli, ["audiences", "--root", root, "--start", "teatime"])
    assert late.exit_code == 2 and "'teatime' is not a time like 14:00" in late.output


def test_a_folder_without_talks_is_not_a_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audiences", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a lecturegen workspace (no content/talks/ folder)" in result.output


def test_content_errors_are_located_lines_and_exit_1_without_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["stop", "--fail"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["content/talks/t.yaml:3:7: error: no such slide kind 'bulets' "
                                          "[outline.kind]", "1 error; nothing written"]
    assert CliRunner().invoke(cli, ["stop"]).exit_code == 0


def test_strict_prints_warnings_as_errors_and_info_only_when_asked(capsys) -> None:  # type: ignore[no-untyped-def]
    at = Location("content/talks/t.yaml", 2, 1)
    items = [Diagnostic("warning", "thirty-one words", "design.words", at),
             Diagnostic("info", "built in 2 s", "build.time", at)]
    print_diagnostics(items, strict=True)
    assert capsys.readouterr().err == "content/talks/t.yaml:2:1: error: thirty-one words [design.words]\n"
