"""Compile layer: spelling and terminology findings over a talk's text, as located warnings (pure)."""

from __future__ import annotations

import bisect
import re
from dataclasses import field
from typing import Iterable, Protocol, Sequence

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.compile.terms import TermIndex
from lecturegen.records import record
from lecturegen.sources.dictionary import TermSpec
from lecturegen.sources.specs import SlideSpec, TalkSpec, TextSpec


class Lexicon(Protocol):
    """What the checker needs from a dictionary (lecturegen.sources.dictionary.Dictionary is one)."""

    def knows(self, word: str) -> bool: ...

    def suggest(self, word: str, limit: int = 3) -> tuple[str, ...]: ...


# Text that is not prose: blanked (same length, so offsets stay true) before words are read. Matches start only
# where a run begins, and template tags are bounded, so that no input makes the search quadratic.
_NOT_PROSE = re.compile(
    r"\{\{.{0,400}?\}\}|\{%.{0,400}?%\}|\{#.{0,400}?#\}"  # Jinja expressions, statements and comments
    r"|\[[^\[\]]*@[^\[\]]*\]"  # bracketed citations with their locators: [@mearns2005, p. xii]
    r"|(?<![\w@.])-?@[\w:.#$%&+?<>~/-]*\w"  # narrative citations: @cooper2005
    r"|\]\([^)\s]*\)"  # the target of a markdown link [text](target)
    r"|\b(?:https?|ftp)://\S+|\bmailto:\S+|\bwww\.\S+|\bdoi:\S+"  # addresses
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<!\w)[^\W\d_]{1,3}(?=\s*[=<>≤≥])",  # statistical symbols in "es = .85", "p < .001", "SD = 1.2"
    re.DOTALL | re.IGNORECASE,
)
# A word: letters and digits, joined by apostrophes or hyphens ("person-centred", "therapist's", "clients'").
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*['’]?")
_POSSESSIVE = re.compile(r"(?:['’][sS]|(?<=[sS])['’])$")
MAX_SUGGESTED_WORDS = 40  # findings after these are reported without a did-you-mean
MAX_SUGGESTED_LENGTH = 30  # nor are longer words (no English word the dictionary could offer is longer)
_NOWHERE = Location("")
_MORE_TIMES = "here and {n} more time{s} in this file"


@record(frozen=False)
class _Cluster:
    """Every place one finding occurs in one file: reported once, at the first, with a count."""

    shown: str
    places: list[tuple[Location, int]] = field(default_factory=list)  # where the text is, offset in the text

    def add(self, location: Location | None, offset: int) -> None:
        self.places.append((location or _NOWHERE, offset))

    def first(self) -> Location | None:
        location = min(self.places)[0]
        return None if location == _NOWHERE else location

    def order(self) -> tuple[tuple[Location, int], str]:
        return min(self.places), self.shown

    def more(self) -> str:
        n = len(self.places) - 1
        return _MORE_TIMES.format(n=n, s="" if n == 1 else "s") if n else ""


@record(frozen=False)
class _Checker:
    dictionary: Lexicon | None
    terms: TermIndex
    accepted: frozenset[str]  # folded words of the preferred forms: the workspace says they are right
    verdicts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # token → its misspelt parts
    known: dict[str, bool] = field(default_factory=dict)  # one lookup per unique word, whatever the lexicon caches
    spelling: dict[tuple[str, str], _Cluster] = field(default_factory=dict)
    terminology: dict[tuple[str, str, str], _Cluster] = field(default_factory=dict)

    def check(self, text: str, location: Location | None) -> None:
        prose = _NOT_PROSE.sub(lambda m: " " * len(m.group()), text)
        path = location.path if location else ""
        taken: list[tuple[int, int]] = []
        for index, start, end in self.terms.find(prose):
            taken.append((start, end))
            term = self.terms.terms[index]
            found = " ".join(prose[start:end].split())
            term_key = (path, term.preferred, found.casefold())
            self.terminology.setdefault(term_key, _Cluster(found)).add(location, start)
        if self.dictionary is None:
            return
        starts, ends = _merged(taken)
        for match in _WORD.finditer(prose):
            # A flagged terminology variant is one finding, not also a spelling one.
            at = bisect.bisect_right(starts, match.start()) - 1
            if at >= 0 and match.start() < ends[at]:
                continue
            dotted = prose.startswith(".", match.end())
            for word in self._misspelt(match.group(), dotted):
                key = (path, word.casefold())
                self.spelling.setdefault(key, _Cluster(word)).add(location, match.start())

    def _misspelt(self, token: str, dotted: bool) -> tuple[str, ...]:
        key = token + "." if dotted else token
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self.verdicts[key] = self._judge(token, dotted)
        return verdict

    def _judge(self, token: str, dotted: bool) -> tuple[str, ...]:
        # Quotation marks are not part of the word; a final apostrophe after an s is a plural possessive.
        word = token.lstrip("'’") if _POSSESSIVE.search(token) else token.strip("'’")
        if self._known(word):
            return ()
        # Abbreviations are in the dictionary with their full stop ("etc.", "cf."), which ends a sentence too.
        assert self.dictionary is not None
        if dotted and word == token and self.dictionary.knows(word + "."):
            return ()
        parts = word.split("-")
        # A compound the dictionary lacks is right when each of its parts is ("relationship-oriented").
        unknown = [part for part in parts if not self._known(part)] if len(parts) > 1 else [word]
        # "Priya's" is reported as "Priya": one finding for a name however it is inflected.
        return tuple(_POSSESSIVE.sub("", part) or part for part in unknown)

    def _known(self, word: str) -> bool:
        typed = word.replace("’", "'")  # the dictionary and word list are written with typewriter apostrophes
        return any(self._known_form(form) for form in dict.fromkeys((typed, _POSSESSIVE.sub("", typed))))

    def _known_form(self, form: str) -> bool:
        known = self.known.get(form)
        if known is None:
            assert self.dictionary is not None
            known = _skipped(form) or form.casefold() in self.accepted or self.dictionary.knows(form)
            self.known[form] = known
        return known

    def report(self, diags: Diagnostics) -> None:
        for (_, preferred, _), cluster in sorted(self.terminology.items(), key=lambda item: item[1].order()):
            more = f", {cluster.more()}" if cluster.more() else ""
            diags.warning(f"'{cluster.shown}': this talk writes '{preferred}'{more}", "terminology", cluster.first())
        for index, cluster in enumerate(sorted(self.spelling.values(), key=_Cluster.order)):
            assert self.dictionary is not None
            # spylls takes 0.1-0.3 s to suggest for one word, and seconds for a long one: a text in another
            # language than the talk's, or a run of letters, would otherwise take minutes to report.
            wanted = index < MAX_SUGGESTED_WORDS and len(cluster.shown) <= MAX_SUGGESTED_LENGTH
            suggestions = self.dictionary.suggest(cluster.shown, limit=1) if wanted else ()
            more = f", {cluster.more()}" if cluster.more() else ""
            diags.warning(f"'{cluster.shown}' may be misspelt{more}", "spelling", cluster.first(),
                          hint=f"did you mean '{suggestions[0]}'?" if suggestions else None)


def check_text(items: Iterable[tuple[str, Location | None]], dictionary: Lexicon | None,
               terms: Sequence[TermSpec], diags: Diagnostics) -> None:
    """Warn about misspelt words and terminology variants in (text, location) pairs, once per word and file.

    Without a dictionary (none installed) only terminology is checked; the loader has already said why.
    """
    accepted = frozenset(word.casefold() for term in terms for word in _WORD.findall(term.preferred))
    checker = _Checker(dictionary, TermIndex(terms), accepted)
    for text, location in items:
        checker.check(text, location)
    checker.report(diags)


def _skipped(word: str) -> bool:
    """Not checked: numbers and words with digits, single letters, acronyms in capitals ("RDFS", "RCTs")."""
    if any(ch.isdigit() for ch in word) or len(word) < 2:
        return True
    letters = word[:-1] if word.endswith("s") and len(word) > 2 else word
    return letters.isupper()


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Overlapping spans joined, as sorted starts and their ends (for a binary search per word)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def talk_texts(talk: TalkSpec) -> list[tuple[str, Location]]:
    """Every piece of prose a talk declares (titles, bullets, notes, captions, quotes …), where it was written."""
    out: list[tuple[str, Location]] = []

    def add(spec: TextSpec | None) -> None:
        if spec is not None and spec.text.strip():
            out.append((spec.text, spec.location))

    for spec in (talk.title, talk.subtitle, talk.footer, *talk.learning_outcomes):
        add(spec)
    for block in talk.reserved:
        out.append((block.title, block.location))
    for section in talk.sections:
        add(section.title)
        add(section.summary)
        for slide in section.slides:
            _slide_texts(slide, add, out)
    return out


def _slide_texts(slide: SlideSpec, add: _Add, out: list[tuple[str, Location]]) -> None:
    for spec in (slide.title, slide.notes):
        add(spec)
    if slide.content is not None:  # the kind's own spec
        for spec in slide.content.texts():
            add(spec)


class _Add(Protocol):
    def __call__(self, spec: TextSpec | None) -> None: ...
