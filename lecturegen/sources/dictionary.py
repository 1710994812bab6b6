"""Load layer: Hunspell dictionaries (through spylls), the workspace word list and its terminology list."""

from __future__ import annotations

import gc
import re
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.records import record
from lecturegen.sources.yamlload import Ctx, load_yaml, read_text, type_name
from lecturegen.workspace import Workspace

if TYPE_CHECKING:  # spylls is imported only when a dictionary is really loaded
    from spylls.hunspell import Dictionary as Hunspell

# Where Debian's hunspell-* and myspell-* packages put their .dic/.aff pairs (other systems use the same).
SYSTEM_DICTIONARY_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell"), Path("/usr/share/myspell/dicts"))
# A workspace may carry its own dictionaries (a machine without the system package, a language Debian lacks).
WORKSPACE_DICTIONARY_DIR = Path("content") / "dictionaries"
WORDS_FILE = Path("content") / "words.txt"
TERMINOLOGY_FILE = Path("content") / "terminology.yaml"

_LANGUAGE = re.compile(r"^(?P<lang>[A-Za-z]{2,3})(?:[-_](?P<region>[A-Za-z]{2}|\d{3}))?$")
# Debian ships one package per region for these languages (hunspell-en-gb, hunspell-de-at, hunspell-pt-br);
# the others are one package per language (hunspell-fr, hunspell-es).
_REGIONAL_PACKAGES = frozenset({"en", "de", "pt"})
# Letters, digits, apostrophes, hyphens and dots: enough for names ("O'Hara", "Flückiger") and terms ("e-mail").
_WORD_ENTRY = re.compile(r"^[^\W_](?:[\w'’.\-]*[\w.])?$")
# A terminology variant is found by walking its tokens (words, and each punctuation mark) through a trie at every
# token of the talk's text: its length bounds the walk, so the check stays linear in the text.
MAX_TERM_TOKENS = 16
_TERM_TOKEN = re.compile(r"\w+|[^\w\s]")


@record
class TermSpec:
    """One terminology entry: the form this workspace writes, and the variants to flag."""

    preferred: str
    variants: tuple[str, ...]
    location: Location


