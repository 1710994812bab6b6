"""The one link policy: http, https and mailto, no credentials, no hidden characters, misleading hosts in ASCII."""

from __future__ import annotations

import pytest

from lecturegen.model.links import MAX_LINK_LENGTH, is_safe_link, link_problem, link_target, shown_link


@pytest.mark.parametrize("url,problem", [
    ("javascript:alert(document.cookie)//https://x", "has 'javascript:' scheme; only http, https and mailto links "
                                                      "are written"),
    ("file:///etc/passwd", "has 'file:' scheme; only http, https and mailto links are written"),
    ("data:text/html;base64,PHNjcmlwdD4=", "has 'data:' scheme; only http, https and mailto links are written"),
    ("example.com/list", "has no scheme; only http, https and mailto links are written"),
    ("http://example.com/\r\nSet-Cookie: x", "contains the invisible, control or direction character U+000D; "
                                             "links may not hide what they open"),
    ("http://user:pass@evil.example@good.example/", "carries a user name or password (the part before '@'); "
                                                    "links may not"),
    ("https://example.com/" + "\u200b" * 800, "contains the invisible, control or direction character U+200B; "
                                              "links may not hide what they open"),
    ("https://\u202eexample.com", "contains the invisible, control or direction character U+202E; links may not "
                                  "hide what they open"),
    ("https://exa mple.com", "contains a space; write it as %20"),
    ("https://a..b/", "has the host name 'a..b', which is not a valid internet name"),
    ("mailto:nobody", "is not a mailto address (mailto:name@host)"),
    ("https://example.com/" + "a" * MAX_LINK_LENGTH, f"is {MAX_LINK_LENGTH + 20:,} characters long; the limit is "
                                                     f"{MAX_LINK_LENGTH:,}"),
])
def test_unsafe_links_are_named(url: str, problem: str) -> None:
    assert link_problem(url) == problem
    assert not is_safe_link(url)


@pytest.mark.parametrize("url", ["https://example.com/a?b=c#d", "HTTP://EXAMPLE.COM", "mailto:a@example.org",
                                 "https://[::1]:8080/x", "https://bücher.example/"])
def test_safe_links_pass(url: str) -> None:
    assert link_problem(url) is None


def test_a_host_that_could_pass_for_another_is_shown_and_written_in_ascii() -> None:
    assert shown_link("https://аррӏе.com/") == "https://xn--80ak6aa92e.com/"  # Cyrillic letters only
    assert shown_link("https://pаypal.com/") == "https://xn--pypal-4ve.com/"  # one Cyrillic 'а' among Latin
    assert shown_link("https://bücher.example/x") == "https://bücher.example/x"  # readable, and what it says
    assert link_target("https://bücher.example:8443/x") == "https://xn--bcher-kva.example:8443/x"
