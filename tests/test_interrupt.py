"""Ctrl-C (SIGINT to the process group, as a terminal sends it) during a cold `build` that draws charts in
worker processes: one line, exit 130, no traceback from the build or a worker, nothing of the session left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lecturegen.cli import INTERRUPTED
from lecturegen.store.charts import POOL_SETTING  # a pool whatever the load: it is what is tested
from tests.test_corpus import CHART_SLIDE, GOOD_CSV, GOOD_SIDECAR, SECTION

REPO = Path(__file__).resolve().parent.parent
# The moments the signal is sent, in seconds after the package is imported: while the CLI is imported,
# loads, compiles (the workers starting and loading matplotlib), draws and writes.
DELAYS = (0.0, 0.15, 0.5, 1.0, 2.0, 3.5)


def _session_members(session: int) -> list[int]:
    """Processes of a session (a worker in a process group of its own stays in its build's session)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry.name))
    return members


@pytest.fixture
def charted(mini: Path) -> Path:
    """The mini workspace with three picture charts, drawn in a pool of workers (see below)."""

    (mini / "content" / "data").mkdir(parents=True, exist_ok=True)
    (mini / "content" / "data" / "rel.csv").write_text(GOOD_CSV)
    (mini / "content" / "data" / "rel.yaml").write_text(GOOD_SIDECAR)
    with open(mini / SECTION, "a", encoding="utf-8") as section:
        for n in range(3):
            section.write(CHART_SLIDE.replace("title: Reliability", f"title: Reliability {n}"))
    return mini


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the session's processes")
def test_ctrl_c_during_a_cold_build_with_chart_workers(charted: Path, tmp_path: Path) -> None:
    outcomes = []
    for delay in DELAYS:
        root = tmp_path / f"ws-{delay}"
        shutil.copytree(charted, root)
        # As from a terminal: SIGINT at its default (a test runner started in the background ignores it).
        process = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "lecturegen", "build", "small",
                                    "--root", str(root)], cwd=REPO, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True,
                                   env={**os.environ, "PYTHONPATH": str(REPO), POOL_SETTING: "always"},
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert process.stderr is not None
        # -X importtime reports each import as it ends: once the package is imported, Python's start-up is over
        # (a signal before that is the interpreter's own to report) and lecturegen's entry point runs.
        for line in process.stderr:
            if line.rstrip().endswith("| lecturegen"):
                break
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
        err = "\n".join(line for line in err.splitlines() if not line.startswith("import time:"))
        assert "Traceback" not in out + err, (delay, err)
        assert "KeyboardInterrupt" not in out + err, (delay, err)
        assert process.returncode in (0, 130), (delay, process.returncode, err)
        if process.returncode == 130:
            assert err == INTERRUPTED, (delay, err)
            assert not (root / "build" / "small.pptx").exists() or (root / "build" / "small.pptx").stat().st_size
        for _ in range(50):  # a worker killed by the build may take a moment to be reaped
            left = _session_members(process.pid)
            if not left:
                break
            time.sleep(0.1)
        assert not left, f"{delay}: processes of the build's session outlived it: {left}"
        outcomes.append(process.returncode)
    assert outcomes.count(130) >= 2, outcomes