@record(frozen=False)
class Dictionary:
    """Spelling lookups in memory: the workspace word list first, then Hunspell, each unique word once."""

    language: str
    source: str  # the .dic file's path, for messages and docs
    hunspell: Hunspell
    extra_words: frozenset[str] = frozenset()
    _lower_extra: frozenset[str] = field(init=False)
    _known: dict[str, bool] = field(init=False, default_factory=dict)
    _suggestions: dict[str, tuple[str, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Like Hunspell itself: a lower-case entry also accepts "Word" and "WORD"; "Mearns" accepts only itself.
        self._lower_extra = frozenset(w for w in self.extra_words if w == w.lower())

    def knows(self, word: str) -> bool:
        """Whether one word (no spaces; apostrophes as typed) is spelt correctly."""
        known = self._known.get(word)
        if known is None:
            known = self._in_word_list(word) or bool(self.hunspell.lookup(word.replace("’", "'")))
            self._known[word] = known
        return known

    def suggest(self, word: str, limit: int = 3) -> tuple[str, ...]:
        """Corrections for a misspelt word, best first; computed only on request because spylls is slow at it."""
        cached = self._suggestions.get(word)
        if cached is None:
            out: list[str] = []
            for candidate in self.hunspell.suggest(word.replace("’", "'")):
                if candidate != word and candidate not in out:
                    out.append(candidate)
                if len(out) >= limit:
                    break
            cached = self._suggestions[word] = tuple(out)
        return cached

    def _in_word_list(self, word: str) -> bool:
        if word in self.extra_words:
            return True
        lower = word.lower()
        return lower in self._lower_extra and (word == lower or word == word.capitalize() or word == word.upper())


def dictionary_name(language: str) -> str | None:
    """The file stem Hunspell dictionaries use for a BCP 47 language tag: 'en-GB' → 'en_GB'; None if malformed."""
    match = _LANGUAGE.match(language.strip())
    if not match:
        return None
    lang, region = match.group("lang").lower(), match.group("region")
    return f"{lang}_{region.upper()}" if region else lang


def dictionary_package(name: str) -> str:
    """The Debian package that ships a dictionary: 'en_GB' → 'hunspell-en-gb', 'fr_FR' → 'hunspell-fr'."""
    lang, _, region = name.partition("_")
    if region and lang in _REGIONAL_PACKAGES:
        return f"hunspell-{lang}-{region.lower()}"
    return f"hunspell-{lang}"


def find_dictionary(name: str, dirs: Sequence[Path]) -> Path | None:
    """The .dic file for a dictionary name (with its .aff beside it); a bare language takes its first region."""
    for folder in dirs:
        exact = folder / f"{name}.dic"
        if exact.is_file() and exact.with_suffix(".aff").is_file():
            return exact
        if "_" not in name and folder.is_dir():
            for candidate in sorted(folder.glob(f"{name}_*.dic")):
                if candidate.with_suffix(".aff").is_file():
                    return candidate
    return None


def load_dictionary(language: str, workspace_root: Path, diags: Diagnostics, at: Location | None = None,
                    search_dirs: Sequence[Path] = SYSTEM_DICTIONARY_DIRS) -> Dictionary | None:
    """The talk's Hunspell dictionary plus content/words.txt; a missing dictionary is one warning, never a failure.

    `at` is where the language was chosen (the talk's `language:`), for the warning; `search_dirs` are looked in
    after the workspace's own content/dictionaries/.
    """
    workspace = Workspace(workspace_root)
    extra_words = load_word_list(workspace, diags)
    name = dictionary_name(language)
    if name is None:
        diags.warning(f"language '{language}' is not a language tag such as 'en-GB': spelling is not checked",
                      "spelling.language", at)
        return None
    dic = find_dictionary(name, (workspace_root / WORKSPACE_DICTIONARY_DIR, *search_dirs))
    if dic is None:
        package = dictionary_package(name)
        diags.warning(f"no Hunspell dictionary for '{language}' ({name}.dic): spelling is not checked",
                      "spelling.no-dictionary", at,
                      hint=f"install the package '{package}' (Debian, Ubuntu), "
                           f"or put {name}.dic and {name}.aff in {WORKSPACE_DICTIONARY_DIR.as_posix()}/")
        return None
    try:
        hunspell = _read_hunspell(str(dic.with_suffix("")), dic.stat().st_mtime_ns)
    except ImportError:
        diags.warning("spelling needs the 'spylls' package: spelling is not checked", "spelling.no-dictionary", at,
                      hint="pip install spylls")
        return None
    except Exception as exc:  # noqa: BLE001 - spylls raises bare errors for a malformed .aff/.dic
        diags.warning(f"cannot read the dictionary '{workspace.display(dic)}': {exc}", "spelling.dictionary",
                      Location(workspace.display(dic)))
        return None
    return Dictionary(language, str(dic), hunspell, extra_words)


@lru_cache(maxsize=8)
def _read_hunspell(stem: str, mtime_ns: int) -> Hunspell:
    """Parse a dictionary once per process (checking four talks reads en_GB once); the mtime keys a re-read."""
    from spylls.hunspell import Dictionary as Hunspell

    # Reading en_GB makes ~100,000 small objects that all live on: the cyclic collector's repeated passes over
    # them cost a third of the load time and can free nothing, so it pauses while the file is read.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return Hunspell.from_files(stem)
    finally:
        if was_enabled:
            gc.enable()


def load_word_list(workspace: Workspace, diags: Diagnostics) -> frozenset[str]:
    """content/words.txt: one word per line (names, terms), `#` starts a comment; optional."""
    file = workspace.root / WORDS_FILE
    if not file.is_file():
        return frozenset()
    display = workspace.display(file)
    text = read_text(file, display, diags)
    if text is None:
        return frozenset()
    return frozenset(word.replace("’", "'") for word in parse_word_list(text, display, diags))


def parse_word_list(text: str, display: str, diags: Diagnostics) -> list[str]:
    words: list[str] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        content = raw.split("#", 1)[0]
        word = content.strip()
        if not word:
            continue
        at = Location(display, number, len(content) - len(content.lstrip()) + 1)
        if any(ch.isspace() for ch in word):
            diags.error(f"word list entries are single words, got '{word}'", "spelling.word-list", at,
                        hint="write each word on its own line; for a phrase to keep consistent use "
                             f"{TERMINOLOGY_FILE.as_posix()}")
            continue
        if not _WORD_ENTRY.match(word):
            diags.error(f"'{word}' is not a word: use letters, digits, apostrophes, hyphens and dots",
                        "spelling.word-list", at)
            continue
        if word in first_seen:
            diags.warning(f"'{word}' is already listed at line {first_seen[word]}", "spelling.word-list", at)
            continue
        first_seen[word] = number
        words.append(word)
    return words


def load_terminology(workspace_root: Path, diags: Diagnostics) -> tuple[TermSpec, ...]:
    """content/terminology.yaml: `preferred form: [variants to flag]`; optional."""
    workspace = Workspace(workspace_root)
    file = workspace_root / TERMINOLOGY_FILE
    if not file.is_file():
        return ()
    display = workspace.display(file)
    node = load_yaml(file, display, diags)
    if node is None:
        return ()
    return parse_terminology(node, Ctx(display, diags))


def parse_terminology(node: Node, ctx: Ctx) -> tuple[TermSpec, ...]:
    if not isinstance(node, MappingNode):
        ctx.error(node, f"the terminology list must map each preferred form to its variants, got {type_name(node)}",
                  "terminology.type", hint="write 'counselling: [counseling]'")
        return ()
    terms: list[TermSpec] = []
    owner: dict[str, tuple[str, Location]] = {}  # every form (preferred or variant), folded, → its entry
    for key_node, value_node in node.value:
        preferred = _term_text(key_node, ctx, "a preferred form")
        if preferred is None:
            continue
        at = ctx.loc(key_node)
        folded = _fold(preferred)
        if folded in owner:
            ctx.error(key_node, f"'{preferred}' is already listed at {owner[folded][1]}", "terminology.duplicate")
            continue
        variants: list[str] = []
        folded_variants: set[str] = set()
        for variant_node in _variant_nodes(value_node, preferred, ctx):
            variant = _term_text(variant_node, ctx, "a variant")
            if variant is None:
                continue
            key = _fold(variant)
            length = len(_TERM_TOKEN.findall(variant))
            if key == folded:
                ctx.error(variant_node, f"'{variant}' is the preferred form itself, not a variant",
                          "terminology.variant")
            elif key in owner or key in folded_variants:
                first = owner.get(key, (preferred, at))
                ctx.error(variant_node, f"'{variant}' is already listed for '{first[0]}' at {first[1]}",
                          "terminology.duplicate")
            elif length > MAX_TERM_TOKENS:
                ctx.error(variant_node, f"variant '{_shown(variant)}' has {length:,} words and punctuation marks; "
                          f"the limit is {MAX_TERM_TOKENS}", "terminology.too-long")
            else:
                variants.append(variant)
                folded_variants.add(key)
        owner[folded] = (preferred, at)
        for variant in variants:
            owner[_fold(variant)] = (preferred, at)
        if variants:
            terms.append(TermSpec(preferred, tuple(variants), at))
    return tuple(terms)


def _variant_nodes(node: Node, preferred: str, ctx: Ctx) -> Iterable[Node]:
    if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return [node]  # `counselling: counseling` is a one-variant list
    if isinstance(node, SequenceNode) and node.value:
        return node.value
    ctx.error(node, f"'{preferred}' needs a list of variants to flag, got {type_name(node)}", "terminology.type",
              hint=f"write '{preferred}: [variant, other variant]'")
    return []


def _term_text(node: Node, ctx: Ctx, what: str) -> str | None:
    if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        ctx.error(node, f"{what} must be text, got {type_name(node)}", "terminology.type")
        return None
    text = " ".join(str(node.value).split())
    if not any(map(str.isalpha, text)):
        ctx.error(node, f"{what} must contain a word, got '{node.value}'", "terminology.type")
        return None
    return text


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:60].rstrip() + "…"


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())
