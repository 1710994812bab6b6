"""Foreign material: a workspace on another topic built on templates lecturegen did not generate (issue 11).

The fixtures live in tests/fixtures/foreign/ (see its README). Two groups of tests:

- ``TestBuildOnForeignTemplate`` builds the sleep-and-learning talk with each foreign theme, as a new
  user would (only ``template:`` in theme.yaml), and holds the deck to the shared pptx checker: no
  errors, no geometry findings, the template's slide size and fonts. Today's layout engine fails it;
  the class is marked xfail until the engine that takes its layout from the template lands.
- the other tests keep the fixtures honest: reproducible templates and picture, standard layout
  names, every slide kind and chart type used, every dataset sourced from the bibliography.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from lecturegen.cli import main
from lecturegen.sources.charts import CHART_TYPES
from lecturegen.compile.kinds import KINDS

REPO = Path(__file__).resolve().parents[1]
FOREIGN = REPO / "tests" / "fixtures" / "foreign"
WORKSPACE = FOREIGN / "workspace"
TALK = "sleep-and-learning"
CHECKER = REPO.parent / "shared" / "tools" / "pptxcheck" / "pptxcheck.py"
THEMES = ("corporate-43", "wide-1610", "left-title", "a4-landscape")
# Slide sizes in EMU, as each template's designer chose them.
SIZES = {
    "corporate-43": (9144000, 6858000),  # 10 × 7.5 in, 4:3
    "wide-1610": (9144000, 5715000),  # 10 × 6.25 in, 16:10
    "left-title": (12192000, 6858000),  # 13.333 × 7.5 in, 16:9
    "a4-landscape": (9906000, 6858000),  # 10.83 × 7.5 in, sldSz type="A4"
}
STANDARD_LAYOUTS = ("Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only",
                    "Blank")
GEOMETRY_CODES = frozenset({"off-slide", "overflow", "overflow-slide", "overflow-width", "overlap", "low-dpi"})
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
THEME_FONT_REFERENCES = frozenset({"+mj-lt", "+mn-lt"})


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"foreign_{name}", FOREIGN / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def _parts(pptx: Path, prefix: str) -> list[etree._Element]:
    with zipfile.ZipFile(pptx) as archive:
        return [etree.fromstring(archive.read(name)) for name in sorted(archive.namelist())
                if name.startswith(prefix) and name.endswith(".xml")]


def slide_size(pptx: Path) -> tuple[int, int]:
    size = _parts(pptx, "ppt/presentation.xml")[0].find("p:sldSz", NS)
    return int(size.get("cx")), int(size.get("cy"))


def template_fonts(pptx: Path) -> set[str]:
    """The typefaces a template shows: its theme's major and minor fonts, plus any typeface its master and
    layouts name directly (LibreOffice writes fonts there rather than in the theme)."""
    fonts: set[str] = set()
    for theme in _parts(pptx, "ppt/theme/theme"):
        for tag in ("majorFont", "minorFont"):
            latin = theme.find(f".//a:fontScheme/a:{tag}/a:latin", NS)
            if latin is not None:
                fonts.add(latin.get("typeface"))
    for part in _parts(pptx, "ppt/slideMasters/") + _parts(pptx, "ppt/slideLayouts/"):
        fonts.update(latin.get("typeface") for latin in part.iter(f"{{{NS['a']}}}latin"))
    return fonts - THEME_FONT_REFERENCES


def run_fonts(pptx: Path) -> set[str]:
    """Explicit latin typefaces on the runs of the deck's slides (theme references excluded)."""
    fonts: set[str] = set()
    for slide in _parts(pptx, "ppt/slides/slide"):
        for latin in slide.iterfind(".//a:r/a:rPr/a:latin", NS):
            fonts.add(latin.get("typeface"))
    return fonts - THEME_FONT_REFERENCES


