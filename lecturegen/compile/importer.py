"""Compile layer (pure): a deck from any tool (as read into a DeckSnapshot) → the files of a workspace that builds.

Each slide becomes an outline slide of the kind its shapes show — the title slide becomes the talk's title,
section headers (or PowerPoint's own sections) start section files, a body becomes bullets with their levels,
two bodies two columns, a table a table, a picture an image with its alt text — with its notes and hidden
flag. What has no outline form (charts, SmartArt, free text boxes beside a body, a picture without alt text)
is reported, slide by slide.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from lecturegen.compile.import_charts import ChartDatasets, outline_file, slug
from lecturegen.model.roundtrip import DeckSnapshot, ShapeText, SlideSnapshot
from lecturegen.records import record

_SECTION_LAYOUT = re.compile(r"section|abschnitt|divider|header|titre de section|sección|sezione", re.I)
_TITLE_LAYOUT = re.compile(r"^(title slide|title|titelfolie|diapositive de titre|diapositiva de t[ií]tulo|"
                           r"diapositiva titolo|titeldia|slajd tytułowy|タイトル スライド|标题幻灯片)$", re.I)
_BODY = ("body", "obj", "subTitle")
_SKIPPED = ("ftr", "sldNum", "dt", "hdr", "sldImg")


@record
class ImportPlan:
    """The workspace to write: text files by path, pictures (deck part → workspace path), and the report."""

    files: dict[str, str]
    pictures: dict[str, str]
    report: tuple[str, ...]
    theme: str
    slides: int


def escape_markup(text: str) -> str:
    """Deck text as outline text: nothing in it may read as emphasis, a citation or a template mark."""
    text = text.replace("\\", "\\\\").replace("*", "\\*")
    text = re.sub(r"(?<![\w\\])@(?=\w)", r"\\@", text)
    return text.replace("{{", "{{ '{{' }}").replace("{%", "{{ '{%' }}")


def _title(slide: SlideSnapshot) -> str:
    return " ".join(slide.title().split())


def _with_title(slide: SlideSnapshot) -> SlideSnapshot:
    """A slide whose title is a text box (Google Slides, Keynote and hand-made decks often have one): the
    topmost short one-line text becomes its title."""
    if _title(slide):
        return slide
    from dataclasses import replace

    lines = [s for s in slide.shapes if s.kind == "text" and s.placeholder not in _SKIPPED and s.top >= 0
             and len(s.paragraphs) == 1 and 0 < len(s.text.split()) <= 15]
    if not lines:
        return slide
    top = min(lines, key=lambda s: s.top)
    return replace(slide, shapes=tuple(replace(s, placeholder="title") if s is top else s for s in slide.shapes))


def _texts(slide: SlideSnapshot) -> tuple[list[ShapeText], list[ShapeText], list[ShapeText], list[ShapeText],
                                          list[ShapeText]]:
    bodies: list[ShapeText] = []
    boxes: list[ShapeText] = []
    tables: list[ShapeText] = []
    pictures: list[ShapeText] = []
    other: list[ShapeText] = []
    for shape in slide.shapes:
        if shape.placeholder in _SKIPPED or shape.placeholder == "title":
            continue
        if shape.kind == "table":
            tables.append(shape)
        elif shape.kind == "picture":
            pictures.append(shape)
        elif shape.kind == "text":
            if not shape.text.strip():
                continue
            (bodies if shape.placeholder in _BODY or shape.placeholder else boxes).append(shape)
        elif shape.kind in ("chart", "other"):
            other.append(shape)
    return bodies, boxes, tables, pictures, other


def _bullets(shape: ShapeText) -> list[Any]:
    """Paragraphs with levels → outline bullets (two levels: deeper ones join the second)."""
    out: list[Any] = []
    for level, text in shape.paragraphs:
        text = " ".join(text.split())
        if not text:
            continue
        text = escape_markup(text)
        if level > 0 and out:
            last = out[-1]
            if isinstance(last, dict):
                next(iter(last.values())).append(text)
            else:
                out[-1] = {last: [text]}
        else:
            out.append(text)
    return out


def _notes(slide: SlideSnapshot) -> str:
    paragraphs = [" ".join(p.split()) for p in slide.notes]
    return "\n\n".join(escape_markup(p) for p in paragraphs if p)


def _is_section(slide: SlideSnapshot, bodies: list[ShapeText], others: int) -> bool:
    if others or not _title(slide):
        return False
    words = sum(len(b.text.split()) for b in bodies)
    return bool(_SECTION_LAYOUT.search(slide.layout)) and words <= 25 and len(bodies) <= 1


def slide_outline(slide: SlideSnapshot, pictures: dict[str, str], taken_pictures: set[str],
                  available: set[str] | frozenset[str], report: list[str],
                  datasets: ChartDatasets | None = None) -> dict[str, Any]:
    """One slide as an outline slide (a mapping as YAML writes it). Its picture, if kept, is added to `pictures`
    (deck part → workspace path); a native chart's data, given `datasets`, become a dataset there; what has no
    outline form is added to `report`."""
    slide = _with_title(slide)
    where = f"slide {slide.number}"
    bodies, boxes, tables, pics, others = _texts(slide)
    out: dict[str, Any] = {}
    title = _title(slide)
    lines = [text for shape in bodies + boxes for _, text in shape.paragraphs if text.strip()]
    chart = next((o for o in others if o.kind == "chart" and o.chart is not None), None)
    if chart is not None and datasets is not None and not tables and not pics:
        out = datasets.chart_slide(chart, title or f"slide {slide.number}", where)
        others = [o for o in others if o is not chart]
        if lines:
            out["caption"] = escape_markup(" ".join(" ".join(lines).split()))
        bodies, boxes = [], []
    elif pics and not tables and len(lines) <= 3 and sum(len(t.split()) for t in lines) <= 24:
        out = _picture_body(slide.number, title, pics, lines, pictures, taken_pictures, available, report)
        bodies, boxes = [], []
    elif tables:
        out = _table_body(where, tables, lines, pics, report)
        if lines and out:
            bodies, boxes = [], []
    elif len(bodies) >= 2:
        right = _bullets(bodies[1]) + [b for box in boxes for b in _bullets(box)]
        out = {"kind": "two-column", "left": {"bullets": _bullets(bodies[0]) or [""]}, "right": {"bullets": right or [""]}}
        boxes = []
        if len(bodies) > 2:
            report.append(f"{where}: {len(bodies) - 2} more text placeholder(s) not kept (two columns at most)")
        if pics:
            report.append(f"{where}: the picture beside the text is not kept")
    elif bodies or boxes:
        source = bodies[0] if bodies else boxes.pop(0)
        bullets = _bullets(source)
        for box in boxes if bodies else list(boxes):
            bullets.extend(_bullets(box))
        boxes = []
        out = {"kind": "bullets", "bullets": bullets or [""]}
        if pics:
            report.append(f"{where}: the picture beside the text is not kept")
    else:
        out = {"kind": "section"}
        if not title:
            report.append(f"{where}: an empty slide (no title, no text) is kept as an empty section slide")
    return _finished_slide(slide, title, out, others, boxes, report)


def _picture_body(number: int, title: str, pics: list[ShapeText], lines: list[str], pictures: dict[str, str],
                  taken_pictures: set[str], available: set[str] | frozenset[str], report: list[str]) -> dict[str, Any]:
    """A slide of one picture (with a few lines of text beside it, if any): its file named and recorded in
    `pictures`; a linked or unplaceable picture leaves the slide's text as bullets."""
    where = f"slide {number}"
    picture = pics[0]
    extension = picture.picture.rsplit(".", 1)[-1].lower() if "." in picture.picture else "png"
    if extension == "jpg":
        extension = "jpeg"
    out: dict[str, Any]
    if picture.picture not in available or extension not in ("png", "jpeg", "gif"):
        why = "is linked, not in the deck" if picture.picture not in available else \
            f"is {extension.upper()}, which lecturegen does not place"
        report.append(f"{where}: the picture {why}; the slide keeps its title and text")
        out = {"kind": "bullets", "bullets": [escape_markup(" ".join(t.split())) for t in lines]} if lines \
            else {"kind": "section"}
    else:
        if picture.picture in pictures:  # one picture on several slides: one file
            file = pictures[picture.picture].rsplit("/", 1)[-1]
        else:
            file = slug(title or f"slide-{number}", taken_pictures) + "." + \
                ("jpg" if extension == "jpeg" else extension)
            pictures[picture.picture] = f"content/images/{file}"
        alt = " ".join(picture.alt.split())
        if not alt:
            alt = title or f"Picture from slide {number}"
            report.append(f"{where}: the picture has no alt text; '{alt}' stands in (write a real one)")
        if lines:  # a picture beside a few lines of text
            out = {"kind": "image-text", "image": file, "alt": escape_markup(alt),
                   "text": [escape_markup(" ".join(t.split())) for t in lines]}
        else:
            out = {"kind": "image", "image": file, "alt": escape_markup(alt)}
    if len(pics) > 1:
        report.append(f"{where}: {len(pics) - 1} more picture(s) not kept (one picture per slide)")
    return out


