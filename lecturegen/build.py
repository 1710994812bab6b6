"""Pipeline: load → compile → render → write; the only module that writes output files (atomically)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lecturegen.diagnostics import Diagnostics, LecturegenError, Location
from lecturegen.workspace import Workspace

# Used when SOURCE_DATE_EPOCH is not set: builds are reproducible by default (2026-01-01T00:00:00Z).
DEFAULT_TIMESTAMP = 1767225600
CHART_WORKERS = 2


def build_timestamp() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return DEFAULT_TIMESTAMP


@dataclass
class Prepared:
    """Everything loaded and compiled for one talk and audience, before rendering."""

    workspace: Workspace
    talk: Any
    theme: Any
    template: Any
    engine: Any
    audience: Any
    result: Any  # CompileResult
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def _fail(diags: Diagnostics) -> None:
    if diags.has_errors:
        raise LecturegenError(diags.sorted())


def prepare(
    workspace: Workspace,
    talk_name: str,
    diags: Diagnostics,
    theme_name: str | None = None,
    audience_name: str | None = None,
    fit: bool = False,
    start: str | None = None,
    workers: ChartWorkers | None = None,
) -> Prepared:
    """Load and compile; raises LecturegenError with every problem found when anything is wrong."""
    from lecturegen.cache import CachedCitations
    from lecturegen.compile.citations import StyleError
    from lecturegen.compile.deck import CompileOptions, talk_to_deck
    from lecturegen.render.template import TemplateError, load_template
    from lecturegen.sources.audiences import load_audience
    from lecturegen.sources.bibliography import Bibliography, load_bibliography
    from lecturegen.sources.outline import load_talk
    from lecturegen.sources.themes import load_theme

    talk = load_talk(workspace, talk_name, diags)
    audience = load_audience(workspace, audience_name, diags) if audience_name else None
    if talk is not None and audience is not None and talk.audiences and audience.name not in talk.audiences:
        diags.error(f"talk '{talk.name}' is not offered to audience '{audience.name}'", "audience.not-offered",
                    talk.audiences_location, hint="it is offered to: " + ", ".join(f"'{a}'" for a in talk.audiences))
    if workspace.bibliography.is_file():
        bib = load_bibliography(workspace.bibliography, workspace.display(workspace.bibliography), diags)
    else:
        bib = Bibliography({}, "bibliography.bib")
    _fail(diags)
    assert talk is not None
    chosen_theme = theme_name or (audience.theme if audience and audience.theme else None) or talk.theme
    theme_at = None if theme_name else talk.theme_location
    theme = load_theme(workspace, chosen_theme, diags, theme_at)
    _fail(diags)
    assert theme is not None
    try:
        template = load_template(theme, workspace.display(theme.template) if theme.template else None,
                                 workspace.build_dir / ".cache" / "templates")
    except TemplateError as exc:
        at = Location(workspace.display(theme.template)) if theme.template else theme.location
        diags.error(exc.message, exc.code, at, exc.hint)
        raise LecturegenError(diags.sorted()) from None
    template_at = Location(workspace.display(theme.template)) if theme.template else theme.location
    for problem in template.problems:
        diags.warning(f"template '{template.name}': {problem}", "theme.placeholder-off-slide", template_at,
                      hint="text placed there is cut off; fix the layout in PowerPoint or LibreOffice")
    style = (audience.style if audience and audience.style else None) or talk.style
    bib_bytes = workspace.bibliography.read_bytes() if workspace.bibliography.is_file() else b""

    def style_error(exc: StyleError) -> LecturegenError:
        diags.error(str(exc.args[0]) if exc.args else "unknown citation style", "cite.style",
                    talk.style_location or talk.location, getattr(exc, "hint", None))
        return LecturegenError(diags.sorted())

    try:
        engine = CachedCitations(bib, bib_bytes, style, talk.locale, workspace.root,
                                 workspace.build_dir / ".cache" / "citations")
    except StyleError as exc:
        raise style_error(exc) from None
    from lecturegen.compile.charts import bind_chart

    options = CompileOptions(fit=fit, timestamp=build_timestamp(), start=start)
    try:
        chart_ready = workers.prefetcher(workspace, theme) if workers is not None else None
        result = talk_to_deck(talk, theme, template, engine, workspace.root, diags, audience, options,
                              bind_chart=bind_chart, chart_ready=chart_ready)
    except StyleError as exc:  # a broken .csl file is only parsed when something needs formatting
        raise style_error(exc) from None
    engine.save()
    _timing_diagnostics(result, talk, diags)
    _fail(diags)
    return Prepared(workspace, talk, theme, template, engine, audience, result, diags)


def _timing_diagnostics(result: Any, talk: Any, diags: Diagnostics) -> None:
    """Over the slot, or clearly under it: a warning naming the sections that cost most."""
    plan = result.plan
    if plan.reserved > plan.slot:
        at = talk.reserved[0].location if talk.reserved else talk.location
        diags.error(f"reserved blocks take {plan.reserved:g} min, more than the {plan.slot:g}-minute slot",
                    "timing.reserved", at)
        return
    tolerance = max(1.0, plan.slot * 0.05)
    if plan.total > plan.slot + tolerance / 5:
        heavy = sorted((s for s in plan.sections if s.slides), key=lambda s: -s.minutes)[:3]
        listing = ", ".join(f"'{s.title}' {s.minutes:.1f} min" for s in heavy)
        diags.warning(f"planned {plan.total:.1f} min is {plan.total - plan.slot:.1f} min over the "
                      f"{plan.slot:g}-minute slot (longest sections: {listing})", "timing.over", talk.location,
                      hint="shorten the notes, or run with --fit to drop optional material")
    elif plan.total < plan.slot - max(tolerance, plan.slot * 0.15):
        diags.warning(f"planned {plan.total:.1f} min leaves {plan.slot - plan.total:.1f} min of the "
                      f"{plan.slot:g}-minute slot unused", "timing.under", talk.location)


def chart_style_for(theme: Any) -> Any:
    from lecturegen.render.chart_style import ChartStyle

    return ChartStyle(
        palette=tuple(theme.palette),
        accent=theme.colors["accent2"],
        muted="B8BEC6",
        text=theme.colors["text"],
        background=theme.colors["background"],
        font_family=theme.body_font,
        font_size_pt=18.0,
    )


def _chart_picture(slide: Any, theme: Any) -> tuple[str, Any, Any, float, float] | None:
    """(cache key, chart, style, width, height) of a chart the renderer places as a picture."""
    from lecturegen.render.chart_cache import cache_key
    from lecturegen.render.pptx_writer import CHART_DPI, chart_picture_size

    size = chart_picture_size(slide, theme)
    if size is None:
        return None
    chart, width, height = size
    style = chart_style_for(theme)
    return cache_key(chart, style, width, height, CHART_DPI), chart, style, width, height


def _load_chart_renderer() -> None:
    import lecturegen.render.charts_mpl  # noqa: F401  # matplotlib and its font list, once per worker


class ChartWorkers:
    """Processes that draw charts. On a cold build they start before compiling, so that loading
    matplotlib (about 0.4 s) overlaps with the compile instead of following it."""

    def __init__(self) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.size = max(1, min(CHART_WORKERS, os.cpu_count() or 1))
        self.pending: dict[str, Any] = {}
        self.pool = ProcessPoolExecutor(max_workers=self.size)
        for _ in range(self.size):
            self.pool.submit(_load_chart_renderer)

    def draw(self, slide: Any, theme: Any, cache: Path) -> None:
        """Start drawing a chart slide's picture unless it is cached or already under way."""
        from lecturegen.render.chart_cache import chart_png
        from lecturegen.render.pptx_writer import CHART_DPI

        picture = _chart_picture(slide, theme)
        if picture is None:
            return
        key, chart, style, width, height = picture
        if key not in self.pending and not (cache / f"{key}.png").is_file():
            self.pending[key] = self.pool.submit(chart_png, chart, style, width, height, CHART_DPI, cache)

    def prefetcher(self, workspace: Workspace, theme: Any) -> Any:
        """A callback for the compiler: each finished chart slide is drawn at once if not cached."""
        cache = workspace.build_dir / ".cache" / "charts"
        return lambda slide: self.draw(slide, theme, cache)

    @staticmethod
    def worth_starting(workspace: Workspace) -> bool:
        """Only when no chart has been drawn here before: otherwise most charts are cache hits."""
        cache = workspace.build_dir / ".cache" / "charts"
        return (os.cpu_count() or 1) > 1 and not (cache.is_dir() and any(cache.glob("*.png")))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def render_deck(prepared: Prepared, parallel_charts: bool = True, workers: ChartWorkers | None = None) -> bytes:
    """The deck as .pptx bytes; charts missing from the cache are drawn on the other cores meanwhile."""
    from lecturegen.render.chart_cache import cache_key, chart_png
    from lecturegen.render.pptx_writer import render_pptx

    cache = prepared.workspace.build_dir / ".cache" / "charts"
    deck, theme = prepared.result.deck, prepared.theme
    own: ChartWorkers | None = None
    if parallel_charts and (os.cpu_count() or 1) > 1:
        if workers is None:
            pictures = [p for p in (_chart_picture(slide, theme) for slide in deck.slides) if p is not None]
            if sum(1 for p in pictures if not (cache / f"{p[0]}.png").is_file()) >= 2:
                workers = own = ChartWorkers()
        if workers is not None:
            # matplotlib is imported only in the workers; the deck is assembled here in the meantime.
            for slide in deck.slides:
                workers.draw(slide, theme, cache)
    else:
        workers = None

    def png(chart: Any, chart_style: Any, width: float, height: float, dpi: int) -> bytes:
        future = workers.pending.get(cache_key(chart, chart_style, width, height, dpi)) if workers else None
        if future is not None:
            return bytes(future.result())
        return chart_png(chart, chart_style, width, height, dpi, cache)

    def native(*args: Any) -> Any:
        from lecturegen.render.charts_native import add_native_chart

        return add_native_chart(*args)

    try:
        return render_pptx(deck, prepared.template, theme, chart_png=png, chart_style=chart_style_for(theme),
                           add_native_chart=native)
    finally:
        if own is not None:
            own.close()


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and os.replace: readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def default_output(workspace: Workspace, talk: str, audience: str | None, suffix: str = ".pptx") -> Path:
    name = talk if audience is None else f"{talk}--{audience}"
    return workspace.build_dir / f"{name}{suffix}"
