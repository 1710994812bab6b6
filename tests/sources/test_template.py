"""Template and theme archives are untrusted: sized before they are inflated, cleaned of macros and of anything
that reaches outside the package, and any damage is a TemplateError, never another exception."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pptx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecturegen.sources import template as loader
from lecturegen.sources.template import MAX_TEMPLATE_FILE, TemplateError, read_template, read_template_file

DEFAULT = Path(pptx.__file__).parent / "templates" / "default.pptx"
FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"
MASTER = "ppt/slideMasters/slideMaster1.xml"
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def template_parts(blob: bytes | None = None) -> dict[str, bytes]:
    """The parts of python-pptx's default template (a 4:3 deck with the standard layout names)."""
    with zipfile.ZipFile(io.BytesIO(blob or DEFAULT.read_bytes())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def package(parts: dict[str, bytes] | list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in (parts.items() if isinstance(parts, dict) else parts):
            archive.writestr(name, data)
    return out.getvalue()


def add_relationship(parts: dict[str, bytes], rels_part: str, rid: str, kind: str, target: str,
                     external: bool = False) -> None:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'.encode()
    parts[rels_part] = parts[rels_part].replace(b"</Relationships>", rel + b"</Relationships>")


def add_to_master(parts: dict[str, bytes], shape: str) -> None:
    """A shape (XML in the p: and a: namespaces) at the end of the master's shape tree."""
    parts[MASTER] = parts[MASTER].replace(b"</p:spTree>", shape.encode() + b"</p:spTree>", 1)


def declare_size(blob: bytes, name: str, size: int) -> bytes:
    """The archive with the uncompressed size of part `name` rewritten in its local and central headers."""
    data = bytearray(blob)
    encoded = name.encode()
    for signature, name_at, length_at, size_at in ((b"PK\x03\x04", 30, 26, 22), (b"PK\x01\x02", 46, 28, 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + length_at)[0]
            if bytes(data[start + name_at:start + name_at + length]) == encoded:
                struct.pack_into("<I", data, start + size_at, size)
            start += 4
    return bytes(data)


def linked_picture(rid: str) -> str:
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="90" name="Linked"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


def linked_text(rid: str) -> str:
    return ('<p:sp><p:nvSpPr><p:cNvPr id="91" name="Link"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
            '<p:spPr><a:xfrm><a:off x="0" y="6400000"/><a:ext cx="2000000" cy="300000"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r>'
            f'<a:rPr lang="en-GB"><a:hlinkClick r:id="{rid}"/></a:rPr><a:t>our site</a:t></a:r></a:p></p:txBody></p:sp>')


def refused(blob: bytes) -> str:
    with pytest.raises(TemplateError) as error:
        read_template(blob, "t.pptx")
    return error.value.message


@pytest.fixture(autouse=True)
def fresh_memo() -> None:
    loader._READ.clear()  # every case reads its package afresh


def test_the_default_template_reads_as_it_is() -> None:
    template = read_template(DEFAULT.read_bytes(), "default.pptx")
    assert (template.width, template.height) == (9144000, 6858000)
    assert template.problems == ()


# -- sizes are checked on the zip directory, before a byte is inflated ----------------------------------------

class _NoInflating:
    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("a part was inflated")

        monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
        monkeypatch.setattr(zipfile.ZipFile, "read", refuse)


def test_a_part_inflating_a_thousand_fold_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = template_parts()
    parts["ppt/media/image9.png"] = bytes(20_000_000)
    blob = package(parts)
    _NoInflating(monkeypatch)
    # Deflate packs zeros about 1,030:1 (the exact figure depends on the zlib build).
    assert re.fullmatch(r"template 't.pptx': part 'ppt/media/image9.png' inflates 1,0\d\d-fold \(a zip bomb\?\)",
                        refused(blob))


def test_a_part_declaring_two_gigabytes_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    blob = declare_size(package(template_parts()), "ppt/presentation.xml", 2 * 1024**3)
    _NoInflating(monkeypatch)
    assert refused(blob) == "template 't.pptx' inflates to 2,048 MB; the limit is 100 MB"


def test_a_part_hiding_its_size_is_never_inflated_past_its_declaration() -> None:
    """The header says 1 kB, the stream holds 300 MB of zeros: reading stops at the declared size."""
    import tracemalloc

    parts = template_parts()
    parts["ppt/media/liar.bin"] = bytes(300_000_000)
    blob = declare_size(package(parts), "ppt/media/liar.bin", 1000)
    tracemalloc.start()
    try:
        assert refused(blob) == "template 't.pptx' is damaged (Bad CRC-32 for file 'ppt/media/liar.bin')"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"{peak:,} bytes allocated"


def test_ten_thousand_parts_are_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = template_parts()
    parts.update({f"ppt/media/empty{i}.bin": b"" for i in range(10_000)})
    blob = package(parts)
    _NoInflating(monkeypatch)
    assert refused(blob) == "template 't.pptx' has 10,036 parts; the limit is 5,000"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.pptx"
    with big.open("wb") as handle:
        handle.truncate(MAX_TEMPLATE_FILE + 1)  # sparse: nothing is written, nothing may be read
    with pytest.raises(TemplateError) as error:
        read_template_file(big, "themes/big/big.pptx")
    assert error.value.message == "template 'themes/big/big.pptx' is just over 50 MB; the limit is 50 MB"
    assert error.value.code == "theme.template-too-large"


# -- part names ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "message"), [
    ("PPT/Presentation.xml", "template 't.pptx' holds the part 'PPT/Presentation.xml' twice"),
    ("ppt/slides/../../../evil.xml", "template 't.pptx' has an invalid part name 'ppt/slides/../../../evil.xml'"),
    ("/etc/passwd", "template 't.pptx' has an invalid part name '/etc/passwd'"),
    ("ppt\\media\\x.png", "template 't.pptx' has an invalid part name 'ppt\\media\\x.png'"),
])
def test_part_names_that_collide_or_escape_are_refused(name: str, message: str) -> None:
    assert refused(package(list(template_parts().items()) + [(name, b"<x/>")])) == message


# -- other PowerPoint types: read as a presentation, macros dropped ----------------------------------------

def _main_type(parts: dict[str, bytes], content_type: str) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", content_type.encode())


def test_a_potx_reads_as_a_presentation() -> None:
    parts = template_parts()
    _main_type(parts, "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml")
    template = read_template(package(parts), "t.potx")
    assert b"presentationml.presentation.main+xml" in template.parts["[Content_Types].xml"]
    assert b"template.main+xml" not in template.parts["[Content_Types].xml"]


def test_a_pptm_loses_its_macros() -> None:
    parts = template_parts()
    _main_type(parts, "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="vba" ContentType="application/vnd.ms-office.vbaProject"/>'
                     b'<Override PartName="/ppt/vbaProjectSignature.bin" '
                     b'ContentType="application/vnd.ms-office.vbaProjectSignature"/></Types>')
    parts["ppt/vbaProject.vba"] = b"Attribute VB_Name = \"Module1\"\nSub AutoOpen(): Shell \"calc\": End Sub"
    parts["ppt/_rels/vbaProject.vba.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature" '
        b'Target="vbaProjectSignature.bin"/></Relationships>')
    parts["ppt/vbaProjectSignature.bin"] = b"signature"
    add_relationship(parts, "ppt/_rels/presentation.xml.rels", "rId77", VBA, "vbaProject.vba")
    template = read_template(package(parts), "t.pptm")
    assert not [p for p in template.parts if "vba" in p.lower()]
    assert not [p for p, data in template.parts.items() if b"vba" in data.lower()]
    assert b"macroEnabled" not in template.parts["[Content_Types].xml"]


def test_activex_controls_and_ole_objects_on_the_master_are_removed_and_named() -> None:
    parts = template_parts()
    parts["ppt/activeX/activeX1.xml"] = b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>'
    parts["ppt/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 an OLE compound file"
    add_relationship(parts, MASTER_RELS, "rId95", RT + "control", "../activeX/activeX1.xml")
    add_relationship(parts, MASTER_RELS, "rId96", RT + "oleObject", "../embeddings/oleObject1.bin")
    parts[MASTER] = parts[MASTER].replace(b"</p:cSld>", b'</p:cSld><p:controls><p:control spid="1025" '
                                          b'name="Button" r:id="rId95"/></p:controls>', 1)
    add_to_master(parts, '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                         '<mc:Choice Requires="v"><p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="97" name="Sheet"/>'
                         '<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/>'
                         '<a:ext cx="914400" cy="914400"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.'
                         'openxmlformats.org/presentationml/2006/ole"><p:oleObj progId="Excel.Sheet.12" r:id="rId96">'
                         '<p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame></mc:Choice>'
                         '<mc:Fallback/></mc:AlternateContent>')
    template = read_template(package(parts), "t.pptx")
    assert template.problems == (f"embedded object(s) removed from part '{MASTER}' (control, oleObject)",)
    assert not [p for p in template.parts if "activeX" in p or "embeddings" in p]
    master = template.parts[MASTER]
    assert b"controls" not in master and b"oleObj" not in master and b'name="Sheet"' not in master
    assert b"rId95" not in master and b"rId96" not in master


# -- nothing reaches outside the package -------------------------------------------------------------------

EXTERNAL_CASES = {
    "linked image": (lambda parts: (add_relationship(parts, MASTER_RELS, "rId90", RT + "image",
                                                     "http://tracker.example/pixel.png", external=True),
                                    add_to_master(parts, linked_picture("rId90"))),
                     "(http:tracker.example)"),
    "external hyperlink on the master": (lambda parts: (
        add_relationship(parts, MASTER_RELS, "rId91", RT + "hyperlink", "https://phish.example/login", external=True),
        add_to_master(parts, linked_text("rId91"))), "(https:phish.example)"),
    "file target without a target mode": (lambda parts: (
        add_relationship(parts, MASTER_RELS, "rId92", RT + "image", "file:///etc/passwd"),
        add_to_master(parts, linked_picture("rId92"))), "(file:etc)"),
    "UNC path": (lambda parts: add_relationship(parts, MASTER_RELS, "rId93", RT + "image", "\\\\server\\share\\x.png",
                                                external=True), "(a file)"),
}


@pytest.mark.parametrize("case", list(EXTERNAL_CASES))
def test_external_relationships_are_removed_with_a_problem_naming_the_part(case: str) -> None:
    parts = template_parts()
    make, host = EXTERNAL_CASES[case]
    make(parts)
    template = read_template(package(parts), "t.pptx")
    assert template.problems == (f"external link(s) removed from part '{MASTER}' {host}",)
    for name, data in template.parts.items():
        assert b"TargetMode" not in data and b"file:" not in data and b"server" not in data, name
    master = template.parts[MASTER]
    assert b"r:link=" not in master and b"hlinkClick" not in master
    assert b'name="Linked"' not in master  # a picture with only a linked image goes with its link


def test_every_shipped_foreign_template_reads_clean() -> None:
    for path in sorted(FOREIGN.glob("*.pptx")):
        template = read_template(path.read_bytes(), path.name)
        assert not [p for p in template.problems if p.startswith("external")], path.name


# -- geometry: sizes and boxes from an untrusted file ----------------------------------------------------

def _presentation(parts: dict[str, bytes], size: str) -> None:
    parts["ppt/presentation.xml"] = re.sub(rb"<p:sldSz[^>]*/>", size.encode(), parts["ppt/presentation.xml"])


@pytest.mark.parametrize(("size", "message"), [
    ("", "template 't.pptx' does not say its slide size (no <p:sldSz>)"),
    ('<p:sldSz cx="9144000"/>', "template 't.pptx' does not say its slide size (no <p:sldSz>)"),
    ('<p:sldSz cx="99999999999999999999" cy="6858000"/>', "template 't.pptx' has a slide size PowerPoint cannot "
                                                          "show ('99999999999999999999' × 7.50 in; it allows 1 to "
                                                          "56 in)"),
    ('<p:sldSz cx="1e400" cy="NaN"/>', "template 't.pptx' has a slide size PowerPoint cannot show ('1e400' × 'NaN'; "
                                       "it allows 1 to 56 in)"),
    ('<p:sldSz cx="100" cy="6858000"/>', "template 't.pptx' has a slide size PowerPoint cannot show (0.00 in × "
                                         "7.50 in; it allows 1 to 56 in)"),
])
def test_a_missing_or_absurd_slide_size_is_refused(size: str, message: str) -> None:
    parts = template_parts()
    _presentation(parts, size)
    assert refused(package(parts)) == message


def test_master_placeholders_off_the_slide_are_problems_not_failures() -> None:
    parts = template_parts()
    # The master's title and body placeholders moved 100 in to the right: every layout inherits them.
    parts[MASTER] = re.sub(rb'<a:off x="(\d+)"', b'<a:off x="91440000"', parts[MASTER], count=2)
    template = read_template(package(parts), "t.pptx")
    assert any(problem.startswith("the title placeholder of ") and "'Title and Content'" in problem
               and problem.endswith("reaches beyond the slide's edge; not used, so that text stays inside the slide")
               for problem in template.problems), template.problems


@pytest.mark.parametrize("value", ["1e400", "-1e400", "NaN", "²", "", "99999999999999999999999", "-5", "0x10"])
def test_malformed_numbers_in_text_styles_fall_back(value: str) -> None:
    """Every number a template gives (sizes, spacing, margins, levels, offsets) is checked: a bad one is ignored."""
    parts = template_parts()
    for attribute in ("sz", "marL", "indent", "lvl", "x", "cx", "lIns", "idx"):
        for name in (MASTER, "ppt/slideLayouts/slideLayout2.xml"):
            parts[name] = re.sub(rf' {attribute}="[^"]*"'.encode(), f' {attribute}="{value}"'.encode(), parts[name])
    parts[MASTER] = re.sub(rb'<a:spcPts val="[^"]*"', f'<a:spcPts val="{value}"'.encode(), parts[MASTER])
    try:
        template = read_template(package(parts), "t.pptx")
    except TemplateError:
        return  # the layouts lost their boxes: refused with a message, which is also fine
    for layout in template.layouts.values():
        for placeholder in layout.placeholders:
            for level in placeholder.levels:
                assert 1 <= level.size <= 4000


# -- fuzzing: mutated real templates ------------------------------------------------------------------------

SEEDS = [DEFAULT.read_bytes()] + [p.read_bytes() for p in sorted(FOREIGN.glob("*.pptx"))]


def _read_or_refuse(blob: bytes) -> None:
    loader._READ.clear()
    try:
        read_template(blob, "fuzz.pptx")
    except TemplateError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                                            st.integers(0, 7)), min_size=1, max_size=20))
