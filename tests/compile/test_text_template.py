"""The restricted Jinja path: what a template may hold, what it is refused (naming the construct), its bounds."""

from __future__ import annotations

import pytest

from lecturegen.compile.text_fields import Terms
from lecturegen.compile.text_template import MAX_TEMPLATE_CHARS, TemplateRefused, checked_template, render

VARIABLES = {"talk": {"title": "A small talk", "slot": 120},
             "event": {"name": "Spring School", "organiser": "NHS Trust"}, "audience": {"name": "", "title": ""},
             "term": Terms((("client", "patient"),))}


def expand(text: str, variables: dict[str, object] | None = None) -> str:
    return render(checked_template(text), VARIABLES if variables is None else variables)


def refusal(text: str, variables: dict[str, object] | None = None) -> tuple[str, str, str | None]:
    with pytest.raises(TemplateRefused) as info:
        expand(text, variables)
    return str(info.value), info.value.code, info.value.hint


@pytest.mark.parametrize("text, expected", [
    ("{{ event.organiser | lower }}", "nhs trust"),
    ("{% if talk.slot > 60 %}long{% elif talk.slot > 30 %}mid{% else %}short{% endif %} talk", "long talk"),
    ("{% if talk.slot\n > 60 %}a{% endif %}", "a"),
    ("{{ 'two hours' if talk.slot >= 120 else 'an hour' }}", "two hours"),
    ("{{ talk.title ~ ' at ' ~ event['name'] | upper }}", "A small talk at SPRING SCHOOL"),
    ("{% if event.venue is defined %}at {{ event.venue }}{% else %}{{ event.venue | default('online') }}{% endif %}",
     "online"),
    ("{% if audience.name == 'trainees' or not audience.title %}plain{% endif %}", "plain"),
    ("{{ talk.slot | round(-1) | int }} {{ -2 }} {{ talk.title | replace('small', 'big') | title }}",
     "120 -2 A Big Talk"),
    ("{{ term.Clients }} {{ talk.title[0] }} {{ talk.title | length }}", "Patients A 12"),
    ("{%- if 'small' in talk.title -%}\n  yes\n{%- endif %}{# a comment #}", "yes"),
])
def test_lookups_conditions_comparisons_and_named_filters_are_rendered_by_jinja(text: str, expected: str) -> None:
    assert expand(text) == expected


@pytest.mark.parametrize("text, construct", [
    ("{{ 'x' * 10**12 }}", "arithmetic ('*')"),
    ("{{ 10**10000 }}", "arithmetic ('**')"),
    ("{{ '%999999999s' % 'x' }}", "arithmetic ('%')"),
    ("{{ talk.slot + 1 }}", "arithmetic ('+')"),
    ("{{ lipsum(10000) }}", "a call ('lipsum()')"),
    ("{{ range(10**9) }}", "a call ('range()')"),
    ("{{ 'x'.ljust(10**9) }}", "a call (''x'.ljust()')"),
    ("{{ talk.title.format(1) }}", "a call ('talk.title.format()')"),
    ("{% for a in range(100000) %}{% endfor %}", "'{% for %}'"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "'{% macro %}'"),
    ("{% set ns = namespace(s='x') %}", "'{% set %}'"),
    ("{% set s %}x{% endset %}", "'{% set %}'"),
    ("{% include 'talk.yaml' %}", "'{% include %}'"),
    ("{% extends 'base' %}", "'{% extends %}'"),
    ("{% import 'm' as m %}", "'{% import %}'"),
    ("{% filter upper %}x{% endfilter %}", "'{% filter %}'"),
    ("{% with a = 1 %}{% endwith %}", "'{% with %}'"),
    ("{{ ''.__class__ }}", "the attribute '__class__'"),
    ("{{ talk['__class__'] }}", "the key '__class__'"),
    ("{{ talk[talk.title] }}", "an index that is not a constant ('talk[…]')"),
    ("{{ talk.title[1:3] }}", "a slice ('[a:b]')"),
    ("{{ [1, 2] }}", "a list ('[…]')"),
    ("{{ a, b }}", "a tuple ('a, b')"),
    ("{{ {'a': 1} }}", "a dictionary ('{…}')"),
    ("{{ 'x'|center(999999999) }}", "the filter 'center'"),
    ("{{ talk.title|indent(99999) }}", "the filter 'indent'"),
    ("{{ talk.title|list }}", "the filter 'list'"),
    ("{{ talk is callable }}", "the test 'callable'"),
    ("{{ (talk.title|upper).lower }}", "a lookup on something other than a variable ('….lower')"),
])
def test_anything_else_is_refused_naming_the_construct(text: str, construct: str) -> None:
    message, code, hint = refusal(text)
    assert (message, code) == (f"template uses {construct}, which templates do not allow", "template.not-allowed")
    assert hint is not None and ("docs/outline.md" in hint or "did you mean" in hint)


