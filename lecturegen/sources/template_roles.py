"""Load layer: which layout of a template plays which role — found from what each layout holds, on every master.

PowerPoint names layouts in the language of the Office that made the file ("Titelfolie", "タイトル スライド"),
institutions rename them, LibreOffice has its own names: a layout's placeholders and their geometry say what
it is for; its name is only a hint. A role the template lacks is derived from the nearest layout it has.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.template import LAYOUT_ROLES, Layout, Placeholder
from lecturegen.records import record

# Layout names as PowerPoint writes them in the major Office languages, and as LibreOffice writes them:
# hints that break ties between layouts of the same structure, never a requirement.
NAME_HINTS: dict[str, tuple[str, ...]] = {
    "title": ("title slide", "titelfolie", "diapositive de titre", "diapositiva de titulo", "slide de titulo",
              "diapositivo de titulo", "diapositiva titolo", "titeldia", "slajd tytulowy", "титульный слайд",
              "заглавен слайд", "タイトル スライド", "标题幻灯片", "標題投影片", "제목 슬라이드", "rubrikbild",
              "titelslide", "tittellysbilde", "otsikkodia", "uvodni snimek", "baslik slayti", "title", "cover",
              "titel", "titre", "titulo", "portada", "capa", "deckblatt"),
    "content": ("title and content", "titel und inhalt", "titre et contenu", "titulo y objetos",
                "titulo y contenido", "titulo e conteudo", "titulo e objeto", "titolo e contenuto",
                "titel en object", "tytul i zawartosc", "заголовок и объект", "заглавие и съдържание",
                "タイトルとコンテンツ", "标题和内容", "標題及內容", "제목 및 내용", "rubrik och innehall",
                "title, content", "title content", "content", "inhalt", "contenu", "contenido", "conteudo"),
    "section": ("section header", "section title", "abschnittsuberschrift", "titre de section",
                "encabezado de seccion", "cabecalho da secao", "cabecalho de seccao", "intestazione sezione",
                "sectiekop", "naglowek sekcji", "заголовок раздела", "заглавка на раздел", "セクション見出し",
                "节标题", "章節標題", "구역 머리글", "avsnittsrubrik", "section", "divider", "kapitel",
                "trenner", "separador", "intercalaire"),
    "two-content": ("two content", "zwei inhalte", "deux contenus", "dos objetos", "duas partes de conteudo",
                    "dois conteudos", "due contenuti", "twee objecten", "dwa elementy zawartosci",
                    "два объекта", "две съдържания", "2 つのコンテンツ", "两栏内容", "兩項物件", "콘텐츠 2개",
                    "title, 2 content", "two column", "2 column", "zweispaltig"),
    "comparison": ("comparison", "vergleich", "comparaison", "comparacion", "comparacao", "confronto",
                   "vergelijking", "porownanie", "сравнение", "比較", "比较", "比對", "비교"),
    "title-only": ("title only", "nur titel", "titre seul", "solo el titulo", "solo titulo", "somente titulo",
                   "so titulo", "apenas titulo", "solo titolo", "alleen titel", "tylko tytul",
                   "только заголовок", "само заглавие", "タイトルのみ", "仅标题", "只有標題", "제목만",
                   "endast rubrik", "title, only"),
    "blank": ("blank", "leer", "vide", "en blanco", "em branco", "vuoto", "leeg", "pusty", "пустой", "празен",
              "白紙", "空白", "빈 화면"),
}
_STRUCTURE_SCORE: dict[str, dict[str, int]] = {
    # role → {a layout's structure: how well it serves the role as it is, or derived from it}
    "title": {"title": 100, "section": 60, "title-only": 40, "content": 25, "two-content": 10, "comparison": 5,
              "blank": 2},
    "content": {"content": 100, "two-content": 45, "comparison": 30, "title-only": 40, "title": 10, "section": 15,
                "blank": 2},
    "two-content": {"two-content": 100, "comparison": 70, "content": 50, "title-only": 35, "blank": 2},
    "comparison": {"comparison": 100, "two-content": 60, "content": 45, "title-only": 30, "blank": 2},
    "section": {"section": 100, "title": 70, "title-only": 50, "content": 30, "two-content": 10, "blank": 2},
    "title-only": {"title-only": 100, "content": 60, "two-content": 35, "comparison": 25, "section": 20,
                   "title": 10, "blank": 2},
}
# Roles whose slides carry the talk's content: they prefer the master most content layouts are designed on
# (a title master's artwork behind every bullet is the failure this avoids).
_CONTENT_ROLES = frozenset({"content", "two-content", "comparison", "title-only"})
_GAP = int(0.2 * EMU_PER_INCH)
_SYNTHETIC_IDX = 90  # placeholders lecturegen adds to a derived layout: above any idx Office writes on its own


@record
class RoleChoice:
    """A role the theme assigns by hand: `layouts: {content: "Conteúdo"}` in theme.yaml."""

    role: str
    name: str


def normalise_name(name: str) -> str:
    """A layout name as hints compare it: no '1_' copy prefix, accents, case, line breaks or extra spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"^\s*\d+_", "", text.lower()).replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def structure_of(layout: Layout, slide_width: int, slide_height: int) -> str:
    """What a layout is for, from its placeholders alone."""
    has_title = layout.get("title") is not None
    subtitle = layout.get("subtitle")
    bodies = [p for p in layout.placeholders if p.role in ("body", "body2")]
    headings = [p for p in layout.placeholders if p.role in ("heading1", "heading2")]
    heading = layout.get("title")
    if any(p.vertical for p in bodies) or (heading is not None and heading.vertical):
        return "other"
    if not has_title:
        return "blank" if not bodies and subtitle is None and not layout.picture_slots else "other"
    if layout.picture_slots and bodies:
        return "other"  # a picture with a caption: lecturegen places its own pictures
    if layout.content_slots > len(bodies) + len(headings):
        return "other"  # a grid of three or more boxes, or content with a caption
    title = layout.get("title")
    assert title is not None
    centred = title.type == "ctrTitle"
    if subtitle is not None and not bodies:
        return "title"
    if centred and not headings and len(bodies) <= 2 and all(_small(b.box, slide_width, slide_height)
                                                             for b in bodies):
        return "title"
    if len(headings) == 2 and len(bodies) == 2:
        return "comparison"
    if len(bodies) == 2:
        left, right = sorted(bodies, key=lambda p: p.box.x)
        side_by_side = right.box.x >= left.box.x + left.box.cx * 0.6 and left.box.y < right.box.bottom \
            and right.box.y < left.box.bottom
        return "two-content" if side_by_side else "other"
    if len(bodies) == 1:
        return "section" if _small(bodies[0].box, slide_width, slide_height) else "content"
    # A title alone: at the top it heads content lecturegen places; low or in the middle, it is a divider.
    middle = title.box.y + title.box.cy / 2
    return "title-only" if middle < slide_height * 0.3 else "section"


