"""Compile layer: the citeproc-py adapter's markup — its HTML output → runs, and runs → text, Markdown or HTML."""

from __future__ import annotations

import re

from lecturegen.model.deck import CitationItem, Run

_URL = re.compile(r"https?://[^\s<>\"]+")


def escape_html(text: str, quote: bool = False) -> str:
    """html.escape, without importing html (and its table of 2,000 entities) on a rebuild."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def affix(item: CitationItem, body: str) -> str:
    """Prefix and suffix around one item's text; a suffix starting with punctuation is not spaced."""
    prefix = escape_html(item.prefix.strip())
    suffix = escape_html(item.suffix.strip())
    out = f"{prefix} {body}".strip() if prefix else body
    if suffix:
        out = out + suffix if suffix[0] in ",;:.)" else f"{out} {suffix}".strip()
    return out


def markup_to_runs(markup: str) -> tuple[Run, ...]:
    # html.parser is imported here, not with the module: a rebuild whose citations all come from the store
    # never parses markup.
    from html.parser import HTMLParser

    class _RunParser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.runs: list[Run] = []
            self.italic = 0
            self.bold = 0
            self.link: list[str | None] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("i", "em"):
                self.italic += 1
            elif tag in ("b", "strong"):
                self.bold += 1
            elif tag == "a":
                self.link.append(dict(attrs).get("href"))

        def handle_endtag(self, tag: str) -> None:
            if tag in ("i", "em"):
                self.italic = max(0, self.italic - 1)
            elif tag in ("b", "strong"):
                self.bold = max(0, self.bold - 1)
            elif tag == "a" and self.link:
                self.link.pop()

        def handle_data(self, data: str) -> None:
            if data:
                link = self.link[-1] if self.link else None
                self.runs.append(Run(data, bold=bool(self.bold), italic=bool(self.italic),
                                     link=link, cited=True))

    parser = _RunParser()
    # citeproc-py escapes some ampersands and not others; unescaping once more is harmless.
    parser.feed(markup)
    parser.close()
    return _merged(_with_links(parser.runs))


def _with_links(parsed: list[Run]) -> list[Run]:
    """Runs unescaped once more, a bare address in a run's text made a run of its own that links to it."""
    from html import unescape

    runs: list[Run] = []
    for run in parsed:
        text = unescape(run.text)
        if run.link is not None:
            runs.append(Run(text, run.bold, run.italic, run.link, True))
            continue
        pos = 0
        for m in _URL.finditer(text):
            url = m.group(0).rstrip(".,;:)")
            if text[pos:m.start()]:
                runs.append(Run(text[pos:m.start()], run.bold, run.italic, None, True))
            runs.append(Run(url, run.bold, run.italic, url, True))
            pos = m.start() + len(url)
        if text[pos:]:
            runs.append(Run(text[pos:], run.bold, run.italic, None, True))
    return runs


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    """Neighbouring runs of one style and no link joined into one."""
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link) \
                and run.link is None:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, None, True)
        else:
            merged.append(run)
    return tuple(merged)


def runs_to_markdown(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        if r.link:
            out.append(f"<{r.link}>")
            continue
        text = re.sub(r"([\\*_\[\]`])", r"\\\1", r.text)
        if r.italic and text.strip():
            lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", text, re.S).groups()  # type: ignore[union-attr]
            text = f"{lead}*{core}*{trail}"
        if r.bold and text.strip():
            text = f"**{text}**"
        out.append(text)
    return "".join(out)


def runs_to_html(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        text = escape_html(r.text)
        if r.italic:
            text = f"<i>{text}</i>"
        if r.bold:
            text = f"<b>{text}</b>"
        if r.link:
            text = f'<a href="{escape_html(r.link, quote=True)}">{text}</a>'
        out.append(text)
    return "".join(out)