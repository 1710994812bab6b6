"""The .pptx package: document properties within PowerPoint's limits and valid XML, and no relationship that
reaches outside the deck except the content's own hyperlinks."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from lecturegen.cli import main
from lecturegen.model.text import MAX_PROPERTY

from tests.sources.test_template import (MASTER, MASTER_RELS, RT, add_relationship, add_to_master, linked_picture,
                                         linked_text, package, template_parts)

TALK = "content/talks/small.yaml"
SECTION = "content/sections/intro.yaml"
LINK = "https://example.org/relational-depth"


def build(root: Path, talk: str = "small") -> Path:
    result = CliRunner().invoke(main, ["build", talk, "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root / "build" / f"{talk}.pptx"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def core_properties(deck: Path) -> dict[str, str]:
    with zipfile.ZipFile(deck) as archive:
        root = etree.fromstring(archive.read("docProps/core.xml"))
    return {etree.QName(el).localname: el.text or "" for el in root}


def test_long_properties_are_trimmed_to_powerpoint_limits(mini: Path) -> None:
    """Title, subject, creator and keywords past 255 characters (and with characters XML forbids) are trimmed."""
    from lecturegen.build import prepare, render_deck, store_for
    from lecturegen.diagnostics import Diagnostics
    from lecturegen.workspace import Workspace

    workspace = Workspace(mini)
    store = store_for(workspace)
    prepared = prepare(workspace, "small", Diagnostics(), store=store)
    deck = replace(prepared.result.deck, title="Relational depth " * 20, subtitle="ß\x01 " * 200,
                   presenter="Ann Example and " * 30, talk="k" * 300 + "\x7f", audience="a\x0b" * 10)
    prepared.result = replace(prepared.result, deck=deck)
    path = mini / "long.pptx"
    path.write_bytes(render_deck(prepared, store, parallel_charts=False))
    props = core_properties(path)
    for key in ("title", "subject", "creator", "keywords"):
        assert len(props[key]) == MAX_PROPERTY, (key, len(props[key]))
        assert props[key].endswith("…"), key
    assert props["title"].startswith("Relational depth Relational depth")
    assert props["subject"].startswith("ß ß ß") and props["keywords"].startswith("lecturegen; kkk")


def test_short_properties_are_kept_whole(mini: Path) -> None:
    props = core_properties(build(mini))
    assert (props["title"], props["subject"], props["creator"]) == ("A small talk", "For tests", "Test Presenter")
    assert props["keywords"] == "lecturegen; small"


def test_nothing_in_the_deck_reaches_outside_it_but_the_contents_links(mini: Path) -> None:
    parts = template_parts()
    add_relationship(parts, MASTER_RELS, "rId90", RT + "image", "http://tracker.example/p.png", external=True)
    add_to_master(parts, linked_picture("rId90"))
    add_relationship(parts, MASTER_RELS, "rId91", RT + "hyperlink", "https://phish.example/", external=True)
    add_to_master(parts, linked_text("rId91"))
    add_relationship(parts, MASTER_RELS, "rId92", RT + "image", "file:///etc/passwd")
    layout_rels = "ppt/slideLayouts/_rels/slideLayout2.xml.rels"
    add_relationship(parts, layout_rels, "rId93", RT + "image", "\\\\server\\share\\logo.png", external=True)
    (mini / "themes" / "calm" / "template.pptx").write_bytes(package(parts))
    with (mini / "themes" / "calm" / "theme.yaml").open("a", encoding="utf-8") as handle:
        handle.write("template: template.pptx\n")
    edit(mini / SECTION, "      - genuinely caring", f"      - genuinely caring, see [the paper]({LINK})")
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini)])
    assert result.exit_code == 0, result.output
    for part in (MASTER, "ppt/slideLayouts/slideLayout2.xml"):
        assert f"external link(s) removed from part '{part}'" in result.stderr
    external = []
    with zipfile.ZipFile(mini / "build" / "small.pptx") as deck:
        for name in deck.namelist():
            data = deck.read(name)
            assert b"file:" not in data and b"tracker.example" not in data and b"phish" not in data, name
            assert b"\\\\server" not in data, name
            if name.endswith(".rels"):
                for rel in etree.fromstring(data):
                    if rel.get("TargetMode") is not None:
                        external.append((name, rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target")))
    # The content's links (the slide's, and the DOIs on the reference slide) and nothing else.
    assert external and all(part.startswith("ppt/slides/_rels/slide") and kind == "hyperlink"
                            and target.startswith(("https://", "http://", "mailto:")) for part, kind, target in external)
    assert LINK in {target for _, _, target in external}
