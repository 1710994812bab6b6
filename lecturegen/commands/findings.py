"""Command layer: what a build and `check` both report beyond compiling — geometry, contrast, uncited entries."""

from __future__ import annotations


from lecturegen.build import Prepared
from lecturegen.diagnostics import Diagnostics
from lecturegen.workspace import Workspace


def _geometry(prepared: Prepared, diags: Diagnostics) -> None:
    """What the shared checker and LibreOffice would find on the slides, found in the model before writing."""
    from lecturegen.compile.geometry import geometry_findings
    from lecturegen.compile.legibility import contrast_findings

    deck = prepared.result.deck
    geometry_findings(deck, diags)
    if deck.style is not None:
        contrast_findings(deck.slides, prepared.loaded.template, deck.style, diags)


def _uncited_entries(workspace: Workspace, prepared: Prepared, diags: Diagnostics) -> None:
    """Bibliography entries that no file in content/ cites: information, never an error."""
    import re

    keys = prepared.citations.bib.keys()
    if not keys:
        return
    content = workspace.root / "content"
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(content.rglob("*.y*ml"))
                     if p.stat().st_size < 2_000_000)
    import unicodedata

    # A key counts as cited wherever it stands as a word (Unicode letters included): `[@flückiger2018]` in
    # outlines, `source: [key]` in dataset sidecars.
    text = unicodedata.normalize("NFC", text)
    words: set[str] | None = None
    for key in keys:
        cited = _stands_as_word(text, key)
        if cited is None:  # a key that occurs thousands of times inside other words: split the text once
            if words is None:
                words = set(re.findall(_WORD_TOKEN, text))
            cited = key in words
        if not cited:
            entry = prepared.citations.bib.get(key)
            diags.info(f"bibliography entry '{key}' is cited by no talk", "bib.uncited",
                       entry.location if entry else None)


_WORD_TOKEN = r"\w[\w:./+-]*\w|\w"  # a word as citation keys are written: inner ':./+-' allowed


def _stands_as_word(text: str, key: str, tries: int = 1000) -> bool | None:
    """Whether `key` is one of the text's words (`_WORD_TOKEN`s), found without splitting the whole text;
    None after `tries` places where it occurs inside another word.

    Each place the key occurs is a word when the word around it begins and ends there: no word character
    next to it, nor one beyond a run of ':./+-' (which joins words)."""
    import re

    if not re.fullmatch(_WORD_TOKEN, key):
        return False
    word = re.compile(r"\w").match
    joiners = ":./+-"
    start = text.find(key)
    while start != -1:
        end = start + len(key)
        before = start - 1
        while before >= 0 and text[before] in joiners:
            before -= 1
        after = end
        while after < len(text) and text[after] in joiners:
            after += 1
        if not (before >= 0 and word(text, before)) and not (after < len(text) and word(text, after)):
            return True
        tries -= 1
        if tries <= 0:
            return None
        start = text.find(key, start + 1)
    return False