def _small(box: Box, width: int, height: int) -> bool:
    """A text box too small for a list of points: a section header's or a caption's."""
    return box.area < width * height * 0.2 or box.cy < height * 0.3


def name_role(name: str) -> str | None:
    """The role a layout's name suggests, if any (exact matches first, then names that contain a hint)."""
    plain = normalise_name(name)
    for role, hints in _HINTS.items():
        if plain in hints:
            return role
    best: tuple[int, str] | None = None
    for role, hints in _HINTS.items():
        for hint in hints:
            if len(hint) >= 4 and hint in plain and (best is None or len(hint) > best[0]):
                best = (len(hint), role)
    return best[1] if best else None


_HINTS = {role: tuple(normalise_name(h) for h in hints) for role, hints in NAME_HINTS.items()}


def content_master(layouts: list[Layout]) -> int:
    """The master most of the template's content layouts are designed on."""
    counts: dict[int, int] = {}
    for layout in layouts:
        if layout.kind in ("content", "two-content", "comparison", "title-only"):
            counts[layout.master] = counts.get(layout.master, 0) + (2 if layout.kind == "content" else 1)
    if not counts:
        return min((layout.master for layout in layouts), default=0)
    return max(sorted(counts), key=lambda m: counts[m])


def _score(role: str, layout: Layout, master: int, busy: dict[str, float], slide_area: int) -> float:
    structure = _STRUCTURE_SCORE[role].get(layout.kind)
    if structure is None:
        return -1.0
    score = float(structure)
    hinted = name_role(layout.name)
    if hinted == role:
        score += 30
    elif hinted is not None and hinted != layout.kind:
        score -= 8
    if role in _CONTENT_ROLES and layout.master == master:
        score += 20
    # Content over a picture or busy artwork reads worse than content on a calm background.
    score -= 25 * busy.get(layout.part, 0.0) if role in _CONTENT_ROLES else 10 * busy.get(layout.part, 0.0)
    if role in ("content", "two-content", "comparison"):
        body = layout.get("body")
        if body is not None and role == "content":
            score += 20 * min(1.0, 2 * body.box.area / max(1, slide_area))
        if body is not None and body.box.area > 0:
            covered = sum((body.box.intersection(o) or Box(0, 0, 0, 0)).area for o in layout.obstacles)
            score -= 30 * min(1.0, covered / body.box.area)
    return score