def _table_body(where: str, tables: list[ShapeText], lines: list[str], pics: list[ShapeText],
                report: list[str]) -> dict[str, Any]:
    """A slide of the first table (its text as a caption); empty when the table has no text."""
    out: dict[str, Any] = {}
    cells = [list(row) for row in tables[0].cells if any(c.strip() for c in row)]
    width = max((len(r) for r in cells), default=0)
    cells = [[escape_markup(" ".join(c.split())) for c in r] + [""] * (width - len(r)) for r in cells]
    if cells:
        out = {"kind": "table", "columns": cells[0], "rows": cells[1:] or [[""] * width]}
    if len(tables) > 1:
        report.append(f"{where}: {len(tables) - 1} more table(s) not kept (one table per slide)")
    if lines and out:
        out["caption"] = escape_markup(" ".join(" ".join(lines).split()))
    if pics:
        report.append(f"{where}: the picture beside the table is not kept")
    return out


def _finished_slide(slide: SlideSnapshot, title: str, out: dict[str, Any], others: list[ShapeText],
                    boxes: list[ShapeText], report: list[str]) -> dict[str, Any]:
    """The outline slide in YAML's order (kind, title, body, notes, hidden); what is left over is reported."""
    where = f"slide {slide.number}"
    for shape in others:
        what = "chart" if shape.kind == "chart" else "graphic (SmartArt, video or other object)"
        report.append(f"{where}: a {what} ({shape.name}) has no outline form and is not kept")
    for box in boxes:
        report.append(f"{where}: a text box ({box.name}: {box.text[:40]!r}) is not kept")
    slide_out: dict[str, Any] = {"kind": out.pop("kind", "bullets")}
    if title:
        slide_out["title"] = escape_markup(title)
    elif slide_out["kind"] != "section":
        report.append(f"{where}: the slide has no title")
    slide_out.update(out)
    notes = _notes(slide)
    if notes:
        slide_out["notes"] = notes
    if slide.hidden:
        slide_out["hidden"] = True
    return slide_out


