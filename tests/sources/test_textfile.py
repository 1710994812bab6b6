"""Text files: a size cap, UTF-8 decoding with the encoding guessed when it is not, XML-forbidden characters cut."""

from __future__ import annotations

from pathlib import Path

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.textfile import decode_text, read_text, strip_invalid_xml


def test_a_file_over_the_cap_is_refused_with_both_sizes(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_text("a" * 50, encoding="utf-8")
    diags = Diagnostics()
    assert read_text(tmp_path / "big.csv", "big.csv", diags, max_bytes=10) is None
    assert [d.render() for d in diags.items] == [
        "big.csv: error: file is too large (50 bytes; the limit is 10) [file.too-large]"]


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert read_text(tmp_path / "absent.yaml", "absent.yaml", diags) is None
    assert [d.code for d in diags.items] == ["file.unreadable"]


def test_utf8_decodes_and_its_byte_order_mark_is_dropped() -> None:
    diags = Diagnostics()
    assert decode_text(b"\xef\xbb\xbfna\xc3\xafve\n", "x.txt", diags) == "naïve\n"
    assert not diags.items


def test_latin1_is_named_on_the_line_it_breaks() -> None:
    diags = Diagnostics()
    assert decode_text(b"one\ntwo\ncaf\xe9\n", "x.txt", diags) is None
    assert [d.render() for d in diags.items] == [
        "x.txt:3:1: error: file is not UTF-8 text (it looks like Windows-1252 or Latin-1); save it as UTF-8 "
        "[file.encoding]"]


def test_nuls_without_a_utf16_pattern_mean_binary() -> None:
    diags = Diagnostics()
    assert decode_text(b"ab\x00\x01\x02cd\x00", "x.bin", diags) is None
    assert [d.code for d in diags.items] == ["file.binary"]


def test_strip_invalid_xml_keeps_tabs_and_newlines_only() -> None:
    assert strip_invalid_xml("a\tb\nc\rd\x00e\x0bf\ufffeg") == "a\tb\nc\rdefg"
