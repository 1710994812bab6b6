"""Render layer: a slide's build animations (<p:timing>), click by click, as PowerPoint writes them."""

from __future__ import annotations

from lecturegen.model.chart import Chart, native_reference_lines


def timing_xml(reveals: list[tuple[int, list[tuple[int, int]]]], fade: bool,
               shown: list[list[tuple[int | str, bool]]] | None = None, builds: list[str] | None = None) -> str:
    """Build animations: each group of paragraphs (or each set of shapes of a revealed diagram, each series or
    category of a chart) appears, or fades in, on its own click, as PowerPoint writes them, so PowerPoint and
    LibreOffice Impress both play them. A target given as text is a chart element (`chart_build`)."""
    ids = iter(range(3, 100_000))
    clicks = []

    def effect(target: str, kind: str) -> str:
        effect_id, show = next(ids), next(ids)
        behaviours = (f'<p:set><p:cBhvr><p:cTn id="{show}" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/>'
                      f'</p:stCondLst></p:cTn>{target}<p:attrNameLst><p:attrName>style.visibility</p:attrName>'
                      f'</p:attrNameLst></p:cBhvr><p:to><p:strVal val="visible"/></p:to></p:set>')
        if fade:
            behaviours += (f'<p:animEffect transition="in" filter="fade"><p:cBhvr><p:cTn id="{next(ids)}" '
                           f'dur="500"/>{target}</p:cBhvr></p:animEffect>')
        preset = 'presetID="10"' if fade else 'presetID="1"'
        return (f'<p:par><p:cTn id="{effect_id}" {preset} presetClass="entr" presetSubtype="0" fill="hold" '
                f'grpId="0" nodeType="{kind}"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>'
                f'{behaviours}</p:childTnLst></p:cTn></p:par>')

    def click(targets: list[str]) -> str:
        outer, inner = next(ids), next(ids)
        effects = "".join(effect(t, "clickEffect" if i == 0 else "withEffect") for i, t in enumerate(targets))
        return (f'<p:par><p:cTn id="{outer}" fill="hold"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst>'
                f'<p:childTnLst><p:par><p:cTn id="{inner}" fill="hold"><p:stCondLst><p:cond delay="0"/>'
                f'</p:stCondLst><p:childTnLst>{effects}</p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn>'
                f'</p:par>')

    for spid, groups in reveals:
        for first, last in groups:
            clicks.append(click([f'<p:tgtEl><p:spTgt spid="{spid}"><p:txEl><p:pRg st="{first}" end="{last}"/>'
                                 f'</p:txEl></p:spTgt></p:tgtEl>']))
    for step in shown or []:
        clicks.append(click([target if isinstance(target, str) else f'<p:tgtEl><p:spTgt spid="{target}"/></p:tgtEl>'
                             for target, _ in step]))
    entries = "".join(f'<p:bldP spid="{spid}" grpId="0" build="p"/>' for spid, _ in reveals)
    entries += "".join(f'<p:bldP spid="{spid}" grpId="0" animBg="1"/>' for step in shown or []
                       for spid, text in step if text)
    entries += "".join(builds or [])
    build_list = f"<p:bldLst>{entries}</p:bldLst>" if entries else ""
    return ('<p:timing><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">'
            '<p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq">'
            f'<p:childTnLst>{"".join(clicks)}</p:childTnLst></p:cTn><p:prevCondLst><p:cond evt="onPrev" delay="0">'
            '<p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst><p:nextCondLst><p:cond evt="onNext" delay="0">'
            '<p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst></p:seq></p:childTnLst></p:cTn></p:par>'
            f'</p:tnLst>{build_list}</p:timing>')


def chart_build(spid: int, chart: Chart) -> list[list[tuple[int | str, bool]]]:
    """A native chart built click by click, as PowerPoint's "By series" / "By category" effect option writes it:
    one click a series (its reference lines come with the first), or one a category."""
    def target(series: int, category: int, step: str) -> str:
        return (f'<p:tgtEl><p:spTgt spid="{spid}"><p:graphicEl><a:chart seriesIdx="{series}" '
                f'categoryIdx="{category}" bldStep="{step}"/></p:graphicEl></p:spTgt></p:tgtEl>')

    if chart.base.reveal == "points":
        return [[(target(-4, i, "category"), False)] for i in range(len(chart.categories))]
    n = len(chart.series)
    steps: list[list[tuple[int | str, bool]]] = [[(target(j, -4, "series"), False)] for j in range(n)]
    steps[0] += [(target(n + k, -4, "series"), False) for k in range(len(native_reference_lines(chart)))]
    return steps
