"""Benchmarks: prints a table of medians (not a test). Run: python bench/run.py [--runs N]."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time of one command and its peak resident memory (KB), via /usr/bin/time when present."""
    start = time.perf_counter()
    if Path("/usr/bin/time").exists():
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, env=env, capture_output=True, text=True)
        peak = int(proc.stderr.strip().splitlines()[-1] or 0)
    else:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        peak = 0
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return elapsed, peak


def median_of(runs: int, cmd: list[str], cwd: Path, before=None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        t, p = timed(cmd, cwd)
        times.append(t)
        peaks.append(p)
    return statistics.median(times), max(peaks)


def generated_talk(root: Path, slides: int) -> None:
    """A talk of `slides` bullet slides in 10 sections, for the scaling benchmark."""
    (root / "content" / "talks").mkdir(parents=True)
    (root / "content" / "sections").mkdir(parents=True)
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copy(REPO / "bibliography.bib", root / "bibliography.bib")
    sections = []
    per = slides // 10
    for s in range(10):
        lines = [f"title: Section {s + 1}", "slides:"]
        for i in range(per):
            lines += [f"  - id: s{s}-{i}", f"    title: Finding {s + 1}.{i + 1}",
                      "    bullets:",
                      "      - Therapists described moments of deep connection [@cooper2005]",
                      "      - Clients saw them as real and caring [@knox2010]",
                      "      - A third point with a few more words in it",
                      "    notes: Say a few sentences about this finding and why it matters here."]
        (root / "content" / "sections" / f"s{s}.yaml").write_text("\n".join(lines) + "\n")
        sections.append(f"  - use: s{s}")
    (root / "content" / "talks" / "big.yaml").write_text(
        f"title: Generated\nslot: {slides * 2}\nagenda: false\nsections:\n" + "\n".join(sections) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "lecturegen"]
    cache = REPO / "build" / ".cache"
    rows: list[tuple[str, float, int, str]] = []

    t, p = median_of(args.runs, exe + ["--help"], REPO)
    rows.append(("lecturegen --help", t, p, "≤ 0.15 s"))
    build = exe + ["build", "keynote-1h", "-o", "build/bench.pptx"]
    t, p = median_of(args.runs, build, REPO, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    rows.append(("keynote-1h cold (all caches empty)", t, p, "≤ 2 s"))
    timed(build, REPO)
    t, p = median_of(args.runs, build, REPO)
    rows.append(("keynote-1h warm, nothing changed", t, p, "≤ 0.6 s"))
    # --force skips the whole-build cache: every slide is compiled and rendered again, but charts,
    # citations and the template come from their caches, as after an edit to one slide.
    t, p = median_of(args.runs, build + ["--force"], REPO)
    rows.append(("keynote-1h after an edit (chart cache hit)", t, p, ""))
    with tempfile.TemporaryDirectory() as tmp:
        generated_talk(Path(tmp), 300)
        timed(exe + ["build", "big"], Path(tmp))
        t, p = median_of(args.runs, exe + ["build", "big", "--force"], Path(tmp))
        rows.append(("generated 300-slide talk, rebuilt", t, p, "≤ 3 s"))
    audiences = exe + ["build", "keynote-1h", "--all-audiences", "--force"]
    seq, p1 = median_of(max(3, args.runs // 2), audiences + ["-j", "1"], REPO)
    rows.append(("4 audiences, one after another", seq, p1, ""))
    par, p2 = median_of(max(3, args.runs // 2), audiences, REPO)
    rows.append((f"4 audiences in parallel ({os.cpu_count()} cores)", par, p2, f"ratio {seq / par:.2f}×"))

    print(f"{'benchmark':<40} {'median s':>9} {'peak MB':>8}  target")
    for name, t, p, target in rows:
        print(f"{name:<40} {t:>9.3f} {p / 1024:>8.0f}  {target}")


if __name__ == "__main__":
    main()
