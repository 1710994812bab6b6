"""Benchmark: `lecturegen pull` on keynote-1h after a presenter's edits, and `import` of a 100-slide deck.

Run: python bench/roundtrip.py [--runs N] [--repo PATH]
Each timing is a whole command as a user runs it (a child process: start-up, imports, reading, diff), the
median of N runs after one warm-up. The issue's budget is under 2 s for each. Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_REPO = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1767225600"


def _run(args: list[str], cwd: Path, repo: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(repo), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lecturegen", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    return time.perf_counter() - began, done


def _edit_like_a_presenter(deck: Path) -> int:
    """Retitle three slides, retype a bullet, change two notes, hide one slide, delete one: 8 edits."""
    from pptx import Presentation

    prs = Presentation(str(deck))
    slides = list(prs.slides)
    edits = 0
    for slide in slides[4:7]:
        if slide.shapes.title is not None and slide.shapes.title.text_frame.text:
            slide.shapes.title.text_frame.paragraphs[0].runs[0].text += " (revised)"
            edits += 1
    for slide in slides[8:]:
        bodies = [s for s in slide.placeholders if s.placeholder_format.idx == 1 and s.has_text_frame
                  and len(s.text_frame.paragraphs) > 1 and s.text_frame.paragraphs[0].runs]
        if bodies:
            bodies[0].text_frame.paragraphs[0].runs[0].text += " indeed"
            edits += 1
            break
    for slide in slides[10:14]:
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame.paragraphs
            if len(notes) > 1 and notes[1].runs:
                notes[1].runs[0].text = "Rehearsed: " + notes[1].runs[0].text
                edits += 1
    slides[15].element.set("show", "0")
    ids = prs.slides._sldIdLst
    victim = list(ids)[17]
    prs.part.drop_rel(victim.rId)
    ids.remove(victim)
    prs.save(str(deck))
    return edits + 2


def _hundred_slide_deck(path: Path) -> None:
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    png = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 140)).save(png, "PNG")
    prs = Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = "A deck of a hundred slides"
    for n in range(1, 100):
        if n % 20 == 1:
            header = prs.slides.add_slide(prs.slide_layouts[2])
            header.shapes.title.text = f"Part {n // 20 + 1}"
            continue
        if n % 10 == 5:
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            slide.shapes.title.text = f"Picture {n}"
            pic = slide.shapes.add_picture(io.BytesIO(png.getvalue()), Inches(1), Inches(2), Inches(4), Inches(3))
            pic._element.nvPicPr.cNvPr.set("descr", f"Picture number {n}")
            continue
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"Slide {n}: what we found"
        body = slide.placeholders[1].text_frame
        body.text = f"Finding {n} in a few words"
        for k in range(3):
            p = body.add_paragraph()
            p.text, p.level = f"detail {k} of finding {n}", 1 if k else 0
        slide.notes_slide.notes_text_frame.text = f"What to say about slide {n}, in a sentence or two."
    prs.save(str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repo", type=Path, default=BENCH_REPO, help="the lecturegen checkout to time")
    args = parser.parse_args()
    repo = args.repo.resolve()
    with tempfile.TemporaryDirectory(prefix="lecturegen-roundtrip-") as tmp:
        work = Path(tmp) / "ws"
        for name in ("content", "themes"):
            shutil.copytree(repo / name, work / name)
        shutil.copy(repo / "bibliography.bib", work / "bibliography.bib")
        seconds, done = _run(["build", "keynote-1h"], work, repo)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        edits = _edit_like_a_presenter(work / "build" / "keynote-1h.pptx")
        _run(["pull", "keynote-1h"], work, repo)  # warm-up: the page cache, bytecode
        pulls = []
        for _ in range(args.runs):
            seconds, done = _run(["pull", "keynote-1h"], work, repo)
            pulls.append(seconds)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()
        deck = Path(tmp) / "hundred.pptx"
        _hundred_slide_deck(deck)
        imports = []
        for run in range(args.runs + 1):
            seconds, done = _run(["import", str(deck), "--into", str(Path(tmp) / f"imported-{run}")], Path(tmp),
                                 repo)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            if run:
                imports.append(seconds)
        print(f"pull keynote-1h ({edits} edits): median {statistics.median(pulls):.2f} s over {args.runs} runs "
              f"(min {min(pulls):.2f}, max {max(pulls):.2f}) — {summary}")
        print(f"import of a 100-slide deck: median {statistics.median(imports):.2f} s over {args.runs} runs "
              f"(min {min(imports):.2f}, max {max(imports):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
