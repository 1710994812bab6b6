"""Pipeline: load → compile → render → write. Each step is one function; this module only wires them."""

from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from lecturegen.diagnostics import Diagnostics, LecturegenError, Location
from lecturegen.records import record
from lecturegen.store.disk import Store
from lecturegen.workspace import Workspace

if TYPE_CHECKING:
    # The steps are imported where they run: a rebuild served from the cache loads none of them.
    from lecturegen.compile.deck import CompileResult
    from lecturegen.model.shapes import Media
    from lecturegen.model.template import Template
    from lecturegen.sources.audiences import AudienceSpec
    from lecturegen.sources.bibliography import Bibliography
    from lecturegen.sources.fonts import LoadedFont
    from lecturegen.sources.inputs import SlideInputs
    from lecturegen.sources.specs import TalkSpec
    from lecturegen.sources.themes import ThemeSpec
    from lecturegen.store.charts import ChartDrawer
    from lecturegen.store.citations import CachedCitations

# Used when SOURCE_DATE_EPOCH is not set: builds are reproducible by default (2026-01-01T00:00:00Z).
DEFAULT_TIMESTAMP = 1767225600
MAX_TIMESTAMP = 4102444800  # 2100-01-01: zip files and PowerPoint dates stop making sense beyond


def build_timestamp(diags: Diagnostics | None = None) -> int:
    """SOURCE_DATE_EPOCH when it is ASCII digits for a time zip and PowerPoint can store, else the default.

    `str.isdigit` is not the test: it accepts '²' (which int() refuses) and Arabic-Indic digits; the
    reproducible-builds specification allows ASCII digits only."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return DEFAULT_TIMESTAMP
    if len(value) <= 12 and value.isascii() and value.isdigit() and 315532800 <= int(value) <= MAX_TIMESTAMP:
        return int(value)
    if diags is not None:
        diags.warning(f"SOURCE_DATE_EPOCH '{value[:40]}' is not a time between 1980 and 2100; ignored",
                      "env.source-date-epoch", None)
    return DEFAULT_TIMESTAMP


@record(frozen=False)
class Loaded:
    """Everything read from disk for one talk and audience (the load layer's output)."""

    workspace: Workspace
    talk: TalkSpec
    audience: AudienceSpec | None
    theme: ThemeSpec
    template: Template
    bibliography: Bibliography
    bibliography_bytes: bytes
    inputs: SlideInputs
    fonts: dict[str, LoadedFont]
    logo: Media | None


@record(frozen=False)
class Prepared:
    """A talk loaded and compiled, ready to render."""

    loaded: Loaded
    citations: CachedCitations
    result: CompileResult
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    # Short names for what commands use most.
    @property
    def workspace(self) -> Workspace:
        return self.loaded.workspace

    @property
    def talk(self) -> TalkSpec:
        return self.loaded.talk

    @property
    def theme(self) -> ThemeSpec:
        return self.loaded.theme

    @property
    def template(self) -> Template:
        return self.loaded.template


def _fail(diags: Diagnostics) -> None:
    if diags.has_errors:
        raise LecturegenError(diags.sorted())


def store_for(workspace: Workspace, writable: bool = True) -> Store:
    return Store(workspace.build_dir / ".cache", writable=writable)


# -- load ----------------------------------------------------------------------------------------------------

def load(workspace: Workspace, talk_name: str, diags: Diagnostics, store: Store, theme_name: str | None = None,
         audience_name: str | None = None) -> Loaded:
    """Read every file the build needs; raises LecturegenError with every problem found."""
    from lecturegen.sources.audiences import load_audience
    from lecturegen.sources.images import load_image
    from lecturegen.sources.inputs import load_slide_inputs, slide_pixels
    from lecturegen.sources.outline import load_talk
    from lecturegen.sources.bibliography import Bibliography
    from lecturegen.sources.themes import load_theme

    from lecturegen.compile.kinds import OUTLINE_KINDS

    from lecturegen.store.icons import StoredIcons

    icons = StoredIcons(store)
    talk = load_talk(workspace, talk_name, diags, kinds=OUTLINE_KINDS, icons=icons)
    audience = load_audience(workspace, audience_name, diags, kinds=OUTLINE_KINDS, icons=icons) \
        if audience_name else None
    if talk is not None and audience is not None and talk.audiences and audience.name not in talk.audiences:
        diags.error(f"talk '{talk.name}' is not offered to audience '{audience.name}'", "audience.not-offered",
                    talk.audiences_location, hint="it is offered to: " + ", ".join(f"'{a}'" for a in talk.audiences))
    bib, bib_bytes = load_talk_bibliography(workspace, talk, diags, store) if talk is not None \
        else (Bibliography({}, "bibliography.bib"), b"")
    _fail(diags)
    assert talk is not None
    chosen = theme_name or (audience.theme if audience and audience.theme else None) or talk.theme
    theme = load_theme(workspace, chosen, diags, None if theme_name else talk.theme_location)
    _fail(diags)
    assert theme is not None
    template = load_template(workspace, theme, diags, store)
    needed = slide_pixels(template.width, template.height)
    inputs = load_slide_inputs(workspace, talk, audience, diags, needed)
    logo = None
    if theme.logo is not None:
        logo = load_image(theme.logo, workspace.display(theme.logo), diags, theme.location, needed)
    _fail(diags)
    fonts = load_fonts(template, theme, store)
    return Loaded(workspace, talk, audience, theme, template, bib, bib_bytes, inputs, fonts, logo)


def load_talk_bibliography(workspace: Workspace, talk: TalkSpec, diags: Diagnostics,
                           store: Store) -> tuple[Bibliography, bytes]:
    """The talk's `bibliography:` files (default: the workspace's bibliography.bib, when there is one),
    each parsed or taken from the store, merged into one library; and the bytes that identify them."""
    from lecturegen.sources.bibliography import MAX_BIB_BYTES, Bibliography, load_bibliography, merge_bibliographies
    from lecturegen.store.bibliography import cached_bibliography
    from lecturegen.workspace import read_input

    named = list(talk.bibliography)
    if not named:
        if not (workspace.bibliography.exists() or workspace.bibliography.is_symlink()):
            return Bibliography({}, "bibliography.bib"), b""
        named = [("bibliography.bib", Location("bibliography.bib"))]
    parts: list[Bibliography] = []
    identity: list[bytes] = []
    for relative, at in named:
        path = workspace.resolve_input(relative, workspace.root, diags, at, "bibliography")
        if path is None:
            continue
        display = workspace.display(path)
        try:
            data = read_input(path, MAX_BIB_BYTES)
        except OSError:
            data = b""  # too large or unreadable: the loader below says which
        parts.append(cached_bibliography(store, path, data, display, diags) if data
                     else load_bibliography(path, display, diags))
        identity.append(display.encode("utf-8", "surrogateescape") + b"\0" + data)
    if not parts:
        return Bibliography({}, "bibliography.bib"), b""
    return merge_bibliographies(parts, diags), b"\0\0".join(identity)


def load_template(workspace: Workspace, theme: ThemeSpec, diags: Diagnostics, store: Store) -> Template:
    """The theme's template (its file, or one generated from theme.yaml) with the theme's overrides applied."""
    from lecturegen.compile.style import template_overrides_for
    from lecturegen.sources.template_file import TemplateError, TemplateOverrides, read_template_bytes
    from lecturegen.store.templates import generated_template, read_template_cached

    overrides = TemplateOverrides(
        major_font=theme.heading_font, minor_font=theme.body_font,
        scheme=tuple(sorted(template_overrides_for(theme).items())), title_color=theme.colors.get("title"),
        master=theme.master, layouts=theme.layouts)
    at = Location(workspace.display(theme.template)) if theme.template else theme.location
    try:
        if theme.template is not None:
            name = workspace.display(theme.template)
            template = read_template_cached(store, read_template_bytes(theme.template, name), name, overrides)
        else:
            blob = generated_template(theme, store)
            template = read_template_cached(store, blob, f"generated from themes/{theme.name}/theme.yaml", overrides,
                                            generated=True)
    except TemplateError as exc:
        diags.error(exc.message, exc.code, theme.locations.get(exc.theme_key or "", at), exc.hint)
        raise LecturegenError(diags.sorted()) from None
    for problem in template.problems:
        if problem.startswith("derived: "):
            diags.info(f"template '{template.name}': {problem[len('derived: '):]}", "theme.layout-derived", at,
                       hint="name the layout to use in theme.yaml 'layouts:' (see `lecturegen list --theme`)")
        elif problem.startswith("repaired"):
            diags.info(f"template '{template.name}': {problem}", "theme.repaired", at)
        elif problem.startswith("embedded"):
            diags.warning(f"template '{template.name}': {problem}", "theme.embedded-object", at,
                          hint="a deck carries no programs; the template's design is kept")
        elif problem.startswith("external"):
            diags.warning(f"template '{template.name}': {problem}", "theme.external-link", at,
                          hint="a deck may not fetch anything when it opens")
        else:
            diags.warning(f"template '{template.name}': {problem}", "theme.placeholder-off-slide", at,
                          hint="fix the layout in PowerPoint or LibreOffice")
    return template


def load_fonts(template: Template, theme: ThemeSpec, store: Store) -> dict[str, LoadedFont]:
    """Every family the template's text styles name, each measured with the best file found here."""
    from lecturegen.store.fonts import loaded_font

    families = {template.fonts.major, template.fonts.minor}
    for layout in template.layouts.values():
        for ph in layout.placeholders:
            families.update(level.font for level in ph.levels)
    return {family: loaded_font(store, family) for family in sorted(families) if family}


# -- compile -------------------------------------------------------------------------------------------------

def compile_loaded(loaded: Loaded, diags: Diagnostics, store: Store, fit: bool = False,
                   start: str | None = None) -> Prepared:
    from lecturegen.sources.citation_style import StyleError
    from lecturegen.compile.deck import CompileInputs, CompileOptions, collect_citations, talk_to_deck
    from lecturegen.compile.layout import Fonts, LayoutContext, Logo
    from lecturegen.compile.audience import template_variables
    from lecturegen.store.citations import CachedCitations
    from lecturegen.store.template_memo import TemplateMemo
    from lecturegen.store.fonts import keep_measures
    from lecturegen.compile.style import resolve_style, sizes_for

    talk, audience, template, theme = loaded.talk, loaded.audience, loaded.template, loaded.theme
    style_name = (audience.style if audience and audience.style else None) or talk.style

    def style_error(exc: StyleError) -> LecturegenError:
        diags.error(str(exc.args[0]) if exc.args else "unknown citation style", "cite.style",
                    talk.style_location or talk.location, getattr(exc, "hint", None))
        return LecturegenError(diags.sorted())

    try:
        engine = CachedCitations(loaded.bibliography, loaded.bibliography_bytes, style_name, talk.locale,
                                 loaded.workspace.root, store)
    except StyleError as exc:
        raise style_error(exc) from None
    heading = loaded.fonts[template.fonts.major].face
    body = loaded.fonts[template.fonts.minor].face
    style = resolve_style(theme, template, heading, body)
    logo = Logo(loaded.logo, theme.logo_place, theme.logo_height, theme.logo_alt, theme.location) \
        if loaded.logo else None
    fonts = Fonts(dict(loaded.fonts), template.fonts.major, template.fonts.minor)
    layout = LayoutContext(template, style, sizes_for(theme), fonts, footer="", logo=logo,
                           accent_rule=template.generated)
    options = CompileOptions(fit=fit, timestamp=build_timestamp(diags), start=start)
    memo = TemplateMemo(store, template_variables(talk, audience))
    inputs = CompileInputs(talk=talk, layout=layout, citations=engine, audience=audience,
                           datasets=loaded.inputs.datasets, images=loaded.inputs.images, options=options,
                           theme_name=theme.name, credits=loaded.inputs.credits, templates=memo.known)
    try:
        citations = collect_citations(inputs)
        engine.register(citations)  # here, not in compile: an uncached style is read now
        result = talk_to_deck(inputs, diags, citations)
    except StyleError as exc:  # a broken .csl file is only parsed when something needs formatting
        raise style_error(exc) from None
    engine.save()
    memo.save(result.templates)
    keep_measures(store, loaded.fonts.values())
    _timing_diagnostics(result, talk, diags)
    _fail(diags)
    return Prepared(loaded, engine, result, diags)


def prepare(workspace: Workspace, talk_name: str, diags: Diagnostics, theme_name: str | None = None,
            audience_name: str | None = None, fit: bool = False, start: str | None = None,
            store: Store | None = None) -> Prepared:
    """Load and compile; raises LecturegenError with every problem found when anything is wrong."""
    store = store or store_for(workspace)
    loaded = load(workspace, talk_name, diags, store, theme_name, audience_name)
    return compile_loaded(loaded, diags, store, fit, start)


def _timing_diagnostics(result: CompileResult, talk: TalkSpec, diags: Diagnostics) -> None:
    """Over the slot, or clearly under it: a warning naming the sections that cost most."""
    plan = result.plan
    if plan.reserved > plan.slot:
        at = talk.reserved[0].location if talk.reserved else talk.location
        diags.error(f"reserved blocks take {plan.reserved:g} min, more than the {plan.slot:g}-minute slot",
                    "timing.reserved", at)
        return
    tolerance = max(1.0, plan.slot * 0.05)
    if not plan.fits:
        heavy = sorted((s for s in plan.sections if s.slides), key=lambda s: -s.minutes)[:3]
        listing = ", ".join(f"'{s.title}' {s.minutes:.1f} min" for s in heavy)
        diags.warning(f"planned {plan.planned} min is {plan.total - plan.slot:.1f} min over the "
                      f"{plan.slot:g}-minute slot (longest sections: {listing})", "timing.over", talk.location,
                      hint="shorten the notes, or run with --fit to drop optional material")
    elif plan.total < plan.slot - max(tolerance, plan.slot * 0.15):
        diags.warning(f"planned {plan.planned} min leaves {plan.slot - plan.total:.1f} min of the "
                      f"{plan.slot:g}-minute slot unused", "timing.under", talk.location)


# -- render --------------------------------------------------------------------------------------------------

def pictures_to_draw(loaded: Loaded) -> int:
    """How many charts the talk draws as pictures (not native charts) for this audience, at most."""
    from lecturegen.sources.inputs import all_slide_specs, slide_chart

    charts = (slide_chart(spec) for spec in all_slide_specs(loaded.talk, loaded.audience))
    return sum(1 for chart in charts if chart is not None and not chart.native)


def render_deck(prepared: Prepared, store: Store | None = None, parallel_charts: bool = True,
                drawer: ChartDrawer | None = None) -> bytes:
    """The deck as .pptx bytes; missing chart pictures are drawn on the other cores meanwhile.

    `drawer` is one already started (see commands: its workers load matplotlib while the talk compiles);
    it is closed here either way."""
    store = store or store_for(prepared.workspace)
    from lecturegen.render.chart_style import chart_style
    from lecturegen.model.chart import Chart, chart_frames
    from lecturegen.render.chart_style import ChartStyle
    from lecturegen.render.pptx_writer import render_pptx, renderer_digest
    from lecturegen.store.charts import ChartDrawer
    from lecturegen.store.slides import StoredSlides

    deck = prepared.result.deck
    assert deck.style is not None
    drawer = drawer or ChartDrawer(store, parallel=parallel_charts)
    style = chart_style(deck.style)
    requests: list[tuple[Chart, ChartStyle, float, float, int]] = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if type(shape).__name__ == "ChartShape" and slide.chart is not None and not slide.chart.native:
                box = shape.box
                requests.extend((frame, style, round(box.cx / 914400, 2), round(box.cy / 914400, 2),
                                 getattr(shape, "dpi", 200)) for frame in chart_frames(slide.chart))
    def native(chart: Chart, chart_style: ChartStyle, timestamp: int) -> tuple[bytes, bytes]:
        """Native chart parts, kept in the store by everything they are made from."""
        import hashlib
        import struct

        key = hashlib.sha256(repr((chart, chart_style, timestamp, renderer_digest())).encode()).hexdigest()
        kept = store.get("native", key)
        if kept is not None and len(kept) >= 8:
            (size,) = struct.unpack(">Q", kept[:8])
            return kept[8:8 + size], kept[8 + size:]
        from lecturegen.render.charts_native import native_chart_parts  # python-pptx only on a miss

        xml, book = native_chart_parts(chart, chart_style, timestamp)
        store.put("native", key, struct.pack(">Q", len(xml)) + xml + book)
        return xml, book

    def qr_image(text: str, pixels: int) -> bytes:
        """QR pictures kept in the store: drawing one costs more than rendering a slide."""
        import hashlib

        from lecturegen.render.qr import qr_png
        from lecturegen.store.versions import installed_version

        key = hashlib.sha256(repr((text, pixels, installed_version("segno"), renderer_digest())).encode()).hexdigest()
        kept = store.get("qr", key)
        if kept is None:
            kept = qr_png(text, pixels)
            store.put("qr", key, kept)
        return kept

    try:
        drawer.prefetch(requests)
        return render_pptx(deck, prepared.template, drawer.png, native, StoredSlides(store), qr_image)
    finally:
        drawer.close()


def default_output(workspace: Workspace, talk: str, audience: str | None, suffix: str = ".pptx") -> Path:
    name = talk if audience is None else f"{talk}--{audience}"
    return workspace.build_dir / f"{name}{suffix}"