def slide_texts(pptx: Path) -> list[str]:
    texts = []
    for part in _parts(pptx, "ppt/slides/slide") + _parts(pptx, "ppt/notesSlides/"):
        texts.append("".join(t.text or "" for t in part.iter(f"{{{NS['a']}}}t")))
    return texts


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The foreign workspace with the foreign themes copied in (a workspace may not hold symlinks)."""
    root = tmp_path_factory.mktemp("foreign") / "workspace"
    shutil.copytree(WORKSPACE, root)
    shutil.copytree(FOREIGN / "themes", root / "themes")
    return root


@dataclass(frozen=True)
class Build:
    theme: str
    exit_code: int
    output: str
    deck: Path
    report: dict[str, Any] | None


@pytest.fixture(scope="module", params=THEMES)
def built(request: pytest.FixtureRequest, workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    theme = request.param
    deck = tmp_path_factory.mktemp(f"deck-{theme}") / f"{TALK}-{theme}.pptx"
    result = CliRunner().invoke(main, ["build", TALK, "--root", str(workspace), "--theme", theme, "-o", str(deck)])
    report = None
    if deck.is_file() and CHECKER.is_file():
        checked = subprocess.run([sys.executable, str(CHECKER), str(deck), "--no-libreoffice", "--json"],
                                 capture_output=True, text=True, timeout=300)
        report = json.loads(checked.stdout)
    return Build(theme, result.exit_code, result.output, deck, report)


def _deck(build: Build) -> Path:
    if not build.deck.is_file():
        pytest.fail(f"{build.theme}: no deck was written (exit {build.exit_code}):\n{build.output}")
    return build.deck


def _report(build: Build) -> dict[str, Any]:
    if not CHECKER.is_file():
        pytest.skip(f"the shared pptx checker is not at {CHECKER}")
    _deck(build)
    assert build.report is not None
    return build.report


class TestBuildOnForeignTemplate:
    def test_build_succeeds(self, built: Build) -> None:
        assert built.exit_code == 0, built.output

    def test_checker_finds_no_errors(self, built: Build) -> None:
        report = _report(built)
        errors = [f"{i['check']}/{i['code']}: {i['message']}" for i in report["issues"] if i["severity"] == "error"]
        assert not errors, "\n".join(errors[:20])

    def test_checker_finds_no_geometry_problems(self, built: Build) -> None:
        report = _report(built)
        found = [f"slide {i.get('slide')}: {i['code']}: {i['message']}" for i in report["issues"]
                 if i["code"] in GEOMETRY_CODES]
        assert not found, f"{len(found)} geometry findings:\n" + "\n".join(found[:20])

    def test_deck_keeps_the_template_slide_size(self, built: Build) -> None:
        template = FOREIGN / "themes" / built.theme / f"{built.theme}.pptx"
        assert slide_size(_deck(built)) == slide_size(template) == SIZES[built.theme]

    def test_runs_use_only_the_template_fonts(self, built: Build) -> None:
        template = FOREIGN / "themes" / built.theme / f"{built.theme}.pptx"
        foreign = run_fonts(_deck(built)) - template_fonts(template)
        assert not foreign, f"runs name fonts the template does not use: {sorted(foreign)}"

    def test_no_raw_citation_marker_survives(self, built: Build) -> None:
        raw = [text[:80] for text in slide_texts(_deck(built)) if "[@" in text or "@könen" in text]
        assert not raw, raw


# --- the fixtures themselves ----------------------------------------------------------------------------


def _same_versions(script: ModuleType) -> bool:
    found = script.versions()
    return all(found.get(name, version) == version for name, version in script.MADE_WITH.items())


def test_templates_are_deterministic_and_match_the_committed_files() -> None:
    script = _load_script("make_templates")
    committed = _same_versions(script)
    for name, design in script.DESIGNS.items():
        if design.via_libreoffice and script.soffice() is None:
            continue  # wide-1610 needs LibreOffice to rebuild; the committed file is still checked elsewhere
        blob = script.build(design)
        if committed:  # the committed file came from an earlier run, so equality also shows determinism
            for target, data in script.outputs(FOREIGN, name, blob).items():
                assert target.read_bytes() == data, f"{target.relative_to(FOREIGN)} differs from a rebuild"
        else:
            assert script.build(design) == blob, f"two builds of {name} differ"
    if not committed:
        pytest.skip(f"library versions {script.versions()} differ from {script.MADE_WITH}: only determinism checked")


def test_picture_is_deterministic_and_matches_the_committed_file() -> None:
    script = _load_script("make_image")
    blob = script.jpeg_bytes()
    if not _same_versions(script):
        assert script.jpeg_bytes() == blob
        pytest.skip(f"library versions {script.versions()} differ from {script.MADE_WITH}: only determinism checked")
    assert script.TARGET.read_bytes() == blob


@pytest.mark.parametrize("theme", THEMES)
def test_theme_folder_names_only_its_template(theme: str) -> None:
    folder = FOREIGN / "themes" / theme
    assert yaml.safe_load((folder / "theme.yaml").read_text(encoding="utf-8")) == {"template": f"{theme}.pptx"}
    assert (folder / f"{theme}.pptx").read_bytes() == (FOREIGN / f"{theme}.pptx").read_bytes()


@pytest.mark.parametrize("theme", THEMES)
def test_template_has_standard_layouts_its_size_and_is_small(theme: str) -> None:
    from pptx import Presentation

    path = FOREIGN / f"{theme}.pptx"
    prs = Presentation(str(path))
    names = [layout.name for layout in prs.slide_layouts]
    assert set(STANDARD_LAYOUTS) <= set(names), names
    assert (prs.slide_width, prs.slide_height) == SIZES[theme]
    assert path.stat().st_size < 200_000


def test_corporate_template_is_made_like_an_organisations_own() -> None:
    from PIL import Image

    path = FOREIGN / "corporate-43.pptx"
    theme = _parts(path, "ppt/theme/theme1.xml")[0]
    scheme = {slot.tag.split("}")[1]: slot[0].get("val") for slot in theme.find(".//a:clrScheme", NS)}
    office = {"dk2": "44546A", "accent1": "4472C4", "accent2": "ED7D31", "hlink": "0563C1"}
    assert all(scheme[key] != value for key, value in office.items())
    assert {theme.find(".//a:majorFont/a:latin", NS).get("typeface"),
            theme.find(".//a:minorFont/a:latin", NS).get("typeface")} == {"Georgia", "Verdana"}
    master = _parts(path, "ppt/slideMasters/slideMaster1.xml")[0]
    logo = master.find(".//p:pic", NS)
    assert logo is not None and logo.find(".//p:cNvPr", NS).get("descr")
    with zipfile.ZipFile(path) as archive:
        media = [n for n in archive.namelist() if n.startswith("ppt/media/")]
        with Image.open(io.BytesIO(archive.read(media[0]))) as image:
            assert image.size == (120, 50)
    body_style = master.find("p:txStyles/p:bodyStyle/a:lvl1pPr", NS)
    assert body_style.get("marL") != "342900" and body_style.find("a:defRPr", NS).get("sz") == "2000"
    body = next(sp for sp in master.iter(f"{{{NS['p']}}}sp")
                if sp.find(".//p:ph", NS) is not None and sp.find(".//p:ph", NS).get("type") == "body")
    assert body.find(".//a:bodyPr", NS).get("lIns") == "0"


def test_wide_template_is_in_libreoffices_dialect() -> None:
    path = FOREIGN / "wide-1610.pptx"
    with zipfile.ZipFile(path) as archive:
        app = archive.read("docProps/app.xml").decode()
    assert "LibreOffice" in app
    master = _parts(path, "ppt/slideMasters/slideMaster1.xml")[0]
    assert master.find("p:txStyles", NS) is None  # LibreOffice puts text styles on the placeholders
    assert "DejaVu Sans" in template_fonts(path)


def _workspace_slides() -> list[dict[str, Any]]:
    slides = []
    for section in sorted((WORKSPACE / "content" / "sections").glob("*.yaml")):
        slides.extend(yaml.safe_load(section.read_text(encoding="utf-8"))["slides"])
    return slides


def test_workspace_uses_every_slide_kind_and_chart_type() -> None:
    slides = _workspace_slides()
    assert {s.get("kind", "bullets") for s in slides} == set(KINDS)
    assert {s["chart"]["type"] for s in slides if s.get("kind") == "chart"} == set(CHART_TYPES)
    assert any(s.get("chart", {}).get("native") for s in slides)
    assert all(s.get("notes") for s in slides), "every slide carries speaker notes"


def _bibliography_keys() -> set[str]:
    text = (WORKSPACE / "bibliography.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, re.M))


def test_every_dataset_is_sourced_from_the_bibliography() -> None:
    keys = _bibliography_keys()
    for sidecar in sorted((WORKSPACE / "content" / "data").glob("*.yaml")):
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        sources = meta["source"] if isinstance(meta["source"], list) else [meta["source"]]
        assert meta["illustrative"] is False and set(sources) <= keys, sidecar.name
        assert (sidecar.with_suffix(".csv")).is_file()


def test_bibliography_looks_like_a_better_bibtex_export() -> None:
    text = (WORKSPACE / "bibliography.bib").read_text(encoding="utf-8")
    assert "könenCognitiveBenefitsLast2015" in _bibliography_keys()
    for field in ("langid = {", "date = {", "journaltitle = {", "urldate = {", "type = {phdthesis}", "{{"):
        assert field in text, field
    assert {"@report", "@thesis", "@online"} <= set(re.findall(r"^(@\w+)\{", text, re.M))
    content = " ".join(p.read_text(encoding="utf-8") for p in (WORKSPACE / "content").rglob("*.yaml"))
    unused = {key for key in _bibliography_keys() if key not in content}
    assert not unused, f"entries no slide, note or dataset cites: {sorted(unused)}"


def test_picture_has_credit_licence_and_source() -> None:
    meta = yaml.safe_load((WORKSPACE / "content" / "images" / "dawn-rooftops.yaml").read_text(encoding="utf-8"))
    assert {"credit", "licence", "source"} <= set(meta) and meta["licence"].startswith("CC0")


def test_a_question_on_a_side_title_column_stays_off_the_column_and_reads(workspace: Path, tmp_path: Path) -> None:
    """left-title's titles are white on a dark column the master draws: a question slide (the title style,
    but room for a big question) keeps to the white content area and is set in the text colour there."""
    deck = tmp_path / "deck.pptx"
    result = CliRunner().invoke(main, ["build", TALK, "--root", str(workspace), "--theme", "left-title", "-o", str(deck)])
    assert result.exit_code == 0, result.output
    slides = [s for s in _parts(deck, "ppt/slides/slide") if "How many of our" in
              "".join(t.text or "" for t in s.iter(f"{{{NS['a']}}}t"))]
    assert len(slides) == 1
    title = next(sp for sp in slides[0].iter(f"{{{NS['p']}}}sp")
                 if any(ph.get("type") == "title" for ph in sp.iter(f"{{{NS['p']}}}ph")))
    offset = title.find(".//a:xfrm/a:off", NS)
    assert offset is not None and int(offset.get("x")) >= int(3.5 * 914400)  # right of the 3.5 in column
    colours = {c.get("val").upper() for r in title.iter(f"{{{NS['a']}}}rPr") for c in r.iter(f"{{{NS['a']}}}srgbClr")}
    assert colours and "FFFFFF" not in colours
