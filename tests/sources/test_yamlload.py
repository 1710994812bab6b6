"""YAML and text reading: encodings told apart, merge keys refused, numbers finite and bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml, read_text

TEXT = "title: Café talk\nslot: 10\n"


@pytest.mark.parametrize("raw, line", [
    (TEXT.encode("utf-16"), "x.yaml:1:1: error: file is not UTF-8 text (it looks like UTF-16 little-endian); save it "
                            "as UTF-8 [file.encoding]"),
    (TEXT.encode("utf-16-be"), "x.yaml:1:1: error: file is not UTF-8 text (it looks like UTF-16 big-endian); save "
                               "it as UTF-8 [file.encoding]"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "x.yaml:1:1: error: file is not UTF-8 text (it looks like UTF-16 "
                                             "big-endian); save it as UTF-8 [file.encoding]"),
    ("title: plain\n".encode("utf-16-le"), "x.yaml:1:1: error: file is not UTF-8 text (it looks like UTF-16 "
                                           "little-endian); save it as UTF-8 [file.encoding]"),
    (TEXT.encode("utf-32"), "x.yaml:1:1: error: file is not UTF-8 text (it looks like UTF-32 little-endian); save it "
                            "as UTF-8 [file.encoding]"),
    (b"title: ok\nslot: 10\nnote: caf\xe9\n", "x.yaml:3:1: error: file is not UTF-8 text (it looks like Windows-1252 "
                                              "or Latin-1); save it as UTF-8 [file.encoding]"),
    (b"PK\x03\x04\x00\x00\xff\x81\x8d" * 20, "x.yaml:1:1: error: file is binary, not text [file.binary]"),
])
def test_files_that_are_not_utf8_say_what_they_look_like(tmp_path: Path, raw: bytes, line: str) -> None:
    (tmp_path / "x.yaml").write_bytes(raw)
    diags = Diagnostics()
    assert read_text(tmp_path / "x.yaml", "x.yaml", diags) is None
    assert [d.render() for d in diags.items] == [line]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    diags = Diagnostics()
    assert read_text(tmp_path / "x.yaml", "x.yaml", diags) == TEXT
    assert not diags.items


def test_merge_keys_are_refused_with_a_hint() -> None:
    diags = Diagnostics()
    text = "base: &base {title: A, slot: 10}\ntalk:\n  <<: *base\n  theme: calm\n"
    assert compose_yaml(text, "t.yaml", diags) is None
    assert [d.render() for d in diags.items] == [
        "t.yaml:3:3: error: YAML merge keys ('<<') are not supported (write the keys out, or reuse a whole value "
        "with an alias ('key: *anchor')) [yaml.merge]"]
    assert compose_yaml('quoted: {"<<": 1}\n', "t.yaml", Diagnostics()) is not None  # a quoted '<<' is a key


def number(text: str, **bounds: float) -> tuple[float | None, list[str]]:
    diags = Diagnostics()
    node = compose_yaml(f"n: {text}\n", "t.yaml", diags)
    assert node is not None
    value = Fields(node, Ctx("t.yaml", diags), {"n"}, "test").number("n", **bounds)
    return value, [d.render() for d in diags.items]


@pytest.mark.parametrize("text, bounds, line", [
    (".inf", {}, "t.yaml:1:4: error: 'n' must be a finite number, got '.inf' [yaml.type]"),
    ("-.inf", {}, "t.yaml:1:4: error: 'n' must be a finite number, got '-.inf' [yaml.type]"),
    (".nan", {}, "t.yaml:1:4: error: 'n' must be a finite number, got '.nan' [yaml.type]"),
    ("1.0e+999", {}, "t.yaml:1:4: error: 'n' must be a finite number, got '1.0e+999' [yaml.type]"),
    ("1" + "0" * 400, {}, "t.yaml:1:4: error: 'n' must be at most 1e+15, got 100000000000000000000000… (401 "
                          "characters) [yaml.range]"),
    ("-" + "9" * 5000, {}, "t.yaml:1:4: error: 'n' must be at least -1e+15, got -99999999999999999999999… (5,001 "
                           "characters) [yaml.range]"),
    ("1.0e+300", {}, "t.yaml:1:4: error: 'n' must be at most 1e+15, got 1.0e+300 [yaml.range]"),
    ("20000", {"maximum": 10080}, "t.yaml:1:4: error: 'n' must be at most 10,080, got 20000 [yaml.range]"),
    ("-5", {"minimum": 0}, "t.yaml:1:4: error: 'n' must be at least 0, got -5 [yaml.range]"),
    ("ten", {}, "t.yaml:1:4: error: 'n' must be a number, got 'ten' [yaml.type]"),
])
def test_numbers_are_finite_and_within_bounds(text: str, bounds: dict[str, float], line: str) -> None:
    assert number(text, **bounds) == (None, [line])


def test_numbers_within_bounds_are_read() -> None:
    assert number("10080", maximum=10080) == (10080.0, [])
    assert number("1.0e+14") == (1e14, [])  # YAML 1.1 reads a float only with a point


def composed(text: str) -> list[str]:
    diags = Diagnostics()
    assert compose_yaml(text, "t.yaml", diags) is None
    return [d.render() for d in diags.items]


DEEP = "YAML nests more than 100 levels deep (an outline needs a few levels; look for unclosed brackets) [yaml.too-large]"


def test_deep_nesting_is_refused_before_libyaml_spends_minutes_on_it() -> None:
    assert composed("x: " + "[" * 100_000 + "]" * 100_000 + "\n") == [f"t.yaml:1:104: error: {DEEP}"]
    block = "event:\n" + "".join("  " * i + f"a{i}:\n" for i in range(1, 120)) + "  " * 120 + "x: 1\n"
    assert composed(block) == [f"t.yaml:101:201: error: {DEEP}"]
    assert compose_yaml("x: '" + "[]" * 150 + "'\n", "t.yaml", Diagnostics()) is not None  # many, but shallow


def test_a_huge_document_without_aliases_is_not_blamed_on_aliases() -> None:
    assert composed("x: [" + "1, " * 200_001 + "1]\n") == [
        "t.yaml:1:1: error: document has more than 200,000 values (split it into several files) [yaml.too-large]"]
