"""Tests for lecturegen/__main__.py: `python -m lecturegen` runs the CLI; Ctrl-C is one line and exit 130."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

import lecturegen
from lecturegen.__main__ import INTERRUPTED
from lecturegen.cli import INTERRUPTED as CLI_INTERRUPTED
from lecturegen.cli import main

REPO = Path(__file__).resolve().parents[1]


def python(*args: str) -> subprocess.CompletedProcess[str]:
    """Python with this worktree first on the path, SIGINT at its default as from a terminal."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)


def run_with_cli(body: str, before: str = "") -> subprocess.CompletedProcess[str]:
    """`run()` in a fresh process with `lecturegen.cli.main` replaced by `body` (a function named fake_main).

    run() ends the process itself; an atexit function says how SIGINT is handled while it ends ("after …"),
    and anything printed after run() returned would show that it did not end it."""
    code = textwrap.dedent(f"""\
        import atexit, os, signal, sys
        signal.signal(signal.SIGINT, signal.default_int_handler)
        {before}
        import lecturegen.cli
        """) + textwrap.dedent(body) + textwrap.dedent("""\
        lecturegen.cli.main = fake_main
        atexit.register(lambda: print("after", signal.getsignal(signal.SIGINT) is signal.SIG_IGN))
        from lecturegen.__main__ import run
        run()
        print("run() returned")
        """)
    return python("-c", code)


def test_help_through_python_dash_m_lists_the_commands() -> None:
    result = python("-m", "lecturegen", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: python -m lecturegen [OPTIONS] COMMAND [ARGS]...")
    assert "  build " in result.stdout and "  pull " in result.stdout
    assert result.stderr == ""


def test_version_through_python_dash_m() -> None:
    result = python("-m", "lecturegen", "--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"lecturegen, version {lecturegen.__version__}\n",
                                                                 "")


def test_an_unknown_command_is_a_usage_error_not_a_traceback() -> None:
    result = python("-m", "lecturegen", "biuld")
    assert result.returncode == 2
    assert "No such command 'biuld'" in result.stderr and "Traceback" not in result.stderr


def test_the_interrupted_line_is_the_clis_and_the_packages() -> None:
    assert INTERRUPTED == CLI_INTERRUPTED
    assert INTERRUPTED.encode() in (REPO / "lecturegen" / "__init__.py").read_bytes()


def test_a_keyboard_interrupt_out_of_the_cli_is_one_line_and_exit_130() -> None:
    result = run_with_cli("""\
        def fake_main():
            raise KeyboardInterrupt
        """)
    assert result.returncode == 130
    assert result.stderr == INTERRUPTED + "\n"
    assert result.stdout == ""  # exited at once: nothing after run() ran


def test_a_real_sigint_while_the_cli_runs_is_one_line_and_exit_130() -> None:
    result = run_with_cli("""\
        def fake_main():
            import time
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(30)
        """)
    assert (result.returncode, result.stderr) == (130, INTERRUPTED + "\n")


def test_after_the_command_ends_ctrl_c_is_ignored_and_the_exit_code_kept() -> None:
    result = run_with_cli("""\
        def fake_main():
            sys.exit(3)
        """)
    assert result.returncode == 3, result.stderr
    assert result.stdout.splitlines() == ["after True"]


def test_the_process_ends_as_sys_exit_would_without_the_interpreters_teardown() -> None:
    # Output still buffered is written, a thread that is not a daemon is waited for, a message is an exit 1.
    result = run_with_cli("""\
        import threading, time
        def fake_main():
            sys.stdout.write("buffered, no newline; ")
            threading.Thread(target=lambda: (time.sleep(0.3), print("thread done"))).start()
            sys.exit("a message")
        """)
    assert result.returncode == 1
    assert result.stderr == "a message\n"
    assert result.stdout.splitlines() == ["buffered, no newline; thread done", "after True"]


def test_python_dash_m_lecturegen_keeps_the_commands_exit_code_and_output(tmp_path: Path) -> None:
    (tmp_path / "content" / "talks").mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "lecturegen", "build", "no-such-talk"], capture_output=True,
                            text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "unknown talk 'no-such-talk'" in result.stderr and result.stderr.endswith("nothing written\n")


def test_started_with_dash_m_the_cli_gets_pythons_own_handler_back() -> None:
    # `python -m lecturegen` imports the package with argv[0] == "-m": it installs a quiet handler for the
    # start-up; run() must put Python's handler back, or the CLI would not install its own (it only replaces it).
    result = run_with_cli("""\
        def fake_main():
            print("during", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        """, before='sys.argv[:1] = ["-m"]; import lecturegen; '
                    'print("start", signal.getsignal(signal.SIGINT).__name__)')
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["start _interrupted_at_start", "during True", "after True"]


def test_the_cli_itself_answers_help_through_click() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "build" in result.output
