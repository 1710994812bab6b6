"""Plain `{{ name.key }}` lookups expanded without Jinja, exactly as Jinja expands them; the audience's terms."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecturegen.compile.text_fields import Terms, plain_lookups, variable_names
from lecturegen.compile.text_template import TemplateRefused, checked_template, render

VARIABLES = {"talk": {"title": "A {{ small }} talk", "slot": 60.0, "items": "x"},
             "event": {"name": "Spring School", "count": 12, "flag": True, "none": None},
             "term": Terms((("client", "patient"),))}
FIELDS = ["talk.title", "talk.slot", "talk.items", "talk.missing", "event.name", "event.count", "event.flag",
          "event.none", "term.client", "term.Clients", "term.words", "term.other", "nothing.here", "event.keys"]


def through_jinja(text: str) -> str | None:
    try:
        return render(checked_template(text), VARIABLES)
    except TemplateRefused:
        return None


def test_the_lookups_content_uses_are_expanded_without_jinja() -> None:
    assert plain_lookups("Our {{ term.Clients }} in {{event.name}}\n", VARIABLES) == "Our Patients in Spring School"
    assert plain_lookups("{{ talk.slot }} minutes, {{ event.count }} people", VARIABLES) == "60.0 minutes, 12 people"


def test_anything_but_a_plain_lookup_is_left_to_jinja() -> None:
    for text in ("{{ talk.missing }}", "{{ term.words }}", "{{ event.keys }}", "{{ event.none }}",
                 "{{ event.flag }}", "{{ talk.title | upper }}", "{% if x %}{% endif %}", "{# note #}{{ talk.slot }}",
                 "{{{ talk.slot }}", "{{ talk.slot }} {{ 1 }}", "{{ nothing.here }}"):
        assert plain_lookups(text, VARIABLES) is None, text


def test_a_value_is_not_read_as_template_code() -> None:
    """`talk.title` holds "{{ small }}": it is shown as written, as Jinja shows it."""
    assert plain_lookups("{{ talk.title }}", VARIABLES) == "A {{ small }} talk" == through_jinja("{{ talk.title }}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FIELDS).map(lambda f: f"{{{{ {f} }}}}"),
                          st.sampled_from(["{{talk.title}}", "{{ talk.title|lower }}", "{{- event.name }}",
                                           "{% if true %}y{% endif %}", "{# c #}", "}}", "{", "\n"]),
                          st.text(alphabet="ab {}\n\r\x0c\u2028", max_size=6)), max_size=6).map("".join))
def test_a_plain_lookup_expands_exactly_as_jinja_would(text: str) -> None:
    fast = plain_lookups(text, VARIABLES)
    if fast is not None and ("{{" in text or "{%" in text):  # text without a mark never reaches a template
        assert fast == through_jinja(text)


def test_terms_follow_the_marker_in_number_and_case() -> None:
    terms = Terms((("client", "patient"),))
    assert [terms[k] for k in ("client", "clients", "Client", "CLIENTS", "therapist")] == [
        "patient", "patients", "Patient", "PATIENTS", "therapist"]


def test_variable_names_list_every_lookup_but_the_open_ended_terms() -> None:
    assert variable_names(VARIABLES) == ["talk.title", "talk.slot", "talk.items", "event.name", "event.count",
                                         "event.flag", "event.none"]


def test_expanding_only_lookups_does_not_import_jinja() -> None:
    code = ("import sys\nfrom lecturegen.compile.text import TextResolver\n"
            "from lecturegen.compile.text_fields import Terms\n"
            "from lecturegen.diagnostics import Diagnostics, Location\n"
            "from lecturegen.sources.specs import TextSpec\n"
            "r = TextResolver(Diagnostics(), {'talk': {'title': 'T'}, 'term': Terms()})\n"
            "print(r.expand(TextSpec('{{ talk.title }} for {{ term.clients }}', Location('a.yaml', 1, 1))))\n"
            "print('jinja2' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split("\n")[:2] == ["T for clients", "False"], done.stderr