def deck_to_workspace(deck: DeckSnapshot, name: str, template_file: str,
                      available: set[str] | frozenset[str] = frozenset()) -> ImportPlan:
    """See the module docstring; `name` names the talk and the theme, `template_file` the deck kept as template,
    `available` the picture parts the package really holds (a linked or missing picture cannot be kept)."""
    report: list[str] = []
    pictures: dict[str, str] = {}
    taken_pictures: set[str] = set()
    talk: dict[str, Any] = {"title": name, "subtitle": None, "slot": 0}
    datasets = ChartDatasets(f"deck-{name}", template_file)
    sections: list[dict[str, Any]] = []
    use_ppt_sections = any(s.section for s in deck.slides)
    current: dict[str, Any] | None = None
    seconds = 0.0
    counted = 0

    def start(title: str, header: bool, summary: str = "") -> dict[str, Any]:
        section: dict[str, Any] = {"title": escape_markup(title) or "Slides", "header": header, "slides": []}
        if summary:
            section["summary"] = escape_markup(summary)
        sections.append(section)
        return section

    for index, slide in enumerate(deck.slides):
        slide = _with_title(slide)
        bodies, _boxes, tables, pics, others = _texts(slide)
        if index == 0 and _read_title_slide(slide, talk, name, report):
            continue
        if use_ppt_sections:
            if current is None or slide.section != current.get("_ppt"):
                current = start(slide.section or "Slides", False)
                current["_ppt"] = slide.section
        if _is_section(slide, bodies, len(tables) + len(pics) + len(others)):
            current = _section_header(slide, bodies, current if use_ppt_sections else None, start, report)
            continue
        if current is None:
            current = start("Opening", False)
        slide_out = slide_outline(slide, pictures, taken_pictures, available, report, datasets)
        if slide.advance_ms:
            slide_out["minutes"] = round(slide.advance_ms / 60000, 2)
            seconds += slide.advance_ms / 1000
            counted += 1
        current["slides"].append(slide_out)
    sections = [s for s in sections if s["slides"]]
    slides = sum(len(s["slides"]) for s in sections)
    if not sections:
        sections = [{"title": "Slides", "header": False, "slides": [{"kind": "section", "title": talk["title"]}]}]
        slides = 1
        report.append("the deck has no slides besides its title slide: one empty section slide stands in")
    minutes = seconds / 60 + (slides - counted) * 1.5
    talk["slot"] = max(5, int(math.ceil(minutes / 5) * 5))
    if talk["subtitle"] is None:
        del talk["subtitle"]
    talk.update(theme=name, agenda=False, references=False)
    files = _workspace_files(talk, sections, name, template_file, datasets)
    return ImportPlan(files, pictures, tuple(report), name, slides)


