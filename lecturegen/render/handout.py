"""Render layer: the handout model → PDF or DOCX bytes, with chart pictures drawn for paper.

The one entry point both formats share. The model comes from `compile/handout.py::deck_to_handout`;
this module only turns its chart blocks into PNG requests (in the deck's colours, on white) and
hands the model to `handout_pdf` or `handout_docx`, which import nothing but the model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from lecturegen.diagnostics import Diagnostic, LecturegenError
from lecturegen.model.chart import Chart
from lecturegen.model.handout import ChartBlock, Handout
from lecturegen.model.style import DeckStyle, PrintFaces
from lecturegen.render.chart_style import ChartStyle, chart_style
from lecturegen.render.handout_fonts import register_faces

# ChartDrawer.png's signature: chart, style, width and height in inches, dots per inch.
ChartPng = Callable[[Chart, ChartStyle, float, float, int], bytes]
ChartRequest = tuple[Chart, ChartStyle, float, float, int]

FORMATS = ("pdf", "docx")


def print_chart_style(style: DeckStyle, font_pt: float) -> ChartStyle:
    """The deck's chart style for paper: the same colours and type, on white rather than the slide background."""
    return dataclasses.replace(chart_style(style, font_pt), background="FFFFFF")


def chart_request(handout: Handout, block: ChartBlock) -> ChartRequest:
    figure = block.figure
    return (block.chart, print_chart_style(handout.style, figure.font_pt), figure.width_in, figure.height_in,
            figure.dpi)


def chart_requests(handout: Handout) -> list[ChartRequest]:
    """Every chart picture the handout prints, so that a drawer can start on them all at once."""
    return [chart_request(handout, block) for block in handout.chart_blocks]


def render_handout(handout: Handout, fmt: str, chart_png: ChartPng, faces: Sequence[PrintFaces] = ()) -> bytes:
    """The handout as PDF or DOCX bytes, in the embeddable `faces` of its theme fonts (`sources/fonts.py::
    print_faces`; without them, a standard PDF font); the same model and faces give the same bytes."""
    if fmt not in FORMATS:
        raise LecturegenError([Diagnostic("error", f"unknown handout format '{fmt}'", "handout.format", None,
                                          "use 'pdf' or 'docx'")])
    register_faces(faces)

    def picture(block: ChartBlock) -> bytes:
        return chart_png(*chart_request(handout, block))

    if fmt == "docx":
        from lecturegen.render.handout_docx import render_docx
        from lecturegen.render.package import normalise_zip

        # python-docx stamps the current time into zip entries and core dates: the build's time instead.
        return normalise_zip(render_docx(handout, picture), handout.metadata.timestamp)
    from lecturegen.render.handout_pdf import render_pdf

    return render_pdf(handout, picture)
