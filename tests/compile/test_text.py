"""Templates in user text: the sandbox's work budget and the size checks made before a value is built."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecturegen.compile.text import MAX_EXPANDED_TEXT, Terms, TextResolver, clean_text
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.specs import TextSpec

AT = Location("content/sections/intro.yaml", 6, 12)
VARIABLES = {"talk": {"title": "A small talk", "slot": 10}, "event": {"name": "Spring School", "organiser": "NHS Trust"}}


def expand(text: str, resolver: TextResolver | None = None) -> tuple[str, list[str]]:
    resolver = resolver or TextResolver(Diagnostics(), VARIABLES)
    out = resolver.expand(TextSpec(text, AT))
    return out, [d.render() for d in resolver.diags.items]


def limit_error(message: str) -> list[str]:
    return [f"content/sections/intro.yaml:6:12: error: {message} [template.too-large]"]


@pytest.mark.parametrize("text, expected", [
    ("{{ talk.title }} at {{ event.name }}", "A small talk at Spring School"),
    ("{{ event.organiser | lower }}", "nhs trust"),
    ("{{ '%05.1f' % 3.14159 }} {{ '{:>5}'.format('ab') }} {{ 'ab'|center(6) }}", "003.1    ab   ab  "),
    ("{% for i in range(3) %}{{ loop.index }}/{{ loop.length }} {% endfor %}", "1/3 2/3 3/3 "),
    ("{{ range(4)|join(', ') }} {{ [1, 2, 3]|sum }} {{ 2 ** 10 }} {{ 'ab' * 3 }}", "0, 1, 2, 3 6 1024 ababab"),
    ("{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}{{ twice('ha') }}", "haha"),
    ("{{ 'a-b'|replace('-', ' to ') }} {{ 'x' ~ 'y' }}", "a to b xy"),
])
def test_ordinary_templates_still_work(text: str, expected: str) -> None:
    assert expand(text) == (expected, [])


@pytest.mark.parametrize("text, message", [
    # every way of making a huge string is refused before the string exists
    ("{{ 'x' * 10**12 }}", "template expression would make a value 1,000,000,000,000 characters long with '*' "
                           "(the limit is 100,000)"),
    ("{{ [0] * 10**9 }}", "template expression would make a value 1,000,000,000 items long with '*' "
                          "(the limit is 100,000)"),
    ("{{ lipsum(10000) }}", "template expression would make a value 12,000,000 characters long with lipsum() "
                            "(the limit is 100,000)"),
    ("{{ lipsum(1, max=10**9) }}", "template expression would make a value 12,000,000,000 characters long with "
                                   "lipsum() (the limit is 100,000)"),
    ("{{ 'x'|center(999999999) }}", "template expression would make a value 999,999,999 characters long with the "
                                    "'center' filter (the limit is 100,000)"),
    ("{{ 'x'.ljust(10**9) }}", "template expression would make a value 1,000,000,000 characters long with 'ljust()' "
                               "(the limit is 100,000)"),
    ("{{ '%999999999s' % 'x' }}", "template expression would make a value 1,000,000,010 characters long with '%' "
                                  "formatting (the limit is 100,000)"),
    ("{{ '%*d' % (10**9, 1) }}", "template expression would make a value 1,000,000,003 characters long with '%' "
                                 "formatting (the limit is 100,000)"),
    ("{{ '%s'|format('x'|center(90000)) ~ '%.99999f'|format(1.5) }}",
     "template expression would make a value 100,031 characters long with the 'format' filter "
     "(the limit is 100,000)"),
    ("{{ '{:>999999999}'.format(1) }}", "template expression would make a value 1,000,000,001 characters long with "
                                        "'format()' (the limit is 100,000)"),
    ("{{ range(100000)|join('x' * 1000) }}", "template expression would make a value 100,624,688 characters long "
                                             "with the 'join' filter (the limit is 100,000)"),
    ("{{ 'abc'|replace('', 'x' * 90000) }}", "template expression would make a value 360,003 characters long with "
                                             "the 'replace' filter (the limit is 100,000)"),
    ("{{ 'a\nb'|indent(99999) }}", "template expression would make a value 200,001 characters long with the "
                                   "'indent' filter (the limit is 100,000)"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "template expression would make a value 131,072 characters long with '~' (the limit is 100,000)"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
     "template expression would make a value 131,072 characters long with '+' (the limit is 100,000)"),
    ("{{ [1, 2]|batch(10**9, 'x')|list }}", "template expression would make a value 1,000,000,000 items long with "
                                            "the 'batch' filter (the limit is 100,000)"),
    ("{{ range(10**9)|list }}", "template expression would make a range of 1,000,000,000 numbers "
                                "(the limit is 100,000)"),
    ("{{ (1).to_bytes(10**9, 'big') }}", "template expression passes 1,000,000,000 to 'to_bytes()' "
                                         "(the limit is 100,000)"),
    # integers: the size of the result is known from the operands
    ("{{ 10**10000 }}", "template expression would make a number of 10,001 digits with '**' (the limit is 1,000)"),
    ("{{ 9 ** (9 ** 9) }}", "template expression would make a number of 369,693,100 digits with '**' "
                         "(the limit is 1,000)"),
    ("{% set ns = namespace(n=10**900) %}{{ ns.n * ns.n }}",
     "template expression would make a number of 1,801 digits with '*' (the limit is 1,000)"),
    ("{{ 2.0 ** 10000 }}", "template expression makes a number too large with '**'"),
    ("{{ 2 ** 1" + "0" * 400 + " }}", "template expression would raise a number to the power "
                                   "100000000000000000000000… (401 characters) with '**' (the limit is 1,000 digits)"),
    ("{{ 2.5 ** 1" + "0" * 400 + " }}", "template expression makes a number too large with '**'"),
    # work: loops, recursion and output are counted as they happen
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
     "template expression takes more than 100,000 steps (loop turns, calls, filters and operators)"),
    ("{% set r = range(1000)|list %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
     "template expression takes more than 100,000 steps (loop turns, calls, filters and operators)"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
     "template expression takes more than 100,000 steps (loop turns, calls, filters and operators)"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
     "template expression nests too deeply (macros or brackets within themselves)"),
    ("{% for i in range(100000) %}xxxxxxxxxx{% endfor %}",
     "template expression makes the text longer than the limit of 100,000 characters"),
    ("{% set big = 'x' * 90000 %}{% set s %}{% for i in range(90000) %}{{ big }}{% endfor %}{% endset %}",
     "template expression builds more than 1,000,000 characters along the way"),
    ("{{ [[range(100000)|list] * 100000] }}",
     "template expression makes the text longer than the limit of 100,000 characters"),
    ("{{ [[1] * 1000] * 100|sum(start=[]) }}",
     "template expression uses the 'sum' filter on something other than numbers, which templates do not allow"),
    ("{{ [" + "1, " * 1000 + "] }}", "template code in this text is 3,008 characters long (the limit is 2,000)"),
])
def test_costly_templates_are_refused_naming_the_limit(text: str, message: str) -> None:
    out, diagnostics = expand(text)
    assert diagnostics == limit_error(message)
    assert out == text  # the text is left as written; the build fails on the error


def test_the_talk_has_one_budget_for_all_its_texts() -> None:
    """Many texts that are each just inside the per-text budget still cannot add up to an endless build."""
    resolver = TextResolver(Diagnostics(), VARIABLES)
    heavy = "{% for a in range(300) %}{% for b in range(300) %}{% endfor %}{% endfor %}"  # ~90,000 steps
    outputs = [expand(heavy + f"{i}", resolver)[0] for i in range(10)]
    assert outputs[:5] == [f"{i}" for i in range(5)]
    assert [d.render() for d in resolver.diags.items] == [
        "content/sections/intro.yaml:6:12: error: template expressions in this talk take more than 500,000 steps "
        "in all (loop turns, calls, filters and operators) [template.too-large]"]
    assert outputs[6:] == [heavy + f"{i}" for i in range(6, 10)]


def test_sandbox_still_refuses_attribute_escapes_and_mutation() -> None:
    assert expand("{{ ''.__class__ }}")[1] == [
        "content/sections/intro.yaml:6:12: error: invalid template expression: access to attribute '__class__' of "
        "'str' object is unsafe. [template.syntax]"]
    assert expand("{% set l = [] %}{{ l.append(1) }}")[1] == [
        "content/sections/intro.yaml:6:12: error: invalid template expression: access to attribute 'append' of "
        "'list' object is unsafe. [template.syntax]"]


# -- fuzzing: arbitrary expressions end in text or a diagnostic, quickly ----------------------------------------

ATOMS = st.sampled_from([
    "1", "0", "-1", "9", "10**9", "99999", "2.5", "1e308", "'x'", "''", "'ab\\n'", "'%s'", "'{}'", "[1, 2]", "[]",
    "(1,)", "{'a': 1}", "talk", "talk.title", "event.name", "range(5)", "range(100000)", "lipsum", "none", "true",
    "loop", "x", "namespace(a=1)", "dict(a=1)", "'%99999s'", "'{:99999}'",
])
FILTERS = st.sampled_from([
    "upper", "center(99999)", "join('xx')", "replace('', 'yy')", "format(1, 2)", "list", "sum", "batch(3)",
    "slice(99999)", "indent(50)", "wordwrap(1, true, 'zz')", "tojson(4)", "pprint", "string", "length", "first",
    "reverse", "urlize", "e", "title", "truncate(5)", "int", "float", "round(2)", "unique", "sort", "default('d')",
])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(ATOMS)
    kind = draw(st.sampled_from(["binop", "filter", "call", "attr", "item", "list"]))
    left = draw(expressions(depth - 1))
    if kind == "binop":
        return f"({left} {draw(st.sampled_from(['+', '-', '*', '/', '//', '%', '**', '~']))} " \
               f"{draw(expressions(depth - 1))})"
    if kind == "filter":
        return f"({left}|{draw(FILTERS)})"
    if kind == "call":
        return f"{left}({draw(expressions(depth - 1))})"
    if kind == "attr":
        return f"{left}.{draw(st.sampled_from(['ljust', 'center', 'join', 'format', 'replace', 'items', 'upper']))}"
    if kind == "item":
        return f"{left}[{draw(expressions(depth - 1))}]"
    return f"[{left}, {draw(expressions(depth - 1))}]"


@st.composite
def templates(draw: st.DrawFn) -> str:
    body = draw(expressions())
    shape = draw(st.sampled_from(["{{ %s }}", "{%% for i in %s %%}{{ i }}{%% endfor %%}",
                                  "{%% set v = %s %%}{{ v }}{{ v }}", "{{ %s }}{{ %s }}"]))
    return shape.replace("%s", body).replace("%%", "%")


@settings(max_examples=300, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_arbitrary_expressions_never_escape_expand(text: str) -> None:
    out, diagnostics = expand(text)
    assert len(out) <= MAX_EXPANDED_TEXT or out == text
    assert all(" error: " in line and line.startswith("content/sections/intro.yaml:6:12: ") for line in diagnostics)


@settings(max_examples=200, deadline=3000)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60))
def test_arbitrary_text_inside_tags_never_escapes_expand(inside: str) -> None:
    for text in (f"{{{{ {inside} }}}}", f"{{% {inside} %}}", f"a {{{{ {inside}"):
        out, diagnostics = expand(text)
        assert out == clean_text(text) or not diagnostics


# -- plain lookups without compiling a template ---------------------------------------------------------------

def _through_jinja(text: str, variables: dict[str, object]) -> tuple[str, list[str]]:
    resolver = TextResolver(Diagnostics(), dict(variables))
    resolver._simple_fields = lambda _text: None  # type: ignore[method-assign]  # force the sandbox
    return expand(text, resolver)


LOOKUP_VARIABLES = {"talk": {"title": "A {{ small }} talk", "slot": 60.0, "items": "x"},
                    "event": {"name": "Spring School", "count": 12, "flag": True, "none": None},
                    "term": Terms((("client", "patient"),))}
FIELDS = ["talk.title", "talk.slot", "talk.items", "talk.missing", "event.name", "event.count", "event.flag",
          "event.none", "term.client", "term.Clients", "term.words", "term.other", "nothing.here", "event.keys"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FIELDS).map(lambda f: f"{{{{ {f} }}}}"),
                          st.sampled_from(["{{talk.title}}", "{{ talk.title|lower }}", "{{- event.name }}",
                                           "{% if true %}y{% endif %}", "{# c #}", "}}", "{", "\n"]),
                          st.text(alphabet="ab {}\n\r\x0c\u2028", max_size=6)), max_size=6).map("".join))
def test_a_plain_lookup_expands_exactly_as_the_sandbox_would(text: str) -> None:
    resolver = TextResolver(Diagnostics(), dict(LOOKUP_VARIABLES))
    fast = resolver._simple_fields(clean_text(text))  # as expand() hands it over
    if fast is not None and ("{{" in text or "{%" in text):  # text without a mark never reaches a template
        assert (clean_text(fast), []) == _through_jinja(text, LOOKUP_VARIABLES)


def test_the_lookups_content_uses_take_the_fast_path() -> None:
    resolver = TextResolver(Diagnostics(), dict(LOOKUP_VARIABLES))
    assert resolver._simple_fields("Our {{ term.Clients }} in {{ event.name }}\n") == "Our Patients in Spring School"
    for text in ("{{ talk.missing }}", "{{ term.words }}", "{{ event.keys }}", "{{ event.none }}",
                 "{{ talk.title | upper }}", "{% if x %}{% endif %}"):
        assert resolver._simple_fields(text) is None, text


def test_a_compiled_template_is_shared_but_its_variables_and_budget_are_not() -> None:
    """Templates are compiled once per process (both passes of a build, every rebuild of watch): each
    resolver still renders with its own variables, is charged the same steps, and hears its own errors."""
    text = "{% if talk.slot > 60 %}long{% else %}short{% endif %} talk"
    loc = Location("content/talks/t.yaml", 2, 3)
    long_talk = TextResolver(Diagnostics(), {"talk": {"slot": 120}})
    short_talk = TextResolver(Diagnostics(), {"talk": {"slot": 45}})
    assert long_talk.expand(TextSpec(text, loc)) == "long talk"
    assert short_talk.expand(TextSpec(text, loc)) == "short talk"
    assert long_talk._steps_left == short_talk._steps_left  # charged alike, compiled or not
    missing = Diagnostics()
    TextResolver(missing, {"talk": {}}).expand(TextSpec(text, loc))
    assert [d.code for d in missing.items] == ["template.undefined"]


CONDITIONS = ["talk.slot > 60", "talk.slot <= 60.0", "event.count == 12", "event.count != '12'", "event.flag",
              "event.none", "talk.title", "term.client", "talk.missing", "talk.items", "event.name < 'T'",
              "talk.slot > 'a'", "event.count >= -3", "nothing.here", "event.keys", "0", "'x' == \"x\"",
              "talk.slot > 60 and event.flag", "not event.flag", "event.count|int > 3"]
BLOCK_TAGS = ([f"{{% if {c} %}}" for c in CONDITIONS] + [f"{{% elif {c} %}}" for c in CONDITIONS[:6]]
              + ["{% else %}", "{% endif %}", "{%- if event.flag %}", "{% endif -%}", "{%else%}", "{% endif x %}",
                 "{% for x in [1] %}", "{% endfor %}", "{% if talk.slot\n> 60 %}", "{% if %}", "{% elif %}",
                 "{% if  %}"])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(BLOCK_TAGS), st.sampled_from(BLOCK_TAGS[:3] + ["{% else %}", "{% endif %}"]),
                          st.sampled_from(FIELDS).map(lambda f: f"{{{{ {f} }}}}"),
                          st.text(alphabet="ab {}%\n", max_size=5)), max_size=9).map("".join))
def test_an_if_block_expands_exactly_as_the_sandbox_would(text: str) -> None:
    _assert_fast_path_agrees_with_the_sandbox(text)


def _assert_fast_path_agrees_with_the_sandbox(text: str) -> None:
    resolver = TextResolver(Diagnostics(), dict(LOOKUP_VARIABLES))
    fast = resolver._simple_fields(clean_text(text))
    if fast is not None and ("{{" in text or "{%" in text):
        assert (clean_text(fast), []) == _through_jinja(text, LOOKUP_VARIABLES), text


def test_the_blocks_content_uses_take_the_fast_path() -> None:
    resolver = TextResolver(Diagnostics(), {"talk": {"slot": 120, "title": "T"}})
    text = "Opening. {% if talk.slot > 60 %}Two hours: {{ talk.title }}.{% else %}One hour.{% endif %}\n"
    assert resolver._simple_fields(text) == "Opening. Two hours: T."
    assert resolver._simple_fields("{% if talk.slot < 60 %}a{% elif talk.slot == 120 %}b{% else %}c{% endif %}") == "b"
    for text in ("{% if talk.slot %}open", "{% endif %}", "{% if talk.slot > 60 and talk.title %}a{% endif %}",
                 "{% if talk.slot > 'x' %}a{% endif %}", "{%- if talk.slot %}a{% endif %}"):
        assert resolver._simple_fields(text) is None, text


def _balanced_blocks() -> st.SearchStrategy[str]:
    """Well-formed if/elif/else blocks, nested, over any of the conditions and lookups (most are simple)."""
    fields = st.one_of(st.sampled_from(["talk.title", "talk.slot", "event.name", "event.count", "term.client"]),
                       st.sampled_from(FIELDS))
    leaf = st.one_of(fields.map(lambda f: f"{{{{ {f} }}}}"), st.text(alphabet="ab \n", max_size=4))

    def block(body: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        # Mostly conditions the fast path reads, so that most examples compare it with the sandbox.
        condition = st.one_of(st.sampled_from(CONDITIONS[:8]), st.sampled_from(CONDITIONS[:8]), st.sampled_from(CONDITIONS))
        return st.tuples(condition, body, st.lists(st.tuples(condition, body), max_size=2),
                         st.one_of(st.none(), body)).map(
            lambda p: f"{{% if {p[0]} %}}{p[1]}" + "".join(f"{{% elif {c} %}}{b}" for c, b in p[2])
            + (f"{{% else %}}{p[3]}" if p[3] is not None else "") + "{% endif %}")

    return st.recursive(leaf, lambda inner: st.lists(st.one_of(inner, block(inner)), max_size=3).map("".join),
                        max_leaves=8)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_balanced_blocks())
def test_a_nested_block_expands_exactly_as_the_sandbox_would(text: str) -> None:
    _assert_fast_path_agrees_with_the_sandbox(text)


def test_the_fast_path_leaves_deep_or_unclosed_blocks_to_the_sandbox() -> None:
    """Ten thousand nested ifs or unclosed tags are not the fast path's to read (it stays linear in the
    text); the sandbox then refuses them by its own bounds."""
    resolver = TextResolver(Diagnostics(), {"talk": {"slot": 120}})
    nested = "{% if talk.slot %}x" * 10_000 + "{% endif %}" * 10_000
    assert resolver._simple_fields(nested) is None
    assert resolver._simple_fields("{%" * 100_000) is None
    shallow = "{% if talk.slot %}" * 16 + "x" + "{% endif %}" * 16
    assert resolver._simple_fields(shallow) == "x"
    out, diagnostics = expand(nested)
    assert diagnostics  # refused by the sandbox's limits, located