def choose_roles(layouts: list[Layout], width: int, height: int, busy: dict[str, float],
                 chosen: dict[str, Layout], master: int | None = None) -> dict[str, Layout]:
    """For every role, the layout that serves it best (as it is, or derived); `chosen` are the theme's."""
    preferred = content_master(layouts) if master is None else master
    candidates = [layout for layout in layouts if master is None or layout.master == master] or layouts
    roles: dict[str, Layout] = {}
    for role in LAYOUT_ROLES:
        picked: Layout | None
        if role in chosen:
            picked = chosen[role]
        else:
            ranked = sorted(((_score(role, layout, preferred, busy, width * height), -index, layout)
                             for index, layout in enumerate(candidates)), key=lambda t: (t[0], t[1]), reverse=True)
            picked = ranked[0][2] if ranked and ranked[0][0] >= 0 else None
        roles[role] = derive(role, picked, roles, width, height) if picked is not None else \
            _from_nothing(role, roles, candidates, width, height)
    return roles


def derive(role: str, layout: Layout, roles: dict[str, Layout], width: int, height: int) -> Layout:
    """The layout as it serves `role`: itself when its structure is the role's, else adapted, with a note."""
    if layout.kind == role or (role == "title-only" and layout.kind in ("content", "two-content", "comparison",
                                                                         "section")):
        return layout if role == layout.kind else replace(layout, derived=_note(role, layout, "its content "
                                                                                 "placeholders are left empty"))
    if role in ("title", "section") and layout.kind in ("title", "section"):
        return replace(layout, derived=_note(role, layout, "same structure"))
    title = layout.get("title") or _synthetic_title(layout, width, height)
    area = _content_area(layout, title, width, height)
    template_body = _first_body(layout) or _first_body(roles.get("content"))
    others = [p for p in layout.placeholders if p.role in ("footer", "number", "date")]
    if role in ("title", "section"):
        body = layout.get("subtitle") or layout.get("body")
        if body is None:
            body = _synthetic(template_body, "body", Box(area.x, area.y + area.cy // 2, area.cx, area.cy // 3), 0)
        return replace(layout, placeholders=(title, body, *others), derived=_note(role, layout, "title and text"))
    if role == "content":
        bodies = [p for p in layout.placeholders if p.role in ("body", "body2")]
        box = _union([p.box for p in bodies]) if bodies else area
        body = _synthetic(template_body, "body", box, 0)
        how = "its content boxes joined into one" if bodies else "a content box under the title"
        return replace(layout, placeholders=(title, body, *others), derived=_note(role, layout, how))
    # two columns (and comparison: a heading over each)
    left_right = [p for p in layout.placeholders if p.role in ("body", "body2")]
    if len(left_right) == 2:
        left, right = sorted(left_right, key=lambda p: p.box.x)
        left, right = replace(left, role="body"), replace(right, role="body2")
    else:
        box = left_right[0].box if left_right else area
        half = box.cx // 2 - _GAP // 2
        left = _synthetic(template_body, "body", Box(box.x, box.y, half, box.cy), 0)
        right = _synthetic(template_body, "body2", Box(box.right - half, box.y, half, box.cy), 1)
    if role == "two-content":
        return replace(layout, placeholders=(title, left, right, *others),
                       derived=_note(role, layout, "its content box split in two" if len(left_right) < 2
                                     else "its two content boxes"))
    # A comparison without its own layout: two columns, each heading set as its column's first line (separate
    # heading boxes carved out of a column measure differently in every viewer).
    return replace(layout, placeholders=(title, left, right, *others),
                   derived=_note(role, layout, "two columns, each heading as its column's first line"))


def _from_nothing(role: str, roles: dict[str, Layout], layouts: list[Layout], width: int, height: int) -> Layout:
    """A template whose layouts all lack titles (or none at all): a role built on its first layout."""
    base = roles.get("content") or (layouts[0] if layouts else None)
    assert base is not None  # a template without a single layout is refused when it is read
    return derive(role, replace(base, kind="blank"), roles, width, height)


def _note(role: str, layout: Layout, how: str) -> str:
    return f"{role} from layout '{layout.name}' ({how})"


def _first_body(layout: Layout | None) -> Placeholder | None:
    if layout is None:
        return None
    return next((p for p in layout.placeholders if p.role in ("body", "body2", "subtitle")), None)


def _synthetic(base: Placeholder | None, role: str, box: Box, offset: int) -> Placeholder:
    """A placeholder the layout does not hold: written with its own box, inheriting the master's body style."""
    if base is None:
        base = Placeholder(role=role, type="body", idx=None, box=box)
    return replace(base, role=role, type="body", idx=_SYNTHETIC_IDX + offset, box=box, unique=False,
                   anchor="t", orient=None)


def _synthetic_title(layout: Layout, width: int, height: int) -> Placeholder:
    margin = width // 16
    box = Box(margin, height // 20, width - 2 * margin, height // 6)
    base = next((p for p in layout.placeholders if p.role == "subtitle"), None)
    title = Placeholder(role="title", type="title", idx=None, box=box, anchor="b", unique=False)
    return replace(title, levels=base.levels) if base is not None else title


def _content_area(layout: Layout, title: Placeholder, width: int, height: int) -> Box:
    """The room under the title and above the footers, within the title's margins."""
    margin = width // 16
    x = title.box.x if 0 < title.box.x < width // 3 else margin
    right = title.box.right if width * 2 // 3 < title.box.right <= width else width - margin
    top = title.box.bottom + _GAP
    footers = [p.box.y for p in layout.placeholders if p.role in ("footer", "number", "date")
               and p.box.y > height // 2]
    bottom = min(footers) - _GAP if footers else height - height // 12
    if bottom - top < height // 4:  # a title low on the slide: use the band above it instead
        top, bottom = height // 12, max(height // 12 + height // 4, title.box.y - _GAP)
    return Box(x, top, max(right - x, width // 3), max(bottom - top, height // 4))


def _union(boxes: list[Box]) -> Box:
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    return Box(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)


def describe_role_map(layouts: list[Layout], roles: dict[str, Layout], masters: tuple[str, ...]) -> list[str]:
    """Lines for `lecturegen list --theme`: every layout of every master with its structure and roles."""
    lines = []
    played: dict[str, list[str]] = {}
    for role, layout in roles.items():
        played.setdefault(layout.part, []).append(role + (" (derived)" if layout.derived else ""))
    for index, master in enumerate(masters or ("",)):
        lines.append(f"master {index + 1}: {master or '(unnamed)'}")
        for layout in (l for l in layouts if l.master == index):
            roles_here = played.get(layout.part, [])
            shown = f"  → {', '.join(roles_here)}" if roles_here else ""
            lines.append(f"  {layout.name!r:44} {layout.kind}{shown}")
    notes = [f"  {layout.derived}" for layout in roles.values() if layout.derived]
    if notes:
        lines.append("derived:")
        lines.extend(notes)
    return lines
