"""Model layer: a PowerPoint template as data — its package parts, slide size, layouts and text styles."""

from __future__ import annotations

from dataclasses import field

from lecturegen.model.geometry import Box, Insets
from lecturegen.ooxml import Relationship
from lecturegen.records import record

# Roles a layout placeholder can play for the compiler; XML placeholder types map onto them when read.
ROLES = ("title", "subtitle", "body", "body2", "heading1", "heading2", "footer", "number", "date")
# Roles a whole layout plays for the compiler. Found from what each layout holds (its placeholders and their
# geometry, on every master), never from its name: real templates name layouts in their Office's language.
LAYOUT_ROLES = ("title", "content", "two-content", "comparison", "section", "title-only")


@record
class LevelStyle:
    """The text style one outline level inherits in a placeholder (master → layout, resolved)."""

    size: float = 18.0  # points
    bold: bool = False
    italic: bool = False
    font: str = "Calibri"  # a family name; theme references (+mj-lt, +mn-lt) are resolved
    color: str | None = None  # hex, when the template fixes one
    margin: int = 0  # marL, EMU
    indent: int = 0  # first-line indent, EMU (negative: hanging)
    space_before: float = 0.0  # points
    space_after: float = 0.0
    line_spacing: float = 1.0  # multiple of single spacing
    bullet: bool = False  # the level shows a bullet character or number
    align: str = "l"
    # The colour a viewer shows this level's text in, resolved through the whole inheritance (the master's
    # text colour when nothing sets one): what contrast is judged with.
    ink: str = "000000"
    # Read from a placeholder's prompt text (LibreOffice's masters), which PowerPoint does not inherit:
    # such a level's font, weight and colour are written onto the runs.
    from_sample: bool = False


@record
class Placeholder:
    """One placeholder of a layout: where it is, how its text is set, and how a slide refers to it."""

    role: str
    type: str  # the XML ph type as written ("" is an object placeholder)
    idx: int | None
    box: Box
    insets: Insets = Insets()
    anchor: str = "t"  # t | ctr | b
    autofit: str = "none"  # none | normal | shape
    vertical: bool = False
    levels: tuple[LevelStyle, ...] = (LevelStyle(),)
    # ph attributes copied onto the slide's placeholder (orient, sz, hasCustomPrompt are left out).
    orient: str | None = None
    # False when another placeholder of the layout has the same idx (LibreOffice writes idx 0 everywhere):
    # a slide cannot inherit this one's position then, so its box is always written out.
    unique: bool = True

    def level(self, index: int) -> LevelStyle:
        return self.levels[min(max(index, 0), len(self.levels) - 1)]


@record
class Backdrop:
    """What the master and layout draw behind a slide's content, as a small picture of relative luminance.

    `luminance` is zlib-compressed, one byte a cell, row by row: the WCAG relative luminance raised to 1/2.2
    and scaled to 0-255 (perceptually even steps). A text colour's contrast with any box is read from it."""

    columns: int
    rows: int
    luminance: bytes = field(repr=False)
    mean: str = "FFFFFF"  # the average colour, hex
    picture: bool = False  # a photograph or picture lies behind part of the slide


@record
class Layout:
    name: str
    part: str  # e.g. "ppt/slideLayouts/slideLayout2.xml"
    placeholders: tuple[Placeholder, ...]
    # Pictures drawn by the master or layout (logos, emblems) that text and content must keep clear of.
    obstacles: tuple[Box, ...] = ()
    master: int = 0  # which slide master it belongs to (0: the first)
    kind: str = "other"  # its structure: one of LAYOUT_ROLES, "blank" or "other"
    backdrop: Backdrop | None = None
    derived: str = ""  # for a role the template lacks: how it was made from another layout
    picture_slots: int = 0  # picture placeholders (a "picture with caption" layout)
    content_slots: int = 0  # content and text placeholders as the layout holds them (before roles were given)

    def get(self, role: str) -> Placeholder | None:
        for ph in self.placeholders:
            if ph.role == role:
                return ph
        return None


@record
class ThemeFonts:
    major: str  # headings
    minor: str  # body text


# Stand-ins in PackageFrame.slide_entry for a slide's id and relationship id.
SLIDE_ID_MARK = "2147483646"
SLIDE_RID_MARK = "rIdLecturegenSlide"


@record
class PackageFrame:
    """What the package writer extends on every build, worked out once when the template is read: with it, a
    build parses no XML of the template's (and imports no XML library)."""

    main: str  # the presentation part
    root_rels: tuple[Relationship, ...]
    main_rels: tuple[Relationship, ...]
    content_defaults: tuple[tuple[str, str], ...]  # [Content_Types].xml: extension → type
    content_overrides: tuple[tuple[str, str], ...]  # part → type
    # The presentation part around its slide list, and one entry of the list with the two marks above in
    # place of its id and relationship id, each serialised as the XML library writes them in that document.
    slide_list_head: str
    slide_list_tail: str
    slide_entry: str


@record(eq=False)
class Template:
    """A template ready to build on: the package (sample slides dropped, overrides applied) and its geometry."""

    name: str  # as diagnostics name it
    digest: str  # sha256 of the prepared package: the key of every cache that depends on the template
    width: int
    height: int
    layouts: dict[str, Layout]  # every layout of every master, by a unique name
    roles: dict[str, Layout]  # LAYOUT_ROLES → the layout that plays it (a derived one where the template lacks it)
    fonts: ThemeFonts
    scheme: dict[str, str]  # dk1 lt1 dk2 lt2 accent1..6 hlink folHlink → hex
    background: str  # the master's background colour, hex
    title_color: str  # the colour titles inherit, hex
    body_color: str  # the colour body text inherits, hex
    parts: dict[str, bytes] = field(repr=False)
    frame: PackageFrame = field(repr=False)
    notes_master: str = "ppt/notesMasters/notesMaster1.xml"
    masters: tuple[str, ...] = ()  # the slide masters' names, in the template's order
    generated: bool = False
    # Problems worth a warning: a placeholder that leaves the slide, an external link that was removed …
    problems: tuple[str, ...] = ()

    @property
    def slide_box(self) -> Box:
        return Box(0, 0, self.width, self.height)

    def layout(self, key: str) -> Layout | None:
        """A layout by role ("content", …) or by the name the template gives it."""
        return self.roles.get(key) or self.layouts.get(key)

    def placeholder(self, layout: str, role: str) -> Placeholder | None:
        found = self.layout(layout)
        return found.get(role) if found else None


@record
class TemplateDesign:
    """What a generated template is made from: a theme's colours, palette, fonts and sizes, all resolved."""

    title: str
    colors: dict[str, str] = field(hash=False)
    palette: tuple[str, ...]
    heading_font: str
    body_font: str
    sizes: dict[str, float] = field(hash=False)

    def size(self, key: str) -> float:
        return self.sizes[key]
