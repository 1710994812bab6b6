"""CLI behaviour end to end: build, errors, determinism, list, new, timing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation

from lecturegen.cli import main


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_writes_deck_and_one_summary_line(mini: Path) -> None:
    result = run("build", "small", "--root", str(mini))
    assert result.exit_code == 0, result.output
    deck = mini / "build" / "small.pptx"
    assert deck.is_file()
    assert result.stdout.strip().startswith("built build/small.pptx: ")
    assert "slides" in result.stdout


def test_two_builds_are_byte_identical(mini: Path, tmp_path: Path) -> None:
    run("build", "small", "--root", str(mini), "-o", str(tmp_path / "a.pptx"))
    run("build", "small", "--root", str(mini), "-o", str(tmp_path / "b.pptx"))
    assert (tmp_path / "a.pptx").read_bytes() == (tmp_path / "b.pptx").read_bytes()


def test_source_date_epoch_is_honoured(mini: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run("build", "small", "--root", str(mini), "-o", str(tmp_path / "a.pptx"))
    prs = Presentation(str(tmp_path / "a.pptx"))
    assert prs.core_properties.modified.year == 2023


def test_broken_outline_is_located_and_keeps_previous_deck(mini: Path) -> None:
    assert run("build", "small", "--root", str(mini)).exit_code == 0
    deck = mini / "build" / "small.pptx"
    before = deck.read_bytes()
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace("    bullets:", "    bulets:"), encoding="utf-8")
    result = run("build", "small", "--root", str(mini))
    assert result.exit_code == 1
    assert ("content/sections/intro.yaml:7:5: error: unknown key 'bulets' in bullets slide "
            "(did you mean 'bullets'?) [yaml.unknown-key]") in result.stderr
    assert "content/sections/intro.yaml:4:5: error: bullets slide is missing the required key 'bullets' " \
           "[yaml.missing-key]" in result.stderr
    assert "Traceback" not in result.output
    assert deck.read_bytes() == before


def test_unknown_citation_key_has_did_you_mean(mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace("[@cooper2005]", "[@coper2005]", 1), encoding="utf-8")
    result = run("build", "small", "--root", str(mini))
    assert result.exit_code == 1
    assert ("content/sections/intro.yaml:8:9: error: unknown citation key 'coper2005' "
            "(did you mean 'cooper2005'?) [cite.unknown]") in result.stderr


def test_unknown_talk_suggests_a_name(mini: Path) -> None:
    result = run("build", "smal", "--root", str(mini))
    assert result.exit_code == 1
    assert "error: unknown talk 'smal' (did you mean 'small'?) [talk.unknown]" in result.stderr


def test_unknown_theme_is_located(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text().replace("theme: calm", "theme: clam"), encoding="utf-8")
    result = run("build", "small", "--root", str(mini))
    assert result.exit_code == 1
    assert "content/talks/small.yaml:6:8: error: unknown theme 'clam' (did you mean 'calm'?) [theme.unknown]" \
        in result.stderr


def test_strict_turns_warnings_into_failure_and_writes_nothing(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text().replace("slot: 10", "slot: 60"), encoding="utf-8")
    result = run("build", "small", "--root", str(mini), "--strict")
    assert result.exit_code == 1
    assert "[timing.under]" in result.stderr
    assert not (mini / "build" / "small.pptx").exists()


def test_timing_json_totals(mini: Path) -> None:
    result = run("timing", "small", "--root", str(mini), "--format", "json", "--start", "14:00")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["slot"] == 10
    assert data["slides"][0]["clock_start"] == "14:00"
    assert abs(sum(s["minutes"] for s in data["slides"]) - data["total"]) < 0.05
    assert data["slides"][-1]["kind"] == "reserved"


def test_timing_rejects_a_bad_start(mini: Path) -> None:
    result = CliRunner().invoke(main, ["timing", "small", "--root", str(mini), "--start", "25:99"])
    assert result.exit_code == 2
    assert "'25:99' is not a time like 14:00" in result.output


def test_list_shows_talks_themes(mini: Path) -> None:
    result = run("list", "--root", str(mini))
    assert result.exit_code == 0
    assert "small" in result.stdout and "slot   10 min" in result.stdout and "calm" in result.stdout


def test_new_scaffolds_a_workspace_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    assert run("new", str(target)).exit_code == 0
    result = run("build", "example", "--root", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "build" / "example.pptx").is_file()
    assert run("new", str(target)).exit_code == 1  # not empty any more


def test_refs_prints_only_cited_works(mini: Path) -> None:
    result = run("refs", "small", "--root", str(mini))
    assert result.exit_code == 0, result.output
    assert "Cooper, M. (2005)." in result.stdout
    assert "Nobody" not in result.stdout
    assert "https://doi.org/10.1080/17441690500211130" in result.stdout


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("lecturegen, version ")
    for command in ("build", "check", "timing", "refs", "handout", "list", "new"):
        assert run(command, "--help").exit_code == 0


def test_unchanged_rebuild_reuses_the_deck_and_an_edit_is_never_stale(mini: Path, tmp_path: Path) -> None:
    first = run("build", "small", "--root", str(mini))
    deck = mini / "build" / "small.pptx"
    original = deck.read_bytes()
    again = run("build", "small", "--root", str(mini))
    assert again.stdout == first.stdout and again.stderr == first.stderr  # same summary, same warnings
    assert deck.read_bytes() == original
    assert any(p.is_file() for p in (mini / "build" / ".cache" / "builds").rglob("*"))
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace("First findings", "First results"), encoding="utf-8")
    assert run("build", "small", "--root", str(mini)).exit_code == 0
    prs = Presentation(str(deck))
    assert prs.slides[3].shapes.title.text == "First results"
    forced = run("build", "small", "--root", str(mini), "--force", "-o", str(tmp_path / "forced.pptx"))
    assert forced.exit_code == 0
    assert (tmp_path / "forced.pptx").read_bytes() == deck.read_bytes()


def test_export_pdf_without_libreoffice_says_what_to_install(mini: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lecturegen.render import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    result = run("export-pdf", "small", "--root", str(mini))
    assert result.exit_code == 1
    assert "to export the deck as PDF lecturegen needs LibreOffice, and it is not installed" in result.stderr
    assert "apt-get install libreoffice-impress" in result.stderr
    assert not (mini / "build" / "small.pdf").exists()


def test_build_pdf_writes_one_page_per_slide(mini: Path) -> None:
    import shutil as sh

    if sh.which("soffice") is None:
        import pytest

        pytest.skip("LibreOffice is not installed; .ci/setup installs it")
    from pypdf import PdfReader

    result = run("build", "small", "--root", str(mini), "--pdf")
    assert result.exit_code == 0, result.output
    assert "wrote build/small.pdf" in result.stdout
    slides = len(Presentation(str(mini / "build" / "small.pptx")).slides)
    assert len(PdfReader(str(mini / "build" / "small.pdf")).pages) == slides


# -- clean edges: Ctrl-C, devices and pipes where a path is accepted ------------------------------------------

def test_ctrl_c_in_any_command_is_one_line_and_exit_130(mini: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lecturegen import commands
    from lecturegen.cli import INTERRUPTED

    def pressed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    for name in ("build_one", "check_talk", "timing_report", "write_handout", "reference_list", "list_workspace"):
        monkeypatch.setattr(commands, name, pressed)
    for args in (["build", "small"], ["check", "small"], ["timing", "small"], ["handout", "small"],
                 ["refs", "small"], ["list"]):
        result = CliRunner().invoke(main, [*args, "--root", str(mini)])
        assert (result.exit_code, result.stderr) == (130, INTERRUPTED + "\n"), (args, result.output)
        assert result.stdout == ""


def test_ctrl_c_sent_to_the_process_group_of_a_check(mini: Path) -> None:
    """SIGINT to the whole group, as a terminal sends it, at several moments of a real `check` (the command
    of a single process: the worker processes `build` starts are tests/test_interrupt.py's, see
    store/processes.py)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from lecturegen.cli import INTERRUPTED

    # Ctrl-C during Python's start-up and the import of the CLI (before any code of ours runs) is Python's to
    # report: the signal is sent once the command runs.
    # The entry point of the `lecturegen` command and of `python -m lecturegen`: it also keeps Ctrl-C quiet while
    # the interpreter shuts down after the command (a check may end just as the signal comes).
    started = ("import sys; from lecturegen.__main__ import run; import lecturegen.cli; sys.stderr.write('ready\\n'); "
               "sys.stderr.flush(); run()")
    outcomes = []
    for delay in (0.3, 0.6, 1.0, 1.6):
        process = subprocess.Popen([sys.executable, "-c", started, "check", "small", "--root", str(mini)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                   # as from a terminal: a test runner started in the background ignores SIGINT
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert process.stderr is not None and process.stderr.readline() == "ready\n"
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
        assert "Traceback" not in out + err
        assert process.returncode in (0, 1, 130), err
        if process.returncode == 130:
            assert err == INTERRUPTED + "\n"
        outcomes.append(process.returncode)
    assert 130 in outcomes


def test_devices_and_pipes_are_named_wherever_a_path_is_accepted(mini: Path, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.bib"
    os.mkfifo(fifo)
    out_fifo = tmp_path / "deck.pptx"
    os.mkfifo(out_fifo)
    png_fifo = tmp_path / "report.png"
    os.mkfifo(png_fifo)
    cases = [
        (["refs", "--bibliography", "/dev/zero"], "error: bibliography '/dev/zero' is a character device, not a file"),
        (["refs", "--bibliography", str(fifo)], f"error: bibliography '{fifo}' is a FIFO (named pipe), not a file"),
        (["refs", "--style", str(fifo.with_suffix(".csl")), "--bibliography", str(mini / "bibliography.bib")], None),
        (["build", "small", "-o", "/dev/null"], "error: refusing to write '/dev/null': it is a character device, "
                                                "not a file"),
        (["build", "small", "-o", str(out_fifo)], f"error: refusing to write '{out_fifo}': it is a FIFO (named pipe), "
                                                  "not a file"),
        (["check", "small", "--design-report", str(png_fifo)], f"error: refusing to write '{png_fifo}': it is a FIFO "
                                                               "(named pipe), not a file"),
    ]
    os.mkfifo(fifo.with_suffix(".csl"))
    cases[2] = (cases[2][0], f"error: citation style '{fifo.with_suffix('.csl')}' is a FIFO (named pipe), not a .csl "
                             "file [cite.style]")
    for args, line in cases:
        result = CliRunner().invoke(main, [*args, "--root", str(mini)])
        assert result.exit_code == 1, (args, result.output)
        assert line in result.stderr, (args, result.stderr)