def test_flipped_bytes_are_a_template_error_or_a_template(seed: bytes, flips: list[tuple[float, int]]) -> None:
    data = bytearray(seed)
    for where, bit in flips:
        data[int(where * len(data))] ^= 1 << bit
    _read_or_refuse(bytes(data))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_archives_are_a_template_error(seed: bytes, cut: float) -> None:
    _read_or_refuse(seed[:int(cut * len(seed))])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_shuffled_dropped_and_stored_entries_are_a_template_error_or_a_template(seed: bytes, data: st.DataObject) -> None:
    entries = list(template_parts(seed).items())
    entries = data.draw(st.permutations(entries))
    drop = data.draw(st.sets(st.integers(0, len(entries) - 1), max_size=3))
    method = data.draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    _read_or_refuse(package([e for i, e in enumerate(entries) if i not in drop], method))


NUMBERS = st.sampled_from(["", "-1", "abc", "1e400", "NaN", "99999999999999999999", "0", "²", "rId1", "../x.xml"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mutated_attribute_values_are_a_template_error_or_a_template(seed: bytes, data: st.DataObject) -> None:
    parts = template_parts(seed)
    names = sorted(p for p in parts if p.endswith((".xml", ".rels")))
    for _ in range(data.draw(st.integers(1, 6))):
        name = data.draw(st.sampled_from(names))
        values = list(re.finditer(rb'="([^"]*)"', parts[name]))
        if not values:
            continue
        match = data.draw(st.sampled_from(values))
        parts[name] = parts[name][:match.start(1)] + data.draw(NUMBERS).encode() + parts[name][match.end(1):]
    _read_or_refuse(package(parts))
