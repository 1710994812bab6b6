"""Command layer: `check` — accessibility, design, spelling and, with --render, what LibreOffice draws."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lecturegen.build import Prepared, prepare, render_deck, store_for
from lecturegen.diagnostics import Diagnostic, Diagnostics, LecturegenError
from lecturegen.store.disk import WriteError
from lecturegen.workspace import Workspace

from lecturegen.commands.findings import _geometry
from lecturegen.commands.outputs import _write_error, _write_output

if TYPE_CHECKING:
    from lecturegen.compile.design import DesignRules


def check_talk(workspace: Workspace, talk: str, audience: str | None, theme: str | None,
               fit: bool, spelling: bool = True, render: bool = False) -> tuple[list[Diagnostic], dict[str, object]]:
    """Everything `build` checks, plus accessibility and spelling (once per talk); writes nothing."""
    diags = Diagnostics()
    try:
        # check writes nothing anywhere: its store only reads what earlier builds kept.
        prepared = prepare(workspace, talk, diags, theme, audience, fit=fit, store=store_for(workspace, False))
    except LecturegenError as exc:
        return exc.diagnostics, {"slides": 0, "measured_font": "-"}
    from lecturegen.compile.quality import deck_findings

    deck_findings(prepared.result.deck, diags)
    _geometry(prepared, diags)
    rules = design_rules(prepared, diags)
    from lecturegen.compile.design import design_findings, design_report_data

    design_findings(prepared.result.deck, rules, diags)
    if spelling:
        _spelling(workspace, prepared, diags)
    if render:
        _render_check(prepared, diags)
    info: dict[str, object] = {
        "slides": len(prepared.result.deck.slides),
        "planned_minutes": prepared.result.plan.total,
        "slot": prepared.result.plan.slot,
        "measured_font": prepared.result.measured_font,
        "design": design_report_data(prepared.result.deck, rules),
    }
    return diags.sorted(), info


def design_rules(prepared: Prepared, diags: Diagnostics) -> DesignRules:
    """The design lint's limits: keynote defaults, with the talk's `design:` overrides."""
    from lecturegen.compile.design import DesignRules
    from lecturegen.compile.kinds import KIND_NAMES

    talk = prepared.talk
    return DesignRules.from_mapping(talk.design, diags, talk.design_location or talk.location,
                                    talk.design_locations, kinds=KIND_NAMES)


def design_report(workspace: Workspace, talk: str, audience: str | None, theme: str | None, output: Path) -> str:
    """`check --design-report FILE.png`: a one-page summary of where a talk is dense."""
    from lecturegen.compile.design import design_summary
    from lecturegen.render.design_report import render_design_report

    diags = Diagnostics()
    prepared = prepare(workspace, talk, diags, theme, audience, store=store_for(workspace, False))
    deck = prepared.result.deck
    data = render_design_report(design_summary(deck, design_rules(prepared, diags)), deck.title)
    try:
        _write_output(workspace, output, data, ".png", prepared)
    except WriteError as exc:
        raise _write_error(exc) from None
    return f"wrote {workspace.display(output)}"


def _render_check(prepared: Prepared, diags: Diagnostics) -> None:
    """Proof from the real renderer: LibreOffice draws the deck, and every word must lie in its model box."""
    from lecturegen.compile.geometry import RenderedPage, rendered_findings
    from lecturegen.model.geometry import Box
    from lecturegen.render.office import deck_to_pdf, pdf_words

    data = render_deck(prepared, store_for(prepared.workspace, writable=False), parallel_charts=False)
    pdf = deck_to_pdf(data, "check the rendering (--render)", "render.libreoffice")
    pages = []
    for words in pdf_words(pdf):
        boxes = tuple((text, Box(int(x0 * 12700), int(y0 * 12700), int((x1 - x0) * 12700), int((y1 - y0) * 12700)))
                      for text, x0, y0, x1, y1 in words)
        pages.append(RenderedPage(boxes))
    rendered_findings(prepared.result.deck, pages, diags)
    _render_contrast(data, pdf_words(pdf), prepared, diags)


def _render_contrast(data: bytes, words: list[list[tuple[str, float, float, float, float]]], prepared: Prepared,
                     diags: Diagnostics) -> None:
    """Every word's contrast as LibreOffice draws it: the deck as it is, text blanked, text in one vivid colour."""
    import io

    from PIL import Image

    from lecturegen.compile.render_contrast import RenderedContrast, rendered_contrast_findings
    from lecturegen.render.contrast_probe import blank_text, vivid_text
    from lecturegen.render.office import render_slide_pngs

    dpi = 96
    renders = [render_slide_pngs(variant, dpi) for variant in (data, blank_text(data), vivid_text(data))]
    pages = []
    for index, (a, b, c) in enumerate(zip(*renders)):
        images = [Image.open(io.BytesIO(png)).convert("RGB") for png in (a, b, c)]
        if len({im.size for im in images}) != 1:
            continue
        width, height = images[0].size
        pages.append(RenderedContrast(width, height, images[0].tobytes(), images[1].tobytes(), images[2].tobytes(),
                                      tuple(words[index]) if index < len(words) else (), dpi / 72))
    rendered_contrast_findings(prepared.result.deck, pages, diags)


def _spelling(workspace: Workspace, prepared: Prepared, diags: Diagnostics) -> None:
    """British English by default (the talk's `language:` chooses another), plus the workspace's terms."""
    from lecturegen.compile.spelling import check_text, talk_texts
    from lecturegen.sources.dictionary import load_dictionary, load_terminology

    talk = prepared.talk
    dictionary = load_dictionary(talk.language, workspace.root, diags, at=talk.location)
    terms = load_terminology(workspace.root, diags)
    check_text(talk_texts(talk), dictionary, terms, diags)