def test_a_misspelt_filter_is_named_with_the_closest_allowed_one() -> None:
    assert refusal("{{ talk.title | uper }}") == (
        "template uses the filter 'uper', which templates do not allow", "template.not-allowed",
        "did you mean 'upper'?")


def test_filter_arguments_are_constants_of_sane_size() -> None:
    assert refusal("{{ talk.title | join(talk.title) }}")[0] == (
        "template gives the filter 'join' an argument that is not a constant, which templates do not allow")
    assert refusal("{{ talk.title | replace('', 'x' * 9) }}")[0].startswith("template gives the filter 'replace' an")
    assert refusal("{{ talk.slot | round(-1000000000) }}")[:2] == (
        "template gives the filter 'round' the number -1,000,000,000 (the limit is 100)", "template.too-large")
    assert refusal("{{ talk.title | join(',', attribute='__class__') }}")[0] == (
        "template gives the filter 'join' an attribute to look up in each item, which templates do not allow")


def test_what_a_template_could_build_is_bounded_before_it_runs() -> None:
    """With no loops or calls, each node makes at most a known number of characters: a chain of filters that
    could grow a value past the limit is refused before Jinja renders anything."""
    big = {**VARIABLES, "talk": {"title": "x" * 30_000, "slot": 60}}
    assert expand("{{ talk.title | upper | lower }}", big) == "x" * 30_000
    message, code, _ = refusal("{{ talk.title" + " | upper" * 8 + " }}", big)
    assert code == "template.too-large"
    assert message.startswith("template expression could build ") and message.endswith(
        f"characters along the way (the limit is {MAX_TEMPLATE_CHARS:,})")
    assert refusal("{{ talk.title | replace('', 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy') }}", big)[1] == \
        "template.too-large"


def test_constants_are_bounded_before_jinja_compiles_them() -> None:
    """Jinja's compiler runs filters on constants to write their output as literals: 9 replaces of '' would
    make 2.5 GB there, so the constants' sizes are checked before compiling (with no variables at all)."""
    message, code, _ = refusal("{{ 'ab'" + "|replace('', 'cccccccc')" * 9 + " }}")
    assert (message, code) == ("template expression could build 2,469,805,604 characters along the way (the limit "
                               "is 1,000,000)", "template.too-large")


def test_the_text_a_template_makes_is_capped() -> None:
    big = {**VARIABLES, "talk": {"title": "x" * 60_000, "slot": 60}}
    assert refusal("{{ talk.title }}{{ talk.title }}", big)[:2] == (
        "template expression makes the text longer than the limit of 100,000 characters", "template.too-large")


def test_an_undefined_lookup_names_what_the_user_wrote() -> None:
    message, code, hint = refusal("At {% if talk.slot %}{{ event.nmae }}{% endif %}")
    assert (message, code) == ("undefined template variable 'event.nmae'", "template.undefined")
    assert hint == ("variables available: audience.name, audience.title, event.name, event.organiser, talk.slot, "
                    "talk.title; did you mean 'event.name'?")
    assert refusal("{{ nothing | upper }}")[0] == "undefined template variable 'nothing'"
    assert expand("{% if talk.slot < 60 %}{{ event.nmae }}{% endif %}ok") == "ok"  # a branch not taken


def test_syntax_errors_and_deep_nesting_are_reported() -> None:
    assert refusal("At {{ event.name")[:2] == (
        "invalid template expression: unexpected end of template, expected 'end of print statement'.",
        "template.syntax")
    assert refusal("{% if talk.slot %}x")[1] == "template.syntax"
    assert refusal("{{ " + "(" * 600 + "1" + ")" * 600 + " }}")[:2] == (
        "template expression nests too deeply", "template.too-large")
    assert refusal("{{ talk.slot > 'a' }}")[:2] == (
        "template expression failed: '>' not supported between instances of 'int' and 'str'", "template.syntax")


def test_a_checked_template_is_shared_but_its_variables_are_not() -> None:
    text = "{% if talk.slot > 60 %}long{% else %}short{% endif %} talk"
    assert expand(text, {"talk": {"slot": 120}}) == "long talk"
    assert expand(text, {"talk": {"slot": 45}}) == "short talk"
    assert checked_template(text) is checked_template(text)
    assert refusal(text, {"talk": {}})[1] == "template.undefined"
