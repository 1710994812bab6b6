"""Red team, round three: hostile pictures, links, slide counts and tools, each run by the real CLI as a process
of its own under a CPU-time and an address-space limit.

Each case patches a copy of the `mini` workspace (as tests/test_corpus.py does; the pictures are made here
with Pillow) and asserts: the exit code, the exact error lines, no traceback, the previous deck byte for
byte when the case fails, no live link in the deck but http(s)/mailto, every XML part parsed, no process
of the command's group left behind, and the peak resident size of the command under `MAX_RSS_MB`.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from tests.conftest import MINI_BIB
from tests.test_corpus import SECTION, TALK, Case, _apply

REPO = Path(__file__).resolve().parent.parent
CPU_SECONDS = 20  # the budget every hostile case must end within, in CPU time of the command
MAX_RSS_MB = 500
ADDRESS_SPACE = 4 * 1024**3  # a runaway allocation fails here instead of taking the machine down
WALL_SECONDS = 120  # the VM is shared: wall time is only a backstop


def _png(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int, idat: bytes = zlib.compress(b"")) -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))


def _exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    return _png(Image.new("RGB", (400, 300), "red"), "JPEG", exif=exif.tobytes())


def _truncated_jpeg() -> bytes:
    whole = _png(Image.linear_gradient("L").resize((800, 600)).convert("RGB"), "JPEG")
    return whole[: len(whole) // 2]


def image_slide(name: str) -> dict[str, str]:
    return {SECTION: f"  - kind: image\n    title: A photo\n    image: {name}\n    alt: Two chairs facing each other\n"}


AT_IMAGE = "content/sections/intro.yaml:22:12"


@dataclass
class Hostile:
    name: str
    case: Case
    command: tuple[str, ...] = ("build", "small")
    exit: int = 1
    expect: list[str] = field(default_factory=list)  # error lines, exactly (stderr may hold warnings besides)
    stderr_has: tuple[str, ...] = ()


def _talk_key(line: str) -> dict[str, list[tuple[str, str]]]:
    return {TALK: [("slot: 10", f"slot: 10\n{line}")]}


HOSTILE: list[Hostile] = [
    Hostile("image-garbage-pixels-valid-crc", Case("g", files={"content/images/photo.png": _png_header(
        100, 100, bytes(range(256)) * 20)}, append=image_slide("photo.png")),
        expect=[f"{AT_IMAGE}: error: 'photo.png' is a damaged PNG: broken data stream when reading image file "
                "[image.invalid]"]),
    Hostile("image-garbage-pixels-in-the-handout", Case("g", files={"content/images/photo.png": _png_header(
        100, 100, bytes(range(256)) * 20)}, append=image_slide("photo.png")), command=("handout", "small"),
        expect=[f"{AT_IMAGE}: error: 'photo.png' is a damaged PNG: broken data stream when reading image file "
                "[image.invalid]"]),
    Hostile("image-truncated-jpeg-in-the-handout", Case("t", files={"content/images/photo.jpg": _truncated_jpeg()},
                                                        append=image_slide("photo.jpg")), command=("handout", "small"),
            stderr_has=(f"{AT_IMAGE}: error: 'photo.jpg' is a damaged JPEG: image file is truncated",)),
    Hostile("image-cmyk-jpeg-in-the-word-handout", Case("c", files={
        "content/images/photo.jpg": _png(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG")},
        append=image_slide("photo.jpg")), command=("handout", "small", "--format", "docx"), exit=0),
    Hostile("image-bomb-30000-squared", Case("b", files={"content/images/photo.png": _png_header(30000, 30000)},
                                             append=image_slide("photo.png")),
            expect=[f"{AT_IMAGE}: error: image 'photo.png' has 900,000,000 pixels; the limit is 100 megapixels "
                    "[image.too-large]"]),
    Hostile("logo-bomb-gif", Case("l", files={"themes/calm/logo.gif": b"GIF89a" + struct.pack("<HH", 30000, 30000)
                                              + b"\x00\x00\x00," + b"\x00" * 4 + struct.pack("<HH", 30000, 30000)
                                              + b"\x00\x02\x00;"},
                                  append={"themes/calm/theme.yaml": "logo: logo.gif\n"}),
            stderr_has=("error: image 'themes/calm/logo.gif' has 900,000,000 pixels; the limit is 100 megapixels "
                        "[image.too-large]",)),
    Hostile("image-just-under-the-pixel-limit-in-the-handout", Case("u", files={
        "content/images/photo.jpg": _png(Image.new("RGB", (9999, 9999), "grey"), "JPEG", quality=50)},
        append=image_slide("photo.jpg")), command=("handout", "small"), exit=0),
    Hostile("image-exif-rotated-builds", Case("r", files={"content/images/photo.jpg": _exif_rotated()},
                                              append=image_slide("photo.jpg")), exit=0),
    Hostile("image-is-a-fifo", Case("f", fifos=("content/images/photo.png",), files={"content/images/.keep": ""},
                                    append=image_slide("photo.png")),
            expect=[f"{AT_IMAGE}: error: image 'photo.png' is a FIFO (named pipe), not a regular file "
                    "[path.not-a-file]"]),
    Hostile("references-url-javascript", Case("j", edits=_talk_key(
        'references_url: "javascript:alert(document.cookie)//https://x"')),
        expect=["content/talks/small.yaml:6:17: error: 'references_url' link 'javascript:alert(document.cookie)//"
                "https://x' has 'javascript:' scheme; only http, https and mailto links are written [link.unsafe]"]),
    Hostile("references-url-file", Case("f", edits=_talk_key("references_url: file:///etc/passwd")),
            expect=["content/talks/small.yaml:6:17: error: 'references_url' link 'file:///etc/passwd' has 'file:' "
                    "scheme; only http, https and mailto links are written [link.unsafe]"]),
    Hostile("references-url-credentials", Case("c", edits=_talk_key(
        "references_url: http://user:pass@evil.example@good.example/")),
        expect=["content/talks/small.yaml:6:17: error: 'references_url' link 'http://user:pass@evil.example@good."
                "example/' carries a user name or password (the part before '@'); links may not [link.unsafe]"]),
    Hostile("references-url-crlf", Case("n", edits=_talk_key('references_url: "http://x.example/\\r\\nA: b"')),
            stderr_has=("contains the invisible, control or direction character U+000D",)),
    Hostile("references-url-800-zero-width-spaces", Case("z", edits=_talk_key(
        'references_url: "https://x.example/' + "\\u200b" * 800 + '"')),
        stderr_has=("contains the invisible, control or direction character U+200B",)),
    Hostile("references-url-too-long-for-a-qr-code", Case("q", edits=_talk_key(
        "references_url: https://x.example/" + "é" * 1200)),  # 1,218 characters, 2,418 bytes
        stderr_has=("is 2,418 bytes; a QR code holds at most 2,331 (version 40, error correction M) [link.unsafe]",)),
    Hostile("inline-link-data-url", Case("d", edits={SECTION: [("statement: \"8 of 8\"",
                                                                "statement: \"8 of 8 [x](data:text/html,hi)\"")]}),
            exit=0, stderr_has=("link 'data:text/html,hi' has 'data:' scheme",)),
    Hostile("audience-inserts-past-the-slide-cap", Case("a", files={"content/audiences/team.yaml": (
        "title: Team\ninsert:\n  - after: first\n    slides:\n"
        + "".join(f"      - {{kind: bullets, title: Extra {i}, bullets: [x]}}\n" for i in range(150)))}),
        command=("build", "small", "--audience", "team"),
        stderr_has=("slides here, counting audience insertions and '(cont.)' continuations (the limit is 100, 5 a "
                    "minute of a 10-minute slot) [outline.too-large]",)),
    Hostile("continuations-past-the-slide-cap", Case("c", append={SECTION: (
        "  - kind: bullets\n    title: Everything\n    split: true\n    bullets:\n"
        + "".join(f"      - point number {i} of a list no slide can hold\n" for i in range(1500)))}),
        stderr_has=("(the limit is 100, 5 a minute of a 10-minute slot) [outline.too-large]",)),
]

# -- budgets inside the limits: per-operation work linear and bounded ---------------------------------------------
CROWDED_CSV = "sample,alpha,beta\n" + "".join(f"Sample number {i},{i % 97 / 10},{i % 13}\n" for i in range(1000))
CROWDED_SIDECAR = ("title: Many samples\nsource: cooper2005\ncolumns:\n  sample: text\n  alpha: number\n"
                   "  beta: number\n")


def crowded_chart(options: str) -> Case:
    return Case("n", files={"content/data/many.csv": CROWDED_CSV, "content/data/many.yaml": CROWDED_SIDECAR},
                append={SECTION: "  - kind: chart\n    title: Every sample\n"
                        f"    chart: {{data: many, x: sample, native: true, {options}}}\n"})


def _works(n: int) -> str:
    return "".join(f"@article{{w{i},\n  author = {{Author{i}, Ann and Other, Bob}},\n  title = {{Work number {i}}},\n"
                   f"  journal = {{Journal {i % 17}}},\n  year = {{{1990 + i % 30}}},\n  pages = {{1--10}}\n}}\n"
                   for i in range(n))


def cited_works(n: int, per_slide: int) -> Case:
    """A bibliography of n works, every one cited, per_slide a slide (in one bullet), in a 300-minute talk."""
    slides = "".join(f"  - kind: bullets\n    title: Works from {start}\n    bullets:\n      - Findings ["
                     + "; ".join(f"@w{i}" for i in range(start, min(n, start + per_slide))) + "]\n"
                     for start in range(0, n, per_slide))
    return Case("w", files={"bibliography.bib": MINI_BIB + _works(n)}, append={SECTION: slides},
                edits={TALK: [("slot: 10", "slot: 300")]})


CROWDED = ("content/sections/intro.yaml:20:5: warning: chart of {values} values: on paper it {done} (a picture "
           "shows at most 200 values in full) [handout.chart-crowded]")
BUDGETS: list[Hostile] = [
    Hostile("native-chart-1000-categories-in-the-handout", crowded_chart("type: bar, y: alpha"),
            command=("handout", "small"), exit=0, stderr_has=(CROWDED.format(
                values="1,000", done="is drawn without value labels, naming every 84th category"),)),
    Hostile("native-chart-1000-categories-2-series-horizontal-in-the-word-handout", crowded_chart(
        "type: grouped-bar, y: [alpha, beta], orientation: horizontal"), command=("handout", "small", "--format",
                                                                              "docx"), exit=0,
        stderr_has=(CROWDED.format(values="2,000", done="is drawn without value labels, naming every 84th category"),)),
    Hostile("native-pie-1000-slices-in-the-handout", crowded_chart("type: pie, y: alpha"),
            command=("handout", "small"), exit=0, stderr_has=(CROWDED.format(
                values="1,000", done="keeps its 11 largest slices and joins the others"),)),
    Hostile("notes-1.9-mb-in-the-handout", Case("n", edits={SECTION: [(
        "notes: Let the number land.", "notes: \"" + "Let the number land, and let it stay a while. " * 41_000 + "\"")]}),
        command=("handout", "small", "--notes"), exit=0),
    Hostile("notes-1.9-mb-one-word-in-the-word-handout", Case("n", edits={SECTION: [(
        "notes: Let the number land.", "notes: " + "x" * 1_900_000)]}),
        command=("handout", "small", "--notes", "--format", "docx"), exit=0),
    Hostile("notes-1.9-mb-one-word-in-the-handout", Case("n", edits={SECTION: [(
        "notes: Let the number land.", "notes: " + "x" * 1_900_000)]}), command=("handout", "small", "--notes"), exit=0),
    Hostile("cited-works-1000-build", cited_works(998, 10), exit=0),  # with the mini talk's two: 1,000
    Hostile("cited-works-10000-refused", cited_works(9_997, 100),  # with the mini bibliography: 10,000 entries
            expect=[f"content/sections/intro.yaml:{23 + 4 * 9}:9: error: 'w998' is the work number 1,001 this talk "
                    "cites; a talk cites at most 1,000 different works (cite the works the slides need; the full list "
                    "can live behind references_url) [cite.too-many]"]),
    Hostile("refs-of-a-10000-entry-bibliography-refused", Case("r", files={"bibliography.bib": _works(10_000)}),
            command=("refs",),
            expect=["bibliography.bib: error: the bibliography has 10,000 entries; a reference list formats at most "
                    "1,000 (name a talk to list the works it cites) [cite.too-many]"]),
    Hostile("terminology-45000-entries", Case("t", files={"content/terminology.yaml": "".join(
        f"pf {i}: [vf {i}, o-v {i}]\n" for i in range(45_000))},  # 1.2 MB, 90,000 variants
        edits={SECTION: [("Let the number land.", "Let the vf 44999 land, " + "and so on " * 5_000)]}),
        command=("check", "small"), exit=0, stderr_has=("'vf 44999': this talk writes 'pf 44999' [terminology]",)),
    Hostile("terminology-variant-too-long", Case("t", files={"content/terminology.yaml": "short: [" + "a " * 40 + "]\n"}),
            command=("check", "small"),
            expect=["content/terminology.yaml:1:9: error: variant 'a a a a a a a a a a a a a a a a a a a a a a a a a a a a "
                    "a a…' has 40 words and punctuation marks; the limit is 16 [terminology.too-long]"]),
]
HOSTILE += BUDGETS


# Linux starts a process's peak resident size at its parent's size when it forks, so a command forked straight
# from a pytest that has grown (LibreOffice renders, numpy) would report pytest's size. A small Python forks the
# command instead and writes the command's own peak (KiB) to a file; it exits as the command did.
MEASURED = """
import os, signal, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_limited(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str, float]:
    """The CLI as its own process group under the limits: (exit code, stdout, stderr, peak RSS in MB).

    Asserts that nothing of the group outlives the command."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        peak = Path(scratch) / "peak"
        process = subprocess.Popen([sys.executable, "-c", MEASURED, str(peak), sys.executable, "-m", "lecturegen",
                                    *args], cwd=REPO, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})},
                                   preexec_fn=_limits, start_new_session=True)
        deadline = time.monotonic() + WALL_SECONDS
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                pytest.fail(f"{args}: still running after {WALL_SECONDS} s")
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        try:
            os.killpg(process.pid, 0)
            stray = True
        except ProcessLookupError:
            stray = False
        if stray:
            os.killpg(process.pid, signal.SIGKILL)
        assert not stray, f"{args}: a process of the command's group outlived it"
        out.seek(0)
        err.seek(0)
        rss_kb = int(peak.read_text()) if peak.exists() else usage.ru_maxrss
        return (process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                rss_kb / 1024)


def _links_and_parts(deck: Path) -> list[str]:
    """Every external relationship target of the deck; every XML part parsed on the way."""
    targets = []
    with zipfile.ZipFile(deck) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(name))
                if name.endswith(".rels"):
                    targets += [r.get("Target") for r in root if r.get("TargetMode") == "External"]
    return targets


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_case(mini: Path, hostile: Hostile) -> None:
    deck = mini / "build" / "small.pptx"
    code, _, _, _ = run_limited(["build", "small", "--root", str(mini)])
    assert code == 0
    before = deck.read_bytes()
    _apply(mini, hostile.case)
    code, out, err, rss = run_limited([*hostile.command, "--root", str(mini)])
    assert "Traceback" not in out + err
    assert code == hostile.exit, err
    errors = [line for line in err.splitlines() if ": error: " in line or line.startswith("error: ")]
    if hostile.expect:
        assert errors == hostile.expect, err
    for text in hostile.stderr_has:
        assert text in err, err
    assert rss < MAX_RSS_MB, f"peak resident size {rss:.0f} MB"
    if code != 0 or hostile.command[0] != "build":
        assert deck.read_bytes() == before
    for target in _links_and_parts(deck):
        assert target.startswith(("http://", "https://", "mailto:")), target
