"""Compile layer: the table slide kind — a header row and rows of cells, sized to the free content area.

The table takes the largest size (down to the theme's minimum body size) at which every word fits its column
and all rows fit the area; a table too tall even then continues on "(cont.)" slides, each with the header.
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node, ScalarNode, SequenceNode

from lecturegen.compile.kinds.base import Frame, Kind, KindContext, SlideLayouter
from lecturegen.compile.measure import FontMetrics, TextBlock, block_height, words_of
from lecturegen.compile.placing import OPTICAL_CENTRE, WRAP_SAFETY
from lecturegen.diagnostics import Location
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.deck import Paragraph, Run, Slide, Table
from lecturegen.model.geometry import EMU_PER_INCH, Box, Insets, emu, pt
from lecturegen.model.shapes import Shape, TableCell, TableShape, TextLine, TextShape
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields, type_name
from lecturegen.model.text import runs_text

CELL_INSETS = Insets(91440, 45720, 91440, 45720)


@record
class TableSpec:
    location: Location
    caption: TextSpec | None
    columns: tuple[TextSpec, ...]  # the header row (may be empty)
    rows: tuple[tuple[TextSpec, ...], ...]

    def texts(self) -> tuple[TextSpec, ...]:
        head = ((self.caption,) if self.caption is not None else ()) + self.columns
        return head + tuple(cell for row in self.rows for cell in row)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    ctx = fields.ctx
    caption = field_text(fields, "caption")
    columns = tuple(TextSpec(v, ctx.loc(n)) for v, n in fields.str_list("columns"))
    rows: list[tuple[TextSpec, ...]] = []
    for row_node in fields.seq("rows", required=True):
        if not isinstance(row_node, SequenceNode):
            ctx.error(row_node, f"each table row must be a list, got {type_name(row_node)}", "yaml.type")
            continue
        cells = tuple(TextSpec(str(c.value), ctx.loc(c)) for c in row_node.value if isinstance(c, ScalarNode))
        if columns and len(cells) != len(columns):
            ctx.error(row_node, f"row has {len(cells)} cells but the table has {len(columns)} columns",
                      "outline.table")
        rows.append(cells)
    return TableSpec(fields.loc(), caption, columns, tuple(rows))


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, TableSpec)
    header = tuple(ctx.text.runs(c) for c in spec.columns)
    rows = tuple(tuple(ctx.text.runs(c) for c in row) for row in spec.rows)
    return replace(slide, table=Table(header, rows), caption=ctx.text.runs(spec.caption))


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """The table in the free content area at the largest size that fits; too tall: its rows continue."""
    frame = layouter.frame(slide.layout)
    line = layouter.caption_line(slide, frame)
    shapes: list[Shape] = []
    if slide.table is not None:
        area = layouter.free_area(frame, line)
        table = _table(slide, layouter, area, report=not can_split)
        if table is not None and sum(table.row_heights) > area.cy and can_split and len(slide.table.rows) > 1:
            return _continued(slide, layouter, frame, line, area)
        if table is not None:
            # A short table stands optically centred in its area rather than in its top third; most of
            # the spare room stays below it, where a row a renderer sets taller can grow.
            spare = area.cy - table.box.cy
            if spare >= area.cy // 4:
                table = replace(table, box=Box(table.box.x, area.y + int(spare * OPTICAL_CENTRE), table.box.cx,
                                               table.box.cy))
            shapes.append(table)
    return [layouter.finish(slide, frame, shapes, line)]


def _continued(slide: Slide, layouter: SlideLayouter, frame: Frame, line: TextShape | None, area: Box) -> list[Slide]:
    """A table too tall for one slide at the smallest size: its rows continue on "(cont.)" slides, each
    with the header row."""
    table = slide.table
    assert table is not None
    pages: list[list[tuple[tuple[Run, ...], ...]]] = [[]]
    for row in table.rows:
        candidate = replace(slide, table=replace(table, rows=tuple(pages[-1] + [row])))
        probe = _table(candidate, layouter, area, report=False)
        if pages[-1] and probe is not None and sum(probe.row_heights) > area.cy:
            pages.append([row])
        else:
            pages[-1].append(row)
    layouter.diags.warning(f"table on slide '{_text(slide.title)[:60]}' does not fit one slide; it continues on "
                           f"{len(pages) - 1} more", "fit.table", slide.location,
                           hint="shorten cells or split the table yourself")
    out = []
    for index, rows in enumerate(pages):
        part = replace(slide, table=replace(table, rows=tuple(rows)),
                       title=slide.title if index == 0 else slide.title + (Run(" (cont.)"),),
                       notes=slide.notes if index == 0 else (Paragraph((Run("The table continues."),)),),
                       id=slide.id if index == 0 or slide.id is None else f"{slide.id}-cont{index}")
        out.extend(lay(part, False, layouter))
    return out


def _table(slide: Slide, layouter: SlideLayouter, area: Box, report: bool = True) -> TableShape | None:
    table = slide.table
    assert table is not None
    rows = ([table.header] if table.header else []) + list(table.rows)
    if not rows:
        return None
    columns = max(len(r) for r in rows)
    insets = CELL_INSETS
    font = layouter.body_font()
    size = layouter.sizes.get("table")
    floor = layouter.sizes.get("min_body")
    while True:
        widths = _column_widths(rows, columns, area.cx, size, font, insets)
        heights = []
        for i, row in enumerate(rows):
            tallest = 0.0
            for j in range(columns):
                runs = row[j] if j < len(row) else ()
                bold = i == 0 and bool(table.header)
                words = words_of([(r.text, r.bold or bold) for r in runs])
                inner = pt(widths[j] - insets.left - insets.right)
                tallest = max(tallest, block_height([TextBlock(words, size, font)], inner * WRAP_SAFETY))
            heights.append(emu(tallest) + insets.top + insets.bottom + emu(2))
        if (sum(heights) <= area.cy and _words_fit(rows, widths, size, font, insets)) or size - 1 < floor - 1e-9:
            break
        size -= 1
    if sum(heights) > area.cy and report:
        layouter.diags.warning(f"table on slide '{_text(slide.title)[:60]}' does not fit even at {floor:g} pt "
                               f"({sum(heights) / EMU_PER_INCH:.1f} in tall, {area.cy / EMU_PER_INCH:.1f} in free)",
                               "fit.table", slide.location, hint="split the table over two slides or shorten cells")
    colors = layouter.style.colors
    fill, on_fill = _header_colours(colors)
    cells = []
    for i, row in enumerate(rows):
        header = i == 0 and bool(table.header)
        cells.append(tuple(
            TableCell((TextLine(tuple(replace(r, bold=r.bold or header) for r in (row[j] if j < len(row) else ())),
                                size, bullet="none", color=on_fill if header else colors["text"]),))
            for j in range(columns)))
    box = Box(area.x, area.y, sum(widths), sum(heights))
    # Body rows are filled too (the slide's own colour, every other row a shade towards the text): a
    # table style's default bands are pale, and white text on a dark template vanished on them.
    body = colors["background"]
    return TableShape("Table", box, tuple(widths), tuple(heights), tuple(cells), header=bool(table.header),
                      header_fill=fill, header_text=on_fill, cell_insets=insets, body_fill=body,
                      band_fill=blend(body, colors["text"], 0.08))


def _header_colours(colors: dict[str, str]) -> tuple[str, str]:
    """A header row that stands out from the slide, and header text that reads on it (WCAG AA)."""
    background = colors["background"]
    fill = next((c for c in (colors["title"], colors["accent"], colors["text"])
                 if contrast_ratio(c, background) >= 3.0), "000000")
    text = max((background, "FFFFFF", "000000"), key=lambda c: contrast_ratio(c, fill))
    return fill, text


def _column_widths(rows: list[tuple[tuple[Run, ...], ...]], columns: int, total: int, size: float,
                   font: FontMetrics, insets: Insets) -> list[int]:
    """Widths that give each column its longest word and share the rest by how much text it holds."""
    pad = insets.left + insets.right
    longest = [0.0] * columns
    amount = [0.0] * columns
    for i, row in enumerate(rows):
        for j in range(columns):
            runs = row[j] if j < len(row) else ()
            for word, bold in words_of([(r.text, r.bold or i == 0) for r in runs]):
                if word == "\n":
                    continue
                w = font.width(word, size, bold)
                longest[j] = max(longest[j], w)
                amount[j] += w
    minimum = [emu(w) + pad + emu(2) for w in longest]
    if sum(minimum) >= total:
        scale = total / max(1, sum(minimum))
        return [int(m * scale) for m in minimum[:-1]] + [total - sum(int(m * scale) for m in minimum[:-1])]
    spare = total - sum(minimum)
    weights = [max(a, 1.0) for a in amount]
    share = [int(spare * w / sum(weights)) for w in weights]
    widths = [m + s for m, s in zip(minimum, share)]
    widths[-1] += total - sum(widths)
    return widths


def _words_fit(rows: list[tuple[tuple[Run, ...], ...]], widths: list[int], size: float, font: FontMetrics,
               insets: Insets) -> bool:
    """Whether every word of every cell fits its column's width (no word broken between letters)."""
    for i, row in enumerate(rows):
        for j, runs in enumerate(row[:len(widths)]):
            room = pt(widths[j] - insets.left - insets.right) * WRAP_SAFETY
            if any(word != "\n" and font.width(word, size, bold) > room
                   for word, bold in words_of([(r.text, r.bold or i == 0) for r in runs])):
                return False
    return True


def _text(runs: tuple[Run, ...]) -> str:
    return runs_text(runs)


KIND = Kind(name="table", keys=frozenset({"columns", "rows", "caption"}), parse=parse, build=build,
            role="title-only", place=None, minimum_minutes=1.0, lay=lay)
