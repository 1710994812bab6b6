"""Diagnostics stay one line and truthful whatever the file names and values they quote."""

from __future__ import annotations

from lecturegen.diagnostics import Diagnostic, Location, choice_hint, escape_unprintable, shorten


def test_control_characters_in_names_and_values_are_escaped_not_hidden() -> None:
    line = Diagnostic("error", "unknown talk 'key\nnote\x1b[31m'", "talk.unknown",
                      Location("content/talks/a\rb.yaml", 3, 1), hint="did you mean 'key\tnote'?").render()
    assert line == ("content/talks/a\\rb.yaml:3:1: error: unknown talk 'key\\nnote\\x1b[31m' (did you mean "
                    "'key\\tnote'?) [talk.unknown]")
    assert "\n" not in line and "\x1b" not in line


def test_invisible_and_direction_characters_are_shown() -> None:
    # A right-to-left override or a zero-width space would make the line say something else than it does.
    assert escape_unprintable("a\u202eb\u200bc\U000e0001\x7f\x85") == "a\\u202eb\\u200bc\\U000e0001\\x7f\\x85"


def test_printable_text_in_any_script_is_left_alone() -> None:
    text = "العمق العلائقي · Flückiger 🤝 — “quoted”"
    assert escape_unprintable(text) == text


def test_long_values_are_shortened_with_their_length() -> None:
    assert shorten("x" * 40) == "x" * 40
    assert shorten("1" * 5000) == "1" * 24 + "… (5,000 characters)"


def test_choice_hint_names_the_closest_choice_or_else_all_of_them() -> None:
    assert choice_hint("fdae", ("none", "fade")) == "did you mean 'fade'?"
    assert choice_hint("zzz", ("none", "fade")) == "expected one of: 'fade', 'none'"
