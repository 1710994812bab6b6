"""The resolver's templates: plain lookups or the restricted Jinja path, errors located at the text, and caps
on the template code of one text and of the whole talk."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecturegen.compile.text import TextResolver, clean_text
from lecturegen.compile.text_fields import MAX_EXPANDED_TEXT, Terms
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Citation
from lecturegen.sources.specs import TextSpec

AT = Location("content/sections/intro.yaml", 6, 12)
VARIABLES = {"talk": {"title": "A small talk", "slot": 10},
             "event": {"name": "Spring School", "organiser": "NHS Trust"}, "term": Terms((("client", "patient"),))}


def expand(text: str, resolver: TextResolver | None = None) -> tuple[str, list[str]]:
    resolver = resolver or TextResolver(Diagnostics(), VARIABLES)
    out = resolver.expand(TextSpec(text, AT))
    return out, [d.render() for d in resolver.diags.items]


def test_lookups_and_conditions_are_expanded() -> None:
    assert expand("{{ talk.title }} at {{ event.name }} for {{ term.clients }}") == (
        "A small talk at Spring School for patients", [])
    assert expand("{% if talk.slot > 60 %}long{% else %}short{% endif %}: {{ event.organiser | lower }}") == (
        "short: nhs trust", [])


def test_a_refused_template_is_left_as_written_with_a_located_error_and_a_hint() -> None:
    text = "{% for i in range(10**9) %}x{% endfor %}"
    out, diagnostics = expand(text)
    assert out == text  # the build fails on the error
    assert diagnostics == [
        "content/sections/intro.yaml:6:12: error: template uses '{% for %}', which templates do not allow (a template "
        "may look up a value ({{ event.name }}), compare, choose with {% if %}…{% else %}…{% endif %}, join with '~' "
        "and apply a filter such as upper, lower or default; docs/outline.md lists them) [template.not-allowed]"]


def test_each_error_is_reported_once_per_place() -> None:
    resolver = TextResolver(Diagnostics(), VARIABLES)
    for _ in range(3):
        expand("At {{ event.nmae }}", resolver)
    assert [d.code for d in resolver.diags.items] == ["template.undefined"]


def test_the_template_code_of_one_text_is_capped() -> None:
    assert expand("{{ [" + "1, " * 1000 + "] }}")[1] == [
        "content/sections/intro.yaml:6:12: error: template code in this text is 3,008 characters long (the limit is "
        "2,000) [template.too-large]"]
    nested = "{% if talk.slot %}x" * 10_000 + "{% endif %}" * 10_000
    assert expand(nested)[1][0].endswith("[template.too-large]")


def test_the_talk_has_one_cap_for_the_template_code_of_all_its_texts() -> None:
    """Many texts each just inside the per-text cap cannot add up to an endless build; the same text again
    is not charged twice (both passes of a build, every slide repeating a footer)."""
    resolver = TextResolver(Diagnostics(), VARIABLES)
    body = "{% if talk.slot > 0 %}" + "{{ talk.title | upper }}" * 79 + "{% endif %}"  # 1,929 characters of code
    outputs = [expand(body + f"{i}", resolver)[0] for i in range(30)]
    expand(body + "0", resolver)
    assert outputs[:25] == ["A SMALL TALK" * 79 + f"{i}" for i in range(25)]
    assert outputs[26:] == [body + f"{i}" for i in range(26, 30)]
    assert [d.render() for d in resolver.diags.items] == [
        "content/sections/intro.yaml:6:12: error: template code in this talk is longer than 50,000 characters "
        "in all [template.too-large]"]


def test_runs_collect_citations_after_expanding_templates() -> None:
    resolver = TextResolver(Diagnostics(), VARIABLES)
    runs = resolver.runs(TextSpec("{{ term.Clients }} felt met [@cooper2005].", AT))
    assert "".join(run.text for run in runs) == "Patients felt met (citation)."
    assert [item.key for citation in resolver.collected if isinstance(citation, Citation)
            for item in citation.items] == ["cooper2005"]


# -- fuzzing: arbitrary expressions end in text or a diagnostic, quickly ----------------------------------------

ATOMS = st.sampled_from([
    "1", "0", "-1", "9", "10**9", "99999", "2.5", "1e308", "'x'", "''", "'ab\\n'", "'%s'", "'{}'", "[1, 2]", "[]",
    "(1,)", "{'a': 1}", "talk", "talk.title", "event.name", "range(5)", "range(100000)", "lipsum", "none", "true",
    "loop", "x", "namespace(a=1)", "dict(a=1)", "term.client", "talk.slot > 5", "'%99999s'", "'{:99999}'",
])
FILTERS = st.sampled_from([
    "upper", "center(99999)", "join('xx')", "replace('', 'yy')", "format(1, 2)", "list", "sum", "batch(3)",
    "slice(99999)", "indent(50)", "wordwrap(1, true, 'zz')", "tojson(4)", "pprint", "string", "length", "first",
    "reverse", "urlize", "e", "title", "truncate(5)", "int", "float", "round(2)", "unique", "sort", "default('d')",
    "lower", "trim", "capitalize", "last", "count", "abs", "wordcount", "d(1)", "round(-99, 'ceil')", "join",
])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(ATOMS)
    kind = draw(st.sampled_from(["binop", "filter", "filter", "compare", "call", "attr", "item", "list"]))
    left = draw(expressions(depth - 1))
    if kind == "binop":
        return f"({left} {draw(st.sampled_from(['+', '-', '*', '/', '//', '%', '**', '~']))} " \
               f"{draw(expressions(depth - 1))})"
    if kind == "filter":
        return f"({left}|{draw(FILTERS)})"
    if kind == "compare":
        operator = draw(st.sampled_from(['==', '<', '>=', 'in', 'and', 'or', 'if talk.slot else', 'is defined and']))
        return f"({left} {operator} {draw(expressions(depth - 1))})"
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
    shape = draw(st.sampled_from(["{{ %s }}", "{%% for i in %s %%}{{ i }}{%% endfor %%}", "{{ %s ~ %s }}",
                                  "{%% set v = %s %%}{{ v }}{{ v }}", "{{ %s }}{{ %s }}",
                                  "{%% if %s %%}a{%% elif %s %%}b{%% else %%}{{ %s }}{%% endif %%}"]))
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


def test_a_known_expansion_is_used_and_jinjas_are_recorded() -> None:
    from lecturegen.compile.text import TextResolver
    from lecturegen.diagnostics import Diagnostics, Location
    from lecturegen.sources.specs import TextSpec

    text = "{% if talk.slot > 60 %}long{% else %}short{% endif %}"
    where = Location("talk.yaml", 1, 1)
    known = TextResolver(Diagnostics(), {"talk": {"slot": 60}}, known={text: "remembered"})
    assert known.expand(TextSpec(text, where)) == "remembered"
    fresh = TextResolver(Diagnostics(), {"talk": {"slot": 60}})
    assert fresh.expand(TextSpec(text, where)) == "short"
    assert fresh.expanded == {text: "short"}
    refused = TextResolver(Diagnostics(), {"talk": {"slot": 60}})
    refused.expand(TextSpec("{% for x in talk %}{{ x }}{% endfor %}", where))
    assert refused.expanded == {} and refused.diags.items