def _section_header(slide: SlideSnapshot, bodies: list[ShapeText], ppt_section: dict[str, Any] | None,
                    start: Callable[[str, bool, str], dict[str, Any]], report: list[str]) -> dict[str, Any]:
    """A section header slide: the heading of the PowerPoint section it opens, a section slide inside one, or
    (without PowerPoint sections) the start of a new section; the section that goes on is returned."""
    summary = " ".join(bodies[0].text.split()) if bodies else ""
    if ppt_section is not None and not ppt_section["slides"] and not ppt_section.get("_headed"):
        # a PowerPoint section opening on a section header: the header is the section's own
        ppt_section.update(title=escape_markup(_title(slide)), header=True, _headed=True)
        if summary:
            ppt_section["summary"] = escape_markup(summary)
        current = ppt_section
    elif ppt_section is not None:
        ppt_section["slides"].append({"kind": "section", "title": escape_markup(_title(slide))})
        current = ppt_section
    else:
        current = start(_title(slide), True, summary)
    if slide.notes:
        report.append(f"slide {slide.number}: a section header's notes are not kept (lecturegen writes its own)")
    return current


def _read_title_slide(slide: SlideSnapshot, talk: dict[str, Any], name: str, report: list[str]) -> bool:
    """Whether the first slide is a title slide (a subtitle, a title layout, or a title alone); if so its title
    and subtitle are the talk's."""
    where = f"slide {slide.number}"
    bodies, boxes, tables, pics, _ = _texts(slide)
    subtitle = next((b for b in bodies if b.placeholder == "subTitle"), None)
    if not (subtitle is not None or _TITLE_LAYOUT.search(slide.layout) is not None
            or (_title(slide) and not tables and not pics and not bodies and not boxes)):
        return False
    talk["title"] = escape_markup(_title(slide)) or name
    rest = [shape for shape in ([subtitle] if subtitle else []) + bodies + boxes if shape is not None]
    rest = list(dict.fromkeys(rest))  # the subtitle placeholder is one of the bodies too
    if rest:
        talk["subtitle"] = escape_markup(" ".join(" ".join(shape.text.split()) for shape in rest))
    if tables or pics:
        report.append(f"{where}: the title slide's pictures and tables are not kept")
    if slide.notes:
        report.append(f"{where}: the title slide's notes are not kept (lecturegen writes its own)")
    return True


def _workspace_files(talk: dict[str, Any], sections: list[dict[str, Any]], name: str, template_file: str,
                     datasets: ChartDatasets) -> dict[str, str]:
    """The workspace's files by path: one YAML file per section, the talk, the theme and the charts' data."""
    files: dict[str, str] = {}
    taken: set[str] = set()
    uses = []
    for section in sections:
        for key in ("_ppt", "_headed"):
            section.pop(key, None)
        file = slug(section["title"], taken)
        header = section.pop("header")
        uses.append({"use": file} if header else {"use": file, "header": False})
        files[f"content/sections/{file}.yaml"] = outline_file(section,
                                                              f"# Imported from {template_file} by lecturegen")
    talk["sections"] = uses
    files[f"content/talks/{name}.yaml"] = outline_file(talk, f"# Imported from {template_file} by lecturegen: "
                                                            "one section file per part of the deck")
    files[f"themes/{name}/theme.yaml"] = outline_file({"title": name, "template": template_file},
                                                     "# The imported deck's own masters and layouts")
    if datasets.files:
        files.update(datasets.files)
        title = re.sub(r"[{}\\%#&$^_~]", "", str(talk["title"])) or name
        files["bibliography.bib"] = (f"% The imported deck: the source of the numbers of its charts\n"
                                     f"@misc{{{datasets.key},\n  title = {{{{{title}}}}},\n"
                                     f"  howpublished = {{PowerPoint deck {template_file}}}\n}}\n")
    return files


__all__ = ["ImportPlan", "deck_to_workspace", "escape_markup", "slug"]
